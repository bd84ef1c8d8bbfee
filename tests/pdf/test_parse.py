"""Reading filled PDF forms back: every template, real fillers, damaged files."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest
import weasyprint
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject

from engine.errors import FormFileError
from engine.fillers.pdf_fill import fill_with_pdftk, fill_with_pypdf
from engine.fillers.pdf_values import pdf_fill_values
from engine.parse import parse_bytes, parse_file
from engine.pdf import render_pdf
from engine.spec.loader import Catalog, LoadedTemplate
from engine.spec.model import FIELD_TYPES, STATIC_TYPES
from tests.conftest import INDUSTRIES

CATALOG = Catalog.load(INDUSTRIES)
ALL_TYPES_ROOT = Path(__file__).resolve().parent.parent / "word" / "fixtures" / "forms"
ALL_TYPES = Catalog.load(ALL_TYPES_ROOT)
FORMS = [*CATALOG.latest(), ALL_TYPES.get_loaded("word-all-types")]
IDS = [f.template.id for f in FORMS]


def catalog_for(loaded: LoadedTemplate) -> Catalog:
    return ALL_TYPES if loaded.file.is_relative_to(ALL_TYPES_ROOT) else CATALOG


def sample(loaded: LoadedTemplate) -> dict:
    return json.loads(loaded.sample_file.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def blanks(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("blank-pdf")
    paths = {}
    for loaded in FORMS:
        path = folder / f"{loaded.template.id}.pdf"
        path.write_bytes(render_pdf(loaded.template))
        paths[loaded.template.id] = path
    return paths


def test_all_types_fixture_has_every_field_type() -> None:
    used = {
        field.type
        for section in ALL_TYPES.get("word-all-types").sections
        for field in getattr(section, "fields", getattr(section, "columns", []))
    }

    assert set(FIELD_TYPES) - set(STATIC_TYPES) <= used


@pytest.mark.parametrize("loaded", FORMS, ids=IDS)
def test_prefilled_pdf_reads_back_as_the_record(loaded: LoadedTemplate) -> None:
    values = sample(loaded)

    record = parse_bytes(
        render_pdf(loaded.template, values), Path("f.pdf"), catalog_for(loaded)
    )

    assert record.problems == []
    assert record.values == values


@pytest.mark.parametrize("loaded", FORMS, ids=IDS)
def test_pdf_filled_by_pdftk_reads_back_as_typed(
    loaded: LoadedTemplate, blanks: dict[str, Path], tmp_path: Path
) -> None:
    values = sample(loaded)
    export = pdf_fill_values(loaded.template, values, radio_by_option=True)
    target = tmp_path / "pdftk.pdf"

    fill_with_pdftk(blanks[loaded.template.id], target, export, tmp_path)
    record = parse_file(target, catalog_for(loaded))

    assert record.problems == []
    assert record.values == values


@pytest.mark.parametrize("loaded", FORMS, ids=IDS)
def test_pdf_filled_by_pypdf_reads_back_as_typed(
    loaded: LoadedTemplate, blanks: dict[str, Path], tmp_path: Path
) -> None:
    values = sample(loaded)
    target = tmp_path / "pypdf.pdf"

    fill_with_pypdf(
        blanks[loaded.template.id], target, pdf_fill_values(loaded.template, values)
    )
    record = parse_file(target, catalog_for(loaded))

    assert record.problems == []
    assert record.values == values


def _counselling(blanks: dict[str, Path]) -> tuple[LoadedTemplate, bytes]:
    loaded = CATALOG.get_loaded("counselling-client")
    return loaded, blanks["counselling-client"].read_bytes()


def _rewrite(data: bytes, change) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    change(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_radio_set_only_on_a_kid_resolves_through_opt(blanks: dict[str, Path]) -> None:
    loaded = CATALOG.get_loaded("beauty-client")
    data = blanks["beauty-client"].read_bytes()

    def tick_second_kid(writer: PdfWriter) -> None:
        for reference in writer.root_object["/AcroForm"]["/Fields"]:
            group = reference.get_object()
            if group["/T"] == "basic/gender":
                group.pop("/V", None)
                kids = [k.get_object() for k in group["/Kids"]]
                kids[1][NameObject("/AS")] = NameObject("/1")

    record = parse_bytes(_rewrite(data, tick_second_kid), Path("kid.pdf"), CATALOG)

    assert (
        record.values["basic"]["gender"]
        == loaded.template.sections[0].fields[2].options[1].key
    )


def test_flattened_pdf_is_an_error(blanks: dict[str, Path]) -> None:
    _, data = _counselling(blanks)

    def drop_form(writer: PdfWriter) -> None:
        del writer.root_object["/AcroForm"]
        for page in writer.pages:
            page.pop("/Annots", None)

    with pytest.raises(FormFileError, match="has no form fields: it was flattened"):
        parse_bytes(_rewrite(data, drop_form), Path("flat.pdf"), CATALOG)


def test_pdf_not_made_by_us_says_so() -> None:
    data = weasyprint.HTML(string="<p>客户档案</p>").write_pdf()

    with pytest.raises(FormFileError, match="not made by dangan"):
        parse_bytes(data, Path("other.pdf"), CATALOG)


def test_encrypted_pdf_is_an_error(blanks: dict[str, Path]) -> None:
    _, data = _counselling(blanks)

    def encrypt(writer: PdfWriter) -> None:
        writer.encrypt(
            user_password="secret", owner_password="owner", algorithm="AES-128"
        )

    with pytest.raises(FormFileError, match="the PDF is encrypted"):
        parse_bytes(_rewrite(data, encrypt), Path("locked.pdf"), CATALOG)


def test_truncated_pdf_is_an_error(blanks: dict[str, Path]) -> None:
    _, data = _counselling(blanks)

    with pytest.raises(
        FormFileError, match="damaged or truncated|not made by dangan|no form fields"
    ):
        parse_bytes(data[: len(data) // 3], Path("cut.pdf"), CATALOG)


def test_form_of_an_older_version_parses_with_that_version(tmp_path: Path) -> None:
    declaration = (INDUSTRIES / "beauty-client.yaml").read_text(encoding="utf-8")
    (tmp_path / "old.yaml").write_text(declaration, encoding="utf-8")
    newer = declaration.replace("version: 1", "version: 2", 1)
    (tmp_path / "new.yaml").write_text(newer, encoding="utf-8")
    shutil.copytree(INDUSTRIES / "common", tmp_path / "common")
    both = Catalog.load(tmp_path)
    old = both.get("beauty-client", 1)
    (tmp_path / "old.yaml").unlink()
    only_new = Catalog.load(tmp_path)
    data = render_pdf(old)

    record = parse_bytes(data, Path("v1.pdf"), both)

    assert record.version == 1
    with pytest.raises(FormFileError, match="version 1, but .* has version\\(s\\) 2"):
        parse_bytes(data, Path("v1.pdf"), only_new)
