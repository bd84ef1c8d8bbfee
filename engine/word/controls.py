"""Turn one field into the inline content of a Word form: content controls and text.

Every value a person fills in becomes one inline content control tagged with its
field path. A choice, multichoice, yes/no or rating field becomes one checkbox per
option, tagged `path=option key`.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from engine.privacy import display_value, is_sensitive
from engine.spec.labels import Language, label_text
from engine.spec.model import LINE_TYPES, FieldBase, Label
from engine.spec.slots import Slot, option_path
from engine.word import ooxml, words

Inline = list[etree._Element]
# ZERO WIDTH JOINER: Unicode line breaking (UAX #14) allows no break around it, so
# LibreOffice 25.2 keeps a box on the line of its label (seen in its PDF export).
# NOTE: not checked in Word or WPS, which may still break there.
NO_BREAK = "\u200d"


@dataclass
class FormContext:
    """The state shared by every field while a form is built: language, values, ids."""

    language: Language
    # Values by slot path; None means a blank form or an empty value.
    values: dict[str, Any]
    fmt: ooxml.RunFormat = field(default_factory=ooxml.RunFormat)
    # In a table cell the hint of an empty control is blank, so printed rows stay clean.
    quiet_hints: bool = False
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1001))

    def control(self, tag: str, alias: str) -> ooxml.Control:
        return ooxml.Control(tag, next(self._ids), alias, self.fmt)

    def label(self, label: Label, where: str) -> str:
        return label_text(label, self.language, where)

    def text(self, text: str, where: str) -> Inline:
        return ooxml.runs(text, self.fmt, where)

    def hint(self, slot: Slot, kind: str) -> str:
        if self.quiet_hints:
            return "\u3000\u3000"
        if slot.part is None and slot.field.placeholder is not None:
            return self.label(slot.field.placeholder, slot.path)
        text = words.hint(kind, self.language)
        if slot.part in ("name", "signer", "date"):
            # A signature line leaves room to sign a printed copy by hand.
            return f"\u3000\u3000{text}\u3000\u3000"
        return text

    def value(self, slot: Slot) -> Any:
        value = self.values.get(slot.path)
        return None if value in ("", []) else value


# -- one slot ------------------------------------------------------------------


def _shown(slot: Slot, value: Any) -> str:
    """Return a value as a renderer's error may quote it: masked if sensitive."""
    if is_sensitive(slot):
        return display_value(slot, value if isinstance(value, str) else repr(value))
    return repr(value)


def _as_text(slot: Slot, value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ValueError(
            f"{slot.path}: expected text or a number, found {type(value).__name__} "
            f"{_shown(slot, value)}; pass the record's canonical value"
        )
    return str(value)


def _as_date(slot: Slot, value: Any) -> dt.date:
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ValueError(
            f"{slot.path}: expected a date such as 2024-03-07, found {_shown(slot, value)}"
        ) from None


def text_slot(
    ctx: FormContext, slot: Slot, alias: str, underline: bool = False
) -> Inline:
    """Return a plain-text control for one slot (multi-line for a textarea)."""
    kind = slot.part or slot.field.type
    value = ctx.value(slot)
    shown = None if value is None else _as_text(slot, value)
    if shown is not None and slot.value_type == "datetime":
        shown = shown.replace("T", " ", 1)
    multiline = slot.part is None and slot.field.type == "textarea"
    control = ctx.control(slot.path, alias)
    hint = ctx.hint(slot, kind)
    return [ooxml.text_control(control, shown, hint, multiline, underline)]


def date_slot(
    ctx: FormContext, slot: Slot, alias: str, underline: bool = False
) -> Inline:
    """Return a date picker for one slot, showing the date as `yyyy年M月d日`."""
    value = ctx.value(slot)
    day = None if value is None else _as_date(slot, value)
    shown = None
    if day is not None:
        shown = words.date_text(day.year, day.month, day.day, ctx.language)
    control = ctx.control(slot.path, alias)
    date_format = words.date_format(ctx.language)
    hint = ctx.hint(slot, "date")
    return [ooxml.date_control(control, day, hint, date_format, shown, underline)]


def _boxes(
    ctx: FormContext, slot: Slot, boxes: list[tuple[str, str]], chosen: set[str]
) -> Inline:
    """Return one checkbox and its label per (option key, label text)."""
    content: Inline = []
    for index, (key, text) in enumerate(boxes):
        if index:
            content += ctx.text("\u3000", slot.path)
        control = ctx.control(option_path(slot.path, key), text)
        content.append(ooxml.checkbox_control(control, key in chosen))
        content += ctx.text(NO_BREAK + text, slot.path)
    return content


def _unknown(slot: Slot, value: Any, known: list[str]) -> ValueError:
    return ValueError(
        f"{slot.path}: {_shown(slot, value)} is not an option key; expected one of {', '.join(known)}"
    )


def option_boxes(ctx: FormContext, slot: Slot, other: Slot | None) -> Inline:
    """Return a checkbox per option, with the free-text control after `specify`."""
    options = slot.field.options  # type: ignore[attr-defined]
    keys = [option.key for option in options]
    value = ctx.value(slot)
    if value is None:
        chosen: set[str] = set()
    elif slot.field.type == "multichoice":
        if not isinstance(value, list):
            raise ValueError(
                f"{slot.path}: expected a list of option keys, found {_shown(slot, value)}"
            )
        chosen = set(value)
    else:
        chosen = {value}
    for key in chosen:
        if key not in keys:
            raise _unknown(slot, key, keys)
    content: Inline = []
    for index, option in enumerate(options):
        text = ctx.label(option.label, option_path(slot.path, option.key))
        if index:
            content += ctx.text("\u3000", slot.path)
        content += _boxes(ctx, slot, [(option.key, text)], chosen)
        if option.specify and other is not None:
            content += ctx.text("（", other.path)
            content += text_slot(ctx, other, words.word("specify", ctx.language), True)
            content += ctx.text("）", other.path)
    return content


def yes_no_boxes(ctx: FormContext, slot: Slot) -> Inline:
    """Return the two boxes 是 and 否, tagged `path=yes` and `path=no`."""
    value = ctx.value(slot)
    if value is not None and not isinstance(value, bool):
        raise ValueError(
            f"{slot.path}: expected true or false, found {_shown(slot, value)}"
        )
    chosen: set[str] = set()
    if value is not None:
        chosen.add("yes" if value else "no")
    boxes = [(key, words.word(key, ctx.language)) for key in ("yes", "no")]
    return _boxes(ctx, slot, boxes, chosen)


RATING_SCORES = ("1", "2", "3", "4", "5")


def rating_boxes(ctx: FormContext, slot: Slot) -> Inline:
    """Return five boxes 1 to 5, tagged `path=1` to `path=5`, between the end labels."""
    value = ctx.value(slot)
    if value is not None and str(value) not in RATING_SCORES:
        raise _unknown(slot, value, list(RATING_SCORES))
    chosen = set() if value is None else {str(value)}
    rating = slot.field
    content: Inline = []
    if rating.low_label is not None:  # type: ignore[attr-defined]
        low = ctx.label(rating.low_label, slot.path)  # type: ignore[attr-defined]
        content += ctx.text(f"{low} ", slot.path)
    content += _boxes(ctx, slot, [(score, score) for score in RATING_SCORES], chosen)
    if rating.high_label is not None:  # type: ignore[attr-defined]
        high = ctx.label(rating.high_label, slot.path)  # type: ignore[attr-defined]
        content += ctx.text(f" {high}", slot.path)
    return content


def dropdown_list(ctx: FormContext, slot: Slot) -> Inline:
    """Return a dropdown list control whose item values are the option keys."""
    options = slot.field.options  # type: ignore[attr-defined]
    items = [
        (option.key, ctx.label(option.label, option_path(slot.path, option.key)))
        for option in options
    ]
    value = ctx.value(slot)
    if value is not None and value not in [key for key, _ in items]:
        raise _unknown(slot, value, [key for key, _ in items])
    control = ctx.control(slot.path, ctx.label(slot.field.label, slot.path))
    return [ooxml.dropdown_control(control, items, value, ctx.hint(slot, "dropdown"))]


# -- one field -----------------------------------------------------------------


def _unit(ctx: FormContext, field_: FieldBase, slot: Slot) -> Inline:
    unit = getattr(field_, "unit", None)
    return ctx.text(f" {unit}", slot.path) if unit else []


def _plain(ctx: FormContext, slots: list[Slot]) -> Inline:
    slot = slots[0]
    alias = ctx.label(slot.field.label, slot.path)
    return text_slot(ctx, slot, alias) + _unit(ctx, slot.field, slot)


def _date(ctx: FormContext, slots: list[Slot]) -> Inline:
    slot = slots[0]
    return date_slot(ctx, slot, ctx.label(slot.field.label, slot.path))


def _options(ctx: FormContext, slots: list[Slot]) -> Inline:
    other = next((s for s in slots if s.part == "other"), None)
    return option_boxes(ctx, slots[0], other)


def _parts(ctx: FormContext, slots: list[Slot]) -> Inline:
    """Return the name (or signer) line and the date line of a signature or consent."""
    content: Inline = []
    for slot in slots:
        if slot.part == "date":
            content += ctx.text(
                f"\u3000\u3000{words.word('date', ctx.language)}", slot.path
            )
            content += date_slot(ctx, slot, words.word("date", ctx.language), True)
        else:
            if slot.part == "signer":
                content += ctx.text(words.word("signer", ctx.language), slot.path)
            content += text_slot(
                ctx, slot, ctx.label(slot.field.label, slot.path), True
            )
    return content


def _static(ctx: FormContext, slots: list[Slot]) -> Inline:
    return []


FieldWriter = Callable[[FormContext, list[Slot]], Inline]

# The inline content of each field type, given the field's slots in order. Headings
# and notices print their text through the section layout; a consent notice adds
# its signer and date line here.
WRITERS: dict[str, FieldWriter] = {
    **{kind: _plain for kind in (*LINE_TYPES, "textarea")},
    "date": _date,
    "choice": _options,
    "multichoice": _options,
    "dropdown": lambda ctx, slots: dropdown_list(ctx, slots[0]),
    "yes_no": lambda ctx, slots: yes_no_boxes(ctx, slots[0]),
    "rating": lambda ctx, slots: rating_boxes(ctx, slots[0]),
    "signature": _parts,
    "notice": _parts,
    "heading": _static,
}


def field_content(ctx: FormContext, slots: list[Slot]) -> Inline:
    """Return the inline content of one field from its slots."""
    if not slots:
        return []
    return WRITERS[slots[0].field.type](ctx, slots)
