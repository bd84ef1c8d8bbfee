"""Read one returned form (Word or PDF) into a validated record.

The format readers only find raw values by field path. This module identifies the
template, turns option boxes back into option keys and reports declared fields that
the file lacks. Then it validates everything through the record rules.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from engine.errors import FieldProblem, FormFileError, TemplateNotFoundError
from engine.reading import FormReading
from engine.records import validate_flat
from engine.spec.loader import Catalog
from engine.spec.memo import per_object
from engine.spec.model import Template
from engine.spec.slots import Slot, option_path, template_slots

logger = logging.getLogger(__name__)

MISSING_MESSAGE = (
    "文件中没有这个字段，可能被编辑软件删除 (the field is missing from the file)"
)
# Limits on what a returned file may be; a real form is far smaller.
MAX_FILE_BYTES = 50 * 1024 * 1024


# Field types a form may draw as one box per option, named `path=key`; None means
# the keys are the field's option keys.
BOX_KEYS: dict[str, list[str] | None] = {
    "choice": None,
    "multichoice": None,
    "yes_no": ["yes", "no"],
    "rating": ["1", "2", "3", "4", "5"],
}


class StrictParseError(FormFileError):
    """Strict mode met something unexpected that the default mode only reports."""


@dataclass
class ParsedRecord:
    """One returned form as a record: its values, and what is wrong with them."""

    source: Path
    sha256: str
    format: str
    template_id: str
    version: int
    values: dict[str, Any]
    raw: dict[str, Any] = field(default_factory=dict)
    problems: list[FieldProblem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    producer: str | None = None
    # Scans only (engine.paper): the confidence of each value, the paths a person
    # should check, and a PNG of each such path's boxes, written beside the record.
    confidence: dict[str, float] = field(default_factory=dict)
    review: list[str] = field(default_factory=list)
    images: dict[str, bytes] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_json(self) -> dict[str, Any]:
        """Return the record as written to `<name>.json`."""
        return {
            "template": self.template_id,
            "version": self.version,
            "source": self.source.name,
            "sha256": self.sha256,
            "format": self.format,
            "producer": self.producer,
            "valid": self.ok,
            "values": self.values,
            "raw": self.raw,
            "errors": [
                {"path": p.path, "message": p.message, "value": p.value}
                for p in self.problems
            ],
            "notes": self.notes,
            **(self._scan_json() if self.format == "scan" else {}),
        }

    def _scan_json(self) -> dict[str, Any]:
        return {
            "confidence": self.confidence,
            "review": [
                {
                    "path": path,
                    "confidence": self.confidence.get(path),
                    "image": review_image_name(path) if path in self.images else None,
                }
                for path in self.review
            ],
        }


def review_image_name(path: str) -> str:
    """Return the file name of the picture of a value's boxes."""
    return f"{path}.png"


# Leading bytes of the image formats a scanner or a phone writes.
IMAGE_SIGNATURES = {
    b"\x89PNG": "PNG",
    b"\xff\xd8\xff": "JPEG",
    b"GIF8": "GIF",
    b"II*\x00": "TIFF",
    b"MM\x00*": "TIFF",
    b"BM": "BMP",
}


def image_kind(data: bytes) -> str | None:
    """Return the name of an image format from a file's first bytes; None if not one."""
    for signature, kind in IMAGE_SIGNATURES.items():
        if data.startswith(signature):
            return kind
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WebP"
    if data[4:12] in (b"ftypheic", b"ftypheix", b"ftypmif1"):
        return "HEIC"
    return None


def detect_format(data: bytes) -> str:
    """Return "docx" or "pdf" from a file's first bytes, or raise ValueError."""
    if data.startswith(b"PK\x03\x04"):
        return "docx"
    if b"%PDF-" in data[:1024]:
        return "pdf"
    raise ValueError("not a Word (.docx) or PDF file")


def read_form(data: bytes, source: Path) -> FormReading:
    """Read raw values from a .docx or PDF form held in memory."""
    if not data:
        raise FormFileError(source, "the file is empty")
    if len(data) > MAX_FILE_BYTES:
        raise FormFileError(
            source,
            f"the file is {len(data) / 1e6:.0f} MB; a returned form is never larger "
            f"than {MAX_FILE_BYTES // 1_000_000} MB, so this is not one of our forms",
        )
    from engine.paper.detect import is_image

    if is_image(data):
        return _read_scan(data, source)
    try:
        kind = detect_format(data)
    except ValueError:
        image = image_kind(data)
        if image:
            raise FormFileError(
                source,
                f"this is a {image} image, not a Word (.docx) or PDF file; reading "
                "scanned or photographed forms is not supported yet, so ask for the "
                "filled form as .docx or PDF",
            ) from None
        raise FormFileError(
            source,
            "this is not a Word (.docx) or PDF file; save the form as .docx or PDF "
            "and send it again",
        ) from None
    if kind == "docx":
        from engine.word.parse import read_docx

        return read_docx(data, source)
    from engine.paper.detect import is_scanned_pdf
    from engine.pdf.parse import open_pdf, read_pdf

    # One reader serves both questions: pypdf parses a PDF's object stream whole
    # on first use, about as long as reading every field takes.
    reader = open_pdf(data, source)
    if is_scanned_pdf(reader):
        return _read_scan(data, source)
    return read_pdf(data, source, reader)


def _read_scan(data: bytes, source: Path) -> FormReading:
    from engine.paper.read import read_scan

    return read_scan(data, source)


def _template_for(catalog: Catalog, reading: FormReading, source: Path) -> Template:
    identity = reading.identity
    try:
        return catalog.get(identity.template_id, identity.version)
    except TemplateNotFoundError:
        pass
    known = sorted(v for (i, v) in catalog.templates if i == identity.template_id)
    if not known:
        raise FormFileError(
            source,
            f"the form was made from template {identity.template_id!r}, which is not in "
            f"{catalog.root}; add its declaration there",
        )
    if identity.version > known[-1]:
        raise FormFileError(
            source,
            f"the form was made from {identity.template_id!r} version "
            f"{identity.version}, newer than any declaration in {catalog.root} (the "
            f"newest is version {known[-1]}); add the declaration of version "
            f"{identity.version} there to read it",
        )
    raise FormFileError(
        source,
        f"the form was made from {identity.template_id!r} version {identity.version}, "
        f"but {catalog.root} has version(s) {', '.join(map(str, known))}; keep the "
        f"declaration of version {identity.version} beside the newer one to read it",
    )


def _assemble(slot: Slot, values: dict[str, Any]) -> tuple[bool, Any, str | None]:
    """Return (found, raw value, problem) for one slot from the reader's values."""
    if slot.path in values:
        return True, values[slot.path], None
    field_type = slot.value_type
    if slot.part is None and field_type in BOX_KEYS:
        keys = BOX_KEYS[field_type] or [o.key for o in slot.field.options]  # type: ignore[attr-defined]
        boxes = {key: values.get(option_path(slot.path, key)) for key in keys}
        if all(state is None for state in boxes.values()) and not any(
            option_path(slot.path, key) in values for key in keys
        ):
            return False, None, None
        ticked = [key for key, state in boxes.items() if state is True]
        if field_type == "multichoice":
            return True, ticked, None
        if len(ticked) > 1:
            shown = "、".join(ticked)
            return (
                True,
                None,
                f"勾选了多个选项（{shown}），只能选一个 (several boxes are ticked: {shown})",
            )
        if not ticked:
            return True, None, None
        if field_type == "yes_no":
            return True, ticked[0] == "yes", None
        if field_type == "rating":
            return True, int(ticked[0]), None
        return True, ticked[0], None
    return False, None, None


@per_object
def _known_names(template: Template) -> frozenset[str]:
    """Return every name a form may carry: slot paths and their option boxes."""
    names = set()
    for slot in template_slots(template):
        names.add(slot.path)
        if slot.part is None and slot.value_type in BOX_KEYS:
            keys = BOX_KEYS[slot.value_type] or [o.key for o in slot.field.options]  # type: ignore[attr-defined]
            names.update(option_path(slot.path, key) for key in keys)
    return frozenset(names)


def record_from_reading(
    template: Template,
    reading: FormReading,
    source: Path,
    sha256: str,
    strict: bool = False,
) -> ParsedRecord:
    """Validate a reading's values against the template it was made from."""
    flat: dict[str, Any] = {}
    problems: list[FieldProblem] = []
    missing: list[str] = []
    slots = tuple(template_slots(template))
    values = reading.values
    for slot in slots:
        # Most slots are one control or field each, found by their path.
        if slot.path in values:
            flat[slot.path] = values[slot.path]
            continue
        found, raw, problem = _assemble(slot, values)
        if not found:
            missing.append(slot.path)
            continue
        if problem:
            problems.append(FieldProblem(slot.path, problem, raw))
            continue
        flat[slot.path] = raw

    undeclared = sorted(set(reading.values) - _known_names(template))
    if undeclared:
        shown = ", ".join(undeclared[:10]) + (" ..." if len(undeclared) > 10 else "")
        reading.notes.append(
            f"the file has fields the template does not declare: {shown}"
        )
    total = len(slots)
    if missing and len(missing) == total:
        saved_by = (
            f"; it was last saved by {reading.producer}" if reading.producer else ""
        )
        raise FormFileError(
            source,
            f"none of the {total} fields of {template.id!r} are in the file: its form "
            f"fields were removed or flattened into plain text{saved_by}. Fill the "
            "original form again, in Word, WPS, LibreOffice 25.2 or a PDF viewer",
        )
    if missing and strict:
        raise StrictParseError(
            source, f"fields missing from the file: {', '.join(missing)}"
        )
    for path in missing:
        problems.append(FieldProblem(path, MISSING_MESSAGE, None))
    if strict and reading.notes:
        raise StrictParseError(source, "; ".join(reading.notes))

    report = validate_flat(template, flat)
    return ParsedRecord(
        source=source,
        sha256=sha256,
        format=reading.format,
        template_id=template.id,
        version=template.version,
        values=report.values,
        raw=report.raw,
        problems=problems + report.problems,
        notes=list(reading.notes),
        producer=reading.producer,
        confidence=dict(reading.confidence),
        review=list(reading.review),
        images=dict(reading.images),
    )


def parse_bytes(
    data: bytes, source: Path, catalog: Catalog, strict: bool = False
) -> ParsedRecord:
    """Parse one form held in memory; `source` names it in messages and the record."""
    reading = read_form(data, source)
    template = _template_for(catalog, reading, source)
    reading.finish(template)
    if (
        reading.identity.fingerprint
        and reading.identity.fingerprint != template.fingerprint
    ):
        note = (
            f"the form was made from a different declaration of {template.id!r} "
            f"version {template.version} (fingerprint {reading.identity.fingerprint}, "
            f"now {template.fingerprint}); check that no field changed without a new version"
        )
        if strict:
            raise StrictParseError(source, note)
        reading.notes.append(note)
    sha256 = hashlib.sha256(data).hexdigest()
    record = record_from_reading(template, reading, source, sha256, strict)
    logger.info(
        "parsed %s: %s v%d, %d problems",
        source.name,
        template.id,
        template.version,
        len(record.problems),
    )
    return record


def parse_file(
    path: Path | str, catalog: Catalog, strict: bool = False
) -> ParsedRecord:
    """Parse one returned form file into a record."""
    source = Path(path)
    try:
        size = source.stat().st_size
    except OSError as error:
        raise FormFileError(source, f"cannot be read: {error.strerror}") from None
    if size > MAX_FILE_BYTES:
        raise FormFileError(
            source,
            f"the file is {size / 1e6:.0f} MB; a returned form is never larger than "
            f"{MAX_FILE_BYTES // 1_000_000} MB, so this is not one of our forms",
        )
    return parse_bytes(source.read_bytes(), source, catalog, strict)
