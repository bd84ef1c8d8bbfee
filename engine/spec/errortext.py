"""Turn pydantic's validation errors into sentences a template author can act on."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from engine.spec.model import FIELD_TYPES, OPTION_TYPES

KeyPath = tuple[str | int, ...]

_EXPECTED = {
    "int_parsing": "a whole number",
    "int_type": "a whole number",
    "float_parsing": "a number",
    "float_type": "a number",
    "bool_parsing": "true or false",
    "bool_type": "true or false",
    "string_type": "text",
    "list_type": "a list (lines starting with `- `)",
    "dict_type": "a mapping of keys",
    "model_type": "a mapping of keys",
    "model_attributes_type": "a mapping of keys",
}


def _data_path(loc: tuple[Any, ...], data: Any) -> KeyPath:
    """Drop the parts of a pydantic location that are not keys of the data.

    Pydantic adds the tag of a discriminated union (`text`, `fields`) and the names of
    model validators to a location; the file has no such keys.
    """
    path: list[str | int] = []
    node = data
    for part in loc:
        if isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            path.append(part)
            node = node[part]
        elif isinstance(node, dict) and part in node:
            path.append(part)
            node = node[part]
        elif (
            isinstance(node, dict)
            and isinstance(part, str)
            and part not in FIELD_TYPES
            and part
            not in ("fields", "table", "group", "function-after", "function-before")
        ):
            # A missing or unknown key: keep it so the message can name it.
            path.append(part)
            node = None
    return tuple(path)


def _value_at(data: Any, path: KeyPath) -> Any:
    node = data
    for part in path:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return None
    return node


def _message(error: Any, path: KeyPath, data: Any) -> str:
    kind = error["type"]
    found = error.get("input")
    key = path[-1] if path else ""
    parent = _value_at(data, path[:-1]) if path else None
    if kind == "union_tag_invalid":
        tag = error.get("ctx", {}).get("tag")
        if error.get("ctx", {}).get("discriminator") == "'kind'":
            return f"unknown section kind {tag!r}; expected fields (the default), table or group"
        return f"unknown field type {tag!r}; expected one of: {', '.join(FIELD_TYPES)}"
    if kind == "union_tag_not_found":
        if error.get("ctx", {}).get("discriminator") == "'type'":
            return f"the field has no `type:`; add one of: {', '.join(FIELD_TYPES)}"
        return "the section has no `kind:`"
    if kind == "missing":
        if key == "options" and isinstance(parent, dict):
            return f"{parent.get('type')} field {parent.get('key')!r} has no options; add `options:` with at least one option, e.g. [男, 女]"
        return f"required key {key!r} is missing; add it"
    if kind == "extra_forbidden":
        return f"unknown key {key!r}; check its spelling (the keys of each part of a declaration are listed in docs/template-language.md)"
    if (
        kind == "too_short"
        and key == "options"
        and isinstance(parent, dict)
        and parent.get("type") in OPTION_TYPES
    ):
        return f"{parent.get('type')} field {parent.get('key')!r} has no options; add at least one option"
    if kind == "too_short":
        return f"{key!r} is empty; it needs at least one entry"
    if kind == "string_pattern_mismatch":
        if key in ("key", "id"):
            return f"found {found!r}, expected a name of lowercase letters, digits and underscores that starts with a letter or underscore (e.g. mobile_phone)"
        return f"found {found!r}, which may not contain spaces or any of . : [ ] # = /"
    if kind == "literal_error":
        expected = error.get("ctx", {}).get("expected", "")
        return f"found {found!r}, expected one of {expected}"
    if kind in ("value_error", "assertion_error"):
        return (
            str(error["msg"])
            .removeprefix("Value error, ")
            .removeprefix("Assertion failed, ")
        )
    if kind in _EXPECTED:
        return f"found {found!r}, expected {_EXPECTED[kind]}"
    return f"found {found!r}: {error['msg']}"


def describe_validation_error(
    error: ValidationError, data: Any
) -> list[tuple[KeyPath, str]]:
    """Return (key path, message) for each problem, one per location."""
    out: list[tuple[KeyPath, str]] = []
    seen: set[tuple[KeyPath, str]] = set()
    for item in error.errors():
        path = _data_path(item["loc"], data)
        message = _message(item, path, data)
        if (path, message) not in seen:
            seen.add((path, message))
            out.append((path, message))
    return out
