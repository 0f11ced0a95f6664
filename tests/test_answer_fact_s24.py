"""Fact slots that fresh blind questions on the provinces' dev plans missed (session 24, issue 12
class 2), on a tiny inline plan written the way a UBND thành phố writes one: the date a strategy
was approved (the approving decision's, cited in a task's wording) against the task's own time
point, and a frequency asked per month against a cost table's rate per year."""

from __future__ import annotations

import pytest
from _inline import article as _p
from _inline import evidence, hits, plan_fixtures

from assistant.answer.facts import fact_rule
from assistant.answer.numbers import anchor_after, asks_count, number_near, per_period
from assistant.answer.rates import rate_without_figure
from assistant.answer.registry import compose
from assistant.answer.times import asks_document_date, cited_date_in
from assistant.ingest.units import match_unit_in_text
from assistant.query import Intent, parse_question
from assistant.query.catalog import Catalog
from assistant.records import DocMeta
from assistant.textnorm import fold

DATA = "quang-tri-88.md"
DOCS = {
    DATA: DocMeta(
        doc=DATA,
        title="Triển khai thực hiện Nghị quyết về tạo lập dữ liệu và quan trắc môi trường nuôi trồng thủy sản",
        number="88/KH-UBND",
        doc_type="Kế hoạch",
        issuer="Ủy ban nhân dân tỉnh Quảng Trị",
        province="Quảng Trị",
        date="2025-11-10",
        date_text="ngày 10 tháng 11 năm 2025",
        signer="Lê Văn Ba",
    ),
}
META = _p("q-meta", DATA, (), "Kế hoạch số 88/KH-UBND ngày 10/11/2025 của UBND tỉnh Quảng Trị.", "metadata")
ITEM = ("II. NHIỆM VỤ", "1. Hoàn thiện chiến lược dữ liệu")
TASK = _p(
    "q-task",
    DATA,
    (*ITEM, "a)"),
    "a) Nhiệm vụ: Tham mưu UBND tỉnh rà soát, hoàn thiện Chiến lược dữ liệu tỉnh Quảng Trị đến năm 2030 "
    "được UBND tỉnh phê duyệt tại Quyết định số 512/QĐ-UBND ngày 14/3/2025 của UBND tỉnh.",
)
WHO = _p("q-who", DATA, (*ITEM, "b)"), "b) Cơ quan thực hiện: Sở Khoa học và Công nghệ.")
WHEN = _p("q-when", DATA, (*ITEM, "c)"), "c) Thời gian thực hiện: Hoàn thành trong năm 2025.")
FREQUENCY = _p(
    "q-freq",
    DATA,
    ("III. QUAN TRẮC", "1. Tần suất quan trắc"),
    "+ Mẫu nước tại vùng nuôi tôm nước lợ: tháng 3, 4 và tháng 9 đến tháng 11 tần suất quan trắc 02 "
    "đợt/tháng; tháng 5 đến tháng 8 tần suất quan trắc 04 đợt/tháng (26 đợt/năm).",
)
COST_ROW = _p(
    "q-cost",
    DATA,
    ("PHỤ LỤC", "Dự toán kinh phí quan trắc"),
    "Mẫu nước trong ao nuôi tôm: tháng 5 - tháng 8 tần suất 4 đợt/năm (theo đơn giá của Quyết định số "
    "66/2018/QĐ-UBND) | Thành tiền (đồng): 590.542.236",
    "table_row",
)
ALL = [META, TASK, WHO, WHEN, FREQUENCY, COST_ROW]

cat, idf = plan_fixtures(DOCS, ALL)


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("chien luoc du lieu tinh quang tri den nam 2030 duoc ubnd tinh phe duyet ngay nao", True),
        ("Đề án này được phê duyệt ngày nào?", True),
        # still to be done: a task's time, not a cited decision's date
        ("Kế hoạch giám sát phải được phê duyệt vào ngày nào?", False),
        ("Kế hoạch giám sát được phê duyệt trước ngày nào?", False),  # a deadline
        ("UBND xã phê duyệt kế hoạch giám sát khi nào?", False),
    ],
)
def test_the_date_something_was_approved_is_its_decisions(question, asks):
    assert asks_document_date(fold(question)) is asks


def test_an_approval_date_is_the_cited_decisions_not_the_tasks_time_point(cat, idf):
    q = parse_question(
        "Chiến lược dữ liệu tỉnh Quảng Trị đến năm 2030 được UBND tỉnh phê duyệt ngày nào?", cat
    )
    ans = compose(q, evidence(ALL, TASK, WHEN, WHO, metadata={DATA: META}), DOCS, idf=idf)
    assert "ngày 14/3/2025" in ans.answer and "Hoàn thành trong năm 2025" not in ans.answer
    assert ans.citations[0].passage_id == TASK.id


def test_the_tasks_time_point_still_answers_when_it_is_done(cat, idf):
    q = parse_question("Việc hoàn thiện chiến lược dữ liệu tỉnh Quảng Trị phải hoàn thành khi nào?", cat)
    ans = compose(q, evidence(ALL, TASK, WHEN, WHO, metadata={DATA: META}), DOCS, idf=idf)
    assert ans.answer.startswith("Thời gian thực hiện: Hoàn thành trong năm 2025")


@pytest.mark.parametrize(
    ("segment", "answers"),
    [
        ("tháng 5 - tháng 8 tần suất 4 đợt/năm", False),  # a rate per another period
        ("tháng 5 đến tháng 8 tần suất quan trắc 04 đợt/tháng (26 đợt/năm).", True),
        ("Quan trắc 4 đợt trong các tháng mùa nuôi.", True),  # no rate written: left to the count
    ],
)
def test_a_frequency_asked_per_month_needs_a_rate_per_month(segment, answers):
    asked = fold("Từ tháng 5 đến tháng 8 quan trắc mấy đợt mỗi tháng?")
    assert per_period(asked, lambda s: True)(segment) is answers


def test_how_many_rounds_a_month_is_not_a_cost_rows_rounds_a_year(cat, idf):
    q = parse_question(
        "Từ tháng 5 đến tháng 8, nước ở vùng nuôi tôm tỉnh Quảng Trị được quan trắc mấy đợt mỗi tháng?", cat
    )
    ans = compose(q, evidence(ALL, COST_ROW, FREQUENCY, metadata={DATA: META}), DOCS, idf=idf)
    assert "04 đợt/tháng" in ans.answer and "4 đợt/năm" not in ans.answer
    assert ans.citations[0].passage_id == FREQUENCY.id


@pytest.mark.parametrize(
    ("segment", "answers"),
    [
        ("Quỹ “Vì người nghèo” được 164,3 tỷ đồng.", True),
        ("Thuê dịch vụ tin nhắn: 50.000.000 đồng/năm.", True),
        # a cost table's cell under a column that names the currency
        ("Vùng nuôi tôm hùm lồng bè | Thành tiền (đồng): 24.082.830", True),
        ("Quỹ “Vì người nghèo” hỗ trợ 1.200 hộ nghèo.", False),  # a count, no money
    ],
)
def test_how_much_money_is_an_amount_in_its_currency(segment, answers):
    assert number_near("tien")(segment) is answers


FUND = _p(
    "q-fund",
    DATA,
    ("I. TÌNH HÌNH", "3. Văn hóa - xã hội"),
    "Quỹ Đền ơn đáp nghĩa vận động được 12.375 triệu đồng, vượt 21,3% kế hoạch; Quỹ “Vì người nghèo” được "
    "164,3 tỷ đồng, hỗ trợ 1.200 hộ nghèo.",
)
ECONOMY = _p(
    "q-economy",
    DATA,
    ("I. TÌNH HÌNH", "1. Kinh tế"),
    "GRDP theo giá hiện hành ước đạt 72.033 tỷ đồng, trong đó: khu vực nông, lâm nghiệp và thủy sản chiếm "
    "34,86%, công nghiệp - xây dựng chiếm 24,23% và dịch vụ chiếm 36,49% trong GRDP.",
)
POOR = _p("q-poor", DATA, ("II. MỤC TIÊU",), "Giảm tỷ lệ hộ nghèo của tỉnh hằng năm theo chuẩn mới.")
SCALE = _p(
    "q-scale",
    DATA,
    ("I. TÌNH HÌNH", "2. Hạn chế"),
    "Quy mô nền kinh tế còn nhỏ; tỷ trọng khu vực nông nghiệp trong GRDP của tỉnh còn cao so với bình quân.",
)


def test_a_fund_asked_how_much_money_is_answered_with_its_amount(cat, idf):
    q = parse_question("Quỹ Vì người nghèo của tỉnh Quảng Trị vận động được bao nhiêu tiền?", cat)
    ans = compose(q, evidence([*ALL, FUND], FUND, metadata={DATA: META}), DOCS, idf=idf)
    assert "164,3 tỷ đồng" in ans.answer and not ans.refused


def test_a_share_asked_of_a_whole_is_the_parts_percentage(cat, idf):
    # "X chiếm bao nhiêu phần trăm GRDP": GRDP is the whole; a sentence naming GRDP without a
    # figure is no sign that the asked rate has none
    q = parse_question("Khu vực dịch vụ chiếm bao nhiêu phần trăm GRDP của tỉnh Quảng Trị?", cat)
    ev = evidence([*ALL, ECONOMY, SCALE], ECONOMY, SCALE, metadata={DATA: META})
    assert not rate_without_figure(q, ev.hits, "dịch vụ chiếm 36,49% trong GRDP.")
    ans = compose(q, ev, DOCS, idf=idf)
    assert "36,49%" in ans.answer and not ans.refused
    # a rate named before its owner ("tỷ lệ hộ nghèo của tỉnh") is still that rate
    poor = parse_question("Tỷ lệ hộ nghèo của tỉnh là bao nhiêu?", cat)
    assert rate_without_figure(poor, hits(POOR), "Tỷ lệ lao động qua đào tạo đạt 70%.")


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        (
            "Nhiệm vụ phối hợp với Sở Khoa học và Công nghệ hoàn thiện chiến lược dữ liệu tỉnh Quảng Trị "
            "thực hiện năm nào?",
            Intent.FACT,
        ),
        ("Sở Khoa học và Công nghệ tỉnh Quảng Trị có nhiệm vụ gì?", Intent.UNIT_TASKS),
        ("Nhiệm vụ của Sở Khoa học và Công nghệ tỉnh Quảng Trị phải xong khi nào?", Intent.UNIT_TASKS),
    ],
)
def test_a_task_named_with_its_time_asked_is_a_fact(question, intent):
    units = Catalog.build(DOCS, ALL, unit_matcher=match_unit_in_text)  # units found as the index does
    assert parse_question(question, units).intent is intent


@pytest.mark.parametrize(
    ("question", "counts"),
    [
        ("thoi gian thi dua chi tra tro cap khong dung tien mat chia lam may dot", True),
        ("Mỗi năm tổ chức bao nhiêu lần kiểm tra?", True),
        ("Hạn nộp báo cáo là ngày mấy?", False),  # a day
        ("Hội nghị bắt đầu lúc mấy giờ?", False),  # an hour
        ("Thời gian thực hiện kéo dài bao nhiêu ngày?", False),
    ],
)
def test_a_noun_counted_after_the_ask_word_asks_a_count(question, counts):
    assert asks_count(fold(question)) is counts


ROUNDS = _p(
    "q-rounds",
    DATA,
    ("IV. THỜI GIAN THI ĐUA", "1. Thời gian thi đua"),
    "a) Thời gian thi đua chia thành 02 đợt:\n- Đợt 1: Từ khi ban hành kế hoạch đến hết quý II.\n"
    "- Đợt 2: Từ quý III đến cuối năm.",
)
REVIEW = _p(
    "q-review",
    DATA,
    ("IV. THỜI GIAN THI ĐUA",),
    "b) Thời gian kiểm tra, đánh giá kết quả thi đua trước ngày 31 tháng 12 năm 2026.",
)


def test_how_many_rounds_the_emulation_time_has_is_a_count_not_its_deadline(cat, idf):
    q = parse_question("thoi gian thi dua cua tinh quang tri chia lam may dot", cat)
    ans = compose(q, evidence([*ALL, ROUNDS, REVIEW], REVIEW, ROUNDS, metadata={DATA: META}), DOCS, idf=idf)
    assert "02 đợt" in ans.answer and "31 tháng 12" not in ans.answer


@pytest.mark.parametrize(
    ("question", "segment", "answers"),
    [
        # a spelled-out unit is the symbol the plan writes
        ("Diện tích rừng ngập mặn đạt bao nhiêu héc ta?", "diện tích rừng ngập mặn đạt 1.700 ha.", True),
        ("Diện tích rừng ngập mặn đạt bao nhiêu héc ta?", "trồng mới 1.700 cây ngập mặn.", False),
        # a rate written as its percentage, without the words "tỷ lệ"
        (
            "Tỷ lệ xã, phường bố trí công chức pháp chế là bao nhiêu?",
            "100% các xã, phường bố trí công chức.",
            True,
        ),
        (
            "Tỷ lệ xã, phường bố trí công chức pháp chế là bao nhiêu?",
            "Các xã, phường bố trí 02 công chức.",
            False,
        ),
    ],
)
def test_the_figure_is_written_as_plans_write_it(question, segment, answers):
    f = fold(question)
    assert number_near(anchor_after(f)[0])(segment) is answers


WATER = _p(
    "q-water",
    DATA,
    ("IV. NỘI DUNG", "2. Bảo đảm nước sạch"),
    "- Lấy mẫu xét nghiệm nhanh các nguồn nước: giếng, bể chứa, trạm cấp nước tập trung.\n"
    "- Hỗ trợ tạm thời nước sạch bằng xe téc tại khu vực thiếu nước.",
)
CHEMICALS = _p(
    "q-chem",
    DATA,
    ("IV. NỘI DUNG", "1. Tiêu độc, khử trùng"),
    "- Trung tâm Kiểm soát bệnh tật tỉnh điều phối, cấp hóa chất Cloramin B, Chlorine 70%, máy phun phục vụ "
    "xử lý môi trường.",
)


def test_by_what_means_is_the_thing_written_after_bang(cat, idf):
    # the plan names the means ("bằng xe téc"), not the word "phương tiện" the question asks with
    q = parse_question("Ở Quảng Trị, nước sạch được hỗ trợ tạm thời bằng phương tiện gì?", cat)
    ans = compose(q, evidence([*ALL, WATER], WATER, metadata={DATA: META}), DOCS, idf=idf)
    assert ans.answer.startswith("Hỗ trợ tạm thời nước sạch bằng xe téc")


def test_a_concentration_is_a_percentage_beside_the_substance(cat, idf):
    q = parse_question("Chlorine dùng khử trùng ở Quảng Trị có nồng độ bao nhiêu?", cat)
    ans = compose(q, evidence([*ALL, CHEMICALS], CHEMICALS, metadata={DATA: META}), DOCS, idf=idf)
    assert "Chlorine 70%" in ans.answer and not ans.refused


def _province_plan(name: str) -> str:
    """The text the assistant loads from a development province plan; skipped when absent."""
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    from assistant.ingest.loaders import load_bytes
    from eval.realsuite import data_dir

    path = data_dir() / "vn-provinces" / name
    if not path.is_file():
        pytest.skip(f"the real plans are absent (set REAL_PLANS_DIR): no {path}")
    return load_bytes(path.name, path.read_bytes()).text


def test_real_plans_write_the_values_as_the_rules_expect():
    # Hà Nội 308 (dev): the strategy's approval is dated in the task's wording, the task's own
    # time in a point of its own; Đắk Lắk 0134 (dev): a rate per month beside its yearly sum
    hanoi = " ".join(_province_plan("ha-noi-308-kh-ubnd.md").split())
    approval = hanoi[hanoi.index("được UBND Thành phố phê duyệt tại") :][:120]
    assert cited_date_in(approval) and "28/02/2025" in approval
    asked = fold("chien luoc du lieu thanh pho ha noi den nam 2030 duoc ubnd thanh pho phe duyet ngay nao")
    assert fact_rule(asked, "deadline", [], asked).name == "cited_date"
    daklak = " ".join(_province_plan("dak-lak-0134-kh-ubnd.md").split())
    rate = daklak[daklak.index("tháng 5 đến tháng 8 tần suất quan trắc") :][:80]
    per_month = per_period(fold("quan trắc mấy đợt mỗi tháng"), lambda s: True)
    assert per_month(rate) and not per_month("tháng 5 - tháng 8 tần suất 4 đợt/năm")
