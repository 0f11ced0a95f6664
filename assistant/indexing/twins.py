"""An accented term and its accent-folded twin read as one postings list (issue 15, item 7).

The tokeniser (``lexical._word_tokens``) gives every accented unigram or bigram of a passage its
folded twin in the same passage ("chủ_trì" → "~chu_tri"), so the accented term's passages are a
subset of the folded term's. A question typed with diacritics reads both, about half of its
terms: twice the per-term work of the max-score cut, and two upper bounds where one pair bound
(the largest ``w_folded + w_accented`` of one passage) is all the cut needs.

``derive_twins`` pairs each folded term with its most used accented spelling and keeps, for each
of the folded term's postings, the pair's summed weight (float32, one per posting, the folded
term's passage order, so the pair reuses the folded term's ``docs``). A query holding both twins
counts the pair once at the smaller repeat count and whatever is left of either twin on its own:
the same scores as reading the two lists, up to float32 rounding of the sum (about 1e-7 of it).
Derived at load (or first use), never saved: the files on disk do not change.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from ..textnorm import fold

__all__ = ["Twins", "derive_twins", "twin_key"]


@lru_cache(maxsize=1 << 16)
def twin_key(token: str) -> str | None:
    """The folded twin of an accented token (``None`` for a folded or concept token); cached, as
    folding is character by character and every question asks again for the same words."""
    if not token or token[0] in "~≡":
        return None
    return "~" + fold(token)


@dataclass(frozen=True)
class Twins:
    """Folded term → accented twin, and the pair's passages and summed weights."""

    accented: dict[int, int]  # folded term id → its paired accented term id
    spans: dict[int, tuple[int, int, int]]  # folded term id → (weights start, length, docs start or -1)
    docs: np.ndarray  # int32: a pair's passages, only where they are not the folded term's own
    weights: np.ndarray  # float32: w_folded + w_accented, per passage of each pair
    maxw: dict[int, float]  # folded term id → the pair's largest summed weight
    columns: dict[int, np.ndarray]  # the pair weights as dense columns, where the folded term has one

    def pair(self, f: int, folded_docs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The pair's (passages, summed weights); ``folded_docs``: the folded term's own passages."""
        w0, size, d0 = self.spans[f]
        return (folded_docs if d0 < 0 else self.docs[d0 : d0 + size]), self.weights[w0 : w0 + size]


def derive_twins(
    vocab: Mapping[str, int],
    indptr: np.ndarray,
    docs: np.ndarray,
    weights: np.ndarray,
    n_docs: int,
    column_terms: Mapping[int, np.ndarray],
) -> Twins:
    """The pairs of one field's postings (see the module docstring); ``column_terms`` are the
    terms with a dense column, whose pairs get one too (a common pair is looked up per candidate)."""
    df = np.diff(indptr)
    best: dict[int, int] = {}
    for tok, t in vocab.items():
        key = twin_key(tok)
        f = vocab.get(key) if key else None
        if f is None or f == t or not df[t] or not df[f]:
            continue
        # several accented spellings fold alike ("hòa", "hóa"): the one most passages use pairs
        other = best.get(f)
        if other is None or (df[t], -t) > (df[other], -other):
            best[f] = t
    w_parts: list[np.ndarray] = []
    d_parts: list[np.ndarray] = []
    spans: dict[int, tuple[int, int, int]] = {}
    maxw: dict[int, float] = {}
    w_size = d_size = 0
    for f, t in sorted(best.items()):
        fd, fw = docs[indptr[f] : indptr[f + 1]], weights[indptr[f] : indptr[f + 1]]
        td, tw = docs[indptr[t] : indptr[t + 1]], weights[indptr[t] : indptr[t + 1]]
        pos = np.searchsorted(fd, td)
        if int(pos[-1]) < fd.size and np.array_equal(fd[pos], td):
            # the subset the tokeniser promises: the pair reuses the folded term's passages
            pd, d0 = fd, -1
        else:  # an index whose twins drifted apart (the bench's perturbed copies): their union
            pd, d0 = np.union1d(fd, td).astype(np.int32), d_size
            d_parts.append(pd)
            d_size += pd.size
            pos = np.searchsorted(pd, td)
        w = np.zeros(pd.size, dtype=np.float64)
        w[np.searchsorted(pd, fd) if d0 >= 0 else slice(None)] = fw
        w[pos] += tw
        w32 = w.astype(np.float32)
        w_parts.append(w32)
        spans[f], maxw[f] = (w_size, pd.size, d0), float(w32.max())
        w_size += pd.size
    out = np.concatenate(w_parts) if w_parts else np.zeros(0, dtype=np.float32)
    pair_docs = np.concatenate(d_parts) if d_parts else np.zeros(0, dtype=np.int32)
    out.setflags(write=False)
    pair_docs.setflags(write=False)
    columns: dict[int, np.ndarray] = {}
    for f, (w0, size, d0) in spans.items():
        if f in column_terms:
            col = np.zeros(n_docs, dtype=np.float32)
            col[docs[indptr[f] : indptr[f + 1]] if d0 < 0 else pair_docs[d0 : d0 + size]] = out[
                w0 : w0 + size
            ]
            col.setflags(write=False)
            columns[f] = col
    return Twins({f: best[f] for f in spans}, spans, pair_docs, out, maxw, columns)
