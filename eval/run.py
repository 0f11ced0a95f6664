"""Run the gold questions through ours, its ablations and the peers; gate on the baseline.

``run_suite`` returns one JSON-able dict holding every figure (what ``report.json``
stores); ``check_gate`` compares its headline figures with ``eval/baseline.json``.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from .metrics import AnswerJudge, Outcome, QuoteMatcher, answer_figures, retrieval_figures
from .peers import PEER_NAMES, BM25Chunks, DenseChunks, raw_text, split_chunks
from .systems import OUR_CONFIGS, CachedEmbedder, open_assistant, passages_of, search_ids

__all__ = [
    "EVAL_DIR",
    "QUESTIONS",
    "BASELINE",
    "KINDS",
    "TAGS",
    "GATE_KEYS",
    "load_questions",
    "passage_view",
    "run_suite",
    "check_gate",
    "baseline_from",
    "write_baseline",
]

EVAL_DIR = Path(__file__).resolve().parent
QUESTIONS = EVAL_DIR / "questions.jsonl"
BASELINE = EVAL_DIR / "baseline.json"
KINDS = ("lead_unit", "partner_unit", "unit_tasks", "fact", "list", "compare", "unanswerable")
TAGS = ("no_diacritics", "abbreviation", "paraphrase")
GATE_KEYS = ("accuracy", "citation_accuracy", "refusal_recall")
K = 10
CORPUS_SUFFIXES = (".txt", ".md", ".pdf", ".docx")


def load_questions(path: Path = QUESTIONS) -> list[dict]:
    """The gold set, one JSON object per line (blank lines and # comments skipped)."""
    out = []
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        try:
            q = json.loads(line)
        except json.JSONDecodeError as e:
            raise ValueError(f"{path}:{n}: not JSON ({e})") from e
        for key in ("id", "question", "kind"):
            if key not in q:
                raise ValueError(f"{path}:{n}: missing '{key}'")
        out.append(q)
    return out


def tags_of(q: dict) -> tuple[str, ...]:
    return tuple(t for t in TAGS if q.get(t))


def _answerable(q: dict) -> bool:
    return q["kind"] != "unanswerable"


def _groups(questions: Sequence[dict]) -> dict[str, dict[str, list[str]]]:
    kinds: dict[str, list[str]] = defaultdict(list)
    tags: dict[str, list[str]] = defaultdict(list)
    for q in questions:
        kinds[q["kind"]].append(q["id"])
        for t in tags_of(q):
            tags[t].append(q["id"])
    order = {k: i for i, k in enumerate(KINDS)}
    return {
        "kind": dict(sorted(kinds.items(), key=lambda kv: order.get(kv[0], 99))),
        "tag": {t: tags[t] for t in TAGS if t in tags},
    }


def _breakdown(questions, gold, rankings, outcomes=None) -> dict:
    """Figures per kind and per tag, for retrieval and (when given) answers."""
    by_id = {o.qid: o for o in outcomes or []}
    out: dict[str, dict] = {}
    for axis, groups in _groups(questions).items():
        out[axis] = {}
        for name, ids in groups.items():
            g = {qid: gold[qid] for qid in ids if qid in gold}
            entry: dict[str, Any] = {"n": len(ids)}
            if g:
                entry["retrieval"] = retrieval_figures(rankings, g)["figures"]
            if outcomes is not None:
                entry["answers"] = answer_figures([by_id[i] for i in ids if i in by_id])
            out[axis][name] = entry
    return out


def _gold(questions, matcher: QuoteMatcher) -> dict[str, set[str]]:
    return {
        q["id"]: matcher.relevant_to_sources(q.get("sources") or [])
        for q in questions
        if _answerable(q) and q.get("sources")
    }


def _raw_corpus(corpus_dir: Path) -> dict[str, str]:
    """doc → raw text: where each gold quote sits tells apart repeated formulaic lines."""
    return {
        p.name: raw_text(p) for p in sorted(Path(corpus_dir).iterdir()) if p.suffix.lower() in CORPUS_SUFFIXES
    }


def passage_view(p) -> str:
    """A passage as its citation shows it: heading path, responsible units, text.

    The parser moves a table row's unit cells into ``lead``/``partners`` and headings
    into ``section``; a gold quote of a heading or a unit cell is still held there.
    """
    units = []
    if p.lead:
        units.append("Đơn vị chủ trì: " + "; ".join(p.lead))
    if p.partners:
        units.append("Đơn vị phối hợp: " + "; ".join(p.partners))
    return "\n".join([*p.section, *units, p.text])


def _run_ours(assistant, questions, judge: AnswerJudge, log, raw: dict[str, str]) -> dict:
    passages = passages_of(assistant)
    matcher = QuoteMatcher([(p.id, passage_view(p), p.doc) for p in passages], raw)
    gold = _gold(questions, matcher)
    ids = {p.id for p in passages}
    rankings, outcomes = {}, []
    for i, q in enumerate(questions):
        rankings[q["id"]] = search_ids(assistant, q["question"], K)
        ans = assistant.ask(q["question"], history=_history(assistant, q.get("history")))
        units = [u for v in (ans.units or {}).values() for u in (v if isinstance(v, (list, tuple)) else [v])]
        correct, why = judge.judge(q, ans.answer, units, ans.refused)
        cited_ok = top3 = None
        if _answerable(q) and not ans.refused:
            cites = [c for c in ans.citations if not c.related_only]
            cited_ok = any(c.passage_id in gold.get(q["id"], ()) for c in cites if c.passage_id in ids)
            top3 = any(c.passage_id in gold.get(q["id"], ()) for c in cites[:3] if c.passage_id in ids)
            stray = [c for c in cites if c.passage_id not in ids]  # not from the index: judge its text
            if not cited_ok and stray:
                cm = QuoteMatcher([(c.passage_id, c.text, c.doc) for c in stray], raw)
                held = cm.relevant_to_sources(q.get("sources") or [])
                cited_ok = bool(held)
                top3 = top3 or any(c.passage_id in held for c in cites[:3])
            if not cited_ok:
                why = (why + " | " if why else "") + "no citation holds a gold quote"
        outcomes.append(
            Outcome(
                q["id"],
                q["kind"],
                tags_of(q),
                _answerable(q),
                ans.refused,
                correct,
                cited_ok,
                len(ans.answer or ""),
                why,
                ans.answer or "",
                units,
                top3,
            )
        )
        if (i + 1) % 25 == 0:
            log(f"    {i + 1}/{len(questions)}")
    return {"gold": gold, "rankings": rankings, "outcomes": outcomes, "units": len(passages)}


def _history(assistant, turns) -> list[dict] | None:
    """A follow-up's earlier user turns, each asked in order, as the chat history ask() reads."""
    if not turns:
        return None
    out: list[dict] = []
    for turn in turns:
        earlier = assistant.ask(turn, history=out or None)
        out += [{"role": "user", "content": turn}, {"role": "assistant", "content": earlier.answer or ""}]
    return out


def _run_peer(search: Callable[[str], list], matcher, questions) -> dict:
    gold = _gold(questions, matcher)
    rankings = {q["id"]: [c.id for c in search(q["question"])] for q in questions}
    return {"gold": gold, "rankings": rankings}


def _config_entry(label, kind, overrides, res, questions) -> dict:
    entry: dict[str, Any] = {"label": label, "kind": kind, "settings": overrides, "units": res.get("units")}
    entry["retrieval"] = retrieval_figures(res["rankings"], res["gold"])["figures"]
    entry["unresolved_ids"] = sorted(qid for qid, rel in res["gold"].items() if not rel)
    outcomes = res.get("outcomes")
    entry["answers"] = answer_figures(outcomes) if outcomes is not None else None
    entry["breakdown"] = _breakdown(questions, res["gold"], res["rankings"], outcomes)
    by_id = {o.qid: o for o in outcomes or []}
    per = {}
    for q in questions:
        ranked, rel = res["rankings"].get(q["id"], []), res["gold"].get(q["id"])
        row: dict[str, Any] = {
            "first_relevant_rank": next((i + 1 for i, u in enumerate(ranked) if u in rel), None)
            if rel is not None
            else None
        }
        o = by_id.get(q["id"])
        if o is not None:
            row.update(correct=o.correct, refused=o.refused, cited_ok=o.cited_ok, cited_top3=o.cited_top3)
        per[q["id"]] = row
    entry["per_question"] = per
    return entry


def _failures(questions, res) -> list[dict]:
    by_q = {q["id"]: q for q in questions}
    out = []
    for o in res["outcomes"]:
        if o.correct and o.cited_ok is not False:
            continue
        q = by_q[o.qid]
        out.append(
            {
                "id": o.qid,
                "kind": o.kind,
                "tags": list(o.tags),
                "question": q["question"],
                "gold": q.get("answer", ""),
                "expected_all": q.get("expected_all") or [],
                "expected_any": q.get("expected_any") or [],
                "refused": o.refused,
                "correct": o.correct,
                "cited_ok": o.cited_ok,
                "why": o.why,
                "answered": o.answer[:400],
                "units": o.units,
            }
        )
    return out


def _shown(path: Path) -> str:
    """A path as the report shows it: relative to the repository when inside it."""
    try:
        return str(Path(path).resolve().relative_to(EVAL_DIR.parent))
    except ValueError:
        return str(path)


def _sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def run_suite(
    settings,
    questions_path: Path = QUESTIONS,
    *,
    configs: Sequence[str] | None = None,
    peers: bool = True,
    work: Path | None = None,
    embedder=None,
    ours=None,
    log: Callable[[str], None] = print,
) -> dict:
    """Run every configuration on the gold questions; return every figure as one dict.

    ``configs`` selects among ours and its ablations by name (all when None), or adds
    a ``Config`` of one's own (the gate test runs a deliberately broken one);
    ``ours`` may be an already built Assistant (its settings and index are reused).
    """
    from assistant.indexing.embedders import get_embedder

    t0 = time.perf_counter()
    questions = load_questions(questions_path)
    judge = AnswerJudge()
    if ours is not None:
        settings = ours.settings if hasattr(ours, "settings") else settings
    own_tmp = None
    if work is None and ours is None:
        own_tmp = tempfile.TemporaryDirectory(prefix="tlkh-eval-")
        work = Path(own_tmp.name)
    if ours is None:
        settings = settings.model_copy(
            update={"index_dir": Path(work) / "index", "data_dir": Path(work) / "data"}
        )
    emb = embedder or CachedEmbedder(get_embedder(settings.embedder))
    wanted = OUR_CONFIGS(settings.fusion)
    if configs is not None:
        named = {c.name: c for c in wanted}
        unknown = [c for c in configs if isinstance(c, str) and c not in named]
        if unknown:
            raise ValueError(f"unknown configuration(s): {', '.join(unknown)}; known: {', '.join(named)}")
        wanted = [named[c] if isinstance(c, str) else c for c in configs]
    raw = _raw_corpus(settings.corpus_dir)
    report: dict[str, Any] = {"configs": {}, "meta": {}}
    results: dict[str, dict] = {}
    try:
        for cfg in wanted:
            t = time.perf_counter()
            log(f"  {cfg.label} …")
            if cfg.name == "ours" and ours is not None and not cfg.overrides:
                a = ours
            else:
                a = open_assistant(
                    settings,
                    emb,
                    cfg.overrides,
                    own_index=(Path(work) / f"index-{cfg.name}") if work else None,
                )
            res = results[cfg.name] = _run_ours(a, questions, judge, log, raw)
            report["configs"][cfg.name] = _config_entry(
                cfg.label, "ours" if cfg.name == "ours" else "ablation", cfg.overrides, res, questions
            )
            report["configs"][cfg.name]["seconds"] = round(time.perf_counter() - t, 1)
        if peers:
            t = time.perf_counter()
            chunks = split_chunks(list(raw.items()))
            matcher = QuoteMatcher([(c.id, c.text, c.doc) for c in chunks], raw)
            log(f"  {PEER_NAMES['langchain']} ({len(chunks)} chunks) …")
            dense = DenseChunks(chunks, emb)
            bm25 = BM25Chunks(chunks)
            for name, index in (("langchain", dense), ("bm25", bm25)):
                res = _run_peer(lambda q, index=index: index.search(q, K), matcher, questions)
                res["units"] = len(chunks)
                report["configs"][name] = _config_entry(PEER_NAMES[name], "peer", {}, res, questions)
            report["configs"]["langchain"]["seconds"] = round(time.perf_counter() - t, 1)
    finally:
        if own_tmp is not None:
            own_tmp.cleanup()
    if "ours" in results:
        report["failures"] = _failures(questions, results["ours"])
    kinds = defaultdict(int)
    for q in questions:
        kinds[q["kind"]] += 1
    report["meta"] = {
        "embedder": emb.id,
        "questions": _shown(questions_path),
        "questions_sha256": _sha256(questions_path),
        "n_questions": len(questions),
        "by_kind": dict(kinds),
        "by_tag": {t: sum(1 for q in questions if q.get(t)) for t in TAGS},
        "corpus": sorted(
            p.name for p in Path(settings.corpus_dir).iterdir() if p.suffix.lower() in CORPUS_SUFFIXES
        ),
        "default_settings": {
            "fusion": settings.fusion,
            "dense_weight": settings.dense_weight,
            "use_units": settings.use_units,
            "refuse_below": settings.refuse_below,
            "top_k": settings.top_k,
        },
        "k": K,
        "texts_embedded": getattr(emb, "encoded", None),
        "seconds": round(time.perf_counter() - t0, 1),
    }
    return report


def check_gate(figures: dict, baseline: dict, margin: float = 0.03) -> list[str]:
    """Regressions of the gated figures: each falls more than ``margin`` below the baseline.

    ``figures`` is ours' answer figures (``report["configs"]["ours"]["answers"]``);
    ``baseline`` is the content of ``eval/baseline.json`` (or its ``figures``).
    """
    base = baseline.get("figures", baseline)
    problems = []
    for key in GATE_KEYS:
        want = base.get(key)
        if want is None:
            continue
        got = figures.get(key)
        if got is None:
            problems.append(f"{key}: not measured (baseline {want:.3f})")
        elif got < want - margin:
            problems.append(
                f"{key}: {got:.3f} is below the baseline {want:.3f} by {want - got:.3f} (margin {margin:.3f})"
            )
    return problems


def baseline_from(report: dict, command: str = "") -> dict:
    ours = report["configs"]["ours"]
    return {
        "note": "Recorded figures the CI gate (tests/test_eval_gate.py) compares against. "
        "Raise them only in a deliberate commit, with `python -m eval --write-baseline`.",
        "command": command,
        "embedder": report["meta"]["embedder"],
        "questions_sha256": report["meta"]["questions_sha256"],
        "n_questions": report["meta"]["n_questions"],
        "figures": {k: ours["answers"][k] for k in GATE_KEYS},
        "informational": {
            "hit@5": ours["retrieval"]["hit@5"],
            "mrr": ours["retrieval"]["mrr"],
            "refusal_precision": ours["answers"]["refusal_precision"],
        },
    }


def write_baseline(report: dict, path: Path = BASELINE, command: str = "") -> dict:
    data = baseline_from(report, command)
    Path(path).write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return data
