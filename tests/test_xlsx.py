"""The XLSX writer: what openpyxl and LibreOffice Calc read back from its workbooks."""

from __future__ import annotations

import csv
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from engine import xlsx

HEADER = ["source", "姓名", "年龄", "备注"]
ROWS = [
    ["a.docx", "张三", 35, "=1+1"],
    ["b.docx", "  李四 ", None, "第一行\n第二行"],
    ["c.docx", "王\x01五", "", 'a<b & "c"'],
    ["d.docx", "_x0041_", 7, "_x0041__x000D_"],
]


def _workbook(path: Path) -> Path:
    sheets = [
        xlsx.Sheet("records", HEADER, (xlsx.row_xml(r) for r in ROWS), len(ROWS), "B2"),
        xlsx.Sheet("errors", ["path"], iter(()), 0),
    ]
    with open(path, "wb") as stream:
        xlsx.write_workbook(stream, sheets)
    return path


def test_openpyxl_reads_every_value(tmp_path: Path) -> None:
    book = openpyxl.load_workbook(_workbook(tmp_path / "t.xlsx"))
    sheet = book["records"]

    rows = [list(row) for row in sheet.iter_rows(values_only=True)]

    assert book.sheetnames == ["records", "errors"]
    assert rows[0] == HEADER
    assert rows[1] == ["a.docx", "张三", 35, "=1+1"]
    assert rows[2] == ["b.docx", "  李四 ", None, "第一行\n第二行"]
    # openpyxl leaves SpreadsheetML's _xHHHH_ escapes as they are written.
    assert rows[3] == ["c.docx", "王_x0001_五", None, 'a<b & "c"']
    assert rows[4] == ["d.docx", "_x005F_x0041_", 7, "_x005F_x0041__x005F_x000D_"]
    assert sheet.freeze_panes == "B2"
    assert sheet["D2"].data_type == "s"


def test_empty_sheet_has_only_its_header(tmp_path: Path) -> None:
    book = openpyxl.load_workbook(_workbook(tmp_path / "t.xlsx"), read_only=True)

    rows = [list(row) for row in book["errors"].iter_rows(values_only=True)]

    assert rows == [["path"]]


def test_long_text_is_cut_to_excel_cell_limit() -> None:
    cell = xlsx.cell_xml("字" * (xlsx.MAX_CELL_TEXT + 10))

    assert cell.count("字") == xlsx.MAX_CELL_TEXT


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
def test_libreoffice_calc_opens_workbook(tmp_path: Path) -> None:
    workbook = _workbook(tmp_path / "t.xlsx")
    profile = (tmp_path / "profile").as_uri()

    subprocess.run(
        ["soffice", f"-env:UserInstallation={profile}", "--headless"]
        + ["--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76", str(workbook)]
        + ["--outdir", str(tmp_path)],
        check=True,
        capture_output=True,
        timeout=120,
    )

    with open(tmp_path / "t.csv", encoding="utf-8", newline="") as stream:
        rows = list(csv.reader(stream))
    assert rows[0] == HEADER
    assert rows[1] == ["a.docx", "张三", "35", "=1+1"]
    assert rows[2] == ["b.docx", "  李四 ", "", "第一行\n第二行"]
    assert rows[3][1] == "王\x01五"
    assert rows[4] == ["d.docx", "_x0041_", "7", "_x0041__x000D_"]


def test_column_letters_agree_with_openpyxl() -> None:
    from openpyxl.utils import column_index_from_string, get_column_letter

    for number in list(range(1, 1000)) + [16383, 16384]:
        letters = xlsx.column_letters(number)
        assert letters == get_column_letter(number)
        assert xlsx.column_number(letters) == column_index_from_string(letters)
