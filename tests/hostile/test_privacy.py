"""ID numbers, phone numbers and sensitive values never reach a log or a message whole."""

from __future__ import annotations

import json
import logging
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import ValidationError
from typer.testing import CliRunner

from engine.cli import app
from engine.privacy import ScrubFilter, scrub
from engine.record_model import record_model
from engine.records import validate_record
from engine.spec.loader import Catalog
from engine.word import render_docx
from tests.hostile import forge

# Values that must never be shown whole; the birthday is sensitive in the template.
SECRETS = [forge.ID_NUMBER, forge.MOBILE, "19900307"]
BAD_RECORD = {
    "basic": {
        "name": "张三",
        "mobile": forge.MOBILE + "9",
        "id_no": "110105194912310021",
        "birthday": "19900307",
    }
}
MASKED_BIRTHDAY = "'19******'"


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return Catalog.load(forge.CATALOG)


def assert_no_secret(text: str) -> None:
    for secret in [*SECRETS, BAD_RECORD["basic"]["mobile"], "110105194912310021"]:
        assert secret not in text


def test_scrub_masks_id_and_phone_numbers_but_not_other_digits() -> None:
    text = (
        "obj 12 0 R: b'(11010519491231002X) (13900012345) (+8613900012345) "
        "(0755-12345678)' fingerprint d9c3b02f6d132f8a 2024-03-07"
    )

    assert scrub(text) == (
        "obj 12 0 R: b'(1101**********002X) (1390***2345) (+861******2345) "
        "(0755*****5678)' fingerprint d9c3b02f6d132f8a 2024-03-07"
    )


def test_record_problems_mask_the_sensitive_value_they_quote(catalog: Catalog) -> None:
    report = validate_record(catalog.get("hostile-form"), BAD_RECORD)

    assert [(p.path, p.message) for p in report.problems] == [
        (
            "basic.mobile",
            "位数不对：手机号应为 11 位，这里是 12 位 (a mobile number has 11 digits, "
            "found 12)",
        ),
        (
            "basic.id_no",
            "校验码不对：请核对身份证号是否抄错 (the check digit does not match; the "
            "number has a typo)",
        ),
        (
            "basic.birthday",
            f"日期格式不对：{MASKED_BIRTHDAY}，应写成 2024-03-07 或 2024年3月7日 "
            "(expected a date such as 2024-03-07)",
        ),
    ]


def test_pydantic_errors_do_not_quote_the_input(catalog: Catalog) -> None:
    with pytest.raises(ValidationError) as caught:
        record_model(catalog.get("hostile-form")).model_validate(BAD_RECORD)

    assert_no_secret(str(caught.value))
    assert MASKED_BIRTHDAY in str(caught.value)


def test_renderer_error_masks_a_sensitive_value(catalog: Catalog) -> None:
    values = {"basic": {"birthday": forge.ID_NUMBER}}

    with pytest.raises(ValueError) as caught:
        render_docx(catalog.get("hostile-form"), values)

    assert str(caught.value) == (
        "basic.birthday: expected a date such as 2024-03-07, found '1101**********002X'"
    )


def test_validate_prints_sample_problems_masked(tmp_path: Path) -> None:
    shutil.copy(forge.CATALOG / "hostile-form.yaml", tmp_path)
    sample = tmp_path / "hostile-form.sample.json"
    sample.write_text(json.dumps(BAD_RECORD, ensure_ascii=False), encoding="utf-8")

    result = CliRunner().invoke(app, ["validate", "--root", str(tmp_path)])

    assert result.exit_code == 1
    assert_no_secret(result.stderr + result.stdout)
    assert f"{sample}: basic.birthday: 日期格式不对：{MASKED_BIRTHDAY}" in result.stderr


def test_render_prints_record_problems_masked(tmp_path: Path) -> None:
    data = tmp_path / "record.json"
    data.write_text(json.dumps(BAD_RECORD, ensure_ascii=False), encoding="utf-8")

    result = CliRunner().invoke(
        app,
        ["render", "hostile-form", "--data", str(data), "-o", str(tmp_path)]
        + ["--root", str(forge.CATALOG)],
    )

    assert result.exit_code == 1
    assert_no_secret(result.stderr + result.stdout)
    assert "(value '1390****3459')" in result.stderr


def test_parse_summary_and_logs_mask_values(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    form = tmp_path / "bad-birthday.docx"
    form.write_bytes(forge.filled_docx("张三", birthday="19900307"))

    with caplog.at_level(logging.DEBUG):
        result = CliRunner().invoke(
            app,
            ["-vv", "parse", str(form), "-o", str(tmp_path / "out")]
            + ["--root", str(forge.CATALOG)],
            env={"COLUMNS": "400"},  # one table line a form, so messages stay whole
        )

    assert result.exit_code == 1
    assert_no_secret(result.stdout + result.stderr + caplog.text)
    assert MASKED_BIRTHDAY in result.stdout
    record = next((tmp_path / "out" / "records").iterdir()).read_text("utf-8")
    assert forge.ID_NUMBER in record  # the record itself keeps every value


def test_library_log_quoting_the_file_is_masked(tmp_path: Path) -> None:
    # pypdf logs the bytes after a broken object: here, most of an ID number.
    broken = b"/DanganTemplate <<" + forge.ID_NUMBER.encode() + b" 1 R"
    path = tmp_path / "broken.pdf"
    path.write_bytes(forge.pdf().replace(b"/DanganTemplate (hostile-form)", broken))
    command = [sys.executable, "-m", "engine", "parse", str(path)]
    command += ["-o", str(tmp_path / "out"), "--root", str(forge.CATALOG)]

    result = subprocess.run(command, capture_output=True, text=True, timeout=120)

    assert result.returncode == 1
    assert "Invalid Elementary Object" in result.stderr
    assert forge.ID_NUMBER[1:] not in result.stdout + result.stderr


def test_scrub_filter_masks_library_log_records() -> None:
    record = logging.LogRecord(
        "pypdf._reader",
        logging.WARNING,
        __file__,
        1,
        "bad object %r",
        (forge.MOBILE,),
        None,
    )

    ScrubFilter().filter(record)

    assert record.getMessage() == "bad object '1390***2345'"
