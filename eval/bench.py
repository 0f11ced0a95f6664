"""Index and retrieval benchmark: ``python -m eval.bench [--scales 1,10,100,1000] [--embedder SPEC]``.

Prints, as tables with ratios against a baseline:
- cold build (empty embedding cache) and warm build (everything cached), plus adding and
  removing one plan: passages/s and embedded tokens/s (baseline: cold build);
- query latency p50/p95 of the retrieval step (question vectors precomputed; their
  embedding is measured on its own row) at the corpus size and at synthetic scales of
  ×10, ×100, ×1000 the corpus's passages, exact (``IndexFlatIP``) and, where the index
  switches (above ``ann_threshold``) or from ×100 on, approximate (HNSW) search, with
  HNSW recall@10 against exact (baseline: exact search at the same scale);
- peak resident memory after each stage.

Synthetic scales copy the real index: every copy of a passage vector gets Gaussian
noise (cosine ≈ 0.85 to its original) and is re-normalised; every copy of a passage's
BM25 row loses ~15 % of its terms and has the rest re-weighted by ±20 %. Nothing new is
embedded, so ×1000 stays feasible on two cores.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from .bench_tables import _pg_table, _scale_table, _table

__all__ = ["main"]

QUESTIONS = Path(__file__).resolve().parent / "questions.jsonl"
FALLBACK_QUESTIONS = [
    "Sở nào chủ trì tham mưu quy chế quản lý hoạt động thông tin đối ngoại?",
    "so nao chu tri lam video clip quang ba",
    "UBND huyện bố trí kinh phí thực hiện kế hoạch thế nào?",
    "Ai quản lý Cụm thông tin điện tử?",
    "Sở TT&TT phối hợp với đơn vị nào?",
]


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def _pct(xs: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(xs), q)) if xs else float("nan")


def _questions(limit: int) -> list[str]:
    if QUESTIONS.is_file():
        qs = [
            json.loads(line)["question"]
            for line in QUESTIONS.read_text(encoding="utf-8").splitlines()
            if line.strip()
        ]
        if qs:
            return qs[:limit]
    return FALLBACK_QUESTIONS[:limit]


# --- builds --------------------------------------------------------------------------
def _build_figures(settings, embedder) -> tuple[list[list], object]:
    from assistant.indexing.build import add_document, build_index, corpus_files, remove_document
    from assistant.indexing.store import IndexStore

    def tokens_of(store, docs=None) -> int:
        seen, n = set(), 0
        for p in store.passages:
            t = p.embed_text or p.text
            if (docs is None or p.doc in docs) and t not in seen:
                seen.add(t)
                n += embedder.count_tokens(t)
        return n

    rows = []
    t = time.perf_counter()
    cold = build_index(settings, embedder=embedder)
    cold_s = time.perf_counter() - t
    store = IndexStore.load(settings.index_dir, embedder.id)
    toks = tokens_of(store)
    rows.append(
        [
            "cold build (empty cache)",
            cold.passages,
            cold.embedded_new,
            round(cold_s, 2),
            cold.passages / cold_s,
            toks / cold_s,
            1.0,
            round(_peak_mb()),
        ]
    )
    t = time.perf_counter()
    warm = build_index(settings, embedder=embedder)
    warm_s = time.perf_counter() - t
    rows.append(
        [
            "warm build (cached)",
            warm.passages,
            warm.embedded_new,
            round(warm_s, 2),
            warm.passages / warm_s,
            "-",
            cold_s / warm_s,
            round(_peak_mb()),
        ]
    )
    plan = corpus_files(Path(settings.corpus_dir))[-1]
    held = Path(settings.data_dir) / "bench-held" / plan.name
    held.parent.mkdir(parents=True, exist_ok=True)
    held.write_bytes(plan.read_bytes())
    t = time.perf_counter()
    rem = remove_document(settings, plan.name)
    rem_s = time.perf_counter() - t
    rows.append(
        [
            f"remove one plan ({plan.name})",
            rem.passages,
            0,
            round(rem_s, 2),
            rem.passages / rem_s,
            "-",
            cold_s / rem_s,
            round(_peak_mb()),
        ]
    )
    t = time.perf_counter()
    add = add_document(settings, held, embedder=embedder)
    add_s = time.perf_counter() - t
    rows.append(
        [
            "add it back (cached vectors)",
            add.passages,
            add.embedded_new,
            round(add_s, 2),
            add.passages / add_s,
            "-",
            cold_s / add_s,
            round(_peak_mb()),
        ]
    )
    return rows, IndexStore.load(settings.index_dir, embedder.id)


# --- synthetic scales (one child process per scale, so each peak memory is its own) ---------
class _Precomputed:
    """Question vectors computed once (timed), so latencies measure retrieval, not the embedder."""

    def __init__(self, embedder, vectors: dict[str, np.ndarray] | None = None):
        self.id, self.dim, self._inner = embedder.id, embedder.dim, embedder
        self._v: dict[str, np.ndarray] = dict(vectors or {})
        self.embed_ms: list[float] = []

    def encode_query(self, text):
        if text not in self._v:
            t = time.perf_counter()
            self._v[text] = self._inner.encode_query(text)
            self.embed_ms.append((time.perf_counter() - t) * 1000)
        return self._v[text]


def _measure_scale(
    settings, scale: int, k: int, hnsw_from: int, ab: str | None = None, rounds: int = 3
) -> dict:
    """One scale, in this process: build, latency of the retrieval step, HNSW recall, peak memory."""
    from assistant.indexing.lexical import DiacriticRestorer
    from assistant.indexing.store import IndexStore
    from assistant.retrieve import HybridRetriever

    from .synthetic import exact_top, synthetic_store

    work = Path(settings.data_dir).parent
    texts = json.loads((work / "bench-questions.json").read_text(encoding="utf-8"))
    qv = np.load(work / "bench-qvecs.npy", allow_pickle=False)
    store = IndexStore.load(settings.index_dir)
    pre = _Precomputed(_Stub(store.embedder_id, qv.shape[1]), dict(zip(texts["embedded"], qv)))
    n = len(store) * scale
    hnsw = n > settings.ann_threshold or scale >= hnsw_from
    t = time.perf_counter()
    st = synthetic_store(store, scale, hnsw=hnsw)
    build_s = time.perf_counter() - t
    t = time.perf_counter()
    r = HybridRetriever(st, pre, settings)
    snapshot_s = time.perf_counter() - t
    # the copies add no words: unaccented questions are restored as on the real index, so the
    # text embedded (and its precomputed vector) is the same at every scale
    r.snapshot.__dict__["restorer"] = DiacriticRestorer(store.lexical)
    t_parse, queries = [], []
    for q in texts["questions"]:
        t = time.perf_counter()
        queries.append(r.snapshot.read(q))
        t_parse.append((time.perf_counter() - t) * 1000)
    r.search(queries[0], k=k)  # warm-up
    lat, cpu = [], []
    for q in queries:
        t, c = time.perf_counter(), time.process_time()
        r.search(q, k=k)  # the question's vector is precomputed: retrieval only
        lat.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
    ab_row = None
    if ab:  # old and new alternating per question, over this same store (``bench_ab``)
        from .bench_ab import measure_ab

        ab_row = measure_ab(r, st, ab, queries, k, rounds)
    dense_ms, ids = [], []
    for v in qv:
        t = time.perf_counter()
        ids.append([i for i, _ in st.dense_search(v, 10)])
        dense_ms.append((time.perf_counter() - t) * 1000)
    recall = float("nan")
    if hnsw:
        exact = exact_top(store.vectors(), scale, qv, 10)
        recall = float(np.mean([len(set(a) & set(b.tolist())) / 10 for a, b in zip(ids, exact)]))
    return {
        "scale": scale,
        "passages": n,
        "index": "HNSW" if hnsw else "exact",
        "build_s": build_s,
        "snapshot_s": snapshot_s,
        "p50_ms": _pct(lat, 50),
        "p95_ms": _pct(lat, 95),
        "cpu_p50_ms": _pct(cpu, 50),
        "cpu_p95_ms": _pct(cpu, 95),
        "dense_p50_ms": _pct(dense_ms, 50),
        "parse_p50_ms": _pct(t_parse, 50),
        "recall10": recall,
        "postings": int(st.lexical.postings.docs.size + st.lexical_units.postings.docs.size)
        if st.lexical.postings is not None and st.lexical_units.postings is not None
        else 0,
        "peak_mb": _peak_mb(),
        "ab": ab_row,
    }


class _Stub:
    """The embedder's identity without its model (a child process never embeds)."""

    def __init__(self, embedder_id: str, dim: int) -> None:
        self.id, self.dim = embedder_id, dim

    def encode_query(self, text):
        raise KeyError(f"question vector not precomputed: {text!r}")


def _run_child(work: Path, settings_args: list[str], scale: int, a) -> dict:
    cmd = [sys.executable, "-m", "eval.bench", "--child-scale", str(scale), "--work", str(work)]
    cmd += [*settings_args, "--k", str(a.k), "--hnsw-from", str(a.hnsw_from)]
    cmd += ["--ab", a.ab, "--ab-rounds", str(a.ab_rounds)] if a.ab else []
    out = subprocess.run(cmd, capture_output=True, text=True)
    if out.returncode != 0:
        why = "killed (out of memory?)" if out.returncode < 0 else out.stderr.strip().splitlines()[-1:]
        return {"scale": scale, "error": f"exit {out.returncode}: {why}"}
    return json.loads(out.stdout.strip().splitlines()[-1])


def _scale_figures(store, embedder, settings, a, questions, work: Path) -> list[dict]:
    from assistant.retrieve import HybridRetriever

    pre = _Precomputed(embedder)
    # one pass over the real index fills the question vectors (the text the retriever embeds:
    # abbreviations expanded, diacritics restored) and times their embedding
    r1 = HybridRetriever(store, pre, settings)
    for q in questions:
        r1.search(q, k=a.k)
    (work / "bench-questions.json").write_text(
        json.dumps({"questions": questions, "embedded": list(pre._v)}, ensure_ascii=False), encoding="utf-8"
    )
    np.save(work / "bench-qvecs.npy", np.stack(list(pre._v.values())).astype(np.float32), allow_pickle=False)
    print(
        f"question embedding p50 {_pct(pre.embed_ms, 50):.1f} ms, p95 {_pct(pre.embed_ms, 95):.1f} ms "
        "(excluded from the latencies below)",
        flush=True,
    )
    settings_args = ["--embedder", settings.embedder] + (["--corpus", str(a.corpus)] if a.corpus else [])
    rows: list[dict] = []
    budget = a.mem_budget_gb * 1024
    for scale in a.scales:
        grown = [r for r in rows if "peak_mb" in r]
        if len(grown) >= 2:
            # peak memory grows linearly with the passages: extrapolate from the two largest so far
            (s1, m1), (s2, m2) = [(r["scale"], r["peak_mb"]) for r in grown[-2:]]
            est = m2 + (m2 - m1) / max(1, s2 - s1) * (scale - s2)
            if est > budget:
                rows.append(
                    {"scale": scale, "error": f"skipped: estimated peak {est / 1024:.1f} GB > budget"}
                )
                break
        t = time.perf_counter()
        row = _run_child(work, settings_args, scale, a)
        rows.append(row)
        print(f"  ×{scale} done ({time.perf_counter() - t:.0f}s)", file=sys.stderr, flush=True)
        if "error" in row:
            break
    return rows


def main(argv: list[str] | None = None) -> int:
    from assistant.settings import load_settings

    p = argparse.ArgumentParser(prog="python -m eval.bench", description=__doc__.split("\n")[0])
    p.add_argument("--embedder", help="embedder spec (default: settings, e5-small)")
    p.add_argument("--corpus", type=Path, help="plans folder (default: settings.corpus_dir)")
    p.add_argument("--scales", default="1,100,1000", help="comma-separated multiples of the corpus")
    p.add_argument("--queries", type=int, default=100, help="questions timed per scale")
    p.add_argument("--k", type=int, default=8, help="passages per question")
    p.add_argument("--work", type=Path, help="keep the index and cache here (default: a temp folder)")
    p.add_argument("--hnsw-from", type=int, default=100, help="HNSW (and its recall) from this scale on")
    p.add_argument(
        "--mem-budget-gb", type=float, default=16.0, help="stop before a scale estimated above this"
    )
    p.add_argument("--pg", nargs="?", const="", help="also measure PostgreSQL (eval.bench_pg), optional URL")
    p.add_argument(
        "--pg-scales", help="scales for PostgreSQL (default: --scales; its writes are the slow part)"
    )
    p.add_argument(
        "--pg-keep",
        type=Path,
        help="eval.bench_pg --keep: a scale already built in this folder is searched, not rebuilt",
    )
    p.add_argument(
        "--pg-overlaps", type=int, default=30, help="eval.bench_pg --overlaps (at ×1000 ~25 s a question)"
    )
    p.add_argument(
        "--ab", metavar="REV", help="also time the search of git revision REV against this one, interleaved"
    )
    p.add_argument("--ab-rounds", type=int, default=3, help="passes over the questions in --ab")
    p.add_argument("--child-scale", type=int, help=argparse.SUPPRESS)
    a = p.parse_args(argv)
    a.scales = [int(s) for s in a.scales.split(",") if s.strip()]

    with tempfile.TemporaryDirectory(prefix="tlkh-bench-") as tmp:
        work = a.work or Path(tmp)
        settings = load_settings(
            corpus_dir=a.corpus, embedder=a.embedder, index_dir=work / "index", data_dir=work / "data"
        )
        if a.child_scale:
            row = _measure_scale(settings, a.child_scale, a.k, a.hnsw_from, a.ab, a.ab_rounds)
            print(json.dumps(row))
            return 0
        from assistant.indexing.embedders import get_embedder

        if a.ab:
            from .bench_ab import resolve

            a.ab = resolve(a.ab)
        embedder = get_embedder(settings.embedder)
        questions = _questions(a.queries)
        print(
            f"embedder {embedder.id}, corpus {settings.corpus_dir}, {len(questions)} questions, "
            f"ann_threshold {settings.ann_threshold}",
            flush=True,
        )
        build_rows, store = _build_figures(settings, embedder)
        print(
            _table(
                "Index build (ratio = speed-up against the cold build)",
                [
                    "operation",
                    "passages",
                    "embedded",
                    "seconds",
                    "passages/s",
                    "embedded tokens/s",
                    "ratio",
                    "peak MB",
                ],
                build_rows,
            ),
            flush=True,
        )
        rows = _scale_figures(store, embedder, settings, a, questions, work)
        print(_scale_table(rows, a.k), flush=True)
        if a.ab:
            from .bench_ab import ab_table

            print(ab_table(rows, _table), flush=True)
        if a.pg is not None:
            from . import bench_pg

            pg_scales = [int(x) for x in a.pg_scales.split(",")] if a.pg_scales else a.scales
            pg_rows = bench_pg.measure(
                pg_scales,
                a.pg or None,
                settings=settings,
                queries=a.queries,
                k=a.k,
                keep=a.pg_keep,
                overlaps=a.pg_overlaps,
            )
            print(_pg_table(rows, pg_rows), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
