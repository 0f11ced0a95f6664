"""Extractive composition on hand-made passages and hits: exact, checkable outputs."""

from __future__ import annotations

from _inline import hits, plan_fixtures

from assistant.answer.common import Evidence, plan_label
from assistant.answer.evidence import segments, verbatim_quote
from assistant.answer.extractive import finalize
from assistant.answer.registry import compose
from assistant.query import parse_question
from assistant.records import REFUSAL_TEXT, Answer, Citation, DocMeta, Passage

SO_A = "Sở Văn hóa, Thể thao và Du lịch"
SO_B = "Sở Thông tin và Truyền thông"
TT = "Trung tâm Xúc tiến Thương mại"

DOCS = {
    "x.txt": DocMeta(
        doc="x.txt",
        title="KẾ HOẠCH Quảng bá hình ảnh tỉnh X",
        number="12/KH-UBND",
        doc_type="Kế hoạch",
        province="Tỉnh X",
        date="2024-03-05",
        date_text="ngày 05 tháng 3 năm 2024",
        signer="Nguyễn Văn A",
        signer_authority="KT.",
        signer_position="PHÓ CHỦ TỊCH",
    ),
    "y.txt": DocMeta(
        doc="y.txt",
        title="KẾ HOẠCH Thông tin đối ngoại huyện Y",
        doc_type="Kế hoạch",
        province="Tỉnh Z",
        district="Y",
        date="2024",
        date_text="ngày tháng năm 2024",
    ),
}
ROW = Passage(
    id="x-row-04",
    doc="x.txt",
    kind="table_row",
    section=("Phụ lục", "04"),
    row="04",
    lead=(TT,),
    partners=("Các sở, ban, ngành tỉnh",),
    text="- Tổ chức các sự kiện xúc tiến thương mại và đầu tư. - Chủ trì, phối hợp với các đơn vị liên quan "
    "thực hiện video clip quảng bá hình ảnh tỉnh tới các thị trường trong và ngoài nước. - Tham gia Lễ hội Xoài.",
)
POINT = Passage(
    id="x-2b",
    doc="x.txt",
    kind="article",
    section=("II. NHIỆM VỤ", "2. Tuyên truyền", "b)"),
    lead=(SO_B,),
    partners=("Ban Tuyên giáo Tỉnh ủy",),
    text="b) Xây dựng bộ từ khóa truyền thông cho tỉnh nhằm tối ưu hóa trên các công cụ tìm kiếm số.",
)
REPORT = Passage(
    id="y-v",
    doc="y.txt",
    kind="article",
    section=("V. TỔ CHỨC THỰC HIỆN",),
    lead=("Phòng Văn hóa và Thông tin",),
    text="Các đơn vị triển khai thực hiện kế hoạch này; chậm nhất đến ngày 10/12/2024, báo cáo kết quả thực hiện "
    "gửi về Phòng Văn hóa và Thông tin để tổng hợp.",
)
SLOGAN = Passage(
    id="y-5a",
    doc="y.txt",
    kind="article",
    section=("II. NỘI DUNG", "5. Hình ảnh chính quyền", "a)"),
    text="a) Truyền thông hình ảnh chính quyền kiến tạo, phục vụ Nhân dân trong năm 2024 với thông điệp "
    "“Chính quyền kiến tạo, Công dân số”.",
)
FORMS = Passage(
    id="y-3",
    doc="y.txt",
    kind="article",
    section=("III. HÌNH THỨC TRUYỀN THÔNG",),
    text="- Báo chí và phát thanh.\n- Mạng xã hội Facebook, Zalo.\n- Hệ thống thông tin cơ sở.\n- Pa-nô, áp phích.",
)
Y_TASK = Passage(
    id="y-vh",
    doc="y.txt",
    kind="article",
    section=("V. TỔ CHỨC THỰC HIỆN", "3."),
    lead=(SO_A,),
    text="Tổ chức các lễ hội văn hóa và quảng bá du lịch của huyện.",
)
META_X = Passage(
    id="x-meta",
    doc="x.txt",
    kind="metadata",
    text="Số: 12/KH-UBND. Tỉnh X, ngày 05 tháng 3 năm 2024. KT. CHỦ TỊCH, PHÓ CHỦ TỊCH Nguyễn Văn A",
)
ALL = [ROW, POINT, REPORT, SLOGAN, FORMS, Y_TASK, META_X]


cat, idf = plan_fixtures(DOCS, ALL)


def _check_quotes(ans: Answer) -> None:
    for c in ans.citations:
        assert c.quote in c.text


def test_lead_question_names_the_row_lead_first(cat, idf):
    q = parse_question("Đơn vị nào chủ trì làm video clip quảng bá hình ảnh tỉnh?", cat)
    ans = compose(q, Evidence(hits=hits(ROW, POINT, SLOGAN)), DOCS, idf=idf)
    assert not ans.refused and ans.intent == "lead_unit"
    assert ans.answer.startswith(f"{TT} chủ trì [1]")
    assert ans.units == {"lead": [TT], "partners": ["Các sở, ban, ngành tỉnh"]}
    assert ans.citations[0].passage_id == ROW.id
    assert ans.citations[0].quote == (
        "Chủ trì, phối hợp với các đơn vị liên quan thực hiện video clip quảng bá "
        "hình ảnh tỉnh tới các thị trường trong và ngoài nước."
    )
    _check_quotes(ans)


def test_partner_question_lists_partners_first(cat, idf):
    q = parse_question("Đơn vị nào phối hợp xây dựng bộ từ khóa truyền thông?", cat)
    ans = compose(q, Evidence(hits=hits(POINT, ROW)), DOCS, idf=idf)
    assert ans.intent == "partner_unit"
    assert ans.answer.startswith(
        "Phối hợp: Ban Tuyên giáo Tỉnh ủy [1]; chủ trì: Sở Thông tin và Truyền thông"
    )
    assert ans.units["partners"] == ["Ban Tuyên giáo Tỉnh ủy"]


def test_weak_evidence_is_refused_with_related_passages(cat, idf):
    q = parse_question("Kế hoạch có hỗ trợ vốn vay ưu đãi cho nông dân không?", cat)
    ans = compose(q, Evidence(hits=hits(ROW, POINT)), DOCS, idf=idf, refuse_below=0.35)
    assert ans.refused and ans.answer == REFUSAL_TEXT
    assert [c.passage_id for c in ans.citations] == [ROW.id, POINT.id]
    assert all(c.related_only for c in ans.citations)
    _check_quotes(ans)


def test_no_hits_is_a_refusal(cat, idf):
    ans = compose(parse_question("Sở nào chủ trì video clip?", cat), Evidence(hits=[]), DOCS, idf=idf)
    assert ans.refused and ans.citations == []


def test_signer_comes_from_metadata_with_the_name_quoted(cat, idf):
    q = parse_question("Ai ký kế hoạch 12?", cat)
    assert q.filters == {"doc": "x.txt"}
    ans = compose(q, Evidence(hits=hits(ROW), metadata={"x.txt": META_X}), DOCS, idf=idf)
    assert ans.answer == "Kế hoạch 12/KH-UBND (Tỉnh X) do Nguyễn Văn A (KT. Phó chủ tịch) ký [1]."
    assert ans.citations[0].passage_id == META_X.id and "Nguyễn Văn A" in ans.citations[0].quote


def test_blank_issue_date_is_said_as_written(cat, idf):
    q = parse_question("Kế hoạch của huyện Y ban hành ngày nào?", cat)
    assert q.filters == {"district": "Y"} and q.fact == "date"
    ans = compose(q, Evidence(hits=hits(REPORT)), DOCS, idf=idf)
    assert ans.answer.startswith(
        "Kế hoạch thông tin đối ngoại huyện Y (2024) không ghi đủ ngày ban hành (ghi: “ngày tháng năm 2024”)"
    )


def test_deadline_quotes_the_sentence_with_the_date(cat, idf):
    q = parse_question("Hạn báo cáo kết quả thực hiện gửi Phòng Văn hóa và Thông tin là khi nào?", cat)
    assert q.intent == "fact" and q.fact == "deadline"
    ans = compose(q, Evidence(hits=hits(SLOGAN, REPORT)), DOCS, idf=idf)
    c = ans.citations[0]
    assert c.passage_id == REPORT.id
    assert c.quote == (
        "chậm nhất đến ngày 10/12/2024, báo cáo kết quả thực hiện gửi về Phòng Văn hóa và Thông tin "
        "để tổng hợp."
    )


def test_slogan_answer_is_the_quoted_span(cat, idf):
    q = parse_question("Thông điệp năm 2024 về chính quyền là gì?", cat)
    ans = compose(q, Evidence(hits=hits(SLOGAN, FORMS)), DOCS, idf=idf)
    assert ans.answer.startswith("“Chính quyền kiến tạo, Công dân số” [1]")


def test_list_gives_a_few_items_from_the_passage(cat, idf):
    q = parse_question("Các hình thức truyền thông gồm những gì?", cat)
    ans = compose(q, Evidence(hits=hits(FORMS, SLOGAN)), DOCS, idf=idf)
    assert ans.intent == "list"
    assert ans.answer.splitlines()[1:] == [
        "• Báo chí và phát thanh.",
        "• Mạng xã hội Facebook, Zalo.",
        "• Hệ thống thông tin cơ sở.",
        "• Pa-nô, áp phích. [1]",
    ]


def test_compare_gives_one_line_per_plan(cat, idf):
    q = parse_question("So sánh đơn vị chủ trì quảng bá du lịch, lễ hội ở mỗi kế hoạch", cat)
    assert q.intent == "compare"
    ev = Evidence(hits=hits(ROW, Y_TASK), per_doc={"x.txt": hits(ROW, POINT), "y.txt": hits(Y_TASK, FORMS)})
    ans = compose(q, ev, DOCS, idf=idf)
    lines = ans.answer.splitlines()
    # the plan whose passage covers the question best comes first
    assert lines == [
        f"• Kế hoạch thông tin đối ngoại huyện Y (2024): {SO_A} chủ trì [1]",
        f"• Kế hoạch 12/KH-UBND (Tỉnh X): {TT} chủ trì [2]",
    ]
    assert ans.units["lead"] == [SO_A, TT]


def test_unit_tasks_grouped_by_plan(cat, idf):
    q = parse_question(f"Nhiệm vụ của {SO_A} là gì?", cat)
    assert q.intent == "unit_tasks" and q.units == [SO_A]
    rows = [(Y_TASK, "lead", 1.0), (ROW, "partner", 0.5)]
    ans = compose(q, Evidence(hits=hits(Y_TASK), unit_rows=rows), DOCS, idf=idf)
    assert ans.answer.splitlines() == [
        f"Nhiệm vụ của {SO_A} (Kế hoạch thông tin đối ngoại huyện Y (2024)):",
        "• Tổ chức các lễ hội văn hóa và quảng bá du lịch của huyện [1]",
    ]
    assert ans.units == {"lead": [SO_A], "partners": []}
    # with tasks in two plans: one line per plan; a partner role is said as such
    rows = [(Y_TASK, "lead", 1.0), (ROW, "lead", 0.5), (POINT, "partner", 0.4)]
    ans = compose(q, Evidence(hits=hits(Y_TASK), unit_rows=rows), DOCS, idf=idf)
    assert ans.answer.splitlines() == [
        f"Nhiệm vụ của {SO_A}:",
        "• Kế hoạch thông tin đối ngoại huyện Y (2024): Tổ chức các lễ hội văn hóa và quảng bá du lịch của huyện [1]",
        # every task of the row, its flattened bullets split (issue 12: never cut at one or two)
        "• Kế hoạch 12/KH-UBND (Tỉnh X): Tổ chức các sự kiện xúc tiến thương mại và đầu tư; Chủ trì, phối hợp "
        "với các đơn vị liên quan thực hiện video clip quảng bá hình ảnh tỉnh tới các thị trường trong và ngoài "
        "nước; Tham gia Lễ hội Xoài [2]",
    ]


def test_unit_named_only_in_text_is_quoted_from_that_text(cat, idf):
    row19 = Passage(
        id="x-row-19",
        doc="x.txt",
        kind="table_row",
        lead=("UBND các huyện, thành phố",),
        text="Căn cứ Kế hoạch xây dựng kế hoạch cụ thể. * UBND huyện Q: Xây dựng làng văn hóa; "
        "định kỳ tổ chức Lễ hội Sen.",
    )
    q = parse_question("UBND huyện Q phải làm gì?", cat)
    q.intent, q.units = "unit_tasks", ["UBND huyện Q"]
    ans = compose(q, Evidence(hits=hits(FORMS, row19), unit_rows=[]), DOCS, idf=idf)
    assert not ans.refused and ans.citations[0].passage_id == row19.id
    assert ans.citations[0].quote == "UBND huyện Q: Xây dựng làng văn hóa; định kỳ tổ chức Lễ hội Sen."
    q.units = ["Sở Y tế"]  # named nowhere: refused, never someone else's tasks
    assert compose(q, Evidence(hits=hits(FORMS, ROW), unit_rows=[]), DOCS, idf=idf).refused


def test_unit_without_tasks_is_refused(cat, idf):
    q = parse_question(f"Nhiệm vụ của {SO_A} là gì?", cat)
    assert compose(q, Evidence(hits=hits(ROW), unit_rows=[]), DOCS, idf=idf).refused


def test_finalize_repairs_or_drops_non_verbatim_quotes():
    text = "Chủ trì, phối hợp với các đơn vị\nliên quan thực hiện video clip."
    cites = [
        Citation(1, "p1", "x.txt", "t", "s", text, "phối hợp với các đơn vị liên quan", 1.0),
        Citation(2, "p2", "x.txt", "t", "s", text, "một câu không có trong đoạn", 0.5),
    ]
    ans = finalize(
        Answer(question="q", answer="Trả lời [1] [2] [7].\n" + "\n".join("x" * 8), citations=cites)
    )
    assert cites[0].quote == "phối hợp với các đơn vị\nliên quan"  # whitespace-insensitive repair, verbatim
    assert cites[1].quote == ""  # dropped, never invented
    assert "[7]" not in ans.answer and len(ans.answer.splitlines()) <= 6
    assert verbatim_quote("abc", None) == "" and verbatim_quote("abc def", " abc ") == "abc"


def test_segments_split_inline_bullets_and_clauses():
    t = "- Một việc. - Hai việc; ba việc. * UBND huyện: bốn."
    assert [t[a:b] for a, b in segments(t)] == ["Một việc.", "Hai việc;", "ba việc.", "UBND huyện: bốn."]


def test_plan_label():
    assert plan_label("x.txt", DOCS) == "Kế hoạch 12/KH-UBND (Tỉnh X)"
    # unnumbered: named by its title and date, not "Kế hoạch Y 2024" like every draft of the place
    assert plan_label("y.txt", DOCS) == "Kế hoạch thông tin đối ngoại huyện Y (2024)"
    assert plan_label("z.txt", DOCS) == "z.txt"


# a task written under its heading with no unit the parser could attach (its unit is named
# elsewhere in running text, or not at all); another task of the plan has a lead unit
UNITLESS = Passage(
    id="y-4c",
    doc="y.txt",
    kind="article",
    section=("II. NỘI DUNG", "4. Chuyển đổi số", "c)"),
    text="c) Số hóa toàn bộ hồ sơ di tích cấp huyện và đưa lên bản đồ số du lịch trước ngày 30/9/2024.",
)


def test_lead_answer_also_quotes_the_best_matching_passage_when_it_has_no_unit(cat, idf):
    """The structured lead comes from a clearly less relevant passage (another task): the passage
    that matches the task asked is quoted too, after the units, never as the claim."""
    q = parse_question("Ai chủ trì số hóa hồ sơ di tích cấp huyện lên bản đồ số du lịch?", cat)
    ans = compose(q, Evidence(hits=hits(UNITLESS, Y_TASK)), DOCS, idf=idf)
    assert not ans.refused and ans.intent == "lead_unit"
    assert ans.answer.startswith(f"{SO_A} chủ trì [1]")  # the claim is still the structure's
    last = ans.answer.splitlines()[-1]
    assert last.startswith("Đoạn khớp nhất — mục “4. Chuyển đổi số › c)”: “c) Số hóa toàn bộ hồ sơ di tích")
    assert "[2]" in last and ans.citations[1].passage_id == UNITLESS.id
    _check_quotes(ans)


def test_lead_answer_adds_nothing_when_the_unit_bearing_passage_matches_as_well(cat, idf):
    q = parse_question("Đơn vị nào chủ trì tổ chức các lễ hội văn hóa và quảng bá du lịch của huyện?", cat)
    ans = compose(q, Evidence(hits=hits(UNITLESS, Y_TASK)), DOCS, idf=idf)
    assert ans.answer.startswith(f"{SO_A} chủ trì [1]")
    assert "Đoạn khớp nhất" not in ans.answer and len(ans.citations) == 1
