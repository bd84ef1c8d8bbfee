"""Write a new template declaration that validates as written."""

from __future__ import annotations

import json
import re
from pathlib import Path

from engine.atomic import write_text_atomic

_DECLARATION = """\
# {title}: a new template. Edit the sections and fields, then run
#   dangan validate {file}
# The template language is described in docs/template-language.md.
id: {template_id}
version: 1
title: {{zh: {title}, en: Customer File}}
industry: {industry}
form_no: {form_no}
description: {{zh: 请在此说明本表的用途。, en: Describe what this form is for.}}
sections:
  - id: basic
    title: {{zh: 基本信息, en: Basic information}}
    fields:
      - key: name
        type: text
        label: {{zh: 姓名, en: Name}}
        required: true
        max_length: 30
      - key: mobile
        type: mobile
        label: {{zh: 手机, en: Mobile}}
      - key: gender
        type: choice
        label: {{zh: 性别, en: Gender}}
        options:
          - {{key: male, label: {{zh: 男, en: Male}}}}
          - {{key: female, label: {{zh: 女, en: Female}}}}
  - id: visits
    kind: table
    title: {{zh: 来访记录, en: Visits}}
    rows: 5
    columns:
      - {{key: date, type: date, label: {{zh: 日期, en: Date}}}}
      - {{key: note, type: text, label: {{zh: 内容, en: Notes}}}}
  - id: sign
    title: {{zh: 签字确认, en: Signatures}}
    fields:
      - key: customer
        type: signature
        label: {{zh: 客户签字, en: Customer signature}}
"""

_SAMPLE = {
    "basic": {"name": "张三", "mobile": "13900012345", "gender": "male"},
    "visits": [{"date": "2024-03-07", "note": "首次到访"}],
    "sign": {"customer": {"name": "张三", "date": "2024-03-07"}},
}


def scaffold_template(
    root: Path, template_id: str, industry: str, title: str
) -> list[Path]:
    """Write `ROOT/ID.yaml` and its sample record; refuse to overwrite either."""
    if not re.fullmatch(r"[a-z][a-z0-9-]*", template_id):
        raise ValueError(
            f"invalid template id {template_id!r}: use lowercase letters, digits and "
            "dashes, starting with a letter (e.g. dental-patient)"
        )
    declaration = root / f"{template_id}.yaml"
    sample = root / f"{template_id}.sample.json"
    for path in (declaration, sample):
        if path.exists():
            raise FileExistsError(
                f"{path} already exists; choose another id or edit it"
            )
    form_no = template_id.upper()
    text = _DECLARATION.format(
        template_id=template_id,
        title=title,
        industry=industry,
        form_no=form_no,
        file=declaration,
    )
    write_text_atomic(declaration, text)
    write_text_atomic(sample, json.dumps(_SAMPLE, ensure_ascii=False, indent=2) + "\n")
    return [declaration, sample]
