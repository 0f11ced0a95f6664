"""The slot asked is answered from the evidence (issue 12, class 2), on two tiny inline plans of
one province written the way a UBND tỉnh writes them: a frequency written after "; " beside the
thing it qualifies, the date of a document the plan cites (named by number, or by its sender)
against the plan's own issue date, and a plan named by number and province in one question."""

from __future__ import annotations

import pytest
from _inline import article as _p
from _inline import hits, plan_fixtures

from assistant.answer.common import Evidence
from assistant.answer.evidence import qualified_segments
from assistant.answer.fact_slots import figure_unfilled
from assistant.answer.meta import other_documents
from assistant.answer.registry import compose
from assistant.answer.times import asks_document_date
from assistant.query import Intent, parse_question
from assistant.query.naming import set_apart, trim_firm_names
from assistant.records import Answer, Citation, DocMeta, Passage
from assistant.textnorm import fold

WATCH, SHOW = "gia-lai-74.md", "gia-lai-75.md"
DOCS = {
    WATCH: DocMeta(
        doc=WATCH,
        title="Quan trắc môi trường nuôi trồng thủy sản trên địa bàn tỉnh Gia Lai",
        number="74/KH-UBND",
        doc_type="Kế hoạch",
        issuer="Ủy ban nhân dân tỉnh Gia Lai",
        province="Gia Lai",
        date="2025-11-18",
        date_text="ngày 18 tháng 11 năm 2025",
        signer="Nguyễn Văn Một",
    ),
    SHOW: DocMeta(
        doc=SHOW,
        title="Tổ chức Tháng hành động vì bình đẳng giới năm 2025 trên địa bàn tỉnh Gia Lai",
        number="75/KH-UBND",
        doc_type="Kế hoạch",
        issuer="Ủy ban nhân dân tỉnh Gia Lai",
        province="Gia Lai",
        date="2025-11-20",
        date_text="ngày 20 tháng 11 năm 2025",
        signer="Trần Thị Hai",
    ),
}


WATCH_META = _p(
    "w-meta",
    WATCH,
    (),
    "Kế hoạch số 74/KH-UBND ngày 18/11/2025 của Ủy ban nhân dân tỉnh Gia Lai.",
    "metadata",
)
SHOW_META = _p(
    "s-meta", SHOW, (), "Kế hoạch số 75/KH-UBND ngày 20/11/2025 của Ủy ban nhân dân tỉnh Gia Lai.", "metadata"
)
FREQUENCY = _p(
    "w-freq",
    WATCH,
    ("II. NỘI DUNG", "c) Thông số, tần suất quan trắc"),
    "c. Thông số (chỉ tiêu), tần suất quan trắc\n- Mẫu nước nguồn cấp:\n"
    "+ Thủy lý, thủy hóa và vi sinh vật: Nhiệt độ, pH, độ mặn, Coliform; tần suất quan trắc: 2 đợt/tháng "
    "(18 đợt/năm).\n"
    "+ Thuốc bảo vệ thực vật (nhóm Photpho hữu cơ) và kim loại nặng (Cd, Hg, As và Pb); tần suất quan "
    "trắc: 03 đợt/năm.",
)
BASIS = _p(
    "s-basis",
    SHOW,
    (),
    "Thực hiện hướng dẫn của Bộ Nội vụ tại Công văn số 8935/BNV-CTTN&BĐG ngày 03 tháng 10 năm 2025 về "
    "việc hướng dẫn triển khai Tháng hành động vì bình đẳng giới năm 2025.",
)
REQUEST = _p(
    "w-request",
    WATCH,
    (),
    "Xét đề nghị của 02 đơn vị gồm: Công ty cổ phần Thủy sản Biển Đông tại Văn bản số 12/TS-BĐ ngày "
    "10/6/2025; Công ty cổ phần Giống Tôm Ngọc tại Văn bản số 30.6/GĐN-GTN ngày 30/6/2025.",
)
ALL = [WATCH_META, SHOW_META, FREQUENCY, BASIS, REQUEST]
METAS = {WATCH: WATCH_META, SHOW: SHOW_META}


cat, idf = plan_fixtures(DOCS, ALL)


def ask(cat, idf, question: str, *ps: Passage):
    q = parse_question(question, cat)
    return q, compose(q, Evidence(hits=hits(*ps), metadata=METAS), DOCS, idf=idf)


def test_a_plan_and_its_province_far_apart_name_one_plan(cat):
    # the "và" inside the clause joins the things asked about, not two plans to compare
    q = parse_question(
        "Theo kế hoạch 74, thuốc bảo vệ thực vật và kim loại nặng ở Gia Lai được quan trắc mấy đợt mỗi năm?",
        cat,
    )
    assert (q.intent, q.filters, q.scope) == (Intent.FACT, {"doc": WATCH}, [])


def test_two_plans_joined_by_and_are_still_compared(cat):
    q = parse_question("Kế hoạch 74 và kế hoạch 75 khác nhau thế nào?", cat)
    assert q.intent is Intent.COMPARE and q.scope == [WATCH, SHOW]


def test_an_aside_in_brackets_does_not_join_two_names_compared():
    # "ở tỉnh Đồng Tháp (thông tin đối ngoại 2024) và ở huyện Lấp Vò": the bracketed aside says
    # more of the first place's plan; "và ở huyện" still sets the two apart
    assert set_apart(" (thong tin doi ngoai 2024) va o huyen ")
    assert not set_apart(" (thong tin doi ngoai 2024) va kim loai nang duoc quan trac o ")
    assert not set_apart(", thuoc bao ve thuc vat va kim loai nang o ")


def test_a_labelled_value_clause_is_read_with_the_thing_it_qualifies():
    text = "Thuốc bảo vệ thực vật và kim loại nặng (Cd, Pb); tần suất quan trắc: 03 đợt/năm."
    spans = [text[a:b] for a, b in qualified_segments(text)]
    assert spans == [
        "Thuốc bảo vệ thực vật và kim loại nặng (Cd, Pb);",
        "tần suất quan trắc: 03 đợt/năm.",
        text,
    ]
    # an ordinary next clause is no value of the one before
    assert len(qualified_segments("Sở Y tế chủ trì; Sở Tài chính phối hợp.")) == 2


def test_how_often_is_the_frequency_of_the_thing_asked(cat, idf):
    q, ans = ask(
        cat,
        idf,
        "Theo kế hoạch 74, thuốc bảo vệ thực vật và kim loại nặng ở Gia Lai được quan trắc mấy đợt mỗi năm?",
        FREQUENCY,
    )
    assert ans.answer == (
        "Thuốc bảo vệ thực vật (nhóm Photpho hữu cơ) và kim loại nặng (Cd, Hg, As và Pb); tần suất quan "
        "trắc: 03 đợt/năm. [1] — Kế hoạch 74/KH-UBND (Gia Lai)."
    )
    assert ans.citations[0].passage_id == FREQUENCY.id


def test_a_cited_document_named_by_number_is_dated_where_cited_not_on_the_card(cat, idf):
    q, ans = ask(
        cat,
        idf,
        "Công văn 8935/BNV-CTTN&BĐG của Bộ Nội vụ, được kế hoạch 75 viện dẫn, ban hành ngày nào?",
        SHOW_META,
        BASIS,
    )
    assert "ngày 03 tháng 10 năm 2025" in ans.answer and "20 tháng 11" not in ans.answer
    assert ans.citations[0].passage_id == BASIS.id


def test_the_plans_own_date_is_still_its_card(cat, idf):
    _, ans = ask(cat, idf, "Kế hoạch 75 ban hành ngày nào?", BASIS, SHOW_META)
    assert "20 tháng 11 năm 2025" in ans.answer


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("Công ty cổ phần Giống Tôm Ngọc gửi văn bản đề nghị vào ngày nào?", True),
        ("Tờ trình của Sở Tài chính đề ngày nào?", True),
        ("Các đơn vị gửi văn bản báo cáo trước ngày nào?", False),  # a deadline
        ("Kế hoạch 74 ban hành ngày nào?", False),  # the plan itself: its card
        # a document the plan implements, an event of its schedule: no cited document's date
        ("Theo kế hoạch Chỉ thị 11, nhiệm vụ quán triệt Chỉ thị phải xong khi nào?", False),
        ("Quyết định kiểm tra Công ty X được công bố ngày nào?", False),
    ],
)
def test_the_date_of_a_document_named_by_kind_or_sender(question, asks):
    assert asks_document_date(fold(question)) is asks


def test_a_document_named_by_its_sender_is_dated_where_cited(cat, idf):
    _, ans = ask(cat, idf, "Công ty cổ phần Giống Tôm Ngọc gửi văn bản đề nghị vào ngày nào?", REQUEST)
    assert ans.answer.startswith("Công ty cổ phần Giống Tôm Ngọc tại Văn bản số 30.6/GĐN-GTN ngày 30/6/2025.")
    assert ans.citations[0].passage_id == REQUEST.id


@pytest.mark.parametrize(
    ("units", "trimmed"),
    [
        (["Công ty cổ phần Đá quý và Vàng gửi văn bản"], ["Công ty cổ phần Đá quý và Vàng"]),
        # a name that ends in capitals, or one typed in lower case, is kept whole
        (["Công ty cổ phần xây dựng giao thông Yên Bái"], ["Công ty cổ phần xây dựng giao thông Yên Bái"]),
        (["Công ty TNHH xây dựng Minh Anh"], ["Công ty TNHH xây dựng Minh Anh"]),
        (["cong ty co phan da quy va vang gui van ban"], ["cong ty co phan da quy va vang gui van ban"]),
        (["Sở Công Thương"], ["Sở Công Thương"]),
    ],
)
def test_an_enterprise_name_ends_with_its_proper_name(units, trimmed):
    assert trim_firm_names(units) == trimmed


ZONES_ROW = _p(
    "w-zones",
    WATCH,
    ("PHỤ LỤC", "III. GIẢI PHÁP CHUYỂN ĐỔI CÔNG NGHỆ"),
    "Phối hợp triển khai đề án hỗ trợ đổi mới công nghệ, ứng dụng công nghệ số trong các khu công nghiệp. "
    "| THỜI GIAN: 2025 - 2035",
    "table_row",
)
TOURISM_ROW = _p(
    "w-tourism",
    WATCH,
    ("PHỤ LỤC", "III. GIẢI PHÁP CHUYỂN ĐỔI CÔNG NGHỆ"),
    "Ứng dụng công nghệ số trong quản lý, quảng bá và phát triển du lịch thông minh; hỗ trợ dịch vụ số hóa. "
    "| THỜI GIAN: 2025 - 2030",
    "table_row",
)


def test_a_rows_time_cell_dates_each_sentence_of_its_task_cell(cat, idf):
    # the asked task is the first sentence of its row; the time cell stands after the second
    _, ans = ask(
        cat,
        idf,
        "Theo phụ lục kế hoạch 74, việc ứng dụng công nghệ số phát triển du lịch thông minh thực hiện trong "
        "thời gian nào?",
        ZONES_ROW,
        TOURISM_ROW,
    )
    assert ans.answer.startswith("THỜI GIAN: 2025 - 2030 [1]")
    assert ans.citations[0].passage_id == TOURISM_ROW.id


def _answer(text: str, quote: str) -> Answer:
    cite = Citation(n=1, passage_id="x", doc=WATCH, title="", section="", text=quote, quote=quote, score=1.0)
    return Answer(question="", answer=text, intent="fact", citations=[cite])


@pytest.mark.parametrize(
    ("question", "quote", "unfilled"),
    [
        # the topic without the figure counted: another question's answer
        (
            "Theo kế hoạch 74, bếp ăn cộng đồng phải cấp bao nhiêu suất cơm mỗi ngày?",
            "Tổ chức bếp ăn cộng đồng tại các điểm sơ tán, cấp cơm nóng, thức ăn chín;",
            True,
        ),
        (
            "Theo kế hoạch 74, bếp ăn cộng đồng phải cấp bao nhiêu suất cơm mỗi ngày?",
            "Mỗi bếp ăn cộng đồng cấp 500 suất cơm mỗi ngày.",
            False,
        ),
        ("Theo kế hoạch 74, tỷ lệ hộ nghèo giảm bao nhiêu phần trăm?", "Giảm tỷ lệ hộ nghèo hằng năm.", True),
        (
            "Theo kế hoạch 74, tỷ lệ hộ nghèo giảm bao nhiêu phần trăm?",
            "Tỷ lệ hộ nghèo giảm 1,5%/năm.",
            False,
        ),
        # no figure asked: the passages may stand in
        (
            "Theo kế hoạch 74, bếp ăn cộng đồng được tổ chức ở đâu?",
            "Tổ chức bếp ăn cộng đồng tại các điểm sơ tán;",
            False,
        ),
    ],
)
def test_a_figure_asked_is_in_the_answer_or_the_passages_do_not_stand_in(cat, question, quote, unfilled):
    q = parse_question(question, cat)
    assert figure_unfilled(q, _answer(f"{quote} [1] — Kế hoạch 74/KH-UBND (Gia Lai).", quote)) is unfilled


@pytest.mark.parametrize(
    ("folded", "fact", "numbers"),
    [
        # a kind of document written with its number, the issue date asked: a document cited
        ("thong tu 56/2025/tt-btc ma gia lai can cu ban hanh ngay nao?", "date", ["56"]),
        ("theo                , chi thi 27 duoc ban hanh ngay nao?", "date", ["27"]),
        # the document the plan implements names the plan (its trích yếu)
        ("ke hoach trien khai chi thi 11 ban hanh ngay nao?", "date", []),
        # a deadline asked beside a document the task implements: that task's time, not the document's
        ("nhiem vu trien khai chi thi 27 phai xong khi nao?", "deadline", []),
        ("cong van so 8935/bnv-cttn&bdg ban hanh ngay nao?", "date", ["8935"]),
    ],
)
def test_the_documents_a_question_names_that_are_no_loaded_plan(folded, fact, numbers):
    assert other_documents(folded, fact) == numbers


def test_a_cited_circular_asked_with_the_plans_province_is_dated_where_cited(cat, idf):
    basis = _p(
        "w-basis",
        WATCH,
        (),
        "Căn cứ Thông tư số 56/2025/TT-BTC ngày 25/6/2025 của Bộ Tài chính hướng dẫn quan trắc môi trường.",
    )
    _, ans = ask(
        cat,
        idf,
        "Thông tư 56/2025/TT-BTC mà kế hoạch quan trắc của Gia Lai căn cứ ban hành ngày nào?",
        WATCH_META,
        basis,
    )
    assert ans.answer.startswith("Căn cứ Thông tư số 56/2025/TT-BTC ngày 25/6/2025")


def test_a_figure_ranked_past_the_first_six_passages_still_answers(cat, idf):
    fillers = [
        _p(
            f"w-f{i}",
            WATCH,
            (),
            f"Đánh giá thiệt hại do mưa lũ tại khu vực {name}; hỗ trợ Nhân dân khắc phục.",
        )
        for i, name in enumerate(("phía Đông", "phía Tây", "ven sông", "giáp ranh", "thấp trũng", "ven biển"))
    ]
    loss = _p(
        "w-loss", WATCH, (), "Tổng thiệt hại do mưa lũ ước trên 4.500 tỷ đồng (chưa kể tài sản trong dân)."
    )
    _, ans = ask(cat, idf, "Tổng thiệt hại do mưa lũ theo kế hoạch 74 ước tính bao nhiêu?", *fillers, loss)
    assert ans.answer.startswith("Tổng thiệt hại do mưa lũ ước trên 4.500 tỷ đồng")
    assert ans.citations[0].passage_id == loss.id
