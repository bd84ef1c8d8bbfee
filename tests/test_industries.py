"""The industry pack: every template loads, has a valid sample and a JSON Schema."""

from __future__ import annotations

import copy
import json
import warnings

import jsonschema
import pytest
from pydantic import BaseModel

from engine.record_model import record_json_schema, record_model
from engine.records import validate_record
from engine.spec.labels import label_text
from engine.spec.loader import Catalog
from engine.spec.model import Label
from tests.conftest import sample_values, template_ids

REQUIRED_TEMPLATES = {
    "personal-customer",
    "enterprise-credit",
    "consulting-client",
    "beauty-client",
    "spa-client",
    "property-household",
    "counselling-client",
    "early-education-visit",
    "quality-customer",
}


def test_pack_has_every_required_template(catalog: Catalog) -> None:
    assert REQUIRED_TEMPLATES <= set(catalog.ids())


@pytest.mark.parametrize("template_id", template_ids())
def test_sample_record_is_valid(catalog: Catalog, template_id: str) -> None:
    loaded = catalog.get_loaded(template_id)

    report = validate_record(loaded.template, sample_values(loaded))

    assert report.problems == []


@pytest.mark.parametrize("template_id", template_ids())
def test_sample_is_already_canonical(catalog: Catalog, template_id: str) -> None:
    loaded = catalog.get_loaded(template_id)
    values = sample_values(loaded)

    report = validate_record(loaded.template, values)

    assert report.values == values


@pytest.mark.parametrize("template_id", template_ids())
def test_json_schema_accepts_sample_and_rejects_broken_copy(
    catalog: Catalog, template_id: str
) -> None:
    loaded = catalog.get_loaded(template_id)
    schema = record_json_schema(loaded.template)
    values = sample_values(loaded)
    broken = copy.deepcopy(values)
    first_section = loaded.template.sections[0].id
    broken[first_section]["no_such_field"] = "x"

    jsonschema.validate(values, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema)


@pytest.mark.parametrize("template_id", template_ids())
def test_json_schema_rejects_wrong_typed_value(
    catalog: Catalog, template_id: str
) -> None:
    loaded = catalog.get_loaded(template_id)
    schema = record_json_schema(loaded.template)
    values = sample_values(loaded)
    section, key = next(
        (s.id, f.key)
        for s in loaded.template.sections
        if s.kind == "fields"
        for f in s.fields
        if f.holds_value and f.type in ("text", "mobile", "date", "choice")
    )
    values[section][key] = 12345

    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(values, schema)


@pytest.mark.parametrize("template_id", template_ids())
def test_pydantic_model_round_trips_sample(catalog: Catalog, template_id: str) -> None:
    loaded = catalog.get_loaded(template_id)
    values = sample_values(loaded)

    model = record_model(loaded.template).model_validate(values)

    assert json.loads(model.model_dump_json(by_alias=True)) == values


def _labels(value: object, where: str):
    if isinstance(value, Label):
        yield where, value
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _labels(item, f"{where}[{i}]")
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _labels(getattr(value, name), f"{where}.{name}")


@pytest.mark.parametrize("template_id", template_ids())
def test_every_label_has_english(catalog: Catalog, template_id: str) -> None:
    template = catalog.get(template_id)

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for where, label in _labels(template, template_id):
            label_text(label, "both", where)
