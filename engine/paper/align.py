"""Find a scanned page's QR code and corner marks, and straighten the page.

A page is read in three steps. First the QR code names the form and the page, and
gives a first estimate of the page's rotation (any, upside down included), scale
and shift. Then each corner mark is looked for near where that estimate puts it.
Last, the four marks' centres fix a perspective transform that resamples the page
onto the reading grid, GRID pixels per millimetre of the printed page.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import cv2
import numpy as np

from engine.paper.marks import (
    MARK_CENTRES,
    MARK_NAMES,
    MARK_SIZE,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    PagePayload,
    qr_corners,
)

logger = logging.getLogger(__name__)

GRID = 8.0  # pixels per millimetre of the straightened page (about 203 dpi)
# How far from its expected place a corner mark is looked for, in millimetres.
MARK_SEARCH = 9.0
# Scans outside this range of resolutions are not read (dots per millimetre).
MIN_SCALE, MAX_SCALE = 100 / 25.4, 700 / 25.4


class PageError(Exception):
    """One page of a scan cannot be read; the message gives the reason and the fix."""


@dataclass
class AlignedPage:
    """A page straightened onto the reading grid, with its QR code's payload."""

    payload: PagePayload
    image: np.ndarray  # grey, GRID pixels per mm, PAGE_WIDTH x PAGE_HEIGHT mm
    scale: float  # scan pixels per millimetre
    rotation: float  # degrees the page was turned on the scanner


def _detect_qr(image: np.ndarray) -> tuple[str, np.ndarray] | None:
    # The ArUco-based detector finds finder patterns that the classic one misses
    # on blurred, turned pages; the classic one is faster, so it goes first.
    for detector in (cv2.QRCodeDetector(), cv2.QRCodeDetectorAruco()):
        text, points, _ = detector.detectAndDecode(image)
        if text and points is not None:
            return text, points.reshape(4, 2).astype(np.float64)
    return None


def find_qr(image: np.ndarray) -> tuple[PagePayload, np.ndarray] | None:
    """Return the page's payload and its QR corners in image pixels, or None.

    The corners are in the order of `marks.qr_corners`, whichever way up the page is.
    """
    height, width = image.shape
    cut_h, cut_w = int(height * 0.35), int(width * 0.35)
    # The QR code is printed at the bottom left (marks.QR_LEFT, QR_TOP), so that
    # corner goes first, then the top right, where an upside-down page has it. A
    # corner without the code costs two detectors' failed searches, 10 to 20 % of
    # reading a page when the top left went first.
    regions = [
        (height - cut_h, 0),
        (0, width - cut_w),
        (0, 0),
        (height - cut_h, width - cut_w),
    ]
    for top, left in regions:
        found = _detect_qr(image[top : top + cut_h, left : left + cut_w])
        if found is None:
            continue
        payload = PagePayload.decode(found[0])
        if payload is not None:
            return payload, found[1] + np.array([left, top], dtype=np.float64)
    found = _detect_qr(image)
    if found is not None:
        payload = PagePayload.decode(found[0])
        if payload is not None:
            return payload, found[1]
    return None


def _rough_transform(corners: np.ndarray) -> np.ndarray:
    """Return the 2x3 similarity from page millimetres to image pixels."""
    page = np.array(qr_corners(), dtype=np.float64)
    matrix, _ = cv2.estimateAffinePartial2D(page, corners)
    if matrix is None:
        raise PageError("the QR code's corners do not make a square")
    return matrix


def _find_mark(
    image: np.ndarray, centre: np.ndarray, scale: float, name: str
) -> np.ndarray:
    height, width = image.shape
    reach = MARK_SEARCH * scale
    left, top = int(max(centre[0] - reach, 0)), int(max(centre[1] - reach, 0))
    right = int(min(centre[0] + reach, width))
    bottom = int(min(centre[1] + reach, height))
    if right - left < MARK_SIZE * scale or bottom - top < MARK_SIZE * scale:
        raise PageError(
            f"the {name} corner mark is outside the scanned image; scan the whole "
            "sheet, with a margin around it"
        )
    window = image[top:bottom, left:right]
    _, ink = cv2.threshold(window, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    count, _, stats, centroids = cv2.connectedComponentsWithStats(ink, 8)
    expected = (MARK_SIZE * scale) ** 2
    best: tuple[float, np.ndarray] | None = None
    for label in range(1, count):
        x, y, w, h, area = stats[label]
        if not 0.5 * expected <= area <= 1.6 * expected:
            continue
        if area < 0.75 * w * h and abs(w - h) > 0.5 * max(w, h):
            continue
        where = centroids[label] + (left, top)
        distance = float(np.hypot(*(where - centre)))
        if best is None or distance < best[0]:
            best = (distance, where)
    if best is None:
        raise PageError(
            f"the {name} corner mark is missing or covered; rescan the page with "
            "all four black corner squares visible"
        )
    return best[1]


def align_page(image: np.ndarray, number: int) -> AlignedPage:
    """Straighten one scanned page; raise PageError naming what is wrong."""
    height, width = image.shape
    if min(height, width) < PAGE_WIDTH * MIN_SCALE * 0.9:
        raise PageError(
            f"the page is only {width}x{height} pixels, too small for an A4 sheet; "
            "scan it at 150 to 600 dpi"
        )
    found = find_qr(image)
    if found is None:
        raise PageError(
            "no readable dangan QR code: it is damaged, covered or missing; rescan "
            "the page flat, or type this page's values by hand"
        )
    payload, corners = found
    rough = _rough_transform(corners)
    scale = float(np.hypot(rough[0, 0], rough[1, 0]))
    if not MIN_SCALE <= scale <= MAX_SCALE:
        raise PageError(
            f"the page was scanned at about {scale * 25.4:.0f} dpi; scan at 150 to "
            "600 dpi"
        )
    rotation = float(np.degrees(np.arctan2(rough[1, 0], rough[0, 0])))
    found_marks = []
    for (x, y), name in zip(MARK_CENTRES, MARK_NAMES, strict=True):
        expected = rough @ np.array([x, y, 1.0])
        found_marks.append(_find_mark(image, expected, scale, name))
    target = np.array(MARK_CENTRES, dtype=np.float32) * GRID
    matrix = cv2.getPerspectiveTransform(
        np.array(found_marks, dtype=np.float32), target
    )
    size = (int(round(PAGE_WIDTH * GRID)), int(round(PAGE_HEIGHT * GRID)))
    straight = cv2.warpPerspective(
        image, matrix, size, flags=cv2.INTER_LINEAR, borderValue=255
    )
    logger.debug(
        "page %d is %s page %d, %.0f dpi, turned %.1f degrees",
        number,
        payload.template_id,
        payload.page,
        scale * 25.4,
        rotation,
    )
    return AlignedPage(payload, straight, scale, rotation)
