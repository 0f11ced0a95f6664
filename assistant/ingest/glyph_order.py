"""What a TrueType font's glyph numbers say by their order, for fonts drawn without a Unicode map.

Two conventions of how fonts lay out their glyphs, used by ``pdf_glyphs.py`` beside the reading
of words (``glyph_reading.py``), which is weakest on the rare glyphs:

* Apple's standard glyph order (the TrueType 'post' table's 258 names), which Times New Roman
  and Arial follow — Times New Roman being the typeface Nghị định 30/2020/NĐ-CP (Phụ lục I)
  prescribes for administrative documents: glyphs 3-97 are space to "~", and glyphs 98-129
  the accented letters of Mac Roman 0x80-0x9F ("Ä" … "ü": á à â ã é è ê í ì ó ò ô õ ú ù
  among them).  It is a *prior*, not a reading: fonts in Unicode order (Liberation, DejaVu)
  put symbols there, and the words overrule it.
* glyphs of one Unicode block in code point order: a font built from a Unicode-sorted glyph
  list draws "Ạ ạ Ả ả Ấ ấ …" (U+1EA0-U+1EF9, the Vietnamese letters with two marks) as
  consecutive glyph numbers, skipping only the characters it keeps elsewhere.  Between two
  glyphs read as letters of the block whose glyph numbers lie exactly as far apart as their
  code points, every glyph is the letter its place says, capital or small (the block
  alternates them).
"""

from __future__ import annotations

from collections import Counter

__all__ = ["MAC_STANDARD_LETTERS", "in_code_point_order"]

# glyph number -> character, Apple standard order 98-129 (Mac Roman 0x80-0x9F)
MAC_STANDARD_LETTERS: dict[int, str] = dict(
    zip(range(98, 130), "ÄÅÇÉÑÖÜáàâäãåçéèêëíìîïñóòôöõúùûü", strict=True)
)

_BLOCK = range(0x1EA0, 0x1EFA)  # Latin Extended Additional: the Vietnamese letters Ạ … ỹ
_MIN_RUN = 3  # letters agreeing on one offset: two may agree by chance
_MAX_WRONG = 2  # letters read otherwise between two agreeing neighbours: misreadings, not another run


def _code_points(ch: str) -> list[int]:
    """The code points of the block a read letter may stand for: as read first, then its other case."""
    out = []
    for v in (ch, ch.swapcase()):
        if len(v) == 1 and ord(v) in _BLOCK and ord(v) not in out:
            out.append(ord(v))
    return out


def in_code_point_order(m: dict[int, str]) -> tuple[dict[int, str], set[int]]:
    """``m`` with the glyphs inside each run of the Vietnamese block re-read by their place, and
    those glyphs (their case is said by their place too: the block alternates capital and small).

    A run is a glyph offset (glyph number minus code point) that at least ``_MIN_RUN`` read
    letters agree with (either case of a read letter may be the right one: the case is read
    less surely than the letter); between two neighbouring agreeing letters with at most
    ``_MAX_WRONG`` letters read otherwise in between, every glyph is the letter its place says.
    The longest run is trusted first; a glyph is re-read once.
    """
    anchors = {g: cps for g, ch in m.items() if (cps := _code_points(ch))}
    offsets = Counter(g - cp for g, cps in anchors.items() for cp in cps)
    out = dict(m)
    done: set[int] = set()
    for off, n in offsets.most_common():
        if n < _MIN_RUN:
            break
        agree = sorted(g for g, cps in anchors.items() if g - off in cps)
        for g1, g2 in zip(agree, agree[1:], strict=False):
            wrong = sum(1 for g in anchors if g1 < g < g2)
            if wrong > _MAX_WRONG:
                continue
            for g in range(g1, g2 + 1):
                if g in out and g not in done and g - off in _BLOCK:
                    out[g] = chr(g - off)
                    done.add(g)
    return out, done
