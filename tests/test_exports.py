"""Record tables: CSV and XLSX written from records fed one at a time."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import openpyxl

from engine.batch import parse_batch
from engine.exports import RecordTables, table_rows, write_csv, write_xlsx
from engine.spec.loader import Catalog
from engine.word import write_docx
from tests.conftest import INDUSTRIES


def _record(source: str, values: dict, errors: list[dict]) -> dict:
    return {
        "template": "beauty-client",
        "version": 1,
        "source": source,
        "sha256": source.encode().hex().ljust(64, "0"),
        "valid": not errors,
        "values": values,
        "errors": errors,
    }


def _records(catalog: Catalog) -> list[dict]:
    loaded = catalog.get_loaded("beauty-client")
    values = json.loads(loaded.sample_file.read_text(encoding="utf-8"))
    problem = {"path": "basic.phone", "message": "不对 (invalid)", "value": "12"}
    return [
        _record("c.docx", values, []),
        _record("a.docx", values, [problem]),
        _record("b.docx", {}, [problem, {**problem, "value": True}]),
    ]


def _csv_rows(path: Path) -> list[list[str]]:
    text = path.read_bytes().decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline="")))


def _sheet(path: Path, name: str) -> list[list]:
    book = openpyxl.load_workbook(path, read_only=True)
    rows = [list(row) for row in book[name].iter_rows(values_only=True)]
    book.close()
    return rows


def test_record_tables_sort_rows_by_source(catalog: Catalog, tmp_path: Path) -> None:
    template = catalog.get("beauty-client")
    tables = RecordTables(template, tmp_path / "beauty-client-v1", ("csv", "xlsx"))

    for record in _records(catalog):
        tables.add(record)
    written = tables.close()

    header, rows = table_rows(
        template, sorted(_records(catalog), key=lambda r: r["source"])
    )
    assert written == [
        tmp_path / "beauty-client-v1.csv",
        tmp_path / "beauty-client-v1.xlsx",
    ]
    assert _csv_rows(written[0]) == [header] + [[str(c) for c in row] for row in rows]
    assert _sheet(written[1], "records") == [header] + [
        [None if c == "" else c for c in row] for row in rows
    ]


def test_record_tables_list_each_error(catalog: Catalog, tmp_path: Path) -> None:
    tables = RecordTables(catalog.get("beauty-client"), tmp_path / "t", ("xlsx",))

    for record in _records(catalog):
        tables.add(record)
    (path,) = tables.close()

    errors = _sheet(path, "errors")
    assert errors[0] == ["source", "sha256", "path", "message", "value"]
    assert [(row[0], row[2], row[4]) for row in errors[1:]] == [
        ("a.docx", "basic.phone", "12"),
        ("b.docx", "basic.phone", "12"),
        ("b.docx", "basic.phone", "yes"),
    ]


def test_write_csv_and_xlsx_keep_their_path(catalog: Catalog, tmp_path: Path) -> None:
    template = catalog.get("beauty-client")
    records = _records(catalog)

    csv_path = write_csv(template, records, tmp_path / "a.b.csv")
    xlsx_path = write_xlsx(template, records, tmp_path / "a.b.xlsx")

    assert csv_path.read_bytes().startswith("\ufeffsource,sha256".encode())
    assert len(_csv_rows(csv_path)) == 1 + len(records)
    book = openpyxl.load_workbook(xlsx_path, read_only=True)
    assert book.sheetnames == ["records", "errors"]
    assert book["records"].max_row == 1 + len(records)
    assert book["errors"].max_row == 1 + 3
    book.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.b.csv", "a.b.xlsx"]


def test_parse_batch_without_records_keeps_summaries(tmp_path: Path) -> None:
    catalog = Catalog.load(INDUSTRIES)
    loaded = catalog.get_loaded("beauty-client")
    values = json.loads(loaded.sample_file.read_text(encoding="utf-8"))
    form = write_docx(loaded.template, tmp_path / "in" / "form.docx", values=values)

    (outcome,) = parse_batch([form], INDUSTRIES, tmp_path / "out", keep_records=False)

    assert outcome.status == "valid"
    assert outcome.record is not None
    assert "values" not in outcome.record
    assert outcome.record["errors"] == []
    assert outcome.record["error_count"] == 0
    (record_file,) = (tmp_path / "out" / "records").glob("*.json")
    assert json.loads(record_file.read_text(encoding="utf-8"))["values"] == values
    assert len(_csv_rows(tmp_path / "out" / "beauty-client-v1.csv")) == 2
