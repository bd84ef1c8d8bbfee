"""Fillable PDF (AcroForm) forms rendered from templates through WeasyPrint."""

from engine.pdf.acroform import read_identity
from engine.pdf.render import render_pdf, write_pdf

__all__ = ["read_identity", "render_pdf", "write_pdf"]
