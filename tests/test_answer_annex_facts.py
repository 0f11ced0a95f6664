"""Facts around an annex table (issue 12). An inspection plan closes its annex with whom to call
("Thông tin liên hệ: Ông X, SĐT: 0983 134 682"): asked for the number, that line answers, even
when the best-ranked passage is an annex row full of other figures (dates, package numbers). A row
is one inspected unit's: asked how long "mỗi đơn vị" (each unit) is inspected, the body's rule for
all of them answers, not one row's "Thời hạn kiểm tra" cell."""

from __future__ import annotations

from _inline import article as _p
from _inline import hits, plan_fixtures

from assistant.answer.common import Evidence
from assistant.answer.contacts import asks_phone
from assistant.answer.registry import compose
from assistant.query import parse_question
from assistant.records import DocMeta

PLAN = "k-kiem-tra.txt"
DOCS = {
    PLAN: DocMeta(
        doc=PLAN,
        title="Kiểm tra việc sử dụng vật liệu nổ công nghiệp trên địa bàn tỉnh K",
        number="15/KH-ĐKT",
        doc_type="Kế hoạch",
        issuer="Đoàn kiểm tra",
        province="Tỉnh K",
        date="2026-03-10",
    )
}
ROW = _p(
    "row",
    PLAN,
    ("PHỤ LỤC I",),
    "TT: 1 | Tên đơn vị được kiểm tra: Công ty X | Đối tượng kiểm tra: Gói thầu số 13 Km0 - Km2+571 | "
    "Thời gian công bố Quyết định kiểm tra: 23/3/2026 | Thời hạn kiểm tra: 02 ngày",
    "table_row",
)
NOTE = _p(
    "note",
    PLAN,
    ("PHỤ LỤC I",),
    "(*) Nếu có sự thay đổi về thời gian công bố Quyết định kiểm tra, Sở sẽ thông báo bằng văn bản "
    "(Thông tin liên hệ: Ông Đỗ Mạnh Cường, SĐT: 0983 134 682).",
)
TIME = _p(
    "time",
    PLAN,
    ("3. Đối tượng, nội dung kiểm tra",),
    "3.3. Thời gian kiểm tra: Dự kiến khoảng 02 ngày làm việc/01 đơn vị, tính từ ngày công bố Quyết định "
    "kiểm tra; kèm theo Phụ lục I – Kế hoạch kiểm tra.",
)
ALL = [ROW, NOTE, TIME]

cat, idf = plan_fixtures(DOCS, ALL)


def _ask(cat, idf, question: str, *ranked):
    q = parse_question(question, cat)
    ev = Evidence(hits=hits(*ranked), doc_passages={PLAN: list(ALL)})
    return compose(q, ev, DOCS, idf=idf)


def test_the_contact_line_answers_though_a_row_ranks_first(cat, idf):
    ans = _ask(
        cat,
        idf,
        "so dien thoai lien he khi thay doi thoi gian cong bo quyet dinh kiem tra la bao nhieu",
        ROW,
        TIME,
    )
    assert "0983 134 682" in ans.answer and not ans.refused
    assert ans.citations[0].passage_id == "note"


def test_phone_asked_only_by_its_words():
    assert asks_phone("sdt cua truong doan la gi")
    assert asks_phone("so dien thoai lien he la bao nhieu")
    assert not asks_phone("moi don vi duoc kiem tra trong bao lau")
    assert not asks_phone("thoi gian cong bo quyet dinh kiem tra la ngay nao")


def test_each_unit_asked_takes_the_body_s_rule_not_one_row(cat, idf):
    ans = _ask(cat, idf, "Theo kế hoạch 15, mỗi đơn vị được kiểm tra trong bao lâu?", ROW, TIME)
    assert "02 ngày" in ans.answer
    assert ans.citations[0].passage_id == "time"


def test_one_unit_named_still_reads_its_row(cat, idf):
    ans = _ask(cat, idf, "Theo kế hoạch 15, Công ty X được kiểm tra trong bao lâu?", ROW, TIME)
    assert "02 ngày" in ans.answer
    assert ans.citations[0].passage_id == "row"
