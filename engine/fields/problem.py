"""The error a value converter raises for an invalid value."""

from __future__ import annotations


class ValueProblem(ValueError):
    """A value is invalid; the message says what is wrong, in Chinese and English."""
