"""Parse a batch of forms in a fresh process; print its wall time and peak memory.

Run by bench/batch.py, one process per measurement, so that each peak is the
batch's own: `python bench/batch_child.py FOLDER COUNT WORKERS OUTPUT ROOT [PATTERN]`,
the files being those of FOLDER that match PATTERN (`*.docx` unless given).
Prints one JSON line: seconds, the main process's peak RSS and the largest
worker's peak RSS, in kB.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

from engine.batch import parse_batch


def _own_peak_kb() -> int:
    """Return this process's peak RSS in kB since it started its program.

    NOTE: Linux carries ru_maxrss across exec, so a process started by a large
    parent reports the parent's peak there. VmHWM belongs to the new program alone.
    """
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def main(
    folder: str,
    count: str,
    workers: str,
    output: str,
    root: str,
    pattern: str = "*.docx",
) -> None:
    files = sorted(Path(folder).glob(pattern))[: int(count)]
    started = time.perf_counter()
    # As `dangan parse` runs it: records are written, then only summaries kept.
    outcomes = parse_batch(
        files,
        Path(root),
        Path(output),
        ("json", "csv", "xlsx"),
        workers=int(workers),
        keep_records=False,
    )
    seconds = time.perf_counter() - started
    failed = [o.failure for o in outcomes if o.failure]
    report = {
        "files": len(files),
        "failed": len(failed),
        "seconds": seconds,
        "main_kb": _own_peak_kb(),
        "worker_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
    }
    print(json.dumps(report))


if __name__ == "__main__":
    main(*sys.argv[1:])
