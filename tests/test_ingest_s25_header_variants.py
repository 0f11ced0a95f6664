"""Header, signature and Nơi nhận layouts as Word and PDF exports vary them (issue 12 class 6), each in
the convention it follows (Nghị định 30/2020/NĐ-CP, Phụ lục I): the hyphen bullets of "Nơi nhận" and
"Kính gửi" autocorrected to en dashes by Word ("– Ban Giám đốc Sở; – Lưu: VT"). Plans written here."""

from __future__ import annotations

from assistant.ingest import parse_bytes


def parse(text: str, name: str):
    return parse_bytes(name, text.encode("utf-8"))


SCT = """UBND TỈNH LÀO CAI |  | CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM
SỞ CÔNG THƯƠNG |  | Độc lập - Tự do - Hạnh phúc
Số: 412/KH-SCT |  | Lào Cai, ngày 14 tháng 8 năm 2026
KẾ HOẠCH
Kiểm tra an toàn hóa chất tại các cơ sở sản xuất trên địa bàn tỉnh

I. MỤC ĐÍCH, YÊU CẦU
1. Mục đích
Kiểm tra việc chấp hành quy định về an toàn hóa chất của các cơ sở sản xuất.
II. TỔ CHỨC THỰC HIỆN
Giao phòng Quản lý Công nghiệp chủ trì tổ chức kiểm tra theo kế hoạch này.

Nơi nhận:     {b} Ban Giám đốc Sở; {b} Phòng Kế hoạch - Tài chính; {b} Lưu: VT, CN. |  | KT. GIÁM ĐỐC PHÓ GIÁM ĐỐC       Trần Văn Bình
"""


def test_en_dash_bullets_in_a_flattened_signature_row_are_the_recipients():
    hyphen = parse(SCT.format(b="-"), "kh-412.txt").meta
    dash = parse(SCT.format(b="–"), "kh-412.txt").meta
    want = ["Ban Giám đốc Sở", "Phòng Kế hoạch - Tài chính", "Lưu: VT, CN"]
    assert hyphen.recipients == want
    assert dash.recipients == want
    assert (dash.signer, dash.signer_position) == ("Trần Văn Bình", "PHÓ GIÁM ĐỐC")


def test_en_dash_bullets_one_per_line_are_the_recipients():
    text = SCT.split("Nơi nhận:")[0] + (
        "Nơi nhận:\n– Ban Giám đốc Sở;\n– Các phòng chuyên môn;\n– Lưu: VT, CN.\n"
        "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC\n\nTrần Văn Bình\n"
    )
    m = parse(text, "kh-412b.txt").meta
    assert m.recipients == ["Ban Giám đốc Sở", "Các phòng chuyên môn", "Lưu: VT, CN"]
    assert m.signer == "Trần Văn Bình"


SIGNED = "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nHồ Thị Nguyên Thảo\n"


def test_the_first_recipient_on_the_head_line_and_the_list_on_one_line():
    body = SCT.split("Nơi nhận:")[0]
    want = ["Bộ Y tế (b/c)", "CT, PCT UBND tỉnh", "Lưu: VT, KGVX"]
    first = "Nơi nhận: - Bộ Y tế (b/c);\n- CT, PCT UBND tỉnh;\n- Lưu: VT, KGVX.\n"
    web = "|\nNơi nhận: *-* Bộ Y tế (b/c);\n- CT, PCT UBND tỉnh;\n- Lưu: VT, KGVX.\n|\n**KT. CHỦ TỊCH**\n"
    one = "Nơi nhận: - Bộ Y tế (b/c); - CT, PCT UBND tỉnh; - Lưu: VT, KGVX.\n"
    for name, tail in (
        ("first.txt", first + SIGNED),
        ("web.md", web + "PHÓ CHỦ TỊCH\nHồ Thị Nguyên Thảo\n|\n"),
        ("one.txt", one + SIGNED),
    ):
        m = parse(body + tail, name).meta
        assert (name, m.recipients, m.signer) == (name, want, "Hồ Thị Nguyên Thảo")


def test_a_recipient_hard_wrapped_in_two_lines_is_one_item_and_the_list_goes_on():
    tail = (
        "Nơi nhận:\n- Bộ Xây dựng (b/c);\n- VPUB: CVP, các PCVP, các Phòng: ĐTQH,\nTH, KGVX, NgV;\n"
        "- Cổng Thông tin Điện tử tỉnh;\n- Lưu: VT, KT.\n" + SIGNED
    )
    m = parse(SCT.split("Nơi nhận:")[0] + tail, "wrapped.txt").meta
    assert m.recipients == [
        "Bộ Xây dựng (b/c)",
        "VPUB: CVP, các PCVP, các Phòng: ĐTQH, TH, KGVX, NgV",
        "Cổng Thông tin Điện tử tỉnh",
        "Lưu: VT, KT",
    ]
    assert m.signer == "Hồ Thị Nguyên Thảo"
