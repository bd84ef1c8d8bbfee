"""Benchmark the paper reader: pages per minute and accuracy on synthetic scans.

Each template's sample record is written into its paper form in a print font and
in a brush-script font (the stand-in for handwriting), the sheets go through a
simulated scanner at 150, 200 and 300 dpi (turned up to 3 degrees, scaled,
shifted, blurred, noised, JPEG), and the scans are read back with `parse_bytes`.
Run `python bench/paper.py`; bench/run.py calls `main()` when this file exists.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from engine.paper.images import pdf_pages  # noqa: E402
from engine.paper.layout import blank_layout  # noqa: E402
from engine.paper.read import REVIEW_THRESHOLD  # noqa: E402
from engine.paper.render import render_paper  # noqa: E402
from engine.paper.synthetic import (  # noqa: E402
    BRUSH_FONT,
    PRINT_FONT,
    Outcome,
    Scanner,
    box_contents,
    compare,
    fill_pages,
    scan,
    to_file,
)
from engine.parse import parse_bytes  # noqa: E402
from engine.spec.loader import Catalog  # noqa: E402

TEMPLATES = ("beauty-client", "counselling-client", "early-education-visit")
FONTS = {"print": PRINT_FONT, "brush": BRUSH_FONT}
DPIS = (150, 200, 300)


def scanners(dpi: int) -> list[Scanner]:
    """Return the scanner settings tried at one resolution."""
    blur = 0.7 * dpi / 200
    return [
        Scanner(dpi, 2.5, 0.98, (2.0, -3.0), blur, 6.0, 75),
        Scanner(dpi, -3.0, 1.01, (-1.5, 2.0), blur, 8.0, 70, upside_down=True),
    ]


def run(
    templates: tuple[str, ...] = TEMPLATES, keep: dict[str, bytes] | None = None
) -> list[dict]:
    """Return one row per font and resolution: accuracy, review and speed.

    The scan files of typed print at 200 dpi are put in `keep`, by file name.
    """
    catalog = Catalog.load(ROOT / "industries")
    rows = []
    for font_name, font in FONTS.items():
        for dpi in DPIS:
            total, pages, seconds = Outcome(), 0, 0.0
            flagged = 0
            for template_id in templates:
                loaded = catalog.get_loaded(template_id)
                template = loaded.template
                values = json.loads(loaded.sample_file.read_text(encoding="utf-8"))
                drawn = pdf_pages(render_paper(template), Path("bench"), dpi)
                layout = blank_layout(template)
                filled = fill_pages(
                    drawn, layout, box_contents(template, values), dpi, font
                )
                for n, scanner in enumerate(scanners(dpi)):
                    sheets = [scan(p, scanner, seed=n) for p in filled][::-1]
                    data = to_file(sheets, "tiff", dpi)
                    if keep is not None and (font_name, dpi) == ("print", 200):
                        keep[f"{template_id}-{n}.tiff"] = data
                    started = time.perf_counter()
                    record = parse_bytes(data, Path(f"{template_id}.tiff"), catalog)
                    seconds += time.perf_counter() - started
                    pages += len(sheets)
                    outcome = compare(
                        template, values, record.values, record.confidence
                    )
                    total.add(outcome)
                    flagged += len(record.review)
            unflagged = [w for w in total.wrong if (w[3] or 0) >= REVIEW_THRESHOLD]
            rows.append(
                {
                    "font": font_name,
                    "dpi": dpi,
                    "pages": pages,
                    "pages_per_minute": 60 * pages / seconds,
                    "characters": total.characters,
                    "accuracy": total.accuracy,
                    "boxes": total.boxes,
                    "box_errors": total.box_errors,
                    "wrong_values": len(total.wrong),
                    "wrong_unflagged": len(unflagged),
                    "flagged": flagged,
                }
            )
    return rows


def batch_speed(scans: dict[str, bytes], copies: int = 3) -> dict[int, float]:
    """Return pages a minute of `dangan parse` over the scans, by worker count.

    Each scan goes in `copies` times, so that the time the workers take to load
    the model weighs no more than it does in a morning's stack. Wall time.
    """
    from batch import run_batch

    from engine.paper.images import image_pages

    pages = sum(len(image_pages(d, Path(n))) for n, d in scans.items()) * copies
    files = len(scans) * copies
    speed = {}
    with tempfile.TemporaryDirectory(prefix="dangan-bench-scans-") as folder:
        for copy in range(copies):
            for name, data in scans.items():
                (Path(folder) / f"{copy}-{name}").write_bytes(data)
        for workers in (1, 2):
            report = run_batch(
                ROOT / "industries", Path(folder), files, workers, "*.tiff"
            )
            speed[workers] = 60 * pages / report["seconds"]
    return speed


def main() -> None:
    """Print a small table: font, dpi, pages a minute, accuracy, review counts."""
    rows = run()
    print(
        f"{'font':6} {'dpi':>4} {'pages':>5} {'pages/min':>9} {'chars':>6} "
        f"{'accuracy':>8} {'boxes':>5} {'box err':>7} {'wrong':>5} "
        f"{'unflagged':>9} {'to review':>9}"
    )
    for r in rows:
        print(
            f"{r['font']:6} {r['dpi']:>4} {r['pages']:>5} {r['pages_per_minute']:>9.1f} "
            f"{r['characters']:>6} {r['accuracy']:>8.2%} {r['boxes']:>5} "
            f"{r['box_errors']:>7} {r['wrong_values']:>5} {r['wrong_unflagged']:>9} "
            f"{r['flagged']:>9}"
        )


if __name__ == "__main__":
    main()
