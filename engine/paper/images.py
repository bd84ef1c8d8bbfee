"""Turn a scan file (PDF, PNG, JPEG, TIFF; one page or many) into grey page images."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
from PIL import Image, ImageSequence, UnidentifiedImageError

from engine.errors import FormFileError

# Scans held in a PDF are drawn at this resolution; the page is then resampled to
# the reading grid anyway (engine.paper.align.GRID).
PDF_DPI = 200
# A page larger than this many pixels is not a scan of an A4 form (600 dpi is 35 M).
MAX_PIXELS = 60_000_000


def _grey(image: Image.Image) -> np.ndarray:
    if image.mode in ("RGBA", "LA", "P"):
        image = image.convert("RGBA")
        white = Image.new("RGBA", image.size, (255, 255, 255, 255))
        image = Image.alpha_composite(white, image)
    return np.asarray(image.convert("L"), dtype=np.uint8)


def image_pages(data: bytes, source: Path) -> list[np.ndarray]:
    """Return every frame of a PNG, JPEG or TIFF file as a grey image."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            pages = []
            for frame in ImageSequence.Iterator(image):
                if frame.width * frame.height > MAX_PIXELS:
                    raise FormFileError(
                        source,
                        f"a page is {frame.width}x{frame.height} pixels; scan A4 at "
                        "150 to 600 dpi",
                    )
                pages.append(_grey(frame))
    except UnidentifiedImageError:
        raise FormFileError(
            source,
            "the file starts like a PNG, JPEG or TIFF image but cannot be read as "
            "one; it is damaged or truncated, so scan the form again",
        ) from None
    except (OSError, Image.DecompressionBombError) as error:
        raise FormFileError(
            source, f"the image cannot be read ({error}); scan the form again"
        ) from None
    return pages


def pdf_pages(data: bytes, source: Path, dpi: int = PDF_DPI) -> list[np.ndarray]:
    """Return every page of a PDF drawn as a grey image."""
    import pypdfium2

    try:
        document = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError as error:
        raise FormFileError(
            source, f"the PDF is damaged and cannot be drawn ({error})"
        ) from None
    try:
        pages = []
        for page in document:
            pixels = page.render(scale=dpi / 72, grayscale=True).to_numpy()
            if pixels.ndim == 3:
                pixels = pixels[..., :3].mean(axis=2)
            pages.append(np.ascontiguousarray(pixels, dtype=np.uint8))
            page.close()
    finally:
        document.close()
    return pages
