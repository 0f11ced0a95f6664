"""The lexical top k alone at a synthetic scale, variants interleaved: ``python -m eval.bench_lexical``.

Faster than ``eval.bench`` (no vectors, no HNSW: about a minute at ×1000) for the one stage that
grows with the collection. The corpus is indexed with the fake embedder (the lexical side is the
real one), its postings tiled as ``eval.synthetic`` does, and the bench's questions parsed as the
retriever does (place names out). Every variant runs on each question in turn (the order rotates),
CPU time per ``top_k``; printed: p50 / p95 / mean, their ratio to the exact search, and the
overlap of each variant's top 10 and top k with the exact one's.

Variants:
- ``exact``: ``postings.top_k`` with no limit on step 4 (``STEP4_CANDIDATES`` lifted);
- ``limit:M``: ``top_k`` with step 4 limited to M candidates (the served search: M = 4096);
- ``static:N:R``: static index pruning (Carmel et al. 2001), as a study: each term keeps its N
  highest-weight postings (derived here, not in the index), the query's kept lists are summed with
  one ``bincount``, and the R best of those partial sums are scored in full.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import numpy as np

__all__ = ["main"]

QUESTIONS = Path(__file__).resolve().parent / "questions.jsonl"
CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def _setup(work: Path, scale: int, queries: int):
    from assistant.indexing.build import build_index
    from assistant.indexing.embedders import FakeEmbedder
    from assistant.indexing.store import IndexStore
    from assistant.settings import Settings
    from assistant.snapshot import IndexSnapshot

    from .synthetic import tile_postings

    s = Settings(corpus_dir=CORPUS, index_dir=work / "index", data_dir=work / "data", embedder="fake")
    build_index(s, embedder=FakeEmbedder())
    store = IndexStore.load(s.index_dir, "fake-v1")
    snap = IndexSnapshot.build(store)
    qs = [json.loads(x)["question"] for x in QUESTIONS.read_text(encoding="utf-8").splitlines() if x.strip()]
    texts = []
    for q in qs[:queries]:
        parsed = snap.read(q)
        texts.append(parsed.lexical_text or parsed.text)
    fields = [
        tile_postings(store.lexical.postings, scale),
        tile_postings(store.lexical_units.postings, scale),
    ]
    return fields, texts, len(store) * scale


def _static(n_keep: int):
    """term postings → its ``n_keep`` highest-weight postings (cached per list)."""
    cache: dict[tuple[int, int], tuple[np.ndarray, np.ndarray]] = {}

    def kept(t) -> tuple[np.ndarray, np.ndarray]:
        if t.docs.size <= n_keep:
            return t.docs, t.weights
        key = (t.weights.__array_interface__["data"][0], t.weights.size)  # one list, whichever question
        if key not in cache:
            i = np.argpartition(-t.weights, n_keep - 1)[:n_keep]
            cache[key] = (t.docs[i], t.weights[i])
        return cache[key]

    return kept


def _static_top(terms, k: int, n: int, kept, rescore: int) -> list[tuple[int, float]]:
    from assistant.indexing.postings import _best, score_positions

    lists = [kept(t) for t in terms]
    acc = np.bincount(
        np.concatenate([d for d, _ in lists]),
        np.concatenate([np.multiply(w, t.scale, dtype=np.float64) for (_, w), t in zip(lists, terms)]),
        minlength=n,
    )
    cand = np.flatnonzero(acc)
    if cand.size > rescore:
        cand = np.sort(cand[np.argpartition(-acc[cand], rescore - 1)[:rescore]])
    return _best(cand, score_positions(terms, cand).astype(np.float64), k)


def main(argv: list[str] | None = None) -> int:
    from assistant.indexing import postings
    from assistant.indexing.lexical import lexical_tokens
    from assistant.indexing.store import UNIT_FIELD_WEIGHT

    p = argparse.ArgumentParser(prog="python -m eval.bench_lexical", description=__doc__.split("\n")[0])
    p.add_argument("--scale", type=int, default=1000)
    p.add_argument("--queries", type=int, default=100)
    p.add_argument("--k", type=int, default=50, help="the lexical top k (the search fuses max(50, 5k))")
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument(
        "--variants", default="limit:4096", help="comma-separated, e.g. limit:4096,static:2000:400"
    )
    p.add_argument("--work", type=Path)
    a = p.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="tlkh-bench-lex-") as tmp:
        fields, texts, n = _setup(a.work or Path(tmp), a.scale, a.queries)
    for f in fields:
        _ = f.columns, f.twins  # derived before the timings, as at load
    weighted = [(fields[0], 1.0), (fields[1], UNIT_FIELD_WEIGHT)]
    queries = [postings.query_terms(weighted, lexical_tokens(t, query=True)) for t in texts]
    limit = postings.STEP4_CANDIDATES

    def limited(m: int):
        def run(terms):
            postings.STEP4_CANDIDATES = m
            try:
                return postings.top_k(terms, a.k, n_docs=n)
            finally:
                postings.STEP4_CANDIDATES = limit

        return run

    runs = {"exact": limited(n + 1)}
    for v in [x.strip() for x in a.variants.split(",") if x.strip()]:
        kind, *args = v.split(":")
        if kind == "limit":
            runs[v] = limited(int(args[0]))
        elif kind == "static":
            kept, r = _static(int(args[0])), int(args[1])
            runs[v] = lambda terms, kept=kept, r=r: _static_top(terms, a.k, n, kept, r)
        else:
            raise SystemExit(f"unknown variant {v!r}")
    for run in runs.values():  # warm-up (the static lists are cut here, outside the timings)
        for terms in queries:
            run(terms)
    names = list(runs)
    cpu: dict[str, list[float]] = {v: [] for v in names}
    o10: dict[str, list[float]] = {v: [] for v in names}
    ok: dict[str, list[float]] = {v: [] for v in names}
    for rnd in range(a.rounds):
        for i, terms in enumerate(queries):
            got = {}
            for j in range(len(names)):
                v = names[(i + rnd + j) % len(names)]
                c = time.process_time()
                got[v] = [d for d, _ in runs[v](terms)]
                cpu[v].append((time.process_time() - c) * 1000)
            if rnd == 0:
                ex = got["exact"]
                for v in names:
                    o10[v].append(len(set(got[v][:10]) & set(ex[:10])) / max(1, len(ex[:10])))
                    ok[v].append(len(set(got[v]) & set(ex)) / max(1, len(ex)))
    pct = {v: [float(np.percentile(cpu[v], q)) for q in (50, 95)] + [float(np.mean(cpu[v]))] for v in names}
    print(
        f"\nLexical top {a.k} at ×{a.scale} ({n:,} passages), {len(queries)} questions × {a.rounds}, CPU ms"
    )
    print(f"| variant | p50 | p95 | mean | × p50 | × p95 | × mean | top 10 overlap | top {a.k} overlap |")
    print("|---|---|---|---|---|---|---|---|---|")
    for v in names:
        r = [x / y for x, y in zip(pct[v], pct["exact"])]
        print(
            f"| {v} | {pct[v][0]:.2f} | {pct[v][1]:.2f} | {pct[v][2]:.2f} | {r[0]:.3f} | {r[1]:.3f} | "
            f"{r[2]:.3f} | {np.mean(o10[v]):.3f} | {np.mean(ok[v]):.3f} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
