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


def test_fonts__coverage_holds_gb2312_names_and_punctuation():
    covered = set(fonts.coverage_text())

    assert len([c for c in covered if "\u4e00" <= c <= "\u9fff"]) >= 6763
    assert set("一户文喆堃昇，。：；！？（）「」、·—…“”ＡＺ０９ａz@#¥") <= covered
    assert not covered & {chr(c) for c in range(0x2E80, 0x2FE0)}  # radicals


def test_fonts__form_font_is_one_small_face_without_radicals(form_font):
    cmap = form_font.getBestCmap()

    assert fonts.form_font_path().stat().st_size < 2_000_000
    assert form_font["name"].getDebugName(1) == fonts.FORM_FONT_FAMILY
    assert all(ord(c) in cmap for c in "一户文王小明李四喆堃昇□")
    assert 0x2F00 not in cmap and 0x2F3E not in cmap and 0x2F42 not in cmap


def test_fonts__each_glyph_cid_is_its_index(form_font):
    order = form_font.getGlyphOrder()

    assert order[0] == ".notdef"
    assert all(name == f"cid{gid:05d}" for gid, name in enumerate(order) if gid)


def test_fonts__glyph_codes_use_the_missing_mark_for_unknown_characters():
    codes = fonts.glyph_codes("一𠀀")

    assert len(codes) == 4
    assert codes[2:] == fonts.glyph_codes(fonts.MISSING_MARK)
    assert fonts.drawable("王\n𠀀") == "王\n□"


def test_fonts__missing_cjk_font_names_the_package(monkeypatch):
    monkeypatch.setattr(fonts, "KNOWN_FILES", ())
    monkeypatch.setattr(fonts, "_fontconfig_files", lambda: [])

    with pytest.raises(SystemDependencyError) as caught:
        fonts.find_cjk_font()

    assert str(caught.value) == (
        "no Chinese font was found; install the Debian package fonts-noto-cjk "
        "(apt-get install fonts-noto-cjk) and render again"
    )


def test_fonts__cache_key_changes_with_coverage():
    source = fonts.find_cjk_font()

    assert fonts._cache_key(source, "一") != fonts._cache_key(source, "一二")
    assert source.name == "Noto Sans CJK SC"
