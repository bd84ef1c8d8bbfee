"""The output lock: one batch per folder, and temporary files of killed batches removed."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.outlock import OutputBusyError, output_lock


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
