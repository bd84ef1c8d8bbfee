"""Lay out the paper form and find where every box sits on every page.

The paper form is the view of the fillable PDF (`engine.pdf.layout.build_view`),
printed through `templates/paper.html` with boxes sized for a pen. WeasyPrint lays
it out; each element with a `data-box` attribute is then looked up in the layout,
so the geometry read back from a scan is the geometry printed. It is derived from
the template alone, never from a scan, and cached per process.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import cache
from typing import Any

import jinja2
import weasyprint

from engine.pdf.layout import build_view
from engine.pdf.render import TEMPLATES, _style
from engine.spec.flat import flatten_record
from engine.spec.labels import LANGUAGES, Language
from engine.spec.model import Template
from engine.spec.slots import path_from_pdf_name

logger = logging.getLogger(__name__)

PAPER_TEMPLATE = "paper.html"
PAPER_STYLESHEET = "paper.css"
PX_TO_MM = 25.4 / 96
INSTRUCTIONS = {
    "zh": "请用黑色或蓝色笔在方框内工整书写，不要写出框外；选择项请在方框内打 ✓ 或 ×；"
    "改选时请把原方框涂满，再勾选新的方框。请勿折叠或涂画四角的黑色标记和二维码。",
    "en": "Write in black or blue pen inside the boxes. Tick or cross a box to choose "
    "it; to change a choice, fill the old box in completely and tick the new one. Do "
    "not fold the sheet or write on the corner marks or the QR code.",
}
FOOTER = {
    "zh": "扫描件由 dangan 自动读取",
    "en": "Scans of this form are read by dangan",
}


@dataclass(frozen=True)
class BoxPlace:
    """Where one box is printed: page (0-based) and rectangle in millimetres."""

    page: int
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class PaperLayout:
    """The laid-out paper form: the document and the place of every box by id."""

    document: Any  # weasyprint.Document
    boxes: dict[str, BoxPlace]

    @property
    def pages(self) -> int:
        return len(self.document.pages)


def _words(table: dict[str, str], language: Language) -> str:
    if language == "both":
        return f"{table['zh']} {table['en']}"
    return table[language]


@cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["slot_path"] = path_from_pdf_name
    return env


def paper_html(
    template: Template, values: dict[str, Any] | None = None, language: Language = "zh"
) -> str:
    """Return the HTML of the paper form; `values` (a record) are printed in boxes."""
    if language not in LANGUAGES:
        raise ValueError(
            f"language must be one of {', '.join(LANGUAGES)}, not {language!r}"
        )
    view = build_view(template, flatten_record(template, values or {}), language)
    return (
        _environment()
        .get_template(PAPER_TEMPLATE)
        .render(
            view=view,
            instructions=_words(INSTRUCTIONS, language),
            footer=_words(FOOTER, language),
        )
    )


@cache
def _paper_sheet() -> weasyprint.CSS:
    font_config, _ = _style()
    return weasyprint.CSS(
        filename=str(TEMPLATES / PAPER_STYLESHEET), font_config=font_config
    )


def _walk(box: Any) -> Any:
    yield box
    for child in getattr(box, "children", ()) or ():
        yield from _walk(child)


def _places(document: Any) -> dict[str, BoxPlace]:
    places: dict[str, BoxPlace] = {}
    for number, page in enumerate(document.pages):
        for box in _walk(page._page_box):
            element = getattr(box, "element", None)
            if element is None or box.element_tag not in ("span", "div"):
                continue
            box_id = element.get("data-box")
            if not box_id or box_id in places:
                # A box split across pages keeps its first part; boxes never break.
                continue
            places[box_id] = BoxPlace(
                number,
                box.border_box_x() * PX_TO_MM,
                box.border_box_y() * PX_TO_MM,
                box.border_width() * PX_TO_MM,
                box.border_height() * PX_TO_MM,
            )
    return places


def lay_out(
    template: Template, values: dict[str, Any] | None = None, language: Language = "zh"
) -> PaperLayout:
    """Lay out the paper form with WeasyPrint and return it with its box places."""
    font_config, sheets = _style()
    html = paper_html(template, values, language)
    document = weasyprint.HTML(string=html, base_url=str(TEMPLATES)).render(
        stylesheets=[sheets[0], _paper_sheet()], font_config=font_config
    )
    return PaperLayout(document, _places(document))


_layouts: dict[tuple[str, int, str, str], PaperLayout] = {}


def blank_layout(template: Template, language: Language = "zh") -> PaperLayout:
    """Return the layout of the blank form, computed once per process."""
    key = (template.id, template.version, template.fingerprint, language)
    if key not in _layouts:
        _layouts[key] = lay_out(template, None, language)
        logger.debug("laid out %s v%d for paper", template.id, template.version)
    return _layouts[key]
