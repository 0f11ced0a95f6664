"""Classes found by session 23's fresh dev questions on the provinces' plans (r1001–r1015, written
before the assistant was run on them): tiny inline plans written the way Vietnamese plans are,
with exact expected answers."""

from __future__ import annotations

import pytest
from _small import has, inline_assistant

from assistant.answer.enumerations import enumerations
from assistant.answer.numbers import anchor_after, number_near
from assistant.answer.unit_price import price_per_item_missing
from assistant.query.model import Intent
from assistant.query.parse import parse_question
from assistant.records import Answer, Citation, Passage
from assistant.textnorm import fold

# Đồng Tháp 556 (dev), r1007: the items follow a count ("4 ngành công nghiệp chính:") at the end of
# a sentence far longer than a lead-in
INDUSTRY = (
    "- Phát triển công nghiệp, cảng biển, trung tâm logistics: Tiếp tục mời gọi đầu tư lấp đầy các "
    "khu, cụm công nghiệp vùng phía Đông của tỉnh dọc sông Soài Rạp và đổi mới trên 4 ngành công "
    "nghiệp chính: dịch vụ cảng, hậu cần, công nghệ xanh và tài chính. Các lĩnh vực chính bao gồm "
    "hải cảng, logistics sau cảng và các khu công nghiệp hậu cảng, đóng tàu."
)

PLAN_556 = f"""ỦY BAN NHÂN DÂN TỈNH ĐỒNG THÁP
Số: 556/KH-UBND
Đồng Tháp, ngày 19 tháng 11 năm 2025
KẾ HOẠCH
Thực hiện chiến lược khai thác, sử dụng bền vững tài nguyên biển và hải đảo

III. NHIỆM VỤ VÀ GIẢI PHÁP CHỦ YẾU
1. Công tác tuyên truyền
- Tuyên truyền sâu rộng chiến lược với nhiều hình thức phù hợp với từng đối tượng.
2. Tập trung hoàn thiện các quy hoạch, kế hoạch liên quan đến biển và hải đảo
- Triển khai thực hiện quy hoạch các khu vực cần bảo vệ nguồn lợi thủy sản.
{INDUSTRY}
- Tăng cường đầu tư xây dựng, nâng cấp các cảng cá, khu neo đậu tránh trú bão cho tàu cá.
"""


def _passage(text: str) -> Passage:
    return Passage(id="x", doc="t.md", kind="article", section=("III. NHIỆM VỤ", "2. Quy hoạch"), text=text)


def test_a_counted_lead_in_announces_its_items_however_long_the_sentence():
    (enum,) = [e for e in enumerations(_passage(INDUSTRY)) if "dịch vụ cảng" in e.items]
    assert enum.items == ("dịch vụ cảng", "hậu cần", "công nghệ xanh", "tài chính")


def test_a_count_that_is_not_the_number_of_items_announces_nothing():
    text = INDUSTRY.replace("4 ngành", "3 ngành")
    assert not [e for e in enumerations(_passage(text)) if "dịch vụ cảng" in e.items]


# Hà Nội 308 (dev): the reporting line runs through an office ("thông qua Sở …")
PLAN_308 = """ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI
Số: 308/KH-UBND
Hà Nội, ngày 17 tháng 11 năm 2025
KẾ HOẠCH
Thúc đẩy tạo lập dữ liệu phục vụ chuyển đổi số toàn diện

III. TỔ CHỨC THỰC HIỆN
1. Sở Khoa học và Công nghệ theo dõi, đôn đốc các Sở, ban, ngành triển khai thực hiện Kế hoạch.
2. Các Sở, ban, ngành, UBND xã, phường căn cứ Kế hoạch này xây dựng Kế hoạch triển khai tại đơn vị; báo \
cáo UBND Thành phố kết quả thực hiện thông qua Sở Khoa học và Công nghệ trước ngày 15 hằng tháng.
"""


# Đắk Lắk 0134 (dev): an activity written as labelled fields, one a line
PLAN_0134 = """ỦY BAN NHÂN DÂN TỈNH ĐẮK LẮK
Số: 0134/KH-UBND
Đắk Lắk, ngày 25 tháng 11 năm 2025
KẾ HOẠCH
Quan trắc, cảnh báo môi trường tại một số vùng nuôi trồng thủy sản

II. NỘI DUNG KẾ HOẠCH
3. Hội nghị phổ biến, tuyên truyền, vận động người dân về môi trường nuôi trồng thủy sản
- Nội dung: Phổ biến, tuyên truyền, hướng dẫn người dân các biện pháp xử lý về môi trường.
- Số lượng: 02 hội nghị/năm × 50 đại biểu/hội nghị.
- Thành phần: Đại diện Lãnh đạo Chi cục Thủy sản và Biển đảo, đại diện Chi cục Chăn nuôi và Thú y, \
đại diện Phòng Kinh tế/Kinh tế, Hạ tầng và Đô thị có NTTS, lãnh đạo UBND xã/phường có NTTS và cán bộ \
phụ trách thủy sản trên địa bàn xã/phường có NTTS, một số hộ dân NTTS trên địa bàn xã/phường có NTTS.
- Thời gian: 01 ngày/hội nghị.
"""


@pytest.fixture(scope="module")
def assistant(tmp_path_factory):
    docs = {"dt-556.md": PLAN_556, "hn-308.md": PLAN_308, "dl-0134.md": PLAN_0134}
    return inline_assistant(tmp_path_factory.mktemp("s23p"), docs)


@pytest.mark.parametrize(
    "question",
    [
        "Hội nghị tuyên truyền về môi trường nuôi trồng thủy sản ở Đắk Lắk có những thành phần nào tham dự?",
        "hoi nghi tuyen truyen moi truong nuoi trong thuy san dak lak co nhung thanh phan nao",
    ],
)
def test_a_field_asked_by_its_label_is_answered_with_its_content(assistant, question):
    # "- Nội dung / Số lượng / Thành phần / Thời gian:" are the fields of one conference; the
    # list of the labels answered nothing (found probing Đắk Lắk 0134; no suite question asks it)
    ans = assistant.ask(question)
    assert not ans.refused and has(ans.answer, "Chi cục Chăn nuôi và Thú y"), ans.answer
    assert has(ans.answer, "một số hộ dân NTTS"), ans.answer
    assert not has(ans.answer, "Số lượng"), ans.answer


@pytest.mark.parametrize(
    "question",
    [
        "Các đơn vị ở Hà Nội báo cáo kết quả thực hiện kế hoạch 308 thông qua cơ quan nào?",
        "cac so ban nganh ha noi bao cao ket qua ke hoach 308 thong qua co quan nao",
    ],
)
def test_a_report_sent_through_an_office_names_that_office(assistant, question):
    # "báo cáo … thông qua cơ quan nào" asks the office the reporting line runs through, not who
    # leads: the units the question names are the senders
    assert parse_question(question).intent == Intent.FACT
    ans = assistant.ask(question)
    assert not ans.refused and has(ans.answer, "thông qua Sở Khoa học và Công nghệ"), ans.answer


def test_the_counted_items_answer_which_ones(assistant):
    ans = assistant.ask(
        "Theo kế hoạch 556, các khu, cụm công nghiệp vùng phía Đông đổi mới trên những ngành công nghiệp chính nào?"
    )
    assert not ans.refused
    for item in ("dịch vụ cảng", "hậu cần", "công nghệ xanh", "tài chính"):
        assert has(ans.answer, item), ans.answer
    assert not has(ans.answer, "hải cảng"), ans.answer


# Đắk Lắk 0134 (dev), r1014: the estimate's lines, as the loader reads its table rows
LUMP = "Chỉ tiêu: Thuê dịch vụ tin nhắn | Thành tiền (đồng): 50.000.000"
PRICED = (
    "Chỉ tiêu: Xăng, xe | Tần suất (đợt/tháng): Lít | Số lượng (mẫu): 120 | Đơn giá (đồng): 21.000 | "
    "Thành tiền (đồng): 2.520.000"
)
RATE = "Công tác phí báo cáo viên, lái xe (định mức 150.000 đồng/người/ngày)"


def _cited(text: str) -> Answer:
    c = Citation(n=1, passage_id="x", doc="t.md", title="t", section="III", text=text, quote=text, score=1.0)
    return Answer(question="q", answer=text, intent="fact", citations=[c])


@pytest.mark.parametrize(
    ("question", "text", "missing"),
    [
        # a price per item asked, the line gives only its lump sum
        ("Mỗi tin nhắn gửi kết quả quan trắc có giá bao nhiêu đồng?", LUMP, True),
        ("moi tin nhan gui ket qua quan trac tri gia bao nhieu tien", LUMP, True),
        ("Đơn giá thuê dịch vụ tin nhắn là bao nhiêu?", LUMP, True),
        # the line gives the price of one item: its "Đơn giá" cell, or an amount per unit
        ("Mỗi lít xăng giá bao nhiêu đồng?", PRICED, False),
        ("Mỗi người được chi công tác phí bao nhiêu tiền?", RATE, False),
        # …or written in words: the clause names the item its amount is for
        (
            "Mỗi hộ bị sập nhà được hỗ trợ bao nhiêu tiền?",
            "Mỗi hộ có nhà bị sập được hỗ trợ 40.000.000 đồng.",
            False,
        ),
        ("Mỗi lớp tập huấn có kinh phí bao nhiêu?", "Kinh phí tổ chức: 20 triệu đồng cho mỗi lớp.", False),
        # an amount for a period is still no price of one item
        ("Mỗi tin nhắn có giá bao nhiêu đồng?", "Thuê dịch vụ tin nhắn: 50.000.000 đồng mỗi năm.", True),
        ("Mỗi tin nhắn có giá bao nhiêu đồng?", "Thuê dịch vụ tin nhắn: 50.000.000 đồng/năm.", True),
        # a period is no item: a yearly estimate's totals are its yearly amounts
        ("Mỗi năm dành bao nhiêu tiền cho thuê dịch vụ tin nhắn?", LUMP, False),
        # no price asked
        ("Thuê dịch vụ tin nhắn hết bao nhiêu tiền?", LUMP, False),
        # "môi trường", "mới", "một số" fold like "mỗi", "một": no item is counted
        ("Quan trắc môi trường hết bao nhiêu tiền?", LUMP, False),
        ("quan trac moi truong het bao nhieu tien", LUMP, False),
        ("Một số hội nghị tốn bao nhiêu tiền?", LUMP, False),
        ("du an moi duoc dau tu bao nhieu tien", LUMP, False),
    ],
)
def test_a_lump_sum_is_no_price_per_item(question, text, missing):
    assert price_per_item_missing(question, fold(question).lower(), _cited(text)) is missing


def test_a_cost_estimates_column_is_the_amount_asked_not_a_count_of_the_last_noun():
    # "đơn giá xăng xe là bao nhiêu" asks the "Đơn giá" cell of the line "Xăng, xe"; read as "how
    # many xe" it wanted a number beside "xe" and the line was refused
    f = fold("Theo kế hoạch 0134, đơn giá xăng xe là bao nhiêu?").lower()
    assert anchor_after(f) == ["don gia"]
    assert number_near("don gia")(PRICED)
    assert anchor_after(fold("thành tiền thuê dịch vụ tin nhắn là bao nhiêu").lower()) == ["thanh tien"]


def test_a_counted_lead_in_answers_only_its_own_kind_of_item() -> None:
    """Lấp Vò's plan (corpus) writes "… tuyên truyền về sự tiện ích của dịch vụ công liên thông 02
    nhóm thủ tục hành chính: “…”, “…”": a list of two procedure groups, announced by its count
    alone; "ưu tiên truyền thông chuyển đổi số cho những ngành nào" asks sectors, not groups."""
    from _inline import article

    from assistant.answer.enumerations import counted_kind, enumerations

    text = (
        "c) Truyền thông về cải cách hành chính, nâng cao năng lực cạnh tranh của địa phương; tuyên "
        "truyền về sự tiện ích của dịch vụ công liên thông 02 nhóm thủ tục hành chính: “Đăng ký khai "
        "sinh, đăng ký thường trú, cấp thẻ bảo hiểm y tế cho trẻ dưới 6 tuổi”; “Đăng ký khai tử, xóa "
        "đăng ký thường trú, hưởng chế độ tử tuất”."
    )
    (e,) = [x for x in enumerations(article("p", "lap-vo.txt", ("II. NỘI DUNG",), text)) if len(x.items) == 2]
    assert counted_kind(e) == ["nhom", "thu", "tuc", "hanh", "chinh"]
    assert "nganh" not in (counted_kind(e) or [])
