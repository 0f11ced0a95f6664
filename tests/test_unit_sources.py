"""Who does a task, read from where the plan writes it (issue 12, class 1 "wrong unit").

Session 25's blind dev questions asked the lead of a task by its content: "ai tham mưu … bảng
giá tính thuế tài nguyên hằng năm", "đơn vị nào chia sẻ kinh nghiệm … để nâng tỷ lệ chi trả …".
The who-word opens the question as the subject of its verb; the value word after it is the
task's object or frequency. The parser's rule on its own, then end to end on a tiny inline plan
in the layout of the real ones (a unit heading over its items in "Tổ chức thực hiện"), with the
exact unit expected.
"""

from __future__ import annotations

import pytest
from _small import has, inline_assistant

from assistant.query.model import Intent
from assistant.query.parse import parse_question

PLAN = """ỦY BAN NHÂN DÂN
TỈNH LÀO CAI

CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc

Số: 77/KH-UBND

Lào Cai, ngày 12 tháng 01 năm 2026

KẾ HOẠCH
Tăng cường quản lý nhà nước về khoáng sản năm 2026

I. TỔ CHỨC THỰC HIỆN

1. Sở Tài chính

- Chủ trì, phối hợp với các Sở, ngành liên quan tham mưu UBND tỉnh ban hành bảng giá tính thuế tài nguyên trên địa bàn tỉnh hằng năm theo quy định.

2. Thuế tỉnh

- Tổ chức kiểm tra, đối chiếu khối lượng khoáng sản kê khai, nộp thuế, phí của các đơn vị khai thác khoáng sản.

3. Sở Khoa học và Công nghệ

Theo chức năng, nhiệm vụ của đơn vị phối hợp, hỗ trợ, chia sẻ kinh nghiệm chuyển đổi số để nâng cao tỷ lệ chi trả trợ cấp xã hội bằng phương thức không dùng tiền mặt.

Nơi nhận:
- Như trên;
- Lưu: VT.

TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH

Nguyễn Văn An
"""


@pytest.mark.parametrize(
    "question",
    [
        "ai tham muu ubnd tinh ban hanh bang gia tinh thue tai nguyen hang nam",
        "Ở Lào Cai, đơn vị nào chia sẻ kinh nghiệm chuyển đổi số để nâng tỷ lệ chi trả trợ cấp?",
        "Theo kế hoạch 77, cơ quan nào tham mưu ban hành bảng giá tính thuế tài nguyên hằng năm?",
    ],
)
def test_who_word_as_subject_asks_the_agent(question):
    assert parse_question(question).intent == Intent.LEAD_UNIT


@pytest.mark.parametrize(
    "question",
    [
        # a value interrogative asks the value, whoever is named
        "Đơn vị nào chi trả trợ cấp và tỷ lệ chi trả không dùng tiền mặt là bao nhiêu?",
        "Tỷ lệ chi trả trợ cấp không dùng tiền mặt năm 2026 đạt bao nhiêu?",
        # "ai là …" asks a person's role; "Ai ký" the signer
        "Ai ký kế hoạch tăng cường quản lý khoáng sản năm 2026?",
    ],
)
def test_value_asked_stays_a_fact(question):
    assert parse_question(question).intent == Intent.FACT


@pytest.fixture(scope="module")
def plan(tmp_path_factory):
    return inline_assistant(tmp_path_factory.mktemp("units"), {"lao-cai-77-kh.txt": PLAN})


@pytest.mark.parametrize(
    ("question", "unit", "other"),
    [
        (
            "ai tham muu ubnd tinh ban hanh bang gia tinh thue tai nguyen hang nam",
            "Sở Tài chính",
            "Thuế tỉnh",
        ),
        (
            "Đơn vị nào chia sẻ kinh nghiệm chuyển đổi số để nâng tỷ lệ chi trả trợ cấp xã hội?",
            "Sở Khoa học và Công nghệ",
            "Sở Tài chính",
        ),
    ],
)
def test_lead_named_from_the_heading_over_the_item(plan, question, unit, other):
    ans = plan.ask(question)
    assert ans.intent == Intent.LEAD_UNIT and not ans.refused, ans.answer
    first = ans.answer.splitlines()[0]
    assert has(first, unit) and not has(first, other), ans.answer


# --- structure: the passage knows its units (convention (b): assignment in running text) ---

ASSIGNED = """ỦY BAN NHÂN DÂN
THÀNH PHỐ CẦN THƠ

CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc

Số: 88/KH-UBND

Cần Thơ, ngày 05 tháng 12 năm 2025

KẾ HOẠCH
Phát động phong trào thi đua năm 2026

I. TIÊU CHÍ ĐÁNH GIÁ

a) Trên cơ sở kết quả thực hiện các chỉ tiêu của Kế hoạch, giao Sở Y tế thành lập đoàn kiểm tra, đánh giá kết quả thực hiện.

b) Các tập thể được đánh giá theo thang điểm của Kế hoạch này.

II. TỔ CHỨC THỰC HIỆN

1. Căn cứ Kế hoạch này, Sở Nội vụ xây dựng kế hoạch chi tiết và tổ chức thực hiện.

2. Các nhiệm vụ được giao phải hoàn thành đúng hạn.
"""


def test_units_written_in_running_text():
    from assistant.ingest import parse_bytes
    from assistant.ingest.roles import text_roles

    # "…, giao X <việc>": X does the task; "được giao" names nobody
    assert text_roles("Trên cơ sở kết quả, giao Sở Y tế thành lập đoàn kiểm tra.").subjects == ["Sở Y tế"]
    assert text_roles("Các nhiệm vụ được giao Sở Tài chính tổng hợp.").subjects == []
    # a framing phrase before the subject: "Căn cứ Kế hoạch này, Sở Nội vụ …"
    assert text_roles("Căn cứ Kế hoạch này, Sở Nội vụ xây dựng kế hoạch chi tiết.").subjects == ["Sở Nội vụ"]
    leads = {
        p.text.split(")")[0].split(".")[0]: p.lead
        for p in parse_bytes("ct-88.txt", ASSIGNED.encode()).passages
    }
    assert leads["a"] == ("Sở Y tế",) and leads["b"] == ()
    assert leads["1"] == ("Sở Nội vụ",) and leads["2"] == ()


# --- answer: the unit as the plan's heading writes it, when the canonical name renames it ---

HEADED = """ỦY BAN NHÂN DÂN
TỈNH ĐẮK LẮK

CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc

Số: 99/KH-UBND

Đắk Lắk, ngày 20 tháng 11 năm 2025

KẾ HOẠCH
Khắc phục môi trường sau mưa lũ

I. TỔ CHỨC THỰC HIỆN

1. Sở Y tế:

Chủ trì triển khai kế hoạch; hướng dẫn chuyên môn; phân bổ hóa chất, vật tư.

2. UBND các xã, phường:

Triển khai kế hoạch trên địa bàn; tổ chức tổng vệ sinh môi trường sau lũ.

3. Các đoàn thể, tổ chức xã hội:

Huy động hội viên tham gia vệ sinh môi trường, hỗ trợ nước sạch cho người dân.
"""


@pytest.fixture(scope="module")
def headed(tmp_path_factory):
    return inline_assistant(tmp_path_factory.mktemp("headed"), {"dak-lak-99-kh.txt": HEADED})


def test_claim_shows_the_heading_that_names_the_unit(headed):
    ans = headed.ask("Ai huy động hội viên tham gia vệ sinh môi trường, hỗ trợ nước sạch?")
    first = ans.answer.splitlines()[0]
    assert has(first, "Các đoàn thể, tổ chức xã hội") and not has(first, "Sở Y tế"), ans.answer
    # an abbreviation is no renaming: "UBND các xã, phường" is "Ủy ban nhân dân các xã, phường"
    ans = headed.ask("Đơn vị nào tổ chức tổng vệ sinh môi trường sau lũ trên địa bàn?")
    first = ans.answer.splitlines()[0]
    assert has(first, "xã, phường") and "văn bản ghi" not in first, ans.answer


# --- structure: a party heading among unit headings (convention (a), open-class parties) ---

PARTIES = """ỦY BAN NHÂN DÂN
THÀNH PHỐ CẦN THƠ

CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc

Số: 66/KH-UBND

Cần Thơ, ngày 05 tháng 12 năm 2025

KẾ HOẠCH
Chi trả trợ cấp xã hội không dùng tiền mặt

I. TỔ CHỨC THỰC HIỆN

1. Sở Y tế

a) Chủ trì triển khai, đôn đốc, kiểm tra việc thực hiện Kế hoạch này.

2. Sở Nội vụ

Phối hợp Sở Y tế thẩm định hồ sơ khen thưởng.

3. Đề nghị các tổ chức cung cấp dịch vụ chi trả

a) Bố trí nguồn lực tổ chức chi trả trực tiếp cho người cao tuổi sống một mình.

4. Các cơ sở sản xuất giống thủy sản: Giám sát chất lượng nước cấp, nước thải của cơ sở.

5. Tất cả lực lượng tham gia phải tuân thủ quy định an toàn.

II. KINH PHÍ

1. Các cơ sở đào tạo

Kinh phí do ngân sách thành phố bảo đảm.
"""


def test_party_heading_among_unit_headings_leads_its_items(tmp_path):
    from assistant.ingest import parse_bytes

    payer = "Các tổ chức cung cấp dịch vụ chi trả"
    got = {
        p.section[1]: (p.lead, p.requested)
        for p in parse_bytes("ct-66.txt", PARTIES.encode()).passages
        if p.section
    }
    assert got["1. Sở Y tế"] == (("Sở Y tế",), ())
    assert got[f"3. Đề nghị {payer[0].lower()}{payer[1:]}"] == ((payer,), (payer,))  # "Đề nghị": requested
    assert got["4. Các cơ sở sản xuất giống thủy sản"] == (("Các cơ sở sản xuất giống thủy sản",), ())
    assert got["5."] == ((), ())  # a rule for everyone ("… phải tuân thủ …") is no party
    assert got["1. Các cơ sở đào tạo"] == ((), ())  # no unit headings beside it: not read as a party
    a = inline_assistant(tmp_path, {"ct-66.txt": PARTIES})
    ans = a.ask("Ai phải bố trí nguồn lực chi trả trực tiếp cho người cao tuổi sống một mình?")
    first = ans.answer.splitlines()[0]
    assert has(first, payer) and not has(first, "Sở Y tế"), ans.answer
