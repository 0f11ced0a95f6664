"""What a build reads and what it reports: the plan files, their parses, their passages' vectors.

Parsing goes through the parse cache and vectors through the embedding cache (or a live
index's vectors), so a rebuild parses and embeds only what changed; the file store's build
(``build``) and the shared PostgreSQL store's (``backend``) both read through here.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..errors import AssistantError, ConfigError, DocumentError
from ..ingest import SUPPORTED_SUFFIXES, parse_file
from ..records import ParsedDoc, Passage
from .cache import EmbeddingCache, ParseCache, text_key
from .embedders import Embedder

__all__ = [
    "BuildReport",
    "Progress",
    "EMBED_BATCH",
    "corpus_files",
    "parse_plan",
    "parse_cached",
    "error_text",
    "vectors_for",
    "embedding_cache",
    "dedupe",
]

log = logging.getLogger(__name__)

Progress = Callable[[int, int, str], None]
EMBED_BATCH = 16  # texts per embedder call: small enough for a lively progress bar
FLUSH_EVERY = 128  # new vectors per cache shard: a killed build keeps most of its work


@dataclass
class BuildReport:
    action: str = "build"  # "build" | "add" | "remove"
    docs: int = 0  # plans in the index after the operation
    passages: int = 0  # passages in the index after the operation
    embedded_new: int = 0  # texts sent to the embedder
    cache_hits: int = 0  # vectors reused (cache or live index)
    seconds: float = 0.0
    errors: list[tuple[str, str]] = field(default_factory=list)  # (file, message) not indexed
    faiss_type: str = ""
    index_dir: str = ""

    @property
    def passages_per_second(self) -> float:
        return self.passages / self.seconds if self.seconds > 0 else 0.0


def corpus_files(corpus_dir: Path) -> list[Path]:
    corpus_dir = Path(corpus_dir)
    if not corpus_dir.is_dir():
        raise ConfigError(
            f"Không thấy thư mục kế hoạch {corpus_dir}.",
            f"Plan folder {corpus_dir} not found.",
            hint="đặt TLKH_CORPUS_DIR hoặc tạo thư mục và chép các kế hoạch vào",
        )
    suf = SUPPORTED_SUFFIXES
    return sorted(
        p
        for p in corpus_dir.iterdir()
        if p.is_file() and not p.name.startswith(".") and p.suffix.lower() in suf
    )


def parse_plan(path: Path) -> ParsedDoc:
    doc = parse_file(path)
    if not doc.passages:
        raise DocumentError(
            f"Không tách được đoạn nào từ {path.name}.", f"No passages could be extracted from {path.name}."
        )
    return doc


def parse_cached(settings, path: Path, sha: str) -> ParsedDoc:
    """``parse_file`` through the parse cache (parsing, not embedding, dominates a warm rebuild)."""
    pc = ParseCache(Path(settings.data_dir) / "cache" / "parsed")
    doc = pc.get(path.name, sha)
    if doc is None:
        doc = parse_plan(path)
        pc.put(path.name, sha, doc)
    return doc


def error_text(e: Exception) -> str:
    if isinstance(e, AssistantError):
        return e.user_message()
    return f"{type(e).__name__}: {e}"


def vectors_for(
    passages: Sequence[Passage],
    embedder: Embedder,
    cache: EmbeddingCache,
    report: BuildReport,
    progress: Progress | None,
    fallback: dict[str, np.ndarray] | None = None,
) -> np.ndarray:
    """Vectors of all passages: cached, then ``fallback`` (live index), then embedded."""
    texts = [p.embed_text or p.text for p in passages]
    keys = [text_key(t) for t in texts]
    found = cache.lookup(keys)
    if fallback:
        reuse = {k: v for k, v in fallback.items() if k not in found}
        if reuse:
            # the live index had them: keep them in the cache for the next build too
            ks = list(reuse)
            cache.add(ks, np.stack([reuse[k] for k in ks]))
            found.update(reuse)
    missing = list(dict.fromkeys(k for k in keys if k not in found))
    text_of = dict(zip(keys, texts))
    total = len(passages)
    done = sum(1 for k in keys if k in found)
    report.cache_hits += done
    if progress:
        progress(done, total, "bộ nhớ đệm")
    pending_k: list[str] = []
    pending_v: list[np.ndarray] = []
    per_key: dict[str, int] = {}
    for k in keys:
        per_key[k] = per_key.get(k, 0) + 1
    for i in range(0, len(missing), EMBED_BATCH):
        batch = missing[i : i + EMBED_BATCH]
        vecs = embedder.encode_passages([text_of[k] for k in batch])
        if vecs.shape != (len(batch), embedder.dim):
            raise ConfigError(
                "Mô hình nhúng trả về kích thước sai.",
                f"Embedder returned shape {vecs.shape}, expected ({len(batch)}, {embedder.dim}).",
            )
        report.embedded_new += len(batch)
        for k, v in zip(batch, vecs):
            found[k] = v
        pending_k += batch
        pending_v.append(vecs)
        if len(pending_k) >= FLUSH_EVERY:
            cache.add(pending_k, np.concatenate(pending_v))
            pending_k, pending_v = [], []
        done += sum(per_key[k] for k in batch)
        if progress:
            progress(done, total, "nhúng")
    if pending_k:
        cache.add(pending_k, np.concatenate(pending_v))
    if not passages:
        return np.zeros((0, embedder.dim), np.float32)
    return np.stack([found[k] for k in keys]).astype(np.float32)


def embedding_cache(settings, embedder: Embedder) -> EmbeddingCache:
    c = EmbeddingCache(Path(settings.data_dir) / "cache", embedder.id, embedder.dim)
    c.compact()
    return c


def dedupe(passages: list[Passage]) -> list[Passage]:
    seen: set[str] = set()
    out = []
    for p in passages:
        if p.id in seen:
            log.warning("duplicate passage id %s in %s skipped", p.id, p.doc)
            continue
        seen.add(p.id)
        out.append(p)
    return out
