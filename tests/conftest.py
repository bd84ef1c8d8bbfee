"""Shared fixtures: the project's own catalog of templates."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from engine.spec.loader import Catalog, LoadedTemplate

ROOT = Path(__file__).resolve().parent.parent
INDUSTRIES = ROOT / "industries"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    loaded = Catalog.load(INDUSTRIES)
    loaded.raise_errors()
    return loaded


def template_ids() -> list[str]:
    """Return the ids of the templates under industries/, for parametrizing tests."""
    loaded = Catalog.load(INDUSTRIES)
    return loaded.ids()


def sample_values(loaded: LoadedTemplate) -> dict:
    return json.loads(loaded.sample_file.read_text(encoding="utf-8"))
