"""Run the LibreOffice filler script with the system Python that imports `uno`."""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from engine.errors import SystemDependencyError

SYSTEM_PYTHON = "/usr/bin/python3"
SCRIPT = Path(__file__).with_name("libreoffice_fill.py")
# One soffice fills about 20 documents in 8 s; allow for a slow, busy machine.
SECONDS_PER_DOCUMENT = 30
STARTUP_SECONDS = 90


@dataclass(frozen=True)
class FillJob:
    source: Path
    target: Path
    values: dict[str, Any]


def check_libreoffice() -> None:
    """Raise SystemDependencyError unless soffice and the uno module are installed."""
    if shutil.which("soffice") is None:
        raise SystemDependencyError(
            "LibreOffice is not installed; run `bash scripts/setup-system.sh` as root "
            "(it installs libreoffice-writer-nogui 25.2 from bookworm-backports)"
        )
    probe = subprocess.run(
        [SYSTEM_PYTHON, "-c", "import uno"], capture_output=True, check=False
    )
    if probe.returncode != 0:
        raise SystemDependencyError(
            f"{SYSTEM_PYTHON} cannot import uno; install the Debian package python3-uno "
            "from bookworm-backports"
        )


def fill_with_libreoffice(jobs: list[FillJob]) -> list[dict[str, Any]]:
    """Fill each job's form in one LibreOffice session; return one result a job."""
    check_libreoffice()
    plan = {
        "jobs": [
            {"source": str(j.source), "target": str(j.target), "values": j.values}
            for j in jobs
        ]
    }
    with tempfile.TemporaryDirectory(prefix="dangan-fill-") as folder:
        plan_file = Path(folder) / "plan.json"
        plan_file.write_text(json.dumps(plan, ensure_ascii=False), encoding="utf-8")
        completed = subprocess.run(
            [SYSTEM_PYTHON, str(SCRIPT), str(plan_file)],
            capture_output=True,
            text=True,
            timeout=STARTUP_SECONDS + SECONDS_PER_DOCUMENT * len(jobs),
            check=False,
        )
    if completed.returncode != 0:
        raise RuntimeError(
            f"the LibreOffice filler failed:\n{completed.stderr[-2000:]}"
        )
    return [
        json.loads(line)
        for line in completed.stdout.splitlines()
        if line.startswith("{")
    ]
