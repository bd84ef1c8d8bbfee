"""Fillable Word forms: render a template as .docx and name the template of a file."""

from engine.word.identity import read_identity
from engine.word.render import render_docx, write_docx

__all__ = ["read_identity", "render_docx", "write_docx"]
