"""Reading the served generation of the PostgreSQL store into one ``IndexStore``.

One REPEATABLE READ, READ ONLY transaction reads the generation, its plans, their passages
and the lexical statistics, so a replica sees the old generation or the new one, never a mix.
``search = "memory"`` loads the vectors too (searched in process); ``"database"`` leaves them in
PostgreSQL and asks it at each search (``pg_search.PgIndexStore``).
"""

from __future__ import annotations

from datetime import UTC
from typing import Any

import numpy as np

from ..errors import IndexMismatch, IndexMissing
from ..records import DocMeta, Passage
from .lexical import lexical_version
from .pg_support import _in_memory, _np
from .store import INDEX_COMMAND, IndexStore

__all__ = ["load_generation"]


def load_generation(
    pool: Any, embedder_id: str | None, ann_threshold: int, search: str = "memory"
) -> IndexStore:
    """The served generation as an ``IndexStore`` (one consistent snapshot).

    ``search = "memory"``: vectors and BM25 in memory, searched in process; ``"database"``:
    only passages and metadata, each search asked of PostgreSQL (``pg_search.PgIndexStore``).
    """
    in_db = search == "database"
    with pool.connection() as conn:
        with conn.transaction():
            conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            row = conn.execute(
                "SELECT g.id, g.created_at, g.embedder, g.dim, g.action FROM current_generation c "
                "JOIN generations g ON g.id = c.generation"
            ).fetchone()
            if row is None:
                raise IndexMissing(
                    "Kho PostgreSQL chưa có chỉ mục nào.",
                    "The PostgreSQL store holds no index yet.",
                    hint=f"chạy `TLKH_STORE=<url> {INDEX_COMMAND}` để lập chỉ mục các kế hoạch",
                )
            gen, created, emb, dim, _action = row
            if embedder_id is not None and emb != embedder_id:
                raise IndexMismatch(
                    f"Kho được lập chỉ mục bằng mô hình nhúng '{emb}', cấu hình hiện dùng '{embedder_id}'.",
                    f"The store was indexed with embedder '{emb}', configuration uses '{embedder_id}'.",
                    hint=f"chạy `{INDEX_COMMAND}` để xây lại, hoặc đặt TLKH_EMBEDDER={emb}",
                )
            plans = conn.execute(
                "SELECT pv.doc, pv.meta, pv.sha256, pv.parser FROM generation_plans gp "
                "JOIN plan_versions pv ON pv.id = gp.plan_version WHERE gp.generation = %s ORDER BY gp.seq",
                (gen,),
            ).fetchall()
            stats = conn.execute(
                "SELECT coalesce(sum(pv.n_passages), 0), coalesce(sum(pv.lex_len), 0), "
                "coalesce(sum(pv.units_len), 0), count(*) FILTER (WHERE pv.n_passages = 0), "
                # each field's smallest plan mean length (``pg_heads.head_sums``' bound)
                "coalesce(min(pv.lex_len::float8 / pv.n_passages) FILTER (WHERE pv.n_passages > 0), 0), "
                "coalesce(min(pv.units_len::float8 / pv.n_passages) FILTER (WHERE pv.n_passages > 0), 0) "
                "FROM generation_plans gp JOIN plan_versions pv ON pv.id = gp.plan_version "
                "WHERE gp.generation = %s",
                (gen,),
            ).fetchone()
            rows = conn.execute(
                f"SELECT p.id, p.data, {'p.plan_version, p.pos' if in_db else 'p.embedding'} "
                "FROM generation_plans gp "
                "JOIN passages p ON p.plan_version = gp.plan_version "
                "WHERE gp.generation = %s ORDER BY gp.seq, p.pos",
                (gen,),
            ).fetchall()
    passages: list[Passage] = []
    vecs: list[Any] = []
    seen: set[str] = set()
    for pid, data, *rest in rows:
        if pid in seen:  # as the folder build: a repeated passage id keeps its first plan's
            continue
        seen.add(pid)
        passages.append(Passage.from_dict(data))
        vecs.append(rest)
    docs = {d: DocMeta.from_dict(m) for d, m, _, _ in plans}
    parsers = {parser for *_, parser in plans}
    manifest = {
        "store": "postgresql",
        "generation": int(gen),
        "embedder": {"id": emb, "dim": int(dim)},
        "lexical_version": lexical_version(),
        "passage_count": len(passages),
        "doc_count": len(docs),
        "built_at": created.astimezone(UTC).isoformat(timespec="seconds"),
        "sources": {d: sha for d, _, sha, _ in plans},
        # one parser for every plan, else none (``IndexStore.parser_stale`` then says stale)
        "parser_fingerprint": parsers.pop() if len(parsers) == 1 else "",
    }
    if in_db:
        from .pg_search import in_database

        return in_database(pool, manifest, passages, docs, vecs, stats)
    matrix = np.stack([_np(v[0]) for v in vecs]) if vecs else np.zeros((0, int(dim)), np.float32)
    return _in_memory(passages, docs, matrix, manifest=manifest, ann_threshold=ann_threshold)
