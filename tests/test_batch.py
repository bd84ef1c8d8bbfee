"""A batch survives a worker process that dies: only that file is lost."""

from __future__ import annotations

import multiprocessing
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from engine.batch import IN_FLIGHT, WORKER_DIED, Parsed, _init_worker, _Pool, _run


def task_that_kills_its_worker(paths: list[str]) -> list[Parsed]:
    """Stand in for the parser: die on a file named crash, read any other."""
    if any("crash" in Path(path).name for path in paths):
        os._exit(1)  # what an out-of-memory kill looks like to the pool
    return [Parsed({"source": Path(path).name, "valid": True}) for path in paths]


def test_dead_worker_loses_only_its_file() -> None:
    files = [Path(f"form-{i}.docx") for i in range(6)]
    files.insert(3, Path("crash.docx"))
    pool = _Pool(ProcessPoolExecutor(2), restart=lambda: ProcessPoolExecutor(2))

    try:
        outcomes = {
            o.source.name: o for o, _ in _run(pool, files, task_that_kills_its_worker)
        }
    finally:
        pool.executor.shutdown()

    assert set(outcomes) == {f.name for f in files}
    assert outcomes["crash.docx"].failure == f"crash.docx: {WORKER_DIED}"
    readable = [o for name, o in outcomes.items() if name != "crash.docx"]
    assert all(o.failure is None for o in readable)
    assert all(o.record["valid"] for o in readable)


def test_foreign_executor_is_not_replaced() -> None:
    files = [Path("crash.docx"), Path("form.docx")]
    executor = ProcessPoolExecutor(1)
    pool = _Pool(executor, restart=None)

    try:
        outcomes = {
            o.source.name: o for o, _ in _run(pool, files, task_that_kills_its_worker)
        }
    finally:
        executor.shutdown()

    assert outcomes["crash.docx"].failure == f"crash.docx: {WORKER_DIED}"
    assert outcomes["form.docx"].failure is not None


@pytest.mark.parametrize("chunk", [1, 4])
def test_dead_worker_spares_files_not_yet_sent(chunk: int) -> None:
    files = [Path(f"form-{i}.docx") for i in range(3 * IN_FLIGHT * chunk)]
    files.insert(2, Path("crash.docx"))
    pool = _Pool(ProcessPoolExecutor(2), restart=lambda: ProcessPoolExecutor(2))

    try:
        outcomes = {
            o.source.name: o
            for o, _ in _run(pool, files, task_that_kills_its_worker, chunk)
        }
    finally:
        pool.executor.shutdown()

    assert len(outcomes) == len(files)
    assert outcomes["crash.docx"].failure == f"crash.docx: {WORKER_DIED}"
    failed = [name for name, o in outcomes.items() if o.failure is not None]
    assert failed == ["crash.docx"]


def _worker_state() -> tuple[int | None, bool]:
    from engine.paper.threads import model_threads

    return model_threads(), "numpy" in sys.modules


def test_worker_model_uses_one_thread() -> None:
    """A worker limits its model to the threads it is given and loads no NumPy."""
    root = Path(__file__).resolve().parent.parent / "industries"
    with ProcessPoolExecutor(
        1,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_init_worker,
        initargs=(str(root), 1),
    ) as pool:
        threads, numpy_loaded = pool.submit(_worker_state).result()

    assert threads == 1
    assert not numpy_loaded
