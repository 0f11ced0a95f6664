"""A unit answer must cite the row of the task asked (issue 12, failure class 4): "đơn vị nào chủ
trì tổ chức hội thi …" asked of a plan that only holds "hội nghị, hội thảo" is refused, not
answered with that row's unit; the plan's own tasks, asked in their words or a near paraphrase,
with or without diacritics, keep their unit."""

from __future__ import annotations

import pytest
from _small import has, inline_assistant

from assistant.answer.task_named import TASK_ABSENT

PLAN_141 = """ỦY BAN NHÂN DÂN TỈNH BẮC NINH
Số: 141/KH-UBND
KẾ HOẠCH
Nâng cao năng lực cho đội ngũ cán bộ, công chức xây dựng chính sách, pháp luật trên địa bàn tỉnh

III. NHIỆM VỤ, GIẢI PHÁP
7. Bồi dưỡng kỹ năng soạn thảo văn bản
- Bồi dưỡng kỹ năng soạn thảo văn bản quy phạm pháp luật cho công chức cấp xã.
Đơn vị chủ trì: Sở Nội vụ.
Đơn vị phối hợp: Sở Tư pháp.
8. Tổ chức hội nghị, hội thảo trong công tác xây dựng pháp luật
- Tổ chức hội nghị, hội thảo trao đổi nghiệp vụ, kinh nghiệm trong công tác xây dựng pháp luật.
Đơn vị chủ trì: Sở Tư pháp.
Đơn vị phối hợp: Các cơ quan, đơn vị liên quan.
"""

PLAN_22 = """ỦY BAN NHÂN DÂN TỈNH HÀ NAM
Số: 22/KH-UBND
KẾ HOẠCH
Tuyên truyền phổ biến giáo dục pháp luật năm 2026

II. NỘI DUNG
1. Tổ chức hội thi tuyên truyền viên pháp luật giỏi
- Tổ chức hội thi tuyên truyền viên pháp luật giỏi cấp tỉnh.
Đơn vị chủ trì: Sở Văn hóa, Thể thao và Du lịch.
Đơn vị phối hợp: Sở Tư pháp.
"""


@pytest.fixture(scope="module")
def assistant(tmp_path_factory):
    return inline_assistant(tmp_path_factory.mktemp("task"), {"bn-141.md": PLAN_141, "hn-22.md": PLAN_22})


def test_a_task_the_plan_never_names_is_refused_not_given_a_neighbours_unit(assistant):
    for q in (
        "ke hoach 141 giao don vi nao chu tri to chuc hoi thi can bo xay dung phap luat gioi",
        "Kế hoạch 141 giao đơn vị nào chủ trì tổ chức hội thi cán bộ xây dựng pháp luật giỏi?",
    ):
        ans = assistant.ask(q)
        assert ans.refused and ans.notice == TASK_ABSENT, (q, ans.answer)
        assert not has(ans.answer, "Sở Tư pháp chủ trì")


def test_the_plans_own_tasks_keep_their_unit(assistant):
    for q, unit in (
        (
            "Kế hoạch 22 giao đơn vị nào chủ trì tổ chức hội thi tuyên truyền viên pháp luật giỏi?",
            "Sở Văn hóa",
        ),
        ("ke hoach 141 giao don vi nao chu tri to chuc hoi nghi, hoi thao xay dung phap luat", "Sở Tư pháp"),
        ("Kế hoạch 141: ai chủ trì bồi dưỡng kỹ năng soạn thảo văn bản cho công chức cấp xã?", "Sở Nội vụ"),
    ):
        ans = assistant.ask(q)
        assert ans.notice != TASK_ABSENT, (q, ans.answer)
        assert not ans.refused and any(has(u, unit) for u in ans.units.get("lead", [])), (q, ans.answer)


# Hà Nội 308 (dev): the row that names the national data centre, not a city one
ROW_308 = (
    "Phối hợp triển khai số hóa theo hướng dẫn của Bộ, ngành chuyên môn đối với các cơ sở dữ liệu quốc "
    "gia, chuyên ngành, chuẩn hóa, đồng bộ dữ liệu về Trung tâm dữ liệu quốc gia theo lộ trình"
)


def _pairs(*texts: str) -> frozenset[str]:
    from assistant.vocab.tokens import folded_tokens

    return frozenset(f"{a} {b}" for t in texts for x in [folded_tokens(t)] for a, b in zip(x, x[1:]))


@pytest.mark.parametrize(
    ("question", "other"),
    [
        # r286: the plan writes "Trung tâm dữ liệu" and goes on "quốc gia"; the one asked is another
        (
            "Kế hoạch 308 của Hà Nội giao đơn vị nào chủ trì xây dựng Trung tâm dữ liệu tập trung của Thành phố?",
            True,
        ),
        ("ke hoach 308 giao ai xay dung Trung tam du lieu tap trung cua thanh pho", True),
        # the facility the plan names, whole or cut short, or followed by its place
        ("Đơn vị nào đồng bộ dữ liệu về Trung tâm dữ liệu quốc gia?", False),
        ("Ai đồng bộ dữ liệu về Trung tâm dữ liệu?", False),
        ("Ai đồng bộ dữ liệu về Trung tâm dữ liệu quốc gia tại Hà Nội?", False),
        # a facility the plan never names at all is left to the other checks
        ("Ai xây dựng Trung tâm IOC của tỉnh?", False),
    ],
)
def test_a_facility_the_plan_names_otherwise(question, other):
    from assistant.answer.task_named import other_facility

    assert other_facility(question, _pairs(ROW_308)) is other


PLAN_30 = """ỦY BAN NHÂN DÂN TỈNH NINH BÌNH
Số: 30/KH-UBND
KẾ HOẠCH
Trợ giúp pháp lý năm 2026

I. NHIỆM VỤ
1. Trợ giúp pháp lý cho người dân
- Cử trợ giúp viên pháp lý giúp công chức cấp xã giải đáp pháp luật cho người dân.
Đơn vị chủ trì: Sở Tư pháp.
"""


@pytest.fixture(scope="module")
def three_plans(tmp_path_factory):
    docs = {"bn-141.md": PLAN_141, "hn-22.md": PLAN_22, "nb-30.md": PLAN_30}
    return inline_assistant(tmp_path_factory.mktemp("lo"), docs)


def test_lo_after_the_who_word_asks_who_is_in_charge_not_a_task_word(three_plans):
    # "ai lo …" is the plain way to ask "ai chủ trì …": "lo" is not missing from the row; with
    # it counted, "lo" and "giúp" (a connective another plan writes as "giúp công chức") made
    # two missing words and the row's own task was refused (fresh r1005, Đồng Tháp 556)
    q = "Kế hoạch 141: ai lo bồi dưỡng kỹ năng soạn thảo văn bản giúp công chức cấp xã?"
    ans = three_plans.ask(q)
    assert ans.notice != TASK_ABSENT, ans.answer
    assert not ans.refused and any(has(u, "Sở Nội vụ") for u in ans.units.get("lead", [])), ans.answer
