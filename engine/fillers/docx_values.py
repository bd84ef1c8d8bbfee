"""Turn a record into what a person would type into each control of a .docx form."""

from __future__ import annotations

from typing import Any

from engine.spec.flat import flatten_record
from engine.spec.labels import Language, label_text
from engine.spec.model import Template
from engine.spec.slots import option_path, template_slots

# Types drawn as one checkbox per answer; the value names the box to tick.
_BOX_TYPES = ("choice", "multichoice", "yes_no", "rating")


def _ticked_keys(field_type: str, value: Any) -> list[str]:
    if field_type == "multichoice":
        return list(value)
    if field_type == "yes_no":
        return ["yes" if value else "no"]
    return [str(value)]


def docx_fill_values(
    template: Template, values: dict[str, Any], language: Language = "zh"
) -> dict[str, Any]:
    """Return {control tag: value}: text, True for a box to tick, a date, a list item."""
    flat = flatten_record(template, values)
    typed: dict[str, Any] = {}
    for slot in template_slots(template):
        value = flat.get(slot.path)
        if value is None or value == []:
            continue
        if slot.part is None and slot.value_type in _BOX_TYPES:
            for key in _ticked_keys(slot.value_type, value):
                typed[option_path(slot.path, key)] = True
        elif slot.part is None and slot.value_type == "dropdown":
            option = next(o for o in slot.field.options if o.key == value)  # type: ignore[attr-defined]
            typed[slot.path] = label_text(option.label, language, slot.path)
        else:
            typed[slot.path] = str(value)
    return typed
