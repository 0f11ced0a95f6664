"""Helpers for answer tests over tiny inline plans (no index: hits are made by hand)."""

from __future__ import annotations

from assistant.records import Hit, Passage

__all__ = ["hits"]


def hits(*ps: Passage) -> list[Hit]:
    """The passages as retrieval would rank them: first best, scores falling by rank."""
    return [Hit(passage=p, score=1.0 - 0.1 * i, dense=0.85 - 0.02 * i, rank=i + 1) for i, p in enumerate(ps)]
