"""Includes, extends and versions resolve into one template each."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.errors import DeclarationError, TemplateNotFoundError
from engine.spec.loader import Catalog, load_catalog
from tests.conftest import FIXTURES


def test_include_inserts_the_field_set_fields() -> None:
    template = load_catalog(FIXTURES / "valid" / "extends").get("spa-base")

    keys = [f.key for f in template.sections[0].fields]

    assert keys == ["name", "mobile"]


def test_extends_replaces_adds_and_removes_sections() -> None:
    template = load_catalog(FIXTURES / "valid" / "extends").get("spa-variant")

    assert [s.id for s in template.sections] == ["basic", "plan", "health"]
    assert [f.key for f in template.sections[2].fields] == ["taboo"]
    assert template.title.zh == "变体档案"
    assert template.industry == "spa"


def test_versions_coexist_and_newest_is_default(tmp_path: Path) -> None:
    for version in (1, 2):
        (tmp_path / f"v{version}.yaml").write_text(
            f"id: form\nversion: {version}\ntitle: 表{version}\nindustry: t\n"
            "sections:\n  - id: a\n    title: 甲\n    fields:\n"
            "      - {key: x, type: text, label: 乙}\n",
            encoding="utf-8",
        )

    catalog = load_catalog(tmp_path)

    assert catalog.get("form").version == 2
    assert catalog.get("form", 1).title.zh == "表1"
    with pytest.raises(TemplateNotFoundError, match="has no version 3"):
        catalog.get("form", 3)


def test_same_id_and_version_twice_is_an_error(tmp_path: Path) -> None:
    body = (
        "id: form\nversion: 1\ntitle: 表\nindustry: t\n"
        "sections:\n  - id: a\n    title: 甲\n    fields:\n"
        "      - {key: x, type: text, label: 乙}\n"
    )
    (tmp_path / "a.yaml").write_text(body, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(body, encoding="utf-8")

    with pytest.raises(DeclarationError, match="version 1 is also declared in"):
        load_catalog(tmp_path)


def test_all_errors_of_a_file_are_reported_at_once(tmp_path: Path) -> None:
    (tmp_path / "f.yaml").write_text(
        "id: Bad Id\nversion: x\ntitle: 表\nindustry: t\n"
        "sections:\n  - id: a\n    title: 甲\n    fields:\n"
        "      - {key: x, type: nope, label: 乙}\n"
        "      - {key: y, type: choice, label: 丙}\n",
        encoding="utf-8",
    )

    catalog = Catalog.load(tmp_path)

    assert len(catalog.errors) == 1
    lines = str(catalog.errors[0]).splitlines()
    assert len(lines) == 4
    assert [line.split(":")[1] for line in lines] == ["1", "2", "9", "10"]


def test_not_utf8_file_is_reported(tmp_path: Path) -> None:
    (tmp_path / "f.yaml").write_bytes("title: 表".encode("gbk"))

    catalog = Catalog.load(tmp_path)

    assert "not UTF-8" in str(catalog.errors[0])


def test_label_with_template_syntax_stays_literal(tmp_path: Path) -> None:
    (tmp_path / "f.yaml").write_text(
        "id: form\nversion: 1\ntitle: '{{ 7*7 }}'\nindustry: t\n"
        "sections:\n  - id: a\n    title: '{% raw %}'\n    fields:\n"
        "      - {key: x, type: text, label: '${HOME} {{ x }}'}\n",
        encoding="utf-8",
    )

    template = load_catalog(tmp_path).get("form")

    assert template.title.zh == "{{ 7*7 }}"
    assert template.sections[0].title.zh == "{% raw %}"
    assert template.sections[0].fields[0].label.zh == "${HOME} {{ x }}"


def test_missing_root_folder_names_it(tmp_path: Path) -> None:
    with pytest.raises(TemplateNotFoundError, match="does not exist"):
        Catalog.load(tmp_path / "nowhere")
