"""Lists of every member (issue 12, class "Lists"): the units a plan assigns work to (one item
per unit in "Tổ chức thực hiện"), targets announced by "cụ thể:" at the end of a long paragraph,
shares written after a lead-in naming the topic, and the plural questions that ask for them.
Tiny inline plans written the way Vietnamese plans are, exact answers."""

from __future__ import annotations

import pytest
from _inline import evidence, plan_fixtures

from assistant.answer.common import Evidence
from assistant.answer.evidence import Idf
from assistant.answer.registry import compose
from assistant.query import parse_question
from assistant.query.model import Intent
from assistant.records import DocMeta, Passage

DOCS = {"a.md": DocMeta(doc="a.md", number="30/KH-UBND", doc_type="Kế hoạch", province="Tỉnh L")}


def _p(pid: str, section: tuple[str, ...], text: str, lead: tuple[str, ...] = ()) -> Passage:
    return Passage(id=pid, doc="a.md", kind="article", section=section, text=text, lead=lead)


TASKS = _p(
    "a-tasks",
    ("III. NHIỆM VỤ VÀ GIẢI PHÁP", "1. Hoàn thiện thể chế"),
    "1. Hoàn thiện thể chế\n- Hoàn thiện hệ thống văn bản về chuyển đổi số.",
)
TASKS_2 = _p(
    "a-tasks-2",
    ("III. NHIỆM VỤ VÀ GIẢI PHÁP", "2. Phát triển hạ tầng số"),
    "2. Phát triển hạ tầng số\n- Đầu tư hạ tầng số dùng chung.",
)
# "1. Sở Xây dựng" over its tasks; "4." whose item opens with the unit ("Giao Sở Tư pháp …")
ORG = [
    _p(
        "a-o1",
        ("V. TỔ CHỨC THỰC HIỆN", "1. Sở Xây dựng"),
        "1. Sở Xây dựng\n- Chủ trì vận hành hệ thống dữ liệu.",
        ("Sở Xây dựng",),
    ),
    _p(
        "a-o2",
        ("V. TỔ CHỨC THỰC HIỆN", "2. Sở Tài chính"),
        "2. Sở Tài chính\n- Bố trí kinh phí thực hiện.",
        ("Sở Tài chính",),
    ),
    _p(
        "a-o3",
        ("V. TỔ CHỨC THỰC HIỆN", "3. Các doanh nghiệp công nghệ"),
        "3. Các doanh nghiệp công nghệ\n- Tham gia cung cấp dữ liệu.",
    ),
    _p(
        "a-o4",
        ("V. TỔ CHỨC THỰC HIỆN", "4."),
        "4. Giao Sở Tư pháp theo dõi, đôn đốc việc thực hiện Kế hoạch này.",
        ("Sở Tư pháp",),
    ),
]
ALL = [TASKS, TASKS_2, *ORG]


cat, idf = plan_fixtures(DOCS, ALL)


def ev(*ps: Passage, pool: list[Passage] = ALL) -> Evidence:
    return evidence(pool, *ps)


@pytest.mark.parametrize(
    "question",
    [
        "Phần tổ chức thực hiện kế hoạch 30 giao nhiệm vụ cho những đơn vị nào?",
        "Kế hoạch 30 giao nhiệm vụ cho những cơ quan nào?",
        "Kế hoạch 30 phân công những sở, ngành nào tổ chức thực hiện?",
        "ke hoach 30 giao to chuc thuc hien cho nhung don vi nao",
        # up to eight words between "những" and "nào"
        "sau lut co nguy co nhung benh lay qua duong tieu hoa nao",
        # a question opening on a plural noun phrase, closed by "là gì"
        "Những mục tiêu cụ thể đến năm 2030 của kế hoạch chuyển đổi số là gì?",
        # "hằng năm nào" is every year: the things are asked, not a year
        "dong thap tuyen truyen qua nhung chien dich cao diem hang nam nao",
    ],
)
def test_plural_questions_ask_for_every_member(cat, question):
    assert parse_question(question, cat).intent is Intent.LIST


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        # a task named after the assignment: the units of that task, not every unit
        ("Những đơn vị nào được giao nhiệm vụ tuyên truyền về biển?", Intent.LEAD_UNIT),
        ("Các đơn vị nào chủ trì tuyên truyền?", Intent.LEAD_UNIT),
        ("Kế hoạch được ban hành năm nào?", Intent.FACT),
    ],
)
def test_one_unit_or_one_year_keeps_its_family(cat, question, intent):
    assert parse_question(question, cat).intent is intent


def test_the_units_of_the_organisation_part_each_with_its_first_task(cat, idf):
    q = parse_question("Phần tổ chức thực hiện kế hoạch 30 giao nhiệm vụ cho những đơn vị nào?", cat)
    ans = compose(q, ev(TASKS, ORG[0]), DOCS, idf=idf)
    assert ans.answer.splitlines() == [
        "V. TỔ CHỨC THỰC HIỆN — Kế hoạch 30/KH-UBND (Tỉnh L):",
        "• Sở Xây dựng: Chủ trì vận hành hệ thống dữ liệu. [1]",
        "• Sở Tài chính: Bố trí kinh phí thực hiện. [2]",
        "• Các doanh nghiệp công nghệ: Tham gia cung cấp dữ liệu. [3]",
        "• Sở Tư pháp: Giao Sở Tư pháp theo dõi, đôn đốc việc thực hiện Kế hoạch này. [4]",
    ], ans.answer
    assert [c.passage_id for c in ans.citations] == [p.id for p in ORG]


def test_the_body_that_assigns_units_wins_over_two_follow_up_lines(cat, idf):
    # "II. NỘI DUNG THỰC HIỆN" gives one item per unit; "III. TỔ CHỨC THỰC HIỆN" only two
    body = [
        _p(f"b-{i}", ("II. NỘI DUNG THỰC HIỆN", f"{i}. {u}"), f"{i}. {u}\na) Thực hiện nhiệm vụ {i}.", (u,))
        for i, u in enumerate(["Sở Y tế", "Sở Tài chính", "Sở Giáo dục và Đào tạo"], start=1)
    ]
    follow = [
        _p("c-1", ("III. TỔ CHỨC THỰC HIỆN", "1. Sở Y tế"), "1. Sở Y tế\nTheo dõi, tổng hợp.", ("Sở Y tế",)),
        _p(
            "c-2",
            ("III. TỔ CHỨC THỰC HIỆN", "2. Sở, ban, ngành"),
            "2. Sở, ban, ngành\nBáo cáo.",
            ("Các sở, ban, ngành",),
        ),
    ]
    q = parse_question("Kế hoạch 30 giao nhiệm vụ cho những cơ quan nào?", cat)
    ans = compose(q, ev(body[0], pool=body + follow), DOCS, idf=idf)
    assert ans.answer.splitlines()[0] == "II. NỘI DUNG THỰC HIỆN — Kế hoạch 30/KH-UBND (Tỉnh L):"
    assert [c.passage_id for c in ans.citations] == [p.id for p in body]


def test_targets_after_cu_the_closing_a_long_paragraph(cat, idf):
    para = _p(
        "d-1",
        ("II. NỘI DUNG THỰC HIỆN", "1. Sở Y tế"),
        "a) Chủ trì, phối hợp với sở, ban, ngành tăng cường kiểm tra, đôn đốc việc thực hiện hiệu quả chủ "
        "trương, chính sách, pháp luật về công tác dân số; triển khai thực hiện có hiệu quả các chỉ tiêu, "
        "nhiệm vụ, giải pháp về công tác dân số trong tình hình mới theo các văn bản chỉ đạo của Chính phủ. "
        "Trong đó, tập trung các giải pháp để phấn đấu đạt và duy trì mức sinh thay thế, cụ thể: Phấn đấu "
        "tổng tỷ suất sinh đạt 2,1 con/phụ nữ; tỷ lệ trẻ em dưới 15 tuổi đạt khoảng 22%; giảm 50% số cặp "
        "tảo hôn;",
        ("Sở Y tế",),
    )
    q = parse_question("Kế hoạch 30 đặt ra những chỉ tiêu dân số nào cần phấn đấu?", cat)
    ans = compose(q, ev(para, pool=[para]), DOCS, idf=idf)
    assert ans.answer.splitlines() == [
        "Trong đó, tập trung các giải pháp để phấn đấu đạt và duy trì mức sinh thay thế, cụ thể — "
        "Kế hoạch 30/KH-UBND (Tỉnh L):",
        "• Phấn đấu tổng tỷ suất sinh đạt 2,1 con/phụ nữ",
        "• tỷ lệ trẻ em dưới 15 tuổi đạt khoảng 22%",
        "• giảm 50% số cặp tảo hôn [1]",
    ], ans.answer


def test_a_lead_in_naming_the_topic_asked_gives_its_shares(cat, idf):
    shares = _p(
        "e-1",
        ("II. DỰ BÁO", "2. Cơ cấu"),
        "- Cơ cấu kinh tế: Ngư, nông, lâm nghiệp chiếm khoảng 27,31%; Công nghiệp, xây dựng chiếm khoảng "
        "27,91%; Dịch vụ chiếm khoảng 40,94%.",
    )
    q = parse_question("Cơ cấu kinh tế của kế hoạch 30 gồm những khu vực nào?", cat)
    ans = compose(q, ev(shares, pool=[shares]), DOCS, idf=Idf.build(p.text for p in [*ALL, shares]))
    assert ans.answer.splitlines()[1:] == [
        "• Ngư, nông, lâm nghiệp chiếm khoảng 27,31%",
        "• Công nghiệp, xây dựng chiếm khoảng 27,91%",
        "• Dịch vụ chiếm khoảng 40,94% [1]",
    ], ans.answer


def test_the_items_after_the_gom_of_a_labelled_line(cat, idf):
    # the line's label ("Địa điểm quan trắc:") comes first; its sentence announces the items itself
    place = _p(
        "f-1",
        ("II. NỘI DUNG", "1. Quan trắc"),
        "- Địa điểm quan trắc: Địa điểm thực hiện quan trắc được thực hiện tại 03 vùng nuôi chính của tỉnh, "
        "bao gồm: Vùng nuôi quanh đầm Cù Mông; vùng nuôi quanh đầm Ô Loan; vùng nuôi hạ lưu sông Bàn Thạch.",
    )
    q = parse_question("Kế hoạch 30 quan trắc tại những vùng nuôi chính nào?", cat)
    ans = compose(q, ev(place, pool=[place]), DOCS, idf=Idf.build(p.text for p in [*ALL, place]))
    assert ans.answer.splitlines()[1:] == [
        "• Vùng nuôi quanh đầm Cù Mông",
        "• vùng nuôi quanh đầm Ô Loan",
        "• vùng nuôi hạ lưu sông Bàn Thạch [1]",
    ], ans.answer


def test_a_hard_wrapped_enumeration_is_read_whole(cat, idf):
    # markdown from a web page wraps the sentence; the items run over the wrapped lines
    wrapped = _p(
        "g-1",
        ("III. GIÁM SÁT", "2. Nội dung đánh giá"),
        "- Đánh giá công tác quản lý\nChương trình trong năm thực hiện gồm: Kết quả xây dựng chính sách, tổ\n"
        "chức thực hiện; công tác điều phối, phối hợp; công tác chấp hành chế độ giám sát.\n"
        "- Tình hình huy động nguồn vốn.",
    )
    q = parse_question(
        "Kế hoạch 30 đánh giá công tác quản lý chương trình trong năm thực hiện gồm những nội dung nào?", cat
    )
    ans = compose(q, ev(wrapped, pool=[wrapped]), DOCS, idf=Idf.build(p.text for p in [*ALL, wrapped]))
    assert ans.answer.splitlines()[1:] == [
        "• Kết quả xây dựng chính sách, tổ chức thực hiện",
        "• công tác điều phối, phối hợp",
        "• công tác chấp hành chế độ giám sát [1]",
    ], ans.answer
