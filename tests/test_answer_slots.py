"""The slot asked is the slot answered (issue 12): a row's time cell, the plan's own issue
date and signer, the items under a named heading, every task of a unit. A tiny inline plan
written the way Vietnamese plans are, with exact expected answers."""

from __future__ import annotations

from _inline import hits, plan_fixtures

from assistant.answer.common import Evidence
from assistant.answer.registry import compose
from assistant.query import Catalog, parse_question
from assistant.records import DocMeta, Passage

SO_NN = "Sở Nông nghiệp và Môi trường"
DOCS = {
    "q.md": DocMeta(
        doc="q.md",
        title="KẾ HOẠCH Chuyển đổi số hạ tầng giao thông tỉnh Q",
        number="45/KH-UBND",
        doc_type="Kế hoạch",
        province="Tỉnh Q",
        date="2025-11-20",
        date_text="ngày 20 tháng 11 năm 2025",
        signer="Trần Văn B",
        signer_authority="KT.",
        signer_position="PHÓ CHỦ TỊCH",
    )
}
CAN_CU = Passage(
    id="q-preamble",
    doc="q.md",
    kind="article",
    text="Thực hiện Chỉ thị số 21/CT-TTg ngày 25 tháng 11 năm 2022 của Thủ tướng Chính phủ về chuyển đổi số; "
    "Ủy ban nhân dân tỉnh ban hành Kế hoạch chuyển đổi số hạ tầng giao thông như sau:",
)
GOALS = Passage(
    id="q-goals",
    doc="q.md",
    kind="article",
    section=("II. MỤC TIÊU", "2. Mục tiêu cụ thể đến năm 2030"),
    text="2. Mục tiêu cụ thể đến năm 2030\n- Hoàn thành đánh giá hiện trạng hạ tầng giao thông.\n"
    "- Thí điểm ứng dụng công nghệ GIS, BIM trong quản lý dự án.\n"
    "- Phấn đấu 100% hồ sơ được quản lý trên môi trường số.",
)
PURPOSE = Passage(
    id="q-purpose",
    doc="q.md",
    kind="article",
    section=("I. MỤC ĐÍCH, YÊU CẦU", "1. Mục đích"),
    text="1. Mục đích\n- Cụ thể hóa đầy đủ nội dung Chỉ thị của Ban Thường vụ Tỉnh ủy.\n"
    "- Nâng cao hiệu lực quản lý nhà nước về hạ tầng giao thông.",
)
ROW = Passage(
    id="q-row-2",
    doc="q.md",
    kind="table_row",
    section=("Phụ lục", f"2. {SO_NN}"),
    lead=(SO_NN,),
    text="Rà soát phương án quản lý khoáng sản để tích hợp vào Quy hoạch tỉnh. | Thời gian thực hiện: Xong trong "
    "tháng 5/2026",
)
META = Passage(
    id="q-meta",
    doc="q.md",
    kind="metadata",
    text="Số: 45/KH-UBND. Tỉnh Q, ngày 20 tháng 11 năm 2025. KT. CHỦ TỊCH PHÓ CHỦ TỊCH Trần Văn B",
)
TASKS = [
    Passage(
        id=f"q-nn-{i}",
        doc="q.md",
        kind="table_row",
        section=("Phụ lục", f"{i}. {SO_NN}"),
        lead=(SO_NN,),
        text=f"Nhiệm vụ số {i} về quản lý khoáng sản nhóm {i}. | Thời gian thực hiện: Quý {i % 4 + 1}/2026",
    )
    for i in range(1, 9)
]
ALL = [CAN_CU, GOALS, PURPOSE, ROW, META, *TASKS]


cat, idf = plan_fixtures(DOCS, ALL)


def test_issue_date_is_the_plans_own_not_a_cited_documents(cat, idf):
    q = parse_question(
        "Kế hoạch 45/KH-UBND về chuyển đổi số hạ tầng giao thông của tỉnh Q được ban hành ngày nào?", cat
    )
    ans = compose(q, Evidence(hits=hits(CAN_CU, GOALS), metadata={"q.md": META}), DOCS, idf=idf)
    assert ans.answer == "Kế hoạch 45/KH-UBND (Tỉnh Q) ban hành ngày 20 tháng 11 năm 2025 [1]."
    assert ans.citations[0].passage_id == META.id


def test_date_and_signer_asked_together_are_both_answered(cat, idf):
    q = parse_question("ke hoach 45 tinh Q ban hanh ngay nao, ai ky", cat)
    ans = compose(q, Evidence(hits=hits(CAN_CU), metadata={"q.md": META}), DOCS, idf=idf)
    assert ans.answer.splitlines() == [
        "Kế hoạch 45/KH-UBND (Tỉnh Q) do Trần Văn B (KT. Phó chủ tịch) ký [1].",
        "Kế hoạch 45/KH-UBND (Tỉnh Q) ban hành ngày 20 tháng 11 năm 2025 [1].",
    ]
    assert [c.passage_id for c in ans.citations] == [META.id]


def test_when_is_answered_by_the_rows_time_cell(cat, idf):
    q = parse_question(
        "Nhiệm vụ rà soát phương án quản lý khoáng sản để tích hợp vào Quy hoạch tỉnh phải xong khi nào?", cat
    )
    ans = compose(q, Evidence(hits=hits(CAN_CU, ROW)), DOCS, idf=idf)
    assert ans.answer.startswith(
        "Thời gian thực hiện: Xong trong tháng 5/2026 [1] — Kế hoạch 45/KH-UBND (Tỉnh Q)."
    )
    assert ans.citations[0].passage_id == ROW.id


def test_a_cited_documents_date_is_not_a_tasks_time(cat, idf):
    q = parse_question("Hạn chót hoàn thành đánh giá hiện trạng hạ tầng giao thông là khi nào?", cat)
    title = Passage(
        id="q-title",
        doc="q.md",
        kind="article",
        text="*Tỉnh Q, ngày 20 tháng 11 năm 2025*\nKẾ HOẠCH\nĐánh giá hiện trạng hạ tầng giao thông",
    )
    ans = compose(q, Evidence(hits=hits(CAN_CU, title, GOALS)), DOCS, idf=idf)
    assert ans.refused


def test_plural_goals_are_the_items_under_the_heading(cat, idf):
    q = parse_question("Những mục tiêu cụ thể đến năm 2030 của kế hoạch chuyển đổi số tỉnh Q là gì?", cat)
    ans = compose(q, Evidence(hits=hits(GOALS, CAN_CU), doc_passages={"q.md": ALL}), DOCS, idf=idf)
    assert ans.answer.splitlines() == [
        "2. Mục tiêu cụ thể đến năm 2030 — Kế hoạch 45/KH-UBND (Tỉnh Q):",
        "• Hoàn thành đánh giá hiện trạng hạ tầng giao thông.",
        "• Thí điểm ứng dụng công nghệ GIS, BIM trong quản lý dự án.",
        "• Phấn đấu 100% hồ sơ được quản lý trên môi trường số. [1]",
    ]


def test_a_heading_line_is_never_the_quote(cat, idf):
    q = parse_question("Mục đích của kế hoạch chuyển đổi số tỉnh Q là gì?", cat)
    ans = compose(q, Evidence(hits=hits(PURPOSE, CAN_CU), doc_passages={"q.md": ALL}), DOCS, idf=idf)
    assert not ans.refused
    assert ans.citations[0].passage_id == PURPOSE.id
    assert ans.citations[0].quote != "1. Mục đích"
    assert "Cụ thể hóa" in ans.answer


def test_every_task_of_a_unit_is_given(cat, idf):
    q = parse_question(f"{SO_NN} tỉnh Q phải làm gì?", cat)
    rows = [(p, "lead", 1.0 - 0.01 * i) for i, p in enumerate(TASKS)]
    ans = compose(q, Evidence(hits=hits(*TASKS[:3]), unit_rows=rows), DOCS, idf=idf)
    assert "nhiệm vụ khác" not in ans.answer
    assert [c.passage_id for c in ans.citations] == [p.id for p in TASKS]
    for i in range(1, 9):
        assert f"Nhiệm vụ số {i} " in ans.answer


def test_issue_date_missing_from_the_card_is_read_from_the_place_date_line(idf):
    docs = {"r.md": DocMeta(doc="r.md", number="7/KH-UBND", doc_type="Kế hoạch", province="Tỉnh R")}
    title = Passage(
        id="r-title",
        doc="r.md",
        kind="article",
        # hard-wrapped as in markdown taken from a web page
        text="*Tỉnh R, ngày 20\ntháng 11 năm 2025*\nKẾ HOẠCH\nNÂNG CAO NĂNG LỰC\nCăn cứ Quyết định số 5/QĐ-UBND "
        "ngày 01 tháng 3 năm 2024 của UBND tỉnh;",
    )
    body = Passage(id="r-1", doc="r.md", kind="article", section=("I. MỤC ĐÍCH",), text="Nâng cao năng lực.")
    cat = Catalog.build(docs, [title, body])
    q = parse_question("Kế hoạch 7/KH-UBND về nâng cao năng lực của tỉnh R ban hành ngày nào?", cat)
    ev = Evidence(hits=hits(title, body), doc_passages={"r.md": [title, body]})
    ans = compose(q, ev, docs, idf=idf)
    assert ans.answer == "Kế hoạch 7/KH-UBND (Tỉnh R) ban hành ngày 20 tháng 11 năm 2025 [1]."
    assert ans.citations[0].passage_id == "r-title"


def test_a_numbered_regional_office_is_not_answered_by_another_number(idf):
    docs = {"s.md": DocMeta(doc="s.md", number="9/KH-UBND", doc_type="Kế hoạch", province="Tỉnh S")}
    other = Passage(
        id="s-nh",
        doc="s.md",
        kind="article",
        section=("IV. TỔ CHỨC THỰC HIỆN",),
        text="Ngân hàng Nhà nước Chi nhánh Khu vực 14 chỉ đạo các ngân hàng thương mại mở tài khoản cho đối tượng.",
    )
    cat = Catalog.build(docs, [other])
    q = parse_question("Ngân hàng Nhà nước Chi nhánh Khu vực 1 phải làm gì?", cat)
    ans = compose(q, Evidence(hits=hits(other)), docs, idf=idf)
    assert ans.refused, ans.answer
    q14 = parse_question("Ngân hàng Nhà nước Chi nhánh Khu vực 14 phải làm gì?", cat)
    ans14 = compose(q14, Evidence(hits=hits(other)), docs, idf=idf)
    assert not ans14.refused and "mở tài khoản" in ans14.answer


def test_signer_of_the_plan_whose_title_block_the_question_names(idf):
    # two plans of one province, header cards without titles (markdown from web pages)
    docs = {
        d: DocMeta(doc=d, number=f"{n}/KH-UBND", doc_type="Kế hoạch", province="Tỉnh T", signer=who)
        for d, n, who in (("t1.md", 157, "Lê Văn C"), ("t2.md", 160, "Trần Chí D"))
    }
    t1 = Passage(id="t1-0", doc="t1.md", kind="article", text="KẾ HOẠCH\nThi đua chi trả không dùng tiền mặt")
    t2 = Passage(
        id="t2-0",
        doc="t2.md",
        kind="article",
        text="KẾ HOẠCH\nGiám sát, đánh giá chương trình giảm nghèo bền vững",
    )
    cat = Catalog.build(docs, [t1, t2])
    q = parse_question("Ai ký kế hoạch giám sát chương trình giảm nghèo của tỉnh T?", cat)
    ev = Evidence(hits=hits(t1, t2), doc_passages={"t1.md": [t1], "t2.md": [t2]})
    ans = compose(q, ev, docs, idf=idf)
    assert ans.answer == "Kế hoạch 160/KH-UBND (Tỉnh T) do Trần Chí D ký [1]."


def test_steps_of_the_group_the_question_names(cat, idf):
    steps = Passage(
        id="q-steps",
        doc="q.md",
        kind="article",
        section=("IV. CÁC BƯỚC GIÁM SÁT", "2. Các bước giám sát"),
        text="2. Các bước giám sát\n- Cấp tỉnh\n+ Thông báo cho địa phương về kế hoạch giám sát.\n"
        "+ Thu thập các thông tin về chỉ đạo.\n- Cấp xã\n+ Chọn ngẫu nhiên ấp để giám sát.\n"
        "+ Thu thập các tài liệu liên quan.\n+ Tham vấn trực tiếp đối tượng hưởng lợi.",
    )
    q = parse_question("Giám sát cấp xã ở tỉnh Q theo những bước nào?", cat)
    ans = compose(q, Evidence(hits=hits(steps, CAN_CU), doc_passages={"q.md": [*ALL, steps]}), DOCS, idf=idf)
    assert ans.answer.splitlines() == [
        "2. Các bước giám sát — Kế hoạch 45/KH-UBND (Tỉnh Q):",
        "• Chọn ngẫu nhiên ấp để giám sát.",
        "• Thu thập các tài liệu liên quan.",
        "• Tham vấn trực tiếp đối tượng hưởng lợi. [1]",
    ]


def test_a_units_tasks_end_where_the_next_units_block_begins(idf):
    # one passage holding several units' blocks (each opened by the unit's name)
    block = Passage(
        id="q-v",
        doc="q.md",
        kind="article",
        section=("V. TỔ CHỨC THỰC HIỆN",),
        lead=("Sở Y tế",),
        text="Sở Y tế:\n- Chủ trì triển khai kế hoạch; hướng dẫn chuyên môn.\n- Tổ chức xử lý môi trường sau lũ.\n"
        "Sở Tài chính:\n- Tham mưu nguồn kinh phí khắc phục môi trường.",
    )
    q = parse_question("Sở Y tế tỉnh Q phải làm gì?", Catalog.build(DOCS, [*ALL, block]))
    assert q.intent == "unit_tasks"
    ans = compose(q, Evidence(hits=hits(block), unit_rows=[(block, "lead", 1.0)]), DOCS, idf=idf)
    assert ans.answer.splitlines() == [
        "Nhiệm vụ của Sở Y tế (Kế hoạch 45/KH-UBND (Tỉnh Q)):",
        "• Chủ trì triển khai kế hoạch; hướng dẫn chuyên môn",
        "• Tổ chức xử lý môi trường sau lũ [1]",
    ]


def test_units_of_the_organisation_section_are_its_sub_headings(idf):
    org = [
        Passage(
            id=f"q-org-{i}",
            doc="q.md",
            kind="article",
            section=("IV. TỔ CHỨC THỰC HIỆN", f"{i}. {u}"),
            lead=(u,),
            text=f"{i}. {u}\n- Chủ trì triển khai nhiệm vụ số {i}.",
        )
        for i, u in enumerate(("Sở Y tế", "Sở Tài chính", "Ủy ban nhân dân các xã, phường"), start=1)
    ]
    cat = Catalog.build(DOCS, [*ALL, *org])
    q = parse_question("Các đơn vị trong phần Tổ chức thực hiện của kế hoạch 45 gồm những đơn vị nào?", cat)
    ans = compose(q, Evidence(hits=hits(org[1], CAN_CU), doc_passages={"q.md": [*ALL, *org]}), DOCS, idf=idf)
    assert ans.answer.splitlines() == [
        "IV. TỔ CHỨC THỰC HIỆN — Kế hoạch 45/KH-UBND (Tỉnh Q):",
        # each unit named as the loader read it, with its first task (answer/assigned.py)
        "• Sở Y tế: Chủ trì triển khai nhiệm vụ số 1. [1]",
        "• Sở Tài chính: Chủ trì triển khai nhiệm vụ số 2. [2]",
        "• Ủy ban nhân dân các xã, phường: Chủ trì triển khai nhiệm vụ số 3. [3]",
    ]
