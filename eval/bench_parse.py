"""The question parser's time as the collection grows in plans: ``python -m eval.bench_parse``.

The parser reads the loaded collection's catalogue (``query.catalog.Catalog``): which plans a
number, a proper name or a place the question gives belongs to. A province's or a nation's portal
holds thousands of plans, so a look-up that reads every plan's text grows with them (session 19:
0.3–0.6 s a question at 500 plans, ``eval.bench_pg``). This benchmark builds the catalogue over
``N`` copies of each corpus plan (each copy its own plan, as a portal holds many plans of one
kind) and times ``parse_question`` on the eval questions (``eval/questions.jsonl`` and the dev
part of ``eval/realplans/questions.jsonl``): the working tree's catalogue and parser against
those of git revision ``--ab`` (``eval.bench_ab.load_old``), alternating per question in one
process; it prints p50 / p95 / mean CPU ms of each, their ratios, how many questions parse alike,
and the new catalogue's build time.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import time
from pathlib import Path

import numpy as np

from assistant.ingest import parse_file
from assistant.ingest.units import match_unit_in_text
from assistant.query.catalog import Catalog
from assistant.query.parse import parse_question
from assistant.records import DocMeta, Passage
from assistant.snapshot import aliases_by_unit
from eval.bench_ab import load_old, resolve

__all__ = ["PARSE_MODULES", "copies_catalog", "main", "measure"]

# the parser's modules that read the catalogue, loaded old from the ``--ab`` revision
PARSE_MODULES = ("assistant.query.catalog", "assistant.query.collection", "assistant.query.parse")

ROOT = Path(__file__).resolve().parents[1]
QUESTION_FILES = (ROOT / "eval" / "questions.jsonl", ROOT / "eval" / "realplans" / "questions.jsonl")


def _questions() -> list[str]:
    out = []
    for path in QUESTION_FILES:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                q = json.loads(line)
                if q.get("split", "dev") == "dev":  # the held-out part's texts are not used
                    out.append(q["question"])
    return out


def copies_catalog(corpus: Path, copies: int, catalog: type = Catalog) -> tuple[Catalog, float]:
    """The ``catalog`` over ``copies`` copies of each plan of ``corpus``; returns it and its build s."""
    docs: dict[str, DocMeta] = {}
    passages: list[Passage] = []
    for path in sorted(corpus.iterdir()):
        if path.suffix.lower() not in (".txt", ".md", ".pdf", ".docx"):
            continue
        parsed = parse_file(path)
        for c in range(copies):
            name = parsed.meta.doc if c == 0 else f"{parsed.meta.doc}~{c}"
            docs[name] = dataclasses.replace(parsed.meta, doc=name)
            passages.extend(dataclasses.replace(p, doc=name, id=f"{p.id}~{c}") for p in parsed.passages)
    t = time.process_time()
    cat = catalog.build(docs, passages, unit_matcher=match_unit_in_text, aliases=dict(aliases_by_unit()))
    return cat, time.process_time() - t


def _pct(xs: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(xs), q))


def measure(corpus: Path, copies: int, rounds: int, rev: str) -> dict[str, float]:
    """Old (``rev``'s) and new parsers' CPU ms per question, alternating; see the module doc."""
    mods = load_old(rev, modules=PARSE_MODULES)
    new, build_s = copies_catalog(corpus, copies)
    old, _ = copies_catalog(corpus, copies, mods["assistant.query.catalog"].Catalog)
    parse = {"old": mods["assistant.query.parse"].parse_question, "new": parse_question}
    questions = _questions()
    ms: dict[str, list[float]] = {"old": [], "new": []}
    same = 0
    for r in range(rounds):
        for q in questions:
            parsed = {}
            for side, cat in (("old", old), ("new", new)) if r % 2 == 0 else (("new", new), ("old", old)):
                t = time.process_time()
                parsed[side] = parse[side](q, cat)
                ms[side].append((time.process_time() - t) * 1000)
            same += r == 0 and parsed["old"] == parsed["new"]
    row = {
        "plans": float(len(new.docs)),
        "build_s": build_s,
        "same": float(same),
        "questions": float(len(questions)),
    }
    for side in ("old", "new"):
        row.update({f"{side}_p50": _pct(ms[side], 50), f"{side}_p95": _pct(ms[side], 95)})
        row[f"{side}_mean"] = float(np.mean(ms[side]))
    for stat in ("p50", "p95", "mean"):
        row[f"x_{stat}"] = row[f"new_{stat}"] / row[f"old_{stat}"]
    return row


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m eval.bench_parse", description=__doc__.split("\n")[0])
    p.add_argument("--copies", default="1,100,1000", help="copies of each corpus plan, comma-separated")
    p.add_argument("--rounds", type=int, default=2, help="passes over the questions (order flips each pass)")
    p.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    p.add_argument("--ab", default="HEAD", help="the git revision whose parser is the old one")
    a = p.parse_args(argv)
    rev = resolve(a.ab)
    print(f"old: {rev[:12]}; new: the working tree")
    print(
        "| plans | index build s | questions parsed alike | old p50 / p95 / mean | new p50 / p95 / mean | × p50 / p95 / mean |"
    )
    print("|---:|---:|---:|---|---|---|")
    for c in (int(x) for x in a.copies.split(",")):
        r = measure(a.corpus, c, a.rounds, rev)
        print(
            f"| {r['plans']:.0f} | {r['build_s']:.2f} | {r['same']:.0f}/{r['questions']:.0f} "
            f"| {r['old_p50']:.2f} / {r['old_p95']:.2f} / {r['old_mean']:.2f} "
            f"| {r['new_p50']:.2f} / {r['new_p95']:.2f} / {r['new_mean']:.2f} "
            f"| {r['x_p50']:.3f} / {r['x_p95']:.3f} / {r['x_mean']:.3f} |",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
