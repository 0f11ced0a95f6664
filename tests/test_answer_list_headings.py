"""List questions whose heading is named by the question's own words (issue 12, class 3): the
plural closed by "nào", the heading quoted whole ("Để bảo vệ khoáng sản chưa khai thác, … làm
những gì?"), the plan's subject left out of the noun asked, a lead-in "như sau:" never the answer.
Tiny inline plans written the way Vietnamese plans are, exact answers."""

from __future__ import annotations

from _inline import article as _p
from _inline import evidence, plan_fixtures

from assistant.answer.common import AnswerContext, Evidence
from assistant.answer.lists import asked_heading, quoted_heading
from assistant.answer.registry import compose
from assistant.query import Catalog, parse_question
from assistant.records import DocMeta, Passage

DOCS = {
    "g.md": DocMeta(
        doc="g.md",
        number="174/KH-UBND",
        doc_type="Kế hoạch",
        province="Tỉnh G",
        title="Triển khai các nhiệm vụ trọng tâm lĩnh vực bình đẳng giới và Tháng hành động vì bình đẳng giới",
    ),
    "k.md": DocMeta(
        doc="k.md",
        number="218/KH-UBND",
        doc_type="Kế hoạch",
        province="Tỉnh K",
        title="Triển khai Chỉ thị 11 về tăng cường quản lý nhà nước về khoáng sản",
    ),
}


PREAMBLE = _p(
    "g-0",
    "g.md",
    (),
    "Để đưa ra giải pháp thực hiện các nhiệm vụ trọng tâm về bình đẳng giới, Ủy ban nhân dân tỉnh ban hành "
    "Kế hoạch như sau:",
)
AIM = "II. MỤC TIÊU CỦA KẾ HOẠCH"
STRIVE = "1. Phấn đấu đến cuối năm 2025 đạt các mục tiêu, chỉ tiêu sau"
TARGET_1 = _p(
    "g-1.1",
    "g.md",
    (AIM, STRIVE, "1.1. Mục tiêu 1"),
    "1.1. Mục tiêu 1: Lĩnh vực chính trị\n- Chỉ tiêu 1: Đạt 60% cơ quan có lãnh đạo chủ chốt là nữ.",
)
TARGET_2 = _p(
    "g-1.2",
    "g.md",
    (AIM, STRIVE, "1.2. Mục tiêu 2"),
    "1.2. Mục tiêu 2: Trong lĩnh vực y tế\n- Chỉ tiêu 1: Tỷ số giới tính khi sinh ở mức 107 trẻ trai/100 trẻ gái.",
)
MONTH = _p(
    "g-2d",
    "g.md",
    (AIM, "2. Tháng hành động", "d)"),
    "d) Các hoạt động chính\n"
    "Căn cứ tình hình thực tế, các cơ quan, đơn vị, địa phương phối hợp thực hiện các hoạt động sau:\n"
    "- Lồng ghép tổ chức Lễ phát động Tháng hành động.\n"
    "- Tăng cường kiểm tra về bình đẳng giới trong Tháng hành động.",
)
SOLUTIONS = [
    _p(
        "g-4.1",
        "g.md",
        ("IV. GIẢI PHÁP THỰC HIỆN", "1."),
        "1. Đẩy mạnh công tác truyền thông về bình đẳng giới.",
    ),
    _p("g-4.2", "g.md", ("IV. GIẢI PHÁP THỰC HIỆN", "2."), "2. Ưu tiên bố trí ngân sách cho các hoạt động."),
]
HOME_AFFAIRS = _p(
    "g-5.1",
    "g.md",
    ("V. TỔ CHỨC THỰC HIỆN", "1. Sở Nội vụ"),
    "1. Sở Nội vụ\n- Chủ trì, phối hợp với các cơ quan hướng dẫn các hoạt động hưởng ứng Tháng hành động "
    "vì bình đẳng giới.",
)
INSPECT = _p(
    "k-6",
    "k.md",
    ("II. NHIỆM VỤ, GIẢI PHÁP", "6. Tăng cường thanh tra, kiểm tra"),
    "6. Tăng cường thanh tra, kiểm tra\n- Kiểm tra định kỳ công tác bảo vệ khoáng sản chưa khai thác.",
)
PROTECT = _p(
    "k-7",
    "k.md",
    ("II. NHIỆM VỤ, GIẢI PHÁP", "7. Bảo vệ khoáng sản chưa khai thác"),
    "7. Bảo vệ khoáng sản chưa khai thác\n"
    "- Khoanh định khu vực có nguy cơ xảy ra khai thác trái phép.\n"
    "- Vận động người dân không tham gia khai thác trái phép.\n"
    "- Phát huy trách nhiệm của UBND cấp xã.",
)
UNTIL_2030 = _p(
    "k-2.1",
    "k.md",
    ("I. MỤC TIÊU", "2.1. Đến năm 2030"),
    "2.1. Đến năm 2030\n- Phấn đấu 100% khu vực khoáng sản được khoanh định.\n- Đấu giá 05 mỏ mỗi năm.",
)
ALL = [PREAMBLE, TARGET_1, TARGET_2, MONTH, *SOLUTIONS, HOME_AFFAIRS, INSPECT, PROTECT, UNTIL_2030]


cat, idf = plan_fixtures(DOCS, ALL)


def ev(*ps: Passage) -> Evidence:
    """The passages retrieved, and every plan gathered whole (as the list handler does)."""
    return evidence(ALL, *ps)


def test_the_plural_closed_by_nao_is_the_one_asked():
    folded = "trong thang hanh dong, cac co quan phoi hop lam nhung hoat dong chinh nao?"
    assert asked_heading(folded) == "hoat dong chinh"  # "các cơ quan" names who does them
    assert asked_heading("cac don vi trong phan to chuc thuc hien") == "don vi"  # none closed: the first


def test_a_lead_in_closed_by_a_colon_is_not_the_answer(cat, idf):
    q = parse_question("Tỉnh G đưa ra những giải pháp thực hiện nào trong kế hoạch bình đẳng giới?", cat)
    ans = compose(q, ev(PREAMBLE, *SOLUTIONS), DOCS, idf=idf)
    assert ans.answer.splitlines() == [
        "IV. GIẢI PHÁP THỰC HIỆN — Kế hoạch 174/KH-UBND (Tỉnh G):",
        "• 1. Đẩy mạnh công tác truyền thông về bình đẳng giới. [1]",
        "• 2. Ưu tiên bố trí ngân sách cho các hoạt động. [2]",
    ], ans.answer


def test_the_activities_asked_not_the_units_named_and_no_lead_in(cat, idf):
    q = parse_question(
        "Trong Tháng hành động vì bình đẳng giới, các cơ quan ở tỉnh G phối hợp làm những hoạt động chính nào?",
        cat,
    )
    ans = compose(q, ev(HOME_AFFAIRS, MONTH), DOCS, idf=idf)
    assert ans.answer.splitlines() == [
        "d) Các hoạt động chính — Kế hoạch 174/KH-UBND (Tỉnh G):",
        "• Lồng ghép tổ chức Lễ phát động Tháng hành động.",
        "• Tăng cường kiểm tra về bình đẳng giới trong Tháng hành động. [1]",
    ], ans.answer


def test_the_plans_subject_is_no_part_of_the_noun_asked_and_items_numbered_by_it(cat, idf):
    """ "những mục tiêu bình đẳng giới nào" of the plan on gender equality: the targets the plan
    numbers "Mục tiêu 1", "Mục tiêu 2" under "1. Phấn đấu … đạt các mục tiêu, chỉ tiêu sau"."""
    q = parse_question("Kế hoạch 174 đặt ra những mục tiêu bình đẳng giới nào?", cat)
    ans = compose(q, ev(TARGET_2, TARGET_1, MONTH), DOCS, idf=idf)
    assert ans.answer.splitlines() == [
        f"{STRIVE} — Kế hoạch 174/KH-UBND (Tỉnh G):",
        "• 1.1. Mục tiêu 1: Lĩnh vực chính trị [1]",
        "• 1.2. Mục tiêu 2: Trong lĩnh vực y tế [2]",
    ], ans.answer


def test_a_heading_quoted_whole_lists_its_items_though_not_retrieved(cat, idf):
    q = parse_question("Để bảo vệ khoáng sản chưa khai thác, kế hoạch 218 yêu cầu làm những gì?", cat)
    ans = compose(q, ev(INSPECT, UNTIL_2030), DOCS, idf=idf)
    assert ans.answer.splitlines() == [
        "7. Bảo vệ khoáng sản chưa khai thác — Kế hoạch 218/KH-UBND (Tỉnh K):",
        "• Khoanh định khu vực có nguy cơ xảy ra khai thác trái phép.",
        "• Vận động người dân không tham gia khai thác trái phép.",
        "• Phát huy trách nhiệm của UBND cấp xã. [1]",
    ], ans.answer


def test_a_question_naming_its_kind_of_item_quotes_no_heading(cat, idf):
    # "những chỉ tiêu nào về …": the kind asked is named; "2.1. Đến năm 2030" only dates them
    q = parse_question("Đến năm 2030 kế hoạch 218 đạt những chỉ tiêu nào về khoáng sản?", cat)
    assert quoted_heading(AnswerContext(q, ev(UNTIL_2030), DOCS, idf)) is None
    q = parse_question("Đến năm 2030 kế hoạch 218 làm những gì?", cat)
    assert quoted_heading(AnswerContext(q, ev(UNTIL_2030), DOCS, idf)) is not None


def test_a_short_list_of_target_sentences_keeps_each_sentence_whole(idf):
    # a target line holds two figures ("… tiểu học đạt trên 90% …; … trung học cơ sở đạt 85% …"):
    # cut at 160 characters, the second figure was lost
    docs = {"e.md": DocMeta(doc="e.md", number="5/KH-UBND", doc_type="Kế hoạch", province="Tỉnh E")}
    line = (
        "- Chỉ tiêu 2: Tỷ lệ trẻ em trai và trẻ em gái dân tộc thiểu số hoàn thành giáo dục tiểu học đạt "
        "trên 90% vào năm 2025; tỷ lệ hoàn thành cấp trung học cơ sở đạt 85% vào năm 2025."
    )
    field = _p(
        "e-1.5",
        "e.md",
        ("II. MỤC TIÊU", "1.5. Mục tiêu 5"),
        "1.5. Mục tiêu 5: Trong lĩnh vực giáo dục, đào tạo\n"
        "- Chỉ tiêu 1: Nội dung về giới được giảng dạy chính thức ở các trường sư phạm.\n" + line,
    )
    cat = Catalog.build(docs, [field])
    q = parse_question("Chỉ tiêu trong lĩnh vực giáo dục, đào tạo của kế hoạch 5 gồm những gì?", cat)
    ans = compose(q, evidence([field], field), docs, idf=idf)
    assert ans.answer.splitlines()[1:] == [
        "• Chỉ tiêu 1: Nội dung về giới được giảng dạy chính thức ở các trường sư phạm.",
        f"• {line[2:]} [1]",
    ], ans.answer
