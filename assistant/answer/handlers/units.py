"""Who leads a task ("Sở nào chủ trì …") and who coordinates it ("… phối hợp với ai")."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from assistant.answer.common import AnswerContext, Cites, Evidence, plan_label, quote_for, refusal, units_line
from assistant.answer.evidence import shorten
from assistant.answer.extractive import compose_units
from assistant.answer.handler import Handler, add_plan_passages, search, weak
from assistant.answer.handlers.lists import heading_items
from assistant.answer.task_named import TASK_ABSENT, task_absent
from assistant.query.model import Intent, Query
from assistant.records import Answer, Passage
from assistant.textnorm import fold

if TYPE_CHECKING:
    from assistant.snapshot import IndexSnapshot

__all__ = ["LeadUnitHandler", "PartnerUnitHandler"]

_MEMBERS = re.compile(r"\b(gom|bao gom|trong (phan|muc))\b")
_ROLE = re.compile(r"\b(chu tri|phoi hop|phu trach|duoc giao|dau moi|tham muu)\b")


# "… do cơ quan nào chủ trì tổ chức thực hiện?", "Sở nào chủ trì triển khai kế hoạch này?": the task
# asked is the plan itself, not one of its tasks
_WHOLE_PLAN = re.compile(
    r"\b(chu tri|phu trach|dau moi|chiu trach nhiem|thuong truc)\b.*\b(to chuc|trien khai)"
    r"( trien khai)?( thuc hien)?( ke hoach( nay| do)?)?\s*\??\s*$"
)
# Decree 30/2020 plans close with "TỔ CHỨC THỰC HIỆN", whose first items name the unit that leads
# the plan as a whole: "Sở Y tế: Chủ trì … theo dõi, đôn đốc … việc thực hiện Kế hoạch này"
_ORGANISATION = "to chuc thuc hien"
_STEERS = re.compile(r"\b(chu tri|thuong truc|dau moi|theo doi|don doc|tong hop)\b")
_THIS_PLAN = re.compile(r"\bke hoach( nay)?\b")


def _whole_plan(query: Query) -> bool:
    return not query.units and bool(_WHOLE_PLAN.search(query.folded or ""))


def _plan_lead(ctx: AnswerContext) -> Answer | None:
    """The unit a plan's "Tổ chức thực hiện" section gives the plan as a whole to, cited."""
    query, ev = ctx.query, ctx.evidence
    order = [h.passage.doc for h in ev.hits if not query.named or h.passage.doc in query.named]
    for doc in dict.fromkeys(order):
        best: tuple[int, Passage] | None = None
        for p in ev.doc_passages.get(doc, []):
            if not p.lead or not any(_ORGANISATION in fold(x) for x in p.section):
                continue
            text = fold(p.text)
            score = bool(_STEERS.search(text)) + bool(_THIS_PLAN.search(text))
            if score and (best is None or score > best[0]):
                best = (score, p)
        if best is None:
            continue
        p = best[1]
        cites = Cites(ctx.docs)
        quote = quote_for(p, query, ctx.idf)
        n = cites.add(p, quote, 1.0)
        line = f"{units_line(p.lead)} chủ trì tổ chức thực hiện [{n}]"
        if p.partners:
            line += f"; phối hợp: {units_line(p.partners)}"
        lines = [f"{line} — {plan_label(doc, ctx.docs)}.", f"Nhiệm vụ: “{shorten(quote or p.text, 220)}”"]
        return Answer(
            question=query.text,
            answer="\n".join(lines),
            intent=query.intent,
            units={"lead": list(p.lead), "partners": list(p.partners)},
            citations=cites.items,
        )
    return None


class LeadUnitHandler(Handler):
    name = "lead_unit"
    intents = frozenset({Intent.LEAD_UNIT})
    need = "lead"

    def gather(self, query: Query, snapshot: IndexSnapshot) -> Evidence:
        ev = search(query, snapshot)
        if _MEMBERS.search(query.folded or "") and not _ROLE.search(query.folded or ""):
            # a heading's items are listed from the plan whole, not from the hits alone
            return add_plan_passages(ev, snapshot, {h.passage.doc for h in ev.hits[:3]})
        if self.need == "lead" and _whole_plan(query):
            named = [h.passage.doc for h in ev.hits if h.passage.doc in query.named]
            return add_plan_passages(ev, snapshot, set(named[:2] or [h.passage.doc for h in ev.hits[:1]]))
        return ev

    def compose(self, ctx: AnswerContext) -> Answer | None:
        if _MEMBERS.search(ctx.query.folded or "") and not _ROLE.search(ctx.query.folded or ""):
            # "các đơn vị trong phần Tổ chức thực hiện gồm những đơn vị nào": who is listed under
            # a heading, not who leads a task
            listed = heading_items(ctx)
            if listed is not None:
                return listed
        if self.need == "lead" and _whole_plan(ctx.query):
            led = _plan_lead(ctx)
            if led is not None:
                return led
        if weak(ctx):
            return refusal(ctx)
        ans = compose_units(ctx, self.need)
        if ans is not None and task_absent(ctx, ans):
            # the row cited assigns another task: the plan does not have the one asked
            return refusal(ctx, notice=TASK_ABSENT)
        return ans


class PartnerUnitHandler(LeadUnitHandler):
    name = "partner_unit"
    intents = frozenset({Intent.PARTNER_UNIT})
    need = "partners"
