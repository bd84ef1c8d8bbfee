"""The command line: commands, output and exit codes (0 ok, 1 invalid, 2 usage)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from engine.cli import app
from tests.conftest import FIXTURES, INDUSTRIES, ROOT

runner = CliRunner()


def test_list_ids_prints_one_id_a_line() -> None:
    result = runner.invoke(app, ["list", "--ids", "--root", str(INDUSTRIES)])

    assert result.exit_code == 0
    assert "beauty-client" in result.stdout.splitlines()
    assert all(" " not in line for line in result.stdout.splitlines())


def test_validate_industries_exits_zero() -> None:
    result = runner.invoke(
        app, ["validate", str(INDUSTRIES), "--root", str(INDUSTRIES)]
    )

    assert result.exit_code == 0, result.stderr
    assert "0 problems" in result.stdout


def test_validate_broken_exits_one() -> None:
    root = FIXTURES / "broken" / "unknown-type"

    result = runner.invoke(app, ["validate", "--root", str(root)])

    assert result.exit_code == 1


def test_show_lists_paths() -> None:
    result = runner.invoke(app, ["show", "beauty-client", "--root", str(INDUSTRIES)])

    assert result.exit_code == 0
    assert "fingerprint" in result.stdout


def test_unknown_template_is_usage_error() -> None:
    result = runner.invoke(app, ["show", "no-such-form", "--root", str(INDUSTRIES)])

    assert result.exit_code == 2
    assert "no template with id 'no-such-form'" in result.stderr


def test_unknown_option_is_usage_error() -> None:
    result = runner.invoke(app, ["list", "--nope"])

    assert result.exit_code == 2


def test_schema_prints_json_schema() -> None:
    result = runner.invoke(app, ["schema", "beauty-client", "--root", str(INDUSTRIES)])

    schema = json.loads(result.stdout)
    assert result.exit_code == 0
    assert schema["type"] == "object"
    assert "$defs" in schema or "properties" in schema


def test_new_scaffolds_a_template_that_validates(tmp_path: Path) -> None:
    created = runner.invoke(app, ["new", "dental-patient", "--root", str(tmp_path)])
    checked = runner.invoke(app, ["validate", "--root", str(tmp_path)])
    again = runner.invoke(app, ["new", "dental-patient", "--root", str(tmp_path)])

    assert created.exit_code == 0
    assert (tmp_path / "dental-patient.yaml").exists()
    assert checked.exit_code == 0, checked.stderr
    assert "dental-patient" in checked.stdout
    assert again.exit_code == 2
    assert "already exists" in again.stderr


def test_new_rejects_bad_id(tmp_path: Path) -> None:
    result = runner.invoke(app, ["new", "Bad Id", "--root", str(tmp_path)])

    assert result.exit_code == 2
    assert "invalid template id" in result.stderr


def test_invalid_sample_is_reported_with_masked_value(tmp_path: Path) -> None:
    runner.invoke(app, ["new", "dental-patient", "--root", str(tmp_path)])
    sample = tmp_path / "dental-patient.sample.json"
    values = json.loads(sample.read_text(encoding="utf-8"))
    values["basic"]["mobile"] = "1390001234"
    sample.write_text(json.dumps(values, ensure_ascii=False), encoding="utf-8")

    result = runner.invoke(app, ["validate", "--root", str(tmp_path)])

    assert result.exit_code == 1
    assert "basic.mobile" in result.stderr
    assert "1390001234" not in result.stderr
    assert "'1390**1234'" in result.stderr


def test_python_dash_m_engine_runs() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "engine", "list", "--ids"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert "beauty-client" in result.stdout.split()


def _docx_form(folder: Path, values: dict | None) -> Path:
    from engine.spec.loader import load_catalog
    from engine.word import write_docx

    template = load_catalog(INDUSTRIES).get("beauty-client")
    name = "filled" if values else "blank"
    return write_docx(template, folder / f"{name}.docx", values=values)


def test_parse_valid_form_exits_zero_and_writes_outputs(tmp_path: Path) -> None:
    from engine.spec.loader import load_catalog

    loaded = load_catalog(INDUSTRIES).get_loaded("beauty-client")
    values = json.loads(loaded.sample_file.read_text(encoding="utf-8"))
    form = _docx_form(tmp_path, values)
    output = tmp_path / "out"

    result = runner.invoke(
        app, ["parse", str(form), "-o", str(output), "--root", str(INDUSTRIES)]
    )

    assert result.exit_code == 0, result.stdout + result.stderr
    records = list((output / "records").glob("*.json"))
    assert len(records) == 1
    record = json.loads(records[0].read_text(encoding="utf-8"))
    assert record["values"] == values
    assert record["template"] == "beauty-client"
    assert len(record["sha256"]) == 64
    assert (output / "beauty-client-v1.csv").exists()
    assert (output / "beauty-client-v1.xlsx").exists()
    assert "1 valid" in result.stdout


def test_parse_batch_with_bad_file_exits_one_and_keeps_others(tmp_path: Path) -> None:
    from engine.spec.loader import load_catalog

    loaded = load_catalog(INDUSTRIES).get_loaded("beauty-client")
    values = json.loads(loaded.sample_file.read_text(encoding="utf-8"))
    _docx_form(tmp_path, values)
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.7 truncated")
    (tmp_path / "empty.docx").write_bytes(b"")
    output = tmp_path / "out"

    result = runner.invoke(
        app, ["parse", str(tmp_path), "-o", str(output), "--root", str(INDUSTRIES)]
    )
    rerun = runner.invoke(
        app, ["parse", str(tmp_path), "-o", str(output), "--root", str(INDUSTRIES)]
    )

    assert result.exit_code == 1
    assert rerun.exit_code == 1
    assert len(list((output / "records").glob("*.json"))) == 1
    assert "the file is empty" in result.stdout
    assert "1 valid" in result.stdout
    assert "2 unreadable" in result.stdout


def test_parse_usage_errors_exit_two(tmp_path: Path) -> None:
    missing = runner.invoke(app, ["parse", str(tmp_path / "nothing.docx")])
    empty = runner.invoke(app, ["parse", str(tmp_path)])
    bad_format = runner.invoke(app, ["parse", str(tmp_path), "--format", "yaml"])

    assert missing.exit_code == 2
    assert empty.exit_code == 2
    assert bad_format.exit_code == 2


def test_missing_translation_warns_once_per_label(tmp_path: Path) -> None:
    import warnings

    (tmp_path / "t.yaml").write_text(
        "id: t\nversion: 1\ntitle: {zh: 表, en: Form}\nindustry: x\nsections:\n"
        "  - id: a\n    title: {zh: 甲, en: A}\n    fields:\n"
        "      - {key: name, type: text, label: 姓名}\n",
        encoding="utf-8",
    )
    arguments = [
        "render",
        "t",
        "--format",
        "pdf",
        "--lang",
        "en",
        "--root",
        str(tmp_path),
    ]

    with warnings.catch_warnings():
        warnings.simplefilter("default")
        result = runner.invoke(app, [*arguments, "-o", str(tmp_path / "out")])

    assert result.exit_code == 0
    expected = (
        "warning: a.name: label '姓名' has no English text, so the form shows the "
        "Chinese; add `en:` to the label"
    )
    assert result.stderr.splitlines().count(expected) == 1


def test_validate_counts_every_problem_and_skips_field_sets(
    tmp_path: Path, monkeypatch
) -> None:
    root = tmp_path / "ind"
    shutil.copytree(INDUSTRIES / "common", root / "common")
    (root / "t.yaml").write_text(
        "id: t\nversion: 1\ntitle: 表\nindustry: x\nsections:\n"
        "  - id: a\n    title: 甲\n    fields:\n"
        "      - {key: age, type: integr, label: 年龄}\n"
        "      - {key: x, type: text, label: 乙}\n"
        "      - {key: x, type: text, label: 丙}\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)

    result = runner.invoke(app, ["validate", "ind/", "--root", str(root)])

    assert result.exit_code == 1
    assert "common/" not in result.stderr
    assert len(result.stderr.splitlines()) == 2
    assert "2 problems" in result.stdout
