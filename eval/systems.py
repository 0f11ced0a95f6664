"""Our assistant and its ablations, as the evaluation drives them.

Every configuration shares one embedder object wrapped in ``CachedEmbedder``, so
passages and questions are embedded once per run however many configurations
read them; the ablations differ only in query-time settings.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from assistant.indexing.embedders import Embedder

__all__ = ["Config", "OUR_CONFIGS", "CachedEmbedder", "open_assistant", "passages_of", "search_ids"]


@dataclass(frozen=True)
class Config:
    name: str
    label: str
    overrides: dict[str, Any] = field(default_factory=dict)


def OUR_CONFIGS(default_fusion: str = "minmax") -> list[Config]:
    """Ours plus the ablations; the fusion ablation is whichever fusion is not the default."""
    other = "rrf" if default_fusion != "rrf" else "minmax"
    return [
        Config("ours", "Ours (hybrid)"),
        Config("dense_only", "Ours: dense only", {"fusion": "minmax", "dense_weight": 1.0}),
        Config("lexical_only", "Ours: lexical only", {"fusion": "minmax", "dense_weight": 0.0}),
        Config("no_units", "Ours: no unit metadata", {"use_units": False}),
        Config(f"fusion_{other}", f"Ours: {other} fusion", {"fusion": other}),
    ]


class CachedEmbedder(Embedder):
    """The same vectors as ``inner``, each text encoded once per process."""

    def __init__(self, inner: Embedder):
        self.inner = inner
        self.id = inner.id
        self.dim = inner.dim
        self._cache: dict[tuple[bool, str], np.ndarray] = {}
        self._lock = threading.Lock()
        self.encoded = 0  # texts actually sent to the model (for the report)

    def _encode(self, texts: list[str], is_query: bool) -> np.ndarray:
        with self._lock:
            todo = list(dict.fromkeys(t for t in texts if (is_query, t) not in self._cache))
        if todo:
            vecs = (
                np.stack([self.inner.encode_query(t) for t in todo])
                if is_query
                else self.inner.encode_passages(todo)
            )
            with self._lock:
                self.encoded += len(todo)
                for t, v in zip(todo, vecs):
                    self._cache[(is_query, t)] = np.asarray(v, dtype=np.float32)
            self.dim = int(vecs.shape[1])
        with self._lock:
            return np.stack([self._cache[(is_query, t)] for t in texts])

    def count_tokens(self, text: str) -> int:
        return self.inner.count_tokens(text)


def open_assistant(
    settings, embedder: Embedder, overrides: dict[str, Any] | None = None, own_index: Path | None = None
):
    """An Assistant for ``settings`` + ``overrides`` over the shared index.

    Query-time ablations load the index the first configuration built. Should the
    index refuse the changed settings (a manifest that records them), the
    configuration gets its own index in ``own_index``; the cached embedder makes
    that rebuild cost no model time.
    """
    from assistant.core import Assistant
    from assistant.errors import IndexMismatch

    s = settings.model_copy(update=dict(overrides or {}))
    try:
        return Assistant(s, build_if_missing=True, embedder=embedder)
    except IndexMismatch:
        if own_index is None:
            raise
        return Assistant(
            s.model_copy(update={"index_dir": own_index}), build_if_missing=True, embedder=embedder
        )


def _state(assistant):
    """The loaded index and retriever (Assistant keeps them in one snapshot, loaded lazily)."""
    if hasattr(assistant, "store") and hasattr(assistant, "retriever"):
        return assistant
    return assistant.snapshot()  # the loaded index: what ask() reads


def passages_of(assistant) -> list:
    """Every passage the assistant can retrieve."""
    return list(_state(assistant).store.passages)


def search_ids(assistant, question: str, k: int = 10) -> list[str]:
    """Passage ids best first, from the hybrid retriever on the raw question (no filters)."""
    return [h.passage.id for h in _state(assistant).retriever.search(question, k=k)]
