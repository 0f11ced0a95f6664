"""Two slots asked in one fact question (issue 12, "the slot asked is not answered"): an official
asks when a task must be done and by which day its report is due, joined by "và"; each clause is
answered by the sentence that holds its own value. A tiny inline plan, exact answers."""

from __future__ import annotations

from _inline import hits, plan_fixtures

from assistant.answer.common import Evidence
from assistant.answer.evidence import Idf
from assistant.answer.facts import fact_rule
from assistant.answer.registry import compose
from assistant.query import Catalog, parse_question
from assistant.records import DocMeta, Passage

DOC = "b.txt"
DOCS = {
    DOC: DocMeta(
        doc=DOC,
        title="Nâng cao năng lực đội ngũ xây dựng chính sách, pháp luật",
        number="41/KH-UBND",
        doc_type="Kế hoạch",
        issuer="UBND tỉnh B",
        province="Tỉnh B",
        date="2025-11-20",
        date_text="ngày 20 tháng 11 năm 2025",
    )
}
ORG = Passage(
    id="b-org",
    doc=DOC,
    kind="article",
    section=("IV. TỔ CHỨC THỰC HIỆN",),
    text="1. Các cơ quan, đơn vị, địa phương xây dựng Kế hoạch triển khai thực hiện phù hợp với chức năng, "
    "nhiệm vụ của từng cơ quan, đơn vị xong trong tháng 12/2025. Định kỳ báo cáo UBND tỉnh (qua Sở Tư pháp) "
    "kết quả thực hiện Kế hoạch hằng năm (trước ngày 15 tháng 11) hoặc theo đề nghị để tổng hợp.",
)
FUND = Passage(
    id="b-fund",
    doc=DOC,
    kind="article",
    section=("IV. TỔ CHỨC THỰC HIỆN",),
    text="2. Sở Tài chính bố trí kinh phí chi thường xuyên trong dự toán ngân sách nhà nước hằng năm.",
)
META = Passage(id="b-meta", doc=DOC, kind="metadata", text="Kế hoạch số 41/KH-UBND.")
ALL = [ORG, FUND, META]


cat, idf = plan_fixtures(DOCS, ALL)


def test_a_task_deadline_and_its_report_deadline_are_both_answered(cat, idf):
    q = parse_question(
        "Các cơ quan ở tỉnh B phải xây dựng kế hoạch triển khai xong khi nào, và báo cáo hằng năm trước ngày nào?",
        cat,
    )
    ans = compose(q, Evidence(hits=hits(ORG, FUND), metadata={DOC: META}), DOCS, idf=idf)
    assert ans.answer.splitlines() == [
        "1. Các cơ quan, đơn vị, địa phương xây dựng Kế hoạch triển khai thực hiện phù hợp với chức năng, "
        "nhiệm vụ của từng cơ quan, đơn vị xong trong tháng 12/2025. [1] — Kế hoạch 41/KH-UBND (Tỉnh B).",
        "Định kỳ báo cáo UBND tỉnh (qua Sở Tư pháp) kết quả thực hiện Kế hoạch hằng năm (trước ngày 15 tháng 11) "
        "hoặc theo đề nghị để tổng hợp. [1] — Kế hoạch 41/KH-UBND (Tỉnh B).",
    ]
    assert [c.passage_id for c in ans.citations] == [ORG.id]  # one passage, both sentences


def test_a_span_from_one_day_to_another_is_one_slot(cat, idf):
    # "từ ngày nào đến ngày nào" asks one span, not two slots: one sentence answers
    q = parse_question("Báo cáo hằng năm của kế hoạch 41 tỉnh B từ ngày nào đến ngày nào?", cat)
    ans = compose(q, Evidence(hits=hits(ORG, FUND), metadata={DOC: META}), DOCS, idf=idf)
    assert len(ans.answer.splitlines()) == 1


ROW = Passage(
    id="b-row",
    doc=DOC,
    kind="table_row",
    section=("PHỤ LỤC", "II"),
    text="Nội dung: Thuê dịch vụ quan trắc, tổng hợp kinh phí (I + II) | Thành tiền (đồng): 1.500.000.000",
)
SUM = Passage(
    id="b-sum",
    doc=DOC,
    kind="article",
    section=("V. KINH PHÍ",),
    text="2. Dự toán kinh phí quan trắc môi trường từ năm 2026 - 2030: 1.500.000.000 đồng/năm x 05 năm "
    "= 7.500.000.000 đồng. Trong đó: thu và phân tích mẫu 6.821.646.215 đồng.",
)


def test_a_total_asked_is_the_sum_the_text_works_out_not_a_rows_part():
    docs = [ROW, SUM, META]
    cat = Catalog.build(DOCS, docs)
    idf = Idf.build(p.text for p in docs)
    q = parse_question("tong kinh phi quan trac moi truong tinh B giai doan 2026-2030", cat)
    ans = compose(q, Evidence(hits=hits(ROW, SUM), metadata={DOC: META}), DOCS, idf=idf)
    assert "= 7.500.000.000 đồng" in ans.answer
    assert ans.citations[0].passage_id == SUM.id


POP = "p.txt"
POP_DOCS = {
    POP: DocMeta(
        doc=POP,
        title="Thực hiện Chỉ thị số 27/CT-TTg về tăng cường thực hiện công tác dân số trong tình hình mới",
        number="65/KH-UBND",
        doc_type="Kế hoạch",
        issuer="UBND tỉnh P",
        province="Tỉnh P",
        date="2025-11-21",
        date_text="ngày 21 tháng 11 năm 2025",
    )
}
BASIS = Passage(
    id="p-basis",
    doc=POP,
    kind="article",
    section=(),
    text="Căn cứ Chỉ thị số 27/CT-TTg ngày 15 tháng 8 năm 2024 của Thủ tướng Chính phủ về việc tăng cường "
    "thực hiện công tác dân số trong tình hình mới;",
)
RATES = Passage(
    id="p-rates",
    doc=POP,
    kind="article",
    section=("II. NHIỆM VỤ", "1. Sở Y tế"),
    text="a) Phấn đấu tổng tỷ suất sinh đạt 2,1 con/phụ nữ; tỷ số giới tính khi sinh dưới 109 bé trai/100 bé gái "
    "sinh ra sống; tỷ lệ người từ 65 tuổi trở lên đạt khoảng 12%.",
)
POP_META = Passage(id="p-meta", doc=POP, kind="metadata", text="Kế hoạch số 65/KH-UBND ngày 21/11/2025.")


def _ask_pop(question: str, *found: Passage):
    docs = [BASIS, RATES, POP_META]
    cat = Catalog.build(POP_DOCS, docs)
    idf = Idf.build(p.text for p in docs)
    ev = Evidence(hits=hits(*found), metadata={POP: POP_META})
    return compose(parse_question(question, cat), ev, POP_DOCS, idf=idf)


def test_the_date_of_a_cited_directive_is_where_it_is_cited_not_the_plans_own():
    # "Chỉ thị 27/CT-TTg … ban hành ngày nào": the document named by kind and number is one the
    # plan cites, though the plan's title names it too; its date stands in the "Căn cứ" line
    ans = _ask_pop(
        "Chỉ thị 27/CT-TTg về tăng cường công tác dân số mà tỉnh P triển khai được ban hành ngày nào?",
        BASIS,
        RATES,
    )
    assert "15 tháng 8 năm 2024" in ans.answer and "21 tháng 11" not in ans.answer
    assert ans.citations[0].passage_id == BASIS.id


def test_a_rate_unit_names_the_noun_counted_before_its_slash():
    # "2,1 con/phụ nữ", "109 bé trai/100 bé gái": the noun counted ("con") stands before the slash
    cat = Catalog.build(POP_DOCS, [BASIS, RATES, POP_META])
    q = parse_question("Theo kế hoạch 65, tỉnh P muốn mỗi phụ nữ sinh bình quân bao nhiêu con?", cat)
    rule = fact_rule(q.text, q.fact, q.terms, q.folded)
    assert rule.name == "number:con" and rule.require is not None
    assert rule.require("a) Phấn đấu tổng tỷ suất sinh đạt 2,1 con/phụ nữ;")
    assert not rule.require("tỷ lệ người từ 65 tuổi trở lên đạt khoảng 12%.")


MONTH = "h.txt"
MONTH_DOCS = {
    MONTH: DocMeta(
        doc=MONTH,
        title="Triển khai Tháng hành động vì bình đẳng giới năm 2025",
        number="74/KH-UBND",
        doc_type="Kế hoạch",
        issuer="UBND tỉnh H",
        province="Tỉnh H",
        date="2025-11-18",
        date_text="ngày 18 tháng 11 năm 2025",
    )
}
GUIDE = Passage(
    id="h-guide",
    doc=MONTH,
    kind="article",
    section=(),
    text="Thực hiện hướng dẫn của Bộ Nội vụ tại Công văn số 8935/BNV-CTTN&BĐG ngày 03 tháng 10 năm 2025 về việc "
    "hướng dẫn triển khai Tháng hành động vì bình đẳng giới năm 2025 diễn ra trên địa bàn tỉnh.",
)
THEME = Passage(
    id="h-theme",
    doc=MONTH,
    kind="article",
    section=("II. NỘI DUNG", "2. Tháng hành động"),
    text="a) Chủ đề Tháng hành động năm 2025: “Bình đẳng giới và an toàn cho phụ nữ và trẻ em gái”.",
)
SPAN = Passage(
    id="h-span",
    doc=MONTH,
    kind="article",
    section=("II. NỘI DUNG", "2. Tháng hành động"),
    text="b) Thời gian: Từ ngày 15/11/2025 đến ngày 15/12/2025.",
)
MONTH_META = Passage(id="h-meta", doc=MONTH, kind="metadata", text="Kế hoạch số 74/KH-UBND.")


def test_a_span_asked_is_the_line_with_both_ends_not_a_cited_documents_date():
    # the "Công văn số 8935/BNV-CTTN&BĐG ngày 03 tháng 10 năm 2025" date is the cited document's; the
    # span's own short line ("b) Thời gian: Từ ngày … đến ngày …") is found in the plan asked about
    docs = [GUIDE, THEME, SPAN, MONTH_META]
    cat = Catalog.build(MONTH_DOCS, docs)
    idf = Idf.build(p.text for p in docs)
    q = parse_question(
        "Tháng hành động vì bình đẳng giới năm 2025 của tỉnh H diễn ra từ ngày nào đến ngày nào?", cat
    )
    ev = Evidence(hits=hits(GUIDE, THEME), metadata={MONTH: MONTH_META})
    ev.doc_passages[MONTH] = docs
    ans = compose(q, ev, MONTH_DOCS, idf=idf)
    assert "Từ ngày 15/11/2025 đến ngày 15/12/2025" in ans.answer
    assert ans.citations[0].passage_id == SPAN.id


def test_a_cited_symbol_joining_two_offices_with_an_ampersand_still_dates_the_cited_document():
    from assistant.answer.times import cited_dates_removed

    seg = "hướng dẫn của Bộ Nội vụ tại Công văn số 8935/BNV-CTTN&BĐG ngày 03 tháng 10 năm 2025 về việc"
    assert "03 thang 10" not in cited_dates_removed(seg)
