"""Lists whose items are a block the question names (issue 12, class 3): the lines announced by
a lead-in ("… cụ thể hóa bằng các chỉ tiêu cụ thể như sau:" ¶ "(1) …" ¶ "(2) …"), a whole defined
with "gồm:" ("Đánh giá công tác quản lý … gồm: a; b; c"), an enumeration whose lead-in writes the
noun phrase asked whole, and a table's rows named by their values, not by their column's name.
Tiny inline plans written the way Vietnamese plans are, exact answers."""

from __future__ import annotations

import pytest
from _inline import evidence, plan_fixtures

from assistant.answer.common import Evidence
from assistant.answer.registry import compose
from assistant.query import parse_question
from assistant.query.model import Intent
from assistant.records import DocMeta, Passage

DOCS = {"c.md": DocMeta(doc="c.md", number="57/KH-UBND", doc_type="Kế hoạch", province="Tỉnh C")}
SECTION = ("III. NỘI DUNG THI ĐUA", "1. Nội dung thi đua")
# the loader cut the announced items across two passages of one section
TARGETS_1 = Passage(
    id="c-3.1a",
    doc="c.md",
    kind="article",
    section=SECTION,
    text="1. Nội dung thi đua\nNâng cao nhận thức của người hưởng trợ cấp (bao gồm người được ủy quyền nhận "
    "thay) về chi trả không dùng tiền mặt, các nội dung này được cụ thể hóa bằng các chỉ tiêu cụ thể như sau:\n"
    "(1) 100% số người hưởng trợ cấp chưa có tài khoản được tuyên truyền, vận động mở tài khoản;",
)
TARGETS_2 = Passage(
    id="c-3.1b",
    doc="c.md",
    kind="article",
    section=SECTION,
    text="(2) Ít nhất 85% người hưởng trợ cấp mở mới tài khoản ngân hàng;\n"
    "(3) Phấn đấu có ít nhất 70% số người hưởng trợ cấp nhận tiền không dùng tiền mặt;",
)
SCORES = Passage(
    id="c-row-5",
    doc="c.md",
    kind="table_row",
    section=("Thang điểm thi đua chi trả không dùng tiền mặt",),
    text="STT: 5.2 | TIÊU CHÍ THI ĐUA: Đơn vị có tỷ lệ nhận tiền không dùng tiền mặt từ 88% trở lên. | ĐIỂM CHUẨN: 5",
)
ASSESS = Passage(
    id="c-eval",
    doc="c.md",
    kind="article",
    section=("IV. NỘI DUNG GIÁM SÁT, ĐÁNH GIÁ", "2. Nội dung đánh giá"),
    text="2. Nội dung đánh giá\n- Đánh giá công tác quản lý\nChương trình trong năm thực hiện gồm: Kết quả xây "
    "dựng chính sách quản lý; công tác điều phối, phối hợp; hoạt động truyền thông, thông tin; công tác chấp "
    "hành chế độ giám sát.\n- Tình hình huy động, phân bổ và sử dụng nguồn vốn.\n- Tồn tại, vướng mắc phát "
    "sinh và nguyên nhân.",
)
PLACES = Passage(
    id="c-places",
    doc="c.md",
    kind="article",
    section=("V. QUAN TRẮC", "1.1. Vùng nuôi tôm nước lợ", "b)"),
    text="b. Địa điểm, số điểm quan trắc\n- Địa điểm quan trắc: Địa điểm thực hiện quan trắc được thực hiện tại "
    "03 vùng nuôi chính của tỉnh, bao gồm: Vùng nuôi tôm nước lợ quanh đầm Cù Mông; vùng nuôi tôm nước lợ\n"
    "quanh đầm Ô Loan; vùng nuôi thủy sản hạ lưu sông Bàn Thạch.\n- Số điểm quan trắc: 08 điểm.",
)
SPECIES = Passage(
    id="c-species",
    doc="c.md",
    kind="article",
    section=("I. MỤC TIÊU", "2. Mục tiêu cụ thể"),
    text="2. Mục tiêu cụ thể:\n- Chủ động quan trắc môi trường vùng nuôi thủy sản tại một số vùng nuôi chính "
    "của tỉnh, vùng nuôi các đối tượng chủ lực như: Tôm sú, tôm hùm, cá tầm, cá rô phi.",
)
COST_TITLE = (
    "II. DỰ TOÁN KINH PHÍ QUAN TRẮC MÔI TRƯỜNG NUÔI TRỒNG THỦY SẢN TẠI MỘT SỐ VÙNG NUÔI TRỒNG THỦY SẢN"
)
COSTS = [
    Passage(
        id=f"c-cost-{n}",
        doc="c.md",
        kind="table_row",
        section=(COST_TITLE, n),
        text=f"Chỉ tiêu: {item} | Thành tiền (đồng): {money}",
    )
    for n, item, money in [
        ("1", "Quan trắc môi trường vùng nuôi tôm nước lợ", "428.418.252"),
        ("2", "Quan trắc môi trường vùng nuôi tôm hùm lồng bè", "590.542.236"),
        ("3", "Thuê dịch vụ tin nhắn", "50.000.000"),
    ]
]
MEDIA = Passage(
    id="c-media",
    doc="c.md",
    kind="article",
    section=("VI. NỘI DUNG HOẠT ĐỘNG", "4. Công tác truyền thông - giáo dục cộng đồng"),
    text="4. Công tác truyền thông - giáo dục cộng đồng\nTruyền thông trên loa đài, mạng xã hội (zalo, "
    "facebook...) về: Xử lý nước và thực phẩm; vệ sinh môi trường; dấu hiệu ca bệnh nguy hiểm.",
)
HYGIENE = Passage(
    id="c-hygiene",
    doc="c.md",
    kind="article",
    section=("VI. NỘI DUNG HOẠT ĐỘNG", "1. Công tác vệ sinh môi trường"),
    text="1. Công tác vệ sinh môi trường\n- Hướng dẫn người dân thu gom rác thải, xử lý xác động vật.",
)
NOTICE = Passage(
    id="c-notice",
    doc="c.md",
    kind="article",
    section=("VII. BÁO CÁO", "2.2. Thông tin, tuyên truyền kết quả quan trắc"),
    text="2.2. Thông tin, tuyên truyền kết quả quan trắc\nThông tin trực tiếp đến người dân bằng các hình "
    "thức khác nhau: Nhắn tin qua điện thoại di động; thông báo bằng văn bản; phát bản tin qua đài phát thanh.",
)
ALL = [TARGETS_1, TARGETS_2, SCORES, ASSESS, SPECIES, PLACES, *COSTS, MEDIA, HYGIENE, NOTICE]


cat, idf = plan_fixtures(DOCS, ALL)


def ev(*ps: Passage) -> Evidence:
    return evidence(ALL, *ps)


def test_the_lines_a_lead_in_announces_are_the_list_across_passages(cat, idf):
    q = parse_question(
        "Phong trào thi đua chi trả không dùng tiền mặt được cụ thể hóa bằng những chỉ tiêu nào?", cat
    )
    ans = compose(q, ev(SCORES, TARGETS_1), DOCS, idf=idf)
    assert ans.answer.splitlines()[1:] == [
        "• 100% số người hưởng trợ cấp chưa có tài khoản được tuyên truyền, vận động mở tài khoản [1]",
        "• Ít nhất 85% người hưởng trợ cấp mở mới tài khoản ngân hàng",
        "• Phấn đấu có ít nhất 70% số người hưởng trợ cấp nhận tiền không dùng tiền mặt [2]",
    ], ans.answer
    assert ans.answer.startswith("Các nội dung này được cụ thể hóa bằng các chỉ tiêu cụ thể như sau — ")
    assert [c.passage_id for c in ans.citations] == [TARGETS_1.id, TARGETS_2.id]


def test_a_whole_defined_with_gom_answers_what_it_holds(cat, idf):
    q = parse_question("Đánh giá công tác quản lý chương trình trong năm gồm những nội dung nào?", cat)
    ans = compose(q, ev(ASSESS, TARGETS_1), DOCS, idf=idf)
    assert ans.answer.splitlines()[1:] == [
        "• Kết quả xây dựng chính sách quản lý",
        "• công tác điều phối, phối hợp",
        "• hoạt động truyền thông, thông tin",
        "• công tác chấp hành chế độ giám sát [1]",
    ], ans.answer
    # the section's own items when the question names the section, not the whole inside one item
    q = parse_question("Kế hoạch 57 có những nội dung đánh giá nào?", cat)
    assert compose(q, ev(ASSESS, TARGETS_1), DOCS, idf=idf).answer.count("•") >= 3


def test_the_lead_in_writing_the_phrase_asked_beats_a_cost_table_and_a_target(cat, idf):
    # the enumeration's passage is not retrieved; the plan's other passages are
    q = parse_question(
        "Kế hoạch 57 quan trắc môi trường nuôi trồng thủy sản tại những vùng nuôi chính nào?", cat
    )
    ans = compose(q, ev(*COSTS, SPECIES), DOCS, idf=idf)
    assert ans.answer.splitlines()[1:] == [
        "• Vùng nuôi tôm nước lợ quanh đầm Cù Mông",
        "• vùng nuôi tôm nước lợ quanh đầm Ô Loan",
        "• vùng nuôi thủy sản hạ lưu sông Bàn Thạch [1]",
    ], ans.answer
    assert [c.passage_id for c in ans.citations] == [PLACES.id]


def test_a_tables_rows_are_named_by_their_values_not_their_column(cat, idf):
    q = parse_question("Dự toán kinh phí quan trắc môi trường nuôi trồng thủy sản gồm những khoản nào?", cat)
    ans = compose(q, ev(*COSTS), DOCS, idf=idf)
    assert ans.answer.splitlines()[1:] == [
        "• Quan trắc môi trường vùng nuôi tôm nước lợ (Thành tiền (đồng): 428.418.252) [1]",
        "• Quan trắc môi trường vùng nuôi tôm hùm lồng bè (Thành tiền (đồng): 590.542.236) [2]",
        "• Thuê dịch vụ tin nhắn (Thành tiền (đồng): 50.000.000) [3]",
    ], ans.answer


@pytest.mark.parametrize(
    ("question", "passage", "items"),
    [
        (
            "Kế hoạch 57 truyền thông cho cộng đồng về những nội dung gì?",
            MEDIA,
            ["Xử lý nước và thực phẩm", "vệ sinh môi trường", "dấu hiệu ca bệnh nguy hiểm [1]"],
        ),
        (
            "Kết quả quan trắc được báo tới người dân bằng những cách nào?",
            NOTICE,
            [
                "Nhắn tin qua điện thoại di động",
                "thông báo bằng văn bản",
                "phát bản tin qua đài phát thanh [1]",
            ],
        ),
    ],
)
def test_a_lead_in_in_the_role_asked_answers_a_generic_noun(cat, idf, question, passage, items):
    # "về những nội dung gì", "bằng những cách nào": the noun names no kind of item; the lead-in
    # closing on "về:" or writing "bằng các …" gives the items in the role the question asks
    ans = compose(parse_question(question, cat), ev(HYGIENE, passage), DOCS, idf=idf)
    assert ans.answer.splitlines()[1:] == [f"• {x}" for x in items], ans.answer
    assert [c.passage_id for c in ans.citations] == [passage.id]
    assert not ans.answer.startswith(passage.section[-1])  # the heading line is not the lead-in


def test_the_units_of_the_organisation_part_asked_as_nhung_ai(cat):
    q = parse_question("Phần tổ chức thực hiện kế hoạch 57 giao nhiệm vụ cho những ai?", cat)
    assert q.intent is Intent.LIST
    assert parse_question("Kế hoạch 57 do ai chủ trì tuyên truyền?", cat).intent is not Intent.LIST


def test_a_phrase_early_in_a_long_lead_in_does_not_make_its_items_the_ones_asked(cat, idf):
    # "khu vực" is written in the first clause of the revenue sentence, not in the one before its
    # items; the structure sentence names the whole asked ("Cơ cấu kinh tế") and wins
    revenue = Passage(
        id="c-revenue",
        doc="c.md",
        kind="article",
        section=("III. GIẢI PHÁP", "2.1. Thu ngân sách"),
        text="- Theo dõi chặt chẽ tiến độ thu ngân sách, tập trung vào các khu vực kinh tế để có phương án chỉ "
        "đạo, theo dõi sát nguồn thu lớn như: Thuế phát sinh của cụm Khí - Điện - Đạm; khu vực kinh tế ngoài "
        "quốc doanh; hoạt động xổ số kiến thiết.",
    )
    shares = Passage(
        id="c-shares",
        doc="c.md",
        kind="article",
        section=("II. DỰ BÁO", "1. Dự báo các chỉ tiêu kinh tế - xã hội đến năm 2026"),
        text="- Cơ cấu kinh tế: Ngư, nông, lâm nghiệp chiếm khoảng 27,31%; Công nghiệp, xây dựng chiếm khoảng "
        "27,91%; Dịch vụ chiếm khoảng 40,94%.",
    )
    q = parse_question(
        "Cơ cấu kinh tế năm 2026 được dự báo gồm những khu vực nào, mỗi khu vực chiếm bao nhiêu?", cat
    )
    ans = compose(q, evidence([*ALL, revenue, shares], revenue, shares), DOCS, idf=idf)
    assert ans.answer.splitlines()[1:] == [
        "• Ngư, nông, lâm nghiệp chiếm khoảng 27,31%",
        "• Công nghiệp, xây dựng chiếm khoảng 27,91%",
        "• Dịch vụ chiếm khoảng 40,94% [1]",
    ], ans.answer


def test_targets_labelled_by_the_noun_asked_across_the_groups_of_a_field(cat, idf):
    field = ("II. MỤC TIÊU", "1. Phấn đấu đến cuối năm 2025 đạt các mục tiêu, chỉ tiêu sau", "1.2.")
    ps = [
        Passage(
            id="c-f",
            doc="c.md",
            kind="article",
            section=field,
            text="1.2. Mục tiêu 2. Lĩnh vực kinh tế, lao động",
        ),
        Passage(
            id="c-fa",
            doc="c.md",
            kind="article",
            section=(*field, "a)"),
            text="a) Lĩnh vực lao động:\n- Chỉ tiêu 1: Tỷ lệ lao động nữ làm công hưởng lương đạt 50%.\n"
            "- Chỉ tiêu 2: Tỷ trọng lao động nữ trong nông nghiệp xuống dưới 30%.",
        ),
        Passage(
            id="c-fb",
            doc="c.md",
            kind="article",
            section=(*field, "b)"),
            text="b) Lĩnh vực kinh tế:\nChỉ tiêu 3: Tỷ lệ nữ giám đốc doanh nghiệp đạt ít nhất 27%.",
        ),
        Passage(
            id="c-g",
            doc="c.md",
            kind="article",
            section=(*field[:2], "1.1."),
            text="1.1. Mục tiêu 1. Lĩnh vực chính trị\n- Chỉ tiêu 1: Đạt 60% cơ quan có lãnh đạo chủ chốt là nữ.",
        ),
    ]
    q = parse_question("Kế hoạch 57 đặt những chỉ tiêu nào trong lĩnh vực kinh tế, lao động?", cat)
    ans = compose(q, evidence(ps, *ps), DOCS, idf=idf)
    assert ans.answer.splitlines() == [
        "1.2. Mục tiêu 2. Lĩnh vực kinh tế, lao động — Kế hoạch 57/KH-UBND (Tỉnh C):",
        "• Chỉ tiêu 1: Tỷ lệ lao động nữ làm công hưởng lương đạt 50%.",
        "• Chỉ tiêu 2: Tỷ trọng lao động nữ trong nông nghiệp xuống dưới 30%. [1]",
        "• Chỉ tiêu 3: Tỷ lệ nữ giám đốc doanh nghiệp đạt ít nhất 27%. [2]",
    ], ans.answer
