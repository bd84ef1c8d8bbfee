"""YAML is read so that its 1.1 traps cannot change a declaration."""

from __future__ import annotations

from engine.spec.loader import load_catalog
from engine.spec.yamlread import MAX_DECLARATION_BYTES, read_yaml
from tests.conftest import FIXTURES


def test_yaml_booleans_stay_strings_in_keys_and_values() -> None:
    result = read_yaml("no: yes\non: off\nlist: [yes, no, On, OFF]\n")

    assert result.issues == []
    assert result.data == {"no": "yes", "on": "off", "list": ["yes", "no", "On", "OFF"]}


def test_numbers_dates_and_times_stay_text() -> None:
    result = read_yaml("a: 030000\nb: 13900001234\nc: 10:30\nd: 1990-03-07\ne: 1e3\n")

    assert result.data == {
        "a": "030000",
        "b": "13900001234",
        "c": "10:30",
        "d": "1990-03-07",
        "e": "1e3",
    }


def test_unquoted_null_is_none_but_quoted_null_is_text() -> None:
    result = read_yaml("a: ~\nb:\nc: 'null'\nd: null\n")

    assert result.data == {"a": None, "b": None, "c": "null", "d": None}


def test_duplicate_key_names_both_lines() -> None:
    result = read_yaml("phone: 1\nname: x\nphone: 2\n")

    assert len(result.issues) == 1
    assert result.issues[0].line == 3
    assert "first on line 1, again on line 3" in result.issues[0].message


def test_tab_inside_quotes_is_allowed() -> None:
    result = read_yaml('label: "a\tb"\n')

    assert result.issues == []
    assert result.data == {"label": "a\tb"}


def test_tab_after_value_is_reported_in_chinese_and_english() -> None:
    result = read_yaml("a: 1\t# note\n")

    assert [(i.line, i.column) for i in result.issues] == [(1, 5)]
    assert "制表符" in result.issues[0].message
    assert "with spaces" in result.issues[0].message


def test_deep_nesting_is_rejected() -> None:
    text = "a: " + "[" * 60 + "]" * 60 + "\n"

    result = read_yaml(text)

    assert result.data is None
    assert "nests deeper than" in result.issues[0].message


def test_huge_file_is_rejected_before_parsing() -> None:
    text = "a: " + "x" * (MAX_DECLARATION_BYTES + 1)

    result = read_yaml(text)

    assert result.data is None
    assert "larger than" in result.issues[0].message


def test_field_keyed_no_and_options_yes_no_load_as_written() -> None:
    template = load_catalog(FIXTURES / "valid" / "yaml-traps").get("yaml-traps")

    fields = {f.key: f for f in template.sections[0].fields}

    assert list(fields) == ["no", "on", "consent", "mobile", "time", "off"]
    assert fields["no"].default == "030000"
    assert fields["on"].default == "1990-03-07"
    assert [o.key for o in fields["consent"].options] == ["yes", "no"]
    assert fields["mobile"].placeholder.zh == "13900001234"
    assert fields["time"].default == "10:30"
    assert fields["off"].required is True
    assert template.form_no == "030000"
