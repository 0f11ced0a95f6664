"""The fusion's candidates scored in one read (``store_search = database``, issue 15).

The hybrid search fuses both raw scores of every candidate (``retrieve.HybridRetriever``): the inner
product with the question's vector and the BM25. Read apart, they cost two round trips and every
candidate's whole vector (384 float32, 1.5 KB) and term counts (``bm25_tf``, ~3 KB). Here a
candidate is read only for what is not known yet, in one statement: the dense search's own hits
bring their inner product (the same pgvector expression, so the same value), the impact-ordered
lists give the BM25 of every passage all of whose cut lists hold it (``pg_heads.head_sums``), the
replica's cache gives the counts of the passages rescored a moment before (``_tf_rows``); the rest
come back as PostgreSQL computes them: the inner product as one float, the counts only for the
passages whose BM25 is not known.

The two sides' top k come first, and they are independent: ``dense_begin`` sends the dense
statement from a worker thread on its own pooled connection while the caller reads the lexical
lists and rescores their passages, so a search waits for the slower side, not for their sum (psycopg
releases the GIL while it waits on the server). No connection is held while waiting for the worker.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np

from .pg_lexical import exact_scores, tf_arrays

__all__ = ["COUNTS_CACHE", "AHEAD_WORKERS", "CandidateScores", "DenseAhead", "TermCounts", "pg_array"]

COUNTS_CACHE = 16_384  # passages whose term counts a replica keeps (least recently used dropped)
# dense searches running ahead at once in a process (``PgStore``'s pools hold 4 connections each)
AHEAD_WORKERS = 4
_ahead: list[ThreadPoolExecutor] = []
_ahead_lock = threading.Lock()


def _executor() -> ThreadPoolExecutor:
    """The process's one pool of dense-ahead workers, started on first use."""
    with _ahead_lock:
        if not _ahead:
            _ahead.append(ThreadPoolExecutor(AHEAD_WORKERS, thread_name_prefix="tlkh-dense"))
        return _ahead[0]


class TermCounts:
    """The term counts (``tf_arrays``) of the passages a replica rescored lately, by position: a
    question's candidates are often the last one's (a follow-up, a retry), and their ``bm25_tf``
    is the heaviest column read. Least recently used dropped past ``most``; the serving threads
    share it."""

    def __init__(self, most: int = COUNTS_CACHE) -> None:
        self._most = most
        self._lru: OrderedDict[int, Any] = OrderedDict()
        self._lock = threading.Lock()

    def cached(self, positions: Iterable[int]) -> dict[int, Any]:
        """The counts kept of ``positions`` (those not kept are left out), each marked as used."""
        out = {}
        with self._lock:
            for i in positions:
                hit = self._lru.get(i)
                if hit is not None:
                    self._lru.move_to_end(i)
                    out[i] = hit
        return out

    def keep(self, got: Mapping[int, Any]) -> None:
        """Keep the counts just read, dropping the least recently used past the bound."""
        with self._lock:
            self._lru.update(got)
            while len(self._lru) > self._most:
                self._lru.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._lru.clear()


# per candidate: what is read of it (``ip``: its inner product with the question, ``tf``: its counts)
_READ_SQL = """
SELECT p.plan_version, p.pos,
    CASE WHEN k.ip THEN -((p.embedding::vector({d})) <#> %(q)s::vector({d})) END,
    CASE WHEN k.tf THEN sparsevec_send(p.bm25_tf) END, p.bm25_dl
FROM unnest(%(kv)s::int8[], %(kp)s::int4[], %(ip)s::bool[], %(tf)s::bool[]) AS k(v, p, ip, tf)
JOIN passages p ON p.plan_version = k.v AND p.pos = k.p
"""


def pg_array(xs: Sequence[Any]) -> str:
    """A list as one PostgreSQL array literal: psycopg adapts a Python list element by element
    (~1.5 ms a question for the candidates' keys, session 22)."""
    return "{" + ",".join(map(str, xs)) + "}"


class CandidateScores:
    """``PgIndexStore.candidate_scores`` (its ``_weights``, ``_head_sums``, ``_tf_rows``' cache)."""

    def candidate_scores(
        self: Any,
        qvec: np.ndarray,
        terms: Any,
        positions: Sequence[int] | np.ndarray,
        dense: Sequence[tuple[int, float]] = (),
    ) -> tuple[np.ndarray, np.ndarray]:
        """Each candidate's inner product with ``qvec`` and BM25 (``lexical_at``), as float32;
        ``dense``: the dense search's (position, inner product), not read again."""
        pos = np.asarray(positions, dtype=np.int64)
        known = dict(dense)
        ip = np.array([known.get(int(i), np.nan) for i in pos.tolist()], dtype=np.float32)
        lex = np.zeros(len(pos), dtype=np.float32)
        need_tf = np.zeros(len(pos), dtype=bool)
        weights = self._weights(terms) if terms and len(pos) else {}
        if weights:
            sums = self._head_sums(terms)
            need_tf[:] = True
            if sums is not None:  # exact from the lists where every cut list holds the passage
                scores, lacking, _ = sums
                need_tf = lacking[pos] > 0
                lex[~need_tf] = scores[pos[~need_tf]]
        counts: dict[int, Any] = self._counts_cache.cached(pos[need_tf].tolist()) if need_tf.any() else {}
        want_tf = need_tf & np.array([i not in counts for i in pos.tolist()], dtype=bool)
        want_ip = np.isnan(ip)
        read = np.flatnonzero(want_ip | want_tf)
        if len(read):
            keys = self._keys[pos[read]]
            args = {
                "q": np.asarray(qvec, dtype=np.float32).reshape(-1),
                "kv": pg_array(keys[:, 0].tolist()),
                "kp": pg_array(keys[:, 1].tolist()),
                "ip": pg_array(["t" if x else "f" for x in want_ip[read].tolist()]),
                "tf": pg_array(["t" if x else "f" for x in want_tf[read].tolist()]),
            }
            with self._pool.connection() as conn:
                rows = conn.execute(_READ_SQL.format(d=self._dim), args, binary=True).fetchall()
            at = {(int(v), int(p)): j for j, (v, p) in zip(read.tolist(), keys.tolist())}
            got = {}
            for v, p, x, raw, dl in rows:
                j = at[(int(v), int(p))]
                if x is not None:
                    ip[j] = x
                if raw is not None:
                    got[int(pos[j])] = tf_arrays(raw, dl)
            counts.update(got)
            self._counts_cache.keep(got)
        if need_tf.any():
            lex[need_tf] = exact_scores([counts[int(i)] for i in pos[need_tf]], weights)
        return ip, lex


class DenseAhead:
    """``PgIndexStore.dense_begin``: the dense statement sent from a worker (see the module's
    docstring); its hits, or its error, when the returned call is made."""

    def dense_begin(
        self: Any, qvec: np.ndarray, k: int, allowed: np.ndarray | None = None
    ) -> Callable[[], list[tuple[int, float]]]:
        return _executor().submit(self.dense_search, qvec, k, allowed).result
