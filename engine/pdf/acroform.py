"""Read the fields of a PDF form: names, kinds, values and our identity.

The only module that reads raw PDF fields (with pypdf). It follows what PDF
allows, not only what our renderer writes (`engine.pdf.finish`): radio groups with
the state on the group or only on a kid, fields nested under named parents, and
any on-state name. Crafted trees that loop or nest too deep raise FieldTreeError.

On-states, fixed and documented in docs/pdf-forms.md: a checkbox is /on or /Off; a
radio kid is /0, /1, ... in option order, with the option keys in the group's /Opt.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from pypdf import PdfReader
from pypdf.generic import DictionaryObject

OFF = "/Off"
PRINT_FLAG = 4
RADIO_FLAG = 1 << 15
PUSHBUTTON_FLAG = 1 << 16
MULTILINE_FLAG = 1 << 12
COMBO_FLAG = 1 << 17
# ZapfDingbats "4" is a tick, "l" a filled circle.
CHECK_CAPTION = "4"
RADIO_CAPTION = "l"
IDENTITY_KEYS = ("/DanganTemplate", "/DanganVersion", "/DanganFingerprint")


def field_kind(field_dict: DictionaryObject) -> str:
    """Return "text", "checkbox", "radio", "combo", "list" or "push" for a field."""
    return kind_of(field_dict.get("/FT"), int(field_dict.get("/Ff", 0)))


def kind_of(field_type: object, flags: int) -> str:
    """Return a field's kind from its /FT name and /Ff flags."""
    if field_type == "/Tx":
        return "text"
    if field_type == "/Ch":
        return "combo" if flags & COMBO_FLAG else "list"
    if flags & RADIO_FLAG:
        return "radio"
    if flags & PUSHBUTTON_FLAG:
        return "push"
    return "checkbox"


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
