"""Convert between a nested record and a flat mapping of field path to value.

Renderers look values up by slot path, and parsers read values by slot path; the
record itself is nested by section (see docs/template-language.md).
"""

from __future__ import annotations

from typing import Any, NamedTuple

from engine.spec.memo import per_object
from engine.spec.model import GroupSection, TableSection, Template
from engine.spec.slots import template_slots


class Place(NamedTuple):
    """Where a slot's value sits in a nested record."""

    path: str
    section_id: str
    # Row of a table or repeat of a group. None in a plain section.
    index: int | None
    # The key in the section (or row) under which the value is stored.
    key: str
    # The key inside that value for a signature or consent part, None otherwise.
    part: str | None


@per_object
def _places(template: Template) -> tuple[Place, ...]:
    # Worked out once per template: reading a form nests its values, and a batch
    # flattens every record for its tables.
    places = []
    for slot in template_slots(template):
        if slot.part in (None, "other"):
            key, part = slot.path.rsplit(".", 1)[1], None
        else:
            key, part = slot.field.key, slot.part
        places.append(Place(slot.path, slot.section.id, slot.index, key, part))
    return tuple(places)


def _part_value(container: Any, place: Place) -> Any:
    if not isinstance(container, dict):
        return None
    if place.part is None:
        return container.get(place.key)
    parent = container.get(place.key)
    return parent.get(place.part) if isinstance(parent, dict) else None


def flatten_record(template: Template, values: dict[str, Any]) -> dict[str, Any]:
    """Return {slot path: value} for every slot of the template; empty slots are None."""
    flat: dict[str, Any] = {}
    is_mapping = isinstance(values, dict)
    for place in _places(template):
        section_value = values.get(place.section_id) if is_mapping else None
        if place.index is not None:
            rows = section_value if isinstance(section_value, list) else []
            container = rows[place.index] if place.index < len(rows) else None
        else:
            container = section_value
        flat[place.path] = _part_value(container, place)
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
    for place in _places(template):
        holder = nested[place.section_id]
        container = holder[place.index] if place.index is not None else holder
        value = flat.get(place.path)
        if place.part is None:
            container[place.key] = value
        else:
            container.setdefault(place.key, {})[place.part] = value
    for section in template.sections:
        if isinstance(section, TableSection):
            nested[section.id] = [
                row for row in nested[section.id] if not _is_empty(row)
            ]
    return nested
