"""Read a filled .docx form into raw values by field path."""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from engine.errors import FormFileError
from engine.reading import FormIdentity, FormReading
from engine.word.identity import IDENTITY_PROPERTY, parse_identity
from engine.word.package import DocxPackage
from engine.word.sdt import count_box_glyphs, read_controls

APP_PART = "docProps/app.xml"
EXTENDED_NS = (
    "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
)
CORE_PART = "docProps/core.xml"


def producer(package: DocxPackage) -> str | None:
    """Return the program that last saved the file, from docProps/app.xml."""
    if APP_PART not in package.names:
        return None
    try:
        root = package.xml(APP_PART)
    except FormFileError:
        return None
    application = root.findtext(f"{{{EXTENDED_NS}}}Application")
    version = root.findtext(f"{{{EXTENDED_NS}}}AppVersion")
    if not application:
        return None
    return (
        f"{application.strip()} {version.strip()}" if version else application.strip()
    )


def _identity(package: DocxPackage, saved_by: str | None) -> FormIdentity:
    text = None
    if CORE_PART in package.names:
        prefix, _, local = IDENTITY_PROPERTY.partition(":")
        namespace = "http://purl.org/dc/elements/1.1/" if prefix == "dc" else None
        root = package.xml(CORE_PART)
        text = root.findtext(f"{{{namespace}}}{local}") if namespace else None
    identity = parse_identity(text or "")
    if identity is None:
        by = f" (last saved by {saved_by})" if saved_by else ""
        raise FormFileError(
            package.source,
            f"this Word file was not made by dangan{by}: it carries no template "
            "identifier. Render the form with `dangan render ID --format docx` and fill that",
        )
    template_id, version, fingerprint = identity
    return FormIdentity(template_id, version, fingerprint)


def read_docx(data: bytes, source: Path) -> FormReading:
    """Return the template identity and every control's value of a .docx form."""
    package = DocxPackage(data, source)
    saved_by = producer(package)
    identity = _identity(package, saved_by)
    values: dict[str, object] = {}
    notes: list[str] = []
    roots = package.control_roots()
    for root in roots:
        for control in read_controls(root):
            if control.tag in values:
                notes.append(
                    f"control {control.tag!r} appears more than once; the first is used"
                )
                continue
            values[control.tag] = control.value
    if not values:
        # Counted only here, for the message: the count walks every text node.
        glyphs = sum(count_box_glyphs(root) for root in roots)
        by = f" by {saved_by}" if saved_by else ""
        boxes = f" and {glyphs} plain ☐/☑ characters" if glyphs else ""
        raise FormFileError(
            source,
            f"the form's fields are gone: it has no content controls{boxes}, so it was "
            f"flattened to plain text when it was saved{by}. Fill the original form in "
            "Word, WPS or LibreOffice 25.2 and save it as .docx",
        )
    return FormReading("docx", identity, values, producer=saved_by, notes=notes)


def read_docx_xml(data: bytes) -> etree._Element:
    """Return the parsed main document part of a .docx, for tests and tools."""
    return DocxPackage(data, Path("<bytes>")).xml("word/document.xml")
