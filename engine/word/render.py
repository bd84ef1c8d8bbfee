"""Render a template as a fillable Word form, blank or filled from a record.

`build_form` returns the parts of the document as elements that tests can inspect;
`render_docx` packs them into .docx bytes and `write_docx` writes the file.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from lxml import etree

from engine.atomic import write_bytes_atomic
from engine.spec.flat import flatten_record
from engine.spec.labels import LANGUAGES, Language
from engine.spec.model import Template
from engine.word import ooxml, words
from engine.word.controls import FormContext
from engine.word.identity import identity_text
from engine.word.layout import SMALL, section_blocks

logger = logging.getLogger(__name__)


@dataclass
class WordForm:
    """The parts of a rendered form before they are packed into a .docx file."""

    body: list[etree._Element]
    header: list[etree._Element]
    footer: list[etree._Element]
    properties: ooxml.CoreProperties


def _title_blocks(ctx: FormContext, template: Template) -> list[etree._Element]:
    title = ctx.label(template.title, "title")
    title_fmt = replace(ctx.fmt, font=ooxml.HEI, size=32, bold=True)
    blocks = [
        ooxml.paragraph(
            ooxml.runs(title, title_fmt, "title"),
            ooxml.ParagraphFormat(align="center", after=120),
        )
    ]
    if template.description is not None:
        text = ctx.label(template.description, "description")
        blocks.append(
            ooxml.paragraph(
                ooxml.runs(text, replace(ctx.fmt, size=SMALL), "description"),
                ooxml.ParagraphFormat(align="center", after=120),
            )
        )
    return blocks


def _header(ctx: FormContext, template: Template) -> list[etree._Element]:
    small = replace(ctx.fmt, size=SMALL)
    title = ctx.label(template.title, "title")
    numbers = ""
    if template.form_no:
        numbers = f"{words.word('form_no', ctx.language)}{template.form_no}\u3000"
    numbers += f"{words.word('version', ctx.language)}{template.version}"
    content = ooxml.runs(title, small, "title") + [ooxml.tab_run(small)]
    content += ooxml.runs(numbers, small, "form_no")
    layout = ooxml.ParagraphFormat(border_bottom=True, right_tab=ooxml.TEXT_WIDTH)
    return [ooxml.paragraph(content, layout)]


def _footer(ctx: FormContext, template: Template) -> list[etree._Element]:
    """Return the footer: the form title and "第 X 页 共 Y 页" as PAGE/NUMPAGES fields."""
    small = replace(ctx.fmt, size=SMALL)
    title = ctx.label(template.title, "title")
    content = ooxml.runs(f"{title}\u3000", small, "title")
    pattern = words.word("page", ctx.language)
    before, rest = pattern.split("{page}")
    middle, after = rest.split("{pages}")
    content += ooxml.runs(before, small, "footer")
    content += ooxml.field_runs("PAGE", "1", small)
    content += ooxml.runs(middle, small, "footer")
    content += ooxml.field_runs("NUMPAGES", "1", small)
    content += ooxml.runs(after, small, "footer")
    return [ooxml.paragraph(content, ooxml.ParagraphFormat(align="center"))]


def build_form(
    template: Template, values: dict[str, Any] | None = None, language: Language = "zh"
) -> WordForm:
    """Build the document parts of a form; `values` is a nested record or None."""
    if language not in LANGUAGES:
        raise ValueError(
            f"language {language!r} is not supported; use one of {', '.join(LANGUAGES)}"
        )
    flat = flatten_record(template, values) if values else {}
    fmt = ooxml.RunFormat(language="en-US" if language == "en" else "zh-CN")
    ctx = FormContext(language, flat, fmt)

    body = _title_blocks(ctx, template)
    for number, section in enumerate(template.sections):
        body += section_blocks(ctx, section, number)

    properties = ooxml.CoreProperties(
        title=ctx.label(template.title, "title"),
        subject=template.form_no or template.id,
        identifier=identity_text(template),
        language=fmt.language,
    )
    return WordForm(body, _header(ctx, template), _footer(ctx, template), properties)


def render_docx(
    template: Template, values: dict[str, Any] | None = None, language: Language = "zh"
) -> bytes:
    """Return a fillable .docx form of `template` as bytes.

    Args:
        template: the resolved template.
        values: a nested record to pre-fill the form with; None gives a blank form.
        language: "zh", "en" or "both" for the labels and fixed wording.

    Raises ValueError when a value cannot be shown (a control character, an unknown
    option key, a malformed date), naming the field path.
    """
    form = build_form(template, values, language)
    data = ooxml.build_package(form.body, form.header, form.footer, form.properties)
    logger.info(
        "rendered %s version %d as .docx (%s, %s)",
        template.id,
        template.version,
        "filled" if values else "blank",
        language,
    )
    return data


def write_docx(
    template: Template,
    path: Path | str,
    values: dict[str, Any] | None = None,
    language: Language = "zh",
) -> Path:
    """Write a fillable .docx form to `path` atomically and return the path."""
    return write_bytes_atomic(path, render_docx(template, values, language))
