"""Helpers for answer and query tests over tiny inline plans (no index: passages are written and hits
ranked by hand), so every such test builds its passages and its evidence the same way."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest

from assistant.answer.common import Evidence
from assistant.answer.evidence import Idf
from assistant.query.catalog import Catalog
from assistant.records import DocMeta, Hit, Passage

__all__ = ["article", "evidence", "hits", "plan_fixtures"]


def hits(*ps: Passage) -> list[Hit]:
    """The passages as retrieval would rank them: first best, scores falling by rank."""
    return [Hit(passage=p, score=1.0 - 0.1 * i, dense=0.85 - 0.02 * i, rank=i + 1) for i, p in enumerate(ps)]


def article(pid: str, doc: str, section: tuple[str, ...], text: str, kind: str = "article") -> Passage:
    """A passage of plan ``doc`` under the heading path ``section`` (an article unless ``kind`` says)."""
    return Passage(id=pid, doc=doc, kind=kind, section=section, text=text)


def evidence(pool: Sequence[Passage], *ps: Passage, metadata: dict[str, Passage] | None = None) -> Evidence:
    """The evidence an answer reads: ``ps`` ranked as hits, every plan of ``pool`` gathered whole
    (its passages in their order), as the handlers gather the plans they answer from, and the
    plans' ``metadata`` passages (their header cards) when given."""
    plans = dict.fromkeys(p.doc for p in pool)
    return Evidence(
        hits=hits(*ps),
        doc_passages={d: [p for p in pool if p.doc == d] for d in plans},
        metadata={} if metadata is None else metadata,
    )


def plan_fixtures(docs: dict[str, DocMeta], pool: Sequence[Passage]) -> tuple[Any, Any]:
    """The module-scoped ``cat`` and ``idf`` fixtures of a test module's inline plans: the catalogue
    the parser reads them through and the IDF the answers weigh terms by. A module writes
    ``cat, idf = plan_fixtures(DOCS, ALL)``; pytest finds each fixture by its name."""

    @pytest.fixture(scope="module")
    def cat() -> Catalog:
        return Catalog.build(docs, list(pool))

    @pytest.fixture(scope="module")
    def idf() -> Idf:
        return Idf.build(p.text for p in pool)

    return cat, idf
