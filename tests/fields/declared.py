"""Build one field declaration of any type, for tests."""

from __future__ import annotations

from typing import Any

from pydantic import TypeAdapter

from engine.spec.model import AnyField

_OPTIONS = [
    {"key": "dry", "label": {"zh": "干性", "en": "Dry"}},
    {"key": "oily", "label": {"zh": "油性", "en": "Oily"}},
]


def field_of(field_type: str, **extra: Any) -> Any:
    data: dict[str, Any] = {"key": "f", "type": field_type, "label": "字段"}
    if field_type in ("choice", "multichoice", "dropdown"):
        data["options"] = _OPTIONS
    if field_type == "notice":
        data["text"] = "告知内容"
    data.update(extra)
    return TypeAdapter(AnyField).validate_python(data)
