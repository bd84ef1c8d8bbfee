"""Record validation: every problem by field path, the valid values kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.records import REQUIRED_MESSAGE, validate_record
from engine.spec.loader import load_catalog
from engine.spec.model import Template

DECLARATION = """\
id: record-test
version: 1
title: {zh: 测试, en: Test}
industry: test
sections:
  - id: basic
    title: 基本
    fields:
      - {key: name, type: text, label: 姓名, required: true}
      - {key: mobile, type: mobile, label: 手机}
      - {key: idn, type: id_card, label: 身份证}
      - {key: source, type: choice, label: 来源, options: [广告, {key: other, label: 其他, specify: true}]}
      - {key: sign, type: signature, label: 签名}
      - {key: agree, type: notice, label: 同意书, text: 我已阅读并同意。, consent: true}
  - id: members
    kind: table
    title: 成员
    rows: 3
    columns:
      - {key: name, type: text, label: 姓名, required: true}
      - {key: phone, type: phone, label: 电话}
  - id: stages
    kind: group
    title: 沟通
    repeat: 2
    fields:
      - {key: date, type: date, label: 日期}
"""


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Template:
    root: Path = tmp_path_factory.mktemp("records")
    (root / "t.yaml").write_text(DECLARATION, encoding="utf-8")
    return load_catalog(root).get("record-test")


def test_valid_record_is_canonical(template: Template) -> None:
    report = validate_record(
        template,
        {
            "basic": {
                "name": "张三",
                "mobile": "139 0001 2345",
                "source": "其他",
                "source_other": "朋友介绍",
            },
            "members": [{"name": "李四", "phone": "0755 1234 5678"}],
            "stages": [{"date": "2024年3月1日"}, {"date": None}],
        },
    )

    assert report.problems == []
    assert report.values["basic"]["mobile"] == "13900012345"
    assert report.values["basic"]["source"] == "other"
    assert report.values["members"] == [{"name": "李四", "phone": "0755-12345678"}]
    assert report.values["stages"] == [{"date": "2024-03-01"}, {"date": None}]
    assert report.raw == {
        "basic.mobile": "139 0001 2345",
        "members[0].phone": "0755 1234 5678",
    }


def test_problems_name_paths_and_keep_typed_value(template: Template) -> None:
    report = validate_record(
        template,
        {
            "basic": {"name": "", "mobile": "1390001234", "idn": "110105194912310021"},
            "members": [
                {"name": "王五", "phone": "12"},
                {"name": None, "phone": "13900012345"},
            ],
        },
    )

    found = {(p.path, p.value) for p in report.problems}
    assert found == {
        ("basic.name", ""),
        ("basic.mobile", "1390001234"),
        ("basic.idn", "110105194912310021"),
        ("members[0].phone", "12"),
        ("members[1].name", None),
    }
    messages = {p.path: p.message for p in report.problems}
    assert messages["basic.name"] == REQUIRED_MESSAGE
    assert messages["members[1].name"] == REQUIRED_MESSAGE
    assert "位数不对" in messages["basic.mobile"]
    assert "校验码不对" in messages["basic.idn"]
    assert report.values["members"][0]["name"] == "王五"


def test_empty_table_rows_need_no_required_values(template: Template) -> None:
    report = validate_record(
        template, {"basic": {"name": "张三"}, "members": [{}, {"name": ""}]}
    )

    assert report.problems == []
    assert report.values["members"] == []


def test_control_character_is_rejected_naming_the_field(template: Template) -> None:
    report = validate_record(template, {"basic": {"name": "张\x0b三"}})

    assert [p.path for p in report.problems] == ["basic.name"]
    assert "U+000B" in report.problems[0].message


def test_consent_records_fingerprint_of_wording(template: Template) -> None:
    notice = template.sections[0].fields[5]

    report = validate_record(
        template,
        {"basic": {"name": "张三", "agree": {"signer": "张三", "date": "2024-3-7"}}},
    )

    agree = report.values["basic"]["agree"]
    assert agree == {
        "signer": "张三",
        "date": "2024-03-07",
        "text_fingerprint": notice.text_fingerprint,
    }
    assert len(agree["text_fingerprint"]) == 64


def test_consent_signed_for_other_wording_is_a_problem(template: Template) -> None:
    given = {"signer": "张三", "date": "2024-03-07", "text_fingerprint": "0" * 64}

    report = validate_record(template, {"basic": {"name": "张三", "agree": given}})

    assert [p.path for p in report.problems] == ["basic.agree.text_fingerprint"]


def test_unknown_sections_and_fields_are_reported(template: Template) -> None:
    report = validate_record(
        template, {"basic": {"name": "张三", "nickname": "三"}, "extra": {}}
    )

    assert sorted(p.path for p in report.problems) == ["basic.nickname", "extra"]


def test_too_many_group_repeats_are_reported(template: Template) -> None:
    report = validate_record(
        template, {"basic": {"name": "张三"}, "stages": [{}, {}, {}]}
    )

    assert [p.path for p in report.problems] == ["stages"]


def test_table_may_hold_more_rows_than_printed(template: Template) -> None:
    rows = [{"name": f"成员{i}"} for i in range(5)]

    report = validate_record(template, {"basic": {"name": "张三"}, "members": rows})

    assert report.problems == []
    assert len(report.values["members"]) == 5


def test_unknown_field_suggests_the_declared_key(template: Template) -> None:
    report = validate_record(
        template, {"basic": {"name": "张三", "mobil": "13900012345"}}
    )

    assert [(p.path, p.value) for p in report.problems] == [
        ("basic.mobil", "13900012345")
    ]
    assert "did you mean 'mobile'?" in report.problems[0].message
