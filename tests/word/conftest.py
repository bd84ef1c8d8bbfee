"""Fixtures for the Word form tests: small templates of our own and LibreOffice."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from engine.spec.loader import Catalog, LoadedTemplate
from engine.word import ooxml
from tests.conftest import INDUSTRIES

FORMS = Path(__file__).resolve().parent / "fixtures" / "forms"
W = ooxml.NS["w"]
W14 = ooxml.NS["w14"]


def loaded_forms() -> list[LoadedTemplate]:
    """Return the newest version of every template in industries/ and the fixtures."""
    found = []
    for root in (INDUSTRIES, FORMS):
        catalog = Catalog.load(root)
        catalog.raise_errors()
        found += catalog.latest()
    return found


def sample(loaded: LoadedTemplate) -> dict:
    """Return the sample record of a template; skip the test if it has none yet.

    tests/test_industries.py fails for a template without a sample record, so the
    Word tests skip rather than report the same problem again.
    """
    if not loaded.sample_file.exists():
        pytest.skip(f"{loaded.sample_file.name} does not exist yet")
    return json.loads(loaded.sample_file.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def all_types() -> LoadedTemplate:
    catalog = Catalog.load(FORMS)
    catalog.raise_errors()
    return catalog.get_loaded("word-all-types")


def document_root(data: bytes, part: str = "word/document.xml") -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return etree.fromstring(package.read(part))


def controls(root: etree._Element) -> dict[str, etree._Element]:
    """Return every content control of a part by tag."""
    found = {}
    for sdt in root.iter(f"{{{W}}}sdt"):
        tag = sdt.find(f"{{{W}}}sdtPr/{{{W}}}tag").get(f"{{{W}}}val")
        found[tag] = sdt
    return found


def control_text(sdt: etree._Element) -> str:
    """Return the text a control shows, with `w:br` as a newline."""
    parts = []
    for node in sdt.find(f"{{{W}}}sdtContent").iter(f"{{{W}}}t", f"{{{W}}}br"):
        parts.append("\n" if node.tag == f"{{{W}}}br" else node.text or "")
    return "".join(parts)


def soffice_convert(files: list[Path], target: str, outdir: Path) -> list[Path]:
    """Convert `files` with one LibreOffice run and return the converted files."""
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.fail(
            "soffice is not installed; run scripts/setup-system.sh as root to install "
            "libreoffice-writer-nogui 25.2 from bookworm-backports"
        )
    profile = outdir / "profile"
    command = [
        soffice,
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--convert-to",
        target,
        "--outdir",
        str(outdir),
        *map(str, files),
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    extension = target.split(":")[0]
    converted = [outdir / f"{file.stem}.{extension}" for file in files]
    missing = [str(path) for path in converted if not path.exists()]
    assert not missing, f"LibreOffice made no output for {missing}: {result.stderr}"
    return converted


def pdf_text(path: Path, first: int | None = None, last: int | None = None) -> str:
    pages = []
    if first is not None:
        pages += ["-f", str(first)]
    if last is not None:
        pages += ["-l", str(last)]
    # -raw keeps the order of the content stream, so the lines of a label that wraps
    # in its cell stay together instead of interleaving with the next cell.
    command = ["pdftotext", "-raw", "-enc", "UTF-8", *pages, str(path), "-"]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout
