"""`dangan render --format paper` and `dangan parse` of scanned images."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from engine.batch import collect_files
from engine.cli import app
from engine.errors import FormFileError
from engine.paper.synthetic import to_file
from engine.parse import detect_format, read_form
from engine.spec.loader import Catalog
from tests.paper.conftest import FIXTURES, written_scan

runner = CliRunner()


def test_render_paper_writes_a_pdf(tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        [
            "render",
            "course-enrolment",
            "--format",
            "paper",
            "-o",
            str(tmp_path),
            "--root",
            str(FIXTURES),
        ],
    )

    assert result.exit_code == 0, result.output
    assert (
        (tmp_path / "course-enrolment-v1-paper.pdf").read_bytes().startswith(b"%PDF-")
    )


def test_parse_a_scan_writes_the_record_and_pictures_to_review(
    paper_catalog: Catalog,
    drawn: Callable[[str, int], list[np.ndarray]],
    tmp_path: Path,
) -> None:
    contents = {
        "t:basic.child": "李一文",
        "c:basic.gender=女": "tick",
        "c:basic.extras=trial": "fill",
        "c:basic.gender=男": "fill",
    }
    pages = written_scan(
        paper_catalog, drawn("course-enrolment", 200), contents, "course-enrolment"
    )
    scan = tmp_path / "in" / "scan.jpg"
    scan.parent.mkdir()
    scan.write_bytes(to_file(pages, "jpeg"))
    out = tmp_path / "out"

    result = runner.invoke(
        app,
        [
            "parse",
            str(scan.parent),
            "-o",
            str(out),
            "--root",
            str(FIXTURES),
            "--workers",
            "1",
        ],
    )

    assert result.exit_code == 0, result.output
    [record_file] = (out / "records").glob("scan.*.json")
    record = json.loads(record_file.read_text(encoding="utf-8"))
    assert record["format"] == "scan"
    assert record["values"]["basic"]["child"] == "李一文"
    assert record["values"]["basic"]["gender"] == "女"
    assert set(record["confidence"]) >= {"basic.child", "basic.gender", "basic.extras"}
    for entry in record["review"]:
        assert (record_file.with_suffix(".review") / entry["image"]).is_file()


def test_images_are_forms_to_collect_and_read(tmp_path: Path) -> None:
    for name in ("a.png", "b.JPG", "c.tiff", "d.txt"):
        (tmp_path / name).write_bytes(b"")

    assert [p.name for p in collect_files([tmp_path])] == ["a.png", "b.JPG", "c.tiff"]


def test_pdf_without_images_or_identity_is_not_a_scan() -> None:
    import weasyprint

    from engine.paper.detect import is_scan

    assert not is_scan(weasyprint.HTML(string="<p>客户档案</p>").write_pdf())
    assert detect_format(b"%PDF-1.7") == "pdf"


def test_image_without_our_qr_code_says_so() -> None:
    blank = np.full((1754, 1240), 255, dtype=np.uint8)  # A4 at 150 dpi

    with pytest.raises(FormFileError) as caught:
        read_form(to_file([blank], "png"), Path("photo.png"))

    assert str(caught.value).startswith(
        "photo.png: page 1 of the scan: no readable dangan QR code"
    )


def test_image_too_small_for_a_page_says_so() -> None:
    tiny = np.full((20, 30), 255, dtype=np.uint8)

    with pytest.raises(FormFileError) as caught:
        read_form(to_file([tiny], "png"), Path("icon.png"))

    assert str(caught.value) == (
        "icon.png: page 1 of the scan: the page is only 30x20 pixels, too small for "
        "an A4 sheet; scan it at 150 to 600 dpi"
    )
