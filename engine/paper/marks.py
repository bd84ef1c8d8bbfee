"""The marks a scan is read by: four corner squares and a QR code on every page.

All positions are in millimetres from the top-left corner of an A4 page. The corner
marks fix the page's rotation, scale and shift; the QR code says which template,
version, language and page a sheet is, and which way up it lies. Both are stamped
onto the rendered pages (`stamp_pages`), one QR code per page, so every page
carries its own page number.
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass

import segno

PAGE_WIDTH = 210.0
PAGE_HEIGHT = 297.0
MARK_SIZE = 6.0
# Centres of the corner marks: top-left, top-right, bottom-right, bottom-left.
MARK_CENTRES = ((10.0, 10.0), (200.0, 10.0), (200.0, 287.0), (10.0, 287.0))
MARK_NAMES = ("top-left", "top-right", "bottom-right", "bottom-left")
QR_LEFT = 18.0
QR_TOP = 267.0
QR_SIZE = 20.0
PAYLOAD_PREFIX = "DG1"


@dataclass(frozen=True)
class PagePayload:
    """What the QR code of one page says."""

    template_id: str
    version: int
    page: int  # 1-based
    pages: int
    language: str
    fingerprint: str  # the first 12 hex digits of the template fingerprint

    def encode(self) -> str:
        return "|".join(
            (
                PAYLOAD_PREFIX,
                self.template_id,
                str(self.version),
                f"{self.page}/{self.pages}",
                self.language,
                self.fingerprint,
            )
        )

    @classmethod
    def decode(cls, text: str) -> PagePayload | None:
        """Return the payload of a QR code's text, or None if it is not ours."""
        parts = text.split("|")
        if len(parts) != 6 or parts[0] != PAYLOAD_PREFIX:
            return None
        try:
            page, pages = (int(n) for n in parts[3].split("/"))
            version = int(parts[2])
        except ValueError:
            return None
        if not 1 <= page <= pages:
            return None
        return cls(parts[1], version, page, pages, parts[4], parts[5])


def qr_corners() -> list[tuple[float, float]]:
    """Return the QR symbol's corners: top-left, top-right, bottom-right, bottom-left."""
    right, bottom = QR_LEFT + QR_SIZE, QR_TOP + QR_SIZE
    return [(QR_LEFT, QR_TOP), (right, QR_TOP), (right, bottom), (QR_LEFT, bottom)]


def _qr_uri(payload: PagePayload) -> str:
    code = segno.make(payload.encode(), error="m", micro=False)
    out = io.BytesIO()
    code.save(out, kind="svg", border=0, xmldecl=False, svgns=True, unit="mm")
    return "data:image/svg+xml;base64," + base64.b64encode(out.getvalue()).decode()


def overlay_html(payloads: list[PagePayload]) -> str:
    """Return the HTML of one overlay page per payload: marks and the QR code."""
    half = MARK_SIZE / 2
    marks = "".join(
        f'<div class="mark" style="left:{x - half}mm;top:{y - half}mm"></div>'
        for x, y in MARK_CENTRES
    )
    sheets = []
    for payload in payloads:
        sheets.append(
            f'<div class="sheet">{marks}<img class="qr" src="{_qr_uri(payload)}" '
            f'style="left:{QR_LEFT}mm;top:{QR_TOP}mm"></div>'
        )
    style = (
        "@page{size:A4;margin:0}body{margin:0}"
        f".sheet{{position:relative;width:{PAGE_WIDTH}mm;height:{PAGE_HEIGHT}mm;"
        "break-after:page;overflow:hidden}.sheet:last-child{break-after:auto}"
        f".mark{{position:absolute;width:{MARK_SIZE}mm;height:{MARK_SIZE}mm;"
        "background:#000}"
        f".qr{{position:absolute;width:{QR_SIZE}mm;height:{QR_SIZE}mm}}"
    )
    return f"<!DOCTYPE html><html><head><style>{style}</style></head><body>{''.join(sheets)}</body></html>"
