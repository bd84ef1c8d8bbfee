"""Paper forms: print with scan marks, read back from scanned images.

`render_paper` and `write_paper` make the PDF to print; `read_scan` reads a scan
(PDF, PNG, JPEG or TIFF) into a FormReading that `engine.parse` validates. The
names are imported on first use, so that `engine.paper.detect` stays light.
"""

from __future__ import annotations

from typing import Any

__all__ = ["read_scan", "render_paper", "write_paper"]


def __getattr__(name: str) -> Any:
    if name in ("render_paper", "write_paper"):
        from engine.paper import render

        return getattr(render, name)
    if name == "read_scan":
        from engine.paper.read import read_scan

        return read_scan
    raise AttributeError(f"module 'engine.paper' has no attribute {name!r}")
