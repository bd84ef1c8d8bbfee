"""Read the values of content controls (`w:sdt`) from WordprocessingML.

This is the only module that reads raw WordprocessingML; `ooxml.py` writes it.
Controls are found at any depth: in paragraphs, around runs, rows or cells, in
headers and footers. A checkbox's state comes from its flag (`w14:checked`), never
from its glyph, which other editors replace with symbols of their own.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
_TRUE = {"1", "true", "on"}


def _w(name: str) -> str:
    return f"{{{W}}}{name}"


def _w14(name: str) -> str:
    return f"{{{W14}}}{name}"


class ControlValue(NamedTuple):
    """One tagged control: its kind and its value (None when it shows a placeholder)."""

    # A named tuple rather than a frozen dataclass: a form has hundreds of controls,
    # and a frozen dataclass costs about a microsecond more to build each.
    tag: str
    kind: str
    value: Any


# Clark names, worked out once: a form has hundreds of controls to read.
_SDT, _SDT_PR, _SDT_CONTENT = _w("sdt"), _w("sdtPr"), _w("sdtContent")
_TAG, _VAL, _DATE, _PLACEHOLDER = _w("tag"), _w("val"), _w("date"), _w("showingPlcHdr")
_CHECKBOX, _CHECKED, _VAL14 = _w14("checkbox"), _w14("checked"), _w14("val")
_T, _BR, _CR, _TAB, _P, _R = (_w(n) for n in ("t", "br", "cr", "tab", "p", "r"))
_LISTS = (_w("dropDownList"), _w("comboBox"))
_DEL, _MOVE_FROM = _w("del"), _w("moveFrom")
_FULL_DATE = _w("fullDate")


def _flag(element: etree._Element | None, attribute: str) -> bool | None:
    """Return an on/off flag; an element without its value attribute means on."""
    if element is None:
        return None
    value = element.get(attribute)
    return True if value is None else value.strip().lower() in _TRUE


def _text(content: etree._Element) -> str:
    """Return the visible text of a control's content, line breaks as `\\n`.

    Paragraphs are joined by line breaks, but none comes before the first text or
    after the last. A tab counts only in a run, because in paragraph properties
    `w:tab` is a tab stop. Tabs and breaks deleted in tracked changes are skipped.
    """
    parts: list[str] = []
    started = False
    # Paragraphs begun since the last text. Their breaks go in before the next text.
    paragraphs = 0
    # One unfiltered walk: lxml sets up a tag filter on every call, which cost
    # more than visiting the few elements of a control's content.
    for node in content.iter():
        tag = node.tag
        if tag == _T:
            piece = node.text or ""
        elif tag in (_BR, _CR):
            kind = node.get(_w("type"))
            piece = "\n" if kind in (None, "textWrapping") and _shown(node) else ""
        elif tag == _TAB:
            parent = node.getparent()
            in_run = parent is not None and parent.tag == _R
            piece = "\t" if in_run and _shown(node) else ""
        else:
            if tag == _P and started:
                paragraphs += 1  # a control around several paragraphs
            continue
        if piece:
            parts.append("\n" * paragraphs + piece)
            paragraphs = 0
            started = True
    return "".join(parts)


def _shown(node: etree._Element) -> bool:
    """Return False for a tab or break inside a tracked deletion."""
    # Deleted text is w:delText, which is never read. A deleted tab or break keeps
    # its own name, so only its ancestors tell. They are looked up for these rare
    # elements alone.
    return next(node.iterancestors(_DEL, _MOVE_FROM), None) is None


def _shown_text(content: etree._Element | None) -> str:
    return _text(content) if content is not None else ""


def _list_value(list_element: etree._Element, content: etree._Element | None) -> str:
    """Return the item value of a dropdown: its last value, or the shown item's value."""
    last = list_element.get(_w("lastValue"))
    if last:
        return last
    shown = _shown_text(content)
    for item in list_element.findall(_w("listItem")):
        if item.get(_w("displayText")) == shown:
            return item.get(_w("value")) or shown
    return shown


def _first_child(element: etree._Element, tag: str) -> etree._Element | None:
    for child in element:
        if child.tag == tag:
            return child
    return None


def read_control(sdt: etree._Element) -> ControlValue | None:
    """Return a control's tag, kind and value; None for a control without a tag."""
    # The children are walked rather than searched with `find`, which goes through
    # lxml's path parser and cost more than the rest of reading a control.
    properties = content = None
    for child in sdt:
        if child.tag == _SDT_PR and properties is None:
            properties = child
        elif child.tag == _SDT_CONTENT and content is None:
            content = child
    if properties is None:
        return None
    # One pass over the properties instead of a search per kind; the first
    # element of each name counts, as `find` would have it.
    found: dict[str, etree._Element] = {}
    for child in properties:
        found.setdefault(child.tag, child)
    tag_element = found.get(_TAG)
    tag = tag_element.get(_VAL) if tag_element is not None else None
    if not tag:
        return None
    checkbox = found.get(_CHECKBOX)
    if checkbox is not None:
        checked = _flag(_first_child(checkbox, _CHECKED), _VAL14)
        return ControlValue(tag, "checkbox", bool(checked))
    # The shown text is read only when it is the value: a control still showing
    # its placeholder has none, and a date keeps its value in an attribute.
    placeholder = _flag(found.get(_PLACEHOLDER), _VAL)
    date = found.get(_DATE)
    if date is not None:
        if placeholder:
            return ControlValue(tag, "date", None)
        full = date.get(_FULL_DATE)
        if full:
            return ControlValue(tag, "date", full.split("T")[0])
        return ControlValue(tag, "date", _shown_text(content))
    for kind in _LISTS:
        list_element = found.get(kind)
        if list_element is not None:
            if placeholder:
                return ControlValue(tag, "dropdown", None)
            return ControlValue(tag, "dropdown", _list_value(list_element, content))
    return ControlValue(tag, "text", None if placeholder else _shown_text(content))


def read_legacy_checkboxes(root: etree._Element) -> list[ControlValue]:
    """Return legacy checkbox form fields (w:ffData), named by their w:name."""
    found = []
    for data in root.iter(_w("ffData")):
        box = data.find(_w("checkBox"))
        name = data.find(_w("name"))
        if box is None or name is None or not name.get(_w("val")):
            continue
        checked = _flag(box.find(_w("checked")), _w("val"))
        if checked is None:
            checked = _flag(box.find(_w("default")), _w("val"))
        found.append(ControlValue(name.get(_w("val")), "checkbox", bool(checked)))
    return found


def read_tagged(root: etree._Element) -> list[ControlValue]:
    """Return every tagged content control under `root`, in document order."""
    return [c for c in (read_control(sdt) for sdt in root.iter(_SDT)) if c]


def read_controls(root: etree._Element) -> list[ControlValue]:
    """Return every tagged control and legacy checkbox under `root`, in document order."""
    return read_tagged(root) + read_legacy_checkboxes(root)


def count_box_glyphs(root: etree._Element) -> int:
    """Count ☐ ☑ ☒ characters outside controls: what a flattened checkbox leaves."""
    count = 0
    for text in root.iter(_w("t")):
        if any(ancestor.tag == _w("sdtContent") for ancestor in text.iterancestors()):
            continue
        count += sum((text.text or "").count(glyph) for glyph in "☐☑☒□■√")
    return count
