"""Unit names: recognition in text and lists, canonicalisation through data/units.json.

A unit is identified by its canonical name *and* the province of the plan that names
it (Passage.province): "Sở Thông tin và Truyền thông" of Đồng Tháp is not the one of
Đồng Nai.  Aliases that only make sense inside one province ("Báo ĐT", "Đài PTTH
Đồng Nai") are expanded from templates for that province only.

Matching is word-based, case- and tone-placement-insensitive; a word written without
any diacritic also matches accent-insensitively ("so van hoa" finds "Sở Văn hóa"),
while a word with diacritics must match them ("số thông tin" is not "Sở Thông tin").
"""
from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..textnorm import match_key, nfc, normalize_tones

__all__ = [
    "canonical_unit", "unit_aliases", "find_units", "match_unit_in_text", "parse_unit_list",
    "units_after", "units_before", "provinces", "canonical_province", "province_in", "UnitList",
]

DATA = Path(__file__).resolve().parent.parent / "data" / "units.json"

_TOKEN = re.compile(r"[^\W_]+(?:\s*&\s*[^\W_]+)*", re.UNICODE)
_ADMIN = ("thành phố", "huyện", "thị xã", "xã", "phường", "thị trấn", "tỉnh")
# words that may sit between the units of a list without making it "not a unit list"
_CONNECTORS = {"va", "cac", "voi", "cung", "gom", "giao", "dc"}
_LOWER_TAIL = {"tỉnh", "huyện", "thị xã", "thành phố", "xã", "thị trấn"}


@lru_cache(maxsize=4096)
def _fold_char(c: str) -> str:
    d = unicodedata.normalize("NFD", c.lower())
    base = "".join(x for x in d if unicodedata.category(x) != "Mn")
    base = base.replace("đ", "d")
    return base if len(base) == 1 else c.lower()


def _has_marks(word: str) -> bool:
    return any(unicodedata.category(x) == "Mn" for x in unicodedata.normalize("NFD", word)) or "đ" in word.lower()


@dataclass(frozen=True)
class _Tok:
    start: int
    end: int
    raw: str
    fold: str
    key: str       # match_key (accent-sensitive)
    marked: bool   # written with diacritics
    joined: bool = False   # only spaces separate it from the previous token


def _tokens(text: str) -> list[_Tok]:
    out = []
    prev_end = None
    for m in _TOKEN.finditer(text):
        raw = re.sub(r"\s+", "", m.group(0))
        joined = prev_end is not None and not text[prev_end:m.start()].strip()
        out.append(_Tok(m.start(), m.end(), raw, "".join(_fold_char(c) for c in raw),
                        match_key(raw), _has_marks(raw), joined))
        prev_end = m.end()
    return out


@dataclass(frozen=True)
class _Alias:
    toks: tuple[tuple[str, str], ...]   # (fold, key) per word
    canonical: str
    vague: bool = False


@dataclass(frozen=True)
class _Match:
    start: int      # char offsets
    end: int
    t0: int         # token indices [t0, t1)
    t1: int
    canonical: str
    vague: bool


@dataclass(frozen=True)
class UnitList:
    units: tuple[str, ...]
    complete: bool          # every part of the text was a unit (or a connector / vague phrase)
    requested: tuple[str, ...] = ()


@lru_cache(maxsize=1)
def _data() -> dict:
    return json.loads(DATA.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def provinces() -> dict[str, str]:
    """folded alias → canonical province name."""
    out = {}
    for p in _data()["provinces"]:
        for n in (p["name"], *p.get("aliases", [])):
            out[" ".join(t.fold for t in _tokens(nfc(n)))] = p["name"]
    return out


def canonical_province(name: str | None) -> str | None:
    if not name:
        return None
    key = " ".join(t.fold for t in _tokens(nfc(name)))
    key = re.sub(r"^(tinh|thanh pho|tp) ", "", key)
    return provinces().get(key)


def province_in(text: str) -> list[str]:
    """Provinces named in a text after 'tỉnh'/'thành phố', in order of appearance."""
    toks = _tokens(nfc(text))
    found = []
    for i, t in enumerate(toks):
        if t.key not in ("tỉnh", "phố"):
            continue
        for n in (4, 3, 2, 1):
            key = " ".join(x.fold for x in toks[i + 1:i + 1 + n])
            # province names are written capitalised; "tỉnh và huyện" must not match
            if key in provinces() and all(x.raw[:1].isupper() for x in toks[i + 1:i + 1 + n]):
                found.append(provinces()[key])
                break
    return found


def _initials(name: str) -> str:
    return "".join(w[0].upper() for w in name.split() if w[0].isalpha())


def _alias(text: str, canonical: str, vague: bool = False) -> _Alias | None:
    toks = _tokens(nfc(text))
    if not toks:
        return None
    return _Alias(tuple((t.fold, t.key) for t in toks), canonical, vague)


@lru_cache(maxsize=64)
def _index(province: str | None) -> dict[str, tuple[_Alias, ...]]:
    data = _data()
    aliases: list[_Alias] = []
    for u in data["units"]:
        for n in (u["name"], *u.get("aliases", [])):
            aliases.append(_alias(n, u["name"]))
    names = [p["name"] for p in data["provinces"]]
    for tpl in data.get("templates", []):
        for pname in names:
            local = pname == province
            for n in (tpl["name"], *tpl.get("aliases", [])):
                # unqualified or initials-only forms are only safe inside their own province
                if not local and ("{P}" not in n):
                    continue
                aliases.append(_alias(n.replace("{P}", pname).replace("{I}", _initials(pname)),
                                      tpl["name"].replace("{P}", pname)))
    for u in data.get("scoped", {}).get(province or "", []):
        for n in (u["name"], *u.get("aliases", [])):
            aliases.append(_alias(n, u["name"]))
    for v in data.get("vague", []):
        aliases.append(_alias(v, v, vague=True))
    idx: dict[str, list[_Alias]] = {}
    for a in aliases:
        if a is not None:
            idx.setdefault(a.toks[0][0], []).append(a)
    return {k: tuple(sorted(v, key=lambda a: -len(a.toks))) for k, v in idx.items()}


def _word_eq(t: _Tok, alias_word: tuple[str, str]) -> bool:
    return t.key == alias_word[1] if t.marked else t.fold == alias_word[0]


def _match_at(toks: list[_Tok], i: int, idx) -> _Alias | None:
    for a in idx.get(toks[i].fold, ()):
        n = len(a.toks)
        if i + n <= len(toks) and all(_word_eq(toks[i + k], a.toks[k]) for k in range(n)):
            return a
    return None


@lru_cache(maxsize=1024)
def _scan(text: str, province: str | None) -> tuple[tuple[_Tok, ...], tuple[_Match, ...]]:
    """Tokens and known-unit matches of a text (cached: roles ask about the same text often)."""
    text = normalize_tones(nfc(text))
    toks = _tokens(text)
    idx = _index(province)
    out, i = [], 0
    while i < len(toks):
        a = _match_at(toks, i, idx)
        n = _admin_ubnd(toks, i)
        if n and (a is None or n > len(a.toks)):
            # "UBND huyện Cao Lãnh" is a named unit, longer than the generic "UBND huyện"
            name = _tidy(text[toks[i].start:toks[i + n - 1].end])
            m = re.match(r"Ủy ban nhân dân tỉnh (.+)$", name)
            if m and province and canonical_province(m.group(1)) == province:
                name = "Ủy ban nhân dân tỉnh"  # the plan's own province: same unit as "UBND tỉnh"
            out.append(_Match(toks[i].start, toks[i + n - 1].end, i, i + n, name, False))
            i += n
            continue
        if a is None:
            i += 1
            continue
        j = i + len(a.toks)
        out.append(_Match(toks[i].start, toks[j - 1].end, i, j, a.canonical, a.vague))
        i = j
    return tuple(toks), tuple(out)


@lru_cache(maxsize=1)
def _heads() -> tuple[tuple[tuple[str, str], ...], ...]:
    hs = [_alias(h, h) for h in _data()["heads"]]
    return tuple(sorted((h.toks for h in hs if h), key=len, reverse=True))


@lru_cache(maxsize=1)
def _roles() -> tuple[tuple[tuple[str, str], ...], ...]:
    rs = [_alias(r, r) for r in [*_data().get("roles", []), "Chánh", "Đề nghị"]]
    return tuple(sorted((r.toks for r in rs if r), key=len, reverse=True))


def _starts_with(toks: list[_Tok], i: int, seqs) -> int:
    """Length (in tokens) of the first of ``seqs`` that starts at token i, else 0."""
    for s in seqs:
        n = len(s)
        if i + n <= len(toks) and all(_word_eq(toks[i + k], s[k]) for k in range(n)):
            return n
    return 0


def _tidy(name: str) -> str:
    """Canonical spelling of a unit name not found in the data file."""
    s = normalize_tones(nfc(name))
    s = re.sub(r"[–—−]", "-", s)
    s = re.sub(r"\s+", " ", s).strip(" \t,;:.-")
    s = re.sub(r"^(?:UBND|Ubnd)\b", "Ủy ban nhân dân", s)
    s = re.sub(r"\bUBND\b", "Ủy ban nhân dân", s)
    s = re.sub(r"^HĐND\b", "Hội đồng nhân dân", s)
    s = re.sub(r"\s+(?:có\s+)?liên quan$", "", s)
    for tail in sorted(_LOWER_TAIL, key=len, reverse=True):
        if s.lower().endswith(" " + tail) and s[-len(tail):] != tail:
            s = s[: -len(tail)] + tail
            break
    return s[:1].upper() + s[1:] if s else s


def parse_unit_list(text: str, province: str | None = None, *, whole: bool = True) -> UnitList:
    """Units named in a list such as a "Đơn vị chủ trì: …" line, a table cell or a heading.

    Known names (and their aliases) are matched first, longest first, so commas and
    "và" inside names ("Sở Văn hóa, Thể thao và Du lịch") do not split them.  Text
    between known names is split on , ; and "và" and kept when it starts with a
    unit head word ("Phòng", "Trung tâm", …).  ``complete`` says whether nothing but
    units, connectors and vague phrases ("các đơn vị liên quan") was found.
    """
    text = normalize_tones(nfc(text)).strip()
    requested = bool(re.match(r"(?i)^\W*đề\s+nghị\b", text))
    text = re.sub(r"(?i)^\W*đề\s+nghị\s+", "", text)
    if re.match(r"(?i)^người phát ngôn\b", text):
        u = _tidy(text)
        return UnitList((u,), True, (u,) if requested else ())
    toks, matches = _scan(text, province)
    units: list[str] = []
    complete = True
    pos = 0
    pieces: list[tuple[int, int, _Match | None]] = []
    for m in matches:
        if m.start > pos:
            pieces.append((pos, m.start, None))
        pieces.append((m.start, m.end, m))
        pos = m.end
    if pos < len(text):
        pieces.append((pos, len(text), None))
    for start, end, m in pieces:
        if m is not None:
            if not m.vague:
                units.append(m.canonical)
            continue
        for part in re.split(r"[,;]|\s+và\s+|\s+hoặc\s+|\(|\)", text[start:end]):
            ptoks = _tokens(part)
            if not ptoks:
                continue
            skip = _starts_with(ptoks, 0, _roles())
            rest = ptoks[skip:]
            if not rest or all(t.fold in _CONNECTORS for t in rest):
                continue
            if _starts_with(rest, 0, _heads()) and rest[0].raw[:1].isupper():
                units.append(_tidy(part[rest[0].start:]))
            elif whole:
                complete = False
    units = list(dict.fromkeys(u for u in units if u))
    return UnitList(tuple(units), complete and bool(units), tuple(units) if requested else ())


@lru_cache(maxsize=1)
def _admin_words() -> tuple[tuple, tuple]:
    ubnd = (_alias("Ủy ban nhân dân", "").toks, _alias("UBND", "").toks)
    return ubnd, tuple(_alias(a, "").toks for a in sorted(_ADMIN, key=len, reverse=True))


def _admin_ubnd(toks, i: int) -> int:
    """Token length of "UBND/Ủy ban nhân dân <huyện|thành phố|…> <Capitalised Name>" at i."""
    ubnd, admin = _admin_words()
    if toks[i].fold not in ("uy", "ubnd"):
        return 0
    n = _starts_with(toks, i, ubnd)
    if not n:
        return 0
    j = i + n
    k = _starts_with(toks, j, admin)
    if not k:
        return 0
    j += k
    start = j
    # the name: capitalised words, up to the first punctuation ("huyện Cao Lãnh, Sở …")
    while j < len(toks) and toks[j].raw[:1].isupper() and (j == start or toks[j].joined):
        j += 1
    return j - i if j > start else 0


def units_after(text: str, pos: int = 0, province: str | None = None) -> tuple[list[str], int]:
    """Units written one after another from char offset ``pos`` ("X, Y và các đơn vị …").

    Stops at the first word that is neither a unit, a vague phrase nor a connector;
    returns the units and the char offset where the run ended.
    """
    text = normalize_tones(nfc(text))
    toks, matches = _scan(text, province)
    by_tok = {m.t0: m for m in matches}
    units: list[str] = []
    i = next((k for k, t in enumerate(toks) if t.end > pos), len(toks))
    end = pos
    while i < len(toks):
        if i in by_tok:
            m = by_tok[i]
            if not m.vague:
                units.append(m.canonical)
            i, end = m.t1, m.end
            continue
        if toks[i].fold in _CONNECTORS:
            i += 1
            continue
        break
    return list(dict.fromkeys(units)), end


def find_units(text: str, province: str | None = None) -> list[str]:
    """Known units (and "UBND huyện X"-style units) named anywhere in a text, in order."""
    _, matches = _scan(text, province)
    return list(dict.fromkeys(m.canonical for m in matches if not m.vague))


def match_unit_in_text(text: str, province: str | None = None) -> list[str]:
    """Units a free question refers to ("Sở TT&TT", "so van hoa", "Công an huyện").

    Accent-insensitive for words typed without diacritics, alias-aware, and the
    longest alias wins at each position (so "Sở Văn hóa, Thể thao và Du lịch" is one
    unit, not "Sở Văn hóa").  Returned in order of appearance.
    """
    return find_units(text, province)


def canonical_unit(name: str, province: str | None = None) -> str:
    """The canonical name for one unit name as written ("Sở TT&TT" → "Sở Thông tin và Truyền thông")."""
    found = parse_unit_list(name, province)
    if len(found.units) == 1 and found.complete:
        return found.units[0]
    return _tidy(name)


def unit_aliases(province: str | None = None) -> dict[str, list[str]]:
    """canonical name → aliases as written in the data file (templates expanded for ``province``)."""
    data = _data()
    out: dict[str, list[str]] = {}
    for u in data["units"]:
        out.setdefault(u["name"], []).extend(u.get("aliases", []))
    if province:
        for tpl in data.get("templates", []):
            name = tpl["name"].replace("{P}", province)
            out.setdefault(name, []).extend(
                a.replace("{P}", province).replace("{I}", _initials(province)) for a in tpl.get("aliases", []))
        for u in data.get("scoped", {}).get(province, []):
            out.setdefault(u["name"], []).extend(u.get("aliases", []))
    return {k: list(dict.fromkeys(v)) for k, v in out.items()}


def units_before(text: str, pos: int, province: str | None = None) -> list[str]:
    """Units written one after another that end right before char offset ``pos``.

    "Chánh Văn phòng UBND tỉnh, Thủ trưởng các sở, ban, ngành tỉnh … chịu trách nhiệm":
    role words ("Chánh", "Thủ trưởng", "Chủ tịch") and connectors may sit between them.
    """
    text = normalize_tones(nfc(text))
    toks, matches = _scan(text[:pos], province)
    roles = {w for r in _roles() for w, _ in r}
    run: list[_Match] = []
    nxt = len(toks)
    for m in reversed(matches):
        gap = toks[m.t1:nxt]
        if any(t.fold not in _CONNECTORS and t.fold not in roles for t in gap):
            break
        run.append(m)
        nxt = m.t0
    return list(dict.fromkeys(m.canonical for m in reversed(run) if not m.vague))
