"""Hypothesis strategies: random valid records for any template."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import strategies as st

from engine.fields.numbers import id_check_character
from engine.spec.flat import unflatten_record
from engine.spec.model import NoticeField, Template
from engine.spec.slots import Slot, template_slots

# Characters people type on these forms: common Chinese, the rarer name characters,
# Latin letters, digits and the punctuation that XML must escape.
_ALPHABET = st.sampled_from(
    list("张王李赵欧阳娜喆堃昇一户文号楼单元路区市街道省")
    + list("abcXYZ0123456789")
    + list("&<>\"'，。、（）-# ")
)


def _line(max_size: int) -> st.SearchStrategy[str]:
    return (
        st.text(_ALPHABET, min_size=1, max_size=max(1, min(max_size, 16)))
        .map(str.strip)
        .filter(bool)
    )


def _date() -> st.SearchStrategy[str]:
    return st.dates(dt.date(1920, 1, 1), dt.date(2080, 12, 31)).map(dt.date.isoformat)


def _digits(count: int) -> st.SearchStrategy[str]:
    return st.text(st.sampled_from("0123456789"), min_size=count, max_size=count)


def _mobile() -> st.SearchStrategy[str]:
    return st.builds(
        lambda second, rest: f"1{second}{rest}", st.sampled_from("3456789"), _digits(9)
    )


def _landline() -> st.SearchStrategy[str]:
    area = st.one_of(
        st.sampled_from(["010", "020", "021", "022", "023"]),
        st.builds(lambda d: "0" + d, _digits(3).filter(lambda d: d[0] not in "012")),
    )
    number = st.builds(
        lambda first, rest: first + rest,
        st.sampled_from("2345678"),
        st.one_of(_digits(6), _digits(7)),
    )
    return st.builds(lambda a, n: f"{a}-{n}", area, number)


def _id_card() -> st.SearchStrategy[str]:
    def build(region: str, birth: dt.date, sequence: str) -> str:
        first_17 = f"{region}{birth:%Y%m%d}{sequence}"
        return first_17 + id_check_character(first_17)

    birth = st.dates(dt.date(1930, 1, 1), dt.date(2020, 12, 31))
    return st.builds(build, _digits(6), birth, _digits(3))


def _money() -> st.SearchStrategy[str]:
    return st.builds(
        lambda yuan, fen: f"{yuan}.{fen:02d}",
        st.integers(0, 999_999),
        st.integers(0, 99),
    )


def _value(slot: Slot) -> st.SearchStrategy[Any]:
    field = slot.field
    kind = slot.value_type
    if kind == "text":
        return _line(getattr(field, "max_length", 200))
    if kind == "textarea":
        return st.lists(_line(12), min_size=1, max_size=3).map("\n".join)
    if kind == "integer":
        low = field.min if field.min is not None else -1000  # type: ignore[attr-defined]
        high = field.max if field.max is not None else 100_000  # type: ignore[attr-defined]
        return st.integers(low, high)
    if kind == "decimal":
        places = field.places  # type: ignore[attr-defined]
        low = int(field.min) if field.min is not None else 0  # type: ignore[attr-defined]
        high = int(field.max) if field.max is not None else 10_000  # type: ignore[attr-defined]
        scale = 10**places
        return st.integers(low * scale, high * scale).map(
            lambda n: f"{n / scale:.{places}f}" if places else str(n)
        )
    if kind == "money":
        return _money()
    if kind == "date":
        return _date()
    if kind == "time":
        return st.builds(
            lambda h, m: f"{h:02d}:{m:02d}", st.integers(0, 23), st.integers(0, 59)
        )
    if kind == "datetime":
        return st.builds(
            lambda d, h, m: f"{d}T{h:02d}:{m:02d}",
            _date(),
            st.integers(0, 23),
            st.integers(0, 59),
        )
    if kind == "mobile":
        return _mobile()
    if kind == "landline":
        return _landline()
    if kind == "phone":
        return st.one_of(_mobile(), _landline())
    if kind == "email":
        return st.builds(
            lambda a, b: f"{a}@{b}.com",
            st.text("abcxyz019", min_size=1, max_size=8),
            st.text("abcdef", min_size=1, max_size=6),
        )
    if kind == "id_card":
        return _id_card()
    if kind == "postal_code":
        return _digits(6)
    if kind in ("choice", "dropdown"):
        return st.sampled_from([o.key for o in field.options])  # type: ignore[attr-defined]
    if kind == "multichoice":
        keys = [o.key for o in field.options]  # type: ignore[attr-defined]
        return st.sets(st.sampled_from(keys), min_size=1).map(
            lambda chosen: [k for k in keys if k in chosen]
        )
    if kind == "yes_no":
        return st.booleans()
    if kind == "rating":
        return st.integers(1, 5)
    raise NotImplementedError(f"no strategy for {kind}")


@st.composite
def records(draw: st.DrawFn, template: Template) -> dict[str, Any]:
    """Draw a valid record of `template`; about half its values are filled."""
    flat: dict[str, Any] = {}
    slots = list(template_slots(template))
    for slot in slots:
        if slot.field.required and slot.index is None:
            flat[slot.path] = draw(_value(slot))
        elif not slot.field.required and draw(st.booleans()):
            flat[slot.path] = draw(_value(slot))
    used_rows = {
        (s.section.id, s.index) for s in slots if s.index is not None and s.path in flat
    }
    for slot in slots:
        # A required column must be filled in every row that holds anything.
        if slot.field.required and (slot.section.id, slot.index) in used_rows:
            flat[slot.path] = draw(_value(slot))
    values = unflatten_record(template, flat)
    for section in template.sections:
        for field in getattr(section, "fields", []):
            if isinstance(field, NoticeField) and field.consent:
                consent = values[section.id][field.key]
                signed = consent.get("signer") or consent.get("date")
                consent["text_fingerprint"] = field.text_fingerprint if signed else None
    return values
