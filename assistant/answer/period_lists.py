"""The items of one period of a plan's schedule, asked by the period's bound ("sau 72 giờ Đắk Lắk
hỗ trợ người dân những gì?").

A plan orders what it does by period and labels each period with a kind word and its bound:
"- Giai đoạn khẩn cấp (0-48 giờ): …", "- Giai đoạn 48-72 giờ: …", "- Giai đoạn sau 72 giờ: …",
"Đợt 2: …", "Năm 2026: …". An official asks by the bound alone ("sau 72 giờ", "đợt 2"): a
lead-in opening with a period word whose bound, a figure among its words, is all in the
question names the items asked.
"""

from __future__ import annotations

from assistant.answer.common import AnswerContext, plan_label
from assistant.answer.enumerations import enumerations, items_answer
from assistant.records import Answer
from assistant.vocab.tokens import folded_tokens

__all__ = ["PERIOD_WORDS", "period_list"]

# the kind words a plan labels its periods with (folded), longest first
PERIOD_WORDS = (("giai", "doan"), ("dot",), ("buoc",), ("ky",), ("nam",), ("quy",), ("thang",), ("tuan",))
_QUALIFIERS = frozenset({"khan", "cap", "dau", "cuoi", "tiep", "theo"})  # "giai đoạn khẩn cấp (0-48 giờ)"


def _bound(lead: str) -> list[str] | None:
    """The bound of a period label ("Giai đoạn sau 72 giờ" → ["sau", "72", "gio"]), else None."""
    toks = folded_tokens(lead.strip(" -–•*+_"))
    for word in PERIOD_WORDS:
        if tuple(toks[: len(word)]) == word:
            rest = [t for t in toks[len(word) :] if t not in _QUALIFIERS]
            return rest if rest and any(t.isdigit() for t in rest) else None
    return None


def period_list(ctx: AnswerContext) -> Answer | None:
    """The enumeration of the best passages whose lead-in is a period named by the question."""
    question = set(folded_tokens(ctx.query.folded or ctx.query.text))
    for h in ctx.hits[:6]:
        for e in enumerations(h.passage):
            bound = _bound(e.lead)
            if bound and all(t in question for t in bound):
                head = f"{e.lead.strip(' -–•*+_')} — {plan_label(e.passage.doc, ctx.docs)}:"
                return items_answer(ctx, head, e.parts())
    return None
