"""Broken and hostile form files end in one clear error each, quickly."""

from __future__ import annotations

import json
import os
import time
import tracemalloc
import zipfile
from pathlib import Path

import pytest

from engine.errors import FormFileError
from engine.parse import MAX_FILE_BYTES, parse_bytes, parse_file
from engine.spec.loader import Catalog
from engine.word.package import MAX_PART_BYTES, MAX_PARTS
from tests.hostile import forge

EXPECTED: dict[str, str] = json.loads(
    (forge.HOSTILE / "expected.json").read_text(encoding="utf-8")
)
# Every hostile file is refused well within this; a bomb that expanded would not be.
SECONDS = 2.0


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    loaded = Catalog.load(forge.CATALOG)
    loaded.raise_errors()
    return loaded


def refused(path: Path, catalog: Catalog) -> str:
    """Parse `path`, expecting FormFileError; return its message without the path."""
    started = time.perf_counter()
    with pytest.raises(FormFileError) as caught:
        parse_file(path, catalog)
    assert time.perf_counter() - started < SECONDS
    message = str(caught.value)
    assert message.startswith(f"{path}: ")
    return message.removeprefix(f"{path}: ")


def test_every_hostile_fixture_has_an_expected_error() -> None:
    kept = {p.name for p in forge.HOSTILE.iterdir() if p.is_file()}

    assert set(EXPECTED) == set(forge.SMALL)
    assert kept == set(forge.SMALL) | set(forge.READABLE) | {"expected.json"}


def test_fixtures_are_what_the_forge_builds(tmp_path: Path) -> None:
    forge.write_fixtures(tmp_path)

    # Encryption draws a new key each time, so that one file differs run to run.
    for name in {*forge.SMALL, *forge.READABLE} - {"encrypted.pdf"}:
        assert (tmp_path / name).read_bytes() == (forge.HOSTILE / name).read_bytes()


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_hostile_file_is_refused_with_its_message(name: str, catalog: Catalog) -> None:
    expected = EXPECTED[name].replace("{catalog}", str(forge.CATALOG))

    assert refused(forge.HOSTILE / name, catalog) == expected


def test_file_of_200_mb_is_refused_by_size_before_reading(
    tmp_path: Path, catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "huge.pdf"
    with path.open("wb") as stream:
        stream.truncate(200_000_000)  # sparse: no disk space, no time
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail("file was read"))

    assert refused(path, catalog) == (
        "the file is 200 MB; a returned form is never larger than 52 MB, so this is "
        "not one of our forms"
    )


def test_bytes_over_the_limit_are_refused_before_detection(catalog: Catalog) -> None:
    data = b"%PDF-1.7\n" + bytes(MAX_FILE_BYTES)

    with pytest.raises(FormFileError) as caught:
        parse_bytes(data, Path("big.pdf"), catalog)

    assert str(caught.value) == (
        "big.pdf: the file is 52 MB; a returned form is never larger than 52 MB, so "
        "this is not one of our forms"
    )


def test_real_zip_bomb_is_refused_without_expanding(
    tmp_path: Path, catalog: Catalog
) -> None:
    path = tmp_path / "bomb.docx"
    path.write_bytes(forge.zip_bomb(size=120_000_000))  # packs to about 120 kB
    tracemalloc.start()

    try:
        message = refused(path, catalog)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()

    assert message == (
        "part word/document.xml expands to 120,000,280 bytes (ratio 1027:1); it "
        "looks like a zip bomb and is not read"
    )
    assert peak < 5_000_000


def test_oversized_part_that_is_not_a_bomb_is_refused(
    tmp_path: Path, catalog: Catalog
) -> None:
    path = tmp_path / "photo-inside.docx"
    noise = os.urandom(MAX_PART_BYTES + 1)  # random bytes do not compress
    path.write_bytes(forge.docx(extra={"word/media/image1.png": noise}))

    assert refused(path, catalog) == (
        "part word/media/image1.png is 31,457,281 bytes, more than 31,457,280; no "
        "part of a form is this big, so it is not read"
    )


def test_package_of_many_parts_is_refused(tmp_path: Path, catalog: Catalog) -> None:
    path = tmp_path / "many.docx"
    with zipfile.ZipFile(path, "w") as package:
        package.writestr("word/document.xml", forge.document_xml())
        for index in range(MAX_PARTS):
            package.writestr(f"word/media/{index}.txt", "")

    assert refused(path, catalog) == (
        "the package has 2,001 parts; a form has a few dozen, so it is not read"
    )


def test_part_longer_than_its_header_says_is_refused(
    tmp_path: Path, catalog: Catalog
) -> None:
    data = bytearray(forge.docx())
    entry = data.index(b"PK\x01\x02")
    while data[entry + 46 : entry + 63] != b"word/document.xml":
        entry = data.index(b"PK\x01\x02", entry + 4)
    # The central directory's uncompressed size, at offset 24 of the entry.
    data[entry + 24 : entry + 28] = (100).to_bytes(4, "little")
    path = tmp_path / "liar.docx"
    path.write_bytes(bytes(data))

    assert refused(path, catalog) == (
        "part word/document.xml cannot be read: Bad CRC-32 for file 'word/document.xml'"
    )


def test_javascript_in_a_pdf_is_never_run_and_is_noted(catalog: Catalog) -> None:
    record = parse_file(forge.HOSTILE / "javascript.pdf", catalog)

    assert record.values["basic"]["name"] == "Zhang San"
    assert record.notes == [
        "the PDF carries JavaScript or an open action; it was ignored, never run"
    ]


@pytest.mark.parametrize("name", ["minimal.docx", "minimal.pdf"])
def test_minimal_forms_of_the_forge_are_read(name: str, catalog: Catalog) -> None:
    record = parse_file(forge.HOSTILE / name, catalog)

    assert record.values["basic"]["name"] in ("张三", "Zhang San")
