"""The slot asked is answered from the evidence (issue 12, class 2), on a tiny inline plan of a
UBND tỉnh: the plan's own issue date against the date of a document its "Căn cứ" preamble cites
(named by its issuer, not its number) and against a deadline the plan sets for the documents of
the bodies it addresses."""

from __future__ import annotations

import pytest
from _inline import article as _p
from _inline import hits, plan_fixtures

from assistant.answer.common import Evidence
from assistant.answer.meta import asks_cited_or_owed
from assistant.answer.registry import compose
from assistant.query import parse_question
from assistant.records import DocMeta, Passage
from assistant.textnorm import fold

PLAN = "quang-tri-88.md"
DOCS = {
    PLAN: DocMeta(
        doc=PLAN,
        title="Tài chính - ngân sách nhà nước 03 năm 2026 - 2028 tỉnh Quảng Trị",
        number="88/KH-UBND",
        doc_type="Kế hoạch",
        issuer="Ủy ban nhân dân tỉnh Quảng Trị",
        province="Quảng Trị",
        date="2025-11-24",
        date_text="ngày 24 tháng 11 năm 2025",
        signer="Lê Văn Ba",
    ),
}
META = _p(
    "m", PLAN, (), "Kế hoạch số 88/KH-UBND ngày 24/11/2025 của Ủy ban nhân dân tỉnh Quảng Trị.", "metadata"
)
BASIS = _p(
    "basis",
    PLAN,
    (),
    "Căn cứ Nghị định số 45/2017/NĐ-CP ngày 21/4/2017 của Chính phủ quy định chi tiết lập kế hoạch tài "
    "chính 05 năm;\nCăn cứ Thông tư số 56/2025/TT-BTC ngày 25/6/2025 của Bộ Tài chính hướng dẫn xây dựng "
    "dự toán ngân sách nhà nước năm 2026;",
)
OWED = _p(
    "owed",
    PLAN,
    ("IV. TỔ CHỨC THỰC HIỆN",),
    "1. Các sở, ban, ngành, địa phương xây dựng kế hoạch triển khai thực hiện phù hợp với chức năng, "
    "nhiệm vụ của từng cơ quan, đơn vị xong trong tháng 12/2025. Định kỳ báo cáo UBND tỉnh (qua Sở "
    "Tài chính) kết quả thực hiện hằng năm (trước ngày 15 tháng 11).",
)
# the other passages of the plan: "ban hành", "chậm nhất", "thời điểm" are words plans write often
GUIDE = _p(
    "guide",
    PLAN,
    ("IV. TỔ CHỨC THỰC HIỆN",),
    "2. Sở Tài chính tham mưu UBND tỉnh ban hành văn bản hướng dẫn; chậm nhất tại thời điểm giao dự "
    "toán, các đơn vị ban hành quyết định phân bổ của mình.",
)
REVIEW = _p(
    "review",
    PLAN,
    ("IV. TỔ CHỨC THỰC HIỆN",),
    "3. Các cơ quan rà soát các văn bản đã ban hành, báo cáo chậm nhất tại thời điểm tổng kết năm.",
)
ALL = [META, BASIS, OWED, GUIDE, REVIEW]

cat, idf = plan_fixtures(DOCS, ALL)


def ask(cat, idf, question: str, *ps: Passage):
    q = parse_question(question, cat)
    return compose(q, Evidence(hits=hits(*ps), metadata={PLAN: META}), DOCS, idf=idf)


@pytest.mark.parametrize(
    "question, cited",
    [
        (
            "Văn bản hướng dẫn dự toán năm 2026 mà kế hoạch căn cứ vào được Bộ Tài chính ban hành ngày nào?",
            True,
        ),
        ("Thông tư hướng dẫn dự toán do Bộ Tài chính ban hành ngày nào?", True),
        ("Các địa phương phải ban hành kế hoạch triển khai chậm nhất khi nào?", True),
        ("Kế hoạch tài chính 3 năm của Quảng Trị ban hành ngày nào?", False),
        ("Kế hoạch của Bộ Tài chính ban hành ngày nào?", False),  # no other document named
    ],
)
def test_a_cited_or_owed_date_is_told_from_the_plans_own(question, cited):
    assert asks_cited_or_owed(fold(question)) is cited


def test_a_document_issued_by_a_ministry_is_dated_where_the_preamble_cites_it(cat, idf):
    ans = ask(
        cat,
        idf,
        "Văn bản hướng dẫn lập dự toán ngân sách năm 2026 mà kế hoạch tài chính Quảng Trị căn cứ vào được "
        "Bộ Tài chính ban hành ngày nào?",
        META,
        BASIS,
        OWED,
    )
    assert ans.answer.startswith("Căn cứ Thông tư số 56/2025/TT-BTC ngày 25/6/2025 của Bộ Tài chính")
    assert ans.citations[0].passage_id == BASIS.id


def test_a_deadline_for_the_addressees_plans_is_not_the_plans_issue_date(cat, idf):
    ans = ask(
        cat,
        idf,
        "Các cơ quan, địa phương Quảng Trị phải ban hành kế hoạch triển khai của mình chậm nhất vào thời điểm nào?",
        OWED,
        BASIS,
    )
    assert "xong trong tháng 12/2025" in ans.answer
    assert "24 tháng 11 năm 2025" not in ans.answer


def test_the_plans_own_issue_date_is_still_read_from_its_card(cat, idf):
    ans = ask(cat, idf, "Kế hoạch 88 của Quảng Trị ban hành ngày nào?", BASIS, OWED)
    assert "24 tháng 11 năm 2025" in ans.answer


def test_hom_nao_asks_the_day(cat):
    # "hôm nào" is the spoken "ngày nào": a time is asked, not a passage on the topic
    q = parse_question("Buổi tổng kết thực hiện kế hoạch tài chính của Quảng Trị tổ chức hôm nào?", cat)
    assert q.fact in ("date", "deadline")


# a financial plan heads its review of the past year and its forecast apart; the items under each
# write no year of their own (Cà Mau 0204/KH-UBND is written so)
REVIEW_2025 = _p(
    "rev25",
    PLAN,
    ("I. TÌNH HÌNH THỰC HIỆN NHIỆM VỤ KINH TẾ - XÃ HỘI NĂM 2025", "1. Đánh giá tình hình năm 2025"),
    "- Đẩy mạnh công tác giải quyết việc làm, đưa người lao động đi làm việc ở nước ngoài, giải quyết "
    "việc làm cho 62.000 lao động, đạt 105,1% kế hoạch.",
)
FORECAST_2026 = _p(
    "fc26",
    PLAN,
    ("II. DỰ BÁO CÁC CHỈ TIÊU KINH TẾ - XÃ HỘI 03 NĂM 2026 - 2028", "1. Dự báo các chỉ tiêu đến năm 2026"),
    "1. Dự báo các chỉ tiêu kinh tế - xã hội đến năm 2026, mục tiêu đạt được\n- Tổng vốn đầu tư xã hội đạt "
    "khoảng 270.000 tỷ đồng.\n- Giải quyết việc làm cho khoảng 59.000 người.",
)
SITES = _p(
    "sites",
    PLAN,
    ("II. NỘI DUNG", "b. Địa điểm, số điểm quan trắc"),
    "b. Địa điểm, số điểm quan trắc\n- Địa điểm quan trắc: Vùng nuôi tôm hùm lồng, bè thuộc đầm Cù Mông.\n"
    "- Số điểm quan trắc: 03 điểm; mỗi điểm thu mẫu theo 02 tầng nước.",
)


def test_a_figure_of_the_year_asked_is_read_under_the_heading_of_that_year(cat, idf):
    ans = ask(
        cat,
        idf,
        "Quảng Trị đặt mục tiêu năm 2026 tạo công ăn việc làm cho bao nhiêu lao động?",
        REVIEW_2025,
        FORECAST_2026,
    )
    assert ans.answer.startswith("Giải quyết việc làm cho khoảng 59.000 người.")
    assert ans.citations[0].passage_id == FORECAST_2026.id


def test_a_count_of_sites_is_written_in_diem(cat, idf):
    ans = ask(cat, idf, "Ở vùng nuôi tôm hùm lồng bè, Quảng Trị lấy mẫu quan trắc tại mấy vị trí?", SITES)
    assert ans.answer.startswith("Số điểm quan trắc: 03 điểm;")


def test_dated_elsewhere_reads_the_headings_years():
    from assistant.answer.numbers import dated_elsewhere

    heads = ("II. DỰ BÁO … 03 NĂM 2026 - 2028",)
    assert not dated_elsewhere("nam 2027 bao nhieu", heads, "Đạt khoảng 11.400 doanh nghiệp.")
    assert dated_elsewhere("nam 2025 bao nhieu", heads, "Đạt khoảng 11.400 doanh nghiệp.")
    assert not dated_elsewhere("nam 2025 bao nhieu", heads, "Năm 2025 đạt 10.000 doanh nghiệp.")
    assert not dated_elsewhere("bao nhieu doanh nghiep", heads, "Đạt khoảng 11.400 doanh nghiệp.")


ROUNDS = _p(
    "rounds",
    PLAN,
    ("II. ĐỐI TƯỢNG VÀ THỜI GIAN THI ĐUA", "2. Thời gian thi đua"),
    "a) Thời gian thi đua chia thành\n02 đợt:\n- Đợt 01 dự kiến: Cao điểm tập trung trong 10 ngày làm việc (từ "
    "ngày 20 tháng 11 năm 2025 đến ngày 03 tháng 12 năm 2025);\n- Đợt 02 dự kiến: Thực hiện vét trong 03 "
    "ngày làm việc (từ ngày 08 đến ngày 10 tháng 12 năm 2025).",
)


@pytest.mark.parametrize(
    "question, opening",
    [
        ("Đợt thi đua thứ hai ở Quảng Trị diễn ra những ngày nào?", "Đợt 02 dự kiến"),
        ("Đợt 1 thi đua ở Quảng Trị diễn ra những ngày nào?", "Đợt 01 dự kiến"),
        # "thực hiện" is written in round 2's sentence: the label, not that word, says which round
        ("Đợt 1 thực hiện trong mấy ngày làm việc?", "Đợt 01 dự kiến"),
    ],
)
def test_the_round_asked_by_its_number_is_the_one_labelled_so(cat, idf, question, opening):
    ans = ask(cat, idf, question, ROUNDS)
    assert ans.answer.startswith(opening)


def test_a_weekday_after_a_numbered_round_is_no_ordinal():
    from assistant.answer.ordinals import asked_ordinals

    assert asked_ordinals("luot kiem tra thu hai to chuc hom nao") == {"luot": "2"}
    assert asked_ordinals("dot 1 vao thu hai to chuc o dau") == {"dot": "1"}
    assert asked_ordinals("khai giang vao thu hai") == {}
    assert asked_ordinals("cac lan kiem tra lan luot theo thu tu nao") == {}  # the order, not round 4


POOR = _p(
    "poor",
    PLAN,
    ("II. DỰ BÁO CÁC CHỈ TIÊU KINH TẾ - XÃ HỘI 03 NĂM 2026 - 2028",),
    "- Tổng sản phẩm trong tỉnh (GRDP) tăng khoảng 10%.\n- Tỷ lệ hộ nghèo giảm hàng năm 1%-1,5%.",
)


def test_what_follows_a_preposition_after_bao_nhieu_is_not_what_is_counted(cat, idf):
    from assistant.answer.numbers import anchor_after

    assert anchor_after("ty le ho ngheo giam bao nhieu moi nam theo du bao?") == ["ty le"]
    assert anchor_after("co bao nhieu xa trong ke hoach?") == ["xa"]
    assert anchor_after("bao nhieu cua hang") == ["cua hang"]  # "cửa hàng", no preposition
    ans = ask(cat, idf, "Tỷ lệ hộ nghèo của Quảng Trị giảm bao nhiêu mỗi năm theo dự báo?", POOR)
    assert ans.answer.startswith("Tỷ lệ hộ nghèo giảm hàng năm 1%-1,5%.")


ROUND_1 = _p(
    "round1",
    PLAN,
    ("II. NỘI DUNG", "1. Thời gian, đối tượng kiểm tra", "1.1. Đợt 1"),
    "1.1. Đợt 1: Từ 13h30’ ngày 02/6/2026 (Thứ Ba).\nĐối tượng: Theo danh sách đơn vị đăng ký (100 người), cụ "
    "thể:\n- Chỉ huy nổ mìn: Từ số thứ tự 01 đến số thứ tự 07.\n- Thợ nổ mìn: Từ số thứ tự 01 đến số thứ tự 38.",
)
ROUND_2 = _p(
    "round2",
    PLAN,
    ("II. NỘI DUNG", "1. Thời gian, đối tượng kiểm tra", "1.2. Đợt 2"),
    "1.2. Đợt 2: Từ 13h30’ ngày 03/6/2026 (Thứ Tư).\nĐối tượng: Theo danh sách đơn vị đăng ký (100 người), cụ "
    "thể:\n- Chỉ huy nổ mìn: Từ số thứ tự 08 đến số thứ tự 14.\n- Thợ nổ mìn: Từ số thứ tự 39 đến số thứ tự 76.",
)


def test_an_item_under_a_rounds_label_belongs_to_that_round(cat, idf):
    ans = ask(
        cat, idf, "Đợt 1 ở Quảng Trị kiểm tra thợ nổ mìn từ số thứ tự nào đến số nào?", ROUND_1, ROUND_2
    )
    assert ans.answer.startswith("- Thợ nổ mìn: Từ số thứ tự 01 đến số thứ tự 38.") or ans.answer.startswith(
        "Thợ nổ mìn: Từ số thứ tự 01 đến số thứ tự 38."
    )
    ans = ask(
        cat, idf, "Đợt 2 ở Quảng Trị kiểm tra thợ nổ mìn từ số thứ tự nào đến số nào?", ROUND_1, ROUND_2
    )
    assert "39 đến số thứ tự 76" in ans.answer
