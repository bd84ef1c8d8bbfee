"""The raw WordprocessingML of runs and content controls."""

from __future__ import annotations

import datetime as dt

import pytest
from lxml import etree

from engine.word import ooxml
from tests.word.conftest import W14, W

FMT = ooxml.RunFormat()


def control(tag: str = "basic.name") -> ooxml.Control:
    return ooxml.Control(tag, 7, "姓名", FMT)


def find(node: etree._Element, path: str) -> etree._Element | None:
    return node.find(path, namespaces=ooxml.NS)


def texts(node: etree._Element) -> list[str]:
    return [t.text for t in node.iter(f"{{{W}}}t")]


def test_runs__line_breaks_count_crlf_once():
    (run,) = ooxml.runs("第一行\n第二行\r\n第三行", FMT, "basic.remarks")

    assert len(run.findall(f"{{{W}}}br")) == 2
    assert texts(run) == ["第一行", "第二行", "第三行"]


def test_runs__markup_characters_are_escaped():
    (run,) = ooxml.runs("美丽&健康 <VIP> 工作室", FMT, "basic.shop")

    xml = etree.tostring(run, encoding="unicode")

    assert "美丽&amp;健康 &lt;VIP&gt; 工作室" in xml
    assert texts(etree.fromstring(xml)) == ["美丽&健康 <VIP> 工作室"]


@pytest.mark.parametrize("character", ["\x0b", "\x00", "\x1f", "\ufffe"])
def test_runs__control_character_names_the_path(character):
    with pytest.raises(ValueError) as error:
        ooxml.runs(f"花粉{character}过敏", FMT, "basic.allergy")

    assert str(error.value).startswith("basic.allergy: the text contains the control")
    assert f"U+{ord(character):04X}" in str(error.value)


def test_runs__set_east_asian_font():
    (run,) = ooxml.runs("张三", FMT, "basic.name")

    fonts = find(run, "w:rPr/w:rFonts")
    language = find(run, "w:rPr/w:lang")

    assert fonts.get(f"{{{W}}}eastAsia") == ooxml.SONG
    assert language.get(f"{{{W}}}eastAsia") == "zh-CN"


def test_text_control__blank_shows_grey_placeholder():
    sdt = ooxml.text_control(control(), None, "点击输入")

    assert find(sdt, "w:sdtPr/w:showingPlcHdr") is not None
    assert find(sdt, "w:sdtPr/w:temporary") is None
    style = find(sdt, "w:sdtContent/w:r/w:rPr/w:rStyle")
    assert style.get(f"{{{W}}}val") == ooxml.PLACEHOLDER_STYLE
    assert texts(sdt) == ["点击输入"]


def test_text_control__value_drops_placeholder_mark():
    sdt = ooxml.text_control(control(), "张三", "点击输入")

    assert find(sdt, "w:sdtPr/w:showingPlcHdr") is None
    assert find(sdt, "w:sdtContent/w:r/w:rPr/w:rStyle") is None
    assert texts(sdt) == ["张三"]
    assert find(sdt, "w:sdtPr/w:tag").get(f"{{{W}}}val") == "basic.name"


def test_text_control__multiline_flag():
    sdt = ooxml.text_control(control(), "一\n二", "", multiline=True)

    assert find(sdt, "w:sdtPr/w:text").get(f"{{{W}}}multiLine") == "1"
    assert len(sdt.findall(f".//{{{W}}}br")) == 1


@pytest.mark.parametrize(
    ("checked", "flag", "glyph"),
    [(True, "1", ooxml.CHECKED_GLYPH), (False, "0", ooxml.UNCHECKED_GLYPH)],
)
def test_checkbox_control__flag_and_glyph_agree(checked, flag, glyph):
    sdt = ooxml.checkbox_control(control("basic.allergy=yes"), checked)

    box = find(sdt, "w:sdtPr/w14:checkbox")
    assert box.find(f"{{{W14}}}checked").get(f"{{{W14}}}val") == flag
    assert texts(sdt) == [glyph]
    checked_state = box.find(f"{{{W14}}}checkedState").get(f"{{{W14}}}val")
    assert chr(int(checked_state, 16)) == ooxml.CHECKED_GLYPH
    unchecked_state = box.find(f"{{{W14}}}uncheckedState").get(f"{{{W14}}}val")
    assert chr(int(unchecked_state, 16)) == ooxml.UNCHECKED_GLYPH


def test_date_control__full_date_and_display_text():
    day = dt.date(2024, 3, 7)

    sdt = ooxml.date_control(control(), day, "选择日期", "yyyy年M月d日", "2024年3月7日")

    picker = find(sdt, "w:sdtPr/w:date")
    assert picker.get(f"{{{W}}}fullDate") == "2024-03-07T00:00:00Z"
    assert find(picker, "w:dateFormat").get(f"{{{W}}}val") == "yyyy年M月d日"
    assert find(sdt, "w:sdtPr/w:showingPlcHdr") is None
    assert texts(sdt) == ["2024年3月7日"]


def test_date_control__blank_has_no_full_date():
    sdt = ooxml.date_control(control(), None, "选择日期", "yyyy年M月d日", None)

    assert find(sdt, "w:sdtPr/w:date").get(f"{{{W}}}fullDate") is None
    assert find(sdt, "w:sdtPr/w:showingPlcHdr") is not None


def test_dropdown_control__selected_item():
    items = [("dry", "干性"), ("oily", "油性")]

    sdt = ooxml.dropdown_control(control(), items, "oily", "请选择")

    listing = find(sdt, "w:sdtPr/w:dropDownList")
    values = [item.get(f"{{{W}}}value") for item in listing]
    assert values == ["dry", "oily"]
    assert listing.get(f"{{{W}}}lastValue") == "oily"
    assert texts(sdt) == ["油性"]
    assert find(sdt, "w:sdtPr/w:showingPlcHdr") is None


def test_dropdown_control__unknown_value_rejected():
    with pytest.raises(ValueError, match=r"^basic\.name: 'sandy' is not one of"):
        ooxml.dropdown_control(control(), [("dry", "干性")], "sandy", "请选择")


def test_read_core_property__missing_property_is_none():
    data = ooxml.build_package([], [], [], ooxml.CoreProperties("表", "MR-01", "x"))

    assert ooxml.read_core_property(data, "dc:identifier") == "x"
    assert ooxml.read_core_property(data, "cp:category") is None
