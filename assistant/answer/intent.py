"""Rule-based understanding of a Vietnamese question (accent-insensitive).

``parse_question`` returns a ``Query``: the intent (one of ``records.INTENTS``),
the key content terms, the filters implied by place names and document numbers,
the units the question names, and — when the question names a plan or place that
is not loaded — what is missing, so the answer can say so instead of guessing.

Everything the parser knows about the collection (places, numbers, unit names)
comes from a ``Catalog`` built from the loaded ``DocMeta`` and passages; nothing
here is specific to one plan.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from assistant.answer.evidence import content_terms
from assistant.records import DocMeta, Passage
from assistant.textnorm import fold, nfc

__all__ = [
    "Query",
    "Catalog",
    "parse_question",
    "expand_abbreviations",
    "locality_of",
    "VN_PROVINCES",
    "NOT_SIGN",
]

# Generic knowledge, not the loaded collection: lets "kế hoạch của Cần Thơ" be recognised
# as a place that has no plan here. Loaded places always come from DocMeta.
VN_PROVINCES = (
    "An Giang",
    "Bà Rịa - Vũng Tàu",
    "Vũng Tàu",
    "Bạc Liêu",
    "Bắc Giang",
    "Bắc Kạn",
    "Bắc Ninh",
    "Bến Tre",
    "Bình Dương",
    "Bình Định",
    "Bình Phước",
    "Bình Thuận",
    "Cà Mau",
    "Cao Bằng",
    "Cần Thơ",
    "Đà Nẵng",
    "Đắk Lắk",
    "Đắk Nông",
    "Điện Biên",
    "Đồng Nai",
    "Đồng Tháp",
    "Gia Lai",
    "Hà Giang",
    "Hà Nam",
    "Hà Nội",
    "Hà Tĩnh",
    "Hải Dương",
    "Hải Phòng",
    "Hậu Giang",
    "Hòa Bình",
    "Hưng Yên",
    "Khánh Hòa",
    "Kiên Giang",
    "Kon Tum",
    "Lai Châu",
    "Lâm Đồng",
    "Lạng Sơn",
    "Lào Cai",
    "Long An",
    "Nam Định",
    "Nghệ An",
    "Ninh Bình",
    "Ninh Thuận",
    "Phú Thọ",
    "Phú Yên",
    "Quảng Bình",
    "Quảng Nam",
    "Quảng Ngãi",
    "Quảng Ninh",
    "Quảng Trị",
    "Sóc Trăng",
    "Sơn La",
    "Tây Ninh",
    "Thái Bình",
    "Thái Nguyên",
    "Thanh Hóa",
    "Thừa Thiên Huế",
    "Huế",
    "Tiền Giang",
    "Hồ Chí Minh",
    "Trà Vinh",
    "Tuyên Quang",
    "Vĩnh Long",
    "Vĩnh Phúc",
    "Yên Bái",
)

_PLACE_MARKER = r"(?:tinh|thanh pho|tp\.?|huyen|quan|thi xa|o|tai|cua)"
_NUMBERED = re.compile(
    r"\b(?P<kind>kh|ke hoach|qd|quyet dinh)\s*(?:so\s*)?[:.]?\s*(?P<num>\d{1,5})(?!\d)(?:\s*/\s*(?P<suffix>[a-z-]+))?"
    r"|\b(?P<num2>\d{1,5})\s*/\s*(?P<kind2>kh|qd)\b"
)


@dataclass
class Query:
    """What the answer layer needs to know about a question."""

    text: str  # the question, NFC, trimmed
    intent: str = "other"
    terms: list[str] = field(default_factory=list)  # folded key terms (filter words removed)
    filters: dict[str, str] = field(default_factory=dict)  # province / district / doc (a commune → its plan)
    units: list[str] = field(default_factory=list)  # canonical units named in the question
    fact: str | None = None  # date|deadline|number|target|signer|issuer|doc_number|slogan|budget
    places: list[tuple[str, str]] = field(
        default_factory=list
    )  # every loaded place named: (key, value); key "commune" for localities
    docs: list[str] = field(default_factory=list)  # loaded docs named by number
    missing: str | None = None  # a plan/place named in the question that is not loaded
    role: str | None = None  # unit_tasks: "lead" | "partner" when the question says so
    scope: list[str] = field(default_factory=list)  # plans a multi-plan question names (no filter then)
    folded: str = ""  # the question folded, places and numbers blanked


@dataclass
class Catalog:
    """The loaded collection as the parser sees it: places, document numbers, unit names."""

    docs: dict[str, DocMeta] = field(default_factory=dict)
    provinces: dict[str, str] = field(default_factory=dict)  # folded → canonical
    districts: dict[str, str] = field(default_factory=dict)
    units: dict[str, str] = field(default_factory=dict)  # folded name/alias → canonical
    # communes, wards, towns, cities that issue loaded plans: folded name → those plans. Since
    # the 2025 reorganisation a xã/phường plan has no district, so its place is its issuer.
    localities: dict[str, set[str]] = field(default_factory=dict)
    issuers: frozenset[str] = frozenset()  # folded issuers of the loaded plans
    corpus_folded: str = ""  # all passage text, folded (existence checks)
    unit_matcher: Callable[[str, str | None], list[str]] | None = None

    @classmethod
    def build(
        cls,
        docs: dict[str, DocMeta],
        passages: Iterable[Passage],
        *,
        unit_matcher: Callable[[str, str | None], list[str]] | None = None,
        aliases: dict[str, Iterable[str]] | None = None,
    ) -> Catalog:
        cat = cls(
            docs=dict(docs),
            unit_matcher=unit_matcher,
            issuers=frozenset(fold(m.issuer) for m in docs.values() if m.issuer),
        )
        texts = []
        for d, m in docs.items():
            name = locality_of(m)
            if name:
                cat.localities.setdefault(name, set()).add(d)
            if m.province:
                cat.provinces[fold(m.province)] = m.province
            if m.district:
                cat.districts[fold(m.district)] = m.district
        for p in passages:
            texts.append(fold(p.text))
            if p.province:
                cat.provinces.setdefault(fold(p.province), p.province)
            if p.district:
                cat.districts.setdefault(fold(p.district), p.district)
            for u in (*p.lead, *p.partners, *p.requested):
                cat.units.setdefault(fold(u), u)
        for canon, names in (aliases or {}).items():
            for n in (canon, *names):
                if len(fold(n)) >= 4:
                    cat.units.setdefault(fold(n), canon)
        cat.corpus_folded = " \n ".join(texts)
        # a locality that is also a loaded province or district is already scoped by that name
        for name in [n for n in cat.localities if n in cat.provinces or n in cat.districts]:
            del cat.localities[name]
        return cat

    def docs_numbered(self, num: str) -> list[str]:
        return [d for d, m in self.docs.items() if m.number and re.match(rf"0*{int(num)}\s*/", m.number)]

    def resolve_doc(self, value: str) -> str | None:
        """A doc file name from a file name, a stem, or a document number ("183", "183/KH-UBND")."""
        if value in self.docs:
            return value
        key = fold(value).strip()
        for d in self.docs:
            if fold(d) == key or fold(d.rsplit(".", 1)[0]) == key:
                return d
        m = re.match(r"\s*(\d{1,5})", key)
        if m:
            hits = self.docs_numbered(m.group(1))
            if len(hits) == 1:
                return hits[0]
        return None

    def match_units(self, text: str, province: str | None = None) -> list[str]:
        if self.unit_matcher is not None:
            try:
                found = list(self.unit_matcher(text, province))
            except Exception:  # a matcher bug must not break question answering
                found = []
            if found:
                return found
        key = fold(text)
        found: list[tuple[int, int, str]] = []
        for name, canon in self.units.items():
            for m in re.finditer(rf"(?<![a-z0-9]){re.escape(name)}(?![a-z0-9])", key):
                found.append((m.start(), -len(name), canon))
        found.sort()
        out: list[str] = []
        taken_until = -1
        for start, neg_len, canon in found:
            if start < taken_until or canon in out:
                continue
            out.append(canon)
            taken_until = start - neg_len
        return out


_LOCALITY = re.compile(r"\b(?:xa|phuong|thi tran|dac khu|thanh pho|thi xa|tp\.?)\s+([a-z0-9][a-z0-9 '-]*)$")


def locality_of(meta: DocMeta) -> str | None:
    """The folded name of the commune/ward/town/city that issued a plan ("Ủy ban nhân dân xã
    Đồng Tâm Phú" → "dong tam phu"), or None for a province or district issuer."""
    issuer = " ".join(fold(meta.issuer or "").replace(",", " ").split())
    m = _LOCALITY.search(issuer)
    if not m:
        return None
    name = m.group(1).strip(" -")
    # one syllable ("xã Tân") is too common a word to scope a question by
    return name if len(name.split()) >= 2 else None


def _fold_map(text: str) -> tuple[str, list[int]]:
    """Folded text and, for each folded char, the index of the original char it came from."""
    out, idx = [], []
    for i, ch in enumerate(text):
        f = fold(ch)
        out.append(f)
        idx.extend([i] * len(f))
    return "".join(out), idx


def _find_places(
    q: str, folded: str, idx: list[int], cat: Catalog
) -> tuple[list[tuple[int, int, str, str]], str | None]:
    """Loaded places named in the question as (start, end, key, value), and an unloaded place if any."""
    found: list[tuple[int, int, str, str]] = []
    for key, table in (("district", cat.districts), ("province", cat.provinces)):
        for name, canon in table.items():
            for m in re.finditer(rf"(?<![a-z0-9]){re.escape(name)}(?![a-z0-9])", folded):
                found.append((m.start(), m.end(), key, canon))
    for name in cat.localities:
        for m in re.finditer(rf"(?<![a-z0-9]){re.escape(name)}(?![a-z0-9])", folded):
            found.append((m.start(), m.end(), "commune", name))
    found.sort()

    missing = None
    known = set(cat.provinces) | set(cat.districts) | set(cat.localities)
    for name in VN_PROVINCES:
        f = fold(name)
        if any(f in k or k in f for k in known):
            continue
        for m in re.finditer(rf"(?<![a-z0-9]){re.escape(f)}(?![a-z0-9])", folded):
            orig = q[idx[m.start()] : idx[m.end() - 1] + 1]
            marker = re.search(rf"\b{_PLACE_MARKER}\s*$", folded[: m.start()])
            titled = all(w[:1].isupper() for w in orig.replace("-", " ").split())
            if not (marker or titled):
                continue  # "hòa bình" the word, not Hòa Bình the province
            # The plans may themselves mention the place ("tỉnh Preyveng", "Hồ Chí Minh"):
            # a question about that text is fair, a question about that place's plan is not.
            phrase = f"{marker.group(0).strip()} {f}" if marker else f
            if re.search(rf"(?<![a-z0-9]){re.escape(phrase)}(?![a-z0-9])", cat.corpus_folded):
                continue
            missing = name
            break
        if missing:
            break
    if missing is None:
        # "huyện Châu Thành", "tỉnh Preyveng": a place marker followed by a capitalised name
        for m in re.finditer(
            r"\b(tỉnh|Tỉnh|huyện|Huyện|thành phố|Thành phố|TP\.?|thị xã|Thị xã|quận|Quận)\s+"
            r"((?:[A-ZĐÀ-Ỹ][\wÀ-ỹ]*\s?){1,3})",
            q,
        ):
            name = m.group(2).strip()
            f = fold(name)
            if f in known or not name[:1].isupper():
                continue
            if fold(m.group(0).strip()) in cat.corpus_folded or f in cat.corpus_folded:
                continue
            missing = name
            break
    return found, missing


def _find_docs(folded: str, cat: Catalog) -> tuple[list[tuple[int, int, list[str]]], str | None]:
    """Loaded plans named by number as (start, end, docs), and an unloaded number if any."""
    found: list[tuple[int, int, list[str]]] = []
    missing = None
    for m in _NUMBERED.finditer(folded):
        num = m.group("num") or m.group("num2")
        kind = m.group("kind") or m.group("kind2")
        hits = cat.docs_numbered(num)
        if hits:
            found.append((m.start(), m.end(), hits))
            continue
        # A year after "kế hoạch" is a period, not a number ("kế hoạch 2024").
        if 1990 <= int(num) <= 2100 and not (m.group("suffix") or m.group("num2")) and "so" not in m.group(0):
            continue
        if re.search(rf"(?<![0-9]){int(num)}\s*/|so\s+{int(num)}(?![0-9])", cat.corpus_folded):
            continue  # a document the loaded plans cite: questions about it are answerable
        label = "Quyết định" if kind in ("qd", "quyet dinh") else "Kế hoạch"
        missing = missing or f"{label} số {num}"
    return found, missing


_APART = re.compile(r"\b(va|voi|hay|hoac|so voi|con|cung nhu)\b")


def _mentions(folded: str, places: list, numbered: list, cat: Catalog) -> list[tuple[str, str, frozenset]]:
    """The distinct plan scopes a question names, as (key, value, docs in scope).

    "huyện Lấp Vò, tỉnh Đồng Tháp" or "KH 183 Đồng Nai" name one scope (the narrower one
    is kept); "Đồng Tháp và Lấp Vò" names two, because "và" sets them apart.
    """
    raw = []
    for a, b, docs in numbered:
        raw.append((a, b, "doc", docs[0] if len(docs) == 1 else docs[0], frozenset(docs)))
    for a, b, key, canon in places:
        if key == "commune":
            docs = frozenset(cat.localities.get(canon, ()))
        else:
            docs = frozenset(
                d for d, m in cat.docs.items() if (m.district if key == "district" else m.province) == canon
            )
        raw.append((a, b, key, canon, docs or frozenset({f"{key}:{canon}"})))
    raw.sort()
    keep = list(raw)
    for x in raw:
        for y in raw:
            if x is y or x not in keep or y not in keep:
                continue
            if y[4] <= x[4] and (y[4] != x[4] or raw.index(y) < raw.index(x)):
                lo, hi = sorted((x, y))
                if not _APART.search(folded[lo[1] : hi[0]]) or x[4] == y[4]:
                    keep.remove(x)
    out: list[tuple[str, str, frozenset]] = []
    for _, _, key, value, docs in keep:
        if all(docs != o[2] for o in out):
            out.append((key, value, docs))
    return out


def _strip_spans(folded: str, spans: list[tuple[int, int]]) -> str:
    out = list(folded)
    for a, b in spans:
        for i in range(a, b):
            out[i] = " "
    return "".join(out)


_SIGNER = re.compile(
    r"\b(ai ky|nguoi ky|do ai ky|ky boi|ky ten|chu ky|ky ban hanh|ky ke hoach|ky quyet dinh|ky van ban)\b"
)
# "ký"/"kỳ"/"kỷ" all fold to "ky": these words are not someone signing the plan
NOT_SIGN = re.compile(
    r"\b(dinh ky|nhiem ky|thoi ky|hoc ky|ky niem|ky nang|ky thuat|ky luat|ky ket|ky hop|ky yen|ky vong|"
    r"dang ky|ky hieu|ky han|ky thi|ky dai hoi|ky so|chu ky so|moi ky|tung ky|hang ky|cac ky|"
    r"ky bao cao|ky cuoi|ky dau)\b"
)
_ISSUER = re.compile(
    r"\b(co quan nao|ai|don vi nao|cap nao)\b.*\bban hanh\b|\bban hanh boi\b|\bcua co quan nao\b"
)
_DOCNUM = re.compile(
    r"\b(so hieu|so ky hieu|so van ban|(ke hoach|quyet dinh|van ban) (co )?so (may|bao nhieu|gi)|mang so)\b"
)
_DATE = re.compile(
    r"\b(ngay nao|ngay bao nhieu|ngay may|khi nao|bao gio|luc nao|thoi diem|nam nao|thang nao|"
    r"ban hanh (truoc|sau|som|muon)|"
    r"ngay ban hanh|ban hanh ngay|ban hanh (vao )?(ngay|khi|luc|nam)|ngay ky|ky ngay|thoi gian)\b"
)
_DEADLINE = re.compile(
    r"\b(thoi han|han chot|han cuoi|truoc ngay|cham nhat|han bao cao|thoi gian thuc hien|"
    r"som hon|muon hon|som nhat|"
    r"bao cao .*(khi nao|ngay nao|truoc)|(khi nao|ngay nao).*bao cao|hang nam|thoi gian)\b"
)
_SLOGAN = re.compile(r"\b(khau hieu|slogan|thong diep|phuong cham|logo)\b")
_BUDGET = re.compile(r"\b(kinh phi|ngan sach|nguon von|chi phi|nguon tien)\b")
_TARGET = re.compile(r"\b(muc tieu|chi tieu|phan dau|top \d+|top|vi tri|xep hang)\b")
_NUMBER = re.compile(
    r"\b(bao nhieu|so luong|ty le|phan tram|may (nam|thang|ngay|km|lan|nhiem vu|tinh|xa)|"
    r"dai bao|chieu dai|it nhat|(co|gom|la|cho|dat|duoc) may|thu may|hang may|top may)\b|%"
)
_COMPARE = re.compile(
    r"\b(so sanh|moi tinh|moi ke hoach|moi dia phuong|tung tinh|tung ke hoach|ben nao|tinh nao|"
    r"ke hoach nao|dia phuong nao|khac nhau|giong nhau|khac gi|giong gi|ca hai|"
    r"hai ke hoach|hai tinh)\b"
)
_LEAD = re.compile(
    r"\b(chu tri|phu trach|dau moi|dam nhiem|dam nhan|chiu trach nhiem|duoc giao|giao cho|"
    r"giao (ai|don vi nao|co quan nao|so nao|nganh nao))\b"
)
_WHO = re.compile(
    r"\b(ai|(so|don vi|co quan|(?<!van )ban|phong|to chuc|cap|luc luong|bo phan|trung tam|"
    r"doan the|tap the)\s+(nao|gi))\b"
)
_PARTNER = re.compile(
    r"\bphoi hop\b|\b(hop tac|trao doi|lien he|bao|lien ket) (voi|cho) (ai|don vi nao|co quan nao|nhung ai)\b"
)
_TASKS = re.compile(
    r"\b(nhiem vu|lam gi|can lam|phai lam|lam nhung gi|trach nhiem|vai tro|cong viec|phan cong|"
    r"duoc giao (gi|nhung)|giao (gi|nhung gi)|nhung viec|viec gi|hoat dong gi|noi dung gi|"
    r"chu tri (nhung|cac|gi|viec)|phoi hop (nhung|cac|gi|viec))\b"
)
_LIST = re.compile(
    r"\b(nhung( [a-z0-9]+){0,4} (gi|nao)|nhung (hinh thuc|noi dung|hoat dong|nhiem vu|giai phap|kenh)|"
    r"cac .{1,40}\bnao\b|"
    r"liet ke|gom (nhung )?gi|bao gom|ke ten|nhung ai|nao khac|hinh thuc nao)\b"
)


def _fact_kind(f: str) -> str | None:
    loose_sign = (
        re.search(r"\bky\b", NOT_SIGN.sub(" ", f))
        and re.search(r"\b(ai|nguoi nao)\b", f)
        and not _LEAD.search(f)
    )  # "ai chủ trì … ký kết …" asks who leads
    if _SIGNER.search(NOT_SIGN.sub(" ", f)) or loose_sign:
        return "signer"
    if _DOCNUM.search(f) and (
        re.search(r"\b(so hieu|so ky hieu|mang so)\b", f)
        or not re.search(r"\b(thuc hien|trien khai|can cu|kem theo|theo)\b", f)
    ):
        return "doc_number"  # the plan's own number, not one it implements or cites
    if _DOCNUM.search(f):
        return "refnum"
    if (
        _ISSUER.search(f)
        and re.search(r"\b(ke hoach|quyet dinh|van ban)\b", f)
        and not re.search(r"\btham muu\b", f)
    ):
        return "issuer"
    if _SLOGAN.search(f):
        return "slogan"
    if _DATE.search(f) or _DEADLINE.search(f):
        issue = re.search(r"\b(ban hanh|ky)\b", f) and not re.search(
            r"\b(bao cao|thuc hien|hoan thanh|gui)\b", f
        )
        return "date" if issue else "deadline"
    if _BUDGET.search(f):
        return "budget"
    if _TARGET.search(f):
        return "target"
    if _NUMBER.search(f):
        return "number"
    return None


_UNIT_ABOUT = re.compile(r"\b(gop phan|gop suc|dong gop|ky vong|chuan bi|the nao|ra sao|lam sao|o dau)\b")
_SOURCE_FACT = re.compile(r"\b(theo de nghi cua|can cu (vao )?(van ban|ke hoach|nghi quyet|ket luan) nao)\b")
_PLACE_FACT = re.compile(r"\b(xa nao|huyen nao|o dau|tai dau|dia diem nao)\b")


def _intent(f: str, units: list[str], several: bool) -> tuple[str, str | None, str | None]:
    """(intent, fact kind, unit role) from the folded question (places and numbers blanked out)."""
    fact = _fact_kind(f)
    who = bool(_WHO.search(f))
    if (
        units
        and (_TASKS.search(f) or _UNIT_ABOUT.search(f))
        and not (who and not re.search(r"\b(cua|chu tri|phoi hop) .*\b(gi|nhung|nao)\b", f))
    ):
        role = (
            "lead" if re.search(r"\bchu tri\b", f) else "partner" if re.search(r"\bphoi hop\b", f) else None
        )
        return "unit_tasks", None, role
    if several or _COMPARE.search(f):
        return "compare", fact, None
    if fact in ("signer", "doc_number", "issuer"):
        return "fact", fact, None
    if _SOURCE_FACT.search(f):
        return "fact", fact, None
    if who or re.search(r"\bdo (ai|don vi nao|co quan nao|so nao)\b", f):
        if _PARTNER.search(f) and not re.search(r"\bchu tri\b", f):
            return "partner_unit", None, None
        if fact in ("date", "deadline", "number", "target", "budget", "slogan") and not _LEAD.search(f):
            return "fact", fact, None
        return "lead_unit", None, None
    if (
        _LEAD.search(f)
        and re.search(r"\b(nao|gi)\b", f)
        and re.search(r"\b(don vi|co quan|so|nganh|ban|phong)\s+(nao\s+)?(chu tri|phu trach)\b", f)
    ):
        return "lead_unit", None, None
    if _PARTNER.search(f) and re.search(r"\b(don vi|co quan)\s+phoi hop\b", f):
        return "partner_unit", None, None
    if re.search(r"\b(liet ke|ke ten|ke ra)\b", f) or (fact == "target" and _LIST.search(f)):
        return "list", None, None  # "liệt kê / những chỉ tiêu nào": every target, not one fact
    if fact or _PLACE_FACT.search(f):
        return "fact", fact, None
    if _LIST.search(f):
        return "list", None, None
    if units:
        return "unit_tasks", None, None
    return "other", None, None


@lru_cache(maxsize=1)
def _abbreviations() -> tuple[tuple[re.Pattern, str], ...]:
    """(short-form pattern, long form) from the shared abbreviation list, longest first."""
    try:
        from assistant.indexing.lexical import abbreviation_entries

        entries = abbreviation_entries()
    except Exception:  # no data file: questions are read as written
        return ()
    # two-letter forms ("KH", "TU") are too ambiguous: "KH 183" is a plan number, not an expansion
    pairs = [(short, e["long"]) for e in entries for short in e.get("short", []) if len(short) >= 3]
    pairs.sort(key=lambda x: -len(x[0]))
    # not inside a document number ("183/KH-UBND" keeps its UBND)
    return tuple((re.compile(rf"(?<![\w&/-]){re.escape(short)}(?![\w&])"), long) for short, long in pairs)


def expand_abbreviations(text: str) -> str:
    """ "KH TTĐN" → "KH Thông tin đối ngoại": short forms as written (case-sensitive) to long forms."""
    for pat, long in _abbreviations():
        text = pat.sub(long, text)
    return text


def _drop_issuers(units: list[str], cat: Catalog) -> list[str]:
    """ "UBND xã X đề nghị Sở Y hỗ trợ gì?": the plan's issuer is the speaker, Sở Y the subject."""
    rest = [u for u in units if fold(u) not in cat.issuers]
    return rest if rest else units


def parse_question(text: str, catalog: Catalog | None = None) -> Query:
    """Understand ``text``. Without a catalog, places, numbers and units are not resolved."""
    cat = catalog or Catalog()
    original = " ".join(nfc(text).split())
    q = expand_abbreviations(original)
    folded, idx = _fold_map(q)
    found_places, missing_place = _find_places(q, folded, idx, cat)
    numbered, missing_doc = _find_docs(folded, cat)
    mentions = _mentions(folded, found_places, numbered, cat)
    docs = [d for _, _, ds in numbered for d in ds]
    places: list[tuple[str, str]] = []
    for _, _, key, canon in found_places:
        if (key, canon) not in places:
            places.append((key, canon))

    filters: dict[str, str] = {}
    if len(mentions) == 1:
        key, value, in_scope = mentions[0]
        if key != "commune":
            filters[key] = value
        elif len(in_scope) == 1:  # a commune is not a retrieval filter: its one plan is
            filters["doc"] = next(iter(in_scope))
    scope = sorted({d for _, _, ds in mentions for d in ds if d in cat.docs}) if len(mentions) >= 2 else []

    units = _drop_issuers(cat.match_units(q, filters.get("province")), cat)
    spans = [(a, b) for a, b, _, _ in found_places] + [(a, b) for a, b, _ in numbered]
    rest = _strip_spans(folded, spans)
    intent, fact, role = _intent(rest, units, len(mentions) >= 2)
    query = Query(
        text=original,
        intent=intent,
        fact=fact,
        filters=filters,
        units=units,
        places=places,
        docs=list(dict.fromkeys(docs)),
        role=role,
        scope=scope,
        folded=rest,
    )
    query.terms = content_terms(rest)
    if missing_doc and not docs:
        query.missing = missing_doc
    elif missing_place and not mentions:
        query.missing = missing_place
    return query
