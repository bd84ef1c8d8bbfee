"""Rendered forms in LibreOffice 25.2: they open, print their text and keep their tags.

All forms are converted in one soffice run per target format, because starting
LibreOffice costs more than converting a form.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from engine.spec.flat import flatten_record
from engine.spec.model import Template
from engine.spec.slots import template_slots
from engine.word import ooxml, read_identity, write_docx
from tests.word.conftest import (
    W14,
    W,
    control_text,
    controls,
    document_root,
    loaded_forms,
    pdf_text,
    soffice_convert,
)

ESCAPING_TEMPLATE = Template.model_validate(
    {
        "id": "escaping-check",
        "version": 1,
        "title": "预约 & 取消说明",
        "industry": "beauty",
        "form_no": "YY-01",
        "sections": [
            {
                "id": "shop",
                "title": "门店信息",
                "fields": [
                    {"key": "shop_name", "type": "text", "label": "门店名称"},
                    {"key": "remarks", "type": "textarea", "label": "备注"},
                    {"key": "allergy", "type": "text", "label": "过敏史"},
                ],
            },
            {
                "id": "bookings",
                "kind": "table",
                "title": "预约记录",
                "rows": 2,
                "columns": [
                    {"key": "note", "type": "text", "label": "预约 & 取消说明"}
                ],
            },
        ],
    }
)
ESCAPING_VALUES = {
    "shop": {
        "shop_name": "美丽&健康 <VIP> 工作室",
        "remarks": "第一行\n第二行\r\n第三行",
    }
}


@dataclass(frozen=True)
class Rendered:
    template: Template
    values: dict | None
    docx: Path


@dataclass(frozen=True)
class Converted:
    forms: dict[str, Rendered]
    pdfs: dict[str, Path]
    resaved: dict[str, Path]


def _render_all(folder: Path) -> dict[str, Rendered]:
    import json

    forms: dict[str, Rendered] = {}
    for loaded in loaded_forms():
        template = loaded.template
        blank = folder / f"{template.id}-blank.docx"
        forms[blank.stem] = Rendered(template, None, write_docx(template, blank))
        if loaded.sample_file.exists():
            values = json.loads(loaded.sample_file.read_text(encoding="utf-8"))
            filled = folder / f"{template.id}-filled.docx"
            forms[filled.stem] = Rendered(
                template, values, write_docx(template, filled, values)
            )
    escaping = folder / "escaping-check-filled.docx"
    forms[escaping.stem] = Rendered(
        ESCAPING_TEMPLATE,
        ESCAPING_VALUES,
        write_docx(ESCAPING_TEMPLATE, escaping, ESCAPING_VALUES),
    )
    return forms


@pytest.fixture(scope="module")
def converted(tmp_path_factory) -> Converted:
    folder = tmp_path_factory.mktemp("word-forms")
    forms = _render_all(folder)
    files = [form.docx for form in forms.values()]
    pdfs = soffice_convert(files, "pdf", folder / "pdf")
    resaved = soffice_convert(files, "docx:MS Word 2007 XML", folder / "resaved")
    return Converted(
        forms,
        {path.stem: path for path in pdfs},
        {path.stem: path for path in resaved},
    )


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def body_text(pdf: Path, template: Template) -> str:
    """Return the PDF's text without the header and footer line of each page.

    pdftotext -raw puts them at the top of each page, which splits a paragraph that
    runs on to the next page.
    """
    title = re.escape(template.title.zh)
    furniture = re.compile(
        rf"{title} (表单编号：.*)?版本：\d+|{title} 第 \d+ 页 共 \d+ 页"
    )
    lines = pdf_text(pdf).splitlines()
    return "\n".join(line for line in lines if not furniture.fullmatch(line.strip()))


def printed_labels(template: Template) -> list[str]:
    """Return every Chinese label and fixed text a form of `template` prints."""
    texts = [template.title.zh]
    for section in template.sections:
        texts += [section.title.zh] + ([section.note.zh] if section.note else [])
        for field in getattr(section, "fields", None) or section.columns:
            texts.append(field.label.zh)
            # A dropdown shows only the chosen option, so its list is not printed.
            if field.type != "dropdown":
                texts += [option.label.zh for option in getattr(field, "options", [])]
            if field.type == "notice":
                texts += re.split(r"\r\n|\r|\n", field.text.zh)
    return texts


def printed_values(template: Template, values: dict) -> tuple[list[str], int]:
    """Return the texts a filled form shows and the number of ticked boxes."""
    texts, ticked = [], 0
    for slot in template_slots(template):
        value = flatten_record(template, values)[slot.path]
        if value in (None, "", []):
            continue
        kind = slot.value_type
        if kind == "date":
            day = dt.date.fromisoformat(value)
            texts.append(f"{day.year}年{day.month}月{day.day}日")
        elif kind == "dropdown":
            texts += [o.label.zh for o in slot.field.options if o.key == value]
        elif kind == "multichoice":
            ticked += len(value)
        elif kind in ("choice", "yes_no", "rating"):
            ticked += 1
        elif kind == "datetime":
            texts.append(value.replace("T", " "))
        else:
            texts += re.split(r"\r\n|\r|\n", str(value))
    return texts, ticked


def form_ids() -> list[str]:
    names = []
    for loaded in loaded_forms():
        names.append(f"{loaded.template.id}-blank")
        if loaded.sample_file.exists():
            names.append(f"{loaded.template.id}-filled")
    return names


@pytest.mark.parametrize("name", form_ids())
def test_pdf__shows_every_label_and_value(converted, name):
    form = converted.forms[name]
    text = squeeze(body_text(converted.pdfs[name], form.template))

    missing = [
        label for label in printed_labels(form.template) if squeeze(label) not in text
    ]
    assert not missing, f"labels missing from the PDF: {missing}"
    if form.values is not None:
        shown, ticked = printed_values(form.template, form.values)
        missing = [value for value in shown if squeeze(value) not in text]
        assert not missing, f"values missing from the PDF: {missing}"
        assert text.count(ooxml.CHECKED_GLYPH) == ticked


def tag_states(path: Path) -> dict[str, str | None]:
    """Return each control's tag with its checkbox flag (None for other controls)."""
    states = {}
    for tag, sdt in controls(document_root(path.read_bytes())).items():
        flag = sdt.find(f"{{{W}}}sdtPr/{{{W14}}}checkbox/{{{W14}}}checked")
        states[tag] = None if flag is None else flag.get(f"{{{W14}}}val")
    return states


@pytest.mark.parametrize("name", form_ids())
def test_resave__keeps_every_tag_and_box(converted, name):
    before = tag_states(converted.forms[name].docx)

    after = tag_states(converted.resaved[name])

    assert sorted(set(before) - set(after)) == []
    assert after == before


@pytest.mark.parametrize("name", form_ids())
def test_resave__keeps_template_identity(converted, name):
    form = converted.forms[name]

    identity = read_identity(converted.resaved[name])

    assert identity == (
        form.template.id,
        form.template.version,
        form.template.fingerprint,
    )


def test_resave__keeps_filled_text(converted):
    before = controls(
        document_root(converted.forms["word-all-types-filled"].docx.read_bytes())
    )

    after = controls(
        document_root(converted.resaved["word-all-types-filled"].read_bytes())
    )

    for tag in (
        "basic.name",
        "basic.remarks",
        "basic.skin_type_other",
        "visits[0].item",
    ):
        assert control_text(after[tag]) == control_text(before[tag])


def test_escaping__markup_and_breaks_show_exactly(converted):
    text = pdf_text(converted.pdfs["escaping-check-filled"])

    assert "美丽&健康 <VIP> 工作室" in text
    assert "第一行\n第二行\n第三行" in text
    # Header, title, table column and footer.
    assert text.count("预约 & 取消说明") == 4


def test_escaping__footer_and_cell_keep_ampersand(converted):
    data = converted.forms["escaping-check-filled"].docx.read_bytes()

    footer = "".join(document_root(data, "word/footer1.xml").itertext())
    remarks = controls(document_root(data))["shop.remarks"]
    assert "预约 & 取消说明" in footer
    assert len(remarks.findall(f".//{{{W}}}br")) == 2


def test_escaping__control_characters_name_the_field():
    for character in ("\x0b", "\x00"):
        values = {"shop": {"allergy": f"花粉{character}过敏"}}

        with pytest.raises(ValueError, match=r"^shop\.allergy: the text contains"):
            write_docx(
                ESCAPING_TEMPLATE, Path("/nonexistent/never-written.docx"), values
            )
