"""Plans in the plain layouts a conversion gives (issue 12, ``eval.doc_perturb``): the reading of a
plan must not depend on markdown emphasis, hard wraps or the numbering style it was written in."""

from __future__ import annotations

from assistant.ingest import parse_bytes

# a web page's header table copied as plain text: no bold holding the narrow cell's wrapped
# issuer name ("ỦY BAN NHÂN" / "DÂN") together
PLAIN_HEADER = """|
ỦY BAN NHÂN
DÂN
TỈNH ĐỒNG THÁP
--------
|
CỘNG HÒA XÃ
HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
---------------
|
|
Số: 552/KH-UBND
|
Đồng Tháp,
ngày 19 tháng 11 năm 2025
|

KẾ HOẠCH

THỰC HIỆN LỘ TRÌNH ĐỔI MỚI CÔNG NGHỆ ĐẾN NĂM 2035

I. MỤC ĐÍCH, YÊU CẦU

1. Mục đích

- Khuyến khích ứng dụng, đổi mới và chuyển giao công nghệ.
"""


def test_issuer_name_cut_by_a_narrow_cell_keeps_the_header():
    meta = parse_bytes("dt-552.md", PLAIN_HEADER.encode()).meta
    assert meta.issuer == "Ủy ban nhân dân tỉnh Đồng Tháp"
    assert (meta.number, meta.date, meta.doc_type) == ("552/KH-UBND", "2025-11-19", "Kế hoạch")
    assert meta.title.startswith("Thực hiện lộ trình đổi mới công nghệ")


def test_issuer_lines_already_whole_are_not_joined():
    text = PLAIN_HEADER.replace("ỦY BAN NHÂN\nDÂN\n", "ỦY BAN NHÂN DÂN\n")
    meta = parse_bytes("dt-552.md", text.encode()).meta
    assert meta.issuer == "Ủy ban nhân dân tỉnh Đồng Tháp" and meta.number == "552/KH-UBND"


def test_padded_closing_emphasis_on_one_line_still_closes_the_span():
    # the same header with no hard wraps (a Word/web export): the converter padded the closing
    # marks ("*… 2025 *", "**KT. CHỦ TỊCH **"), which must not hide the date or the signer's title
    text = PLAIN_HEADER.replace(
        "Đồng Tháp,\nngày 19 tháng 11 năm 2025", "*Đồng Tháp, ngày 19 tháng 11 năm 2025 *"
    )
    text += "\n|\nNơi nhận:\n- Lưu: VT.\n|\n**TM. ỦY BAN NHÂN DÂN**\n**KT. CHỦ TỊCH **\nPHÓ CHỦ TỊCH\n**Trần Văn An**\n|\n"
    meta = parse_bytes("dt-552.md", text.encode()).meta
    assert (meta.date, meta.place) == ("2025-11-19", "Đồng Tháp")
    assert (meta.signer, meta.signer_authority) == ("Trần Văn An", "KT.")


def test_bold_division_title_closed_by_a_full_stop_keeps_its_title():
    # numbering in parts ("Phần IV." for "IV.", Decree 30's division of a long plan): a bold
    # heading keeps its title though it ends with a full stop, like a Roman section's
    body = (
        "\n\n**Phần IV. Tổ chức thực hiện.**\n\n1. Sở Y tế: Chủ trì tổ chức tập huấn cho cán bộ y tế cơ sở.\n"
    )
    doc = parse_bytes("dt-552.md", (PLAIN_HEADER + body).encode())
    p = next(p for p in doc.passages if "tập huấn cho cán bộ y tế" in p.text)
    assert p.section[0] == "Phần IV. Tổ chức thực hiện"
    assert p.lead == ("Sở Y tế",)


# a scoring table converted to a GFM pipe table: its column names are none the project knows
SCORING = """

III. TIÊU CHÍ THI ĐUA

| STT | TIÊU CHÍ THI ĐUA | ĐIỂM CHUẨN | HƯỚNG DẪN CHẤM ĐIỂM |
|---|---|---|---|
| 1 | Tỷ lệ người hưởng trợ cấp có tài khoản | 20 | Theo báo cáo của xã |
| 2 | Điểm cộng cho đơn vị hoàn thành sớm | 15 | Cộng trực tiếp |
"""


def test_pipe_table_row_above_the_rule_is_the_header():
    doc = parse_bytes("ct-157.md", (PLAIN_HEADER + SCORING).encode())
    row = next(p for p in doc.passages if "Điểm cộng cho đơn vị" in p.text)
    assert "ĐIỂM CHUẨN: 15" in row.text and "TIÊU CHÍ THI ĐUA: Điểm cộng" in row.text
    assert not any(p.text.startswith("STT | TIÊU CHÍ") for p in doc.passages)  # not a row of its own


# bold headings wrapped by the page, copied without their bold: the number alone on its line, or
# a title in capitals cut after a comma whose rest reads like a header line ("PHƯƠNG ÁN …")
WRAPPED_HEADINGS = """

II.
PHẠM VI, ĐỐI TƯỢNG HỖ TRỢ

1.
Công tác vệ sinh môi trường

- Sở Y tế chủ trì hướng dẫn xử lý nước sinh hoạt.

III. NỘI DUNG THI ĐUA,
PHƯƠNG ÁN TRIỂN KHAI, TIÊU CHÍ ĐÁNH GIÁ

1. Nội dung thi đua

- Ủy ban nhân dân xã, phường tổ chức tuyên truyền cho người hưởng trợ cấp.
"""


def test_bare_numbers_and_cut_capital_titles_keep_their_headings():
    doc = parse_bytes("dl-0130.md", (PLAIN_HEADER + WRAPPED_HEADINGS).encode())
    water = next(p for p in doc.passages if "xử lý nước sinh hoạt" in p.text)
    assert water.section[-2:] == ("II. PHẠM VI, ĐỐI TƯỢNG HỖ TRỢ", "1. Công tác vệ sinh môi trường")
    contest = next(p for p in doc.passages if "tuyên truyền cho người hưởng trợ cấp" in p.text)
    assert contest.section[-2:] == (
        "III. NỘI DUNG THI ĐUA, PHƯƠNG ÁN TRIỂN KHAI, TIÊU CHÍ ĐÁNH GIÁ",
        "1. Nội dung thi đua",
    )
