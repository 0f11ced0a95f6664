"""A contact's telephone number: "số điện thoại liên hệ … là bao nhiêu?".

Vietnamese administrative documents close an annex or an item with whom to call ("Thông tin liên
hệ: Ông Đỗ Mạnh Cường, SĐT: 0983 134 682", "đầu mối liên hệ: …, điện thoại: 0214.3840.xxx",
"Đường dây nóng: …"). The number asked is the one such a line writes, in the plan asked about,
even where retrieval did not rank its line: a figure rule would take any number of the best
passages (a row's dates, a package number) instead.
"""

from __future__ import annotations

from assistant.answer.common import AnswerContext, Cites
from assistant.answer.contact import PHONE_LABEL, PHONE_NUMBER, asks_phone
from assistant.answer.facts import FactRule, best_fact_segment, fact_line, rest_of_plan
from assistant.records import Answer
from assistant.textnorm import fold

__all__ = ["asks_phone", "phone_fact"]


def _phone_line(seg: str) -> bool:
    # the number and its label, by the one telephone vocabulary (``answer.contact``)
    return bool(PHONE_NUMBER.search(seg)) and bool(PHONE_LABEL.search(fold(seg)))


def phone_fact(ctx: AnswerContext) -> Answer | None:
    """The sentence that gives a contact's number, in the passages retrieved, then in the rest of
    the plan asked about; None when the question asks no number or no such sentence is there."""
    query = ctx.query
    if not asks_phone(query.folded or fold(query.text)):
        return None
    hits = ctx.evidence.hits[:6]
    pool = hits + rest_of_plan(ctx, hits)
    if query.named:
        # the contact of the plan asked: another plan's contact line is another team's
        pool = [h for h in pool if h.passage.doc in query.named]
    rule = FactRule(require=_phone_line, prefer=_phone_line, name="phone")
    best = best_fact_segment(query, pool, ctx.idf, rule, cutoff=False)
    if best is None:
        return None
    cites = Cites(ctx.docs)
    return Answer(
        question=query.text, answer=fact_line(ctx, rule, best, cites), intent="fact", citations=cites.items
    )
