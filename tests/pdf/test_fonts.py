"""The form font: one face, a chosen coverage, no Kangxi radicals, glyph = CID."""

from __future__ import annotations

import pytest
from fontTools.ttLib import TTFont

from engine.errors import SystemDependencyError
from engine.pdf import fonts


@pytest.fixture(scope="module")
def form_font():
    with TTFont(str(fonts.form_font_path())) as font:
        yield font


def test_fonts__coverage_gb2312_names_punctuation():
    covered = set(fonts.coverage_text())

    assert len([c for c in covered if "\u4e00" <= c <= "\u9fff"]) >= 6763
    assert set("一户文喆堃昇，。：；！？（）「」、·—…“”ＡＺ０９ａz@#¥") <= covered
    assert not covered & {chr(c) for c in range(0x2E80, 0x2FE0)}  # radicals


def test_fonts__one_small_face(form_font):
    cmap = form_font.getBestCmap()

    assert fonts.form_font_path().stat().st_size < 2_000_000
    assert form_font["name"].getDebugName(1) == fonts.FORM_FONT_FAMILY
    assert all(ord(c) in cmap for c in "一户文王小明李四喆堃昇□")
    assert 0x2F00 not in cmap  # ⼀, the radical drawn like 一
    assert 0x2F3E not in cmap  # ⼾, like 户
    assert 0x2F42 not in cmap  # ⽂, like 文


def test_fonts__cid_equals_glyph_index(form_font):
    order = form_font.getGlyphOrder()

    assert order[0] == ".notdef"
    assert all(name == f"cid{gid:05d}" for gid, name in enumerate(order) if gid)


def test_fonts__unknown_character_gets_missing_mark():
    codes = fonts.glyph_codes("一𠀀")

    assert len(codes) == 4
    assert codes[2:] == fonts.glyph_codes(fonts.MISSING_MARK)
    assert fonts.drawable("王\n𠀀") == "王\n□"


def test_fonts__missing_font_names_package(monkeypatch):
    monkeypatch.setattr(fonts, "KNOWN_FILES", ())
    monkeypatch.setattr(fonts, "_fontconfig_files", lambda: [])

    with pytest.raises(SystemDependencyError) as caught:
        fonts.find_cjk_font()

    assert str(caught.value) == (
        "no Chinese font was found; install the Debian package fonts-noto-cjk "
        "(apt-get install fonts-noto-cjk) and render again"
    )


def test_fonts__cache_key_follows_coverage():
    source = fonts.find_cjk_font()

    assert fonts._cache_key(source, "一") != fonts._cache_key(source, "一二")
    assert source.name == "Noto Sans CJK SC"
