"""Build the typed pydantic model of a template's record, and its JSON Schema.

The model accepts values as typed (full-width digits, 2024年3月7日, option labels) and
holds canonical values, through the same converters `validate_record` uses. Its JSON
Schema describes canonical records, as `dangan parse` writes them.
"""

from __future__ import annotations

import functools
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    WithJsonSchema,
    create_model,
)

from engine.fields.convert import CONVERTERS, convert_line, is_empty
from engine.fields.problem import ValueProblem
from engine.privacy import is_sensitive_field, masked_message
from engine.spec.model import (
    FieldBase,
    GroupSection,
    NoticeField,
    SignatureField,
    TableSection,
    Template,
)

_PATTERNS = {
    "mobile": r"^1[3-9]\d{9}$",
    "landline": r"^0\d{2,3}-\d{7,8}(-\d{1,6})?$",
    "phone": r"^(1[3-9]\d{9}|0\d{2,3}-\d{7,8}(-\d{1,6})?)$",
    "id_card": r"^\d{17}[\dX]$",
    "postal_code": r"^\d{6}$",
    "decimal": r"^-?\d+(\.\d+)?$",
    "money": r"^-?\d+\.\d{2}$",
    "time": r"^\d{2}:\d{2}(:\d{2})?$",
    "datetime": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$",
}
_PYTHON_TYPES: dict[str, Any] = {
    "integer": int,
    "rating": int,
    "yes_no": bool,
    "multichoice": list[str],
}


class _RecordPart(BaseModel):
    # A validation error must not quote a customer's value: errors reach logs.
    model_config = ConfigDict(
        extra="forbid", populate_by_name=True, hide_input_in_errors=True
    )


def _value_schema(field: FieldBase, value_type: str) -> dict[str, Any]:
    schema: dict[str, Any]
    if value_type in ("integer", "rating"):
        schema = {"type": "integer"}
        if value_type == "rating":
            schema.update(minimum=1, maximum=5)
    elif value_type == "yes_no":
        schema = {"type": "boolean"}
    elif value_type == "multichoice":
        keys = [o.key for o in field.options]  # type: ignore[attr-defined]
        schema = {"type": "array", "items": {"enum": keys}, "uniqueItems": True}
    elif value_type in ("choice", "dropdown"):
        schema = {"enum": [o.key for o in field.options]}  # type: ignore[attr-defined]
    elif value_type == "date":
        schema = {"type": "string", "format": "date"}
    elif value_type == "email":
        schema = {"type": "string", "format": "email"}
    else:
        schema = {"type": "string"}
        if value_type in _PATTERNS:
            schema["pattern"] = _PATTERNS[value_type]
        limit = getattr(field, "max_length", None)
        if value_type in ("text", "textarea") and limit:
            schema["maxLength"] = limit
    title = field.label.zh
    return {"anyOf": [schema, {"type": "null"}], "title": title}


def _convert_or_none(field: FieldBase, value_type: str, raw: Any) -> Any:
    if is_empty(raw):
        return None
    try:
        if value_type == "line":
            return convert_line(raw)
        return CONVERTERS[value_type](field, raw)
    except ValueProblem as problem:
        message = str(problem)
        if is_sensitive_field(field):
            message = masked_message(message, raw)
        raise ValueError(message) from None


def _value_annotation(field: FieldBase, value_type: str) -> Any:
    python_type = _PYTHON_TYPES.get(value_type, str)
    schema_type = "text" if value_type == "line" else value_type
    return Annotated[
        python_type | None,
        BeforeValidator(functools.partial(_convert_or_none, field, value_type)),
        WithJsonSchema(_value_schema(field, schema_type)),
    ]


def _parts_model(field: SignatureField | NoticeField) -> type[BaseModel]:
    first = "name" if isinstance(field, SignatureField) else "signer"
    definitions: dict[str, Any] = {
        first: (_value_annotation(field, "line"), None),
        "date": (_value_annotation(field, "date"), None),
    }
    if isinstance(field, NoticeField):
        fingerprint = Annotated[
            str | None,
            WithJsonSchema(
                {"anyOf": [{"const": field.text_fingerprint}, {"type": "null"}]}
            ),
        ]
        definitions["text_fingerprint"] = (fingerprint, None)
    model_name = f"{'Signature' if first == 'name' else 'Consent'}_{field.key}"
    return create_model(model_name, __base__=_RecordPart, **definitions)


def _fields_definitions(fields: list[Any]) -> dict[str, Any]:
    """Return create_model arguments for a list of fields; keys become aliases."""
    definitions: dict[str, Any] = {}
    for field in fields:
        if isinstance(field, SignatureField) or (
            isinstance(field, NoticeField) and field.consent
        ):
            annotation: Any = _parts_model(field) | None
        elif not field.holds_value:
            continue
        else:
            annotation = _value_annotation(field, field.type)
        # Aliases let a key such as `copy` or `schema` be a field without clashing
        # with pydantic's own attribute names.
        definitions[f"f_{field.key}"] = (annotation, Field(None, alias=field.key))
        other_key = getattr(field, "other_key", None)
        if other_key:
            line = _value_annotation(field, "line")
            definitions[f"f_{other_key}"] = (line, Field(None, alias=other_key))
    return definitions


_MODELS: dict[tuple[str, int, str], type[BaseModel]] = {}


def record_model(template: Template) -> type[BaseModel]:
    """Return the pydantic model of a template's record, nested by section."""
    key = (template.id, template.version, template.fingerprint)
    if key not in _MODELS:
        _MODELS[key] = _build_record_model(template)
    return _MODELS[key]


def _build_record_model(template: Template) -> type[BaseModel]:
    sections: dict[str, Any] = {}
    for section in template.sections:
        if isinstance(section, TableSection):
            fields = section.columns
        else:
            fields = section.fields
        part: Any = create_model(
            f"Section_{section.id}", __base__=_RecordPart, **_fields_definitions(fields)
        )
        if isinstance(section, TableSection):
            annotation: Any = list[part]
            default: Any = Field(default_factory=list, alias=section.id)
        elif isinstance(section, GroupSection):
            annotation = Annotated[
                list[part],
                Field(max_length=section.repeat),
            ]
            default = Field(default_factory=list, alias=section.id)
        else:
            annotation = part
            default = Field(default_factory=part, alias=section.id)
        sections[f"s_{section.id}"] = (annotation, default)
    model_name = "Record_" + template.id.replace("-", "_")
    return create_model(model_name, __base__=_RecordPart, **sections)


def record_json_schema(template: Template) -> dict[str, Any]:
    """Return the JSON Schema of a template's canonical record."""
    schema = record_model(template).model_json_schema(by_alias=True)
    schema["title"] = template.title.zh
    schema["$comment"] = f"{template.id} version {template.version}"
    return schema
