"""The paper form: pages, identity, marks, QR codes and box geometry."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from pypdf import PdfReader

from engine.paper.align import find_qr
from engine.paper.detect import is_scan
from engine.paper.layout import blank_layout, paper_html
from engine.paper.marks import (
    MARK_CENTRES,
    MARK_SIZE,
    QR_LEFT,
    QR_SIZE,
    QR_TOP,
    PagePayload,
)
from engine.spec.loader import Catalog
from engine.spec.slots import template_slots


def test_every_page_carries_its_own_qr_payload(
    paper_catalog: Catalog, drawn: Callable[[str, int], list[np.ndarray]]
) -> None:
    template = paper_catalog.get("counselling")

    payloads = [find_qr(page)[0] for page in drawn("counselling", 150)]  # type: ignore[index]

    assert payloads == [
        PagePayload(
            "counselling", template.version, n, 2, "zh", template.fingerprint[:12]
        )
        for n in (1, 2)
    ]


def test_paper_pdf_names_its_template_and_is_read_as_a_scan(
    paper_pdf: Callable[[str], bytes], paper_catalog: Catalog
) -> None:
    data = paper_pdf("course-enrolment")

    info = PdfReader(io.BytesIO(data)).metadata

    assert info["/DanganTemplate"] == "course-enrolment"
    assert info["/DanganPaper"] == "1"
    assert "/AcroForm" not in PdfReader(io.BytesIO(data)).trailer["/Root"]
    assert is_scan(data)


def test_every_value_has_a_box_inside_the_printed_area(paper_catalog: Catalog) -> None:
    template = paper_catalog.get("counselling")

    boxes = blank_layout(template).boxes
    paths = {box_id[2:].split("#")[0].split("=")[0] for box_id in boxes}

    assert paths == {slot.path for slot in template_slots(template)}
    qr_box = (QR_LEFT - 2, QR_TOP - 2, QR_LEFT + QR_SIZE + 2, QR_TOP + QR_SIZE + 2)
    for box_id, place in boxes.items():
        assert place.x > 14, box_id
        assert place.x + place.width < 196, box_id
        assert place.y > 18, box_id
        assert place.y + place.height < 264, box_id
        assert place.y > qr_box[3] or place.y + place.height < qr_box[1], box_id
        for x, y in MARK_CENTRES:
            assert abs(place.x - x) > MARK_SIZE or abs(place.y - y) > MARK_SIZE


def test_boxes_are_sized_for_a_pen(paper_catalog: Catalog) -> None:
    boxes = blank_layout(paper_catalog.get("counselling")).boxes

    ticks = [p for k, p in boxes.items() if k.startswith("c:")]
    texts = [p for k, p in boxes.items() if k.startswith("t:")]

    assert min(p.width for p in ticks) == pytest.approx(5.0)
    assert min(p.height for p in texts) >= 8.9
    assert min(p.width for p in texts) >= 14


def test_labels_and_instructions_are_printed_in_chinese(paper_catalog: Catalog) -> None:
    html = paper_html(paper_catalog.get("course-enrolment"))

    assert "课程报名表" in html
    assert "儿童姓名" in html
    assert "改选时请把原方框涂满" in html
    assert 'data-box="c:basic.course=音乐"' in html


def test_filled_record_prints_in_its_boxes(paper_catalog: Catalog) -> None:
    html = paper_html(
        paper_catalog.get("course-enrolment"), {"basic": {"child": "李一文"}}
    )

    assert '<span class="box" data-box="t:basic.child">李一文</span>' in html


def test_long_templates_span_pages(
    drawn: Callable[[str, int], list[np.ndarray]],
) -> None:
    assert len(drawn("counselling", 150)) == 2
    assert len(drawn("course-enrolment", 150)) == 1


def test_render_writes_to_a_path(paper_catalog: Catalog, tmp_path: Path) -> None:
    from engine.paper import write_paper

    path = write_paper(paper_catalog.get("course-enrolment"), tmp_path / "f.pdf")

    assert path.read_bytes().startswith(b"%PDF-")
