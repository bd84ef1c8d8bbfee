"""Read a scanned paper form (PDF or images, pages in any order) into raw values.

`read_scan` straightens every page and reads from its QR code which template made
it. Once the template is known, `ScanReading.finish` reads every box that the
template's layout puts on each page. Every value gets a confidence;
a value below REVIEW_THRESHOLD is listed for review with a picture of its boxes.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from engine.errors import FormFileError
from engine.paper.align import AlignedPage, PageError, align_page
from engine.paper.boxes import (
    TickRead,
    ink_reaches_right_edge,
    ink_threshold,
    read_tick,
    snapshot,
    text_ink,
)
from engine.paper.detect import is_image
from engine.paper.images import image_pages, pdf_pages
from engine.paper.layout import BoxPlace, PaperLayout, blank_layout
from engine.paper.ocr import read_texts
from engine.reading import FormIdentity, FormReading
from engine.spec.model import DropdownField, Template, TextareaField
from engine.spec.slots import Slot, option_path, template_slots

logger = logging.getLogger(__name__)

# A value read with less confidence than this is marked for a person to check.
REVIEW_THRESHOLD = 0.95
# The confidence of a value whose writing reaches the edge of its box: below the
# threshold, so a person checks whether it was cut short.
OVERFLOW_CONFIDENCE = 0.5
# Field types drawn as one tick box per option; the box keys where they are not
# the field's option keys.
TICK_KEYS: dict[str, list[str] | None] = {
    "choice": None,
    "multichoice": None,
    "dropdown": None,
    "yes_no": ["yes", "no"],
    "rating": ["1", "2", "3", "4", "5"],
}
STRUCK_NOTE = (
    "涂满的方框视为改选作废 (a filled box next to a ticked one is a correction)"
)


def _page_name(number: int) -> str:
    return f"page {number} of the scan"


def _tick_keys(slot: Slot) -> list[str]:
    keys = TICK_KEYS[slot.value_type]
    return keys if keys is not None else [o.key for o in slot.field.options]  # type: ignore[attr-defined]


def _text_ids(slot: Slot) -> list[str]:
    if isinstance(slot.field, TextareaField) and slot.part is None:
        return [f"t:{slot.path}#{n}" for n in range(slot.field.lines)]
    return [f"t:{slot.path}"]


def _choose(
    slot: Slot, reads: dict[str, TickRead]
) -> tuple[dict[str, bool], float, str | None]:
    """Return each option's state, the confidence and a note about corrections."""
    marked = [k for k, r in reads.items() if r.state == "marked"]
    filled = [k for k, r in reads.items() if r.state == "filled"]
    confidence = min(r.confidence for r in reads.values())
    note = None
    chosen = set(marked) | set(filled)
    if marked and filled:
        # A filled box beside a ticked one was struck out, so the tick is the value.
        chosen = set(marked)
        note = STRUCK_NOTE
        if slot.value_type == "multichoice":
            confidence = min(confidence, 0.5)
    return {k: k in chosen for k in reads}, confidence, note


@dataclass
class ScanReading(FormReading):
    """A scan whose pages are straightened; `finish` reads their boxes."""

    pages: dict[int, AlignedPage] = field(default_factory=dict)
    source: Path = Path("scan")
    language: str = "zh"
    fingerprint_prefix: str = ""
    # Paths of values whose writing reaches the right edge of a box.
    overflowing: set[str] = field(default_factory=set)

    def finish(self, template: Template) -> None:
        layout = blank_layout(template, self.language)  # type: ignore[arg-type]
        self._check_pages(template, layout)
        thresholds = {n: ink_threshold(p.image) for n, p in self.pages.items()}
        text_jobs: list[tuple[Slot, str, np.ndarray, str]] = []
        for slot in template_slots(template):
            if slot.part is None and slot.value_type in TICK_KEYS:
                self._read_ticks(slot, layout, thresholds)
                continue
            for box_id in _text_ids(slot):
                place = layout.boxes[box_id]
                page = self.pages[place.page + 1].image
                crop = text_ink(page, place, thresholds[place.page + 1])
                if crop is None:
                    continue
                if ink_reaches_right_edge(page, place, thresholds[place.page + 1]):
                    self.overflowing.add(slot.path)
                text_jobs.append((slot, box_id, crop, slot.value_type))
        self._read_texts(template, layout, text_jobs)
        if template.fingerprint[:12] != self.fingerprint_prefix:
            self.notes.append(
                f"the form was printed from a different declaration of {template.id!r} "
                f"version {template.version} (fingerprint {self.fingerprint_prefix}…, "
                f"now {template.fingerprint[:12]}…); check that no box moved"
            )

    def _check_pages(self, template: Template, layout: PaperLayout) -> None:
        printed = {p.payload.pages for p in self.pages.values()}
        if printed != {layout.pages}:
            raise FormFileError(
                self.source,
                f"the form was printed with {sorted(printed)[0]} pages but "
                f"{template.id!r} version {template.version} now lays out as "
                f"{layout.pages}; the declaration changed without a new version",
            )
        missing = [n for n in range(1, layout.pages + 1) if n not in self.pages]
        if missing:
            raise FormFileError(
                self.source,
                f"page(s) {', '.join(map(str, missing))} of {layout.pages} of the "
                f"form are not in the scan; scan every page of the form into one PDF or "
                "multi-page TIFF (a PNG or JPEG holds a single page, so a form of "
                "several pages cannot be read from separate images yet)",
            )

    def _snapshot(self, places: list[BoxPlace], extra: float) -> bytes:
        page = self.pages[places[0].page + 1].image
        return snapshot(page, [p for p in places if p.page == places[0].page], extra)

    def _read_ticks(
        self, slot: Slot, layout: PaperLayout, thresholds: dict[int, int]
    ) -> None:
        places = {
            k: layout.boxes[f"c:{option_path(slot.path, k)}"] for k in _tick_keys(slot)
        }
        reads = {
            k: read_tick(self.pages[p.page + 1].image, p, thresholds[p.page + 1])
            for k, p in places.items()
        }
        states, confidence, note = _choose(slot, reads)
        if note:
            self.notes.append(f"{slot.path}: {note}")
        if isinstance(slot.field, DropdownField):
            chosen = [k for k, on in states.items() if on]
            self.values[slot.path] = "、".join(chosen) if chosen else None
        else:
            for key, on in states.items():
                self.values[option_path(slot.path, key)] = on
        self._score(slot.path, confidence, list(places.values()), 25.0)

    def _score(
        self, path: str, confidence: float, places: list[BoxPlace], extra: float
    ) -> None:
        self.confidence[path] = round(confidence, 3)
        if confidence < REVIEW_THRESHOLD:
            self.review.append(path)
            self.images[path] = self._snapshot(places, extra)

    def _read_texts(
        self,
        template: Template,
        layout: PaperLayout,
        jobs: list[tuple[Slot, str, np.ndarray, str]],
    ) -> None:
        reads = read_texts([(crop, value_type) for _, _, crop, value_type in jobs])
        by_box = {
            box_id: read for (_, box_id, _, _), read in zip(jobs, reads, strict=True)
        }
        for slot in template_slots(template):
            if slot.part is None and slot.value_type in TICK_KEYS:
                continue
            ids = _text_ids(slot)
            lines = [by_box.get(box_id) for box_id in ids]
            if all(line is None for line in lines):
                self.values[slot.path] = None
                self.confidence[slot.path] = 1.0
                continue
            text = "\n".join(line.text if line else "" for line in lines).strip("\n")
            confidence = min(line.confidence for line in lines if line is not None)
            if slot.path in self.overflowing:
                confidence = min(confidence, OVERFLOW_CONFIDENCE)
                self.notes.append(
                    f"{slot.path}: the writing reaches the edge of its box and may go "
                    "on past it; check the value against the paper"
                )
            self.values[slot.path] = text
            self._score(slot.path, confidence, [layout.boxes[i] for i in ids], 0.0)


def scan_pages(data: bytes, source: Path) -> list[np.ndarray]:
    """Return the page images of a scan file (PDF, PNG, JPEG or TIFF)."""
    return image_pages(data, source) if is_image(data) else pdf_pages(data, source)


def read_scan(data: bytes, source: Path) -> ScanReading:
    """Straighten every page of a scan and identify the form; raise if a page fails."""
    images = scan_pages(data, source)
    pages: dict[int, AlignedPage] = {}
    failures: list[str] = []
    seen: dict[int, int] = {}
    for number, image in enumerate(images, start=1):
        try:
            aligned = align_page(image, number)
        except PageError as error:
            failures.append(f"{_page_name(number)}: {error}")
            continue
        form_page = aligned.payload.page
        if form_page in seen:
            failures.append(
                f"{_page_name(number)}: it is page {form_page} of the form again "
                f"(also {_page_name(seen[form_page])}); put one form in each scan file"
            )
            continue
        seen[form_page] = number
        pages[form_page] = aligned
    if failures:
        raise FormFileError(source, "; ".join(failures))
    return _reading(pages, source)


def _reading(pages: dict[int, AlignedPage], source: Path) -> ScanReading:
    """Return the reading of straightened pages, which must all be of one form."""
    if not pages:
        raise FormFileError(source, "the scan has no pages")
    identities = {
        (
            p.payload.template_id,
            p.payload.version,
            p.payload.language,
            p.payload.fingerprint,
        )
        for p in pages.values()
    }
    if len(identities) > 1:
        shown = ", ".join(f"{i} v{v}" for i, v, _, _ in sorted(identities))
        raise FormFileError(
            source,
            f"the scan holds pages of different forms ({shown}); put one form in "
            "each scan file",
        )
    template_id, version, language, fingerprint = identities.pop()
    logger.info(
        "straightened %d scanned pages of %s v%d", len(pages), template_id, version
    )
    return ScanReading(
        "scan",
        FormIdentity(template_id, version),
        pages=pages,
        source=source,
        language=language,
        fingerprint_prefix=fingerprint,
    )
