"""Augmented training of the refusal scorer (``eval.calibrate_aug``, ``eval.calibrate.out_of_fold``):
one deterministic variant per question, variants train with their plan's fold and are never
scored, and the per-rule counts."""

from __future__ import annotations

from assistant.answer.confidence import FEATURES
from assistant.textnorm import fold
from eval.calibrate import out_of_fold
from eval.calibrate_aug import originals, rule_counts, variant_of


def test_one_deterministic_variant_per_question():
    q = {"id": "r900", "question": "Đơn vị nào chủ trì kiểm tra kỹ thuật an toàn vật liệu nổ?"}
    name, text = variant_of(q)
    assert variant_of(q) == (name, text) and text != q["question"]
    if name == "no_diacritics":
        assert text == fold(q["question"])


def test_an_unaccented_question_gets_a_variant_from_another_transform():
    q = {"id": "r902", "question": "don vi nao chu tri kiem tra ky thuat an toan"}
    got = variant_of(q, ("no_diacritics", "question_word"))
    assert got is not None and got[0] == "question_word" and got[1] != q["question"]


def _row(i: int, plan: str, answerable: bool, cov: float, variant: str | None = None) -> dict:
    x = dict.fromkeys(FEATURES, 0.0)
    x["cov_top1"] = x["cov_top3"] = cov
    r = {"id": f"r{i}", "corpus": "provinces", "plan": plan, "answerable": answerable, "features": x}
    return {**r, "variant": variant} if variant else r


def test_variants_train_with_their_plans_fold_and_are_never_scored():
    rows = [_row(i, f"p{i % 5}", i % 3 != 0, 0.9 if i % 3 else 0.2) for i in range(30)]
    extra = [
        _row(100 + i, f"p{i % 5}", i % 3 != 0, 0.85 if i % 3 else 0.25, "no_diacritics") for i in range(30)
    ]
    p = out_of_fold(rows, folds=3, extra=extra)
    assert len(p) == len(rows)
    # the evidence separates the classes: out of fold every answerable row scores above every other
    ans = [q for r, q in zip(rows, p) if r["answerable"]]
    un = [q for r, q in zip(rows, p) if not r["answerable"]]
    assert min(ans) > max(un)
    assert originals([*rows, *extra]) == rows


def test_rule_counts_only_where_the_scorer_would_have_answered():
    def r(answerable: bool, p: float, blocks: list[str], variant: str | None = None) -> dict:
        out = {"answerable": answerable, "p": p, "blocks": blocks, "candidate_correct": True}
        return {**out, "variant": variant} if variant else out

    rows = [
        r(True, 0.9, ["names_unwritten"]),  # an answerable question the rule refused, alone
        r(False, 0.9, ["names_unwritten", "contact_unfilled"]),  # caught, with another rule
        r(False, 0.1, ["names_unwritten"]),  # the scorer refuses anyway: not the rule's doing
        r(True, 0.9, ["names_unwritten"], "no_diacritics"),  # a variant: not counted
    ]
    c = rule_counts(rows, 0.5)
    assert c["names_unwritten"] == {
        "answerable": 1,
        "unanswerable": 1,
        "answerable_solo": 1,
        "unanswerable_solo": 0,
    }
    assert c["contact_unfilled"]["unanswerable"] == 1
