"""A figure in a table row's later cell stays in the answer line (``facts.fact_line``).

A scoring grid of an emulation movement (Can Tho 157's layout) writes per row "STT | TIÊU CHÍ |
ĐIỂM CHUẨN | Cách thức ghi nhận để chấm điểm", the last cell long and holding the figure asked.
The answer line is the value's own segment: the row from its first cell on would cut the figure
from the line after long cells (dev r472 lost "50 người" so, in a version that gave the row)."""

from __future__ import annotations

from _inline import article, evidence

from assistant.answer.common import AnswerContext, Cites
from assistant.answer.facts import best_fact_segment, fact_line, fact_rule
from assistant.query.parse import parse_question
from assistant.records import DocMeta

DOC = "can-tho-157-kh-ubnd.md"
CRITERION = (
    "Tỷ lệ % người hưởng trợ cấp xã hội, trợ cấp hưu trí xã hội chưa có tài khoản được tuyên "
    "truyền, giải thích lợi ích mang lại từ việc giao dịch thanh toán không dùng tiền mặt và vận "
    "động mở tài khoản thanh toán để nhận chi trả trợ cấp từ ngân sách nhà nước"
)
WAY = (
    "Điều kiện để chấm điểm là phải có xây dựng kế hoạch tuyên truyền; tổ chức tuyên truyền trực "
    "tiếp như đến hộ gia đình, họp nhóm. Sở Y tế (Chi cục Dân số - Xã hội) sẽ kiểm tra thực tế, "
    "ngẫu nhiên 50 người đang nhận trợ cấp, mỗi trường hợp xác nhận đã được tuyên truyền thì chấm "
    "0,4 điểm."
)
ROW = article(
    "r1",
    DOC,
    ("PHỤ LỤC", "TIÊU CHÍ THI ĐUA"),
    f"STT: 1 | TIÊU CHÍ THI ĐUA: {CRITERION} | ĐIỂM CHUẨN: 20 | Cách thức ghi nhận để chấm điểm: {WAY}",
    kind="table_row",
)
DOCS = {DOC: DocMeta(doc=DOC, number="157/KH-UBND", province="Cần Thơ")}


def _line(question: str, row) -> str:
    q = parse_question(question)
    ctx = AnswerContext(query=q, evidence=evidence([row], row), docs=DOCS)
    rule = fact_rule(q.text, q.fact, q.terms, q.folded)
    best = best_fact_segment(q, ctx.hits, None, rule)
    assert best is not None
    return fact_line(ctx, rule, best, Cites(DOCS))


def test_a_figure_after_long_cells_stays_in_the_line() -> None:
    line = _line("Sở Y tế khảo sát ngẫu nhiên bao nhiêu người đang nhận trợ cấp?", ROW)
    assert "50 người" in line, line
