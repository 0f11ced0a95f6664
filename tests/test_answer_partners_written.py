"""Who takes part with the unit leading: "những đơn vị nào cùng tham gia" is a partner question,
and the partners of a long HCM-style list ("các sở, ban, ngành, đoàn thể Thành phố, Ủy ban nhân
dân phường, xã, đặc khu …") are all read and shown as the plan writes them; a unit's own heading is no task of it
(issue 12, classes 1 and 2), end to end through the Assistant on two tiny inline plans (fake embedder).
"""

from __future__ import annotations

import pytest
from _small import inline_assistant

from assistant.query.model import Intent
from assistant.query.rules import intent_of

HCM = """ỦY BAN NHÂN DÂN
THÀNH PHỐ HỒ CHÍ MINH

CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc

Số: 174/KH-UBND

Thành phố Hồ Chí Minh, ngày 10 tháng 11 năm 2025

KẾ HOẠCH
Tổ chức Tháng hành động vì bình đẳng giới năm 2025

I. NỘI DUNG HOẠT ĐỘNG

1. Hoạt động truyền thông

a) Hoạt động 1

- Nội dung: Triển khai lồng ghép nội dung về phòng ngừa bạo lực trên cơ sở giới trong công tác
truyền thông Luật Phòng chống bạo lực gia đình.

- Cơ quan thực hiện: Sở Văn hóa và Thể thao chủ trì, phối hợp với các sở, ban, ngành, đoàn thể
Thành phố, Ủy ban nhân dân phường, xã, đặc khu, báo, đài và các đơn vị có liên quan.

b) Hoạt động 2

- Nội dung: Tổng kết mô hình một cửa hỗ trợ phụ nữ và trẻ em.

- Cơ quan thực hiện: Sở Y tế chủ trì.

II. TỔ CHỨC THỰC HIỆN

1. Sở Nội vụ (Cơ quan thường trực Ban Vì sự tiến bộ phụ nữ và Bình đẳng giới Thành phố):

- Chủ trì rà soát nhân sự, tham mưu kiện toàn Ban Vì sự tiến bộ phụ nữ và Bình đẳng giới Thành phố.

- Theo dõi, tổng hợp báo cáo kết quả triển khai thực hiện Kế hoạch này.

2. Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam Thành phố, Hội Liên hiệp
Phụ nữ Thành phố và các tổ chức thành viên của Mặt trận

- Duy trì kết quả của chuỗi hoạt động “Tháng cùng phụ nữ hành động” nhằm nâng cao nhận thức của người dân.

Nơi nhận:
- Lưu: VT.

KT. CHỦ TỊCH
PHÓ CHỦ TỊCH

Trần Thị Ba
"""

DONG_THAP = """ỦY BAN NHÂN DÂN
TỈNH ĐỒNG THÁP

CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc

Số: 597/KH-UBND

Đồng Tháp, ngày 27 tháng 11 năm 2025

KẾ HOẠCH
Chuyển đổi số hạ tầng giao thông

I. TỔ CHỨC THỰC HIỆN

1. Các doanh nghiệp

Mời gọi các doanh nghiệp công nghệ cùng tham gia vào các dự án chuyển đổi số.

2. Bộ Chỉ huy Quân sự tỉnh

Chỉ đạo lực lượng chức năng tăng cường triển khai các biện pháp phòng ngừa, phát hiện, đấu tranh và xử lý
tội phạm, vi phạm pháp luật về thăm dò, khai thác, vận chuyển, mua bán và xuất khẩu trái phép khoáng sản
tại khu vực các xã biên giới theo quy định.

3. Ủy ban nhân dân tỉnh

Chỉ đạo các sở, ngành triển khai các dự án chuyển đổi số.

Nơi nhận:
- Lưu: VT.

KT. CHỦ TỊCH
PHÓ CHỦ TỊCH

Nguyễn Văn Một
"""


@pytest.fixture(scope="module")
def assistant(tmp_path_factory):
    return inline_assistant(
        tmp_path_factory.mktemp("partners"),
        {"hcm-174-kh-ubnd.txt": HCM, "dong-thap-597-kh-ubnd.txt": DONG_THAP},
    )


def test_who_joins_the_lead_is_asked_and_every_partner_is_read(assistant):
    ans = assistant.ask(
        "Ở TP HCM, khi Sở Văn hóa và Thể thao lồng ghép nội dung phòng ngừa bạo lực trên cơ sở giới vào "
        "truyền thông Luật Phòng chống bạo lực gia đình thì những đơn vị nào cùng tham gia?"
    )
    assert ans.intent == Intent.PARTNER_UNIT and not ans.refused, ans.answer
    assert ans.units["lead"] == ["Sở Văn hóa và Thể thao"], ans.answer
    # the tier "Thành phố" after the collective does not end the list
    assert ans.units["partners"] == ["Các sở, ban, ngành", "Ủy ban nhân dân phường, xã, đặc khu"], ans.answer
    # the collective's canonical name merges "đoàn thể": the plan's own clause is shown too
    assert ans.answer.splitlines()[-1] == (
        "Văn bản ghi: “Sở Văn hóa và Thể thao chủ trì, phối hợp với các sở, ban, ngành, đoàn thể Thành phố, "
        "Ủy ban nhân dân phường, xã, đặc khu, báo, đài và các đơn vị có liên quan” [1]"
    )


def test_a_lead_question_shows_no_partner_clause(assistant):
    ans = assistant.ask("Ở TP HCM, cơ quan nào chủ trì tổng kết mô hình một cửa hỗ trợ phụ nữ và trẻ em?")
    assert ans.units["lead"] == ["Sở Y tế"], ans.answer
    assert not any(line.startswith("Văn bản ghi") for line in ans.answer.splitlines())


@pytest.mark.parametrize(
    ("folded", "intent"),
    [
        (
            "so khoa hoc va cong nghe cung nhung don vi nao lien ket de chuyen giao cong nghe",
            Intent.PARTNER_UNIT,
        ),
        ("khi so van hoa long ghep noi dung thi nhung don vi nao cung tham gia", Intent.PARTNER_UNIT),
        # the one leading is asked, "cùng" aside
        ("don vi nao chu tri cung cac so to chuc hoi thi", Intent.LEAD_UNIT),
    ],
)
def test_who_goes_with_the_unit_is_its_partner(folded, intent):
    assert intent_of(folded, ["Sở Văn hóa và Thể thao"], False)[0] == intent


def test_a_units_heading_with_its_role_in_brackets_is_no_task(assistant):
    """ "1. Sở Nội vụ (Cơ quan thường trực …):" opens the unit's item: its tasks are the lines below."""
    ans = assistant.ask("Sở Nội vụ TP HCM có nhiệm vụ gì?")
    assert ans.answer.splitlines()[1:] == [
        "• Chủ trì rà soát nhân sự, tham mưu kiện toàn Ban Vì sự tiến bộ phụ nữ và Bình đẳng giới Thành phố",
        "• Theo dõi, tổng hợp báo cáo kết quả triển khai thực hiện Kế hoạch này [1]",
    ], ans.answer


def test_a_units_one_long_task_is_written_out(assistant):
    """One task has the answer's lines to itself: its place ("các xã biên giới") is not cut off."""
    ans = assistant.ask("bo chi huy quan su tinh dong thap duoc giao nhiem vu gi")
    assert ans.answer.splitlines()[1].endswith("tại khu vực các xã biên giới theo quy định [1]"), ans.answer


@pytest.mark.parametrize(
    "question",
    [
        "Hội Liên hiệp Phụ nữ TP HCM có nhiệm vụ gì?",
        "Hội Liên hiệp Phụ nữ Thành phố Hồ Chí Minh có nhiệm vụ gì?",
    ],
)
def test_a_body_named_with_its_province_is_the_plans_body_of_that_tier(assistant, question):
    """ "Hội Liên hiệp Phụ nữ TP HCM" is the plan's "Hội Liên hiệp Phụ nữ Thành phố"; the item's
    heading that requests it (with the Front) is no task of it."""
    ans = assistant.ask(question)
    assert ans.answer.splitlines() == [
        "Nhiệm vụ của Hội Liên hiệp Phụ nữ thành phố (Kế hoạch 174/KH-UBND (Hồ Chí Minh)):",
        "• Duy trì kết quả của chuỗi hoạt động “Tháng cùng phụ nữ hành động” nhằm nâng cao nhận thức của người dân [1]",
    ], ans.answer


def test_the_issuer_named_with_its_province_stays_the_issuer(assistant):
    """ "UBND TP HCM" is the plan's author, not a unit asked about: the signer is answered."""
    ans = assistant.ask("Văn bản của UBND TP HCM về Tháng hành động vì bình đẳng giới do đồng chí nào ký?")
    assert not ans.refused and "Trần Thị Ba" in ans.answer, ans.answer
