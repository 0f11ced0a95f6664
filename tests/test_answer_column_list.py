"""The names a table's "Tên …" column lists (issue 12): "Các đơn vị được kiểm tra trong kế hoạch 15
gồm những đơn vị nào?" is answered by the "Tên đơn vị được kiểm tra" cell of every annex row, in
order; a question that names no such column, or a table whose rows name no party, is left to the
other list answers. And the 1105 plan as published (development split, read from REAL_PLANS_DIR)."""

from __future__ import annotations

import pytest
from _inline import article as _p
from _inline import hits, plan_fixtures

from assistant.answer.column_list import column_list
from assistant.answer.common import AnswerContext, Evidence
from assistant.query import parse_question
from assistant.records import DocMeta

PLAN = "k-kiem-tra.txt"
DOCS = {
    PLAN: DocMeta(doc=PLAN, title="Kiểm tra vật liệu nổ công nghiệp", number="15/KH-ĐKT", doc_type="Kế hoạch")
}
SECTION = ("PHỤ LỤC I",)


def _row(n: int, unit: str, target: str, date: str):
    text = (
        f"TT: {n} | Tên đơn vị được kiểm tra: {unit} | Đối tượng kiểm tra: {target} | "
        f"Thời gian công bố Quyết định kiểm tra: {date} | Thời hạn kiểm tra: 02 ngày"
    )
    return _p(f"row{n}", PLAN, SECTION, text, "table_row")


ROWS = [
    _row(1, "Công ty cổ phần xây dựng giao thông Yên Bái", "Gói thầu số 13", "23/3/2026"),
    _row(2, "Tổng công ty xây dựng Trường Sơn", "Gói thầu số 16", "25/3/2026"),
    _row(3, "Công ty TNHH Hiệp Phú", "Gói thầu số 15", "27/3/2026"),
]
BODY = _p(
    "body",
    PLAN,
    ("6. Những vấn đề khác",),
    "6.2 Đối với đơn vị được kiểm tra: Chuẩn bị báo cáo bằng văn bản.",
)
ALL = [BODY, *ROWS]

cat, idf = plan_fixtures(DOCS, ALL)


def _list(cat, idf, question: str):
    q = parse_question(question, cat)
    ev = Evidence(hits=hits(BODY, ROWS[0]), doc_passages={PLAN: list(ALL)})
    return column_list(AnswerContext(q, ev, DOCS, idf))


def test_the_party_column_of_every_row(cat, idf):
    ans = _list(cat, idf, "Các đơn vị được kiểm tra trong kế hoạch 15 gồm những đơn vị nào?")
    assert ans is not None
    lines = ans.answer.splitlines()
    assert lines[0].startswith("Tên đơn vị được kiểm tra — ")
    assert [ln.split(" [")[0] for ln in lines[1:]] == [
        "• Công ty cổ phần xây dựng giao thông Yên Bái",
        "• Tổng công ty xây dựng Trường Sơn",
        "• Công ty TNHH Hiệp Phú",
    ]
    assert [c.passage_id for c in ans.citations] == ["row1", "row2", "row3"]


def test_a_question_naming_no_party_column_is_left_alone(cat, idf):
    assert _list(cat, idf, "Kế hoạch 15 kiểm tra những gói thầu nào?") is None
    # the party written whole, its parties not asked: what they must do
    assert _list(cat, idf, "Đơn vị được kiểm tra phải chuẩn bị những gì?") is None
    assert _list(cat, idf, "Kế hoạch 15 kiểm tra những đơn vị nào?") is not None
    assert _list(cat, idf, "Những đơn vị nào phải báo cáo?") is None


def test_real_1105_units_inspected():
    from assistant.ingest import parse_file
    from eval.realsuite import data_dir

    pdf = data_dir() / "original" / "KH-1105-DKT-ke-hoach-kiem-tra.pdf"
    if not pdf.is_file():
        pytest.skip(f"the real plans are absent: no {pdf}")
    doc = parse_file(pdf)
    rows = [p for p in doc.passages if p.kind == "table_row"]
    assert len(rows) == 3 and all("Tên đơn vị được kiểm tra: " in p.text for p in rows)
