"""Where the index lives: the ``store`` setting picks the folder index or PostgreSQL.

``store`` empty (the default): the index folder (``index_dir``), exactly as before; nothing
here imports psycopg. ``store`` a ``postgresql://`` URL: every operation below goes to
the PostgreSQL store (``pgstore``), and the app keeps no local index. ``store_read``
optionally names a read replica (a streaming standby) for the reads.

The ``Assistant`` asks only this module: ``load``, ``build``, ``add_upload``, ``remove``,
``watch``; it never needs to know which store answered.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..errors import ConfigError, DocumentError, IndexBusy, IndexMissing
from ..records import ParsedDoc
from .build_inputs import BuildReport, Progress, corpus_files, dedupe, error_text, parse_cached, vectors_for
from .embedders import Embedder, get_embedder
from .store import IndexStore, file_sha256

__all__ = [
    "uses_pg",
    "pg_store",
    "load",
    "load_or_build",
    "build",
    "add_upload",
    "remove",
    "watch",
    "close_all",
]

log = logging.getLogger(__name__)

_STORES: dict[tuple[str, str], Any] = {}
_STORES_LOCK = threading.Lock()
_PUBLISHED: dict[str, int] = {}  # url → the newest generation this process wrote
_WATCHERS: list[threading.Event] = []


def uses_pg(settings) -> bool:
    return bool(getattr(settings, "store", ""))


def pg_store(settings):
    """The process-wide ``PgStore`` for these settings (one pool per URL pair)."""
    from .pgstore import PgStore

    key = (settings.store, getattr(settings, "store_read", "") or settings.store)
    with _STORES_LOCK:
        st = _STORES.get(key)
        if st is None:
            try:
                st = _STORES[key] = PgStore(key[0], key[1])
            except ImportError as e:
                raise ConfigError(
                    "Thiếu thư viện PostgreSQL (psycopg, psycopg-pool, pgvector).",
                    f"The PostgreSQL store needs the 'pg' extra: {e}",
                    hint="pip install '.[pg]'",
                ) from e
        return st


def close_all() -> None:
    """Stop the watchers and close the pools (tests; a server process keeps them for its life)."""
    for stop in _WATCHERS:
        stop.set()
    _WATCHERS.clear()
    with _STORES_LOCK:
        for st in _STORES.values():
            st.close()
        _STORES.clear()


def load(settings, embedder_id: str | None) -> IndexStore:
    """The index being served: from the folder, or the current PostgreSQL generation."""
    if not uses_pg(settings):
        return IndexStore.load(Path(settings.index_dir), embedder_id)
    from .pg_support import wait_for_generation

    st = pg_store(settings)
    mine = _PUBLISHED.get(settings.store)
    if mine is not None:  # a read replica may lag our own write: wait for it
        wait_for_generation(st, mine)
    return st.load(embedder_id, settings.ann_threshold, getattr(settings, "store_search", "memory"))


def load_or_build(settings, embedder: Embedder, *, may_build: bool) -> tuple[IndexStore, bool]:
    """``load``; where building is allowed, a missing index is built and one of another parser
    (``IndexStore.parser_stale``: it holds that parser's passages) rebuilt. Cached parses and
    vectors make the rebuild quick. ``build`` serializes on its own file lock. Returns the store
    and whether it was built here."""
    try:
        store = load(settings, embedder.id)
    except IndexMissing:
        if not may_build:
            raise
        log.info("no index at %s: building from %s", settings.index_dir, settings.corpus_dir)
        build(settings, embedder=embedder)
        return load(settings, embedder.id), True
    if not getattr(store, "parser_stale", False):
        return store, False
    # a shared PostgreSQL store holds every replica's uploads, not this replica's corpus folder:
    # rebuilding it from here would drop them, so it is only reported (``/healthz``)
    if not may_build or uses_pg(settings):
        where = "the PostgreSQL store" if uses_pg(settings) else settings.index_dir
        log.warning("index at %s was built by another parser; run `python -m assistant index`", where)
        return store, False
    log.warning("index at %s was built by another parser: rebuilding", settings.index_dir)
    build(settings, embedder=embedder)
    return load(settings, embedder.id), True


def _actor(settings, actor: str | None = None) -> str:
    """Who publishes: the authenticated administrator the API/UI hands down, else the configured
    one (a CLI build runs as ``admin_user``)."""
    return actor or getattr(settings, "admin_user", "") or "admin"


def build(settings, *, progress: Progress | None = None, embedder: Embedder | None = None) -> BuildReport:
    """A full build of ``corpus_dir``: into the folder, or as one new PostgreSQL generation."""
    from .build import build_index

    embedder = embedder or get_embedder(settings.embedder)
    if not uses_pg(settings):
        return build_index(settings, progress=progress, embedder=embedder)
    from .pg_support import PgEmbeddingCache
    from .pgstore import NewPlan

    t0 = time.perf_counter()
    st = pg_store(settings)
    report = BuildReport("build", index_dir=_redacted(settings.store))
    parsed: list[tuple[Path, ParsedDoc]] = []
    for f in corpus_files(Path(settings.corpus_dir)):
        try:
            parsed.append((f, parse_cached(settings, f, file_sha256(f))))
        except Exception as e:  # one bad plan must not stop the others
            log.warning("not indexed: %s: %s", f.name, e)
            report.errors.append((f.name, error_text(e)))
    if not parsed:
        raise ConfigError(
            f"Không có kế hoạch nào lập chỉ mục được trong {settings.corpus_dir}.",
            f"No plan in {settings.corpus_dir} could be indexed.",
            hint="chép các kế hoạch (.txt .md .pdf .docx) vào thư mục rồi chạy lại",
        )
    cache = PgEmbeddingCache(st, embedder.id)
    everything = dedupe([p for _, d in parsed for p in d.passages])
    vectors = vectors_for(everything, embedder, cache, report, progress)  # type: ignore[arg-type]
    row_of = {p.id: i for i, p in enumerate(everything)}
    plans = []
    for f, d in parsed:
        ps = [p for p in d.passages if row_of.get(p.id) is not None]
        plans.append(NewPlan(f.name, f.read_bytes(), d.meta, ps, vectors[[row_of[p.id] for p in ps]]))
    st.ensure_hnsw(embedder.dim)
    gen = st.publish(
        "build", plans, embedder_id=embedder.id, dim=embedder.dim, actor=_actor(settings), replace_all=True
    )
    _PUBLISHED[settings.store] = gen
    report.docs, report.passages = len(plans), len(everything)
    report.faiss_type = f"pgvector hnsw (generation {gen})"
    report.seconds = time.perf_counter() - t0
    if progress:
        progress(len(everything), len(everything), "xong")
    return report


def _redacted(url: str) -> str:
    return url.split("@")[-1]


def add_upload(
    settings,
    name: str,
    data: bytes,
    parse: Callable[[str, bytes], ParsedDoc],
    *,
    embedder: Embedder,
    progress: Progress | None = None,
    actor: str | None = None,
) -> str:
    """Publish one uploaded plan (PostgreSQL store); returns the name it is served under.

    The checks the folder path makes against the loaded index are made again under the
    writers' lock, against the generation being served: the same bytes, or the same
    passages re-saved, are refused; a name already taken gets a ``-2`` suffix (as a file
    of that name in the corpus folder does), and the plan is parsed under that name.
    """
    from .pg_support import PgEmbeddingCache
    from .pgstore import NewPlan, content_key

    st = pg_store(settings)
    final = _unique(name, st.served_docs())
    parsed = parse(final, data)
    report = BuildReport("add")
    passages = dedupe(list(parsed.passages))
    vectors = vectors_for(passages, embedder, PgEmbeddingCache(st, embedder.id), report, progress)  # type: ignore[arg-type]
    plan = NewPlan(final, data, parsed.meta, passages, vectors)
    key = content_key(passages)

    def check(current) -> None:
        same = sorted(c.doc for c in current if c.sha256 == plan.sha256 or c.content_key == key)
        if same:
            raise DocumentError(
                f"Kế hoạch này đã được nạp ({same[0]}).", f"This plan is already loaded ({same[0]})."
            )
        if final in {c.doc for c in current}:  # another replica took the name meanwhile
            raise IndexBusy(
                f"Một kế hoạch tên {final} vừa được nạp từ nơi khác; hãy tải lên lại.",
                f"A plan named {final} was just published elsewhere; upload again.",
            )

    st.ensure_hnsw(embedder.dim)
    gen = st.publish(
        "add", [plan], embedder_id=embedder.id, dim=embedder.dim, actor=_actor(settings, actor), check=check
    )
    _PUBLISHED[settings.store] = gen
    return final


def _unique(name: str, taken: set[str]) -> str:
    stem, _, suffix = name.rpartition(".")
    candidate, i = name, 2
    while candidate in taken:
        candidate = f"{stem}-{i}.{suffix}"
        i += 1
    return candidate


def remove(settings, doc: str, *, embedder_id: str, dim: int, actor: str | None = None) -> None:
    """Remove one plan: from the folder index, or as a new PostgreSQL generation without it."""
    if not uses_pg(settings):
        from .build import remove_document

        remove_document(settings, doc)
        return
    st = pg_store(settings)
    _PUBLISHED[settings.store] = st.remove(
        doc, embedder_id=embedder_id, dim=dim, actor=_actor(settings, actor)
    )


def watch(settings, on_change: Callable[[int], None]) -> threading.Event | None:
    """With PostgreSQL, call ``on_change(generation)`` when another replica publishes; returns the stop flag."""
    if not uses_pg(settings):
        return None
    stop = threading.Event()
    pg_store(settings).watch(on_change, stop)
    _WATCHERS.append(stop)
    return stop
