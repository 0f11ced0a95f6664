"""A department that issues a plan, named after its own activity with "của" ("Kỳ tập huấn … của
Sở Công Thương tổ chức ở đâu?"), owns the activity: the slot asked of it is answered from its
plan, while the same department asked for its tasks ("Nhiệm vụ của Sở Công Thương") still gets
them. Two tiny inline plans in the layout of real ones (a Sở's Kế hoạch under "UBND TỈNH …",
a People's Committee's plan assigning that Sở a task), fake embedder, end to end.
"""

from __future__ import annotations

import pytest
from _small import inline_assistant

from assistant.query.model import FactKind, Intent
from assistant.textnorm import fold

SO_CONG_THUONG = """UBND TỈNH LÀO CAI
SỞ CÔNG THƯƠNG
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 412/KH-SCT
Lào Cai, ngày 15 tháng 6 năm 2026
KẾ HOẠCH
Tập huấn kỹ thuật an toàn hóa chất cho doanh nghiệp trên địa bàn tỉnh Lào Cai
I. MỤC ĐÍCH, YÊU CẦU
1. Trang bị kiến thức an toàn hóa chất cho người quản lý kho hóa chất của doanh nghiệp.
II. NỘI DUNG
1. Thời gian: 01 ngày, bắt đầu từ 08h00 ngày 20/7/2026.
2. Địa điểm: Hội trường tầng 3, số 18 đường Hoàng Liên, phường Cốc Lếu, tỉnh Lào Cai.
3. Đối tượng: Người quản lý kho hóa chất của các doanh nghiệp trên địa bàn tỉnh.
III. TỔ CHỨC THỰC HIỆN
1. Giao phòng Kỹ thuật an toàn - Môi trường chuẩn bị tài liệu tập huấn và mời giảng viên.
Nơi nhận:
- Ban Giám đốc Sở;
- Lưu: VT.
KT. GIÁM ĐỐC
PHÓ GIÁM ĐỐC
Hoàng Văn Thuân
"""
UBND = """ỦY BAN NHÂN DÂN
TỈNH LÀO CAI
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 88/KH-UBND
Lào Cai, ngày 02 tháng 3 năm 2026
KẾ HOẠCH
Phát triển thương mại điện tử tỉnh Lào Cai năm 2026
I. NHIỆM VỤ
1. Sở Công Thương: Chủ trì xây dựng sàn giao dịch thương mại điện tử cho sản phẩm OCOP của tỉnh.
2. Sở Tài chính: Chủ trì bố trí kinh phí thực hiện kế hoạch.
Nơi nhận:
- Như trên;
- Lưu: VT.
TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH
Trịnh Xuân Trường
"""


@pytest.fixture(scope="module")
def assistant(tmp_path_factory):
    return inline_assistant(
        tmp_path_factory.mktemp("author"),
        {"lao-cai-2026-412-kh-sct-tap-huan.txt": SO_CONG_THUONG, "lao-cai-2026-88-kh-ubnd.txt": UBND},
    )


def test_the_issuer_after_its_activity_owns_it_and_the_place_is_answered(assistant):
    q = "Kỳ tập huấn an toàn hóa chất của Sở Công Thương Lào Cai tổ chức ở đâu?"
    query = assistant.snapshot().read(q)
    assert query.intent == Intent.FACT and query.fact == FactKind.PLACE and query.units == []
    ans = assistant.ask(q)
    assert not ans.refused
    assert fold("số 18 đường Hoàng Liên") in fold(ans.answer)
    assert ans.citations[0].doc == "lao-cai-2026-412-kh-sct-tap-huan.txt"


@pytest.mark.parametrize(
    "q", ["Nhiệm vụ của Sở Công Thương Lào Cai là gì?", "Sở Công Thương chủ trì những việc gì?"]
)
def test_the_same_department_asked_for_its_tasks_keeps_them(assistant, q):
    query = assistant.snapshot().read(q)
    assert query.intent == Intent.UNIT_TASKS and query.units == ["Sở Công Thương"]
    assert fold("sàn giao dịch thương mại điện tử") in fold(assistant.ask(q).answer)


def test_the_plans_title_repeated_names_the_plan_and_leaves_the_topic_asked(assistant):
    # the trích yếu run ("tập huấn kỹ thuật an toàn hóa chất") says which plan; the terms searched
    # are what is asked of it ("chuẩn bị tài liệu")
    query = assistant.snapshot().read("Ai chuẩn bị tài liệu cho đợt tập huấn kỹ thuật an toàn hóa chất?")
    assert query.named == frozenset({"lao-cai-2026-412-kh-sct-tap-huan.txt"})
    assert "tai" in query.terms and "lieu" in query.terms
    assert not {"hoa", "chat", "huan"} & set(query.terms)
    assert "hóa chất" not in query.lexical_text and "tài liệu" in query.lexical_text


def test_a_plan_named_by_number_keeps_its_title_words_as_the_topic(assistant):
    query = assistant.snapshot().read("Kế hoạch 412 yêu cầu gì về an toàn hóa chất?")
    assert {"hoa", "chat"} <= set(query.terms)


def test_the_author_named_with_no_task_word_is_not_asked_for_its_tasks(assistant):
    # "Kế hoạch 412 của Sở Công Thương …" names the plan's author; what is asked is of the plan
    query = assistant.snapshot().read(
        "Kế hoạch 412 của Sở Công Thương Lào Cai tập huấn theo quy định tại điều nào?"
    )
    assert query.units == [] and query.intent != Intent.UNIT_TASKS


def test_a_working_body_the_issuer_set_up_is_the_subject_not_the_issuer(assistant):
    # "Tổ công tác … của Sở Công Thương phải làm những việc gì?": the team's work is asked (its
    # plan's list), not every task any plan gives the Sở
    query = assistant.snapshot().read(
        "Tổ công tác tập huấn an toàn hóa chất của Sở Công Thương phải làm những việc gì?"
    )
    assert query.units == [] and query.intent == Intent.LIST
    # the Sở asked for its own tasks still gets them
    query = assistant.snapshot().read("Sở Công Thương phải làm những việc gì?")
    assert query.units == ["Sở Công Thương"] and query.intent == Intent.UNIT_TASKS
