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
