"""Mutated files never crash a reader: it reads them or raises one of our errors.

Each test mutates small seed files (the forge's forms, a declaration) and runs one
reader on them. The runs are derandomized, so that a failure repeats; the whole
module takes well under a minute.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.errors import DanganError
from engine.parse import parse_bytes
from engine.spec.loader import Catalog
from engine.spec.yamlread import read_yaml
from tests.hostile import forge

FUZZ = settings(
    max_examples=400,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
CATALOG = Catalog.load(forge.CATALOG)
PDF_SEEDS = [forge.pdf(), forge.javascript(), forge.cyclic_kids(), forge.deep_kids(30)]
DOCX_XML = forge.document_xml(
    {"basic.name": "张三", "basic.mobile": forge.MOBILE, "basic.birthday": "1990-03-07"}
)
YAML_SEED = (forge.CATALOG / "hostile-form.yaml").read_text(encoding="utf-8")

PDF_TOKENS = [b"[", b"]", b"<<", b">>", b"(", b")", b" 5 0 R", b" 1 0 R", b"/Kids"]
PDF_TOKENS += [b"obj", b"endobj", b"stream\n", b"xref", b"%%EOF", b"\x00", b"/T"]
XML_TOKENS = ["<w:sdt>", "</w:sdt>", "<w:p>", "</w:p>", "<w:t>", "&amp;", "&x;"]
XML_TOKENS += [
    "<!DOCTYPE x>",
    "<w:tag w:val='basic.name'/>",
    "\x00",
    "<![CDATA[",
    "]]>",
]
YAML_TOKENS = ["[", "]", "{", "}", ": ", "- ", "&a ", "*a", "\t", "!!str ", "<<: "]
YAML_TOKENS += ["? ", "---\n", "%YAML 1.1\n", "'", '"', "\n  ", "~", "\x00", "\ufeff"]


@st.composite
def mutated(draw: st.DrawFn, seed: bytes | str, tokens: list) -> bytes | str:
    """Return `seed` with a few bytes replaced, removed or tokens inserted."""
    data = seed
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(data)))
        kind = draw(st.sampled_from(["token", "delete", "replace", "cut"]))
        if kind == "token":
            data = data[:at] + draw(st.sampled_from(tokens)) + data[at:]
        elif kind == "delete":
            data = data[:at] + data[at + draw(st.integers(1, 40)) :]
        elif kind == "replace" and isinstance(data, bytes):
            data = data[:at] + bytes([draw(st.integers(0, 255))]) + data[at + 1 :]
        elif kind == "replace":
            data = data[:at] + chr(draw(st.integers(0, 0x2FFF))) + data[at + 1 :]
        elif at > len(data) // 2:
            data = data[:at]
    return data


def read_or_refuse(data: bytes, name: str) -> None:
    try:
        parse_bytes(data, Path(name), CATALOG)
    except DanganError:
        pass


@FUZZ
@given(
    st.sampled_from(range(len(PDF_SEEDS))).flatmap(
        lambda i: mutated(PDF_SEEDS[i], PDF_TOKENS)
    )
)
def test_pdf_reader_survives_mutated_files(data: bytes) -> None:
    read_or_refuse(data, "fuzz.pdf")


@FUZZ
@given(mutated(DOCX_XML, XML_TOKENS))
def test_docx_reader_survives_mutated_xml(document: str) -> None:
    read_or_refuse(forge.docx(document.encode("utf-8", "surrogatepass")), "fuzz.docx")


@settings(FUZZ, max_examples=200)
@given(mutated(forge.docx(DOCX_XML), [b"PK\x03\x04", b"PK\x01\x02", b"\xff" * 4]))
def test_docx_reader_survives_mutated_zip(data: bytes) -> None:
    read_or_refuse(data, "fuzz.docx")


@FUZZ
@given(mutated(YAML_SEED, YAML_TOKENS))
def test_yaml_reader_reports_issues_for_mutated_declarations(text: str) -> None:
    result = read_yaml(text)

    assert result.data is not None or result.issues


def test_fuzz_seeds_are_read_cleanly() -> None:
    for seed in PDF_SEEDS[:2]:
        assert parse_bytes(seed, Path("seed.pdf"), CATALOG).values
    assert parse_bytes(forge.docx(DOCX_XML), Path("seed.docx"), CATALOG).values
    assert not read_yaml(YAML_SEED).issues


@pytest.mark.parametrize("seed", [forge.pdf(), forge.docx(DOCX_XML)])
def test_every_prefix_of_a_form_is_read_or_refused(seed: bytes) -> None:
    for end in range(0, len(seed), 7):
        read_or_refuse(seed[:end], "cut")
