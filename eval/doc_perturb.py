"""Layout robustness check (issue 12): do right answers survive how plans are written and converted?

``python -m eval.doc_perturb --work W [--corpora provinces,laocai] [--transforms unwrap,nfd,…]``
copies the *development* plans of each real-plan corpus (the test split's plans are never
read), rewrites each with a transform of ``eval.doc_transforms`` (a real convention of how
Vietnamese administrative documents are published or converted), builds an index per
transformed corpus under ``W/<corpus>-<transform>/`` and asks the suite's dev questions that
were answered right over the same plans untransformed (``W/<corpus>-original/``). It prints,
per transform, how many of them flipped (wrong or refused) and writes every flip to
``W/flips-<transform>.jsonl``. The embedding cache of ``W/<corpus>/data`` is shared, so only
passages whose text a transform really changed are embedded again.

The question machinery is ``eval.perturb``'s (dev questions, the judge's outcome, the flip table);
the corpora and the split are ``eval.realsuite``'s.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from .doc_transforms import DOC_TRANSFORMS, chosen_transforms
from .perturb import _outcome, dev_questions, render

__all__ = ["dev_plans", "write_corpus", "run_doc_perturb", "flips_of", "main"]

_TEXT_SUFFIXES = (".md", ".txt", ".markdown", ".html", ".htm")


def dev_plans(folder: Path) -> list[Path]:
    """The development plans of a corpus folder (text formats; the test split's plans are left out)."""
    from .realsuite import split_table

    table = split_table()
    return sorted(
        p
        for p in folder.iterdir()
        if p.is_file() and p.suffix.lower() in _TEXT_SUFFIXES and table.get(p.name) == "dev"
    )


def write_corpus(plans: Sequence[Path], dest: Path, transform: Callable[[str], str] | None) -> int:
    """Each plan rewritten into ``dest`` under its own name; how many the transform changed."""
    dest.mkdir(parents=True, exist_ok=True)
    for old in dest.iterdir():
        if old.is_file() and old.name not in {p.name for p in plans}:
            old.unlink()
    changed = 0
    for p in plans:
        text = p.read_text(encoding="utf-8")
        new = transform(text) if transform else text
        changed += new != text
        out = dest / p.name
        if not out.is_file() or out.read_text(encoding="utf-8") != new:
            out.write_text(new, encoding="utf-8")
    return changed


def _assistant(work: Path, corpus: str, label: str, folder: Path, settings, emb):
    from .systems import open_assistant

    root = work / f"{corpus}-{label}"
    s = settings.model_copy(
        update={
            "corpus_dir": folder,
            "index_dir": root / "index",
            "data_dir": work / corpus / "data",  # the shared embedding cache
        }
    )
    return open_assistant(s, emb)


def _ask(assistant, judge, q: dict) -> tuple[str, str]:
    from .run import _history

    history = _history(assistant, q.get("history"))
    ans = assistant.ask(q["question"], history=history)
    return _outcome(judge, q, ans), " ".join((ans.answer or "").split())[:300]


def run_doc_perturb(
    work: Path,
    names: Sequence[str],
    transforms: Sequence[str],
    only: set[str] | None = None,
    log: Callable[[str], None] = print,
) -> dict[str, Any]:
    """Rows in ``eval.perturb``'s shape: per question its outcome on the originals and per transform."""
    from assistant.indexing.embedders import get_embedder
    from assistant.settings import load_settings

    from .metrics import AnswerJudge
    from .systems import CachedEmbedder

    settings = load_settings()
    emb = CachedEmbedder(get_embedder(settings.embedder))
    judge = AnswerJudge()
    rows: list[dict[str, Any]] = []
    for name, folder, qs in dev_questions(names):
        if folder is None:
            continue  # the corpus plans are not one of the real-plan layouts
        plans = dev_plans(folder)
        qs = [q for q in qs if only is None or q["id"] in only]
        if not plans or not qs:
            continue
        t = time.perf_counter()
        base_dir = work / f"{name}-original" / "corpus"
        write_corpus(plans, base_dir, None)
        base = _assistant(work, name, "original", base_dir, settings, emb)
        by_id: dict[str, dict[str, Any]] = {}
        for q in qs:
            got, _ = _ask(base, judge, q)
            by_id[q["id"]] = {
                "id": q["id"],
                "corpus": name,
                "kind": q["kind"],
                "original": got,
                "variants": {},
            }
        right = [q for q in qs if by_id[q["id"]]["original"] == "right"]
        log(
            f"[{name}] {len(plans)} dev plans, {len(right)}/{len(qs)} right as written ({time.perf_counter() - t:.0f} s)"
        )
        for tname in transforms:
            t = time.perf_counter()
            dest = work / f"{name}-{tname}" / "corpus"
            changed = write_corpus(plans, dest, DOC_TRANSFORMS[tname])
            if not changed:
                log(f"[{name}] {tname}: no plan changed")
                continue
            assistant = _assistant(work, name, tname, dest, settings, emb)
            for q in right:
                got, said = _ask(assistant, judge, q)
                v: dict[str, Any] = {"question": q["question"], "outcome": got}
                if got != "right":
                    v["answered"] = said
                by_id[q["id"]]["variants"][tname] = v
            flips = sum(1 for q in right if by_id[q["id"]]["variants"][tname]["outcome"] != "right")
            log(f"[{name}] {tname}: {changed} plans changed, {flips} flips ({time.perf_counter() - t:.0f} s)")
        rows += by_id.values()
    return {"rows": rows, "transforms": list(transforms)}


def flips_of(report: dict[str, Any], transform: str) -> list[dict[str, Any]]:
    return [
        {
            "id": r["id"],
            "corpus": r["corpus"],
            "kind": r["kind"],
            "transform": transform,
            **r["variants"][transform],
        }
        for r in report["rows"]
        if transform in r["variants"] and r["variants"][transform]["outcome"] != "right"
    ]


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m eval.doc_perturb", description=__doc__.split("\n\n")[0])
    p.add_argument("--work", type=Path, required=True, help="indexes, transformed plans and flips")
    p.add_argument("--corpora", default="provinces,laocai", help="provinces,laocai")
    p.add_argument("--transforms", default=",".join(DOC_TRANSFORMS), help=", ".join(DOC_TRANSFORMS))
    p.add_argument("--questions", type=Path, help="ask only the ids of this JSONL file (a subset)")
    return p


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(sys.argv[1:] if argv is None else argv)
    transforms = chosen_transforms(args.transforms)
    only = None
    if args.questions:
        lines = args.questions.read_text(encoding="utf-8").splitlines()
        only = {json.loads(x)["id"] for x in lines if x.strip()}
    args.work.mkdir(parents=True, exist_ok=True)
    t = time.perf_counter()
    report = run_doc_perturb(args.work, args.corpora.split(","), transforms, only)
    for tname in transforms:
        out = args.work / f"flips-{tname}.jsonl"
        out.write_text(
            "".join(json.dumps(f, ensure_ascii=False) + "\n" for f in flips_of(report, tname)), "utf-8"
        )
    (args.work / "rows.json").write_text(json.dumps(report, ensure_ascii=False), encoding="utf-8")
    print(render(report))
    print(f"\nflips in {args.work}/flips-<transform>.jsonl ({time.perf_counter() - t:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
