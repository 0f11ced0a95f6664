"""Impact-ordered truncated postings (schema 6, ``pg_heads``) against a real PostgreSQL server.

Lists cut short on purpose (HEAD_LEN 8, against the corpus's ~235 passages) so that most query terms'
lists are heads only: each list holds its term's best passages by the plan's own impact with the right
``rest``, through a build, a removal and an upload; the scores returned stay exact BM25; with the
rescoring cap and the completion budget open the top k is exact; the dense search is one statement.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import psycopg
import pytest
from _pg import fresh_db, pg_server  # noqa: F401  (fixtures)

from assistant.indexing import backend, pg_heads
from assistant.indexing import pg_search as ps
from assistant.indexing.pg_lexical import tf_arrays
from assistant.indexing.pg_write import K1, B
from assistant.settings import Settings

FAKE_ID = "fake-v1"
QUESTIONS = Path(__file__).resolve().parent.parent / "eval" / "questions.jsonl"
SHORT = 8  # entries a list keeps in these tests: most query terms' lists are cut


@pytest.fixture
def pg_settings(fresh_db, tmp_path, corpus_dir, monkeypatch):  # noqa: F811  (the fixture)
    monkeypatch.setattr(pg_heads, "HEAD_LEN", SHORT)
    monkeypatch.setattr(pg_heads, "HEAD_PART", 3)  # a list in several rows
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


def _postings(conn, gen: int) -> dict[int, list[tuple[int, float, int, float]]]:
    """Every (term → [(row key, tf, field length, the plan's own impact)]) of a generation, from its
    rows' ``bm25_tf`` (the reference the lists are checked against)."""
    units = {i for (i,) in conn.execute("SELECT id FROM lex_terms WHERE field = 1")}
    out: dict[int, list] = {}
    for v, p, raw, dl, n, a, u in conn.execute(
        "SELECT p.plan_version, p.pos, sparsevec_send(p.bm25_tf), p.bm25_dl, pv.n_passages, pv.lex_len, "
        "pv.units_len FROM generation_plans gp JOIN passages p ON p.plan_version = gp.plan_version "
        "JOIN plan_versions pv ON pv.id = gp.plan_version WHERE gp.generation = %s",
        (gen,),
    ):
        ids, tf, _ = tf_arrays(raw, dl)
        for i, x in zip(ids.tolist(), tf.tolist()):
            f = 1 if i in units else 0
            avgdl = (a, u)[f] / n
            impact = x / (x + K1 * (1 - B + B * dl[f] / avgdl))
            out.setdefault(i, []).append((pg_heads.row_key(v, p), x, dl[f], impact))
    return out


def _check_lists(url: str, gen: int, exact_heads: bool) -> None:
    """Each list: entries of the generation's rows with their tf and length, best impact first, at most
    SHORT; every row holding the term and left out has an impact ≤ ``rest`` (what makes the search's
    bound hold), a list with ``rest`` 0 holds every such row; ``exact_heads``: the list is exactly the
    SHORT best (a first build), else only a subset with that bound (after a removal)."""
    with psycopg.connect(url) as conn:
        assert conn.execute(
            "SELECT head_len FROM generation_heads WHERE generation = %s", (gen,)
        ).fetchone() == (SHORT,)
        want = _postings(conn, gen)
        parts: dict[int, list] = {}
        for t, r, e in conn.execute(
            "SELECT term, rest, entries FROM term_heads WHERE generation = %s ORDER BY term, part", (gen,)
        ):
            parts.setdefault(t, []).append((r, np.frombuffer(e, dtype=pg_heads.ENTRY)))
    assert all(len({r for r, _ in ps_}) == 1 for ps_ in parts.values())  # one rest for a list's parts
    lists = {t: (ps_[0][0], np.concatenate([e for _, e in ps_])) for t, ps_ in parts.items()}
    assert set(lists) == set(want), gen
    cut = 0
    for term, rows in want.items():
        rest, e = lists[term]
        by_key = {k: (x, d, imp) for k, x, d, imp in rows}
        # empty only when a removal took a cut list's whole head: passages outside it hold the term
        assert (0 < len(e) or rest > 0) and len(e) <= SHORT and len(set(e["key"].tolist())) == len(e)
        for k, x, d, imp in e.tolist():
            assert (
                k in by_key and by_key[k][:2] == (pytest.approx(x), d) and imp == pytest.approx(by_key[k][2])
            )
        assert np.all(np.diff(e["impact"]) <= 0)  # best first
        left = [by_key[k][2] for k in by_key.keys() - set(e["key"].tolist())]
        if rest == 0:
            assert not left, term
        else:
            cut += 1
            assert max(left, default=0.0) <= rest + 1e-6, term
        if exact_heads:
            best = sorted(rows, key=lambda r: (-r[3], r[0]))[:SHORT]
            assert [r[0] for r in best] == e["key"].tolist(), term
    assert cut > 100  # the lists really are cut


def test_lists_hold_each_terms_best_passages_through_uploads_and_removals(pg_settings, corpus_dir):
    from assistant.core import Assistant

    backend.build(pg_settings)
    a = Assistant(pg_settings)
    name = sorted(p.name for p in corpus_dir.iterdir() if p.suffix == ".txt")[0]
    a.remove_plan(name)  # the previous lists without that plan's entries (rest kept)
    a.add_plan(name, (corpus_dir / name).read_bytes())  # its entries merged in
    with psycopg.connect(pg_settings.store) as conn:
        gens = [g for (g,) in conn.execute("SELECT id FROM generations ORDER BY id")]
    assert len(gens) == 3
    _check_lists(pg_settings.store, gens[0], exact_heads=True)
    for g in gens[1:]:
        _check_lists(pg_settings.store, g, exact_heads=False)


def test_cut_lists_keep_scores_exact_and_complete_to_the_exact_top_k(pg_settings, monkeypatch):
    backend.build(pg_settings)
    db = backend.load(pg_settings, FAKE_ID)
    assert isinstance(db, ps.PgIndexStore)
    monkeypatch.setattr(ps, "EXACT_LIMIT", 0)  # a filter goes through the lists too
    doc = sorted(db.docs)[0]
    allowed = np.array([i for i, p in enumerate(db.passages) if p.doc == doc])
    pos = np.arange(0, len(db), 3)
    questions = _questions(30)
    for question in questions:  # the default: a capped rescoring, no completion budget
        full = db.lexical_scores(question)
        terms = db.lexical_terms(question)
        hits = db.lexical_search(terms, 50)
        assert terms.heads and any(r > 0 for _, r in terms.heads.values()), question  # read, and cut
        assert len(hits) == min(50, int((full > 0).sum())), question
        assert all(abs(full[i] - s) < 1e-4 for i, s in hits), question  # the scores returned are BM25
        assert np.allclose(db.lexical_at(terms, pos), full[pos], atol=1e-4), question
    # the rescoring cap and the completion budget open: the top k is the exact BM25 top k
    monkeypatch.setattr(pg_heads, "HEAD_CANDIDATES", 10**6)
    monkeypatch.setattr(ps, "COMPLETE_ROWS", 10**6)
    for question in questions:
        full = db.lexical_scores(question)
        for k in (5, 50):
            got = db.lexical_search(db.lexical_terms(question), k)
            want = np.sort(full[full > 0])[::-1][:k]
            assert np.allclose([s for _, s in got], want, atol=1e-4), (question, k)
        hits = db.lexical_search(db.lexical_terms(question), 10, allowed=allowed)
        want = np.sort(full[allowed][full[allowed] > 0])[::-1][:10]
        assert all(db.passages[i].doc == doc for i, _ in hits), question
        assert np.allclose([s for _, s in hits], want, atol=1e-4), question


def test_a_generation_without_lists_is_searched_as_before_until_the_next_publish(pg_settings, corpus_dir):
    """A store migrated to schema 6 has no lists for the generation it serves: the search falls back
    to the sparse-vector HNSW path (exact at this size), and the next publish writes the lists."""
    from assistant.core import Assistant

    backend.build(pg_settings)
    with psycopg.connect(pg_settings.store, autocommit=True) as conn:
        conn.execute("DELETE FROM generation_heads")
        conn.execute("DELETE FROM term_heads")
    db = backend.load(pg_settings, FAKE_ID)
    for question in _questions(5):
        terms = db.lexical_terms(question)
        hits = db.lexical_search(terms, 10)
        assert not terms.heads and hits == db.exact_top(db.lexical_terms(question), 10), question
    name = sorted(p.name for p in corpus_dir.iterdir() if p.suffix == ".txt")[0]
    Assistant(pg_settings).remove_plan(name)
    with psycopg.connect(pg_settings.store) as conn:
        gen = conn.execute("SELECT generation FROM current_generation").fetchone()[0]
    _check_lists(pg_settings.store, gen, exact_heads=True)  # built whole from the rows


def test_dense_search_is_one_statement_with_the_sessions_settings(pg_settings):
    backend.build(pg_settings)
    db = backend.load(pg_settings, FAKE_ID)
    with db._pool.connection() as conn:
        got = conn.execute("SELECT current_setting('hnsw.ef_search'), current_setting('hnsw.iterative_scan')")
        assert got.fetchone() == (str(ps.PG_EF_SEARCH), "relaxed_order")
    q = np.asarray(db.vectors([3])[0])
    want = np.argsort(-(db.vectors() @ q), kind="stable")
    for k in (10, ps.PG_EF_SEARCH + 20):  # above the session's list: a transaction with SET LOCAL
        hits = db.dense_search(q, k)
        assert len(hits) == k and [i for i, _ in hits][:5] == want[:5].tolist(), k


def test_lists_read_in_pools_equal_lists_cut_after_every_chunk(pg_settings, monkeypatch):
    """``_plan_entries`` pools chunks of rows before cutting the lists: with tiny chunks and pools
    (many cuts) or one pool (one cut), the same entries, in the same order, with the same ``rest``."""
    backend.build(pg_settings)
    with psycopg.connect(pg_settings.store) as conn:
        versions = [v for (v,) in conn.execute("SELECT id FROM plan_versions ORDER BY id")]
        out = []
        for chunk, pool in ((7, 1), (7, 300), (4096, 10**9)):
            monkeypatch.setattr(pg_heads, "_CHUNK", chunk)
            monkeypatch.setattr(pg_heads, "_POOL", pool)
            rest: dict[int, float] = {}
            terms, entries = pg_heads._plan_entries(conn, versions, SHORT, rest)
            out.append((terms.tolist(), entries.tobytes(), rest))
            conn.rollback()  # the named cursor's transaction
    assert out[0][0] and sum(1 for x in out[0][2].values() if x > 0) > 100  # lists really cut
    assert out[0] == out[1] == out[2]


def test_row_index_and_head_sums_against_entry_by_entry():
    """No server: ``RowIndex.find`` (-1 for a row not served, a version or a position out of range)
    and ``head_sums`` equal a loop over the entries, with lists holding rows not served."""
    keys = np.array([[3, 0], [3, 1], [3, 2], [5, 0], [5, 1], [7, 4]], dtype=np.int64)
    rows = pg_heads.RowIndex(keys)
    probe = np.array(
        [pg_heads.row_key(v, p) for v, p in [(3, 2), (5, 1), (7, 4), (7, 0), (2, 0), (9, 1), (5, 7), (3, 0)]]
    )
    assert rows.find(probe).tolist() == [2, 4, 5, -1, -1, -1, -1, 0]

    def entries(items):
        e = np.zeros(len(items), pg_heads.ENTRY)
        e["key"] = [pg_heads.row_key(v, p) for v, p, _, _ in items]
        e["tf"], e["dl"] = [i[2] for i in items], [i[3] for i in items]
        return e.tobytes()

    lists = [
        [(3, 1, 2.0, 10.0), (5, 0, 1.0, 4.0), (9, 9, 3.0, 5.0)],  # (9, 9): a row not served
        [(3, 1, 1.0, 10.0), (7, 4, 4.0, 30.0)],
    ]
    params = [(1.5, 0.3, 0.1, 0.4, 0.8), (0.7, 0.3, 0.05, 0.0, 1.0)]  # w, a, bc, rest, r
    heads = [(entries(items), *p) for items, p in zip(lists, params)]
    scores, lacking, bounds = pg_heads.head_sums(heads, rows)
    want = np.zeros(len(keys))
    holding = np.zeros(len(keys))
    bound = [w * x / (x + r * (1 - x)) if x > 0 else 0.0 for w, _, _, x, r in params]
    at = {(int(v), int(p)): i for i, (v, p) in enumerate(keys)}
    for items, (w, a, bc, _, _), b in zip(lists, params, bound):
        for v, p, tf, dl in items:
            if (v, p) in at:
                want[at[(v, p)]] += w * tf / (tf + a + bc * dl)
                holding[at[(v, p)]] += b
    assert np.allclose(scores, want, rtol=1e-12) and np.allclose(bounds, bound)
    assert np.allclose(lacking, np.maximum(sum(bound) - holding, 0.0))
    # every entry served: the same sums without the unserved one
    scores2, _, _ = pg_heads.head_sums([(entries(lists[0][:2]), *params[0]), heads[1]], rows)
    assert np.allclose(scores2, want, rtol=1e-12)
