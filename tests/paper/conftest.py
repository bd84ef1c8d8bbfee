"""Paper forms and synthetic scans shared by the paper tests, made once per run.

Two templates: `course-enrolment` (one page, every kind of tick box) and
`counselling` (two pages, every field type), both under tests/pdf/fixtures/.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from engine.paper.images import pdf_pages
from engine.paper.layout import PaperLayout, blank_layout
from engine.paper.render import render_paper
from engine.paper.synthetic import (
    PRINT_FONT,
    Scanner,
    box_contents,
    fill_pages,
    scan,
)
from engine.spec.loader import Catalog, LoadedTemplate

FIXTURES = Path(__file__).resolve().parent.parent / "pdf" / "fixtures" / "industries"
# The spoiling every test scan goes through unless a test asks for another.
SPOILED = Scanner(
    dpi=200,
    rotation=2.5,
    scale=0.98,
    shift=(2.0, -3.0),
    blur=0.7,
    noise=6.0,
    jpeg_quality=75,
)


@pytest.fixture(scope="session")
def paper_catalog() -> Catalog:
    catalog = Catalog.load(FIXTURES)
    catalog.raise_errors()
    return catalog


def sample(loaded: LoadedTemplate) -> dict:
    return json.loads(loaded.sample_file.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def paper_pdf(paper_catalog: Catalog) -> Callable[[str], bytes]:
    """Return a function that renders a template's blank paper form, once each."""
    cache: dict[str, bytes] = {}

    def render(template_id: str) -> bytes:
        if template_id not in cache:
            cache[template_id] = render_paper(paper_catalog.get(template_id))
        return cache[template_id]

    return render


@pytest.fixture(scope="session")
def drawn(
    paper_pdf: Callable[[str], bytes],
) -> Callable[[str, int], list[np.ndarray]]:
    """Return a function that draws a blank paper form at a resolution, once each."""
    cache: dict[tuple[str, int], list[np.ndarray]] = {}

    def draw(template_id: str, dpi: int) -> list[np.ndarray]:
        key = (template_id, dpi)
        if key not in cache:
            cache[key] = pdf_pages(paper_pdf(template_id), Path("blank.pdf"), dpi)
        return cache[key]

    return draw


def layout_of(catalog: Catalog, template_id: str) -> PaperLayout:
    return blank_layout(catalog.get(template_id))


def written_scan(
    catalog: Catalog,
    pages: list[np.ndarray],
    contents: dict[str, str],
    template_id: str,
    scanner: Scanner = SPOILED,
    font: str = PRINT_FONT,
) -> list[np.ndarray]:
    """Return scanned pages of a form with `contents` written into its boxes."""
    layout = layout_of(catalog, template_id)
    filled = fill_pages(pages, layout, contents, scanner.dpi, font)
    return [scan(page, scanner, seed=n) for n, page in enumerate(filled)]


def record_contents(catalog: Catalog, template_id: str) -> dict[str, str]:
    loaded = catalog.get_loaded(template_id)
    return box_contents(loaded.template, sample(loaded))
