"""Classes of the session-18 fresh dev questions (r472–r495, written before the assistant was run
on them): a figure on the next printed line ("TCVN\\n14423:2025"), a rate at the end of a long
sentence, "thay thế văn bản nào", "mỗi năm … bao nhiêu" never answered by counting a task's
fields, the plan's issuer after its trích yếu ("Kế hoạch nâng cao năng lực … của UBND tỉnh …"),
and a plan named by the month of its date line. The helpers on strings, the parser with a
catalogue of hand-made headers, then end to end on one tiny inline plan (fake embedder).
"""

from __future__ import annotations

import pytest
from _small import has, inline_assistant

from assistant.answer.evidence import segments
from assistant.answer.facts import FactRule, _with_value
from assistant.query import Catalog
from assistant.query.model import FactKind
from assistant.query.parse import parse_question
from assistant.query.rules import fact_kind
from assistant.records import DocMeta
from assistant.textnorm import fold

PLAN = """ỦY BAN NHÂN DÂN
TỈNH CÀ MAU

CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc

Số: 204/KH-UBND

Cà Mau, ngày 24 tháng 11 năm 2025

KẾ HOẠCH
Tài chính - ngân sách nhà nước 03 năm 2026 - 2028 và xây dựng pháp luật

I. NHIỆM VỤ

1. Tổ chức hội nghị, hội thảo trong công tác xây dựng pháp luật

- Tổ chức hội nghị, hội thảo trao đổi nghiệp vụ, kinh nghiệm trong công tác xây dựng pháp luật.

Đơn vị chủ trì: Sở Tư pháp.

Đơn vị phối hợp: Các cơ quan, đơn vị liên quan.

Thời gian thực hiện: Hằng năm.

2. Bảo đảm an toàn thông tin

Triển khai các phương án bảo đảm an toàn thông tin cho các cơ sở dữ liệu theo tiêu chuẩn TCVN
14423:2025 về An ninh mạng.

II. KINH PHÍ

Kinh phí thực hiện từ ngân sách tỉnh, khoảng 5 tỷ đồng mỗi năm.

Trên đây là Kế hoạch tài chính - ngân sách nhà nước 03 năm 2026 - 2028, Ủy ban nhân dân tỉnh báo cáo Bộ Tài chính theo quy định (Kế hoạch này thay thế Kế hoạch số 076/KH-UBND ngày 30/8/2025 của Ủy ban nhân dân tỉnh Cà Mau)./.

Nơi nhận:
- Bộ Tài chính;
- Lưu: VT.

KT. CHỦ TỊCH
PHÓ CHỦ TỊCH

Nguyễn Văn A
"""


@pytest.fixture(scope="module")
def assistant(tmp_path_factory):
    return inline_assistant(tmp_path_factory.mktemp("fresh-classes"), {"ca-mau-204-kh-ubnd.txt": PLAN})


# --- helpers on strings ---------------------------------------------------------------------
def test_a_line_broken_before_a_figure_is_one_sentence():
    t = "a) Nhiệm vụ:\n- Triển khai theo tiêu chuẩn TCVN\n14423:2025 về An ninh mạng.\nThời gian: Từ\n01/7/2025."
    assert [t[a:b] for a, b in segments(t)] == [
        "a) Nhiệm vụ:",
        "Triển khai theo tiêu chuẩn TCVN\n14423:2025 về An ninh mạng.",
        "Thời gian: Từ\n01/7/2025.",
    ]
    # an item number on the next line still opens an item
    t = "1. Mục tiêu chung\n2. Nhiệm vụ\n1.1. Việc một"
    assert [t[a:b] for a, b in segments(t)] == ["1. Mục tiêu chung", "2. Nhiệm vụ", "1.1. Việc một"]


def test_a_rate_at_the_end_of_a_long_sentence_stays_in_the_answer():
    seg = (
        "a) Chủ tịch Ủy ban nhân dân thành phố xem xét tặng Bằng khen cho các tập thể, cá nhân có thành "
        "tích xuất sắc trong phong trào thi đua theo quy định tại điểm a khoản 2 Điều 9 Quyết định số "
        "10/2024/QĐ-UBND ngày 13 tháng 6 năm 2024 của Ủy ban nhân dân thành phố Quy định về công tác thi "
        "đua, khen thưởng (tỷ lệ không quá 10% tập thể, 5% cá nhân đối tượng trực tiếp tham gia phong trào);"
    )
    line = _with_value(seg, FactRule(name="number"), fold("tặng Bằng khen với tỷ lệ tối đa là bao nhiêu"))
    assert "10% tập thể, 5% cá nhân" in line and line.startswith("a) Chủ tịch") and len(line) <= 320
    assert _with_value("Đạt 5% mỗi năm.", FactRule(name="percent")) == "Đạt 5% mỗi năm."


# --- the parser -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "question",
    [
        "Kế hoạch tài chính - ngân sách 03 năm 2026 - 2028 của UBND tỉnh Cà Mau thay thế văn bản nào?",
        "Kế hoạch 556 thay thế kế hoạch số mấy?",
    ],
)
def test_the_document_replaced_is_a_cited_number(question):
    assert fact_kind(fold(question)) == FactKind.REFNUM


def _catalog() -> Catalog:
    docs = {
        "bn.txt": DocMeta(
            doc="bn.txt",
            number="141/KH-UBND",
            doc_type="Kế hoạch",
            province="Bắc Ninh",
            issuer="ỦY BAN NHÂN DÂN TỈNH BẮC NINH",
            title="Nâng cao năng lực cho đội ngũ cán bộ, công chức xây dựng chính sách, pháp luật",
            date="2025-11-20",
        ),
        "kt.txt": DocMeta(
            doc="kt.txt",
            doc_type="Kế hoạch",
            province="Lào Cai",
            issuer="SỞ CÔNG THƯƠNG",
            title="Kiểm tra, cấp Giấy chứng nhận huấn luyện kỹ thuật an toàn vật liệu nổ công nghiệp",
            date="2026-05",
        ),
        "hl.txt": DocMeta(
            doc="hl.txt",
            doc_type="Kế hoạch",
            province="Lào Cai",
            issuer="SỞ CÔNG THƯƠNG",
            title="Huấn luyện, kiểm tra, cấp Giấy chứng nhận huấn luyện kỹ thuật an toàn vật liệu nổ công nghiệp",
            date="2026-06",
        ),
    }
    aliases = {"Ủy ban nhân dân tỉnh": [], "Sở Công Thương": [], "Sở Tư pháp": []}
    return Catalog.build(docs, [], aliases=aliases)


def test_the_issuer_after_the_plan_s_title_is_its_author_not_a_unit_asked():
    q = parse_question(
        "Kế hoạch nâng cao năng lực cán bộ xây dựng chính sách, pháp luật của UBND tỉnh Bắc Ninh đặt ra yêu cầu gì?",
        _catalog(),
    )
    assert q.units == [] and q.section is not None and q.section.value == "yeu cau"
    # a unit asked about after the plan is named stays asked
    q = parse_question("Kế hoạch 141 giao Sở Tư pháp nhiệm vụ gì?", _catalog())
    assert q.units == ["Sở Tư pháp"]


def test_a_plan_named_by_the_month_of_its_date_line():
    cat = _catalog()
    q = parse_question(
        "Trong kế hoạch kiểm tra cấp giấy chứng nhận tháng 5/2026 của Sở Công Thương Lào Cai, ai chấm bài?",
        cat,
    )
    assert q.filters.get("doc") == "kt.txt"
    q = parse_question(
        "Theo kế hoạch kiểm tra tháng 6 năm 2026 của Sở Công Thương Lào Cai, ai chấm bài?", cat
    )
    assert q.filters.get("doc") == "hl.txt"
    # a month no plan is dated, or a month outside the clause naming the plan, routes nothing
    q = parse_question(
        "Theo kế hoạch kiểm tra của Sở Công Thương Lào Cai, kỳ huấn luyện tháng 5/2026 ở đâu?", cat
    )
    assert "doc" not in q.filters
    q = parse_question("Kế hoạch kiểm tra tháng 9/2026 của Sở Công Thương Lào Cai tổ chức ở đâu?", cat)
    assert "doc" not in q.filters


# --- end to end -----------------------------------------------------------------------------
def test_the_document_replaced_is_answered_from_the_closing_sentence(assistant):
    ans = assistant.ask(
        "Kế hoạch tài chính - ngân sách nhà nước 03 năm của UBND tỉnh Cà Mau thay thế văn bản nào?"
    )
    assert not ans.refused and has(ans.answer, "076/KH-UBND"), ans.answer


def test_a_count_per_year_is_not_the_count_of_a_task_s_fields(assistant):
    ans = assistant.ask(
        "Mỗi năm Sở Tư pháp phải tổ chức bao nhiêu hội nghị, hội thảo về công tác xây dựng pháp luật?"
    )
    assert not has(ans.answer, "1 mục") and not has(ans.answer, "Đơn vị phối hợp"), ans.answer


def test_a_figure_on_the_next_printed_line_is_quoted_whole(assistant):
    ans = assistant.ask(
        "Kế hoạch 204 triển khai các phương án bảo đảm an toàn thông tin theo tiêu chuẩn nào?"
    )
    assert not ans.refused and has(ans.answer, "14423:2025"), ans.answer
