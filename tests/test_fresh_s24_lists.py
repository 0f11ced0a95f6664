"""Session 24's fresh blind list and unit questions on dev plans (issue 12, classes 1 and 3):
the conventions their misses showed, each on the smallest input that shows it."""

from __future__ import annotations

import pytest

from assistant.answer.evidence import segments
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


# a web page hard-wraps a bullet anywhere, also before the capital of a body's name
_WRAPPED = (
    "6. Công tác phối hợp liên ngành\n"
    "- Kích hoạt Ban Chỉ huy\nPhòng chống thiên tai và tìm kiếm cứu nạn các cấp.\n"
    "- Mặt trận Tổ quốc, Đoàn\nThanh niên, Hội Phụ nữ hỗ trợ người dân khắc phục hậu quả.\n"
    "- Phối hợp với ngành giáo dục để xử lý vệ sinh trường lớp\n"
    "- Báo cáo hằng ngày\n"
    "Sở Y tế tổng hợp."
)


def test_a_wrapped_bullet_is_one_segment():
    got = [" ".join(_WRAPPED[a:b].split()) for a, b in segments(_WRAPPED)]
    assert got == [
        "6. Công tác phối hợp liên ngành",
        # a break outside an enumeration of names is left as written
        "Kích hoạt Ban Chỉ huy",
        "Phòng chống thiên tai và tìm kiếm cứu nạn các cấp.",
        # a name cut after a comma goes on with the next line
        "Mặt trận Tổ quốc, Đoàn Thanh niên, Hội Phụ nữ hỗ trợ người dân khắc phục hậu quả.",
        "Phối hợp với ngành giáo dục để xử lý vệ sinh trường lớp",
        "Báo cáo hằng ngày",
        "Sở Y tế tổng hợp.",
    ]


def test_a_closed_bullet_ends_its_segment():
    text = "- Huy động hội viên tham gia vệ sinh môi trường;\nTuyên truyền phòng chống dịch bệnh."
    got = [text[a:b] for a, b in segments(text)]
    assert got == ["Huy động hội viên tham gia vệ sinh môi trường;", "Tuyên truyền phòng chống dịch bệnh."]
