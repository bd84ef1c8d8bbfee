"""Tell a scanned form from a fillable one by its first bytes and PDF structure.

A PNG, JPEG or TIFF file is a scan. A PDF is a scan when it carries our paper
identity (a blank or pre-filled paper form read back as it is), or when it has no
form fields, no dangan identity and its pages hold images, as a scanner's PDF does.
This module imports neither NumPy, OpenCV nor the OCR model, so that reading Word
and fillable PDF forms never loads them. NumPy alone made every .docx read about
30 % slower: its BLAS library starts threads at import, and glibc's allocator takes
a slower path in a process with threads.
"""

from __future__ import annotations

import io
import logging

from pypdf import PdfReader
from pypdf.errors import PdfReadError

logger = logging.getLogger(__name__)

PAPER_KEY = "/DanganPaper"
IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")
FORM_IDENTITY_KEY = "/DanganTemplate"


# Exceptions pypdf raises, even with strict=False, on a damaged file.
_READ_ERRORS = (
    PdfReadError,
    ValueError,
    KeyError,
    TypeError,
    AttributeError,
    RecursionError,
    OSError,
)


def is_image(data: bytes) -> bool:
    """Return whether the bytes start like a PNG, JPEG or TIFF file."""
    return data.startswith(IMAGE_MAGIC)


def _has_images(reader: PdfReader) -> bool:
    for page in reader.pages:
        resources = page.get("/Resources")
        resources = resources.get_object() if resources is not None else {}
        objects = resources.get("/XObject")
        objects = objects.get_object() if objects is not None else {}
        for ref in objects.values():
            if ref.get_object().get("/Subtype") == "/Image":
                return True
    return False


def is_scan(data: bytes) -> bool:
    """Return whether a file should be read as a scanned paper form."""
    if is_image(data):
        return True
    if b"%PDF-" not in data[:1024]:
        return False
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            return False
    except _READ_ERRORS:
        return False
    return is_scanned_pdf(reader)


def is_scanned_pdf(reader: PdfReader) -> bool:
    """Return whether an opened PDF is a scan: our paper form, or images and no fields."""
    try:
        info = reader.trailer.get("/Info")
        info = info.get_object() if info is not None else {}
        if PAPER_KEY in info:
            return True
        if "/AcroForm" in reader.trailer["/Root"] or FORM_IDENTITY_KEY in info:
            return False
        return _has_images(reader)
    except _READ_ERRORS:
        # The fillable-PDF reader names what is wrong with a damaged file.
        return False
