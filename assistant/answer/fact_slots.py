"""Two slots asked in one fact question ("… xong khi nào, và báo cáo hằng năm trước ngày nào?")."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace

from assistant.answer.common import AnswerContext, Cites
from assistant.answer.evidence import segments
from assistant.answer.facts import (
    SLOT_RULES,
    FactRule,
    best_fact_segment,
    fact_line,
    fact_rule,
    is_meta,
    rest_of_plan,
)
from assistant.query.model import Query
from assistant.records import Answer
from assistant.textnorm import fold

__all__ = ["figure_unfilled", "two_slots"]

# the words a fact question asks its slot with: a time ("khi nào", "trước ngày nào") or a number
# or a venue ("ở đâu": "tổ chức ở đâu và trong bao lâu", the "Thời gian" and "Địa điểm" items an
# event plan lists side by side, "1. Thời gian: …" ¶ "2. Địa điểm: …")
_ASK_SLOT = re.compile(r"\b(khi nao|luc nao|ngay nao|thoi han nao|bao gio|bao nhieu|bao lau|o dau|tai dau)\b")
# where a question joins its two asks: ", và …", "; …", "và …" after the first ask
_JOINT = re.compile(r"\s*(?:[,;]\s*(?:va|con)?|\bva|\bcon)\s+")


def two_slots(ctx: AnswerContext) -> Answer | None:
    """Two slots asked in one question ("… xong khi nào, và báo cáo hằng năm trước ngày nào?"):
    an official asks the deadline of a task and that of its report, or two figures, in one
    sentence joined by "và"; each clause is answered by the sentence that holds its own value."""
    query, hits = ctx.query, ctx.evidence.hits[:6]
    if is_meta(query):
        return None
    f = fold(query.text)
    asks = list(_ASK_SLOT.finditer(f))
    if len(asks) != 2 or len(f) != len(query.text):
        return None
    joint = next((m for m in _JOINT.finditer(f, asks[0].end(), asks[1].start())), None)
    if joint is None:
        return None
    found: list[tuple[FactRule, tuple]] = []
    for part in (query.text[: joint.start()], query.text[joint.end() :]):
        fp = fold(part)
        terms = [t for t in query.terms if re.search(rf"\b{re.escape(t)}\b", fp)]
        # a clause that asks a time is a deadline ("trước ngày nào" of a report, "xong khi nào")
        asked = _ASK_SLOT.search(fp)
        word = asked.group(1) if asked else ""
        kinds = {"bao lau": "duration", "bao nhieu": None, "o dau": "place", "tai dau": "place"}
        kind = kinds.get(word, "deadline")
        rule = fact_rule(part, kind, terms, fp)
        if rule.require is None and rule.prefer is not None:
            rule = FactRule(require=rule.prefer, prefer=rule.prefer, name=rule.name)
        clause = replace(query, terms=terms, folded=fp)
        best = best_fact_segment(clause, hits, ctx.idf, rule)
        if best is None and rule.name in SLOT_RULES:
            # the slot's own short line ("2. Địa điểm: …") is seldom retrieved: the plan's rest
            best = best_fact_segment(clause, hits + rest_of_plan(ctx, hits), ctx.idf, rule, cutoff=False)
        if best is None or rule.require is None:
            return None
        found.append((rule, best))
    if found[0][1][2] == found[1][1][2]:
        return None  # one sentence holds both: the single answer says it
    cites = Cites(ctx.docs)
    lines = [fact_line(ctx, rule, best, cites) for rule, best in found]
    return Answer(question=query.text, answer="\n".join(lines), intent="fact", citations=cites.items)


# the figure rules of ``facts.fact_rule``: a number beside the noun counted ("bao nhiêu suất cơm"
# → a number beside "suất"), a percentage, a rank
_FIGURE_RULES = ("number", "percent", "rank")


def figure_unfilled(query: Query, candidate: Answer, labels: Iterable[str] = ()) -> bool:
    """The question asks a figure and no sentence the candidate answer gives or quotes holds it
    (issue 12, class 4). A plan that sets a figure writes it beside the noun it counts ("02 hội
    nghị/năm", "ít nhất 80% người hưởng trợ cấp"); passages on the topic without it ("tổ chức bếp
    ăn cộng đồng, cấp cơm nóng" for "bao nhiêu suất cơm") answer another question. The fact
    handler, which found no such sentence, refuses; its refusal then stands."""
    rule = fact_rule(query.text, query.fact, query.terms, query.folded)
    if rule.require is None or not rule.name.startswith(_FIGURE_RULES):
        return False
    # the answer's text without the names of the plans it cites ("Kế hoạch huấn luyện … cho Người …
    # (tháng 6/2026)"): a plan's title or number is no figure of the thing asked
    text = candidate.answer
    for label in sorted({x for x in labels if x}, key=len, reverse=True):
        text = text.replace(label, " ")
    texts = [text, *(c.quote for c in candidate.citations if not c.related_only)]
    return not any(rule.require(t[a:b]) for t in texts for a, b in segments(t))
