"""Unit names in running text: the token scan behind ``ingest.units``.

Finds where a unit name starts and ends in a line: a name of the vocabulary (with its
aliases), a generic name built from a head word ("Sở", "Phòng", "Trung tâm"…) and what
follows it up to a role word or a connector, the People's Committee of a named place, and
the local-government kinds ("các xã, phường"). ``ingest.units`` turns these matches into
unit lists and canonical names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..textnorm import fold, nfc, normalize_tones
from ..vocab.units import LOWER_TAIL as _LOWER_TAIL
from ..vocab.units import MAX_NAME as _MAX_NAME
from ..vocab.units import NAME_STOP_WORDS as _STOP_WORDS
from ..vocab.units import SCOPE_WORDS as _SCOPE_WORDS
from ..vocab.units import SECTORS as _SECTORS
from ..vocab.units import TIER_WORDS as _TIER_WORDS
from ..vocab.units import Alias as _Alias
from ..vocab.units import Tok as _Tok
from ..vocab.units import admin_words as _admin_words
from ..vocab.units import alias_index as _index
from ..vocab.units import canonical_province
from ..vocab.units import councils as _councils
from ..vocab.units import heads as _heads
from ..vocab.units import name_tokens as _tokens
from ..vocab.units import scopes as _scopes
from ..vocab.units import starts_with as _starts_with
from ..vocab.units import verbs as _verbs
from ..vocab.units import word_eq as _word_eq

__all__ = [
    "_Match",
    "_scan",
    "_caps",
    "_place",
    "_scope_at",
    "_tidy",
    "_admin_ubnd",
    "_LOCAL_KINDS",
    "_match_at",
    "_local_kinds",
    "_adds_name",
    "_named_ubnd",
    "_generic_name",
    "_shouting",
    "_generic_unit",
    "_council_pair",
]


@dataclass(frozen=True)
class _Match:
    start: int  # char offsets
    end: int
    t0: int  # token indices [t0, t1)
    t1: int
    canonical: str
    vague: bool


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
        j += _collective_level(toks, j, a)
        out.append(_Match(toks[i].start, toks[j - 1].end, i, j, a.canonical, a.vague))
        i = j
    return tuple(toks), tuple(_local_kinds(text, toks, [_numbered(text, toks, m) for m in out]))


def _collective_level(toks, j: int, a: _Alias) -> int:
    """Tokens after a collective's name that say its level: "các sở, ban, ngành, đoàn thể Thành
    phố", "các sở, ngành tỉnh Đồng Tháp". Plans write the tier (and its place) after a plural of
    bodies to mean those of that tier; it belongs to the collective, and a list of units goes on
    after it ("…, đoàn thể Thành phố, Ủy ban nhân dân phường, xã, đặc khu"), where the bare scope
    word would end the list (issue 12, class 1: the units after it were lost)."""
    if a.vague or not a.canonical.startswith("Các ") or j >= len(toks) or not toks[j].joined:
        return 0
    if " ".join(f for f, _ in a.toks[-2:]).endswith(_LEVELS):
        return _place(toks, j)  # the alias holds the tier ("các sở, ngành tỉnh"): its place follows
    n = _scope_at(toks, j)
    if not n or " ".join(t.fold for t in toks[j : j + n]) in _COMMUNE_KINDS:
        return 0  # "các sở, ngành, xã, phường": a kind of commune is a unit of its own
    return n + _place(toks, j + n)


# Regional offices numbered after the 2025 reorganisation of the state apparatus: "Ngân hàng Nhà
# nước chi nhánh Khu vực 14", "Kiểm toán nhà nước khu vực V", "Thuế cơ sở 3", "Chi cục Hải quan
# khu vực VIII". The number is part of the name (Khu vực 14 is not Khu vực 1), so the branch
# words and the number after a unit name belong to it, written the one way the office writes it.
_BRANCH_WORDS = (("chi", "nhanh"), ("khu", "vuc"), ("co", "so"))
_BRANCH_SPELLING = {"chi nhanh": "Chi nhánh", "khu vuc": "Khu vực", "co so": "cơ sở"}
_NUMBER_TOKEN = re.compile(r"\d{1,3}|[IVXLC]{1,6}")


def _numbered(text: str, toks, m: _Match) -> _Match:
    """``m`` with a following "[chi nhánh] khu vực 14" / "cơ sở 3" taken into the name."""
    if m.vague:
        return m
    words = fold(m.canonical).split()
    j, tail = m.t1, []
    # the generic scan may already hold the capitalised branch words ("… Chi nhánh Khu vực")
    k = len(words)
    while k >= 2 and tuple(words[k - 2 : k]) in _BRANCH_WORDS:
        k -= 2
    have = [" ".join(words[x : x + 2]) for x in range(k, len(words), 2)]
    while j + 1 < len(toks) and (toks[j].fold, toks[j + 1].fold) in _BRANCH_WORDS and toks[j].joined:
        tail.append(f"{toks[j].fold} {toks[j + 1].fold}")
        j += 2
    pairs = have + tail
    if (
        not pairs
        or pairs[-1] == "chi nhanh"
        or j >= len(toks)
        or not toks[j].joined
        or not _NUMBER_TOKEN.fullmatch(toks[j].raw)
    ):
        return m
    head = " ".join(m.canonical.split()[: len(m.canonical.split()) - 2 * len(have)])
    name = " ".join([head, *(_BRANCH_SPELLING[x] for x in pairs), toks[j].raw])
    return _Match(m.start, toks[j].end, m.t0, j + 1, name, False)


def _local_kinds(text: str, toks, matches: list[_Match]) -> list[_Match]:
    """ "UBND các xã, phường, đặc khu" in running text: one unit named over its kinds of commune.

    A match ending in a kind of local unit takes the bare kinds that follow it after a comma; a
    kind followed by a capitalised name ("phường An Hòa") is a unit of its own and stops it, and so
    does a known unit's name that opens with a kind word ("Tỉnh đoàn", "Huyện đoàn": the youth union).
    """
    out: list[_Match] = []
    skip_to = -1
    starts = {m.t0 for m in matches}
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
            if (
                not n
                or k in starts
                or (
                    k + n < len(toks)
                    and _caps(toks[k + n])
                    and text[toks[k + n - 1].end : toks[k + n].start] == " "
                )
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
    if not _caps(toks[i]) and not _inner_office(toks, i):
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


# A Sở's own plans name its departments with the head in lower case: "Giao phòng Quản lý Công
# nghiệp triển khai …", "chi cục Quản lý thị trường". Only these office heads, and only before a
# capitalised word (the generic scan then reads the name as for "Phòng …"), so "cơ sở Dữ liệu",
# "ban hành", "phòng, chống" are never read as units.
_INNER_OFFICES = frozenset({"phong", "chi cuc", "trung tam"})


# "phòng" also ends compounds that are no office: "biên phòng" (border guard), "quốc phòng"
# (defence), "dự phòng" (reserve): after one of these ("Bộ đội Biên phòng Đồng Tháp") the word is
# not a department's head
_COMPOUND_FIRST = frozenset({"bien", "quoc", "du"})


def _inner_office(toks, i: int) -> bool:
    if i and toks[i].joined and toks[i - 1].fold in _COMPOUND_FIRST:
        return False
    for n in (1, 2):
        if i + n < len(toks) and " ".join(t.fold for t in toks[i : i + n]) in _INNER_OFFICES:
            return all(t.joined for t in toks[i + 1 : i + n + 1]) and _caps(toks[i + n])
    return False


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
_LOCAL_KINDS = frozenset(fold(w) for w in (*_SCOPE_WORDS, "đặc khu"))
# the kinds of the commune tier, and the tiers above it a collective's level is written by
# (``vocab.units.TIER_WORDS``, Luật Tổ chức chính quyền địa phương)
_COMMUNE_KINDS = frozenset(fold(w) for w in _TIER_WORDS["commune"])
_LEVELS = tuple(fold(w) for w in ("tỉnh", *_TIER_WORDS["district"]))


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
