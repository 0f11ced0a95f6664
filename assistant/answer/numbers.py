"""The number a "bao nhiêu" question asks for, and where it stands: the noun it counts or
measures ("bao nhiêu lượt khách" → a number beside "lượt"), or a quantity noun whose clause holds
it ("tổng kinh phí là bao nhiêu"); a clause dated by other years gives another figure."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from assistant.answer.meta import YEAR
from assistant.textnorm import fold
from assistant.vocab.places import route_names
from assistant.vocab.tokens import STOPWORDS, folded_tokens

__all__ = [
    "QUANTITY_NOUNS",
    "anchor_after",
    "asks_count",
    "counted_near",
    "dated_elsewhere",
    "for_route",
    "number_near",
    "per_period",
    "same_year",
]


# Nouns a "bao nhiêu" question counts or measures. The value may sit anywhere in the
# clause that names them ("Tổng kinh phí dự kiến: 18,6 tỷ đồng").
QUANTITY_NOUNS = (
    "kinh phi",
    "ngan sach",
    "nguon von",
    "chi phi",
    "du toan",
    "tong von",
    "von",
    "chi tieu",
    "muc tieu",
    "so luong",
    "ty le",
    "dien tich",
    "quy mo",
    "san luong",
    "doanh thu",
    "so tien",
    "muc ho tro",
    "muc chi",
    "thoi gian",
    "so lop",
    "so nguoi",
    # the columns of a cost estimate's line (dự toán: "Đơn vị tính | Số lượng | Đơn giá | Thành
    # tiền"): "đơn giá xăng xe là bao nhiêu" asks the amount of that cell, not a count of "xe"
    "don gia",
    "thanh tien",
    # a share or a concentration ("tỷ trọng", "nồng độ Chlorine"), written as a percentage
    "ty trong",
    "nong do",
)
# the nouns of a rate, which a plan writes as a percentage beside what it measures ("100% các xã,
# phường bố trí …", "Chlorine 70%"), seldom beside the noun itself
_RATE_NOUNS = frozenset(("ty le", "ty trong", "nong do"))
_QUANTITY_RE = re.compile(r"\b(" + "|".join(QUANTITY_NOUNS) + r")\b")
# after "bao nhiêu": a unit of measure or the counted noun ("lượt khách", "tỷ đồng")
_AFTER_SKIP = frozenset(("nam", "ca", "nuoc", "thi", "tat"))
_DETERMINERS = frozenset(("cac", "nhung", "moi", "tung"))
# "mỗi năm", "hằng năm", "hàng tháng" after "bao nhiêu" say per what period, not what is counted
_PER_PERIOD = re.compile(r"\b(moi|hang)\s+(nam|thang|quy|tuan|ngay|dot|ky)\b")


# units of measure a question spells out and a plan writes by their symbol ("bao nhiêu héc ta" →
# "1.700 ha", "bao nhiêu ki-lô-mét" → "12 km"; the units of TCVN 7870 / Nghị định 86/2012 as
# administrative documents write them)
_UNIT_SYMBOL = {
    "hec ta": "ha",
    "hecta": "ha",
    "hec-ta": "ha",
    "ki lo met": "km",
    "ki-lo-met": "km",
    "kilomet": "km",
    "met vuong": "m2",
    "met khoi": "m3",
    "kilogam": "kg",
    "ki lo gam": "kg",
    "megawatt": "mw",
    "mega oat": "mw",
}
_SPELLED_UNIT = re.compile(
    r"\b(" + "|".join(sorted(map(re.escape, _UNIT_SYMBOL), key=len, reverse=True)) + r")\b"
)
# words that make "mấy / bao nhiêu" ask a time ("ngày mấy", "mấy giờ", "năm bao nhiêu"), not a count
_TIME_WORDS = frozenset(("ngay", "thang", "nam", "gio", "quy", "tuan", "phut", "buoi", "luc", "khi", "han"))
_COUNTED = re.compile(r"\b(?:may|bao nhieu)\s+([a-z]+)")


def asks_count(f: str) -> bool:
    """ "chia làm mấy đợt", "bao nhiêu lần": a noun counted right after the ask word asks a count,
    even when the question's topic is a time ("thời gian thi đua chia làm mấy đợt")."""
    m = _COUNTED.search(f)
    return m is not None and m.group(1) not in _TIME_WORDS and m.group(1) not in STOPWORDS


def anchor_after(f: str) -> list[str]:
    """The words the number should stand with, from the folded question (places and
    plan numbers already blanked, see ``Query.folded``).

    "bao nhiêu lượt khách" → ["luot"] (the number stands next to it); "tổng kinh phí
    là bao nhiêu" → ["kinh phi"] (anywhere in the same clause). A place or plan number
    is never an anchor: it says which plan, not what is counted.
    """
    f = _SPELLED_UNIT.sub(lambda u: _UNIT_SYMBOL[u.group(0)], f)
    m = re.search(r"\b(bao nhieu|may)\b((?:\s+[a-z0-9%&]+){0,3})", f)
    if not m:
        return []
    after = " ".join(_PER_PERIOD.sub(" ", m.group(2)).split())
    # "giảm bao nhiêu mỗi năm theo dự báo", "bao nhiêu xã trong kế hoạch": a phrase opened by a
    # preposition says by whose reckoning or where, it is not what is counted
    after = _PREPOSITION.split(f" {after} ", maxsplit=1)[0].strip()
    q_after = _QUANTITY_RE.match(after)
    if q_after:
        return [q_after.group(1)]
    toks = after.split()
    content = [
        i
        for i, w in enumerate(toks)
        if w not in STOPWORDS and w not in _AFTER_SKIP and not _NUMERIC.search(w)
    ]
    if content:
        # "bao nhiêu cơ sở dữ liệu": folded "co so" are stop words ("có", "số") but open the noun
        # counted; the number stands before the whole phrase ("11 cơ sở dữ liệu")
        j = start = content[0]
        while start > 0 and toks[start - 1] in STOPWORDS and toks[start - 1] not in _AFTER_SKIP:
            start -= 1
        return [" ".join(toks[start : j + 1])]
    # "bao nhiêu xã, phường", "bao nhiêu huyện": the place words retrieval skips are what is counted
    counted = [w for w in toks if w not in _DETERMINERS and w not in _AFTER_SKIP and not _NUMERIC.search(w)]
    if counted:
        return counted[:1]
    # "X trong phụ lục kế hoạch 0134 là bao nhiêu": the words after X say where the plan writes it,
    # not what is counted; the thing asked is the subject before them
    head = _LOCATOR.sub(" ", f[: m.start()])
    nouns = list(_QUANTITY_RE.finditer(head))
    if nouns:  # "... kinh phí (của kế hoạch X) là bao nhiêu": the closest quantity noun
        return [nouns[-1].group(1)]
    before = [w for w in head.split() if w not in STOPWORDS and not _NUMERIC.search(w)]
    return before[-1:]


# where the question says the value is written: "trong phụ lục (kế hoạch …)", "theo kế hoạch …",
# "tại bảng …", up to the "là" that opens the question's slot (a plan's parts are its annexes,
# tables, sections and items; the document they belong to is named by kind)
_LOCATOR = re.compile(
    r"\b(?:trong|theo|tai|o|cua)\s+(?:cac\s+)?(?:phu luc|bang|muc|phan|ke hoach|van ban|quyet dinh|"
    r"cong van|chi thi|de an|du toan)\b[^,;?]*?(?=\s+la\s*$|\s*$)"
)


_NUMERIC = re.compile(r"\d")
# (not "tai", "cua": folded they are also "tài", "cửa" of a noun counted: "tài liệu", "cửa hàng")
_PREPOSITION = re.compile(r"\s(?:theo|trong|so voi|o|doi voi)\s")
_RATE_UNIT = re.compile(r"^[a-z]+/[a-z0-9]")
# the label a plan's part opens with: "3. ", "1.2. ", "II. ", "a) " (plans number their parts so,
# Decree 30/2020 on the body's layout); "02 hội nghị/năm" and "1.500.000.000 đồng" are amounts
_OUTLINE_LABEL = re.compile(r"^[\s*_-]*(?:\d{1,2}(?:\.\d{1,2})*\.|[IVX]{1,4}\.|[a-zđ]\))\s+(?=\D)")
# digits that are not an amount: a document number ("142/kh-ubnd") or a full date
_NOT_AMOUNT = re.compile(r"^\d+/[a-z]|^\d{1,2}/\d{1,2}/\d{2,4}$")


# an amount of money as plans write it: "164,3 tỷ đồng", "50.000.000 đồng/năm", "4,87 tỷ USD",
# or a cost table's cell under a column that names the currency ("Thành tiền (đồng): 24.082.830",
# as the loader writes a row: the column header, then its cell)
_MONEY_AMOUNT = re.compile(
    r"\d[\d.,]*\s*(?:ty|trieu|nghin|ngan)?\s*(?:dong|vnd|usd)\b"
    r"|\(\s*(?:ty|trieu|nghin|ngan)?\s*(?:dong|vnd|usd)\s*\)\s*:\s*\d"
)


# the classifier a plan counts some nouns with: people of any kind are counted in "người"
# ("giải quyết việc làm cho khoảng 59.000 người", "(100 người)"), places sampled or visited in
# "điểm" ("Số điểm quan trắc: 03 điểm"), so "bao nhiêu lao động", "mấy vị trí" stand there too
_WRITTEN_AS = {
    "lao": ("nguoi",),
    "lao dong": ("nguoi",),
    "hoc vien": ("nguoi",),
    "thi sinh": ("nguoi",),
    "vi tri": ("diem",),
    "dia diem": ("diem",),
}


def number_near(anchor: str) -> Callable[[str], bool]:
    """A number beside the anchor (a unit after "bao nhiêu"), or, for a quantity noun,
    an amount anywhere in the same clause."""
    if anchor == "tien":
        # "bao nhiêu tiền" asks an amount of money, which a plan writes in its currency unit
        # ("Quỹ “Vì người nghèo” được 164,3 tỷ đồng", "Thuê dịch vụ tin nhắn: 50.000.000
        # đồng/năm"), never beside the word "tiền"
        return lambda seg: bool(_MONEY_AMOUNT.search(fold(seg)))
    words = anchor.split()
    in_clause = anchor in QUANTITY_NOUNS

    def near(toks: list[str], ws: list[str]) -> bool:
        starts = [i for i in range(len(toks)) if toks[i : i + len(ws)] == ws]
        for i, t in enumerate(toks):
            if not starts or not _NUMERIC.search(t) or _NOT_AMOUNT.search(t):
                continue
            if in_clause or any(abs(i - s) <= 2 or s <= i <= s + len(ws) + 1 for s in starts):
                return True
        return False

    def ok(seg: str) -> bool:
        # a rate's unit is written "noun/noun" ("2,1 con/phụ nữ", "02 đợt/tháng", "109 bé trai/100
        # bé gái"): the noun counted stands before the slash, a token of its own; the outline
        # label a part opens with ("3. Hội nghị phổ biến …") is its place in the plan, no amount
        seg = _OUTLINE_LABEL.sub("", seg, count=1)
        toks = [w for t in folded_tokens(seg) for w in (t.split("/") if _RATE_UNIT.match(t) else (t,))]
        # the phrase as asked ("co so du"), else its last word alone ("bao nhiêu các xã" → "40 xã")
        if near(toks, words) or (len(words) > 1 and near(toks, words[-1:])):
            return True
        return any(near(toks, alt.split()) for alt in _WRITTEN_AS.get(anchor, ()))

    if anchor in _RATE_NOUNS:
        # a rate is written as its percentage ("100% các xã, phường bố trí công chức …"), seldom
        # beside the words "tỷ lệ"; a rate written so ("tỷ lệ … đạt 1,5/1.000") answers as before
        return lambda seg: ok(seg) or bool(re.search(r"\d\s*%", seg))
    return ok


# a year, not part of a date ("12/2024"), an amount ("2.025", "2024,5") or a longer number;


def same_year(question: str, ok: Callable[[str], bool]) -> Callable[[str], bool]:
    """ "kinh phí năm 2025" is not answered by "giai đoạn 2024 - 2026 là 4,2 tỷ": a clause
    that dates its amount by other years only gives a different figure."""
    asked = set(YEAR.findall(question))
    if not asked:
        return ok

    def dated(seg: str) -> bool:
        years = set(YEAR.findall(seg))
        return ok(seg) and (not years or bool(years & asked))

    return dated


_PERIOD = re.compile(r"\b(20\d\d)\s*[-–]\s*(20\d\d)\b")


def dated_elsewhere(question: str, section: Sequence[str], seg: str) -> bool:
    """A figure under a heading that dates it by other years than the one asked: a plan heads its
    review of the past year and its forecast apart ("I. TÌNH HÌNH THỰC HIỆN … NĂM 2025", "II. DỰ
    BÁO … 03 NĂM 2026 - 2028"), and the items under each write no year of their own, so "năm 2026
    … bao nhiêu" is not answered from the 2025 review. A clause that writes a year is
    ``same_year``'s to judge; a heading that names no year dates nothing."""
    asked = {int(y) for y in YEAR.findall(question)}
    if not asked or YEAR.search(seg):
        return False
    heads = " ".join(section)
    years = {int(y) for y in YEAR.findall(heads)}
    for a, b in _PERIOD.findall(heads):
        if 0 < int(b) - int(a) <= 30:
            years.update(range(int(a), int(b) + 1))
    return bool(years) and not years & asked


def for_route(question: str, ok: Callable[[str], bool]) -> Callable[[str], bool]:
    """ "bao nhiêu vốn cho dự án cao tốc Cần Thơ - Cà Mau" is answered by a clause that names the
    route: a plan allotting money or length to a named road, line or bridge writes the name beside
    the figure ("Dự án cao tốc Cần Thơ - Cà Mau: … tỷ đồng"); a figure of the plan's other
    investment ("thu hút 20 dự án … 7.285,7 tỷ đồng") is no answer (``vocab.places.route_names``)."""
    routes = route_names(question)
    if not routes:
        return ok

    def named(seg: str) -> bool:
        text = " ".join(fold(seg).split())
        return ok(seg) and any(r in text for r in routes)

    return named


# words after a counted noun that relate it rather than say its kind ("điểm tại vùng nuôi",
# "người trong danh sách", "mỏ mỗi năm")
_RELATIONAL = frozenset(
    (
        "tai",
        "o",
        "trong",
        "tren",
        "duoi",
        "cho",
        "cua",
        "ve",
        "theo",
        "voi",
        "tu",
        "den",
        "moi",
        "va",
        "dat",
        "la",
    )
)


def _qualifier(f: str, anchor: str) -> str | None:
    """The word that qualifies the noun counted in the question: "bao nhiêu mỏ vàng" → "vang"."""
    m = re.search(rf"\b(?:bao nhieu|may)\s+{re.escape(anchor)}\s+([a-z]+)\b", f)
    word = m.group(1) if m else None
    return word if word and word not in STOPWORDS and word not in _AFTER_SKIP | _RELATIONAL else None


def counted_near(f: str, anchor: str) -> Callable[[str], bool]:
    """``number_near``, and the number counts the kind of thing asked: a plan qualifies the noun
    it counts right after it ("05 mỏ khoáng sản", "100 học sinh tiểu học"), so "bao nhiêu mỏ vàng"
    is not answered by "05 mỏ khoáng sản" unless the sentence says "vàng" (issue 12, class 4);
    a noun the sentence leaves bare ("(100 người)") is no other kind."""
    near = number_near(anchor)
    qual = _qualifier(f, anchor)
    if qual is None:
        return near

    counted = re.compile(rf"\d[\d.,]*\s+{re.escape(anchor)}\b(?:\s+([a-z]+))?")

    def ok(seg: str) -> bool:
        if not near(seg):
            return False
        if qual in folded_tokens(seg):
            return True
        # every count of the noun in the sentence is qualified as another kind by a content word
        # right after it; a bare count ("08 điểm, trong đó …", "(100 người), cụ thể") answers
        after = [m.group(1) for m in counted.finditer(fold(seg))]
        return not after or any(w is None or w in STOPWORDS or w in _RELATIONAL for w in after)

    return ok


# the period a frequency is asked per: "mấy đợt mỗi tháng", "bao nhiêu lần một năm", "hằng quý"
_ASKED_PER = re.compile(r"\b(?:moi|hang|mot)\s+(nam|thang|quy|tuan|ngay)\b")
# a rate as plans write it, the period after a slash: "04 đợt/tháng", "02 hội nghị/năm",
# "26 đợt/năm", "1 lần / quý" (the unit of a frequency in a plan's text and its cost tables)
_RATE_PER = re.compile(r"\d[\d.,]*\s*(?:[a-z]+\s+){0,2}?[a-z]+\s*/\s*(nam|thang|quy|tuan|ngay)\b")


def per_period(question: str, ok: Callable[[str], bool]) -> Callable[[str], bool]:
    """ "quan trắc mấy đợt mỗi tháng" is not answered by "tần suất 4 đợt/năm": a plan writes a
    frequency with its period after a slash ("04 đợt/tháng (26 đợt/năm)"); a sentence whose
    rates are all per another period than the one asked gives another figure. A sentence with
    no rate written so is left to ``ok``."""
    m = _ASKED_PER.search(question)
    if not m:
        return ok
    asked = m.group(1)

    def per_asked(seg: str) -> bool:
        periods = {r.group(1) for r in _RATE_PER.finditer(fold(seg))}
        return ok(seg) and (not periods or asked in periods)

    return per_asked
