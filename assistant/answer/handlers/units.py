"""Who leads a task ("Sở nào chủ trì …") and who coordinates it ("… phối hợp với ai")."""

from __future__ import annotations

from assistant.answer.common import AnswerContext, refusal
from assistant.answer.extractive import compose_units
from assistant.answer.handler import Handler, weak
from assistant.query.model import Intent
from assistant.records import Answer

__all__ = ["LeadUnitHandler", "PartnerUnitHandler"]


class LeadUnitHandler(Handler):
    name = "lead_unit"
    intents = frozenset({Intent.LEAD_UNIT})
    need = "lead"

    def compose(self, ctx: AnswerContext) -> Answer | None:
        if weak(ctx):
            return refusal(ctx)
        return compose_units(ctx, self.need)


class PartnerUnitHandler(LeadUnitHandler):
    name = "partner_unit"
    intents = frozenset({Intent.PARTNER_UNIT})
    need = "partners"
