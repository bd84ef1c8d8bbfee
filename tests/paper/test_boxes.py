"""A text box whose writing reaches its right side is told apart from one that fits."""

from __future__ import annotations

import numpy as np
import pytest

from engine.paper.align import GRID
from engine.paper.boxes import ink_reaches_right_edge
from engine.paper.layout import BoxPlace

BOX = BoxPlace(page=0, x=10.0, y=10.0, width=40.0, height=9.0)
THRESHOLD = 128


def page_with_stroke(left_mm: float, right_mm: float) -> np.ndarray:
    """Return a white page with a dark stroke inside BOX between two x positions."""
    page = np.full((int(30 * GRID), int(60 * GRID)), 255, dtype=np.uint8)
    top, bottom = int(13 * GRID), int(16 * GRID)
    page[top:bottom, int(left_mm * GRID) : int(right_mm * GRID)] = 20
    return page


@pytest.mark.parametrize(
    ("left", "right", "reaches"),
    [(12.0, 30.0, False), (12.0, 49.5, True), (45.0, 49.5, True), (12.0, 44.0, False)],
)
def test_ink_at_right_side_of_box(left: float, right: float, reaches: bool) -> None:
    page = page_with_stroke(left, right)

    assert ink_reaches_right_edge(page, BOX, THRESHOLD) is reaches
