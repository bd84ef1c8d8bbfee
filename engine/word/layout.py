"""Lay out the sections of a template as a paper archive form in Word.

A section of fields is a bordered label/value table with two fields per row, and a
full-width field takes a row of its own. A table section is a grid with a header row
and blank rows. A group repeats its fields under a sub-title. Notices are
paragraphs, and signatures are name and date lines under the tables.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from lxml import etree

from engine.spec.labels import label_lines
from engine.spec.model import (
    FieldBase,
    GroupSection,
    Label,
    NoticeField,
    SectionBase,
    TableSection,
)
from engine.spec.slots import field_slots
from engine.word import ooxml, words
from engine.word.controls import FormContext, field_content

LABEL_WIDTH = 1800
VALUE_WIDTH = (ooxml.TEXT_WIDTH - 2 * LABEL_WIDTH) // 2
GRID = (
    LABEL_WIDTH,
    VALUE_WIDTH,
    LABEL_WIDTH,
    ooxml.TEXT_WIDTH - 2 * LABEL_WIDTH - VALUE_WIDTH,
)
LABEL_FILL = "F2F2F2"
TITLE_FILL = "D9D9D9"
ROW_HEIGHT = 440
LINE_HEIGHT = 312
SMALL = 18  # 9 pt in half-points
# Field types whose value cell always takes a whole row.
_FULL_TYPES = ("textarea", "multichoice", "heading")
# A choice with more options, or with a free-text option, is too wide for half a row.
_HALF_ROW_OPTIONS = 3

_LINE_BREAK = re.compile("\r\n|\r|\n")

Blocks = list[etree._Element]


def _plain(**changes) -> ooxml.ParagraphFormat:
    return ooxml.ParagraphFormat(**changes)


def label_paragraph(
    ctx: FormContext,
    label: Label,
    where: str,
    align: str = "center",
    bold: bool = False,
    layout: ooxml.ParagraphFormat | None = None,
) -> etree._Element:
    """Return a paragraph with a label; in "both" the English goes on a second line."""
    main, second = label_lines(label, ctx.language, where)
    fmt = replace(ctx.fmt, bold=bold)
    content = ooxml.runs(main, fmt, where)
    if second:
        content += ooxml.runs(f"\n{second}", replace(fmt, size=SMALL), where)
    return ooxml.paragraph(content, layout or _plain(align=align))


def _help(ctx: FormContext, field: FieldBase, where: str) -> list[etree._Element]:
    if field.help is None:
        return []
    fmt = replace(ctx.fmt, size=SMALL, color=ooxml.PLACEHOLDER_COLOR)
    text = ctx.label(field.help, where)
    return [ooxml.paragraph(ooxml.runs(text, fmt, where), _plain())]


def _value_cell(
    ctx: FormContext,
    field: FieldBase,
    prefix: str,
    section,
    index,
    width: int,
    span: int,
) -> ooxml.Cell:
    slots = list(field_slots(prefix, section, field, index))
    where = f"{prefix}.{field.key}"
    value = ooxml.paragraph(field_content(ctx, slots), _plain())
    return ooxml.Cell([value, *_help(ctx, field, where)], width, span)


def _label_cell(ctx: FormContext, field: FieldBase, where: str) -> ooxml.Cell:
    return ooxml.Cell(
        [label_paragraph(ctx, field.label, where)], LABEL_WIDTH, fill=LABEL_FILL
    )


class _Grid:
    """Rows of the label/value table being built, two half-width fields per row."""

    def __init__(self) -> None:
        self.rows: list[etree._Element] = []
        self.pending: list[ooxml.Cell] = []

    def add_half(self, cells: list[ooxml.Cell]) -> None:
        self.pending += cells
        if len(self.pending) == 4:
            self.rows.append(ooxml.table_row(self.pending, ROW_HEIGHT))
            self.pending = []

    def add_row(self, cells: list[ooxml.Cell], height: int = ROW_HEIGHT) -> None:
        self._close_pending()
        self.rows.append(ooxml.table_row(cells, height))

    def _close_pending(self) -> None:
        """End a row that contains one half-width field by widening its value cell."""
        if self.pending:
            label, value = self.pending
            value = replace(value, width=sum(GRID[1:]), span=3)
            self.rows.append(ooxml.table_row([label, value], ROW_HEIGHT))
            self.pending = []

    def take_table(self) -> Blocks:
        self._close_pending()
        if not self.rows:
            return []
        rows, self.rows = self.rows, []
        return [ooxml.table(GRID, rows)]


def _notice(
    ctx: FormContext, field: NoticeField, prefix: str, section, index
) -> Blocks:
    """Return a notice's heading, one paragraph per line of text, and a consent line."""
    where = f"{prefix}.{field.key}"
    heading = ooxml.runs(
        ctx.label(field.label, where), replace(ctx.fmt, bold=True), where
    )
    blocks = [ooxml.paragraph(heading, _plain(before=120, after=60, keep_next=True))]
    lines = _LINE_BREAK.split(ctx.label(field.text, where))
    for number, line in enumerate(lines, start=1):
        # The last line stays on the page of the consent line that follows it.
        layout = _plain(
            after=60,
            indent_first=420,
            align="both",
            keep_lines=True,
            keep_next=number == len(lines),
        )
        blocks.append(ooxml.paragraph(ooxml.runs(line, ctx.fmt, where), layout))
    slots = list(field_slots(prefix, section, field, index))
    if slots:
        line = field_content(ctx, slots)
        blocks.append(
            ooxml.paragraph(line, _plain(before=120, after=120, align="right"))
        )
    return blocks


def _signature(
    ctx: FormContext, field: FieldBase, prefix: str, section, index
) -> Blocks:
    where = f"{prefix}.{field.key}"
    slots = list(field_slots(prefix, section, field, index))
    label = ctx.label(field.label, where) + words.word("colon", ctx.language)
    line = ooxml.runs(label, ctx.fmt, where) + field_content(ctx, slots)
    return [ooxml.paragraph(line, _plain(before=240, after=120, align="right"))]


def _needs_full_row(field: FieldBase) -> bool:
    if field.type in _FULL_TYPES or field.width == "full":
        return True
    options = getattr(field, "options", None)
    if field.type == "choice" and options is not None:
        return len(options) > _HALF_ROW_OPTIONS or any(o.specify for o in options)
    if field.type == "rating":
        return bool(field.low_label or field.high_label)  # type: ignore[attr-defined]
    return False


def field_blocks(
    ctx: FormContext,
    section: SectionBase,
    fields: Sequence[FieldBase],
    prefix: str,
    index: int | None,
) -> Blocks:
    """Return the tables and paragraphs of a list of fields, in print order."""
    blocks: Blocks = []
    grid = _Grid()
    for field in fields:
        where = f"{prefix}.{field.key}"
        if field.type in ("notice", "signature"):
            blocks += grid.take_table()
            if isinstance(field, NoticeField):
                blocks += _notice(ctx, field, prefix, section, index)
            else:
                blocks += _signature(ctx, field, prefix, section, index)
        elif field.type == "heading":
            heading = label_paragraph(ctx, field.label, where, align="left", bold=True)
            grid.add_row(
                [ooxml.Cell([heading], ooxml.TEXT_WIDTH, span=4, fill=LABEL_FILL)]
            )
        elif _needs_full_row(field):
            lines = getattr(field, "lines", 1)
            value = _value_cell(ctx, field, prefix, section, index, sum(GRID[1:]), 3)
            grid.add_row(
                [_label_cell(ctx, field, where), value],
                max(ROW_HEIGHT, lines * LINE_HEIGHT),
            )
        else:
            value = _value_cell(ctx, field, prefix, section, index, VALUE_WIDTH, 1)
            grid.add_half([_label_cell(ctx, field, where), value])
    return blocks + grid.take_table()


# Relative widths of table columns by field type; other types get the default.
_COLUMN_WEIGHTS = {
    "textarea": 3.0,
    "email": 2.4,
    "id_card": 2.2,
    "choice": 2.0,
    "phone": 1.8,
    "landline": 1.8,
    "datetime": 1.8,
    "text": 1.6,
    "mobile": 1.6,
    "date": 1.6,
}
_DEFAULT_WEIGHT = 1.2


def column_widths(columns: Sequence[FieldBase]) -> list[int]:
    """Return column widths in twips that fill the text width, wider for longer values."""
    weights = [_COLUMN_WEIGHTS.get(column.type, _DEFAULT_WEIGHT) for column in columns]
    widths = [int(ooxml.TEXT_WIDTH * weight / sum(weights)) for weight in weights]
    widths[-1] += ooxml.TEXT_WIDTH - sum(widths)
    return widths


def table_blocks(ctx: FormContext, section: TableSection) -> Blocks:
    """Return the grid of a table section: a header row, then its blank rows."""
    widths = column_widths(section.columns)
    header = [
        ooxml.Cell(
            [
                label_paragraph(
                    ctx, column.label, f"{section.id}.{column.key}", bold=True
                )
            ],
            width,
            fill=LABEL_FILL,
        )
        for column, width in zip(section.columns, widths, strict=True)
    ]
    rows = [ooxml.table_row(header, ROW_HEIGHT, header=True)]
    # The copy shares the id counter, so control ids stay unique in the document.
    quiet = replace(ctx, quiet_hints=True)
    for row in range(section.rows):
        cells = []
        for column, width in zip(section.columns, widths, strict=True):
            slots = list(field_slots(f"{section.id}[{row}]", section, column, row))
            content = ooxml.paragraph(
                field_content(quiet, slots), _plain(align="center")
            )
            cells.append(ooxml.Cell([content], width))
        rows.append(ooxml.table_row(cells, ROW_HEIGHT))
    return [ooxml.table(widths, rows)]


def section_blocks(ctx: FormContext, section: SectionBase, number: int) -> Blocks:
    """Return the title, note and body of one section."""
    title = ctx.label(section.title, section.id)
    title_fmt = replace(ctx.fmt, font=ooxml.HEI, size=24, bold=True)
    heading = words.section_number(number, ctx.language) + title
    blocks = [
        ooxml.paragraph(
            ooxml.runs(heading, title_fmt, section.id),
            _plain(before=200, after=80, keep_next=True, fill=TITLE_FILL),
        )
    ]
    if section.note is not None:
        note = ctx.label(section.note, section.id)
        note_fmt = replace(ctx.fmt, size=SMALL)
        blocks.append(
            ooxml.paragraph(
                ooxml.runs(note, note_fmt, section.id), _plain(after=60, keep_next=True)
            )
        )
    if isinstance(section, TableSection):
        return blocks + table_blocks(ctx, section)
    if isinstance(section, GroupSection):
        for repeat in range(section.repeat):
            repeat_title = section.repeat_title(repeat)
            layout = _plain(before=160, after=60, keep_next=True)
            sub = label_paragraph(
                ctx, repeat_title, section.id, bold=True, layout=layout
            )
            blocks.append(sub)
            blocks += field_blocks(
                ctx, section, section.fields, f"{section.id}[{repeat}]", repeat
            )
        return blocks
    return blocks + field_blocks(ctx, section, section.fields, section.id, None)  # type: ignore[attr-defined]
