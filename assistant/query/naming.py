"""How a question names a plan rather than asks about it: by its issuing body (the header's "cơ
quan ban hành", Decree 30/2020), by its trích yếu (title) or by the month of its date line. The
parser (``parse.py``) takes these words out of what is asked."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator

from assistant.query.catalog import Catalog
from assistant.query.catalog_words import word_pairs
from assistant.textnorm import fold, fold_map
from assistant.vocab.lists import WORKING_BODIES
from assistant.vocab.places import place_key, province_of_alias
from assistant.vocab.units import heads

__all__ = [
    "cut_folded",
    "drop_issuers",
    "set_apart",
    "trim_firm_names",
    "names_author",
    "owned_body",
    "without_title_runs",
    "titled_in_scope",
    "dated_in_scope",
    "names_in_lower_case",
    "names_written",
]


# "Kế hoạch 0130 của UBND tỉnh Đắk Lắk", "KH do Sở Công Thương ban hành": a unit written after
# the document it issued is that document's author (the header's "cơ quan ban hành"), not a unit
# the question asks about
_AUTHOR = re.compile(
    r"\b(ke hoach|kh|van ban|cong van|quyet dinh|chi thi|thong bao)\b(\s+(so\s+)?[0-9][^\s,]*)?\s+(cua|do)\s+"
    r"(uy ban|ubnd|so|ban|doan|bo)\b"
)


# "Kế hoạch nâng cao năng lực … của UBND tỉnh Bắc Ninh", "Kế hoạch kiểm tra … tháng 5/2026 của Sở
# Công Thương": the plan named by its trích yếu, then its issuing body after "của/do" — the header's
# "cơ quan ban hành" (Decree 30/2020), not a unit the question asks about. The clause must open
# the question (or follow "theo/trong"), repeat two word pairs of a loaded plan's title, and end
# at a comma or the end of the unit's name — or at "căn cứ", the plan's legal basis (its preamble's
# "Căn cứ Công điện …", Decree 30/2020) asked of it: "Kế hoạch hỗ trợ … của UBND tỉnh X căn cứ …".
_TITLED_AUTHOR = re.compile(
    r"^\s*((theo|trong|tai|o|voi)\s+)?(ke hoach|kh|van ban|cong van)\b"
    r"(?P<title>(?:(?!\b(?:nhiem vu|giao|trach nhiem|phan cong|cong viec|viec)\b)[^;?]){0,160}?)\s(cua|do)\s+"
    r"(?P<unit>(uy ban nhan dan|ubnd|so)( [a-z0-9&]+){1,6}?)\s*(,|$|\s(dat|co|giao|yeu|de|duoc|ban|ky|"
    r"gom|neu|quy|xac|thi|ve|nham|theo|trong|thuc|can cu)\b)"
)


def _issuer_key(name: str) -> str:
    """An issuing authority compared by its place: the header writes it in full ("ỦY BAN NHÂN DÂN
    THÀNH PHỐ HỒ CHÍ MINH"), a question in its short forms ("UBND TP HCM"); both are one body."""
    f = " ".join(fold(name).split())
    m = re.match(r"(uy ban nhan dan|ubnd)\s+(.+)$", f)
    if not m:
        return f
    place = m.group(2)
    province = province_of_alias().get(place) or province_of_alias().get(place_key(place))
    return "uy ban nhan dan " + place_key(province or place)


def drop_issuers(units: list[str], cat: Catalog, folded: str = "") -> list[str]:
    """ "UBND xã X đề nghị Sở Y hỗ trợ gì?": the plan's issuer is the speaker, Sở Y the subject;
    "Kế hoạch 0130 của UBND tỉnh … ban hành ngày nào": the issuer only names the plan's author."""
    issuers = {_issuer_key(i) for i in cat.issuers}
    rest = [u for u in units if fold(u) not in cat.issuers and _issuer_key(u) not in issuers]
    authors = {
        fold(m.group("unit")) for m in _TITLED_AUTHOR.finditer(folded) if cat.names_a_title(m.group("title"))
    }
    if not rest and units and _AUTHOR.search(folded):
        return []
    rest = rest if rest else units
    return [u for u in rest if not any(a == fold(u) or a.startswith(fold(u) + " ") for a in authors)]


# an enterprise's name ("Công ty cổ phần Đá quý và Vàng", "Hợp tác xã Nông nghiệp Tân Tiến") is a
# generic head and a proper name written in capitals (Luật Doanh nghiệp: the "tên riêng" part);
# a question goes on after it in lower case ("… gửi văn bản đề nghị vào ngày nào?"), words the
# name reader took in because no unit verb stopped it
_FIRM_HEAD = re.compile(r"(?i)^(?:tổng công ty|công ty|hợp tác xã|chi nhánh|doanh nghiệp)\b")
_HEAD_WORDS = 3  # "Công ty cổ phần", "Công ty TNHH": a capital at or past the fourth word is the name


def trim_firm_names(units: list[str]) -> list[str]:
    """Each enterprise name cut after its last capitalised word (the proper name's end)."""
    out = []
    for u in units:
        words = u.split()
        caps = [i for i, w in enumerate(words) if w[:1].isupper()]
        if _FIRM_HEAD.match(u) and caps and caps[-1] >= _HEAD_WORDS and caps[-1] < len(words) - 1:
            u = " ".join(words[: caps[-1] + 1])
        out.append(u)
    return out


def cut_folded(text: str, spans_of: Callable[[str], Iterable[tuple[int, int]]]) -> str:
    """``text`` (as written) without the spans ``spans_of`` finds in its folded form."""
    folded, idx = fold_map(text)
    drop = {idx[k] for a, b in spans_of(folded) for k in range(a, b)}
    return " ".join("".join(c for k, c in enumerate(text) if k not in drop).split()) if drop else text


def without_title_runs(text: str, title: str, min_pairs: int = 2) -> str:
    """``text`` without each run of words that repeats ``title`` word for word, three words at
    least (a plan's trích yếu quoted); ``text`` as written or folded."""
    pairs = word_pairs(fold(title))

    def runs(folded: str) -> Iterator[tuple[int, int]]:
        words = list(re.finditer(r"[a-z0-9]+", folded))
        i = 0
        while i < len(words):
            j = i
            while j + 1 < len(words) and f"{words[j].group()} {words[j + 1].group()}" in pairs:
                j += 1
            if j - i >= min_pairs:
                yield words[i].start(), words[j].end()
            i = j + 1

    return cut_folded(text, runs)


# "Sở Công Thương tỉnh Lào Cai": a department's issuer line (Decree 30/2020, the line under the
# governing body) is the department and the province it serves; a question names the department
_DEPARTMENT_OF = re.compile(r"^((?:so|ban|doan kiem tra|chi cuc) .+?) (?:tinh|thanh pho) .+$")


def names_author(unit: str, folded: str, cat: Catalog) -> bool:
    """``unit`` is a loaded plan's issuer, written in the question after "của" (its activity)."""
    u = fold(unit)
    if not re.search(r"\bcua " + re.escape(u) + r"\b", folded):
        return False
    keys = {_issuer_key(i) for i in cat.issuers}
    keys |= {m.group(1) for i in cat.issuers if (m := _DEPARTMENT_OF.match(i))}
    return u in keys or _issuer_key(unit) in keys


# a working body the issuer set up for one plan (``vocab.lists.WORKING_BODIES``)
_BODY = "(?:" + "|".join(WORKING_BODIES) + ")"


def owned_body(unit: str, folded: str) -> bool:
    """ "Tổ công tác huấn luyện … của Sở Công Thương phải làm những việc gì?": the unit after "của"
    owns a working body named before it; the body is the subject asked, not the unit."""
    return bool(re.search(rf"\b{_BODY}\b[^?]*\bcua {re.escape(fold(unit))}\b", folded))


# "Theo kế hoạch huấn luyện … của Sở Công Thương, ai …?", "Trong KH kiểm tra Sin Quyền, …": the
# clause that opens the question with the document's kind names the plan by its trích yếu; the
# rest is asked. Further in, "kế hoạch đấu giá …" is a task's object, not the plan.
_DOC_CLAUSE = re.compile(r"^\s*((theo|trong|tai|o|voi)\s+)?(ke hoach|kh|van ban|cong van)\b([^,?;]*)")
_SUBJECT_HEAD = re.compile(
    r"(^\s*|\b(theo|trong|cua|tai|o|voi)\s+)(ke hoach|kh|van ban|cong van)(?P<subject>(\s+[a-z]+){2,3})"
)


def titled_in_scope(rest: str, mentions: list, cat: Catalog) -> tuple[str, tuple[int, int]] | None:
    """(plan, the clause's span): the one plan of the named place whose title a document clause of the
    question repeats ("kế hoạch huấn luyện người quản lý … của SCT Lào Cai" among Lào Cai's
    plans), or None when no place with several plans is named or no title stands out."""
    if len(mentions) != 1 or mentions[0][0] not in ("province", "district"):
        return None
    in_scope = frozenset(d for d in mentions[0][2] if d in cat.docs)
    if len(in_scope) < 2:
        return None
    m = _DOC_CLAUSE.search(rest)
    hit = cat.docs_titled(m.group(0), among=in_scope) if m else frozenset()
    if not hit:
        # "kế hoạch dân số (của) Cần Thơ", "… trong kế hoạch quan trắc": the words right after the
        # kind are the plan's subject; one word pair of a title no other of the place's shares names it
        m = _SUBJECT_HEAD.search(rest)
        hit = cat.docs_titled(m.group("subject"), among=in_scope, min_pairs=1) if m else frozenset()
    return (next(iter(hit)), m.span()) if m and len(hit) == 1 else None


# "Trong kế hoạch kiểm tra … tháng 5/2026 của Sở Công Thương": a document is identified by its
# kind, number and date of issue (Decree 30/2020, art. 8); a plan whose number is left blank (a
# Sở's plan published before numbering: "Số: /KH-SCT … ngày tháng 5 năm 2026") is named by the
# month of its date line. Only in the clause that names the plan, not a month an activity is held.
_DATED_CLAUSE = re.compile(
    r"^\s*((theo|trong|tai|o|voi)\s+)?(ke hoach|kh|van ban|cong van)\b[^,;?]{0,120}?"
    r"\bthang (?P<month>\d{1,2})\s*(?:/|nam)\s*(?P<year>\d{4})\b"
)


def dated_in_scope(rest: str, mentions: list, cat: Catalog) -> str | None:
    """The one plan in scope (the place named, else all) issued in the month the question's plan
    clause gives (``_DATED_CLAUSE``), or None when none or several were."""
    m = _DATED_CLAUSE.search(rest)
    in_scope = (
        frozenset(d for d in mentions[0][2] if d in cat.docs) if len(mentions) == 1 else frozenset(cat.docs)
    )
    hit = cat.docs_dated(int(m.group("year")), int(m.group("month")), among=in_scope) if m else frozenset()
    if len(hit) > 1 and m:
        # several issued that month: the clause's title words say which ("kế hoạch huấn luyện tháng
        # 6/2026" beside a Công văn of June), one word pair is enough among so few
        hit = cat.docs_titled(m.group(0), among=hit, min_pairs=1) or hit
    return next(iter(hit)) if len(hit) == 1 and len(in_scope) > 1 else None


_APART = re.compile(r"\b(va|voi|hay|hoac|so voi|con|cung nhu)\b")
# A conjunction sets two names apart only where it joins them ("Đồng Tháp và Lấp Vò", "kế hoạch
# 0134 với kế hoạch 0129"): a "và" inside the clause between a plan and its province ("Theo kế
# hoạch 0134, thuốc bảo vệ thực vật và kim loại nặng … ở Đắk Lắk") joins the things asked about
_JOINED_WORDS = 4


def set_apart(gap: str) -> bool:
    """The text between two names joins them as two ("và", "so với" …, a few words at most); an
    aside in brackets that says more of the first ("Đồng Tháp (thông tin đối ngoại 2024) và ở
    huyện Lấp Vò") is not counted."""
    gap = re.sub(r"\([^()]*\)", " ", gap)
    return bool(_APART.search(gap)) and len(re.findall(r"[a-z0-9]+", gap)) <= _JOINED_WORDS


# the run a question's own words open with that names a kind of body or document, not a proper
# name ("Sở Công Thương", "Kế hoạch …" hold capitals too), typed with capitals or not
_NOT_A_NAME = re.compile(r"(ubnd|uy ban|so |ke hoach|quyet dinh|cong van|chi thi|thong bao)")


def names_written(text: str, cat: Catalog) -> list[str]:
    """Proper names in the question ("Sin Quyền", "Bản Vược": two or more capitalised words
    together, the question's first word aside) that are not a loaded place or unit (those
    route already) nor an issuer or a document."""
    words = [w.strip(',.;:?!()"“”') for w in text.split()]
    runs: list[list[str]] = [[]]
    for i, w in enumerate(words):
        if i > 0 and w[:1].isupper() and w[:1].isalpha():
            runs[-1].append(w)
        elif runs[-1]:
            runs.append([])
    out = []
    for run in runs:
        if len(run) < 2:
            continue
        name = " ".join(run)
        f = fold(name)
        if f in cat.provinces or f in cat.districts or f in cat.units or f in cat.localities:
            continue
        if _NOT_A_NAME.match(f):
            continue
        out.append(name)
    return out


def names_in_lower_case(original: str, folded: str, cat: Catalog) -> list[str]:
    """The plans' proper names (``Catalog.proper_names``) a question typed in lower case gives:
    "ai ký … cho mo tuyen dong sin quyen" names "Sin Quyền" as "… Mỏ tuyển đồng Sin Quyền"
    does, though no capital marks it. Only a question without any capital is read so (one
    typed with capitals says its names itself), longest name first, and never a place, a
    unit, or the head of a unit's name ("bo chi" of "Bộ Chỉ huy Quân sự tỉnh")."""
    if any(ch.isupper() for ch in original[1:]) or not cat.proper_names:
        return []
    words = re.findall(r"[a-z0-9]+", folded)
    taken = [False] * len(words)
    out = []
    for n in range(5, 1, -1):
        for i in range(len(words) - n + 1):
            name = " ".join(words[i : i + n])
            if any(taken[i : i + n]) or name not in cat.proper_names or _NOT_A_NAME.match(name):
                continue
            if name in cat.provinces or name in cat.districts or name in cat.units or name in cat.localities:
                continue
            if any(u.startswith(name + " ") for u in cat.units) or _unit_head(name):
                continue
            taken[i : i + n] = [True] * n
            out.append(name)
    return out


def _unit_head(name: str) -> bool:
    """Whether a name opens with a unit's head word ("Bộ Xây dựng", "Công ty …"): a body, which
    the unit matcher reads, not the proper name of a site."""
    words = name.split()
    return any(tuple(words[: len(h)]) == tuple(f for f, _ in h) for h in heads())
