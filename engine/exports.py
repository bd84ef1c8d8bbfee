"""Tables of records: one CSV and one XLSX per template, a column per field path.

`RecordTables` takes records one at a time and keeps only a small index in memory:
rows wait, already encoded, in an unnamed temporary file until `close` writes the
tables sorted by source. A batch of thousands of forms so needs no more memory than
a batch of ten.
"""

from __future__ import annotations

import codecs
import csv
import io
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from engine import xlsx
from engine.atomic import open_atomic
from engine.spec.flat import flatten_record
from engine.spec.memo import per_object
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


@per_object
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


@dataclass(frozen=True)
class TableLine:
    """One record's lines of every table, encoded where the record was read."""

    # The record's source: the tables list records in its order.
    source: str
    csv: bytes
    # The record's row of the records sheet and its rows of the errors sheet.
    row: bytes
    error_rows: bytes
    error_count: int


def _csv_line(values: list[Any]) -> bytes:
    text = io.StringIO()
    csv.writer(text).writerow(values)
    return text.getvalue().encode("utf-8")


def table_line(template: Template, record: dict[str, Any]) -> TableLine:
    """Return the lines of a record in the CSV, the records sheet and the errors sheet."""
    values = _row(_header(template)[1], template, record)
    errors = _error_rows(record)
    return TableLine(
        record["source"],
        _csv_line(values),
        xlsx.row_xml(values),
        b"".join(xlsx.row_xml(error) for error in errors),
        len(errors),
    )


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
        self.header = _header(template)[0]
        # Lines wait in the spool. The index keeps, for each record, the sort key
        # (source, arrival) and where its three lines are.
        self._spool = tempfile.TemporaryFile()
        self._spool_size = 0
        self._index: list[tuple[str, int, int, int, int, int]] = []
        self._errors = 0

    def add(self, record: dict[str, Any]) -> None:
        """Keep the table lines of one record until `close`."""
        self.add_line(table_line(self.template, record))

    def add_line(self, line: TableLine) -> None:
        """Keep lines made by `table_line`, for instance in a worker process."""
        # The offset is counted rather than asked of the file: a seek flushes its
        # buffer, a system call for every record.
        offset = self._spool_size
        self._spool.write(line.csv + line.row + line.error_rows)
        sizes = (len(line.csv), len(line.row), len(line.error_rows))
        self._index.append((line.source, len(self._index), offset, *sizes))
        self._spool_size += sum(sizes)
        self._errors += line.error_count

    def _sorted(self, part: int) -> Iterator[bytes]:
        """Yield one part of each record's lines (0 CSV, 1 row, 2 error rows), by source."""
        self._spool.flush()
        for _, _, offset, *sizes in sorted(self._index):
            self._spool.seek(offset + sum(sizes[:part]))
            yield self._spool.read(sizes[part])

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
        """Delete the lines kept so far."""
        self._spool.close()

    def write_csv(self, path: Path) -> Path:
        """Write the rows sorted by source as CSV, in UTF-8 with a byte-order mark."""
        with open_atomic(path) as stream:
            stream.write(codecs.BOM_UTF8 + _csv_line(self.header))
            for line in self._sorted(0):
                stream.write(line)
        return path

    def write_xlsx(self, path: Path) -> Path:
        """Write a sheet of rows sorted by source and a sheet of errors."""
        sheets = [
            xlsx.Sheet("records", self.header, self._sorted(1), len(self._index), "B2"),
            xlsx.Sheet("errors", list(ERROR_COLUMNS), self._sorted(2), self._errors),
        ]
        with open_atomic(path) as stream:
            xlsx.write_workbook(stream, sheets)
        return path


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
