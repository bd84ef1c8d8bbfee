"""Mobile, landline, ID card and postal code as people type them."""

from __future__ import annotations

import pytest

from engine.fields.numbers import (
    id_check_character,
    mask,
    normalize_id_card,
    normalize_landline,
    normalize_mobile,
    normalize_phone,
    normalize_postal_code,
)
from engine.fields.problem import ValueProblem


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        ("１３９　０００１　２３４５", "13900012345"),
        ("139-0001-2345", "13900012345"),
        ("+86 139 0001 2345", "13900012345"),
        ("0086-13900012345", "13900012345"),
        ("19200001234", "19200001234"),
        ("16200001234", "16200001234"),
        ("＋８６　１３９０００１２３４５", "13900012345"),
    ],
)
def test_mobile_typed_forms_normalise(typed: str, canonical: str) -> None:
    assert normalize_mobile(typed) == canonical


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("1390001234", "位数不对"),
        ("139000123456", "位数不对"),
        ("23900012345", "13 至 19 开头"),
        ("1390001234a", "含非数字字符"),
        ("12900012345", "13 至 19 开头"),
    ],
)
def test_mobile_invalid_says_what_is_wrong(typed: str, message: str) -> None:
    with pytest.raises(ValueProblem, match=message):
        normalize_mobile(typed)


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        ("0755-12345678", "0755-12345678"),
        ("075512345678", "0755-12345678"),
        ("010 1234 5678", "010-12345678"),
        ("（010）12345678", "010-12345678"),
        ("+86 10 12345678", "010-12345678"),
        ("0755-1234567-801", "0755-1234567-801"),
        ("0755-12345678转801", "0755-12345678-801"),
    ],
)
def test_landline_typed_forms_normalise(typed: str, canonical: str) -> None:
    assert normalize_landline(typed) == canonical


@pytest.mark.parametrize("typed", ["12345678", "0755-123", "0755-12a45678"])
def test_landline_invalid_is_rejected(typed: str) -> None:
    with pytest.raises(ValueProblem):
        normalize_landline(typed)


def test_phone_accepts_mobile_and_landline() -> None:
    assert normalize_phone("139 0001 2345") == "13900012345"
    assert normalize_phone("0755-12345678") == "0755-12345678"


def test_id_card_check_digit_and_upper_case_x() -> None:
    first_17 = "11010519491231002"

    check = id_check_character(first_17)

    assert check == "X"
    assert normalize_id_card(first_17 + "x") == "11010519491231002X"
    assert (
        normalize_id_card("１１０１０５１９４９１２３１００２Ｘ")
        == "11010519491231002X"
    )


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("110105194912310021", "校验码不对"),
        ("11010519491231002", "位数不对"),
        ("110105194902300029", "出生日期无效"),
        ("1101051949123100AX", "含非数字字符"),
    ],
)
def test_id_card_invalid_says_what_is_wrong(typed: str, message: str) -> None:
    with pytest.raises(ValueProblem, match=message):
        normalize_id_card(typed)


def test_postal_code() -> None:
    assert normalize_postal_code("５１８ ０００") == "518000"
    with pytest.raises(ValueProblem, match="位数不对"):
        normalize_postal_code("51800")


def test_mask_keeps_ends_only() -> None:
    assert mask("11010519491231002X") == "1101**********002X"
    assert mask("13900012345") == "1390***2345"
    assert mask("123") == "12*"
