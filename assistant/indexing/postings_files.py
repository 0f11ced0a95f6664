"""The postings of one lexical field on disk: three ``.npy`` arrays, the vocabulary, a manifest.

The arrays are saved with ``allow_pickle=False`` and the manifest carries ``POSTINGS_VERSION``:
another version is refused (rebuild the index), and a damaged or foreign file must not become
wrong scores, so shapes, ranges and order are checked on load. Searching them is ``postings``.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from ..errors import IndexMismatch

__all__ = [
    "POSTINGS_VERSION",
    "MANIFEST",
    "ARRAYS",
    "VOCAB",
    "save_postings",
    "read_manifest",
    "load_arrays",
    "sorted_within_terms",
]

POSTINGS_VERSION = 1
MANIFEST = "postings.json"
ARRAYS = ("indptr", "docs", "weights")
VOCAB = "vocab.json"


def save_postings(
    directory: Path, vocab: dict[str, int], arrays: dict[str, np.ndarray], n_docs: int, params: dict
) -> list[str]:
    """Write the ``ARRAYS``, the vocabulary and the manifest into ``directory``; returns the file names."""
    directory.mkdir(parents=True, exist_ok=True)
    names = []
    for name in ARRAYS:
        np.save(directory / f"{name}.npy", arrays[name], allow_pickle=False)
        names.append(f"{name}.npy")
    terms = [""] * (len(arrays["indptr"]) - 1)
    for t, i in vocab.items():
        terms[i] = t
    (directory / VOCAB).write_text(json.dumps(terms, ensure_ascii=False), encoding="utf-8")
    manifest = {
        "format": "tlkh-postings",
        "version": POSTINGS_VERSION,
        "num_docs": n_docs,
        "num_terms": len(terms),
        "nnz": int(arrays["docs"].size),
        "params": params,
    }
    (directory / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    return [*names, VOCAB, MANIFEST]


def read_manifest(directory: Path) -> dict:
    """The manifest, its version checked (another version is refused: rebuild the index)."""
    path = directory / MANIFEST
    if not path.is_file():
        raise _old_format(directory, "no postings manifest")
    m = json.loads(path.read_text(encoding="utf-8"))
    if m.get("format") != "tlkh-postings" or m.get("version") != POSTINGS_VERSION:
        raise _old_format(directory, f"postings {m.get('format')} v{m.get('version')}")
    return m


def load_arrays(directory: Path) -> tuple[dict[str, int], np.ndarray, np.ndarray, np.ndarray, int, dict]:
    """The saved postings, checked: ``(vocab, indptr, docs, weights, n_docs, params)``."""
    m = read_manifest(directory)
    arrays = {name: np.load(directory / f"{name}.npy", allow_pickle=False) for name in ARRAYS}
    terms = json.loads((directory / VOCAB).read_text(encoding="utf-8"))
    indptr, docs, weights = arrays["indptr"], arrays["docs"], arrays["weights"]
    n = int(m["num_docs"])
    # a damaged or foreign file must not become wrong scores: shapes, ranges and order checked
    if (
        indptr.dtype != np.int64
        or docs.dtype != np.int32
        or weights.dtype != np.float32
        or len(indptr) != len(terms) + 1
        or len(terms) != int(m["num_terms"])
        or docs.size != weights.size
        or docs.size != int(m["nnz"])
        or int(indptr[0]) != 0
        or int(indptr[-1]) != docs.size
        or np.any(np.diff(indptr) < 0)
        or (docs.size and (int(docs.min()) < 0 or int(docs.max()) >= n))
        or not sorted_within_terms(docs, indptr)
    ):
        raise ValueError(f"postings arrays in {directory} are inconsistent")
    vocab = {t: i for i, t in enumerate(terms) if t}
    return vocab, indptr, docs, weights, n, dict(m.get("params") or {})


def _old_format(directory: Path, what: str) -> IndexMismatch:
    return IndexMismatch(
        f"chỉ mục từ khóa tại {directory} có định dạng cũ ({what}), phần mềm cần phiên bản {POSTINGS_VERSION}.",
        f"Lexical index at {directory} has another format ({what}); software needs {POSTINGS_VERSION}.",
        hint="chạy `python -m assistant index` để xây lại chỉ mục",
    )


def sorted_within_terms(docs: np.ndarray, indptr: np.ndarray) -> bool:
    """Whether every term's passages ascend (what the search's binary searches rely on)."""
    if docs.size < 2:
        return True
    rising = np.diff(docs.astype(np.int64)) > 0
    starts = indptr[1:-1]
    starts = starts[(starts > 0) & (starts < docs.size)]
    rising[starts - 1] = True  # a new term may start lower
    return bool(rising.all())
