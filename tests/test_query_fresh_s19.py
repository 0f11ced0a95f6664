"""Classes of the session-19 fresh dev questions (r501–r525, written before the assistant was run
on them): the "Nơi nhận:" list asked by one tier ("những cơ quan trung ương nào"), the budget
section asked with money in plain words ("Tiền để … lấy từ những nguồn nào?"), and the plan's
issuer after its trích yếu followed by "căn cứ" (the plan's legal basis). The parser on strings
and on a catalogue of hand-made headers, then end to end on one tiny inline plan (fake embedder).
"""

from __future__ import annotations

import pytest
from _small import has, inline_assistant

from assistant.answer.common import Evidence
from assistant.answer.evidence import Idf
from assistant.answer.registry import compose
from assistant.query import Catalog
from assistant.query.model import FactKind, Intent, SectionKind
from assistant.query.parse import parse_question
from assistant.query.rules import fact_kind, section_of
from assistant.records import DocMeta, Hit, Passage
from assistant.textnorm import fold

PLAN = """ỦY BAN NHÂN DÂN
TỈNH ĐẮK LẮK

CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc

Số: 0130/KH-UBND

Đắk Lắk, ngày 21 tháng 11 năm 2025

KẾ HOẠCH
Khắc phục môi trường và phòng, chống dịch bệnh truyền nhiễm sau lụt bão

Căn cứ Công điện số 223/CĐ-TTg ngày 20/11/2025 của Thủ tướng Chính phủ về tập trung ứng phó lũ đặc biệt lớn;

I. TỔ CHỨC THỰC HIỆN

1. Sở Tài chính:

Tham mưu nguồn kinh phí, nhằm kịp thời đáp ứng khắc phục môi trường, xử lý dịch bệnh mùa mưa bão.

2. UBND các xã, phường:

Triển khai kế hoạch trên địa bàn; tổ chức tổng vệ sinh môi trường.

II. THANG ĐIỂM THI ĐUA

Xã, phường có tỷ lệ người hưởng trợ cấp nhận tiền trợ cấp không dùng tiền mặt từ 88% trở lên được cộng điểm: Từ 88 - 90% cộng 02 điểm; từ 90-95% cộng 03 điểm; từ 95- dưới 100% cộng 04 điểm; đạt 100% cộng 05 điểm.

III. KINH PHÍ THỰC HIỆN

- Từ ngân sách tỉnh, ngân sách địa phương theo phân cấp.

- Nguồn dự phòng phòng chống thiên tai và dịch bệnh.

- Hỗ trợ từ trung ương, tổ chức quốc tế và các nguồn hợp pháp khác.

Nơi nhận:
- Văn phòng Chính phủ (để b/c);
- Bộ Y tế (để b/c);
- UBND các xã, phường;
- Lưu: VT.

KT. CHỦ TỊCH
PHÓ CHỦ TỊCH

Hồ Thị Nguyên Thảo
"""


@pytest.fixture(scope="module")
def assistant(tmp_path_factory):
    return inline_assistant(tmp_path_factory.mktemp("fresh-s19"), {"dak-lak-0130-kh-ubnd.txt": PLAN})


# --- the parser on strings -----------------------------------------------------------------
@pytest.mark.parametrize(
    "question",
    [
        "Kế hoạch dân số 165 của Cần Thơ được gửi để báo cáo những cơ quan trung ương nào?",
        "Kế hoạch này được gửi tới những đơn vị cấp tỉnh nào?",
        "Kế hoạch được gửi tới cơ quan nào?",  # the plain form still is
    ],
)
def test_one_tier_of_the_recipients_is_asked_of_the_header_card(question):
    assert fact_kind(fold(question)) == FactKind.RECIPIENT


@pytest.mark.parametrize(
    "question",
    [
        "Kế hoạch gửi nội dung nào cho các xã?",  # "nội dung" folds like a place ("nơi")
        "Báo cáo kết quả gửi về cơ quan nào?",  # a report's addressee, a task
    ],
)
def test_what_is_sent_or_a_report_s_addressee_is_no_recipient_of_the_plan(question):
    assert fact_kind(fold(question)) != FactKind.RECIPIENT


@pytest.mark.parametrize(
    "question",
    [
        "Tiền để khắc phục môi trường và phòng, chống dịch bệnh sau lụt bão lấy từ những nguồn nào?",
        "Nguồn tiền thực hiện kế hoạch lấy từ đâu?",
    ],
)
def test_money_in_plain_words_with_its_source_asked_is_the_budget_section(question):
    assert section_of(fold(question)) is SectionKind.BUDGET


@pytest.mark.parametrize(
    "question",
    [
        "Tiền mặt chi trả trợ cấp lấy từ đâu?",
        "Tiền sử dụng đất năm 2025 lấy từ đâu?",
        "Tiền thưởng là bao nhiêu?",
    ],
)
def test_money_a_plan_counts_is_no_budget_section(question):
    assert section_of(fold(question)) is None


def _catalog() -> Catalog:
    docs = {
        "dl.txt": DocMeta(
            doc="dl.txt",
            number="0129/KH-UBND",
            doc_type="Kế hoạch",
            province="Đắk Lắk",
            issuer="ỦY BAN NHÂN DÂN TỈNH ĐẮK LẮK",
            title="V/v hỗ trợ nhu yếu phẩm khẩn cấp cho Nhân dân bị ảnh hưởng mưa lũ trên địa bàn tỉnh Đắk Lắk",
            date="2025-11-21",
        ),
    }
    return Catalog.build(docs, [], aliases={"Ủy ban nhân dân tỉnh": [], "Sở Công Thương": []})


@pytest.mark.parametrize(
    "question",
    [
        "Kế hoạch hỗ trợ nhu yếu phẩm của UBND tỉnh Đắk Lắk căn cứ công điện nào của Thủ tướng?",
        "ke hoach ho tro nhu yeu pham cua UBND tinh Dak Lak can cu cong dien nao cua Thu tuong",
    ],
)
def test_the_issuer_before_the_plan_s_legal_basis_is_its_author_not_a_unit_asked(question):
    q = parse_question(question, _catalog())
    assert q.units == [] and q.intent is not Intent.UNIT_TASKS, q


# --- end to end -----------------------------------------------------------------------------
def test_one_tier_of_the_recipients_is_answered_from_the_noi_nhan_list(assistant):
    ans = assistant.ask("Kế hoạch 0130 của Đắk Lắk được gửi để báo cáo những cơ quan trung ương nào?")
    assert not ans.refused and has(ans.answer, "Văn phòng Chính phủ") and has(ans.answer, "Bộ Y tế"), (
        ans.answer
    )


def test_money_asked_in_plain_words_is_answered_with_the_budget_section(assistant):
    ans = assistant.ask("Tiền để khắc phục môi trường sau lụt bão ở Đắk Lắk lấy từ những nguồn nào?")
    assert not ans.refused and has(ans.answer, "Nguồn dự phòng phòng chống thiên tai"), ans.answer
    assert not has(ans.answer, "Tham mưu nguồn kinh phí"), ans.answer


# a row of an emulation plan's thang điểm as the loader gives it: one clause per band
ROW = Passage(
    id="grid-5.2",
    doc="ct.txt",
    kind="table_row",
    section=("PHỤ LỤC",),
    text="STT: 5.2 | TIÊU CHÍ THI ĐUA: Đơn vị có tỷ lệ người hưởng trợ cấp nhận tiền trợ cấp bằng phương thức "
    "không dùng tiền mặt từ 88% trở lên. | ĐIỂM CHUẨN: 5 | HƯỚNG DẪN CHẤM ĐIỂM: Từ 88 - 90% cộng 02 điểm; "
    "từ 90-95% cộng 03 điểm; từ 95- dưới 100% cộng 04 điểm; đạt 100% cộng 05 điểm.",
)
CT = {
    "ct.txt": DocMeta(
        doc="ct.txt", title="Phát động phong trào thi đua", number="157/KH-UBND", province="Cần Thơ"
    )
}


def test_the_band_asked_picks_its_clause_of_a_scoring_grid():
    q = parse_question("xa phuong dat ty le nhan tro cap khong dung tien mat tu 90-95% duoc cong may diem")
    hit = Hit(passage=ROW, score=1.0, dense=0.85, rank=1)
    ans = compose(q, Evidence(hits=[hit]), CT, idf=Idf.build([ROW.text]))
    assert not ans.refused and has(ans.answer, "90-95% cộng 03 điểm"), ans.answer
    assert not has(ans.answer, "cộng 02 điểm"), ans.answer
