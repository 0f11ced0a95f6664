"""The threshold chosen from the refusal curve (``eval.calibrate.choose_threshold``)."""

from __future__ import annotations

from eval.calibrate import choose_threshold


def _p(t: float, a: int, u: int) -> dict:
    return {
        "threshold": t,
        "answerable_refused": a,
        "answerable_n": 100,
        "unanswerable_refused": u,
        "unanswerable_n": 20,
    }


def test_the_lowest_threshold_meeting_the_targets_then_more_refusals_at_the_same_cost():
    # 0.25 meets both targets (17/20 ≥ 85 %, 3/100 ≤ 5 %); 0.30 refuses one more unanswerable
    # question and no more answerable ones: chosen; 0.35 costs an answerable question more
    points = [_p(0.20, 2, 16), _p(0.25, 3, 17), _p(0.30, 3, 18), _p(0.35, 4, 19)]
    assert choose_threshold(points) == 0.30
    # no gain at the same cost: the lowest meeting the targets
    assert choose_threshold([_p(0.20, 2, 16), _p(0.25, 3, 17), _p(0.30, 3, 17), _p(0.35, 4, 19)]) == 0.25


def test_flips_name_the_decisions_a_retrain_changes():
    from assistant.answer.confidence import FEATURES, Scorer
    from eval.calibrate import flips

    def scorer(weight: float, threshold: float) -> Scorer:
        # one feature weighed (coverage by the best passage), the others at zero
        w = tuple(weight if f == "cov_top1" else 0.0 for f in FEATURES)
        return Scorer(FEATURES, (0.0,) * len(FEATURES), (1.0,) * len(FEATURES), w, 0.0, threshold)

    def row(i: str, cov: float, answerable: bool) -> dict:
        return {"id": i, "corpus": "provinces", "answerable": answerable, "features": {"cov_top1": cov}}

    rows = [row("r1", 0.2, False), row("r2", 0.9, True), row("r3", -0.5, False)]
    stored, new = scorer(1.0, 0.6), scorer(1.0, 0.5)
    # p(r1) = sigmoid(0.2) ≈ 0.55: refused at 0.6, answered at 0.5; r2 and r3 keep their decisions
    assert flips(rows, new, stored) == ["provinces r1 (unanswerable) now answered: p 0.55 → 0.55"]
    assert flips(rows, stored, stored) == []
