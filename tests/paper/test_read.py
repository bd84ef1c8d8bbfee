"""Reading synthetic scans of paper forms back into validated records."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from engine.errors import FormFileError
from engine.paper import ocr
from engine.paper.layout import blank_layout
from engine.paper.marks import MARK_CENTRES, QR_LEFT, QR_SIZE, QR_TOP
from engine.paper.read import REVIEW_THRESHOLD
from engine.paper.synthetic import (
    BRUSH_FONT,
    PRINT_FONT,
    box_contents,
    compare,
    to_file,
)
from engine.parse import parse_bytes
from engine.spec.loader import Catalog
from engine.spec.slots import template_slots
from tests.paper.conftest import (
    SPOILED,
    record_contents,
    sample,
    written_scan,
)

Drawn = Callable[[str, int], list[np.ndarray]]
ONE_PAGE = "course-enrolment"
TWO_PAGES = "counselling"


def _parse(catalog: Catalog, pages: list[np.ndarray], kind: str = "tiff"):
    return parse_bytes(to_file(pages, kind), Path(f"scan.{kind}"), catalog)


@pytest.mark.parametrize(
    ("font", "dpi", "minimum"),
    [
        (PRINT_FONT, 200, 0.98),
        (BRUSH_FONT, 200, 0.98),
        (PRINT_FONT, 150, 0.9),
        (BRUSH_FONT, 300, 0.95),
    ],
    ids=["print-200", "brush-200", "print-150", "brush-300"],
)
def test_scanned_record_reads_back(
    paper_catalog: Catalog, drawn: Drawn, font: str, dpi: int, minimum: float
) -> None:
    loaded = paper_catalog.get_loaded(TWO_PAGES)
    scanner = replace(SPOILED, dpi=dpi, blur=0.7 * dpi / 200)
    pages = written_scan(
        paper_catalog,
        drawn(TWO_PAGES, dpi),
        record_contents(paper_catalog, TWO_PAGES),
        TWO_PAGES,
        scanner,
        font,
    )

    record = _parse(paper_catalog, pages[::-1])
    outcome = compare(loaded.template, sample(loaded), record.values, record.confidence)

    assert record.format == "scan"
    assert outcome.wrong_boxes == []
    assert outcome.accuracy >= minimum, outcome.wrong
    unflagged = [w for w in outcome.wrong if w[3] is None or w[3] >= REVIEW_THRESHOLD]
    assert unflagged == []
    assert {w[0] for w in outcome.wrong} <= set(record.review)


def test_every_kind_of_mark_ticks_a_box(paper_catalog: Catalog, drawn: Drawn) -> None:
    contents = {
        "c:basic.gender=女": "cross",
        "c:basic.course=美术": "fill",
        "c:basic.extras=trial": "tick",
    }

    record = _parse(
        paper_catalog,
        written_scan(paper_catalog, drawn(ONE_PAGE, 200), contents, ONE_PAGE),
        "png",
    )

    assert record.values["basic"]["gender"] == "女"
    assert record.values["basic"]["course"] == "美术"
    assert record.values["basic"]["extras"] == ["trial"]
    assert all(
        record.confidence[p] >= REVIEW_THRESHOLD
        for p in ("basic.gender", "basic.extras")
    )


def test_filled_box_beside_a_tick_is_a_correction(
    paper_catalog: Catalog, drawn: Drawn
) -> None:
    contents = {"c:basic.gender=男": "fill", "c:basic.gender=女": "tick"}

    record = _parse(
        paper_catalog,
        written_scan(paper_catalog, drawn(ONE_PAGE, 200), contents, ONE_PAGE),
        "jpeg",
    )

    assert record.values["basic"]["gender"] == "女"
    assert any(
        note.startswith("basic.gender: 涂满的方框视为改选作废") for note in record.notes
    )


def test_two_ticks_in_a_single_choice_are_a_problem(
    paper_catalog: Catalog, drawn: Drawn
) -> None:
    contents = {"c:basic.gender=男": "tick", "c:basic.gender=女": "cross"}

    record = _parse(
        paper_catalog,
        written_scan(paper_catalog, drawn(ONE_PAGE, 200), contents, ONE_PAGE),
    )

    assert [p.path for p in record.problems] == ["basic.gender"]
    assert record.values["basic"]["gender"] is None


def test_blank_page_is_read_without_recognition(
    paper_catalog: Catalog, drawn: Drawn, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse() -> None:
        raise AssertionError("a blank box went to the recognizer")

    monkeypatch.setattr(ocr, "model", refuse)

    record = _parse(
        paper_catalog, written_scan(paper_catalog, drawn(ONE_PAGE, 200), {}, ONE_PAGE)
    )

    assert record.values == {
        "basic": {
            "child": None,
            "gender": None,
            "course": None,
            "extras": None,
            "notes": None,
        }
    }
    assert record.review == []
    assert set(record.confidence.values()) == {1.0}


def test_wrong_check_digit_is_an_error_not_a_value(
    paper_catalog: Catalog, drawn: Drawn
) -> None:
    contents = record_contents(paper_catalog, TWO_PAGES)
    contents["t:basic.id_no"] = "110105194912310021"

    record = _parse(
        paper_catalog,
        written_scan(paper_catalog, drawn(TWO_PAGES, 200), contents, TWO_PAGES),
    )

    assert record.values["basic"]["id_no"] is None
    assert [p.path for p in record.problems] == ["basic.id_no"]


def _blot(
    page: np.ndarray, dpi: int, left: float, top: float, size: float
) -> np.ndarray:
    page = page.copy()
    px = dpi / 25.4
    page[
        int(top * px) : int((top + size) * px), int(left * px) : int((left + size) * px)
    ] = 255
    return page


def test_damaged_qr_code_fails_that_page(paper_catalog: Catalog, drawn: Drawn) -> None:
    pages = list(drawn(TWO_PAGES, 200))
    pages[1] = _blot(pages[1], 200, QR_LEFT, QR_TOP, QR_SIZE / 2)

    with pytest.raises(FormFileError) as caught:
        _parse(paper_catalog, pages)

    assert str(caught.value) == (
        "scan.tiff: page 2 of the scan: no readable dangan QR code: it is damaged, "
        "covered or missing; rescan the page flat, or type this page's values by hand"
    )


def test_missing_corner_mark_fails_that_page(
    paper_catalog: Catalog, drawn: Drawn
) -> None:
    x, y = MARK_CENTRES[1]
    pages = [_blot(drawn(ONE_PAGE, 200)[0], 200, x - 5, y - 5, 10)]

    with pytest.raises(FormFileError) as caught:
        _parse(paper_catalog, pages, "png")

    assert str(caught.value) == (
        "scan.png: page 1 of the scan: the top-right corner mark is missing or covered; "
        "rescan the page with all four black corner squares visible"
    )


def test_missing_page_is_named(paper_catalog: Catalog, drawn: Drawn) -> None:
    with pytest.raises(
        FormFileError, match=r"page\(s\) 1 of 2 of the form are not in the scan"
    ):
        _parse(paper_catalog, drawn(TWO_PAGES, 200)[1:])


def test_upside_down_pages_in_a_scanned_pdf(
    paper_catalog: Catalog, drawn: Drawn
) -> None:
    scanner = replace(SPOILED, upside_down=True, rotation=-3.0)
    contents = {"t:basic.child": "欧阳娜娜", "c:basic.gender=女": "tick"}

    record = _parse(
        paper_catalog,
        written_scan(paper_catalog, drawn(ONE_PAGE, 200), contents, ONE_PAGE, scanner),
        "pdf",
    )

    assert record.values["basic"]["child"] == "欧阳娜娜"
    assert record.values["basic"]["gender"] == "女"


def test_review_values_carry_a_picture(paper_catalog: Catalog) -> None:
    layout = blank_layout(paper_catalog.get(ONE_PAGE))

    assert "t:basic.notes#3" in layout.boxes


@pytest.mark.parametrize("font", [PRINT_FONT, BRUSH_FONT], ids=["print", "brush"])
def test_lone_character_is_read_or_flagged(
    paper_catalog: Catalog, drawn: Drawn, font: str
) -> None:
    """十 and 一 alone in a box look like "+" and "-": right, or left for review."""
    loaded = paper_catalog.get_loaded(TWO_PAGES)
    values = sample(loaded)
    one_line = [
        slot
        for slot in template_slots(loaded.template)
        if slot.value_type == "text" and slot.part is None and slot.index is None
    ]
    for slot, character in zip(one_line, "十一十一", strict=False):
        values[slot.section.id][slot.field.key] = character
    pages = written_scan(
        paper_catalog,
        drawn(TWO_PAGES, 200),
        box_contents(loaded.template, values),
        TWO_PAGES,
        SPOILED,
        font,
    )

    record = _parse(paper_catalog, pages)

    for slot in one_line[:4]:
        expected = values[slot.section.id][slot.field.key]
        read = record.values[slot.section.id][slot.field.key]
        assert read == expected or slot.path in record.review, (slot.path, read)


def test_reading_of_look_alikes_only_is_doubted() -> None:
    assert ocr._only_look_alikes("+")
    assert ocr._only_look_alikes("-")
    assert ocr._only_look_alikes("I l")
    assert not ocr._only_look_alikes("十")
    assert not ocr._only_look_alikes("+86")
    assert not ocr._only_look_alikes("10000")
    assert not ocr._only_look_alikes("")
