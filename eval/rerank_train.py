"""Train the passage reranker (``assistant/rerank.py``) and print its out-of-fold hit@1 / hit@3.

``python -m eval.rerank_train --work W`` asks every answerable development question of the
real-plan suite (``dev`` split; never ``test``) through the hybrid retriever with the reranker
off, over the indexes an eval run left in ``W/<corpus>/index`` (built when missing), and labels
each candidate passage by the suite's gold quotes exactly as ``eval`` computes hit@k
(``QuoteMatcher`` over the passage as cited).  For each depth (how many candidates are
reordered), model and regularisation it fits a linear model in group k-fold by plan and scores
each held-out plan's questions with a model that never saw that plan; the choice is made on
those out-of-fold figures alone.  The chosen model, refitted on every dev question, is written to
``assistant/data/passage_reranker.json`` unless ``--no-write``.

Models: ``point`` (logistic regression: is this candidate a gold passage) and ``pair`` (logistic
regression on feature differences of a gold and a non-gold candidate of the same question, the
RankNet loss of a linear scorer).  ``--reuse`` retrains from ``W/rerank-<corpus>.jsonl``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from .realsuite import ORIGINALS, corpora, data_dir, load_suite, questions_for
from .realsuite import QUESTIONS as REAL_QUESTIONS

__all__ = ["collect", "fit", "out_of_fold", "hits_at", "main"]

DEPTHS = (5, 10, 15, 20, 30)
CS = (0.03, 0.1, 0.3, 1.0)
FOLDS = 5


def _plan_of(q: dict) -> str:
    docs = [s["doc"] for s in q.get("sources") or []] or [q.get("plan") or q["id"]]
    return docs[0]


def collect(work: Path, names: Sequence[str], depths: Sequence[int] = DEPTHS, log=print) -> list[dict]:
    """One row per answerable dev question: its gold ids, its candidates (fused order, the
    deepest depth) and each depth's features, computed by the runtime's own function."""
    from assistant.indexing.embedders import get_embedder
    from assistant.rerank import FEATURES, candidate_features
    from assistant.settings import load_settings

    from .metrics import QuoteMatcher
    from .run import K, _answerable, _raw_corpus, passage_view
    from .systems import CachedEmbedder, _state, open_assistant, passages_of

    settings = load_settings()
    emb = CachedEmbedder(get_embedder(settings.embedder))
    allq = load_suite(REAL_QUESTIONS)
    rows: list[dict] = []
    deepest = max(depths)
    for spec in corpora():
        if spec.name not in names:
            continue
        t = time.perf_counter()
        folder = data_dir() / spec.folder
        qs = [q for q in questions_for(spec, allq, "dev") if _answerable(q) and q.get("sources")]
        log(f"[{spec.name}] {len(qs)} answerable dev questions …")
        s = settings.model_copy(
            update={
                "index_dir": work / spec.name / "index",
                "data_dir": work / spec.name / "data",
                "corpus_dir": folder,
            }
        )
        assistant = open_assistant(s, emb)
        snap = _state(assistant)
        retriever = snap.retriever
        matcher = QuoteMatcher(
            [(p.id, passage_view(p), p.doc) for p in passages_of(assistant)], _raw_corpus(folder)
        )
        got = []
        for q in qs:
            query = snap.read(q["question"])
            hits = retriever.candidates(query, None, K, deepest)  # the pool eval's hit@k searches
            gold = sorted(matcher.relevant_to_sources(q["sources"]))
            feats = {
                str(d): [[x[f] for f in FEATURES] for x in candidate_features(query, hits[:d], snap.idf)]
                for d in depths
            }
            got.append(
                {
                    "id": q["id"],
                    "corpus": spec.name,
                    "plan": _plan_of(q),
                    "gold": gold,
                    "cands": [h.passage.id for h in hits],
                    "features": feats,
                }
            )
        (work / f"rerank-{spec.name}.jsonl").write_text(
            "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in got), encoding="utf-8"
        )
        log(f"[{spec.name}] {len(got)} questions in {time.perf_counter() - t:.0f} s")
        rows += got
    return rows


def _arrays(rows: Sequence[dict], depth: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """(features, labels) of each question's first ``depth`` candidates."""
    out = []
    for r in rows:
        f = r["features"][str(depth)]
        x = np.array(f, dtype=float) if f else np.zeros((0, 1))
        gold = set(r["gold"])
        y = np.array([c in gold for c in r["cands"][:depth]], dtype=float)
        out.append((x, y))
    return out


def fit(
    data: Sequence[tuple[np.ndarray, np.ndarray]], model: str, c: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(mean, scale, weights) of an L2-regularised linear scorer (``point`` or ``pair``)."""
    from scipy.optimize import minimize

    used = [(x, y) for x, y in data if len(y) and 0 < y.sum() < len(y)]  # a question that can be reordered
    allx = np.vstack([x for x, _ in used])
    mean, scale = allx.mean(axis=0), allx.std(axis=0)
    scale[scale == 0] = 1.0
    if model == "point":
        z = np.vstack([(x - mean) / scale for x, _ in used])
        y = np.concatenate([y for _, y in used])
        # each question weighs the same whatever its depth: its gold and non-gold halves balanced
        sw = np.concatenate([np.where(y == 1, 0.5 / y.sum(), 0.5 / (len(y) - y.sum())) for _, y in used])
        sign = 2 * y - 1
        bias_col = True
    else:
        diffs = []
        sw_l = []
        for x, y in used:
            zx = (x - mean) / scale
            pos, neg = np.flatnonzero(y == 1), np.flatnonzero(y == 0)
            d = (zx[pos][:, None, :] - zx[neg][None, :, :]).reshape(-1, zx.shape[1])
            diffs.append(d)
            sw_l.append(np.full(len(d), 1.0 / len(d)))
        z = np.vstack(diffs)
        sw = np.concatenate(sw_l)
        sign = np.ones(len(z))
        bias_col = False

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        w = theta[: z.shape[1]]
        b = theta[-1] if bias_col else 0.0
        m = sign * (z @ w + b)
        lo = np.logaddexp(0.0, -m)
        g = -sw * sign / (1.0 + np.exp(m))
        value = float(c * (sw * lo).sum() + 0.5 * (w @ w))
        gw = c * (z.T @ g) + w
        grad = np.concatenate([gw, [c * g.sum()]]) if bias_col else gw
        return value, grad

    theta0 = np.zeros(z.shape[1] + (1 if bias_col else 0))
    res = minimize(loss, theta0, jac=True, method="L-BFGS-B")
    return mean, scale, res.x[: z.shape[1]]


def _folds(rows: Sequence[dict], folds: int) -> np.ndarray:
    # the same plan read as text and as its DOCX/PDF is one plan: never on both sides of a fold
    text_of = {v: k for k, v in ORIGINALS.items()}
    groups = sorted({text_of.get(r["plan"], r["plan"]) for r in rows})
    fold_of = {g: i % folds for i, g in enumerate(groups)}
    return np.array([fold_of[text_of.get(r["plan"], r["plan"])] for r in rows])


def _order(x: np.ndarray, fitted: tuple[np.ndarray, np.ndarray, np.ndarray]) -> np.ndarray:
    mean, scale, w = fitted
    s = ((x - mean) / scale) @ w
    return np.array(sorted(range(len(s)), key=lambda i: (-s[i], i)), dtype=int)


def hits_at(rows: Sequence[dict], orders: Sequence[np.ndarray | None], ks=(1, 3)) -> dict[int, float]:
    """Share of questions with a gold passage among the first k (the deepest candidates after
    the reordered head; ``None`` keeps the fused order)."""
    out = {}
    for k in ks:
        got = 0
        for r, o in zip(rows, orders):
            cands = list(r["cands"])
            if o is not None:
                cands = [cands[i] for i in o] + cands[len(o) :]
            got += any(c in set(r["gold"]) for c in cands[:k])
        out[k] = got / len(rows) if rows else 0.0
    return out


def out_of_fold(
    rows: Sequence[dict], depth: int, model: str, c: float, folds: int = FOLDS
) -> list[np.ndarray | None]:
    data = _arrays(rows, depth)
    fold = _folds(rows, folds)
    orders: list[np.ndarray | None] = [None] * len(rows)
    for k in range(folds):
        te = np.flatnonzero(fold == k)
        tr = np.flatnonzero(fold != k)
        if not len(te):
            continue
        fitted = fit([data[i] for i in tr], model, c)
        for i in te:
            x, _ = data[i]
            orders[i] = _order(x, fitted) if len(x) > 1 else None
    return orders


def _fmt(h: dict[int, float]) -> str:
    return f"{100 * h[1]:.1f} / {100 * h[3]:.1f}"


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m eval.rerank_train", description=__doc__.split("\n\n")[0])
    p.add_argument("--work", type=Path, required=True, help="an eval work dir (W/<corpus>/index)")
    p.add_argument("--corpora", default="provinces,laocai,originals")
    p.add_argument("--reuse", action="store_true", help="retrain from W/rerank-<corpus>.jsonl")
    p.add_argument("--folds", type=int, default=FOLDS)
    p.add_argument("--no-write", action="store_true", help="print the figures, keep the stored model")
    p.add_argument("--min-gain", type=float, default=0.01, help="hit@1 and hit@3 gain needed to write")
    return p


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(sys.argv[1:] if argv is None else argv)
    from assistant.rerank import FEATURES, RERANKER_PATH, Reranker

    names = args.corpora.split(",")
    work: Path = args.work
    if args.reuse:
        rows = [
            json.loads(line)
            for n in names
            if (work / f"rerank-{n}.jsonl").exists()
            for line in (work / f"rerank-{n}.jsonl").read_text(encoding="utf-8").splitlines()
        ]
    else:
        rows = collect(work, names)
    corp = list(dict.fromkeys(r["corpus"] for r in rows))
    base = {
        c: hits_at([r for r in rows if r["corpus"] == c], [None] * sum(r["corpus"] == c for r in rows))
        for c in corp
    }
    print(
        f"{len(rows)} answerable dev questions; hit@1 / hit@3 of the fused order: "
        + ", ".join(f"{c} {_fmt(base[c])}" for c in corp)
        + f", all {_fmt(hits_at(rows, [None] * len(rows)))}"
    )
    print(
        "\n| depth | model | C | "
        + " | ".join(corp)
        + " | all |\n|---:|---|---:|"
        + "---:|" * (len(corp) + 1)
    )
    results: list[tuple[float, int, str, float, dict[int, float]]] = []
    for depth in DEPTHS:
        for model in ("point", "pair"):
            for c in CS:
                orders = out_of_fold(rows, depth, model, c, args.folds)
                per = [
                    hits_at(
                        [r for r in rows if r["corpus"] == cn],
                        [o for r, o in zip(rows, orders) if r["corpus"] == cn],
                    )
                    for cn in corp
                ]
                allh = hits_at(rows, orders)
                results.append((allh[1] + allh[3], depth, model, c, allh))
                print(
                    f"| {depth} | {model} | {c} | " + " | ".join(_fmt(h) for h in per) + f" | {_fmt(allh)} |"
                )
    best = max(results, key=lambda t: t[0])
    _, depth, model, c, allh = best
    b = hits_at(rows, [None] * len(rows))
    print(
        f"\nChosen (out-of-fold hit@1 + hit@3): depth {depth}, {model}, C {c}: {_fmt(allh)} against {_fmt(b)}"
    )
    mean, scale, w = fit(_arrays(rows, depth), model, c)
    for name, wt in sorted(zip(FEATURES, w / scale * scale), key=lambda t: -abs(t[1]))[:12]:
        print(f"  {name:>18} {wt:+.3f}")
    gain = min(allh[1] - b[1], allh[3] - b[3])
    if args.no_write or gain < args.min_gain:
        print(f"\nNot written (gain {100 * gain:+.1f} points; --min-gain {100 * args.min_gain:.1f}).")
        return 0
    meta: dict[str, Any] = {
        "trained_on": corp,
        "n": len(rows),
        "model": model,
        "c": c,
        "oof_hit1": round(allh[1], 4),
        "oof_hit3": round(allh[3], 4),
        "fused_hit1": round(b[1], 4),
        "fused_hit3": round(b[3], 4),
    }
    rr = Reranker(FEATURES, tuple(map(float, mean)), tuple(map(float, scale)), tuple(map(float, w)), depth)
    RERANKER_PATH.write_text(json.dumps(rr.to_json(**meta), indent=1) + "\n", encoding="utf-8")
    print(f"\nWrote {RERANKER_PATH}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
