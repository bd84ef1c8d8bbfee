"""Make synthetic scans of paper forms, for the tests and the benchmark.

A paper form is drawn at a resolution, its boxes are filled as a person would
(text in a chosen font, ticks, crosses, filled squares), and the sheet is put
through a simulated scanner: turned, scaled, shifted, blurred, speckled with
noise and saved as JPEG. Fonts: Noto Sans CJK for print, AR PL UKai (Debian's
fonts-arphic-ukai) as a brush-script stand-in for handwriting.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from engine.paper.layout import BoxPlace, PaperLayout
from engine.spec.flat import flatten_record
from engine.spec.model import Template, TextareaField
from engine.spec.slots import option_path, template_slots

PRINT_FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
BRUSH_FONT = "/usr/share/fonts/truetype/arphic/ukai.ttc"
TICK_KINDS = ("tick", "cross", "fill")


@dataclass(frozen=True)
class Scanner:
    """How a simulated scanner spoils a page."""

    dpi: int = 200
    rotation: float = 0.0  # degrees, counter-clockwise
    scale: float = 1.0
    shift: tuple[float, float] = (0.0, 0.0)  # millimetres
    blur: float = 0.0  # Gaussian sigma in pixels
    noise: float = 0.0  # standard deviation of grey noise
    jpeg_quality: int | None = None
    upside_down: bool = False
    # The scanner's glass is larger than the sheet by this much on every side (mm).
    bed_margin: float = 4.0


def box_contents(template: Template, values: dict[str, Any]) -> dict[str, str]:
    """Return what a person writes in each box for a record: text, or a tick kind."""
    flat = flatten_record(template, values)
    contents: dict[str, str] = {}
    for slot in template_slots(template):
        value = flat.get(slot.path)
        if value is None or value == "" or value == []:
            continue
        field = slot.field
        kind = slot.value_type if slot.part is None else "text"
        if kind == "multichoice":
            for key in value:
                contents[f"c:{option_path(slot.path, key)}"] = "tick"
        elif kind in ("choice", "dropdown", "rating"):
            contents[f"c:{option_path(slot.path, str(value))}"] = "tick"
        elif kind == "yes_no":
            key = "yes" if value else "no"
            contents[f"c:{option_path(slot.path, key)}"] = "tick"
        elif isinstance(field, TextareaField) and slot.part is None:
            for number, line in enumerate(str(value).split("\n")):
                contents[f"t:{slot.path}#{number}"] = line
        elif kind == "datetime":
            # A person writes a space, not the T of the stored form.
            contents[f"t:{slot.path}"] = str(value).replace("T", " ")
        else:
            contents[f"t:{slot.path}"] = str(value)
    return contents


def _font(path: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, size=max(size, 6))


def _write(
    draw: ImageDraw.ImageDraw, place: BoxPlace, text: str, px: float, font_path: str
) -> None:
    height = place.height * px
    size = int(height * 0.62)
    width_room = (place.width - 3) * px
    font = _font(font_path, size)
    while size > 8 and draw.textlength(text, font=font) > width_room:
        size -= 1
        font = _font(font_path, size)
    x = (place.x + 1.5) * px
    y = place.y * px + (height - size) / 2
    draw.text((x, y), text, fill=25, font=font)


def _tick(draw: ImageDraw.ImageDraw, place: BoxPlace, kind: str, px: float) -> None:
    x, y = place.x * px, place.y * px
    w, h = place.width * px, place.height * px
    pen = max(2, int(0.45 * px))
    if kind == "tick":
        draw.line(
            [
                (x + 0.2 * w, y + 0.55 * h),
                (x + 0.42 * w, y + 0.85 * h),
                (x + 0.95 * w, y - 0.1 * h),
            ],
            fill=30,
            width=pen,
        )
    elif kind == "cross":
        draw.line(
            [(x + 0.1 * w, y + 0.1 * h), (x + 0.9 * w, y + 0.9 * h)], fill=30, width=pen
        )
        draw.line(
            [(x + 0.9 * w, y + 0.1 * h), (x + 0.1 * w, y + 0.9 * h)], fill=30, width=pen
        )
    elif kind == "fill":
        draw.rectangle(
            [x + 0.05 * w, y + 0.05 * h, x + 0.95 * w, y + 0.95 * h], fill=35
        )
    else:
        raise ValueError(f"unknown tick kind {kind!r}; use one of {TICK_KINDS}")


def fill_pages(
    pages: list[np.ndarray],
    layout: PaperLayout,
    contents: dict[str, str],
    dpi: int,
    font_path: str = PRINT_FONT,
) -> list[np.ndarray]:
    """Return copies of the drawn pages with `contents` written into their boxes."""
    px = dpi / 25.4
    images = [Image.fromarray(page) for page in pages]
    draws = [ImageDraw.Draw(image) for image in images]
    for box_id, content in contents.items():
        place = layout.boxes[box_id]
        draw = draws[place.page]
        if box_id.startswith("c:"):
            _tick(draw, place, content, px)
        elif content:
            _write(draw, place, content, px, font_path)
    return [np.asarray(image) for image in images]


def scan(page: np.ndarray, scanner: Scanner, seed: int = 0) -> np.ndarray:
    """Return the page as the scanner sees it."""
    px = scanner.dpi / 25.4
    margin = int(round(scanner.bed_margin * px))
    page = cv2.copyMakeBorder(
        page, margin, margin, margin, margin, cv2.BORDER_CONSTANT, value=255
    )
    height, width = page.shape
    centre = (width / 2, height / 2)
    angle = scanner.rotation + (180.0 if scanner.upside_down else 0.0)
    matrix = cv2.getRotationMatrix2D(centre, angle, scanner.scale)
    matrix[:, 2] += np.array(scanner.shift) * px
    image = cv2.warpAffine(
        page, matrix, (width, height), flags=cv2.INTER_LINEAR, borderValue=255
    )
    if scanner.blur:
        image = cv2.GaussianBlur(image, (0, 0), scanner.blur)
    if scanner.noise:
        rng = np.random.default_rng(seed)
        noisy = image.astype(np.float32) + rng.normal(0, scanner.noise, image.shape)
        image = np.clip(noisy, 0, 255).astype(np.uint8)
    if scanner.jpeg_quality:
        ok, encoded = cv2.imencode(
            ".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, scanner.jpeg_quality]
        )
        assert ok
        image = cv2.imdecode(encoded, cv2.IMREAD_GRAYSCALE)
    return image


def to_file(pages: list[np.ndarray], kind: str = "png", dpi: int = 200) -> bytes:
    """Return scanned pages as one file: "png" or "jpeg" (first page), "tiff", "pdf"."""
    images = [Image.fromarray(page) for page in pages]
    out = io.BytesIO()
    if kind in ("png", "jpeg"):
        images[0].save(out, format=kind.upper(), dpi=(dpi, dpi))
    elif kind == "tiff":
        images[0].save(
            out,
            format="TIFF",
            save_all=True,
            append_images=images[1:],
            compression="tiff_deflate",
            dpi=(dpi, dpi),
        )
    elif kind == "pdf":
        images[0].save(
            out, format="PDF", save_all=True, append_images=images[1:], resolution=dpi
        )
    else:
        raise ValueError(f"unknown scan file kind {kind!r}")
    return out.getvalue()


@dataclass
class Outcome:
    """How well a scan was read back, against the record written on it."""

    characters: int = 0
    character_errors: int = 0
    boxes: int = 0
    box_errors: int = 0
    # (path, expected, read, confidence) of every text value read wrong.
    wrong: list[tuple[str, Any, Any, float | None]] = field(default_factory=list)
    # (path, expected, read) of every choice read wrong.
    wrong_boxes: list[tuple[str, Any, Any]] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return 1 - self.character_errors / self.characters if self.characters else 1.0

    def add(self, other: Outcome) -> None:
        self.characters += other.characters
        self.character_errors += other.character_errors
        self.boxes += other.boxes
        self.box_errors += other.box_errors
        self.wrong += other.wrong
        self.wrong_boxes += other.wrong_boxes


def _distance(a: str, b: str) -> int:
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        previous, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            previous, row[j] = (
                row[j],
                min(row[j] + 1, row[j - 1] + 1, previous + (ca != cb)),
            )
    return row[-1]


def _squeeze(value: Any) -> str:
    return "".join(str(value).split()) if value is not None else ""


def compare(
    template: Template,
    written: dict[str, Any],
    read: dict[str, Any],
    confidence: dict[str, float],
) -> Outcome:
    """Compare a record read from a scan with the record written on it.

    Characters are counted without white space, which a hand does not write
    reliably; a text value is wrong when it differs in any other character.
    """
    expected, got = flatten_record(template, written), flatten_record(template, read)
    outcome = Outcome()
    for slot in template_slots(template):
        want, have = expected.get(slot.path), got.get(slot.path)
        if slot.part is None and slot.value_type in (
            "choice",
            "multichoice",
            "dropdown",
            "yes_no",
            "rating",
        ):
            outcome.boxes += 1
            if (want or None) != (have or None):
                outcome.box_errors += 1
                outcome.wrong_boxes.append((slot.path, want, have))
            continue
        want_text, have_text = _squeeze(want), _squeeze(have)
        outcome.characters += len(want_text)
        errors = _distance(want_text, have_text)
        outcome.character_errors += errors
        if errors:
            outcome.wrong.append((slot.path, want, have, confidence.get(slot.path)))
    return outcome
