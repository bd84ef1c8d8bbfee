"""Convert a value as typed into the canonical value of its field type.

Each converter takes the field declaration and the raw value (a string from a form,
or a JSON value from a record) and returns the canonical value, or raises
ValueProblem. Empty input is handled by the caller, never here.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from engine.fields.numbers import (
    normalize_id_card,
    normalize_landline,
    normalize_mobile,
    normalize_phone,
    normalize_postal_code,
)
from engine.fields.problem import ValueProblem
from engine.spec.model import FieldBase

# Characters XML 1.0 forbids; lxml raises on them with no field named, and Word refuses
# the file. Tab, line feed and carriage return are allowed.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")
# Full-width digits typed with a Chinese input method, and what they stand for.
_FULL_WIDTH_DIGITS = {ord("０") + i: ord("0") + i for i in range(10)}
# The time Word's date picker adds to a date it stores.
_MIDNIGHT = re.compile(r"T00:00:00(Z|[+-]00:00)?$")
_TRUE = {"true", "yes", "y", "1", "是", "有", "√", "✓", "✔", "on"}
_FALSE = {"false", "no", "n", "0", "否", "无", "×", "off"}


def _text(raw: Any) -> str:
    if isinstance(raw, bool) or not isinstance(raw, str | int | float | Decimal):
        raise ValueProblem(f"应为文字，这里是 {type(raw).__name__} (expected text)")
    text = str(raw)
    bad = _XML_ILLEGAL.search(text)
    if bad:
        raise ValueProblem(
            f"含不可见的控制字符 U+{ord(bad[0]):04X}，请删除后重新输入 (contains the control character U+{ord(bad[0]):04X}, which a form cannot hold; remove it)"
        )
    return text


def convert_line(raw: Any, limit: int = 200, multiline: bool = False) -> str:
    """Return text with line breaks as `\n`; a single line unless `multiline`."""
    text = _text(raw).replace("\r\n", "\n").replace("\r", "\n")
    if "\n" in text and not multiline:
        raise ValueProblem("此处只能填一行 (this field takes a single line)")
    if len(text) > limit:
        raise ValueProblem(
            f"太长：最多 {limit} 个字，这里有 {len(text)} 个 (at most {limit} characters, found {len(text)})"
        )
    return text


def convert_text(field: FieldBase, raw: Any) -> str:
    limit = getattr(field, "max_length", 200)
    return convert_line(raw, limit, multiline=field.type == "textarea")


def _number(raw: Any) -> Decimal:
    if isinstance(raw, bool):
        raise ValueProblem("应为数字 (expected a number)")
    text = _text(raw).translate(_FULL_WIDTH_DIGITS)
    text = text.replace("，", "").replace(",", "").replace("．", ".").strip()
    text = text.removeprefix("¥").removeprefix("￥").removesuffix("元").strip()
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueProblem(f"应为数字，这里是 {text!r} (expected a number)") from None
    if not number.is_finite():
        raise ValueProblem("应为数字 (expected a number)")
    return number


def _check_range(field: FieldBase, number: Decimal | int) -> None:
    low = getattr(field, "min", None)
    high = getattr(field, "max", None)
    if low is not None and number < Decimal(str(low)):
        raise ValueProblem(f"不能小于 {low} (must be at least {low})")
    if high is not None and number > Decimal(str(high)):
        raise ValueProblem(f"不能大于 {high} (must be at most {high})")


def convert_integer(field: FieldBase, raw: Any) -> int:
    number = _number(raw)
    if number != number.to_integral_value():
        raise ValueProblem(f"应为整数，这里是 {number} (expected a whole number)")
    _check_range(field, number)
    return int(number)


def convert_decimal(field: FieldBase, raw: Any) -> str:
    number = _number(raw)
    _check_range(field, number)
    places = getattr(field, "places", 2)
    exponent = Decimal(1).scaleb(-places)
    if number != number.quantize(exponent, rounding=ROUND_HALF_UP):
        raise ValueProblem(
            f"最多保留 {places} 位小数 (at most {places} decimal places)"
        )
    return str(number.quantize(exponent))


def convert_money(field: FieldBase, raw: Any) -> str:
    number = _number(raw)
    _check_range(field, number)
    if number != number.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP):
        raise ValueProblem(
            "金额最多到分（两位小数） (an amount has at most two decimals)"
        )
    return str(number.quantize(Decimal("0.01")))


_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_TIME = re.compile(
    r"(\d{1,2})\s*[:：时点]\s*(\d{1,2})\s*分?(?:\s*[:：]\s*(\d{1,2})\s*秒?)?"
)


def _parse_date(text: str) -> dt.date:
    match = _DATE.fullmatch(text.strip())
    if not match:
        raise ValueProblem(
            f"日期格式不对：{text!r}，应写成 2024-03-07 或 2024年3月7日 (expected a date such as 2024-03-07)"
        )
    try:
        return dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        raise ValueProblem(f"没有这一天：{text!r} (not a real date)") from None


def _parse_time(text: str) -> dt.time:
    match = _TIME.fullmatch(text.strip())
    if not match:
        raise ValueProblem(
            f"时间格式不对：{text!r}，应写成 09:30 (expected a time such as 09:30)"
        )
    try:
        return dt.time(int(match[1]), int(match[2]), int(match[3] or 0))
    except ValueError:
        raise ValueProblem(f"没有这个时间：{text!r} (not a real time)") from None


def convert_date(field: FieldBase, raw: Any) -> str:
    if isinstance(raw, dt.datetime):
        raw = raw.date()
    if isinstance(raw, dt.date):
        return raw.isoformat()
    text = _text(raw).translate(_FULL_WIDTH_DIGITS)
    # Word's date picker stores fullDate as 2024-03-07T00:00:00Z.
    text = _MIDNIGHT.sub("", text.strip())
    return _parse_date(text).isoformat()


def convert_time(field: FieldBase, raw: Any) -> str:
    if isinstance(raw, dt.time):
        return raw.strftime("%H:%M")
    parsed = _parse_time(_text(raw))
    return parsed.strftime("%H:%M:%S" if parsed.second else "%H:%M")


def convert_datetime(field: FieldBase, raw: Any) -> str:
    if isinstance(raw, dt.datetime):
        return raw.strftime("%Y-%m-%dT%H:%M")
    text = _text(raw).strip()
    parts = re.split(r"[T\s]+", text, maxsplit=1)
    if len(parts) != 2:
        raise ValueProblem(
            f"应包含日期和时间：{text!r}，例如 2024-03-07 09:30 (expected a date and a time)"
        )
    day = _parse_date(parts[0])
    time = _parse_time(parts[1])
    return f"{day.isoformat()}T{time.strftime('%H:%M')}"


def convert_email(field: FieldBase, raw: Any) -> str:
    text = _text(raw).strip()
    if not _EMAIL.fullmatch(text):
        raise ValueProblem(
            f"邮箱格式不对：{text!r} (expected an address such as name@example.com)"
        )
    return text


def _identifier(normalize: Callable[[str], str]) -> Callable[[FieldBase, Any], str]:
    def convert(field: FieldBase, raw: Any) -> str:
        return normalize(_text(raw))

    return convert


def _option_key(field: Any, raw: Any) -> str:
    """Return the option key for a key or a label (Chinese or English) as typed."""
    text = _text(raw).strip()
    for option in field.options:
        if text == option.key:
            return option.key
    for option in field.options:
        if text in (option.label.zh, option.label.en):
            return option.key
    keys = ", ".join(o.key for o in field.options)
    raise ValueProblem(
        f"不是可选项之一：{text!r}；可选：{keys} (not one of the options: {keys})"
    )


def convert_choice(field: FieldBase, raw: Any) -> str:
    return _option_key(field, raw)


def convert_multichoice(field: FieldBase, raw: Any) -> list[str]:
    items = raw if isinstance(raw, list) else re.split(r"[,，、;；]\s*", _text(raw))
    chosen = {_option_key(field, item) for item in items if str(item).strip()}
    # Declaration order, so that equal selections compare equal.
    return [o.key for o in field.options if o.key in chosen]  # type: ignore[attr-defined]


def convert_yes_no(field: FieldBase, raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    text = _text(raw).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueProblem(f"应为“是”或“否”，这里是 {text!r} (expected yes or no)")


def convert_rating(field: FieldBase, raw: Any) -> int:
    number = _number(raw)
    if number not in (1, 2, 3, 4, 5):
        raise ValueProblem(
            f"评分应为 1 至 5 的整数，这里是 {number} (a rating is a whole number from 1 to 5)"
        )
    return int(number)


CONVERTERS: dict[str, Callable[[FieldBase, Any], Any]] = {
    "text": convert_text,
    "textarea": convert_text,
    "integer": convert_integer,
    "decimal": convert_decimal,
    "money": convert_money,
    "date": convert_date,
    "time": convert_time,
    "datetime": convert_datetime,
    "phone": _identifier(normalize_phone),
    "mobile": _identifier(normalize_mobile),
    "landline": _identifier(normalize_landline),
    "email": convert_email,
    "id_card": _identifier(normalize_id_card),
    "postal_code": _identifier(normalize_postal_code),
    "choice": convert_choice,
    "multichoice": convert_multichoice,
    "dropdown": convert_choice,
    "yes_no": convert_yes_no,
    "rating": convert_rating,
}

# Kinds whose canonical form differs from what people type; a record keeps the raw
# input beside the canonical value for these.
NORMALISED_TYPES = ("phone", "mobile", "landline", "id_card", "postal_code")
# Kinds whose values must never be written to a log in full.
ALWAYS_SENSITIVE_TYPES = ("phone", "mobile", "landline", "id_card")


def is_empty(raw: Any) -> bool:
    """Return True for a value that means "not filled in"."""
    if raw is None:
        return True
    if isinstance(raw, str):
        return raw.strip() == ""
    if isinstance(raw, list | dict):
        return len(raw) == 0
    return False
