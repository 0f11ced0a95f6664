"""The items of a section ("Các hình thức truyền thông gồm những gì?")."""

from __future__ import annotations

from typing import TYPE_CHECKING

from assistant.answer.common import AnswerContext, Evidence, refusal
from assistant.answer.handler import Handler, add_plan_passages, search, weak
from assistant.answer.lists import compose_list, section_children
from assistant.query.model import Intent, Query
from assistant.records import Answer

if TYPE_CHECKING:
    from assistant.snapshot import IndexSnapshot

__all__ = ["ListHandler"]


class ListHandler(Handler):
    name = "list"
    intents = frozenset({Intent.LIST})

    def gather(self, query: Query, snapshot: IndexSnapshot) -> Evidence:
        ev = search(query, snapshot)
        # a list names a section: the best plans whole, so its sub-sections can be listed
        return add_plan_passages(ev, snapshot, {h.passage.doc for h in ev.hits[:3]})

    def compose(self, ctx: AnswerContext) -> Answer | None:
        listed, heading_cov = section_children(ctx)
        if listed is not None and heading_cov >= 0.5:
            return listed  # the question names a section of the plan: that is evidence enough
        if weak(ctx):
            return refusal(ctx)
        return compose_list(ctx)
