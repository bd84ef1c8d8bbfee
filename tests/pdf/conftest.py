"""Renders shared by the PDF tests: each template is rendered at most twice per run."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from engine.pdf import render_pdf
from engine.spec.loader import Catalog, LoadedTemplate

HERE = Path(__file__).resolve().parent
PDF_FIXTURES = HERE / "fixtures" / "industries"
INDUSTRIES = HERE.parent.parent / "industries"


def load(root: Path) -> Catalog:
    catalog = Catalog.load(root)
    catalog.raise_errors()
    return catalog


def sample(loaded: LoadedTemplate) -> dict:
    return json.loads(loaded.sample_file.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def fixture_catalog() -> Catalog:
    return load(PDF_FIXTURES)


@pytest.fixture(scope="session")
def industry_catalog() -> Catalog:
    return load(INDUSTRIES)


@pytest.fixture(scope="session")
def rendered() -> Callable[[LoadedTemplate, bool], bytes]:
    """Return a function that renders a template blank or from its sample, once."""
    cache: dict[tuple[str, int, bool], bytes] = {}

    def render(loaded: LoadedTemplate, filled: bool) -> bytes:
        key = (loaded.template.id, loaded.template.version, filled)
        if key not in cache:
            values = sample(loaded) if filled else None
            cache[key] = render_pdf(loaded.template, values)
        return cache[key]

    return render
