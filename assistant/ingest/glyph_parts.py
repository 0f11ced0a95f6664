"""What a TrueType font's composite glyphs say: a Vietnamese letter drawn as its base and its marks.

Fonts that follow the Windows glyph set (Times New Roman and Arial, the typefaces of
administrative documents, Nghị định 30/2020/NĐ-CP Phụ lục I) build most letters with
diacritics as *composite* glyphs: "ũ" is the glyph of "u" with the glyph of a tilde placed
above it, "ề" the glyphs of "e", a circumflex and a grave.  A PDF printed again without its
Unicode map still embeds those outlines (the font subset's 'glyf' table), so a glyph that is
rare in the text — a name's "Vũ", a "kỹ" read as a capital — is read from its drawing: its base
glyph (a letter read surely, or learned from the other composites that share it) and its mark
glyphs, each mark learned from the composites the word-based reading of ``glyph_reading.py``
already read (the tilde is the mark every "ã", "ẽ", "ĩ", "õ" shares).  A letter drawn as one
simple glyph still shows its marks in its shape (``drawn_as``): an outline more than the bare
letter, a reach below the line or above the letter, which rules out the letters it cannot be
("ở" for the "ơ" of "Nơi nhận").  Used by ``pdf_glyphs.py`` and ``glyph_reading.py``.
"""

from __future__ import annotations

import struct
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import combinations

__all__ = ["Outlines", "outlines", "composite_glyphs", "Shape", "drawn_as", "read_composites"]

# composite glyph flags (TrueType 'glyf' table)
_WORDS = 0x0001
_SCALE = 0x0008
_MORE = 0x0020
_XY_SCALE = 0x0040
_TWO_BY_TWO = 0x0080
_MIN_VOTES = 2  # a part is learned from at least two composites: one may be misread
_MIN_SHARE = 0.6  # … and most of the composites holding it agree


def _tables(data: bytes) -> dict[bytes, tuple[int, int]]:
    (count,) = struct.unpack_from(">H", data, 4)
    out = {}
    for i in range(count):
        tag, _, offset, length = struct.unpack_from(">4sIII", data, 12 + 16 * i)
        out[tag] = (offset, length)
    return out


@dataclass(frozen=True)
class Shape:
    """A simple glyph's drawing, as far as reading it needs: its closed outlines and its height."""

    contours: int
    y_min: int
    y_max: int


@dataclass
class Outlines:
    """What a font file's 'glyf' table says of each glyph: its components, or its shape."""

    parts: dict[int, tuple[int, ...]] = field(default_factory=dict)  # composite glyph -> components
    shapes: dict[int, Shape] = field(default_factory=dict)  # simple glyph -> its shape
    em: int = 2048  # the font's units per em


def outlines(data: bytes) -> Outlines:
    """The composite glyphs (components in drawing order) and the simple glyphs' shapes of a
    TrueType font file (empty when the file cannot be read as one)."""
    out = Outlines()
    try:
        tables = _tables(data)
        head, loca, glyf = tables[b"head"], tables[b"loca"], tables[b"glyf"]
        (out.em,) = struct.unpack_from(">H", data, head[0] + 18)
        (long_offsets,) = struct.unpack_from(">h", data, head[0] + 50)
        if long_offsets:
            n = loca[1] // 4
            starts = list(struct.unpack_from(f">{n}I", data, loca[0]))
        else:
            n = loca[1] // 2
            starts = [2 * v for v in struct.unpack_from(f">{n}H", data, loca[0])]
        for gid in range(n - 1):
            if starts[gid + 1] - starts[gid] < 10:
                continue  # an empty glyph
            at = glyf[0] + starts[gid]
            contours, _, y_min, _, y_max = struct.unpack_from(">hhhhh", data, at)
            if contours >= 0:
                out.shapes[gid] = Shape(contours, y_min, y_max)  # a simple glyph: its own outline
                continue
            at += 10
            parts = []
            while True:
                flags, part = struct.unpack_from(">HH", data, at)
                parts.append(part)
                at += 4 + (4 if flags & _WORDS else 2)
                at += 2 if flags & _SCALE else 4 if flags & _XY_SCALE else 8 if flags & _TWO_BY_TWO else 0
                if not flags & _MORE:
                    break
            out.parts[gid] = tuple(parts)
        return out
    except (KeyError, struct.error):
        return Outlines()


def composite_glyphs(data: bytes) -> dict[int, tuple[int, ...]]:
    """Glyph number -> its component glyph numbers, in drawing order, for every composite glyph
    of a TrueType font file ({} when the file cannot be read as one)."""
    return outlines(data).parts


_HORN = "\u031b"  # the horn of ơ, ư joins the letter's outline
_BELOW = "\u0323"  # dot below; every other Vietnamese mark stands above the letter
_MARGIN = 0.06  # of the em: how far a mark stands beyond the bare letter, at the least


def drawn_as(letter: str, glyph: Shape, base_shape: Callable[[str], Shape | None], em: int) -> bool:
    """Can a simple glyph drawn as ``glyph`` be ``letter``, small or capital?  Its marks are drawn
    apart from the bare letter: each mark adds an outline ("ở" is the two of "o" and a hook, where
    "ơ" has two), a dot below reaches below the letter, a mark above rises above it.
    ``base_shape``: the bare letter's glyph in the same font (None when the subset does not draw
    it).  What a case alone says is used only when that case is drawn: a glyph no taller than the
    small letter has no mark above (a capital is taller still), one taller than the capital has one."""
    d = unicodedata.normalize("NFD", letter)
    base, marks = d[0].lower(), d[1:]
    if not base.isascii() or not base.isalpha():
        return True
    small, capital = base_shape(base), base_shape(base.upper())
    drawn = [sh for sh in (small, capital) if sh is not None]
    if not drawn:
        return True
    margin = _MARGIN * em
    below, above = _BELOW in marks, any(m not in (_HORN, _BELOW) for m in marks)
    # the outlines of the bare letter: "a o u y" have as many small as capital; the dot of "i"
    # and "j" is where its mark goes
    bare = [sh.contours - (1 if base in "ij" and sh is small else 0) for sh in drawn]
    if (base in "aouy" or len(drawn) == 2) and glyph.contours < min(bare) + (1 if below or above else 0):
        return False
    if below != (glyph.y_min < min(sh.y_min for sh in drawn) - margin):
        return False
    if base in "ij":
        return True  # the dot already rises where a mark would
    # a mark above rises 20 % of the em and more above a small letter, a horn only 2-6 %; on a
    # capital the horn of "Ư" rises as far as a mark (Times New Roman: 14 %)
    if above and small is not None and glyph.y_max <= small.y_max + 2 * margin:
        return False
    tall = capital is not None and glyph.y_max > capital.y_max + 2 * margin
    return not (tall and not above and _HORN not in marks)


def _splits(letter: str, n_marks: int) -> list[tuple[str, tuple[str, ...]]]:
    """The ways a letter is a base and ``n_marks`` marks: "ở" with one mark is "ơ" + hook;
    with two, "o" + horn + hook.  The base is one character (a letter may carry a mark in itself)."""
    d = unicodedata.normalize("NFD", letter)
    base, marks = d[0], d[1:]
    if len(marks) < n_marks:
        return []
    out = []
    for kept in combinations(range(len(marks)), len(marks) - n_marks):
        b = unicodedata.normalize("NFC", base + "".join(marks[i] for i in kept))
        if len(b) == 1:
            out.append((b, tuple(marks[i] for i in range(len(marks)) if i not in kept)))
    return out


def _base_first(comps: tuple[int, ...], m: dict[int, str], marks: set[int]) -> tuple[int, ...] | None:
    """The components with the base letter first: the one read as a letter (fonts put it first,
    as Times New Roman does, or after its marks, as DejaVu does), else the one that is no known
    mark; None when neither says."""
    for i, c in enumerate(comps):
        if len(m.get(c, "")) == 1 and m[c].isalpha():
            return (c, *comps[:i], *comps[i + 1 :])
    rest = [i for i, c in enumerate(comps) if c not in marks]
    if marks and len(rest) == 1:
        i = rest[0]
        return (comps[i], *comps[:i], *comps[i + 1 :])
    return None


def _learn(parts: dict[int, tuple[int, ...]], m: dict[int, str], fixed: set[int]) -> dict[int, str]:
    """Each component glyph's reading, voted by the composites whose reading holds it: a base
    letter (small, or capital when most of its composites read as capitals) or a combining mark.
    Marks are learned first from the composites whose base reads; they then place the base of
    the others (a dotless "ı" under a tilde)."""
    learned: dict[int, str] = {}
    for _ in range(2):
        marks = {c for c, r in learned.items() if unicodedata.combining(r)}
        learned = _vote(parts, m, fixed, marks)
    return learned


def _vote(
    parts: dict[int, tuple[int, ...]], m: dict[int, str], fixed: set[int], marks: set[int]
) -> dict[int, str]:
    votes: dict[int, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    capitals: Counter[int] = Counter()
    seen: Counter[int] = Counter()
    for gid, drawn in parts.items():
        comps = _base_first(drawn, m, marks)
        letter = m.get(gid, "")
        if comps is None or len(letter) != 1 or not letter.isalpha():
            continue
        splits = _splits(letter.lower(), len(comps) - 1)
        for c in set(comps):
            seen[c] += 1
        capitals[comps[0]] += 1 if letter.isupper() else -1
        for base, marked in splits:
            w = 1.0 / len(splits)
            votes[comps[0]][base] += w
            for c in comps[1:]:
                for mark in set(marked):
                    votes[c][mark] += w
    learned = {}
    for c, vs in votes.items():
        if c in fixed:
            continue
        reading, n = max(vs.items(), key=lambda kv: kv[1])
        if n >= _MIN_VOTES and n / seen[c] >= _MIN_SHARE:
            learned[c] = (
                reading.upper() if capitals[c] > 0 and not unicodedata.combining(reading) else reading
            )
    return learned


def read_composites(parts: dict[int, tuple[int, ...]], m: dict[int, str], fixed: set[int]) -> dict[int, str]:
    """``m`` with every composite glyph re-read as its base and marks, when each part reads and
    they make one letter, and every base glyph learned from its composites re-read as that letter.
    ``fixed``: glyphs read surely otherwise (space to "~" by the standard glyph order)."""
    if not parts:
        return m
    learned = _learn(parts, m, fixed)
    out = dict(m)
    for c, reading in learned.items():
        if c not in parts and not unicodedata.combining(reading) and c in out:
            out[c] = reading  # a base drawn in the text too ("ơ" of "nơi"): what its composites say
    for gid, drawn in parts.items():
        if gid in fixed:
            continue
        comps = _base_first(drawn, m, {c for c, r in learned.items() if unicodedata.combining(r)})
        if comps is None:
            continue
        pieces = [out.get(c) if c in fixed or c not in learned else learned[c] for c in comps]
        base, marks = pieces[0], pieces[1:]
        if not base or len(base) != 1 or not base.isalpha():
            continue
        if not all(p and unicodedata.combining(p) for p in marks):
            continue
        letter = unicodedata.normalize("NFC", base + "".join(p or "" for p in marks))
        if len(letter) == 1:
            out[gid] = letter
    return out
