"""What a unit must do: every passage that gives it a task, by role, grouped by plan."""

from __future__ import annotations

from typing import TYPE_CHECKING

from assistant.answer.common import AnswerContext, Evidence, refusal
from assistant.answer.evidence import coverage
from assistant.answer.handler import Handler, search
from assistant.answer.tasks import compose_unit_tasks, unit_fallback
from assistant.query.model import Intent, Query
from assistant.records import Answer, Hit
from assistant.textnorm import fold

if TYPE_CHECKING:
    from assistant.snapshot import IndexSnapshot

__all__ = ["UnitTasksHandler"]


class UnitTasksHandler(Handler):
    name = "unit_tasks"
    intents = frozenset({Intent.UNIT_TASKS})

    def gather(self, query: Query, snapshot: IndexSnapshot) -> Evidence:
        ev = search(query, snapshot)
        if query.units:
            ev.unit_rows = _unit_rows(query, snapshot, ev.hits)
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
