"""Choose the text of a label for a form language: Chinese, English or both."""

from __future__ import annotations

import warnings
from typing import Literal

from engine.errors import MissingTranslationWarning
from engine.spec.model import Label

Language = Literal["zh", "en", "both"]
LANGUAGES: tuple[Language, ...] = ("zh", "en", "both")


def label_text(label: Label, language: Language, where: str) -> str:
    """Return the label's text in `language`; `where` names the field in warnings.

    A label without English falls back to the Chinese and warns, because the template
    author should add the translation.
    """
    if language == "zh":
        return label.zh
    if label.en is None:
        warnings.warn(
            f"{where}: label {label.zh!r} has no English text, so the form shows the "
            "Chinese; add `en:` to the label",
            MissingTranslationWarning,
            stacklevel=2,
        )
        return label.zh
    if language == "en":
        return label.en
    return f"{label.zh} {label.en}"


def label_lines(label: Label, language: Language, where: str) -> tuple[str, str | None]:
    """Return the main text and an optional second line (English under Chinese)."""
    if language != "both":
        return label_text(label, language, where), None
    if label.en is None:
        return label_text(label, "en", where), None
    return label.zh, label.en
