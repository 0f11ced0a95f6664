"""The same question across several plans ("So sánh … ở mỗi kế hoạch", "Đồng Tháp và Lấp Vò")."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from assistant.answer.common import AnswerContext, Evidence, refusal
from assistant.answer.compare import compose_compare
from assistant.answer.facts import is_meta
from assistant.answer.handler import Handler, add_plan_passages, search, weak
from assistant.answer.handlers.facts import asked_plans
from assistant.query.model import Intent, Query
from assistant.records import Answer

if TYPE_CHECKING:
    from assistant.snapshot import IndexSnapshot

__all__ = ["CompareHandler"]

PER_PLAN = 4  # passages retrieved per compared plan


class CompareHandler(Handler):
    name = "compare"
    intents = frozenset({Intent.COMPARE})

    def gather(self, query: Query, snapshot: IndexSnapshot) -> Evidence:
        ev = search(query, snapshot)
        only = query.filters.get("doc")
        for d in query.scope or sorted(snapshot.docs):
            if only and only != d:
                continue
            narrowed = replace(query, filters={**query.filters, "doc": d})
            ev.per_doc[d] = search(narrowed, snapshot, k=PER_PLAN).hits
        return add_plan_passages(ev, snapshot, asked_plans(query, ev))

    def compose(self, ctx: AnswerContext) -> Answer | None:
        if not is_meta(ctx.query) and weak(ctx):
            return refusal(ctx)
        return compose_compare(ctx)
