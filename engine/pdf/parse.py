"""Read a filled PDF form into raw values by field path.

Values come from the field dictionaries, never from page text: a value drawn on the
page may be an appearance that no longer matches the field.
"""

from __future__ import annotations

import io
import logging
from pathlib import Path
from typing import Any

from pypdf import PdfReader
from pypdf.errors import (
    DependencyError,
    FileNotDecryptedError,
    LimitReachedError,
    PyPdfError,
)

from engine.errors import FormFileError
from engine.pdf.acroform import IDENTITY_KEYS, FieldTreeError, read_fields
from engine.privacy import scrub
from engine.reading import FormIdentity, FormReading
from engine.spec.slots import path_from_pdf_name

logger = logging.getLogger(__name__)


# Exceptions that pypdf raises, even with strict=False, on a damaged or crafted file.
_DAMAGED = (
    PyPdfError,
    ValueError,
    KeyError,
    TypeError,
    AttributeError,
    IndexError,
    OSError,
)
_CRAFTED = (
    "the PDF nests its objects too deeply or in a loop, which no PDF writer does; "
    "it may be crafted to attack PDF readers and is not read"
)


def _failure(error: Exception) -> str:
    """Return a library's error as a message part, with any ID or phone masked."""
    return scrub(f"{type(error).__name__}: {error}")


def open_pdf(data: bytes, source: Path) -> PdfReader:
    """Open a PDF for reading, or raise FormFileError naming what is wrong with it."""
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            # An owner password alone (no user password) still lets anyone read it.
            if not reader.decrypt(""):
                raise FileNotDecryptedError("a password is needed")
        reader.trailer["/Root"]  # noqa: B018 (forces the catalog to load)
    except (FileNotDecryptedError, NotImplementedError, DependencyError) as error:
        raise FormFileError(
            source,
            f"the PDF is encrypted ({scrub(str(error))}); save it again without a "
            "password and send that copy",
        ) from None
    except (LimitReachedError, RecursionError):
        raise FormFileError(source, _CRAFTED) from None
    except _DAMAGED as error:
        raise FormFileError(
            source,
            f"the PDF is damaged or truncated and cannot be read ({_failure(error)}); "
            "ask for the file again",
        ) from None
    return reader


def _producer(reader: PdfReader) -> str | None:
    try:
        info = reader.metadata
    except _DAMAGED + (LimitReachedError, RecursionError):
        return None
    if not info:
        return None
    producer = info.get("/Producer") or info.get("/Creator")
    return str(producer) if producer else None


def _identity(reader: PdfReader, source: Path, producer: str | None) -> FormIdentity:
    info = reader.trailer.get("/Info")
    info = info.get_object() if info is not None else {}
    template_id, version, fingerprint = (info.get(key) for key in IDENTITY_KEYS)
    try:
        number = int(str(version))
    except (TypeError, ValueError):
        number = None
    if not template_id or number is None:
        by = f" (made by {producer})" if producer else ""
        raise FormFileError(
            source,
            f"this PDF was not made by dangan{by}: it carries no template identifier. "
            "Render the form with `dangan render ID --format pdf` and fill that",
        )
    return FormIdentity(
        str(template_id), number, str(fingerprint) if fingerprint else None
    )


def _value(kind: str, value: Any) -> Any:
    if kind == "checkbox":
        return bool(value)
    if isinstance(value, str):
        # pypdfium2 and some viewers store line breaks as \r\n or \r.
        return value.replace("\r\n", "\n").replace("\r", "\n")
    return value


def read_pdf(data: bytes, source: Path, reader: PdfReader | None = None) -> FormReading:
    """Return the template identity and every field's value of a PDF form.

    `reader` is the same file already opened by `open_pdf`, to save a second parse.
    """
    if reader is None:
        reader = open_pdf(data, source)
    try:
        return _read(reader, source)
    except FieldTreeError as error:
        raise FormFileError(
            source,
            f"the PDF's form {error}, which no PDF writer does; it may be crafted to "
            "attack PDF readers and is not read",
        ) from None
    except (LimitReachedError, RecursionError):
        raise FormFileError(source, _CRAFTED) from None
    except _DAMAGED as error:
        raise FormFileError(
            source, f"the PDF's form cannot be read ({_failure(error)})"
        ) from None


def _scripts(reader: PdfReader) -> bool:
    """Return True when the document would run JavaScript or an action on opening."""
    root = reader.trailer["/Root"]
    names = root.get("/Names")
    names = names.get_object() if names is not None else {}
    return bool(names.get("/JavaScript") or root.get("/OpenAction") or root.get("/AA"))


def _read(reader: PdfReader, source: Path) -> FormReading:
    producer = _producer(reader)
    identity = _identity(reader, source, producer)
    fields = read_fields(reader)
    if not fields:
        raise FormFileError(
            source,
            "the PDF has no form fields: it was flattened or printed to PDF, which "
            "turns typed values into page text. Fill the original form and save it "
            "from the viewer with the fields kept",
        )
    values = {
        path_from_pdf_name(name): _value(f.kind, f.value) for name, f in fields.items()
    }
    notes = []
    # NOTE: nothing here runs a script; the note tells the clerk that the file had one.
    if _scripts(reader):
        notes.append(
            "the PDF carries JavaScript or an open action; it was ignored, never run"
        )
    return FormReading("pdf", identity, values, producer=producer, notes=notes)
