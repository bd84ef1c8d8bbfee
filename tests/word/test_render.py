"""Rendering templates as fillable Word forms, blank and filled from a record."""

from __future__ import annotations

import copy
import zipfile

import pytest

from engine.spec.flat import flatten_record
from engine.spec.model import FIELD_TYPES, Template
from engine.spec.slots import option_path, template_slots
from engine.word import ooxml, render_docx, write_docx
from engine.word.controls import NO_BREAK, RATING_SCORES, WRITERS
from engine.word.layout import column_widths
from engine.word.render import build_form
from tests.word.conftest import (
    W14,
    W,
    control_text,
    controls,
    document_root,
    loaded_forms,
    sample,
)

FORMS = loaded_forms()


def expected_tags(template: Template) -> set[str]:
    """Return the tag of every control a form of `template` must have."""
    tags = set()
    for slot in template_slots(template):
        kind = slot.value_type if slot.part else slot.field.type
        if kind in ("choice", "multichoice"):
            tags |= {option_path(slot.path, o.key) for o in slot.field.options}
        elif kind == "yes_no":
            tags |= {option_path(slot.path, key) for key in ("yes", "no")}
        elif kind == "rating":
            tags |= {option_path(slot.path, score) for score in RATING_SCORES}
        else:
            tags.add(slot.path)
    return tags


def test_writers__every_field_type_has_one():
    assert set(WRITERS) == set(FIELD_TYPES)


def test_fixture__uses_every_field_type(all_types):
    used = {
        field.type
        for section in all_types.template.sections
        for field in getattr(section, "fields", None) or section.columns
    }

    assert used == set(FIELD_TYPES)


@pytest.mark.parametrize("loaded", FORMS, ids=lambda loaded: loaded.template.id)
@pytest.mark.parametrize("filled", [False, True], ids=["blank", "filled"])
def test_render__one_control_per_value(loaded, filled):
    values = sample(loaded) if filled else None

    root = document_root(render_docx(loaded.template, values))

    tags = [node.get(f"{{{W}}}val") for node in root.iter(f"{{{W}}}tag")]
    assert len(tags) == len(set(tags)), "a tag appears twice"
    assert set(tags) == expected_tags(loaded.template)


@pytest.mark.parametrize("loaded", FORMS, ids=lambda loaded: loaded.template.id)
def test_render__controls_inline_and_not_nested(loaded):
    root = document_root(render_docx(loaded.template, sample(loaded)))

    for sdt in root.iter(f"{{{W}}}sdt"):
        assert sdt.getparent().tag == f"{{{W}}}p"
        assert sdt.find(f".//{{{W}}}sdt") is None
        assert sdt.find(f".//{{{W}}}p") is None
        assert sdt.find(f"{{{W}}}sdtPr/{{{W}}}temporary") is None


@pytest.mark.parametrize("loaded", FORMS, ids=lambda loaded: loaded.template.id)
def test_render__blank_controls_show_placeholders(loaded):
    root = document_root(render_docx(loaded.template))

    for tag, sdt in controls(root).items():
        is_checkbox = sdt.find(f"{{{W}}}sdtPr/{{{W14}}}checkbox") is not None
        marked = sdt.find(f"{{{W}}}sdtPr/{{{W}}}showingPlcHdr") is not None
        assert marked != is_checkbox, tag


def test_render__filled_values_replace_placeholders(all_types):
    values = sample(all_types)
    flat = flatten_record(all_types.template, values)

    found = controls(document_root(render_docx(all_types.template, values)))

    for path in ("basic.name", "basic.mobile", "basic.skin_type_other"):
        assert control_text(found[path]) == flat[path]
        assert found[path].find(f"{{{W}}}sdtPr/{{{W}}}showingPlcHdr") is None
    assert control_text(found["basic.remarks"]) == "对花粉过敏\n请用温和产品"
    assert control_text(found["basic.booked_at"]) == "2024-03-07 14:00"
    assert control_text(found["basic.age"]) == "34"


def test_render__filled_date_has_full_date_and_text(all_types):
    found = controls(document_root(render_docx(all_types.template, sample(all_types))))

    picker = found["visits[1].date"].find(f"{{{W}}}sdtPr/{{{W}}}date")
    assert picker.get(f"{{{W}}}fullDate") == "2024-03-21T00:00:00Z"
    assert control_text(found["visits[1].date"]) == "2024年3月21日"
    blank = found["stages[1].date"]
    assert blank.find(f"{{{W}}}sdtPr/{{{W}}}showingPlcHdr") is not None


def checked(sdt) -> tuple[str, str]:
    flag = sdt.find(f"{{{W}}}sdtPr/{{{W14}}}checkbox/{{{W14}}}checked")
    return flag.get(f"{{{W14}}}val"), control_text(sdt)


def test_render__pre_ticked_boxes_set_flag_and_glyph(all_types):
    found = controls(document_root(render_docx(all_types.template, sample(all_types))))

    ticked = ("1", ooxml.CHECKED_GLYPH)
    clear = ("0", ooxml.UNCHECKED_GLYPH)
    assert checked(found["basic.gender=female"]) == ticked
    assert checked(found["basic.gender=male"]) == clear
    assert checked(found["basic.concerns=hydrate"]) == ticked
    assert checked(found["basic.concerns=whiten"]) == clear
    assert checked(found["basic.concerns=acne"]) == ticked
    assert checked(found["basic.allergy=yes"]) == ticked
    assert checked(found["basic.allergy=no"]) == clear
    assert checked(found["basic.satisfaction=4"]) == ticked
    assert checked(found["visits[1].paid=no"]) == ticked
    assert checked(found["visits[2].paid=no"]) == clear


def test_render__dropdown_items_are_option_keys(all_types):
    found = controls(document_root(render_docx(all_types.template, sample(all_types))))

    listing = found["basic.source"].find(f"{{{W}}}sdtPr/{{{W}}}dropDownList")
    items = [(i.get(f"{{{W}}}value"), i.get(f"{{{W}}}displayText")) for i in listing]
    assert items == [("friend", "朋友介绍"), ("online", "网络")]
    assert control_text(found["basic.source"]) == "网络"


def test_render__header_and_footer(all_types):
    data = render_docx(all_types.template)

    header = "".join(document_root(data, "word/header1.xml").itertext())
    footer = document_root(data, "word/footer1.xml")
    instructions = [node.text.strip() for node in footer.iter(f"{{{W}}}instrText")]
    assert "美容中心顾客档案" in header
    assert "表单编号：MR-01" in header
    assert "版本：2" in header
    assert instructions == ["PAGE", "NUMPAGES"]


def test_render__page_is_a4():
    from engine.word.ooxml import PAGE_HEIGHT, PAGE_WIDTH

    assert (PAGE_WIDTH, PAGE_HEIGHT) == (11906, 16838)


@pytest.mark.parametrize("language", ["en", "both"])
def test_render__other_languages(all_types, language):
    # The fixture's section note and description have no English on purpose.
    with pytest.warns(UserWarning, match="has no English text"):
        data = render_docx(all_types.template, sample(all_types), language)

    text = "".join(document_root(data).itertext())
    assert "Skin type" in text
    assert ("皮肤类型" in text) == (language == "both")


def test_render__unknown_language_rejected(all_types):
    with pytest.raises(ValueError, match="language 'fr' is not supported"):
        render_docx(all_types.template, None, "fr")


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (
            "remarks",
            "花粉\x0b过敏",
            "basic.remarks: the text contains the control character U+000B",
        ),
        (
            "name",
            "张\x00三",
            "basic.name: the text contains the control character U+0000",
        ),
        ("skin_type", "sandy", "basic.skin_type: 'sandy' is not an option key"),
        ("concerns", "hydrate", "basic.concerns: expected a list of option keys"),
        ("allergy", "maybe", "basic.allergy: expected true or false"),
        ("birth_date", "07/03/1990", "basic.birth_date: expected a date such as"),
        ("name", {"first": "三"}, "basic.name: expected text or a number"),
    ],
)
def test_render__bad_value_names_the_path(all_types, path, value, message):
    values = copy.deepcopy(sample(all_types))
    values["basic"][path] = value

    with pytest.raises(ValueError) as error:
        render_docx(all_types.template, values)

    assert str(error.value).startswith(message)


def test_build_form__inspectable_before_packing(all_types):
    form = build_form(all_types.template)

    assert form.properties.identifier.startswith("dangan-form:word-all-types:v2:")
    assert form.body[0].tag == f"{{{W}}}p"


def test_write_docx__writes_the_rendered_bytes(all_types, tmp_path):
    target = tmp_path / "out" / "form.docx"

    written = write_docx(all_types.template, target, sample(all_types))

    assert written == target
    assert target.read_bytes() == render_docx(all_types.template, sample(all_types))
    assert zipfile.is_zipfile(target)
    assert [p.name for p in target.parent.iterdir()] == ["form.docx"]


def test_render__box_joined_to_its_label(all_types):
    root = document_root(render_docx(all_types.template))

    for tag, sdt in controls(root).items():
        if sdt.find(f"{{{W}}}sdtPr/{{{W14}}}checkbox") is None:
            continue
        label = sdt.getnext()
        assert label.tag == f"{{{W}}}r", tag
        assert label.findtext(f"{{{W}}}t").startswith(NO_BREAK), tag


@pytest.mark.parametrize("loaded", FORMS, ids=lambda loaded: loaded.template.id)
def test_column_widths__fill_the_text_width(loaded):
    for section in loaded.template.sections:
        if section.kind != "table":
            continue

        widths = column_widths(section.columns)

        assert sum(widths) == ooxml.TEXT_WIDTH
        assert min(widths) > 0
