"""Keep personal data out of logs and messages.

Values of fields marked `sensitive`, and every phone and ID number whatever its
declaration says, are shown masked: 1101**********002X.
"""

from __future__ import annotations

from typing import Any

from engine.fields.convert import ALWAYS_SENSITIVE_TYPES
from engine.fields.numbers import mask
from engine.spec.slots import Slot


def is_sensitive(slot: Slot | None) -> bool:
    """Return True when values of this slot must never be shown in full.

    A slot the template does not declare counts as sensitive, because nothing says
    what it holds.
    """
    if slot is None:
        return True
    return slot.field.sensitive or slot.field.type in ALWAYS_SENSITIVE_TYPES


def display_value(slot: Slot | None, value: Any) -> str:
    """Return a value as it may appear in a log or an error message."""
    if value is None:
        return "empty"
    text = value if isinstance(value, str) else repr(value)
    if is_sensitive(slot):
        return repr(mask(text))
    return repr(text)
