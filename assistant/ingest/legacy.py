"""Legacy Vietnamese font encodings (TCVN3/ABC, VNI) -> Unicode NFC.

Before Unicode, Vietnamese offices typed in 8-bit fonts: the ABC fonts of TCVN 5712:1993
("TCVN3", font names ``.VnTime``, ``.VnArial``…; the ``…H`` fonts such as ``.VnTimeH`` draw
capitals from the lowercase codes) and the VNI fonts (``VNI-Times``…: a base letter followed
by a mark byte).  A file typed so still carries those bytes: a DOCX stores them as the Latin-1
characters of the same codes ("KÕ ho¹ch" for "Kế hoạch"), a PDF as the font's codes, a text
file as raw bytes.  The tables are data (``assistant/data/legacy_fonts.json``).

The font name says which table applies; without one (a text file) the statistics of the
converted text decide, and text that already reads as Vietnamese is never converted.
"""

from __future__ import annotations

import re
import unicodedata
from enum import Enum
from functools import lru_cache

from ..textnorm import nfc
from ..vocab.data import LEGACY_FONTS_PATH, SYLLABLES_PATH, file_stamp, legacy_font_tables, syllable_counts

__all__ = [
    "LegacyEncoding",
    "legacy_of_font",
    "decode_legacy",
    "code_map",
    "looks_vietnamese",
    "detect_legacy",
]


class LegacyEncoding(Enum):
    TCVN3 = "tcvn3"
    VNI = "vni"


# ABC font names start with ".Vn" (".VnTime", ".VnTimeH", ".VnArial NarrowH"); a PDF subset
# drops the dot and adds a tag ("IEMIUK+VnTime").  VNI fonts are "VNI-Times", "VNI-Helve"…
_TCVN3_FONT = re.compile(r"^(?:[A-Z]{6}\+)?\.?Vn[A-Z]", re.I)
_VNI_FONT = re.compile(r"^(?:[A-Z]{6}\+)?VNI[- _]", re.I)
# an ABC capitals font: the name ends in H (".VnTimeH", ".VnArialH", ".VnTimeH Bold")
_CAPITALS_FONT = re.compile(r"H(?:[-, ]*(?:Bold|Italic|BoldItalic))*$", re.I)


def legacy_of_font(name: str | None) -> tuple[LegacyEncoding, bool] | None:
    """(encoding, capitals font) for a legacy font name, None for any other font."""
    if not name:
        return None
    name = name.strip().lstrip("/")
    if _VNI_FONT.match(name):
        return LegacyEncoding.VNI, False
    if _TCVN3_FONT.match(name):
        base = re.sub(r"^(?:[A-Z]{6}\+)?\.?", "", name)
        return LegacyEncoding.TCVN3, bool(_CAPITALS_FONT.search(base.split(",")[0].split("-")[0]))
    return None


@lru_cache(maxsize=4)
def _tables(stamp: tuple[int, int]) -> dict[str, dict[int, str]]:
    return legacy_font_tables()


def code_map(enc: LegacyEncoding, capitals: bool = False) -> dict[int, str]:
    """Byte code -> Unicode text (a letter, or combining marks for VNI's mark bytes)."""
    table = _tables(file_stamp(LEGACY_FONTS_PATH))[enc.value]
    if capitals:
        return {k: v.upper() for k, v in table.items()}
    return dict(table)


def decode_legacy(text: str, enc: LegacyEncoding, capitals: bool = False) -> str:
    """Convert text whose characters are legacy codes (U+0000-U+00FF) to Unicode NFC.

    Characters above U+00FF were not typed in the legacy font (Word stores a symbol or a
    Unicode run as itself) and are kept.  A capitals font (".VnTimeH") draws every letter as a
    capital, so the whole run is upper-cased.
    """
    table = code_map(enc, capitals)
    out = "".join(table.get(ord(c), c) if ord(c) <= 0xFF else c for c in text)
    out = nfc(out)
    return out.upper() if capitals else out


_VI_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323", "\u0302", "\u0306", "\u031b"}
_TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def _vietnamese_letter(c: str) -> bool:
    d = unicodedata.normalize("NFD", c)
    if d[0].lower() == "đ":
        return len(d) == 1
    return "a" <= d[0].lower() <= "z" and all(m in _VI_MARKS for m in d[1:])


def looks_vietnamese(text: str) -> bool:
    """Text that reads as Vietnamese, not as mojibake.

    Every letter must belong to the Vietnamese alphabet (legacy bytes read as Latin-1 give
    ä, µ, ¸, Õ … instead) and tone marks must be frequent, as they are in any Vietnamese
    sentence.
    """
    letters = [c for c in nfc(text) if c.isalpha()]
    if len(letters) < 20:
        return False
    if sum(not _vietnamese_letter(c) for c in letters) > len(letters) * 0.002:
        return False
    tones = sum(1 for c in unicodedata.normalize("NFD", text) if c in _TONE_MARKS)
    return tones >= len(letters) * 0.05


@lru_cache(maxsize=2)
def _syllables(stamp: tuple[int, int]) -> frozenset[str]:
    return frozenset(syllable_counts())


def _syllable_share(text: str) -> float:
    """The share of words that are syllables of the corpus plans."""
    known = _syllables(file_stamp(SYLLABLES_PATH))
    words = re.findall(r"[^\W\d_]+", text.lower())
    return sum(w in known for w in words) / max(1, len(words))


def detect_legacy(text: str) -> LegacyEncoding | None:
    """The legacy encoding a text (its codes read as Latin-1 characters) was typed in, if any.

    Only text that does not already read as Vietnamese is a candidate (Unicode text is
    never converted), and only a conversion that then reads as Vietnamese is accepted.  Both
    tables turn any high byte into a Vietnamese letter, so when both pass, the one whose
    words are more often real syllables wins ("Keá hoaïch" is VNI: as TCVN3 it reads "Keỏ").
    """
    if looks_vietnamese(text) or not any(0xA0 <= ord(c) <= 0xFF for c in text):
        return None
    passing = [(enc, decode_legacy(text, enc)) for enc in LegacyEncoding]
    scored = [(_syllable_share(out), enc) for enc, out in passing if looks_vietnamese(out)]
    if not scored:
        return None
    share, enc = max(scored, key=lambda x: x[0])
    return enc if share >= 0.3 else None
