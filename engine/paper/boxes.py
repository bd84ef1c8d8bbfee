"""Measure the ink in one box of a straightened page: tick boxes and text boxes.

A tick box is read by how much of its inside is dark: almost none is empty, some
is a tick or a cross, nearly all is a filled square. A text box with no ink is
empty without any recognition; otherwise the ink's bounding box is cut out for
the recognizer.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from engine.paper.align import GRID
from engine.paper.layout import BoxPlace

# Fractions of a tick box's inside that is dark.
EMPTY_BELOW = 0.035
FILLED_ABOVE = 0.6
# Millimetres cut off each side of a box before looking for ink, so that its
# printed border (or the table rule beside it) is never taken for a mark.
TICK_INSET = 0.75
TEXT_INSET = 0.9
# A speck smaller than this many grid pixels is scanner noise, not a pen stroke.
MIN_SPECK = 5
# A text box with less ink than this (grid pixels) is empty: about one short stroke.
MIN_TEXT_INK = 40
PAD = 0.8  # mm of white kept around the ink handed to the recognizer
# Writing within this many millimetres (about one written character) of a text
# box's right side may go on past it.
EDGE_BAND = 2.5


@dataclass(frozen=True)
class TickRead:
    """One tick box: its state ("empty", "marked" or "filled"), fill and confidence."""

    state: str
    fill: float
    confidence: float


def ink_threshold(page: np.ndarray) -> int:
    """Return the grey level below which a pixel of this page is ink."""
    level, _ = cv2.threshold(page, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    return int(min(max(level, 90), 200))


def _cut(page: np.ndarray, place: BoxPlace, inset: float) -> np.ndarray:
    top = int(round((place.y + inset) * GRID))
    left = int(round((place.x + inset) * GRID))
    bottom = int(round((place.y + place.height - inset) * GRID))
    right = int(round((place.x + place.width - inset) * GRID))
    return page[top:bottom, left:right]


def _clean_ink(region: np.ndarray, threshold: int) -> np.ndarray:
    ink = (region < threshold).astype(np.uint8)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(ink, 8)
    keep = np.zeros(count, dtype=bool)
    keep[1:] = stats[1:, cv2.CC_STAT_AREA] >= MIN_SPECK
    return keep[labels]


def read_tick(page: np.ndarray, place: BoxPlace, threshold: int) -> TickRead:
    """Return the state of one tick box."""
    inside = _clean_ink(_cut(page, place, TICK_INSET), threshold)
    fill = float(inside.mean()) if inside.size else 0.0
    if fill < EMPTY_BELOW:
        state, margin = "empty", (EMPTY_BELOW - fill) / EMPTY_BELOW
    elif fill > FILLED_ABOVE:
        state, margin = "filled", (fill - FILLED_ABOVE) / (1 - FILLED_ABOVE)
    else:
        state = "marked"
        margin = min(fill - EMPTY_BELOW, FILLED_ABOVE - fill) / EMPTY_BELOW
    # Within a tenth of the box of a threshold, the reading is doubtful.
    confidence = min(1.0, 0.5 + margin)
    return TickRead(state, round(fill, 3), round(confidence, 3))


def text_ink(page: np.ndarray, place: BoxPlace, threshold: int) -> np.ndarray | None:
    """Return the inked part of a text box, padded with white, or None if blank."""
    region = _cut(page, place, TEXT_INSET)
    if int(_clean_ink(region, threshold).sum()) < MIN_TEXT_INK:
        return None
    # Faint strokes (a small full stop, a light pen) count for where the text ends.
    ink = _clean_ink(region, (threshold + 255) // 2)
    rows = np.flatnonzero(ink.any(axis=1))
    cols = np.flatnonzero(ink.any(axis=0))
    pad = int(PAD * GRID)
    top, bottom = max(rows[0] - pad, 0), min(rows[-1] + pad + 1, region.shape[0])
    left, right = max(cols[0] - pad, 0), min(cols[-1] + pad + 1, region.shape[1])
    crop = region[top:bottom, left:right]
    return cv2.copyMakeBorder(crop, pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=255)


def ink_reaches_right_edge(page: np.ndarray, place: BoxPlace, threshold: int) -> bool:
    """Return True when writing touches the right side of a text box.

    The recognizer sees only the box, so text that ran on past it would come back
    cut short yet read with confidence.
    """
    ink = _clean_ink(_cut(page, place, TEXT_INSET), threshold)
    band = max(1, int(round(EDGE_BAND * GRID)))
    return bool(ink[:, -band:].any())


def snapshot(page: np.ndarray, places: list[BoxPlace], extra_right: float) -> bytes:
    """Return a PNG of the boxes of one value, with a margin, for a person to read."""
    left = min(p.x for p in places) - 2
    top = min(p.y for p in places) - 2
    right = max(p.x + p.width for p in places) + 2 + extra_right
    bottom = max(p.y + p.height for p in places) + 2
    region = page[
        max(int(top * GRID), 0) : int(bottom * GRID),
        max(int(left * GRID), 0) : int(right * GRID),
    ]
    ok, png = cv2.imencode(".png", region)
    return png.tobytes() if ok else b""
