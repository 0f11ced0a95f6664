"""The vocabulary of unit names: canonical names and aliases (``data/units.json``),
the head words that open a unit name ("Sở", "Phòng", "Trung tâm"), the role words
around one ("Chánh", "Thủ trưởng"), the verbs that end one ("chủ trì", "phối hợp"),
administrative levels and provinces.

Matching is word-based, case- and tone-placement-insensitive; a word written without
any diacritic also matches accent-insensitively ("so van hoa" finds "Sở Văn hóa"),
while a word with diacritics must match them ("số thông tin" is not "Sở Thông tin").
Aliases that only make sense inside one province ("Báo ĐT", "Đài PTTH Đồng Nai") are
expanded from templates for that province only.  ``ingest.units`` reads units in text
with these tables.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from assistant.textnorm import match_key, nfc
from assistant.vocab.data import units_data

__all__ = [
    "lists_commune",
    "ADMIN_LEVELS",
    "CONNECTORS",
    "LOWER_TAIL",
    "SCOPE_WORDS",
    "TIER_WORDS",
    "ROLE_VERBS",
    "NAME_STOP_WORDS",
    "MAX_NAME",
    "SECTORS",
    "Tok",
    "Alias",
    "name_tokens",
    "alias",
    "alias_index",
    "word_eq",
    "words_of",
    "starts_with",
    "heads",
    "verbs",
    "scopes",
    "roles",
    "councils",
    "admin_words",
    "initials",
    "provinces",
    "canonical_province",
    "province_in",
    "unit_aliases",
    "local_tier",
]


_TOKEN = re.compile(r"[^\W_]+(?:\s*&\s*[^\W_]+)*", re.UNICODE)


ADMIN_LEVELS = ("thành phố", "huyện", "thị xã", "xã", "phường", "thị trấn", "tỉnh")


# words that may sit between the units of a list without making it "not a unit list"
CONNECTORS = {"va", "cac", "voi", "cung", "gom", "giao", "dc"}


LOWER_TAIL = {"tỉnh", "huyện", "thị xã", "thành phố", "xã", "thị trấn"}


SCOPE_WORDS = ("thành phố", "thị xã", "thị trấn", "huyện", "quận", "xã", "phường", "tỉnh")


# verbs that follow a unit name ("Sở Y tế chủ trì", "UBND huyện Xây dựng kế hoạch"): never part of a name
ROLE_VERBS = (
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
NAME_STOP_WORDS = {
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
MAX_NAME = 12


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
class Tok:
    start: int
    end: int
    raw: str
    fold: str
    key: str  # match_key (accent-sensitive)
    marked: bool  # written with diacritics
    joined: bool = False  # only spaces separate it from the previous token


def name_tokens(text: str) -> list[Tok]:
    out = []
    prev_end = None
    for m in _TOKEN.finditer(text):
        raw = re.sub(r"\s+", "", m.group(0))
        joined = prev_end is not None and not text[prev_end : m.start()].strip()
        out.append(
            Tok(
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
class Alias:
    toks: tuple[tuple[str, str], ...]  # (fold, key) per word
    canonical: str
    vague: bool = False


@lru_cache(maxsize=1)
def provinces() -> dict[str, str]:
    """folded alias → canonical province name."""
    out = {}
    for p in units_data()["provinces"]:
        for n in (p["name"], *p.get("aliases", [])):
            out[" ".join(t.fold for t in name_tokens(nfc(n)))] = p["name"]
    return out


def canonical_province(name: str | None) -> str | None:
    if not name:
        return None
    key = " ".join(t.fold for t in name_tokens(nfc(name)))
    key = re.sub(r"^(tinh|thanh pho|tp) ", "", key)
    return provinces().get(key)


def province_in(text: str) -> list[str]:
    """Provinces named in a text after 'tỉnh'/'thành phố', in order of appearance."""
    toks = name_tokens(nfc(text))
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


def initials(name: str) -> str:
    return "".join(w[0].upper() for w in name.split() if w[0].isalpha())


def alias(text: str, canonical: str, vague: bool = False) -> Alias | None:
    toks = name_tokens(nfc(text))
    if not toks:
        return None
    return Alias(tuple((t.fold, t.key) for t in toks), canonical, vague)


def words_of(text: str) -> tuple[tuple[str, str], ...]:
    """(folded, match key) of each word of a fixed phrase ("Ủy ban nhân dân", "chủ trì")."""
    return tuple((t.fold, t.key) for t in name_tokens(nfc(text)))


@lru_cache(maxsize=64)
def alias_index(province: str | None) -> dict[str, tuple[Alias, ...]]:
    data = units_data()
    aliases: list[Alias | None] = []
    for u in data["units"]:
        for n in (u["name"], *u.get("aliases", [])):
            aliases.append(alias(n, u["name"]))
    names = [p["name"] for p in data["provinces"]]
    for tpl in data.get("templates", []):
        for pname in names:
            local = pname == province
            for n in (tpl["name"], *tpl.get("aliases", [])):
                # unqualified or initials-only forms are only safe inside their own province
                if not local and ("{P}" not in n):
                    continue
                aliases.append(
                    alias(
                        n.replace("{P}", pname).replace("{I}", initials(pname)),
                        tpl["name"].replace("{P}", pname),
                    )
                )
    for u in data.get("scoped", {}).get(province or "", []):
        for n in (u["name"], *u.get("aliases", [])):
            aliases.append(alias(n, u["name"]))
    for v in data.get("vague", []):
        aliases.append(alias(v, v, vague=True))
    idx: dict[str, list[Alias]] = {}
    for a in aliases:
        if a is not None:
            idx.setdefault(a.toks[0][0], []).append(a)
    return {k: tuple(sorted(v, key=lambda a: -len(a.toks))) for k, v in idx.items()}


def word_eq(t: Tok, alias_word: tuple[str, str]) -> bool:
    return t.key == alias_word[1] if t.marked else t.fold == alias_word[0]


# Fields of work in unit names (folded): after a short known name they make a longer, different
# name ("Trung tâm Xúc tiến Du lịch"), never a place.
SECTORS = frozenset(
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
def heads() -> tuple[tuple[tuple[str, str], ...], ...]:
    """The head words of unit names (data file "heads"), longest first."""
    hs = [alias(h, h) for h in units_data()["heads"]]
    return tuple(sorted({h.toks for h in hs if h}, key=len, reverse=True))


@lru_cache(maxsize=1)
def verbs() -> tuple[tuple[tuple[str, str], ...], ...]:
    return tuple(sorted((words_of(v) for v in ROLE_VERBS), key=len, reverse=True))


@lru_cache(maxsize=1)
def scopes() -> tuple[tuple[tuple[str, str], ...], ...]:
    return tuple(words_of(a) for a in SCOPE_WORDS)


@lru_cache(maxsize=1)
def councils() -> tuple[tuple, tuple]:
    return (
        tuple(words_of(a) for a in ("Hội đồng nhân dân", "HĐND")),
        tuple(words_of(a) for a in ("Ủy ban nhân dân", "UBND")),
    )


@lru_cache(maxsize=1)
def roles() -> tuple[tuple[tuple[str, str], ...], ...]:
    rs = [alias(r, r) for r in [*units_data().get("roles", []), "Chánh", "Đề nghị"]]
    return tuple(sorted((r.toks for r in rs if r), key=len, reverse=True))


def starts_with(
    toks: list[Tok] | tuple[Tok, ...], i: int, seqs: Iterable[tuple[tuple[str, str], ...]]
) -> int:
    """Length (in tokens) of the first of ``seqs`` that starts at token i, else 0."""
    for s in seqs:
        n = len(s)
        if i + n <= len(toks) and all(word_eq(toks[i + k], s[k]) for k in range(n)):
            return n
    return 0


@lru_cache(maxsize=1)
def admin_words() -> tuple[tuple, tuple]:
    ubnd = (words_of("Ủy ban nhân dân"), words_of("UBND"))
    return ubnd, tuple(words_of(a) for a in sorted(ADMIN_LEVELS, key=len, reverse=True))


def unit_aliases(province: str | None = None) -> dict[str, list[str]]:
    """canonical name → aliases as written in the data file (templates expanded for ``province``)."""
    data = units_data()
    out: dict[str, list[str]] = {}
    for u in data["units"]:
        out.setdefault(u["name"], []).extend(u.get("aliases", []))
    if province:
        for tpl in data.get("templates", []):
            name = tpl["name"].replace("{P}", province)
            out.setdefault(name, []).extend(
                a.replace("{P}", province).replace("{I}", initials(province)) for a in tpl.get("aliases", [])
            )
        for u in data.get("scoped", {}).get(province, []):
            out.setdefault(u["name"], []).extend(u.get("aliases", []))
    return {k: list(dict.fromkeys(v)) for k, v in out.items()}


# The tiers of local government (Luật Tổ chức chính quyền địa phương): "cấp xã" is the xã, phường,
# thị trấn and, since 2025, đặc khu; "cấp huyện" the huyện, quận, thị xã and thành phố of a tỉnh.
# Plans name the People's Committees of a whole tier by listing its kinds, each plan its own way
# ("UBND các xã", "UBND xã, phường", "UBND các xã, phường, đặc khu", "UBND cấp xã").
TIER_WORDS = {
    "commune": ("xã", "phường", "thị trấn", "đặc khu"),
    "district": ("huyện", "quận", "thị xã", "thành phố"),
}
_COLLECTIVE_PC = re.compile(r"^(ủy|uỷ) ban nhân dân (các |cấp )?(?P<kinds>[^()]+)$")


def local_tier(name: str) -> str | None:
    """``"commune"`` or ``"district"`` when ``name`` is the People's Committees of a whole tier
    ("Ủy ban nhân dân các xã, phường"), else None (one named committee, or any other unit)."""
    m = _COLLECTIVE_PC.match(match_key(name))
    if not m:
        return None
    kinds = [k.strip() for k in re.split(r",|\bvà\b", m.group("kinds")) if k.strip()]
    for tier, words in TIER_WORDS.items():
        if (
            kinds
            and all(k in words for k in kinds)
            and ("các" in name.lower() or "cấp" in name.lower() or len(kinds) > 1)
        ):
            return tier
    return None


def lists_commune(party: str, unit: str) -> bool:
    """Whether ``party`` ("Ủy ban nhân dân các xã: Gia Thuận, Tân Điền") names the committee ``unit``
    ("Ủy ban nhân dân xã Gia Thuận") among the communes it lists after its colon.

    Convention: a plan gives some communes one task by listing their names after the kind of
    committee; each listed commune's committee has that task.
    """
    head, sep, places = party.partition(":")
    m = re.match(
        r"^(?:ủy|uỷ) ban nhân dân (?P<kind>xã|phường|thị trấn|đặc khu) (?P<name>.+)$", match_key(unit)
    )
    if not sep or not m or m.group("kind") not in match_key(head):
        return False
    return m.group("name").strip() in {match_key(p).strip() for p in re.split(r",|\bvà\b", places)}
