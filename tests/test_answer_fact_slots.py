"""The slot asked is the slot answered (issue 12, class 2): how long, where, on whose request,
who holds a team role. A tiny inline plan of an inspection team, written the way a Sở's
inspection plans are, with exact expected answers and citations."""

from __future__ import annotations

import pytest
from _inline import hits, plan_fixtures

from assistant.answer.common import Evidence
from assistant.answer.members import member_role
from assistant.answer.registry import compose
from assistant.ingest.document import metadata_text
from assistant.query import FactKind, Intent, TeamRole, parse_question
from assistant.records import DocMeta, Passage

DOC = "k.txt"
DOCS = {
    DOC: DocMeta(
        doc=DOC,
        title="Kiểm tra việc sử dụng vật liệu nổ công nghiệp trên địa bàn tỉnh K",
        number="77/KH-ĐKT",
        doc_type="Kế hoạch",
        issuer="Đoàn kiểm tra Sở Công Thương",
        province="Tỉnh K",
        date="2026-03-10",
        date_text="ngày 10 tháng 3 năm 2026",
        signer="Lê Văn Tám",
        signer_authority="T/M. ĐOÀN KIỂM TRA",
        signer_position="TRƯỞNG ĐOÀN",
    )
}


def _p(pid: str, section: tuple[str, ...], text: str, persons: tuple[str, ...] = ()) -> Passage:
    return Passage(id=pid, doc=DOC, kind="article", section=section, text=text, persons=persons)


PREAMBLE = _p(
    "k-pre",
    (),
    "Xét đề nghị của Công ty cổ phần Khoáng sản Hòa Bình tại Văn bản số 120/KS-AT ngày 02/3/2026. "
    "Thực hiện Quyết định số 50/QĐ-SCT ngày 06/3/2026 của Giám đốc Sở Công Thương.",
)
TIME = _p(
    "k-time",
    ("3. Đối tượng, nội dung kiểm tra", "3.3. Thời gian kiểm tra"),
    "3.3. Thời gian kiểm tra: Dự kiến khoảng 02 ngày làm việc/01 đơn vị, tính từ ngày công bố Quyết định "
    "số 50/QĐ-SCT ngày 06/3/2026.",
)
PLACE = _p(
    "k-place",
    ("3. Đối tượng, nội dung kiểm tra", "3.4. Địa điểm kiểm tra"),
    "3.4. Địa điểm kiểm tra: Tại trụ sở làm việc và kho bảo quản vật liệu nổ công nghiệp của đơn vị.",
)
HEAD = _p(
    "k-head",
    ("4. Phân công nhiệm vụ", "4.1. Ông Lê Văn Tám - Trưởng đoàn"),
    "4.1. Ông Lê Văn Tám - Trưởng đoàn: Phụ trách chung; chỉ đạo toàn diện hoạt động của Đoàn.",
    ("Lê Văn Tám",),
)
DEPUTY = _p(
    "k-deputy",
    ("4. Phân công nhiệm vụ", "4.2. Ông Đỗ Văn Chín - Phó Trưởng đoàn"),
    "4.2. Ông Đỗ Văn Chín - Phó Trưởng đoàn: Chủ trì kiểm tra hồ sơ pháp lý của đơn vị.",
    ("Đỗ Văn Chín",),
)
SECRETARY = _p(
    "k-secretary",
    ("4. Phân công nhiệm vụ", "4.3. Bà Vũ Thị Mười - Thư ký đoàn"),
    "4.3. Bà Vũ Thị Mười - Thư ký đoàn: Lập biên bản kiểm tra; tổng hợp hồ sơ của Đoàn.",
    ("Vũ Thị Mười",),
)
META = Passage(id="k-meta", doc=DOC, kind="metadata", text="Kế hoạch số 77/KH-ĐKT. Người ký: Lê Văn Tám.")
ALL = [PREAMBLE, TIME, PLACE, HEAD, DEPUTY, SECRETARY, META]


cat, idf = plan_fixtures(DOCS, ALL)


def ask(cat, idf, question: str, *ps: Passage, plan: bool = False):
    q = parse_question(question, cat)
    ev = Evidence(hits=hits(*ps), metadata={DOC: META})
    if plan:
        ev.doc_passages[DOC] = list(ALL)
    return q, compose(q, ev, DOCS, idf=idf)


@pytest.mark.parametrize(
    ("question", "role"),
    [
        ("Ai là trưởng đoàn kiểm tra theo kế hoạch 77?", TeamRole.HEAD),
        ("Theo kế hoạch 77, ai là Thư ký đoàn kiểm tra?", TeamRole.SECRETARY),
        ("pho truong doan kiem tra la ai", TeamRole.DEPUTY),
    ],
)
def test_who_holds_a_team_role_is_a_member_fact_not_a_signer(cat, question, role):
    q = parse_question(question, cat)
    assert (q.intent, q.fact, q.member) == (Intent.FACT, FactKind.MEMBER, role)


def test_what_a_role_holder_does_asks_tasks_not_the_person(cat):
    assert parse_question("Phó Trưởng đoàn phụ trách nhiệm vụ gì?", cat).fact is not FactKind.MEMBER


def test_member_item_lines_are_read_with_their_role():
    assert member_role("4.2. Ông. Đỗ Văn Chín - Phó Trưởng đoàn: Chủ trì …") == (
        "Đỗ Văn Chín",
        TeamRole.DEPUTY,
    )
    assert member_role("4.1. Ông Lê Văn Tám - Trưởng đoàn") == ("Lê Văn Tám", TeamRole.HEAD)
    assert member_role("4.4. Ông Bùi Văn Hai - Thành viên: …") == ("Bùi Văn Hai", None)
    assert member_role("4. Phân công nhiệm vụ") is None


def test_the_secretary_is_the_member_item_of_that_role(cat, idf):
    _, ans = ask(cat, idf, "Theo kế hoạch 77, ai là Thư ký đoàn kiểm tra?", HEAD, SECRETARY, plan=True)
    assert ans.answer == (
        "4.3. Bà Vũ Thị Mười - Thư ký đoàn: Lập biên bản kiểm tra; tổng hợp hồ sơ của Đoàn. [1] — "
        "Kế hoạch 77/KH-ĐKT (Tỉnh K)."
    )
    assert [c.passage_id for c in ans.citations] == [SECRETARY.id]


def test_the_head_is_not_the_deputy_head(cat, idf):
    # the deputy's item is retrieved first: "Trưởng đoàn" is the item whose role is exactly that
    _, ans = ask(cat, idf, "Ai là trưởng đoàn kiểm tra theo kế hoạch 77?", DEPUTY, HEAD, plan=True)
    assert ans.answer.startswith("4.1. Ông Lê Văn Tám - Trưởng đoàn:")
    assert ans.citations[0].passage_id == HEAD.id


def test_the_head_is_the_signer_when_no_item_lists_one(cat, idf):
    _, ans = ask(cat, idf, "Ai là trưởng đoàn kiểm tra theo kế hoạch 77?", PREAMBLE)
    assert ans.answer == "Lê Văn Tám (Trưởng đoàn, ký kế hoạch) [1] — Kế hoạch 77/KH-ĐKT (Tỉnh K)."
    assert ans.citations[0].passage_id == META.id


def test_how_long_is_an_amount_of_time_not_a_date(cat, idf):
    q, ans = ask(cat, idf, "Theo ke hoach 77, moi don vi duoc kiem tra trong bao lau?", PREAMBLE, TIME)
    assert q.fact is FactKind.DURATION
    assert ans.answer.startswith("3.3. Thời gian kiểm tra: Dự kiến khoảng 02 ngày làm việc/01 đơn vị")
    assert ans.citations[0].passage_id == TIME.id


def test_where_is_the_venue_line(cat, idf):
    q, ans = ask(cat, idf, "Đoàn kiểm tra theo kế hoạch 77 kiểm tra ở địa điểm nào?", PREAMBLE, TIME, PLACE)
    assert q.fact is FactKind.PLACE
    assert ans.answer.startswith("3.4. Địa điểm kiểm tra: Tại trụ sở làm việc")
    assert ans.citations[0].passage_id == PLACE.id


def test_on_whose_request_is_the_request_sentence(cat, idf):
    q, ans = ask(cat, idf, "Kế hoạch 77 được lập theo đề nghị của đơn vị nào?", TIME, PREAMBLE)
    assert q.fact is FactKind.SOURCE
    assert ans.answer.startswith("Xét đề nghị của Công ty cổ phần Khoáng sản Hòa Bình")
    assert ans.citations[0].passage_id == PREAMBLE.id


def test_a_per_period_word_is_not_the_counted_noun(cat, idf):
    target = _p("k-poor", ("II. MỤC TIÊU",), "Tỷ lệ hộ nghèo giảm hàng năm 1%-1,5%.")
    q = parse_question("Kế hoạch 77 dự báo tỷ lệ hộ nghèo giảm bao nhiêu mỗi năm?", cat)
    ans = compose(q, Evidence(hits=hits(PREAMBLE, target)), DOCS, idf=idf)
    assert ans.answer.startswith("Tỷ lệ hộ nghèo giảm hàng năm 1%-1,5%.")


def test_the_header_card_quotes_the_plans_own_date_line():
    from assistant.ingest.header import Part

    meta = DocMeta(
        doc=DOC,
        doc_type="Kế hoạch",
        number="77/KH-ĐKT",
        place="Lào Cai",
        date="2026-03-10",
        date_text="ngày 10 tháng 3 năm 2026",
    )
    assert "Nơi ban hành: Lào Cai. Lào Cai, ngày 10 tháng 3 năm 2026." in metadata_text(meta, [Part()])


def test_the_means_provided_is_asked_not_who_provides_it(cat, idf):
    car = _p(
        "k-car",
        ("5. Dự kiến các nguồn lực", "5.2. Phương tiện cho hoạt động kiểm tra"),
        "5.2. Phương tiện cho hoạt động kiểm tra: Xe ô tô 7 chỗ do Văn phòng Sở Công Thương bố trí.",
    )
    q = parse_question("Đoàn kiểm tra theo kế hoạch 77 đi bằng phương tiện gì, do ai bố trí?", cat)
    assert q.intent is Intent.FACT
    ans = compose(q, Evidence(hits=hits(PREAMBLE, car)), DOCS, idf=idf)
    assert ans.answer.startswith("5.2. Phương tiện cho hoạt động kiểm tra: Xe ô tô 7 chỗ do Văn phòng Sở")


def test_a_theme_is_the_quote_under_its_label_not_another_quote(cat, idf):
    intro = _p(
        "k-intro",
        (),
        "Ủy ban nhân dân tỉnh ban hành Kế hoạch tổ chức “Tháng hành động vì an toàn vật liệu nổ công nghiệp” năm 2026.",
    )
    theme = _p(
        "k-theme",
        ("1. Chủ đề, thời gian", "a)"),
        "a) Chủ đề Tháng hành động năm 2026\n“Kiểm tra chặt chẽ, sử dụng an toàn”.",
    )
    q = parse_question("Chủ đề Tháng hành động vì an toàn vật liệu nổ năm 2026 của kế hoạch 77 là gì?", cat)
    assert q.fact is FactKind.SLOGAN
    ans = compose(q, Evidence(hits=hits(intro, theme)), DOCS, idf=idf)
    assert ans.answer == "“Kiểm tra chặt chẽ, sử dụng an toàn” [1] — Kế hoạch 77/KH-ĐKT (Tỉnh K)."
    assert ans.citations[0].passage_id == theme.id


@pytest.mark.parametrize(
    ("question", "number", "kind"),
    [
        ("Kết luận 480-KL/TU ngày nào, về việc gì?", "480", "Kết luận"),
        ("Chương trình phối hợp số 77 giữa hai sở ký ngày nào?", "77", "Chương trình"),
        ("Nghị quyết số 57-NQ/TW ban hành khi nào?", "57", "Nghị quyết"),
        # the year of "30/2020/NĐ-CP" is part of the number, not document no. 2020
        ("Nghị định 30/2020/NĐ-CP quy định gì?", "30", "Nghị định"),
    ],
)
def test_cited_document_kinds_are_read_by_number(question, number, kind):
    from assistant.textnorm import fold
    from assistant.vocab.documents import doc_mentions

    assert [(m.number, m.kind) for m in doc_mentions(fold(question))] == [(number, kind)]


def test_a_programme_named_without_so_is_not_an_unloaded_document(cat):
    # "Chương trình 135" is a programme's name; only "số …" or a code makes it a document number
    assert parse_question("Chương trình 135 hỗ trợ những gì?", cat).missing is None
    assert parse_question("Nghị quyết số 99-NQ/TU giao việc gì?", cat).missing == "Nghị quyết số 99"


def test_a_cited_kind_never_routes_to_a_loaded_plan_of_that_number(cat):
    # Kế hoạch 77 is loaded; "Kết luận 77-KL/TU" is another document
    assert parse_question("Kết luận số 77-KL/TU nói gì?", cat).docs == []
    assert parse_question("Kế hoạch số 77 nói gì?", cat).docs == [DOC]


def test_the_date_of_a_cited_document_is_where_it_is_cited(cat, idf):
    # the plan's own date is not asked, nor a task's time: the cited decision's date is
    q, ans = ask(cat, idf, "Quyết định số 50/QĐ-SCT ký ngày nào?", HEAD, PREAMBLE)
    assert not ans.refused
    assert "Quyết định số 50/QĐ-SCT ngày 06/3/2026" in ans.answer
    assert ans.citations[0].passage_id == PREAMBLE.id


@pytest.mark.parametrize(
    "question",
    [
        "Kế hoạch kiểm tra vật liệu nổ công nghiệp ký ngày nào?",
        "ke hoach kiem tra vat lieu no cong nghiep duoc ky vao ngay nao",
        "Ngày ký kế hoạch kiểm tra vật liệu nổ công nghiệp?",
    ],
)
def test_a_plan_named_by_its_subject_was_signed_on_its_issue_date(cat, idf, question):
    # the preamble cites a decision with its own date; the plan named by subject was signed
    # on the date of its header, not on the date of the decision it cites
    q, ans = ask(cat, idf, question, PREAMBLE, TIME, plan=True)
    assert q.named == frozenset({DOC}) and not ans.refused
    assert "10 tháng 3 năm 2026" in ans.answer and "06/3/2026" not in ans.answer


# a task written as points of one item: what, who, by when (Hà Nội's plans, among others)
_ITEM = ("II. NHIỆM VỤ", "2. Về nguồn nhân lực")
TASK = _p(
    "k-task", (*_ITEM, "a)"), "a) Nhiệm vụ: Lựa chọn chuyên gia trưởng về an toàn vật liệu nổ của tỉnh."
)
WHO = _p("k-who", (*_ITEM, "b)"), "b) Cơ quan thực hiện: Đơn vị chủ trì: Sở Công Thương.")
WHEN = _p("k-when", (*_ITEM, "c)"), "c) Thời gian thực hiện: Hoàn thành trong năm 2026.")


def test_a_task_s_time_is_the_time_point_under_the_same_item(cat, idf):
    q = parse_question(
        "Nhiệm vụ lựa chọn chuyên gia trưởng về an toàn vật liệu nổ phải hoàn thành khi nào?", cat
    )
    ev = Evidence(
        hits=hits(TASK, PREAMBLE), metadata={DOC: META}, doc_passages={DOC: [*ALL, TASK, WHO, WHEN]}
    )
    ans = compose(q, ev, DOCS, idf=idf)
    assert ans.answer.startswith("Thời gian thực hiện: Hoàn thành trong năm 2026. [1]"), ans.answer
    assert [c.passage_id for c in ans.citations] == [WHEN.id, TASK.id]
    # the time point of another item is not this task's
    ev = Evidence(hits=hits(TASK, PREAMBLE), metadata={DOC: META}, doc_passages={DOC: [*ALL, TASK, WHO]})
    assert "năm 2026" not in compose(q, ev, DOCS, idf=idf).answer


ROUND = _p("k-round", ("1. Thời gian", "1.1. Đợt 1"), "1.1. Đợt 1: Từ 13h30’ ngày 02/6/2026 (Thứ Ba).")


def test_the_end_of_a_span_is_not_its_start(cat, idf):
    # the plan gives when round 1 starts, not when it ends: asked the end, it says it does not know
    q, ans = ask(cat, idf, "Đợt 1 kiểm tra kết thúc lúc mấy giờ?", ROUND, PREAMBLE)
    assert ans.refused, ans.answer
    q, ans = ask(cat, idf, "Đợt 1 kiểm tra bắt đầu lúc mấy giờ?", ROUND, PREAMBLE)
    assert not ans.refused and ans.answer.startswith("1.1. Đợt 1: Từ 13h30’ ngày 02/6/2026"), ans.answer
