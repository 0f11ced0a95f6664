"""Document routing, conversation, sections and the catalogue (issue 12, classes 5, 8, 9),
end to end through the Assistant on three tiny inline plans (fake embedder), plus the parser
rules on their own.

The plans are written here in the layout of real ones (Decree 30/2020 header, "I. MỤC ĐÍCH,
YÊU CẦU", a Công văn with no kind code in its number); every expected value is a line of them.
"""

from __future__ import annotations

import pytest
from _small import has, inline_assistant

from assistant.core import Assistant
from assistant.query.collection import is_catalogue
from assistant.query.model import SectionKind
from assistant.query.rules import section_of
from assistant.settings import Settings
from assistant.textnorm import fold

DONG_THAP = """ỦY BAN NHÂN DÂN
TỈNH ĐỒNG THÁP

CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc

Số: 57/KH-UBND

Đồng Tháp, ngày 12 tháng 3 năm 2024

KẾ HOẠCH
Thông tin đối ngoại tỉnh Đồng Tháp năm 2024

Căn cứ Quyết định số 12/QĐ-UBND ngày 02/01/2024 về mục đích và yêu cầu của công tác đối ngoại;

I. MỤC ĐÍCH, YÊU CẦU

1. Mục đích

Nâng cao nhận thức của cán bộ, đảng viên về vị trí, vai trò của công tác thông tin đối ngoại trong tình hình mới.

2. Yêu cầu

Triển khai đồng bộ, hiệu quả, bám sát định hướng thông tin đối ngoại của Trung ương và của Tỉnh.

II. NHIỆM VỤ

1. Sở Văn hóa, Thể thao và Du lịch: Chủ trì, phối hợp với Sở Tài chính tổ chức lễ hội văn hóa và quảng bá du lịch của tỉnh trên mạng xã hội.

2. Sở Nội vụ: Chủ trì thẩm định hồ sơ khen thưởng tập thể, cá nhân có thành tích xuất sắc trong thông tin đối ngoại.

III. KINH PHÍ THỰC HIỆN

Kinh phí thực hiện từ ngân sách tỉnh bố trí trong dự toán hằng năm của các cơ quan, đơn vị và nguồn xã hội hóa hợp pháp khác.

Nơi nhận:
- Như trên;
- Lưu: VT.

TM. ỦY BAN NHÂN DÂN
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH

Nguyễn Văn Dương
"""

NGHE_AN = """ỦY BAN NHÂN DÂN
TỈNH NGHỆ AN

CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc

Số: 982/KH-UBND

Nghệ An, ngày 20 tháng 10 năm 2025

KẾ HOẠCH
Phát động phong trào thi đua chuyển đổi số năm 2025

I. MỤC TIÊU

Phấn đấu 100% xã, phường triển khai thanh toán không dùng tiền mặt trong dịch vụ công trước tháng 12 năm 2025.

II. NHIỆM VỤ

1. Sở Khoa học và Công nghệ: Chủ trì hướng dẫn các xã, phường triển khai nền tảng số dùng chung.

2. Sở Nội vụ: Chủ trì tổng hợp kết quả thi đua, trình Chủ tịch UBND tỉnh tặng Bằng khen.

III. KINH PHÍ

Kinh phí bảo đảm từ nguồn ngân sách nhà nước theo phân cấp và nguồn tài trợ của doanh nghiệp.

Nơi nhận:
- Như trên;
- Lưu: VT.

TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH

Lê Hồng Vinh
"""

CONG_VAN = """ỦY BAN NHÂN DÂN
TỈNH LÀO CAI

CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc

Số: 5973/UBND-KT
V/v tăng cường kiểm tra hoạt động khoáng sản

Lào Cai, ngày 11 tháng 6 năm 2026

Kính gửi: Sở Nông nghiệp và Môi trường.

Ủy ban nhân dân tỉnh yêu cầu Sở Nông nghiệp và Môi trường chủ trì kiểm tra các mỏ đá làm vật liệu xây dựng thông thường tại Bản Vược, báo cáo kết quả trước ngày 30 tháng 9 năm 2026.

Nơi nhận:
- Như trên;
- Lưu: VT.

KT. CHỦ TỊCH
PHÓ CHỦ TỊCH

Hoàng Quốc Khánh
"""

PLANS = {
    "dong-thap-2024-57-kh-ubnd.txt": DONG_THAP,
    "nghe-an-2025-982-kh-ubnd.txt": NGHE_AN,
    "lao-cai-2026-5973-cv-ubnd.txt": CONG_VAN,
}


@pytest.fixture(scope="module")
def assistant(tmp_path_factory):
    return inline_assistant(tmp_path_factory.mktemp("routing"), PLANS)


DT, NA, CV = "dong-thap-2024-57-kh-ubnd.txt", "nghe-an-2025-982-kh-ubnd.txt", "lao-cai-2026-5973-cv-ubnd.txt"


def turn(question: str) -> list[dict]:
    return [{"role": "user", "content": question}, {"role": "assistant", "content": "…"}]


# --- the parser's rules --------------------------------------------------------------------
@pytest.mark.parametrize(
    ("question", "section"),
    [
        ("Mục đích của kế hoạch thực hiện Chỉ thị 27/CT-TTg của Cần Thơ là gì?", SectionKind.PURPOSE),
        ("muc dich ke hoach giam sat danh gia chuong trinh giam ngheo", SectionKind.PURPOSE),
        ("Kế hoạch triển khai Nghị quyết 214/NQ-CP của Hà Nội có những yêu cầu gì?", SectionKind.REQUIREMENT),
        ("Kinh phí thực hiện kế hoạch 597 của Đồng Tháp gồm những nguồn nào?", SectionKind.BUDGET),
        ("Kinh phi giam sat chuong trinh giam ngheo o Can Tho lay tu nguon nao?", SectionKind.BUDGET),
        ("Mục tiêu của kế hoạch kiểm tra 1105 là gì?", SectionKind.TARGET),
        ("Phạm vi của kế hoạch là gì?", SectionKind.SCOPE),
        # a sentence inside a section, not the section
        ("Ngành thể thao Đồng Tháp đặt mục tiêu xếp hạng thế nào?", None),
        ("Tổng kinh phí thực hiện KH 183 Đồng Nai là bao nhiêu tỷ đồng?", None),
        ("Dự toán kinh phí của các đơn vị thực hiện KH 183 gửi về đâu?", None),
        ("UBND tỉnh yêu cầu các sở báo cáo trước ngày nào?", None),
        ("Yêu cầu nộp báo cáo kết quả thực hiện kế hoạch trước ngày nào", None),
        ("Thời gian thực hiện nhiệm vụ xây dựng bộ từ khóa truyền thông là khi nào?", None),
    ],
)
def test_a_section_is_asked_whole_only_when_the_question_names_it_alone(question, section):
    assert section_of(fold(question)) == section


@pytest.mark.parametrize(
    ("question", "catalogue"),
    [
        ("Các kế hoạch đã nạp?", True),
        ("Hệ thống đang có những kế hoạch nào?", True),
        ("da nap nhung ke hoach nao cua", True),
        ("có bao nhiêu văn bản", True),
        ("Những kế hoạch nào giao Sở Y tế chủ trì?", False),
        ("Kế hoạch có bao nhiêu nhiệm vụ?", False),
    ],
)
def test_catalogue_questions(question, catalogue):
    assert is_catalogue(fold(question)) is catalogue


# --- catalogue ------------------------------------------------------------------------------
def test_catalogue_lists_every_loaded_document(assistant):
    ans = assistant.ask("Các kế hoạch đã nạp?")
    assert not ans.refused
    for needle in ("57/KH-UBND", "982/KH-UBND", "5973/UBND-KT", "ngày 12/3/2024", "Thông tin đối ngoại"):
        assert has(ans.answer, needle), ans.answer
    assert {c.doc for c in ans.citations} == {DT, NA, CV}
    assert all(c.kind == "metadata" for c in ans.citations)


def test_catalogue_narrowed_by_place_kind_and_year(assistant):
    ans = assistant.ask("những kế hoạch nào của Nghệ An")
    assert {c.doc for c in ans.citations} == {NA} and has(ans.answer, "982/KH-UBND")
    ans = assistant.ask("Các công văn đã nạp gồm những gì?")
    assert {c.doc for c in ans.citations} == {CV}
    ans = assistant.ask("Kế hoạch nào ban hành năm 2024?")
    assert {c.doc for c in ans.citations} == {DT}


# --- sections -------------------------------------------------------------------------------
def test_section_text_not_its_heading_nor_a_can_cu_line(assistant):
    # "Căn cứ … về mục đích và yêu cầu …" names the words; the answer is the section under "1. Mục đích"
    ans = assistant.ask("Mục đích của kế hoạch 57 là gì?")
    assert has(ans.answer, "Nâng cao nhận thức của cán bộ, đảng viên"), ans.answer
    assert not has(ans.answer, "Căn cứ") and not has(ans.answer, "Triển khai đồng bộ")
    assert [c.doc for c in ans.citations] == [DT]
    ans = assistant.ask("yeu cau cua ke hoach thong tin doi ngoai dong thap la gi")
    assert has(ans.answer, "bám sát định hướng thông tin đối ngoại"), ans.answer


def test_budget_and_target_sections(assistant):
    ans = assistant.ask("Kinh phí thực hiện kế hoạch của Nghệ An lấy từ đâu?")
    assert has(ans.answer, "ngân sách nhà nước theo phân cấp"), ans.answer
    assert [c.doc for c in ans.citations] == [NA]
    ans = assistant.ask("Mục tiêu của kế hoạch thi đua chuyển đổi số là gì?")
    assert has(ans.answer, "Phấn đấu 100% xã, phường"), ans.answer


# --- routing --------------------------------------------------------------------------------
def test_a_number_that_matches_no_loaded_plan_is_said_so(assistant):
    ans = assistant.ask("Kế hoạch 1105 kiểm tra mỏ nào?")
    assert ans.refused and ans.notice and "1105" in ans.notice


def test_a_document_named_by_kind_is_the_one_answered(assistant):
    ans = assistant.ask("Công văn yêu cầu báo cáo kết quả trước ngày nào?")
    assert ans.citations and ans.citations[0].doc == CV, ans.answer
    assert has(ans.answer, "30 tháng 9 năm 2026")


def test_a_plan_is_routed_by_the_document_it_cites_or_a_name_only_it_holds(assistant):
    snap = assistant.snapshot()
    # Quyết định 12/QĐ-UBND is not loaded; the Đồng Tháp plan cites it ("Căn cứ Quyết định số 12/QĐ-UBND")
    q = snap.read("Kế hoạch theo Quyết định 12/QĐ-UBND giao ai tổ chức lễ hội?")
    assert q.missing is None and q.named == {DT}
    # "Bản Vược" is named by the công văn alone
    assert snap.read("Ai kiểm tra mỏ đá ở Bản Vược?").named == {CV}
    # "công văn" names the one document of that kind; "kế hoạch" narrows nothing
    assert snap.read("Công văn yêu cầu báo cáo trước ngày nào?").named == {CV}
    assert snap.read("Kế hoạch yêu cầu báo cáo trước ngày nào?").named == frozenset()


def test_a_number_with_its_leading_zero_after_the_subject_names_that_plan():
    from assistant.query import Catalog, parse_question
    from assistant.records import DocMeta

    docs = {
        "a.md": DocMeta(doc="a.md", number="0129/KH-UBND", doc_type="Kế hoạch", province="Đắk Lắk"),
        "b.md": DocMeta(doc="b.md", number="0134/KH-UBND", doc_type="Kế hoạch", province="Đắk Lắk"),
    }
    cat = Catalog.build(docs, [])
    q = parse_question("Kế hoạch cứu trợ 0129 của Đắk Lắk tập trung vào bao nhiêu xã?", cat)
    assert q.filters.get("doc") == "a.md" and "0129" not in q.folded
    # a count after the subject is a figure, and an unloaded number is never said missing so
    q = parse_question("Kế hoạch kiểm tra 028 đơn vị giao ai chủ trì?", cat)
    assert "doc" not in q.filters and q.missing is None


def test_a_one_word_party_of_a_loaded_plan_is_not_read_as_a_unit_in_a_question():
    from assistant.query import Catalog, parse_question
    from assistant.records import DocMeta, Passage

    docs = {"a.md": DocMeta(doc="a.md", number="552/KH-UBND", doc_type="Kế hoạch", province="Đồng Tháp")}
    rows = [
        Passage(
            "a:1",
            "a.md",
            "table_row",
            "Đào tạo nhân lực.",
            lead=("Sở Khoa học và Công nghệ",),
            partners=("Viện", "Trường"),
        ),
    ]
    cat = Catalog.build(docs, rows)
    # "Viện, Trường" in a partner cell are kinds of bodies: "truong" in "moi truong" is no unit
    q = parse_question("cac xa nao duoc giao nhiem vu bao ve moi truong bien", cat)
    assert q.units == []
    assert parse_question("So Khoa hoc va Cong nghe phai lam gi", cat).units == ["Sở Khoa học và Công nghệ"]


# --- conversation ---------------------------------------------------------------------------
def test_who_signed_with_no_plan_named_answers_for_each_plan(assistant):
    for q in ("Ai ký?", "Kế hoạch đó do ai ký?"):
        ans = assistant.ask(q)
        for name in ("Nguyễn Văn Dương", "Lê Hồng Vinh", "Hoàng Quốc Khánh"):
            assert name in ans.answer, ans.answer
        assert {c.doc for c in ans.citations} == {DT, NA, CV}
    # one plan in scope (a filter): that plan's signer alone
    ans = assistant.ask("Ai ký?", filters={"province": "Nghệ An"})
    assert "Lê Hồng Vinh" in ans.answer and "Nguyễn Văn Dương" not in ans.answer


def test_follow_up_keeps_the_plan_and_replaces_the_unit(assistant):
    ans = assistant.ask(
        "Còn Sở Nội vụ thì sao?",
        history=turn("Sở Văn hóa, Thể thao và Du lịch phải làm gì trong kế hoạch của Đồng Tháp?"),
    )
    assert has(ans.answer, "thẩm định hồ sơ khen thưởng"), ans.answer
    assert {c.doc for c in ans.citations} == {DT}  # Nghệ An's Sở Nội vụ is another plan's


def test_follow_up_asks_for_the_other_role_of_the_same_task(assistant):
    history = turn("Ai chủ trì tổ chức lễ hội văn hóa và quảng bá du lịch của Đồng Tháp?")
    ans = assistant.ask("Còn đơn vị phối hợp thì sao?", history=history)
    assert not ans.refused and ans.units["partners"] == ["Sở Tài chính"], ans.answer


def test_a_turn_naming_no_plan_keeps_the_conversation_s_plan(assistant):
    history = turn("Ai chủ trì tổ chức lễ hội văn hóa và quảng bá du lịch của Đồng Tháp?")
    ans = assistant.ask("Kế hoạch đó do ai ký?", history=history)
    assert "Nguyễn Văn Dương" in ans.answer and "Lê Hồng Vinh" not in ans.answer
    # naming another plan replaces it
    ans = assistant.ask("Còn kế hoạch Nghệ An thì sao?", history=turn("Ai ký kế hoạch của Đồng Tháp?"))
    assert "Lê Hồng Vinh" in ans.answer and "Nguyễn Văn Dương" not in ans.answer
    # a chain: the plan of the first turn holds through a second that names none
    history = [
        *turn("Sở Nội vụ phải làm gì trong kế hoạch của Nghệ An?"),
        *turn("Còn Sở Khoa học và Công nghệ thì sao?"),
    ]
    ans = assistant.ask("Ai ký kế hoạch đó?", history=history)
    assert "Lê Hồng Vinh" in ans.answer and "Nguyễn Văn Dương" not in ans.answer


def test_a_turn_asked_within_another_chosen_scope_is_a_question_of_its_own(assistant):
    # the official chose Nghệ An in the scope list after a turn about Đồng Tháp's plan: the
    # earlier plan lies outside that scope, so it is not carried into this turn
    history = turn("Ai chủ trì tổ chức lễ hội văn hóa và quảng bá du lịch của Đồng Tháp?")
    ans = assistant.ask(
        "Ai chủ trì tổng hợp kết quả thi đua?", filters={"province": "Nghệ An"}, history=history
    )
    assert not ans.refused and {c.doc for c in ans.citations} == {NA}, ans.answer
    assert ans.units["lead"] == ["Sở Nội vụ"], ans.answer
    # within a scope that holds the earlier plan, the conversation's plan still holds
    ans = assistant.ask("Kế hoạch đó do ai ký?", filters={"province": "Đồng Tháp"}, history=history)
    assert "Nguyễn Văn Dương" in ans.answer and "Lê Hồng Vinh" not in ans.answer, ans.answer


# --- on the five corpus plans ----------------------------------------------------------------
@pytest.fixture(scope="module")
def corpus_assistant(tmp_path_factory, corpus_dir):
    base = tmp_path_factory.mktemp("corpus-routing")
    settings = Settings(
        corpus_dir=corpus_dir, index_dir=base / "index", data_dir=base / "data", embedder="fake"
    )
    return Assistant(settings, build_if_missing=True)


def test_corpus_catalogue_and_signers(corpus_assistant):
    docs = {m.doc for m in corpus_assistant.plans()}
    ans = corpus_assistant.ask("Hệ thống đang có những kế hoạch nào?")
    assert {c.doc for c in ans.citations} == docs
    assert has(ans.answer, "183/KH-UBND") and has(ans.answer, "1899/QĐ-UBND"), ans.answer
    ans = corpus_assistant.ask("Ai ký?")  # five plans: one line each, none picked silently
    assert "Nguyễn Sơn Hùng" in ans.answer and "Lê Văn Hân" in ans.answer, ans.answer
    assert {c.doc for c in ans.citations} == docs


def test_corpus_budget_sections(corpus_assistant):
    # dong-thap-2024-thong-tin-doi-ngoai.txt "### III. KINH PHÍ": "… lồng ghép vào kinh phí đã được cấp năm 2024"
    ans = corpus_assistant.ask(
        "Kinh phí thực hiện kế hoạch thông tin đối ngoại Đồng Tháp năm 2024 lấy từ đâu?"
    )
    assert has(ans.answer, "lồng ghép vào kinh phí đã được cấp năm 2024"), ans.answer
    assert ans.citations[0].doc == "dong-thap-2024-thong-tin-doi-ngoai.txt"
    # lap-vo-2024-…: "IV. KINH PHÍ" then "- Kinh phí thực hiện Kế hoạch … từ nguồn ngân sách nhà nước theo phân cấp"
    ans = corpus_assistant.ask("Nguồn kinh phí thực hiện kế hoạch truyền thông Lấp Vò 2024 từ đâu?")
    assert has(ans.answer, "nguồn ngân sách nhà nước theo phân cấp, nguồn tài trợ"), ans.answer
    assert ans.citations[0].doc == "lap-vo-2024-truyen-thong-chinh-sach.txt"
    # dong-nai-2024-183: "I. MỤC ĐÍCH, YÊU CẦU" / "Đảm bảo công tác truyền thông quảng bá hình ảnh của tỉnh …"
    ans = corpus_assistant.ask("Mục đích, yêu cầu của kế hoạch 183 là gì?")
    assert has(ans.answer, "Đảm bảo công tác truyền thông quảng bá hình ảnh của tỉnh"), ans.answer


def test_the_plan_of_the_last_answer_is_the_conversation_s_plan(assistant):
    # the question named no plan (two plans give Sở Nội vụ a task); the answer named one
    history = [
        {"role": "user", "content": "Sở Nội vụ chủ trì tổng hợp kết quả thi đua gì?"},
        {
            "role": "assistant",
            "content": "Chủ trì tổng hợp kết quả thi đua … [1] — Kế hoạch 982/KH-UBND (Nghệ An).",
        },
    ]
    ans = assistant.ask("Kế hoạch đó do ai ký?", history=history)
    assert "Lê Hồng Vinh" in ans.answer and "Nguyễn Văn Dương" not in ans.answer, ans.answer
    # a reply drawn from two plans names none: each plan is answered
    history[1]["content"] = "… — Kế hoạch 982/KH-UBND (Nghệ An). … — Kế hoạch 57/KH-UBND (Đồng Tháp)."
    ans = assistant.ask("Kế hoạch đó do ai ký?", history=history)
    assert "Lê Hồng Vinh" in ans.answer and "Nguyễn Văn Dương" in ans.answer, ans.answer


def test_a_loaded_plans_number_after_its_kind_and_subject_names_that_plan():
    from assistant.query import Catalog, parse_question
    from assistant.records import DocMeta

    docs = {
        "a.txt": DocMeta(doc="a.txt", number="1105/KH-ĐKT", doc_type="Kế hoạch", province="Lào Cai"),
        "b.txt": DocMeta(doc="b.txt", number="3024/KH-SCT", doc_type="Kế hoạch", province="Lào Cai"),
    }
    cat = Catalog.build(docs, [])
    # typed without diacritics, the subject between the kind and the number
    q = parse_question("ke hoach kiem tra 1105 kiem tra o dau", cat)
    assert q.filters.get("doc") == "a.txt" and "1105" not in q.folded
    q = parse_question("Kế hoạch kiểm tra 3024 giao ai chủ trì?", cat)
    assert q.filters.get("doc") == "b.txt"
    # a count after the subject is a figure even when a plan bears that number; a year is a year
    q = parse_question("Kế hoạch kiểm tra 1105 người giao ai chủ trì?", cat)
    assert "doc" not in q.filters
    q = parse_question("Kế hoạch hành động năm 2026 giao ai chủ trì?", cat)
    assert "doc" not in q.filters
