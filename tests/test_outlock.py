"""The output lock: one batch per folder, and temporary files of killed batches removed."""

from __future__ import annotations

import multiprocessing
import time
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from engine.cli import app
from engine.outlock import OutputBusyError, drop_inherited_lock, output_lock
from tests.conftest import INDUSTRIES


def test_second_batch_on_same_folder_is_rejected(tmp_path: Path) -> None:
    with output_lock(tmp_path):
        with pytest.raises(OutputBusyError) as caught:
            with output_lock(tmp_path):
                pass

    assert str(tmp_path) in str(caught.value)
    assert "--output" in str(caught.value)


def test_lock_is_free_again_after_batch(tmp_path: Path) -> None:
    with output_lock(tmp_path):
        pass

    with output_lock(tmp_path):
        assert (tmp_path / ".dangan.lock").exists()


def test_leftover_part_files_are_removed(tmp_path: Path) -> None:
    review = tmp_path / "records" / "a.0123456789ab.review"
    review.mkdir(parents=True)
    leftovers = [
        tmp_path / ".beauty-client-v1.csv.x1y2.part",
        tmp_path / "records" / ".a.0123456789ab.json.x1y2.part",
        review / ".basic.phone.png.x1y2.part",
    ]
    untouched = [
        tmp_path / "records" / "a.0123456789ab.json",
        review / "basic.phone.png",
    ]
    for path in leftovers + untouched:
        path.write_bytes(b"x")

    with output_lock(tmp_path):
        remaining = sorted(p for p in tmp_path.rglob("*") if p.is_file())

    assert remaining == sorted([*untouched, tmp_path / ".dangan.lock"])


def test_parse_into_busy_folder_exits_with_message(tmp_path: Path) -> None:
    form = tmp_path / "in" / "form.docx"
    form.parent.mkdir()
    form.write_bytes(b"PK\x03\x04 not read: the folder is busy first")
    output = tmp_path / "out"

    with output_lock(output):
        result = CliRunner().invoke(
            app, ["parse", str(form), "-o", str(output), "--root", str(INDUSTRIES)]
        )

    assert result.exit_code == 1
    assert "another `dangan parse` is writing to this folder" in result.output
    assert "Traceback" not in result.output


def test_forked_worker_does_not_keep_the_lock(tmp_path: Path) -> None:
    context = multiprocessing.get_context("fork")
    with output_lock(tmp_path):
        ready = context.Event()
        worker = context.Process(target=_hold_after_dropping, args=(ready,))
        worker.start()
        assert ready.wait(30)
    try:
        # The parent has let go; a worker still alive must not hold the folder.
        with output_lock(tmp_path):
            pass
    finally:
        worker.kill()
        worker.join()


def _hold_after_dropping(ready: Any) -> None:
    drop_inherited_lock()
    ready.set()
    time.sleep(60)
