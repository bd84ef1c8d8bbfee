"""A batch survives bad files and kills: every failure listed, every output whole."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from engine.batch import _init_worker, parse_batch
from engine.cli import app
from tests.hostile import forge
from tests.hostile.test_form_files import EXPECTED

ROOT = Path(__file__).resolve().parent.parent.parent


def good_forms(folder: Path, count: int, start: int = 0) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(start, start + count):
        path = folder / f"form-{index:04d}.docx"
        path.write_bytes(forge.filled_docx(f"客户{index}"))
        paths.append(path)
    return paths


def in_threads(files: list[Path], output: Path) -> list:
    """Run a batch in threads of this process, with the hostile-form catalog."""
    executor = ThreadPoolExecutor(
        2, initializer=_init_worker, initargs=(str(forge.CATALOG),)
    )
    with executor:
        return parse_batch(files, forge.CATALOG, output, executor=executor)


def test_batch_lists_every_bad_file_and_keeps_good_ones(
    tmp_path: Path,
) -> None:
    good = good_forms(tmp_path / "in", 3)
    bad = sorted(forge.HOSTILE / name for name in EXPECTED)

    result = CliRunner().invoke(
        app,
        ["parse", *map(str, good + bad), "-o", str(tmp_path / "out")]
        + ["--root", str(forge.CATALOG)],
    )

    assert result.exit_code == 1
    unreadable = [
        line for line in result.stdout.splitlines() if line.startswith("unreadable: ")
    ]
    expected = [
        f"unreadable: {path}: "
        + EXPECTED[path.name].replace("{catalog}", str(forge.CATALOG))
        for path in bad
    ]
    assert unreadable == expected
    assert (
        f"{len(good) + len(bad)} forms: 3 valid, 0 with problems, {len(bad)} "
        "unreadable" in result.stdout
    )
    records = sorted((tmp_path / "out" / "records").iterdir())
    assert [r.name.split(".")[0] for r in records] == [p.stem for p in good]


def test_rerun_rewrites_the_same_records_without_duplicates(tmp_path: Path) -> None:
    files = good_forms(tmp_path / "in", 4)
    output = tmp_path / "out"
    in_threads(files, output)
    first = {p.name: p.read_bytes() for p in (output / "records").iterdir()}

    in_threads(files, output)
    second = {p.name: p.read_bytes() for p in (output / "records").iterdir()}

    assert second == first
    assert len(first) == 4


def test_renamed_source_replaces_its_earlier_record(tmp_path: Path) -> None:
    files = good_forms(tmp_path / "in", 2)
    output = tmp_path / "out"
    in_threads(files, output)
    renamed = files[0].rename(files[0].with_name("renamed.docx"))

    in_threads([renamed, files[1]], output)

    names = sorted(p.name.split(".")[0] for p in (output / "records").iterdir())
    assert names == ["form-0001", "renamed"]


@pytest.mark.parametrize("second_run", ["both copies", "one copy"])
def test_rerun_keeps_records_of_identical_copies(
    tmp_path: Path, second_run: str
) -> None:
    (original,) = good_forms(tmp_path / "in", 1)
    copy = original.with_name("copy.docx")
    copy.write_bytes(original.read_bytes())
    output = tmp_path / "out"
    in_threads([original, copy], output)

    in_threads([original, copy] if second_run == "both copies" else [copy], output)

    names = sorted(p.name.split(".")[0] for p in (output / "records").iterdir())
    assert names == ["copy", "form-0000"]


def test_unwritable_record_fails_only_its_file(tmp_path: Path) -> None:
    files = good_forms(tmp_path / "in", 3)
    output = tmp_path / "out"
    digest = hashlib.sha256(files[1].read_bytes()).hexdigest()
    # A folder where the record file should go makes its rename fail.
    blocked = output / "records" / f"{files[1].stem}.{digest[:12]}.json"
    blocked.mkdir(parents=True)

    outcomes = {o.source.name: o for o in in_threads(files, output)}

    failure = outcomes[files[1].name].failure
    assert failure is not None
    assert failure.startswith(f"{files[1]}: could not write its record {blocked}")
    assert outcomes[files[0].name].status == "valid"
    assert outcomes[files[2].name].status == "valid"
    assert len(list((output / "records").glob("*.json"))) == 3  # two and the folder


def assert_outputs_whole(output: Path) -> int:
    """Check every output file opens; return how many records there are."""
    records = 0
    for path in sorted(output.rglob("*")):
        if path.is_dir() or path.name.startswith("."):
            continue  # a `.name.part` file is a write a kill cut short
        if path.suffix == ".json":
            json.loads(path.read_text(encoding="utf-8"))
            records += 1
        elif path.suffix == ".csv":
            rows = list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines()))
            assert rows[0][:2] == ["source", "sha256"]
        elif path.suffix == ".xlsx":
            book = openpyxl.load_workbook(path, read_only=True)
            assert book.sheetnames == ["records", "errors"]
            book.close()
        else:
            pytest.fail(f"unexpected output {path}")
    return records


def dangan_parse(folder: Path, output: Path) -> subprocess.Popen:
    command = [sys.executable, "-m", "engine", "parse", str(folder)]
    command += ["-o", str(output), "--root", str(forge.CATALOG), "--workers", "2"]
    return subprocess.Popen(
        command,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: the kill takes the workers
    )


def test_kill_during_a_batch_leaves_every_output_whole(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    output = tmp_path / "out"
    good_forms(folder, 20)
    assert dangan_parse(folder, output).wait(timeout=120) == 0
    good_forms(folder, 1500, start=20)
    records = output / "records"

    child = dangan_parse(folder, output)
    deadline = time.monotonic() + 120
    while len(list(records.iterdir())) < 60 and time.monotonic() < deadline:
        assert child.poll() is None, "the batch ended before it could be killed"
        time.sleep(0.01)
    os.killpg(child.pid, signal.SIGKILL)
    child.wait(timeout=30)

    assert child.returncode == -signal.SIGKILL
    assert 50 <= assert_outputs_whole(output) < 1520
    assert dangan_parse(folder, output).wait(timeout=300) == 0
    assert assert_outputs_whole(output) == 1520
    assert list(output.rglob("*.part")) == []
    book = openpyxl.load_workbook(output / "hostile-form-v1.xlsx", read_only=True)
    assert book["records"].max_row == 1 + 1520
    book.close()
