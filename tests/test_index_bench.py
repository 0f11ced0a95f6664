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
