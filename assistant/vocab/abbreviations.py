"""Abbreviations of Vietnamese administrative writing ("UBND", "Sở TT&TT", "KH") and their
long forms, from ``data/abbreviations.json`` (read through ``vocab.data``).

``lexicon()`` compiles the list once per version of the file; ``abbreviation_hits``
finds short and long forms in a text (BM25 emits a concept token for each), and
``expand_abbreviations`` writes the short forms out — the one expansion used by the
question parser, the retriever's dense side and the composers.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from assistant.textnorm import fold, nfc
from assistant.vocab.data import ABBREVIATIONS_PATH, abbreviation_entries, file_stamp, read_bytes
from assistant.vocab.tokens import JOINERS, TOKEN

__all__ = ["Phrase", "Lexicon", "lexicon", "abbreviation_key", "abbreviation_hits", "expand_abbreviations"]

_BREAK = re.compile(r"[.;:!?()\[\]\n]")
# a folded string that could be an ordinary Vietnamese syllable ("ca", "so"): such
# abbreviations only count when written in capitals, or "so sánh" would become "Sở"
_SYLLABLE = re.compile(
    r"^(ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnpqrstvx])?"
    r"[aeiouy]{1,3}(ch|ng|nh|[cmnpt])?$"
)


def abbreviation_key(token: str) -> str:
    """Folded, joiner-free: 'TT&TT' → 'tttt', 'VH,TT&DL' → 'vhttdl'."""
    return JOINERS.sub("", fold(token))


@dataclass(frozen=True)
class Phrase:
    keys: tuple[str, ...]
    entry: int
    is_short: bool
    caps_only: bool


@dataclass(frozen=True)
class Lexicon:
    concepts: tuple[str, ...]  # entry → concept token
    longs: tuple[str, ...]  # entry → long form text
    shorts: tuple[tuple[str, ...], ...]  # entry → folded short keys
    by_first: dict[str, tuple[Phrase, ...]]  # first key → candidate phrases, longest first
    digest: str
    written: frozenset[str] = frozenset()  # short forms exactly as the data file writes them


def lexicon(path: Path | None = None) -> Lexicon:
    """The compiled abbreviation list (keyed on the file's mtime/size: a changed file is re-read)."""
    p = path or ABBREVIATIONS_PATH
    return _compile(str(p), file_stamp(p))


@lru_cache(maxsize=8)
def _compile(path: str, stamp: tuple[int, int]) -> Lexicon:
    p = Path(path)
    raw = read_bytes(p)
    entries = abbreviation_entries(p) if raw else []
    concepts: list[str] = []
    longs: list[str] = []
    shorts: list[tuple[str, ...]] = []
    phrases: list[Phrase] = []
    written: set[str] = set()
    for e in entries:
        long_forms = e.get("long") or []
        long_forms = [long_forms] if isinstance(long_forms, str) else list(long_forms)
        short_forms = e.get("short") or []
        short_forms = [short_forms] if isinstance(short_forms, str) else list(short_forms)
        if not long_forms:
            continue
        long_keys = [tuple(abbreviation_key(t) for t in TOKEN.findall(nfc(lf))) for lf in long_forms]
        concepts.append("≡" + "_".join(long_keys[0]))
        longs.append(long_forms[0])
        skeys = []
        for s in short_forms:
            written.add(nfc(s))
            ks = tuple(abbreviation_key(t) for t in TOKEN.findall(nfc(s)))
            if not ks or not all(ks):
                continue
            if len(ks) == 1:  # multi-word shorts ("TT và TT") are matched, not emitted
                skeys.append(ks[0])
            caps = len(ks) == 1 and bool(_SYLLABLE.match(ks[0]))
            phrases.append(Phrase(ks, len(concepts) - 1, True, caps))
        shorts.append(tuple(dict.fromkeys(skeys)))
        phrases += [Phrase(k, len(concepts) - 1, False, False) for k in long_keys if k]
    by_first: dict[str, list[Phrase]] = {}
    for ph in phrases:
        by_first.setdefault(ph.keys[0], []).append(ph)
    frozen = {k: tuple(sorted(v, key=lambda ph: -len(ph.keys))) for k, v in by_first.items()}
    return Lexicon(
        tuple(concepts),
        tuple(longs),
        tuple(shorts),
        frozen,
        hashlib.sha256(raw).hexdigest()[:12] if raw else "none",
        frozenset(written),
    )


def _in_number(text: str, start: int, end: int) -> bool:
    """True for the parts of a document number ("183/KH-UBND", "57-KL/TW"): not names."""
    return (start > 0 and text[start - 1] in "/-") or (end < len(text) and text[end] in "/-")


def abbreviation_hits(
    text: str, matches: list[re.Match[str]], lex: Lexicon
) -> Iterator[tuple[int, int, Phrase]]:
    """(first token, token count, phrase) of every abbreviation or long form in the text."""
    words = [m.group(0) for m in matches]
    keys = [abbreviation_key(w) for w in words]
    # a phrase may span commas ("Văn hóa, Thể thao và Du lịch") but not a sentence or bracket
    breaks = [False] + [
        bool(_BREAK.search(text[matches[i - 1].end() : matches[i].start()])) for i in range(1, len(matches))
    ]
    i = 0
    while i < len(words):
        hit = None
        for ph in lex.by_first.get(keys[i], ()):
            n = len(ph.keys)
            if tuple(keys[i : i + n]) != ph.keys:
                continue
            if ph.caps_only and not words[i].isupper():
                continue
            if n > 1 and any(breaks[i + 1 : i + n]):
                continue
            if ph.is_short and _in_number(text, matches[i].start(), matches[i + n - 1].end()):
                continue
            hit = ph
            break
        if hit is None:
            i += 1
            continue
        yield i, len(hit.keys), hit
        i += len(hit.keys)


def expand_abbreviations(
    text: str, *, min_chars: int = 0, as_written: bool = False, abbreviations: Path | None = None
) -> str:
    """The text with every known abbreviation written out ("Sở TT&TT" → "Sở Thông tin và Truyền thông").

    Plans mostly write names in full, so the dense side embeds questions this way.
    ``min_chars``: shorter one-word forms are left as written — the question parser keeps
    "KH 183" and "TU" as they are, since there they are part of a plan's number.
    ``as_written``: only forms written exactly as listed (case included): in a question,
    "bchqs huyện" is left to the unit matcher, which knows a district's BCHQS is a Ban.
    """
    text = nfc(text or "")
    lex = lexicon(abbreviations)
    matches = list(TOKEN.finditer(text))
    if not lex.by_first or not matches:
        return text
    out, last = [], 0
    for i, n, hit in abbreviation_hits(text, matches, lex):
        if not hit.is_short:
            continue
        if n == 1 and len(matches[i].group(0)) < min_chars:
            continue
        if as_written and text[matches[i].start() : matches[i + n - 1].end()] not in lex.written:
            continue
        out += [text[last : matches[i].start()], lex.longs[hit.entry]]
        last = matches[i + n - 1].end()
    return "".join(out) + text[last:]
