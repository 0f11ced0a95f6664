"""What a fact question asks for, and whether a sentence can answer it.

"bao nhiêu tỷ đồng" needs a number next to "tỷ"; "trước ngày nào" needs a day; "khẩu
hiệu là gì" needs a quoted phrase. A passage that talks about the topic without the
asked-for value does not answer the question: the composer refuses instead of
quoting a sentence that only looks related. Rules are about Vietnamese question
forms, not about any one plan.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from assistant.answer.addressees import SENDS_TO, addressees
from assistant.answer.common import (
    QUOTE_RE,
    AnswerContext,
    Cites,
    own_heading,
    plan_label,
    refusal,
    relevance,
)
from assistant.answer.evidence import Idf, coverage, list_lead_in, qualified_segments, shorten
from assistant.answer.fact_hook import Candidate, rescore
from assistant.answer.meta import (
    about_plan,
    is_meta,
    is_meta_question,
    merge_answers,
    meta_fact,
    meta_slots,
    other_documents,
)
from assistant.answer.numbers import (
    QUANTITY_NOUNS,
    anchor_after,
    asks_count,
    counted_near,
    dated_elsewhere,
    for_route,
    per_period,
    same_year,
)
from assistant.answer.ordinals import asked_ordinals, ordinal_fit
from assistant.answer.rates import rate_without_figure
from assistant.answer.times import (
    ASK_END,
    ASK_SPAN,
    asks_document_date,
    cited_date_in,
    cited_dates_removed,
    is_span,
    starts_only,
    time_cell,
)
from assistant.query.model import Query
from assistant.query.rules import NOT_SIGN, SUPERSEDE_ASK, SUPERSEDES, asks_destination
from assistant.records import Answer, Hit
from assistant.textnorm import fold
from assistant.vocab.tokens import folded_tokens

__all__ = [
    "FactRule",
    "fact_rule",
    "QUANTITY_NOUNS",
    "about_plan",
    "is_meta_question",
    "is_meta",
    "compose_fact",
    "meta_fact",
    "best_fact_segment",
    "fact_body",
    "meta_slots",
    "fact_line",
    "SLOT_RULES",
    "rest_of_plan",
]

_ASK_NUMBER = re.compile(r"\b(bao nhieu|may)\b|%")
_RANK = re.compile(r"\b(thu|top|hang|vi tri|xep hang)\s+may\b|\b(top|xep hang|thu hang)\b")
_PERCENT = re.compile(r"\bphan tram\b|%")
_DOCNUM_ASK = re.compile(r"\bso (may|bao nhieu|gi)\b")
_ASK_DAY = re.compile(
    r"\b(ngay nao|ngay bao nhieu|ngay may|hom nao|truoc ngay|han chot|han cuoi|cham nhat|thoi han|han)\b"
)
# "khi nào", "bao giờ", "thời gian/thời hạn … là gì", "từ ngày nào": the asked slot is a time
_ASK_WHEN = re.compile(r"\b(khi nao|bao gio|luc nao|thoi gian|thoi han|tien do|tu ngay nao|den ngay nao)\b")
# more words where "kỷ/kỳ" is not signing: "kỷ nguyên", "kỷ lục", "kỳ tích", "kỷ cương"
_NOT_SIGN_MORE = re.compile(r"\bky (nguyen|luc|tich|cuong|thuat)\b")
_SLOGAN_ASK = re.compile(r"\b(khau hieu|slogan|thong diep|phuong cham|logo|chu de)\b")
_SLOGAN_WORDS = {"thong", "diep", "slogan", "khau", "hieu", "phuong", "cham", "logo", "chu", "de"}

_DAY_RE = re.compile(r"\d{1,2}\s*/\s*\d{1,2}|\bngay\s+\d{1,2}\b")
_LOOSE_DATE = re.compile(
    r"\b(ngay\s+\d{1,2}|\d{1,2}/\d{1,2}|thang\s+\d{1,2}|nam\s+\d{4}|hang\s+nam|hang\s+thang|"
    r"dinh ky|ke tu|\d{4}\s*-\s*\d{4})\b"
)
_QUOTED = re.compile(r"[“\"«][^”\"»]{3,200}[”\"»]")
_RANK_RE = re.compile(r"\b(top|thu|hang|vi tri)\s*0*\d+")
_REFNUM_RE = re.compile(r"\bso\s*\d+\s*[/-]")
# an amount of time: "1,5 ngày", "02 ngày làm việc", "3 tháng" (not "ngày 06/7", not a date's
# "26 tháng 8": a date's day and month are followed by another number)
_DURATION_RE = re.compile(
    r"(?<!ngay )(?<!thang )\b\d+(?:[,.]\d+)?\s*(ngay|thang|nam|gio|tuan|buoi)\b(?!\s*\d)"
)
# the venue of an activity ("Địa điểm: …", "địa chỉ: Số 165 …", "tại trụ sở …")
_VENUE_RE = re.compile(r"\b(dia diem|dia chi|tru so|hoi truong)\b")
# a request a plan answers: "Xét đề nghị của <đơn vị> tại Văn bản số …", "theo đề nghị của …"
_REQUEST_RE = re.compile(r"\b(xet de nghi|theo de nghi|de nghi cua)\b")
# a total as a plan's text writes it: the sum or product worked out ("1.500.000.000 đồng/năm x 05
# năm = 7.500.000.000 đồng") or named ("Tổng kinh phí: …", "tổng cộng …"); a table's row or a
# per-year figure is a part of it
_TOTAL_RE = re.compile(r"=\s*\d|\btong (?:cong|so|kinh phi|du toan|von|muc)\b[^.;|]*\d")
_TOTAL_ASK = re.compile(r"\btong (?:kinh phi|du toan|von|cong|so tien|chi phi|muc)\b")
# a band or rate the question names ("đạt tỷ lệ từ 90-95% được cộng mấy điểm"): a scoring grid
# writes one clause per band ("Từ 88 - 90% cộng 02 điểm; từ 90-95% cộng 03 điểm; …", the
# "Hướng dẫn chấm điểm" column of an emulation plan's thang điểm), so the band asked picks the clause
_BAND = re.compile(r"\d+(?:[,.]\d+)?\s*[-–]\s*\d+(?:[,.]\d+)?\s*%|\d+(?:[,.]\d+)?\s*%")


def _bands(text: str) -> set[str]:
    return {re.sub(r"\s+", "", m.group(0)).replace("–", "-") for m in _BAND.finditer(text)}


_BUDGET_RE = re.compile(r"\b(kinh phi|ngan sach|du toan|nguon)\b")
_TARGET_RE = re.compile(r"\b(top\s*\d+|\d+\s*%|phan dau|muc tieu|chi tieu)\b")


# slots with a form of their own (an amount of time, a venue, a request): a segment of that form
# in the plan asked about answers, even when retrieval did not rank its passage
# "replaced": the closing sentence that supersedes an earlier document ("Kế hoạch này thay thế …")
# sits at the plan's end and shares few words with a paraphrased question ("văn bản cũ nào không
# còn áp dụng"): like a slot's own short line, it is looked for in the whole plan asked
SLOT_RULES = frozenset({"duration", "place", "source", "means", "span", "replaced"})
# the means an activity is given, asked with "gì/nào" (``query.rules._MEANS``)
# "bằng <phương tiện>" as plans write the means of an activity (not "bảng", a table)
_BY_MEANS = re.compile(r"\bbằng\s+(?!nhau\b|văn bản\b)\w", re.IGNORECASE)
_MEANS_ASK = re.compile(r"\b(phuong tien|trang thiet bi|thiet bi|vat tu)\s+(gi|nao)\b")


@dataclass
class FactRule:
    """``require``: a segment must pass it to answer (None: any segment may);
    ``prefer``: a bonus for segments that look like the asked-for value."""

    require: Callable[[str], bool] | None = None
    prefer: Callable[[str], bool] | None = None
    name: str = ""


def fact_rule(question: str, kind: str | None, terms: list[str], folded: str | None = None) -> FactRule:
    """``folded``: the question with places and plan numbers blanked (``Query.folded``);
    anchors are taken from it so "Đức Trọng" or "142/KH-UBND" never become one."""
    f = fold(question)
    anchor_text = folded if folded else f
    if kind == "slogan":
        other = [t for t in terms if t not in _SLOGAN_WORDS]

        def slogan(seg: str) -> bool:
            if not _QUOTED.search(seg):
                return False
            have = set(folded_tokens(seg))
            return not other or sum(t in have for t in other) / len(other) >= 0.34

        return FactRule(require=slogan, prefer=slogan, name="slogan")
    if kind == "signer":
        # a signer is written with the verb: "… do đồng chí X ký", "ký ban hành"
        def signed(seg: str) -> bool:
            g = _NOT_SIGN_MORE.sub(" ", NOT_SIGN.sub(" ", fold(seg)))
            return bool(re.search(r"\bky\b", g))

        return FactRule(require=signed, prefer=signed, name="signer")
    if kind == "duration":

        def duration(seg: str) -> bool:
            return bool(_DURATION_RE.search(cited_dates_removed(seg)))

        return FactRule(require=duration, prefer=duration, name="duration")
    if kind == "place":

        def venue(seg: str) -> bool:
            return bool(_VENUE_RE.search(fold(seg)))

        return FactRule(require=venue, prefer=venue, name="place")
    if kind == "source":

        def request(seg: str) -> bool:
            return bool(_REQUEST_RE.search(fold(seg)))

        return FactRule(require=request, prefer=request, name="source")
    means = _MEANS_ASK.search(f)
    if means:
        # "đi bằng phương tiện gì": the sentence names the thing asked ("Phương tiện …: Xe ô tô …")
        noun = means.group(1)

        def names_it(seg: str) -> bool:
            return bool(re.search(rf"\b{noun}\b", fold(seg)))

        def by_means(seg: str) -> bool:
            # "hỗ trợ nước sạch bằng xe téc": the means is written after "bằng", unnamed as such
            return names_it(seg) or bool(_BY_MEANS.search(seg))

        asked_by = bool(re.search(rf"\bbang {noun}\b", f))
        return FactRule(require=by_means if asked_by else names_it, prefer=names_it, name="means")
    if SUPERSEDE_ASK.search(f):
        # "thay thế văn bản nào", "văn bản cũ nào không còn áp dụng": the closing sentence that
        # names the document replaced
        def replaced(seg: str) -> bool:
            fs = fold(seg)
            return bool(SUPERSEDES.search(fs)) and bool(_REFNUM_RE.search(fs))

        return FactRule(require=replaced, prefer=replaced, name="replaced")
    if _DOCNUM_ASK.search(f):

        def refnum(seg: str) -> bool:
            return bool(_REFNUM_RE.search(fold(seg)))

        return FactRule(require=refnum, prefer=refnum, name="refnum")
    if kind is None and asks_destination(anchor_text):
        # "báo cho ai", "gửi về đâu": the sentence that sends to an office ("báo cáo ngay về Trung
        # tâm … và Sở Y tế"), not one that names the office doing something else
        return FactRule(prefer=lambda seg: bool(SENDS_TO.search(fold(seg))), name="destination")
    asks_time = kind in ("deadline", "date") or (_ASK_WHEN.search(f) and not _ASK_NUMBER.search(f))
    asks_time = asks_time and not asks_count(f)  # "thời gian thi đua chia làm mấy đợt": a count
    # a document the plans cite, named by number ("Kết luận 480-KL/TU ngày nào?"; the loaded
    # plans' own numbers are blanked in ``folded``): its date is written where it is cited
    cited = other_documents(anchor_text, kind)
    if asks_time and cited:
        dated = re.compile(
            rf"(?<![0-9])0*(?:{'|'.join(cited)})\s*[/-][a-z0-9/.&-]*\s*,?\s*(?:cua\s+[^,;.]{{0,60}}?\s*)?ngay\s+\d"
        )

        def named_date(seg: str) -> bool:
            return bool(dated.search(fold(seg)))

        return FactRule(require=named_date, prefer=named_date, name="cited_date")
    if asks_time and asks_document_date(f):
        # "Công ty X gửi văn bản đề nghị vào ngày nào?": the cited document's date, where it is cited
        return FactRule(require=cited_date_in, prefer=cited_date_in, name="cited_date")
    if asks_time and ASK_SPAN.search(f):
        # "diễn ra từ ngày nào đến ngày nào": the sentence that gives both ends ("b) Thời gian: Từ
        # ngày 15/11/2025 đến ngày 15/12/2025."), often a short labelled line retrieval misses
        return FactRule(require=is_span, prefer=is_span, name="span")
    if asks_time:
        if _ASK_DAY.search(f):

            def day(seg: str) -> bool:
                return bool(time_cell(seg)) or bool(_DAY_RE.search(cited_dates_removed(seg)))

            return FactRule(require=day, prefer=day, name="day")

        def when(seg: str) -> bool:
            return bool(time_cell(seg)) or bool(_LOOSE_DATE.search(cited_dates_removed(seg)))

        if ASK_END.search(f):
            # "kết thúc lúc mấy giờ": a span's end answers; "Từ 13h30' ngày 02/6" is its start only

            def ends(seg: str) -> bool:
                return when(seg) and not starts_only(seg)

            return FactRule(require=ends, prefer=ends, name="when")
        return FactRule(prefer=when, name="when")
    if _ASK_NUMBER.search(f) or _RANK.search(f):
        if _PERCENT.search(f):

            def pct(seg: str) -> bool:
                return bool(re.search(r"\d\s*%", seg))

            return FactRule(require=pct, prefer=pct, name="percent")
        if _RANK.search(f):

            def rank(seg: str) -> bool:
                return bool(_RANK_RE.search(fold(seg)))

            return FactRule(require=rank, prefer=rank, name="rank")
        anchor = anchor_after(anchor_text)
        if anchor:
            counted = per_period(anchor_text, counted_near(anchor_text, anchor[0]))
            same = for_route(anchor_text, same_year(anchor_text, counted))

            def near(seg: str) -> bool:
                return not _capitals(seg) and same(seg)

            return FactRule(require=near, prefer=near, name=f"number:{anchor[0]}")
        return FactRule(require=for_route(anchor_text, _quantity), prefer=_quantity, name="number")
    if kind == "budget":
        return FactRule(prefer=lambda s: bool(_BUDGET_RE.search(fold(s))), name="budget")
    if kind == "target":
        return FactRule(prefer=lambda s: bool(_TARGET_RE.search(fold(s))), name="target")
    return FactRule(name="any")


def _capitals(seg: str) -> bool:
    """A heading line in capitals ("II. DỰ BÁO … 03 NĂM 2026 - 2028"): plans write their headings
    so; the years and periods of a heading name the part that follows, they are no figure."""
    letters = [c for c in seg if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) >= 0.9 * len(letters)


def _quantity(seg: str) -> bool:
    """A segment that can answer "bao nhiêu": a digit, outside a heading in capitals."""
    return not _capitals(seg) and bool(re.search(r"\d", seg))


def _word_pairs(folded: str) -> set[str]:
    words = re.findall(r"[a-z0-9]+", folded)
    return {f"{a} {b}" for a, b in zip(words, words[1:])}


def fact_body(query: Query, seg: str) -> str:
    """What the answer line shows: the quoted slogan itself, else the sentence."""
    if query.fact == "slogan":
        m = QUOTE_RE.search(seg)
        if m:
            return f"“{m.group(1).strip()}”"
    return seg


def best_fact_segment(
    query: Query, hits: list[Hit], idf: Idf | None, rule: FactRule, *, cutoff: bool = True
) -> tuple | None:
    """(score, hit, sentence) holding the asked-for value, from passages close to the best one
    (``cutoff``; without it, from any of ``hits``: the passages of the one plan asked about)."""
    rel = relevance(query, hits, idf)
    top_rel = max(rel, default=0.0)
    best = None
    said = _SLOGAN_ASK.search(query.folded) if rule.name == "slogan" else None
    asked_label = said.group(1) if said else ""
    # "báo cáo kết quả về Sở X trước ngày nào": a unit written after "về / gửi / lên" is where the
    # report goes (Vietnamese reporting lines name the addressee so); the sentence that sends it
    # there answers, not one where that unit reports on to someone else
    to_unit = addressees(query)
    asked_text = query.folded or fold(query.text)
    # "nhóm 1", "đợt 01", "lượt … thứ hai": that item's or round's label answers, not a sibling's
    asked_items = asked_ordinals(asked_text)
    asked_pairs = _word_pairs(asked_text)
    asks_total = bool(_TOTAL_ASK.search(query.folded or fold(query.text)))
    asked_bands = _bands(query.text)
    # "phụ lục …: nhiệm vụ X thực hiện khi nào": the annex a plan attaches ("Phụ lục … (Kèm theo
    # Kế hoạch số …)", Decree 30/2020) is asked; its rows answer before the body's prose
    annex = bool(re.search(r"\bphu luc\b", query.folded or fold(query.text)))
    for r, h in zip(rel, hits):
        p = h.passage
        if (cutoff and r < 0.5 * top_rel) or (p.kind == "metadata" and rule.name != "refnum"):
            continue  # a value in an unrelated passage (or the header card) is not the answer
        bonus = 0.15 if query.units and set(query.units) & set(p.lead) else 0.0
        bonus += 0.35 if annex and p.embed_text.startswith("Phụ lục") else 0.0
        # a table row's cells belong together: its time cell dates each sentence of its task cell
        # ("Ứng dụng công nghệ số …; hỗ trợ dịch vụ số hóa. | THỜI GIAN: 2025 - 2030")
        row_time = time_cell(p.text) if p.kind == "table_row" and rule.name in ("when", "day") else None
        for a, b in qualified_segments(p.text):
            seg = p.text[a:b]
            if own_heading(p, seg):
                continue  # a heading names what follows, it holds no value
            # a quoted theme or slogan stands under its label line ("a) Chủ đề Tháng hành động
            # năm 2025" / "“Bình đẳng giới và …”"): the label says what the quote is
            # — the line above; a clause after the quote on its own line ("theo phương châm “4
            # tại chỗ”; nước rút đến đâu …") is no quote with a label, the quote's clause answers
            above = rule.name == "slogan" and a and p.text[:a].rstrip(" \t").endswith("\n")
            label = p.text[:a].rstrip().rsplit("\n", 1)[-1] if above else ""
            judged = f"{label}\n{seg}" if label else seg
            if row_time and not time_cell(judged):
                judged = f"{judged} | {row_time[0]}: {row_time[1]}"
            if rule.require is not None and not rule.require(judged):
                continue
            if rule.name.startswith(("number", "percent")) and dated_elsewhere(asked_text, p.section, seg):
                continue  # a figure of the year its heading names, not the year asked
            # an item of an inline list is read with the list's lead-in ("Phấn đấu … cụ thể:")
            lead = list_lead_in(p.text, a)
            scored = f"{lead} {judged}" if lead else judged
            s = coverage(query.terms, scored, idf) + 0.6 * r + bonus
            for u in to_unit:
                fs = fold(seg)
                if re.search(rf"\b(ve|gui|len|toi|den|cho) {re.escape(u)}", fs):
                    s += 0.3
                elif fs.lstrip(" -+•*").startswith(u):
                    s -= 0.3
            if rule.prefer is not None and rule.prefer(scored):
                s += 0.35
            if asks_total and _TOTAL_RE.search(fold(seg)):
                s += 0.3
            if asked_bands and asked_bands & _bands(seg):
                s += 1.0  # the band written as asked outweighs the row head the first clause carries
            if asked_pairs:
                # of two sentences on the topic, the one that says it as asked: "nếu … không cân
                # đối được kinh phí" is "Trường hợp không cân đối được kinh phí …", whose words
                # retrieval drops ("không", "được") still stand in pairs with the topic's
                s += 0.1 * len(asked_pairs & _word_pairs(fold(scored))) / len(asked_pairs)
            s += ordinal_fit(asked_items, seg, p.text.split("\n", 1)[0])
            if label and asked_label and asked_label in fold(label):
                s += 0.35  # the label names what was asked ("Chủ đề" asked, "a) Chủ đề …" above)
            s = rescore(s, Candidate(query, rule, r, top_rel, h, a, seg, judged, scored, label, idf), rel)
            if best is None or s > best[0] + 1e-9:
                best = (s, h, seg)
    return best


def compose_fact(ctx: AnswerContext) -> Answer | None:
    """The sentence that holds the asked-for value; a refusal when no sentence holds one."""
    query, ev, docs, idf = ctx.query, ctx.evidence, ctx.docs, ctx.idf
    meta = is_meta(query)
    if meta:
        found = [a for a in (meta_fact(ctx.with_query(fact=k)) for k in meta_slots(query)) if a is not None]
        if found:
            return found[0] if len(found) == 1 else merge_answers(found)
    rule = fact_rule(query.text, query.fact, query.terms, query.folded)
    hits = ev.hits[:6]
    best = None
    if rule.name in ("when", "destination") and rule.prefer is not None:
        # "khi nào": a sentence that gives a time answers before one that only names the topic;
        # "báo cho ai": one that sends to an office before one naming the office at other work
        best = best_fact_segment(
            query, hits, idf, FactRule(require=rule.prefer, prefer=rule.prefer, name=rule.name)
        )
    best = best or best_fact_segment(query, hits, idf, rule)
    if best is None and rule.name.startswith(("number", "percent")):  # a figure's line ranked lower
        best = best_fact_segment(query, ev.hits[:10], idf, rule)
    if best is None and rule.name in SLOT_RULES:
        # the slot's own line ("3.3. Thời gian kiểm tra: …", "2. Địa điểm: …") is often too short
        # to be retrieved: read the rest of the plan the question is about, and the hits below
        # the relevance cutoff (its line shares few words with the question: "đến đâu")
        best = best_fact_segment(query, hits + rest_of_plan(ctx, hits), idf, rule, cutoff=False)
    if _TOTAL_ASK.search(query.folded or fold(query.text)) and not (best and _TOTAL_RE.search(fold(best[2]))):
        # a total the retrieved passages only give in parts (a table's rows): the plan writes it
        # once, worked out or named ("… x 05 năm = 7.500.000.000 đồng"), often in a short line
        best = _plan_total(ctx, hits, rule) or best
    if best is None:
        return refusal(ctx, hits) if rule.require is not None else None
    if rule.name == "percent" and rate_without_figure(query, hits, best[2]):
        return refusal(ctx, hits)
    cites = Cites(docs)
    text = fact_line(ctx, rule, best, cites)
    return Answer(question=query.text, answer=text, intent="fact", citations=cites.items)


def rest_of_plan(ctx: AnswerContext, hits: list[Hit]) -> list[Hit]:
    """The passages of the plan asked about (the one filtered, else the best hit's) that are not
    among ``hits``, as hits ranked after them with no score."""
    plan = ctx.query.filters.get("doc") or (hits[0].passage.doc if hits else None)
    seen = {h.passage.id for h in hits}
    rest = [
        p for p in ctx.evidence.doc_passages.get(plan or "", []) if p.id not in seen and p.kind != "metadata"
    ]
    return [Hit(passage=p, score=0.0, rank=len(hits) + i + 1) for i, p in enumerate(rest)]


def _plan_total(ctx: AnswerContext, hits: list[Hit], rule: FactRule) -> tuple | None:
    """The sentence of the plan asked about that writes a total of the asked thing."""
    more = rest_of_plan(ctx, hits)

    def total(seg: str) -> bool:
        return bool(_TOTAL_RE.search(fold(seg))) and (rule.require is None or rule.require(seg))

    return best_fact_segment(ctx.query, hits + more, ctx.idf, FactRule(require=total), cutoff=False)


def fact_line(ctx: AnswerContext, rule: FactRule, best: tuple, cites: Cites) -> str:
    """One answer line: the sentence that holds the value, or a table row's time cell."""
    _, h, seg = best
    n = cites.add(h.passage, seg, h.score)
    cell = time_cell(seg) or (time_cell(h.passage.text) if h.passage.kind == "table_row" else None)
    label = plan_label(h.passage.doc, ctx.docs)
    if rule.name in ("day", "when") and cell is not None:
        # the row's time cell is the answer; the task (its first cell) says which row
        task = h.passage.text.split(" | ")[0]
        return f"{cell[0]}: {cell[1]} [{n}] — {label}. Nhiệm vụ: “{shorten(task, 200)}”"
    return f"{_with_value(fact_body(ctx.query, seg), rule, ctx.query.folded)} [{n}] — {label}."


# the value a figure question asks for: a percentage, else any number
_VALUE_RE = {"percent": re.compile(r"\d+(?:[,.]\d+)?\s*%"), "number": re.compile(r"\d")}


def _with_value(seg: str, rule: FactRule, folded: str = "", max_chars: int = 300) -> str:
    """The sentence for the answer line, cut so that the asked figure stays in it. Plans write a
    figure after the legal basis it rests on, often in a closing parenthesis ("… theo quy định tại
    điểm a khoản 2 Điều 9 Quyết định số 10/2024/QĐ-UBND … (tỷ lệ không quá 10% tập thể, 5% cá
    nhân …)"): cut at the end, the figure would go; the head and the clause holding it are kept."""
    one = " ".join(seg.split())
    short = shorten(one, max_chars)
    # a rate ("tỷ lệ", "phần trăm") is written as a percentage
    name = "percent" if re.search(r"\b(ty le|phan tram)\b|%", folded) else rule.name
    rx = _VALUE_RE.get("number" if name.startswith("number") else name)
    if rx is None or len(one) <= max_chars or rx.search(short.removesuffix(" …")):
        return short
    m = rx.search(one)
    if m is None:
        return short
    # the clause that holds the figure: from the last opening bracket or clause break before it
    start = max(one.rfind("(", 0, m.start()), one.rfind("; ", 0, m.start()), one.rfind(": ", 0, m.start()))
    start = start if start >= 0 and m.start() - start < max_chars // 2 else max(0, m.start() - 60)
    tail = shorten(one[start:], max_chars // 2)
    return f"{shorten(one[:start], max_chars // 2).removesuffix(' …')} … {tail}"
