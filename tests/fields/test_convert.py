"""Each field type converts what people type into one canonical value."""

from __future__ import annotations

from typing import Any

import pytest

from engine.fields.convert import CONVERTERS
from engine.fields.problem import ValueProblem
from engine.spec.model import FIELD_TYPES, STATIC_TYPES, Label, TextareaField
from tests.fields.declared import field_of


def convert(field_type: str, raw: Any, **extra: Any) -> Any:
    field = field_of(field_type, **extra)
    return CONVERTERS[field_type](field, raw)


def test_every_value_type_has_a_converter() -> None:
    value_types = set(FIELD_TYPES) - set(STATIC_TYPES) - {"signature"}

    assert value_types <= set(CONVERTERS)


@pytest.mark.parametrize(
    "typed", ["2024-03-07", "2024-3-7", "2024/3/7", "2024年3月7日", "2024.03.07"]
)
def test_date_formats(typed: str) -> None:
    assert convert("date", typed) == "2024-03-07"


def test_date_from_word_full_date() -> None:
    assert convert("date", "2024-03-07T00:00:00Z") == "2024-03-07"


@pytest.mark.parametrize("typed", ["2024-02-30", "07/03/2024", "昨天"])
def test_date_invalid(typed: str) -> None:
    with pytest.raises(ValueProblem):
        convert("date", typed)


def test_time_and_datetime() -> None:
    assert convert("time", "9:05") == "09:05"
    assert convert("time", "9点30分") == "09:30"
    assert convert("datetime", "2024年3月7日 14:30") == "2024-03-07T14:30"


def test_money_keeps_two_decimals() -> None:
    assert convert("money", "1,234.5") == "1234.50"
    assert convert("money", "￥88") == "88.00"
    with pytest.raises(ValueProblem, match="两位小数"):
        convert("money", "1.234")
    with pytest.raises(ValueProblem, match="不能小于 0"):
        convert("money", "-1")


def test_integer_and_decimal() -> None:
    assert convert("integer", "１２") == 12
    assert convert("decimal", "3.1", places=1) == "3.1"
    with pytest.raises(ValueProblem, match="整数"):
        convert("integer", "1.5")


def test_choice_accepts_key_or_label() -> None:
    assert convert("choice", "dry") == "dry"
    assert convert("choice", "干性") == "dry"
    assert convert("choice", "Oily") == "oily"
    with pytest.raises(ValueProblem, match="不是可选项之一"):
        convert("choice", "湿性")


def test_multichoice_keeps_declaration_order() -> None:
    assert convert("multichoice", ["oily", "dry"]) == ["dry", "oily"]
    assert convert("multichoice", "油性、干性") == ["dry", "oily"]


@pytest.mark.parametrize(
    ("typed", "value"), [("是", True), ("否", False), (True, True), ("no", False)]
)
def test_yes_no(typed: Any, value: bool) -> None:
    assert convert("yes_no", typed) is value


def test_rating_one_to_five() -> None:
    assert convert("rating", "5") == 5
    with pytest.raises(ValueProblem):
        convert("rating", "6")


def test_textarea_line_breaks_count_once() -> None:
    assert convert("textarea", "第一行\n第二行\r\n第三行") == "第一行\n第二行\n第三行"


def test_text_rejects_line_breaks_and_length() -> None:
    with pytest.raises(ValueProblem, match="只能填一行"):
        convert("text", "a\nb")
    with pytest.raises(ValueProblem, match="最多 3 个字"):
        convert("text", "abcd", max_length=3)


@pytest.mark.parametrize("bad", ["过敏\x0b史", "过敏\x00史", "\x1f"])
def test_control_characters_are_rejected(bad: str) -> None:
    field = TextareaField(type="textarea", key="allergy", label=Label(zh="过敏史"))

    with pytest.raises(ValueProblem, match="控制字符"):
        CONVERTERS["textarea"](field, bad)


def test_names_and_addresses_are_stored_exactly() -> None:
    assert convert("text", "Ⅸ号楼①单元") == "Ⅸ号楼①单元"
    assert convert("text", "美丽&健康 <VIP> 工作室") == "美丽&健康 <VIP> 工作室"


def test_email() -> None:
    assert convert("email", " a.b@example.com ") == "a.b@example.com"
    with pytest.raises(ValueProblem):
        convert("email", "a@b")
