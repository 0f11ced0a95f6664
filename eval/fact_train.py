"""Train the fact-sentence scorer (``assistant/answer/fact_scorer.py``) and print its out-of-fold figure.

``python -m eval.fact_train --work W`` asks every answerable development question of kind fact or
routing of the real-plan suite (``dev`` split; never ``test``) through the whole pipeline with the
hand score, over the indexes an eval run left in ``W/<corpus>/index``, and records each call of
``best_fact_segment``: its candidate segments (the same passages, ``qualified_segments`` and
``rule.require`` filter the runtime uses), their ``FEATURES`` and hand scores. A candidate is
labelled by the suite's ``AnswerJudge``: its text holds the expected strings. For each model
(``point``/``pair`` logistic regression, ``eval.rerank_train.fit``) and regularisation, a group
k-fold by plan scores each held-out plan's calls with a model that never saw that plan: the share
of questions whose chosen segment holds the answer, learned against the hand sum on the same
candidates. The best, refitted on every call, is written to ``assistant/data/fact_scorer.json``
unless ``--no-write``. ``--reuse`` retrains from ``W/fact-<corpus>.jsonl``.
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

from .realsuite import QUESTIONS as REAL_QUESTIONS
from .realsuite import corpora, data_dir, load_suite, questions_for
from .rerank_train import CS, FOLDS, _folds, _plan_of, fit

__all__ = ["collect", "chosen_ok", "out_of_fold", "main"]

KINDS = ("fact", "routing")
COMMAND = "python -m eval.fact_train --work W"


def _asked(assistant, qs: Sequence[dict], corpus: str) -> list[dict]:
    """Each question asked with the hand score, every call of ``best_fact_segment`` recorded."""
    from assistant.answer.fact_scorer import FEATURES, recording

    from .metrics import AnswerJudge
    from .run import _history

    judge = AnswerJudge()
    got = []
    for q in qs:
        history = _history(assistant, q.get("history"))
        with recording() as calls:
            assistant.ask(q["question"], history=history)
        if not calls:
            continue
        got.append(
            {
                "id": q["id"],
                "corpus": corpus,
                "plan": _plan_of(q),
                "calls": [
                    {
                        "rule": c.rule,
                        "x": [[x[f] for f in FEATURES] for x in c.x],
                        "hand": c.hand,
                        "y": [judge.judge(q, text, [], False)[0] for text in c.texts],
                    }
                    for c in calls
                ],
            }
        )
    return got


def _settings(index: Path, data: Path, corpus: Path):
    from assistant.settings import load_settings

    return load_settings().model_copy(
        update={"fact_scorer": False, "index_dir": index, "data_dir": data, "corpus_dir": corpus}
    )


def collect(
    work: Path, names: Sequence[str], log=print, split: str = "dev", corpus_work: Path | None = None
) -> list[dict]:
    """One row per question that reached ``best_fact_segment``: its calls, each with its
    candidates' features, hand scores and labels. ``split`` "test" only serves ``--show-test``'s
    figures: its rows are never written nor trained on. ``corpus_work``: also the fact questions
    of the corpus suite (``eval/questions.jsonl``, the five corpus plans), over its eval work dir."""
    from assistant.indexing.embedders import get_embedder

    from .run import QUESTIONS, _answerable, load_questions
    from .systems import CachedEmbedder, open_assistant

    emb = CachedEmbedder(get_embedder(_settings(work, work, work).embedder))
    allq = load_suite(REAL_QUESTIONS)
    rows: list[dict] = []
    for spec in corpora():
        if spec.name not in names:
            continue
        t = time.perf_counter()
        qs = [q for q in questions_for(spec, allq, split) if q["kind"] in KINDS and _answerable(q)]
        w = work / spec.name
        got = _asked(
            open_assistant(_settings(w / "index", w / "data", data_dir() / spec.folder), emb), qs, spec.name
        )
        if split == "dev":
            (work / f"fact-{spec.name}.jsonl").write_text(
                "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in got), encoding="utf-8"
            )
        log(
            f"[{spec.name}] {len(got)} of {len(qs)} questions reached the fact scorer ({time.perf_counter() - t:.0f} s)"
        )
        rows += got
    if corpus_work is not None and split == "dev":
        qs = [q for q in load_questions(QUESTIONS) if q["kind"] in KINDS]
        corpus_dir = Path(__file__).resolve().parent.parent / "corpus"
        s = _settings(corpus_work / "index", corpus_work / "data", corpus_dir)
        got = _asked(open_assistant(s, emb), qs, "corpus")
        (work / "fact-corpus.jsonl").write_text(
            "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in got), encoding="utf-8"
        )
        log(f"[corpus] {len(got)} of {len(qs)} questions reached the fact scorer")
        rows += got
    return rows


def _first_max(s: Sequence[float]) -> int:
    """The candidate ``best_fact_segment`` keeps: the first of the highest (a later one must beat it)."""
    best = 0
    for i, v in enumerate(s):
        if v > s[best] + 1e-9:
            best = i
    return best


def chosen_ok(rows: Sequence[dict], scores: Sequence[Sequence[float] | None]) -> float:
    """Share of questions whose first call's chosen candidate holds the answer (``None``: the
    hand scores)."""
    got = 0
    for r, s in zip(rows, scores):
        c = r["calls"][0]
        got += bool(c["y"][_first_max(c["hand"] if s is None else s)])
    return got / len(rows) if rows else 0.0


def _data(rows: Sequence[dict]) -> list[tuple[np.ndarray, np.ndarray]]:
    return [
        (np.array(c["x"], dtype=float), np.array(c["y"], dtype=float))
        for r in rows
        for c in r["calls"]
        if c["x"]
    ]


def out_of_fold(rows: Sequence[dict], model: str, c: float, folds: int = FOLDS) -> list[list[float] | None]:
    """Each question's first-call scores by a model fitted on the other plans' folds."""
    fold = _folds(rows, folds)
    out: list[list[float] | None] = [None] * len(rows)
    for k in range(folds):
        te, tr = np.flatnonzero(fold == k), np.flatnonzero(fold != k)
        if not len(te):
            continue
        mean, scale, w = fit(_data([rows[i] for i in tr]), model, c)
        for i in te:
            x = np.array(rows[i]["calls"][0]["x"], dtype=float)
            out[i] = list(((x - mean) / scale) @ w)
    return out


def _show_test(work: Path, names: Sequence[str], mean: np.ndarray, scale: np.ndarray, w: np.ndarray) -> None:
    """The test part, as figures only (its misses are never printed: the rules must not be read
    against it): share of its questions whose chosen segment holds the answer, hand and learned."""
    rows = collect(work, names, log=lambda _m: None, split="test")
    for cn in dict.fromkeys(r["corpus"] for r in rows):
        part = [r for r in rows if r["corpus"] == cn]
        learned = [list(((np.array(r["calls"][0]["x"], dtype=float) - mean) / scale) @ w) for r in part]
        reach = sum(any(r["calls"][0]["y"]) for r in part) / len(part)
        print(
            f"test {cn}: {len(part)} questions reached the fact scorer; a candidate holds the answer for "
            f"{100 * reach:.1f} %; chosen right: hand {100 * chosen_ok(part, [None] * len(part)):.1f} %, "
            f"learned {100 * chosen_ok(part, learned):.1f} %"
        )


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m eval.fact_train", description=__doc__.split("\n\n")[0])
    p.add_argument("--work", type=Path, required=True, help="an eval work dir (W/<corpus>/index)")
    p.add_argument("--corpora", default="provinces,laocai,originals")
    p.add_argument(
        "--corpus-work",
        type=Path,
        help="also train on the corpus suite's fact questions, over this eval work dir (its index)",
    )
    p.add_argument("--reuse", action="store_true", help="retrain from W/fact-<corpus>.jsonl")
    p.add_argument("--folds", type=int, default=FOLDS)
    p.add_argument("--no-write", action="store_true", help="print the figures, keep the stored model")
    p.add_argument(
        "--show-test",
        action="store_true",
        help="also print the test part's figures (hand sum against the model fitted here): figures only",
    )
    return p


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(sys.argv[1:] if argv is None else argv)
    from assistant.answer.fact_scorer import FACT_SCORER_PATH, FEATURES, FactScorer

    names = args.corpora.split(",")
    work: Path = args.work
    if args.corpus_work is not None:
        names.append("corpus")  # --reuse reads W/fact-corpus.jsonl too
    if args.reuse:
        rows = [
            json.loads(line)
            for n in names
            if (work / f"fact-{n}.jsonl").exists()
            for line in (work / f"fact-{n}.jsonl").read_text(encoding="utf-8").splitlines()
        ]
    else:
        rows = collect(work, names, corpus_work=args.corpus_work)
    corp = list(dict.fromkeys(r["corpus"] for r in rows))
    reach = sum(any(r["calls"][0]["y"]) for r in rows) / len(rows)
    hand = chosen_ok(rows, [None] * len(rows))
    print(
        f"{len(rows)} dev questions reached the fact scorer ({sum(len(r['calls']) for r in rows)} calls); "
        f"a candidate of the first call holds the answer for {100 * reach:.1f} %; the hand sum chooses one "
        f"for {100 * hand:.1f} %"
    )
    print("\n| model | C | " + " | ".join(corp) + " | all |\n|---|---:|" + "---:|" * (len(corp) + 1))
    results: list[tuple[float, str, float]] = []
    per_hand = [chosen_ok([r for r in rows if r["corpus"] == cn], [None] * len(rows)) for cn in corp]
    print("| hand | – | " + " | ".join(f"{100 * h:.1f}" for h in per_hand) + f" | {100 * hand:.1f} |")
    for model in ("point", "pair"):
        for c in CS:
            scores = out_of_fold(rows, model, c, args.folds)
            per = [
                chosen_ok(
                    [r for r in rows if r["corpus"] == cn],
                    [s for r, s in zip(rows, scores) if r["corpus"] == cn],
                )
                for cn in corp
            ]
            allv = chosen_ok(rows, scores)
            results.append((allv, model, c))
            print(
                f"| {model} | {c} | " + " | ".join(f"{100 * v:.1f}" for v in per) + f" | {100 * allv:.1f} |"
            )
    oof, model, c = max(results, key=lambda t: t[0])
    print(
        f"\nChosen: {model}, C {c}: out of fold {100 * oof:.1f} % against the hand sum's {100 * hand:.1f} %"
    )
    mean, scale, w = fit(_data(rows), model, c)
    for name, wt in sorted(zip(FEATURES, w), key=lambda t: -abs(t[1]))[:12]:
        print(f"  {name:>22} {wt:+.3f}")
    if args.show_test:
        _show_test(work, names, mean, scale, w)
    if args.no_write:
        return 0
    meta: dict[str, Any] = {
        "command": COMMAND,
        "trained_on": corp,
        "questions": len(rows),
        "model": model,
        "c": c,
        "oof_chosen_ok": round(oof, 4),
        "hand_chosen_ok": round(hand, 4),
        "reachable": round(reach, 4),
    }
    fs = FactScorer(FEATURES, tuple(map(float, mean)), tuple(map(float, scale)), tuple(map(float, w)))
    FACT_SCORER_PATH.write_text(json.dumps(fs.to_json(**meta), indent=1) + "\n", encoding="utf-8")
    print(f"\nWrote {FACT_SCORER_PATH}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
