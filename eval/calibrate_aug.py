"""Augmentation, comparison and rule counts for ``eval.calibrate`` (issue 12, class 4: refusal).

- ``variant_of``: one meaning-preserving variant of a development question (``eval.perturb``:
  typed without diacritics, a question word swapped, an abbreviation used or expanded), asked
  with the same label. Officials type both ways; a scorer that saw only the suite's spellings
  learns the writers' habits (a question with diacritics is more often answerable) rather than
  the evidence. One variant per question, the transform cycling with the question's id, so the
  collection costs two asks a question, not five.
- ``compare``: the out-of-fold curves (folds of whole plans; variants travel with their plan and
  are never scored) of the recipe without and with the variants, and of the stored scorer.
- ``rule_counts``: per rule of ``answer.refusal_rules``, the answerable questions it refuses and
  the unanswerable ones it catches where the scorer alone would have answered.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

from .perturb import TRANSFORMS

__all__ = ["AUGMENT", "variant_of", "originals", "rule_counts", "render_rules", "summary_at"]

# the transforms a variant is drawn from: the ways officials type a question that keep its meaning
AUGMENT = ("no_diacritics", "question_word", "abbreviate", "expand")


def variant_of(q: dict, names: Sequence[str] = AUGMENT) -> tuple[str, str] | None:
    """(transform, variant) for ``q``: the transforms tried from one its id picks, first that applies."""
    start = int(hashlib.sha256(q["id"].encode()).hexdigest(), 16) % len(names)
    for name in [*names[start:], *names[:start]]:
        v = TRANSFORMS[name](q["question"])
        if v is not None and v != q["question"]:
            return name, v
    return None


def originals(rows: Sequence[dict]) -> list[dict]:
    """The rows of the questions as written (the curve is measured on them only)."""
    return [r for r in rows if not r.get("variant")]


def rule_counts(rows: Sequence[dict], threshold: float) -> dict[str, dict[str, int]]:
    """Per rule: answerable refused / unanswerable caught where the scorer (``p`` as recorded, at
    ``threshold``) would have answered; ``solo``: where it was the only rule that blocked."""
    out: dict[str, dict[str, int]] = {}
    for r in originals(rows):
        if r.get("candidate_correct") is None or r["p"] < threshold:
            continue  # no answer to block, or the scorer refuses anyway
        blocks = r.get("blocks") or []
        for name in blocks:
            c = out.setdefault(
                name, {"answerable": 0, "unanswerable": 0, "answerable_solo": 0, "unanswerable_solo": 0}
            )
            kind = "answerable" if r["answerable"] else "unanswerable"
            c[kind] += 1
            if len(blocks) == 1:
                c[f"{kind}_solo"] += 1
    return out


def render_rules(counts: dict[str, dict[str, int]]) -> str:
    lines = [
        "| rule | answerable refused (alone) | unanswerable caught (alone) |",
        "|---|---:|---:|",
    ]
    for name, c in sorted(counts.items()):
        lines.append(
            f"| {name} | {c['answerable']} ({c['answerable_solo']}) | {c['unanswerable']} ({c['unanswerable_solo']}) |"
        )
    return "\n".join(lines)


def summary_at(points: Sequence[dict[str, Any]], threshold: float) -> str:
    p = next(p for p in points if p["threshold"] == threshold)
    return (
        f"at {threshold:.2f}: answerable refused {p['answerable_refused']}/{p['answerable_n']}, "
        f"unanswerable refused {p['unanswerable_refused']}/{p['unanswerable_n']}"
    )
