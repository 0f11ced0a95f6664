"""What a question names that its plan never says: the mark of an unanswerable question.

Issue 12, failure class 4: a question about another year, a project or a unit the plan never
names, or a figure the plan never gives, is answered with the nearest passage. The passage
covers most of the question's words (the plan's topic), so coverage of the *passages* does
not tell it apart; what does is looking at the *whole plan* the answer comes from:

- a content word or a two-word phrase of the question that occurs nowhere in that plan
  ("Trung tâm dữ liệu tập trung", "Sở Giáo dục và Đào tạo" asked of a plan that never names
  them), the phrase counted only when some loaded plan writes it, so a word pair across two
  words of the question ("liệu tập") or a paraphrase nobody writes does not count;
- a year the plan never writes, not even inside a period ("năm 2035" asked of a plan for
  2026 - 2030);
- the slot asked left empty by the answer: an amount of money asked ("bao nhiêu tỷ đồng") and
  no amount in the answer, a figure asked ("bao nhiêu", "mấy") and no number, a time asked
  ("khi nào", "trước ngày nào") and no date or period.

The vocabulary of each plan (its folded tokens, adjacent token pairs, years and numbers) is
read once per index snapshot (``snapshot.IndexSnapshot.plan_vocab``) with the project's one
tokeniser (``vocab.tokens.folded_tokens``), so a question typed without diacritics is read the
same way.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import chain

from assistant.answer.times import ASK_END, asks_document_date, cited_dates_removed, starts_only
from assistant.query.model import FactKind, Query
from assistant.records import Answer, DocMeta, Passage
from assistant.textnorm import fold, nfc
from assistant.vocab.tokens import STOP_PHRASES, STOPWORDS, Idf, folded_tokens
from assistant.vocab.units import local_tier

__all__ = [
    "ABSENCE_FEATURES",
    "PlanVocab",
    "Vocabulary",
    "plan_vocab",
    "build_vocabulary",
    "question_pairs",
    "years_in",
    "numbers_in",
    "single_years",
    "months_in",
    "absence_features",
    "asks_figure",
    "slot_missing",
    "same_tier",
]

ABSENCE_FEATURES: tuple[str, ...] = (
    "terms_missing_plan",  # IDF-weighted share of the question's content terms its plan never writes
    "pairs_missing_plan",  # share of its two-word phrases (written in some loaded plan) its plan lacks
    "year_missing_plan",  # a year asked that the plan never writes, not even inside a period
    # …or outside the plan's own period: the years of its title ("giai đoạn 2026 - 2030", "năm
    # 2025") and its issue year. Plans cite strategies "đến năm 2030, tầm nhìn 2045" in their
    # bodies, so a year written somewhere in the plan is not yet a year the plan is about
    "year_outside_period",
    # a month the question names ("tháng 9/2026") that the plan never dates anything in: a plan
    # dates its events ("ngày 06/7/2026", "trong tháng 12 năm 2025"); a question about another
    # month asks about an event the plan does not hold
    "month_missing_plan",
    "number_missing_plan",  # share of the figures asked that the plan never writes
    "unit_missing_plan",  # share of the units asked ("Sở Giáo dục và Đào tạo") the plan never names
    "slot_missing",  # the asked amount, figure or time is not in the answer given
    # share of the question's phrases (written in some loaded plan) that the passages the answer
    # cites never write, their headings, unit cells and plan title included: "giao đơn vị nào
    # chủ trì tổ chức hội thi …" answered with the row of "tổ chức hội nghị, hội thảo …"; a plan
    # names each task in the row that assigns it, so the task asked must be in the row cited
    "pairs_missing_cited",
)

_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
_NUMBER = re.compile(r"(?<![\d/])\d+(?:[.,]\d+)*(?![\d/])")
# "giai đoạn 2021 - 2025", "2021-2025": a plan's period covers every year inside it
_RANGE = re.compile(r"((?:19|20)\d\d)\s*[-–—]\s*((?:19|20)\d\d)")
_STOP = re.compile(r"\b(?:" + "|".join(re.escape(p.strip()) for p in STOP_PHRASES) + r")\b")
_TOKEN = re.compile(r"[0-9a-z]+(?:[&.,/'-][0-9a-z]+)*|\|")


def years_in(text: str) -> set[int]:
    """Every year ``text`` writes, the years inside a written period included."""
    years = {int(y) for y in _YEAR.findall(text)}
    for a, b in _RANGE.findall(text):
        lo, hi = int(a), int(b)
        if 0 < hi - lo <= 30:
            years.update(range(lo, hi + 1))
    return years


def single_years(text: str) -> set[int]:
    """The years ``text`` writes on their own, not as an end of a period ("năm 2026", not "2026 - 2028")."""
    return {int(y) for y in _YEAR.findall(_RANGE.sub(" ", text))}


def numbers_in(text: str) -> set[str]:
    """The numbers written in ``text`` other than years, as digits ("1.500" → "1500")."""
    out = set()
    for n in _NUMBER.findall(text):
        d = re.sub(r"[.,]", "", n)
        if not _YEAR.fullmatch(d):
            out.add(d.lstrip("0") or "0")
    return out


# the ways a Vietnamese document dates a month, folded: "ngày 06/7/2026", "tháng 9/2026",
# "tháng 12 năm 2025", "từ tháng 6 đến tháng 9 năm 2026", "tháng 6 - 9/2026"; a month without its
# year ("trước ngày 15/11", "tháng 11 hằng năm") is kept with year 0
_Y = r"((?:19|20)\d\d)(?![\d/])"
_DMY = re.compile(r"(?<![\d/])\d{1,2}/(\d{1,2})/" + _Y)
_MY = re.compile(r"(?<![\d/])(\d{1,2})/" + _Y)
_MONTH_SPAN = re.compile(
    r"\bthang\s+(\d{1,2})\s*(?:-|–|den|toi)\s*(?:het\s+)?(?:thang\s+)?(\d{1,2})\s*(?:/|,?\s*nam\s+)" + _Y
)
_MONTH_YEAR = re.compile(r"\bthang\s+(\d{1,2})\s*,?\s*nam\s+" + _Y)
_MONTH = re.compile(r"\bthang\s+(\d{1,2})(?![\d/])")
_DM = re.compile(r"(?<![\d/])\d{1,2}/(\d{1,2})(?![\d/])")


def months_in(text: str) -> set[tuple[int, int]]:
    """The (month, year) pairs ``text`` dates, year 0 for a month written without its year."""
    t = fold(nfc(text))
    out: set[tuple[int, int]] = set()
    for pattern in (_MONTH_SPAN, _DMY, _MONTH_YEAR, _MY):
        for g in pattern.findall(t):
            a, b, y = (g[0], g[0], g[1]) if len(g) == 2 else g
            if 1 <= int(a) <= int(b) <= 12:
                out.update((m, int(y)) for m in range(int(a), int(b) + 1))
        t = pattern.sub(" ", t)  # dated: not read again as a month without its year
    out.update((int(m), 0) for m in (*_MONTH.findall(t), *_DM.findall(t)) if 1 <= int(m) <= 12)
    return out


@dataclass(frozen=True)
class PlanVocab:
    """What one plan writes, folded: tokens, adjacent token pairs, years, numbers, months."""

    terms: frozenset[str]
    pairs: frozenset[str]
    years: frozenset[int]
    numbers: frozenset[str]
    months: frozenset[tuple[int, int]] = frozenset()
    # the tiers of local People's Committees the plan gives tasks to (``vocab.units.local_tier``)
    tiers: frozenset[str] = frozenset()


def _pairs(tokens: list[str]) -> set[str]:
    return {f"{a} {b}" for a, b in zip(tokens, tokens[1:])}


def _units(p: Passage) -> tuple[str, ...]:
    return (*p.lead, *p.partners, *p.requested)


def same_tier(unit: str, tiers: Iterable[str]) -> bool:
    """``unit`` is the People's Committees of a whole tier ("Ủy ban nhân dân xã, phường") and a
    plan names that tier in one of its spellings. Since the 2025 two-tier local government a plan
    writes the commune tier "UBND các xã", "UBND xã, phường", "UBND các xã/phường" or "UBND cấp
    xã" as it pleases: the words differ, the addressee is one (``vocab.units.local_tier``)."""
    tier = local_tier(unit)
    return tier is not None and tier in set(tiers)


def _texts(p: Passage) -> list[str]:
    return [*p.section, *p.lead, *p.partners, *p.requested, p.caption or "", p.text]


def _card(m: DocMeta) -> list[str]:
    """What names a document in its header (Decree 30/2020 layout): kind, number, issuer, place,
    title, signer. A question names its plan with these words ("kế hoạch 165 của UBND tỉnh Nghệ
    An"); routing matches them against the card, and the plan's body passages do not repeat them."""
    fields = (m.doc_type, m.number, m.issuer, m.province, m.district, m.place, m.title, m.signer)
    return [f for f in fields if f]


def _issued(date: str | None) -> str:
    """The card's ISO issue date ("2025-09-12") as a plan writes it ("12/9/2025"): a question may
    name the plan by its issue date, a month the plan then dates ("kế hoạch ban hành tháng 9/2025")."""
    parts = (date or "").split("-")
    if len(parts) == 3 and all(x.isdigit() for x in parts):
        return f"{int(parts[2])}/{int(parts[1])}/{parts[0]}"
    return (
        f"{int(parts[1])}/{parts[0]}" if len(parts) == 2 and all(x.isdigit() for x in parts) else date or ""
    )


def plan_vocab(passages: Iterable[Passage], docs: Mapping[str, DocMeta]) -> dict[str, PlanVocab]:
    """Each plan's vocabulary, from its passages and its header card (title, number, signer)."""
    terms: dict[str, set[str]] = {}
    pairs: dict[str, set[str]] = {}
    raw: dict[str, list[str]] = {}
    tiers: dict[str, set[str]] = {}
    passages = list(passages)  # read twice: the committees' tiers, then the words
    for p in passages:
        tiers.setdefault(p.doc, set()).update(t for u in _units(p) if (t := local_tier(u)))
    cards = ((d, [*_card(m), _issued(m.date), m.date_text or ""]) for d, m in docs.items())
    for doc, texts in chain(((p.doc, _texts(p)) for p in passages), cards):
        for t in texts:
            if not t:
                continue
            toks = folded_tokens(t)
            terms.setdefault(doc, set()).update(toks)
            pairs.setdefault(doc, set()).update(_pairs(toks))
            raw.setdefault(doc, []).append(t)
    out = {}
    for doc in terms:
        text = "\n".join(raw.get(doc, ()))
        out[doc] = PlanVocab(
            frozenset(terms[doc]),
            frozenset(pairs[doc]),
            frozenset(years_in(text)),
            frozenset(numbers_in(text)),
            frozenset(months_in(text)),
            frozenset(tiers.get(doc, ())),
        )
    return out


@dataclass(frozen=True)
class Vocabulary:
    """Every loaded plan's vocabulary, and the token pairs some plan writes (the collection's
    phrases: a question's word pair counts as a phrase only when one of them is)."""

    plans: Mapping[str, PlanVocab]
    known: frozenset[str]


def build_vocabulary(passages: Iterable[Passage], docs: Mapping[str, DocMeta]) -> Vocabulary:
    plans = plan_vocab(passages, docs)
    known: frozenset[str] = frozenset().union(*(v.pairs for v in plans.values())) if plans else frozenset()
    return Vocabulary(plans, known)


def question_pairs(text: str) -> list[str]:
    """Adjacent content tokens of a question ("giáo dục", "dữ liệu"), never across a stop phrase
    ("bao nhiêu", "chủ trì") or a stopword, so a pair is a run of the question's own words."""
    folded = _STOP.sub(" | ", fold(nfc(text)))
    toks = [t if t not in STOPWORDS and (len(t) > 1 or t.isdigit()) else "|" for t in _TOKEN.findall(folded)]
    return list(dict.fromkeys(f"{a} {b}" for a, b in zip(toks, toks[1:]) if "|" not in (a, b)))


# a span the query parser blanked (a place, a document number, a courtesy phrase) is a run of
# spaces in ``Query.folded``, whose offsets stay those of the question
_BLANKED = re.compile(r" {2,}")


def _asked_pairs(query: Query, known: frozenset[str]) -> list[str]:
    """The phrases a question asks about (written in some loaded plan), without the places and
    document numbers it names: the parser blanks them, they route the question ("kế hoạch 165 của
    Nghệ An"; a follow-up asked again of another plan keeps the first turn's place in its text)."""
    text = _BLANKED.sub(" | ", query.folded) if query.folded.strip() else query.text
    return [p for p in question_pairs(text) if p in known]


def _naming(cards: Iterable[DocMeta]) -> set[str]:
    """The phrases of the plans' header cards (kind, issuer, province, title): a question naming
    its plan with them ("kế hoạch … của UBND tỉnh Bắc Ninh") names what the plan's body passages
    do not repeat; they count as written, and still count in the share (a question asked in
    the title's words has its other phrases weighed against all of them)."""
    return set().union(*(_pairs(folded_tokens(t)) for m in cards for t in _card(m)))


# --- the asked slot, and whether the answer fills it ------------------------------------------
_ASKS_MONEY = re.compile(r"\b(?:bao nhieu|may) (?:tien|ty|trieu|dong)\b|\b(?:ty|trieu|nghin) dong\b")
_ASKS_FIGURE = re.compile(r"\bbao nhieu\b|\bmay (?!gio\b)\w+|\bty le\b|\bphan tram\b")
_ASKS_TIME = re.compile(
    r"\b(?:khi nao|bao gio|ngay nao|thoi gian nao|luc nao|thang nao|nam nao|may gio|thoi han|han chot)\b"
    r"|\btruoc ngay\b"
)
_MONEY = re.compile(r"\d[\d.,]*\s*(?:ty|trieu|nghin|ngan)?\s*(?:dong|vnd)\b")
# a figure: a number that is not part of a date or a document number ("02/6/2026", "308/KH-UBND"),
# or a number written in words
_FIGURE = re.compile(
    r"(?<![\d/.,])\d+(?:[.,]\d+)*(?![\d/])|\b(?:hai|ba|bon|sau|bay|tam|chin|muoi|tram|mot nua|toan bo)\b"
)
# a time: a date, a year, an hour, a month or quarter, a duration, or a recurring period
_TIME = re.compile(
    r"\d{1,2}/\d{1,4}|(?<!\d)(?:19|20)\d\d(?!\d)|\d+\s*(?:h|gio|ngay|thang|nam|tuan|quy)\b"
    r"|\b(?:thang|quy|nam|tuan)\s+(?:\d|[ivx]+\b)|thuong xuyen|hang (?:nam|thang|quy|tuan|ngay)|dinh ky"
)


# the answer's citation markers ("… [1] — Kế hoạch 59/KH-UBND", "[1][2]", a model's "[1, 2]"):
# the numbered-reference convention of the answer itself, pointing at a source; a marker's
# number is no figure the plan gives
_MARKER = re.compile(r"\[\s*\d+(?:\s*[,;]\s*\d+)*\s*\]")


def asks_figure(query: Query) -> bool:
    """The question asks an amount or a figure ("bao nhiêu tỷ đồng", "bao nhiêu", "tỷ lệ")."""
    asked = fold(query.text)
    return bool(
        _ASKS_MONEY.search(asked)
        or _ASKS_FIGURE.search(asked)
        or query.fact in (FactKind.BUDGET, FactKind.NUMBER, FactKind.TARGET)
    )


def _slot_missing(query: Query, answer_text: str) -> float:
    """1 when the question asks an amount, a figure or a time and the answer gives none."""
    answer_text = _MARKER.sub(" ", answer_text)
    asked = fold(query.text)
    given = fold(answer_text)
    if _ASKS_MONEY.search(asked) or query.fact == FactKind.BUDGET and "bao nhieu" in asked:
        return float(not _MONEY.search(given))
    if query.fact in (FactKind.DEADLINE,) or _ASKS_TIME.search(asked):
        # the date of a document the passage cites ("số 21/CT-TTg ngày …") and the plan's own
        # place-and-date line ("Tỉnh Q, ngày 20 tháng 11 năm 2025") are no task's time; a span
        # written "Từ 13h30' ngày 02/6/2026" gives its start, not the end asked ("kết thúc lúc")
        if asks_document_date(asked):
            # the date of a document the plan cites is asked: its citation gives it
            return float(not _TIME.search(fold(answer_text)))
        if not _TIME.search(cited_dates_removed(answer_text)):
            return 1.0
        return float(bool(ASK_END.search(asked)) and starts_only(answer_text))
    if query.fact in (FactKind.NUMBER, FactKind.TARGET) or _ASKS_FIGURE.search(asked):
        return float(not _FIGURE.search(given))
    return 0.0


def _asked_years(query: Query, titles: str) -> set[int]:
    """The years the question asks about: a period it quotes from the plan's title names the
    plan ("Kế hoạch … giai đoạn 2026 - 2030"), it does not ask for those years."""
    named = {r for r in _RANGE.findall(query.text) if r in set(_RANGE.findall(titles))}
    return years_in(_RANGE.sub(lambda r: "" if r.groups() in named else r.group(0), query.text))


def _month_missing(asked: tuple[int, int], months: frozenset[tuple[int, int]]) -> bool:
    """A month asked that the plan dates nothing in: "tháng 9/2026" against a plan dating its
    events in June and July 2026. A month the plan writes without its year counts as written."""
    m, y = asked
    if y:
        return (m, y) not in months and (m, 0) not in months
    return all(mm != m for mm, _ in months)


def absence_features(
    query: Query,
    plans: list[str],
    vocabulary: Vocabulary,
    docs: Mapping[str, DocMeta],
    idf: Idf | None,
    candidate: Answer | None,
    labels: Iterable[str] = (),
    cited: Iterable[str] = (),
) -> dict[str, float]:
    """The ``ABSENCE_FEATURES`` of one question against the plans its answer comes from;
    ``labels`` are the plan names the answer's text carries ("Kế hoạch 308/KH-UBND (Hà Nội)"),
    ``cited`` the texts of the passages it cites (lines of text, headings, cells, plan title)."""
    x = dict.fromkeys(ABSENCE_FEATURES, 0.0)
    cited = [t for t in cited if t]
    vocab, known = vocabulary.plans, vocabulary.known
    have = [vocab[d] for d in plans if d in vocab]
    if have:
        terms = frozenset().union(*(v.terms for v in have))
        pairs = frozenset().union(*(v.pairs for v in have))
        years = frozenset().union(*(v.years for v in have))
        numbers = frozenset().union(*(v.numbers for v in have))
        asked = [t for t in query.terms if not t.isdigit()]
        w = idf or (lambda _t: 1.0)
        total = sum(w(t) for t in asked)
        if total:
            x["terms_missing_plan"] = sum(w(t) for t in asked if t not in terms) / total
        qp = _asked_pairs(query, known)
        if qp:
            x["pairs_missing_plan"] = sum(1 for p in qp if p not in pairs) / len(qp)
        titles = " ".join(m.title or "" for d in plans if (m := docs.get(d)))
        asked_years = _asked_years(query, titles)
        x["year_missing_plan"] = float(bool(asked_years - years))
        own = years_in(titles) | {
            int(m.date[:4]) for d in plans if (m := docs.get(d)) and m.date and m.date[:4].isdigit()
        }
        x["year_outside_period"] = float(bool(own) and bool(asked_years - own))
        months = frozenset().union(*(v.months for v in have))
        x["month_missing_plan"] = float(any(_month_missing(a, months) for a in months_in(query.text)))
        # the figures the question gives: its folded text has the document numbers it names blanked
        # ("kế hoạch 308" names the plan, it is no figure of it)
        nums = numbers_in(query.folded)
        if nums:
            x["number_missing_plan"] = sum(1 for n in nums if n not in numbers) / len(nums)
        if query.units:
            # a unit is named when every word pair of its name is written ("so giao", "giao duc", …)
            # …or is the tier of committees the plan addresses in its own spelling
            tiers = frozenset().union(*(v.tiers for v in have))
            named = [_pairs(folded_tokens(u)) <= pairs or same_tier(u, tiers) for u in query.units]
            x["unit_missing_plan"] = 1.0 - sum(named) / len(named)
    if candidate is not None and not candidate.refused:
        qp = _asked_pairs(query, known)
        if qp and cited:
            written = _naming(m for d in plans if (m := docs.get(d)))
            written |= set().union(*(_pairs(folded_tokens(t)) for t in cited))
            x["pairs_missing_cited"] = sum(1 for p in qp if p not in written) / len(qp)
        x["slot_missing"] = slot_missing(query, candidate, labels)
    return x


def slot_missing(query: Query, candidate: Answer, labels: Iterable[str] = ()) -> float:
    """1 when the question asks an amount, a figure or a time the answer does not give. It reads
    the answer alone, so it needs no plan's vocabulary (a composer called on hand-made evidence)."""
    # the answer's text and quotes without the plan's name: its number and date would fill
    # any slot ("Kế hoạch 308/KH-UBND ngày 17/11/2025")
    text = candidate.answer
    for label in sorted(set(labels), key=len, reverse=True):
        text = text.replace(label, " ") if label else text
    # one line each: the plan's place-and-date line is read at the start of a line
    quotes = "\n".join(c.quote for c in candidate.citations if not c.related_only)
    return _slot_missing(query, f"{text}\n{quotes}")
