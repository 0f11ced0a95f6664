"""The learned fact-sentence scorer (``assistant/answer/fact_scorer.py``): its stored model, its
one call in ``best_fact_segment``, its setting, and the trainer's figure."""

from __future__ import annotations

import json

import pytest
from _inline import article, evidence

from assistant.answer.fact_scorer import (
    FACT_SCORER_PATH,
    FEATURES,
    FORMAT,
    VERSION,
    FactScorerFileError,
    default_fact_scorer,
    for_settings,
    load_fact_scorer,
    recording,
    scoring,
)
from assistant.answer.facts import best_fact_segment, fact_rule
from assistant.query.parse import parse_question
from assistant.settings import Settings
from eval.fact_train import chosen_ok

DOC = "tinh-x-2025-12-kh-ubnd.md"
# a plan's "Tổ chức thực hiện" writes several dated sentences in one passage: the conference's own
# date answers, the report deadline beside it only shares the plan's words
PLAN = article(
    "p1",
    DOC,
    ("IV. TỔ CHỨC THỰC HIỆN",),
    "Các sở, ngành gửi báo cáo kết quả thực hiện về Sở Nội vụ trước ngày 15/11/2025.\n"
    "Hội nghị sơ kết công tác chuyển đổi số được tổ chức vào ngày 20/12/2025 tại Hội trường "
    "Ủy ban nhân dân tỉnh.\n"
    "Kinh phí thực hiện từ nguồn ngân sách tỉnh năm 2025.",
)
QUESTION = "Hội nghị sơ kết công tác chuyển đổi số được tổ chức vào ngày nào?"


def _best(model_on: bool):
    q = parse_question(QUESTION)
    rule = fact_rule(q.text, q.fact, q.terms, q.folded)
    with scoring(default_fact_scorer() if model_on else None):
        return best_fact_segment(q, evidence([PLAN], PLAN).hits, None, rule)


def test_the_stored_model_loads_and_its_features_match() -> None:
    m = load_fact_scorer()
    assert m.names == FEATURES and len(m.weights) == len(FEATURES)
    data = json.loads(FACT_SCORER_PATH.read_text(encoding="utf-8"))
    assert data["command"].startswith("python -m eval.fact_train")
    assert 0 < data["oof_chosen_ok"] <= 1 and 0 < data["hand_chosen_ok"] <= 1


@pytest.mark.parametrize(
    "change", [{"version": VERSION + 1}, {"format": FORMAT + "-x"}, {"features": list(FEATURES[:-1])}]
)
def test_another_version_or_shape_is_refused_clearly(tmp_path, change) -> None:
    data = default_fact_scorer().to_json()
    data.update(change)
    (tmp_path / "f.json").write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(FactScorerFileError) as e:
        load_fact_scorer(tmp_path / "f.json")
    assert "eval.fact_train" in str(e.value.hint)


def test_the_model_picks_the_conference_date_on_a_tiny_plan() -> None:
    with recording() as calls:
        best = _best(model_on=True)
    assert best is not None and "20/12/2025" in best[2]
    # both dated sentences were weighed (the hard filter keeps them, the score chooses)
    assert len(calls) == 1 and len(calls[0].x) >= 2
    assert any("15/11/2025" in t for t in calls[0].texts)


def test_off_the_hand_sum_is_kept_unchanged() -> None:
    with recording() as calls:
        best = _best(model_on=False)
    assert best is not None and abs(best[0] - max(calls[0].hand)) < 1e-9


def test_the_setting_turns_it_on() -> None:
    assert for_settings(Settings(embedder="fake")) is None  # off by default
    assert for_settings(Settings(embedder="fake", fact_scorer=True)) is default_fact_scorer()


def test_the_trainer_counts_the_first_of_the_highest() -> None:
    rows = [
        {"calls": [{"hand": [1.0, 1.0], "y": [True, False]}]},
        {"calls": [{"hand": [0.2, 0.9], "y": [True, False]}]},
    ]
    assert chosen_ok(rows, [None, None]) == 0.5  # a tie keeps the first, as best_fact_segment does
    assert chosen_ok(rows, [[0.0, 1.0], [1.0, 0.0]]) == 0.5
