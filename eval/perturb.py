"""Perturbation robustness check (issue 12): do right answers survive how officials really type?

``python -m eval.perturb --work /tmp/s12-perturb`` asks every *development* question of the
real-plan suite (``eval/realplans``, ``split == "dev"`` only; the test split is never read) and,
with ``--corpora …,corpus``, the corpus questions ``eval/questions.jsonl``, through the
assistant; then, for each question answered right, asks deterministic meaning-preserving
variants of it and judges each with the suite's judge (``eval.metrics.AnswerJudge``). It prints,
per transform, how many originally-correct questions became wrong or refused, and writes every
flip to ``<work>/flips-<label>.jsonl`` (indexes are built once under ``<work>/<corpus>/``).

The transforms reuse the project's own vocabulary: ``textnorm.fold`` for the unaccented
spelling, ``data/abbreviations.json`` and ``data/units.json`` (through ``assistant.vocab``) for
short and long forms; a follow-up's history turns are asked as written, only its last turn varies.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from assistant.textnorm import fold, nfc
from assistant.vocab.abbreviations import abbreviation_hits, expand_abbreviations, lexicon
from assistant.vocab.tokens import has_diacritics, word_spans
from assistant.vocab.units import unit_aliases

__all__ = [
    "TRANSFORMS",
    "no_diacritics",
    "lower",
    "abbreviate",
    "expand",
    "question_word",
    "polite_prefix",
    "suffix_a",
    "suffix_vay",
    "variants",
    "dev_questions",
    "run_perturb",
    "render",
    "main",
]


def no_diacritics(q: str) -> str | None:
    """Typed without marks (the project's one folding: marks dropped, đ → d, lower case)."""
    return fold(nfc(q)) if has_diacritics(q) else None


def lower(q: str) -> str | None:
    return q.lower() if q.lower() != q else None


# an acronym as officials write it: capitals (and &, -) after the head word ("Sở TN&MT", "UBND")
_ACRONYM = re.compile(r"\b[A-ZĐ]{2,}(?:[&\-,][A-ZĐ]+)*\b")


def _unit_shorts() -> list[tuple[str, str]]:
    """(long name, its first acronym alias) of every unit in ``data/units.json``, longest first."""
    pairs = []
    for name, aliases in unit_aliases().items():
        short = next((a for a in aliases if _ACRONYM.search(a) and "{" not in a), None)
        if short:
            pairs.append((name, short))
    return sorted(pairs, key=lambda p: -len(p[0]))


def abbreviate(q: str) -> str | None:
    """Long forms written short: unit names by their acronym alias ("Sở Tài nguyên và Môi trường"
    → "Sở TN&MT"), then the general list ("Ủy ban nhân dân" → "UBND", "Kế hoạch" → "KH")."""
    text = nfc(q)
    for name, short in _unit_shorts():
        text = re.sub(re.escape(name), short, text, flags=re.IGNORECASE)
    lex = lexicon()
    matches = word_spans(text)
    out, last = [], 0
    for i, n, hit in abbreviation_hits(text, matches, lex):
        if hit.is_short:
            continue
        short = _first_short(hit.entry)
        if not short:
            continue
        out += [text[last : matches[i].start()], short]
        last = matches[i + n - 1].end()
    text = "".join(out) + text[last:]
    return text if text != nfc(q) else None


def _first_short(entry: int) -> str | None:
    """The first short form the data file lists for an entry, exactly as written."""
    from assistant.vocab.data import abbreviation_entries

    long = lexicon().longs[entry]
    e = next((e for e in abbreviation_entries() if e.get("long") == long), {})
    shorts = e.get("short") or []
    shorts = [shorts] if isinstance(shorts, str) else shorts
    return next((s for s in shorts if " " not in s), None)


def expand(q: str) -> str | None:
    """Short forms written out, as the project expands them ("UBND" → "Ủy ban nhân dân")."""
    text = expand_abbreviations(q)
    return text if text != nfc(q) else None


# question-word variants an official uses for the same slot; the first rule that applies is used
_QWORD: tuple[tuple[str, str], ...] = (
    (r"\b(?:đơn vị|cơ quan) nào (chủ trì|phụ trách|được giao|thực hiện)", r"ai \1"),
    (r"\bđơn vị nào\b", "cơ quan nào"),
    (r"\bcơ quan nào\b", "đơn vị nào"),
    (r"\bai (chủ trì|phụ trách|phối hợp)", r"đơn vị nào \1"),
    (r"\bthời gian nào\b", "khi nào"),
    (r"\bkhi nào\b", "bao giờ"),
    (r"\bbao giờ\b", "thời gian nào"),
    (r"\bnhững ((?:\w+ ){0,2}\w+) nào\b", r"các \1 gì"),
    (r"\bcác ((?:\w+ ){0,2}\w+) gì\b", r"những \1 nào"),
)


def question_word(q: str) -> str | None:
    """One question word swapped for a synonym ("đơn vị nào" ↔ "cơ quan nào" ↔ "ai",
    "khi nào" ↔ "bao giờ" ↔ "thời gian nào", "những … nào" ↔ "các … gì"); an unaccented
    question gets the unaccented synonym."""
    text = nfc(q)
    accented = has_diacritics(text)
    for pat, rep in _QWORD:
        if not accented:
            pat, rep = fold(pat), fold(rep)
        new = re.sub(pat, rep, text, count=1, flags=re.IGNORECASE)
        if new != text:
            return new
    return None


def _body(q: str) -> str:
    return nfc(q).strip().rstrip("?").rstrip()


def polite_prefix(q: str) -> str | None:
    b = _body(q)
    return (
        f"Cho tôi hỏi {b[:1].lower()}{b[1:]}?" if has_diacritics(q) else f"cho toi hoi {b[:1].lower()}{b[1:]}"
    )


def suffix_a(q: str) -> str | None:
    return f"{_body(q)} ạ?" if has_diacritics(q) else f"{_body(q)} a"


def suffix_vay(q: str) -> str | None:
    return f"{_body(q)} vậy?" if has_diacritics(q) else f"{_body(q)} vay"


TRANSFORMS: dict[str, Callable[[str], str | None]] = {
    "no_diacritics": no_diacritics,
    "lower": lower,
    "abbreviate": abbreviate,
    "expand": expand,
    "question_word": question_word,
    "polite_prefix": polite_prefix,
    "suffix_a": suffix_a,
    "suffix_vay": suffix_vay,
}


def variants(q: str, names: Sequence[str] = tuple(TRANSFORMS)) -> dict[str, str]:
    """transform name → variant, for the transforms that apply and change the question."""
    out = {}
    for name in names:
        v = TRANSFORMS[name](q)
        if v is not None and v != q:
            out[name] = v
    return out


def dev_questions(names: Sequence[str]) -> list[tuple[str, Path | None, list[dict]]]:
    """(corpus, folder, its questions): real-plan ``dev`` questions only, never the test split."""
    from .realsuite import QUESTIONS, corpora, data_dir, load_suite, questions_for
    from .run import QUESTIONS as CORPUS_QUESTIONS
    from .run import load_questions

    jobs: list[tuple[str, Path | None, list[dict]]] = []
    if "corpus" in names:
        jobs.append(("corpus", None, load_questions(CORPUS_QUESTIONS)))
    dev = [q for q in load_suite(QUESTIONS) if q.get("split") == "dev"]
    for spec in corpora():
        if spec.name in names:
            jobs.append((spec.name, data_dir() / spec.folder, questions_for(spec, dev, "dev")))
    return jobs


def _outcome(judge, q: dict, ans) -> str:
    from .calibrate import _judged

    if _judged(judge, q, ans):
        return "right"
    return "refused" if ans is None or ans.refused else "wrong"


def run_perturb(
    work: Path, names: Sequence[str], transforms: Sequence[str], log: Callable[[str], None] = print
) -> dict[str, Any]:
    from assistant.indexing.embedders import get_embedder
    from assistant.settings import load_settings

    from .metrics import AnswerJudge
    from .run import _history
    from .systems import CachedEmbedder, open_assistant

    settings = load_settings()
    emb = CachedEmbedder(get_embedder(settings.embedder))
    judge = AnswerJudge()
    rows: list[dict] = []
    for name, folder, qs in dev_questions(names):
        t = time.perf_counter()
        s = settings.model_copy(
            update={
                "index_dir": work / name / "index",
                "data_dir": work / name / "data",
                **({"corpus_dir": folder} if folder else {}),
            }
        )
        assistant = open_assistant(s, emb)
        log(f"[{name}] {len(qs)} questions …")
        for q in qs:
            history = _history(assistant, q.get("history"))
            base = _outcome(judge, q, assistant.ask(q["question"], history=history))
            row: dict[str, Any] = {"id": q["id"], "corpus": name, "kind": q["kind"], "original": base}
            row["variants"] = {}
            if base == "right":
                for tname, v in variants(q["question"], transforms).items():
                    ans = assistant.ask(v, history=history)
                    got = _outcome(judge, q, ans)
                    row["variants"][tname] = {"question": v, "outcome": got}
                    if got != "right":
                        row["variants"][tname]["answered"] = " ".join((ans.answer or "").split())[:300]
            rows.append(row)
        log(f"[{name}] done in {time.perf_counter() - t:.0f} s")
    return {"rows": rows, "transforms": list(transforms)}


def render(report: dict[str, Any]) -> str:
    rows = report["rows"]
    right = [r for r in rows if r["original"] == "right"]
    lines = [
        f"{len(right)}/{len(rows)} questions right as written; flips of those, per transform:",
        "",
        "| transform | variants asked | → wrong | → refused | still right |",
        "|---|---:|---:|---:|---:|",
    ]
    tot = [0, 0, 0]
    for t in report["transforms"]:
        outs = [r["variants"][t]["outcome"] for r in right if t in r["variants"]]
        w, f = outs.count("wrong"), outs.count("refused")
        tot = [tot[0] + len(outs), tot[1] + w, tot[2] + f]
        lines.append(f"| {t} | {len(outs)} | {w} | {f} | {len(outs) - w - f} |")
    lines.append(f"| all | {tot[0]} | {tot[1]} | {tot[2]} | {tot[0] - tot[1] - tot[2]} |")
    return "\n".join(lines)


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m eval.perturb", description=__doc__.split("\n\n")[0])
    p.add_argument("--work", type=Path, default=Path("data/perturb"), help="indexes and flips")
    p.add_argument("--corpora", default="provinces,laocai", help="provinces,laocai,originals,corpus")
    p.add_argument("--transforms", default=",".join(TRANSFORMS))
    p.add_argument("--label", default="run", help="names the flips file")
    return p


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(sys.argv[1:] if argv is None else argv)
    args.work.mkdir(parents=True, exist_ok=True)
    t = time.perf_counter()
    report = run_perturb(args.work, args.corpora.split(","), args.transforms.split(","))
    flips = [
        {"id": r["id"], "corpus": r["corpus"], "kind": r["kind"], "transform": t, **v}
        for r in report["rows"]
        for t, v in r["variants"].items()
        if v["outcome"] != "right"
    ]
    out = args.work / f"flips-{args.label}.jsonl"
    out.write_text("".join(json.dumps(f, ensure_ascii=False) + "\n" for f in flips), encoding="utf-8")
    (args.work / f"rows-{args.label}.json").write_text(
        json.dumps(report, ensure_ascii=False), encoding="utf-8"
    )
    print(render(report))
    print(f"\n{len(flips)} flips written to {out} ({time.perf_counter() - t:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
