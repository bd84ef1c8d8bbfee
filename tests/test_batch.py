"""A batch survives a worker process that dies: only that file is lost."""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from engine.batch import WORKER_DIED, Parsed, _Pool, _run


def task_that_kills_its_worker(path: str) -> Parsed:
    """Stand in for the parser: die on a file named crash, read any other."""
    if "crash" in Path(path).name:
        os._exit(1)  # what an out-of-memory kill looks like to the pool
    return Parsed({"source": Path(path).name, "valid": True})


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
