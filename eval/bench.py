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
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

__all__ = ["main", "synthetic_store"]

NOISE = 0.6  # ‖noise‖ relative to a unit vector: cosine to the original ≈ 0.86
TERM_DROP = 0.15
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


def _table(title: str, header: list[str], rows: list[list]) -> str:
    def fmt(c) -> str:
        if isinstance(c, str):
            return c
        if isinstance(c, (float, np.floating)):
            if c != c:
                return "-"
            return f"{c:,.0f}" if abs(c) >= 100 else f"{c:.2f}" if abs(c) >= 1 else f"{c:.3f}"
        return f"{c:,}"

    cells = [[str(c) for c in header]] + [[fmt(c) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    line = lambda r: "| " + " | ".join(c.ljust(w) for c, w in zip(r, widths)) + " |"  # noqa: E731
    sep = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([f"\n{title}", line(cells[0]), sep, *(line(r) for r in cells[1:])])


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


# --- synthetic scales --------------------------------------------------------------
def _tile_lexical(lex, scale: int, rng):
    """A bm25s index whose documents are perturbed copies of ``lex``'s (same vocabulary)."""
    import bm25s
    import scipy.sparse as sp

    from assistant.indexing.lexical import LexicalIndex

    if lex._bm25 is None or scale == 1:
        return lex if scale == 1 else LexicalIndex(None, lex.n_docs * scale)
    sc = lex._bm25.scores
    n, vocab = int(sc["num_docs"]), len(sc["indptr"]) - 1
    base = sp.csc_matrix((sc["data"], sc["indices"], sc["indptr"]), shape=(n, vocab)).tocsr()
    blocks = [base]
    for _ in range(scale - 1):
        b = base.copy()
        b.data = (b.data * rng.uniform(0.8, 1.2, b.nnz) * (rng.random(b.nnz) > TERM_DROP)).astype(np.float32)
        b.eliminate_zeros()
        blocks.append(b)
    m = sp.vstack(blocks, format="csc")
    bm = bm25s.BM25(method=lex._bm25.method, k1=lex._bm25.k1, b=lex._bm25.b)
    bm.scores = {
        "data": m.data.astype(np.float32),
        "indices": m.indices.astype(np.int32),
        "indptr": m.indptr,
        "num_docs": n * scale,
    }
    bm.vocab_dict = lex._bm25.vocab_dict
    bm.unique_token_ids_set = set(bm.vocab_dict.values())
    bm.nonoccurrence_array = None
    return LexicalIndex(bm, n * scale)


def _perturb_text(text: str, rng) -> str:
    words = text.split()
    keep = rng.random(len(words)) > TERM_DROP
    return " ".join(w for w, k in zip(words, keep) if k) or text


def synthetic_store(store, scale: int, *, hnsw: bool, seed: int = 0, vectors: np.ndarray | None = None):
    """An in-memory IndexStore of ``scale`` × the passages (perturbed copies; nothing embedded)."""
    import faiss

    from assistant.indexing.store import HNSW_EF_CONSTRUCTION, HNSW_EF_SEARCH, HNSW_M, IndexStore

    rng = np.random.default_rng(seed)
    base = store.vectors()
    n, d = base.shape
    vecs = vectors if vectors is not None else _tile_vectors(base, scale, rng)
    if hnsw:
        index = faiss.IndexHNSWFlat(d, HNSW_M, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
        index.hnsw.efSearch = HNSW_EF_SEARCH
    else:
        index = faiss.IndexFlatIP(d)
    index.add(vecs)
    passages = list(store.passages)
    for c in range(1, scale):
        passages += [replace(p, id=f"{p.id}~{c}", text=_perturb_text(p.text, rng)) for p in store.passages]
    manifest = dict(
        store.manifest,
        passage_count=len(passages),
        faiss={"type": "IndexHNSWFlat" if hnsw else "IndexFlatIP"},
    )
    return IndexStore(
        store.directory,
        manifest,
        passages,
        store.docs,
        index,
        _tile_lexical(store.lexical, scale, rng),
        _tile_lexical(store.lexical_units, scale, rng),
    )


def _tile_vectors(base: np.ndarray, scale: int, rng) -> np.ndarray:
    n, d = base.shape
    out = np.empty((n * scale, d), dtype=np.float32)
    out[:n] = base
    for c in range(1, scale):
        noisy = base + NOISE * rng.standard_normal((n, d)).astype(np.float32) / np.sqrt(d)
        out[c * n : (c + 1) * n] = noisy / np.linalg.norm(noisy, axis=1, keepdims=True)
    return out


class _Precomputed:
    """Question vectors computed once (timed), so latencies measure retrieval, not the embedder."""

    def __init__(self, embedder):
        self.id, self.dim, self._inner = embedder.id, embedder.dim, embedder
        self._v: dict[str, np.ndarray] = {}
        self.embed_ms: list[float] = []

    def encode_query(self, text):
        if text not in self._v:
            t = time.perf_counter()
            self._v[text] = self._inner.encode_query(text)
            self.embed_ms.append((time.perf_counter() - t) * 1000)
        return self._v[text]


def _latencies(retriever, questions, k) -> list[float]:
    out = []
    for q in questions:
        t = time.perf_counter()
        retriever.search(q, k=k)
        out.append((time.perf_counter() - t) * 1000)
    return out


def _scale_figures(store, embedder, settings, scales, questions, k) -> tuple[list[list], list[list]]:
    from assistant.retrieve import HybridRetriever

    t0 = time.perf_counter()
    pre = _Precomputed(embedder)
    # one pass over the real index fills the question vectors (the text the retriever embeds:
    # abbreviations expanded, diacritics restored) and times their embedding
    r1 = HybridRetriever(store, pre, settings)
    for q in questions:
        r1.search(q, k=k)
    qv = np.stack(list(pre._v.values()))
    lat_rows: list[list] = [
        [
            "question embedding",
            len(store),
            "-",
            _pct(pre.embed_ms, 50),
            _pct(pre.embed_ms, 95),
            "-",
            "-",
            round(_peak_mb()),
        ]
    ]
    rec_rows: list[list] = []
    rng = np.random.default_rng(0)
    base = store.vectors()
    for scale in scales:
        n = len(store) * scale
        vecs = _tile_vectors(base, scale, rng)
        variants = [False] + ([True] if (n > settings.ann_threshold or scale >= 100) else [])
        exact_p50 = exact_ids = exact_dense = None
        for hnsw in variants:
            t = time.perf_counter()
            st = synthetic_store(store, scale, hnsw=hnsw, vectors=vecs)
            build_s = time.perf_counter() - t
            r = HybridRetriever(st, pre, settings)
            r.search(questions[0], k=k)  # warm-up
            lat = _latencies(r, questions, k)
            dense_ms = []
            ids = []
            for v in qv:
                t = time.perf_counter()
                ids.append([i for i, _ in st.dense_search(v, 10)])
                dense_ms.append((time.perf_counter() - t) * 1000)
            kind = "HNSW" if hnsw else "exact"
            p50 = _pct(lat, 50)
            if not hnsw:
                exact_p50, exact_ids, exact_dense = p50, ids, _pct(dense_ms, 50)
            ratio = p50 / exact_p50 if exact_p50 else 1.0
            lat_rows.append(
                [
                    f"×{scale} hybrid search, {kind}",
                    n,
                    round(build_s, 1),
                    p50,
                    _pct(lat, 95),
                    _pct(dense_ms, 50),
                    ratio,
                    round(_peak_mb()),
                ]
            )
            if hnsw:
                recall = np.mean([len(set(a) & set(b)) / max(1, len(b)) for a, b in zip(ids, exact_ids)])
                rec_rows.append(
                    [
                        f"×{scale}",
                        n,
                        st.dense.hnsw.efSearch,
                        float(recall),
                        _pct(dense_ms, 50),
                        _pct(dense_ms, 50) / exact_dense,
                    ]
                )
            del st, r
        del vecs
        print(f"  ×{scale} done ({time.perf_counter() - t0:.0f}s)", file=sys.stderr, flush=True)
    return lat_rows, rec_rows


def main(argv: list[str] | None = None) -> int:
    from assistant.indexing.embedders import get_embedder
    from assistant.settings import load_settings

    p = argparse.ArgumentParser(prog="python -m eval.bench", description=__doc__.split("\n")[0])
    p.add_argument("--embedder", help="embedder spec (default: settings, e5-small)")
    p.add_argument("--corpus", type=Path, help="plans folder (default: settings.corpus_dir)")
    p.add_argument("--scales", default="1,10,100,1000", help="comma-separated multiples of the corpus")
    p.add_argument("--queries", type=int, default=100, help="questions timed per scale")
    p.add_argument("--k", type=int, default=8, help="passages per question")
    p.add_argument("--work", type=Path, help="keep the index and cache here (default: a temp folder)")
    a = p.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="tlkh-bench-") as tmp:
        work = a.work or Path(tmp)
        settings = load_settings(
            corpus_dir=a.corpus, embedder=a.embedder, index_dir=work / "index", data_dir=work / "data"
        )
        embedder = get_embedder(settings.embedder)
        questions = _questions(a.queries)
        scales = [int(s) for s in a.scales.split(",") if s.strip()]
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
        lat_rows, rec_rows = _scale_figures(store, embedder, settings, scales, questions, a.k)
        print(
            _table(
                f"Query latency, ms (k={a.k}; ratio = p50 against exact search at the same scale)",
                ["search", "passages", "index build s", "p50", "p95", "dense-only p50", "ratio", "peak MB"],
                lat_rows,
            )
        )
        if rec_rows:
            print(
                _table(
                    "Approximate search (HNSW) against exact, dense top-10",
                    [
                        "scale",
                        "passages",
                        "efSearch",
                        "recall@10",
                        "dense p50 ms",
                        "ratio to exact dense p50",
                    ],
                    rec_rows,
                )
            )
        print(f"\npeak resident memory: {_peak_mb():,.0f} MB", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
