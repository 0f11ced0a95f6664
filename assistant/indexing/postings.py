"""The lexical side's inverted index, and top-k search over it that reads only the query's terms.

bm25s computes the weights at build time (Lucene BM25, k1 1.2, b 0.75: ``lexical.LexicalIndex``);
what is kept is its column-compressed matrix as three arrays, one entry per (term, passage):

- ``indptr``  (int64, terms + 1): term ``t``'s postings are ``[indptr[t], indptr[t+1])``;
- ``docs``    (int32): the passages holding the term, ascending within each term;
- ``weights`` (float32): that passage's BM25 weight for the term,

plus each term's largest weight (``maxw``, the bound the max-score cut needs). Saved as ``.npy``
(``allow_pickle=False``) and a JSON manifest carrying ``POSTINGS_VERSION``, checked on load.

``top_k`` is the max-score evaluation of Turtle & Flood (1995), vectorised: the query's terms are
read from the most to the least selective (largest bound first), each merging its postings into the
candidates; once the bounds of the terms not yet read sum below the k-th best candidate score, no
passage outside the candidates can enter the top k, and the remaining (common, long) terms are only
looked up for the candidates (binary search in their postings). The result is the exact top k of the
full BM25 scores; its cost follows the postings of the rare terms, not the collection's size.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..errors import IndexMismatch

__all__ = ["POSTINGS_VERSION", "Postings", "TermPostings", "query_terms", "score_positions", "top_k"]

POSTINGS_VERSION = 1
MANIFEST = "postings.json"
ARRAYS = ("indptr", "docs", "weights")
VOCAB = "vocab.json"


@dataclass(frozen=True)
class Postings:
    """term → (passages, BM25 weights); immutable once built or loaded."""

    vocab: dict[str, int]
    indptr: np.ndarray
    docs: np.ndarray
    weights: np.ndarray
    maxw: np.ndarray
    n_docs: int
    params: dict

    @classmethod
    def from_csc(
        cls,
        vocab: dict[str, int],
        data: np.ndarray,
        indices: np.ndarray,
        indptr: np.ndarray,
        n_docs: int,
        params: dict | None = None,
    ) -> Postings:
        """From a CSC matrix (passages × terms); postings sorted by passage within each term."""
        indptr = np.asarray(indptr, dtype=np.int64)
        docs = np.asarray(indices, dtype=np.int32)
        weights = np.asarray(data, dtype=np.float32)
        if not _sorted_within_terms(docs, indptr):
            col = np.repeat(np.arange(len(indptr) - 1), np.diff(indptr))
            order = np.lexsort((docs, col))
            docs, weights = docs[order], weights[order]
        # bm25s adds the empty token after the matrix's last column: only real columns are terms
        terms = {t: int(i) for t, i in vocab.items() if t and 0 <= int(i) < len(indptr) - 1}
        return cls(terms, indptr, docs, weights, _max_per_term(weights, indptr), int(n_docs), params or {})

    @property
    def df(self) -> np.ndarray:
        """How many passages hold each term."""
        return np.diff(self.indptr)

    def term(self, token: str) -> tuple[np.ndarray, np.ndarray, float] | None:
        i = self.vocab.get(token)
        if i is None:
            return None
        a, b = int(self.indptr[i]), int(self.indptr[i + 1])
        return (self.docs[a:b], self.weights[a:b], float(self.maxw[i])) if b > a else None

    def save(self, directory: Path) -> list[str]:
        directory.mkdir(parents=True, exist_ok=True)
        names = []
        for name in ARRAYS:
            np.save(directory / f"{name}.npy", getattr(self, name), allow_pickle=False)
            names.append(f"{name}.npy")
        terms = [""] * (len(self.indptr) - 1)
        for t, i in self.vocab.items():
            terms[i] = t
        (directory / VOCAB).write_text(json.dumps(terms, ensure_ascii=False), encoding="utf-8")
        manifest = {
            "format": "tlkh-postings",
            "version": POSTINGS_VERSION,
            "num_docs": self.n_docs,
            "num_terms": len(terms),
            "nnz": int(self.docs.size),
            "params": self.params,
        }
        (directory / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
        return [*names, VOCAB, MANIFEST]

    @staticmethod
    def manifest(directory: Path) -> dict:
        """The manifest, its version checked (another version is refused: rebuild the index)."""
        path = directory / MANIFEST
        if not path.is_file():
            raise _old_format(directory, "no postings manifest")
        m = json.loads(path.read_text(encoding="utf-8"))
        if m.get("format") != "tlkh-postings" or m.get("version") != POSTINGS_VERSION:
            raise _old_format(directory, f"postings {m.get('format')} v{m.get('version')}")
        return m

    @classmethod
    def load(cls, directory: Path) -> Postings:
        m = cls.manifest(directory)
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
            or not _sorted_within_terms(docs, indptr)
        ):
            raise ValueError(f"postings arrays in {directory} are inconsistent")
        vocab = {t: i for i, t in enumerate(terms) if t}
        return cls(
            vocab, indptr, docs, weights, _max_per_term(weights, indptr), n, dict(m.get("params") or {})
        )


def _old_format(directory: Path, what: str) -> IndexMismatch:
    return IndexMismatch(
        f"chỉ mục từ khóa tại {directory} có định dạng cũ ({what}), phần mềm cần phiên bản {POSTINGS_VERSION}.",
        f"Lexical index at {directory} has another format ({what}); software needs {POSTINGS_VERSION}.",
        hint="chạy `python -m assistant index` để xây lại chỉ mục",
    )


def _sorted_within_terms(docs: np.ndarray, indptr: np.ndarray) -> bool:
    if docs.size < 2:
        return True
    rising = np.diff(docs.astype(np.int64)) > 0
    starts = indptr[1:-1]
    starts = starts[(starts > 0) & (starts < docs.size)]
    rising[starts - 1] = True  # a new term may start lower
    return bool(rising.all())


def _max_per_term(weights: np.ndarray, indptr: np.ndarray) -> np.ndarray:
    out = np.zeros(len(indptr) - 1, dtype=np.float32)
    nonempty = np.flatnonzero(np.diff(indptr) > 0)
    if nonempty.size:
        out[nonempty] = np.maximum.reduceat(weights, indptr[nonempty])
    return out


@dataclass(frozen=True)
class TermPostings:
    """One query term in one field: its postings, the factor they count with, their bound."""

    docs: np.ndarray
    weights: np.ndarray
    scale: float  # field weight × how often the query repeats the term
    bound: float  # scale × the term's largest weight: no passage gets more from it


def query_terms(fields: Iterable[tuple[Postings | None, float]], tokens: Sequence[str]) -> list[TermPostings]:
    """The postings a query reads: every (field, term) pair with at least one passage.

    A token the query repeats counts as often as it appears (as bm25s sums it), so its factor is
    the repeat count, not a copy of its postings.
    """
    counts = Counter(t for t in tokens if t)
    out = []
    for post, field_weight in fields:
        if post is None or field_weight == 0:
            continue
        for tok, c in counts.items():
            hit = post.term(tok)
            if hit is not None:
                docs, w, mx = hit
                out.append(TermPostings(docs, w, field_weight * c, field_weight * c * mx))
    return out


def score_positions(terms: Sequence[TermPostings], positions: np.ndarray) -> np.ndarray:
    """The full BM25 score of the passages at ``positions`` (any order): binary search per term."""
    positions = np.asarray(positions, dtype=np.int64)
    out = np.zeros(positions.size, dtype=np.float64)
    for t in terms:
        _add_at(out, positions, t)
    return out.astype(np.float32)


def _add_at(acc: np.ndarray, positions: np.ndarray, t: TermPostings) -> None:
    if not positions.size:
        return
    j = np.minimum(np.searchsorted(t.docs, positions), t.docs.size - 1)
    hit = t.docs[j] == positions
    acc[hit] += t.weights[j[hit]].astype(np.float64) * t.scale


def top_k(
    terms: Sequence[TermPostings],
    k: int,
    *,
    mask: np.ndarray | None = None,
    allowed: np.ndarray | None = None,
) -> list[tuple[int, float]]:
    """(position, score) of the k best strictly positive BM25 scores, best first (ties: lower position).

    ``mask`` (a boolean per passage) keeps only the passages it marks; ``allowed`` (positions),
    meant for a small filtered subset, scores exactly those passages and nothing else.
    """
    if k <= 0 or not terms:
        return []
    if allowed is not None:
        pos = np.unique(np.asarray(allowed, dtype=np.int64))
        return _best(pos, score_positions(terms, pos).astype(np.float64), k)
    order = sorted(terms, key=lambda t: -t.bound)
    # rest[j]: the most any passage can still gain from the terms order[j:]
    rest = np.cumsum([t.bound for t in order][::-1])[::-1]
    cand = np.empty(0, dtype=np.int64)
    acc = np.empty(0, dtype=np.float64)
    theta = 0.0
    j = 0
    while j < len(order):
        if cand.size >= k and rest[j] < theta:
            break  # a passage outside ``cand`` scores below the k-th candidate: the cut
        t = order[j]
        d, w = t.docs, t.weights.astype(np.float64) * t.scale
        if mask is not None:
            keep = mask[d]
            d, w = d[keep], w[keep]
        cand, acc = _merge(cand, acc, d, w)
        if cand.size >= k:
            theta = float(np.partition(acc, cand.size - k)[cand.size - k])
        j += 1
    if j < len(order):
        # a candidate that cannot reach the k-th score even with every remaining term is dropped
        # before the lookups (ties kept)
        keep = acc + rest[j] >= theta
        cand, acc = cand[keep], acc[keep]
    for t in order[j:]:
        _add_sorted(acc, cand, t)
    return _best(cand, acc, k)


def _add_sorted(acc: np.ndarray, cand: np.ndarray, t: TermPostings) -> None:
    """``_add_at`` for ascending ``cand``: the shorter side is binary-searched in the longer."""
    if t.docs.size >= cand.size:
        _add_at(acc, cand, t)
        return
    if not cand.size:
        return
    j = np.minimum(np.searchsorted(cand, t.docs), cand.size - 1)
    hit = cand[j] == t.docs
    acc[j[hit]] += t.weights[hit].astype(np.float64) * t.scale


def _merge(cand: np.ndarray, acc: np.ndarray, d: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Two sorted (position, score) runs summed by position (a stable sort merges two runs linearly)."""
    if not cand.size:
        return d.astype(np.int64), w
    allp = np.concatenate([cand, d.astype(np.int64)])
    allw = np.concatenate([acc, w])
    o = np.argsort(allp, kind="stable")
    allp, allw = allp[o], allw[o]
    starts = np.flatnonzero(np.concatenate([[True], allp[1:] != allp[:-1]]))
    return allp[starts], np.add.reduceat(allw, starts)


def _best(pos: np.ndarray, score: np.ndarray, k: int) -> list[tuple[int, float]]:
    keep = score > 0
    pos, score = pos[keep], score[keep].astype(np.float32)
    if pos.size > k:
        kth = np.partition(score, pos.size - k)[pos.size - k]
        sel = score >= kth
        pos, score = pos[sel], score[sel]
    o = np.lexsort((pos, -score))[:k]
    return [(int(pos[i]), float(score[i])) for i in o]
