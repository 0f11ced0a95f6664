"""Turn a run's figures into the printed table, report.md, report.json and chart.png."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

__all__ = ["format_table", "write_outputs", "render_markdown", "write_chart"]

RET_COLS = (
    ("hit@1", "hit@1"),
    ("hit@3", "hit@3"),
    ("hit@5", "hit@5"),
    ("hit@10", "hit@10"),
    ("mrr", "MRR"),
    ("ndcg@10", "nDCG@10"),
)
ANS_COLS = (
    ("accuracy", "Acc"),
    ("citation_accuracy", "Cite"),
    ("refusal_precision", "RefP"),
    ("refusal_recall", "RefR"),
    ("median_answer_chars", "Len"),
)
_PCT = {
    "hit@1",
    "hit@3",
    "hit@5",
    "hit@10",
    "accuracy",
    "citation_accuracy",
    "refusal_precision",
    "refusal_recall",
    "answerable_accuracy",
}


def _fmt(key: str, v: Any) -> str:
    if v is None:
        return "—"
    if key in _PCT:
        return f"{100 * v:.1f}"
    if key in ("median_answer_chars", "seconds"):
        return f"{v:.0f}"
    if isinstance(v, float):
        return f"{v:.3f}"
    return str(v)


def _rows(report: dict) -> list[list[str]]:
    rows = []
    for cfg in report["configs"].values():
        r, a = cfg["retrieval"], cfg.get("answers") or {}
        rows.append(
            [
                cfg["label"],
                str(cfg.get("units") or "—"),
                *(_fmt(k, r.get(k)) for k, _ in RET_COLS),
                *(_fmt(k, a.get(k)) for k, _ in ANS_COLS),
            ]
        )
    return rows


HEAD = ["System", "Units", *(h for _, h in RET_COLS), *(h for _, h in ANS_COLS)]


def format_table(report: dict) -> str:
    """The one printed table: retrieval for every system, answers for ours and ablations."""
    rows = _rows(report)
    widths = [max(len(str(x)) for x in col) for col in zip(HEAD, *rows)]

    def line(cells):
        return "  ".join(
            str(c).ljust(w) if i == 0 else str(c).rjust(w) for i, (c, w) in enumerate(zip(cells, widths))
        )

    out = [line(HEAD), line(["-" * w for w in widths])]
    out += [line(r) for r in rows]
    al = report.get("alqac")
    if al and "systems" in al:
        out.append("")
        out.append(f"ALQAC ({al['sample']['questions']} questions, {al['sample']['articles']} articles)")
        for s in al["systems"].values():
            out.append(
                "  "
                + s["label"].ljust(widths[0])
                + "  "
                + "  ".join(f"{h} {_fmt(k, s.get(k))}" for k, h in RET_COLS[:5])
            )
    elif al and "skipped" in al:
        out.append(al["skipped"])
    return "\n".join(out)


def _md_table(head: list[str], rows: list[list[str]]) -> str:
    out = [
        "| " + " | ".join(head) + " |",
        "|" + "|".join("---" if i == 0 else "---:" for i in range(len(head))) + "|",
    ]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(out)


def _esc(s: str) -> str:
    return " ".join(str(s).split()).replace("|", "\\|")


def render_markdown(report: dict, command: str = "") -> str:
    meta, cfgs = report["meta"], report["configs"]
    ours = cfgs.get("ours")
    L = [
        "# Evaluation report",
        "",
        f"Command: `{command or 'python -m eval'}` · embedder `{meta['embedder']}` · "
        f"{meta['n_questions']} questions ({meta['questions']}) · {len(meta['corpus'])} plans · "
        f"run took {meta['seconds']:.0f} s"
        + (f" (+ ALQAC {report['alqac']['seconds']:.0f} s)" if report.get("alqac", {}).get("seconds") else "")
        + ".",
        "",
    ]
    L.append(
        "Questions by kind: "
        + ", ".join(f"{k} {n}" for k, n in meta["by_kind"].items())
        + "; tags: "
        + ", ".join(f"{k} {n}" for k, n in meta["by_tag"].items())
        + "."
    )
    L.append("")
    if ours:
        a, r = ours["answers"], ours["retrieval"]
        L += [
            "## Headline (ours)",
            "",
            f"- Answer accuracy **{_fmt('accuracy', a['accuracy'])} %** of {a['n']} questions "
            f"(answerable only: {_fmt('accuracy', a['answerable_accuracy'])} %)",
            f"- Citation accuracy **{_fmt('accuracy', a['citation_accuracy'])} %** "
            f"of {a['citation_n']} answered answerable questions",
            f"- Refusals: precision {_fmt('accuracy', a['refusal_precision'])} %, recall "
            f"{_fmt('accuracy', a['refusal_recall'])} %; {a['false_refusals']} answerable questions refused",
            f"- Retrieval: hit@1 {_fmt('hit@1', r['hit@1'])} %, hit@5 {_fmt('hit@5', r['hit@5'])} %, "
            f"MRR {_fmt('mrr', r['mrr'])}, nDCG@10 {_fmt('ndcg@10', r['ndcg@10'])} "
            f"({r['n']} answerable questions; {r['unresolved']} whose gold quote no passage holds)",
            f"- Median answer length {_fmt('median_answer_chars', a['median_answer_chars'])} characters",
            "",
        ]
    L += [
        "## Ours, ablations and peers on the same questions",
        "",
        "Retrieval columns in % (hit@k) or 0–1 (MRR, nDCG@10) over the answerable questions; "
        "answer columns only for our configurations (peers retrieve, they do not answer). "
        "Units = passages (ours) or chunks (peers).",
        "",
        _md_table(HEAD, _rows(report)),
        "",
    ]
    groups: dict[tuple, list[str]] = {}
    for c in cfgs.values():
        if c.get("unresolved_ids"):
            groups.setdefault(tuple(c["unresolved_ids"]), []).append(c["label"])
    unresolved = [f"{', '.join(labels)}: {', '.join(ids)}" for ids, labels in groups.items()]
    if unresolved:
        L += [
            "Questions whose gold quote no unit of the system holds (they count as retrieval misses): "
            + "; ".join(unresolved)
            + ".",
            "",
        ]
    for axis, title in (("kind", "by kind"), ("tag", "by tag")):
        if not ours:
            break
        rows = []
        for name, e in ours["breakdown"][axis].items():
            a, r = e.get("answers") or {}, e.get("retrieval") or {}
            rows.append(
                [
                    name,
                    str(e["n"]),
                    _fmt("accuracy", a.get("accuracy")),
                    _fmt("accuracy", a.get("citation_accuracy")),
                    _fmt("hit@1", r.get("hit@1")),
                    _fmt("hit@5", r.get("hit@5")),
                    _fmt("mrr", r.get("mrr")),
                    _fmt("median_answer_chars", a.get("median_answer_chars")),
                ]
            )
        L += [
            f"## Ours {title}",
            "",
            _md_table([axis.capitalize(), "n", "Acc", "Cite", "hit@1", "hit@5", "MRR", "Len"], rows),
            "",
        ]
        head = [axis.capitalize(), *(c["label"] for c in cfgs.values())]
        rows = []
        for name in ours["breakdown"][axis]:
            row = [name]
            for c in cfgs.values():
                e = c["breakdown"][axis].get(name, {})
                acc = (e.get("answers") or {}).get("accuracy")
                hit = (e.get("retrieval") or {}).get("hit@5")
                row.append(
                    f"{_fmt('accuracy', acc)} / {_fmt('hit@5', hit)}"
                    if c.get("answers")
                    else _fmt("hit@5", hit)
                )
            rows.append(row)
        L += [f"### Every system {title}: accuracy / hit@5 (peers: hit@5)", "", _md_table(head, rows), ""]
    L += _alqac_md(report.get("alqac"))
    L += realplans_md()
    L += [
        "## How the figures are computed",
        "",
        "- **Gold passages**: a unit (our passage shown as its citation card: heading path, units, text; or a "
        "peer's chunk) of the quote's own plan is relevant when the gold quote, with markup stripped and accents "
        "folded, is aligned with it in order (common runs of ≥ 4 words, only footnote numbers or item letters "
        "between them) over ≥ 60 % of the shorter of the two (90 % for quotes under 100 letters; ≥ 20 letters). "
        "A quote that straddles unit boundaries falls back to every unit aligned with ≥ 30 % of it; a formulaic "
        "quote contained in several units is placed by its raw surroundings (250 characters either side).",
        "- **hit@k, MRR, nDCG@10**: `ir_measures` Success@k, RR@10 and nDCG@10 per question, averaged over all "
        "answerable questions (a question with no relevant unit retrieved, or none in the index, scores 0). "
        "Ours is ranked by the hybrid retriever alone (`retriever.search(question, k=10)`), before the answer layer.",
        "- **Answer accuracy**: on accent-folded, lower-cased text of the answer and its units, with the short "
        "forms of `assistant/data/abbreviations.json` expanded on both sides, every "
        "`expected_all` and at least one `expected_any` appear; an unanswerable question is correct when refused, "
        "an answerable one is wrong when refused.",
        '- **Citation accuracy**: among answered answerable questions, a non-"related only" citation\'s passage '
        "holds a gold quote (same rule as gold passages).",
        "- **Refusal precision/recall**: positive class = unanswerable; a refusal is `Answer.refused`.",
        "- **Peers**: LangChain tutorial = raw file as-is, `RecursiveCharacterTextSplitter(1000, 200)`, the same "
        "embedder object, `faiss.IndexFlatL2` (what LangChain's FAISS wrapper builds); BM25 = `bm25s` over the "
        "same chunks, whitespace + lower-case tokens.",
        "",
    ]
    fails = report.get("failures") or []
    L += [
        f"## Failed questions (ours): {len(fails)}",
        "",
        "Wrong answer, refusal of an answerable question, answer to an unanswerable one, or no citation holding "
        "the gold quote.",
        "",
    ]
    for f in fails:
        L.append(
            f"- **{f['id']}** ({f['kind']}{', ' + ', '.join(f['tags']) if f['tags'] else ''}) "
            f"{_esc(f['question'])}  "
        )
        L.append(f"  gold: {_esc(f['gold'])[:200]}  ")
        L.append(f"  answered{' (refused)' if f['refused'] else ''}: {_esc(f['answered'])[:300]}  ")
        L.append(f"  why: {_esc(f['why'])}")
    L.append("")
    return "\n".join(L)


REALPLANS_REPORT = Path(__file__).resolve().parent / "realplans" / "report" / "report.md"
_RP_START, _RP_END = "<!-- realplans -->", "<!-- /realplans -->"


def realplans_md(source: Path = REALPLANS_REPORT) -> list[str]:
    """The real-plan suite's figures (ours and the peers, per corpus and split) as a section of this
    report, taken from the suite's own report (``python -m eval --suite realplans``)."""
    L = [_RP_START, "## Real plans of other provinces (`eval/realplans`, ours and the peers)", ""]
    if not source.is_file():
        L += ["Not run (`python -m eval --suite realplans`).", ""]
    else:
        body = source.read_text(encoding="utf-8").splitlines()
        L += [line for line in body if not line.startswith("# ")]
        L += [
            "",
            "Dev misses: `eval/realplans/report/failures-dev.md`; the test part's are not written out.",
            "",
        ]
    return L + [_RP_END, ""]


def splice_realplans(report_md: Path, source: Path = REALPLANS_REPORT) -> bool:
    """Replace the real-plan section of an existing ``report.md`` (or append one) after a suite run,
    so the corpus report need not be re-run for it. False when there is no report to update."""
    if not report_md.is_file():
        return False
    text = report_md.read_text(encoding="utf-8")
    section = "\n".join(realplans_md(source))
    if _RP_START in text and _RP_END in text:
        a, b = text.index(_RP_START), text.index(_RP_END) + len(_RP_END) + 1
        text = text[:a] + section + text[b:]
    else:
        text = text.rstrip("\n") + "\n\n" + section
    report_md.write_text(text, encoding="utf-8")
    return True


def _alqac_md(al: dict | None) -> list[str]:
    L = ["## External check: ALQAC 2022/2023 (retrieval of the gold article)", ""]
    if not al:
        return L + ["Not run (pass `--alqac PATH`).", ""]
    if "skipped" in al:
        return L + [al["skipped"], ""]
    s = al["sample"]
    L += [
        f"Sample: {s['laws']} of {s['laws_total']} laws ({s['articles']} of {s['articles_total']} articles, "
        f"{s['chars']:,} characters, budget {s['budget_chars']:,}), {s['questions']} of {s['questions_total']} "
        f"questions ({', '.join(f'{y}: {n}' for y, n in s['by_year'].items())}); laws chosen by questions "
        "per character, so every question's gold law is indexed whole. The data is read in place "
        "(license unknown); nothing of it is stored here but these figures.",
        "",
        "A passage of ours is relevant when it belongs to the gold article; a chunk when it overlaps the gold "
        "article by at least half of the shorter of the two.",
        "",
    ]
    head = ["System", "Units", "hit@1", "hit@3", "hit@5", "hit@10", "MRR", "Index s"]
    rows = [
        [
            v["label"],
            str(v["units"]),
            *(_fmt(k, v.get(k)) for k in ("hit@1", "hit@3", "hit@5", "hit@10", "mrr")),
            _fmt("seconds", v.get("index_seconds")),
        ]
        for v in al["systems"].values()
    ]
    return L + [_md_table(head, rows), ""]


_COLOURS = {
    "ours": "#1f4e9c",
    "dense_only": "#6fa8dc",
    "lexical_only": "#a4c8e8",
    "no_units": "#8e7cc3",
    "fusion_rrf": "#c2b5e0",
    "fusion_minmax": "#c2b5e0",
    "langchain": "#e69138",
    "bm25": "#cc4125",
}


def write_chart(report: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    cfgs = report["configs"]
    al = report.get("alqac") or {}
    panels = 2 + (1 if "systems" in al else 0)
    fig, axes = plt.subplots(1, panels, figsize=(6.0 * panels, 5.2))
    ks = ["hit@1", "hit@3", "hit@5", "hit@10"]
    spare = iter(plt.cm.tab20.colors)
    colour = {name: _COLOURS.get(name) or next(spare) for name in [*cfgs, "langchain", "bm25"]}

    def bars(ax, systems: list[tuple[str, dict]], cats: list[str], title: str, ylabel: str):
        x = np.arange(len(cats))
        w = 0.84 / max(1, len(systems))
        for i, (name, vals) in enumerate(systems):
            ys = [100 * (vals.get(c) or 0) for c in cats]
            b = ax.bar(
                x + (i - (len(systems) - 1) / 2) * w,
                ys,
                w,
                color=colour[name],
                edgecolor="black" if name == "ours" else "none",
                linewidth=0.6,
            )
            if name == "ours":
                ax.bar_label(b, fmt="%.0f", fontsize=7, padding=1)
        ax.set_xticks(x, cats, fontsize=8)
        ax.set_ylim(0, 105)
        ax.set_ylabel(ylabel)
        ax.set_title(title, fontsize=10)
        ax.grid(axis="y", alpha=0.3)
        ax.set_axisbelow(True)

    n_ret = next(iter(cfgs.values()))["retrieval"]["n"] if cfgs else 0
    bars(
        axes[0],
        [(n, c["retrieval"]) for n, c in cfgs.items()],
        ks,
        f"Gold passage in the top k ({n_ret} answerable questions)",
        "% of questions",
    )
    answering = [
        (n, {k: (e.get("answers") or {}).get("accuracy") for k, e in c["breakdown"]["kind"].items()})
        for n, c in cfgs.items()
        if c.get("answers")
    ]
    kinds = list(next(iter(cfgs.values()))["breakdown"]["kind"]) if cfgs else []
    bars(axes[1], answering, kinds, "Answer accuracy by kind (ours and ablations)", "% correct")
    axes[1].tick_params(axis="x", labelrotation=20)
    if "systems" in al:
        bars(
            axes[2],
            [(n, v) for n, v in al["systems"].items()],
            ks,
            f"ALQAC: gold article in the top k ({al['sample']['questions']} questions)",
            "% of questions",
        )
    handles = [
        plt.Rectangle((0, 0), 1, 1, color=colour[n], ec="black" if n == "ours" else "none") for n in cfgs
    ]
    fig.legend(
        handles, [c["label"] for c in cfgs.values()], loc="lower center", ncol=4, fontsize=8, frameon=False
    )
    fig.suptitle(f"Trợ lý Kế hoạch evaluation · embedder {report['meta']['embedder']}", fontsize=11)
    fig.tight_layout(rect=(0, 0.1, 1, 1))
    fig.savefig(path, dpi=110)
    plt.close(fig)


def write_outputs(report: dict, out: Path, command: str = "") -> dict[str, Path]:
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    paths = {"json": out / "report.json", "md": out / "report.md", "chart": out / "chart.png"}
    paths["json"].write_text(
        json.dumps(report, ensure_ascii=False, indent=1, default=str) + "\n", encoding="utf-8"
    )
    paths["md"].write_text(render_markdown(report, command), encoding="utf-8")
    write_chart(report, paths["chart"])
    return paths
