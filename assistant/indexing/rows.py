"""A few hundred passages' BM25 scores read passage by passage, not term by term (issue 15, item 7).

``postings.top_k`` scores a few hundred passages in full three times a search at 1000× the corpus
(the lower bound's probes, the lead's common terms, and ``IndexStore.lexical_at`` for the fused
candidates), and a question reads 40–70 terms. Looked up term by term, each term costs a binary
search and half a dozen numpy calls whatever the number of passages, so at that scale the calls,
not the lookups, are the time. The same scores read from the passages' side (the postings as a
passage-major sparse matrix, scipy's compiled row gather and product with the query's term weights)
cost two compiled calls for all the terms. A common term (one with a dense column, ``postings``) is
still read from its column, one gather: it is left out of the rows, which hold most postings (at
1000× the corpus ~43 % of them are the common terms'), so the rows hold every other posting once
more (8 bytes each, ~370 MB at 1000×). They are derived on first use and only read in a collection
of at least ``ROWS_MIN_DOCS`` passages (a smaller one is scored whole or term by term as before:
every plan set we hold is smaller).

A twin pair (``twins``) is read as its two terms, each at the pair's factor: ``w_folded +
w_accented`` summed in float64 rather than the pair's float32 sum, the same score up to float32
rounding (about 1e-7 of it), as ``twins`` says of the pairs themselves.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

import numpy as np

__all__ = ["ROWS_MIN_DOCS", "ROWS_MIN_TERMS", "add_at", "add_terms", "passage_rows"]

ROWS_MIN_DOCS = 4096  # a collection at least this large reads the rows (below: scan or term by term)
ROWS_MIN_TERMS = 8  # fewer terms than this cost less looked up term by term than a row's every term


def passage_rows(
    indptr: np.ndarray, docs: np.ndarray, weights: np.ndarray, n_docs: int, skip: Collection[int] = ()
) -> Any:
    """The postings (term-major) as a passage-major ``scipy.sparse.csr_matrix`` (passages × terms),
    read-only: the same weights, one row per passage, none of the terms in ``skip`` (their columns
    are empty: ``add_terms`` reads those terms elsewhere)."""
    from scipy.sparse import csc_matrix

    df = np.diff(indptr)
    gone = np.array([i for i in skip if 0 <= i < df.size], dtype=np.int64) if skip else np.zeros(0, np.int64)
    if gone.size:
        keep = np.ones(df.size, dtype=bool)
        keep[gone] = False
        entries = np.repeat(keep, df)
        docs, weights = docs[entries], weights[entries]
        indptr = np.concatenate([[0], np.cumsum(np.where(keep, df, 0))])
    m = csc_matrix((weights, docs, indptr), shape=(int(n_docs), df.size)).tocsr()
    for a in (m.data, m.indices, m.indptr):
        a.setflags(write=False)
    return m


def add_at(acc: np.ndarray, positions: np.ndarray, t: Any) -> None:
    """``acc[i] +=`` term ``t``'s weight of the passage ``positions[i]`` (ascending or not)."""
    if not positions.size:
        return
    if t.column is not None:
        acc += np.multiply(t.column[positions], t.scale, dtype=np.float64)
        return
    # int32 keys as the postings: with int64 ones numpy first copies the postings (0.2 ms at 200,000)
    j = np.searchsorted(t.docs, positions.astype(t.docs.dtype, copy=False))
    hit = t.docs.take(j, mode="clip") == positions  # a position past the last posting: no hit
    acc[hit] += np.multiply(t.weights[j[hit]], t.scale, dtype=np.float64)


def add_terms(acc: np.ndarray, positions: np.ndarray, terms: Sequence[Any]) -> None:
    """``acc[i] +=`` the weights of ``terms`` (``postings.TermPostings``) in the passage
    ``positions[i]``: from the passages' rows when the terms are many and their fields large and
    known (``field``, ``ids``), else term by term."""
    if not positions.size or not terms:
        return
    fields: dict[int, tuple[Any, list[Any]]] = {}
    if len(terms) >= ROWS_MIN_TERMS:
        for t in terms:
            if t.field is None or t.field.n_docs < ROWS_MIN_DOCS:
                fields = {}
                break
            fields.setdefault(id(t.field), (t.field, []))[1].append(t)
    if not fields:
        for t in terms:
            add_at(acc, positions, t)
        return
    for key, (post, ts) in list(fields.items()):
        rest = []
        for t in ts:
            # a term with a dense column (or a pair holding one) is not in the rows: one gather
            if t.column is not None or any(i in post.columns for i in t.ids):
                add_at(acc, positions, t)
            else:
                rest.append(t)
        fields[key] = (post, rest)
    for post, ts in fields.values():
        if not ts:
            continue
        qw = np.zeros(len(post.indptr) - 1, dtype=np.float64)  # the query's factor per term id
        for t in ts:
            for i in t.ids:
                qw[i] += t.scale
        acc += post.rows[positions] @ qw
