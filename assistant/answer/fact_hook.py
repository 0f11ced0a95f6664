"""The one call ``facts.best_fact_segment`` makes per candidate segment: ``rescore``.

Kept apart from the learned scorer (``fact_scorer``), which reads ``facts``' own rules to compute its
features: ``facts`` imports only this module, so neither imports the other. With nothing installed
(``rescoring``) the hand score stands unchanged.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from assistant.query.model import Query
from assistant.records import Hit
from assistant.vocab.tokens import Idf

__all__ = ["Candidate", "rescore", "rescoring"]


@dataclass(frozen=True)
class Candidate:
    """One segment ``best_fact_segment`` weighs, with what it was read with: ``judged`` (with its
    slogan label and its row's time cell), ``scored`` (with its list lead-in); ``rule`` is the
    call's ``facts.FactRule``."""

    query: Query
    rule: Any
    relevance: float
    top_relevance: float
    hit: Hit
    start: int
    seg: str
    judged: str
    scored: str
    label: str
    idf: Idf | None = None


Rescorer = Callable[[float, Candidate, Any], float]
_RESCORER: ContextVar[Rescorer | None] = ContextVar("fact_rescorer", default=None)


def rescore(hand: float, c: Candidate, key: Any = None) -> float:
    """The candidate's score: ``hand`` unless a rescorer is installed. ``key``: the call's own
    relevance list, which tells one call of ``best_fact_segment`` from the next."""
    f = _RESCORER.get()
    return hand if f is None else f(hand, c, key)


@contextmanager
def rescoring(f: Rescorer) -> Iterator[None]:
    token = _RESCORER.set(f)
    try:
        yield
    finally:
        _RESCORER.reset(token)
