"""The PostgreSQL + pgvector store (``store`` setting = a ``postgresql://`` URL).

Writers publish a *generation* in one transaction (new plan rows, the generation's plan
list, the switch of ``current_generation``, the audit row, a ``NOTIFY``); readers read
one generation inside one REPEATABLE READ transaction, so they see the old or the new,
never a mix. Each app replica keeps the generation it serves in memory (the same
``IndexStore`` the folder index gives) and a watcher reloads it when the generation
changes: woken by ``LISTEN`` on the primary, and polling the read side every second
(a streaming standby does not relay notifications).

Reads may go to a standby (``read_url``); writes always go to the primary (``url``).
Requires the ``pg`` extra: psycopg 3, psycopg-pool, pgvector. Reading one generation into
an ``IndexStore`` is ``pg_load``.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import socket
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..errors import DocumentError, StoreUnavailable
from ..records import DocMeta, Passage
from ..uploads import content_key
from .cache import parser_fingerprint
from .pg_dense import PG_EF_SEARCH
from .pg_heads import write_term_heads
from .pg_lexical import write_generation_terms
from .pg_load import load_generation
from .pg_schema import MIGRATIONS, NOTIFY_CHANNEL, SCHEMA_VERSION, hnsw_index_sql, lex_hnsw_sql
from .pg_write import write_passages
from .store import IndexStore

__all__ = ["PgStore", "NewPlan", "content_key", "KEEP_GENERATIONS", "POLL_SECONDS"]

log = logging.getLogger(__name__)

KEEP_GENERATIONS = 3  # older generations (and plan versions only they use) are deleted on publish
POLL_SECONDS = 1.0  # how often a replica checks the read side for a new generation
MIGRATION_LOCK = 0x544C4B48  # pg_advisory_xact_lock key: two replicas starting do not both migrate


@dataclass
class NewPlan:
    """One parsed plan to publish: its original bytes, metadata, passages and their vectors."""

    doc: str
    data: bytes
    meta: DocMeta
    passages: list[Passage]
    vectors: np.ndarray
    tokens: list[tuple[list[str], list[str]]] | None = None  # BM25 tokens per passage (text, units), if known

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


@dataclass(frozen=True)
class _CurrentPlan:
    seq: int
    plan_version: int
    doc: str
    sha256: str
    content_key: str


def _unavailable(url: str, e: Exception) -> StoreUnavailable:
    where = url.split("@")[-1]  # never echo a password
    return StoreUnavailable(
        f"Không kết nối được kho dữ liệu PostgreSQL ({where}).",
        f"Cannot use the PostgreSQL store at {where}: {type(e).__name__}: {e}",
        hint="kiểm tra TLKH_STORE (máy chủ, cổng, mật khẩu) và rằng máy chủ có phần mở rộng pgvector",
    )


def replica_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


class PgStore:
    """Connection pools on the primary (writes) and the read side, plus the store's operations."""

    def __init__(self, url: str, read_url: str | None = None, *, pool_size: int = 4) -> None:
        from psycopg_pool import ConnectionPool

        self.url, self.read_url = url, read_url or url
        self._migrate()
        self._check(self.read_url)
        self._pools = {}
        try:
            for role, u in (("write", self.url), ("read", self.read_url)):
                self._pools[role] = ConnectionPool(
                    u, min_size=1, max_size=pool_size, configure=self._configure, open=True, timeout=30
                )
                self._pools[role].wait(timeout=30)
        except Exception as e:
            self.close()
            raise _unavailable(self.url, e) from e

    @staticmethod
    def _configure(conn) -> None:
        from pgvector.psycopg import register_vector

        register_vector(conn)
        conn.autocommit = True
        # the dense search's HNSW settings for the session, so a search is one statement, not a
        # transaction with two SET LOCAL (five round trips, most of its time under load: session 19)
        conn.execute(f"SET hnsw.ef_search = {PG_EF_SEARCH}")
        conn.execute("SET hnsw.iterative_scan = relaxed_order")

    def close(self) -> None:
        for p in self._pools.values():
            p.close()
        self._pools = {}

    # --- schema ---------------------------------------------------------------
    def _migrate(self) -> None:
        import psycopg

        try:
            with psycopg.connect(self.url, connect_timeout=10) as conn:
                conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
                conn.execute("CREATE TABLE IF NOT EXISTS tlkh_schema (version int NOT NULL)")
                row = conn.execute("SELECT max(version) FROM tlkh_schema").fetchone()
                have = int(row[0]) if row and row[0] is not None else 0
                if have > SCHEMA_VERSION:
                    raise self._schema_error(have)
                for version, sql in MIGRATIONS:
                    if version > have:
                        log.info("PostgreSQL store: applying migration %d", version)
                        conn.execute(sql)  # our own constant DDL
                        conn.execute("INSERT INTO tlkh_schema (version) VALUES (%s)", (version,))
                conn.commit()
        except psycopg.errors.ReadOnlySqlTransaction:
            pass  # a standby given as the primary: _check below says what is wrong
        except psycopg.Error as e:
            raise _unavailable(self.url, e) from e

    @staticmethod
    def _schema_error(have: int) -> StoreUnavailable:
        return StoreUnavailable(
            f"Kho dữ liệu có lược đồ phiên bản {have}, phần mềm này dùng {SCHEMA_VERSION}.",
            f"The store's schema is version {have}; this software uses {SCHEMA_VERSION}.",
            hint="cập nhật phần mềm trên mọi bản sao, hoặc dùng một cơ sở dữ liệu khác",
        )

    def _check(self, url: str) -> None:
        import psycopg

        try:
            with psycopg.connect(url, connect_timeout=10, autocommit=True) as conn:
                row = conn.execute("SELECT max(version) FROM tlkh_schema").fetchone()
        except psycopg.Error as e:
            raise _unavailable(url, e) from e
        have = int(row[0]) if row and row[0] is not None else 0
        if have != SCHEMA_VERSION:
            raise self._schema_error(have)

    def ensure_hnsw(self, dim: int) -> None:
        with self._pools["write"].connection() as conn:
            conn.execute(hnsw_index_sql(dim))
            conn.execute(lex_hnsw_sql())

    # --- reading ----------------------------------------------------------------
    def current_generation(self) -> int | None:
        with self._pools["read"].connection() as conn:
            row = conn.execute("SELECT generation FROM current_generation").fetchone()
        return int(row[0]) if row and row[0] is not None else None

    def load(self, embedder_id: str | None, ann_threshold: int, search: str = "memory") -> IndexStore:
        """The served generation as an ``IndexStore`` (one consistent snapshot): ``pg_load``."""
        return load_generation(self._pools["read"], embedder_id, ann_threshold, search)

    def served_docs(self) -> set[str]:
        """Names of the plans in the current generation, read on the primary (for writers)."""
        with self._pools["write"].connection() as conn:
            rows = conn.execute(
                "SELECT pv.doc FROM current_generation c JOIN generation_plans gp ON gp.generation = c.generation "
                "JOIN plan_versions pv ON pv.id = gp.plan_version"
            ).fetchall()
        return {r[0] for r in rows}

    def plan_file(self, doc: str) -> bytes | None:
        """The original bytes of a served plan (no local copy needed on any replica)."""
        with self._pools["read"].connection() as conn:
            row = conn.execute(
                "SELECT f.bytes FROM current_generation c JOIN generation_plans gp ON gp.generation = c.generation "
                "JOIN plan_versions pv ON pv.id = gp.plan_version JOIN plan_files f ON f.sha256 = pv.sha256 "
                "WHERE pv.doc = %s",
                (doc,),
            ).fetchone()
        return bytes(row[0]) if row else None

    def audit(self, limit: int = 100) -> list[dict[str, Any]]:
        with self._pools["read"].connection() as conn:
            cur = conn.execute(
                "SELECT at, action, doc, sha256, actor, replica, generation, detail FROM audit "
                "ORDER BY id DESC LIMIT %s",
                (limit,),
            )
            names = [c.name for c in cur.description or ()]
            return [dict(zip(names, r)) for r in cur.fetchall()]

    # --- writing ------------------------------------------------------------------
    def _current_plans(self, conn) -> tuple[int | None, list[_CurrentPlan]]:
        row = conn.execute("SELECT generation FROM current_generation FOR UPDATE").fetchone()
        gen = row[0] if row else None
        if gen is None:
            return None, []
        rows = conn.execute(
            "SELECT gp.seq, gp.plan_version, pv.doc, pv.sha256, pv.content_key FROM generation_plans gp "
            "JOIN plan_versions pv ON pv.id = gp.plan_version WHERE gp.generation = %s ORDER BY gp.seq",
            (gen,),
        ).fetchall()
        return int(gen), [_CurrentPlan(*r) for r in rows]

    def publish(
        self,
        action: str,
        new: Iterable[NewPlan],
        *,
        embedder_id: str,
        dim: int,
        actor: str,
        drop: Iterable[str] = (),
        replace_all: bool = False,
        check: Callable[[list[_CurrentPlan]], None] | None = None,
        detail: dict[str, Any] | None = None,
    ) -> int:
        """Write a new generation and switch to it, all in one transaction; returns its id.

        ``check`` sees the plans being served under the writers' row lock (so two replicas
        uploading the same plan at once cannot both pass) and raises to abort.

        ``new`` is read once, plan by plan, each written as it comes: a first build of thousands
        of plans (``eval.bench_pg`` at ×1000: 5,000 plans, 235,000 passages) never holds them all.
        """
        drop = set(drop)
        with self._pools["write"].connection() as conn, conn.transaction():
            _old, current = self._current_plans(conn)
            if check is not None:
                check(current)
            written: list[tuple[str, str]] = []  # (doc, sha256) of each new plan, in order
            added: list[int] = []
            for plan in new:
                added.append(self._insert_plan(conn, plan, embedder_id, dim, actor))
                written.append((plan.doc, plan.sha256))
            replaced = {doc for doc, _ in written}
            keep = [] if replace_all else [c for c in current if c.doc not in drop and c.doc not in replaced]
            # the kept plans first, then the new ones (their order in the generation, as before)
            versions = [c.plan_version for c in keep] + added
            counts = conn.execute(
                "SELECT count(*), count(DISTINCT plan_version) FROM passages WHERE plan_version = ANY(%s)",
                (versions,),
            ).fetchone()
            gen = conn.execute(
                "INSERT INTO generations (action, doc, actor, embedder, dim, passage_count, doc_count) "
                "VALUES (%s, %s, %s, %s, %s, %s, %s) RETURNING id",
                (
                    action,
                    ",".join(sorted(replaced | drop)) or None,
                    actor,
                    embedder_id,
                    dim,
                    counts[0] if counts else 0,
                    len(versions),
                ),
            ).fetchone()[0]
            with conn.cursor() as cur:
                cur.executemany(
                    "INSERT INTO generation_plans (generation, seq, plan_version) VALUES (%s, %s, %s)",
                    [(gen, i, v) for i, v in enumerate(versions)],
                )
            write_generation_terms(conn, gen, versions, _old, [c.plan_version for c in current])
            write_term_heads(conn, gen, versions, _old, [c.plan_version for c in current])
            conn.execute("UPDATE current_generation SET generation = %s", (gen,))
            for doc, sha in written:
                self._audit(conn, "upload" if action == "add" else action, doc, sha, actor, gen)
            for doc in sorted(drop):
                self._audit(conn, "remove", doc, None, actor, gen, detail)
            if not written and not drop:
                self._audit(conn, action, None, None, actor, gen, detail)
            self._collect(conn, gen)
            conn.execute("SELECT pg_notify(%s, %s)", (NOTIFY_CHANNEL, str(gen)))
        return int(gen)

    @staticmethod
    def _audit(conn, action, doc, sha, actor, gen, detail=None) -> None:
        conn.execute(
            "INSERT INTO audit (action, doc, sha256, actor, replica, generation, detail) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s)",
            (action, doc, sha, actor, replica_name(), gen, json.dumps(detail or {}, ensure_ascii=False)),
        )

    @staticmethod
    def _insert_plan(conn, plan: NewPlan, embedder_id: str, dim: int, actor: str) -> int:
        conn.execute(
            "INSERT INTO plan_files (sha256, bytes, size) VALUES (%s, %s, %s) ON CONFLICT DO NOTHING",
            (plan.sha256, plan.data, len(plan.data)),
        )
        pv = conn.execute(
            "INSERT INTO plan_versions (doc, sha256, meta, content_key, embedder, dim, uploaded_by, parser) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s, %s) RETURNING id",
            (
                plan.doc,
                plan.sha256,
                json.dumps(plan.meta.to_dict(), ensure_ascii=False),
                content_key(plan.passages),
                embedder_id,
                dim,
                actor,
                parser_fingerprint(),
            ),
        ).fetchone()[0]
        vecs = np.asarray(plan.vectors, dtype=np.float32).reshape(len(plan.passages), dim)
        write_passages(conn, pv, plan.passages, vecs, plan.tokens)
        return int(pv)

    @staticmethod
    def _collect(conn, gen: int) -> None:
        """Drop generations beyond the newest few, then the plan versions and files none uses.

        A replica still reading an old generation keeps seeing it: its REPEATABLE READ
        snapshot predates this delete.
        """
        conn.execute(
            "DELETE FROM generations WHERE id NOT IN (SELECT id FROM generations ORDER BY id DESC LIMIT %s) "
            "AND id <> %s",
            (KEEP_GENERATIONS, gen),
        )
        conn.execute(
            "DELETE FROM plan_versions pv WHERE NOT EXISTS "
            "(SELECT 1 FROM generation_plans gp WHERE gp.plan_version = pv.id) "
            "AND pv.uploaded_at < now()"  # not the rows this very transaction inserted
        )
        conn.execute(
            "DELETE FROM plan_files f WHERE NOT EXISTS (SELECT 1 FROM plan_versions pv WHERE pv.sha256 = f.sha256)"
        )

    def remove(self, doc: str, *, embedder_id: str, dim: int, actor: str) -> int:
        def present(current: list[_CurrentPlan]) -> None:
            if doc not in {c.doc for c in current}:
                raise DocumentError(
                    f"Không có kế hoạch '{doc}' trong chỉ mục.",
                    f"Plan '{doc}' is not in the index.",
                    hint="xem danh sách kế hoạch đã nạp",
                )

        return self.publish(
            "remove", [], embedder_id=embedder_id, dim=dim, actor=actor, drop=[doc], check=present
        )

    def add_feedback(self, record: dict[str, Any]) -> None:
        with self._pools["write"].connection() as conn:
            conn.execute(
                "INSERT INTO feedback (record) VALUES (%s)", (json.dumps(record, ensure_ascii=False),)
            )

    def feedback(self) -> list[dict[str, Any]]:
        """Every feedback record, oldest first (the export reads them as it reads the JSONL file)."""
        with self._pools["read"].connection() as conn:
            return [r[0] for r in conn.execute("SELECT record FROM feedback ORDER BY id").fetchall()]

    # --- watching -------------------------------------------------------------------
    def watch(self, on_change: Callable[[int], None], stop: threading.Event) -> threading.Thread:
        """A daemon thread calling ``on_change(generation)`` whenever the served generation changes."""
        t = threading.Thread(
            target=self._watch_loop, args=(on_change, stop), daemon=True, name="tlkh-pg-watch"
        )
        t.start()
        return t

    def _watch_loop(self, on_change: Callable[[int], None], stop: threading.Event) -> None:
        import psycopg

        last = self.current_generation()
        while not stop.is_set():
            try:
                with psycopg.connect(self.url, autocommit=True, connect_timeout=10) as conn:
                    conn.execute(f"LISTEN {NOTIFY_CHANNEL}")
                    while not stop.is_set():
                        for _ in conn.notifies(timeout=POLL_SECONDS, stop_after=1):
                            pass
                        gen = self.current_generation()
                        if gen is not None and gen != last:
                            try:
                                on_change(gen)
                                last = gen
                            except Exception:  # keep serving the old generation; retry next tick
                                log.exception("reloading generation %s failed", gen)
            except Exception as e:  # the primary is away: keep polling the read side
                log.warning("store watcher: %s", e)
                stop.wait(POLL_SECONDS)
