"""Pieces of the PostgreSQL store that need no connection logic of their own: the shared
embedding cache, a generation's rows made into the in-memory ``IndexStore``, and waiting for a
read replica to catch up. Kept apart so ``pgstore.py`` reads in one sitting."""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import StoreUnavailable
from ..records import DocMeta, Passage
from .lexical import LexicalIndex, lexical_tokens
from .store import HNSW_EF_CONSTRUCTION, HNSW_EF_SEARCH, HNSW_M, IndexStore, lexical_text, unit_text

__all__ = ["PgEmbeddingCache", "wait_for_generation"]


def _np(v: Any) -> np.ndarray:
    """A pgvector value as float32 (the loader returns ``Vector`` objects for untyped columns)."""
    return np.asarray(v.to_numpy() if hasattr(v, "to_numpy") else v, dtype=np.float32)


class PgEmbeddingCache:
    """The embedding cache in the store: (embedder id, sha256 of the text) → vector.

    Shared by every replica, so an upload on one never re-embeds text another embedded.
    The same ``lookup``/``add`` interface as the folder cache.
    """

    def __init__(self, store: Any, embedder_id: str) -> None:
        self.store, self.embedder_id = store, embedder_id

    def lookup(self, keys: Iterable[str]) -> dict[str, np.ndarray]:
        ks = list(dict.fromkeys(keys))
        if not ks:
            return {}
        with self.store._pools["read"].connection() as conn:
            rows = conn.execute(
                "SELECT text_hash, embedding FROM embed_cache WHERE embedder = %s AND text_hash = ANY(%s)",
                (self.embedder_id, ks),
            ).fetchall()
        return {k: _np(v) for k, v in rows}

    def add(self, keys: Sequence[str], vectors: np.ndarray) -> None:
        with self.store._pools["write"].connection() as conn, conn.cursor() as cur:
            cur.executemany(
                "INSERT INTO embed_cache (embedder, text_hash, embedding) VALUES (%s, %s, %s) "
                "ON CONFLICT DO NOTHING",
                [(self.embedder_id, k, np.asarray(v, dtype=np.float32)) for k, v in zip(keys, vectors)],
            )


def _in_memory(
    passages: list[Passage],
    docs: dict[str, DocMeta],
    vectors: np.ndarray,
    *,
    manifest: dict,
    ann_threshold: int,
) -> IndexStore:
    """The ``IndexStore`` a folder index would give, built in memory from a generation's rows."""
    import faiss

    dim = int(manifest["embedder"]["dim"])
    dense: Any
    if len(passages) > ann_threshold:
        dense = faiss.IndexHNSWFlat(dim, HNSW_M, faiss.METRIC_INNER_PRODUCT)
        dense.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
        dense.hnsw.efSearch = HNSW_EF_SEARCH
        manifest["faiss"] = {"type": "IndexHNSWFlat", "M": HNSW_M, "efSearch": HNSW_EF_SEARCH}
    else:
        dense = faiss.IndexFlatIP(dim)
        manifest["faiss"] = {"type": "IndexFlatIP"}
    if len(passages):
        dense.add(np.ascontiguousarray(vectors, dtype=np.float32))
    lex = LexicalIndex.build(lexical_tokens(lexical_text(p)) for p in passages)
    units = LexicalIndex.build(lexical_tokens(unit_text(p)) for p in passages)
    manifest["loaded_at"] = datetime.now(UTC).isoformat(timespec="seconds")

    return IndexStore(Path("."), manifest, passages, docs, dense, lex, units)


def wait_for_generation(store: Any, gen: int, timeout: float = 30.0) -> None:
    """Block until the read side serves ``gen`` or later (a standby replays the primary's WAL)."""
    deadline = time.monotonic() + timeout
    while True:
        cur = store.current_generation()
        if cur is not None and cur >= gen:
            return
        if time.monotonic() > deadline:
            raise StoreUnavailable(
                "Bản sao chỉ đọc của kho chưa nhận được thay đổi vừa ghi.",
                f"The read replica has not replayed generation {gen} within {timeout:.0f} s.",
                hint="kiểm tra đường sao chép (replication) giữa máy chủ chính và bản sao",
            )
        time.sleep(0.1)
