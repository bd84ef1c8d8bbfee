"""Name the template a .docx form was made from, in a way that survives re-saving.

The form stores `dangan-form:<template id>:v<version>:<fingerprint>` in the core
property `dc:identifier` (docProps/core.xml). LibreOffice 25.2 keeps that property
when it saves a .docx, although it rewrites keywords and the relationship type, so
the part is read directly rather than through python-docx.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from engine.errors import FormFileError
from engine.spec.model import Template
from engine.word import ooxml

IDENTITY_PROPERTY = "dc:identifier"
_PREFIX = "dangan-form"
_IDENTITY = re.compile(rf"{_PREFIX}:([a-z][a-z0-9-]*):v([1-9][0-9]*):([0-9a-f]+)")


def identity_text(template: Template) -> str:
    """Return the identifier a form of `template` carries."""
    return f"{_PREFIX}:{template.id}:v{template.version}:{template.fingerprint}"


def read_identity(source: Path | str | bytes) -> tuple[str, int, str] | None:
    """Return (template id, version, fingerprint) of a .docx form.

    Returns None when the file is a .docx package without our identifier. Raises
    FormFileError when the file is not a .docx package at all.
    """
    name = "<bytes>" if isinstance(source, bytes) else str(source)
    data = source if isinstance(source, bytes) else Path(source).read_bytes()
    try:
        text = ooxml.read_core_property(data, IDENTITY_PROPERTY)
    except (zipfile.BadZipFile, ooxml.etree.XMLSyntaxError) as error:
        raise FormFileError(
            name,
            f"the file is not a readable .docx package ({error}); "
            "ask for the form as a Word .docx file",
        ) from None
    return parse_identity(text or "")


def parse_identity(text: str) -> tuple[str, int, str] | None:
    """Return (template id, version, fingerprint) from an identifier, or None."""
    match = _IDENTITY.fullmatch(text.strip())
    if match is None:
        return None
    return match[1], int(match[2]), match[3]
