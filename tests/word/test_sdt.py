"""The shown text of a content control, as Word, WPS and LibreOffice write it."""

from __future__ import annotations

import pytest
from lxml import etree

from engine.word.sdt import W, read_controls

BODY = f'<w:body xmlns:w="{W}">{{}}</w:body>'


def control(content: str, tag: str = "notes") -> str:
    return (
        f'<w:sdt><w:sdtPr><w:tag w:val="{tag}"/></w:sdtPr>'
        f"<w:sdtContent>{content}</w:sdtContent></w:sdt>"
    )


def paragraph(*runs: str, tab_stop: bool = False) -> str:
    properties = (
        '<w:pPr><w:tabs><w:tab w:val="left" w:pos="2000"/></w:tabs></w:pPr>'
        if tab_stop
        else ""
    )
    return f"<w:p>{properties}{''.join(runs)}</w:p>"


def run(text: str) -> str:
    return f"<w:r><w:t>{text}</w:t></w:r>"


def shown(xml: str) -> object:
    root = etree.fromstring(BODY.format(xml))
    (value,) = read_controls(root)
    return value.value


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (paragraph(run("甲"), run("乙")), "甲乙"),
        (paragraph(run("第一行")) + paragraph(run("第二行")), "第一行\n第二行"),
        # A tab stop in a paragraph's properties is not a tab in its text.
        (paragraph(run("姓名"), tab_stop=True), "姓名"),
        (paragraph("<w:r><w:t>a</w:t><w:tab/><w:t>b</w:t></w:r>"), "a\tb"),
        # An empty first paragraph starts no line.
        (paragraph() + paragraph(run("仅此")), "仅此"),
        (paragraph("<w:r><w:t/></w:r>") + paragraph(run("x")), "x"),
        (paragraph("<w:r><w:t>a</w:t><w:br/><w:t>b</w:t></w:r>"), "a\nb"),
        (paragraph('<w:r><w:t>a</w:t><w:br w:type="page"/><w:t>b</w:t></w:r>'), "ab"),
        # An empty paragraph between two keeps its line; one at the end adds none.
        (paragraph(run("上")) + paragraph() + paragraph(run("下")), "上\n\n下"),
        (paragraph(run("末")) + paragraph(), "末"),
        # A tab and a break deleted in tracked changes are not shown.
        (
            paragraph(
                run("前"),
                "<w:del><w:r><w:tab/><w:br/><w:delText>删</w:delText></w:r></w:del>",
                run("后"),
            ),
            "前后",
        ),
        # Deleted text and field codes are not shown.
        (
            paragraph(
                run("留"),
                "<w:del><w:r><w:delText>删</w:delText></w:r></w:del>",
                "<w:r><w:instrText> PAGE </w:instrText></w:r>",
            ),
            "留",
        ),
    ],
)
def test_shown_text(content: str, expected: str) -> None:
    assert shown(control(content)) == expected
