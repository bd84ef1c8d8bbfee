"""Measure dangan against the tools a user would otherwise pick, in one run, as ratios.

Run by `make bench` (`python bench/run.py`); prints the tables and writes them, with
the machine, versions, date and command, to docs/benchmarks.md. Every figure is the
median of several interleaved rounds after a warm-up (bench/timing.py); only figures
of the same run are compared.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
import warnings
import zipfile
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

import weasyprint
from docxtpl import DocxTemplate
from lxml import etree
from pypdf import PdfReader

from engine.parse import parse_bytes
from engine.pdf import render_pdf
from engine.pdf.parse import read_pdf
from engine.pdf.render import TEMPLATES, _style, render_html
from engine.spec.loader import Catalog
from engine.word import render_docx
from engine.word.parse import read_docx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from batch import make_forms, run_batch  # noqa: E402
from docx_baseline import blank_context, build_template  # noqa: E402
from timing import measure  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
NOTES = Path(__file__).resolve().parent / "notes.md"


@dataclass
class Rounds:
    """How many timed rounds each part runs; the slow parts run fewer."""

    docx_render: int = 15
    pdf_render: int = 15
    docx_parse: int = 30
    pdf_parse: int = 10
    batch_small: int = 200
    batch_large: int = 2000
    batch_rounds: int = 3


QUICK = Rounds(3, 1, 3, 2, 20, 60, 1)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f}"


def ratio(ours: float, theirs: float) -> str:
    return f"{ours / theirs:.2f}"


class Report:
    """The tables of a run, printed as they come and kept for docs/benchmarks.md."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.verdicts: list[tuple[str, str, bool]] = []

    def table(self, title: str, header: list[str], rows: list[list[str]]) -> None:
        text = [f"### {title}", "", "| " + " | ".join(header) + " |"]
        text.append("|" + "---|" * len(header))
        text += ["| " + " | ".join(row) + " |" for row in rows]
        self.add("\n".join(text) + "\n")

    def add(self, text: str) -> None:
        print(text, flush=True)
        self.lines.append(text)

    def target(self, name: str, figure: str, met: bool) -> None:
        self.verdicts.append((name, figure, met))


def _summary_row(name: str, totals: list[float]) -> list[str]:
    return [f"**{name}**"] + [f"**{ms(t)}**" for t in totals]


def docx_render(catalog: Catalog, ids: list[str], rounds: int, report: Report) -> None:
    rows, ratios, totals = [], [], [0.0, 0.0]
    for template_id in ids:
        template = catalog.get(template_id)
        docxtpl = DocxTemplate(io.BytesIO(build_template(template)))
        context = blank_context(template)

        def with_docxtpl(tpl: DocxTemplate = docxtpl, ctx: dict = context) -> bytes:
            tpl.render(ctx)
            out = io.BytesIO()
            tpl.save(out)
            return out.getvalue()

        times = measure(
            {"ours": lambda t=template: render_docx(t), "docxtpl": with_docxtpl},
            rounds,
        )
        ratios.append(times["ours"] / times["docxtpl"])
        totals = [totals[0] + times["ours"], totals[1] + times["docxtpl"]]
        row = [template_id, ms(times["ours"]), ms(times["docxtpl"])]
        rows.append(row + [ratio(times["ours"], times["docxtpl"])])
    rows.append(_summary_row("all forms", totals) + [f"**{ratio(*totals)}**"])
    report.table(
        f"Blank DOCX render (ms, median of {rounds})",
        ["form", "dangan", "docxtpl, hand-made template", "ratio"],
        rows,
    )
    report.target(
        "DOCX render ≤ 1.0× docxtpl",
        f"worst {max(ratios):.2f}×, all {ratio(*totals)}×",
        max(ratios) <= 1.0,
    )


def _bare_weasyprint(html: str, forms: bool) -> bytes:
    font_config, sheets = _style()
    return weasyprint.HTML(string=html, base_url=str(TEMPLATES)).write_pdf(
        stylesheets=list(sheets), font_config=font_config, pdf_forms=forms
    )


def pdf_render(catalog: Catalog, ids: list[str], rounds: int, report: Report) -> None:
    rows, ratios, totals = [], [], [0.0, 0.0, 0.0]
    sizes = []
    for template_id in ids:
        template = catalog.get(template_id)
        html, _ = render_html(template)
        times = measure(
            {
                "ours": lambda t=template: render_pdf(t),
                "bare": lambda h=html: _bare_weasyprint(h, True),
                "no_forms": lambda h=html: _bare_weasyprint(h, False),
            },
            rounds,
        )
        ratios.append(times["ours"] / times["bare"])
        totals = [
            a + times[k]
            for a, k in zip(totals, ("ours", "bare", "no_forms"), strict=True)
        ]
        rows.append(
            [template_id]
            + [ms(times[k]) for k in ("ours", "bare", "no_forms")]
            + [
                ratio(times["ours"], times["bare"]),
                ratio(times["bare"], times["no_forms"]),
            ]
        )
        blank = render_pdf(template)
        sample = catalog.get_loaded(template_id).sample_file
        filled = render_pdf(template, json.loads(sample.read_text(encoding="utf-8")))
        pages = len(PdfReader(io.BytesIO(blank)).pages)
        bare = _bare_weasyprint(html, True)
        sizes.append(
            [template_id, str(pages)]
            + [
                f"{len(b) / 1e6:.2f}"
                for b in (blank, filled, bare, _bare_weasyprint(html, False))
            ]
        )
    rows.append(
        _summary_row("all forms", totals)
        + [f"**{ratio(totals[0], totals[1])}**", f"**{ratio(totals[1], totals[2])}**"]
    )
    report.table(
        f"Blank PDF render (ms, median of {rounds})",
        [
            "form",
            "dangan",
            "WeasyPrint, same HTML, forms on",
            "WeasyPrint, forms off",
            "dangan / WeasyPrint",
            "forms on / off",
        ],
        rows,
    )
    report.table(
        "Size of each rendered PDF (MB)",
        [
            "form",
            "pages",
            "dangan blank",
            "dangan pre-filled",
            "WeasyPrint forms on",
            "WeasyPrint forms off",
        ],
        sizes,
    )
    worst = max(ratios)
    report.target(
        "PDF render within 15 % of bare WeasyPrint",
        f"worst {worst:.2f}×, all {ratio(totals[0], totals[1])}×",
        worst <= 1.15,
    )


def _floor(data: bytes) -> etree._Element:
    return etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml"))


def _python_docx(data: bytes) -> object:
    from docx import Document

    return Document(io.BytesIO(data))


def _filled(catalog: Catalog, template_id: str, render) -> bytes:
    sample = catalog.get_loaded(template_id).sample_file
    return render(
        catalog.get(template_id), json.loads(sample.read_text(encoding="utf-8"))
    )


def docx_parse(catalog: Catalog, ids: list[str], rounds: int, report: Report) -> None:
    names = ("parse", "read", "python-docx", "floor")
    rows, worst, totals = [], {"parse": 0.0, "read": 0.0}, dict.fromkeys(names, 0.0)
    worst_cold = 0.0
    for template_id in ids:
        data = _filled(catalog, template_id, render_docx)
        source = Path(f"{template_id}.docx")
        times = measure(
            {
                "parse": lambda d=data, s=source: parse_bytes(d, s, catalog),
                "read": lambda d=data, s=source: read_docx(d, s),
                "python-docx": lambda d=data: _python_docx(d),
                "floor": lambda d=data: _floor(d),
            },
            rounds,
        )
        # The same two again, each sample one call after a full collection: a form
        # read on its own, its code and the template out of the processor's caches.
        cold = measure(
            {
                "parse": lambda d=data, s=source: parse_bytes(d, s, catalog),
                "floor": lambda d=data: _floor(d),
            },
            rounds,
            repeat=False,
        )
        for name in names:
            totals[name] += times[name]
        for name in worst:
            worst[name] = max(worst[name], times[name] / times["floor"])
        worst_cold = max(worst_cold, cold["parse"] / cold["floor"])
        rows.append(
            [template_id]
            + [ms(times[n]) for n in names]
            + [
                ratio(times["parse"], times["floor"]),
                ratio(times["read"], times["floor"]),
                ratio(times["parse"], times["python-docx"]),
                ratio(cold["parse"], cold["floor"]),
            ]
        )
    rows.append(
        _summary_row("all forms", [totals[n] for n in names])
        + [
            f"**{ratio(totals['parse'], totals['floor'])}**",
            f"**{ratio(totals['read'], totals['floor'])}**",
            f"**{ratio(totals['parse'], totals['python-docx'])}**",
            "",
        ]
    )
    report.table(
        f"DOCX parse of a filled form (ms per form, median of {rounds})",
        [
            "form",
            "dangan record",
            "dangan raw values",
            "python-docx open",
            "zipfile + lxml floor",
            "record / floor",
            "raw / floor",
            "record / python-docx",
            "record / floor, one cold call",
        ],
        rows,
    )
    report.target(
        "DOCX parse within 2× the zipfile + lxml floor (whole record)",
        f"worst {worst['parse']:.2f}×, all {ratio(totals['parse'], totals['floor'])}×",
        worst["parse"] <= 2.0,
    )
    report.add(
        "The last column times each form read on its own, right after a full "
        f"garbage collection: worst {worst_cold:.2f}×. The other columns time forms "
        "read one after another, as in a batch (bench/timing.py).\n"
    )
    report.target(
        "DOCX read of raw values within 2× the floor",
        f"worst {worst['read']:.2f}×, all {ratio(totals['read'], totals['floor'])}×",
        worst["read"] <= 2.0,
    )


def _bare_pypdf(data: bytes) -> object:
    return PdfReader(io.BytesIO(data)).get_fields()


def pdf_parse(catalog: Catalog, ids: list[str], rounds: int, report: Report) -> None:
    names = ("parse", "read", "pypdf")
    rows, worst, totals = [], 0.0, dict.fromkeys(names, 0.0)
    for template_id in ids:
        data = _filled(catalog, template_id, render_pdf)
        source = Path(f"{template_id}.pdf")
        times = measure(
            {
                "parse": lambda d=data, s=source: parse_bytes(d, s, catalog),
                "read": lambda d=data, s=source: read_pdf(d, s),
                "pypdf": lambda d=data: _bare_pypdf(d),
            },
            rounds,
        )
        for name in names:
            totals[name] += times[name]
        worst = max(worst, times["parse"] / times["pypdf"])
        rows.append(
            [template_id]
            + [ms(times[n]) for n in names]
            + [
                ratio(times["parse"], times["pypdf"]),
                ratio(times["read"], times["pypdf"]),
            ]
        )
    rows.append(
        _summary_row("all forms", [totals[n] for n in names])
        + [
            f"**{ratio(totals['parse'], totals['pypdf'])}**",
            f"**{ratio(totals['read'], totals['pypdf'])}**",
        ]
    )
    report.table(
        f"PDF parse of a filled form (ms, median of {rounds})",
        [
            "form",
            "dangan record",
            "dangan raw values",
            "pypdf get_fields()",
            "record / pypdf",
            "raw / pypdf",
        ],
        rows,
    )
    report.target(
        "PDF parse within 1.3× bare pypdf",
        f"worst {worst:.2f}×, all {ratio(totals['parse'], totals['pypdf'])}×",
        worst <= 1.3,
    )


def batch(root: Path, rounds: Rounds, report: Report) -> None:
    folder = Path(tempfile.mkdtemp(prefix="dangan-bench-forms-"))
    try:
        make_forms(root, folder, rounds.batch_large)
        runs: dict[tuple[int, int], list[dict]] = {}
        for index in range(rounds.batch_rounds):
            for count in (rounds.batch_small, rounds.batch_large):
                # Alternate which runs first, so that a neighbour's load on the
                # shared machine does not always fall on the same one.
                for workers in (1, 2) if index % 2 == 0 else (2, 1):
                    result = run_batch(root, folder, count, workers)
                    runs.setdefault((count, workers), []).append(result)
    finally:
        shutil.rmtree(folder, ignore_errors=True)

    def median(count: int, workers: int, key: str) -> float:
        return statistics.median(r[key] for r in runs[(count, workers)])

    rows = []
    for count in (rounds.batch_small, rounds.batch_large):
        one, two = median(count, 1, "seconds"), median(count, 2, "seconds")
        main_kb, worker_kb = median(count, 2, "main_kb"), median(count, 2, "worker_kb")
        rows.append(
            [
                f"{count:,}",
                f"{one:.1f}",
                f"{two:.1f}",
                f"{one / two:.2f}",
                f"{count / two:.0f}",
            ]
            + [
                f"{main_kb / 1024:.0f}",
                f"{worker_kb / 1024:.0f}",
                f"{(main_kb + 2 * worker_kb) / 1024:.0f}",
            ]
        )
    report.table(
        f"Batch parse of filled .docx forms, JSON + CSV + XLSX written (median of {rounds.batch_rounds})",
        [
            "forms",
            "1 worker (s)",
            "2 workers (s)",
            "speed-up",
            "forms/s (2 workers)",
            "main peak (MB)",
            "worker peak (MB)",
            "tree peak, main + 2 workers (MB)",
        ],
        rows,
    )
    large, small = rounds.batch_large, rounds.batch_small
    speedup = median(large, 1, "seconds") / median(large, 2, "seconds")
    report.target(
        "Batch speed-up ≥ 1.8× from 1 to 2 workers",
        f"{speedup:.2f}× at {large:,} forms",
        speedup >= 1.8,
    )
    growth = median(large, 2, "main_kb") / median(small, 2, "main_kb")
    report.target(
        "Peak memory flat in batch size",
        f"main process {growth:.2f}× from {small:,} to {large:,} forms",
        growth <= 1.1,
    )


def paper(report: Report, templates: tuple[str, ...] | None) -> None:
    """Add pages per minute and accuracy of the paper reader, from bench/paper.py."""
    try:
        import paper as paper_bench
    except ImportError as error:
        landed = f"not yet available: the paper reader is missing ({error})"
        rows = [["pages per minute", landed], ["accuracy", landed]]
        report.table("Paper forms", ["figure", "value"], rows)
        return
    chosen = templates or paper_bench.TEMPLATES
    scans: dict[str, bytes] = {}
    results = paper_bench.run(tuple(chosen), keep=scans)
    rows = [
        [
            row["font"],
            str(row["dpi"]),
            str(row["pages"]),
            f"{row['pages_per_minute']:.1f}",
            f"{row['accuracy']:.2%}",
            f"{row['box_errors']} of {row['boxes']}",
            str(row["wrong_values"]),
            str(row["wrong_unflagged"]),
        ]
        for row in results
    ]
    report.table(
        f"Paper forms: synthetic scans of {', '.join(chosen)} (bench/paper.py)",
        ["writing", "dpi", "pages", "pages per minute", "character accuracy"]
        + ["box errors", "wrong values", "wrong and not flagged"],
        rows,
    )
    batch_speed = paper_bench.batch_speed(scans)
    report.add(
        "The table reads one file after another in this process, the model on both "
        "cores. `dangan parse` of the typed print at 200 dpi, each file three times "
        f"({3 * len(scans)} files), read {batch_speed[1]:.0f} pages a minute with "
        f"one worker and {batch_speed[2]:.0f} with two (wall time, workers' model "
        "loading included).\n"
    )
    at_200 = [row["pages_per_minute"] for row in results if row["dpi"] == 200]
    if at_200:
        slowest = min(*at_200, batch_speed[2])
        report.target(
            "Paper ≥ 200 pages a minute at 200 dpi, 2 cores",
            f"slowest {slowest:.0f} pages a minute",
            slowest >= 200,
        )


def machine() -> list[str]:
    cpu = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    packages = (
        "weasyprint",
        "pypdf",
        "python-docx",
        "docxtpl",
        "lxml",
        "jinja2",
        "openpyxl",
    )
    versions = ", ".join(f"{p} {version(p)}" for p in packages)
    return [
        f"- Date: {dt.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}",
        f"- Command: `make bench` (`{' '.join(['python', 'bench/run.py', *sys.argv[1:]])}`)",
        f"- Machine: {platform.platform()}, {cpu}, {os.cpu_count()} cores, shared with other work",
        f"- Python {platform.python_version()}; {versions}",
    ]


def verdicts(report: Report) -> None:
    rows = [
        [name, figure, "met" if met else "**not met**"]
        for name, figure, met in report.verdicts
    ]
    report.table("Targets", ["target", "measured", ""], rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick",
        action="store_true",
        help="few rounds and a small batch, to try the script",
    )
    parser.add_argument("--output", type=Path, default=REPO / "docs" / "benchmarks.md")
    parser.add_argument(
        "--only",
        nargs="*",
        default=None,
        help="parts to run: docx-render pdf-render docx-parse pdf-parse batch paper",
    )
    args = parser.parse_args()

    rounds = QUICK if args.quick else Rounds()
    warnings.simplefilter("ignore")
    root = REPO / "industries"
    catalog = Catalog.load(root)
    ids = sorted({template_id for template_id, _ in catalog.templates})
    report = Report()

    parts = {
        "docx-render": lambda: docx_render(catalog, ids, rounds.docx_render, report),
        "pdf-render": lambda: pdf_render(catalog, ids, rounds.pdf_render, report),
        "docx-parse": lambda: docx_parse(catalog, ids, rounds.docx_parse, report),
        "pdf-parse": lambda: pdf_parse(catalog, ids, rounds.pdf_parse, report),
        "batch": lambda: batch(root, rounds, report),
    }
    for name, run in parts.items():
        if args.only is None or name in args.only:
            run()
    if args.only is None or "paper" in args.only:
        paper(report, ("beauty-client",) if args.quick else None)
    verdicts(report)

    header = ["# Benchmarks", "", *machine(), ""]
    header.append(
        "Times are the median CPU time per call over interleaved rounds, after one "
        "warm-up run. A call of a few milliseconds is repeated within a sample for "
        "at least 20 ms, as forms are read one after another in a batch "
        "(bench/timing.py). The batch and paper times are wall time. Ratios compare "
        "figures of this one run.\n"
    )
    notes = NOTES.read_text(encoding="utf-8") if NOTES.exists() else ""
    args.output.write_text(
        "\n".join(header + report.lines) + "\n" + notes, encoding="utf-8"
    )
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
