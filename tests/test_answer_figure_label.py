"""A figure asked is the plan's, not a word of the plan's name (the ``figure`` refusal gate).

"Kế hoạch huấn luyện … tháng 6/2026 huấn luyện bao nhiêu người của Công ty X?" asked of a plan that
lists the companies' request letters and never counts their people (Lào Cai 3898, dev r792): the
passage standing in ("Công ty X tại Văn bản số 30.6/GĐN ngày 30/6/2026") was followed in the
answer by the plan's name "Kế hoạch huấn luyện … cho Người … (tháng 6/2026)", whose "Người" and
"6/2026" passed for "a number beside người". A plan's title or number names the plan; it is no
figure of the thing asked.
"""

from __future__ import annotations

from assistant.answer.fact_slots import figure_unfilled
from assistant.query.model import FactKind, Query
from assistant.records import Answer, Citation

QUESTION = "Kế hoạch huấn luyện tháng 6/2026 huấn luyện bao nhiêu người của Công ty cổ phần Đá quý và Vàng?"
LABEL = "Kế hoạch huấn luyện, kiểm tra, cấp Giấy chứng nhận huấn luyện kỹ thuật an toàn cho Người … (tháng 6/2026)"


def _answer(quote: str) -> Answer:
    cite = Citation(
        n=1, passage_id="x", doc="hl.txt", title="", section="", text=quote, quote=quote, score=1.0
    )
    return Answer(question=QUESTION, answer=f"{quote} [1] — {LABEL}.", intent="fact", citations=[cite])


def _query() -> Query:
    folded = "ke hoach huan luyen thang 6/2026 huan luyen bao nhieu nguoi cua cong ty co phan da quy va vang?"
    return Query(text=QUESTION, fact=FactKind.NUMBER, folded=folded, terms=["huan", "luyen", "nguoi"])


def test_the_plan_s_name_is_no_figure_given():
    letter = _answer("Công ty cổ phần Đá quý và Vàng tại Văn bản số 30.6/GĐN-ĐQ&V ngày 30/6/2026.")
    assert figure_unfilled(_query(), letter, [LABEL]) is True


def test_the_count_in_the_plan_s_sentence_fills_it():
    count = _answer("Công ty cổ phần Đá quý và Vàng: 12 người quản lý tham gia huấn luyện.")
    assert figure_unfilled(_query(), count, [LABEL]) is False


def test_where_the_value_is_written_is_not_what_is_counted():
    # "tọa độ X của điểm Xuân Cảnh trong phụ lục kế hoạch 0134 là bao nhiêu" (Đắk Lắk 0134, dev
    # r1153): the anchor was "lục" of "phụ lục", and the annex row's coordinate was refused
    from assistant.answer.numbers import anchor_after

    located = "toa do x cua diem quan trac xuan canh trong phu luc ke hoach        la bao nhieu"
    assert anchor_after(located) == anchor_after("toa do x cua diem quan trac xuan canh la bao nhieu")
    assert anchor_after("tong kinh phi cua ke hoach        la bao nhieu") == ["kinh phi"]
