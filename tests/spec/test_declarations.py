"""Broken declarations kept as fixtures: each exits 1 with file:line and the fix."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from engine.cli import app
from tests.conftest import FIXTURES

BROKEN = sorted(p for p in (FIXTURES / "broken").iterdir() if p.is_dir())


@pytest.mark.parametrize("case", BROKEN, ids=[p.name for p in BROKEN])
def test_broken_declaration_is_rejected_with_location(case: Path) -> None:
    expected = (case / "expected.txt").read_text(encoding="utf-8")

    result = CliRunner().invoke(app, ["validate", "--root", str(case)])

    assert result.exit_code == 1
    reported = result.stderr.replace(f"{case}/", "")
    assert reported == expected


def test_every_broken_fixture_names_line_and_column() -> None:
    for case in BROKEN:
        for line in (case / "expected.txt").read_text(encoding="utf-8").splitlines():
            file, line_number, column, _ = line.split(":", 3)
            assert file.endswith(".yaml"), line
            assert int(line_number) >= 1, line
            assert int(column) >= 1, line


def test_broken_fixtures_cover_the_required_cases() -> None:
    names = {p.name for p in BROKEN}

    required = {
        "unknown-type",
        "duplicate-key",
        "tab-indent",
        "tab-comment",
        "choice-without-options",
        "duplicate-field-key",
        "unknown-include",
        "extends-cycle",
    }

    assert required <= names
