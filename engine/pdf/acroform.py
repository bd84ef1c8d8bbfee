"""Finish the AcroForm that WeasyPrint writes; the only module that edits raw PDF fields.

WeasyPrint 70 (`pdf_forms=True`) writes one widget per HTML input. This module turns
that into a form every viewer fills and shows the same way:

- radio buttons: WeasyPrint lists each kid in /Fields as well and gives it its own
  /T, /TU and /FT, so pypdf fills the kid and leaves the group's /V stale. Kids
  become plain widgets of their group, which alone stays in /Fields;
- checkboxes and radios get a /DA with ZapfDingbats (in /DR), a caption in /MK and
  an empty /Off appearance, so viewers that redraw buttons draw a tick or a dot;
- text fields and combo boxes that hold a value get an appearance stream drawn
  with the form font (wrapped by character for Chinese, a combo box showing the
  option's label while /V keeps its key), and NeedAppearances is cleared;
- the form's identity goes into the document information dictionary.

On-states, fixed and documented in docs/pdf-forms.md: a checkbox is /on or /Off; a
radio kid is /0, /1, ... in option order, with the option keys in the group's /Opt.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

logger = logging.getLogger(__name__)

OFF = "/Off"
PRINT_FLAG = 4
RADIO_FLAG = 1 << 15
PUSHBUTTON_FLAG = 1 << 16
MULTILINE_FLAG = 1 << 12
COMBO_FLAG = 1 << 17
BUTTON_FONT = "/ZaDb"
# ZapfDingbats "4" is a tick, "l" a filled circle.
CHECK_CAPTION = "4"
RADIO_CAPTION = "l"
IDENTITY_KEYS = ("/DanganTemplate", "/DanganVersion", "/DanganFingerprint")


@dataclass
class FormFinish:
    """Requests of the renderer to the finishing pass, by PDF field name."""

    # Text to draw in a text field or combo box. For a combo box this is the option
    # label, while /V keeps the option key; for a text field, the value itself.
    shown: dict[str, str] = field(default_factory=dict)
    # Tooltips (/TU) for fields whose HTML element could not carry one: radio groups.
    tooltips: dict[str, str] = field(default_factory=dict)
    identity: tuple[str, int, str] | None = None
    # Width of a text in em at the form font; used to wrap multi-line values.
    measure: Callable[[str], float] | None = None
    # Glyph codes of a text in the form font; None leaves values undrawn.
    encode: Callable[[str], bytes] | None = None


def field_kind(field_dict: DictionaryObject) -> str:
    """Return "text", "checkbox", "radio", "combo", "list" or "push" for a field."""
    field_type = field_dict.get("/FT")
    flags = int(field_dict.get("/Ff", 0))
    if field_type == "/Tx":
        return "text"
    if field_type == "/Ch":
        return "combo" if flags & COMBO_FLAG else "list"
    if flags & RADIO_FLAG:
        return "radio"
    if flags & PUSHBUTTON_FLAG:
        return "push"
    return "checkbox"


def _button_font() -> DictionaryObject:
    return DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/ZapfDingbats"),
        }
    )


def _size(widget: DictionaryObject) -> tuple[float, float]:
    """Return the width and height of a widget; WeasyPrint writes /Rect top first."""
    x1, y1, x2, y2 = (float(v) for v in widget["/Rect"])
    return abs(x2 - x1), abs(y2 - y1)


def _empty_appearance(writer: PdfWriter, width: float, height: float) -> object:
    stream = DecodedStreamObject()
    stream.set_data(b"")
    stream[NameObject("/Type")] = NameObject("/XObject")
    stream[NameObject("/Subtype")] = NameObject("/Form")
    stream[NameObject("/BBox")] = ArrayObject(
        [FloatObject(0), FloatObject(0), FloatObject(width), FloatObject(height)]
    )
    # NOTE: pypdf has no public way to add a stream as an indirect object.
    return writer._add_object(stream)


def _dress_button(writer: PdfWriter, widget: DictionaryObject, caption: str) -> None:
    """Give a checkbox or radio widget a caption, a border and an /Off appearance."""
    characteristics = widget.setdefault(NameObject("/MK"), DictionaryObject())
    characteristics = characteristics.get_object()
    characteristics[NameObject("/CA")] = TextStringObject(caption)
    normal = widget["/AP"].get_object()["/N"].get_object()
    if OFF not in normal:
        normal[NameObject(OFF)] = _empty_appearance(writer, *_size(widget))
    widget[NameObject("/F")] = NumberObject(PRINT_FLAG)


def _fix_buttons(writer: PdfWriter, acro_form: DictionaryObject, tips: dict) -> None:
    """Make radio kids plain widgets of their group and dress every button."""
    da = TextStringObject(f"{BUTTON_FONT} 0 Tf 0 g")
    fields = [r for r in acro_form["/Fields"]]
    kids = {
        kid.idnum
        for r in fields
        if "/Kids" in r.get_object()
        for kid in r.get_object()["/Kids"]
    }
    fields = [r for r in fields if r.idnum not in kids]
    for reference in fields:
        node = reference.get_object()
        kind = field_kind(node)
        if kind == "radio":
            node[NameObject("/DA")] = da
            name = str(node["/T"])
            if name in tips:
                node[NameObject("/TU")] = TextStringObject(tips[name])
            for kid_reference in node["/Kids"]:
                kid = kid_reference.get_object()
                for key in ("/T", "/TU", "/FT", "/V"):
                    kid.pop(key, None)
                _dress_button(writer, kid, RADIO_CAPTION)
        elif kind == "checkbox":
            node[NameObject("/DA")] = da
            _dress_button(writer, node, CHECK_CAPTION)
    acro_form[NameObject("/Fields")] = ArrayObject(fields)


def _resources(acro_form: DictionaryObject) -> None:
    """Give the form its own /DR with the form font, ZapfDingbats and graphic states.

    WeasyPrint points /DR at the first page's resources; a copy keeps page
    resources untouched when fonts are added here.
    """
    old = acro_form["/DR"].get_object()
    resources = DictionaryObject()
    for key in ("/ExtGState",):
        if key in old:
            resources[NameObject(key)] = old[key]
    fonts = DictionaryObject(old.get("/Font", DictionaryObject()).get_object())
    fonts[NameObject(BUTTON_FONT)] = _button_font()
    resources[NameObject("/Font")] = fonts
    acro_form[NameObject("/DR")] = resources


def wrap_lines(text: str, width_em: float, measure: Callable[[str], float]) -> str:
    """Break each line of `text` so that no line is wider than `width_em`."""
    out: list[str] = []
    for line in text.splitlines() or [""]:
        current = ""
        for char in line:
            if current and measure(current + char) > width_em:
                out.append(current)
                current = ""
            current += char
        out.append(current)
    return "\n".join(out)


def _default_appearance(da: str) -> tuple[str, float]:
    """Return the font resource name and size of a /DA string."""
    parts = da.split()
    if "Tf" not in parts:
        return "", 10.0
    at = parts.index("Tf")
    return parts[at - 2], float(parts[at - 1])


# Ascent and descent of the form font, in em (Noto Sans CJK: 880 and 120 units).
ASCENT = 0.88
DESCENT = 0.12
LEADING = 1.25
PADDING = 2.0


def _text_stream(
    text: str, multiline: bool, width: float, height: float, da: str, finish: FormFinish
) -> bytes:
    """Return the content of a text appearance: the lines of `text`, clipped to the box."""
    font_name, size = _default_appearance(da)
    measure = finish.measure
    if multiline and measure is not None:
        text = wrap_lines(text, (width - 2 * PADDING) / size, measure)
    lines = text.split("\n") if multiline else [text.replace("\n", " ")]
    if multiline:
        first = height - PADDING - ASCENT * size
    else:
        first = (height - size) / 2 + DESCENT * size
    ops = [
        "/Tx BMC",
        "q",
        f"1 1 {width - 2:.2f} {height - 2:.2f} re W n",
        "BT",
        f"{font_name} {size:g} Tf 0 g",
        f"{PADDING:g} {first:.2f} Td",
    ]
    for index, line in enumerate(lines):
        if index:
            ops.append(f"0 {-LEADING * size:.2f} Td")
        assert finish.encode is not None
        ops.append(f"<{finish.encode(line).hex()}> Tj")
    ops += ["ET", "Q", "EMC"]
    return "\n".join(ops).encode("ascii")


def _draw_values(
    writer: PdfWriter, acro_form: DictionaryObject, finish: FormFinish
) -> None:
    """Give each field in `finish.shown` a normal appearance showing its text."""
    if finish.encode is None:
        return
    fonts = acro_form["/DR"].get_object()["/Font"]
    for reference in acro_form["/Fields"]:
        widget = reference.get_object()
        name = str(widget.get("/T", ""))
        if name not in finish.shown or field_kind(widget) not in ("text", "combo"):
            continue
        width, height = _size(widget)
        da = str(widget.get("/DA", ""))
        multiline = bool(int(widget.get("/Ff", 0)) & MULTILINE_FLAG)
        stream = DecodedStreamObject()
        stream.set_data(
            _text_stream(finish.shown[name], multiline, width, height, da, finish)
        )
        stream[NameObject("/Type")] = NameObject("/XObject")
        stream[NameObject("/Subtype")] = NameObject("/Form")
        stream[NameObject("/BBox")] = ArrayObject(
            [FloatObject(0), FloatObject(0), FloatObject(width), FloatObject(height)]
        )
        font_name = _default_appearance(da)[0]
        stream[NameObject("/Resources")] = DictionaryObject(
            {
                NameObject("/Font"): DictionaryObject(
                    {NameObject(font_name): fonts.raw_get(font_name)}
                )
            }
        )
        widget[NameObject("/AP")] = DictionaryObject(
            {NameObject("/N"): writer._add_object(stream)}
        )


def finish_form(pdf: bytes, finish: FormFinish) -> bytes:
    """Return the PDF with its AcroForm completed as the module docstring describes."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    acro_form = writer.root_object.get("/AcroForm")
    if acro_form is not None:
        acro_form = acro_form.get_object()
        _resources(acro_form)
        _fix_buttons(writer, acro_form, finish.tooltips)
        _draw_values(writer, acro_form, finish)
        acro_form[NameObject("/NeedAppearances")] = BooleanObject(False)
    if finish.identity is not None:
        writer.add_metadata(dict(zip(IDENTITY_KEYS, finish.identity, strict=True)))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@dataclass(frozen=True)
class FieldInfo:
    """One terminal field as a reader sees it: kind, value and the widgets' flags."""

    name: str
    kind: str
    value: str | bool | None
    # Option keys of a radio group or combo box, in order; empty for other kinds.
    options: tuple[str, ...]
    widget_flags: tuple[int, ...]


def _open(source: bytes | str | object) -> PdfReader:
    if isinstance(source, PdfReader):
        return source
    if isinstance(source, bytes | bytearray):
        return PdfReader(io.BytesIO(source))
    return PdfReader(source)


def _kids(node: DictionaryObject) -> list[DictionaryObject]:
    return [k.get_object() for k in node.get("/Kids", [])]


def _button_state(node: DictionaryObject) -> str:
    """Return a button's state: its /V, or without one the /AS of a kid that is on.

    Some fillers set only the widgets' appearance states and write no /V.
    """
    if "/V" in node:
        return str(node["/V"])
    for widget in [node, *_kids(node)]:
        shown = str(widget.get("/AS", OFF))
        if shown != OFF:
            return shown
    return OFF


def _button_value(node: DictionaryObject, kind: str) -> str | bool | None:
    state = _button_state(node)
    if kind == "checkbox":
        return state != OFF
    if state == OFF:
        return None
    options = [str(o) for o in node.get("/Opt", [])]
    index = state.lstrip("/")
    if index.isdigit() and int(index) < len(options):
        return options[int(index)]
    return index


def _choice_value(node: DictionaryObject) -> str | None:
    value = node.get("/V")
    if isinstance(value, list):  # a multi-select list box
        value = value[0] if value else None
    return str(value) if value not in (None, "") else None


def _info(node: DictionaryObject, name: str) -> FieldInfo:
    kind = field_kind(node)
    kids = _kids(node) or [node]
    options: tuple[str, ...] = ()
    if kind in ("radio",):
        options = tuple(str(o) for o in node.get("/Opt", []))
        value: str | bool | None = _button_value(node, kind)
    elif kind == "checkbox":
        value = _button_value(node, kind)
    elif kind in ("combo", "list"):
        options = tuple(
            str(o[0]) if isinstance(o, list) else str(o) for o in node.get("/Opt", [])
        )
        value = _choice_value(node)
    else:
        value = _choice_value(node)
    flags = tuple(int(k.get("/F", 0)) for k in kids)
    return FieldInfo(name, kind, value, options, flags)


# A real form nests fields a level or two; this bounds crafted files.
MAX_FIELD_DEPTH = 20


class FieldTreeError(ValueError):
    """The field tree of a PDF loops or nests deeper than any real form."""


def _walk(
    node: DictionaryObject,
    parent: str,
    ancestors: tuple[int, ...],
    seen: set[int],
) -> list[FieldInfo]:
    """Return the terminal fields under `node`; names join with "." as PDF defines.

    A node met again outside its own branch (a kid also listed in /Fields) is
    skipped; a node that is its own ancestor, or a tree deeper than
    MAX_FIELD_DEPTH, raises FieldTreeError.
    """
    if id(node) in ancestors:
        raise FieldTreeError("fields contain each other in a loop")
    if len(ancestors) >= MAX_FIELD_DEPTH:
        raise FieldTreeError(f"fields nest more than {MAX_FIELD_DEPTH} levels deep")
    if id(node) in seen:
        return []
    seen.add(id(node))
    partial = node.get("/T")
    name = (
        f"{parent}.{partial}"
        if parent and partial is not None
        else str(partial or parent)
    )
    field_kids = [k for k in _kids(node) if "/T" in k]
    if not field_kids:
        return [_info(node, name)] if "/FT" in node or parent else []
    found: list[FieldInfo] = []
    for kid in field_kids:
        found.extend(_walk(kid, name, (*ancestors, id(node)), seen))
    return found


def read_fields(source: bytes | str | object) -> dict[str, FieldInfo]:
    """Return every terminal field of a PDF form by full name; empty without a form."""
    reader = _open(source)
    acro_form = reader.trailer["/Root"].get("/AcroForm")
    if acro_form is None:
        return {}
    fields: dict[str, FieldInfo] = {}
    seen: set[int] = set()
    for reference in acro_form.get_object().get("/Fields", []):
        for info in _walk(reference.get_object(), "", (), seen):
            fields.setdefault(info.name, info)
    return fields


def read_identity(source: bytes | str | object) -> tuple[str, int, str] | None:
    """Return (template id, version, fingerprint) from a form's metadata.

    None means the file carries no identity of ours (not one of our forms).
    """
    info = _open(source).metadata or {}
    values = [info.get(key) for key in IDENTITY_KEYS]
    if any(value is None for value in values) or not str(values[1]).isdigit():
        return None
    return str(values[0]), int(str(values[1])), str(values[2])
