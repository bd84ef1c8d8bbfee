"""An image that is not a scan of one of our paper forms gets a clear error."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw

from engine.errors import FormFileError
from engine.parse import parse_file
from engine.spec.loader import Catalog
from tests.conftest import INDUSTRIES

# An A4 page at 150 dpi, the lowest resolution the scan reader accepts.
A4_AT_150_DPI = (1240, 1754)


@pytest.mark.parametrize("kind", ["photo", "letter"])
def test_image_without_our_qr_code_is_rejected(tmp_path: Path, kind: str) -> None:
    if kind == "photo":
        pixels = np.random.default_rng(7).integers(0, 256, (*A4_AT_150_DPI[::-1], 3))
        image = Image.fromarray(pixels.astype("uint8"))
    else:
        image = Image.new("L", A4_AT_150_DPI, 255)
        ImageDraw.Draw(image).text((100, 100), "Dear customer, thank you.", fill=0)
    path = tmp_path / f"{kind}.jpg"
    image.save(path, quality=90)

    with pytest.raises(FormFileError) as raised:
        parse_file(path, Catalog.load(INDUSTRIES))

    assert str(raised.value) == (
        f"{path}: page 1 of the scan: no readable dangan QR code: it is damaged, "
        "covered or missing; rescan the page flat, or type this page's values by hand"
    )
