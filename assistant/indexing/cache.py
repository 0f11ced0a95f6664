"""Build caches. Embedding cache: (embedder id, sha256 of the text embedded) → vector.

Stored under ``data_dir/cache/<embedder slug>/`` as shards: ``<name>.npy`` (float32,
``allow_pickle=False``) plus ``<name>.json`` (the key list). A shard is written whole
under a temporary name and renamed, the JSON last, so a killed build leaves either a
complete shard or none; existing shards are never rewritten (compaction writes a new
merged shard first, then deletes the ones it replaces).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import time
import uuid
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..records import DocMeta, ParsedDoc, Passage

__all__ = ["EmbeddingCache", "ParseCache", "parser_fingerprint", "text_key", "atomic_write"]

log = logging.getLogger(__name__)

CACHE_VERSION = 1
COMPACT_ABOVE = 64  # shards; merged at the start of a build so lookups stay cheap


def text_key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _slug(embedder_id: str) -> str:
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", embedder_id)[:48].strip("_")
    return f"{safe}-{hashlib.sha256(embedder_id.encode()).hexdigest()[:10]}"


def atomic_write(path: Path, write) -> None:
    """Write through a temp file + rename: readers see the old file or the whole new one."""
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.part")
    with open(tmp, "wb") as f:
        write(f)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


class EmbeddingCache:
    """Append-only vector cache for one embedder. Not thread-safe: builds hold the index lock."""

    def __init__(self, root: Path, embedder_id: str, dim: int) -> None:
        self.dir = Path(root) / _slug(embedder_id)
        self.embedder_id = embedder_id
        self.dim = int(dim)
        self._vecs: dict[str, np.ndarray] = {}
        self._shards: list[Path] = []
        self._loaded = False

    def _load(self) -> None:
        if self._loaded:
            return
        self._loaded = True
        meta = self.dir / "meta.json"
        if meta.is_file():
            try:
                m = json.loads(meta.read_text(encoding="utf-8"))
                if (
                    m.get("embedder") != self.embedder_id
                    or int(m.get("dim", -1)) != self.dim
                    or m.get("version") != CACHE_VERSION
                ):
                    log.warning("embedding cache %s belongs to another embedder/version; ignored", self.dir)
                    return
            except (ValueError, OSError):
                return
        for kpath in sorted(self.dir.glob("shard-*.json")):
            vpath = kpath.with_suffix(".npy")
            try:
                keys = json.loads(kpath.read_text(encoding="utf-8"))
                arr = np.load(vpath, allow_pickle=False)
                if arr.dtype != np.float32 or arr.shape != (len(keys), self.dim):
                    raise ValueError(f"shape {arr.shape} for {len(keys)} keys")
            except (ValueError, OSError) as e:
                # a damaged shard only costs re-embedding its texts
                log.warning("skipping damaged cache shard %s: %s", kpath.name, e)
                continue
            self._shards.append(kpath)
            for k, v in zip(keys, arr):
                self._vecs[k] = v

    def __len__(self) -> int:
        self._load()
        return len(self._vecs)

    def get(self, key: str) -> np.ndarray | None:
        self._load()
        return self._vecs.get(key)

    def add(self, keys: Sequence[str], vectors: np.ndarray) -> None:
        """Persist a new shard (one file pair per call) and remember the vectors."""
        self._load()
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        if len(keys) == 0:
            return
        assert vectors.shape == (len(keys), self.dim), (vectors.shape, len(keys), self.dim)
        self.dir.mkdir(parents=True, exist_ok=True)
        meta = self.dir / "meta.json"
        if not meta.is_file():
            body = json.dumps({"embedder": self.embedder_id, "dim": self.dim, "version": CACHE_VERSION})
            atomic_write(meta, lambda f: f.write(body.encode()))
        name = f"shard-{time.strftime('%Y%m%d%H%M%S')}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        atomic_write(self.dir / f"{name}.npy", lambda f: np.save(f, vectors, allow_pickle=False))
        keys_body = json.dumps(list(keys)).encode()
        atomic_write(self.dir / f"{name}.json", lambda f: f.write(keys_body))
        self._shards.append(self.dir / f"{name}.json")
        for k, v in zip(keys, vectors):
            self._vecs[k] = v

    def compact(self) -> None:
        """Merge many small shards into one (new file first, then delete the old ones)."""
        self._load()
        if len(self._shards) <= COMPACT_ABOVE:
            return
        old = list(self._shards)
        self._shards = []
        keys = list(self._vecs)
        self.add(keys, np.stack([self._vecs[k] for k in keys]))
        for kpath in old:
            for p in (kpath, kpath.with_suffix(".npy")):
                try:
                    p.unlink()
                except OSError:
                    pass

    def lookup(self, keys: Iterable[str]) -> dict[str, np.ndarray]:
        self._load()
        return {k: self._vecs[k] for k in keys if k in self._vecs}


_QUERY_TIME_MODELS = ("refusal_scorer.json", "passage_reranker.json")


@lru_cache(maxsize=1)
def parser_fingerprint() -> str:
    """Hash of the code and data that turn a file into passages: a cached parse made
    under another fingerprint is stale and ignored."""
    root = Path(__file__).resolve().parent.parent
    # the vocabulary (units, places, document kinds) is read by the structurers: a new unit
    # alias changes passages as surely as a new parser rule
    files = (
        sorted((root / "ingest").rglob("*.py"))
        + sorted((root / "vocab").glob("*.py"))
        # the refusal scorer and the passage reranker weigh answers and hits at question time:
        # retraining them changes no passage
        + sorted(f for f in (root / "data").glob("*.json") if f.name not in _QUERY_TIME_MODELS)
        + [root / "textnorm.py", root / "records.py"]
    )
    h = hashlib.sha256()
    for f in files:
        if f.is_file():
            h.update(str(f.relative_to(root)).encode() + b"\0" + f.read_bytes() + b"\0")
    return h.hexdigest()[:16]


class ParseCache:
    """Parsed plans as JSON, keyed by (file name, content sha256, parser fingerprint)."""

    def __init__(self, root: Path) -> None:
        self.dir = Path(root)

    @staticmethod
    def key(name: str, sha: str) -> str:
        return hashlib.sha256(f"{name}\0{sha}\0{parser_fingerprint()}".encode()).hexdigest()[:32] + ".json"

    def get(self, name: str, sha: str) -> ParsedDoc | None:
        f = self.dir / self.key(name, sha)
        if not f.is_file():
            return None
        try:
            raw = json.loads(f.read_text(encoding="utf-8"))
            return ParsedDoc(DocMeta.from_dict(raw["meta"]), [Passage.from_dict(p) for p in raw["passages"]])
        except (ValueError, KeyError, TypeError, OSError) as e:
            log.warning("ignoring damaged parse cache %s: %s", f.name, e)
            return None

    def put(self, name: str, sha: str, doc: ParsedDoc) -> None:
        body = json.dumps(
            {"meta": doc.meta.to_dict(), "passages": [p.to_dict() for p in doc.passages]}, ensure_ascii=False
        ).encode("utf-8")
        self.dir.mkdir(parents=True, exist_ok=True)
        atomic_write(self.dir / self.key(name, sha), lambda fh: fh.write(body))

    def prune(self, keep: Iterable[tuple[str, str]]) -> None:
        """Drop parses of files no longer in the corpus as they are now (after a full build)."""
        names = {self.key(n, s) for n, s in keep}
        if self.dir.is_dir():
            for f in self.dir.glob("*.json"):
                if f.name not in names:
                    f.unlink(missing_ok=True)
