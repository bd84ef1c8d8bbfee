"""Every template renders blank and pre-filled as a fillable PDF form."""

from __future__ import annotations

import io
import re
import subprocess
from typing import Any

import pytest
import weasyprint
from pypdf import PdfReader

from engine.errors import SystemDependencyError
from engine.pdf.acroform import read_fields, read_identity
from engine.pdf.render import check_weasyprint, render_html
from engine.spec.flat import flatten_record
from engine.spec.labels import label_text
from engine.spec.model import FIELD_TYPES, GroupSection, TableSection, Template
from engine.spec.slots import option_path, pdf_name, template_slots
from tests.pdf.conftest import INDUSTRIES, PDF_FIXTURES, load, sample

# The PDF field kind each field type becomes. A signature and a consent notice become
# text fields for their parts. A heading and a plain notice become no field at all.
KIND_OF_TYPE = {
    **{t: "text" for t in FIELD_TYPES},
    "choice": "radio",
    "rating": "radio",
    "multichoice": "checkbox",
    "yes_no": "radio",
    "dropdown": "combo",
}
# Size budget: a form of up to two pages, with the form font embedded whole, stays
# under 1.8 MB; each further page may add 0.1 MB of page text and drawing.
BUDGET_TWO_PAGES = 1_800_000
BUDGET_PER_PAGE = 100_000

CASES = [("industries", i) for i in load(INDUSTRIES).ids()] + [
    ("fixtures", i) for i in load(PDF_FIXTURES).ids()
]


@pytest.fixture(scope="module")
def catalogs(industry_catalog, fixture_catalog):
    return {"industries": industry_catalog, "fixtures": fixture_catalog}


def expected_fields(template: Template) -> dict[str, str]:
    """Return {PDF field name: kind} that a template's form must hold."""
    expected = {}
    for slot in template_slots(template):
        kind = "text" if slot.part else KIND_OF_TYPE[slot.field.type]
        if slot.field.type == "multichoice" and not slot.part:
            for option in slot.field.options:
                expected[pdf_name(option_path(slot.path, option.key))] = kind
        else:
            expected[pdf_name(slot.path)] = kind
    return expected


def expected_values(template: Template, record: dict) -> dict[str, Any]:
    """Return {PDF field name: value read back} for a record."""
    values: dict[str, Any] = {}
    for slot in template_slots(template):
        value = flatten_record(template, record)[slot.path]
        if slot.field.type == "multichoice" and not slot.part:
            for option in slot.field.options:
                name = pdf_name(option_path(slot.path, option.key))
                values[name] = option.key in (value or [])
        elif slot.field.type == "yes_no" and not slot.part:
            values[pdf_name(slot.path)] = (
                None if value is None else ("yes" if value else "no")
            )
        else:
            values[pdf_name(slot.path)] = None if value in (None, "") else str(value)
    return values


def page_text(pdf: bytes) -> str:
    result = subprocess.run(
        ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True
    )
    return result.stdout.decode("utf-8")


def labels(template: Template) -> list[str]:
    """Return the Chinese titles and labels a form prints."""
    texts = [template.title.zh]
    for section in template.sections:
        texts.append(section.title.zh)
        fields = (
            section.columns if isinstance(section, TableSection) else section.fields
        )
        texts += [label_text(f.label, "zh", f.key) for f in fields]
        if isinstance(section, GroupSection):
            texts += [section.repeat_title(i).zh for i in range(section.repeat)]
    return texts


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def page_count(pdf: bytes) -> int:
    # Page dictionaries may sit in a compressed object stream, out of a regex's sight.
    return len(PdfReader(io.BytesIO(pdf)).pages)


@pytest.mark.parametrize("filled", [False, True], ids=["blank", "filled"])
@pytest.mark.parametrize(("where", "template_id"), CASES)
def test_render__one_field_per_input(catalogs, rendered, where, template_id, filled):
    loaded = catalogs[where].get_loaded(template_id)

    fields = read_fields(rendered(loaded, filled))

    kinds = {name: info.kind for name, info in fields.items()}
    assert kinds == expected_fields(loaded.template)
    assert all(flags & 4 for info in fields.values() for flags in info.widget_flags)


@pytest.mark.parametrize(("where", "template_id"), CASES)
def test_render__prefilled_values_read_back(catalogs, rendered, where, template_id):
    loaded = catalogs[where].get_loaded(template_id)
    if not loaded.sample_file.exists():
        pytest.skip("no sample record")

    fields = read_fields(rendered(loaded, True))

    got = {name: info.value for name, info in fields.items()}
    blank = {
        name: info.value for name, info in read_fields(rendered(loaded, False)).items()
    }
    assert got == expected_values(loaded.template, sample(loaded))
    assert all(value in (None, False) for value in blank.values())


@pytest.mark.parametrize("filled", [False, True], ids=["blank", "filled"])
@pytest.mark.parametrize(("where", "template_id"), CASES)
def test_render__labels_size_identity(catalogs, rendered, where, template_id, filled):
    loaded = catalogs[where].get_loaded(template_id)
    pdf = rendered(loaded, filled)

    text = squeeze(page_text(pdf))

    missing = [label for label in labels(loaded.template) if squeeze(label) not in text]
    assert missing == []
    budget = BUDGET_TWO_PAGES + BUDGET_PER_PAGE * max(0, page_count(pdf) - 2)
    assert len(pdf) < budget
    template = loaded.template
    assert read_identity(pdf) == (template.id, template.version, template.fingerprint)


def test_render__fixtures_cover_every_type(fixture_catalog):
    used = {
        field.type
        for loaded in fixture_catalog.latest()
        for section in loaded.template.sections
        for field in (
            section.columns if isinstance(section, TableSection) else section.fields
        )
    }

    assert used == set(FIELD_TYPES)
    assert set(KIND_OF_TYPE) == set(FIELD_TYPES)


def test_render__label_printed_literally(fixture_catalog, rendered):
    loaded = fixture_catalog.get_loaded("counselling")

    html, _ = render_html(loaded.template)
    text = page_text(rendered(loaded, False))

    assert "{{ 7*7 }} &lt;b&gt;户口&lt;/b&gt;" in html
    assert "{{7*7}}<b>户口</b>" in squeeze(text)
    assert "49" not in text


def test_render__unknown_language_rejected(fixture_catalog):
    loaded = fixture_catalog.get_loaded("course-enrolment")

    with pytest.raises(ValueError) as caught:
        render_html(loaded.template, language="fr")

    assert str(caught.value) == "language must be one of zh, en, both, not 'fr'"


def test_render__english_labels(fixture_catalog):
    loaded = fixture_catalog.get_loaded("counselling")

    with pytest.warns(Warning) as caught:
        html, _ = render_html(loaded.template, language="en")

    assert "Counselling intake" in html and "Page " not in html
    assert {type(w.message).__name__ for w in caught} == {"MissingTranslationWarning"}


def test_render__old_weasyprint_rejected(monkeypatch):
    monkeypatch.setattr(weasyprint, "__version__", "60.2")

    with pytest.raises(SystemDependencyError) as caught:
        check_weasyprint()

    assert str(caught.value) == (
        "WeasyPrint 60.2 is older than 66.0, the first release this renderer "
        "supports for radio buttons and select boxes in PDF forms; install "
        "WeasyPrint 66.0 or newer (pip install 'weasyprint>=66.0')"
    )
