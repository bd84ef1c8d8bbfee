"""Reading filled .docx forms back: every template, real fillers, damaged files."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from lxml import etree

from engine.errors import FormFileError
from engine.fillers.docx_values import docx_fill_values
from engine.fillers.libreoffice import FillJob, fill_with_libreoffice
from engine.parse import MISSING_MESSAGE, parse_bytes, parse_file
from engine.spec.loader import Catalog, LoadedTemplate
from engine.word import render_docx
from tests.word.conftest import FORMS, W14, W, loaded_forms, sample

FORMS_UNDER_TEST = loaded_forms()
IDS = [f.template.id for f in FORMS_UNDER_TEST]


def catalog_for(loaded: LoadedTemplate) -> Catalog:
    return Catalog.load(loaded.file.parent)


def rewrite_document(data: bytes, change: Callable[[etree._Element], None]) -> bytes:
    """Return a copy of a .docx with word/document.xml changed by `change`."""
    source = zipfile.ZipFile(io.BytesIO(data))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            part = source.read(info.filename)
            if info.filename == "word/document.xml":
                root = etree.fromstring(part)
                change(root)
                part = etree.tostring(
                    root, xml_declaration=True, encoding="UTF-8", standalone=True
                )
            target.writestr(info.filename, part)
    return output.getvalue()


def sdt_by_tag(root: etree._Element, tag: str) -> etree._Element:
    for sdt in root.iter(f"{{{W}}}sdt"):
        element = sdt.find(f"{{{W}}}sdtPr/{{{W}}}tag")
        if element is not None and element.get(f"{{{W}}}val") == tag:
            return sdt
    raise KeyError(tag)


@pytest.mark.parametrize("loaded", FORMS_UNDER_TEST, ids=IDS)
def test_prefilled_form_reads_back_as_the_record(loaded: LoadedTemplate) -> None:
    values = sample(loaded)
    data = render_docx(loaded.template, values)

    record = parse_bytes(data, Path("form.docx"), catalog_for(loaded))

    assert record.values == values
    assert record.problems == []


@pytest.mark.parametrize("loaded", FORMS_UNDER_TEST, ids=IDS)
def test_blank_form_reads_back_empty(loaded: LoadedTemplate) -> None:
    data = render_docx(loaded.template)

    record = parse_bytes(data, Path("form.docx"), catalog_for(loaded))

    assert all(p.message != MISSING_MESSAGE for p in record.problems)
    filled = [p for p in record.problems if "必填" not in p.message]
    assert filled == []


@pytest.fixture(scope="module")
def libreoffice_filled(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Fill every blank form with its sample through LibreOffice, in one session."""
    folder = tmp_path_factory.mktemp("libreoffice-filled")
    jobs = []
    for loaded in FORMS_UNDER_TEST:
        blank = folder / f"{loaded.template.id}.docx"
        blank.write_bytes(render_docx(loaded.template))
        values = docx_fill_values(loaded.template, sample(loaded))
        jobs.append(
            FillJob(blank, folder / f"{loaded.template.id}-filled.docx", values)
        )
    results = fill_with_libreoffice(jobs)
    assert [r["missing"] for r in results] == [[] for _ in jobs]
    return {
        loaded.template.id: job.target
        for loaded, job in zip(FORMS_UNDER_TEST, jobs, strict=True)
    }


@pytest.mark.parametrize("loaded", FORMS_UNDER_TEST, ids=IDS)
def test_form_filled_in_libreoffice_reads_back_as_typed(
    loaded: LoadedTemplate, libreoffice_filled: dict[str, Path]
) -> None:
    path = libreoffice_filled[loaded.template.id]

    record = parse_file(path, catalog_for(loaded))

    assert record.values == sample(loaded)
    assert record.problems == []
    assert record.producer is not None
    assert record.producer.startswith("LibreOffice")


def _beauty() -> LoadedTemplate:
    return next(f for f in FORMS_UNDER_TEST if f.template.id == "beauty-client")


def test_controls_wrapped_around_paragraphs_and_cells_are_read() -> None:
    loaded = _beauty()
    values = sample(loaded)

    def wrap(root: etree._Element) -> None:
        name = sdt_by_tag(root, "basic.name")
        paragraph = next(name.iterancestors(f"{{{W}}}p"))
        block = etree.Element(f"{{{W}}}sdt")
        etree.SubElement(block, f"{{{W}}}sdtPr")
        content = etree.SubElement(block, f"{{{W}}}sdtContent")
        paragraph.addprevious(block)
        content.append(paragraph)
        cell = next(sdt_by_tag(root, "basic.address").iterancestors(f"{{{W}}}tc"))
        cell_control = etree.Element(f"{{{W}}}sdt")
        etree.SubElement(cell_control, f"{{{W}}}sdtPr")
        cell_content = etree.SubElement(cell_control, f"{{{W}}}sdtContent")
        cell.addprevious(cell_control)
        cell_content.append(cell)

    data = rewrite_document(render_docx(loaded.template, values), wrap)
    record = parse_bytes(data, Path("wrapped.docx"), catalog_for(loaded))

    assert record.values == values


def test_missing_control_is_reported_by_path() -> None:
    loaded = _beauty()

    def drop(root: etree._Element) -> None:
        sdt = sdt_by_tag(root, "basic.occupation")
        sdt.getparent().remove(sdt)

    data = rewrite_document(render_docx(loaded.template, sample(loaded)), drop)
    record = parse_bytes(data, Path("dropped.docx"), catalog_for(loaded))

    assert ("basic.occupation", MISSING_MESSAGE) in [
        (p.path, p.message) for p in record.problems
    ]
    assert record.values["basic"]["occupation"] is None


def test_checkbox_state_comes_from_flag_not_glyph() -> None:
    loaded = _beauty()
    values = sample(loaded)
    values["basic"]["gender"] = "female"

    def swap_glyphs(root: etree._Element) -> None:
        female = sdt_by_tag(root, "basic.gender=female")
        male = sdt_by_tag(root, "basic.gender=male")
        for text in female.iter(f"{{{W}}}t"):
            text.text = "✔"
        for text in male.iter(f"{{{W}}}t"):
            text.text = "☒"  # looks ticked, but its flag says not
        female.find(f".//{{{W14}}}checked").set(f"{{{W14}}}val", "true")
        male.find(f".//{{{W14}}}checked").set(f"{{{W14}}}val", "false")

    data = rewrite_document(render_docx(loaded.template, values), swap_glyphs)
    record = parse_bytes(data, Path("glyphs.docx"), catalog_for(loaded))

    assert record.values["basic"]["gender"] == "female"


def test_flattened_form_names_the_program_that_saved_it() -> None:
    loaded = _beauty()

    def flatten(root: etree._Element) -> None:
        for sdt in list(root.iter(f"{{{W}}}sdt")):
            content = sdt.find(f"{{{W}}}sdtContent")
            for child in list(content):
                sdt.addprevious(child)
            sdt.getparent().remove(sdt)

    data = rewrite_document(render_docx(loaded.template, sample(loaded)), flatten)
    data = _with_app(data, "WPS Office_12.1.0")

    with pytest.raises(
        FormFileError,
        match="flattened to plain text when it was saved by WPS Office_12.1.0",
    ):
        parse_bytes(data, Path("flat.docx"), catalog_for(loaded))


def _with_app(data: bytes, application: str) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    output = io.BytesIO()
    app = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
        f"<Application>{application}</Application></Properties>"
    )
    with zipfile.ZipFile(output, "w") as target:
        for info in source.infolist():
            if info.filename != "docProps/app.xml":
                target.writestr(info.filename, source.read(info.filename))
        target.writestr("docProps/app.xml", app)
    return output.getvalue()


def test_word_file_not_made_by_us_says_so(tmp_path: Path) -> None:
    path = tmp_path / "letter.docx"
    document = docx.Document()
    document.add_paragraph("客户档案")
    document.save(str(path))

    with pytest.raises(FormFileError, match="not made by dangan"):
        parse_file(path, catalog_for(_beauty()))


def test_zip_that_is_not_a_docx_says_so(tmp_path: Path) -> None:
    path = tmp_path / "photos.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("photo.txt", "not a document")

    with pytest.raises(FormFileError, match="not a Word document"):
        parse_file(path, catalog_for(_beauty()))


def test_zip_bomb_part_is_not_expanded(tmp_path: Path) -> None:
    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"<a>" + b" " * 60_000_000 + b"</a>")

    with pytest.raises(FormFileError, match="zip bomb"):
        parse_file(path, catalog_for(_beauty()))


def test_document_with_entities_is_rejected() -> None:
    loaded = _beauty()
    data = render_docx(loaded.template)
    source = zipfile.ZipFile(io.BytesIO(data))
    output = io.BytesIO()
    hostile = (
        b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;">]>'
        b'<w:document xmlns:w="'
        + W.encode()
        + b'"><w:body><w:p><w:r><w:t>&b;</w:t></w:r></w:p></w:body></w:document>'
    )
    with zipfile.ZipFile(output, "w") as target:
        for info in source.infolist():
            part = (
                hostile
                if info.filename == "word/document.xml"
                else source.read(info.filename)
            )
            target.writestr(info.filename, part)

    with pytest.raises(FormFileError, match="declares a DTD or entities"):
        parse_bytes(output.getvalue(), Path("entities.docx"), catalog_for(loaded))


def test_dropdown_display_text_maps_to_option_key() -> None:
    forms = Catalog.load(FORMS)
    loaded = forms.get_loaded("word-all-types")
    values = sample(loaded)
    dropdown = next(
        (s.id, f)
        for s in loaded.template.sections
        if s.kind == "fields"
        for f in s.fields
        if f.type == "dropdown"
    )
    section_id, field = dropdown
    chosen = field.options[-1]
    values[section_id][field.key] = chosen.key

    def forget_last_value(root: etree._Element) -> None:
        sdt = sdt_by_tag(root, f"{section_id}.{field.key}")
        for element in sdt.iter(f"{{{W}}}dropDownList"):
            element.attrib.pop(f"{{{W}}}lastValue", None)

    data = rewrite_document(render_docx(loaded.template, values), forget_last_value)
    record = parse_bytes(data, Path("dropdown.docx"), forms)

    assert record.values[section_id][field.key] == chosen.key
