"""End-to-end answers on the five corpus plans with the real e5-small embedder.

Expected values were read from the plan files themselves (the sentence each test
names), not from the assistant's output.
"""

from __future__ import annotations

import pytest
from _small import has

from assistant.errors import BadQuestion
from assistant.records import INTENTS, REFUSAL_TEXT, Answer
from assistant.textnorm import fold

pytestmark = pytest.mark.slow

SEEN: list[Answer] = []  # every answer produced here, for the verbatim-quote check at the end


@pytest.fixture(scope="module")
def ask(real_assistant):
    def _ask(question: str, **kw) -> Answer:
        ans = real_assistant.ask(question, **kw)
        SEEN.append(ans)
        assert ans.intent in INTENTS
        assert len(ans.answer.splitlines()) <= 6, ans.answer
        return ans

    return _ask


# --- lead / partner ------------------------------------------------------------------
def test_lead_of_an_appendix_row(ask, real_assistant):
    # dong-thap-2023-…: row 04 "Trung tâm Xúc tiến Thương mại, Du lịch và Đầu tư Tỉnh" —
    # "Chủ trì, phối hợp … thực hiện video clip quảng bá hình ảnh tỉnh Đồng Tháp tới các thị trường …"
    ans = ask(
        "Đơn vị nào chủ trì thực hiện video clip quảng bá hình ảnh tỉnh Đồng Tháp tới các thị trường "
        "trong và ngoài nước?"
    )
    assert ans.intent == "lead_unit" and not ans.refused
    assert ans.units["lead"][0].startswith("Trung tâm Xúc tiến Thương mại, Du lịch và Đầu tư")
    assert ans.answer.startswith("Trung tâm Xúc tiến Thương mại, Du lịch và Đầu tư")
    first = real_assistant.passage(ans.citations[0].passage_id)
    assert first.kind == "table_row" and first.row == "04"
    assert "video clip quảng bá hình ảnh tỉnh Đồng Tháp" in ans.citations[0].quote


def test_lead_given_by_a_group_closing_line(ask, real_assistant):
    # dong-thap-2024-…, II.3: points a)–e), then "Đơn vị chủ trì: Ban Tuyên giáo Tỉnh ủy,
    # Bộ Chỉ huy Bộ đội Biên phòng Tỉnh." closes the group; d) is the Preyveng exchange.
    ans = ask(
        "Đơn vị nào chủ trì tổ chức giao lưu hữu nghị quốc phòng biên giới giữa tỉnh Đồng Tháp và "
        "tỉnh Preyveng?"
    )
    assert [fold(u) for u in ans.units["lead"]] == [
        "ban tuyen giao tinh uy",
        "bo chi huy bo doi bien phong tinh",
    ]
    cited = real_assistant.passage(ans.citations[0].passage_id)
    assert cited.text.startswith("d) Tổ chức giao lưu hữu nghị quốc phòng biên giới")
    assert "Đơn vị chủ trì" not in cited.text  # the lead came from the closing line, not this passage
    # II.6 closes a)–g) with "Đơn vị chủ trì: Sở Thông tin và Truyền thông."
    ans = ask("Ai chủ trì bảo dưỡng, bảo trì Cụm thông tin điện tử ở khu vực biên giới Đồng Tháp?")
    assert ans.units["lead"] == ["Sở Thông tin và Truyền thông"]
    assert ans.citations[0].quote.startswith("g) Bảo dưỡng, bảo trì Cụm thông tin điện tử")


def test_question_without_diacritics(ask):
    ans = ask("don vi nao chu tri to chuc giao luu huu nghi quoc phong bien gioi voi tinh Preyveng")
    assert [fold(u) for u in ans.units["lead"]] == [
        "ban tuyen giao tinh uy",
        "bo chi huy bo doi bien phong tinh",
    ]
    # dong-nai-…, III.3: "Đơn vị chủ trì: Sở Văn hóa Thể thao và Du lịch."
    ans = ask("so nao chu tri xay dung he thong nhan dien, logo, slogan cua dong nai")
    assert ans.units["lead"] == ["Sở Văn hóa, Thể thao và Du lịch"]
    assert ans.citations[0].doc == "dong-nai-2024-183-kh-ubnd.txt"


def test_partner_question(ask):
    # dong-nai-…, III.6: "Đơn vị phối hợp: Các Sở, ban, ngành, UBND các huyện, thành phố, các cơ quan báo chí."
    ans = ask("Đơn vị nào phối hợp xây dựng bộ từ khóa truyền thông cho tỉnh Đồng Nai?")
    assert ans.intent == "partner_unit"
    assert ans.answer.startswith("Phối hợp:")
    assert "Các cơ quan báo chí" in ans.units["partners"]
    assert ans.units["lead"] == ["Sở Thông tin và Truyền thông"]


# --- a unit's tasks ------------------------------------------------------------------
def test_unit_tasks(ask):
    # tra-vinh-…, III.7 Sở Nội vụ: "Phối hợp với Sở Thông tin và Truyền thông … bố trí nhân sự làm công tác
    # thông tin đối ngoại"
    ans = ask("Nhiệm vụ của Sở Nội vụ Trà Vinh là gì?")
    assert ans.intent == "unit_tasks" and has(ans.answer, "bố trí nhân sự làm công tác thông tin đối ngoại")
    assert has(ans.answer, "1899/QĐ-UBND")
    # lap-vo-…, V.4 Công an Huyện: "truyền thông rộng rãi Luật Căn cước công dân"
    ans = ask("Công an huyện Lấp Vò có nhiệm vụ gì?")
    assert ans.intent == "unit_tasks" and has(ans.answer, "Luật Căn cước công dân")
    assert {c.doc for c in ans.citations} == {"lap-vo-2024-truyen-thong-chinh-sach.txt"}


def test_unit_tasks_listing(real_assistant):
    tasks = real_assistant.unit_tasks("Sở TT&TT", "Trà Vinh")
    assert tasks and all(t["doc"] == "tra-vinh-2023-1899-qd-ubnd.txt" for t in tasks)
    assert {t["role"] for t in tasks} <= {"lead", "partner", "requested"}
    assert any("Tổ chức tập huấn, bồi dưỡng nghiệp vụ cho đội ngũ cán bộ" in t["text"] for t in tasks)
    units = {(u["name"], u["province"]): u for u in real_assistant.units()}
    tt = units[("Sở Thông tin và Truyền thông", "Trà Vinh")]
    assert tt["lead_count"] >= 1 and "Sở TT&TT" in tt["aliases"]


# --- facts ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    "question, needle, in_quote",
    [
        ("Ai ký Kế hoạch 183?", "Nguyễn Sơn Hùng", "Nguyễn Sơn Hùng"),  # signature block of dong-nai-…
        # the header card quotes the plan's own date line as written: "Trà Vinh, ngày 12 tháng 12 năm 2023"
        ("QĐ 1899 ban hành ngày nào?", "12 tháng 12 năm 2023", "Trà Vinh, ngày 12 tháng 12 năm 2023"),
        ("Lấp Vò yêu cầu báo cáo kết quả thực hiện kế hoạch chậm nhất ngày nào?", "10/12/2024", "10/12/2024"),
        ("Kè đường tuần tra biên giới giai đoạn 2 của Đồng Tháp dài bao nhiêu km?", "11,144 km", "11,144 km"),
        (
            "Thông điệp năm 2024 của huyện Lấp Vò là gì?",
            "Chính quyền kiến tạo, Công dân số",
            "Chính quyền kiến tạo",
        ),
    ],
)
def test_facts(ask, question, needle, in_quote):
    ans = ask(question)
    assert ans.intent == "fact" and not ans.refused
    assert needle in ans.answer
    assert any(in_quote in c.quote for c in ans.citations), [c.quote for c in ans.citations]


def test_blank_plan_number_is_said_as_blank(ask):
    ans = ask("Kế hoạch truyền thông chính sách của Lấp Vò có số hiệu là gì?")
    assert ans.answer.startswith(
        "Kế hoạch truyền thông chính sách, quảng bá hình ảnh huyện Lấp Vò năm 2024 để trống số"
    )


# --- lists and comparisons ----------------------------------------------------------
def test_list_of_a_sections_items(ask):
    # dong-nai-…, III. NHIỆM VỤ TRỌNG TÂM has items 1 to 7
    ans = ask("Kế hoạch 183 Đồng Nai có những nhiệm vụ trọng tâm nào?")
    assert ans.intent == "list"
    for item in (
        "Tham mưu quy chế quản lý hoạt động thông tin đối ngoại",
        "Tuyên truyền về Đồng Nai trên báo chí",
    ):
        assert item in ans.answer
    assert len(ans.citations) == 7


def test_compare_two_plans(ask):
    ans = ask("So sánh người ký Kế hoạch 183 của Đồng Nai và Quyết định 1899 của Trà Vinh")
    assert ans.intent == "compare"
    lines = ans.answer.splitlines()
    assert len(lines) == 2 and "Nguyễn Sơn Hùng" in lines[0] and "Lê Văn Hân" in lines[1]
    # the same 2024 message in the province's plan and the district's
    ans = ask("Thông điệp năm 2024 của tỉnh Đồng Tháp và huyện Lấp Vò là gì?")
    docs = {c.doc for c in ans.citations}
    assert docs == {"dong-thap-2024-thong-tin-doi-ngoai.txt", "lap-vo-2024-truyen-thong-chinh-sach.txt"}
    assert all(has(line, "Chính quyền kiến tạo") for line in ans.answer.splitlines())


def test_other_question_is_answered_from_the_text(ask):
    ans = ask("Biên giới Việt Nam - Campuchia được tuyên truyền thế nào?")
    assert ans.intent == "other" and not ans.refused
    assert any("biên giới Việt Nam - Campuchia" in c.quote for c in ans.citations)


# --- refusals -------------------------------------------------------------------------
@pytest.mark.parametrize(
    "question",
    [
        "Kế hoạch có hỗ trợ vốn vay ưu đãi cho nông dân nuôi tôm không?",
        "Tổng kinh phí thực hiện Kế hoạch 183 là bao nhiêu tỷ đồng?",  # only the budgeting procedure is given
        "Sở Y tế Trà Vinh được giao nhiệm vụ gì?",  # named in no plan
    ],
)
def test_unanswerable_is_refused_with_related_passages(ask, question):
    ans = ask(question)
    assert ans.refused and ans.answer == REFUSAL_TEXT
    assert ans.units == {"lead": [], "partners": []}
    assert all(c.related_only for c in ans.citations)


def test_plan_not_loaded_says_so(ask):
    ans = ask("Kế hoạch thông tin đối ngoại của thành phố Cần Thơ giao sở nào chủ trì?")
    assert ans.refused and "Cần Thơ" in ans.notice and "chưa được nạp" in ans.notice


# --- filters, history, streaming, errors -------------------------------------------------
def test_filters_restrict_the_plans(ask):
    ans = ask(
        "Ai chủ trì tập huấn nghiệp vụ phát ngôn và cung cấp thông tin cho báo chí?",
        filters={"province": "Đồng Nai"},
    )
    assert {c.doc for c in ans.citations} == {"dong-nai-2024-183-kh-ubnd.txt"}
    assert ans.units["lead"] == ["Sở Thông tin và Truyền thông"]
    ans = ask("Ai ký kế hoạch này?", filters={"doc": "1899"})  # a number resolves to the plan
    assert "Lê Văn Hân" in ans.answer


def test_follow_up_uses_history(ask):
    history = [
        {"role": "user", "content": "Ai ký Kế hoạch 183?"},
        {"role": "assistant", "content": "Nguyễn Sơn Hùng"},
    ]
    ans = ask("Còn Quyết định 1899 thì sao?", history=history)
    assert "Lê Văn Hân" in ans.answer


def test_stream_yields_text_then_the_answer(real_assistant):
    out = list(real_assistant.stream("Ai ký Kế hoạch 183?"))
    assert isinstance(out[0], str) and isinstance(out[-1], Answer)
    assert out[0] == out[-1].answer and "Nguyễn Sơn Hùng" in out[0]


def test_bad_input_is_a_clear_error(real_assistant):
    with pytest.raises(BadQuestion):
        real_assistant.ask("   ")
    with pytest.raises(BadQuestion) as e:
        real_assistant.ask("Ai ký?", filters={"year": "2024"})
    assert "year" in e.value.message_vi


def test_context_is_the_surrounding_section(real_assistant):
    ans = real_assistant.ask(
        "Ai chủ trì bảo dưỡng, bảo trì Cụm thông tin điện tử ở khu vực biên giới Đồng Tháp?"
    )
    pid = ans.citations[0].passage_id
    ctx = real_assistant.context(pid)
    assert pid in [p.id for p in ctx]
    top = real_assistant.passage(pid).section[0]
    assert all(p.section[0] == top and p.doc == ans.citations[0].doc for p in ctx)
    assert len(ctx) > 3


def test_long_question_is_cut_with_a_notice(real_assistant):
    ans = real_assistant.ask("Ai ký Kế hoạch 183? " + "xin cảm ơn " * 400)
    assert ans.notice and "rút gọn" in ans.notice


def test_every_quote_is_verbatim():
    assert len(SEEN) >= 20
    for ans in SEEN:
        for c in ans.citations:
            assert c.quote in c.text, (ans.question, c.quote)
        if not ans.refused:
            assert ans.citations and ans.citations[0].quote, ans.question
        assert ans.to_dict()["schema"] == 1


def test_issue_date_and_signer_asked_together(ask):
    # dong-nai-…: "Đồng Nai, ngày 23 tháng 5 năm 2024" under the motto, signed by Nguyễn Sơn Hùng;
    # both slots asked in one question are both answered, from the plan's own header
    ans = ask("Kế hoạch 183 của Đồng Nai ban hành ngày nào, ai ký?")
    assert ans.intent == "fact" and not ans.refused
    assert "Nguyễn Sơn Hùng" in ans.answer and "23 tháng 5 năm 2024" in ans.answer
    assert {c.doc for c in ans.citations} == {"dong-nai-2024-183-kh-ubnd.txt"}
