"""The lexical side's inverted index, and top-k search over it that reads only the query's terms.

bm25s computes the weights at build time (Lucene BM25, k1 1.2, b 0.75: ``lexical.LexicalIndex``);
what is kept is its column-compressed matrix as three arrays, one entry per (term, passage):

- ``indptr``  (int64, terms + 1): term ``t``'s postings are ``[indptr[t], indptr[t+1])``;
- ``docs``    (int32): the passages holding the term, ascending within each term;
- ``weights`` (float32): that passage's BM25 weight for the term,

plus each term's largest weight (``maxw``, the bound the max-score cut needs). Saved as ``.npy``
(``allow_pickle=False``) and a JSON manifest carrying ``POSTINGS_VERSION``, checked on load
(``postings_files``).

``top_k`` is the max-score evaluation of Turtle & Flood (1995), term at a time, in four steps:
1. a lower bound of the k-th best score: the full scores of the passages the most selective terms
   rank first;
2. the query's terms split at that bound: the lowest-bound terms whose bounds together stay below
   it cannot lift a passage into the top k on their own, so only the other ("essential") terms are
   read whole, into an accumulator, and only their passages are candidates;
3. the candidates the essential terms rank first are scored in full: their k-th score is a tight
   bound;
4. every other candidate that can still reach it is scored, the largest non-essential bound first,
   dropping a candidate as soon as the bounds left cannot lift it; at most ``STEP4_CANDIDATES``
   of them, those whose essential part is highest.
The result is the exact top k of the full BM25 scores in any index of at most ``STEP4_CANDIDATES``
passages (by construction: step 4 never holds more); in a larger one, step 4's cost stops growing
with the collection and the top k is that of the candidates it kept, each with its full score
(at 1000× the corpus, 0.996–0.997 of the exact lexical top 50; docs/SCALING.md, session 19). Its
cost follows the selective terms' postings, not the common words most passages hold. Those common
terms (``DENSE_SHARE`` of the passages or more) are also kept as dense columns, so looking a
candidate up is one read, not a binary search. A small index (``SCAN_POSTINGS``) is simply scored
whole. An accented term and its folded twin both in a query are read as one list (``twins``): half
the lists, one bound for two.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from .postings_files import POSTINGS_VERSION, load_arrays, read_manifest, save_postings, sorted_within_terms
from .rows import add_terms, passage_rows
from .selection import leaders as _leaders
from .twins import Twins, derive_twins, twin_key

__all__ = ["POSTINGS_VERSION", "Postings", "TermPostings", "query_terms", "score_positions", "top_k"]

LOWER_BOUND_POSTINGS = 16_384  # postings of the most selective terms read to seed the cut
LOWER_BOUND_PROBES = 4  # passages fully scored per result wanted, to seed it
DENSE_SHARE = 0.25  # a term in this share of the passages gets a dense column
DENSE_MIN_DOCS = 4096  # below this many passages, binary search is as cheap
SCAN_POSTINGS = 32_768  # at most this many postings in all: score every passage, no cut
SCRATCH_RATIO = 8  # step 4 spreads a term into a scratch column when its postings < this × candidates
# step 4 scores at most this many candidates, those whose essential part is highest: its cost no
# longer grows with the collection. Beyond it the top k is approximate; an index of at most this many
# passages never reaches it (every plan set we know: 1,656 for the 20 provinces' plans), so is exact
STEP4_CANDIDATES = 4096


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
        if not sorted_within_terms(docs, indptr):
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

    @cached_property
    def columns(self) -> dict[int, np.ndarray]:
        """The common terms' weights as dense columns (one float32 per passage, 0 where absent).

        A term held by at least ``DENSE_SHARE`` of the passages is looked up for many candidates;
        a column answers each in one read instead of a binary search, and for such a term it
        costs at most twice its postings' memory. Derived once (at load or first use), never saved.
        """
        out: dict[int, np.ndarray] = {}
        if self.n_docs < DENSE_MIN_DOCS:
            return out
        for i in np.flatnonzero(self.df >= DENSE_SHARE * self.n_docs):
            a, b = int(self.indptr[i]), int(self.indptr[i + 1])
            col = np.zeros(self.n_docs, dtype=np.float32)
            col[self.docs[a:b]] = self.weights[a:b]
            col.setflags(write=False)
            out[int(i)] = col
        return out

    @cached_property
    def rows(self) -> Any:
        """The same postings passage by passage, but for the terms with a dense column (``rows``: a
        few hundred passages scored in full in two compiled calls); derived on first use, never saved."""
        return passage_rows(self.indptr, self.docs, self.weights, self.n_docs, self.columns)

    @cached_property
    def twins(self) -> Twins:
        """Accented and folded twins paired into one list each (``twins``); derived, never saved."""
        return derive_twins(self.vocab, self.indptr, self.docs, self.weights, self.n_docs, self.columns)

    def save(self, directory: Path) -> list[str]:
        """Write the arrays, vocabulary and manifest (``postings_files``); returns the file names."""
        arrays = {"indptr": self.indptr, "docs": self.docs, "weights": self.weights}
        return save_postings(directory, self.vocab, arrays, self.n_docs, self.params)

    @staticmethod
    def manifest(directory: Path) -> dict:
        """The manifest, its version checked (another version is refused: rebuild the index)."""
        return read_manifest(directory)

    @classmethod
    def load(cls, directory: Path) -> Postings:
        vocab, indptr, docs, weights, n, params = load_arrays(directory)
        return cls(vocab, indptr, docs, weights, _max_per_term(weights, indptr), n, params)


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
    column: np.ndarray | None = None  # the weights as one value per passage (a common term), or None
    field: Postings | None = None  # the field's postings it was read from (``rows``), or None
    ids: tuple[int, ...] = ()  # its term ids there (a twin pair: both), each counting at ``scale``


def query_terms(
    fields: Iterable[tuple[Postings | None, float]], tokens: Sequence[str], *, pair_twins: bool = True
) -> list[TermPostings]:
    """The postings a query reads: every (field, term) pair with at least one passage.

    A token the query repeats counts as often as it appears (as bm25s sums it), so its factor is
    the repeat count, not a copy of its postings. With ``pair_twins`` an accented term and its
    folded twin both in the query are read as their pair's one list (``twins``), at the smaller
    of their counts; what either has left counts on its own.
    """
    counts = Counter(t for t in tokens if t)
    out = []
    for post, field_weight in fields:
        if post is None or field_weight == 0:
            continue
        left: dict[int, int] = {}
        for tok, c in counts.items():
            i = post.vocab.get(tok)
            if i is not None and post.indptr[i + 1] > post.indptr[i]:
                left[i] = left.get(i, 0) + c
        if pair_twins:
            tw = post.twins
            for tok in counts:
                key = twin_key(tok)
                t, f = post.vocab.get(tok), post.vocab.get(key) if key else None
                if f is None or t is None or tw.accented.get(f) != t or not left.get(t) or not left.get(f):
                    continue
                c = min(left[t], left[f])
                left[t] -= c
                left[f] -= c
                d, w = tw.pair(f, post.docs[post.indptr[f] : post.indptr[f + 1]])
                s = field_weight * c
                out.append(TermPostings(d, w, s, s * tw.maxw[f], tw.columns.get(f), post, (f, t)))
        for i, c in left.items():
            if not c:
                continue
            a, b = int(post.indptr[i]), int(post.indptr[i + 1])
            sc = field_weight * c
            col = post.columns.get(i)
            out.append(
                TermPostings(post.docs[a:b], post.weights[a:b], sc, sc * float(post.maxw[i]), col, post, (i,))
            )
    return out


def score_positions(terms: Sequence[TermPostings], positions: np.ndarray) -> np.ndarray:
    """The full BM25 score of the passages at ``positions`` (any order): one pass over every
    posting when they are few (``SCAN_POSTINGS``), else from the passages' rows or a binary search
    per term (``rows.add_terms``)."""
    positions = np.asarray(positions, dtype=np.int64)
    if positions.size and sum(t.docs.size for t in terms) <= SCAN_POSTINGS:
        return _scan(terms, 1 + int(positions.max()))[positions].astype(np.float32)
    out = np.zeros(positions.size, dtype=np.float64)
    add_terms(out, positions, terms)
    return out.astype(np.float32)


def top_k(
    terms: Sequence[TermPostings],
    k: int,
    *,
    mask: np.ndarray | None = None,
    allowed: np.ndarray | None = None,
    n_docs: int | None = None,
) -> list[tuple[int, float]]:
    """(position, score) of the k best strictly positive BM25 scores, best first (ties: lower position).

    ``mask`` (a boolean per passage) keeps only the passages it marks; ``allowed`` (positions),
    meant for a small filtered subset, scores exactly those passages and nothing else.
    ``n_docs`` is the collection's size (default: one past the largest position read).
    """
    if k <= 0 or not terms:
        return []
    if allowed is not None:
        pos = np.unique(np.asarray(allowed, dtype=np.int64))
        return _best(pos, score_positions(terms, pos).astype(np.float64), k)
    if n_docs is not None:
        n = int(n_docs)
    else:
        sizes = [1 + int(t.docs[-1]) for t in terms if t.docs.size]
        sizes += [t.column.size for t in terms if t.column is not None]
        n = max(sizes + [0 if mask is None else mask.size])
    if sum(t.docs.size for t in terms) <= SCAN_POSTINGS:
        # a small index: one pass over every posting costs less than any cut
        acc = _scan(terms, n)
        pos = np.flatnonzero(acc if mask is None else np.where(mask, acc, 0.0))
        return _best(pos, acc[pos], k)
    theta = _lower_bound(terms, k, mask)
    # max-score split: the lowest-bound terms whose bounds together stay below ``theta`` cannot
    # lift a passage into the top k on their own, so only the others ("essential") make candidates
    order = sorted(terms, key=lambda t: t.bound)
    bounds = np.cumsum([t.bound for t in order])
    ne = int(np.searchsorted(bounds, theta, side="left")) if theta > 0 else 0
    rest = float(bounds[ne - 1]) if ne else 0.0
    essential = order[ne:]
    # the sparse essential terms in one ``bincount`` (one compiled pass, not a scatter per term)
    sparse = [t for t in essential if t.column is None]
    if sparse:
        acc = np.bincount(
            np.concatenate([t.docs for t in sparse]),
            np.concatenate([np.multiply(t.weights, t.scale, dtype=np.float64) for t in sparse]),
            minlength=n,
        )[:n]
    else:
        acc = np.zeros(n, dtype=np.float64)
    read = 0
    tmp: np.ndarray | None = None
    for t in essential:
        if t.column is not None:
            # in place: a temporary of ``n`` float64 per common term costs as much as the add
            if t.scale == 1.0:
                np.add(acc, t.column, out=acc)
            else:
                tmp = np.empty(n, dtype=np.float64) if tmp is None else tmp
                np.multiply(t.column, t.scale, out=tmp, dtype=np.float64)
                np.add(acc, tmp, out=acc)
        read += t.docs.size
    # the candidates: passages of an essential term (the union, sorted), read from the postings
    # when they are few against the collection, else from the accumulator; a passage whose
    # essential part plus every non-essential bound stays below ``theta`` is left out at once
    # (before the lead is picked: most of the candidates of a common essential term drop here)
    cut = theta - rest
    if read * 8 < n:
        docs = np.concatenate([t.docs for t in essential]).astype(np.int64)
        docs.sort()
        cand, _ = _runs(docs)
        if cut > 0:
            cand = cand[acc[cand] >= cut]
    else:
        cand = np.flatnonzero(acc >= cut if cut > 0 else acc)
    if mask is not None:
        cand = cand[mask[cand]]
    nonessential = order[:ne]
    if not nonessential:
        return _best(cand, acc[cand], k)
    # the most promising candidates first, scored in full: their k-th score is a tight bound
    m = min(cand.size, LOWER_BOUND_PROBES * k)
    cand_s = acc[cand]
    lead = cand[_leaders(cand_s, m)] if m < cand.size else cand
    lead_score = acc[lead]
    add_terms(lead_score, lead, nonessential)
    if m < k or m == cand.size:
        return _best(lead, lead_score, k)
    theta = max(theta, float(np.partition(lead_score, lead.size - k)[lead.size - k]) * (1 - 1e-6))
    # every other candidate that could still reach it (its essential part plus every
    # non-essential bound) is scored the same way, the largest bound first; after each term a
    # candidate that cannot reach ``theta`` with the bounds still unread is dropped
    # (the candidates and their partial scores side by side, compact: no scatter into ``acc``)
    keep = cand_s + rest >= theta
    keep[np.searchsorted(cand, lead)] = False  # ``lead`` is drawn from ``cand``, both ascending
    rest_c, rest_s = cand[keep], cand_s[keep]
    if rest_c.size > STEP4_CANDIDATES:
        # only in a collection larger than ``STEP4_CANDIDATES``: the candidates whose essential part
        # is highest go on; one left out reaches the top k only if the common (non-essential) words
        # lift it past all of these (at 1000× the corpus: 0.996–0.997 of the exact lexical top 50)
        sel = np.argpartition(-rest_s, STEP4_CANDIDATES - 1)[:STEP4_CANDIDATES]
        sel.sort()
        rest_c, rest_s = rest_c[sel], rest_s[sel]
    scratch: np.ndarray | None = None
    for j in range(ne - 1, -1, -1):
        if not rest_c.size:
            break
        t = order[j]
        if t.column is None and t.docs.size < SCRATCH_RATIO * rest_c.size:
            # many candidates for its postings: the weights spread into a scratch column (sequential
            # writes), read at the candidates, wiped; cheaper than a binary search per posting
            scratch = np.zeros(n, dtype=np.float32) if scratch is None else scratch
            scratch[t.docs] = t.weights
            w = scratch[rest_c]
            scratch[t.docs] = 0.0
            rest_s += w if t.scale == 1.0 else np.multiply(w, t.scale, dtype=np.float64)
        else:
            rest_s += _lookup(t, rest_c)
        if j:
            keep = rest_s + float(bounds[j - 1]) >= theta
            rest_c, rest_s = rest_c[keep], rest_s[keep]
    return _best(np.concatenate([lead, rest_c]), np.concatenate([lead_score, rest_s]), k)


def _runs(sorted_docs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct values of an ascending array and where each run of equal values starts
    (a sort and a pass: numpy's ``unique`` hashes, slower on these sizes)."""
    if not sorted_docs.size:
        return sorted_docs, np.zeros(0, dtype=np.int64)
    starts = np.flatnonzero(np.concatenate([[True], sorted_docs[1:] != sorted_docs[:-1]]))
    return sorted_docs[starts], starts


def _scan(terms: Sequence[TermPostings], n: int) -> np.ndarray:
    """Every passage's score, ``n`` of them (float64), from every posting of ``terms``."""
    acc = np.zeros(n, dtype=np.float64)
    for t in terms:
        d = t.docs[t.docs < n] if t.docs.size and int(t.docs[-1]) >= n else t.docs
        acc[d] += np.multiply(t.weights[: d.size], t.scale, dtype=np.float64)
    return acc


def _lookup(t: TermPostings, cand: np.ndarray) -> np.ndarray:
    """Term ``t``'s weight × scale (float64) of each passage at the ascending positions ``cand``, 0
    where it is absent: one read per candidate in a dense column, else a binary search of the
    shorter list in the longer (the postings in the candidates when they are fewer)."""
    if t.column is not None:
        w = t.column[cand]
        return w.astype(np.float64) if t.scale == 1.0 else np.multiply(w, t.scale, dtype=np.float64)
    if t.docs.size < cand.size:
        j = np.searchsorted(cand, t.docs)
        np.minimum(j, cand.size - 1, out=j)
        hit = cand[j] == t.docs
        out = np.zeros(cand.size, dtype=np.float64)
        out[j[hit]] = np.multiply(t.weights[hit], t.scale, dtype=np.float64)
        return out
    i = np.searchsorted(t.docs, cand.astype(t.docs.dtype, copy=False))  # no int64 copy of the postings
    hit = t.docs.take(i, mode="clip") == cand  # a position past the last posting: no hit
    return np.multiply(np.where(hit, t.weights.take(i, mode="clip"), 0), t.scale, dtype=np.float64)


def _lower_bound(terms: Sequence[TermPostings], k: int, mask: np.ndarray | None) -> float:
    """A score the k-th best passage reaches at least: the k-th best full score among the passages
    the most selective terms rank first (the passages that carry rare query words usually lead,
    so the bound lands near the true k-th score; 0 when fewer than k such passages exist)."""
    first = sorted(terms, key=lambda t: -t.bound)
    picked: list[TermPostings] = []
    size = 0
    for t in first:
        if picked and size + t.docs.size > LOWER_BOUND_POSTINGS:
            break
        picked.append(t)
        size += t.docs.size
    docs = np.concatenate([t.docs for t in picked]).astype(np.int64)
    w = np.concatenate([np.multiply(t.weights, t.scale, dtype=np.float64) for t in picked])
    if mask is not None:
        keep = mask[docs]
        docs, w = docs[keep], w[keep]
    order = np.argsort(docs, kind="stable")
    pos, starts = _runs(docs[order])
    if pos.size < k:
        return 0.0
    part = np.add.reduceat(w[order], starts)
    m = min(pos.size, LOWER_BOUND_PROBES * k)
    top = pos[np.argpartition(-part, m - 1)[:m]] if m < pos.size else pos
    full = score_positions(terms, np.sort(top)).astype(np.float64)
    # float rounding between summation orders: a hair below so no exact tie is cut
    return float(np.partition(full, full.size - k)[full.size - k]) * (1 - 1e-6)


def _best(pos: np.ndarray, score: np.ndarray, k: int) -> list[tuple[int, float]]:
    keep = score > 0
    pos, score = pos[keep], score[keep].astype(np.float32)
    if pos.size > k:
        kth = np.partition(score, pos.size - k)[pos.size - k]
        sel = score >= kth
        pos, score = pos[sel], score[sel]
    o = np.lexsort((pos, -score))[:k]
    return [(int(pos[i]), float(score[i])) for i in o]
