"""Round-trip routes for PDF forms: pre-filled, and filled by pdftk-java and pypdf."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from engine.fillers.pdf_fill import fill_with_pdftk, fill_with_pypdf
from engine.fillers.pdf_values import pdf_fill_values
from engine.pdf import write_pdf
from engine.roundtrip import FilledForm
from engine.spec.loader import LoadedTemplate

Cases = list[tuple[LoadedTemplate, dict[str, Any]]]


def pdf_prefilled(cases: Cases, folder: Path) -> list[FilledForm]:
    return [
        FilledForm(
            loaded.template.id,
            "pdf pre-filled",
            write_pdf(
                loaded.template,
                folder / f"{loaded.template.id}-prefilled.pdf",
                values=values,
            ),
            values,
        )
        for loaded, values in cases
    ]


def _blank(loaded: LoadedTemplate, folder: Path) -> Path:
    path = folder / f"{loaded.template.id}-blank.pdf"
    if not path.exists():
        write_pdf(loaded.template, path)
    return path


def pdf_pdftk(cases: Cases, folder: Path) -> list[FilledForm]:
    forms = []
    for loaded, values in cases:
        target = folder / f"{loaded.template.id}-pdftk.pdf"
        fill_with_pdftk(
            _blank(loaded, folder),
            target,
            pdf_fill_values(loaded.template, values, radio_by_option=True),
            folder,
        )
        forms.append(FilledForm(loaded.template.id, "pdf pdftk", target, values))
    return forms


def pdf_pypdf(cases: Cases, folder: Path) -> list[FilledForm]:
    forms = []
    for loaded, values in cases:
        target = folder / f"{loaded.template.id}-pypdf.pdf"
        fill_with_pypdf(
            _blank(loaded, folder), target, pdf_fill_values(loaded.template, values)
        )
        forms.append(FilledForm(loaded.template.id, "pdf pypdf", target, values))
    return forms


PDF_ROUTES = {
    "pdf pre-filled": pdf_prefilled,
    "pdf pdftk": pdf_pdftk,
    "pdf pypdf": pdf_pypdf,
}
