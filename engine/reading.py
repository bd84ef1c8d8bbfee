"""What a format reader takes out of a returned form, before validation.

Each format (`engine.word.parse`, `engine.pdf.parse`) turns a file into a FormReading:
the identity of the template that made the form and the raw value of every field
path found. Converting and validating those values is the same for every format and
happens in `engine.parse`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from engine.spec.model import Template


@dataclass(frozen=True)
class FormIdentity:
    """The template a form was made from, as stored in the form file."""

    template_id: str
    version: int
    fingerprint: str | None = None


@dataclass
class FormReading:
    """The raw values of one returned form, by field path."""

    format: str
    identity: FormIdentity
    # Field path -> value as found: a string for text, True/False for a checkbox
    # (`path=option` paths), None for a control still showing its placeholder.
    values: dict[str, Any] = field(default_factory=dict)
    # The program that last saved the file, when the file says (docProps/app.xml,
    # the PDF Producer).
    producer: str | None = None
    # Things the reader noticed and recovered from, for the record's report.
    notes: list[str] = field(default_factory=list)
    # Scans only: how sure the reader is of each value (0 to 1), the paths a person
    # should check, and a PNG of the boxes of each such path.
    confidence: dict[str, float] = field(default_factory=dict)
    review: list[str] = field(default_factory=list)
    images: dict[str, bytes] = field(default_factory=dict)

    def finish(self, template: Template) -> None:
        """Read what needs the template's layout (scans); other formats are done."""
