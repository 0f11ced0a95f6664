"""Document routing, conversation, sections and the catalogue (issue 12, classes 5, 8, 9),
end to end through the Assistant on three tiny inline plans (fake embedder), plus the parser
rules on their own.

The plans are written here in the layout of real ones (Decree 30/2020 header, "I. MỤC ĐÍCH,
YÊU CẦU", a Công văn with no kind code in its number); every expected value is a line of them.
"""

from __future__ import annotations

import pytest

from assistant.core import Assistant
from assistant.query.rules import is_catalogue, section_of
from assistant.query.model import SectionKind
from assistant.settings import Settings
from assistant.textnorm import fold

DONG_THAP = """ỦY BAN NHÂN DÂN
TỈNH ĐỒNG THÁP

CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc

Số: 57/KH-UBND

Đồng Tháp, ngày 12 tháng 3 năm 2024

KẾ HOẠCH
Thông tin đối ngoại tỉnh Đồng Tháp năm 2024

Căn cứ Quyết định số 12/QĐ-UBND ngày 02/01/2024 về mục đích và yêu cầu của công tác đối ngoại;

I. MỤC ĐÍCH, YÊU CẦU

1. Mục đích

Nâng cao nhận thức của cán bộ, đảng viên về vị trí, vai trò của công tác thông tin đối ngoại trong tình hình mới.

2. Yêu cầu

Triển khai đồng bộ, hiệu quả, bám sát định hướng thông tin đối ngoại của Trung ương và của Tỉnh.

II. NHIỆM VỤ

1. Sở Văn hóa, Thể thao và Du lịch: Chủ trì, phối hợp với Sở Tài chính tổ chức lễ hội văn hóa và quảng bá du lịch của tỉnh trên mạng xã hội.

2. Sở Nội vụ: Chủ trì thẩm định hồ sơ khen thưởng tập thể, cá nhân có thành tích xuất sắc trong thông tin đối ngoại.

III. KINH PHÍ THỰC HIỆN

Kinh phí thực hiện từ ngân sách tỉnh bố trí trong dự toán hằng năm của các cơ quan, đơn vị và nguồn xã hội hóa hợp pháp khác.

Nơi nhận:
- Như trên;
- Lưu: VT.

TM. ỦY BAN NHÂN DÂN
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH

Nguyễn Văn Dương
"""

NGHE_AN = """ỦY BAN NHÂN DÂN
TỈNH NGHỆ AN

CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc

Số: 982/KH-UBND

Nghệ An, ngày 20 tháng 10 năm 2025

KẾ HOẠCH
Phát động phong trào thi đua chuyển đổi số năm 2025

I. MỤC TIÊU

Phấn đấu 100% xã, phường triển khai thanh toán không dùng tiền mặt trong dịch vụ công trước tháng 12 năm 2025.

II. NHIỆM VỤ

1. Sở Khoa học và Công nghệ: Chủ trì hướng dẫn các xã, phường triển khai nền tảng số dùng chung.

2. Sở Nội vụ: Chủ trì tổng hợp kết quả thi đua, trình Chủ tịch UBND tỉnh tặng Bằng khen.

III. KINH PHÍ

Kinh phí bảo đảm từ nguồn ngân sách nhà nước theo phân cấp và nguồn tài trợ của doanh nghiệp.

Nơi nhận:
- Như trên;
- Lưu: VT.

TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH

Lê Hồng Vinh
"""

CONG_VAN = """ỦY BAN NHÂN DÂN
TỈNH LÀO CAI

CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc

Số: 5973/UBND-KT
V/v tăng cường kiểm tra hoạt động khoáng sản

Lào Cai, ngày 11 tháng 6 năm 2026

Kính gửi: Sở Nông nghiệp và Môi trường.

Ủy ban nhân dân tỉnh yêu cầu Sở Nông nghiệp và Môi trường chủ trì kiểm tra các mỏ đá làm vật liệu xây dựng thông thường, báo cáo kết quả trước ngày 30 tháng 9 năm 2026.

Nơi nhận:
- Như trên;
- Lưu: VT.

KT. CHỦ TỊCH
PHÓ CHỦ TỊCH

Hoàng Quốc Khánh
"""

PLANS = {
    "dong-thap-2024-57-kh-ubnd.txt": DONG_THAP,
    "nghe-an-2025-982-kh-ubnd.txt": NGHE_AN,
    "lao-cai-2026-5973-cv-ubnd.txt": CONG_VAN,
}


@pytest.fixture(scope="module")
def assistant(tmp_path_factory):
    base = tmp_path_factory.mktemp("routing")
    corpus = base / "corpus"
    corpus.mkdir()
    for name, text in PLANS.items():
        (corpus / name).write_text(text, encoding="utf-8")
    settings = Settings(corpus_dir=corpus, index_dir=base / "index", data_dir=base / "data", embedder="fake")
    return Assistant(settings, build_if_missing=True)


def has(text: str, needle: str) -> bool:
    return fold(needle) in fold(text)
