"""What a TrueType font's composite glyphs say: a Vietnamese letter drawn as its base and its marks.

Fonts that follow the Windows glyph set (Times New Roman and Arial, the typefaces of
administrative documents, Nghị định 30/2020/NĐ-CP Phụ lục I) build most letters with
diacritics as *composite* glyphs: "ũ" is the glyph of "u" with the glyph of a tilde placed
above it, "ề" the glyphs of "e", a circumflex and a grave.  A PDF printed again without its
Unicode map still embeds those outlines (the font subset's 'glyf' table), so a glyph that is
rare in the text — a name's "Vũ", a "kỹ" read as a capital — is read from its drawing: its base
glyph (a letter read surely, or learned from the other composites that share it) and its mark
glyphs, each mark learned from the composites the word-based reading of ``glyph_reading.py``
already read (the tilde is the mark every "ã", "ẽ", "ĩ", "õ" shares).  Used by ``pdf_glyphs.py``.
"""

from __future__ import annotations

import struct
import unicodedata
from collections import Counter, defaultdict
from itertools import combinations

__all__ = ["composite_glyphs", "read_composites"]

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


def composite_glyphs(data: bytes) -> dict[int, tuple[int, ...]]:
    """Glyph number -> its component glyph numbers, in drawing order, for every composite glyph
    of a TrueType font file ({} when the file cannot be read as one)."""
    try:
        tables = _tables(data)
        head, loca, glyf = tables[b"head"], tables[b"loca"], tables[b"glyf"]
        (long_offsets,) = struct.unpack_from(">h", data, head[0] + 50)
        if long_offsets:
            n = loca[1] // 4
            starts = list(struct.unpack_from(f">{n}I", data, loca[0]))
        else:
            n = loca[1] // 2
            starts = [2 * v for v in struct.unpack_from(f">{n}H", data, loca[0])]
        out: dict[int, tuple[int, ...]] = {}
        for gid in range(n - 1):
            if starts[gid + 1] - starts[gid] < 10:
                continue  # an empty glyph
            at = glyf[0] + starts[gid]
            (contours,) = struct.unpack_from(">h", data, at)
            if contours >= 0:
                continue  # a simple glyph: its own outline
            at += 10
            parts = []
            while True:
                flags, part = struct.unpack_from(">HH", data, at)
                parts.append(part)
                at += 4 + (4 if flags & _WORDS else 2)
                at += 2 if flags & _SCALE else 4 if flags & _XY_SCALE else 8 if flags & _TWO_BY_TWO else 0
                if not flags & _MORE:
                    break
            out[gid] = tuple(parts)
        return out
    except (KeyError, struct.error):
        return {}


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
