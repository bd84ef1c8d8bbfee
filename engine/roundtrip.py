"""Round trips: render a template's forms, fill them with real fillers, read them back.

For each template and each route (a pre-filled form, or a blank form filled by a
program nobody here wrote), the record read back must equal the sample record. A
template author runs this with `dangan roundtrip ID`; `make demo` runs it for all.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from engine.batch import parse_batch
from engine.spec.loader import Catalog, LoadedTemplate
from engine.word import write_docx

logger = logging.getLogger(__name__)


@dataclass
class FilledForm:
    """A form a route produced, and the record it should read back as."""

    template_id: str
    route: str
    path: Path
    expected: dict[str, Any]


@dataclass
class RouteResult:
    template_id: str
    route: str
    path: Path
    ok: bool
    detail: str


# A route fills the forms of several templates at once (one LibreOffice session for
# all of them): it takes (loaded template, sample values) pairs and a folder.
Route = Callable[[list[tuple[LoadedTemplate, dict[str, Any]]], Path], list[FilledForm]]


def docx_prefilled(
    cases: list[tuple[LoadedTemplate, dict[str, Any]]], folder: Path
) -> list[FilledForm]:
    return [
        FilledForm(
            loaded.template.id,
            "docx pre-filled",
            write_docx(
                loaded.template,
                folder / f"{loaded.template.id}-prefilled.docx",
                values=values,
            ),
            values,
        )
        for loaded, values in cases
    ]


def docx_libreoffice(
    cases: list[tuple[LoadedTemplate, dict[str, Any]]], folder: Path
) -> list[FilledForm]:
    from engine.fillers.docx_values import docx_fill_values
    from engine.fillers.libreoffice import FillJob, fill_with_libreoffice

    jobs, forms = [], []
    for loaded, values in cases:
        template = loaded.template
        blank = write_docx(template, folder / f"{template.id}-blank.docx")
        target = folder / f"{template.id}-libreoffice.docx"
        jobs.append(FillJob(blank, target, docx_fill_values(template, values)))
        forms.append(FilledForm(template.id, "docx LibreOffice", target, values))
    fill_with_libreoffice(jobs)
    return forms


def available_routes() -> dict[str, Route]:
    """Return every route whose tools are importable, by name."""
    routes: dict[str, Route] = {
        "docx pre-filled": docx_prefilled,
        "docx LibreOffice": docx_libreoffice,
    }
    try:
        from engine.fillers.pdf_routes import PDF_ROUTES
    except ImportError:
        logger.info("PDF routes are not available")
    else:
        routes.update(PDF_ROUTES)
    return routes


def _difference(expected: Any, found: Any, path: str = "") -> str | None:
    """Return the first path where two records differ, or None when equal."""
    if isinstance(expected, dict) and isinstance(found, dict):
        for key in expected.keys() | found.keys():
            where = f"{path}.{key}" if path else key
            diff = _difference(expected.get(key), found.get(key), where)
            if diff:
                return diff
        return None
    if (
        isinstance(expected, list)
        and isinstance(found, list)
        and len(expected) == len(found)
        and expected
        and isinstance(expected[0], dict)
    ):
        for index, (left, right) in enumerate(zip(expected, found, strict=True)):
            diff = _difference(left, right, f"{path}[{index}]")
            if diff:
                return diff
        return None
    if expected != found:
        return f"{path}: expected {expected!r}, read {found!r}"
    return None


def run_roundtrips(
    catalog: Catalog,
    template_ids: list[str],
    output: Path,
    routes: list[str] | None = None,
) -> list[RouteResult]:
    """Fill each template's sample through each route, parse all, compare."""
    cases = []
    for template_id in template_ids:
        loaded = catalog.get_loaded(template_id)
        values = json.loads(loaded.sample_file.read_text(encoding="utf-8"))
        cases.append((loaded, values))
    chosen = available_routes()
    if routes:
        chosen = {name: chosen[name] for name in routes}
    forms_folder = output / "forms"
    forms_folder.mkdir(parents=True, exist_ok=True)
    filled: list[FilledForm] = []
    for name, route in chosen.items():
        logger.info("filling %d forms: %s", len(cases), name)
        filled.extend(route(cases, forms_folder))
    outcomes = {
        o.source: o
        for o in parse_batch([f.path for f in filled], catalog.root, output / "records")
    }
    results = []
    for form in filled:
        outcome = outcomes[form.path]
        if outcome.failure:
            results.append(
                RouteResult(
                    form.template_id, form.route, form.path, False, outcome.failure
                )
            )
            continue
        record = outcome.record or {}
        problems = record.get("errors", [])
        diff = _difference(form.expected, record.get("values"))
        ok = not diff and not problems
        detail = (
            diff
            or "; ".join(f"{p['path']}: {p['message']}" for p in problems)
            or "same record"
        )
        results.append(RouteResult(form.template_id, form.route, form.path, ok, detail))
    return results
