"""Unit names: recognition in text and lists, canonicalisation.

The vocabulary (names, aliases, head words, role words, provinces) is
``assistant.vocab.units``; this module reads units in running text and lists.
A unit is identified by its canonical name *and* the province of the plan that names
it (Passage.province): "Sở Thông tin và Truyền thông" of Đồng Tháp is not the one of
Đồng Nai.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..textnorm import fold, nfc, normalize_tones
from ..vocab.units import CONNECTORS as _CONNECTORS
from ..vocab.units import LOWER_TAIL as _LOWER_TAIL
from ..vocab.units import MAX_NAME as _MAX_NAME
from ..vocab.units import NAME_STOP_WORDS as _STOP_WORDS
from ..vocab.units import SCOPE_WORDS as _SCOPE_WORDS
from ..vocab.units import SECTORS as _SECTORS
from ..vocab.units import Alias as _Alias
from ..vocab.units import Tok as _Tok
from ..vocab.units import admin_words as _admin_words
from ..vocab.units import alias_index as _index
from ..vocab.units import canonical_province, province_in, provinces, unit_aliases
from ..vocab.units import councils as _councils
from ..vocab.units import heads as _heads
from ..vocab.units import name_tokens as _tokens
from ..vocab.units import roles as _roles
from ..vocab.units import scopes as _scopes
from ..vocab.units import starts_with as _starts_with
from ..vocab.units import verbs as _verbs
from ..vocab.units import word_eq as _word_eq

__all__ = [
    "canonical_unit",
    "unit_aliases",
    "find_units",
    "match_unit_in_text",
    "parse_unit_list",
    "units_after",
    "units_before",
    "provinces",
    "canonical_province",
    "province_in",
    "UnitList",
]


@dataclass(frozen=True)
class _Match:
    start: int  # char offsets
    end: int
    t0: int  # token indices [t0, t1)
    t1: int
    canonical: str
    vague: bool


@dataclass(frozen=True)
class UnitList:
    units: tuple[str, ...]
    complete: bool  # every part of the text was a unit (or a connector / vague phrase)
    requested: tuple[str, ...] = ()
    # "X chủ trì, phối hợp (với) Y", "X chủ trì; Y phối hợp": Y coordinates, it is not in ``units``
    partners: tuple[str, ...] = ()


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
        g = _generic_unit(text, toks, i)
        if n and (a is None or n > len(a.toks)) and n >= g:
            # "UBND huyện Cao Lãnh" is a named unit, longer than the generic "UBND huyện"
            out.append(
                _Match(
                    toks[i].start,
                    toks[i + n - 1].end,
                    i,
                    i + n,
                    _named_ubnd(text[toks[i].start : toks[i + n - 1].end], province),
                    False,
                )
            )
            i += n
            continue
        if g and (a is None or g > len(a.toks) and _adds_name(toks, i + len(a.toks), i + g)):
            # an alias only counts as a whole name: "Sở Nông nghiệp" inside "Sở Nông nghiệp và Môi
            # trường" is a different (newer) body, while "Sở Y tế tỉnh Đồng Tháp" is still "Sở Y tế"
            name = _generic_name(text, toks, i, g, a, province)
            out.append(_Match(toks[i].start, toks[i + g - 1].end, i, i + g, name, False))
            i += g
            continue
        if a is None:
            i += 1
            continue
        j = i + len(a.toks)
        out.append(_Match(toks[i].start, toks[j - 1].end, i, j, a.canonical, a.vague))
        i = j
    return tuple(toks), tuple(_local_kinds(text, toks, out))


def _local_kinds(text: str, toks, matches: list[_Match]) -> list[_Match]:
    """ "UBND các xã, phường, đặc khu" in running text: one unit named over its kinds of commune.

    A match ending in a kind of local unit takes the bare kinds that follow it after a comma; a
    kind followed by a capitalised name ("phường An Hòa") is a unit of its own and stops it.
    """
    out: list[_Match] = []
    skip_to = -1
    for m in matches:
        if m.t0 < skip_to:
            continue
        if m.vague or not any(fold(m.canonical).endswith(" " + k) for k in _LOCAL_KINDS):
            out.append(m)
            continue
        k, name, end = m.t1, m.canonical, m.end
        while k < len(toks) and text[toks[k - 1].end : toks[k].start].strip() == ",":
            n = 2 if k + 1 < len(toks) and f"{toks[k].fold} {toks[k + 1].fold}" == "dac khu" else 0
            n = n or (_scope_at(toks, k) if toks[k].fold in _LOCAL_KINDS else 0)
            if not n or (
                k + n < len(toks)
                and _caps(toks[k + n])
                and text[toks[k + n - 1].end : toks[k + n].start] == " "
            ):
                break
            name, end = f"{name}, {text[toks[k].start : toks[k + n - 1].end]}", toks[k + n - 1].end
            k += n
        out.append(_Match(m.start, end, m.t0, k, name, m.vague))
        skip_to = k
    return out


def _adds_name(toks, j: int, k: int) -> bool:
    """Whether tokens [j, k) after an alias make a longer name: a capitalised word or a scope word.
    Lower-case words only ("Đài PTTH Đồng Tháp sản xuất …") are the sentence going on."""
    return any(_caps(toks[x]) or _scope_at(toks, x) for x in range(j, k))


def _named_ubnd(name: str, province: str | None) -> str:
    name = _tidy(name)
    m = re.match(r"Ủy ban nhân dân tỉnh (.+)$", name)
    if m and province and canonical_province(m.group(1)) == province:
        return "Ủy ban nhân dân tỉnh"  # the plan's own province: same unit as "UBND tỉnh"
    return name


def _generic_name(text: str, toks, i: int, g: int, a: _Alias | None, province: str | None) -> str:
    """Name of a generic match of g tokens at i; ``a`` is the (shorter) alias that starts there."""
    if a is not None and not a.vague:
        rest = toks[i + len(a.toks) : i + g]
        s = _scope_at(rest, 0)
        place = rest[s:]
        if s:
            return (
                a.canonical
            )  # "Sở Y tế tỉnh", "Công an huyện Lấp Vò": the scope word makes the rest a place
        if place:
            # "Sở Nông nghiệp| và Môi trường", "Phòng Văn hóa| - Xã hội": a connector carries the name
            # on (a newer, different body); capitalised words straight after it name the place
            # ("Phòng TC-KH Lấp Vò", "Sở Y tế Đồng Tháp", "Sở Tài chính ĐT")
            between = (
                text[toks[i + len(a.toks) - 1].end : place[0].start] + text[place[0].start : place[0].end]
            )
            words = fold(text[place[0].start : place[-1].end]).split()
            # ... unless they name a field of work: "Trung tâm Xúc tiến| Du lịch" is another body
            sector = any(" ".join(words[k : k + 2]) in _SECTORS for k in range(min(len(words), 3)))
            if not sector and not re.match(r"\s*(?:[-–,&/]|và\b|\(|và$)", between, flags=re.I):
                return a.canonical
    return _tidy(text[toks[i].start : toks[i + g - 1].end])


def _scope_at(toks, j: int) -> int:
    """Length of a scope word (tỉnh, huyện, thị xã …) at j; "xã hội" is not the scope "xã"."""
    n = _starts_with(toks, j, _scopes())
    if (
        n == 1
        and toks[j].key == "xã"
        and j + 1 < len(toks)
        and toks[j + 1].key == "hội"
        and toks[j + 1].joined
    ):
        return 0
    return n


def _caps(t: _Tok) -> bool:
    return t.raw[:1].isupper()


def _shouting(t: _Tok) -> bool:
    return len(t.raw) > 1 and t.raw.isupper()


def _place(toks, j: int, limit: int = 4) -> int:
    """Capitalised words of a place name right after a scope word ("huyện Cao Lãnh"), up to punctuation."""
    k = j
    while (
        k < len(toks)
        and k - j < limit
        and toks[k].joined
        and _caps(toks[k])
        and not _starts_with(toks, k, _verbs())
        and not _scope_at(toks, k)
    ):
        k += 1
    return k - j


def _generic_unit(text: str, toks, i: int) -> int:
    """Token length of a unit name not in the data file, read from its head word, else 0.

    "Trung tâm Y tế huyện", "Bảo hiểm xã hội tỉnh", "Văn phòng - Thống kê xã", "Viễn thông Đồng
    Tháp": a capitalised head, then capitalised words (each may carry one lower-case syllable:
    "Y tế", "Văn hóa"), up to a scope word and its place name.  Punctuation, a verb ("chủ trì")
    or an ordinary lower-case word ends it; a longer lower-case run is kept only when a scope
    word, a verb or a capitalised word follows it ("Trung tâm Kiểm soát bệnh tật tỉnh").
    """
    if not _caps(toks[i]):
        return 0  # cheap test first: _scan asks at every token
    h = _starts_with(toks, i, _heads())
    if not h:
        return 0
    if _shouting(toks[i]) and i + h < len(toks) and _shouting(toks[i + h]):
        return 0  # "SỞ Y TẾ" in a letterhead: capitals say nothing there
    j, lower, cut, joined_at = i + h, 0, None, None
    while j < len(toks) and j - i < _MAX_NAME:
        t = toks[j]
        sep = text[toks[j - 1].end : t.start].strip()
        if sep not in ("", "-", "–") or (sep and not _caps(t)):
            break
        c = _council_pair(toks, j)
        if c:
            j += c  # "Văn phòng HĐND và UBND xã": the joint office is one unit, not two
            lower = 0
            continue
        s = _scope_at(toks, j) if not sep else 0
        if s:
            return j + s + _place(toks, j + s) - i
        if _starts_with(toks, j, _verbs()) and (not _caps(t) or j > i + h):
            # "… Lấp Vò Phát huy vai trò" (a lost full stop); "Ban Tổ chức" right after its head is a name
            return j - i if j > i + h else 0
        if _caps(t):
            lower = 0  # "Trang Thông tin điện tử Lấp Vò": a capitalised word confirms the lower-case run
            j += 1
            continue
        if t.key == "các" and not sep and _scope_at(toks, j + 1):
            j += 1  # "UBND các xã": a plural scope
            continue
        if (
            t.key == "và"
            and j + 1 < len(toks)
            and _caps(toks[j + 1])
            and not _starts_with(toks, j + 1, _heads())
        ):
            joined_at = j
            j += 1  # "Sở Nông nghiệp và Môi trường"; "Sở Y tế và Sở Nội vụ" are two
            continue
        if t.key in _STOP_WORDS or (j == i + h and h == 1) or lower >= 4:
            break  # "Ban hành", "Phòng chống", "Hội nghị": a lower-case word right after a one-word head is no name
        if lower == 0:
            cut = j if j == i + h else j + 1  # keep "tế" of "Y tế", not a run straight after the head
        lower += 1
        j += 1
    if lower >= 2 and cut is not None:
        # a lower-case run is cut to one syllable ("Y tế"); when the run follows a "và", the name
        # never went on past it ("Hợp tác xã X và Tổ công nghệ số …" are two, not "… và Tổ công")
        j = joined_at if joined_at is not None and cut > joined_at else cut
    return j - i if j > i + h else 0


def _council_pair(toks, j: int) -> int:
    """Token length of "HĐND và UBND" / "Hội đồng nhân dân và Ủy ban nhân dân" (also "HĐND - UBND") at j."""
    councils, committees = _councils()
    n = _starts_with(toks, j, councils)
    if not n:
        return 0
    k = j + n + (1 if j + n < len(toks) and toks[j + n].key == "và" else 0)
    m = _starts_with(toks, k, committees)
    return k + m - j if m else 0


def _tidy(name: str) -> str:
    """Canonical spelling of a unit name not found in the data file."""
    s = normalize_tones(nfc(name))
    s = re.sub(r"[–—−]", "-", s)
    s = re.sub(r"\s+", " ", s).strip(" \t,;:.-")
    s = re.sub(r"^(?:UBND|Ubnd)\b", "Ủy ban nhân dân", s)
    s = re.sub(r"\bUBND\b", "Ủy ban nhân dân", s)
    s = re.sub(r"^HĐND\b", "Hội đồng nhân dân", s)
    # the joint office, written out as in the data file ("Văn phòng Hội đồng nhân dân và Ủy ban nhân dân huyện")
    s = re.sub(r"\bHĐND(?:\s*-\s*|\s+và\s+)Ủy ban nhân dân\b", "Hội đồng nhân dân và Ủy ban nhân dân", s)
    s = re.sub(r"\bHội đồng nhân dân\s*-\s*Ủy ban nhân dân\b", "Hội đồng nhân dân và Ủy ban nhân dân", s)
    s = re.sub(r"\s+(?:có\s+)?liên quan$", "", s)
    for tail in sorted(_LOWER_TAIL, key=len, reverse=True):
        if s.lower().endswith(" " + tail) and s[-len(tail) :] != tail:
            s = s[: -len(tail)] + tail
            break
    return s[:1].upper() + s[1:] if s else s


# role words inside a unit list; "với" after "phối hợp" always introduces the partner
_LIST_ROLE = re.compile(r"(?i)\bchủ\s+trì\b|\bphối\s+hợp\b(?P<voi>\s+với\b)?")


def _piece_is_unit(ptoks, cell: bool) -> bool:
    """An unlisted name in a list: it starts with a head word followed by a name ("Trung tâm Y tế"),
    or, in a table's unit column, it is any short item that is not an ordinary phrase."""
    h = _starts_with(ptoks, 0, _heads())
    if (
        h
        and _caps(ptoks[0])
        and len(ptoks) > h
        and (h > 1 or _caps(ptoks[h]) or _scope_at(ptoks, h) or ptoks[h].key == "các")
    ):
        return True
    if not cell or len(ptoks) > _MAX_NAME or _starts_with(ptoks, 0, _verbs()):
        return False
    return not all(t.key in _STOP_WORDS or t.fold in _CONNECTORS for t in ptoks)


def _list_events(text: str, matches, cell: bool, whole: bool) -> tuple[list[tuple[int, str, object]], bool]:
    """Units and role words of a list in reading order: (offset, "unit" | "role", name | is_pre)."""
    events: list[tuple[int, str, object]] = []
    complete = True
    pos = 0
    spans = [(m.start, m.end, m) for m in matches] + [(len(text), len(text), None)]
    qualified: _Match | None = None  # a vague party right before this gap ("các tổ chức, cá nhân")
    for start, end, m in spans:
        gap = text[pos:start]
        q = re.match(r"[ \t]+([^\W\d_][^,;()]*)", gap) if qualified is not None and (cell or whole) else None
        qtoks = _tokens(q.group(1)) if q and q.group(1)[:1].islower() else []
        if (
            q
            and qtoks
            and not _starts_with(qtoks, 0, _verbs())
            and not all(t.key in _STOP_WORDS or t.fold in _CONNECTORS for t in qtoks)
            and "lien quan" not in fold(q.group(1))
        ):
            # "Các tổ chức, cá nhân hoạt động khoáng sản": a lower-case qualifier right after a vague
            # party (no comma between) narrows it to a party of its own; it is not a unit "Hoạt động …"
            assert qualified is not None
            events.append((qualified.start, "unit", _tidy(text[qualified.start : pos + q.end()])))
            pos += q.end()
            gap = text[pos:start]
        qualified = None
        cuts = [pos]
        for r in _LIST_ROLE.finditer(gap):
            if r.group(0).lower().startswith("chủ"):
                pre = None
            else:
                # "phối hợp (với) Sở Nội vụ" introduces a partner; "Sở Nội vụ phối hợp" names one
                after = gap[r.end() :].strip(" :\t\n")
                pre = bool(r.group("voi")) or (after[:1].isupper() if after else m is not None)
            events.append((pos + r.start(), "role", pre))
            cuts += [pos + r.start(), pos + r.end()]
        cuts.append(start)
        for a, b in zip(cuts[::2], cuts[1::2]):
            for part in re.split(r"[,;]|\s+và\s+|\s+hoặc\s+|\(|\)", text[a:b]):
                ptoks = _tokens(part)
                if not ptoks:
                    continue
                if _scopes_only(part) and _extend_scope(events, part):
                    continue  # "UBND các xã, phường": one unit named over its kinds of commune
                rest = ptoks[_starts_with(ptoks, 0, _roles()) :]
                if not rest or all(t.fold in _CONNECTORS for t in rest):
                    continue
                if _piece_is_unit(rest, cell):
                    events.append((a + 1, "unit", _tidy(part[rest[0].start :])))
                elif whole:
                    complete = False
        if m is not None:
            if not m.vague:
                events.append((m.start, "unit", m.canonical))
            else:
                qualified = m
            pos = end
    return sorted(events, key=lambda e: e[0]), complete


_LOCAL_KINDS = frozenset(fold(w) for w in (*_SCOPE_WORDS, "đặc khu"))


def _scopes_only(part: str) -> bool:
    """ "phường", "thị trấn", "đặc khu": a piece that is only a kind of local unit."""
    return " ".join(fold(part).split()) in _LOCAL_KINDS


def _extend_scope(events: list, part: str) -> bool:
    """Append a bare kind of local unit to the unit just before it when that unit ends with one.

    Convention: "UBND các xã, phường, đặc khu" names the People's Committees of every commune-level
    unit, one party over its kinds; split on the comma it would read as "UBND các xã" and "Phường".
    """
    if not events or events[-1][1] != "unit":
        return False
    off, _, name = events[-1]
    if not any(fold(str(name)).endswith(" " + w) for w in _LOCAL_KINDS):
        return False
    events[-1] = (off, "unit", f"{name}, {part.strip()}")
    return True


def parse_unit_list(
    text: str, province: str | None = None, *, whole: bool = True, cell: bool = False
) -> UnitList:
    """Units named in a list such as a "Đơn vị chủ trì: …" line, a table cell or a heading.

    Known names (and their aliases) are matched first, longest first, so commas and
    "và" inside names ("Sở Văn hóa, Thể thao và Du lịch") do not split them.  Text
    between known names is split on , ; and "và" and kept when it starts with a
    unit head word ("Phòng", "Trung tâm", …) — or, with ``cell`` (a table's unit
    column), whenever it is a short item that is not an ordinary phrase.  Units
    after "phối hợp (với)" or before a closing "phối hợp" go to ``partners``.
    ``complete`` says whether nothing but units, connectors, role words and vague
    phrases ("các đơn vị liên quan") was found.
    """
    text = normalize_tones(nfc(text)).strip()
    requested = bool(re.match(r"(?i)^\W*đề\s+nghị\b", text))
    text = re.sub(r"(?i)^\W*đề\s+nghị\s+", "", text)
    if re.match(r"(?i)^người phát ngôn\b", text):
        u = _tidy(text)
        return UnitList((u,), True, (u,) if requested else ())
    _, matches = _scan(text, province)
    events, complete = _list_events(text, matches, cell, whole)
    lead: list[str] = []
    partners: list[str] = []
    pending: list[str] = []  # units since the last role word, in the current mode
    partner_mode = False
    for _, kind, val in events:
        if kind == "unit":
            pending.append(str(val))
            continue
        if val is None:  # "chủ trì": what was pending leads
            lead += pending
            partner_mode = False
        elif val:  # "phối hợp (với) Y": Y and what follows coordinate
            (partners if partner_mode else lead).extend(pending)
            partner_mode = True
        else:  # "Y phối hợp": Y coordinates
            partners += pending
        pending = []
    (partners if partner_mode else lead).extend(pending)
    lead = list(dict.fromkeys(u for u in lead if u))
    partners = [u for u in dict.fromkeys(partners) if u and u not in lead]
    found = bool(lead or partners)
    return UnitList(tuple(lead), complete and found, tuple(lead) if requested else (), tuple(partners))


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
    # the name: capitalised words, up to the first punctuation ("huyện Cao Lãnh, Sở …") or verb
    # ("UBND huyện Xây dựng kế hoạch"); "UBND huyện, Công an huyện" names no place
    n = _place(toks, j)
    return j + n - i if n else 0


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
        if toks[i].fold in _CONNECTORS and not (units and toks[i].fold == "giao"):
            i += 1  # "Giao X, Y"; but in "UBND huyện giao X" the units before "giao" assign, X does
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
        gap = toks[m.t1 : nxt]
        # "UBND tỉnh giao Sở Y tế chủ trì": the one who assigns is not the subject
        if any((t.fold not in _CONNECTORS or t.fold == "giao") and t.fold not in roles for t in gap):
            break
        run.append(m)
        nxt = m.t0
    return list(dict.fromkeys(m.canonical for m in reversed(run) if not m.vague))
