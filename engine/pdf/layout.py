"""Turn a template and a record into the view the HTML form template prints.

The view holds only text, PDF field names and flags, so the Jinja template stays
free of logic about field types. Every slot of `engine.spec.slots` becomes one
control named `pdf_name(slot.path)`; a multichoice field becomes one checkbox per
option, named `pdf_name(option_path(path, key))`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from engine.spec.labels import Language, label_lines, label_text
from engine.spec.model import (
    LINE_TYPES,
    ChoiceField,
    DropdownField,
    FieldBase,
    FieldsSection,
    GroupSection,
    HeadingField,
    Label,
    MultichoiceField,
    NoticeField,
    RatingField,
    SectionBase,
    SignatureField,
    TableSection,
    Template,
    TextareaField,
    TextField,
    YesNoField,
)
from engine.spec.slots import Slot, field_slots, option_path, pdf_name

# Field types drawn as a one-line text box; the rest have their own controls.
TEXT_TYPES = (*LINE_TYPES, "date")
CONTROL_KINDS = ("text", "textarea", "checkbox", "radio", "select")
# Hints printed under a text box, by field type, so paper and screen agree on format.
FORMAT_HINTS = {
    "date": {"zh": "年-月-日", "en": "YYYY-MM-DD"},
    "time": {"zh": "时:分", "en": "hh:mm"},
    "datetime": {"zh": "年-月-日 时:分", "en": "YYYY-MM-DD hh:mm"},
}
WORDS = {
    "yes": {"zh": "是", "en": "Yes"},
    "no": {"zh": "否", "en": "No"},
    "signature": {"zh": "签名", "en": "Signature"},
    "date": {"zh": "日期", "en": "Date"},
    "signer": {"zh": "签署人", "en": "Signed by"},
    "specify": {"zh": "请注明", "en": "please specify"},
    "form_no": {"zh": "表单编号", "en": "Form no."},
    "version": {"zh": "版本", "en": "Version"},
}


@dataclass
class Choice:
    """One option box of a radio group or checkbox set, or one select option."""

    label: str
    value: str
    name: str
    checked: bool = False


@dataclass
class Control:
    """One form control: `kind` is one of CONTROL_KINDS."""

    kind: str
    name: str
    title: str
    value: str = ""
    checked: bool = False
    choices: list[Choice] = field(default_factory=list)
    lines: int = 1
    max_length: int | None = None
    caption: str = ""
    unit: str = ""
    hint: str = ""
    # Free text asked by an option with `specify: true`, drawn after the options.
    other: Control | None = None


@dataclass
class Item:
    """A labelled entry of a section: its label and its controls, or a text block."""

    label: str
    label_en: str | None
    kind: str  # "field", "heading" or "notice"
    controls: list[Control] = field(default_factory=list)
    wide: bool = False
    required: bool = False
    text: str = ""
    help: str = ""


@dataclass
class Block:
    """A titled part of the form: a label/value table or a table with blank rows."""

    title: str
    note: str
    kind: str  # "fields" or "table"
    rows: list[list[Item]] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    cells: list[list[Control | None]] = field(default_factory=list)
    level: int = 2


@dataclass
class FormView:
    title: str
    header: list[str]
    description: str
    language: Language
    blocks: list[Block]
    # Filled text fields and combo boxes by PDF name: the text each one shows.
    shown: dict[str, str]
    tooltips: dict[str, str]


def _word(key: str, language: Language) -> str:
    words = WORDS[key]
    return (
        words["zh"]
        if language == "zh"
        else words["en"]
        if language == "en"
        else (f"{words['zh']} {words['en']}")
    )


class _Builder:
    def __init__(self, values: dict[str, Any], language: Language) -> None:
        self.values = values
        self.language = language
        self.shown: dict[str, str] = {}
        self.tooltips: dict[str, str] = {}

    def text(self, label: Label | None, where: str) -> str:
        return label_text(label, self.language, where) if label is not None else ""

    def _scalar(self, slot: Slot, label: str) -> Control:
        value = _as_text(self.values.get(slot.path))
        name = pdf_name(slot.path)
        field_ = slot.field
        if isinstance(field_, TextareaField) and slot.part is None:
            control = Control("textarea", name, label, value, lines=field_.lines)
            control.max_length = field_.max_length
        else:
            control = Control("text", name, label, value)
            if isinstance(field_, TextField) and slot.part is None:
                control.max_length = field_.max_length
            unit = getattr(field_, "unit", None) if slot.part is None else None
            control.unit = unit or ""
            hint = FORMAT_HINTS.get(slot.value_type)
            control.hint = (
                hint[self.language if self.language != "both" else "zh"] if hint else ""
            )
        if value:
            self.shown[name] = value
        return control

    def _options(self, slot: Slot, label: str) -> Control:
        field_ = slot.field
        value = self.values.get(slot.path)
        name = pdf_name(slot.path)
        where = slot.path
        if isinstance(field_, MultichoiceField):
            chosen = set(value or [])
            choices = [
                Choice(
                    self.text(o.label, where),
                    "on",
                    pdf_name(option_path(slot.path, o.key)),
                    o.key in chosen,
                )
                for o in field_.options
            ]
            return Control("checkbox", name, label, choices=choices)
        if isinstance(field_, DropdownField):
            choices = [Choice("", "", name, value in (None, ""))]
            for option in field_.options:
                text = self.text(option.label, where)
                choices.append(Choice(text, option.key, name, option.key == value))
                if option.key == value:
                    self.shown[name] = text
            return Control("select", name, label, value=value or "", choices=choices)
        assert isinstance(field_, ChoiceField)
        self.tooltips[name] = label
        choices = [
            Choice(self.text(o.label, where), o.key, name, o.key == value)
            for o in field_.options
        ]
        return Control("radio", name, label, choices=choices)

    def _rating(self, slot: Slot, label: str) -> Control:
        field_ = slot.field
        assert isinstance(field_, RatingField)
        name = pdf_name(slot.path)
        value = _as_text(self.values.get(slot.path))
        self.tooltips[name] = label
        choices = [Choice(str(n), str(n), name, str(n) == value) for n in range(1, 6)]
        control = Control("radio", name, label, choices=choices)
        control.caption = self.text(field_.low_label, slot.path)
        control.unit = self.text(field_.high_label, slot.path)
        return control

    def control(self, slot: Slot, label: str) -> Control:
        """Return the control of one slot; `label` is its tooltip."""
        field_ = slot.field
        if slot.part is not None:
            return self._scalar(slot, label)
        if isinstance(field_, ChoiceField | MultichoiceField | DropdownField):
            return self._options(slot, label)
        if isinstance(field_, YesNoField):
            # Two radio buttons, not one checkbox: an unticked box cannot tell "no"
            # from "not answered".
            name = pdf_name(slot.path)
            value = self.values.get(slot.path)
            self.tooltips[name] = label
            choices = [
                Choice(_word(key, self.language), key, name, value is (key == "yes"))
                for key in ("yes", "no")
            ]
            return Control("radio", name, label, choices=choices)
        if isinstance(field_, RatingField):
            return self._rating(slot, label)
        return self._scalar(slot, label)

    def controls(
        self, prefix: str, section: SectionBase, field_: FieldBase, index: int | None
    ) -> list[Control]:
        """Return the controls of a field; a specify text joins its option control."""
        label = self.text(field_.label, f"{prefix}.{field_.key}")
        result: list[Control] = []
        for slot in field_slots(prefix, section, field_, index):
            if slot.part == "other":
                other = self._scalar(slot, f"{label} {_word('specify', self.language)}")
                result[-1].other = other
                continue
            part_label = label
            if slot.part in ("name", "signer", "date"):
                key = "signature" if slot.part == "name" else slot.part
                part_label = f"{label} {_word(key, self.language)}"
                control = self.control(slot, part_label)
                control.caption = _word(key, self.language)
                result.append(control)
                continue
            result.append(self.control(slot, part_label))
        return result

    def item(
        self, prefix: str, section: SectionBase, field_: FieldBase, index: int | None
    ) -> Item:
        where = f"{prefix}.{field_.key}"
        if self.language == "both":
            main, second = label_lines(field_.label, "both", where)
        else:
            main, second = self.text(field_.label, where), None
        if isinstance(field_, HeadingField):
            return Item(main, second, "heading", wide=True)
        wide = field_.width == "full" or isinstance(
            field_, TextareaField | MultichoiceField | SignatureField
        )
        item = Item(main, second, "field", wide=wide, required=field_.required)
        item.help = self.text(field_.help, where)
        if isinstance(field_, NoticeField):
            item.kind = "notice"
            item.wide = True
            item.text = self.text(field_.text, where)
        item.controls = self.controls(prefix, section, field_, index)
        return item


def _as_text(value: Any) -> str:
    """Return a canonical record value as the text a field shows."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        try:
            return format(Decimal(str(value)).normalize(), "f")
        except InvalidOperation:
            return str(value)
    return str(value)


def _pack(items: list[Item]) -> list[list[Item]]:
    """Put two narrow items side by side; a wide item gets a row of its own."""
    rows: list[list[Item]] = []
    pending: list[Item] = []
    for item in items:
        if item.wide:
            if pending:
                rows.append(pending)
                pending = []
            rows.append([item])
            continue
        pending.append(item)
        if len(pending) == 2:
            rows.append(pending)
            pending = []
    if pending:
        rows.append(pending)
    return rows


def _fields_block(
    builder: _Builder,
    title: str,
    note: str,
    prefix: str,
    section: SectionBase,
    fields: list[FieldBase],
    index: int | None,
    level: int,
) -> Block:
    items = [builder.item(prefix, section, f, index) for f in fields]
    return Block(title, note, "fields", rows=_pack(items), level=level)


def _table_block(
    builder: _Builder, section: TableSection, title: str, note: str
) -> Block:
    block = Block(title, note, "table")
    block.columns = [
        builder.text(c.label, f"{section.id}.{c.key}") for c in section.columns
    ]
    for row in range(section.rows):
        cells: list[Control | None] = []
        for column in section.columns:
            controls = builder.controls(f"{section.id}[{row}]", section, column, row)
            cells.append(controls[0] if controls else None)
        block.cells.append(cells)
    return block


def build_view(
    template: Template, values: dict[str, Any], language: Language
) -> FormView:
    """Return the view of a form; `values` maps slot paths to canonical values."""
    builder = _Builder(values, language)
    blocks: list[Block] = []
    for section in template.sections:
        title = builder.text(section.title, section.id)
        note = builder.text(section.note, section.id)
        if isinstance(section, TableSection):
            blocks.append(_table_block(builder, section, title, note))
        elif isinstance(section, GroupSection):
            blocks.append(Block(title, note, "fields", level=2))
            for repeat in range(section.repeat):
                sub = builder.text(section.repeat_title(repeat), section.id)
                prefix = f"{section.id}[{repeat}]"
                blocks.append(
                    _fields_block(
                        builder, sub, "", prefix, section, section.fields, repeat, 3
                    )
                )
        elif isinstance(section, FieldsSection):
            blocks.append(
                _fields_block(
                    builder, title, note, section.id, section, section.fields, None, 2
                )
            )
    header = []
    if template.form_no:
        header.append(f"{_word('form_no', language)} {template.form_no}")
    header.append(f"{_word('version', language)} {template.version}")
    return FormView(
        title=builder.text(template.title, "title"),
        header=header,
        description=builder.text(template.description, "description"),
        language=language,
        blocks=blocks,
        shown=builder.shown,
        tooltips=builder.tooltips,
    )
