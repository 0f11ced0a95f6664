"""What a question names that its plan never writes (``answer.absence``): the features that tell an
unanswerable question (another year, a project or unit the plan never names, a figure it never
gives) from its answerable twin, on tiny inline plans."""

from __future__ import annotations

import pytest
from _inline import hits

from assistant.answer.absence import build_vocabulary, question_pairs
from assistant.answer.common import AnswerContext, Evidence
from assistant.answer.confidence import features
from assistant.answer.evidence import Idf
from assistant.query import Catalog, parse_question
from assistant.records import Answer, Citation, DocMeta, Passage

DOCS = {
    "so.txt": DocMeta(
        doc="so.txt",
        title="KẾ HOẠCH Chuyển đổi số trong quản lý hạ tầng giao thông giai đoạn 2026 - 2030",
        number="59/KH-UBND",
        doc_type="Kế hoạch",
        issuer="Ủy ban nhân dân tỉnh Đồng Tháp",
        province="Đồng Tháp",
        date="2025-11-20",
    ),
    "yte.txt": DocMeta(
        doc="yte.txt",
        title="KẾ HOẠCH Phòng, chống dịch bệnh sau lũ năm 2025",
        number="13/KH-UBND",
        doc_type="Kế hoạch",
        province="Đắk Lắk",
        date="2025-11-21",
    ),
}
GOAL = Passage(
    id="so-goal",
    doc="so.txt",
    kind="article",
    section=("II. MỤC TIÊU", "2. Mục tiêu cụ thể đến năm 2030"),
    text="Phấn đấu 100% thủ tục hành chính lĩnh vực giao thông được cung cấp dịch vụ công trực tuyến.",
)
POLICE = Passage(
    id="so-ca",
    doc="so.txt",
    kind="article",
    section=("V. TỔ CHỨC THỰC HIỆN", "5. Công an tỉnh"),
    lead=("Công an tỉnh",),
    text="Chủ trì triển khai ứng dụng công nghệ số trong giám sát, xử lý vi phạm trật tự an toàn giao thông.",
)
FINANCE = Passage(
    id="so-tc",
    doc="so.txt",
    kind="article",
    section=("V. TỔ CHỨC THỰC HIỆN", "3. Sở Tài chính"),
    lead=("Sở Tài chính",),
    text="Phân bổ ngân sách hợp lý cho các dự án ứng dụng công nghệ số trong quản lý hạ tầng giao thông.",
)
# another plan of the collection: it names "Sở Giáo dục và Đào tạo", which the first never does
HEALTH = Passage(
    id="yt-1",
    doc="yte.txt",
    kind="article",
    section=("IV. NỘI DUNG",),
    lead=("Sở Y tế",),
    partners=("Sở Giáo dục và Đào tạo",),
    text="Phối hợp với ngành giáo dục xử lý vệ sinh trường lớp; cấp Oresol cho trạm y tế xã.",
)
ALL = [GOAL, POLICE, FINANCE, HEALTH]


@pytest.fixture(scope="module")
def cat() -> Catalog:
    return Catalog.build(DOCS, ALL)


def _x(
    question: str, cat: Catalog, cited: Passage, quote: str | None = None, plans: list[Passage] = ALL
) -> dict[str, float]:
    ctx = AnswerContext(
        parse_question(question, cat),
        Evidence(hits=hits(cited, *(p for p in plans if p is not cited))),
        DOCS,
        Idf.build(p.text for p in plans),
        vocabulary=build_vocabulary(plans, DOCS),
    )
    c = Citation(
        n=1,
        passage_id=cited.id,
        doc=cited.doc,
        title="",
        section="",
        text=cited.text,
        quote=cited.text if quote is None else quote,
        score=0.9,
    )
    ans = Answer(question=question, answer="…", citations=[c])
    return features(ctx, "fact", ans, ans)


def test_a_year_the_plan_never_writes_is_missing_and_one_inside_its_period_is_not(cat):
    far = _x(
        "Đến năm 2035 bao nhiêu phần trăm thủ tục hành chính giao thông được cung cấp trực tuyến?", cat, GOAL
    )
    near = _x(
        "Đến năm 2030 bao nhiêu phần trăm thủ tục hành chính giao thông được cung cấp trực tuyến?", cat, GOAL
    )
    inside = _x(
        "Năm 2027 bao nhiêu phần trăm thủ tục hành chính giao thông được cung cấp trực tuyến?", cat, GOAL
    )
    assert far["year_missing_plan"] == far["year_outside_period"] == 1.0
    assert near["year_missing_plan"] == inside["year_missing_plan"] == 0.0
    assert near["year_outside_period"] == inside["year_outside_period"] == 0.0


def test_a_unit_the_plan_never_names_is_a_missing_phrase_its_twin_is_not(cat):
    # "giáo dục" is a phrase of the collection (the other plan writes it), never of this plan
    absent = _x("Kế hoạch 59 giao Sở Giáo dục và Đào tạo nhiệm vụ gì?", cat, FINANCE)
    twin = _x("Kế hoạch 59 giao Sở Tài chính nhiệm vụ gì?", cat, FINANCE)
    assert absent["pairs_missing_plan"] > 0.0 and absent["terms_missing_plan"] > 0.0
    assert absent["unit_missing_plan"] == 1.0
    assert twin["number_missing_plan"] == 0.0  # "kế hoạch 59" names the plan: no figure asked
    assert twin["pairs_missing_plan"] == twin["terms_missing_plan"] == twin["unit_missing_plan"] == 0.0


def test_a_project_the_plan_never_names_is_missing_terms_without_diacritics_too(cat):
    twin = "đơn vị nào chủ trì ứng dụng công nghệ số trong xử lý vi phạm trật tự an toàn giao thông"
    absent = "đơn vị nào chủ trì đầu tư trạm sạc xe điện trên các tuyến giao thông"
    for q in (absent, "don vi nao chu tri dau tu tram sac xe dien tren cac tuyen giao thong"):
        assert _x(q, cat, POLICE)["terms_missing_plan"] > 0.3
    assert _x(twin, cat, POLICE)["terms_missing_plan"] == 0.0


def test_an_asked_amount_or_time_the_quote_does_not_give_is_a_missing_slot(cat):
    money = _x("Kế hoạch 59 bố trí bao nhiêu tỷ đồng cho số hóa hạ tầng giao thông?", cat, FINANCE)
    figure = _x("Bao nhiêu phần trăm thủ tục hành chính giao thông được cung cấp trực tuyến?", cat, GOAL)
    when = _x("Sở Tài chính phải phân bổ ngân sách trước ngày nào?", cat, FINANCE)
    assert money["slot_missing"] == 1.0 and when["slot_missing"] == 1.0
    assert figure["slot_missing"] == 0.0  # "100%" is in the quote


def test_question_pairs_stop_at_question_words_and_stopwords():
    assert question_pairs("Sở nào chủ trì xây dựng trạm sạc xe điện?") == [
        "xay dung",
        "dung tram",
        "tram sac",
        "sac xe",
        "xe dien",
    ]
    assert "bao nhieu" not in " ".join(question_pairs("Có bao nhiêu điểm quan trắc?"))


def test_months_are_read_as_a_plan_dates_them():
    from assistant.answer.absence import months_in

    assert months_in("Thời gian: ngày 06/7/2026; báo cáo trước ngày 15/11 hằng năm") == {(7, 2026), (11, 0)}
    assert months_in("từ tháng 6 đến tháng 8 năm 2026") == {(6, 2026), (7, 2026), (8, 2026)}
    assert months_in("thang 9/2026") == months_in("tháng 9 năm 2026") == {(9, 2026)}
    assert months_in("Nghị quyết số 02/2025/NQ-HĐND") == set()  # a document number, no month


def test_a_month_the_plan_dates_nothing_in_is_missing(cat):
    dated = Passage(
        id="so-time",
        doc="so.txt",
        kind="article",
        section=("IV. THỜI GIAN",),
        text="Tổ chức hội nghị triển khai ngày 06/7/2026 tại trụ sở Sở Xây dựng.",
    )
    plans = [*ALL, dated]
    q_far = "Hội nghị triển khai chuyển đổi số giao thông tháng 9/2026 tổ chức ở đâu?"
    q_near = "Hội nghị triển khai chuyển đổi số giao thông tháng 7/2026 tổ chức ở đâu?"
    got = {q: _x(q, cat, dated, plans=plans) for q in (q_far, q_near)}
    assert got[q_far]["month_missing_plan"] == 1.0
    assert got[q_near]["month_missing_plan"] == 0.0


def test_a_task_the_cited_row_never_names_is_a_missing_cited_phrase(cat):
    # the plan writes the task, in another unit's row: the answer citing the police row names no such task
    q = "Đơn vị nào chủ trì phân bổ ngân sách cho các dự án ứng dụng công nghệ số?"
    wrong, right = _x(q, cat, POLICE), _x(q, cat, FINANCE)
    assert wrong["pairs_missing_cited"] >= 0.5
    assert right["pairs_missing_cited"] == 0.0
    assert wrong["pairs_missing_plan"] == right["pairs_missing_plan"] == 0.0  # the plan does write it


def test_the_words_naming_the_plan_are_no_missing_cited_phrase(cat):
    # another plan writes the province and its people's committee, so they are phrases of the
    # collection; the plan asked names them in its header only, never in the row cited
    helper = Passage(
        id="yt-2",
        doc="yte.txt",
        kind="article",
        section=("IV. NỘI DUNG",),
        text="Phối hợp với Ủy ban nhân dân tỉnh Đồng Tháp vận chuyển thuốc cho các xã vùng lũ.",
    )
    plans = [*ALL, helper]
    named = "Ủy ban nhân dân tỉnh Đồng Tháp giao đơn vị nào chủ trì phân bổ ngân sách cho các dự án ứng dụng công nghệ số?"
    right, wrong = _x(named, cat, FINANCE, plans=plans), _x(named, cat, POLICE, plans=plans)
    assert right["pairs_missing_cited"] == right["pairs_missing_plan"] == 0.0
    assert wrong["pairs_missing_cited"] >= 0.5  # the task asked is still not in the police row
    # without diacritics, and the plan named by kind and number
    plain = "ke hoach 59 tinh dong thap giao don vi nao chu tri phan bo ngan sach cho cac du an ung dung cong nghe so"
    assert _x(plain, cat, FINANCE, plans=plans)["pairs_missing_cited"] == 0.0


def test_the_month_the_plan_was_issued_in_is_a_month_it_dates(cat):
    # the header card dates the plan 20/11/2025 (ISO in the card, no date line in the passages)
    q = "Kế hoạch ban hành tháng 11/2025 giao Sở Tài chính nhiệm vụ gì?"
    assert _x(q, cat, FINANCE)["month_missing_plan"] == 0.0
    assert _x(q.replace("11/2025", "3/2025"), cat, FINANCE)["month_missing_plan"] == 1.0


def _answer(question: str, quote: str) -> Answer:
    c = Citation(n=1, passage_id="p", doc="so.txt", title="", section="", text=quote, quote=quote, score=0.9)
    return Answer(question=question, answer=quote, citations=[c])


def test_a_date_line_or_a_cited_documents_date_is_no_time_given(cat):
    from assistant.answer.absence import slot_missing

    q = parse_question("Hạn chót hoàn thành đánh giá hiện trạng hạ tầng giao thông là khi nào?", cat)
    # the plan's own place-and-date line and a cited document's date do not fill the time asked
    assert (
        slot_missing(q, _answer(q.text, "Tỉnh Q, ngày 20 tháng 11 năm 2025\nKẾ HOẠCH Đánh giá hạ tầng"))
        == 1.0
    )
    cited = "Thực hiện Kế hoạch số 12/KH-UBND ngày 05/3/2025 của UBND tỉnh về đánh giá hạ tầng."
    assert slot_missing(q, _answer(q.text, cited)) == 1.0
    assert slot_missing(q, _answer(q.text, "Hoàn thành đánh giá hiện trạng trước ngày 30/6/2026.")) == 0.0


def test_the_start_of_a_span_is_no_end_given(cat):
    from assistant.answer.absence import slot_missing

    start = "Đợt 1: Từ 13h30’ ngày 02/6/2026 (Thứ Ba)."
    end = parse_question("Đợt 1 kiểm tra kết thúc lúc mấy giờ?", cat)
    begin = parse_question("dot 1 kiem tra bat dau luc may gio", cat)
    assert slot_missing(end, _answer(end.text, start)) == 1.0
    assert slot_missing(begin, _answer(begin.text, start)) == 0.0
    assert slot_missing(end, _answer(end.text, "Đợt 1: Từ 13h30’ đến 17h00 ngày 02/6/2026.")) == 0.0


def test_a_question_in_the_titles_words_keeps_them_in_its_share(cat):
    # asked in the plan's title words plus one phrase no passage cited writes ("kéo dài", written
    # by another plan): that one phrase is missing among all the phrases asked, not alone
    other = Passage(id="yt-3", doc="yte.txt", kind="article", text="Đợt cao điểm kéo dài đến hết tháng 12.")
    q = "Kế hoạch chuyển đổi số trong quản lý hạ tầng giao thông kéo dài đến năm nào?"
    x = _x(q, cat, GOAL, plans=[*ALL, other])
    assert 0.0 < x["pairs_missing_cited"] < 0.5


def test_a_citation_marker_is_no_figure_given(cat):
    # the best passages quoted as the answer: "… [1] — Kế hoạch 59/KH-UBND (Đồng Tháp)."; the
    # marker's "1" is the answer's own reference to its source, not a figure of the plan
    from assistant.answer.absence import slot_missing
    from assistant.answer.extractive import compose_passages

    def answered(question: str, cited: Passage) -> tuple[Answer, dict[str, float]]:
        ctx = AnswerContext(
            parse_question(question, cat),
            Evidence(hits=hits(cited)),
            DOCS,
            Idf.build(p.text for p in ALL),
            vocabulary=build_vocabulary(ALL, DOCS),
        )
        ans = compose_passages(ctx)
        assert ans is not None
        return ans, features(ctx, "passages", None, ans)

    asked = "Công an tỉnh triển khai bao nhiêu ứng dụng công nghệ số trong giám sát vi phạm giao thông?"
    how_many, x = answered(asked, POLICE)
    assert "[1]" in how_many.answer and not any(ch.isdigit() for ch in POLICE.text)
    assert x["slot_missing"] == 1.0
    _, when = answered("Công an tỉnh triển khai ứng dụng công nghệ số trong giám sát khi nào?", POLICE)
    assert when["slot_missing"] == 1.0
    # the answerable twin: the figure asked is in the quote
    _, share = answered("Bao nhiêu phần trăm thủ tục hành chính giao thông được cung cấp trực tuyến?", GOAL)
    assert share["slot_missing"] == 0.0
    # a model's answer cites two passages in one marker
    q = parse_question("Công an tỉnh triển khai bao nhiêu ứng dụng công nghệ số?", cat)
    assert slot_missing(q, _answer(q.text, "Chủ trì triển khai ứng dụng công nghệ số [1, 2].")) == 1.0


def test_a_year_asked_that_the_cited_figure_covers_only_inside_a_period(cat):
    # "03 năm 2026 - 2028": a figure for the period, not the one of a year inside it
    period = Passage(
        id="so-kp",
        doc="so.txt",
        kind="article",
        section=("IV. KINH PHÍ THỰC HIỆN",),
        text="Tổng kinh phí chuyển đổi số hạ tầng giao thông 03 năm 2026 - 2028 khoảng 120 tỷ đồng.",
    )
    yearly = Passage(
        id="so-kp26",
        doc="so.txt",
        kind="article",
        section=("IV. KINH PHÍ THỰC HIỆN",),
        text="Kinh phí chuyển đổi số hạ tầng giao thông năm 2027 khoảng 40 tỷ đồng.",
    )
    plans = [*ALL, period, yearly]
    q = "Kinh phí chuyển đổi số hạ tầng giao thông năm 2027 là bao nhiêu tỷ đồng?"
    assert _x(q, cat, period, plans=plans)["year_in_period_cited"] == 1.0
    assert _x(q, cat, yearly, plans=plans)["year_in_period_cited"] == 0.0
    # the period asked is what the passage gives; and a question asking no figure is not read
    whole = "Tổng kinh phí chuyển đổi số hạ tầng giao thông 03 năm 2026 - 2028 là bao nhiêu?"
    assert _x(whole, cat, period, plans=plans)["year_in_period_cited"] == 0.0
    who = "Năm 2027 đơn vị nào chủ trì chuyển đổi số hạ tầng giao thông?"
    assert _x(who, cat, period, plans=plans)["year_in_period_cited"] == 0.0
