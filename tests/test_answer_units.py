"""Who leads, who coordinates, what a unit must do, whom a plan is sent to, and when the
evidence is for another year (issue 12, classes 1, 4, 5 and 8), end to end through the Assistant
on two tiny inline plans (fake embedder), plus the parser rules on their own.

The plans are written in the layout of real ones: a Decree 30/2020 header with "Kính gửi", items
headed by their unit ("1. Sở Y tế") whose lines begin "Phối hợp với …", a numbered regional office,
a Sở's inspection plan that hands its points to a department in a lead-in line, a forecast
section whose sub-heading names one year of the period. Every expected value is a line of them.
"""

from __future__ import annotations

import pytest
from _small import inline_assistant

from assistant.query import Catalog, parse_question
from assistant.query.model import FactKind, Intent
from assistant.records import DocMeta

CAN_THO = """ỦY BAN NHÂN DÂN
THÀNH PHỐ CẦN THƠ

CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc

Số: 157/KH-UBND

Cần Thơ, ngày 10 tháng 11 năm 2025

KẾ HOẠCH
Phát động phong trào thi đua chi trả không dùng tiền mặt năm 2025

Kính gửi: Hội đồng nhân dân thành phố Cần Thơ

I. MỤC ĐÍCH, YÊU CẦU

Nâng cao tỷ lệ người hưởng trợ cấp xã hội nhận tiền qua tài khoản ngân hàng.

II. DỰ BÁO CÁC CHỈ TIÊU 03 NĂM 2026 - 2028

1. Dự báo các chỉ tiêu đến năm 2026

Tỷ lệ chi trả qua tài khoản đạt khoảng 80% số người hưởng trợ cấp.

III. TỔ CHỨC THỰC HIỆN

1. Sở Y tế

a) Chủ trì, theo dõi, đôn đốc, kiểm tra việc thực hiện Kế hoạch này.

b) Phối hợp với Sở Tư pháp rà soát thủ tục chi trả trợ cấp xã hội.

2. Sở Nội vụ

Phối hợp Sở Y tế thẩm định hồ sơ, trình tặng Bằng khen cho tập thể, cá nhân có thành tích xuất sắc.

3. Ngân hàng Nhà nước chi nhánh khu vực 14

Chỉ đạo các ngân hàng thương mại mở tài khoản, thẻ cho người hưởng trợ cấp xã hội.

4. Ủy ban nhân dân các xã: Thới Lai, Cờ Đỏ

Tổ chức phiên giao dịch lưu động cho người cao tuổi tại nhà văn hóa ấp.

5. Sở Tư pháp

Chủ trì, phối hợp với Ủy ban nhân dân 02 xã: Thới Lai, Cờ Đỏ công chứng giấy ủy quyền nhận trợ cấp tại nhà.

Nơi nhận:
- Như trên;
- Sở Tài chính;
- Lưu: VT.

TM. ỦY BAN NHÂN DÂN
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH

Nguyễn Thị Ngọc Điệp
"""

LAO_CAI = """UBND TỈNH LÀO CAI
SỞ CÔNG THƯƠNG

CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc

Số: 3024/KH-SCT

Lào Cai, ngày 22 tháng 5 năm 2026

KẾ HOẠCH
Kiểm tra kỹ thuật an toàn vật liệu nổ công nghiệp tại Mỏ tuyển đồng Sin Quyền

I. MỤC ĐÍCH

Kiểm tra kỹ thuật an toàn cho người tiếp xúc với vật liệu nổ công nghiệp.

II. TỔ CHỨC THỰC HIỆN

Giao phòng Quản lý Công nghiệp triển khai, thực hiện các công việc:

1. Tổ chức kiểm tra kỹ thuật an toàn cho các đối tượng liên quan.

2. Chuẩn bị các điều kiện cần thiết để tổ chức kiểm tra.

Nơi nhận:
- Lưu: VT.

KT. GIÁM ĐỐC
PHÓ GIÁM ĐỐC

Hoàng Văn Thuân
"""

CT, LC = "can-tho-2025-157-kh-ubnd.txt", "lao-cai-2026-3024-kh-sct.txt"
NHNN = "Ngân hàng Nhà nước Chi nhánh Khu vực 14"


@pytest.fixture(scope="module")
def assistant(tmp_path_factory):
    return inline_assistant(tmp_path_factory.mktemp("units"), {CT: CAN_THO, LC: LAO_CAI})


def turn(question: str) -> list[dict]:
    return [{"role": "user", "content": question}, {"role": "assistant", "content": "…"}]


# --- class 1: a passage's units come from its own structure -----------------------------------
def test_a_phoi_hop_line_under_a_unit_heading_stays_that_units_task(assistant):
    ans = assistant.ask("Ai chủ trì rà soát thủ tục chi trả trợ cấp xã hội ở Cần Thơ?")
    assert ans.units["lead"] == ["Sở Y tế"] and ans.units["partners"] == ["Sở Tư pháp"], ans.answer
    assert (
        ans.answer.splitlines()[0]
        == "Sở Y tế chủ trì [1]; phối hợp: Sở Tư pháp — Kế hoạch 157/KH-UBND (Cần Thơ)."
    )


def test_communes_named_after_a_colon_are_kept_in_the_party(assistant):
    # "Ủy ban nhân dân các xã: Thới Lai, Cờ Đỏ" heads its item: the named communes are the lead,
    # and a partner written so in the body is not cut at its colon
    ans = assistant.ask("Ai tổ chức phiên giao dịch lưu động cho người cao tuổi ở Cần Thơ?")
    assert ans.units["lead"] == ["Ủy ban nhân dân các xã: Thới Lai, Cờ Đỏ"], ans.answer
    ans = assistant.ask("Sở Tư pháp Cần Thơ phối hợp với ai công chứng giấy ủy quyền nhận trợ cấp tại nhà?")
    assert ans.units["lead"] == ["Sở Tư pháp"], ans.answer
    assert ans.units["partners"] == ["Ủy ban nhân dân 02 xã: Thới Lai, Cờ Đỏ"], ans.answer


def test_a_listed_commune_gets_the_task_of_its_list(assistant):
    # "UBND xã Cờ Đỏ" asked: the item headed "Ủy ban nhân dân các xã: Thới Lai, Cờ Đỏ" is its task
    ans = assistant.ask("UBND xã Cờ Đỏ của Cần Thơ phải làm gì?")
    assert "phiên giao dịch lưu động" in ans.answer, ans.answer
    # a commune the list does not name gets none of it
    ans = assistant.ask("UBND xã Phong Điền của Cần Thơ phải làm gì?")
    assert "phiên giao dịch lưu động" not in ans.answer, ans.answer


def test_a_numbered_office_asked_without_diacritics_gets_its_own_tasks(assistant):
    ans = assistant.ask("ngan hang nha nuoc chi nhanh khu vuc 14 phai lam gi")
    assert ans.answer.splitlines()[0] == f"Nhiệm vụ của {NHNN} (Kế hoạch 157/KH-UBND (Cần Thơ)):"
    assert "mở tài khoản, thẻ" in ans.answer and "Bằng khen" not in ans.answer


def test_the_plan_wide_lead_is_read_from_to_chuc_thuc_hien(assistant):
    ans = assistant.ask(
        "Kế hoạch thi đua chi trả không dùng tiền mặt của Cần Thơ do cơ quan nào chủ trì tổ chức thực hiện?"
    )
    assert (
        ans.answer.splitlines()[0]
        == "Sở Y tế chủ trì tổ chức thực hiện [1] — Kế hoạch 157/KH-UBND (Cần Thơ)."
    )
    assert ans.citations[0].quote.startswith("a) Chủ trì, theo dõi, đôn đốc")


# --- class 5: the document named answers ------------------------------------------------------
def test_a_lead_in_line_gives_the_named_plans_department(assistant):
    ans = assistant.ask(
        "Ai được giao triển khai các công việc kiểm tra trong kế hoạch kiểm tra cho Mỏ tuyển đồng Sin Quyền?"
    )
    assert ans.units["lead"] == ["Phòng Quản lý Công nghiệp"], ans.answer
    assert {c.doc for c in ans.citations} == {LC}


def test_whom_a_plan_is_sent_to_is_read_from_its_card(assistant):
    ans = assistant.ask("Kế hoạch 157/KH-UBND của Cần Thơ được gửi tới cơ quan nào?")
    assert ans.answer == (
        "Kế hoạch 157/KH-UBND (Cần Thơ) gửi: Hội đồng nhân dân thành phố Cần Thơ; Sở Tài chính [1]."
    )
    assert ans.citations[0].kind == "metadata"


# --- class 8: a follow-up names only the unit ---------------------------------------------------
def test_follow_up_gives_the_other_units_own_task(assistant):
    history = turn("Ngân hàng Nhà nước chi nhánh khu vực 14 phải làm gì trong kế hoạch thi đua của Cần Thơ?")
    ans = assistant.ask("Còn Sở Nội vụ thì sao?", history=history)
    assert ans.answer.splitlines()[0] == "Nhiệm vụ của Sở Nội vụ (Kế hoạch 157/KH-UBND (Cần Thơ)):"
    assert "Bằng khen" in ans.answer and "rà soát thủ tục" not in ans.answer


# --- class 4: a figure for another year is no answer -----------------------------------------
def test_a_figure_for_the_sub_headings_year_does_not_answer_another_year(assistant):
    ans = assistant.ask("Cần Thơ dự báo tỷ lệ chi trả qua tài khoản năm 2028 đạt bao nhiêu?")
    assert ans.refused, ans.answer
    ans = assistant.ask("Cần Thơ dự báo tỷ lệ chi trả qua tài khoản năm 2026 đạt bao nhiêu?")
    assert not ans.refused and "80%" in ans.answer, ans.answer


# --- the parser's rules ----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("question", "intent", "fact"),
    [
        (
            "Ở TP HCM, cơ quan nào đăng thông điệp Tháng hành động trên bảng quang báo?",
            Intent.LEAD_UNIT,
            None,
        ),
        ("Sở nào bố trí kinh phí thực hiện kế hoạch?", Intent.LEAD_UNIT, None),
        ("Thông điệp của Tháng hành động là gì?", Intent.FACT, FactKind.SLOGAN),
        ("Kinh phí thực hiện kế hoạch là bao nhiêu?", Intent.FACT, FactKind.BUDGET),
        ("Kế hoạch 0204/KH-UBND được gửi tới cơ quan nào?", Intent.FACT, FactKind.RECIPIENT),
        ("ke hoach nay kinh gui ai", Intent.FACT, FactKind.RECIPIENT),
        # the office a report is sent to: a sentence of the body, not the card (no fact slot)
        ("Báo cáo kết quả gửi về đâu?", Intent.FACT, None),
        # "số" (a number) folds like "sở" (a department)
        ("Đợt 1 kiểm tra thợ nổ mìn từ số thứ tự nào đến số nào?", Intent.FACT, FactKind.NUMBER),
        ("Sở nào chủ trì kiểm tra thợ nổ mìn?", Intent.LEAD_UNIT, None),
    ],
)
def test_what_is_asked(question, intent, fact):
    q = parse_question(question)
    assert (q.intent, q.fact) == (intent, fact)


def test_what_a_task_sends_is_not_the_addressees():
    """An estimate or a result sent somewhere goes where its own sentence says, not to the plan's
    addressees (the "Kính gửi" / "Nơi nhận" of the header card)."""
    for question in ("Dự toán kinh phí của các đơn vị gửi về đâu?", "Kết quả kiểm tra gửi về đâu?"):
        assert parse_question(question).fact is not FactKind.RECIPIENT, question
    assert parse_question("Kế hoạch này được gửi tới cơ quan nào?").fact is FactKind.RECIPIENT


def test_a_province_alias_names_the_loaded_province():
    cat = Catalog.build({"h.md": DocMeta(doc="h.md", province="Hồ Chí Minh", number="174/KH-UBND")}, [])
    for question in ("Ở TP HCM, cơ quan nào đăng thông điệp?", "Kế hoạch của TPHCM ban hành ngày nào?"):
        q = parse_question(question, cat)
        assert (q.filters, q.missing) == ({"province": "Hồ Chí Minh"}, None)
    assert parse_question("Kế hoạch của TP Đà Nẵng?", cat).missing == "Đà Nẵng"
