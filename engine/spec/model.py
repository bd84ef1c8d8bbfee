"""Pydantic models of the template language: a template, its sections and fields.

These models describe a declaration after includes and `extends` are resolved. The
loader (`engine.spec.loader`) reads YAML into them; renderers and parsers walk them.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from engine.spec.memo import per_object

# Keys become parts of field paths (`basic.mobile`), content-control tags and PDF field
# names, so they are restricted to characters every one of those formats keeps as is.
KEY_PATTERN = r"^[a-z_][a-z0-9_]*$"
# Option keys may be Chinese (a plain string option is its own key) but must not
# contain the characters that separate parts of a path.
OPTION_KEY_PATTERN = r"^[^\s.:\[\]#=/]+$"

FIELD_TYPES = (
    "text",
    "textarea",
    "integer",
    "decimal",
    "money",
    "date",
    "time",
    "datetime",
    "phone",
    "mobile",
    "landline",
    "email",
    "id_card",
    "postal_code",
    "choice",
    "multichoice",
    "yes_no",
    "dropdown",
    "rating",
    "signature",
    "heading",
    "notice",
)
# Types whose value is typed as one line of text (a date has a picker in Word).
LINE_TYPES = (
    "text",
    "integer",
    "decimal",
    "money",
    "time",
    "datetime",
    "phone",
    "mobile",
    "landline",
    "email",
    "id_card",
    "postal_code",
)
# Types that hold no value in a record (a consent notice is the exception: see Notice).
STATIC_TYPES = ("heading", "notice")
OPTION_TYPES = ("choice", "multichoice", "dropdown")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Label(_Strict):
    """A Chinese text with an optional English translation."""

    zh: str = Field(min_length=1)
    en: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _from_plain_string(cls, value: Any) -> Any:
        if isinstance(value, str):
            return {"zh": value}
        return value


class Option(_Strict):
    """One option of a choice, multichoice or dropdown field."""

    key: str = Field(pattern=OPTION_KEY_PATTERN)
    label: Label
    # The option asks for free text ("其他，请注明"): the record then holds that text
    # in a sibling value named `<field key>_other`.
    specify: bool = False

    @model_validator(mode="before")
    @classmethod
    def _from_plain_string(cls, value: Any) -> Any:
        if isinstance(value, str):
            return {"key": value, "label": value}
        if isinstance(value, dict) and "label" not in value and "key" in value:
            return {**value, "label": value["key"]}
        return value


Width = Literal["full", "half", "third", "quarter"]


class FieldBase(_Strict):
    # Each subclass narrows this to its own Literal, the union's discriminator.
    type: str
    key: str = Field(pattern=KEY_PATTERN)
    label: Label
    required: bool = False
    help: Label | None = None
    placeholder: Label | None = None
    default: str | None = None
    sensitive: bool = False
    width: Width = "half"

    @property
    def holds_value(self) -> bool:
        return True


class TextField(FieldBase):
    type: Literal["text"]
    max_length: int = Field(default=200, ge=1, le=10_000)


class TextareaField(FieldBase):
    type: Literal["textarea"]
    lines: int = Field(default=3, ge=1, le=40)
    max_length: int = Field(default=2000, ge=1, le=100_000)
    width: Width = "full"


class IntegerField(FieldBase):
    type: Literal["integer"]
    min: int | None = None
    max: int | None = None
    unit: str | None = None


class DecimalField(FieldBase):
    type: Literal["decimal"]
    min: float | None = None
    max: float | None = None
    places: int = Field(default=2, ge=0, le=10)
    unit: str | None = None


class MoneyField(FieldBase):
    type: Literal["money"]
    min: float | None = 0
    max: float | None = None
    unit: str = "元"


class DateField(FieldBase):
    type: Literal["date"]


class TimeField(FieldBase):
    type: Literal["time"]


class DatetimeField(FieldBase):
    type: Literal["datetime"]


class PhoneField(FieldBase):
    """A mainland mobile or landline number."""

    type: Literal["phone"]


class MobileField(FieldBase):
    type: Literal["mobile"]


class LandlineField(FieldBase):
    type: Literal["landline"]


class EmailField(FieldBase):
    type: Literal["email"]


class IdCardField(FieldBase):
    """An 18-digit mainland resident identity card number (GB 11643)."""

    type: Literal["id_card"]
    sensitive: bool = True


class PostalCodeField(FieldBase):
    type: Literal["postal_code"]
    width: Width = "quarter"


class _OptionsField(FieldBase):
    options: list[Option] = Field(min_length=1)

    @field_validator("options")
    @classmethod
    def _keys_unique(cls, options: list[Option]) -> list[Option]:
        seen: set[str] = set()
        for option in options:
            if option.key in seen:
                raise ValueError(f"option key {option.key!r} appears twice")
            seen.add(option.key)
        return options

    @property
    def specify_option(self) -> Option | None:
        """Return the option that asks for free text, or None when no option does."""
        return next((o for o in self.options if o.specify), None)

    @property
    def other_key(self) -> str | None:
        """Return the key of the free-text sibling value, or None without one."""
        return f"{self.key}_other" if self.specify_option else None


class ChoiceField(_OptionsField):
    type: Literal["choice"]


class MultichoiceField(_OptionsField):
    type: Literal["multichoice"]
    width: Width = "full"


class DropdownField(_OptionsField):
    type: Literal["dropdown"]


class YesNoField(FieldBase):
    type: Literal["yes_no"]
    width: Width = "quarter"


class RatingField(FieldBase):
    """A score from 1 to 5; `labels` may name the ends of the scale."""

    type: Literal["rating"]
    low_label: Label | None = None
    high_label: Label | None = None


class SignatureField(FieldBase):
    """A signer's name and a date line."""

    type: Literal["signature"]
    width: Width = "full"


class HeadingField(FieldBase):
    type: Literal["heading"]
    width: Width = "full"

    @property
    def holds_value(self) -> bool:
        return False


class NoticeField(FieldBase):
    """A fixed paragraph; a consent notice also collects the signer and the date."""

    type: Literal["notice"]
    text: Label
    consent: bool = False
    width: Width = "full"

    @property
    def holds_value(self) -> bool:
        return self.consent

    @property
    def text_fingerprint(self) -> str:
        """Return the SHA-256 of the Chinese and English wording, as hex."""
        wording = json.dumps([self.text.zh, self.text.en], ensure_ascii=False)
        return hashlib.sha256(wording.encode("utf-8")).hexdigest()


AnyField = Annotated[
    TextField
    | TextareaField
    | IntegerField
    | DecimalField
    | MoneyField
    | DateField
    | TimeField
    | DatetimeField
    | PhoneField
    | MobileField
    | LandlineField
    | EmailField
    | IdCardField
    | PostalCodeField
    | ChoiceField
    | MultichoiceField
    | DropdownField
    | YesNoField
    | RatingField
    | SignatureField
    | HeadingField
    | NoticeField,
    Field(discriminator="type"),
]

# Types that may be a column of a table: one short value per cell.
COLUMN_TYPES = (
    "text",
    "textarea",
    "integer",
    "decimal",
    "money",
    "date",
    "time",
    "datetime",
    "phone",
    "mobile",
    "landline",
    "email",
    "id_card",
    "postal_code",
    "dropdown",
    "choice",
    "yes_no",
    "rating",
)


def _check_unique_keys(fields: list[Any], where: str) -> None:
    seen: set[str] = set()
    for field in fields:
        names = [field.key]
        other = getattr(field, "other_key", None)
        if other:
            names.append(other)
        for name in names:
            if name in seen:
                raise ValueError(f"field key {name!r} appears twice in {where}")
            seen.add(name)


class SectionBase(_Strict):
    id: str = Field(pattern=KEY_PATTERN)
    title: Label
    note: Label | None = None


class FieldsSection(SectionBase):
    """A section of labelled fields, printed as a label/value table."""

    kind: Literal["fields"] = "fields"
    fields: list[AnyField] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> FieldsSection:
        _check_unique_keys(self.fields, f"section {self.id!r}")
        return self


class TableSection(SectionBase):
    """A table with one column per field; read back as a list of rows."""

    kind: Literal["table"]
    columns: list[AnyField] = Field(min_length=1)
    rows: int = Field(default=5, ge=1, le=200)

    @model_validator(mode="after")
    def _columns(self) -> TableSection:
        _check_unique_keys(self.columns, f"table {self.id!r}")
        for column in self.columns:
            if column.type not in COLUMN_TYPES:
                raise ValueError(
                    f"column {column.key!r} has type {column.type!r}, which a table "
                    f"cell cannot hold; use one of: {', '.join(COLUMN_TYPES)}"
                )
        return self


class GroupSection(SectionBase):
    """A block of fields printed `repeat` times (第一次沟通, 第二次沟通, ...)."""

    kind: Literal["group"]
    fields: list[AnyField] = Field(min_length=1)
    repeat: int = Field(ge=1, le=50)
    # Titles of the repeats; when absent, `title` is followed by the number.
    repeat_titles: list[Label] | None = None

    @model_validator(mode="after")
    def _titles(self) -> GroupSection:
        _check_unique_keys(self.fields, f"group {self.id!r}")
        if self.repeat_titles is not None and len(self.repeat_titles) != self.repeat:
            raise ValueError(
                f"repeat_titles has {len(self.repeat_titles)} titles but repeat is "
                f"{self.repeat}; give one title per repeat"
            )
        return self

    def repeat_title(self, index: int) -> Label:
        """Return the title of repeat `index` (0-based)."""
        if self.repeat_titles:
            return self.repeat_titles[index]
        en = f"{self.title.en} {index + 1}" if self.title.en else None
        return Label(zh=f"{self.title.zh}（{index + 1}）", en=en)


AnySection = Annotated[
    FieldsSection | TableSection | GroupSection, Field(discriminator="kind")
]


class Template(_Strict):
    """A whole form after includes and `extends` are resolved."""

    id: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    version: int = Field(ge=1)
    title: Label
    industry: str = Field(min_length=1)
    form_no: str | None = None
    description: Label | None = None
    sections: list[AnySection] = Field(min_length=1)

    @field_validator("sections", mode="before")
    @classmethod
    def _default_kind(cls, sections: Any) -> Any:
        # `kind: fields` is the common case, so a section may leave it out.
        if isinstance(sections, list):
            return [
                {**s, "kind": "fields"}
                if isinstance(s, dict) and "kind" not in s
                else s
                for s in sections
            ]
        return sections

    @model_validator(mode="after")
    def _unique_sections(self) -> Template:
        seen: set[str] = set()
        for section in self.sections:
            if section.id in seen:
                raise ValueError(f"section id {section.id!r} appears twice")
            seen.add(section.id)
        return self

    @property
    def fingerprint(self) -> str:
        """Return a short SHA-256 of the resolved declaration.

        Two templates with the same fingerprint produce the same forms and records.
        """
        return _fingerprint(self)


@per_object
def _fingerprint(template: Template) -> str:
    canonical = json.dumps(
        template.model_dump(mode="json"), ensure_ascii=False, sort_keys=True
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]


def field_types() -> tuple[str, ...]:
    """Return every field type name of the template language."""
    return FIELD_TYPES


def is_valid_key(text: str) -> bool:
    return re.fullmatch(KEY_PATTERN, text) is not None
