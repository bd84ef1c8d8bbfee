"""The template identity a form carries in docProps/core.xml."""

from __future__ import annotations

import io
import zipfile

import pytest

from engine.errors import FormFileError
from engine.word import read_identity, render_docx


def test_read_identity__from_bytes_and_path(all_types, tmp_path):
    data = render_docx(all_types.template)
    path = tmp_path / "form.docx"
    path.write_bytes(data)
    template = all_types.template
    expected = (template.id, template.version, template.fingerprint)

    assert read_identity(data) == expected
    assert read_identity(path) == expected
    assert read_identity(str(path)) == expected


def test_read_identity__changes_with_the_template(all_types):
    changed = all_types.template.model_copy(update={"version": 3})

    identity = read_identity(render_docx(changed))

    assert identity[1] == 3
    assert identity[2] != all_types.template.fingerprint


def _docx_with_core(core: bytes | None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("word/document.xml", "<w:document/>")
        if core is not None:
            package.writestr("docProps/core.xml", core)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "core",
    [
        None,
        b'<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
        b'metadata/core-properties"/>',
        b'<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
        b'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        b"<dc:identifier>ISBN 978-7-0000-0000-0</dc:identifier></cp:coreProperties>",
    ],
    ids=["no-core-part", "no-identifier", "foreign-identifier"],
)
def test_read_identity__other_documents_are_none(core):
    assert read_identity(_docx_with_core(core)) is None


def test_read_identity__not_a_package_raises():
    with pytest.raises(FormFileError, match="not a readable .docx package"):
        read_identity(b"%PDF-1.7 not a zip")
