"""Field paths: the one name that joins a declaration, every form format and a record.

A slot is one value a person fills in. Its path is the content control's tag in a .docx,
the field name in a PDF (with `pdf_name`), and the place of the value in a record:

- `basic.mobile`: field `mobile` of section `basic`;
- `visits[2].date`: column `date` of row 2 (0-based) of table `visits`;
- `stages[0].consultant`: field `consultant` of repeat 0 of group `stages`;
- `consent.agree.signer`, `consent.agree.date`: parts of a consent notice, and
  `sign.customer.name`, `sign.customer.date` of a signature;
- `basic.source_other`: the free text of an option that asks for it.

A choice, multichoice or yes/no field is one slot; a format that draws one box per
option names each box `option_path(slot.path, option_key)`, e.g. `basic.skin=dry`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from engine.spec.memo import per_object
from engine.spec.model import (
    FieldBase,
    FieldsSection,
    GroupSection,
    NoticeField,
    SectionBase,
    SignatureField,
    TableSection,
    Template,
)

# The parts of a signature and of a consent notice, each filled in as its own value.
SIGNATURE_PARTS = ("name", "date")
CONSENT_PARTS = ("signer", "date")
OPTION_SEPARATOR = "="
# PDF viewers and pypdf read a period in a field name as a level of hierarchy, so PDF
# names use this instead. It cannot occur in a key, so the mapping is reversible.
PDF_SEPARATOR = "/"


@dataclass(frozen=True)
class Slot:
    """One value a person fills in, with the field that declares it."""

    path: str
    section: SectionBase
    field: FieldBase
    # "name"/"date" of a signature, "signer"/"date" of a consent, "other" for the free
    # text of an option that asks for it; None for the field's own value.
    part: str | None = None
    # Row of a table or repeat of a group, 0-based; None in a plain section.
    index: int | None = None

    @property
    def value_type(self) -> str:
        """Return the field type that validates this slot's value."""
        if self.part == "date":
            return "date"
        if self.part in ("name", "signer", "other"):
            return "text"
        return self.field.type


def option_path(path: str, option_key: str) -> str:
    """Return the name of the box for one option of a choice field."""
    return f"{path}{OPTION_SEPARATOR}{option_key}"


def pdf_name(path: str) -> str:
    """Return the flat PDF field name of a path (`basic.mobile` -> `basic/mobile`)."""
    return path.replace(".", PDF_SEPARATOR)


def path_from_pdf_name(name: str) -> str:
    return name.replace(PDF_SEPARATOR, ".")


def field_slots(
    prefix: str, section: SectionBase, field: FieldBase, index: int | None
) -> Iterator[Slot]:
    """Yield the slots of one field, whose path starts with `prefix`."""
    path = f"{prefix}.{field.key}"
    if isinstance(field, SignatureField):
        for part in SIGNATURE_PARTS:
            yield Slot(f"{path}.{part}", section, field, part, index)
    elif isinstance(field, NoticeField):
        if field.consent:
            for part in CONSENT_PARTS:
                yield Slot(f"{path}.{part}", section, field, part, index)
    elif field.holds_value:
        yield Slot(path, section, field, None, index)
        other_key = getattr(field, "other_key", None)
        if other_key:
            yield Slot(f"{prefix}.{other_key}", section, field, "other", index)


def section_slots(section: SectionBase) -> Iterator[Slot]:
    """Yield every slot of a section, rows and repeats included, in print order."""
    if isinstance(section, TableSection):
        for row in range(section.rows):
            for column in section.columns:
                yield from field_slots(f"{section.id}[{row}]", section, column, row)
    elif isinstance(section, GroupSection):
        for repeat in range(section.repeat):
            for field in section.fields:
                yield from field_slots(
                    f"{section.id}[{repeat}]", section, field, repeat
                )
    elif isinstance(section, FieldsSection):
        for field in section.fields:
            yield from field_slots(section.id, section, field, None)


def template_slots(template: Template) -> Iterator[Slot]:
    """Yield every slot of a template in print order."""
    return iter(_all_slots(template))


@per_object
def _all_slots(template: Template) -> tuple[Slot, ...]:
    # Parsing one form walks the slots five times; working them out once per
    # template took a third of the time of parsing a .docx form.
    return tuple(slot for s in template.sections for slot in section_slots(s))


def slot_map(template: Template) -> dict[str, Slot]:
    """Return the slots of a template by path."""
    return {slot.path: slot for slot in template_slots(template)}


__all__ = [
    "CONSENT_PARTS",
    "SIGNATURE_PARTS",
    "Slot",
    "field_slots",
    "option_path",
    "path_from_pdf_name",
    "pdf_name",
    "section_slots",
    "slot_map",
    "template_slots",
]
