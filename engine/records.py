"""Records: validate filled data against a template, and its pydantic model.

`validate_record` checks every value on its own and reports each problem by field
path, keeping the valid values, because a clerk needs to see everything that is wrong
with a form at once. `record_model` builds the typed pydantic model of a template's
record; its JSON Schema describes canonical records.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any, NamedTuple

from engine.errors import FieldProblem, RecordError
from engine.fields.convert import CONVERTERS, NORMALISED_TYPES, convert_line, is_empty
from engine.fields.problem import ValueProblem
from engine.privacy import is_sensitive, masked_message
from engine.spec.flat import flatten_record, unflatten_record
from engine.spec.memo import per_object
from engine.spec.model import (
    GroupSection,
    NoticeField,
    TableSection,
    Template,
)
from engine.spec.slots import Slot, template_slots

REQUIRED_MESSAGE = "必填项未填写 (required)"


@dataclass
class RecordReport:
    """The outcome of validating one record."""

    template_id: str
    version: int
    values: dict[str, Any]
    # Raw input of normalised kinds (phone, ID, postal code) where it differs from
    # the canonical value, by field path.
    raw: dict[str, Any] = field(default_factory=dict)
    problems: list[FieldProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def raise_for_problems(self) -> None:
        if self.problems:
            raise RecordError(self.template_id, self.problems)


def convert_slot(slot: Slot, raw: Any) -> Any:
    """Return the canonical value of one slot, or raise ValueProblem."""
    if slot.part in ("name", "signer", "other"):
        return convert_line(raw)
    return CONVERTERS[slot.value_type](slot.field, raw)


def _unknown_keys(template: Template, values: Any) -> list[FieldProblem]:
    """Report sections and fields in the data that the template does not declare."""
    if not isinstance(values, dict):
        return [
            FieldProblem(
                "",
                "记录应为按分区嵌套的对象 (a record is an object keyed by section id)",
                type(values).__name__,
            )
        ]
    problems = []
    sections = {s.id: s for s in template.sections}
    known_keys: dict[str, set[str]] = {s.id: set() for s in template.sections}
    for slot in template_slots(template):
        key = (
            slot.path.split(".")[1] if slot.part in (None, "other") else slot.field.key
        )
        known_keys[slot.section.id].add(key)
    for section_id, content in values.items():
        if section_id not in sections:
            problems.append(
                FieldProblem(
                    section_id,
                    f"模板中没有这个分区 (the template has no section {section_id!r})",
                    None,
                )
            )
            continue
        rows = content if isinstance(content, list) else [content]
        section = sections[section_id]
        is_list = isinstance(section, TableSection | GroupSection)
        if is_list != isinstance(content, list) and content is not None:
            expected = "a list of rows" if is_list else "an object"
            problems.append(
                FieldProblem(section_id, f"格式不对 (expected {expected})", None)
            )
            continue
        for index, row in enumerate(rows):
            if not isinstance(row, dict):
                continue
            for key in row:
                if key not in known_keys[section_id]:
                    where = (
                        f"{section_id}[{index}].{key}"
                        if is_list
                        else f"{section_id}.{key}"
                    )
                    close = difflib.get_close_matches(key, known_keys[section_id], n=1)
                    hint = f"; did you mean {close[0]!r}?" if close else ""
                    problems.append(
                        FieldProblem(
                            where,
                            f"模板中没有这个字段 (the template has no field {key!r} here{hint})",
                            row[key],
                        )
                    )
        if (
            isinstance(section, GroupSection)
            and isinstance(content, list)
            and len(content) > section.repeat
        ):
            problems.append(
                FieldProblem(
                    section_id,
                    f"最多 {section.repeat} 组，这里有 {len(content)} 组 (at most {section.repeat} repeats)",
                    None,
                )
            )
    return problems


def _rows_in_use(
    flat: dict[str, Any], checks: tuple[_Check, ...]
) -> set[tuple[str, int]]:
    """Return the (section, row) of every table row or group repeat with a value."""
    return {
        check.row
        for check in checks
        if check.row is not None and not is_empty(flat.get(check.slot.path))
    }


def _expanded_template(template: Template, values: Any) -> Template:
    """Return the template with tables grown to hold every row of `values`."""
    if not isinstance(values, dict):
        return template
    sections = []
    changed = False
    for section in template.sections:
        rows = values.get(section.id)
        if (
            isinstance(section, TableSection)
            and isinstance(rows, list)
            and len(rows) > section.rows
        ):
            section = section.model_copy(update={"rows": len(rows)})
            changed = True
        sections.append(section)
    return template.model_copy(update={"sections": sections}) if changed else template


def validate_record(template: Template, values: Any) -> RecordReport:
    """Validate every value of a record; problems are collected, never raised."""
    problems = _unknown_keys(template, values)
    shape = _expanded_template(template, values)
    flat = flatten_record(shape, values if isinstance(values, dict) else {})
    canonical, raw_kept, slot_problems = _validate_slots(shape, flat)
    nested = unflatten_record(shape, canonical)
    problems += slot_problems + _stamp_consents(shape, nested, values)
    return RecordReport(template.id, template.version, nested, raw_kept, problems)


def validate_flat(template: Template, flat: dict[str, Any]) -> RecordReport:
    """Validate values keyed by slot path, as a form reader finds them.

    The same checks as `validate_record` without its passes that a reader's values
    never need: a form has no undeclared keys and no more table rows than its
    template, so its values skip being nested and flattened again.
    """
    canonical, raw_kept, problems = _validate_slots(template, flat)
    nested = unflatten_record(template, canonical)
    problems += _stamp_consents(template, nested, None)
    return RecordReport(template.id, template.version, nested, raw_kept, problems)


def _validate_slots(
    shape: Template, flat: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any], list[FieldProblem]]:
    """Convert every slot's value; return canonical values, raw input kept, problems."""
    checks = _checks(shape)
    used_rows = _rows_in_use(flat, checks)
    canonical: dict[str, Any] = {}
    raw_kept: dict[str, Any] = {}
    problems: list[FieldProblem] = []
    for check in checks:
        path = check.slot.path
        raw = flat.get(path)
        if is_empty(raw):
            canonical[path] = None
            if check.required and (check.row is None or check.row in used_rows):
                problems.append(FieldProblem(path, REQUIRED_MESSAGE, raw))
            continue
        try:
            value = check.convert(raw)
        except ValueProblem as problem:
            canonical[path] = None
            problems.append(FieldProblem(path, _message(check.slot, problem, raw), raw))
            continue
        canonical[path] = value
        if check.normalised and raw != value:
            raw_kept[path] = raw
    return canonical, raw_kept, problems


class _Check(NamedTuple):
    """The facts validating one slot needs, gathered once per template."""

    slot: Slot
    required: bool
    # (section id, row) of a slot in a table or group: required only if the row is used.
    row: tuple[str, int] | None
    convert: Callable[[Any], Any]
    # Whether the raw input is kept beside a canonical value that differs from it.
    normalised: bool


def _converter(slot: Slot) -> Callable[[Any], Any]:
    """Return the function that converts a raw value of `slot`, as `convert_slot` does."""
    if slot.part in ("name", "signer", "other"):
        return convert_line
    return partial(CONVERTERS[slot.value_type], slot.field)


@per_object
def _checks(template: Template) -> tuple[_Check, ...]:
    # Reading a form validates every slot. Going through each slot's pydantic
    # field for the same facts again per form touched memory all over the heap.
    checks = []
    for slot in template_slots(template):
        row = None if slot.index is None else (slot.section.id, slot.index)
        checks.append(
            _Check(
                slot,
                bool(slot.field.required),
                row,
                _converter(slot),
                slot.value_type in NORMALISED_TYPES,
            )
        )
    return tuple(checks)


def _message(slot: Slot, problem: ValueProblem, raw: Any) -> str:
    """Return a problem's message, the value it quotes masked if the slot is sensitive.

    The message goes to summaries and logs; the record keeps the value itself.
    """
    return masked_message(str(problem), raw) if is_sensitive(slot) else str(problem)


@per_object
def _consents(template: Template) -> tuple[tuple[Any, NoticeField, str], ...]:
    """Return each consent notice of a template: its section, field and fingerprint."""
    return tuple(
        (section, field_, field_.text_fingerprint)
        for section in template.sections
        if not isinstance(section, TableSection | GroupSection)
        for field_ in section.fields
        if isinstance(field_, NoticeField) and field_.consent
    )


def _stamp_consents(
    template: Template, nested: dict[str, Any], given: Any
) -> list[FieldProblem]:
    """Put the fingerprint of the wording shown into every consent that was signed."""
    problems = []
    for section, field_, fingerprint in _consents(template):
        consent = nested[section.id].get(field_.key) or {}
        given_value = (
            (given.get(section.id) or {}).get(field_.key)
            if isinstance(given, dict) and isinstance(given.get(section.id), dict)
            else None
        )
        given_print = (
            given_value.get("text_fingerprint")
            if isinstance(given_value, dict)
            else None
        )
        signed = not is_empty(consent.get("signer")) or not is_empty(
            consent.get("date")
        )
        consent["text_fingerprint"] = fingerprint if signed else None
        nested[section.id][field_.key] = consent
        if signed and given_print and given_print != fingerprint:
            path = f"{section.id}.{field_.key}.text_fingerprint"
            problems.append(
                FieldProblem(
                    path,
                    "同意书文字与签署时的版本不同 (the consent was signed for different wording than this template shows)",
                    given_print,
                )
            )
    return problems
