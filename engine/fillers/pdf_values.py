"""Turn a record into the export values a PDF filler sets, by PDF field name."""

from __future__ import annotations

from typing import Any

from engine.spec.flat import flatten_record
from engine.spec.model import Template
from engine.spec.slots import option_path, pdf_name, template_slots

CHECKED = "on"


def _radio_keys(slot_type: str, field: Any) -> list[str]:
    if slot_type == "yes_no":
        return ["yes", "no"]
    if slot_type == "rating":
        return ["1", "2", "3", "4", "5"]
    return [o.key for o in field.options]


def pdf_fill_values(
    template: Template, values: dict[str, Any], radio_by_option: bool = False
) -> dict[str, str]:
    """Return {field name: export value}: text, a radio kid's state, `on`, a key.

    A radio group's value is the kid's state name, its index in option order (`0`,
    `1`, ...), as the renderer names them (docs/pdf-forms.md). pdftk-java matches a
    radio value against the group's /Opt instead, so `radio_by_option` gives it the
    option key.
    """
    flat = flatten_record(template, values)
    export: dict[str, str] = {}
    for slot in template_slots(template):
        value = flat.get(slot.path)
        if value is None or value == []:
            continue
        kind = slot.value_type if slot.part is None else "text"
        if kind == "multichoice":
            for key in value:
                export[pdf_name(option_path(slot.path, key))] = CHECKED
        elif kind in ("choice", "yes_no", "rating"):
            key = ("yes" if value else "no") if kind == "yes_no" else str(value)
            index = _radio_keys(kind, slot.field).index(key)
            export[pdf_name(slot.path)] = key if radio_by_option else str(index)
        else:
            export[pdf_name(slot.path)] = str(value)
    return export
