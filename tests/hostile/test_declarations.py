"""Hostile declarations: bombs and huge files are refused, template syntax stays text.

The alias bomb and the deep nesting are kept in tests/fixtures/broken/ (alias-bomb,
deep-flow-nesting) and checked through `dangan validate` by tests/spec/.
"""

from __future__ import annotations

import io
import subprocess
import time
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from engine.pdf import render_pdf
from engine.spec.loader import Catalog, load_catalog
from engine.spec.yamlread import read_yaml
from engine.word import render_docx

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
TEMPLATE_SYNTAX = """\
id: syntax
version: 1
title: '{{ 7*7 }}'
industry: test
sections:
  - id: basic
    title: '{% for x in y %}'
    fields:
      - {key: name, type: text, label: '{{ 7*7 }}'}
      - {key: note, type: text, label: '{% for %}'}
      - {key: html, type: text, label: '<b>粗</b>&amp;'}
      - key: pick
        type: choice
        label: '{{ config }}'
        options: [{key: a, label: '{% include "x" %}'}, {key: b, label: '${HOME}'}]
"""
LITERALS = [
    "{{ 7*7 }}",
    "{% for x in y %}",
    "{% for %}",
    "<b>粗</b>&amp;",
    "{{ config }}",
    '{% include "x" %}',
    "${HOME}",
]


@pytest.fixture(scope="module")
def syntax_catalog(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    root = tmp_path_factory.mktemp("syntax")
    (root / "syntax.yaml").write_text(TEMPLATE_SYNTAX, encoding="utf-8")
    return load_catalog(root)


def docx_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        root = etree.fromstring(package.read("word/document.xml"))
    return "".join(t.text or "" for t in root.iter(f"{{{W}}}t"))


def pdf_text(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "syntax.pdf"
    path.write_bytes(data)
    command = ["pdftotext", "-raw", "-enc", "UTF-8", str(path), "-"]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def test_template_syntax_in_labels_is_printed_literally_in_docx(
    syntax_catalog: Catalog,
) -> None:
    text = docx_text(render_docx(syntax_catalog.get("syntax")))

    for literal in LITERALS:
        assert literal in text
    assert "49" not in text


def test_template_syntax_in_labels_is_printed_literally_in_pdf(
    syntax_catalog: Catalog, tmp_path: Path
) -> None:
    text = pdf_text(render_pdf(syntax_catalog.get("syntax")), tmp_path)

    for literal in LITERALS:
        assert literal in text
    assert "49" not in text


def test_huge_declaration_file_is_refused_before_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "huge.yaml"
    with path.open("wb") as stream:
        stream.truncate(200_000_000)
    monkeypatch.setattr(Path, "read_text", lambda *a, **k: pytest.fail("file read"))

    catalog = Catalog.load(tmp_path)

    assert [str(e) for e in catalog.errors] == [
        f"{path}:1:1: the file is larger than 1,000,000 bytes; a declaration is never "
        "this big, so split it or check that this is the right file"
    ]


def test_deep_flow_nesting_is_an_issue_not_a_recursion_error() -> None:
    started = time.perf_counter()

    result = read_yaml("a: " + "[" * 100_000 + "]" * 100_000 + "\n")

    assert time.perf_counter() - started < 10
    assert result.data is None
    assert [(i.line, i.column, i.message) for i in result.issues] == [
        (
            1,
            44,
            "the declaration nests deeper than 40 levels or has more than 200,000 "
            "values (YAML aliases can multiply them); write it out without aliases",
        )
    ]


def test_alias_bomb_stops_at_the_value_limit_quickly() -> None:
    lines = ['a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [{', '.join([f'*{previous}'] * 10)}]")
    started = time.perf_counter()

    result = read_yaml("\n".join(lines) + "\n")

    assert time.perf_counter() - started < 10
    assert result.data is None
    assert "more than 200,000 values" in result.issues[0].message
