"""Who leads a task ("Sở nào chủ trì …") and who coordinates it ("… phối hợp với ai")."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from assistant.answer.common import AnswerContext, Evidence, refusal
from assistant.answer.extractive import compose_units
from assistant.answer.handler import Handler, add_plan_passages, search, weak
from assistant.answer.handlers.lists import heading_items
from assistant.query.model import Intent, Query
from assistant.records import Answer

if TYPE_CHECKING:
    from assistant.snapshot import IndexSnapshot

__all__ = ["LeadUnitHandler", "PartnerUnitHandler"]

_MEMBERS = re.compile(r"\b(gom|bao gom|trong (phan|muc))\b")
_ROLE = re.compile(r"\b(chu tri|phoi hop|phu trach|duoc giao|dau moi|tham muu)\b")


class LeadUnitHandler(Handler):
    name = "lead_unit"
    intents = frozenset({Intent.LEAD_UNIT})
    need = "lead"

    def gather(self, query: Query, snapshot: IndexSnapshot) -> Evidence:
        ev = search(query, snapshot)
        if _MEMBERS.search(query.folded or "") and not _ROLE.search(query.folded or ""):
            # a heading's items are listed from the plan whole, not from the hits alone
            return add_plan_passages(ev, snapshot, {h.passage.doc for h in ev.hits[:3]})
        return ev

    def compose(self, ctx: AnswerContext) -> Answer | None:
        if _MEMBERS.search(ctx.query.folded or "") and not _ROLE.search(ctx.query.folded or ""):
            # "các đơn vị trong phần Tổ chức thực hiện gồm những đơn vị nào": who is listed under
            # a heading, not who leads a task
            listed = heading_items(ctx)
            if listed is not None:
                return listed
        if weak(ctx):
            return refusal(ctx)
        return compose_units(ctx, self.need)


class PartnerUnitHandler(LeadUnitHandler):
    name = "partner_unit"
    intents = frozenset({Intent.PARTNER_UNIT})
    need = "partners"
