"""Reading a font's unknown glyphs as Vietnamese letters, from the words they make.

A font without a Unicode map still draws words.  Each unknown glyph is read as the Vietnamese
letter (or punctuation mark) that makes its words the most frequent syllables of the corpus
plans and their neighbours the most frequent syllable pairs (``syllables.json``), the glyph
the reading is surest of first — as a reader of the printed page would.  Used by
``pdf_glyphs.py``.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from functools import lru_cache

from ..vocab.data import SYLLABLES_PATH, file_stamp, syllable_counts, syllable_pairs

__all__ = [
    "Token",
    "contexts_of",
    "words_of",
    "decipher",
    "cased",
    "reads_better",
    "syllables_read",
    "use_current_tables",
]

# the lowercase Vietnamese letters outside ASCII: what an unknown glyph can be
_VI_LETTERS = "àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ"
# punctuation of Word documents outside ASCII (curly quotes, dashes, ellipsis, bullet)
_PUNCT = "“”‘’–—…•"
_CANDIDATES = _VI_LETTERS + _PUNCT
_PUNCT_COST = -9.0
_SHAPE_BONUS = 4.0
_PAIR_WEIGHT = 2.0
_PER_LETTER = 4  # a letter's glyphs: lower and capital, in a regular and a bold subset at most
# what a glyph's place in a standard glyph order says (``glyph_order.py``) is worth a few of its
# words: it decides a glyph seen in one or two words, never one the text reads otherwise again and again
_PRIOR_BONUS = 12.0


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


def _decipher(
    contexts: Counter[_Context],
    known: dict[int, str],
    unknown: set[int],
    prior: dict[int, str] | None = None,
    fits: Callable[[int, str], bool] | None = None,
) -> dict[int, str]:
    """Read each unknown code as the letter (or punctuation) whose words score best, most sure first.

    A word scores by how often it is a syllable and how often it stands beside its
    neighbours ("sử dụng", not "sở dụng").  A font draws each letter with a glyph per case
    (and per weight, when its styles are read together), so a letter already read for that
    many codes is not a candidate any more.  ``prior``: the letter a code's place in a standard
    glyph order gives, worth ``_PRIOR_BONUS`` to that candidate.  ``fits``: whether a code's
    drawing can be a letter at all (``glyph_parts.drawn_apart``); a letter it cannot be is no candidate.
    """
    m = dict(known)
    prior = {c: ch.lower() for c, ch in (prior or {}).items()}
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
            if fits is not None and cand.isalpha() and not fits(c, cand):
                continue
            total = 0.0
            for n, parts, prev, nxt in prepared:
                word = unicodedata.normalize("NFC", "".join(cand if p is None else p for p in parts)).lower()
                total += n * (_syllable_score(word) + _pair_score(prev, word) + _pair_score(word, nxt))
            if prior.get(c) == cand:
                total += _PRIOR_BONUS
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


def use_current_tables() -> None:
    """Read syllables.json again if it changed since the last PDF (its scores are cached)."""
    stamp = file_stamp(SYLLABLES_PATH)
    if stamp != _STAMP[0]:
        _STAMP[0] = stamp
        _syllable_score.cache_clear()


def syllables_read(words: Counter[_Word], m: dict[int, str]) -> int:
    """How many of the words are syllables of the corpus plans under the reading m."""
    table, _ = _log_freq(_STAMP[0])
    return sum(n for w, n in words.items() if (_spell(w, m) or "") in table)


words_of = _words
contexts_of = _contexts
decipher = _decipher
cased = _cased
reads_better = _reads_better
