"""What a question handler is, and the evidence every handler starts from.

A handler serves one question family.  The registry (``answer.registry``) asks each
one how confident it is that a ``Query`` is its kind (``detect``), then lets the most
confident gather evidence from the loaded index (``gather``) and compose the answer
(``compose``).  The fallback handler answers from the best passages, quoted.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import TYPE_CHECKING, ClassVar

from assistant.answer.common import AnswerContext, Evidence, evidence_score
from assistant.query.model import Intent, Query
from assistant.records import Answer, Passage

if TYPE_CHECKING:
    from assistant.snapshot import IndexSnapshot

__all__ = ["Handler", "search", "add_plan_passages", "weak"]


class Handler(ABC):
    """One question family: ``detect`` → ``gather`` → ``compose``."""

    name: ClassVar[str]
    intents: ClassVar[frozenset[Intent]] = frozenset()
    # whether the refusal scorer (answer.confidence) judges this family's answers; a family whose
    # evidence is not retrieved passages (the list of loaded plans) sets it False
    calibrated: ClassVar[bool] = True

    def scored_as(self, ctx: AnswerContext) -> str:
        """The family the refusal scorer weighs this handler's answer as (its features name the
        families it was trained on); by default the handler's own name."""
        return self.name

    def detect(self, query: Query) -> float:
        """Confidence (0–1) that this handler answers ``query``; by default, its intents."""
        return 1.0 if query.intent in self.intents else 0.0

    def gather(self, query: Query, snapshot: IndexSnapshot) -> Evidence:
        """The evidence this family needs; by default the retrieved passages."""
        return search(query, snapshot)

    @abstractmethod
    def compose(self, ctx: AnswerContext) -> Answer | None:
        """The answer, a refusal, or None to let the fallback answer from the best passages."""


def search(query: Query, snapshot: IndexSnapshot, k: int | None = None) -> Evidence:
    """The retrieved passages for ``query`` (its filters and boosts), plus each plan's header card."""
    assert snapshot.retriever is not None, "the snapshot is built with its retriever"
    hits = snapshot.retriever.search(query, filters=query.filters or None, k=k)
    return Evidence(hits=list(hits), metadata=snapshot.metadata)


def add_plan_passages(ev: Evidence, snapshot: IndexSnapshot, docs: set[str | None]) -> Evidence:
    """Every passage of the given plans, in plan order (a list names a section; a fact may
    be a count of one; a signer is on the header card)."""
    wanted = {d for d in docs if d}
    by_doc: dict[str, list[Passage]] = {}
    for p in snapshot.passages:
        if p.doc in wanted:
            by_doc.setdefault(p.doc, []).append(p)
    ev.doc_passages.update(by_doc)
    return ev


def weak(ctx: AnswerContext) -> bool:
    """The best passages cover too little of the question to answer from."""
    return evidence_score(ctx.query, ctx.hits, ctx.idf) < ctx.refuse_below
