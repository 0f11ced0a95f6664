"""Issue 12, failure class 4, end to end: a question about a year, a project or a unit its plan
never names is refused, and its answerable twin (same wording, what the plan does say) is
answered. Two tiny inline plans in the layout of real ones (the real embedder); the second one names
what the first never does ("Sở Giáo dục và Đào tạo"), as a collection of plans does."""

from __future__ import annotations

import pytest
from _small import inline_assistant

from assistant.core import Assistant

DONG_THAP = """ỦY BAN NHÂN DÂN
TỈNH ĐỒNG THÁP

CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc

Số: 59/KH-UBND

Đồng Tháp, ngày 20 tháng 11 năm 2025

KẾ HOẠCH
Chuyển đổi số trong quản lý kết cấu hạ tầng giao thông giai đoạn 2026 - 2030

I. MỤC ĐÍCH, YÊU CẦU

Nâng cao năng lực quản lý kết cấu hạ tầng giao thông bằng công nghệ số.

II. MỤC TIÊU

1. Mục tiêu cụ thể đến năm 2030

- Phấn đấu 100% thủ tục hành chính lĩnh vực giao thông được cung cấp dịch vụ công trực tuyến.

- Số hóa hồ sơ công trình, bản đồ hạ tầng giao thông tại các tuyến đường trọng điểm.

III. TỔ CHỨC THỰC HIỆN

1. Công an tỉnh

Chủ trì triển khai ứng dụng công nghệ số trong giám sát, xử lý vi phạm trật tự an toàn giao thông.

2. Sở Tài chính

Phân bổ ngân sách cho các dự án ứng dụng công nghệ số trong quản lý hạ tầng giao thông.

Nơi nhận:
- Như trên;
- Lưu: VT.

TM. ỦY BAN NHÂN DÂN
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH

Huỳnh Minh Tuấn
"""

DAK_LAK = """ỦY BAN NHÂN DÂN
TỈNH ĐẮK LẮK

CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc

Số: 13/KH-UBND

Đắk Lắk, ngày 21 tháng 11 năm 2025

KẾ HOẠCH
Phòng, chống dịch bệnh truyền nhiễm sau lũ năm 2025

I. NỘI DUNG

1. Xử lý các điểm nước tù đọng trong 24-48 giờ sau khi nước rút.

2. Cấp Oresol cho trạm y tế xã, bảo đảm điều trị tiêu chảy đúng phác đồ.

II. TỔ CHỨC THỰC HIỆN

1. Sở Y tế

Chủ trì triển khai kế hoạch; phân bổ hóa chất, vật tư; giám sát dịch bệnh.

2. Sở Giáo dục và Đào tạo

Chỉ đạo xử lý vệ sinh trường lớp và bảo đảm an toàn khi mở cửa lại.

Nơi nhận:
- Lưu: VT.

KT. CHỦ TỊCH
PHÓ CHỦ TỊCH

Hồ Thị Nguyên Thảo
"""


@pytest.fixture(scope="module")
def assistant(tmp_path_factory) -> Assistant:
    # the real embedder: the refusal scorer was fitted on its dense scores, a fake one's are noise
    return inline_assistant(
        tmp_path_factory.mktemp("absent"),
        {"dong-thap-2025-59-kh-ubnd.txt": DONG_THAP, "dak-lak-2025-13-kh-ubnd.txt": DAK_LAK},
        embedder="e5-small",
    )


ONLINE = "Theo kế hoạch 59 của Đồng Tháp, đến năm {} bao nhiêu phần trăm thủ tục hành chính lĩnh vực giao thông được cung cấp dịch vụ công trực tuyến?"


def test_a_year_past_the_plans_period_is_refused_its_own_year_answered(assistant):
    own = assistant.ask(ONLINE.format(2030))
    assert not own.refused and "100%" in own.answer, own.answer
    later = assistant.ask(ONLINE.format(2035))
    assert later.refused, later.answer


def test_a_project_the_plan_never_names_is_refused_its_twin_answered(assistant):
    own = assistant.ask(
        "Kế hoạch 59 Đồng Tháp giao đơn vị nào chủ trì ứng dụng công nghệ số trong xử lý vi phạm trật tự an toàn giao thông?"
    )
    assert not own.refused and "Công an tỉnh" in own.answer, own.answer
    absent = assistant.ask(
        "Kế hoạch 59 Đồng Tháp giao đơn vị nào chủ trì đầu tư trạm sạc xe điện trên các tuyến đường tỉnh?"
    )
    assert absent.refused, absent.answer


def test_a_unit_the_plan_never_names_is_refused_its_twin_answered(assistant):
    own = assistant.ask("ke hoach 59 dong thap giao so tai chinh nhiem vu gi")
    assert not own.refused and "Phân bổ ngân sách" in own.answer, own.answer
    absent = assistant.ask("ke hoach 59 dong thap giao so giao duc va dao tao nhiem vu gi")
    assert absent.refused, absent.answer
