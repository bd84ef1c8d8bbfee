"""Complete the AcroForm that WeasyPrint builds, before WeasyPrint writes the file.

WeasyPrint 70 (`pdf_forms=True`) writes one widget per HTML input. `FormFinisher`
runs as WeasyPrint's `finisher` hook, on its pydyf objects, and turns that into a
form every viewer fills and shows the same way:

- radio buttons: WeasyPrint lists each kid in /Fields as well and gives it its own
  /T, /TU and /FT, so a filler fills the kid and leaves the group's /V stale. Kids
  become plain widgets of their group, which alone stays in /Fields;
- checkboxes and radios get a /DA with ZapfDingbats (in /DR), a caption in /MK and
  an empty /Off appearance, so viewers that redraw buttons draw a tick or a dot;
- text fields and combo boxes that hold a value get an appearance stream drawn
  with the form font (wrapped by character for Chinese, a combo box showing the
  option's label while /V keeps its key), and NeedAppearances is cleared;
- the form's identity goes into the document information dictionary.

Working on the objects before they are written saves a second parse and write of
the whole file, form font included (docs/benchmarks.md has the figures).

On-states, fixed and documented in docs/pdf-forms.md: a checkbox is /on or /Off; a
radio kid is /0, /1, ... in option order, with the option keys in the group's /Opt.

pydyf writes dictionary keys as names (a "/" is added) and values as they are: a
str value such as "/Off" is a name, a `pydyf.String` a string, and b"12 0 R" a
reference to object 12.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pydyf

from engine.pdf.acroform import (
    CHECK_CAPTION,
    IDENTITY_KEYS,
    MULTILINE_FLAG,
    OFF,
    PRINT_FLAG,
    RADIO_CAPTION,
    kind_of,
)

logger = logging.getLogger(__name__)

BUTTON_FONT = "ZaDb"

# Ascent and descent of the form font, in em (Noto Sans CJK: 880 and 120 units).
ASCENT = 0.88
DESCENT = 0.12
LEADING = 1.25
PADDING = 2.0


@dataclass
class FormFinish:
    """Requests of the renderer to the finishing pass, by PDF field name."""

    # Text to draw in a text field or combo box. For a combo box this is the option
    # label, while /V keeps the option key. For a text field it is the value itself.
    shown: dict[str, str] = field(default_factory=dict)
    # Tooltips (/TU) for fields whose HTML element could not carry one: radio groups.
    tooltips: dict[str, str] = field(default_factory=dict)
    identity: tuple[str, int, str] | None = None
    # Width of a text in em at the form font, used to wrap multi-line values.
    measure: Callable[[str], float] | None = None
    # Glyph codes of a text in the form font. None leaves values undrawn.
    encode: Callable[[str], bytes] | None = None


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


def default_appearance(da: str) -> tuple[str, float]:
    """Return the font resource name (without "/") and size of a /DA string."""
    parts = da.split()
    if "Tf" not in parts:
        return "", 10.0
    at = parts.index("Tf")
    return parts[at - 2].lstrip("/"), float(parts[at - 1])


def text_stream(
    text: str, multiline: bool, width: float, height: float, da: str, finish: FormFinish
) -> bytes:
    """Return the content of a text appearance: the lines of `text`, clipped to the box."""
    assert finish.encode is not None
    font_name, size = default_appearance(da)
    if multiline and finish.measure is not None:
        text = wrap_lines(text, (width - 2 * PADDING) / size, finish.measure)
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
        f"/{font_name} {size:g} Tf 0 g",
        f"{PADDING:g} {first:.2f} Td",
    ]
    for index, line in enumerate(lines):
        if index:
            ops.append(f"0 {-LEADING * size:.2f} Td")
        ops.append(f"<{finish.encode(line).hex()}> Tj")
    ops += ["ET", "Q", "EMC"]
    return "\n".join(ops).encode("ascii")


def _text(value: Any) -> str:
    """Return the text of a pydyf string, or of a plain str or bytes value."""
    if isinstance(value, pydyf.String):
        value = value.string
    if isinstance(value, bytes):
        return value.decode("latin-1")
    return str(value)


def widget_kind(widget: dict) -> str:
    """Return "text", "checkbox", "radio", "combo", "list" or "push" for a field."""
    return kind_of(widget.get("FT"), int(widget.get("Ff", 0)))


def _size(widget: dict) -> tuple[float, float]:
    """Return the width and height of a widget (WeasyPrint writes /Rect top first)."""
    x1, y1, x2, y2 = (float(v) for v in widget["Rect"])
    return abs(x2 - x1), abs(y2 - y1)


def _form_xobject(width: float, height: float, content: list, **extra: Any) -> Any:
    return pydyf.Stream(
        content,
        {
            "Type": "/XObject",
            "Subtype": "/Form",
            "BBox": pydyf.Array([0, 0, width, height]),
            **extra,
        },
        compress=True,
    )


# Objects larger than this are written on their own rather than in the object stream.
LARGE_OBJECT_BYTES = 4096


class _LooseDictionary(pydyf.Dictionary):
    """A dictionary that pydyf writes as its own object, outside the object stream."""

    compressible = False


class _LooseArray(pydyf.Array):
    """An array that pydyf writes as its own object, outside the object stream."""

    compressible = False


def _keep_large_objects_apart(pdf: pydyf.PDF) -> None:
    """Take large dictionaries and arrays out of the object stream pydyf writes.

    pypdf parses every object of an object stream when a reader first needs any of
    them. The form font's widths, about 38 KB of numbers, were in the stream and
    made each read of a form's fields about four times slower.
    """
    for pdf_object in pdf.objects:
        if not pdf_object.compressible:
            continue
        if isinstance(pdf_object, pydyf.Dictionary):
            loose: type = _LooseDictionary
        elif isinstance(pdf_object, pydyf.Array):
            loose = _LooseArray
        else:
            continue
        if len(pdf_object.data) > LARGE_OBJECT_BYTES:
            pdf_object.__class__ = loose


class FormFinisher:
    """The `finisher` hook of WeasyPrint that completes the AcroForm of one document."""

    def __init__(self, finish: FormFinish) -> None:
        self.finish = finish
        self.pdf: pydyf.PDF | None = None

    def __call__(self, document: object, pdf: pydyf.PDF) -> None:
        self.pdf = pdf
        acro_form = pdf.catalog.get("AcroForm")
        if acro_form is not None:
            fonts = self._resources(acro_form)
            self._fix_buttons(acro_form)
            self._draw_values(acro_form, fonts)
            acro_form["NeedAppearances"] = "false"
        if self.finish.identity is not None:
            for key, value in zip(IDENTITY_KEYS, self.finish.identity, strict=True):
                pdf.info[key.lstrip("/")] = pydyf.String(str(value))
        _keep_large_objects_apart(pdf)

    def _resolve(self, value: Any) -> Any:
        """Return the object a reference points to, or the value itself."""
        if isinstance(value, bytes) and value.endswith(b" R"):
            assert self.pdf is not None
            return self.pdf.objects[int(value.split()[0])]
        return value

    def _add(self, new_object: Any) -> bytes:
        """Add an indirect object to the document and return its reference."""
        assert self.pdf is not None
        self.pdf.add_object(new_object)
        return new_object.reference

    def _resources(self, acro_form: dict) -> dict:
        """Give the form its own /DR with the form font, ZapfDingbats and graphic states.

        WeasyPrint points /DR at the page resources, which every page shares, so a
        copy keeps them untouched when the button font is added. Returns the fonts.
        """
        old = self._resolve(acro_form["DR"])
        fonts = pydyf.Dictionary(self._resolve(old.get("Font", pydyf.Dictionary())))
        fonts[BUTTON_FONT] = pydyf.Dictionary(
            {"Type": "/Font", "Subtype": "/Type1", "BaseFont": "/ZapfDingbats"}
        )
        resources = pydyf.Dictionary({"Font": fonts})
        if "ExtGState" in old:
            resources["ExtGState"] = old["ExtGState"]
        acro_form["DR"] = resources
        return fonts

    def _dress_button(self, widget: dict, caption: str) -> None:
        """Give a checkbox or radio widget a caption, an /Off appearance and print flag."""
        characteristics = self._resolve(widget.setdefault("MK", pydyf.Dictionary()))
        characteristics["CA"] = pydyf.String(caption)
        normal = self._resolve(self._resolve(widget["AP"])["N"])
        if OFF.lstrip("/") not in normal:
            normal[OFF.lstrip("/")] = self._add(_form_xobject(*_size(widget), []))
        widget["F"] = PRINT_FLAG

    def _fix_buttons(self, acro_form: dict) -> None:
        """Make radio kids plain widgets of their group and dress every button."""
        da = pydyf.String(f"/{BUTTON_FONT} 0 Tf 0 g")
        references = list(acro_form["Fields"])
        kids = {
            kid
            for reference in references
            for kid in self._resolve(reference).get("Kids", ())
        }
        fields = pydyf.Array(r for r in references if r not in kids)
        for reference in fields:
            node = self._resolve(reference)
            kind = widget_kind(node)
            if kind == "radio":
                node["DA"] = da
                name = _text(node["T"])
                if name in self.finish.tooltips:
                    node["TU"] = pydyf.String(self.finish.tooltips[name])
                for kid_reference in node["Kids"]:
                    kid = self._resolve(kid_reference)
                    for key in ("T", "TU", "FT", "V"):
                        kid.pop(key, None)
                    self._dress_button(kid, RADIO_CAPTION)
            elif kind == "checkbox":
                node["DA"] = da
                self._dress_button(node, CHECK_CAPTION)
        acro_form["Fields"] = fields

    def _draw_values(self, acro_form: dict, fonts: dict) -> None:
        """Give each field in `finish.shown` a normal appearance showing its text."""
        finish = self.finish
        if finish.encode is None or not finish.shown:
            return
        for reference in acro_form["Fields"]:
            widget = self._resolve(reference)
            name = _text(widget.get("T", ""))
            if name not in finish.shown or widget_kind(widget) not in ("text", "combo"):
                continue
            width, height = _size(widget)
            da = _text(widget.get("DA", ""))
            multiline = bool(int(widget.get("Ff", 0)) & MULTILINE_FLAG)
            content = text_stream(
                finish.shown[name], multiline, width, height, da, finish
            )
            font_name = default_appearance(da)[0]
            resources = pydyf.Dictionary(
                {"Font": pydyf.Dictionary({font_name: fonts[font_name]})}
            )
            appearance = _form_xobject(width, height, [content], Resources=resources)
            widget["AP"] = pydyf.Dictionary({"N": self._add(appearance)})
