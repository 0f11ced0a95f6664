"""Routing and composition classes of the session-15 dev questions (issue 12, routing kind):
a signer asked by rank ("đồng chí nào ký"), the issuing authority in its short form ("UBND TP
HCM") naming the plan's author, a label line whose content is on the next line, an item of an
inline list of targets, and "gửi đề xuất về đâu" (the receiving office). The parser's rules on
their own, the evidence helpers on strings, then end to end on two tiny inline plans written in
the layout of real ones (fake embedder), with exact expected values.
"""

from __future__ import annotations

import pytest
from _small import has, inline_assistant

from assistant.answer.evidence import list_lead_in, with_content
from assistant.query.model import FactKind, Intent
from assistant.query.parse import parse_question
from assistant.query.rules import fact_kind
from assistant.textnorm import fold

HCM = """ỦY BAN NHÂN DÂN
THÀNH PHỐ HỒ CHÍ MINH

CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc

Số: 174/KH-UBND

Thành phố Hồ Chí Minh, ngày 18 tháng 11 năm 2025

KẾ HOẠCH
Triển khai công tác bình đẳng giới và dân số cuối năm 2025

I. NHIỆM VỤ

1. Sở Y tế

Chủ trì triển khai các giải pháp để phấn đấu đạt và duy trì mức sinh thay thế, chăm sóc sức khỏe người cao tuổi, cụ thể: Phấn đấu tổng tỷ suất sinh đạt 2,1 con/phụ nữ; tỷ lệ người từ 65 tuổi trở lên đạt khoảng 12%; giảm 50% số cặp tảo hôn.

2. Phương án cứu trợ

- Giai đoạn khẩn cấp (0-48 giờ): Cấp ngay mì tôm, lương khô, nước uống cho Nhân dân.
- Giai đoạn 48-72 giờ:
Tổ chức bếp ăn cộng đồng tại các điểm sơ tán, điểm tập trung dân cư, cấp cơm nóng.

II. TỔ CHỨC THỰC HIỆN

Trong quá trình tổ chức thực hiện, nếu thấy cần sửa đổi, bổ sung các sở, ngành, địa phương chủ động đề xuất gửi Sở Xây dựng tổng hợp và báo cáo Ủy ban nhân dân Thành phố xem xét, quyết định./.

Nơi nhận:
- Như trên;
- Lưu: VT.

KT. CHỦ TỊCH
PHÓ CHỦ TỊCH

Trần Thị Diệu Thúy
"""

DONG_THAP = """ỦY BAN NHÂN DÂN
TỈNH ĐỒNG THÁP

CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc

Số: 57/KH-UBND

Đồng Tháp, ngày 12 tháng 3 năm 2024

KẾ HOẠCH
Thông tin đối ngoại tỉnh Đồng Tháp năm 2024

I. NHIỆM VỤ

1. Sở Văn hóa, Thể thao và Du lịch: Chủ trì tổ chức lễ hội văn hóa và quảng bá du lịch của tỉnh.

2. Sở Nội vụ: Chủ trì thẩm định hồ sơ khen thưởng tập thể, cá nhân có thành tích xuất sắc.

Nơi nhận:
- Như trên;
- Lưu: VT.

TM. ỦY BAN NHÂN DÂN
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH

Nguyễn Văn Dương
"""

PLANS = {"ho-chi-minh-174-kh-ubnd.txt": HCM, "dong-thap-2024-57-kh-ubnd.txt": DONG_THAP}


@pytest.fixture(scope="module")
def assistant(tmp_path_factory):
    return inline_assistant(tmp_path_factory.mktemp("route-words"), PLANS)


# --- the parser's rules --------------------------------------------------------------------
@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("Văn bản về bình đẳng giới do đồng chí nào ký?", FactKind.SIGNER),
        ("Lãnh đạo nào ký kế hoạch này?", FactKind.SIGNER),
        ("Kế hoạch do ông nào ký ban hành?", FactKind.SIGNER),
        ("Đồng chí nào phụ trách kỹ thuật?", None),  # "kỹ" of "kỹ thuật" is no signing
    ],
)
def test_a_signer_asked_by_rank(question, kind):
    assert fact_kind(fold(question)) == kind


@pytest.mark.parametrize(
    "question",
    [
        "kh 597: nếu cần sửa đổi, bổ sung thì các sở ngành gửi đề xuất về đâu",
        "Có vướng mắc thì phản ánh về cơ quan nào?",
    ],
)
def test_where_a_proposal_is_sent_asks_the_receiving_office_not_the_senders_tasks(question):
    q = parse_question(question)
    assert q.intent == Intent.FACT and q.units == []


def test_the_plan_s_own_recipients_stay_a_header_card_fact():
    q = parse_question("Kế hoạch 0204/KH-UBND của Cà Mau được gửi tới cơ quan nào?")
    assert q.intent == Intent.FACT and q.fact == FactKind.RECIPIENT


# --- evidence helpers ----------------------------------------------------------------------
def test_a_label_line_takes_the_content_under_it():
    text = "- Giai đoạn 48-72 giờ:\nTổ chức bếp ăn cộng đồng.\n- Giai đoạn sau 72 giờ:\nHỗ trợ tấm lợp."
    a = text.index("Giai")
    b = text.index(":") + 1
    assert text[slice(*with_content(text, (a, b)))] == "Giai đoạn 48-72 giờ:\nTổ chức bếp ăn cộng đồng."
    # a segment that is no label stays as it is
    c = text.index("Tổ chức")
    assert with_content(text, (c, c + 25)) == (c, c + 25)


def test_an_inline_list_item_is_read_with_its_lead_in():
    text = "Chủ trì các giải pháp, cụ thể: Phấn đấu tổng tỷ suất sinh đạt 2,1; tỷ lệ người cao tuổi đạt 12%; giảm 50%."
    assert list_lead_in(text, text.index("tỷ lệ")) == "Chủ trì các giải pháp, cụ thể:"
    assert list_lead_in(text, text.index("Phấn")) == ""  # the first item's segment holds it already


# --- end to end ----------------------------------------------------------------------------
def test_signer_asked_by_rank_of_the_plan_named_by_its_issuer_in_short_form(assistant):
    ans = assistant.ask("Văn bản của UBND TP HCM về công tác bình đẳng giới do đồng chí nào ký?")
    assert not ans.refused and has(ans.answer, "Trần Thị Diệu Thúy"), ans.answer
    assert {c.doc for c in ans.citations} == {"ho-chi-minh-174-kh-ubnd.txt"}


def test_the_short_form_of_the_issuer_is_the_author_not_a_unit_asked():
    from assistant.query import Catalog
    from assistant.records import DocMeta

    docs = {
        "h.txt": DocMeta(
            doc="h.txt",
            number="174/KH-UBND",
            doc_type="Kế hoạch",
            province="Hồ Chí Minh",
            issuer="ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH",
        )
    }
    q = parse_question(
        "Văn bản của UBND TP HCM về bình đẳng giới do đồng chí nào ký?", Catalog.build(docs, [])
    )
    assert q.units == [] and q.fact == FactKind.SIGNER


def test_a_label_line_is_answered_with_its_content(assistant):
    ans = assistant.ask("ke hoach 174, giai doan 48-72 gio lam gi")
    assert not ans.refused and has(ans.answer, "bếp ăn cộng đồng"), ans.answer


def test_an_inline_target_is_the_item_asked(assistant):
    ans = assistant.ask("Kế hoạch 174 phấn đấu tỷ lệ người từ 65 tuổi trở lên ở mức nào?")
    assert not ans.refused and has(ans.answer, "12%") and not has(ans.answer, "2,1 con"), ans.answer


def test_where_proposals_are_sent(assistant):
    ans = assistant.ask("kh 174: nếu cần sửa đổi, bổ sung thì các sở ngành gửi đề xuất về đâu?")
    assert not ans.refused and has(ans.answer, "Sở Xây dựng"), ans.answer


@pytest.mark.parametrize(
    "question, intent",
    [
        ("Kế hoạch đặt ra những chỉ tiêu dân số nào cần phấn đấu?", Intent.LIST),
        ("ke hoach phat trien nhung nen tang, ung dung so nao cho giao thong?", Intent.LIST),
        ("Những dịch vụ chuyển đổi số nào được triển khai?", Intent.LIST),
        ("Sở nào chủ trì kiểm tra công tác dân số?", Intent.LEAD_UNIT),
        ("so nao chu tri xay dung trung tam cham soc nguoi cao tuoi", Intent.LEAD_UNIT),
        # "chỉ số" (an index): "theo chỉ số nào" asks the index, not a department
        ("Kế hoạch đánh giá chất lượng môi trường vùng nuôi theo chỉ số nào?", Intent.OTHER),
        ("Sở nào chủ trì theo dõi chỉ số PCI?", Intent.LEAD_UNIT),
    ],
)
def test_so_of_dan_so_and_of_digital_compounds_is_not_a_department(question, intent):
    # "số" (population, digital) folds like "sở" (a department): "dân số nào", "ứng dụng số
    # nào" ask for items; "sở nào" alone still asks for the lead department
    assert parse_question(question).intent == intent
