"""The on-disk index: one directory, plain formats, checked before use.

Layout (every file's size and sha256 are in the manifest)::

    manifest.json        format/normaliser/lexical versions, embedder id+dim, source hashes, checksums
    passages.jsonl       one Passage per line (position = FAISS id = BM25 document id)
    docs.json            DocMeta of every plan
    dense.faiss          faiss.write_index: IndexFlatIP, or IndexHNSWFlat above ann_threshold
    lexical/             inverted index of the text field: postings arrays (.npy, allow_pickle=False),
                         vocabulary and a versioned manifest (JSON); ``postings.py``
    lexical_units/       the same for lead/partner unit names (dropped when use_units is off)

Nothing here is ever unpickled: JSON, ``np.load(allow_pickle=False)``, ``faiss.read_index``.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from .. import __version__
from ..errors import IndexBusy, IndexCorrupt, IndexMismatch, IndexMissing
from ..records import SCHEMA_VERSION, DocMeta, Passage
from ..textnorm import NORMALISER_VERSION
from .cache import parser_fingerprint
from .lexical import LexicalIndex, document_frequencies, lexical_tokens, lexical_version
from .postings import TermPostings, score_positions, top_k

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
]

FORMAT_VERSION = 2  # 2: the lexical fields are our postings (were bm25s files)
INDEX_COMMAND = "python -m assistant index"
MANIFEST, PASSAGES, DOCS, DENSE = "manifest.json", "passages.jsonl", "docs.json", "dense.faiss"
LEX_TEXT, LEX_UNITS = "lexical", "lexical_units"
HNSW_M, HNSW_EF_CONSTRUCTION, HNSW_EF_SEARCH = 32, 64, 96
# the unit-name field is short and its words rare, so its BM25 is steep: damped when added
UNIT_FIELD_WEIGHT = 0.3
# below this many allowed passages a filtered dense search is done exactly on their vectors:
# HNSW with a restrictive selector can miss most of a small allowed set
EXACT_FILTER_LIMIT = 4096


def lexical_text(p: Passage) -> str:
    """What the BM25 text field sees: title + heading path + text (as the embedder does)."""
    return p.embed_text or " \n".join([*p.section, p.text])


def unit_text(p: Passage) -> str:
    return " ; ".join([*p.lead, *p.partners])


def passage_tokens(p: Passage) -> tuple[list[str], list[str]]:
    """The BM25 tokens of a passage's two fields (text, unit names), as every store indexes them."""
    return lexical_tokens(lexical_text(p)), lexical_tokens(unit_text(p))


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _rebuild_hint() -> str:
    return f"chạy `{INDEX_COMMAND}` để xây lại chỉ mục"


def _corrupt(what_vi: str, what_en: str) -> IndexCorrupt:
    return IndexCorrupt(f"Chỉ mục bị hỏng: {what_vi}.", f"Index is corrupt: {what_en}.", hint=_rebuild_hint())


def _mismatch(what_vi: str, what_en: str, hint: str | None = None) -> IndexMismatch:
    return IndexMismatch(
        f"Chỉ mục không khớp với phần mềm/cấu hình hiện tại: {what_vi}.",
        f"Index does not match the current software/configuration: {what_en}.",
        hint=hint or _rebuild_hint(),
    )


def write_index(
    directory: Path,
    passages: Sequence[Passage],
    docs: Sequence[DocMeta],
    vectors: np.ndarray,
    *,
    embedder_id: str,
    dim: int,
    sources: dict[str, str],
    ann_threshold: int,
    build_seconds: float = 0.0,
    extra: dict[str, Any] | None = None,
) -> dict:
    """Write every component into ``directory`` (a fresh temp dir), manifest last; returns it."""
    import faiss

    directory.mkdir(parents=True, exist_ok=True)
    vectors = np.ascontiguousarray(vectors, dtype=np.float32).reshape(len(passages), dim)
    with open(directory / PASSAGES, "w", encoding="utf-8") as f:
        for p in passages:
            f.write(json.dumps(p.to_dict(), ensure_ascii=False) + "\n")
    (directory / DOCS).write_text(
        json.dumps({"docs": [d.to_dict() for d in docs]}, ensure_ascii=False, indent=1), encoding="utf-8"
    )

    index: faiss.Index
    if len(passages) > ann_threshold:
        index = faiss.IndexHNSWFlat(dim, HNSW_M, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
        index.hnsw.efSearch = HNSW_EF_SEARCH
        faiss_info = {
            "type": "IndexHNSWFlat",
            "metric": "inner_product",
            "M": HNSW_M,
            "efConstruction": HNSW_EF_CONSTRUCTION,
            "efSearch": HNSW_EF_SEARCH,
        }
    else:
        index = faiss.IndexFlatIP(dim)
        faiss_info = {"type": "IndexFlatIP", "metric": "inner_product"}
    if len(passages):
        index.add(vectors)
    faiss.write_index(index, str(directory / DENSE))

    written = [PASSAGES, DOCS, DENSE]
    for sub, text_of in ((LEX_TEXT, lexical_text), (LEX_UNITS, unit_text)):
        lex = LexicalIndex.build(lexical_tokens(text_of(p)) for p in passages)
        written += [f"{sub}/{name}" for name in lex.save(directory / sub)]

    files = {}
    for rel in written:
        path = directory / rel
        _fsync(path)
        files[rel] = {"sha256": file_sha256(path), "bytes": path.stat().st_size}
    manifest = {
        "format_version": FORMAT_VERSION,
        "package_version": __version__,
        "schema_version": SCHEMA_VERSION,
        "normaliser_version": NORMALISER_VERSION,
        "lexical_version": lexical_version(),
        # the parser that made these passages: an index of another parser still serves, but
        # answers from it are that parser's (``IndexStore.parser_stale``)
        "parser_fingerprint": parser_fingerprint(),
        "embedder": {"id": embedder_id, "dim": int(dim)},
        "faiss": faiss_info,
        "ann_threshold": int(ann_threshold),
        "passage_count": len(passages),
        "doc_count": len(docs),
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "build_seconds": round(build_seconds, 3),
        "sources": dict(sorted(sources.items())),
        "files": files,
        **(extra or {}),
    }
    tmp = directory / (MANIFEST + ".part")
    tmp.write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    _fsync(tmp)
    os.replace(tmp, directory / MANIFEST)
    return manifest


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
                    raise _corrupt(
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
            fv = manifest["format_version"]
            emb = manifest["embedder"]
            files = manifest["files"]
        except (ValueError, KeyError, TypeError, UnicodeDecodeError) as e:
            raise _corrupt("manifest.json không đọc được", f"manifest.json unreadable ({e})") from e

        if fv != FORMAT_VERSION:
            raise _mismatch(
                f"định dạng chỉ mục là {fv}, phần mềm cần {FORMAT_VERSION}",
                f"index format {fv}, software needs {FORMAT_VERSION}",
            )
        if manifest.get("normaliser_version") != NORMALISER_VERSION:
            raise _mismatch(
                f"bộ chuẩn hóa văn bản phiên bản {manifest.get('normaliser_version')}, phần mềm dùng {NORMALISER_VERSION}",
                f"text normaliser version {manifest.get('normaliser_version')}, software uses {NORMALISER_VERSION}",
            )
        if manifest.get("lexical_version") != lexical_version():
            raise _mismatch(
                f"bộ tách từ/bảng viết tắt {manifest.get('lexical_version')}, hiện tại {lexical_version()}",
                f"lexical tokenizer/abbreviations {manifest.get('lexical_version')}, current {lexical_version()}",
            )
        if embedder_id is not None and emb.get("id") != embedder_id:
            raise _mismatch(
                f"chỉ mục được xây bằng mô hình nhúng '{emb.get('id')}', cấu hình hiện dùng '{embedder_id}'",
                f"index was built with embedder '{emb.get('id')}', configuration uses '{embedder_id}'",
                hint=f"chạy `{INDEX_COMMAND}` để xây lại với '{embedder_id}', "
                f"hoặc đặt TLKH_EMBEDDER={emb.get('id')} để dùng chỉ mục cũ",
            )

        if verify:
            for rel, info in files.items():
                path = index_dir / rel
                if not path.is_file():
                    raise _corrupt(f"thiếu tệp {rel}", f"missing file {rel}")
                if path.stat().st_size != info.get("bytes") or file_sha256(path) != info.get("sha256"):
                    raise _corrupt(
                        f"tệp {rel} bị cắt cụt hoặc bị sửa (sai mã kiểm tra)",
                        f"file {rel} is truncated or altered (checksum mismatch)",
                    )
        try:
            return cls._read(index_dir, manifest)
        except (IndexCorrupt, IndexMismatch):
            raise
        # any reader failure on verified files is still damage: json (ValueError), missing keys or
        # fields (LookupError, TypeError), faiss (RuntimeError), numpy/bm25s arrays (ValueError, EOFError)
        except (OSError, ValueError, LookupError, TypeError, RuntimeError, EOFError) as e:
            raise _corrupt(
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
            raise _corrupt(
                f"số đoạn không khớp ({counts}, manifest {n})",
                f"passage counts disagree ({counts}, manifest {n})",
            )
        if int(dense.d) != int(manifest["embedder"]["dim"]):
            raise _corrupt("số chiều vector không khớp", "vector dimension mismatch")
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
