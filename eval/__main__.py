"""python -m eval [--embedder SPEC] [--questions PATH] [--out DIR] [--fast] [--alqac PATH] [--write-baseline]"""

from __future__ import annotations

import argparse
import shlex
import sys
import tempfile
import time
from pathlib import Path

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    from .alqac import DEFAULT_BUDGET
    from .run import EVAL_DIR, QUESTIONS

    p = argparse.ArgumentParser(
        prog="python -m eval", description="Evaluate the assistant on the gold questions, beside its peers."
    )
    p.add_argument("--embedder", help="embedder spec for ours and the peers (default: settings, e5-small)")
    p.add_argument(
        "--questions",
        type=Path,
        default=QUESTIONS,
        help="gold questions (JSONL); with --suite realplans, a file in eval/realplans' format instead of its own",
    )
    p.add_argument("--out", type=Path, default=EVAL_DIR, help="where report.md/json and chart.png go")
    p.add_argument(
        "--fast", action="store_true", help="fake embedder (for tests: figures are not meaningful)"
    )
    p.add_argument("--no-peers", action="store_true", help="skip the LangChain and BM25 peers")
    p.add_argument(
        "--configs",
        help="comma-separated subset of: ours,dense_only,lexical_only,no_units,fusion_rrf (default: all)",
    )
    p.add_argument("--alqac", type=Path, help="ALQAC 2022/2023 folder (read in place; skipped when absent)")
    p.add_argument(
        "--alqac-budget",
        type=int,
        default=DEFAULT_BUDGET,
        help="characters of law text to index (0 = every law with questions)",
    )
    p.add_argument("--corpus", type=Path, help="plans folder (default: settings.corpus_dir)")
    p.add_argument("--work", type=Path, help="keep indexes here instead of a temporary folder")
    p.add_argument(
        "--write-baseline",
        action="store_true",
        help="record this run's figures in eval/baseline.json (a deliberate commit)",
    )
    p.add_argument(
        "--suite",
        choices=["realplans"],
        help="run a suite of its own instead: realplans = the real plans in ../shared/external/real-plans "
        "(eval/realplans; its questions, baseline and report/ folder)",
    )
    p.add_argument("--split", choices=["dev", "test", "all"], default="all", help="realplans: which split")
    p.add_argument(
        "--corpora", help="realplans: comma-separated subset of provinces,laocai,originals (default: all)"
    )
    p.add_argument("--gate", action="store_true", help="exit 1 when ours falls below eval/baseline.json")
    p.add_argument("--margin", type=float, default=0.03, help="gate margin (default 0.03)")
    return p


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = _parser().parse_args(argv)
    from assistant.errors import AssistantError
    from assistant.indexing.embedders import get_embedder
    from assistant.settings import load_settings

    from .alqac import run_alqac
    from .report import format_table, write_outputs
    from .run import BASELINE, QUESTIONS, check_gate, run_suite, write_baseline
    from .systems import CachedEmbedder

    command = "python -m eval" + (" " + shlex.join(argv) if argv else "")
    if args.suite == "realplans":
        return _realplans(args, command)
    if args.write_baseline and (args.fast or args.configs or args.questions != QUESTIONS):
        print(
            "The baseline is recorded only from a full run on eval/questions.jsonl with a real embedder "
            "(not with --fast, --configs or --questions).",
            file=sys.stderr,
        )
        return 2
    try:
        settings = load_settings(embedder="fake" if args.fast else args.embedder, corpus_dir=args.corpus)
        emb = CachedEmbedder(get_embedder(settings.embedder))
        with tempfile.TemporaryDirectory(prefix="tlkh-eval-") as tmp:
            work = args.work or Path(tmp)
            print(f"Evaluating with embedder {emb.id} on {args.questions} …", flush=True)
            report = run_suite(
                settings,
                args.questions,
                peers=not args.no_peers,
                work=work,
                embedder=emb,
                configs=args.configs.split(",") if args.configs else None,
                log=lambda m: print(m, flush=True),
            )
            if args.alqac is not None:
                t = time.perf_counter()
                report["alqac"] = run_alqac(
                    args.alqac,
                    settings,
                    emb,
                    work,
                    budget=args.alqac_budget,
                    peers=not args.no_peers,
                    log=lambda m: print(m, flush=True),
                )
                report["meta"]["alqac_seconds"] = round(time.perf_counter() - t, 1)
        report["meta"]["command"] = command
        print()
        print(format_table(report))
        paths = write_outputs(report, args.out, command)
        print("\nWrote " + ", ".join(str(p) for p in paths.values()))
        if args.write_baseline:
            write_baseline(report, BASELINE, command)
            print(f"Recorded the baseline in {BASELINE}")
        if args.gate and "ours" in report["configs"]:
            import json

            problems = check_gate(
                report["configs"]["ours"]["answers"],
                json.loads(BASELINE.read_text(encoding="utf-8")),
                args.margin,
            )
            for p in problems:
                print("REGRESSION: " + p, file=sys.stderr)
            return 1 if problems else 0
        return 0
    except AssistantError as e:
        print(e.user_message(), file=sys.stderr)
        print(e.message_en, file=sys.stderr)
        return 2


def _realplans(args, command: str) -> int:
    """``--suite realplans``: each corpus of eval/realplans over its own index, figures per split."""
    import json

    from assistant.errors import AssistantError
    from assistant.indexing.embedders import get_embedder
    from assistant.settings import load_settings

    from .realrun import check_real_gate, run_realplans, write_baseline, write_report
    from .realsuite import BASELINE, SPLITS, SUITE_DIR, data_dir
    from .realsuite import QUESTIONS as REAL_QUESTIONS
    from .report import splice_realplans
    from .run import QUESTIONS
    from .systems import CachedEmbedder

    if not data_dir().is_dir():
        print(f"No real plans at {data_dir()} (set REAL_PLANS_DIR to another copy).", file=sys.stderr)
        return 2
    splits = SPLITS if args.split == "all" else (args.split,)
    # a named --questions file (a session's fresh questions, say) runs alone; the baseline never from one
    qpath = REAL_QUESTIONS if args.questions == QUESTIONS else args.questions
    if args.write_baseline and (args.fast or args.split != "all" or args.corpora or qpath != REAL_QUESTIONS):
        print("The baseline is recorded only from a full run (both splits, every corpus).", file=sys.stderr)
        return 2
    out = args.out if args.out != _parser().get_default("out") else SUITE_DIR / "report"
    # the suite's own report folder however it is named ("eval/realplans/report" from the root too)
    own_report = out.resolve() == (SUITE_DIR / "report").resolve()
    if qpath != REAL_QUESTIONS and own_report:
        print("With --questions, name --out: the suite's recorded report stays its own.", file=sys.stderr)
        return 2
    try:
        settings = load_settings(embedder="fake" if args.fast else args.embedder)
        emb = CachedEmbedder(get_embedder(settings.embedder))
        report = run_realplans(
            settings,
            names=args.corpora.split(",") if args.corpora else None,
            splits=splits,
            peers=not args.no_peers,
            work=args.work,
            embedder=emb,
            questions_path=qpath,
            log=lambda m: print(m, flush=True),
        )
    except AssistantError as e:
        print(e.user_message(), file=sys.stderr)
        return 2
    paths = write_report(report, out, command)
    print(paths[0].read_text(encoding="utf-8"))
    print("Wrote " + ", ".join(str(p) for p in paths))
    # the corpus report (eval/report.md) carries this suite's figures too, beside ours and the peers
    report_md = SUITE_DIR.parent / "report.md"
    if own_report and splice_realplans(report_md, paths[0]):
        print(f"Updated its section of {report_md}")
    if args.write_baseline:
        write_baseline(report, BASELINE, command)
        print(f"Recorded the baseline in {BASELINE}")
    if args.gate:
        problems = check_real_gate(report, json.loads(BASELINE.read_text(encoding="utf-8")), args.margin)
        for p in problems:
            print("REGRESSION: " + p, file=sys.stderr)
        return 1 if problems else 0
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
