"""Open a returned .docx safely: bounded zip parts and XML without entities.

A returned form comes from outside. A zip bomb, an oversized part, or XML with a DTD
(entity expansion, external entities) must end in a clear error, in bounded time and
memory, before any of it is expanded.
"""

from __future__ import annotations

import codecs
import io
import zipfile
import zlib
from pathlib import Path

from lxml import etree

from engine.errors import FormFileError

MAX_PARTS = 2_000
MAX_PART_BYTES = 30 * 1024 * 1024
MAX_TOTAL_BYTES = 100 * 1024 * 1024
# Deflate rarely compresses XML more than about 20:1; a bomb compresses 1000:1.
MAX_RATIO = 200
DOCUMENT_PART = "word/document.xml"

_PARSER = etree.XMLParser(
    resolve_entities=False,
    no_network=True,
    load_dtd=False,
    huge_tree=False,
    remove_blank_text=False,
    # Word's ids are w:id attributes, not xml:id; lxml need not index them.
    collect_ids=False,
)


def _may_hold_controls(data: bytes) -> bool:
    """Return False only for a part in UTF-8 that names neither sdt nor ffData."""
    # UTF-16 or UTF-32 text hides element names from a byte search.
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return True
    if b"\x00" in data[:64]:
        return True
    return b"sdt" in data or b"ffData" in data


class DocxPackage:
    """The parts of a .docx package, read on demand with size limits."""

    def __init__(self, data: bytes, source: Path) -> None:
        self.source = source
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
            infos = self.zip.infolist()
        except (zipfile.BadZipFile, OSError, ValueError) as error:
            raise FormFileError(
                source,
                f"the file starts like a .docx but is not a readable zip package "
                f"({error}); it may have been cut short on the way, so ask for it again",
            ) from None
        self._check_sizes(infos)
        self.names = {info.filename for info in infos}
        if DOCUMENT_PART not in self.names:
            raise FormFileError(
                source,
                "the file is a zip archive but not a Word document (it has no "
                "word/document.xml); ask for the form as a .docx file",
            )

    def _check_sizes(self, infos: list[zipfile.ZipInfo]) -> None:
        if len(infos) > MAX_PARTS:
            raise FormFileError(
                self.source,
                f"the package has {len(infos):,} parts; a form has a few dozen, so it is not read",
            )
        total = 0
        for info in infos:
            total += info.file_size
            ratio = info.file_size / max(info.compress_size, 1)
            if info.file_size > 1_000_000 and ratio > MAX_RATIO:
                raise FormFileError(
                    self.source,
                    f"part {info.filename} expands to {info.file_size:,} bytes "
                    f"(ratio {ratio:.0f}:1); it looks like a zip bomb and is not read",
                )
            if info.file_size > MAX_PART_BYTES:
                raise FormFileError(
                    self.source,
                    f"part {info.filename} is {info.file_size:,} bytes, more than "
                    f"{MAX_PART_BYTES:,}; no part of a form is this big, so it is not read",
                )
        if total > MAX_TOTAL_BYTES:
            raise FormFileError(
                self.source,
                f"the package expands to {total:,} bytes, more than any form; it is not read",
            )

    def read(self, name: str) -> bytes:
        """Return a part's bytes; at most its declared size is read."""
        try:
            with self.zip.open(name) as stream:
                data = stream.read(MAX_PART_BYTES + 1)
        except (
            zipfile.BadZipFile,
            OSError,
            EOFError,
            RuntimeError,
            NotImplementedError,
            zlib.error,
        ) as error:
            raise FormFileError(
                self.source, f"part {name} cannot be read: {error}"
            ) from None
        if len(data) > MAX_PART_BYTES:
            raise FormFileError(
                self.source,
                f"part {name} is larger than its header says; it is not read",
            )
        return data

    def _dtd_error(self, name: str) -> FormFileError:
        return FormFileError(
            self.source,
            f"part {name} declares a DTD or entities, which Word never writes; the "
            "file may be crafted to attack XML readers and is not read",
        )

    def xml(self, name: str, data: bytes | None = None) -> etree._Element:
        """Parse a part (or `data`, its bytes already read) as XML, rejecting any DTD.

        Word never writes a DTD.
        """
        if data is None:
            data = self.read(name)
        if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
            raise self._dtd_error(name)
        try:
            root = etree.fromstring(data, _PARSER)
        except etree.XMLSyntaxError as error:
            raise FormFileError(
                self.source, f"part {name} is not well-formed XML: {error}"
            ) from None
        # A part in UTF-16 hides its DTD from the search above; the parser sees it.
        if root.getroottree().docinfo.doctype:
            raise self._dtd_error(name)
        return root

    def control_roots(self) -> list[etree._Element]:
        """Return the parsed document, header and footer parts that may hold controls.

        A header or footer in UTF-8 whose bytes name neither `sdt` nor `ffData` has
        no control, whatever its namespace prefix, so it is not parsed. Parsing the
        page-number footer of a short form took a tenth of the time of reading it.
        """
        roots = []
        for index, name in enumerate(self.story_parts()):
            data = self.read(name)
            if index and not _may_hold_controls(data):
                if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
                    raise self._dtd_error(name)
                continue
            roots.append(self.xml(name, data))
        return roots

    def story_parts(self) -> list[str]:
        """Return the document, header and footer parts, where controls may sit."""
        stories = [DOCUMENT_PART]
        stories += sorted(
            n
            for n in self.names
            if n.startswith("word/")
            and n.rsplit("/", 1)[-1].startswith(("header", "footer"))
            and n.endswith(".xml")
        )
        return stories
