"""The benchmark script runs end to end (fake embedder, tiny scales: its figures are not the point)."""

from __future__ import annotations

import re

from eval.bench import main


def test_bench_prints_build_latency_recall_and_memory(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("TLKH_ANN_THRESHOLD", "1")  # every scale also runs (and builds) HNSW
    assert main(["--embedder", "fake", "--scales", "1,2", "--queries", "8", "--work", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    for row in (
        "cold build (empty cache)",
        "warm build (cached)",
        "add it back",
        "question embedding",
        "×1 hybrid search, exact",
        "×2 hybrid search, exact",
        "×2 hybrid search, HNSW",
        "peak resident memory",
    ):
        assert row in out, row
    recall = re.search(r"\| ×2 +\| [\d,]+ +\| \d+ +\| ([\d.]+)", out)
    assert recall and 0.5 <= float(recall.group(1)) <= 1.0
    warm = next(line for line in out.splitlines() if "warm build" in line)
    assert warm.split("|")[3].strip() == "0"  # nothing embedded the second time
