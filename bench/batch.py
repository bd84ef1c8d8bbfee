"""The batch figures: forms made for the purpose, parsed with one and two workers.

The forms are pre-filled .docx forms of every template from its sample record, with
one text value numbered per form so that no two files share a SHA-256 (the batch
names record files by it). Each batch runs in a fresh process (bench/batch_child.py)
so that its peak memory is its own.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from engine.spec.loader import Catalog
from engine.spec.model import TableSection, Template
from engine.spec.slots import template_slots

CHILD = Path(__file__).resolve().parent / "batch_child.py"
_catalog: Catalog | None = None


def _numbered(template: Template, sample: dict[str, Any], number: int) -> dict:
    """Return the sample with its first filled one-line text value numbered."""
    values = json.loads(json.dumps(sample))
    for slot in template_slots(template):
        if isinstance(slot.section, TableSection) or slot.index is not None:
            continue
        if slot.part is not None or slot.field.type != "text":
            continue
        holder = values.get(slot.section.id) or {}
        if isinstance(holder.get(slot.field.key), str):
            holder[slot.field.key] += f"-{number}"
            return values
    raise ValueError(f"{template.id}: the sample has no text value to number")


def _make(job: tuple[str, str, int, str]) -> None:
    global _catalog
    root, template_id, number, folder = job
    if _catalog is None:
        _catalog = Catalog.load(Path(root))
    from engine.word import write_docx

    loaded = _catalog.get_loaded(template_id)
    sample = json.loads(loaded.sample_file.read_text(encoding="utf-8"))
    values = _numbered(loaded.template, sample, number)
    write_docx(
        loaded.template, Path(folder) / f"{number:05d}-{template_id}.docx", values
    )


def make_forms(root: Path, folder: Path, count: int, workers: int = 2) -> None:
    """Write `count` filled forms into `folder`, the templates taken in turn."""
    catalog = Catalog.load(root)
    ids = sorted({template_id for template_id, _ in catalog.templates})
    jobs = [(str(root), ids[n % len(ids)], n, str(folder)) for n in range(count)]
    with ProcessPoolExecutor(workers) as pool:
        list(pool.map(_make, jobs, chunksize=50))


def run_batch(
    root: Path, folder: Path, count: int, workers: int, pattern: str = "*.docx"
) -> dict[str, Any]:
    """Parse the first `count` forms of `folder` in a fresh process; return its report."""
    with tempfile.TemporaryDirectory(prefix="dangan-bench-out-") as output:
        done = subprocess.run(
            [sys.executable, str(CHILD), str(folder), str(count), str(workers)]
            + [output, str(root), pattern],
            check=True,
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONWARNINGS": "ignore"},
        )
    report = json.loads(done.stdout.strip().splitlines()[-1])
    if report["failed"] or report["files"] != count:
        raise RuntimeError(f"the batch did not read every form: {report}")
    return report
