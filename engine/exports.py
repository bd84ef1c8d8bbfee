"""Tables of records: one CSV and one XLSX per template, a column per field path.

`RecordTables` takes records one at a time and keeps only a small index in memory:
rows wait in an unnamed temporary file until `close` writes the tables sorted by
source. A batch of thousands of forms so needs no more memory than a batch of ten.
"""

from __future__ import annotations

import csv
import io
import json
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from engine.atomic import open_atomic
from engine.spec.flat import flatten_record
from engine.spec.model import Template
from engine.spec.slots import template_slots

META_COLUMNS = ("source", "sha256", "valid", "errors")
ERROR_COLUMNS = ("source", "sha256", "path", "message", "value")


def _cell(value: Any) -> str | int:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    if isinstance(value, int):
        return value
    return str(value)


def _header(template: Template) -> tuple[list[str], list[str]]:
    paths = [slot.path for slot in template_slots(template)]
    return [*META_COLUMNS, *paths], paths


def _row(paths: list[str], template: Template, record: dict[str, Any]) -> list[Any]:
    flat = flatten_record(template, record["values"])
    meta = [
        record["source"],
        record["sha256"],
        "yes" if record["valid"] else "no",
        len(record["errors"]),
    ]
    return meta + [_cell(flat.get(path)) for path in paths]


def _error_rows(record: dict[str, Any]) -> list[list[Any]]:
    return [
        [
            record["source"],
            record["sha256"],
            error["path"],
            error["message"],
            _cell(error["value"]),
        ]
        for error in record["errors"]
    ]


def table_rows(
    template: Template, records: list[dict[str, Any]]
) -> tuple[list[str], list[list[Any]]]:
    """Return the header and one row per record."""
    header, paths = _header(template)
    return header, [_row(paths, template, record) for record in records]


class RecordTables:
    """The CSV and XLSX of one template's records, fed one record at a time."""

    def __init__(self, template: Template, stem: Path, formats: Iterable[str]) -> None:
        self.template = template
        self.stem = stem
        self.formats = tuple(formats)
        self.header, self._paths = _header(template)
        # Rows wait as JSON lines; the index keeps (source, arrival, offset) of each.
        self._spool = tempfile.TemporaryFile()
        self._index: list[tuple[str, int, int]] = []
        self._errors = 0

    def add(self, record: dict[str, Any]) -> None:
        """Keep the table row and error rows of one record until `close`."""
        line = [_row(self._paths, self.template, record), _error_rows(record)]
        offset = self._spool.seek(0, io.SEEK_END)
        self._spool.write(json.dumps(line, ensure_ascii=False).encode("utf-8") + b"\n")
        self._index.append((record["source"], len(self._index), offset))
        self._errors += len(line[1])

    def _sorted(self) -> Iterable[tuple[list[Any], list[list[Any]]]]:
        for _, _, offset in sorted(self._index):
            self._spool.seek(offset)
            row, errors = json.loads(self._spool.readline())
            yield row, errors

    def close(self) -> list[Path]:
        """Write the tables named in `formats`; return the paths written."""
        written = []
        try:
            if "csv" in self.formats:
                written.append(self.write_csv(self.stem.with_suffix(".csv")))
            if "xlsx" in self.formats:
                written.append(self.write_xlsx(self.stem.with_suffix(".xlsx")))
        finally:
            self.discard()
        return written

    def discard(self) -> None:
        """Delete the rows kept so far."""
        self._spool.close()

    def write_csv(self, path: Path) -> Path:
        """Write the rows sorted by source as CSV, in UTF-8 with a byte-order mark."""
        with open_atomic(path) as stream:
            text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
            writer = csv.writer(text)
            writer.writerow(self.header)
            writer.writerows(row for row, _ in self._sorted())
            text.flush()
            text.detach()
        return path

    def write_xlsx(self, path: Path) -> Path:
        """Write a sheet of rows sorted by source and a sheet of errors."""
        # A write-only workbook streams its rows to disk instead of holding cells.
        book = Workbook(write_only=True)
        sheet = _sheet(book, "records", len(self.header), 1 + len(self._index))
        sheet.freeze_panes = "B2"
        sheet.append(self.header)
        for row, _ in self._sorted():
            sheet.append(row)
        errors = _sheet(book, "errors", len(ERROR_COLUMNS), 1 + self._errors)
        errors.append(list(ERROR_COLUMNS))
        for _, error_rows in self._sorted():
            for error_row in error_rows:
                errors.append(error_row)
        with open_atomic(path) as stream:
            book.save(stream)
        return path


def _sheet(book: Workbook, title: str, columns: int, rows: int) -> Any:
    """Return a write-only sheet that declares its size, as a normal sheet does."""
    sheet = book.create_sheet(title)
    # NOTE: openpyxl writes <dimension> only for a sheet with `calculate_dimension`,
    # and readers such as its read-only mode take the sheet's size from it.
    size = f"A1:{get_column_letter(columns)}{rows}"
    sheet.calculate_dimension = lambda: size
    return sheet


def _tables_of(template: Template, records: list[dict[str, Any]]) -> RecordTables:
    tables = RecordTables(template, Path(), ())
    for record in records:
        tables.add(record)
    return tables


def write_csv(template: Template, records: list[dict[str, Any]], path: Path) -> Path:
    """Write records as CSV in UTF-8 with a byte-order mark, which Excel needs for Chinese."""
    tables = _tables_of(template, records)
    try:
        return tables.write_csv(path)
    finally:
        tables.discard()


def write_xlsx(template: Template, records: list[dict[str, Any]], path: Path) -> Path:
    """Write a workbook with a sheet of records and a sheet of errors."""
    tables = _tables_of(template, records)
    try:
        return tables.write_xlsx(path)
    finally:
        tables.discard()
