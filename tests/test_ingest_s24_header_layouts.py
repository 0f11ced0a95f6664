"""Header and signature layouts of documents nobody on the project has read (issue 12 classes 6, 7),
each in the convention it follows (Nghị định 30/2020/NĐ-CP, Phụ lục I and Điều 13): a web page's
header table whose cells lost their line breaks ("UBND TỈNH X SỞ Y -------" beside the motto), a
signature row "| Nơi nhận: - A; - B. | CHỦ TỊCH Name |" signed by the head without an authority
mark, a "(Đã ký)" mark between position and name, "T/M. ĐOÀN KIỂM TRA TRƯỞNG ĐOÀN" flattened, a
ministry's department under its ministry ("BỘ CÔNG THƯƠNG / CỤC HÓA CHẤT") signing "TUQ. BỘ
TRƯỞNG / CỤC TRƯỞNG …", and "Số 215/HC-VLNCN" typed without its colon. Plans written here."""

from __future__ import annotations

from assistant.ingest import parse_bytes
from assistant.ingest.header_layout import signature_lines
from assistant.ingest.patterns import is_issuer_line, is_number_line, is_position


def parse(text: str, name: str):
    return parse_bytes(name, text.encode("utf-8"))


QD_WEB = """| **ỦY BAN NHÂN DÂN TỈNH QUẢNG NINH** ------- | **CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc** --------------- |
|---|---|
| Số: 3456/QĐ-UBND | *Quảng Ninh, ngày 03 tháng 10 năm 2025* |

**QUYẾT ĐỊNH**

**Về việc ban hành Kế hoạch phòng, chống thiên tai năm 2026**

**CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH QUẢNG NINH**

*Căn cứ Luật Phòng, chống thiên tai ngày 19 tháng 6 năm 2013;*

**QUYẾT ĐỊNH:**

**Điều 1.** Ban hành kèm theo Quyết định này Kế hoạch phòng, chống thiên tai năm 2026.

**Điều 2.** Chánh Văn phòng UBND tỉnh, Giám đốc các sở chịu trách nhiệm thi hành Quyết định này./.

| ***Nơi nhận:*** - Như Điều 2; - Bộ Nông nghiệp và Môi trường (b/c); - Lưu: VT, NLN. | **CHỦ TỊCH** **Cao Tường Huy** |
|---|---|
"""


def test_a_web_decision_signed_by_the_head_in_a_flattened_row():
    m = parse(QD_WEB, "qd-web.md").meta
    assert (m.doc_type, m.number, m.date, m.issuer) == (
        "Quyết định",
        "3456/QĐ-UBND",
        "2025-10-03",
        "Ủy ban nhân dân tỉnh Quảng Ninh",
    )
    assert (m.signer, m.signer_authority, m.signer_position) == ("Cao Tường Huy", None, "CHỦ TỊCH")
    assert m.recipients == ["Như Điều 2", "Bộ Nông nghiệp và Môi trường (b/c)", "Lưu: VT, NLN"]


def test_the_signed_mark_and_the_deputy_in_a_flattened_signature_cell():
    text = QD_WEB.replace(
        "**CHỦ TỊCH** **Cao Tường Huy**",
        "**TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH PHÓ CHỦ TỊCH** *(Đã ký)* **Nguyễn Văn Thắng**",
    )
    m = parse(text, "qd-daky.md").meta
    assert (m.signer, m.signer_authority, m.signer_position) == ("Nguyễn Văn Thắng", "KT.", "PHÓ CHỦ TỊCH")
    assert len(m.recipients) == 3


KH_SO = """| **UBND TỈNH THANH HÓA** **SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG** ------- | **CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM** **Độc lập - Tự do - Hạnh phúc** --------------- |
|---|---|
| Số: 812 /KH-SNNMT | *Thanh Hóa, ngày 09 tháng 01 năm 2026* |

**KẾ HOẠCH Kiểm tra công tác phòng, chống dịch bệnh động vật năm 2026**

**I. MỤC ĐÍCH, YÊU CẦU**

1. Mục đích: Kịp thời phát hiện, khống chế dịch bệnh động vật.

**II. TỔ CHỨC THỰC HIỆN**

1. Chi cục Chăn nuôi và Thú y chủ trì kiểm tra.

| ***Nơi nhận:*** - Cục Chăn nuôi (b/c); - Lưu: VT. | **Q. GIÁM ĐỐC** **Lê Đức Giang** |
|---|---|
"""


def test_a_department_s_header_cell_flattened_keeps_the_department_and_its_province():
    m = parse(KH_SO, "kh-so.md").meta
    assert m.issuer == "Sở Nông nghiệp và Môi trường tỉnh Thanh Hóa"
    assert (m.number, m.date, m.doc_type) == ("812/KH-SNNMT", "2026-01-09", "Kế hoạch")
    assert (m.signer, m.signer_authority, m.signer_position) == ("Lê Đức Giang", "Q.", "GIÁM ĐỐC")
    # the governing body alone, rule and all, is still the issuer
    one = KH_SO.replace(
        "**UBND TỈNH THANH HÓA** **SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG**", "**ỦY BAN NHÂN DÂN TỈNH THANH HÓA**"
    )
    assert parse(one, "kh-ubnd.md").meta.issuer == "Ủy ban nhân dân tỉnh Thanh Hóa"


TEAM = """| **SỞ CÔNG THƯƠNG ĐOÀN KIỂM TRA THEO QUYẾT ĐỊNH SỐ 77/QĐ-SCT** ------- | **CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM** **Độc lập - Tự do - Hạnh phúc** --------------- |
|---|---|
| Số: 90/KH-ĐKT | *Sơn La, ngày 12 tháng 2 năm 2026* |

**KẾ HOẠCH Kiểm tra việc kinh doanh khí dầu mỏ hóa lỏng**

1. Mục tiêu: Chấn chỉnh vi phạm trong kinh doanh khí.

2. Phân công: Ông Lò Văn Sơn - Trưởng đoàn: phụ trách chung.

| ***Nơi nhận:*** - Giám đốc Sở (b/c); - Lưu: VT. | **T/M. ĐOÀN KIỂM TRA TRƯỞNG ĐOÀN** **Lò Văn Sơn** |
|---|---|
"""


def test_an_inspection_team_s_plan_from_a_web_page():
    m = parse(TEAM, "dkt.md").meta
    assert m.issuer == "Đoàn kiểm tra Sở Công Thương" and m.number == "90/KH-ĐKT"
    assert (m.signer, m.signer_authority, m.signer_position) == ("Lò Văn Sơn", "T/M.", "TRƯỞNG ĐOÀN")


CUC = """BỘ CÔNG THƯƠNG
CỤC HÓA CHẤT
Số 215/HC-VLNCN
V/v báo cáo tình hình sử dụng vật liệu nổ công nghiệp quý I/2026
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Hà Nội, ngày 02 tháng 4 năm 2026

Kính gửi: Sở Công Thương các tỉnh, thành phố trực thuộc Trung ương.

Cục Hóa chất đề nghị Sở Công Thương báo cáo tình hình sử dụng vật liệu nổ công nghiệp quý I/2026 trước ngày 15/4/2026.

Nơi nhận:
- Như trên;
- Lưu: VT, VLNCN.

TUQ. BỘ TRƯỞNG
CỤC TRƯỞNG CỤC HÓA CHẤT

Phùng Mạnh Ngọc
"""


def test_a_ministry_s_department_letter_numbered_without_a_colon():
    d = parse(CUC, "cv-cuc.txt")
    m = d.meta
    assert (m.doc_type, m.number, m.date) == ("Công văn", "215/HC-VLNCN", "2026-04-02")
    assert m.title.startswith("Báo cáo tình hình sử dụng vật liệu nổ")
    assert m.issuer is not None and m.issuer.lower() == "cục hóa chất"
    assert (m.signer, m.signer_authority, m.signer_position) == (
        "Phùng Mạnh Ngọc",
        "TUQ.",
        "CỤC TRƯỞNG CỤC HÓA CHẤT",
    )
    assert len(m.parts) == 1  # the signer's position opens no second document


def test_the_conventions_on_their_own_lines():
    assert is_number_line("Số 215/HC-VLNCN") and is_number_line("Số: /KH-SCT")
    assert not is_number_line("Số 5 đường Trần Phú") and not is_number_line("Số lượng 15/20 cơ sở")
    assert is_issuer_line("CỤC HÓA CHẤT") and is_issuer_line("THANH TRA TỈNH")
    assert not is_issuer_line("CỤC TRƯỞNG CỤC HÓA CHẤT") and is_position("CỤC TRƯỞNG CỤC HÓA CHẤT")
    # a head signs in his own name only where the signature stands (beside "Nơi nhận:")
    assert signature_lines("CHỦ TỊCH Cao Tường Huy") is None
    assert signature_lines("CHỦ TỊCH Cao Tường Huy", unmarked=True) == ["CHỦ TỊCH", "Cao Tường Huy"]
    assert signature_lines("CÔNG TY CỔ PHẦN Cao Tường Huy", unmarked=True) is None
    assert signature_lines("T/M. ĐOÀN KIỂM TRA TRƯỞNG ĐOÀN Lò Văn Sơn") == [
        "T/M. ĐOÀN KIỂM TRA",
        "TRƯỞNG ĐOÀN",
        "Lò Văn Sơn",
    ]
    assert signature_lines("KT. GIÁM ĐỐC PHÓ GIÁM ĐỐC (Đã ký) Hoàng Văn Thuân") == [
        "KT. GIÁM ĐỐC",
        "PHÓ GIÁM ĐỐC",
        "Hoàng Văn Thuân",
    ]


def test_a_name_opening_on_a_one_letter_particle_in_a_flattened_signature():
    assert signature_lines("TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH PHÓ CHỦ TỊCH Y Thanh Hà Niê Kdăm") == [
        "TM. ỦY BAN NHÂN DÂN",
        "KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
        "Y Thanh Hà Niê Kdăm",
    ]


LETTER_WEB = """| **ỦY BAN NHÂN DÂN TỈNH HẬU GIANG** ------- | **CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc** --------------- |
|---|---|
| Số: 1789/UBND-VX V/v triển khai Tháng hành động vì an toàn thực phẩm năm 2026 | *Hậu Giang, ngày 20 tháng 3 năm 2026* |

Kính gửi:

- Sở Y tế;
- Ủy ban nhân dân các xã, phường.

Ủy ban nhân dân tỉnh có ý kiến như sau:

1. Giao Sở Y tế chủ trì tổ chức Tháng hành động vì an toàn thực phẩm năm 2026.

| ***Nơi nhận:*** - Như trên; - Lưu: VT. | **KT. CHỦ TỊCH PHÓ CHỦ TỊCH** **Trương Cảnh Tuyên** |
|---|---|
"""


def test_a_web_letter_whose_number_cell_holds_its_subject():
    m = parse(LETTER_WEB, "cv-web.md").meta
    assert (m.doc_type, m.number, m.date) == ("Công văn", "1789/UBND-VX", "2026-03-20")
    assert m.title == "Triển khai Tháng hành động vì an toàn thực phẩm năm 2026"
    assert m.recipients[:2] == ["Sở Y tế", "Ủy ban nhân dân các xã, phường"]
    assert (m.signer, m.signer_position) == ("Trương Cảnh Tuyên", "PHÓ CHỦ TỊCH")
