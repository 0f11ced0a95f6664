"""The items of a section ("Các hình thức truyền thông gồm những gì?")."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from assistant.answer.common import AnswerContext, Evidence, refusal
from assistant.answer.handler import Handler, add_plan_passages, search, weak
from assistant.answer.lists import asked_heading, compose_list, section_children
from assistant.query.model import Intent, Query
from assistant.records import Answer

if TYPE_CHECKING:
    from assistant.snapshot import IndexSnapshot

__all__ = ["ListHandler", "heading_items"]

# the asked noun phrase must be (nearly) all in the heading: "những mục tiêu cụ thể nào"
# lists "2. Mục tiêu cụ thể đến năm 2030", not any heading sharing one word
HEADING_MATCH = 0.75
_PART = re.compile(
    r"\b(?:trong|o|tai|thuoc) (?:phan|muc|noi dung) ((?:(?!(?:cua|gom|co|la|nao|gi)\b)[a-z0-9]+\s*){1,6})"
)


def heading_items(ctx: AnswerContext) -> Answer | None:
    """ "Những mục tiêu chủ yếu nào?": the items under the heading the plural phrase names."""
    folded = ctx.query.folded or ctx.query.text.lower()
    # "các đơn vị trong phần Tổ chức thực hiện": the section named after "phần/mục" holds the
    # items; else the plural phrase itself names the heading ("những mục tiêu chủ yếu nào")
    part = _PART.search(folded)
    for phrase in (part.group(1) if part else None, asked_heading(folded)):
        if not phrase:
            continue
        listed, cov = section_children(ctx, heading=phrase)
        if listed is not None and cov >= HEADING_MATCH:
            return listed
    return None


class ListHandler(Handler):
    name = "list"
    intents = frozenset({Intent.LIST})

    def gather(self, query: Query, snapshot: IndexSnapshot) -> Evidence:
        ev = search(query, snapshot)
        # a list names a section: the best plans whole, so its sub-sections can be listed
        return add_plan_passages(ev, snapshot, {h.passage.doc for h in ev.hits[:3]})

    def compose(self, ctx: AnswerContext) -> Answer | None:
        listed = heading_items(ctx)
        if listed is not None:
            return listed
        listed, heading_cov = section_children(ctx)
        if listed is not None and heading_cov >= 0.5:
            return listed  # the question names a section of the plan: that is evidence enough
        if weak(ctx):
            return refusal(ctx)
        return compose_list(ctx)
