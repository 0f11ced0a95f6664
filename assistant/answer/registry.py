"""The registry of question handlers: which family answers a ``Query``, and the answer.

Adding a question type = one module under ``answer/handlers/`` with a ``Handler``
subclass (``detect``/``gather``/``compose``), and one line in ``HANDLERS``.  A test
(tests/test_answer_registry.py) fails when an ``Intent`` has no handler.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from assistant.answer.common import REFUSE_BELOW, AnswerContext, Evidence, refusal
from assistant.answer.confidence import decide
from assistant.answer.evidence import Idf
from assistant.answer.extractive import finalize
from assistant.answer.fact_scorer import for_settings, scoring
from assistant.answer.handler import Handler
from assistant.answer.handlers.catalogue import CatalogueHandler
from assistant.answer.handlers.compare import CompareHandler
from assistant.answer.handlers.facts import FactHandler
from assistant.answer.handlers.lists import ListHandler
from assistant.answer.handlers.passages import PassagesHandler
from assistant.answer.handlers.sections import SectionHandler
from assistant.answer.handlers.unit_tasks import UnitTasksHandler
from assistant.answer.handlers.units import LeadUnitHandler, PartnerUnitHandler
from assistant.query.model import Query
from assistant.records import Answer, DocMeta

if TYPE_CHECKING:
    from assistant.snapshot import IndexSnapshot

__all__ = [
    "HANDLERS",
    "FALLBACK",
    "CONFIDENT",
    "handler_for",
    "gather",
    "compose",
    "compose_context",
    "answer",
]

HANDLERS: tuple[Handler, ...] = (
    *(CatalogueHandler(), SectionHandler()),  # before the families they take questions from
    UnitTasksHandler(),
    LeadUnitHandler(),
    PartnerUnitHandler(),
    FactHandler(),
    ListHandler(),
    CompareHandler(),
)
FALLBACK: Handler = PassagesHandler()
CONFIDENT = 0.5  # below this no family claims the question: the fallback answers


def handler_for(query: Query) -> Handler:
    """The most confident handler (the first listed on a tie), else the fallback."""
    best, best_conf = FALLBACK, CONFIDENT
    for h in HANDLERS:
        conf = h.detect(query)
        if conf > best_conf:
            best, best_conf = h, conf
    return best


def gather(query: Query, snapshot: IndexSnapshot) -> Evidence:
    return handler_for(query).gather(query, snapshot)


def compose_context(ctx: AnswerContext) -> Answer:
    """The handler's answer, the best passages quoted, or a refusal: the calibrated scorer
    (``answer.confidence``) decides which, from the evidence and what the handler found."""
    handler = handler_for(ctx.query)
    own = handler.compose(ctx)
    if not handler.calibrated:
        return finalize(own or refusal(ctx))
    return finalize(decide(ctx, handler.scored_as(ctx), own))


def compose(
    query: Query,
    ev: Evidence,
    docs: dict[str, DocMeta],
    *,
    idf: Idf | None = None,
    refuse_below: float = REFUSE_BELOW,
) -> Answer:
    """The extractive answer for ``query`` from evidence already gathered."""
    return compose_context(AnswerContext(query, ev, docs, idf, refuse_below))


def answer(
    query: Query, snapshot: IndexSnapshot, refuse_below: float = REFUSE_BELOW
) -> tuple[Answer, AnswerContext]:
    """Gather and compose with the handler ``query`` belongs to; the context serves the LLM too."""
    ev = gather(query, snapshot)
    ctx = AnswerContext(query, ev, snapshot.docs, snapshot.idf, refuse_below, snapshot.vocabulary)
    # the fact sentence ranked by the learned scorer when the settings ask for it (``Settings.fact_scorer``)
    with scoring(for_settings(getattr(snapshot.retriever, "settings", None))):
        return compose_context(ctx), ctx
