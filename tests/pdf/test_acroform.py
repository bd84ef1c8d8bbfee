"""The finished AcroForm: field kinds, on-states, appearances, later filling ."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pypdfium2
import pytest
from PIL import Image
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject

from engine.pdf.acroform import read_fields, read_identity
from engine.pdf.finish import wrap_lines
from engine.pdf.fonts import text_width_em
from engine.pdf.render import render_pdf


@pytest.fixture(scope="module")
def course(fixture_catalog, rendered) -> bytes:
    return rendered(fixture_catalog.get_loaded("course-enrolment"), True)


@pytest.fixture(scope="module")
def counselling(fixture_catalog, rendered) -> bytes:
    return rendered(fixture_catalog.get_loaded("counselling"), True)


def widgets(pdf: bytes) -> dict[str, list[tuple[int, dict]]]:
    """Return {field name: [(page index, widget dictionary), ...]}."""
    found: dict[str, list[tuple[int, dict]]] = {}
    for index, page in enumerate(PdfReader(io.BytesIO(pdf)).pages):
        for reference in page.get("/Annots", []):
            widget = reference.get_object()
            owner = widget.get("/Parent", widget).get_object()
            found.setdefault(str(owner["/T"]), []).append((index, widget))
    return found


def poppler_page(pdf: bytes, page: int = 1) -> Image.Image:
    result = subprocess.run(
        ["pdftoppm", "-r", "72", "-f", str(page), "-l", str(page), "-gray", "-png"],
        input=pdf,
        capture_output=True,
        check=True,
    )
    return Image.open(io.BytesIO(result.stdout)).convert("L")


def pdfium_page(pdf: bytes, page: int = 1) -> Image.Image:
    document = pypdfium2.PdfDocument(pdf)
    document.init_forms()
    try:
        bitmap = document[page - 1].render(scale=1, may_draw_forms=True)
        return bitmap.to_pil().convert("L")
    finally:
        document.close()


def ink(image: Image.Image, widget: dict, page_height: float) -> float:
    """Return the share of dark pixels inside a widget's box (its border excluded)."""
    x1, y1, x2, y2 = (float(v) for v in widget["/Rect"])
    left, right = sorted((x1, x2))
    bottom, top = sorted((y1, y2))
    inset = 0.25 * min(right - left, top - bottom)
    box = (
        round(left + inset),
        round(page_height - top + inset),
        round(right - inset),
        round(page_height - bottom - inset),
    )
    histogram = image.crop(box).histogram()
    return sum(histogram[:128]) / max(1, sum(histogram))


def test_acroform__kinds_and_preselected_values(course):
    fields = read_fields(course)

    assert {n: f.kind for n, f in fields.items()} == {
        "basic/child": "text",
        "basic/gender": "radio",
        "basic/course": "combo",
        "basic/extras=trial": "checkbox",
        "basic/notes": "text",
    }
    assert fields["basic/gender"].value == "女"
    assert fields["basic/gender"].options == ("男", "女")
    assert fields["basic/course"].value == "音乐"
    assert fields["basic/course"].options == ("", "感统", "音乐", "美术")
    assert fields["basic/extras=trial"].value is True
    assert all(flag & 4 for f in fields.values() for flag in f.widget_flags)


def test_acroform__radio_kids_are_plain_widgets(course):
    reader = PdfReader(io.BytesIO(course))
    acro_form = reader.trailer["/Root"]["/AcroForm"]

    group = next(
        f.get_object()
        for f in acro_form["/Fields"]
        if f.get_object()["/T"] == "basic/gender"
    )
    kids = [k.get_object() for k in group["/Kids"]]

    assert group["/V"] == "/1"
    assert [k["/AS"] for k in kids] == ["/Off", "/1"]
    assert all("/T" not in k and "/FT" not in k for k in kids)
    assert len(acro_form["/Fields"]) == 5
    assert acro_form["/NeedAppearances"].value is False
    assert "/ZaDb" in acro_form["/DR"]["/Font"]
    assert group["/DA"] == "/ZaDb 0 Tf 0 g"
    assert [k["/MK"]["/CA"] for k in kids] == ["l", "l"]


@pytest.mark.parametrize("draw", [poppler_page, pdfium_page], ids=["poppler", "pdfium"])
def test_acroform__preselected_states_visible(course, draw):
    found = widgets(course)
    image = draw(course)
    height = float(PdfReader(io.BytesIO(course)).pages[0].mediabox.height)

    male, female = (w for _, w in found["basic/gender"])
    ((_, trial),) = found["basic/extras=trial"]
    ((_, course_box),) = found["basic/course"]
    ((_, child),) = found["basic/child"]

    assert ink(image, female, height) > 0.3
    assert ink(image, male, height) < 0.05
    assert ink(image, trial, height) > 0.05
    # 音乐 fills a small share of the combo box, which spans the whole row.
    assert ink(image, course_box, height) > 0.008
    assert ink(image, child, height) > 0.025  # 李一文 in the text field


def test_acroform__long_notes_on_one_page(fixture_catalog, rendered):
    pdf = rendered(fixture_catalog.get_loaded("page-break"), True)
    reader = PdfReader(io.BytesIO(pdf))

    ((page, notes),) = widgets(pdf)["basic/notes"]
    text = reader.pages[page].extract_text()

    assert len(reader.pages) == 2
    assert "备注" in text
    top = max(float(notes["/Rect"][1]), float(notes["/Rect"][3]))
    bottom = min(float(notes["/Rect"][1]), float(notes["/Rect"][3]))
    assert bottom > 0 and top < float(reader.pages[page].mediabox.height)


def fill_with_pypdf(pdf: bytes, values: dict[str, str]) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    writer.update_page_form_field_values(None, values, auto_regenerate=False)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_acroform__pypdf_filled_values_read_back(counselling):
    filled = fill_with_pypdf(
        counselling, {"reviews[1]/note": "李四", "visits[1]/topic": "第二次来访"}
    )

    fields = read_fields(filled)

    assert fields["basic/client"].value == "王小明"
    assert fields["intake/remark"].value == "对花粉过敏"
    assert fields["reviews[1]/note"].value == "李四"
    assert fields["visits[1]/topic"].value == "第二次来访"
    assert len(filled) < 1_800_000
    assert read_identity(filled) == read_identity(counselling)


def test_acroform__pdftk_filled_values_read_back(counselling, tmp_path: Path):
    source = tmp_path / "form.pdf"
    source.write_bytes(counselling)
    xfdf = tmp_path / "values.xfdf"
    xfdf.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<xfdf xmlns="http://ns.adobe.com/xfdf/"><fields>'
        '<field name="reviews[1]/note"><value>李四</value></field>'
        '<field name="visits[1]/topic"><value>第二次来访</value></field>'
        "</fields></xfdf>",
        encoding="utf-8",
    )
    target = tmp_path / "filled.pdf"

    subprocess.run(
        [
            "pdftk",
            str(source),
            "fill_form",
            str(xfdf),
            "output",
            str(target),
            "need_appearances",
        ],
        capture_output=True,
        check=True,
        timeout=120,
    )

    fields = read_fields(target.read_bytes())
    assert fields["reviews[1]/note"].value == "李四"
    assert fields["visits[1]/topic"].value == "第二次来访"
    assert fields["basic/client"].value == "王小明"


def test_acroform__uncovered_character_stored_exactly(fixture_catalog):
    template = fixture_catalog.get("course-enrolment")
    name = "𠀀龘喆"  # U+20000 and 龘 are outside the form font; 喆 is inside

    pdf = render_pdf(template, {"basic": {"child": name}})

    assert read_fields(pdf)["basic/child"].value == name


@pytest.mark.parametrize(
    ("state", "checked"),
    [("/Yes", True), ("/On", True), ("/1", True), ("/Oui", True), ("/Off", False)],
)
def test_acroform__checkbox_checked_unless_off(course, state, checked):
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(course)))
    for reference in writer.root_object["/AcroForm"]["/Fields"]:
        field = reference.get_object()
        if field["/T"] == "basic/extras=trial":
            field[NameObject("/V")] = NameObject(state)
    out = io.BytesIO()
    writer.write(out)

    assert read_fields(out.getvalue())["basic/extras=trial"].value is checked


def test_acroform__foreign_pdf_has_no_identity():
    writer = PdfWriter()
    writer.add_blank_page(100, 100)
    out = io.BytesIO()
    writer.write(out)

    assert read_identity(out.getvalue()) is None


def test_acroform__wrap_chinese_by_character():
    text = "对花粉过敏对花粉过敏\n第二行"

    wrapped = wrap_lines(text, 4.0, text_width_em)

    assert wrapped == "对花粉过\n敏对花粉\n过敏\n第二行"
