"""The on-disk index: one directory, plain formats, checked before use.

Layout (every file's size and sha256 are in the manifest)::

    manifest.json        format/normaliser/lexical versions, embedder id+dim, source hashes, checksums
    passages.jsonl       one Passage per line (position = FAISS id = BM25 document id)
    docs.json            DocMeta of every plan
    dense.faiss          faiss.write_index: IndexFlatIP, or IndexHNSWFlat above ann_threshold
    lexical/             inverted index of the text field: postings arrays (.npy, allow_pickle=False),
                         vocabulary and a versioned manifest (JSON); ``postings.py``
    lexical_units/       the same for lead/partner unit names (dropped when use_units is off)

The files' names, format versions, writing and checksum checks are ``store_files``; here the
directory is read (retrying across a build's swap) and searched.
Nothing here is ever unpickled: JSON, ``np.load(allow_pickle=False)``, ``faiss.read_index``.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import IndexBusy, IndexCorrupt, IndexMismatch, IndexMissing
from ..records import DocMeta, Passage
from .cache import parser_fingerprint
from .lexical import LexicalIndex, document_frequencies, lexical_tokens
from .postings import TermPostings, score_positions, top_k

# the format half (file names, versions, writing and checking): imported from here too
from .store_files import (
    DENSE,
    DOCS,
    FORMAT_VERSION,
    HNSW_EF_CONSTRUCTION,
    HNSW_EF_SEARCH,
    HNSW_M,
    INDEX_COMMAND,
    LEX_TEXT,
    LEX_UNITS,
    MANIFEST,
    PASSAGES,
    check_manifest,
    corrupt,
    file_sha256,
    lexical_text,
    passage_tokens,
    unit_text,
    verify_files,
    write_index,
)

__all__ = [
    "FORMAT_VERSION",
    "IndexStore",
    "file_sha256",
    "write_index",
    "lexical_text",
    "passage_tokens",
    "unit_text",
    "INDEX_COMMAND",
    "HNSW_M",
    "HNSW_EF_CONSTRUCTION",
    "HNSW_EF_SEARCH",
    "UNIT_FIELD_WEIGHT",
]

# the unit-name field is short and its words rare, so its BM25 is steep: damped when added
UNIT_FIELD_WEIGHT = 0.3
# below this many allowed passages a filtered dense search is done exactly on their vectors:
# HNSW with a restrictive selector can miss most of a small allowed set
EXACT_FILTER_LIMIT = 4096


def _dir_id(path: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino


def _swap_in_progress(index_dir: Path) -> bool:
    parent = index_dir.parent
    return parent.is_dir() and any(parent.glob(f".{index_dir.name}.old-*"))


def _restore_after_crashed_swap(index_dir: Path) -> None:
    """A build killed between its two renames leaves the live index as ``.<name>.old-*``.

    Still missing after the wait above means no build is finishing that swap, so put the
    newest complete old index back (one atomic rename); the next build removes the rest.
    """
    parent = index_dir.parent
    if not parent.is_dir():
        return
    olds = [d for d in parent.glob(f".{index_dir.name}.old-*") if (d / MANIFEST).is_file()]
    for old in sorted(olds, key=lambda d: (d / MANIFEST).stat().st_mtime, reverse=True):
        try:
            os.rename(old, index_dir)
            return
        except OSError:  # another process restored it first, or the directory reappeared
            if (index_dir / MANIFEST).is_file():
                return


@dataclass
class IndexStore:
    directory: Path
    manifest: dict
    passages: list[Passage]
    docs: dict[str, DocMeta]
    dense: Any  # a faiss index
    lexical: LexicalIndex
    lexical_units: LexicalIndex
    by_id: dict[str, Passage] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.by_id:
            self.by_id = {p.id: p for p in self.passages}

    # loading ---------------------------------------------------------------
    @classmethod
    def load(cls, index_dir: Path, embedder_id: str | None = None, *, verify: bool = True) -> IndexStore:
        """Open an index, refusing anything built differently or damaged (never unpickles).

        Components are read by path one after the other, so a build that swaps the
        directory meanwhile could hand us a mix: when the directory changed during the
        read, read again, so a reader gets the old index or the new one, never both.
        """
        index_dir = Path(index_dir)
        attempts = 20
        for attempt in range(attempts):
            before = _dir_id(index_dir)
            try:
                store = cls._load_once(index_dir, embedder_id, verify=verify)
            except (IndexCorrupt, IndexMismatch, OSError) as e:
                # a path that vanished mid-read (the instant between a build's two renames), a
                # checksum that no longer matches or a component's manifest missing means the
                # directory moved under us; a mismatch in a directory that stood still is real
                moved = _dir_id(index_dir) != before or _swap_in_progress(index_dir)
                if attempt < attempts - 1 and (moved or isinstance(e, FileNotFoundError)):
                    time.sleep(0.02 * (attempt + 1))
                    continue
                if isinstance(e, OSError):
                    raise corrupt(
                        f"không đọc được tệp chỉ mục ({e.strerror or e})", f"index file unreadable ({e})"
                    ) from e
                raise
            if _dir_id(index_dir) == before:
                return store
        raise IndexBusy(
            f"Chỉ mục tại {index_dir} đang được thay liên tục, chưa đọc được.",
            f"The index at {index_dir} kept changing while it was read.",
            hint="thử lại sau khi việc lập chỉ mục kết thúc",
        )

    @classmethod
    def _load_once(cls, index_dir: Path, embedder_id: str | None, *, verify: bool) -> IndexStore:
        index_dir = Path(index_dir)
        manifest_path = index_dir / MANIFEST
        # a build swaps directories with two renames; wait out that instant
        for _ in range(40):
            if manifest_path.is_file() or not _swap_in_progress(index_dir):
                break
            time.sleep(0.05)
        if not manifest_path.is_file():
            _restore_after_crashed_swap(index_dir)
        if not manifest_path.is_file():
            raise IndexMissing(
                f"Chưa có chỉ mục tại {index_dir}.",
                f"No index at {index_dir}.",
                hint=f"chạy `{INDEX_COMMAND}` để lập chỉ mục các kế hoạch",
            )
        try:
            manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
            for key in ("format_version", "embedder"):  # check_manifest reads them
                manifest[key]  # noqa: B018 - a KeyError here is an unreadable manifest
            files = manifest["files"]
        except (ValueError, KeyError, TypeError, UnicodeDecodeError) as e:
            raise corrupt("manifest.json không đọc được", f"manifest.json unreadable ({e})") from e

        check_manifest(manifest, embedder_id)
        if verify:
            verify_files(index_dir, files)
        try:
            return cls._read(index_dir, manifest)
        except (IndexCorrupt, IndexMismatch):
            raise
        # any reader failure on verified files is still damage: json (ValueError), missing keys or
        # fields (LookupError, TypeError), faiss (RuntimeError), numpy/bm25s arrays (ValueError, EOFError)
        except (OSError, ValueError, LookupError, TypeError, RuntimeError, EOFError) as e:
            raise corrupt(
                f"không đọc được thành phần ({type(e).__name__})",
                f"component unreadable ({type(e).__name__}: {e})",
            ) from e

    @classmethod
    def _read(cls, index_dir: Path, manifest: dict) -> IndexStore:
        import faiss

        with open(index_dir / PASSAGES, encoding="utf-8") as f:
            passages = [Passage.from_dict(json.loads(line)) for line in f if line.strip()]
        docs_raw = json.loads((index_dir / DOCS).read_text(encoding="utf-8"))["docs"]
        docs = {d["doc"]: DocMeta.from_dict(d) for d in docs_raw}
        dense = faiss.read_index(str(index_dir / DENSE))
        if hasattr(dense, "hnsw"):
            dense.hnsw.efSearch = int(manifest.get("faiss", {}).get("efSearch", HNSW_EF_SEARCH))
        lex = LexicalIndex.load(index_dir / LEX_TEXT)
        lex_units = LexicalIndex.load(index_dir / LEX_UNITS)
        n = int(manifest.get("passage_count", -1))
        counts = {
            "passages.jsonl": len(passages),
            "dense.faiss": int(dense.ntotal),
            "lexical": lex.n_docs,
            "lexical_units": lex_units.n_docs,
        }
        if any(c != n for c in counts.values()):
            raise corrupt(
                f"số đoạn không khớp ({counts}, manifest {n})",
                f"passage counts disagree ({counts}, manifest {n})",
            )
        if int(dense.d) != int(manifest["embedder"]["dim"]):
            raise corrupt("số chiều vector không khớp", "vector dimension mismatch")
        return cls(index_dir, manifest, passages, docs, dense, lex, lex_units)

    # searching -------------------------------------------------------------
    @property
    def embedder_id(self) -> str:
        return self.manifest["embedder"]["id"]

    @property
    def parser_stale(self) -> bool:
        """Built by another parser (or before the manifest recorded one): its passages are
        that parser's. It still serves; a rebuild gives this code's passages."""
        return self.manifest.get("parser_fingerprint") != parser_fingerprint()

    def __len__(self) -> int:
        return len(self.passages)

    def dense_search(
        self, qvec: np.ndarray, k: int, allowed: np.ndarray | None = None
    ) -> list[tuple[int, float]]:
        """(position, cosine) of the k nearest passages; ``allowed``: positions to keep."""
        import faiss

        n = len(self.passages)
        if n == 0 or k <= 0:
            return []
        q = np.ascontiguousarray(np.asarray(qvec, dtype=np.float32).reshape(1, -1))
        if allowed is not None:
            allowed = np.asarray(allowed, dtype=np.int64)
            if allowed.size == 0:
                return []
            if allowed.size <= EXACT_FILTER_LIMIT:
                vecs = self.dense.reconstruct_batch(allowed)
                sims = vecs @ q[0]
                order = np.argsort(-sims, kind="stable")[:k]
                return [(int(allowed[i]), float(sims[i])) for i in order]
            sel = faiss.IDSelectorBatch(allowed)
            # faiss's bundled stubs lag behind its runtime API: both classes take these keywords
            params = (
                faiss.SearchParametersHNSW(sel=sel, efSearch=max(self.dense.hnsw.efSearch, k))  # type: ignore[attr-defined]
                if hasattr(self.dense, "hnsw")
                else faiss.SearchParameters(sel=sel)  # type: ignore[call-arg]
            )
            scores, ids = self.dense.search(q, min(k, n), params=params)
        else:
            if hasattr(self.dense, "hnsw") and self.dense.hnsw.efSearch < k:
                self.dense.hnsw.efSearch = k
            scores, ids = self.dense.search(q, min(k, n))
        return [(int(i), float(s)) for i, s in zip(ids[0], scores[0]) if i >= 0]

    def dense_begin(
        self, qvec: np.ndarray, k: int, allowed: np.ndarray | None = None
    ) -> Callable[[], list[tuple[int, float]]]:
        """``dense_search`` begun now, its hits when the returned call is made: a store asking a
        server overlaps it with the lexical side (``pg_search``); in process it is computed now."""
        hits = self.dense_search(qvec, k, allowed)
        return lambda: hits

    def text_df(self) -> dict[str, int]:
        """The text field's terms and how many passages hold each (the diacritic restorer's words)."""
        return document_frequencies(self.lexical)

    # What ``lexical_terms`` returns is the store's own handle, handed back unchanged to
    # ``lexical_search``/``lexical_at``: here the postings in memory, in the PostgreSQL store the
    # terms and BM25 factors its SQL reads (``pg_search.SqlTerms``); callers never look inside.
    def lexical_terms(self, query: str, *, use_units: bool = True) -> Any:
        """The postings a query reads: text field, plus the unit-name field (damped) when ``use_units``."""
        toks = lexical_tokens(query, query=True)
        terms: list[TermPostings] = self.lexical.terms(toks)
        if use_units:
            terms += self.lexical_units.terms(toks, UNIT_FIELD_WEIGHT)
        return terms

    def lexical_scores(self, query: str, *, use_units: bool = True) -> np.ndarray:
        """BM25 of every passage (tests, ablations): text field, plus the unit-name field when ``use_units``."""
        toks = lexical_tokens(query, query=True)
        s = self.lexical.scores(toks)
        if use_units:
            s = s + UNIT_FIELD_WEIGHT * self.lexical_units.scores(toks)
        return s

    def lexical_search(
        self,
        query: Any,
        k: int,
        *,
        use_units: bool = True,
        mask: np.ndarray | None = None,
        allowed: np.ndarray | None = None,
    ) -> list[tuple[int, float]]:
        """The k best BM25 passages, reading only the query's postings (``postings.top_k``).

        A small filtered subset (``allowed`` of at most ``EXACT_FILTER_LIMIT`` positions) is scored
        directly; a larger one is applied as ``mask`` to the postings read.
        """
        terms = self.lexical_terms(query, use_units=use_units) if isinstance(query, str) else query
        if allowed is not None and len(allowed) <= EXACT_FILTER_LIMIT:
            return top_k(terms, k, allowed=allowed, n_docs=len(self))
        if allowed is not None and mask is None:
            mask = np.zeros(len(self), dtype=bool)
            mask[np.asarray(allowed, dtype=np.int64)] = True
        return top_k(terms, k, mask=mask, n_docs=len(self))

    def lexical_at(self, terms: Any, positions: Sequence[int]) -> np.ndarray:
        """The full BM25 score of the passages at ``positions``."""
        return score_positions(terms, np.asarray(positions, dtype=np.int64))

    def candidate_scores(
        self,
        qvec: np.ndarray,
        terms: Any,
        positions: Sequence[int] | np.ndarray,
        dense: Sequence[tuple[int, float]] = (),
    ) -> tuple[np.ndarray, np.ndarray]:
        """The fusion's raw scores of ``positions``: inner product with ``qvec``, and BM25 (``dense``:
        the dense search's own hits, which a store reading rows need not read again)."""
        pos: Any = np.asarray(positions, dtype=np.int64)  # both take positions as an array too
        return self.vectors(pos) @ qvec, self.lexical_at(terms, pos)

    def vectors(self, positions: Sequence[int] | None = None) -> np.ndarray:
        """Stored passage vectors (all, or at ``positions``), read back from FAISS."""
        if positions is None:
            return (
                self.dense.reconstruct_n(0, int(self.dense.ntotal))
                if len(self)
                else np.zeros((0, int(self.dense.d)), np.float32)
            )
        return self.dense.reconstruct_batch(np.asarray(positions, dtype=np.int64))
