"""Sections asked whole and lists asked by a paraphrase (issue 12, classes 3 and 9), on tiny inline
plans written the way Vietnamese plans are: the reporting a plan requires ("2. Chế độ báo cáo"),
its hard-wrapped lines joined back, exact answers."""

from __future__ import annotations

from _inline import article, evidence, plan_fixtures

from assistant.answer.common import Evidence
from assistant.answer.handlers.sections import section_items
from assistant.answer.list_items import qualified_child
from assistant.answer.registry import compose
from assistant.query import parse_question
from assistant.query.model import SectionKind
from assistant.query.section_words import section_of
from assistant.records import DocMeta, Passage
from assistant.textnorm import fold

DOCS = {"t.md": DocMeta(doc="t.md", number="552/KH-UBND", doc_type="Kế hoạch", province="Đồng Tháp")}
WATCH = ("VI. TỔ CHỨC THEO DÕI, KIỂM TRA VÀ CHẾ ĐỘ BÁO CÁO",)
CHECKS = article(
    "t-6-1",
    "t.md",
    (*WATCH, "1. Công tác theo dõi, kiểm tra"),
    "- Sở Khoa học và Công nghệ là cơ quan thường trực, chủ trì theo dõi, đôn đốc, kiểm tra việc thực hiện.",
)
REPORTS = article(
    "t-6-2",
    "t.md",
    (*WATCH, "2. Chế độ báo cáo"),
    # hard-wrapped as markdown converted from a web page is: a sentence runs over three lines
    "- Các sở, ban, ngành, Ủy ban nhân dân xã, phường định kỳ báo cáo kết quả thực hiện trước ngày 20/11 về Sở\n"
    "Khoa học và Công nghệ để tổng hợp.\n"
    "- Sở Khoa học và Công nghệ tổng hợp, báo cáo Ủy ban nhân dân Tỉnh trước ngày 30/11 hằng năm.",
)
MONEY = article(
    "t-4",
    "t.md",
    ("IV. KINH PHÍ THỰC HIỆN",),
    "Kinh phí thực hiện lồng ghép từ các chương trình, dự án, đề án.",
)
ALL = [MONEY, CHECKS, REPORTS]

cat, idf = plan_fixtures(DOCS, ALL)


def ev(*ps: Passage) -> Evidence:
    return evidence(ALL, *ps)


def test_the_reporting_regime_is_a_section_asked_whole():
    for q in (
        "Kế hoạch 552 Đồng Tháp quy định chế độ báo cáo thế nào?",
        "che do bao cao cua ke hoach 174 tp hcm quy dinh the nao",
    ):
        assert section_of(fold(q).lower()) is SectionKind.REPORTING, q
    # a date or an addressee of one report is a fact, not the section
    assert section_of(fold("Các sở phải báo cáo trước ngày nào?").lower()) is None


def test_the_reporting_section_answers_with_its_items_whole(cat, idf):
    q = parse_question("Kế hoạch 552 quy định chế độ báo cáo thế nào?", cat)
    assert q.section is SectionKind.REPORTING
    ans = compose(q, ev(CHECKS, MONEY, REPORTS), DOCS, idf=idf)
    assert ans.answer.splitlines() == [
        "2. Chế độ báo cáo — Kế hoạch 552/KH-UBND (Đồng Tháp):",
        "• Các sở, ban, ngành, Ủy ban nhân dân xã, phường định kỳ báo cáo kết quả thực hiện trước ngày 20/11 về "
        "Sở Khoa học và Công nghệ để tổng hợp.",
        "• Sở Khoa học và Công nghệ tổng hợp, báo cáo Ủy ban nhân dân Tỉnh trước ngày 30/11 hằng năm. [1]",
    ], ans.answer
    assert [c.passage_id for c in ans.citations] == [REPORTS.id]


def test_a_hard_wrapped_line_joins_its_sentence_but_a_new_item_does_not():
    text = (
        "- Thu thập thông tin theo các mẫu biểu quy định tại Thông tư số\n"
        "10/2022/TT-BLĐTBXH của Bộ trưởng.\n"
        "Tổng hợp, báo cáo ở cấp thành phố\n"
        "+ Các cơ quan, đơn vị liên quan tổng hợp biểu mẫu báo cáo theo dự án được phân công\n"
        "a) Sở Y tế\n"
        "b) Sở Tài chính"
    )
    assert section_items(text) == [
        "Thu thập thông tin theo các mẫu biểu quy định tại Thông tư số 10/2022/TT-BLĐTBXH của Bộ trưởng.",
        "Tổng hợp, báo cáo ở cấp thành phố",
        "Các cơ quan, đơn vị liên quan tổng hợp biểu mẫu báo cáo theo dự án được phân công",
        "a) Sở Y tế",
        "b) Sở Tài chính",
    ]


MEET_DOCS = {"m.md": DocMeta(doc="m.md", number="0134/KH-UBND", doc_type="Kế hoạch", province="Đắk Lắk")}
MEETING = article(
    "m-3",
    "m.md",
    ("II. NỘI DUNG KẾ HOẠCH", "3. Hội nghị phổ biến, tuyên truyền, vận động người dân"),
    "- Nội dung: Phổ biến, hướng dẫn người dân các biện pháp xử lý về môi trường.\n"
    "- Số lượng: 02 hội nghị/năm × 50 đại biểu/hội nghị.\n"
    "- Thành phần: Đại diện Lãnh đạo Chi cục Thủy sản, đại diện Chi cục Chăn nuôi và Thú y, một số hộ dân.\n"
    "- Thời gian: 01 ngày/hội nghị.",
)
LEAD = article(
    "m-4",
    "m.md",
    ("IV. Tổ chức thực hiện", "1. Sở Nông nghiệp và Môi trường:"),
    "- Tổ chức tập huấn về kỹ thuật nuôi cho người dân.",
)
meet_cat, meet_idf = plan_fixtures(MEET_DOCS, [MEETING, LEAD])


def test_who_attends_a_conference_is_its_participants_field(meet_cat, meet_idf):
    for question in (
        "Những ai được mời dự hội nghị phổ biến, tuyên truyền của kế hoạch 0134?",
        "nhung ai tham du hoi nghi pho bien tuyen truyen cua ke hoach 0134",
    ):
        q = parse_question(question, meet_cat)
        assert q.section is SectionKind.COMPOSITION, question
        ans = compose(q, evidence([MEETING, LEAD], LEAD, MEETING), MEET_DOCS, idf=meet_idf)
        assert ans.answer == (
            "Thành phần — Kế hoạch 0134/KH-UBND (Đắk Lắk): Đại diện Lãnh đạo Chi cục Thủy sản, đại diện Chi cục "
            "Chăn nuôi và Thú y, một số hộ dân. [1]"
        ), ans.answer
        assert [c.passage_id for c in ans.citations] == [MEETING.id]
    # who does a task is its lead, not a conference's participants
    assert section_of(fold("Ai tổ chức hội nghị phổ biến của kế hoạch 0134?").lower()) is None


WATCH_DOCS = {
    "w.md": DocMeta(
        doc="w.md",
        number="160/KH-UBND",
        doc_type="Kế hoạch",
        province="Cần Thơ",
        title="Giám sát, đánh giá Chương trình mục tiêu quốc gia giảm nghèo bền vững năm 2025",
    )
}
STEPS = "IV. PHƯƠNG PHÁP, CÁC BƯỚC GIÁM SÁT, ĐÁNH GIÁ"
METHOD = article(
    "w-1", "w.md", (STEPS, "1. Phương pháp"), "- Thu thập các văn bản chỉ đạo, hướng dẫn của địa phương."
)
WATCH_STEPS = article(
    "w-2",
    "w.md",
    (STEPS, "2. Các bước giám sát"),
    "- Chọn ngẫu nhiên ấp/khu vực để tiến hành giám sát.\n- Thu thập các tài liệu liên quan.",
)
RATE_STEPS = article(
    "w-3",
    "w.md",
    (STEPS, "3. Các bước đánh giá"),
    "- Tổng hợp, báo cáo ở cấp thành phố.\n- Thu thập thông tin, tổng hợp, báo cáo ở địa phương.",
)
WATCH_ALL = [METHOD, WATCH_STEPS, RATE_STEPS]
watch_cat, watch_idf = plan_fixtures(WATCH_DOCS, WATCH_ALL)


def test_the_sibling_heading_whose_qualifier_is_asked_is_listed(watch_cat, watch_idf):
    # the plan's title holds both qualifiers ("giám sát, đánh giá"); the question says one of them
    q = parse_question(
        "Ở Cần Thơ, việc đánh giá chương trình giảm nghèo được thực hiện qua những bước nào?", watch_cat
    )
    ans = compose(q, evidence(WATCH_ALL, METHOD, WATCH_STEPS, RATE_STEPS), WATCH_DOCS, idf=watch_idf)
    assert ans.answer.splitlines()[0].startswith("3. Các bước đánh giá"), ans.answer
    assert "ở cấp thành phố" in ans.answer and "ở địa phương" in ans.answer
    assert [c.passage_id for c in ans.citations] == [RATE_STEPS.id]


def test_a_qualified_child_needs_the_noun_asked_and_one_match():
    children = {
        "2. Các bước giám sát": ["buoc", "giam", "sat"],
        "3. Các bước đánh giá": ["buoc", "danh", "gia"],
    }
    said = {"viec", "danh", "gia", "giam", "ngheo", "buoc", "nao"}
    assert qualified_child(children, ["buoc"], said) == "3. Các bước đánh giá"
    # both qualifiers said: no one sibling is asked
    assert qualified_child(children, ["buoc"], said | {"giam", "sat"}) is None
    # "1. Về dữ liệu" under "những nhóm nhiệm vụ nào": the noun asked is not the sibling's head
    assert (
        qualified_child({"1. Về dữ liệu": ["du", "lieu"]}, ["nhom", "nhiem", "vu"], {"du", "lieu", "nhom"})
        is None
    )


DATA = ("II. NỘI DUNG KẾ HOẠCH", "2. Xử lý số liệu, thông tin, tuyên truyền")
PROCESS = article(
    "d-2-1",
    "m.md",
    (*DATA, "2.1. Xử lý số liệu"),
    "- Thông số môi trường được xử lý, đánh giá theo chỉ số VN-WQI.\n"
    "- So sánh, đối chiếu với các tiêu chuẩn, quy chuẩn, khuyến cáo phương pháp xử lý phù hợp.\n"
    "- Kết quả quan trắc được lưu trữ bằng văn bản giấy, văn bản số.",
)
INFORM = article(
    "d-2-2",
    "m.md",
    (*DATA, "2.2. Thông tin, tuyên truyền"),
    "Thông tin trực tiếp đến người dân bằng tin nhắn qua điện thoại di động.",
)
data_cat, data_idf = plan_fixtures(MEET_DOCS, [PROCESS, INFORM, MEETING])


def test_a_heading_named_by_a_how_question_is_answered_with_its_items(data_cat, data_idf):
    q = parse_question("so lieu quan trac cua ke hoach 0134 duoc xu ly the nao", data_cat)
    ans = compose(q, evidence([PROCESS, INFORM, MEETING], PROCESS, INFORM), MEET_DOCS, idf=data_idf)
    assert ans.answer.splitlines() == [
        "2.1. Xử lý số liệu — Kế hoạch 0134/KH-UBND (Đắk Lắk):",
        "• Thông số môi trường được xử lý, đánh giá theo chỉ số VN-WQI.",
        "• So sánh, đối chiếu với các tiêu chuẩn, quy chuẩn, khuyến cáo phương pháp xử lý phù hợp.",
        "• Kết quả quan trắc được lưu trữ bằng văn bản giấy, văn bản số. [1]",
    ], ans.answer
    # a question that says only some of the heading's words gets the best passage, not the heading
    q = parse_question("ket qua quan trac cua ke hoach 0134 duoc luu tru the nao", data_cat)
    ans = compose(q, evidence([PROCESS, INFORM, MEETING], PROCESS, INFORM), MEET_DOCS, idf=data_idf)
    assert not ans.answer.startswith("2.1. Xử lý số liệu —"), ans.answer


GOAL_DOCS = {"g.md": DocMeta(doc="g.md", number="552/KH-UBND", doc_type="Kế hoạch", province="Đồng Tháp")}
BY_2030 = ("II. MỤC TIÊU", "2. Mục tiêu cụ thể", "2.1. Đến năm 2030")
GOALS_A = article(
    "g-1",
    "g.md",
    BY_2030,
    "- Thủy sản\nĐảm bảo trên 70% diện tích nuôi cá tra áp dụng công nghệ nuôi an toàn sinh học.\n"
    "Hình thành ít nhất 02 vùng nuôi thủy sản thông minh.\n- Nguồn nhân lực\n"
    "Đảm bảo 100% khu công nghiệp triển khai chương trình hỗ trợ đổi mới công nghệ.",
)
# the group runs on into the next passage; a wrapped line broken before a figure is joined back
GOALS_B = article(
    "g-2",
    "g.md",
    BY_2030,
    "Hình thành ít nhất 100 doanh nghiệp khởi nghiệp sáng tạo.\nTổ chức đào tạo, bồi dưỡng\n"
    "3.000 lượt nhân lực về ứng dụng công nghệ.",
)
goal_cat, goal_idf = plan_fixtures(GOAL_DOCS, [GOALS_A, GOALS_B])


def test_a_group_label_named_by_the_question_lists_that_group_only(goal_cat, goal_idf):
    q = parse_question("Đến năm 2030, kế hoạch 552 đặt những chỉ tiêu gì về nguồn nhân lực?", goal_cat)
    ans = compose(q, evidence([GOALS_A, GOALS_B], GOALS_B, GOALS_A), GOAL_DOCS, idf=goal_idf)
    assert ans.answer.splitlines() == [
        "2.1. Đến năm 2030 — Kế hoạch 552/KH-UBND (Đồng Tháp):",
        "• Đảm bảo 100% khu công nghiệp triển khai chương trình hỗ trợ đổi mới công nghệ. [1]",
        "• Hình thành ít nhất 100 doanh nghiệp khởi nghiệp sáng tạo.",
        "• Tổ chức đào tạo, bồi dưỡng 3.000 lượt nhân lực về ứng dụng công nghệ. [2]",
    ], ans.answer
    q = parse_question("den nam 2030 ke hoach 552 dat nhung chi tieu nao cho thuy san", goal_cat)
    ans = compose(q, evidence([GOALS_A, GOALS_B], GOALS_A, GOALS_B), GOAL_DOCS, idf=goal_idf)
    assert ans.answer.splitlines()[1:] == [
        "• Đảm bảo trên 70% diện tích nuôi cá tra áp dụng công nghệ nuôi an toàn sinh học.",
        "• Hình thành ít nhất 02 vùng nuôi thủy sản thông minh. [1]",
    ], ans.answer
