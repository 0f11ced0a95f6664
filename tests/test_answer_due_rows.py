"""The rows of a task table due in the period asked (issue 12, lists): "những việc nào phải xong
trong Quý II/2026?" is answered by the rows whose "Thời gian thực hiện" cell is that quarter,
written "Quý II/2026" or "quý 2 năm 2026"; a year alone, or a table without a time column, is
left to the other list answers."""

from __future__ import annotations

from _inline import article as _p
from _inline import hits, plan_fixtures

from assistant.answer.common import AnswerContext, Evidence
from assistant.answer.due_rows import asked_period, due_rows
from assistant.query import parse_question
from assistant.records import DocMeta

PLAN = "kh-khoang-san.txt"
DOCS = {
    PLAN: DocMeta(
        doc=PLAN, title="Triển khai Chỉ thị về khoáng sản", number="12/KH-UBND", doc_type="Kế hoạch"
    )
}
ANNEX = ("Phụ lục", "Một số nhiệm vụ trọng tâm")


def _row(n: int, task: str, when: str):
    return _p(
        f"row{n}",
        PLAN,
        (*ANNEX, f"{n}. Sở Nông nghiệp và Môi trường"),
        f"{task} | Thời gian thực hiện: {when}",
        "table_row",
    )


ROWS = [
    _row(
        1,
        "Tổ chức quán triệt sâu rộng Chỉ thị đến cán bộ, doanh nghiệp và Nhân dân.",
        "Xong trong Quý II/2026",
    ),
    _row(2, "Rà soát, điều chỉnh phương án quản lý về địa chất, khoáng sản.", "Xong trong tháng 5/2026"),
    _row(3, "Tham mưu trình kế hoạch đấu giá quyền khai thác khoáng sản.", "Hàng năm"),
    _row(4, "Xử lý dứt điểm các hành vi khai thác khoáng sản bằng tàu cuốc.", "Xong trong quý 2 năm 2026"),
]
BODY = _p(
    "body", PLAN, ("II. NHIỆM VỤ, GIẢI PHÁP",), "1. Công tác tuyên truyền, phổ biến pháp luật về khoáng sản."
)
ALL = [BODY, *ROWS]

cat, idf = plan_fixtures(DOCS, ALL)


def _due(cat, idf, question: str, pool=ALL):
    q = parse_question(question, cat)
    ev = Evidence(hits=hits(pool[-1], pool[0]), doc_passages={PLAN: list(pool)})
    return due_rows(AnswerContext(q, ev, DOCS, idf))


def test_the_rows_due_in_the_quarter_asked(cat, idf):
    ans = _due(cat, idf, "Trong phụ lục kế hoạch 12, những việc nào phải xong trong Quý II/2026?")
    assert ans is not None
    assert [c.passage_id for c in ans.citations] == ["row1", "row4"]
    assert "quán triệt sâu rộng Chỉ thị" in ans.answer and "tàu cuốc" in ans.answer
    assert "đấu giá" not in ans.answer


def test_a_month_and_a_year_of_completion(cat, idf):
    month = _due(cat, idf, "ke hoach 12 nhung nhiem vu nao xong trong thang 5/2026")
    assert month is not None and [c.passage_id for c in month.citations] == ["row2"]
    year = _due(cat, idf, "Kế hoạch 12 có những nhiệm vụ nào hoàn thành trong năm 2026?")
    assert year is not None and [c.passage_id for c in year.citations] == ["row1", "row2", "row4"]


def test_no_period_or_no_time_column_is_left_alone(cat, idf):
    # a year alone names the plan's period, not a row
    assert _due(cat, idf, "Kế hoạch 12 năm 2026 có những nhiệm vụ trọng tâm nào?") is None
    untimed = [BODY, *(_p(r.id, PLAN, r.section, r.text.split(" | ")[0], "table_row") for r in ROWS)]
    assert _due(cat, idf, "Những việc nào phải xong trong Quý II/2026?", untimed) is None


def test_periods_are_read_one_way():
    assert asked_period("xong trong quy ii/2026") == asked_period("quy 2 nam 2026") == "quy 2/2026"
    assert asked_period("thang 05/2026") == "thang 5/2026"
    assert asked_period("ke hoach nam 2026") is None
