"""LangChain interfaces over the PostgreSQL store, where they fit.

- ``PlanVectorStore`` (``langchain_core.vectorstores.VectorStore``): similarity search over the
  served generation (pgvector HNSW through ``PgIndexStore.dense_search``), by text or by vector, with
  scores, ``get_by_ids``, filters (the snapshot's filter keys: ``doc``, ``province``, ``kind``…) and
  ``as_retriever()``. Writing does not fit: a plan enters the store whole, parsed, checked (duplicate
  bytes or passages, names) and published as a new generation (``Assistant.add_plan``), never as loose
  texts, so ``add_texts``/``from_texts``/``delete`` refuse and say what to use instead.
- ``store_retriever``: the hybrid retriever (``retrieve.HybridRetriever``, a ``BaseRetriever``) over
  the store, searching in the database (``store_search = database``): the same passages the app cites.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings
from langchain_core.vectorstores import VectorStore

from .errors import ConfigError
from .records import Hit
from .retrieve import HybridRetriever, passage_document
from .snapshot import IndexSnapshot

__all__ = ["PlanVectorStore", "store_retriever"]

_WRITE_HINT = (
    "Plans enter the store whole through Assistant.add_plan / POST /api/v1/plans / "
    "`python -m assistant index` (parsed, checked, published as a generation), not as loose texts."
)


def _load(settings: Any, embedder: Any):
    from .indexing import backend, get_embedder

    if not backend.uses_pg(settings):
        raise ConfigError(
            "Bộ chuyển LangChain này cần kho PostgreSQL (TLKH_STORE).",
            "This LangChain adapter needs the PostgreSQL store (TLKH_STORE).",
            hint="đặt TLKH_STORE=postgresql://…",
        )
    embedder = embedder or get_embedder(settings.embedder)
    s = settings.model_copy(update={"store_search": "database"})
    return s, embedder, backend.load(s, embedder.id)


class PlanVectorStore(VectorStore):
    """The served generation of the PostgreSQL store as a read-only LangChain vector store."""

    def __init__(self, settings: Any, embedder: Any = None) -> None:
        self.settings, self._embedder, self.store = _load(settings, embedder)
        self.snapshot = IndexSnapshot.build(self.store)

    @property
    def embeddings(self) -> Embeddings:
        return self._embedder

    def _documents(self, hits: Iterable[tuple[int, float]]) -> list[tuple[Document, float]]:
        docs = self.store.docs
        out = []
        for rank, (i, score) in enumerate(hits, 1):
            p = self.store.passages[i]
            hit = Hit(passage=p, score=score, dense=score, lexical=0.0, rank=rank)
            out.append((passage_document(hit, getattr(docs.get(p.doc), "title", "") or ""), score))
        return out

    def similarity_search_with_score_by_vector(
        self, embedding: Sequence[float], k: int = 4, filter: dict | None = None, **kwargs: Any
    ) -> list[tuple[Document, float]]:
        mask = self.snapshot.mask(filter)
        allowed = np.flatnonzero(mask) if mask is not None else None
        q = np.asarray(embedding, dtype=np.float32)
        return self._documents(self.store.dense_search(q, k, allowed))

    def similarity_search_by_vector(
        self, embedding: list[float], k: int = 4, **kwargs: Any
    ) -> list[Document]:
        return [d for d, _ in self.similarity_search_with_score_by_vector(embedding, k, **kwargs)]

    def similarity_search_with_score(
        self, query: str, k: int = 4, **kwargs: Any
    ) -> list[tuple[Document, float]]:
        return self.similarity_search_with_score_by_vector(self._embedder.embed_query(query), k, **kwargs)

    def similarity_search(self, query: str, k: int = 4, **kwargs: Any) -> list[Document]:
        return [d for d, _ in self.similarity_search_with_score(query, k, **kwargs)]

    def _select_relevance_score_fn(self):
        return self._max_inner_product_relevance_score_fn  # scores are inner products of unit vectors

    def get_by_ids(self, ids: Sequence[str], /) -> list[Document]:
        pos = {p.id: i for i, p in enumerate(self.store.passages)}
        return [d for d, _ in self._documents((pos[i], 1.0) for i in ids if i in pos)]

    def add_texts(
        self, texts: Iterable[str], metadatas: list[dict] | None = None, **kwargs: Any
    ) -> list[str]:
        raise NotImplementedError(_WRITE_HINT)

    def delete(self, ids: list[str] | None = None, **kwargs: Any) -> bool | None:
        raise NotImplementedError(_WRITE_HINT)

    @classmethod
    def from_texts(cls, texts: list[str], embedding: Embeddings, metadatas=None, **kwargs: Any):
        raise NotImplementedError(_WRITE_HINT)


def store_retriever(settings: Any, embedder: Any = None, **kw: Any) -> HybridRetriever:
    """The hybrid retriever (a LangChain ``BaseRetriever``) over the store, searching in PostgreSQL."""
    s, embedder, store = _load(settings, embedder)
    return HybridRetriever(store, embedder, s, **kw)
