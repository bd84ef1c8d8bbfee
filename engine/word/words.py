"""Fixed wording of a Word form (page numbers, yes/no, hints) in each form language."""

from __future__ import annotations

from engine.spec.labels import Language

# Each entry is (Chinese, English). A form in "both" uses the Chinese, because the
# wording sits beside bilingual labels and repeating it in English crowds the line.
_WORDS: dict[str, tuple[str, str]] = {
    "form_no": ("表单编号：", "Form no.: "),
    "version": ("版本：", "Version: "),
    "page": ("第 {page} 页  共 {pages} 页", "Page {page} of {pages}"),
    "yes": ("是", "Yes"),
    "no": ("否", "No"),
    "date": ("日期：", "Date: "),
    "signer": ("签署人：", "Signed by: "),
    "specify": ("请注明", "Please specify"),
    "colon": ("：", ": "),
}

# Grey hints shown in an empty control, by field type or slot part.
_HINTS: dict[str, tuple[str, str]] = {
    "text": ("点击输入", "Click to type"),
    "textarea": ("点击输入，可换行", "Click to type; Enter starts a new line"),
    "integer": ("整数", "Whole number"),
    "decimal": ("数字", "Number"),
    "money": ("金额", "Amount"),
    "date": ("选择日期", "Pick a date"),
    "time": ("时:分", "hh:mm"),
    "datetime": ("年-月-日 时:分", "yyyy-mm-dd hh:mm"),
    "phone": ("手机或座机号码", "Mobile or landline"),
    "mobile": ("11位手机号", "11-digit mobile"),
    "landline": ("区号-号码", "Area code-number"),
    "email": ("电子邮箱", "Email"),
    "id_card": ("18位身份证号", "18-digit ID number"),
    "postal_code": ("6位邮编", "6-digit code"),
    "dropdown": ("请选择", "Choose one"),
    "name": ("签名", "Name"),
    "signer": ("签名", "Name"),
    "other": ("请注明", "Specify"),
}

# Chinese ordinals for section titles (一、二、…); past the list, numbers are used.
_ORDINALS = "一二三四五六七八九十"


def word(key: str, language: Language) -> str:
    """Return the fixed wording `key` in a form language."""
    zh, en = _WORDS[key]
    return en if language == "en" else zh


def hint(kind: str, language: Language) -> str:
    """Return the grey hint for a field type or slot part (`name`, `other`)."""
    zh, en = _HINTS.get(kind, _HINTS["text"])
    return en if language == "en" else zh


def section_number(index: int, language: Language) -> str:
    """Return the prefix of section `index` (0-based): `一、` or `1. `."""
    if language == "en" or index >= len(_ORDINALS):
        return f"{index + 1}. "
    return f"{_ORDINALS[index]}、"


def date_format(language: Language) -> str:
    """Return the Word date-picker format for a form language."""
    return "yyyy-MM-dd" if language == "en" else "yyyy年M月d日"


def date_text(year: int, month: int, day: int, language: Language) -> str:
    """Return a date as the date picker shows it in `date_format(language)`."""
    if language == "en":
        return f"{year:04d}-{month:02d}-{day:02d}"
    return f"{year}年{month}月{day}日"
