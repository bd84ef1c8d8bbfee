"""Build and read raw WordprocessingML: the only module of the engine that does.

The renderer above this module speaks in templates, fields and records; this module
speaks in runs, paragraphs, table cells, content controls and package parts. Every
content control it writes is inline (a `w:sdt` inside a paragraph, around runs) and
holds one value, because LibreOffice 25.2 keeps inline controls and their tags when
it saves a .docx but drops block-level, cell-level and nested ones.

Element order inside `w:rPr`, `w:pPr`, `w:tblPr`, `w:tcPr` and `w:sdtPr` follows
ECMA-376 Part 1, because Word rejects a file whose property elements are out of order.
"""

from __future__ import annotations

import functools
import io
import re
import zipfile
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from lxml import etree

NS = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "w14": "http://schemas.microsoft.com/office/word/2010/wordml",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
}
CORE_NS = {
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
}
_REL_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_CORE_REL = f"{_PKG_REL}/metadata/core-properties"
_MAIN_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml"
_Key = TypeVar("_Key", bound=Hashable)

# Fonts by the names Word and WPS users on Windows have. The font table gives each a
# Linux alternative for editors that read `w:altName`. LibreOffice 25.2 needs no hint,
# because it substitutes Noto Serif CJK SC and Noto Sans CJK SC by itself (checked
# with pdffonts on its PDF export, with and without the alternative names).
SONG = "宋体"
HEI = "黑体"
_FONT_TABLE = {
    SONG: ("Noto Serif CJK SC", "02010600030101010101", "roman"),
    HEI: ("Noto Sans CJK SC", "02010609060101010101", "modern"),
}
# Segoe UI Symbol ships with Windows 7 and later and has both ballot boxes;
# DejaVu Sans has them on Linux.
CHECKBOX_FONT = "Segoe UI Symbol"
CHECKBOX_FALLBACK = "DejaVu Sans"
UNCHECKED_GLYPH = "\u2610"  # ☐ BALLOT BOX
CHECKED_GLYPH = "\u2612"  # ☒ BALLOT BOX WITH X
PLACEHOLDER_STYLE = "PlaceholderText"
PLACEHOLDER_COLOR = "808080"

# A4 in twentieths of a point, with 2 cm margins left and right.
PAGE_WIDTH, PAGE_HEIGHT = 11906, 16838
MARGIN_SIDE, MARGIN_TOP, MARGIN_BOTTOM = 1134, 1247, 1134
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN_SIDE

# Characters that XML 1.0 cannot carry; tab, newline and carriage return are legal.
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_LINE_BREAK = re.compile("\r\n|\r|\n")


@functools.cache
def qn(name: str) -> str:
    """Return the Clark name of a prefixed name (`w:p` -> `{...main}p`)."""
    prefix, local = name.split(":")
    return f"{{{NS[prefix]}}}{local}"


def _cached_copy(
    build: Callable[[_Key], etree._Element],
) -> Callable[[_Key], etree._Element]:
    """Wrap `build(key)` so that it builds once per key and returns a fresh copy.

    A form repeats a few run, paragraph and cell formats thousands of times, and a
    copy of a built element is much faster than building it anew.
    """
    built = functools.cache(build)

    @functools.wraps(build)
    def fresh(key: _Key) -> etree._Element:
        # lxml copies an element with all its descendants. copy.deepcopy would only
        # add the copy module's memo around the same call.
        return built(key).__copy__()

    return fresh


def el(name: str, attrs: dict[str, str] | None = None, *children) -> etree._Element:
    """Create an element with prefixed attribute names and optional children."""
    # No namespace map: declaring NS on every element took about two thirds of
    # el()'s time, and `_serialize` declares the prefixes once, on the root.
    element = etree.Element(qn(name))
    for key, value in (attrs or {}).items():
        element.set(qn(key), value)
    for child in children:
        if child is not None:
            element.append(child)
    return element


def root_el(name: str) -> etree._Element:
    """Create the root element of a part, declaring every prefix of NS on it."""
    return etree.Element(qn(name), nsmap=NS)


def check_text(text: str, where: str) -> str:
    """Return `text` unchanged, or raise ValueError if XML cannot carry it."""
    found = _ILLEGAL_XML.search(text)
    if found:
        raise ValueError(
            f"{where}: the text contains the control character "
            f"U+{ord(found.group()):04X}, which a .docx file cannot hold; remove it "
            "before rendering (record validation rejects it)"
        )
    return text


# -- runs ----------------------------------------------------------------------


@dataclass(frozen=True)
class RunFormat:
    """Character formatting of a run; `size` is in half-points (21 is 10.5 pt)."""

    font: str = SONG
    size: int = 21
    bold: bool = False
    color: str | None = None
    underline: bool = False
    style: str | None = None
    language: str = "zh-CN"


@_cached_copy
def run_properties(fmt: RunFormat) -> etree._Element:
    """Return `w:rPr` with the East Asian font and language set explicitly."""
    props = el("w:rPr")
    if fmt.style:
        props.append(el("w:rStyle", {"w:val": fmt.style}))
    fonts = {"w:ascii": fmt.font, "w:hAnsi": fmt.font, "w:eastAsia": fmt.font}
    props.append(el("w:rFonts", {**fonts, "w:cs": fmt.font, "w:hint": "eastAsia"}))
    if fmt.bold:
        props.extend([el("w:b"), el("w:bCs")])
    if fmt.color:
        props.append(el("w:color", {"w:val": fmt.color}))
    props.append(el("w:sz", {"w:val": str(fmt.size)}))
    props.append(el("w:szCs", {"w:val": str(fmt.size)}))
    if fmt.underline:
        props.append(el("w:u", {"w:val": "single"}))
    props.append(el("w:lang", {"w:val": fmt.language, "w:eastAsia": "zh-CN"}))
    return props


def _text_element(text: str) -> etree._Element:
    node = el("w:t")
    node.text = text
    if text != text.strip():
        node.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return node


def runs(text: str, fmt: RunFormat, where: str) -> list[etree._Element]:
    """Return runs for `text`: each line break is a `w:br` (CR LF counts once)."""
    check_text(text, where)
    run = el("w:r", None, run_properties(fmt))
    for index, line in enumerate(_LINE_BREAK.split(text)):
        if index:
            run.append(el("w:br"))
        for part_index, part in enumerate(line.split("\t")):
            if part_index:
                run.append(el("w:tab"))
            if part:
                run.append(_text_element(part))
    return [run]


def field_runs(instruction: str, shown: str, fmt: RunFormat) -> list[etree._Element]:
    """Return the runs of a complex field (`PAGE`, `NUMPAGES`) with a cached result."""
    begin = el(
        "w:r", None, run_properties(fmt), el("w:fldChar", {"w:fldCharType": "begin"})
    )
    code = el("w:instrText")
    code.text = f" {instruction} "
    code.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    middle = el("w:r", None, run_properties(fmt), code)
    separate = el(
        "w:r", None, run_properties(fmt), el("w:fldChar", {"w:fldCharType": "separate"})
    )
    result = el("w:r", None, run_properties(fmt), _text_element(shown))
    end = el(
        "w:r", None, run_properties(fmt), el("w:fldChar", {"w:fldCharType": "end"})
    )
    return [begin, middle, separate, result, end]


# -- paragraphs and tables -----------------------------------------------------


@dataclass(frozen=True)
class ParagraphFormat:
    """Paragraph layout; spacing is in twentieths of a point."""

    align: str | None = None  # "left", "center", "right", "both"
    before: int = 0
    after: int = 0
    fill: str | None = None
    border_bottom: bool = False
    keep_next: bool = False
    keep_lines: bool = False
    right_tab: int | None = None
    indent_first: int = 0


def paragraph(
    content: Iterable[etree._Element], fmt: ParagraphFormat
) -> etree._Element:
    """Return a `w:p` holding runs and inline content controls."""
    node = el("w:p", None, _paragraph_properties(fmt))
    node.extend(content)
    return node


@_cached_copy
def _paragraph_properties(fmt: ParagraphFormat) -> etree._Element:
    props = el("w:pPr")
    if fmt.keep_next:
        props.append(el("w:keepNext"))
    if fmt.keep_lines:
        props.append(el("w:keepLines"))
    if fmt.border_bottom:
        border = {"w:val": "single", "w:sz": "6", "w:space": "1", "w:color": "000000"}
        props.append(el("w:pBdr", None, el("w:bottom", border)))
    if fmt.fill:
        props.append(
            el("w:shd", {"w:val": "clear", "w:color": "auto", "w:fill": fmt.fill})
        )
    if fmt.right_tab is not None:
        tab = el("w:tab", {"w:val": "right", "w:pos": str(fmt.right_tab)})
        props.append(el("w:tabs", None, tab))
    spacing = {"w:before": str(fmt.before), "w:after": str(fmt.after)}
    props.append(el("w:spacing", spacing))
    if fmt.indent_first:
        props.append(el("w:ind", {"w:firstLine": str(fmt.indent_first)}))
    if fmt.align:
        props.append(el("w:jc", {"w:val": fmt.align}))
    return props


def tab_run(fmt: RunFormat) -> etree._Element:
    return el("w:r", None, run_properties(fmt), el("w:tab"))


@dataclass(frozen=True)
class Cell:
    """One table cell: its paragraphs, width in twips, columns spanned, fill."""

    paragraphs: Sequence[etree._Element]
    width: int
    span: int = 1
    fill: str | None = None


@_cached_copy
def _cell_properties(layout: tuple[int, int, str | None]) -> etree._Element:
    width, span, fill = layout
    props = el("w:tcPr", None, el("w:tcW", {"w:w": str(width), "w:type": "dxa"}))
    if span > 1:
        props.append(el("w:gridSpan", {"w:val": str(span)}))
    if fill:
        props.append(el("w:shd", {"w:val": "clear", "w:color": "auto", "w:fill": fill}))
    props.append(el("w:vAlign", {"w:val": "center"}))
    return props


def _cell(cell: Cell) -> etree._Element:
    node = el("w:tc", None, _cell_properties((cell.width, cell.span, cell.fill)))
    # A cell must end with a paragraph, so an empty one gets an empty paragraph.
    node.extend(cell.paragraphs or [paragraph([], ParagraphFormat())])
    return node


def table_row(
    cells: Sequence[Cell], min_height: int = 0, header: bool = False
) -> etree._Element:
    """Return a `w:tr`; `min_height` in twips, `header` repeats it on each page."""
    props = el("w:trPr", None, el("w:cantSplit"))
    if min_height:
        props.append(el("w:trHeight", {"w:val": str(min_height), "w:hRule": "atLeast"}))
    if header:
        props.append(el("w:tblHeader"))
    row = el("w:tr", None, props)
    row.extend(_cell(cell) for cell in cells)
    return row


def table(grid: Sequence[int], rows: Iterable[etree._Element]) -> etree._Element:
    """Return a bordered, fixed-layout `w:tbl` with column widths `grid` in twips."""
    line = {"w:val": "single", "w:sz": "6", "w:space": "0", "w:color": "000000"}
    borders = el("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        borders.append(el(f"w:{side}", line))
    margins = el("w:tblCellMar")
    for side, width in (("top", 30), ("left", 85), ("bottom", 30), ("right", 85)):
        margins.append(el(f"w:{side}", {"w:w": str(width), "w:type": "dxa"}))
    props = el(
        "w:tblPr",
        None,
        el("w:tblW", {"w:w": str(sum(grid)), "w:type": "dxa"}),
        el("w:jc", {"w:val": "center"}),
        borders,
        el("w:tblLayout", {"w:type": "fixed"}),
        margins,
    )
    columns = el("w:tblGrid")
    for width in grid:
        columns.append(el("w:gridCol", {"w:w": str(width)}))
    node = el("w:tbl", None, props, columns)
    node.extend(rows)
    return node


# -- content controls ----------------------------------------------------------


@dataclass(frozen=True)
class Control:
    """The properties every content control has: tag (the field path), id and title."""

    tag: str
    control_id: int
    alias: str
    fmt: RunFormat


def _control_properties(control: Control, placeholder: bool) -> etree._Element:
    check_text(control.tag, control.tag)
    check_text(control.alias, control.tag)
    props = _control_skeleton((control.fmt, placeholder))
    # The skeleton's children: w:rPr, w:alias, w:tag, w:id, w:lock[, w:showingPlcHdr].
    value = qn("w:val")
    props[1].set(value, control.alias)
    props[2].set(value, control.tag)
    props[3].set(value, str(control.control_id))
    return props


@_cached_copy
def _control_skeleton(key: tuple[RunFormat, bool]) -> etree._Element:
    fmt, placeholder = key
    props = el(
        "w:sdtPr",
        None,
        run_properties(fmt),
        el("w:alias", {"w:val": ""}),
        el("w:tag", {"w:val": ""}),
        el("w:id", {"w:val": ""}),
        el("w:lock", {"w:val": "sdtLocked"}),
    )
    if placeholder:
        props.append(el("w:showingPlcHdr"))
    return props


def _content(
    control: Control, value: str | None, hint: str, underline: bool = False
) -> etree._Element:
    if value is None:
        shown = RunFormat(
            control.fmt.font,
            control.fmt.size,
            style=PLACEHOLDER_STYLE,
            color=PLACEHOLDER_COLOR,
            underline=underline,
            language=control.fmt.language,
        )
        return el("w:sdtContent", None, *runs(hint, shown, control.tag))
    fmt = control.fmt
    if underline:
        fmt = RunFormat(
            fmt.font, fmt.size, fmt.bold, fmt.color, True, fmt.style, fmt.language
        )
    return el("w:sdtContent", None, *runs(value, fmt, control.tag))


def text_control(
    control: Control,
    value: str | None,
    hint: str,
    multiline: bool = False,
    underline: bool = False,
) -> etree._Element:
    """Return a plain-text control; None as value shows `hint` as placeholder."""
    props = _control_properties(control, value is None)
    props.append(el("w:text", {"w:multiLine": "1"} if multiline else None))
    return el("w:sdt", None, props, _content(control, value, hint, underline))


def checkbox_control(control: Control, checked: bool) -> etree._Element:
    """Return a w14 checkbox whose `w14:checked` flag and glyph always agree."""
    props = _control_properties(control, placeholder=False)
    box = el(
        "w14:checkbox",
        None,
        el("w14:checked", {"w14:val": "1" if checked else "0"}),
        el(
            "w14:checkedState",
            {"w14:val": f"{ord(CHECKED_GLYPH):04X}", "w14:font": CHECKBOX_FONT},
        ),
        el(
            "w14:uncheckedState",
            {"w14:val": f"{ord(UNCHECKED_GLYPH):04X}", "w14:font": CHECKBOX_FONT},
        ),
    )
    props.append(box)
    glyph_format = RunFormat(
        CHECKBOX_FONT, control.fmt.size, language=control.fmt.language
    )
    glyph = CHECKED_GLYPH if checked else UNCHECKED_GLYPH
    content = el("w:sdtContent", None, *runs(glyph, glyph_format, control.tag))
    return el("w:sdt", None, props, content)


def dropdown_control(
    control: Control,
    items: Sequence[tuple[str, str]],
    selected: str | None,
    hint: str,
) -> etree._Element:
    """Return a dropdown list of (value, display text) items; None selects nothing."""
    shown = None
    listing = el("w:dropDownList")
    for value, display in items:
        check_text(value, control.tag)
        listing.append(el("w:listItem", {"w:displayText": display, "w:value": value}))
        if value == selected:
            shown = display
    if selected is not None and shown is None:
        raise ValueError(f"{control.tag}: {selected!r} is not one of the list's values")
    if shown is not None:
        listing.set(qn("w:lastValue"), selected)
    props = _control_properties(control, shown is None)
    props.append(listing)
    return el("w:sdt", None, props, _content(control, shown, hint))


def date_control(
    control: Control,
    value: date | None,
    hint: str,
    date_format: str,
    shown: str | None,
    underline: bool = False,
) -> etree._Element:
    """Return a date picker; `shown` is `value` written in `date_format`."""
    picker = el("w:date")
    if value is not None:
        picker.set(qn("w:fullDate"), f"{value.isoformat()}T00:00:00Z")
    picker.extend(
        [
            el("w:dateFormat", {"w:val": date_format}),
            el("w:lid", {"w:val": "zh-CN"}),
            el("w:storeMappedDataAs", {"w:val": "dateTime"}),
            el("w:calendar", {"w:val": "gregorian"}),
        ]
    )
    props = _control_properties(control, value is None)
    props.append(picker)
    return el("w:sdt", None, props, _content(control, shown, hint, underline))


# -- package -------------------------------------------------------------------


def _serialize(root: etree._Element) -> bytes:
    etree.cleanup_namespaces(root, top_nsmap=NS, keep_ns_prefixes=list(NS))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _document_root(name: str) -> etree._Element:
    root = root_el(name)
    # Word accepts unknown w14 markup only where mc:Ignorable lists the prefix.
    root.set(qn("mc:Ignorable"), "w14")
    return root


def _section_properties() -> etree._Element:
    return el(
        "w:sectPr",
        None,
        el("w:headerReference", {"w:type": "default", "r:id": "rIdHeader"}),
        el("w:footerReference", {"w:type": "default", "r:id": "rIdFooter"}),
        el("w:pgSz", {"w:w": str(PAGE_WIDTH), "w:h": str(PAGE_HEIGHT)}),
        el(
            "w:pgMar",
            {
                "w:top": str(MARGIN_TOP),
                "w:right": str(MARGIN_SIDE),
                "w:bottom": str(MARGIN_BOTTOM),
                "w:left": str(MARGIN_SIDE),
                "w:header": "567",
                "w:footer": "567",
                "w:gutter": "0",
            },
        ),
        el("w:cols", {"w:space": "425"}),
        el("w:docGrid", {"w:type": "lines", "w:linePitch": "312"}),
    )


def _document(body: Iterable[etree._Element]) -> bytes:
    root = _document_root("w:document")
    container = el("w:body")
    container.extend(body)
    container.append(_section_properties())
    root.append(container)
    return _serialize(root)


def _header_footer(name: str, paragraphs: Iterable[etree._Element]) -> bytes:
    root = _document_root(name)
    root.extend(paragraphs)
    return _serialize(root)


def _styles() -> bytes:
    root = root_el("w:styles")
    defaults = el(
        "w:docDefaults",
        None,
        el("w:rPrDefault", None, run_properties(RunFormat())),
        el(
            "w:pPrDefault",
            None,
            el(
                "w:pPr",
                None,
                el(
                    "w:spacing", {"w:after": "0", "w:line": "276", "w:lineRule": "auto"}
                ),
            ),
        ),
    )
    normal = el(
        "w:style",
        {"w:type": "paragraph", "w:default": "1", "w:styleId": "Normal"},
        el("w:name", {"w:val": "Normal"}),
        el("w:qFormat"),
    )
    placeholder = el(
        "w:style",
        {"w:type": "character", "w:styleId": PLACEHOLDER_STYLE},
        el("w:name", {"w:val": "Placeholder Text"}),
        el("w:uiPriority", {"w:val": "99"}),
        el("w:semiHidden"),
        el("w:rPr", None, el("w:color", {"w:val": PLACEHOLDER_COLOR})),
    )
    root.extend([defaults, normal, placeholder])
    return _serialize(root)


def _settings() -> bytes:
    compat = el(
        "w:compat",
        None,
        el(
            "w:compatSetting",
            {
                "w:name": "compatibilityMode",
                "w:uri": "http://schemas.microsoft.com/office/word",
                "w:val": "15",
            },
        ),
    )
    root = root_el("w:settings")
    root.append(el("w:defaultTabStop", {"w:val": "420"}))
    root.append(el("w:characterSpacingControl", {"w:val": "compressPunctuation"}))
    root.append(compat)
    return _serialize(root)


def _font_table() -> bytes:
    root = root_el("w:fonts")
    for name, (fallback, panose, family) in _FONT_TABLE.items():
        root.append(
            el(
                "w:font",
                {"w:name": name},
                el("w:altName", {"w:val": fallback}),
                el("w:panose1", {"w:val": panose}),
                el("w:charset", {"w:val": "86"}),
                el("w:family", {"w:val": family}),
                el("w:pitch", {"w:val": "variable"}),
            )
        )
    root.append(
        el(
            "w:font",
            {"w:name": CHECKBOX_FONT},
            el("w:altName", {"w:val": CHECKBOX_FALLBACK}),
            el("w:family", {"w:val": "swiss"}),
            el("w:pitch", {"w:val": "variable"}),
        )
    )
    return _serialize(root)


@dataclass(frozen=True)
class CoreProperties:
    """The docProps/core.xml values a form carries; `identifier` names its template."""

    title: str
    subject: str
    identifier: str
    language: str = "zh-CN"


def _core(properties: CoreProperties) -> bytes:
    def node(name: str, text: str) -> etree._Element:
        prefix, local = name.split(":")
        element = etree.Element(f"{{{CORE_NS[prefix]}}}{local}", nsmap=CORE_NS)
        element.text = check_text(text, f"core property {name}")
        return element

    root = etree.Element(f"{{{CORE_NS['cp']}}}coreProperties", nsmap=CORE_NS)
    root.extend(
        [
            node("dc:title", properties.title),
            node("dc:subject", properties.subject),
            node("dc:creator", "dangan"),
            node("dc:identifier", properties.identifier),
            node("dc:language", properties.language),
        ]
    )
    etree.cleanup_namespaces(root, top_nsmap=CORE_NS)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _relationships(entries: Iterable[tuple[str, str, str]]) -> bytes:
    root = etree.Element(f"{{{_PKG_REL}}}Relationships", nsmap={None: _PKG_REL})
    for rel_id, rel_type, target in entries:
        etree.SubElement(
            root, f"{{{_PKG_REL}}}Relationship", Id=rel_id, Type=rel_type, Target=target
        )
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _content_types() -> bytes:
    ns = "http://schemas.openxmlformats.org/package/2006/content-types"
    root = etree.Element(f"{{{ns}}}Types", nsmap={None: ns})
    defaults = {
        "rels": "application/vnd.openxmlformats-package.relationships+xml",
        "xml": "application/xml",
    }
    for extension, content_type in defaults.items():
        etree.SubElement(
            root, f"{{{ns}}}Default", Extension=extension, ContentType=content_type
        )
    overrides = {
        "/word/document.xml": f"{_MAIN_TYPE}.document.main+xml",
        "/word/styles.xml": f"{_MAIN_TYPE}.styles+xml",
        "/word/settings.xml": f"{_MAIN_TYPE}.settings+xml",
        "/word/fontTable.xml": f"{_MAIN_TYPE}.fontTable+xml",
        "/word/header1.xml": f"{_MAIN_TYPE}.header+xml",
        "/word/footer1.xml": f"{_MAIN_TYPE}.footer+xml",
        "/docProps/core.xml": "application/vnd.openxmlformats-package.core-properties+xml",
        "/docProps/app.xml": "application/vnd.openxmlformats-officedocument.extended-properties+xml",
    }
    for part, content_type in overrides.items():
        etree.SubElement(
            root, f"{{{ns}}}Override", PartName=part, ContentType=content_type
        )
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _app() -> bytes:
    ns = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
    root = etree.Element(f"{{{ns}}}Properties", nsmap={None: ns})
    etree.SubElement(root, f"{{{ns}}}Application").text = "dangan"
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def build_package(
    body: Iterable[etree._Element],
    header: Iterable[etree._Element],
    footer: Iterable[etree._Element],
    properties: CoreProperties,
) -> bytes:
    """Return the bytes of a .docx file with one section, a header and a footer."""
    parts = {
        "[Content_Types].xml": _content_types(),
        "_rels/.rels": _relationships(
            [
                ("rId1", f"{_REL_TYPE}/officeDocument", "word/document.xml"),
                ("rId2", _CORE_REL, "docProps/core.xml"),
                ("rId3", f"{_REL_TYPE}/extended-properties", "docProps/app.xml"),
            ]
        ),
        "docProps/core.xml": _core(properties),
        "docProps/app.xml": _app(),
        "word/document.xml": _document(body),
        "word/_rels/document.xml.rels": _relationships(
            [
                ("rIdStyles", f"{_REL_TYPE}/styles", "styles.xml"),
                ("rIdSettings", f"{_REL_TYPE}/settings", "settings.xml"),
                ("rIdFonts", f"{_REL_TYPE}/fontTable", "fontTable.xml"),
                ("rIdHeader", f"{_REL_TYPE}/header", "header1.xml"),
                ("rIdFooter", f"{_REL_TYPE}/footer", "footer1.xml"),
            ]
        ),
        "word/styles.xml": _styles(),
        "word/settings.xml": _settings(),
        "word/fontTable.xml": _font_table(),
        "word/header1.xml": _header_footer("w:hdr", header),
        "word/footer1.xml": _header_footer("w:ftr", footer),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in parts.items():
            # A fixed timestamp makes the same input give the same bytes.
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            package.writestr(info, data)
    return buffer.getvalue()


# -- reading -------------------------------------------------------------------


def _core_part_name(package: zipfile.ZipFile) -> str | None:
    """Return the core properties part, found by its relationship or usual name.

    Any relationship whose target ends in core.xml counts, because editors disagree
    on the relationship type (LibreOffice rewrites it when it saves).
    """
    names = set(package.namelist())
    if "_rels/.rels" in names:
        root = etree.fromstring(package.read("_rels/.rels"))
        for rel in root:
            target = (rel.get("Target") or "").lstrip("/")
            if rel.get("Type", "").endswith("/core-properties") and target in names:
                return target
    return "docProps/core.xml" if "docProps/core.xml" in names else None


def read_core_property(data: bytes, name: str) -> str | None:
    """Return the text of one core property (`dc:identifier`), or None if absent.

    Raises zipfile.BadZipFile when `data` is not a zip package.
    """
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        part = _core_part_name(package)
        if part is None:
            return None
        root = etree.fromstring(package.read(part))
    prefix, local = name.split(":")
    found = root.find(f"{{{CORE_NS[prefix]}}}{local}")
    return found.text if found is not None else None


def control_tags(document_xml: bytes) -> list[str]:
    """Return the tag of every content control in a document part, in order."""
    root = etree.fromstring(document_xml)
    return [node.get(qn("w:val")) for node in root.iter(qn("w:tag"))]
