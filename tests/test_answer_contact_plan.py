"""A contact asked of a named plan is the one that plan writes (issue 12, class 4).

The same official sits on two teams of one department: the inspection plan 15 closes its annex
with "Thông tin liên hệ: Ông Đỗ Mạnh Cường, SĐT: …"; the training plan 24 lists him in its task
table and gives no number. Asked "số điện thoại của ông Đỗ Mạnh Cường trong kế hoạch 24", the
number of plan 15's line answered another question (Lào Cai 3024 asked, 1105's line given: dev
r1061 on the published originals). A plan gives its contact in its own lines; another plan's
"Thông tin liên hệ" is another team's.
"""

from __future__ import annotations

from _inline import article as _p
from _inline import hits, plan_fixtures

from assistant.answer.common import Evidence
from assistant.answer.registry import compose
from assistant.query import parse_question
from assistant.records import DocMeta

INSPECT, TRAIN = "k-kiem-tra.txt", "k-huan-luyen.txt"
DOCS = {
    INSPECT: DocMeta(
        doc=INSPECT,
        title="Kiểm tra việc sử dụng vật liệu nổ công nghiệp trên địa bàn tỉnh K",
        number="15/KH-ĐKT",
        doc_type="Kế hoạch",
        province="Tỉnh K",
        date="2026-03-10",
    ),
    TRAIN: DocMeta(
        doc=TRAIN,
        title="Huấn luyện kỹ thuật an toàn cho người quản lý vật liệu nổ công nghiệp",
        number="24/KH-SCT",
        doc_type="Kế hoạch",
        province="Tỉnh K",
        date="2026-06-30",
    ),
}
NOTE = _p(
    "note",
    INSPECT,
    ("PHỤ LỤC I",),
    "(*) Nếu có sự thay đổi về thời gian công bố Quyết định kiểm tra, Sở sẽ thông báo bằng văn bản "
    "(Thông tin liên hệ: Ông Đỗ Mạnh Cường, SĐT: 0983 134 682).",
)
ROW = _p(
    "row",
    TRAIN,
    ("PHÂN CÔNG NHIỆM VỤ CỦA TỔ CÔNG TÁC",),
    "Nhiệm vụ thực hiện: Trình ký Quyết định, chứng chỉ | Người thực hiện: Đỗ Mạnh Cường",
    "table_row",
)
PLACE = _p(
    "place",
    TRAIN,
    ("II. NỘI DUNG",),
    "2. Địa điểm: Sở Công Thương tỉnh K, số 165 đường Lý Thường Kiệt; thời gian 1,5 ngày.",
)
ALL = [NOTE, ROW, PLACE]

cat, idf = plan_fixtures(DOCS, ALL)


def _ask(cat, idf, question: str, *ranked):
    q = parse_question(question, cat)
    ev = Evidence(hits=hits(*ranked), doc_passages={INSPECT: [NOTE], TRAIN: [ROW, PLACE]})
    return compose(q, ev, DOCS, idf=idf)


def test_the_number_of_another_plan_does_not_answer(cat, idf):
    ans = _ask(
        cat, idf, "Số điện thoại của ông Đỗ Mạnh Cường theo kế hoạch 24 là bao nhiêu?", NOTE, ROW, PLACE
    )
    assert "0983 134 682" not in ans.answer


def test_the_plan_s_own_contact_line_still_answers(cat, idf):
    ans = _ask(
        cat,
        idf,
        "Số điện thoại liên hệ của ông Đỗ Mạnh Cường theo kế hoạch 15 là bao nhiêu?",
        ROW,
        NOTE,
        PLACE,
    )
    assert "0983 134 682" in ans.answer and not ans.refused
