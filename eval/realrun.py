"""Run the real-plan suite (``eval/realplans``): each corpus over its own index, figures per split.

``python -m eval --suite realplans [--split dev|test] [--corpora provinces,laocai,originals]``
runs ours (and, unless ``--no-peers``, the LangChain-tutorial and BM25 chunk peers) on the
questions of each corpus with :func:`eval.run.run_suite`, then cuts every figure by split.
Only the development split's misses are written out (``report/failures-dev.md``): the test
split is reported as figures alone, so its misses are not read while the rules change.
"""

from __future__ import annotations

import json
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from .realsuite import BASELINE, QUESTIONS, SPLITS, corpora, data_dir, load_suite, questions_for

__all__ = [
    "GATE_KEYS",
    "split_figures",
    "run_realplans",
    "render_markdown",
    "write_report",
    "baseline_from",
    "check_real_gate",
]

GATE_KEYS = ("accuracy", "citation_accuracy", "refusal_recall")
_HITS = (1, 3, 10)


def _ratio(num: float, den: float) -> float | None:
    return None if den == 0 else num / den


def split_figures(questions: Sequence[dict], entry: dict, *, answers: bool) -> dict[str, Any]:
    """One configuration's figures over ``questions`` (a split), from its per-question rows."""
    rows = entry["per_question"]
    unresolved = set(entry.get("unresolved_ids") or ())
    ans = [q for q in questions if q["kind"] != "unanswerable"]
    ranks = [rows[q["id"]].get("first_relevant_rank") for q in ans if q["id"] in rows]
    out: dict[str, Any] = {"n": len(questions), "answerable_n": len(ans)}
    for k in _HITS:
        out[f"hit@{k}"] = _ratio(sum(1 for r in ranks if r is not None and r <= k), len(ans))
    out["gold_unresolved"] = sum(1 for q in ans if q["id"] in unresolved)
    if not answers:
        return out
    un = [q for q in questions if q["kind"] == "unanswerable"]
    r = {q["id"]: rows[q["id"]] for q in questions}
    judged = [q for q in ans if not r[q["id"]]["refused"]]
    tp = sum(1 for q in un if r[q["id"]]["refused"])
    fp = sum(1 for q in ans if r[q["id"]]["refused"])
    out.update(
        accuracy=_ratio(sum(1 for q in questions if r[q["id"]]["correct"]), len(questions)),
        answerable_accuracy=_ratio(sum(1 for q in ans if r[q["id"]]["correct"]), len(ans)),
        citation_accuracy=_ratio(sum(1 for q in judged if r[q["id"]]["cited_ok"]), len(judged)),
        citation_top3=_ratio(sum(1 for q in ans if r[q["id"]].get("cited_top3")), len(ans)),
        refusal_recall=_ratio(tp, len(un)),
        refusal_precision=_ratio(tp, tp + fp),
        unanswerable_refused=tp,
        unanswerable_n=len(un),
        answerable_refused=fp,
    )
    by_kind: dict[str, list[bool]] = defaultdict(list)
    for q in questions:
        by_kind[q["kind"]].append(bool(r[q["id"]]["correct"]))
    out["by_kind"] = {k: {"n": len(v), "accuracy": sum(v) / len(v)} for k, v in sorted(by_kind.items())}
    for tag in ("no_diacritics", "paraphrase", "history"):
        sel = [q for q in questions if q.get(tag)]
        if sel:
            out[f"accuracy_{tag}"] = sum(1 for q in sel if r[q["id"]]["correct"]) / len(sel)
    return out


def run_realplans(
    settings,
    *,
    names: Sequence[str] | None = None,
    splits: Sequence[str] = SPLITS,
    peers: bool = True,
    work: Path | None = None,
    embedder=None,
    questions_path: Path = QUESTIONS,
    log: Callable[[str], None] = print,
) -> dict[str, Any]:
    """Every corpus of the suite (or those in ``names``) through ours and the peers; one dict."""
    from .run import run_suite

    t0 = time.perf_counter()
    root = data_dir()
    allq = load_suite(questions_path)
    report: dict[str, Any] = {"corpora": {}, "failures_dev": [], "meta": {}}
    own = None
    if work is None:
        own = tempfile.TemporaryDirectory(prefix="tlkh-realplans-")
        work = Path(own.name)
    Path(work).mkdir(parents=True, exist_ok=True)  # a --work folder named but not made yet
    try:
        for spec in corpora():
            if names and spec.name not in names:
                continue
            qs = [q for q in questions_for(spec, allq) if q["split"] in splits]
            if not qs:
                continue
            folder = root / spec.folder
            qfile = Path(work) / f"questions-{spec.name}.jsonl"
            qfile.write_text("".join(json.dumps(q, ensure_ascii=False) + "\n" for q in qs), encoding="utf-8")
            log(f"[{spec.name}] {len(qs)} questions over {folder.name}/ …")
            s = settings.model_copy(update={"corpus_dir": folder})
            rep = run_suite(
                s,
                qfile,
                configs=["ours"],
                peers=peers,
                work=Path(work) / spec.name,
                embedder=embedder,
                log=log,
            )
            entry: dict[str, Any] = {
                "folder": spec.folder,
                "plans": rep["meta"]["corpus"],
                "seconds": rep["meta"]["seconds"],
                "splits": {},
            }
            for split in splits:
                sq = [q for q in qs if q["split"] == split]
                if not sq:
                    continue
                entry["splits"][split] = {
                    name: split_figures(sq, cfg, answers=cfg.get("answers") is not None)
                    for name, cfg in rep["configs"].items()
                }
            report["corpora"][spec.name] = entry
            dev = {q["id"]: q for q in qs if q["split"] == "dev"}
            for f in rep.get("failures", []):
                if f["id"] in dev:
                    row = dict(f, corpus=spec.name, history=dev[f["id"]].get("history"))
                    report["failures_dev"].append(row)
            report["meta"]["embedder"] = rep["meta"]["embedder"]
    finally:
        if own is not None:
            own.cleanup()
    report["meta"].update(
        questions=str(questions_path.name),
        n_questions=len(allq),
        by_split=dict(Counter(q["split"] for q in allq)),
        seconds=round(time.perf_counter() - t0, 1),
    )
    return report


def _pct(v: float | None) -> str:
    return "—" if v is None else f"{100 * v:.1f}"


_LABEL = {"ours": "Ours (hybrid)", "langchain": "LangChain chunks (dense)", "bm25": "BM25 chunks"}


def render_markdown(report: dict, command: str = "") -> str:
    lines = ["# Real-plan suite: figures", ""]
    if command:
        lines += [f"Command: `{command}`", ""]
    lines += [f"Embedder: {report['meta'].get('embedder')}; {report['meta'].get('seconds')} s in all.", ""]
    lines += [
        "| corpus | split | system | n | answer correct | right passage in first 3 citations "
        "| citation accuracy | unanswerable refused | answerable refused | hit@1 | hit@3 | hit@10 |",
        "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for cname, c in report["corpora"].items():
        for split, systems in c["splits"].items():
            for name, f in systems.items():
                if "accuracy" in f:
                    ans = [
                        _pct(f["accuracy"]),
                        _pct(f["citation_top3"]),
                        _pct(f["citation_accuracy"]),
                        f"{f['unanswerable_refused']}/{f['unanswerable_n']}",
                        f"{f['answerable_refused']}/{f['answerable_n']}",
                    ]
                else:
                    ans = ["—"] * 5
                hits = [_pct(f[f"hit@{k}"]) for k in _HITS]
                lines.append(
                    f"| {cname} | {split} | {_LABEL.get(name, name)} | {f['n']} | "
                    + " | ".join(ans + hits)
                    + " |"
                )
    lines += ["", "Answer accuracy of ours by question kind (dev / test):", ""]
    kinds = sorted(
        {
            k
            for c in report["corpora"].values()
            for s in c["splits"].values()
            for k in s["ours"].get("by_kind", {})
        }
    )
    lines += ["| corpus | " + " | ".join(kinds) + " |", "|---|" + "---:|" * len(kinds)]
    for cname, c in report["corpora"].items():
        cells = []
        for k in kinds:
            parts = []
            for split in SPLITS:
                bk = c["splits"].get(split, {}).get("ours", {}).get("by_kind", {}).get(k)
                parts.append(f"{100 * bk['accuracy']:.0f}% ({bk['n']})" if bk else "—")
            cells.append(" / ".join(parts))
        lines.append(f"| {cname} | " + " | ".join(cells) + " |")
    lines += [
        "",
        f"Development-split misses of ours: {len(report['failures_dev'])} (see failures-dev.md).",
        "",
    ]
    return "\n".join(lines)


def _failures_md(report: dict) -> str:
    out = [
        "# Development-split misses of ours",
        "",
        "Only the dev split is listed; the test split's misses are not written out.",
        "",
    ]
    for f in report["failures_dev"]:
        hist = f" (after: {' / '.join(f['history'])})" if f.get("history") else ""
        out += [
            f"## {f['id']} [{f['corpus']}, {f['kind']}] {f['question']}{hist}",
            f"- gold: {f['gold']}",
            f"- why: {'refused' if f['refused'] else f['why']}",
            f"- answered: {' '.join((f['answered'] or '').split())[:300]}",
            "",
        ]
    return "\n".join(out)


def write_report(report: dict, out: Path, command: str = "") -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    report = dict(report, meta=dict(report["meta"], command=command))
    paths = [out / "report.md", out / "report.json", out / "failures-dev.md"]
    paths[0].write_text(render_markdown(report, command), encoding="utf-8")
    paths[1].write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    paths[2].write_text(_failures_md(report), encoding="utf-8")
    return paths


def baseline_from(report: dict, command: str = "") -> dict:
    figs = {
        cname: {split: {k: s["ours"][k] for k in GATE_KEYS} for split, s in c["splits"].items()}
        for cname, c in report["corpora"].items()
    }
    return {
        "note": "Recorded figures of the real-plan suite (eval/realplans); tests/test_eval_realplans.py fails "
        "when ours falls more than 0.03 below them, per corpus and split. Raise them only in a deliberate commit.",
        "command": command,
        "embedder": report["meta"]["embedder"],
        "figures": figs,
    }


def check_real_gate(report: dict, baseline: dict, margin: float = 0.03) -> list[str]:
    """Regressions: a gated figure of a corpus and split more than ``margin`` below the baseline."""
    problems = []
    for cname, splits in baseline["figures"].items():
        for split, want in splits.items():
            got = report["corpora"].get(cname, {}).get("splits", {}).get(split, {}).get("ours")
            if got is None:
                problems.append(f"{cname}/{split}: not measured")
                continue
            for key in GATE_KEYS:
                w, g = want.get(key), got.get(key)
                if w is None:
                    continue
                if g is None or g < w - margin:
                    problems.append(
                        f"{cname}/{split} {key}: {g} below the baseline {w:.3f} (margin {margin})"
                    )
    return problems


def write_baseline(report: dict, path: Path = BASELINE, command: str = "") -> dict:
    data = baseline_from(report, command)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return data
