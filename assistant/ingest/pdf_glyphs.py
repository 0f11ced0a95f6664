"""Give a PDF's fonts the Unicode map they lack, before pypdf extracts the text.

A PDF says which character each glyph code is through the font's /ToUnicode map.  Two kinds
of Vietnamese PDFs lack a usable one, and pypdf then returns mojibake:

* legacy fonts (TCVN3 ``.VnTime``, VNI ``VNI-Times``): the codes are the legacy table's
  bytes; the font's name says which table (``legacy.py``) maps them.
* fonts re-embedded without /ToUnicode (a PDF printed again through Ghostscript, a "Save as
  PDF" of some drivers): a composite font (Type0, Identity-H) whose codes are glyph numbers,
  or a simple TrueType font with no /Encoding whose codes above ASCII are the writer's own.
  Glyph numbers 3-97 are space to "~" in every TrueType font that follows Apple's standard
  glyph order (the TrueType 'post' table's 258 standard names: all Microsoft core fonts,
  Times New Roman and Arial included); simple fonts keep ASCII codes as ASCII.  The other
  glyphs — the Vietnamese letters — are read as the letters that make the font's words the
  most frequent Vietnamese syllables (counts of the corpus plans, ``syllables.json``):
  a substitution read off the text, as a reader of the printed page would.

A repaired map is kept only when its text reads better than pypdf's own (more words that are
Vietnamese syllables), so a PDF with working fonts is never changed.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from ..vocab.data import SYLLABLES_PATH, file_stamp, syllable_counts, syllable_pairs
from .legacy import code_map, legacy_of_font

__all__ = ["repair_fonts"]

# the lowercase Vietnamese letters outside ASCII: what an unknown glyph can be
_VI_LETTERS = "àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ"
# punctuation of Word documents outside ASCII (curly quotes, dashes, ellipsis, bullet)
_PUNCT = "“”‘’–—…•"
_CANDIDATES = _VI_LETTERS + _PUNCT
_PUNCT_COST = -9.0
_SHAPE_BONUS = 4.0
_PAIR_WEIGHT = 2.0
_PER_LETTER = 4  # a letter's glyphs: lower and capital, in a regular and a bold subset at most
_ASCII_GLYPHS = range(3, 98)  # Apple standard order: glyph 3 is space … glyph 97 is "~"


@dataclass
class _Font:
    obj: object
    two_byte: bool
    runs: list[bytes] = field(default_factory=list)


def _fonts_of(resources) -> dict:
    try:
        fonts = resources.get("/Font") if resources is not None else None
        return dict(fonts.get_object()) if fonts is not None else {}
    except (AttributeError, TypeError):
        return {}


def _collect(reader) -> tuple[dict[int, _Font], list[list[tuple[_Font | None, bytes]]]]:
    """Every font without /ToUnicode (or with a legacy name) and the byte strings drawn in it;
    and each page's strings in the order drawn, with their font (None: a font that reads)."""
    from pypdf.generic import ArrayObject, ContentStream

    found: dict[int, _Font] = {}
    streams: list[list[tuple[_Font | None, bytes]]] = []
    for page in reader.pages:
        fonts = _fonts_of(page.get("/Resources"))
        if not fonts:
            continue
        contents = page.get_contents()
        if contents is None:
            continue
        current: _Font | None = None
        stream: list[tuple[_Font | None, bytes]] = []
        streams.append(stream)
        for operands, op in ContentStream(contents, reader).operations:
            if op == b"Tf" and operands:
                ref = fonts.get(operands[0])
                font = ref.get_object() if ref is not None else None
                current = _candidate(found, ref, font) if font is not None else None
            elif op in (b"Tj", b"'", b'"', b"TJ") and operands:
                arg = operands[-1]
                items = arg if isinstance(arg, ArrayObject) else [arg]
                raw = b"".join(_raw(x) for x in items if not isinstance(x, (int, float)))
                if raw and current is not None:
                    current.runs.append(raw)
                if raw:
                    stream.append((current, raw))
    return found, streams


def _raw(s) -> bytes:
    if isinstance(s, bytes):
        return bytes(s)
    original = getattr(s, "original_bytes", None)
    return bytes(original) if original is not None else str(s).encode("latin-1", "replace")


def _candidate(found: dict[int, _Font], ref, font) -> _Font | None:
    key = id(font) if not hasattr(ref, "idnum") else ref.idnum * 100000 + ref.generation
    if key in found:
        return found[key]
    subtype = font.get("/Subtype")
    legacy = legacy_of_font(str(font.get("/BaseFont", "")))
    if subtype == "/Type0":
        if legacy is None and ("/ToUnicode" in font or str(font.get("/Encoding")) != "/Identity-H"):
            return None
        entry = _Font(font, two_byte=True)
    elif subtype in ("/TrueType", "/Type1"):
        if "/ToUnicode" in font and legacy is None:
            return None
        if legacy is None and "/Encoding" in font:
            return None  # a standard encoding names its characters: pypdf reads it right
        entry = _Font(font, two_byte=False)
    else:
        return None
    found[key] = entry
    return entry


def _codes(font: _Font) -> list[list[int]]:
    if font.two_byte:
        return [[r[i] << 8 | r[i + 1] for i in range(0, len(r) - 1, 2)] for r in font.runs]
    return [list(r) for r in font.runs]


def _base_map(font: _Font, codes: set[int]) -> dict[int, str]:
    """What is known without reading: ASCII glyph numbers or ASCII codes."""
    if font.two_byte:
        return {c: chr(c + 29) for c in codes if c in _ASCII_GLYPHS}
    return {c: chr(c) for c in codes if 32 <= c <= 126}


@lru_cache(maxsize=2)
def _log_freq(stamp: tuple[int, int]) -> tuple[dict[str, float], float]:
    counts = syllable_counts()
    total = sum(counts.values()) + 1
    return {w: math.log(n / total) for w, n in counts.items()}, math.log(0.05 / total)


# the shape of a Vietnamese syllable (onset, at most three vowels, a final consonant), its
# letters without tone; a word of that shape unseen in the corpus counts as a rare syllable
_ONSET = "(?:ngh|ng|nh|ch|gh|gi|kh|ph|th|tr|qu|[bcdđghklmnprstvx])?"
_SHAPE = re.compile(_ONSET + "[aăâeêioôơuưy]{1,3}(?:ch|ng|nh|[cmnpt])?$")
_TONES = "\u0300\u0301\u0303\u0309\u0323"
_STOP_FINAL = re.compile("(?:ch|[cpt])$")


def _shaped(word: str) -> bool:
    """A word spelled as a Vietnamese syllable: one tone at most; after p, t, c, ch only sắc or nặng."""
    d = unicodedata.normalize("NFD", word)
    tones = [ch for ch in d if ch in _TONES]
    bare = unicodedata.normalize("NFC", "".join(ch for ch in d if ch not in _TONES))
    if len(tones) > 1 or not _SHAPE.match(bare):
        return False
    return not (_STOP_FINAL.search(bare) and tones and tones[0] not in "\u0301\u0323")


@lru_cache(maxsize=65536)
def _syllable_score(word: str) -> float:
    table, floor = _log_freq(_STAMP[0])
    if word.isalpha():
        known = table.get(word)
        if known is not None:
            return known
        return floor + _SHAPE_BONUS if _shaped(word) else floor
    # punctuation costs as much as a rare syllable, so that a one-glyph word ("ở", "ý")
    # is not read as a lone quote mark
    marks = sum(1 for ch in word if ch in _PUNCT)
    return marks * _PUNCT_COST + sum(table.get(p, floor) for p in re.split(r"[^\w]+", word) if p)


# the version of syllables.json read by this run of repair_fonts (its cache key), set there
_STAMP: list[tuple[int, int]] = [(0, -1)]

# a code of the font being read (int), or a character another font of the page already gives (str)
Token = int | str


def _char(t: Token, m: dict[int, str]) -> str | None:
    return t if isinstance(t, str) else m.get(t)


def _words(runs: Sequence[Sequence[Token]], known: dict[int, str]) -> Counter[tuple[Token, ...]]:
    """Words as tuples of codes, split at known non-letters (spaces, digits, punctuation)."""
    words: Counter[tuple[Token, ...]] = Counter()
    for run in runs:
        cur: list[Token] = []
        for c in run:
            ch = _char(c, known)
            if ch is not None and not ch.isalpha():
                if cur:
                    words[tuple(cur)] += 1
                cur = []
            else:
                cur.append(c)
        if cur:
            words[tuple(cur)] += 1
    return words


_Word = tuple[Token, ...]
_Context = tuple[_Word | None, _Word, _Word | None]


def _contexts(runs: Sequence[Sequence[Token]], known: dict[int, str]) -> Counter[_Context]:
    """Each word with the words just before and after it (one space apart, else None)."""
    out: Counter[_Context] = Counter()
    for run in runs:
        seq: list[_Word | None] = []  # words, None for a break other than one space
        cur: list[Token] = []
        gap = ""
        for c in [*run, "\n"]:
            ch = _char(c, known)
            if ch is not None and not ch.isalpha():
                if cur:
                    if gap and gap != " ":
                        seq.append(None)
                    seq.append(tuple(cur))
                    cur, gap = [], ""
                gap += ch
            else:
                cur.append(c)
        for i, w in enumerate(seq):
            if w is not None:
                prev = seq[i - 1] if i > 0 else None
                nxt = seq[i + 1] if i + 1 < len(seq) else None
                out[(prev, w, nxt)] += 1
    return out


def _spell(word: _Word | None, m: dict[int, str]) -> str | None:
    if word is None:
        return None
    out = []
    for c in word:
        ch = _char(c, m)
        if ch is None:
            return None
        out.append(ch)
    return unicodedata.normalize("NFC", "".join(out)).lower()


def _pair_score(a: str | None, b: str | None) -> float:
    if a is None or b is None:
        return 0.0
    return _PAIR_WEIGHT * math.log1p(_pairs(_STAMP[0]).get(f"{a} {b}", 0))


@lru_cache(maxsize=2)
def _pairs(stamp: tuple[int, int]) -> dict[str, int]:
    return syllable_pairs()


def _decipher(contexts: Counter[_Context], known: dict[int, str], unknown: set[int]) -> dict[int, str]:
    """Read each unknown code as the letter (or punctuation) whose words score best, most sure first.

    A word scores by how often it is a syllable and how often it stands beside its
    neighbours ("sử dụng", not "sở dụng").  A font draws each letter with a glyph per case
    (and per weight, when its styles are read together), so a letter already read for that
    many codes is not a candidate any more.
    """
    m = dict(known)
    with_code: dict[int, list[_Context]] = defaultdict(list)
    for ctx in contexts:
        for c in {x for w in ctx if w is not None for x in w if isinstance(x, int)}:
            if c in unknown:
                with_code[c].append(ctx)
    taken: Counter[str] = Counter()
    cache: dict[int, tuple[float, str] | None] = {}
    left = set(unknown)

    def judge(c: int) -> tuple[float, str] | None:
        ready = [ctx for ctx in with_code[c] if all(isinstance(x, str) or x in m or x == c for x in ctx[1])]
        if not ready:
            return None
        # each context once: the word's other letters, and its neighbours when they do not hold c
        grouped: Counter[tuple[tuple[str | None, ...], str | None, str | None]] = Counter()
        for ctx in ready:
            parts = tuple(None if x == c else _char(x, m) for x in ctx[1])
            prev = _spell(ctx[0], m) if ctx[0] is not None and c not in ctx[0] else None
            nxt = _spell(ctx[2], m) if ctx[2] is not None and c not in ctx[2] else None
            grouped[(parts, prev, nxt)] += contexts[ctx]
        prepared = [(n, parts, prev, nxt) for (parts, prev, nxt), n in grouped.items()]
        scores = []
        for cand in _CANDIDATES:
            if cand.isalpha() and taken[cand] >= _PER_LETTER:
                continue
            total = 0.0
            for n, parts, prev, nxt in prepared:
                word = unicodedata.normalize("NFC", "".join(cand if p is None else p for p in parts)).lower()
                total += n * (_syllable_score(word) + _pair_score(prev, word) + _pair_score(word, nxt))
            scores.append((total, cand))
        scores.sort(reverse=True)
        return scores[0][0] - scores[1][0], scores[0][1]

    while left:
        for c in left:
            if c not in cache:
                cache[c] = judge(c)
        ready = [(v[0], c, v[1]) for c, v in cache.items() if v is not None and c in left]
        if not ready:
            break  # codes seen only beside other unknown codes: left as they are
        _, code, letter = max(ready)
        m[code] = letter
        left.discard(code)
        taken[letter] += 1
        # the codes that share a word or a neighbour with this one, or hoped for a letter now used up, are judged again
        for ctx in with_code[code]:
            for w in ctx:
                for x in w or ():
                    if isinstance(x, int):
                        cache.pop(x, None)
        if taken[letter] >= _PER_LETTER:
            for x, v in list(cache.items()):
                if v is not None and v[1] == letter:
                    cache.pop(x, None)
    return {c: m[c] for c in unknown if c in m}


def _cased(words: Counter[_Word], m: dict[int, str], resolved: dict[int, str]) -> dict[int, str]:
    """Capital or small: a glyph inside a word's tail of capitals ("TRƯỞNG") is a capital, in a
    tail of small letters ("trưởng", "Trưởng") a small one; a word's first letter says nothing
    (titles capitalise it).  Without evidence, the second glyph read as a letter is its capital."""
    evidence: dict[int, list[int]] = {c: [0, 0] for c in resolved}  # [capital, small]
    for w, n in words.items():
        for i, c in enumerate(w):
            if c not in resolved:
                continue
            tail = [
                ch
                for j, x in enumerate(w)
                if j >= 1 and j != i and x not in resolved and (ch := _char(x, m) or "").isalpha()
            ]
            if tail and all(ch.isupper() for ch in tail):
                evidence[c][0] += n
            elif tail and i > 0 and all(ch.islower() for ch in tail):
                evidence[c][1] += n
    out = {}
    by_letter: dict[str, list[int]] = defaultdict(list)
    for c, ch in resolved.items():
        by_letter[ch].append(c)
    for ch, cs in by_letter.items():
        if not ch.isalpha():
            out.update({c: ch for c in cs})
            continue
        ranked = sorted(cs, key=lambda c: evidence[c][1] - evidence[c][0], reverse=True)
        for k, c in enumerate(ranked):
            cap, small = evidence[c]
            upper = cap > small or (cap == small and k > 0)
            out[c] = ch.upper() if upper else ch
    return out


def _reads_better(words: Counter[_Word], new: dict[int, str], old: dict[int, str]) -> bool:
    """The repaired map makes more of the font's words Vietnamese syllables than pypdf's reading."""
    table, _ = _log_freq(file_stamp(SYLLABLES_PATH))

    def hits(m: dict[int, str]) -> int:
        return sum(n for w, n in words.items() if (_spell(w, m) or "") in table)

    return hits(new) > hits(old)


def _pypdf_reading(font: _Font, codes: set[int]) -> dict[int, str]:
    """What pypdf reads without /ToUnicode: its encoding for a simple font, the code itself for a CID."""
    if not font.two_byte:
        try:
            from pypdf._cmap import get_encoding

            enc = get_encoding(font.obj)[0]  # type: ignore[arg-type]
            if isinstance(enc, dict):
                return {c: enc.get(c, chr(c)) for c in codes}
        except Exception:  # noqa: BLE001 - a private helper of pypdf: fall back to Latin-1
            pass
    return {c: chr(c) for c in codes}


def _codepage(codes: set[int], page: str) -> dict[int, str]:
    return {c: bytes([c]).decode(page, "replace") for c in codes if c < 256}


def _family(font: _Font) -> str:
    """The font family of a subset ("KERPTY+TimesNewRomanPS-BoldMT" -> "TimesNewRoman"): the
    styles of one family share their glyph numbers, so their words are read together."""
    name = re.sub(r"^/?[A-Z]{6}\+", "", str(font.obj.get("/BaseFont", "")))  # type: ignore[attr-defined]
    base = re.split(r"[-,]", name)[0]
    return re.sub(r"(?:PS)?(?:MT)?$", "", base) or name


def _unicode_map(font: _Font) -> dict[int, str]:
    """The font's own /ToUnicode map, code -> text, as pypdf parses it ({} when it has none)."""
    if "/ToUnicode" not in font.obj:  # type: ignore[operator]
        return {}
    try:
        from pypdf._cmap import get_encoding

        parsed = get_encoding(font.obj)[1]  # type: ignore[arg-type]
    except Exception:  # noqa: BLE001 - a private helper of pypdf: without it the font stays as read
        return {}
    return {
        int.from_bytes(k.encode("latin-1"), "big"): v
        for k, v in parsed.items()
        if isinstance(k, str) and isinstance(v, str)
    }


def _legacy_map(font: _Font, codes: set[int]) -> dict[int, str] | None:
    """A font named as a TCVN3 or VNI font: its codes (or the Latin-1 characters its own
    /ToUnicode gives them, as Word writes it) are the legacy table's bytes."""
    legacy = legacy_of_font(str(font.obj.get("/BaseFont", "")))  # type: ignore[attr-defined]
    if legacy is None:
        return None
    enc, capitals = legacy
    table = code_map(enc, capitals)
    own = _unicode_map(font)
    if own:
        return {
            c: "".join(table.get(ord(ch), ch) if ord(ch) <= 0xFF else ch for ch in v) for c, v in own.items()
        }
    if font.two_byte:
        return None  # glyph numbers, not legacy codes: read like any composite font
    return {c: table.get(c, chr(c).upper() if capitals else chr(c)) for c in codes}


def _simple_map(font: _Font, runs: list[list[int]], codes: set[int]) -> dict[int, str] | None:
    """A simple font with no /Encoding: Word writes its codes in the Windows code page of the
    text, Western (1252) or Vietnamese (1258); the one that reads as syllables is taken."""
    best: dict[int, str] | None = None
    best_hits = -1
    table, _ = _log_freq(file_stamp(SYLLABLES_PATH))
    for page in ("cp1252", "cp1258"):
        m = _codepage(codes, page)
        words = _words(runs, m)
        hits = sum(n for w, n in words.items() if (_spell(w, m) or "") in table)
        if hits > best_hits:
            best, best_hits = m, hits
    return best


def _page_tokens(
    streams: list[list[tuple[_Font | None, bytes]]], members: list[_Font], readings: dict[int, dict[int, str]]
) -> list[list[Token]]:
    """Each page's text in drawing order: the family's codes, the characters other fonts give,
    a line break for a font whose text is not ours to read.  Word draws a line's letters of
    Windows-1252 in a simple font and the others in a composite one, so a word's neighbours
    are often in another font."""
    ids = {id(f) for f in members}
    pages: list[list[Token]] = []
    for stream in streams:
        tokens: list[Token] = []
        for font, raw in stream:
            if font is not None and id(font) in ids:
                tokens.extend(raw[i] << 8 | raw[i + 1] for i in range(0, len(raw) - 1, 2))
            elif font is not None and id(font) in readings and not font.two_byte:
                tokens.extend(readings[id(font)].get(b, "\n") for b in raw)
            else:
                tokens.append("\n")
        pages.append(tokens)
    return pages


def _glyph_maps(runs: list[list[Token]]) -> dict[int, str]:
    """Composite fonts of one family: glyph numbers read from all their words at once."""
    codes = {c for r in runs for c in r if isinstance(c, int)}
    known = {c: chr(c + 29) for c in codes if c in _ASCII_GLYPHS}
    resolved = _decipher(_contexts(runs, known), known, codes - set(known))
    m = {**known, **resolved}
    m.update(_cased(_words(runs, m), m, resolved))
    return m


def _maps(
    fonts: list[_Font], streams: list[list[tuple[_Font | None, bytes]]]
) -> list[tuple[_Font, dict[int, str]]]:
    out: list[tuple[_Font, dict[int, str]]] = []
    families: dict[str, list[_Font]] = defaultdict(list)
    readings: dict[int, dict[int, str]] = {}  # what each simple font's codes say, repaired or not
    for font in fonts:
        runs = _codes(font)
        codes = {c for r in runs for c in r}
        if not codes:
            continue
        legacy = _legacy_map(font, codes)
        if legacy is not None:
            out.append((font, legacy))  # the font's name says the table: no reading needed
            readings[id(font)] = legacy
        elif font.two_byte:
            families[_family(font)].append(font)
        else:
            m = _simple_map(font, runs, codes)
            own = _pypdf_reading(font, codes)
            if m is not None and _reads_better(_words(runs, m), m, own):
                out.append((font, m))
                readings[id(font)] = m
            else:
                readings[id(font)] = own
    for members in families.values():
        shared = _glyph_maps(_page_tokens(streams, members, readings))
        for font in members:
            runs = _codes(font)
            codes = {c for r in runs for c in r}
            m = {c: ch for c, ch in shared.items() if c in codes}
            if _reads_better(_words(runs, m), m, _pypdf_reading(font, codes)):
                out.append((font, m))
    return out


def _cmap_stream(mapping: dict[int, str], two_byte: bool):
    from pypdf.generic import DecodedStreamObject

    width = 4 if two_byte else 2
    lines = [f"<{c:0{width}X}> <{''.join(f'{ord(ch):04X}' for ch in s)}>" for c, s in sorted(mapping.items())]
    body = []
    for i in range(0, len(lines), 100):  # a bfchar block holds at most 100 entries
        chunk = lines[i : i + 100]
        body.append(f"{len(chunk)} beginbfchar\n" + "\n".join(chunk) + "\nendbfchar")
    text = (
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
        "/CMapName /Repaired def /CMapType 2 def\n"
        f"1 begincodespacerange <{'0' * width}> <{'F' * width}> endcodespacerange\n"
        + "\n".join(body)
        + "\nendcmap CMapName currentdict /CMap defineresource pop end end\n"
    )
    stream = DecodedStreamObject()
    stream.set_data(text.encode("ascii"))
    return stream


def repair_fonts(reader) -> int:
    """Attach a /ToUnicode map to every font that needs one; returns how many were repaired."""
    from pypdf.generic import NameObject

    repaired = 0
    stamp = file_stamp(SYLLABLES_PATH)
    if stamp != _STAMP[0]:
        _STAMP[0] = stamp
        _syllable_score.cache_clear()
    found, streams = _collect(reader)
    for font, mapping in _maps(list(found.values()), streams):
        font.obj[NameObject("/ToUnicode")] = _cmap_stream(mapping, font.two_byte)  # type: ignore[index]
        repaired += 1
    return repaired
