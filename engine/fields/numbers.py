"""Numeric identifiers typed by people: mobile, landline, ID card and postal code.

People type these with a Chinese input method in full-width mode (１３９), with
ideographic spaces, dashes and a +86 or 0086 prefix. Each is reduced to its digits and
checked by structure, not against a list of carrier prefixes, because carriers open new
prefixes and such lists go stale. Only these kinds are normalised: NFKC on a name or an
address would turn Ⅸ号楼①单元 into IX号楼1单元.
"""

from __future__ import annotations

import datetime as dt
import re

from engine.fields.problem import ValueProblem

# Full-width digits and letters, and the separators people put between digit groups.
_FULL_WIDTH = {ord("０") + i: ord("0") + i for i in range(10)}
_FULL_WIDTH.update({ord("＋"): ord("+"), ord("Ｘ"): ord("X"), ord("ｘ"): ord("x")})
_FULL_WIDTH.update({ord("－"): ord("-"), ord("（"): ord("("), ord("）"): ord(")")})
_SEPARATORS = re.compile(r"[\s\u3000\-‐‑–—()]+")
_COUNTRY_CODE = re.compile(r"^(\+86|0086)[\s\u3000\-]*")
_SPACES = re.compile(r"[\s\u3000]+")
# Separators between the area code, number and extension of a landline number.
_PART_BREAKS = re.compile(r"[\-‐‑–—()]+|转|ext\.?|EXT\.?")

MOBILE = re.compile(r"1[3-9]\d{9}")
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARACTERS = "10X98765432"


def _half_width(raw: str) -> str:
    return raw.translate(_FULL_WIDTH).strip()


def _digits_only(raw: str, what: str) -> str:
    compact = _SEPARATORS.sub("", _half_width(raw))
    if not compact.isdigit() or not compact.isascii():
        raise ValueProblem(
            f"含非数字字符：{what}只能包含数字 (contains characters other than digits)"
        )
    return compact


def _strip_country_code(compact: str) -> str:
    if compact.startswith("+86"):
        return compact[3:]
    if compact.startswith("0086"):
        return compact[4:]
    return compact


def normalize_mobile(raw: str) -> str:
    """Return an 11-digit mainland mobile number, or raise ValueProblem."""
    compact = _half_width(raw)
    compact = _SEPARATORS.sub("", compact)
    compact = _strip_country_code(compact)
    digits = _digits_only(compact, "手机号")
    if len(digits) != 11:
        raise ValueProblem(
            f"位数不对：手机号应为 11 位，这里是 {len(digits)} 位 (a mobile number has 11 digits, found {len(digits)})"
        )
    if not MOBILE.fullmatch(digits):
        raise ValueProblem(
            "手机号应以 13 至 19 开头 (a mainland mobile number starts with 13 to 19)"
        )
    return digits


def normalize_landline(raw: str) -> str:
    """Return `area-number` or `area-number-extension`, e.g. 0755-12345678.

    Dashes, brackets and 转/ext separate the parts; spaces only group digits.
    """
    text = _half_width(raw)
    local = _COUNTRY_CODE.sub("", text)
    hard = _SPACES.sub("", local)
    hard = _PART_BREAKS.sub("-", hard).strip("-")
    parts = hard.split("-") if hard else []
    if not parts or not all(p.isdigit() and p.isascii() for p in parts):
        raise ValueProblem(
            "含非数字字符：固定电话只能包含数字和分隔符 (a landline number has only digits and separators)"
        )
    if local != _half_width(raw) and not parts[0].startswith("0"):
        parts[0] = "0" + parts[0]  # after +86 the leading 0 of the area code is dropped
    if len(parts) == 1:
        parts = _split_area_code(parts[0])
    area, number, *extension = parts
    if not area.startswith("0") or not 3 <= len(area) <= 4:
        raise ValueProblem(
            f"区号不对：应以 0 开头、共 3 至 4 位，这里是 {area} (an area code is 0 and 2 or 3 more digits)"
        )
    if not 7 <= len(number) <= 8:
        raise ValueProblem(
            f"位数不对：电话号码应为 7 至 8 位，这里是 {len(number)} 位 (a local number has 7 or 8 digits, found {len(number)})"
        )
    if len(extension) > 1 or (extension and len(extension[0]) > 6):
        raise ValueProblem(
            "分机号格式不对：应为“区号-号码-分机” (expected area-number-extension)"
        )
    return "-".join([area, number, *extension])


def _split_area_code(digits: str) -> list[str]:
    """Split 075512345678 into area code and number by its length."""
    if not digits.startswith("0"):
        raise ValueProblem(
            "缺少区号：请写成“区号-号码”，例如 0755-12345678 (add the area code)"
        )
    # Beijing, Shanghai, Tianjin, Chongqing and 02x cities have 3-digit area codes.
    area_length = 3 if digits[1] in "12" else 4
    return [digits[:area_length], digits[area_length:]]


def normalize_phone(raw: str) -> str:
    """Return a mobile or landline number in canonical form."""
    compact = _strip_country_code(_SEPARATORS.sub("", _half_width(raw)))
    if compact.startswith("1") and len(compact) == 11:
        return normalize_mobile(raw)
    try:
        return normalize_landline(raw)
    except ValueProblem as landline_problem:
        if compact.startswith("1"):
            return normalize_mobile(raw)
        raise landline_problem


def id_check_character(first_17: str) -> str:
    """Return the GB 11643 check character for the first 17 digits."""
    total = sum(int(d) * w for d, w in zip(first_17, ID_WEIGHTS, strict=True))
    return ID_CHECK_CHARACTERS[total % 11]


def normalize_id_card(raw: str) -> str:
    """Return an 18-character resident ID number with an upper-case X, or raise."""
    compact = _SEPARATORS.sub("", _half_width(raw)).upper()
    if len(compact) != 18:
        raise ValueProblem(
            f"位数不对：身份证号应为 18 位，这里是 {len(compact)} 位 (an ID number has 18 characters, found {len(compact)})"
        )
    if (
        not compact[:17].isdigit()
        or not compact[:17].isascii()
        or compact[17] not in "0123456789X"
    ):
        raise ValueProblem(
            "含非数字字符：身份证号前 17 位为数字，最后一位为数字或 X (17 digits, then a digit or X)"
        )
    try:
        dt.date(int(compact[6:10]), int(compact[10:12]), int(compact[12:14]))
    except ValueError:
        raise ValueProblem(
            f"出生日期无效：{compact[6:14]} 不是真实日期 (the birth date in the ID number is not a real date)"
        ) from None
    expected = id_check_character(compact[:17])
    if compact[17] != expected:
        raise ValueProblem(
            "校验码不对：请核对身份证号是否抄错 (the check digit does not match; the number has a typo)"
        )
    return compact


def normalize_postal_code(raw: str) -> str:
    digits = _digits_only(raw, "邮政编码")
    if len(digits) != 6:
        raise ValueProblem(
            f"位数不对：邮政编码应为 6 位，这里是 {len(digits)} 位 (a postal code has 6 digits)"
        )
    return digits


def mask(value: str) -> str:
    """Return an identifier with its middle hidden, for logs and error messages.

    The first four and last four characters stay so a clerk can tell records apart:
    110105194912310021 becomes 1101**********0021.
    """
    if len(value) <= 8:
        return value[:2] + "*" * max(len(value) - 2, 0)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]
