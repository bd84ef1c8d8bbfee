"""Write XLSX workbooks of plain text and number cells, row by row.

A batch table has a few hundred columns and thousands of rows. openpyxl builds a
cell object per value, which cost about 5 µs a cell. For a batch of 2,000 forms
that was 2.5 s of 9 s on two cores, all of it after the last form was read.
Here a row becomes its SpreadsheetML once, as bytes, in the worker process that
read the form, and writing the workbook only joins those bytes and compresses them.

Every text is an inline string (`t="inlineStr"`), so a value such as "=1+1" stays
text instead of becoming a formula. Rows and cells carry no `r` reference, which
SpreadsheetML allows: each takes the next position, and every value is written,
the empty ones as `<c/>`, so that columns stay aligned.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO, Any
from xml.sax.saxutils import escape

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
SHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
WORKBOOK_TYPE = (
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
)
STYLES_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"
# Characters XML 1.0 cannot carry, not even escaped. SpreadsheetML writes them as
# `_xHHHH_`, which LibreOffice Calc turns back into the character (tests/test_xlsx.py).
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# Text that already reads like such an escape: its underscore is escaped in turn, so
# a typed "_x0041_" is not shown as "A".
LOOKS_ESCAPED = re.compile("_(x[0-9A-Fa-f]{4}_)")
# A lone surrogate cannot be written in UTF-8 at all.
SURROGATE = re.compile("[\ud800-\udfff]")
# The maximum characters Excel keeps in one cell (its published limit). A longer
# text is cut here, and its record keeps it whole.
MAX_CELL_TEXT = 32767

STYLES = (
    f'<styleSheet xmlns="{MAIN}">'
    '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border>'
    "</borders>"
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
    "</cellStyleXfs>"
    '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" '
    'xfId="0"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/>'
    "</cellStyles></styleSheet>"
)


def cell_xml(value: Any) -> str:
    """Return the SpreadsheetML of one cell: a number, an inline string or empty."""
    if value is None or value == "":
        return "<c/>"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f"<c><v>{value}</v></c>"
    text = LOOKS_ESCAPED.sub(r"_x005F_\1", str(value))
    text = NOT_XML.sub(lambda m: f"_x{ord(m.group()):04X}_", text)
    text = SURROGATE.sub("\ufffd", text)[:MAX_CELL_TEXT]
    space = ' xml:space="preserve"' if text != text.strip() else ""
    return f'<c t="inlineStr"><is><t{space}>{escape(text)}</t></is></c>'


def row_xml(values: Iterable[Any]) -> bytes:
    """Return the SpreadsheetML of one row of values."""
    return ("<row>" + "".join(cell_xml(v) for v in values) + "</row>").encode("utf-8")


@dataclass
class Sheet:
    """One worksheet: its title, header and rows, each row from `row_xml`."""

    title: str
    header: list[str]
    rows: Iterable[bytes]
    row_count: int
    # The top-left cell of the scrolling part, as "B2". None freezes nothing.
    freeze: str | None = None


def column_letters(number: int) -> str:
    """Return a column's letters from its number, counted from 1: 28 is "AB"."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def column_number(letters: str) -> int:
    """Return a column's number, counted from 1, from its letters: "AB" is 28."""
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


# Not openpyxl's helpers: importing openpyxl imports NumPy, which slows every
# later Word form a batch worker reads (engine/paper/detect.py explains why).
def _sheet_start(sheet: Sheet) -> str:
    size = f"A1:{column_letters(max(1, len(sheet.header)))}{1 + sheet.row_count}"
    view = '<sheetView workbookViewId="0"/>'
    if sheet.freeze is not None:
        column = sheet.freeze.rstrip("0123456789")
        row = int(sheet.freeze[len(column) :])
        split = column_number(column) - 1
        view = (
            '<sheetView workbookViewId="0">'
            f'<pane xSplit="{split}" ySplit="{row - 1}" topLeftCell="{sheet.freeze}"'
            ' activePane="bottomRight" state="frozen"/>'
            '<selection pane="bottomRight"/></sheetView>'
        )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<worksheet xmlns="{MAIN}"><dimension ref="{size}"/>'
        f"<sheetViews>{view}</sheetViews>"
        '<sheetFormatPr defaultRowHeight="15"/><sheetData>'
    )


def _package_parts(sheets: list[Sheet]) -> dict[str, str]:
    count = len(sheets)
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="{SHEET_TYPE}"/>'
        for n in range(1, count + 1)
    )
    sheet_list = "".join(
        f'<sheet name="{escape(s.title)}" sheetId="{n}" r:id="rId{n}"/>'
        for n, s in enumerate(sheets, start=1)
    )
    sheet_rels = "".join(
        f'<Relationship Id="rId{n}" Type="{RELATIONSHIPS}/worksheet" '
        f'Target="worksheets/sheet{n}.xml"/>'
        for n in range(1, count + 1)
    )
    head = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    return {
        "[Content_Types].xml": head
        + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{WORKBOOK_TYPE}"/>'
        f'<Override PartName="/xl/styles.xml" ContentType="{STYLES_TYPE}"/>'
        f"{overrides}</Types>",
        "_rels/.rels": head + f'<Relationships xmlns="{PACKAGE_RELATIONSHIPS}">'
        f'<Relationship Id="rId1" Type="{RELATIONSHIPS}/officeDocument" '
        'Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": head + f'<workbook xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}">'
        f"<sheets>{sheet_list}</sheets></workbook>",
        "xl/_rels/workbook.xml.rels": head
        + f'<Relationships xmlns="{PACKAGE_RELATIONSHIPS}">{sheet_rels}'
        f'<Relationship Id="rId{count + 1}" Type="{RELATIONSHIPS}/styles" '
        'Target="styles.xml"/></Relationships>',
        "xl/styles.xml": head + STYLES,
    }


def write_workbook(stream: IO[bytes], sheets: list[Sheet]) -> None:
    """Write a workbook of `sheets` to a binary stream, each sheet's rows in order."""
    with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as package:
        for name, text in _package_parts(sheets).items():
            package.writestr(name, text.encode("utf-8"))
        for number, sheet in enumerate(sheets, start=1):
            with package.open(f"xl/worksheets/sheet{number}.xml", "w") as part:
                part.write(_sheet_start(sheet).encode("utf-8"))
                part.write(row_xml(sheet.header))
                for row in sheet.rows:
                    part.write(row)
                part.write(b"</sheetData></worksheet>")
