"""Render a template, blank or filled from a record, as a fillable PDF form.

The pipeline: build the view (`layout.build_view`), print it through the Jinja
template `templates/form.html` (`render_html`), lay it out with WeasyPrint with
`pdf_forms=True`, completing the AcroForm in WeasyPrint's finisher hook
(`finish.FormFinisher`).
"""

from __future__ import annotations

import logging
import time
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
import weasyprint
from weasyprint.text.fonts import FontConfiguration

from engine.atomic import write_bytes_atomic
from engine.errors import SystemDependencyError
from engine.pdf.finish import FormFinish, FormFinisher
from engine.pdf.fonts import (
    FORM_FONT_FAMILY,
    drawable,
    form_font_path,
    glyph_codes,
    text_width_em,
)
from engine.pdf.layout import build_view
from engine.spec.flat import flatten_record
from engine.spec.labels import LANGUAGES, Language
from engine.spec.model import Template

logger = logging.getLogger(__name__)

TEMPLATES = Path(__file__).resolve().parent.parent.parent / "templates"
FORM_TEMPLATE = "form.html"
STYLESHEET = "form.css"
# The oldest WeasyPrint whose PDF forms this renderer was written against (radio
# groups with /Opt, combo boxes). pyproject.toml requires the same release.
MIN_WEASYPRINT = (66, 0)


def check_weasyprint() -> None:
    """Raise SystemDependencyError when WeasyPrint is older than MIN_WEASYPRINT."""
    parts = weasyprint.__version__.split(".")
    version = tuple(int(p) for p in parts[:2] if p.isdigit())
    if version < MIN_WEASYPRINT:
        wanted = ".".join(map(str, MIN_WEASYPRINT))
        raise SystemDependencyError(
            f"WeasyPrint {weasyprint.__version__} is older than {wanted}, the first "
            "release this renderer supports for radio buttons and select boxes in "
            f"PDF forms; install WeasyPrint {wanted} or newer "
            f"(pip install 'weasyprint>={wanted}')"
        )


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


@cache
def _style() -> tuple[FontConfiguration, tuple[weasyprint.CSS, ...]]:
    """Return the font configuration and stylesheets, loaded once per process."""
    check_weasyprint()
    font_config = FontConfiguration()
    font_face = (
        f'@font-face {{ font-family: "{FORM_FONT_FAMILY}"; '
        f'src: url("{form_font_path().as_uri()}"); }}'
    )
    sheets = (
        weasyprint.CSS(string=font_face, font_config=font_config),
        weasyprint.CSS(filename=str(TEMPLATES / STYLESHEET), font_config=font_config),
    )
    return font_config, sheets


def render_html(
    template: Template, values: dict[str, Any] | None = None, language: Language = "zh"
) -> tuple[str, FormFinish]:
    """Return the HTML of a form and what the finishing pass must do to its PDF."""
    if language not in LANGUAGES:
        raise ValueError(
            f"language must be one of {', '.join(LANGUAGES)}, not {language!r}"
        )
    flat = flatten_record(template, values or {})
    view = build_view(template, flat, language)
    html = _environment().get_template(FORM_TEMPLATE).render(view=view)
    finish = FormFinish(
        shown={name: drawable(text) for name, text in view.shown.items()},
        tooltips=view.tooltips,
        identity=(template.id, template.version, template.fingerprint),
        measure=text_width_em,
        encode=glyph_codes,
    )
    return html, finish


def render_pdf(
    template: Template, values: dict[str, Any] | None = None, language: Language = "zh"
) -> bytes:
    """Return a fillable PDF form of `template`.

    Args:
        template: the resolved template.
        values: a record (nested by section, canonical values); None renders blank.
        language: "zh", "en" or "both" for the labels.
    """
    started = time.perf_counter()
    html, finish = render_html(template, values, language)
    font_config, sheets = _style()
    document = weasyprint.HTML(string=html, base_url=str(TEMPLATES)).render(
        stylesheets=list(sheets), font_config=font_config, pdf_forms=True
    )
    pdf = document.write_pdf(finisher=FormFinisher(finish))
    logger.info(
        "rendered %s v%d as PDF: %d pages, %d bytes in %.2f s",
        template.id,
        template.version,
        len(document.pages),
        len(pdf),
        time.perf_counter() - started,
    )
    return pdf


def write_pdf(
    template: Template,
    path: Path | str,
    values: dict[str, Any] | None = None,
    language: Language = "zh",
) -> Path:
    """Render the form and write it to `path` atomically; return the path."""
    return write_bytes_atomic(path, render_pdf(template, values, language))
