"""The lexical top k in PostgreSQL without reading every posting (schema 4, issue 15).

Each passage row carries its BM25 term weights as a pgvector ``sparsevec`` (``passages.bm25``, the
index of an element is the term's id in ``lex_terms``) under an HNSW index (``sparsevec_ip_ops``);
a query's weights are ``factor × idf`` per term, so the inner product is the passage's BM25 with
the plan's mean length in place of the generation's. The HNSW search gives candidates, which are
then scored exactly (``exact_scores``) from the row's term frequencies (``bm25_tf``) and field
lengths (``bm25_dl``) with the generation's idf and mean lengths: the scores are exact, the choice
of candidates is the approximate part (its overlap with the exact top k: ``eval/bench_pg.py``).

Why a sparsevec and not an exact max-score over the postings in SQL: the candidate lookups of the
terms that are not read whole cost one index probe per (term, candidate), thousands per question
(session 13 measured it); HNSW reads a few hundred rows whatever the collection's size.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence

import numpy as np

from .pg_schema import LEX_DIM, LEX_MAX_NNZ

__all__ = [
    "LEX_CANDIDATES",
    "term_ids",
    "sparse_literal",
    "passage_vectors",
    "write_generation_terms",
    "exact_scores",
    "tf_arrays",
    "plan_idf",
]

LEX_CANDIDATES = 200  # HNSW candidates scored exactly for a lexical top k ≤ 50 (4 k above)


def term_ids(conn, keys: Iterable[tuple[int, str]]) -> dict[tuple[int, str], int]:
    """The ids of (field, term) pairs, new ones added (sorted: two writers lock rows in one order)."""
    keys = sorted(set(keys))
    if not keys:
        return {}
    f, t = [k[0] for k in keys], [k[1] for k in keys]
    conn.execute(
        "INSERT INTO lex_terms (field, term) SELECT * FROM unnest(%s::int2[], %s::text[]) ON CONFLICT DO NOTHING",
        (f, t),
    )
    rows = conn.execute(
        "SELECT l.field, l.term, l.id FROM unnest(%s::int2[], %s::text[]) AS q(field, term) "
        "JOIN lex_terms l ON l.field = q.field AND l.term = q.term",
        (f, t),
    ).fetchall()
    return {(int(a), b): int(i) for a, b, i in rows}


def sparse_literal(items: Iterable[tuple[int, float]]) -> str:
    """A ``sparsevec`` literal (indices are 1-based in pgvector's text form, as our ids)."""
    return "{" + ",".join(f"{i}:{v:.9g}" for i, v in sorted(items)) + f"}}/{LEX_DIM}"


def passage_vectors(
    counted: Sequence[Sequence[Counter[str]]],
    ids: dict[tuple[int, str], int],
    impacts: Sequence[Sequence[dict[str, float]]],
    plan_idf: Sequence[dict[str, float]],
) -> list[tuple[str, str, list[int]]]:
    """Per passage its ``bm25`` (weights), ``bm25_tf`` and ``bm25_dl`` column values.

    The weights vector keeps at most LEX_MAX_NNZ terms (HNSW's limit): those with the largest
    weight × idf in the plan, the terms that decide whether the passage is a candidate; the tf
    vector keeps every term, so a candidate's score is exact either way.
    """
    out = []
    for fields, weights in zip(counted, impacts):
        w = [
            (ids[(f, t)], x, x * plan_idf[f].get(t, 0.0))
            for f, ws in enumerate(weights)
            for t, x in ws.items()
        ]
        if len(w) > LEX_MAX_NNZ:
            w = sorted(w, key=lambda e: (-e[2], e[0]))[:LEX_MAX_NNZ]
        tf = [(ids[(f, t)], float(n)) for f, c in enumerate(fields) for t, n in c.items()]
        out.append(
            (sparse_literal((i, x) for i, x, _ in w), sparse_literal(tf), [sum(c.values()) for c in fields])
        )
    return out


def write_generation_terms(
    conn, gen: int, versions: Sequence[int], previous: int | None, previous_versions: Sequence[int]
) -> None:
    """``generation_terms`` of a new generation: the previous one's plus the added plans' minus the
    removed plans' document frequencies (one row per term), or summed over all its plans when there
    is no previous one to start from or most plans changed."""
    added = sorted(set(versions) - set(previous_versions))
    removed = sorted(set(previous_versions) - set(versions))
    has_previous = previous is not None and bool(
        conn.execute(
            "SELECT EXISTS (SELECT 1 FROM generation_terms WHERE generation = %s)", (previous,)
        ).fetchone()[0]
    )
    plan_df = "SELECT l.id, {sign} pt.df FROM plan_terms pt JOIN lex_terms l ON l.field = pt.field AND l.term = pt.term WHERE pt.plan_version = ANY(%(p)s)"
    if has_previous and len(added) + len(removed) < len(versions):
        conn.execute(
            "INSERT INTO generation_terms (generation, term, df) SELECT %(g)s, term, sum(df) FROM ("
            "SELECT term, df FROM generation_terms WHERE generation = %(prev)s UNION ALL "
            + plan_df.format(sign="").replace("%(p)s", "%(add)s")
            + " UNION ALL "
            + plan_df.format(sign="-").replace("%(p)s", "%(rm)s")
            + ") x(term, df) GROUP BY term HAVING sum(df) > 0",
            {"g": gen, "prev": previous, "add": added, "rm": removed},
        )
        return
    conn.execute(
        "INSERT INTO generation_terms (generation, term, df) SELECT %(g)s, id, sum(df) FROM ("
        + plan_df.format(sign="")
        + ") x(id, df) GROUP BY id",
        {"g": gen, "p": list(versions)},
    )


def tf_arrays(raw: bytes, dl: Sequence[int]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A row's (term ids, tf, field lengths) from ``sparsevec_send(bm25_tf)``: pgvector's binary form
    (the one ``pgvector.SparseVector.from_binary`` reads: big-endian int32 dim, nnz, 0, then nnz
    0-based int32 indices and nnz float32 values), read straight into arrays: decoding ~200 rows
    through Python lists cost several ms a question."""
    nnz = int(np.frombuffer(raw, dtype=">i4", count=3)[1])
    ids = np.frombuffer(raw, dtype=">i4", count=nnz, offset=12).astype(np.int64) + 1
    tf = np.frombuffer(raw, dtype=">f4", count=nnz, offset=12 + 4 * nnz).astype(np.float64)
    return ids, tf, np.asarray(dl, dtype=np.float64)


def exact_scores(
    rows: Sequence[tuple[np.ndarray, np.ndarray, np.ndarray]],
    query: dict[int, tuple[int, float, float, float]],
) -> np.ndarray:
    """BM25 of each row (``tf_arrays``), all rows at once.

    ``query``: term id → (field, factor × idf, k1 (1 - b), k1 b / the generation's mean length).
    """
    out = np.zeros(len(rows), dtype=np.float64)
    if not query or not rows:
        return out
    qid = np.array(sorted(query), dtype=np.int64)
    spec = np.array([query[int(i)] for i in qid], dtype=np.float64).reshape(-1, 4)
    ids = np.concatenate([r[0] for r in rows])
    tf = np.concatenate([r[1] for r in rows])
    row = np.repeat(np.arange(len(rows)), [len(r[0]) for r in rows])
    at = np.minimum(np.searchsorted(qid, ids), len(qid) - 1)
    hit = qid[at] == ids
    q, t, r = spec[at[hit]], tf[hit], row[hit]
    dls = np.stack([x[2] for x in rows])[r, q[:, 0].astype(np.int64)]
    return np.bincount(r, weights=q[:, 1] * t / (t + q[:, 2] + q[:, 3] * dls), minlength=len(rows))


def plan_idf(n: int, df: Sequence[Counter[str]]) -> list[dict[str, float]]:
    """Each term's idf within one plan (only to choose a long passage's LEX_MAX_NNZ indexed terms)."""
    return [{t: math.log(1 + (n - d + 0.5) / (d + 0.5)) for t, d in c.items()} for c in df]
