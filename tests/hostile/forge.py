"""Build broken and hostile form files, byte by byte.

The small ones are kept in tests/fixtures/hostile/ (rewrite them with
`python -m tests.hostile.forge`); the big ones are built at test time. Every file
claims to be a form of the `hostile-form` template in tests/fixtures/hostile/catalog/.
"""

from __future__ import annotations

import io
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

HOSTILE = Path(__file__).resolve().parent.parent / "fixtures" / "hostile"
CATALOG = HOSTILE / "catalog"
TEMPLATE_ID = "hostile-form"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
# A made-up ID number and mobile number, as a customer would type them.
ID_NUMBER = "11010519491231002X"
MOBILE = "13900012345"

# -- Word ---------------------------------------------------------------------


def _core(identifier: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        "<cp:coreProperties"
        ' xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"'
        ' xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"<dc:identifier>{identifier}</dc:identifier></cp:coreProperties>"
    )


def _control(tag: str, text: str) -> str:
    return (
        f"<w:sdt><w:sdtPr><w:tag w:val='{tag}'/></w:sdtPr>"
        f"<w:sdtContent><w:r><w:t>{text}</w:t></w:r></w:sdtContent></w:sdt>"
    )


def document_xml(values: dict[str, str] | None = None, prolog: str = "") -> str:
    """Return a document part with one text control per value."""
    values = values if values is not None else {"basic.name": "张三"}
    controls = "".join(_control(tag, text) for tag, text in values.items())
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>{prolog}'
        f'<w:document xmlns:w="{W}"><w:body><w:p>{controls}</w:p></w:body></w:document>'
    )


def docx(
    document: str | bytes | None = None,
    template_id: str = TEMPLATE_ID,
    version: int = 1,
    extra: dict[str, bytes] | None = None,
) -> bytes:
    """Return a small .docx form; `document` replaces word/document.xml."""
    body = document_xml() if document is None else document
    parts: dict[str, bytes] = {
        "[Content_Types].xml": b'<?xml version="1.0"?><Types/>',
        "word/document.xml": body.encode() if isinstance(body, str) else body,
        "docProps/core.xml": _core(
            f"dangan-form:{template_id}:v{version}:0000000000000000"
        ).encode(),
        **(extra or {}),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in parts.items():
            info = zipfile.ZipInfo(name, date_time=(2024, 3, 7, 0, 0, 0))
            package.writestr(info, data, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def filled_docx(name: str, birthday: str = "1990-03-07") -> bytes:
    """Return a form with every field of `hostile-form` filled in."""
    values = {
        "basic.name": name,
        "basic.mobile": MOBILE,
        "basic.id_no": ID_NUMBER,
        "basic.birthday": birthday,
    }
    return docx(document_xml(values))


def billion_laughs() -> bytes:
    entities = '<!ENTITY l0 "ha">' + "".join(
        f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10)
    )
    prolog = f"<!DOCTYPE w:document [{entities}]>"
    return docx(document_xml({"basic.name": "&l9;"}, prolog))


def external_entity() -> bytes:
    prolog = '<!DOCTYPE w:document [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
    return docx(document_xml({"basic.name": "&secret;"}, prolog))


def doctype_late() -> bytes:
    """A DTD after a long comment, past where a quick look at the start would see it."""
    prolog = (
        "<!--"
        + " " * 8000
        + '--><!DOCTYPE w:document SYSTEM "http://127.0.0.1:9/x.dtd">'
    )
    return docx(document_xml(prolog=prolog))


def utf16_entities() -> bytes:
    """Entities in a part encoded as UTF-16, where a search for ASCII bytes fails."""
    prolog = '<!DOCTYPE w:document [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;">]>'
    text = document_xml({"basic.name": "&b;"}, prolog)
    text = text.replace('encoding="UTF-8"', 'encoding="UTF-16"')
    return docx(text.encode("utf-16"))


def zip_bomb(size: int = 2_000_000) -> bytes:
    """A document part of `size` spaces: deflate packs it about 1000:1."""
    return docx(document_xml().replace("<w:body>", "<w:body>" + " " * size))


def not_a_docx_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr(
            zipfile.ZipInfo("photo.txt", date_time=(2024, 3, 7, 0, 0, 0)), "照片"
        )
    return buffer.getvalue()


def broken_zip() -> bytes:
    """Starts like a zip, then is cut: a .docx lost halfway through an email."""
    return docx()[:300]


def malformed_xml() -> bytes:
    return docx(document_xml().replace("</w:body>", ""))


# -- PDF ----------------------------------------------------------------------


def raw_pdf(objects: list[bytes], trailer: bytes = b"/Root 1 0 R") -> bytes:
    """Return a PDF of `objects` (object 1 first) with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    start = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d %s >>\n" % (len(objects) + 1, trailer)
    out += b"startxref\n%d\n%%%%EOF\n" % start
    return bytes(out)


def _identity(template_id: str = TEMPLATE_ID, version: int = 1) -> bytes:
    return b"<< /DanganTemplate (%s) /DanganVersion (%d) /Producer (forge) >>" % (
        template_id.encode(),
        version,
    )


def _text_field(name: str, value: str, extra: bytes = b"") -> bytes:
    return (
        b"<< /FT /Tx /T (%s) /V (%s) /Type /Annot /Subtype /Widget "
        b"/Rect [0 0 100 20] /P 3 0 R %s >>" % (name.encode(), value.encode(), extra)
    )


def pdf(
    template_id: str = TEMPLATE_ID,
    version: int = 1,
    catalog_extra: bytes = b"",
    field_extra: bytes = b"",
    more: list[bytes] | None = None,
) -> bytes:
    """Return a small PDF form: catalog 1, pages 2, page 3, info 4, field 5."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [5 0 R] >> %s >>"
        % catalog_extra,
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Annots [5 0 R] >>",
        _identity(template_id, version),
        _text_field("basic/name", "Zhang San", field_extra),
        *(more or []),
    ]
    return raw_pdf(objects, b"/Root 1 0 R /Info 4 0 R")


def pdf_with_kids(kids: list[bytes]) -> bytes:
    """A form whose field 5 has the given objects (6, 7, ...) as its tree below."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [5 0 R] >> >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
        _identity(),
        b"<< /T (basic) /Kids [6 0 R] >>",
        *kids,
    ]
    return raw_pdf(objects, b"/Root 1 0 R /Info 4 0 R")


def cyclic_kids() -> bytes:
    """Field 6 lists 5 as its kid, and 5 lists 6: a loop."""
    return pdf_with_kids([b"<< /T (name) /Kids [5 0 R] /Parent 5 0 R >>"])


def deep_kids(depth: int = 500) -> bytes:
    """A chain of `depth` fields, each the only kid of the one before."""
    kids = [b"<< /T (k%d) /Kids [%d 0 R] >>" % (i, i + 7) for i in range(depth - 1)]
    kids.append(b"<< /T (end) /FT /Tx /V (x) >>")
    return pdf_with_kids(kids)


def deep_array(depth: int = 5000) -> bytes:
    """An info value nested `depth` arrays deep: recursive readers overflow."""
    nested = b"[" * depth + b"]" * depth
    info = b"<< /DanganTemplate (hostile-form) /DanganVersion (1) /Junk %s >>" % nested
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [5 0 R] >> >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
        info,
        _text_field("basic/name", "Zhang San"),
    ]
    return raw_pdf(objects, b"/Root 1 0 R /Info 4 0 R")


def javascript() -> bytes:
    """JavaScript on open, in the name tree and on a field: it must never run."""
    script = b"<< /S /JavaScript /JS (app.alert('pwned')) >>"
    return pdf(
        catalog_extra=b"/OpenAction 6 0 R /Names << /JavaScript 7 0 R >>",
        field_extra=b"/AA << /K 6 0 R /F 6 0 R >>",
        more=[script, b"<< /Names [(a) 6 0 R] >>"],
    )


def encrypted() -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf())))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def truncated() -> bytes:
    data = pdf()
    return data[: len(data) // 2]


def not_pdf() -> bytes:
    return b"<html><body>%PDF is mentioned only after the first kilobyte</body></html>"


# -- everything else ------------------------------------------------------------

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06"
    b"\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01"
    b"\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"

# File name -> how to build it. Each has its expected error in expected.json.
SMALL: dict[str, Callable[[], bytes]] = {
    "empty.docx": lambda: b"",
    "scan.png": lambda: PNG,
    "scan.jpg": lambda: JPEG,
    "scan-renamed.pdf": lambda: JPEG,
    "text-renamed.docx": lambda: "客户档案：张三".encode(),
    "html-renamed.pdf": not_pdf,
    "broken-zip.docx": broken_zip,
    "photos-zip.docx": not_a_docx_zip,
    "zip-bomb.docx": zip_bomb,
    "billion-laughs.docx": billion_laughs,
    "external-entity.docx": external_entity,
    "late-doctype.docx": doctype_late,
    "utf16-entities.docx": utf16_entities,
    "malformed-xml.docx": malformed_xml,
    "other-template.docx": lambda: docx(template_id="dental-patient"),
    "newer-version.docx": lambda: docx(version=7),
    "other-template.pdf": lambda: pdf(template_id="dental-patient"),
    "newer-version.pdf": lambda: pdf(version=7),
    "truncated.pdf": truncated,
    "encrypted.pdf": encrypted,
    "cyclic-kids.pdf": cyclic_kids,
    "deep-kids.pdf": deep_kids,
    "deep-array.pdf": deep_array,
}
# Files that are read without error; the test checks what the record says instead.
READABLE: dict[str, Callable[[], bytes]] = {
    "javascript.pdf": javascript,
    "minimal.docx": docx,
    "minimal.pdf": pdf,
}


def write_fixtures(folder: Path = HOSTILE) -> None:
    """Write every small fixture; the expected errors are kept by hand."""
    for name, build in {**SMALL, **READABLE}.items():
        (folder / name).write_bytes(build())


if __name__ == "__main__":
    write_fixtures(Path(sys.argv[1]) if len(sys.argv) > 1 else HOSTILE)
