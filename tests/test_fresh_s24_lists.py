"""Session 24's fresh blind list and unit questions on dev plans (issue 12, classes 1 and 3):
the conventions their misses showed, each on the smallest input that shows it."""

from __future__ import annotations

import pytest

from assistant.query.model import FactKind, Intent
from assistant.query.rules import intent_of
from assistant.textnorm import fold


@pytest.mark.parametrize(
    "question, intent, fact",
    [
        # "những nguồn thu lớn nào": several things of a kind; "ngân sách" is only their topic
        (
            "Khi điều hành thu ngân sách giai đoạn 2026-2028, Cà Mau phải bám sát những nguồn thu lớn nào?",
            Intent.LIST,
            None,
        ),
        ("Ngân sách tỉnh chi cho những lĩnh vực nào?", Intent.LIST, None),
        # one amount, or the money itself asked, stays a budget fact
        ("Kinh phí thực hiện kế hoạch là bao nhiêu?", Intent.FACT, FactKind.BUDGET),
        ("Kế hoạch sử dụng những nguồn kinh phí nào?", Intent.FACT, FactKind.BUDGET),
    ],
)
def test_plural_items_of_a_budget_topic_are_a_list(question, intent, fact):
    got, kind, _ = intent_of(fold(question), [], False)
    assert (got, kind) == (intent, fact)
