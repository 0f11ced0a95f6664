"""Issue 12, failure class 4: a question asking how a planned event turned out ("bao nhiêu người
đạt yêu cầu", "phát hiện bao nhiêu xã có sai phạm") is refused when no cited passage reports a
result, and answered when one does (a plan reviewing its last period, a budget plan's estimate).

The unit tests read sentences of real dev plans (Lào Cai 3024, Cần Thơ 160, Cà Mau 0204's kind of
"ước thực hiện" line); the end-to-end test asks a tiny inline inspection plan in the layout of the
Sở Công Thương ones, and its answerable twin (the number registered) is answered."""

from __future__ import annotations

import pytest
from _small import inline_assistant

from assistant.answer.outcome import asks_outcome, outcome_unreported
from assistant.core import Assistant
from assistant.query.parse import parse_question

# Lào Cai 3024 (dev): the registration line the pass count was answered with
REGISTERED = "1.1. Đợt 1: Từ 13h30’ ngày 02/6/2026 (Thứ Ba). Đối tượng: Theo danh sách đơn vị đăng ký (100 người), cụ thể:"
# Cần Thơ 160 (dev): the commune's monitoring tasks, results to be reported later
COMMUNE = (
    "- Tổ chức thực hiện giám sát, đánh giá theo Kế hoạch.\n- Báo cáo Ban Chỉ đạo các Chương trình mục "
    "tiêu quốc gia thành phố, Sở Nông nghiệp và Môi trường về kết quả giám sát, đánh giá theo quy định.\n"
    "- Theo dõi, đôn đốc và kiểm tra kết quả khắc phục những tồn tại (nếu có) khi thực hiện giám sát, đánh giá."
)


@pytest.mark.parametrize(
    ("question", "cited"),
    [
        ("Trong đợt 1 kiểm tra ở Sin Quyền, bao nhiêu người phục vụ VLNCN đạt yêu cầu?", REGISTERED),
        (
            "Qua giám sát chương trình giảm nghèo năm 2025, Cần Thơ phát hiện bao nhiêu xã, phường có sai phạm?",
            COMMUNE,
        ),
        (
            "ke hoach 0129 dak lak da cap phat duoc bao nhieu tan gao cho nguoi dan vung lu",
            "Hỗ trợ gạo, dầu ăn, gia vị.",
        ),
        (
            "Sau kỳ huấn luyện người quản lý VLNCN tháng 7/2026, Sở Công Thương cấp Giấy chứng nhận cho bao nhiêu người?",
            REGISTERED,
        ),
    ],
)
def test_a_result_no_cited_passage_reports_is_unreported(question, cited):
    query = parse_question(question)
    assert asks_outcome(query)
    assert outcome_unreported(query, [cited])


@pytest.mark.parametrize(
    ("question", "cited"),
    [
        # a passage that reports the result, with its figure
        ("Đợt 1 có bao nhiêu người đạt yêu cầu?", "Kết quả: 48/51 người đạt yêu cầu, 03 người không đạt."),
        ("Đoàn kiểm tra phát hiện bao nhiêu cơ sở vi phạm?", "Qua kiểm tra, đã phát hiện 12 cơ sở vi phạm."),
        (
            "Năm 2025 tỉnh đã thu được bao nhiêu tỷ đồng?",
            "Ước thực hiện thu ngân sách năm 2025 đạt 5.200 tỷ đồng.",
        ),
    ],
)
def test_a_result_a_cited_passage_reports_stands(question, cited):
    assert not outcome_unreported(parse_question(question), [cited])


@pytest.mark.parametrize(
    "question",
    [
        # no result asked: a target, a registration, a task, a deadline, a list without a figure
        "Bắc Ninh phấn đấu bao nhiêu phần trăm cán bộ có trình độ đại học Luật trở lên?",
        "Đợt 1 kiểm tra ở Sin Quyền có bao nhiêu người đăng ký?",
        "Đồng Tháp giao ai chủ trì ứng dụng công nghệ số trong xử lý vi phạm trật tự an toàn giao thông?",
        "Những khoản thu nào của Cà Mau năm 2025 không đạt dự toán?",
        "Sau đợt kiểm tra, các đơn vị phải báo cáo trong bao nhiêu ngày?",
        "Theo kế hoạch 0134, bao nhiêu thuê bao di động dự kiến nhận tin nhắn kết quả quan trắc?",
    ],
)
def test_no_result_asked(question):
    query = parse_question(question)
    assert not asks_outcome(query)
    assert not outcome_unreported(query, [REGISTERED])


INSPECTION = """UBND TỈNH LÀO CAI
SỞ CÔNG THƯƠNG

CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc

Số: 77/KH-SCT

Lào Cai, ngày 12 tháng 5 năm 2026

KẾ HOẠCH
Kiểm tra, cấp Giấy chứng nhận huấn luyện kỹ thuật an toàn vật liệu nổ công nghiệp cho Mỏ đồng Bản Vược

I. MỤC ĐÍCH, YÊU CẦU

Kiểm tra kỹ thuật an toàn cho người phục vụ vật liệu nổ công nghiệp của Mỏ đồng Bản Vược.

II. NỘI DUNG

1. Thời gian

1.1. Đợt 1: Từ 13h30 ngày 02/6/2026. Đối tượng: Theo danh sách đơn vị đăng ký (45 người).

1.2. Đợt 2: Từ 13h30 ngày 03/6/2026. Đối tượng: Theo danh sách đơn vị đăng ký (38 người).

2. Địa điểm: Hội trường Mỏ đồng Bản Vược.

III. TỔ CHỨC THỰC HIỆN

Giao phòng Quản lý công nghiệp tổ chức kiểm tra kỹ thuật an toàn cho các đối tượng.

Nơi nhận:
- Lưu: VT.

KT. GIÁM ĐỐC
PHÓ GIÁM ĐỐC

Hoàng Văn Thuân
"""


@pytest.fixture(scope="module")
def assistant(tmp_path_factory) -> Assistant:
    # the real embedder: the refusal scorer was fitted on its dense scores, a fake one's are noise
    return inline_assistant(
        tmp_path_factory.mktemp("outcome"), {"lao-cai-2026-77-kh-sct.txt": INSPECTION}, embedder="e5-small"
    )


def test_the_pass_count_is_refused_the_registered_count_answered(assistant):
    registered = assistant.ask("Đợt 1 kiểm tra ở Mỏ đồng Bản Vược có bao nhiêu người đăng ký?")
    assert not registered.refused and "45" in registered.answer, registered.answer
    passed = assistant.ask("Trong đợt 1 kiểm tra ở Mỏ đồng Bản Vược, bao nhiêu người đạt yêu cầu?")
    assert passed.refused, passed.answer
