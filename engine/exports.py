"""Tables of records: one CSV and one XLSX per template, a column per field path."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from engine.atomic import write_bytes_atomic
from engine.spec.flat import flatten_record
from engine.spec.model import Template
from engine.spec.slots import template_slots

META_COLUMNS = ("source", "sha256", "valid", "errors")


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


def table_rows(
    template: Template, records: list[dict[str, Any]]
) -> tuple[list[str], list[list[Any]]]:
    """Return the header and one row per record."""
    paths = [slot.path for slot in template_slots(template)]
    header = [*META_COLUMNS, *paths]
    rows = []
    for record in records:
        flat = flatten_record(template, record["values"])
        meta = [
            record["source"],
            record["sha256"],
            "yes" if record["valid"] else "no",
            len(record["errors"]),
        ]
        rows.append(meta + [_cell(flat.get(path)) for path in paths])
    return header, rows


def write_csv(template: Template, records: list[dict[str, Any]], path: Path) -> Path:
    """Write records as CSV in UTF-8 with a byte-order mark, which Excel needs for Chinese."""
    header, rows = table_rows(template, records)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return write_bytes_atomic(path, buffer.getvalue().encode("utf-8-sig"))


def write_xlsx(template: Template, records: list[dict[str, Any]], path: Path) -> Path:
    """Write a workbook with a sheet of records and a sheet of errors."""
    header, rows = table_rows(template, records)
    book = Workbook()
    sheet = book.active
    sheet.title = "records"
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    sheet.freeze_panes = "B2"
    errors = book.create_sheet("errors")
    errors.append(["source", "sha256", "path", "message", "value"])
    for record in records:
        for error in record["errors"]:
            errors.append(
                [
                    record["source"],
                    record["sha256"],
                    error["path"],
                    error["message"],
                    _cell(error["value"]),
                ]
            )
    buffer = io.BytesIO()
    book.save(buffer)
    return write_bytes_atomic(path, buffer.getvalue())
