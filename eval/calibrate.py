"""Train the refusal scorer (``assistant/answer/confidence.py``) and print its refusal curve.

``python -m eval.calibrate`` asks every development question (the real-plan suite's ``dev``
split, all three corpora, and the corpus questions ``eval/questions.jsonl``; never
``eval/probe`` nor the real-plan ``test`` split) through the assistant, records the features
of each refusal decision, fits a logistic regression (label: the question is answerable),
chooses the threshold on out-of-fold predictions grouped by plan (so the curve is not the
training fit), and writes ``assistant/data/refusal_scorer.json``.

``--test`` also asks the test split and prints its curve as figures only (issue 12's held-out
discipline: its questions and misses are not read).  ``--reuse`` retrains from the features
recorded by the last run (``<work>/rows-*.jsonl``) without asking again.
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

from .calibrate_aug import originals, render_rules, rule_counts, summary_at, variant_of
from .realsuite import QUESTIONS as REAL_QUESTIONS
from .realsuite import corpora, data_dir, load_suite, questions_for
from .run import QUESTIONS as CORPUS_QUESTIONS
from .run import _history, load_questions

__all__ = ["collect", "fit", "curve", "choose_threshold", "flips", "main"]

TARGET_ANSWERABLE_REFUSED = 0.05  # issue 12: answerable refused ≤ 5 %
TARGET_UNANSWERABLE_REFUSED = 0.85  # issue 12: unanswerable refused ≥ 85 %
GRID = tuple(round(0.05 * i, 2) for i in range(1, 20))


def _plan_of(q: dict) -> str:
    docs = [s["doc"] for s in q.get("sources") or []] or [q.get("plan") or q.get("province") or q["id"]]
    return docs[0]


def _judged(judge, q: dict, ans) -> bool:
    """Is ``ans`` (None: a refusal) a correct reply to ``q``, by the suite's judge."""
    if ans is None or ans.refused:
        return q["kind"] == "unanswerable"
    units = [u for v in (ans.units or {}).values() for u in (v if isinstance(v, (list, tuple)) else [v])]
    return bool(judge.judge(q, ans.answer, units, False)[0])


def _ask_all(assistant, qs: Sequence[dict], corpus: str, log, augment: bool = False) -> list[dict]:
    from assistant.answer.confidence import recording

    from .metrics import AnswerJudge

    judge = AnswerJudge()
    rows = []
    # each dev question as written, then (``augment``) one variant of it with the same label
    asks: list[tuple[dict, str, str | None]] = []
    for q in qs:
        asks.append((q, q["question"], None))
        v = variant_of(q) if augment and q.get("split", "dev") == "dev" else None
        if v:
            asks.append((q, v[1], v[0]))
    for i, (q, text, variant) in enumerate(asks):
        history = _history(assistant, q.get("history"))
        with recording() as rec:
            try:
                ans = assistant.ask(text, history=history)
            except (IndexError, ValueError, KeyError) as e:  # a variant the parser fails on: logged, skipped
                log(f"    {q['id']} {variant or ''}: {type(e).__name__} {e} on {text!r}")
                continue
        if not rec:  # the plan named is not loaded: refused before any evidence is weighed
            continue
        old, candidate = rec[-1].pop("answers")
        # judged once here, so any threshold's answers can be scored without asking again
        rec[-1].update(
            old_refused=old is None or old.refused,
            old_correct=_judged(judge, q, old),
            candidate_correct=_judged(judge, q, candidate) if candidate is not None else None,
        )
        if q.get("split") == "test":
            rec[-1].pop("question", None)  # held out: its figures are reported, its text is not kept
        rows.append(
            {
                "id": q["id"],
                "corpus": corpus,
                "split": q.get("split", "dev"),
                "plan": _plan_of(q),
                "answerable": q["kind"] != "unanswerable",
                "refused_now": bool(ans.refused),
                **({"variant": variant} if variant else {}),
                **rec[-1],
            }
        )
        if (i + 1) % 25 == 0:
            log(f"    {i + 1}/{len(asks)}")
    return rows


def collect(
    work: Path, splits: Sequence[str], names: Sequence[str], log=print, augment: bool = False
) -> list[dict]:
    """Ask the questions of each corpus (its own index under ``work``) and record the features."""
    from assistant.indexing.embedders import get_embedder
    from assistant.settings import load_settings

    from .systems import CachedEmbedder, open_assistant

    settings = load_settings()
    emb = CachedEmbedder(get_embedder(settings.embedder))
    jobs: list[tuple[str, Path | None, list[dict]]] = []
    if "corpus" in names:
        jobs.append(("corpus", None, load_questions(CORPUS_QUESTIONS)))
    allq = load_suite(REAL_QUESTIONS)
    for spec in corpora():
        if spec.name in names:
            qs = [q for q in questions_for(spec, allq) if q["split"] in splits]
            jobs.append((spec.name, data_dir() / spec.folder, qs))
    rows: list[dict] = []
    for name, folder, qs in jobs:
        t = time.perf_counter()
        log(f"[{name}] {len(qs)} questions …")
        s = settings.model_copy(
            update={
                "index_dir": work / name / "index",
                "data_dir": work / name / "data",
                **({"corpus_dir": folder} if folder else {}),
            }
        )
        got = _ask_all(open_assistant(s, emb), qs, name, log, augment)
        (work / f"rows-{name}.jsonl").write_text(
            "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in got), encoding="utf-8"
        )
        log(f"[{name}] {len(got)} decisions in {time.perf_counter() - t:.0f} s")
        rows += got
    return rows


def _matrix(rows: Sequence[dict]) -> tuple[np.ndarray, np.ndarray]:
    from assistant.answer.confidence import FEATURES

    x = np.array([[r["features"][f] for f in FEATURES] for r in rows], dtype=float)
    y = np.array([1 if r["answerable"] else 0 for r in rows])
    # a score the retriever did not give counts as the average one (as Scorer.prob does)
    x = np.where(np.isnan(x), np.nanmean(np.where(np.isnan(x), np.nan, x), axis=0, keepdims=True), x)
    return x, y


# Signs the evidence must have, whatever the development questions say: more of the question
# found in the passages, higher retrieval scores and a handler that filled the asked slot never
# argue for refusing; a year, figure, unit, place or plan the question names and the evidence
# lacks never argues for answering. What the question merely asks about ("asks_year") is held at
# zero: on our suites it mostly tells how the unanswerable questions were written (another
# year), a habit of the writers, not a property of real questions. Raw retrieval scores are held
# at zero too: their scale is the embedder's (cosines of e5 sit in 0.8–0.95, of another model or
# the test embedder elsewhere) and the collection's (BM25 grows with it), and the settings let
# users pick another embedder; a scorer weighing them would refuse everything there.
_HELD_AT_ZERO = ("fused_top1", "fused_margin", "dense_top1", "dense_margin", "lexical_top1", "lexical_margin")
_NON_NEGATIVE = "cov_top3 cov_top1 cov_cited cov_accented own_answered slot_matched meta_fact".split()
_NON_POSITIVE = (
    "year_missing year_missing_cited number_missing number_missing_cited unit_missing "
    "place_missing plan_missing terms_missing_plan pairs_missing_plan year_missing_plan "
    "number_missing_plan unit_missing_plan slot_missing year_outside_period month_missing_plan "
    "pairs_missing_cited year_in_period_cited"
).split()


# A feature seen on a few questions only (a binary one set on 1 % of them has a standard
# deviation near 0.1) is standardised to a value of 10 and more when set: its weight, barely
# penalised, becomes a hard rule learned from those few questions. A floor on the scale keeps
# such a feature's pull at what a common one of the same weight has.
SCALE_FLOOR = 0.0


def _bounds(names: Sequence[str]) -> list[tuple[float | None, float | None]]:
    out: list[tuple[float | None, float | None]] = []
    for n in names:
        if n.startswith("asks_") or n in _HELD_AT_ZERO:
            out.append((0.0, 0.0))
        elif n in _NON_NEGATIVE:
            out.append((0.0, None))
        elif n in _NON_POSITIVE:
            out.append((None, 0.0))
        else:
            out.append((None, None))
    return out


def fit(rows: Sequence[dict], c: float = 0.5) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """(mean, scale, weights, bias) of a class-balanced, L2-regularised logistic regression whose
    weights keep the signs above (L-BFGS-B with bounds, scipy)."""
    from scipy.optimize import minimize

    from assistant.answer.confidence import FEATURES

    x, y = _matrix(rows)
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    scale = np.maximum(scale, SCALE_FLOOR)
    z = (x - mean) / scale
    # class-balanced sample weights, as scikit-learn's class_weight="balanced"
    counts = np.bincount(y, minlength=2).astype(float)
    sw = np.where(y == 1, len(y) / (2 * max(counts[1], 1)), len(y) / (2 * max(counts[0], 1)))
    sign = 2 * y - 1

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        w, b = theta[:-1], theta[-1]
        m = sign * (z @ w + b)
        # log(1 + e^-m), stable; its derivative -sigmoid(-m)
        lo = np.logaddexp(0.0, -m)
        g = -sw * sign / (1.0 + np.exp(m))
        value = float(c * (sw * lo).sum() + 0.5 * (w @ w))
        grad = np.concatenate([c * (z.T @ g) + w, [c * g.sum()]])
        return value, grad

    bounds = [*_bounds(FEATURES), (None, None)]
    res = minimize(loss, np.zeros(z.shape[1] + 1), jac=True, method="L-BFGS-B", bounds=bounds)
    return mean, scale, res.x[:-1], float(res.x[-1])


def out_of_fold(
    rows: Sequence[dict], folds: int = 5, c: float = 0.5, extra: Sequence[dict] = ()
) -> np.ndarray:
    """Each row's probability from a model trained without its plan (k folds of whole plans);
    ``extra`` rows (variants of the questions) train with their plan's fold, never scored."""
    x, _ = _matrix(rows)
    plans = sorted({f"{r['corpus']}:{r['plan']}" for r in rows})
    fold_of = {g: i % folds for i, g in enumerate(plans)}
    fold = np.array([fold_of[f"{r['corpus']}:{r['plan']}"] for r in rows])
    fold_extra = [fold_of.get(f"{r['corpus']}:{r['plan']}", -1) for r in extra]
    p = np.zeros(len(rows))
    for k in range(folds):
        te = np.flatnonzero(fold == k)
        if not len(te):
            continue
        train = [rows[i] for i in np.flatnonzero(fold != k)] + [
            r for r, f in zip(extra, fold_extra) if f != k
        ]
        mean, scale, w, b = fit(train, c)
        p[te] = 1 / (1 + np.exp(-(((x[te] - mean) / scale) @ w + b)))
    return p


def curve(rows: Sequence[dict], probs: Sequence[float], grid: Sequence[float] = GRID) -> list[dict[str, Any]]:
    """At each threshold: answerable refused and unanswerable refused (counts and shares)."""
    ans = [p for r, p in zip(rows, probs) if r["answerable"]]
    un = [p for r, p in zip(rows, probs) if not r["answerable"]]
    out = []
    for t in grid:
        a, u = sum(1 for p in ans if p < t), sum(1 for p in un if p < t)
        out.append(
            {
                "threshold": t,
                "answerable_refused": a,
                "answerable_n": len(ans),
                "unanswerable_refused": u,
                "unanswerable_n": len(un),
            }
        )
    return out


def choose_threshold(points: Sequence[dict]) -> float:
    """The lowest threshold meeting both targets of the issue (≥ 85 % unanswerable refused, ≤ 5 %
    answerable refused); else the one refusing most unanswerable questions within the 5 %."""
    ok = [p for p in points if p["answerable_refused"] <= TARGET_ANSWERABLE_REFUSED * p["answerable_n"]]
    if not ok:
        return points[0]["threshold"]
    # the target met: the lowest threshold meeting it (answer whenever the evidence allows)
    enough = [p for p in ok if p["unanswerable_refused"] >= TARGET_UNANSWERABLE_REFUSED * p["unanswerable_n"]]
    if enough:
        # …and above it, while no more answerable question is refused, the threshold refusing the
        # most unanswerable ones: the same cost to the answerable questions, more refusals bought
        low = min(enough, key=lambda p: p["threshold"])
        same = [
            p
            for p in ok
            if p["threshold"] >= low["threshold"] and p["answerable_refused"] == low["answerable_refused"]
        ]
        best = max(p["unanswerable_refused"] for p in same)
        return min(p["threshold"] for p in same if p["unanswerable_refused"] == best)
    best = max(p["unanswerable_refused"] for p in ok)
    return min(p["threshold"] for p in ok if p["unanswerable_refused"] == best)


def flips(rows: Sequence[dict], new, stored) -> list[str]:
    """The dev decisions whose refusal the model to be written changes against the stored scorer
    (both at their own thresholds, on the same recorded features): a retrain's curve can improve
    out of fold and still answer unanswerable questions the stored scorer refuses."""
    out = []
    for r in rows:
        old_p, new_p = stored.prob(r["features"]), new.prob(r["features"])
        before, after = old_p < stored.threshold, new_p < new.threshold
        if before != after:
            kind = "answerable" if r["answerable"] else "unanswerable"
            verb = "refused" if after else "answered"
            out.append(f"{r['corpus']} {r['id']} ({kind}) now {verb}: p {old_p:.2f} → {new_p:.2f}")
    return out


def _pct(a: int, n: int) -> str:
    return f"{a}/{n} ({100 * a / n:.1f} %)" if n else "—"


def render(points: Sequence[dict], chosen: float, title: str) -> str:
    lines = [f"{title}", "", "| threshold | answerable refused | unanswerable refused |", "|---:|---:|---:|"]
    for p in points:
        mark = " ←" if p["threshold"] == chosen else ""
        lines.append(
            f"| {p['threshold']:.2f}{mark} | {_pct(p['answerable_refused'], p['answerable_n'])} "
            f"| {_pct(p['unanswerable_refused'], p['unanswerable_n'])} |"
        )
    return "\n".join(lines)


def before_after(rows: Sequence[dict], probs: Sequence[float], threshold: float) -> str:
    """Per corpus: answer correct, unanswerable refused and answerable refused, under the rule the
    scorer replaced (before) and under the scorer at ``threshold`` (after), from the judged answers."""
    from assistant.answer.common import REFUSE_BELOW

    lines = [
        "| corpus | n | answer correct before → after | unanswerable refused before → after "
        "| answerable refused before → after |",
        "|---|---:|---:|---:|---:|",
    ]
    for corpus in dict.fromkeys(r["corpus"] for r in rows):
        sel = [(r, p) for r, p in zip(rows, probs) if r["corpus"] == corpus]
        # as decide(): passages stand in for a declining handler only above the coverage floor
        floor = [
            r["features"]["own_answered"] > 0 or r["features"]["cov_top3"] >= REFUSE_BELOW for r, _ in sel
        ]
        after_ref = [
            p < threshold or r["candidate_correct"] is None or not f for (r, p), f in zip(sel, floor)
        ]
        after_ok = [
            (not r["answerable"]) if ref else bool(r["candidate_correct"])
            for (r, _), ref in zip(sel, after_ref)
        ]
        un = [i for i, (r, _) in enumerate(sel) if not r["answerable"]]
        an = [i for i, (r, _) in enumerate(sel) if r["answerable"]]
        n = len(sel)
        lines.append(
            f"| {corpus} | {n} | {100 * sum(r['old_correct'] for r, _ in sel) / n:.1f} → {100 * sum(after_ok) / n:.1f} "
            f"| {sum(sel[i][0]['old_refused'] for i in un)}/{len(un)} → {sum(after_ref[i] for i in un)}/{len(un)} "
            f"| {sum(sel[i][0]['old_refused'] for i in an)}/{len(an)} → {sum(after_ref[i] for i in an)}/{len(an)} |"
        )
    return "\n".join(lines)


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m eval.calibrate", description=__doc__.split("\n\n")[0])
    p.add_argument("--work", type=Path, default=Path("data/calibrate"), help="indexes and recorded features")
    p.add_argument("--corpora", default="corpus,provinces,laocai,originals")
    p.add_argument("--reuse", action="store_true", help="retrain from the recorded features")
    p.add_argument("--test", action="store_true", help="also print the test split's curve (figures only)")
    p.add_argument("--no-write", action="store_true", help="print the curve, keep the stored scorer")
    p.add_argument("--c", type=float, default=0.5, help="inverse L2 strength")
    p.add_argument("--scale-floor", type=float, default=None, help="floor on a feature's scale")
    p.add_argument(
        "--augment", action="store_true", help="also ask one variant of each dev question (same label)"
    )
    return p


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(sys.argv[1:] if argv is None else argv)
    from assistant.answer.confidence import FEATURES, SCORER_PATH, Scorer, ScorerFileError, load_scorer

    global SCALE_FLOOR
    if args.scale_floor is not None:
        SCALE_FLOOR = args.scale_floor
    names = args.corpora.split(",")
    work: Path = args.work
    work.mkdir(parents=True, exist_ok=True)
    splits = ("dev", "test") if args.test else ("dev",)
    if args.reuse:
        rows = [
            json.loads(line)
            for n in names
            if (work / f"rows-{n}.jsonl").exists()
            for line in (work / f"rows-{n}.jsonl").read_text(encoding="utf-8").splitlines()
        ]
    else:
        rows = collect(work, splits, names, augment=args.augment)
    dev = originals([r for r in rows if r["split"] == "dev"])
    variants = [r for r in rows if r["split"] == "dev" and r.get("variant")] if args.augment else []
    test = originals([r for r in rows if r["split"] == "test"])
    if variants:
        # the recipe without the variants, on the same questions: the new one is adopted only if
        # out of fold it refuses more unanswerable questions at no more answerable refused
        plain = curve(dev, out_of_fold(dev, c=args.c))
        at = choose_threshold(plain)
        print(render(plain, at, f"Dev, out-of-fold by plan, WITHOUT variants ({len(dev)} questions):"))
        print(f"\n  without variants {summary_at(plain, at)}\n")
    oof = out_of_fold(dev, c=args.c, extra=variants)
    points = curve(dev, oof)
    chosen = choose_threshold(points)
    what = f"with {len(variants)} variants" if variants else "no variants"
    print(render(points, chosen, f"Dev (out-of-fold by plan, {len(dev)} questions, {what}):"))
    print(f"\n  {what} {summary_at(points, chosen)}")
    mean, scale, w, b = fit([*dev, *variants], c=args.c)
    scorer = Scorer(FEATURES, tuple(mean), tuple(scale), tuple(w), b, chosen)
    print("\nDev, out-of-fold probabilities (each plan scored by a model that never saw it):\n")
    print(before_after(dev, oof, chosen))
    print("\nDev, the model written (trained on all of dev; in-sample):\n")
    print(before_after(dev, [scorer.prob(r["features"]) for r in dev], chosen))
    if test:
        tp = [scorer.prob(r["features"]) for r in test]
        print("\n" + render(curve(test, tp), chosen, f"Test (figures only, {len(test)} questions):"))
        print("\n" + before_after(test, tp, chosen))
    try:
        stored = load_scorer(SCORER_PATH)
    except ScorerFileError:
        stored = None  # another version: nothing to compare against
    if stored is not None:
        kept = curve(dev, [stored.prob(r["features"]) for r in dev], (stored.threshold,))
        print(
            f"\n  the stored scorer on these dev questions (partly in sample) {summary_at(kept, stored.threshold)}"
        )
        print("\nRules that refuse what the scorer would answer (dev, as recorded):\n")
        print(render_rules(rule_counts(dev, stored.threshold)))
        changed = flips(dev, scorer, stored)
        print(
            f"\nAgainst the stored scorer (threshold {stored.threshold:.2f}), dev, in sample: {len(changed)} changed"
        )
        print("\n".join(f"  {c}" for c in changed))
    for name, wt in sorted(zip(FEATURES, w), key=lambda t: -abs(t[1]))[:10]:
        print(f"  {name:>16} {wt:+.2f}")
    if not args.no_write:
        command = (
            "python -m eval.calibrate"
            + (" --augment" if args.augment else "")
            + f" --c {args.c} --scale-floor {SCALE_FLOOR}"
        )
        meta = {
            "trained_on": sorted({r["corpus"] for r in dev}),
            "n": len(dev),
            "n_variants": len(variants),
            "c": args.c,
            "scale_floor": SCALE_FLOOR,
            "command": command + " --work <a work folder of indexes> (REAL_PLANS_DIR set)",
        }
        SCORER_PATH.write_text(json.dumps(scorer.to_json(**meta), indent=1) + "\n", encoding="utf-8")
        print(f"\nWrote {SCORER_PATH}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
