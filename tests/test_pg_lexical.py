"""The lexical top k in PostgreSQL (schema 5: sparse-vector candidates, exact completion), real server.

Schema 6 answers from the terms' impact-ordered lists (``tests/test_pg_heads.py``); the path tested here
serves a generation without them (written before schema 6, until the next publish), so these tests turn
the lists off (``USE_HEADS``), except where both are checked.

The HNSW index is forced (``enable_seqscan = off`` on the test's database: at 235 passages the
planner would otherwise scan the table, which is exact by construction), and its top k must equal the
exact BM25 top k (every row holding a query term scored); so must it when the graph's candidates are
poor; a filter must hold; a store written under schema 3 is migrated to the same vectors, document
frequencies and term tsvectors a fresh write gives, without its postings table.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import psycopg
import pytest
from _pg import fresh_db, pg_server  # noqa: F401  (fixtures)

from assistant.indexing import backend
from assistant.indexing import pg_search as ps
from assistant.indexing.pg_write import K1, B
from assistant.settings import Settings

FAKE_ID = "fake-v1"
QUESTIONS = Path(__file__).resolve().parent.parent / "eval" / "questions.jsonl"


@pytest.fixture
def pg_settings(fresh_db, tmp_path, corpus_dir):  # noqa: F811  (the fixture)
    s = Settings(
        store=fresh_db,
        store_search="database",
        embedder="fake",
        corpus_dir=corpus_dir,
        data_dir=tmp_path / "data",
        index_dir=tmp_path / "index",
    )
    yield s
    backend.close_all()


def _questions(n: int) -> list[str]:
    lines = [json.loads(x) for x in QUESTIONS.read_text(encoding="utf-8").splitlines() if x.strip()]
    return [q["question"] for q in lines[:n]]


def _exact(db, terms, k: int, allowed=None) -> list[tuple[int, float]]:
    return db.exact_top(terms, k, allowed)


def _same(got, want) -> bool:
    """The same scores in the same order, and the same passages where scores are not tied."""
    if len(got) != len(want) or not np.allclose([s for _, s in got], [s for _, s in want], atol=1e-4):
        return False
    cut = want[-1][1] + 1e-4 if want else 0.0  # passages tied at the k-th score may differ
    return {i for i, s in got if s > cut} == {i for i, s in want if s > cut}


def test_sparse_index_top_k_equals_exact_bm25(pg_settings, monkeypatch):
    backend.build(pg_settings)
    with psycopg.connect(pg_settings.store, autocommit=True) as conn:
        conn.execute(
            "DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET enable_seqscan = off', current_database()); END $$"
        )
    backend.close_all()  # the build's pools predate the setting: new connections read it
    db = backend.load(pg_settings, FAKE_ID)
    assert isinstance(db, ps.PgIndexStore)
    with db._pool.connection() as conn:  # a new connection: the database's setting applies
        plan = conn.execute(
            "EXPLAIN SELECT pos FROM passages ORDER BY bm25 <#> '{1:1}/1000000000'::sparsevec(1000000000) LIMIT 5"
        ).fetchall()
    assert "passages_bm25_hnsw" in " ".join(r[0] for r in plan)
    # every search of a filter goes through the sparse index too (not the exact small-filter path)
    monkeypatch.setattr(ps, "EXACT_LIMIT", 0)
    doc = sorted(db.docs)[0]
    allowed = np.array([i for i, p in enumerate(db.passages) if p.doc == doc])
    for use_heads, question in [(u, q) for u in (False, True) for q in _questions(40)]:
        monkeypatch.setattr(ps, "USE_HEADS", use_heads)  # the sparse index, then the lists (whole here)
        terms = db.lexical_terms(question)
        for k in (10, 50):
            assert _same(db.lexical_search(terms, k), _exact(db, terms, k)), (question, k)
        hits = db.lexical_search(terms, 10, allowed=allowed)
        assert all(db.passages[i].doc == doc for i, _ in hits), question
        assert _same(hits, _exact(db, terms, 10, allowed)), question
        # the candidates' scores from the rows' term frequencies = BM25 over the postings
        pos = np.arange(0, len(db), 3)
        full = db.lexical_scores(question)
        assert np.allclose(db.lexical_at(terms, pos), full[pos], atol=1e-4), question


def _decoded(url: str) -> tuple[dict, dict, dict]:
    """Each row's three lexical columns and each generation's df, by (field, term) (ids may differ)."""
    from pgvector.psycopg import register_vector

    with psycopg.connect(url) as conn:
        register_vector(conn)
        names = {i: (f, t) for i, f, t in conn.execute("SELECT id, field, term FROM lex_terms")}
        rows = conn.execute("SELECT plan_version, pos, bm25, bm25_tf, bm25_dl FROM passages").fetchall()
        df = conn.execute("SELECT generation, term, df FROM generation_terms").fetchall()

    def terms(v) -> dict:
        return {names[i + 1]: round(x, 5) for i, x in zip(v.indices(), v.values())}

    w = {(v, p): terms(a) for v, p, a, _, _ in rows}
    tf = {(v, p): (terms(b), list(dl)) for v, p, _, b, dl in rows}
    return w, tf, {(g, names[t]): d for g, t, d in df}


def _postings(url: str, tf: dict) -> list[tuple]:
    """The schema-2 postings rows (field, term, plan_version, pos, tf, dl, impact) a store before
    schema 5 held, rebuilt from the rows' term frequencies (``_decoded``) and the plans' lengths."""
    with psycopg.connect(url) as conn:
        plans = {
            v: (n, a, b)
            for v, n, a, b in conn.execute("SELECT id, n_passages, lex_len, units_len FROM plan_versions")
        }
    out = []
    for (v, p), (counts, dl) in tf.items():
        n, *lens = plans[v]
        for (field, term), x in counts.items():
            avgdl = max(lens[field] / max(n, 1), 1e-9)
            out.append((field, term, v, p, x, dl[field], x / (x + K1 * (1 - B + B * dl[field] / avgdl))))
    return out


def _lexemes(url: str) -> dict:
    with psycopg.connect(url) as conn:
        return {
            (v, p): (a, b)
            for v, p, a, b in conn.execute("SELECT plan_version, pos, lex::text, units::text FROM passages")
        }


def test_a_schema_3_store_is_migrated_to_schema_5(pg_settings, tmp_path):
    """(then 6: its lists are written by the next publish, ``tests/test_pg_heads.py``)"""
    from assistant.indexing.pg_schema import _V2
    from assistant.indexing.pgstore import PgStore

    backend.build(pg_settings)
    backend.close_all()
    before, lexemes = _decoded(pg_settings.store), _lexemes(pg_settings.store)
    postings = _postings(pg_settings.store, before[1])
    # back to schema 3, as a store written by that release: its postings table, no step-4 objects,
    # and tsvectors another tokeniser wrote (step 5 rewrites them from the postings)
    with psycopg.connect(pg_settings.store, autocommit=True) as conn:
        conn.execute(_V2[_V2.index("CREATE TABLE passage_terms") : _V2.index("CREATE TABLE plan_terms")])
        with conn.cursor().copy(
            "COPY passage_terms (field, term, plan_version, pos, tf, dl, impact) FROM STDIN"
        ) as cp:
            for row in postings:
                cp.write_row(row)
        conn.execute("DROP TABLE generation_terms, lex_terms, term_heads, generation_heads")
        conn.execute("ALTER TABLE passages DROP COLUMN bm25, DROP COLUMN bm25_tf, DROP COLUMN bm25_dl")
        conn.execute("UPDATE passages SET lex = 'ancien'::tsvector, units = ''::tsvector")
        conn.execute("DELETE FROM tlkh_schema WHERE version >= 4")
    PgStore(pg_settings.store).close()  # migrates on connect: 4, 5, then 6
    after = _decoded(pg_settings.store)
    assert after[1] == before[1] and after[2] == before[2]
    assert after[0] == before[0]
    assert _lexemes(pg_settings.store) == lexemes  # each row's GIN terms are its BM25 terms again
    with psycopg.connect(pg_settings.store) as conn:
        assert conn.execute("SELECT to_regclass('passage_terms')").fetchone() == (None,)  # no postings
    db = backend.load(pg_settings, FAKE_ID)
    for q in _questions(5):
        assert _same(db.lexical_search(q, 10), _exact(db, db.lexical_terms(q), 10))


def test_the_top_k_is_exact_when_the_graph_gives_poor_candidates(pg_settings, monkeypatch):
    """The graph's candidates only seed the bound (near-duplicates make islands of the graph, session
    14): here the candidates are the weakest rows holding a query term, and the top k is still exact."""
    backend.build(pg_settings)
    db = backend.load(pg_settings, FAKE_ID)
    monkeypatch.setattr(ps, "USE_HEADS", False)
    weakest = ps._CANDIDATES_SQL.replace(
        "WHERE", "WHERE (bm25 <#> %(q)s::sparsevec(1000000000)) < 0 AND"
    ).replace("LIMIT", "DESC LIMIT")
    monkeypatch.setattr(ps, "_CANDIDATES_SQL", weakest)
    monkeypatch.setattr(ps, "EXACT_LIMIT", 0)
    monkeypatch.setattr(ps, "COMPLETE_ROWS", 1024)  # above the corpus's rows: every essential term
    doc = sorted(db.docs)[0]
    allowed = np.array([i for i, p in enumerate(db.passages) if p.doc == doc])
    for question in _questions(20):
        terms = db.lexical_terms(question)
        for k in (5, 50):
            assert _same(db.lexical_search(terms, k), _exact(db, terms, k)), (question, k)
        assert _same(db.lexical_search(terms, 10, allowed=allowed), _exact(db, terms, 10, allowed)), question


def test_generation_document_frequencies_follow_uploads_and_removals(pg_settings, corpus_dir):
    from assistant.core import Assistant

    backend.build(pg_settings)
    a = Assistant(pg_settings)
    name = sorted(p.name for p in corpus_dir.iterdir() if p.suffix == ".txt")[0]
    a.remove_plan(name)  # the new generation's df: the previous one's minus the removed plan's
    a.add_plan(name, (corpus_dir / name).read_bytes())  # plus the added plan's
    full = (
        "SELECT l.id, sum(pt.df) FROM generation_plans gp JOIN plan_terms pt ON pt.plan_version = gp.plan_version "
        "JOIN lex_terms l ON l.field = pt.field AND l.term = pt.term WHERE gp.generation = %s GROUP BY 1"
    )
    with psycopg.connect(pg_settings.store) as conn:
        gens = [g for (g,) in conn.execute("SELECT id FROM generations ORDER BY id")]
        assert len(gens) == 3
        for g in gens:
            stored = dict(conn.execute("SELECT term, df FROM generation_terms WHERE generation = %s", (g,)))
            assert stored == dict(conn.execute(full, (g,))), g


def test_a_dry_graph_is_completed_whatever_the_budget(pg_settings, monkeypatch):
    """The graph gives no row holding a query term (islands, or a filter): with no completion budget
    (the default) every row holding a query term is scored, so the top k is exact, not empty."""
    backend.build(pg_settings)
    db = backend.load(pg_settings, FAKE_ID)
    monkeypatch.setattr(ps, "USE_HEADS", False)
    dry = ps._CANDIDATES_SQL.replace("WHERE", "WHERE (bm25 <#> %(q)s::sparsevec(1000000000)) = 0 AND")
    monkeypatch.setattr(ps, "_CANDIDATES_SQL", dry)
    monkeypatch.setattr(ps, "COMPLETE_ROWS", 0)
    for question in _questions(10):
        terms = db.lexical_terms(question)
        want = _exact(db, terms, 10)
        assert want and _same(db.lexical_search(terms, 10), want), question
