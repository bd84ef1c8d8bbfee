"""Render a template as a paper form: a PDF for pen and scanner.

The pipeline: lay the form out (`layout.lay_out`), write its PDF, lay out one
overlay page per form page with the corner marks and that page's QR code
(`marks.overlay_html`), merge each overlay onto its page, and write the identity
into the document information dictionary.
"""

from __future__ import annotations

import io
import logging
import time
from pathlib import Path
from typing import Any

import weasyprint
from pypdf import PdfReader, PdfWriter

from engine.atomic import write_bytes_atomic
from engine.paper.detect import PAPER_KEY
from engine.paper.layout import lay_out
from engine.paper.marks import PagePayload, overlay_html
from engine.pdf.acroform import IDENTITY_KEYS
from engine.spec.labels import Language
from engine.spec.model import Template

logger = logging.getLogger(__name__)

LANGUAGE_KEY = "/DanganLanguage"


def page_payloads(
    template: Template, pages: int, language: Language
) -> list[PagePayload]:
    """Return the QR payload of each page of a paper form."""
    return [
        PagePayload(
            template.id,
            template.version,
            number,
            pages,
            language,
            template.fingerprint[:12],
        )
        for number in range(1, pages + 1)
    ]


def render_paper(
    template: Template, values: dict[str, Any] | None = None, language: Language = "zh"
) -> bytes:
    """Return the paper form of `template` as PDF bytes.

    Args:
        template: the resolved template.
        values: a record to print in the boxes; None prints a blank form.
        language: "zh", "en" or "both" for the labels.
    """
    started = time.perf_counter()
    layout = lay_out(template, values, language)
    form = PdfReader(io.BytesIO(layout.document.write_pdf()))
    payloads = page_payloads(template, layout.pages, language)
    overlay = PdfReader(
        io.BytesIO(weasyprint.HTML(string=overlay_html(payloads)).write_pdf())
    )

    writer = PdfWriter(clone_from=form)
    for page, stamp in zip(writer.pages, overlay.pages, strict=True):
        page.merge_page(stamp)
    identity = (template.id, str(template.version), template.fingerprint)
    writer.add_metadata(
        {
            **dict(zip(IDENTITY_KEYS, identity, strict=True)),
            PAPER_KEY: "1",
            LANGUAGE_KEY: language,
            "/Title": template.title.zh,
        }
    )
    out = io.BytesIO()
    writer.write(out)
    logger.info(
        "rendered %s v%d as paper: %d pages in %.2f s",
        template.id,
        template.version,
        layout.pages,
        time.perf_counter() - started,
    )
    return out.getvalue()


def write_paper(
    template: Template,
    path: Path | str,
    values: dict[str, Any] | None = None,
    language: Language = "zh",
) -> Path:
    """Render the paper form and write it to `path` atomically; return the path."""
    return write_bytes_atomic(path, render_paper(template, values, language))
