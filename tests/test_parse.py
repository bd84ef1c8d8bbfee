"""From a format reader's raw values to a record: options, missing fields, strict."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.errors import FormFileError
from engine.parse import (
    MISSING_MESSAGE,
    StrictParseError,
    detect_format,
    read_form,
    record_from_reading,
)
from engine.reading import FormIdentity, FormReading
from engine.spec.loader import load_catalog
from engine.spec.model import Template
from engine.spec.slots import option_path, template_slots

DECLARATION = """\
id: parse-test
version: 1
title: 测试
industry: test
sections:
  - id: basic
    title: 基本
    fields:
      - {key: name, type: text, label: 姓名}
      - {key: skin, type: choice, label: 皮肤, options: [{key: dry, label: 干性}, {key: oily, label: 油性}]}
      - {key: needs, type: multichoice, label: 需求, options: [{key: a, label: 补水}, {key: b, label: 美白}]}
      - {key: vip, type: yes_no, label: 会员}
"""
SOURCE = Path("form.docx")


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Template:
    root = tmp_path_factory.mktemp("parse")
    (root / "t.yaml").write_text(DECLARATION, encoding="utf-8")
    return load_catalog(root).get("parse-test")


def boxes(path: str, ticked: dict[str, bool]) -> dict[str, bool]:
    return {option_path(path, key): state for key, state in ticked.items()}


def reading(values: dict) -> FormReading:
    return FormReading(
        "docx", FormIdentity("parse-test", 1), values, producer="LibreOffice/25.2"
    )


def full_values(**overrides: object) -> dict:
    values: dict = {"basic.name": "张三"}
    values |= boxes("basic.skin", {"dry": False, "oily": True})
    values |= boxes("basic.needs", {"a": True, "b": True})
    values |= boxes("basic.vip", {"yes": False, "no": True})
    values.update(overrides)
    return values


def test_option_boxes_become_option_keys(template: Template) -> None:
    record = record_from_reading(template, reading(full_values()), SOURCE, "0" * 64)

    assert record.problems == []
    assert record.values["basic"] == {
        "name": "张三",
        "skin": "oily",
        "needs": ["a", "b"],
        "vip": False,
    }


def test_two_ticked_boxes_of_a_choice_are_a_problem(template: Template) -> None:
    values = full_values(**boxes("basic.skin", {"dry": True, "oily": True}))

    record = record_from_reading(template, reading(values), SOURCE, "0" * 64)

    assert [p.path for p in record.problems] == ["basic.skin"]
    assert "勾选了多个选项" in record.problems[0].message


def test_placeholder_text_counts_as_empty(template: Template) -> None:
    record = record_from_reading(
        template, reading(full_values(**{"basic.name": None})), SOURCE, "0" * 64
    )

    assert record.values["basic"]["name"] is None
    assert record.problems == []


def test_missing_field_is_reported_by_name(template: Template) -> None:
    values = full_values()
    del values["basic.name"]

    record = record_from_reading(template, reading(values), SOURCE, "0" * 64)

    assert [(p.path, p.message) for p in record.problems] == [
        ("basic.name", MISSING_MESSAGE)
    ]


def test_missing_field_raises_in_strict_mode(template: Template) -> None:
    values = full_values()
    del values["basic.name"]

    with pytest.raises(StrictParseError, match="basic.name"):
        record_from_reading(template, reading(values), SOURCE, "0" * 64, strict=True)


def test_file_without_any_field_names_the_program(template: Template) -> None:
    assert len(list(template_slots(template))) == 4

    with pytest.raises(FormFileError, match="last saved by LibreOffice/25.2"):
        record_from_reading(template, reading({}), SOURCE, "0" * 64)


@pytest.mark.parametrize(
    ("data", "kind"),
    [(b"PK\x03\x04rest", "docx"), (b"%PDF-1.7\n", "pdf"), (b"\n%PDF-1.4", "pdf")],
)
def test_detect_format(data: bytes, kind: str) -> None:
    assert detect_format(data) == kind


@pytest.mark.parametrize(
    ("data", "message"),
    [(b"", "the file is empty"), (b"GIF89a", "not a Word (.docx) or PDF file")],
)
def test_unreadable_input_is_named(data: bytes, message: str) -> None:
    with pytest.raises(
        FormFileError, match=message.replace("(", r"\(").replace(")", r"\)")
    ):
        read_form(data, Path("scan.gif"))


def test_undeclared_field_is_noted_and_strict_raises(template: Template) -> None:
    values = full_values(**{"basic.nickname": "三"})

    record = record_from_reading(template, reading(values), SOURCE, "0" * 64)

    assert record.notes == [
        "the file has fields the template does not declare: basic.nickname"
    ]
    assert record.problems == []
    with pytest.raises(StrictParseError, match="basic.nickname"):
        record_from_reading(template, reading(values), SOURCE, "0" * 64, strict=True)
