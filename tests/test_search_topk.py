"""Search that reads only the query's postings (issue 15): the same top results as scoring every
passage, filters honoured, the inverted index persisted with a checked version, one embedding per ask."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from assistant.errors import IndexMismatch
from assistant.indexing.lexical import LexicalIndex, lexical_tokens, top_positive
from assistant.indexing.postings import Postings, query_terms, score_positions, top_k
from assistant.indexing.store import UNIT_FIELD_WEIGHT

QUESTIONS = Path(__file__).resolve().parent.parent / "eval" / "questions.jsonl"


def _questions() -> list[str]:
    return [
        json.loads(x)["question"] for x in QUESTIONS.read_text(encoding="utf-8").splitlines() if x.strip()
    ]


def _same_top(fast: list[tuple[int, float]], full: np.ndarray, k: int) -> None:
    """``fast`` is the top k of ``full``: the same scores in the same order, every position's
    score its full score (positions may differ only among exactly tied scores)."""
    want = top_positive(full, k)
    assert len(fast) == len(want)
    assert np.allclose([s for _, s in fast], [s for _, s in want], rtol=1e-5, atol=1e-5)
    for i, s in fast:
        assert abs(full[i] - s) <= 1e-4 * max(1.0, abs(s))


@pytest.fixture(scope="module")
def corpus_store(tmp_path_factory):
    """The bundled corpus indexed with the fake embedder (the lexical side is the real one)."""
    from assistant.indexing.build import build_index
    from assistant.indexing.embedders import FakeEmbedder
    from assistant.indexing.store import IndexStore
    from assistant.settings import Settings

    base = tmp_path_factory.mktemp("topk")
    corpus = Path(__file__).resolve().parent.parent / "corpus"
    s = Settings(corpus_dir=corpus, index_dir=base / "index", data_dir=base / "data", embedder="fake")
    build_index(s, embedder=FakeEmbedder())
    return IndexStore.load(s.index_dir, "fake-v1")


# the three ways ``top_k`` may run: one pass over every posting (a small index), the max-score
# cut with binary-searched lookups, and the cut with dense columns for the common terms
# (and the cut scoring its probes, lead and candidates from the passages' rows: ``rows``)
PATHS = {
    "scan": {},
    "cut": {"SCAN_POSTINGS": 0, "DENSE_MIN_DOCS": 10**12},
    "cut+columns": {"SCAN_POSTINGS": 0, "DENSE_MIN_DOCS": 0, "DENSE_SHARE": 0.05},
    "cut+rows": {"SCAN_POSTINGS": 0, "rows.ROWS_MIN_DOCS": 0, "rows.ROWS_MIN_TERMS": 1},
    "cut+columns+rows": {
        "SCAN_POSTINGS": 0,
        "DENSE_MIN_DOCS": 0,
        "DENSE_SHARE": 0.05,
        "rows.ROWS_MIN_DOCS": 0,
        "rows.ROWS_MIN_TERMS": 1,
    },
}


@pytest.fixture(params=list(PATHS))
def search_path(request, monkeypatch):
    from assistant.indexing import postings, rows

    for name, value in PATHS[request.param].items():
        module, _, attr = name.rpartition(".")
        monkeypatch.setattr(rows if module == "rows" else postings, attr, value)
    return request.param


def _fresh_columns(*posts) -> None:
    for p in posts:
        if p is not None:
            for derived in ("columns", "rows"):  # derived at first use under the current settings
                p.__dict__.pop(derived, None)  # (the rows leave the columns' terms out)


def test_topk_equals_full_scoring_on_every_eval_question(corpus_store, search_path):
    st = corpus_store
    _fresh_columns(st.lexical.postings, st.lexical_units.postings)
    qs = _questions()
    assert len(qs) > 100
    for q in qs:
        for units in (True, False):
            full = st.lexical_scores(q, use_units=units)
            fields = [(st.lexical.postings, 1.0)] + [(st.lexical_units.postings, UNIT_FIELD_WEIGHT)] * units
            # the twin pairs change the lists read, not the scores (float32 rounding of a sum apart)
            unpaired = _unpaired_scores(fields, lexical_tokens(q, query=True), len(st))
            assert np.allclose(full, unpaired, rtol=1e-6, atol=1e-5)
            for k in (8, 50):
                _same_top(st.lexical_search(q, k, use_units=units), full, k)
            # the candidates' scores looked up in the postings equal the full scores
            pos = np.arange(0, len(st), 7)
            terms = st.lexical_terms(q, use_units=units)
            assert np.allclose(st.lexical_at(terms, pos), full[pos], atol=1e-4)


def test_twins_pair_as_the_tokeniser_promises(corpus_store):
    """On the real corpus every accented term's passages are its folded twin's: each pair reuses
    the folded list (no passages of its own) and a question with diacritics reads about half the lists."""
    for post in (corpus_store.lexical.postings, corpus_store.lexical_units.postings):
        assert len(post.twins.accented) > 0 and post.twins.docs.size == 0
    toks = lexical_tokens("Sở Thông tin và Truyền thông chủ trì xây dựng kế hoạch", query=True)
    post = corpus_store.lexical.postings
    assert len(query_terms([(post, 1.0)], toks)) * 1.6 < len(
        query_terms([(post, 1.0)], toks, pair_twins=False)
    )


def test_filters_are_honoured_by_both_filtered_paths(corpus_store, search_path):
    st = corpus_store
    _fresh_columns(st.lexical.postings, st.lexical_units.postings)
    docs = sorted(st.docs)
    rng = np.random.default_rng(1)
    for q in _questions()[:60]:
        full = st.lexical_scores(q)
        mask = np.array([p.doc == docs[int(rng.integers(len(docs)))] for p in st.passages])
        if not mask.any():
            continue
        allowed = np.flatnonzero(mask)
        masked = np.where(mask, full, 0.0)
        by_mask = st.lexical_search(q, 20, mask=mask)  # the mask applied to the postings read
        by_subset = st.lexical_search(q, 20, allowed=allowed)  # the subset scored directly
        _same_top(by_mask, masked, 20)
        assert [i for i, _ in by_mask] == [i for i, _ in by_subset]
        assert all(mask[i] for i, _ in by_mask)


def _unpaired_scores(fields, toks: list[str], n: int) -> np.ndarray:
    """Every passage's score from each term's own postings (no twin pairing): the reference."""
    full = np.zeros(n, dtype=np.float64)
    for t in query_terms(fields, toks, pair_twins=False):
        full[t.docs] += t.weights.astype(np.float64) * t.scale
    return full


def test_maxscore_cut_is_exact_on_random_postings(search_path):
    """Many documents, Zipf-like term frequencies, repeated query terms, two weighted fields, and
    accented/folded twins ("t5" and "~t5") that mostly travel together but not always, so the
    pairs are both the subset the tokeniser gives and the union of lists that drifted apart."""
    rng = np.random.default_rng(7)
    n, vocab = 3000, 400
    fields = []
    for f in range(2):
        docs = []
        for _ in range(n):
            ln = int(rng.integers(1, 40))
            words = [f"t{int(x)}" for x in rng.zipf(1.3, ln) % vocab]
            # field 0 keeps every twin (the subset), field 1 loses some and has lone folded ones
            keep = np.ones(len(words), bool) if f == 0 else rng.random(len(words)) < 0.8
            docs.append(words + ["~" + w for w, k in zip(words, keep) if k])
            docs[-1] += [f"~t{int(x)}" for x in rng.zipf(1.3, 3) % vocab]
        fields.append(LexicalIndex.build(docs))
    pairs = [len(fld.postings.twins.accented) for fld in fields]
    assert min(pairs) > 50 and fields[1].postings.twins.docs.size > 0, pairs  # both pair kinds built
    paired = 0
    for trial in range(200):
        toks = [f"t{int(x)}" for x in rng.zipf(1.2, int(rng.integers(1, 25))) % vocab]
        toks += ["~" + t for t in toks if rng.random() < 0.9] + ["~t1"] * int(rng.integers(0, 3))
        posts = [(fields[0].postings, 1.0), (fields[1].postings, 0.3)]
        terms = query_terms(posts, toks)
        full = _unpaired_scores(posts, toks, n)
        paired += len(terms) < len(query_terms(posts, toks, pair_twins=False))
        k = int(rng.integers(1, 60))
        _same_top(top_k(terms, k), full, k)
        mask = rng.random(n) < (0.5 if trial % 2 else 0.02)
        _same_top(top_k(terms, k, mask=mask), np.where(mask, full, 0.0), k)
        pos = rng.permutation(n)[:100]
        assert np.allclose(score_positions(terms, pos), full[pos], atol=1e-4)
    assert paired > 150  # the twins were read as pairs


def test_the_lead_holds_the_m_best_candidates():
    """``_leaders`` (the candidates scored in full first) picks by a sampled threshold over a large
    candidate set: it holds the m best (any of those tied at the m-th), and at most 2m without ties."""
    from assistant.indexing.postings import _leaders

    rng = np.random.default_rng(3)
    for size, m, levels in [
        (100, 8, 0),
        (10_000, 50, 0),
        (300_000, 200, 0),
        (300_000, 200, 7),
        (50_000, 400, 40),
    ]:
        score = rng.random(size) * 30
        if levels:  # near-duplicates: many exactly equal partial scores
            score = np.round(score / 30 * levels)
        idx = _leaders(score, m)
        assert idx.size >= m and np.all(np.diff(idx) > 0)
        kth = np.sort(score)[-m]
        assert np.isin(np.flatnonzero(score > kth), idx).all() and (score[idx] >= kth).sum() >= m
        if not levels:
            assert idx.size <= 2 * m


def test_lookup_reads_each_candidates_weight():
    """A term's weight at sorted candidate positions, through a dense column, the postings
    searched in the candidates (fewer postings) and the candidates searched in the postings."""
    from assistant.indexing.postings import TermPostings, _lookup

    rng = np.random.default_rng(5)
    n = 5000
    for df, n_cand, scale in [(40, 2000, 1.0), (3000, 100, 0.3), (3000, 3000, 2.0), (2500, 0, 1.0)]:
        docs = np.sort(rng.choice(n, df, replace=False)).astype(np.int32)
        w = rng.random(df).astype(np.float32) + 0.1
        dense = np.zeros(n, dtype=np.float32)
        dense[docs] = w
        cand = np.sort(rng.choice(n, n_cand, replace=False)).astype(np.int64)
        want = dense[cand].astype(np.float64) * scale
        for col in (None, dense):
            got = _lookup(TermPostings(docs, w, scale, scale * float(w.max()), col), cand)
            assert got.dtype == np.float64 and np.array_equal(got, want)


def test_inverted_index_round_trip_and_version(tmp_path):
    texts = ["Sở Tài chính bố trí kinh phí", "UBND huyện chỉ đạo", "UBND huyện bố trí kinh phí"]
    ix = LexicalIndex.build(lexical_tokens(t) for t in texts)
    files = ix.save(tmp_path / "lex")
    assert {"postings.json", "vocab.json", "docs.npy", "weights.npy", "indptr.npy"} == set(files)
    back = LexicalIndex.load(tmp_path / "lex")
    q = lexical_tokens("kinh phí UBND", query=True)
    assert back.search(q, 2) == ix.search(q, 2) and back.search(q, 2)
    man = tmp_path / "lex" / "postings.json"
    m = json.loads(man.read_text())
    man.write_text(json.dumps({**m, "version": m["version"] + 1}))
    with pytest.raises(IndexMismatch):
        Postings.load(tmp_path / "lex")
    man.write_text(json.dumps(m))
    # a postings list out of order is damage, not a silently wrong score
    d = np.load(tmp_path / "lex" / "docs.npy")
    ptr = np.load(tmp_path / "lex" / "indptr.npy")
    a = int(ptr[:-1][np.diff(ptr) >= 2][0])  # the first term two passages hold
    d[a], d[a + 1] = d[a + 1], d[a]
    np.save(tmp_path / "lex" / "docs.npy", d, allow_pickle=False)
    with pytest.raises(ValueError):
        Postings.load(tmp_path / "lex")


def test_bm25s_files_of_format_1_are_refused(tmp_path):
    """An index folder from before the postings (bm25s's own files) asks for a rebuild."""
    (tmp_path / "lex").mkdir()
    (tmp_path / "lex" / "params.index.json").write_text(json.dumps({"num_docs": 2}))
    with pytest.raises(IndexMismatch):
        LexicalIndex.load(tmp_path / "lex")


class _CountingEmbedder:
    def __init__(self, inner):
        self.inner, self.id, self.dim, self.calls = inner, inner.id, inner.dim, []

    def encode_query(self, text):
        self.calls.append(text)
        return self.inner.encode_query(text)

    def __getattr__(self, name):
        return getattr(self.inner, name)


def test_a_comparison_question_is_embedded_once(tmp_path, monkeypatch):
    from assistant.core import Assistant
    from assistant.indexing.embedders import FakeEmbedder
    from assistant.retrieve import HybridRetriever
    from assistant.settings import Settings

    corpus = Path(__file__).resolve().parent.parent / "corpus"
    s = Settings(corpus_dir=corpus, index_dir=tmp_path / "index", data_dir=tmp_path / "data", embedder="fake")
    emb = _CountingEmbedder(FakeEmbedder())
    a = Assistant(s, build_if_missing=True, embedder=emb)
    emb.calls.clear()
    searches = []
    search = HybridRetriever.search

    def counting(self, query, filters=None, k=None):
        searches.append(filters)
        return search(self, query, filters, k)

    monkeypatch.setattr(HybridRetriever, "search", counting)
    q = "Đồng Nai và Đồng Tháp, tỉnh nào yêu cầu báo cáo kết quả thực hiện kế hoạch sớm hơn trong năm?"
    ans = a.ask(q)
    assert ans.intent == "compare"
    assert len(searches) >= 3  # once overall, once per compared plan
    assert len(emb.calls) == 1, emb.calls
    a.ask(q)  # asked again: the vector is reused
    assert len(emb.calls) == 1


def _near_copies(rng, n_base: int, copies: int, vocab: int) -> list[list[str]]:
    """``copies`` perturbed copies of ``n_base`` Zipf-worded passages (each copy loses ~15 % of its
    words), as a large collection of plans repeating one another's text: many passages tie closely."""
    base = [[f"t{int(x)}" for x in rng.zipf(1.3, int(rng.integers(20, 60))) % vocab] for _ in range(n_base)]
    return [[w for w in b if rng.random() > 0.15] or b for _ in range(copies) for b in base]


def test_step4_limit_exact_up_to_it_and_close_beyond(monkeypatch):
    """Step 4 scores at most ``STEP4_CANDIDATES`` candidates: a collection no larger than that is
    exact by construction (every question, k 1–60); a larger one of near-copies, where the limit
    bites, keeps the exact top 10 and top 50 at ≥ 0.95 overlap."""
    from assistant.indexing import postings

    monkeypatch.setattr(postings, "SCAN_POSTINGS", 0)  # the max-score cut, not one pass over all
    rng = np.random.default_rng(11)
    small = LexicalIndex.build(_near_copies(rng, 40, 10, 300))  # 400 passages
    monkeypatch.setattr(postings, "STEP4_CANDIDATES", 400)
    for _ in range(100):
        toks = [f"t{int(x)}" for x in rng.zipf(1.2, int(rng.integers(5, 40))) % 300]
        full = small.scores(toks).astype(np.float64)
        k = int(rng.integers(1, 60))
        _same_top(small.search(toks, k), full, k)

    big = LexicalIndex.build(_near_copies(rng, 40, 150, 300))  # 6,000 passages
    monkeypatch.setattr(postings, "STEP4_CANDIDATES", 600)
    o10, o50 = [], []
    for _ in range(60):
        toks = [f"t{int(x)}" for x in rng.zipf(1.2, int(rng.integers(20, 50))) % 300]
        exact = [i for i, _ in top_positive(big.scores(toks), 50)]
        got = big.search(toks, 50)
        full = big.scores(toks)
        assert all(abs(full[i] - s) <= 1e-4 * max(1.0, s) for i, s in got)  # scores stay exact
        ids = [i for i, _ in got]
        o10.append(len(set(ids[:10]) & set(exact[:10])) / 10)
        o50.append(len(set(ids) & set(exact)) / 50)
    assert np.mean(o50) < 1  # the limit is reached: some top 50 is not the exact one
    assert np.mean(o10) >= 0.95 and np.mean(o50) >= 0.95, (np.mean(o10), np.mean(o50))


def test_rows_score_the_passages_as_the_terms_do(monkeypatch):
    """``rows.add_terms`` from the passages' rows gives each passage the sum of its terms' weights
    read term by term (twin pairs as their two terms: float32 rounding of the pair's sum apart),
    in two fields, for positions in any order and repeated; the rows are the postings transposed."""
    from assistant.indexing import postings, rows

    rng = np.random.default_rng(5)
    n, vocab = 2000, 300
    # the common terms get dense columns, so the rows leave them out and they are read from those
    monkeypatch.setattr(postings, "DENSE_MIN_DOCS", 0)
    monkeypatch.setattr(postings, "DENSE_SHARE", 0.1)
    fields = []
    for f in range(2):
        docs = []
        for _ in range(n):
            words = [f"t{int(x)}" for x in rng.zipf(1.3, int(rng.integers(1, 40))) % vocab]
            docs.append(words + ["~" + w for w in words if f == 0 or rng.random() < 0.8])
        fields.append(LexicalIndex.build(docs).postings)
    post = fields[0]
    dense = post.rows.toarray()
    assert 10 < len(post.columns) < len(post.vocab) // 2
    for i in post.vocab.values():
        a, b = post.indptr[i], post.indptr[i + 1]
        if i in post.columns:
            assert not dense[:, i].any()
        else:
            assert np.array_equal(np.flatnonzero(dense[:, i]), post.docs[a:b])
            assert np.array_equal(dense[post.docs[a:b], i], post.weights[a:b])
    monkeypatch.setattr(rows, "ROWS_MIN_DOCS", 0)
    used = []
    monkeypatch.setattr(rows, "add_at", lambda *a: used.append(1) or _per_term_add_at(*a))
    for _ in range(100):
        toks = [f"t{int(x)}" for x in rng.zipf(1.2, int(rng.integers(1, 30))) % vocab]
        toks += ["~" + t for t in toks if rng.random() < 0.9]
        terms = query_terms([(fields[0], 1.0), (fields[1], 0.3)], toks)
        pos = rng.integers(0, n, 300)
        want = np.zeros(pos.size)
        for t in terms:
            _per_term_add_at(want, pos, t)
        used.clear()
        got = np.zeros(pos.size)
        rows.add_terms(got, pos, terms)
        assert np.allclose(got, want, rtol=1e-6, atol=1e-9)
        # many terms: the rows, and term by term only the common ones (their columns)
        common = sum(t.column is not None or any(i in t.field.columns for i in t.ids) for t in terms)
        assert len(used) == (len(terms) if len(terms) < rows.ROWS_MIN_TERMS else common)


def _per_term_add_at(acc, positions, t):
    """The reference: term ``t``'s weight of each passage looked up in its own postings."""
    if t.column is not None:
        acc += t.column[positions].astype(np.float64) * t.scale
        return
    j = np.searchsorted(t.docs, positions)
    hit = t.docs.take(j, mode="clip") == positions
    acc[hit] += t.weights[j[hit]].astype(np.float64) * t.scale
