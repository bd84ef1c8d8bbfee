"""Random valid records survive a pre-filled form and the parser, in every format."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.parse import parse_bytes
from engine.pdf import render_pdf
from engine.records import validate_record
from engine.spec.loader import Catalog
from engine.word import render_docx
from tests.conftest import INDUSTRIES
from tests.strategies import records

CATALOG = Catalog.load(INDUSTRIES)
TEMPLATES = [loaded.template for loaded in CATALOG.latest()]


@st.composite
def template_and_record(draw: st.DrawFn):
    template = draw(st.sampled_from(TEMPLATES))
    return template, draw(records(template))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(template_and_record())
def test_generated_records_are_valid_and_canonical(case) -> None:
    template, values = case

    report = validate_record(template, values)

    assert report.problems == []
    assert report.values == values


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(template_and_record())
def test_docx_round_trip(case) -> None:
    template, values = case

    record = parse_bytes(render_docx(template, values), Path("random.docx"), CATALOG)

    assert record.problems == []
    assert record.values == values


# A PDF takes about half a second to render, so fewer examples than for Word.
@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(template_and_record())
def test_pdf_round_trip(case) -> None:
    template, values = case

    record = parse_bytes(render_pdf(template, values), Path("random.pdf"), CATALOG)

    assert record.problems == []
    assert record.values == values
