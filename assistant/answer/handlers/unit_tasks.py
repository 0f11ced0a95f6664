"""What a unit must do: every passage that gives it a task, by role, grouped by plan."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from assistant.answer.common import AnswerContext, Evidence, refusal
from assistant.answer.evidence import coverage
from assistant.answer.handler import Handler, search
from assistant.answer.tasks import compose_unit_tasks, unit_fallback
from assistant.query.model import Intent, Query, Role
from assistant.records import Answer, Hit
from assistant.textnorm import fold

if TYPE_CHECKING:
    from assistant.snapshot import IndexSnapshot

__all__ = ["UnitTasksHandler"]

# an item of "Tổ chức thực hiện" opens with the party it assigns, after its number and a plural or
# courtesy word ("7. Các doanh nghiệp hoạt động trong lĩnh vực …", "4. Đề nghị các tổ chức …")
_ITEM_HEAD = re.compile(
    r"^\s*(?:[ivxlc]+\.|\d{1,3}(?:\.\d{1,3})*\.?|[a-z]\))?\s*(?:de nghi\s+)?(?:cac|nhung)?\s*"
)


class UnitTasksHandler(Handler):
    name = "unit_tasks"
    intents = frozenset({Intent.UNIT_TASKS})

    def gather(self, query: Query, snapshot: IndexSnapshot) -> Evidence:
        ev = search(query, snapshot)
        if query.units:
            ev.unit_rows = _unit_rows(query, snapshot, ev.hits)
            seen = {r[0].id for r in ev.unit_rows}
            ev.unit_rows += [r for r in _headed_rows(query, ev.hits) if r[0].id not in seen]
        return ev

    def compose(self, ctx: AnswerContext) -> Answer:
        # a unit the plans never name gets a refusal, never someone else's tasks
        return compose_unit_tasks(ctx) or unit_fallback(ctx) or refusal(ctx)


def _unit_rows(query: Query, snapshot: IndexSnapshot, hits: list[Hit]) -> list[tuple]:
    """(passage, role, score) for every passage naming the question's unit (the snapshot's
    unit index), scored by retrieval and by how much of the question the passage covers."""
    unit = query.units[0]
    score_of = {h.passage.id: h.score for h in hits}
    unit_terms = set(fold(unit).split())
    terms = [t for t in query.terms if t not in unit_terms]
    scope = set(query.scope)
    rows = []
    for p, role in snapshot.unit_rows(unit, query.filters):
        if scope and p.doc not in scope:
            continue
        s = score_of.get(p.id, 0.0) + (coverage(terms, p.text, snapshot.idf) if terms else 0.0)
        rows.append((p, str(role), s - 1e-6 * snapshot.order.get(p.id, 0)))
    return rows


def _headed_rows(query: Query, hits: list[Hit]) -> list[tuple]:
    """(passage, lead, score) for the hits whose own heading opens with the unit asked. A party
    that is no state body ("Các doanh nghiệp hoạt động trong lĩnh vực xây dựng, giao thông …",
    "Các cơ sở sản xuất giống") heads its item of "Tổ chức thực hiện" as a unit does, and the
    loader may not read it as one: the item's heading names whose tasks are under it."""
    unit = fold(query.units[0]).strip()
    rows = []
    for h in hits:
        head = fold(h.passage.section[-1]) if h.passage.section else ""
        if unit and _ITEM_HEAD.sub("", head, count=1).startswith(unit):
            rows.append((h.passage, str(Role.LEAD), h.score))
    return rows
