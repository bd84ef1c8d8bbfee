"""Build the single-face CJK font that PDF form controls embed.

WeasyPrint embeds a font used by a form field whole, because a viewer must draw
whatever a person types later. Debian's Noto CJK is a collection of ten faces
(about 20 MB). Its cmap maps an ideograph and the Kangxi radical that looks the same
(一 U+4E00, ⼀ U+2F00) to one glyph, so a viewer that reads the embedded font's
character map may show or copy the radical. This module cuts one face down to a
chosen coverage, keeps no radicals, and caches the result under the user's cache
folder, keyed by the source font and the coverage, so it is built once per machine.

Coverage (docs/pdf-forms.md): printable ASCII; GB 2312 (levels 1 and 2, 6763
hanzi, with its punctuation, full-width forms, kana, Greek, Cyrillic and box
drawing); CJK symbols and punctuation; full-width forms; NAME_EXTRAS, common name
characters outside GB 2312; and PUNCTUATION_EXTRAS (the name middle dot ·). A character outside the coverage that a person
types later is stored exactly in the field value; only its drawing depends on the
viewer's own fallback font.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import subprocess
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import fontTools
from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

from engine.atomic import write_bytes_atomic
from engine.errors import SystemDependencyError

logger = logging.getLogger(__name__)

FORM_FONT_FAMILY = "Dangan Form CJK"
# Faces tried in order; the Simplified Chinese face of Noto Sans CJK draws the
# mainland forms of characters.
FACE_NAMES = ("Noto Sans CJK SC", "Noto Serif CJK SC", "Source Han Sans SC")
KNOWN_FILES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
)
INSTALL_HINT = (
    "no Chinese font was found; install the Debian package fonts-noto-cjk "
    "(apt-get install fonts-noto-cjk) and render again"
)
# Name characters outside GB 2312 that customer names often use.
NAME_EXTRAS = (
    "喆堃昇玥珺琇瑄旻暐镕赟祎禕犇昳鋆璟曌翀彧珏琤琰瑀瑨瑱璠璘璞"
    "玙琨琮瑢瑭璇钰铖锘镓镛晞暄曦燚焱淼沄泓湉溪滢潆澍濛頔颀"
    "昕昀昊晟晖晔暻朣烨熠煊煦炘炅炀焓焜珅珩珮琛琬琳瑾璐瓒"
    "皓睿祺禛禧禹秭筠篪芃芊芮苡茜荟莛菁萱蓁蕙蕤薇骞鹍麒"
    "堇墉垚埕坤坭奭妍妤姝娅婕婳媛嫣嬛宸寰崧嵘嵩彦"
    "〇々"
)
# Punctuation that Python's GB 2312 codec maps to other code points: the middle dot
# of names such as 阿依古丽·买买提 (U+00B7, where the codec gives U+30FB), the dash
# (U+2014, where it gives U+2015), and curly quotes typed by Western keyboards.
PUNCTUATION_EXTRAS = "·—–‘’“”…•€¥"


@dataclass(frozen=True)
class FontSource:
    """One face of an installed font file: the path and its index in a collection."""

    path: Path
    index: int
    name: str


def coverage_text() -> str:
    """Return every character the form font covers, sorted and without repeats."""
    chars = {chr(code) for code in range(0x20, 0x7F)}
    for high in range(0xA1, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                chars.add(bytes((high, low)).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    chars.update(chr(code) for code in range(0x3000, 0x3040))
    chars.update(chr(code) for code in range(0xFF01, 0xFF5F))
    chars.update(NAME_EXTRAS)
    chars.update(PUNCTUATION_EXTRAS)
    return "".join(sorted(chars))


def _face_names(path: Path) -> list[str]:
    """Return the full name of every face in a font file, in index order."""
    if path.suffix.lower() in (".ttc", ".otc"):
        with TTCollection(str(path), lazy=True) as collection:
            return [face["name"].getDebugName(4) or "" for face in collection.fonts]
    with TTFont(str(path), lazy=True) as font:
        return [font["name"].getDebugName(4) or ""]


def _face_index(path: Path) -> tuple[int, str] | None:
    """Return the index and name of the first wanted face in a font file."""
    names = _face_names(path)
    for wanted in FACE_NAMES:
        if wanted in names:
            return names.index(wanted), wanted
    return None


def _fontconfig_files() -> list[Path]:
    """Return the files fontconfig lists for the wanted faces; empty without it."""
    files = []
    for name in FACE_NAMES:
        try:
            result = subprocess.run(
                ["fc-list", f"{name}:lang=zh-cn", "file"],
                capture_output=True,
                text=True,
                timeout=20,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired):
            return files
        for line in result.stdout.splitlines():
            files.append(Path(line.strip().rstrip(":")))
    return files


def find_cjk_font() -> FontSource:
    """Return the installed face to build the form font from.

    Raises SystemDependencyError, naming the package to install, when none is found.
    """
    candidates = [Path(p) for p in KNOWN_FILES] + _fontconfig_files()
    for path in candidates:
        if not path.is_file():
            continue
        found = _face_index(path)
        if found is not None:
            return FontSource(path, found[0], found[1])
    raise SystemDependencyError(INSTALL_HINT)


def cache_dir() -> Path:
    """Return the folder that keeps built fonts (XDG_CACHE_HOME or ~/.cache)."""
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "dangan"


def _cache_key(source: FontSource, text: str) -> str:
    stat = source.path.stat()
    parts = [
        str(source.path),
        str(source.index),
        str(stat.st_size),
        str(int(stat.st_mtime)),
        fontTools.version,
        text,
    ]
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()[:16]


def _identity_cids(font: TTFont) -> None:
    """Renumber a CID-keyed CFF so that each glyph's CID equals its glyph index.

    A subset keeps the source CIDs, but WeasyPrint and pypdf write glyph indices
    into the PDF, and a viewer maps them back through the CFF charset: without this
    step a viewer draws other glyphs. Tables other than CFF must not be decompiled
    before this runs, so they read their glyph indices with the new names.
    """
    top = font["CFF "].cff.topDictIndex[0]
    old_names = list(top.charset)
    new_names = [".notdef"] + [f"cid{gid:05d}" for gid in range(1, len(old_names))]
    strings = top.CharStrings
    strings.charStrings = {
        new: strings.charStrings[old]
        for old, new in zip(old_names, new_names, strict=True)
    }
    top.charset = new_names
    font.setGlyphOrder(new_names)


def _rename_family(font: TTFont) -> None:
    for record in font["name"].names:
        if record.nameID in (1, 4, 16):
            record.string = FORM_FONT_FAMILY
        elif record.nameID == 6:
            record.string = FORM_FONT_FAMILY.replace(" ", "")


def build_form_font(source: FontSource, text: str) -> bytes:
    """Return an OpenType font of one face of `source`, covering `text`."""
    with TTFont(str(source.path), fontNumber=source.index) as font:
        return _subset(font, text)


def _subset(font: TTFont, text: str) -> bytes:
    """Cut `font` down to `text`, then renumber its CIDs and rename its family."""
    options = subset.Options()
    options.layout_features = []
    options.hinting = False
    options.name_IDs = [1, 2, 3, 4, 5, 6, 16, 17]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=text)
    subsetter.subset(font)
    first = io.BytesIO()
    font.save(first)

    with TTFont(io.BytesIO(first.getvalue())) as cut:
        if "CFF " in cut and hasattr(cut["CFF "].cff.topDictIndex[0], "ROS"):
            _identity_cids(cut)
        _rename_family(cut)
        result = io.BytesIO()
        cut.save(result)
    return result.getvalue()


@cache
def form_font_path() -> Path:
    """Return the path of the cached form font, building it on first use."""
    source = find_cjk_font()
    text = coverage_text()
    path = cache_dir() / f"form-cjk-{_cache_key(source, text)}.otf"
    if path.is_file():
        return path
    logger.info("building the form font from %s face %d", source.path, source.index)
    write_bytes_atomic(path, build_form_font(source, text))
    logger.info("form font cached at %s (%d bytes)", path, path.stat().st_size)
    return path


@cache
def _advances() -> tuple[dict[int, float], float]:
    with TTFont(str(form_font_path())) as font:
        units = font["head"].unitsPerEm
        metrics = font["hmtx"].metrics
        cmap = font.getBestCmap()
        widths = {code: metrics[name][0] / units for code, name in cmap.items()}
    return widths, 1.0


def text_width_em(text: str) -> float:
    """Return the width of `text` in em at the form font; unknown characters are 1 em."""
    widths, default = _advances()
    return sum(widths.get(ord(char), default) for char in text)


# Drawn in place of a character the form font lacks, in a pre-filled appearance only:
# the field value keeps the character itself.
MISSING_MARK = "□"


@cache
def _covered() -> frozenset[str]:
    return frozenset(coverage_text()) | {"\n"}


def drawable(text: str) -> str:
    """Return `text` with each character the form font lacks replaced by MISSING_MARK."""
    covered = _covered()
    return "".join(char if char in covered else MISSING_MARK for char in text)


@cache
def _glyph_ids() -> dict[int, int]:
    with TTFont(str(form_font_path())) as font:
        order = {name: gid for gid, name in enumerate(font.getGlyphOrder())}
        return {code: order[name] for code, name in font.getBestCmap().items()}


def glyph_codes(text: str) -> bytes:
    """Return `text` as two-byte glyph indices of the form font (Identity-H).

    WeasyPrint embeds the form font whole, so these indices hold in the PDF too.
    A character the font lacks becomes MISSING_MARK.
    """
    ids = _glyph_ids()
    missing = ids[ord(MISSING_MARK)]
    return b"".join(ids.get(ord(char), missing).to_bytes(2, "big") for char in text)
