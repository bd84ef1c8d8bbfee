"""Fill PDF forms with pdftk-java (an XFDF file) and with pypdf, as other tools do."""

from __future__ import annotations

import io
import logging
import shutil
import subprocess
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject

from engine.atomic import write_bytes_atomic
from engine.errors import SystemDependencyError

PDFTK_SECONDS = 120


def xfdf(values: dict[str, str]) -> bytes:
    """Return an XFDF document that sets each field to its export value."""
    fields = "".join(
        f"<field name={quoteattr(name)}><value>{escape(value)}</value></field>"
        for name, value in values.items()
    )
    text = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<xfdf xmlns="http://ns.adobe.com/xfdf/" xml:space="preserve">'
        f"<fields>{fields}</fields></xfdf>"
    )
    return text.encode("utf-8")


def fill_with_pdftk(
    source: Path, target: Path, values: dict[str, str], folder: Path
) -> Path:
    """Fill a form with pdftk-java from an XFDF file.

    NOTE: `need_appearances` leaves drawing the values to the viewer; pdftk's own
    appearances need `replacement_font` with a TrueType CJK font, which Debian's
    fonts-noto-cjk (OpenType collections) is not.
    """
    if shutil.which("pdftk") is None:
        raise SystemDependencyError(
            "pdftk is not installed; install the Debian package pdftk-java"
        )
    data_file = folder / f"{target.stem}.xfdf"
    data_file.write_bytes(xfdf(values))
    subprocess.run(
        [
            "pdftk",
            str(source),
            "fill_form",
            str(data_file),
            "output",
            str(target),
            "need_appearances",
        ],
        check=True,
        capture_output=True,
        timeout=PDFTK_SECONDS,
    )
    return target


def fill_with_pypdf(source: Path, target: Path, values: dict[str, str]) -> Path:
    """Fill a form with pypdf's own form filling, as a Python user would.

    pypdf draws appearances with a font that has no Chinese and warns about it for
    every value; the form asks viewers to redraw them (NeedAppearances), so those
    warnings are silenced here.
    """
    pypdf_logger = logging.getLogger("pypdf")
    level = pypdf_logger.level
    pypdf_logger.setLevel(logging.ERROR)
    try:
        return _fill_with_pypdf(source, target, values)
    finally:
        pypdf_logger.setLevel(level)


def _fill_with_pypdf(source: Path, target: Path, values: dict[str, str]) -> Path:
    writer = PdfWriter(clone_from=PdfReader(source))
    as_names = {name: value for name, value in values.items()}
    buttons = set()
    for field in writer.root_object["/AcroForm"]["/Fields"]:
        field = field.get_object()
        if field.get("/FT") == "/Btn":
            buttons.add(str(field["/T"]))
    for page in writer.pages:
        page_values = {
            name: NameObject(f"/{value}") if name in buttons else value
            for name, value in as_names.items()
        }
        writer.update_page_form_field_values(page, page_values, auto_regenerate=False)
    writer.set_need_appearances_writer(True)
    buffer = io.BytesIO()
    writer.write(buffer)
    return write_bytes_atomic(target, buffer.getvalue())
