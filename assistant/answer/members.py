"""Who holds a role of an inspection team or working group: "Ai là Trưởng đoàn?".

An inspection team's plan (Kế hoạch of a Đoàn kiểm tra, Nghị định 217/2025/NĐ-CP) lists its
members with their role and duties, one item each: "4.1. Ông Hoàng Văn Thuân - Trưởng đoàn:
Phụ trách chung; …". The ingest records the person of such an item (``Passage.persons``) and
keeps the item line as the passage's heading; the role is the words after the name's dash.
The team's plan is signed by its head ("T/M. ĐOÀN KIỂM TRA / TRƯỞNG ĐOÀN"): the header card
answers for the head when no item lists one.
"""

from __future__ import annotations

import re

from assistant.answer.common import AnswerContext, Cites, plan_label
from assistant.answer.evidence import shorten
from assistant.query.model import TeamRole
from assistant.records import Answer, Passage
from assistant.textnorm import fold

__all__ = ["member_role", "compose_member"]

# "4.1. Ông. Hoàng Văn Thuân - Trưởng đoàn: …": numbering, honorific, name, dash, role, colon
_ITEM = re.compile(
    r"^\s*(?:\d+(?:\.\d+)*\.?\s+|[-+•]\s*)?(?:ông|bà|đ/c|đồng chí)\.?\s+(?P<name>[^-–:\n]+?)\s*[-–]\s*"
    r"(?P<role>[^:\n]+?)\s*(?::|$)",
    re.IGNORECASE | re.MULTILINE,
)


def member_role(line: str) -> tuple[str, TeamRole | None] | None:
    """(name, role) of a member item line, the role None when it is none of ``TeamRole``."""
    m = _ITEM.match(line)
    if not m:
        return None
    role = fold(m.group("role"))
    # the longest role first: "phó trưởng đoàn" is not the "trưởng đoàn"
    kind = next(
        (r for r in sorted(TeamRole, key=lambda r: -len(r.value)) if re.match(rf"{r.value}\b", role)),
        None,
    )
    return " ".join(m.group("name").split()), kind


def _item_line(p: Passage) -> str:
    """The member item a passage is: its own first line, else its heading."""
    first = p.text.split("\n", 1)[0]
    return first if _ITEM.match(first) else (p.section[-1] if p.section else "")


def compose_member(ctx: AnswerContext) -> Answer | None:
    """The member item of the asked role, from the plans retrieved (best first); else the
    signer of a team's plan signed as its head; else None."""
    query, ev, docs = ctx.query, ctx.evidence, ctx.docs
    role = query.member
    if role is None:
        return None
    order: list[str] = []
    wanted = query.filters.get("doc")
    for d in [wanted, *(h.passage.doc for h in ev.hits)]:
        if d and d not in order and (not wanted or d == wanted):
            order.append(d)
    for doc in order:
        pool = [h.passage for h in ev.hits if h.passage.doc == doc] + ev.doc_passages.get(doc, [])
        for p in pool:
            read = member_role(_item_line(p))
            if read is None or read[1] is not role:
                continue
            cites = Cites(docs)
            line = p.text.split("\n", 1)[0]
            n = cites.add(p, line, 1.0)
            text = f"{shorten(line, 300)} [{n}] — {plan_label(doc, docs)}."
            return Answer(question=query.text, answer=text, intent="fact", citations=cites.items)
        m = docs.get(doc)
        if role is TeamRole.HEAD and m and m.signer and "truong doan" in fold(m.signer_position or ""):
            meta = ev.metadata.get(doc)
            cites = Cites(docs)
            cited = cites.add(meta, m.signer, 1.0) if meta is not None else None
            who = f"{m.signer} ({(m.signer_position or '').capitalize()}, ký kế hoạch)"
            text = f"{who}" + (f" [{cited}]" if cited else "") + f" — {plan_label(doc, docs)}."
            return Answer(question=query.text, answer=text, intent="fact", citations=cites.items)
    return None
