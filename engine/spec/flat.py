"""Convert between a nested record and a flat mapping of field path to value.

Renderers look values up by slot path, and parsers read values by slot path; the
record itself is nested by section (see docs/template-language.md).
"""

from __future__ import annotations

from typing import Any

from engine.spec.model import GroupSection, TableSection, Template
from engine.spec.slots import Slot, template_slots


def _part_value(container: Any, slot: Slot) -> Any:
    if not isinstance(container, dict):
        return None
    if slot.part in (None, "other"):
        key = slot.path.rsplit(".", 1)[1]
        return container.get(key)
    parent = container.get(slot.field.key)
    return parent.get(slot.part) if isinstance(parent, dict) else None


def flatten_record(template: Template, values: dict[str, Any]) -> dict[str, Any]:
    """Return {slot path: value} for every slot of the template; empty slots are None."""
    flat: dict[str, Any] = {}
    for slot in template_slots(template):
        section_value = (
            values.get(slot.section.id) if isinstance(values, dict) else None
        )
        if slot.index is not None:
            rows = section_value if isinstance(section_value, list) else []
            container = rows[slot.index] if slot.index < len(rows) else None
        else:
            container = section_value
        flat[slot.path] = _part_value(container, slot)
    return flat


def _is_empty(value: Any) -> bool:
    if value is None or value == "" or value == []:
        return True
    if isinstance(value, dict):
        return all(_is_empty(v) for v in value.values())
    return False


def unflatten_record(template: Template, flat: dict[str, Any]) -> dict[str, Any]:
    """Return the nested record of {slot path: value}; the inverse of flatten_record.

    Table rows that are entirely empty are dropped; group repeats are kept in place.
    """
    nested: dict[str, Any] = {}
    for section in template.sections:
        if isinstance(section, TableSection):
            nested[section.id] = [{} for _ in range(section.rows)]
        elif isinstance(section, GroupSection):
            nested[section.id] = [{} for _ in range(section.repeat)]
        else:
            nested[section.id] = {}
    for slot in template_slots(template):
        holder = nested[slot.section.id]
        container = holder[slot.index] if slot.index is not None else holder
        value = flat.get(slot.path)
        if slot.part in (None, "other"):
            container[slot.path.rsplit(".", 1)[1]] = value
        else:
            container.setdefault(slot.field.key, {})[slot.part] = value
    for section in template.sections:
        if isinstance(section, TableSection):
            nested[section.id] = [
                row for row in nested[section.id] if not _is_empty(row)
            ]
    return nested
