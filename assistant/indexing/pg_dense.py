"""``PgIndexStore``'s dense side and its row keys (``store_search = database``).

A served position is one row of ``passages``, keyed (plan_version, pos); statements read rows by
those keys, or restrict to the served generation's plan versions. The dense top k is one
statement over the HNSW index with the session's ``hnsw.ef_search`` (``PG_EF_SEARCH``, set by
``PgStore``); a longer list asks for it in a transaction of its own. Vectors are read in
pgvector's binary form straight into numpy.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from .pg_candidates import pg_array

__all__ = ["PG_EF_SEARCH", "DenseRows", "KEYS_WHERE", "BY_KEYS", "SERVED"]

PG_EF_SEARCH = 100  # HNSW candidate list per search (at least k); recall measured in eval/bench_pg.py
KEYS_WHERE = "WHERE (p.plan_version, p.pos) IN (SELECT * FROM unnest(%(kv)s::int8[], %(kp)s::int4[]))"
# rows read by their keys, which are served rows already: no ``plan_version = ANY(versions)`` beside
# them, which the primary key's index took into every probe and sorted again each time (×1000, 5,000
# versions: 0.14 ms a probe against 0.007, 31 against 5 ms for 200 rows; docs/SCALING.md, session 23)
BY_KEYS = "FROM passages p " + KEYS_WHERE
SERVED = "plan_version IN (SELECT plan_version FROM generation_plans WHERE generation = %(g)s)"


class DenseRows:
    """Positions ↔ rows, the dense top k and the vectors, for ``PgIndexStore`` (its ``_pool``,
    ``_keys``, ``_row``, ``_dim`` and ``_generation``)."""

    def _key_args(self: Any, positions: Sequence[int] | np.ndarray) -> dict[str, Any]:
        k = self._keys[np.asarray(positions, dtype=np.int64)]
        return {"kv": pg_array(k[:, 0].tolist()), "kp": pg_array(k[:, 1].tolist())}

    def _positions(self: Any, rows: Sequence[tuple[Any, Any, Any]]) -> list[tuple[int, float]]:
        out = []
        for v, p, s in rows:
            i = self._row.get((int(v), int(p)))
            if i is not None:  # a row whose passage id repeats an earlier plan's is not served
                out.append((i, float(s)))
        return out

    def dense_search(
        self: Any, qvec: np.ndarray, k: int, allowed: np.ndarray | None = None
    ) -> list[tuple[int, float]]:
        if not len(self.passages) or k <= 0 or (allowed is not None and len(allowed) == 0):
            return []
        d = self._dim
        q = np.asarray(qvec, dtype=np.float32).reshape(-1)
        expr = f"(embedding::vector({d}))"
        args: dict[str, Any] = {"q": q, "g": self._generation, "k": int(k)}
        # the served generation's rows: its plan versions read by the statement itself, not sent as a
        # literal, whose elements the planner estimated one by one (×1000, 5,000 versions: 7.6 ms of
        # planning for a 2.2 ms search; session 23); a filter's keys are served rows already
        served = SERVED
        if allowed is not None:  # a filter: score exactly the allowed rows (as the in-process path)
            served = KEYS_WHERE.replace("WHERE ", "").replace("p.", "")
            args.update(self._key_args(allowed))
        sql = (
            f"SELECT plan_version, pos, -({expr} <#> %(q)s::vector({d})) FROM passages "
            f"WHERE vector_dims(embedding) = {d} AND {served} "
            f"ORDER BY {expr} <#> %(q)s::vector({d}) LIMIT %(k)s"
        )
        if k <= PG_EF_SEARCH:  # the session's settings (``PgStore._configure``): one round trip
            with self._pool.connection() as conn:
                rows = conn.execute(sql, args).fetchall()
        else:  # a longer candidate list for this search only (five round trips)
            with self._pool.connection() as conn, conn.transaction():
                conn.execute(f"SET LOCAL hnsw.ef_search = {int(k)}")
                rows = conn.execute(sql, args).fetchall()
        hits = self._positions(rows)
        hits.sort(key=lambda x: -x[1])  # relaxed_order may hand rows slightly out of order
        return hits

    def vectors(self: Any, positions: Sequence[int] | None = None) -> np.ndarray:
        pos = np.arange(len(self.passages)) if positions is None else np.asarray(positions, dtype=np.int64)
        out = np.zeros((len(pos), self._dim), dtype=np.float32)
        if not len(pos):
            return out
        # pgvector's binary form (``vector_send``: int16 dim, int16 unused, big-endian float32s) read
        # straight into the array: its text form, parsed into Python floats, cost ~0.25 ms a vector
        # (24 ms for a question's ~100 candidates, the largest part of a hybrid search at ×1)
        with self._pool.connection() as conn:
            rows = conn.execute(
                "SELECT p.plan_version, p.pos, vector_send(p.embedding) " + BY_KEYS,
                self._key_args(pos),
                binary=True,  # the vector bytes as they are, not hex
            ).fetchall()
        where = {(int(v), int(p)): j for j, (v, p) in enumerate(self._keys[pos].tolist())}
        for v, p, raw in rows:
            out[where[(int(v), int(p))]] = np.frombuffer(raw, dtype=">f4", count=self._dim, offset=4)
        return out
