"""Keep personal data out of logs and messages.

Values of fields marked `sensitive`, and every phone and ID number whatever its
declaration, are shown masked: 1101**********002X.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from engine.fields.convert import ALWAYS_SENSITIVE_TYPES
from engine.fields.numbers import mask
from engine.spec.model import FieldBase
from engine.spec.slots import Slot


def is_sensitive(slot: Slot | None) -> bool:
    """Return True when values of this slot must never be shown in full.

    A slot the template does not declare counts as sensitive, because nothing
    tells what it contains.
    """
    if slot is None:
        return True
    return is_sensitive_field(slot.field)


def is_sensitive_field(field: FieldBase) -> bool:
    """Return True when a field is marked sensitive or contains a phone or ID number."""
    return field.sensitive or field.type in ALWAYS_SENSITIVE_TYPES


def masked_message(message: str, raw: Any) -> str:
    """Return a message about a sensitive value with the value it quotes masked."""
    text = str(raw)
    for quoted in {repr(text), repr(text.strip())}:
        message = message.replace(quoted, repr(mask(text.strip())))
    return scrub(message)


def display_value(slot: Slot | None, value: Any) -> str:
    """Return a value as it may appear in a log or an error message."""
    if value is None:
        return "empty"
    text = value if isinstance(value, str) else repr(value)
    if is_sensitive(slot):
        return repr(mask(text))
    return repr(text)


# A run of 11 to 18 digits (an ID number, a mobile number, or a piece of either
# that a library's message cut out of the file), or a landline with its area code,
# standing apart from other letters and digits.
_NUMBERS = re.compile(
    r"(?<![0-9A-Za-z])"
    r"(\+?\d{10,17}[\dXx]|0\d{2,3}-\d{7,8})"
    r"(?![0-9A-Za-z])"
)


def scrub(text: str) -> str:
    """Mask every ID or phone number in a text we did not write (a library's error).

    Such texts may quote bytes of the file, and with them a customer's numbers.
    """
    return _NUMBERS.sub(lambda match: mask(match[0]), text)


class ScrubFilter(logging.Filter):
    """Mask ID and phone numbers in every log record, ours and libraries' alike."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = scrub(record.getMessage())
        record.args = None
        if record.exc_info:
            record.exc_text = scrub(
                logging.Formatter().formatException(record.exc_info)
            )
        return True
