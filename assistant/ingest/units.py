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

from ..textnorm import fold, match_key, nfc, normalize_tones

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

DATA = Path(__file__).resolve().parent.parent / "data" / "units.json"

_TOKEN = re.compile(r"[^\W_]+(?:\s*&\s*[^\W_]+)*", re.UNICODE)
_ADMIN = ("thành phố", "huyện", "thị xã", "xã", "phường", "thị trấn", "tỉnh")
# words that may sit between the units of a list without making it "not a unit list"
_CONNECTORS = {"va", "cac", "voi", "cung", "gom", "giao", "dc"}
_LOWER_TAIL = {"tỉnh", "huyện", "thị xã", "thành phố", "xã", "thị trấn"}
_SCOPE = ("thành phố", "thị xã", "thị trấn", "huyện", "quận", "xã", "phường", "tỉnh")
# verbs that follow a unit name ("Sở Y tế chủ trì", "UBND huyện Xây dựng kế hoạch"): never part of a name
_ROLE_VERBS = (
    "chủ trì",
    "phối hợp",
    "thực hiện",
    "tham mưu",
    "tổ chức",
    "triển khai",
    "xây dựng",
    "chịu trách nhiệm",
    "có trách nhiệm",
    "hướng dẫn",
    "theo dõi",
    "tổng hợp",
    "báo cáo",
    "đôn đốc",
    "chỉ đạo",
    "tuyên truyền",
    "đề nghị",
    "phụ trách",
    "ban hành",
    "tiếp tục",
    "rà soát",
    "giao",
    "căn cứ",
    "quyết định",
    "phê duyệt",
    "yêu cầu",
    "đảm bảo",
    "bảo đảm",
    "nghiên cứu",
    "cung cấp",
    "hỗ trợ",
    "tăng cường",
    "đẩy mạnh",
    "trình",
    "phát huy",
    "nâng cao",
    "chủ động",
    "thường xuyên",
    "tích cực",
)
# ordinary lower-case words that end a name written without punctuation ("Sở Y tế và các đơn vị")
_STOP_WORDS = {
    "và",
    "với",
    "các",
    "của",
    "cho",
    "trên",
    "tại",
    "theo",
    "về",
    "trong",
    "để",
    "được",
    "có",
    "đã",
    "sẽ",
    "thuộc",
    "cùng",
    "là",
    "những",
    "một",
    "nhằm",
    "khi",
    "nếu",
    "hoặc",
    "đến",
    "từ",
    "tới",
    "đối",
    "này",
    "đó",
    "năm",
    "ngày",
    "tháng",
    "làm",
    "gì",
    "nào",
    "thì",
    "mà",
    "phải",
    "liên",
    "quan",
    "như",
    "sau",
}
# a generic name reads at most this many tokens before its scope word
_MAX_NAME = 12


@lru_cache(maxsize=4096)
def _fold_char(c: str) -> str:
    d = unicodedata.normalize("NFD", c.lower())
    base = "".join(x for x in d if unicodedata.category(x) != "Mn")
    base = base.replace("đ", "d")
    return base if len(base) == 1 else c.lower()


def _has_marks(word: str) -> bool:
    return (
        any(unicodedata.category(x) == "Mn" for x in unicodedata.normalize("NFD", word))
        or "đ" in word.lower()
    )


@dataclass(frozen=True)
class _Tok:
    start: int
    end: int
    raw: str
    fold: str
    key: str  # match_key (accent-sensitive)
    marked: bool  # written with diacritics
    joined: bool = False  # only spaces separate it from the previous token


def _tokens(text: str) -> list[_Tok]:
    out = []
    prev_end = None
    for m in _TOKEN.finditer(text):
        raw = re.sub(r"\s+", "", m.group(0))
        joined = prev_end is not None and not text[prev_end : m.start()].strip()
        out.append(
            _Tok(
                m.start(),
                m.end(),
                raw,
                "".join(_fold_char(c) for c in raw),
                match_key(raw),
                _has_marks(raw),
                joined,
            )
        )
        prev_end = m.end()
    return out


@dataclass(frozen=True)
class _Alias:
    toks: tuple[tuple[str, str], ...]  # (fold, key) per word
    canonical: str
    vague: bool = False


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
            key = " ".join(x.fold for x in toks[i + 1 : i + 1 + n])
            # province names are written capitalised; "tỉnh và huyện" must not match
            if key in provinces() and all(x.raw[:1].isupper() for x in toks[i + 1 : i + 1 + n]):
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
                aliases.append(
                    _alias(
                        n.replace("{P}", pname).replace("{I}", _initials(pname)),
                        tpl["name"].replace("{P}", pname),
                    )
                )
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
    return tuple(toks), tuple(out)


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


# Fields of work in unit names (folded): after a short known name they make a longer, different
# name ("Trung tâm Xúc tiến Du lịch"), never a place.
_SECTORS = frozenset(
    (
        "du lich",
        "thuong mai",
        "dau tu",
        "van hoa",
        "the thao",
        "y te",
        "giao duc",
        "dao tao",
        "nong nghiep",
        "cong nghe",
        "khoa hoc",
        "moi truong",
        "tai nguyen",
        "tai chinh",
        "ke hoach",
        "xa hoi",
        "thong tin",
        "truyen thong",
        "truyen thanh",
        "truyen hinh",
        "phat thanh",
        "dan toc",
        "ton giao",
        "noi vu",
        "tu phap",
        "xay dung",
        "giao thong",
        "van tai",
        "cong thuong",
        "lao dong",
        "thuong binh",
        "ngoai vu",
        "an ninh",
        "quoc phong",
        "hanh chinh",
        "kinh te",
        "ha tang",
        "do thi",
        "thuy loi",
        "lam nghiep",
        "thuy san",
        "khuyen nong",
        "dich vu",
        "viec lam",
        "chuyen doi",
        "du lieu",
        "ngan sach",
        "thi truong",
    )
)


@lru_cache(maxsize=1)
def _heads() -> tuple[tuple[tuple[str, str], ...], ...]:
    """The head words of unit names (data file "heads"), longest first."""
    hs = [_alias(h, h) for h in _data()["heads"]]
    return tuple(sorted({h.toks for h in hs if h}, key=len, reverse=True))


@lru_cache(maxsize=1)
def _verbs() -> tuple[tuple[tuple[str, str], ...], ...]:
    return tuple(sorted((_alias(v, "").toks for v in _ROLE_VERBS), key=len, reverse=True))


@lru_cache(maxsize=1)
def _scopes() -> tuple[tuple[tuple[str, str], ...], ...]:
    return tuple(_alias(a, "").toks for a in _SCOPE)


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


@lru_cache(maxsize=1)
def _councils() -> tuple[tuple, tuple]:
    return (
        tuple(_alias(a, "").toks for a in ("Hội đồng nhân dân", "HĐND")),
        tuple(_alias(a, "").toks for a in ("Ủy ban nhân dân", "UBND")),
    )


def _council_pair(toks, j: int) -> int:
    """Token length of "HĐND và UBND" / "Hội đồng nhân dân và Ủy ban nhân dân" (also "HĐND - UBND") at j."""
    councils, committees = _councils()
    n = _starts_with(toks, j, councils)
    if not n:
        return 0
    k = j + n + (1 if j + n < len(toks) and toks[j + n].key == "và" else 0)
    m = _starts_with(toks, k, committees)
    return k + m - j if m else 0


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
    for start, end, m in spans:
        gap = text[pos:start]
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
            pos = end
    return sorted(events, key=lambda e: e[0]), complete


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
            pending.append(val)
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
                a.replace("{P}", province).replace("{I}", _initials(province)) for a in tpl.get("aliases", [])
            )
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
        gap = toks[m.t1 : nxt]
        # "UBND tỉnh giao Sở Y tế chủ trì": the one who assigns is not the subject
        if any((t.fold not in _CONNECTORS or t.fold == "giao") and t.fold not in roles for t in gap):
            break
        run.append(m)
        nxt = m.t0
    return list(dict.fromkeys(m.canonical for m in reversed(run) if not m.vague))
