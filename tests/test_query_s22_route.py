"""Session 22, issue 12 classes 5, 8, 9 (routing, follow-ups, sections) on tiny inline plans: a
follow-up that names a plan by what it implements after a question about an issuer's plans; the
blank-day date line on the header card; the section words an official asks by."""

from __future__ import annotations

import pytest
from _inline import article, evidence

from assistant.answer.evidence import Idf
from assistant.answer.registry import compose
from assistant.ingest.document import metadata_text
from assistant.ingest.header import Part
from assistant.query import Catalog, parse_question
from assistant.query.conversation import follow_up
from assistant.query.model import FactKind, Intent, SectionKind
from assistant.records import DocMeta, Passage

DOCS = {
    "huan-luyen.txt": DocMeta(
        doc="huan-luyen.txt",
        number="/KH-SCT",
        doc_type="Kế hoạch",
        province="Lào Cai",
        issuer="Sở Công Thương tỉnh Lào Cai",
        date="2026-06",
        title="Huấn luyện kỹ thuật an toàn cho người quản lý vật liệu nổ công nghiệp",
    ),
    "kiem-tra.txt": DocMeta(
        doc="kiem-tra.txt",
        number="1105/KH-ĐKT",
        doc_type="Kế hoạch",
        province="Lào Cai",
        issuer="Đoàn kiểm tra Sở Công Thương",
        date="2026-03-10",
        title="Kiểm tra việc chấp hành quy định pháp luật trong sử dụng vật liệu nổ công nghiệp",
    ),
    "khoang-san.txt": DocMeta(
        doc="khoang-san.txt",
        number="/KH-UBND",
        doc_type="Kế hoạch",
        province="Lào Cai",
        issuer="Ủy ban nhân dân tỉnh Lào Cai",
        date="2026",
        title="Triển khai thực hiện Chỉ thị số 11-CT/TU ngày 04/01/2026 về quản lý nhà nước về khoáng sản",
    ),
}
ROWS = [
    Passage(id="hl-1", doc="huan-luyen.txt", kind="article", text="Căn cứ Nghị định số 181/2024/NĐ-CP."),
    Passage(id="kt-1", doc="kiem-tra.txt", kind="article", text="Thực hiện Quyết định số 1050/QĐ-SCT."),
    Passage(id="ks-1", doc="khoang-san.txt", kind="article", text="Thực hiện Chỉ thị số 11-CT/TU."),
]


@pytest.fixture(scope="module")
def cat() -> Catalog:
    return Catalog.build(DOCS, ROWS)


def test_a_follow_up_naming_one_plan_after_an_issuers_plans_asks_that_plan(cat):
    # the earlier turn named the province only, whose plans are several (all of them ``named``),
    # and its reply names no plan number; the follow-up names one plan by the directive it implements
    history = [
        ("Kế hoạch của Lào Cai do ai ký?", "Kế hoạch huấn luyện … (tháng 6/2026) do Hoàng Văn Thuân ký [1].")
    ]
    q = follow_up(parse_question("Còn kế hoạch triển khai Chỉ thị 11 thì sao?", cat), history, cat)
    assert q.fact == "signer"
    assert q.filters.get("doc") == "khoang-san.txt"


def test_a_follow_up_about_the_same_plan_is_not_a_new_scope(cat):
    history = [("Ai ký kế hoạch triển khai Chỉ thị 11?", "… do Nguyễn Thành Sinh ký [1].")]
    q = follow_up(parse_question("Kế hoạch triển khai Chỉ thị 11 ban hành ngày nào?", cat), history, cat)
    assert q.fact == "date" and q.filters.get("doc") == "khoang-san.txt"


@pytest.mark.parametrize(
    ("date", "date_text", "line"),
    [
        ("2026-06", "ngày tháng 6 năm 2026", "Lào Cai, ngày tháng 6 năm 2026."),  # the day left blank
        ("2026-03-10", "ngày 10 tháng 3 năm 2026", "Lào Cai, ngày 10 tháng 3 năm 2026."),
    ],
)
def test_the_card_quotes_the_date_line_as_written(date, date_text, line):
    meta = DocMeta(doc="a.txt", doc_type="Kế hoạch", place="Lào Cai", date=date, date_text=date_text)
    assert line in metadata_text(meta, [Part()])


def test_a_wholly_blank_date_line_is_not_quoted():
    meta = DocMeta(
        doc="a.txt", doc_type="Kế hoạch", place="Lào Cai", date="2026", date_text="ngày tháng năm 2026"
    )
    assert "Lào Cai, ngày" not in metadata_text(meta, [Part()])


# a tiny monitoring/training plan written the way a Sở's plans are: "Thời gian" and "Địa điểm"
# items side by side, a "Đối tượng kiểm tra" line that cites its provision, a "Thành phần" part
K = "k.txt"
KDOCS = {
    K: DocMeta(
        doc=K,
        title="Huấn luyện kỹ thuật an toàn vật liệu nổ công nghiệp trên địa bàn tỉnh K",
        number="77/KH-SCT",
        doc_type="Kế hoạch",
        issuer="Sở Công Thương tỉnh K",
        province="Tỉnh K",
        date="2026-06-10",
    )
}


def _k(pid: str, section: tuple[str, ...], text: str) -> Passage:
    return article(pid, K, section, text)


PRE = _k(
    "k-pre",
    (),
    "Căn cứ Thông tư số 69/2017/TT-BTC ngày 07/7/2017 của Bộ Tài chính;\n"
    "Căn cứ Nghị định số 45/2017/NĐ-CP ngày 21/4/2017 của Chính phủ;\n"
    "Căn cứ Thông tư số 56/2025/TT-BTC ngày 25/6/2025 của Bộ Tài chính;\n"
    "Trên cơ sở tình hình thực hiện năm 2025, Sở Công Thương xây dựng kế hoạch như sau:",
)
TIME = _k(
    "k-time", ("II. NỘI DUNG", "1. Thời gian"), "1. Thời gian: 1,5 ngày (bắt đầu từ 13h30 ngày 06/7/2026)."
)
PLACE = _k(
    "k-place",
    ("II. NỘI DUNG", "2. Địa điểm"),
    "2. Địa điểm: Hội trường Sở Công Thương, số 9 đường Hoàng Liên.",
)
SUBJ = _k(
    "k-subj",
    ("II. NỘI DUNG", "3. Đối tượng kiểm tra"),
    "3. Đối tượng kiểm tra: Quy định tại khoản 1 Điều 2 Quyết định số 50/QĐ-SCT (theo phụ lục đính kèm).",
)
TEAM = _k(
    "k-team",
    ("III. TỔ CHỨC", "1. Thành phần thực hiện"),
    "1. Thành phần thực hiện\n- Lãnh đạo và chuyên viên phòng Quản lý công nghiệp.\n- Đại diện Công an tỉnh.",
)
KMETA = Passage(id="k-meta", doc=K, kind="metadata", text="Kế hoạch số 77/KH-SCT.")
KALL = [PRE, TIME, PLACE, SUBJ, TEAM, KMETA]


@pytest.fixture(scope="module")
def kcat() -> Catalog:
    return Catalog.build(KDOCS, KALL)


def _ask(kcat, question: str, *ps: Passage):
    q = parse_question(question, kcat)
    return q, compose(q, evidence(KALL, *ps, metadata={K: KMETA}), KDOCS, idf=Idf.build(p.text for p in KALL))


def test_where_and_how_long_asked_together_are_both_answered(kcat):
    # neither short slot line was retrieved: both are read from the plan named
    q, ans = _ask(kcat, "Kế hoạch 77 tổ chức huấn luyện ở đâu và trong bao lâu?", PRE, KMETA)
    assert {c.passage_id for c in ans.citations} == {PLACE.id, TIME.id}
    assert "số 9 đường Hoàng Liên" in ans.answer and "1,5 ngày" in ans.answer


def test_where_a_section_is_laid_down_is_that_section_not_a_venue(kcat):
    q, ans = _ask(kcat, "doi tuong kiem tra cua ke hoach 77 duoc quy dinh o dau", PRE)
    assert q.section is SectionKind.SUBJECTS and q.fact is not FactKind.PLACE
    assert "khoản 1 Điều 2" in ans.answer and ans.citations[0].passage_id == SUBJ.id
    assert parse_question("Kế hoạch 77 tổ chức huấn luyện ở đâu?", kcat).fact is FactKind.PLACE


def test_the_grounds_of_one_kind_asked_in_the_plural_are_all_of_them(kcat):
    q, ans = _ask(kcat, "Kế hoạch 77 dựa trên những thông tư nào của Bộ Tài chính?", PRE)
    assert q.section is SectionKind.BASIS
    assert "69/2017/TT-BTC" in ans.answer and "56/2025/TT-BTC" in ans.answer
    assert "45/2017/NĐ-CP" not in ans.answer and "Trên cơ sở" not in ans.answer
    # one ground asked, qualified by its issuer: a fact, not the whole preamble
    assert parse_question("Kế hoạch 77 được lập căn cứ Nghị định nào của Chính phủ?", kcat).section is None


@pytest.mark.parametrize(
    "question",
    [
        "Những ai tham gia thành phần thực hiện kế hoạch 77?",
        "Thành phần thực hiện của kế hoạch 77 gồm những ai?",
        "thanh phan doan huan luyen theo ke hoach 77 la nhung ai",
    ],
)
def test_the_members_of_a_team_are_its_thanh_phan_part(kcat, question):
    q, ans = _ask(kcat, question, PRE)
    assert q.section is SectionKind.COMPOSITION and q.intent is Intent.LIST
    assert ans.citations[0].passage_id == TEAM.id and "Đại diện Công an tỉnh" in ans.answer


@pytest.mark.parametrize(
    "question", ["Kế hoạch 77 có những dự án thành phần nào?", "Các thành phần kinh tế nào được hỗ trợ?"]
)
def test_a_component_project_is_no_team(kcat, question):
    assert parse_question(question, kcat).section is not SectionKind.COMPOSITION


def test_a_line_broken_inside_an_agencys_name_is_one_sentence():
    from assistant.answer.evidence import segments

    text = (
        "Trường hợp không cân đối được kinh phí, các đơn vị gửi Sở Khoa học và Công nghệ tổng hợp, "
        "chủ trì, phối hợp với Sở\nTài chính, báo cáo UBND Thành phố bổ sung kinh phí."
    )
    assert [text[a:b] for a, b in segments(text)] == [text]
    # a heading line, or an item after it, still ends where its line does
    heading = "1. Mục đích\nChủ động triển khai các biện pháp.\n- Sở Y tế chủ trì."
    assert len(segments(heading)) == 3


def test_an_ordinal_round_is_read_as_its_figure():
    from assistant.vocab.tokens import content_terms

    terms = content_terms("đợt thi đua thứ hai diễn ra từ ngày nào")
    assert "02" in terms and "2" in terms and "hai" not in terms
    assert "02" not in content_terms("Sở thứ hai")  # no round, phase or step: no figure
    assert "04" in content_terms("bước thứ tư là gì")
    assert "04" not in content_terms("các bước theo thứ tự nào")  # the order, not the fourth


def test_items_a_clause_qualifies_are_not_the_whole_section(kcat):
    q = parse_question("Kế hoạch 77 yêu cầu những đối tượng nào được tiếp cận hỗ trợ trong 24 giờ đầu?", kcat)
    assert q.section is None  # the sentence that qualifies them answers
    assert parse_question("Kế hoạch 77 có những đối tượng nào?", kcat).section is SectionKind.SUBJECTS
    assert parse_question("Kế hoạch 77 có những yêu cầu gì?", kcat).section is SectionKind.REQUIREMENT
