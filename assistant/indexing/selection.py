"""Picking about the m largest of many scores without sorting them all (``postings.top_k``'s lead)."""

from __future__ import annotations

import numpy as np

__all__ = ["leaders"]


def leaders(score: np.ndarray, m: int) -> np.ndarray:
    """Indexes, ascending, of about the ``m`` largest of ``score`` (at least ``m``, at most ``2m``
    unless ties hold more): the top of a strided sample sets a threshold, so the selection runs
    over what passes it, not over every candidate. Any set is correct for the caller (its full
    scores only seed a bound; every other candidate is still checked), so "about" suffices."""
    step = score.size // (32 * m)
    if step >= 2:
        sample = score[::step]
        r = sample.size - max(1, 3 * m // (2 * step))  # the sample's rank of about the 1.5 m-th largest
        thr = float(np.partition(sample, r)[r])
        idx = np.flatnonzero(score >= thr)
        if m <= idx.size <= 2 * m:
            return idx
        if idx.size > 2 * m:
            sel = idx[np.argpartition(-score[idx], m - 1)[:m]]
            sel.sort()
            return sel
    sel = np.argpartition(-score, m - 1)[:m]
    sel.sort()
    return sel
