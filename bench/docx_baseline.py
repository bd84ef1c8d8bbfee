"""Build the .docx template a user would write by hand for docxtpl, for one form.

The hand-made template prints what our form prints: the title and each section's
title. A section of fields is a bordered label/value table with two fields per row
and one box per option of a choice. A table section is a header row, then one row
per record row. It has
Jinja placeholders where our form has content controls: `{{ v["basic.name"] }}` for
a value, `{{ b["basic.skin_type=dry"] }}` for a box (☐ or ☒), and a `{%tr for %}`
row loop for a table section.
"""

from __future__ import annotations

import io
from typing import Any

from docx import Document
from docx.shared import Pt

from engine.spec.model import NoticeField, SectionBase, TableSection, Template
from engine.spec.slots import Slot, option_path, section_slots

BOX_KEYS = {"yes_no": ["yes", "no"], "rating": ["1", "2", "3", "4", "5"]}


def _boxes(slot: Slot) -> list[tuple[str, str]]:
    """Return (option key, label) for each box of a slot; empty for a text slot."""
    if slot.part is not None:
        return []
    if slot.field.type in ("choice", "multichoice"):
        return [(o.key, o.label.zh) for o in slot.field.options]  # type: ignore[attr-defined]
    return [(key, key) for key in BOX_KEYS.get(slot.field.type, [])]


def _placeholder(slot: Slot) -> str:
    boxes = _boxes(slot)
    if not boxes:
        return f'{{{{ v["{slot.path}"] }}}}'
    return "\u3000".join(
        f'{{{{ b["{option_path(slot.path, key)}"] }}}}{label}' for key, label in boxes
    )


def _label(slot: Slot) -> str:
    part = {"name": "姓名", "signer": "签署人", "date": "日期", "other": "请注明"}
    return slot.field.label.zh + (f"（{part[slot.part]}）" if slot.part else "")


def _fields_table(document: Any, section: SectionBase) -> None:
    for field in getattr(section, "fields", []):
        if isinstance(field, NoticeField):
            document.add_paragraph(field.text.zh)
    slots = list(section_slots(section))
    table = document.add_table(rows=0, cols=4)
    table.style = "Table Grid"
    for start in range(0, len(slots), 2):
        cells = table.add_row().cells
        for offset, slot in enumerate(slots[start : start + 2]):
            cells[2 * offset].text = _label(slot)
            cells[2 * offset + 1].text = _placeholder(slot)


def _rows_table(document: Any, section: TableSection) -> None:
    columns = section.columns
    table = document.add_table(rows=4, cols=len(columns))
    table.style = "Table Grid"
    for index, column in enumerate(columns):
        table.rows[0].cells[index].text = column.label.zh
        table.rows[2].cells[index].text = f'{{{{ r["{column.key}"] }}}}'
    table.rows[1].cells[0].text = f'{{%tr for r in rows["{section.id}"] %}}'
    table.rows[3].cells[0].text = "{%tr endfor %}"


def build_template(template: Template) -> bytes:
    """Return the bytes of a docxtpl template equivalent to the form of `template`."""
    document = Document()
    document.styles["Normal"].font.size = Pt(10.5)
    document.add_heading(template.title.zh, level=1)
    for section in template.sections:
        document.add_heading(section.title.zh, level=2)
        if isinstance(section, TableSection):
            _rows_table(document, section)
        else:
            _fields_table(document, section)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def blank_context(template: Template) -> dict[str, Any]:
    """Return the context of a blank form: empty values, unticked boxes, blank rows."""
    values: dict[str, str] = {}
    boxes: dict[str, str] = {}
    rows: dict[str, list[dict[str, str]]] = {}
    for section in template.sections:
        if isinstance(section, TableSection):
            blank = {column.key: "" for column in section.columns}
            rows[section.id] = [blank] * section.rows
            continue
        for slot in section_slots(section):
            values[slot.path] = ""
            for key, _ in _boxes(slot):
                boxes[option_path(slot.path, key)] = "☐"
    return {"v": values, "b": boxes, "rows": rows}
