"""A PDF annex table read row by row from the cell rectangles the page draws (issue 12, class 6):
its multi-line cells interleave when the page is read line by line, and the row number stands in
the middle of its row. A table written here with fpdf2, and the 1105 plan's annex as published
(development split, read in place from ``REAL_PLANS_DIR``; skipped when absent)."""

from __future__ import annotations

import pytest

from assistant.ingest import parse_bytes, parse_file
from eval.realsuite import data_dir

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
ROWS = [
    (
        "1",
        "Công ty cổ phần xây dựng giao thông Yên Bái",
        "Gói thầu số 13: thi công công trình nối Quốc lộ 32 với cao tốc Nội Bài - Lào Cai",
        "23/3/2026",
    ),
    (
        "2",
        "Công ty TNHH Hiệp Phú",
        "Gói thầu số 15: thi công đường kết nối Mường La, Than Uyên, Tân Uyên",
        "27/3/2026",
    ),
    ("3", "Tổng công ty xây dựng Trường Sơn", "Gói thầu số 23 lý trình Km30+00 - Km40+00", "25/3/2026"),
]


def _annex_pdf() -> bytes:
    fpdf = pytest.importorskip("fpdf", reason="fpdf2 writes the PDF")
    pdf = fpdf.FPDF(format="A4", orientation="L")
    pdf.add_font("dv", "", FONT)
    pdf.add_font("dv", "B", FONT)  # table headings are bold
    pdf.set_font("dv", size=11)
    pdf.add_page()
    for line in (
        "SỞ CÔNG THƯƠNG",
        "Số: 15/KH-SCT",
        "KẾ HOẠCH",
        "Kiểm tra an toàn vật liệu nổ công nghiệp",
        "1. Đoàn kiểm tra làm việc tại các đơn vị theo Phụ lục kèm theo.",
        "Nơi nhận:",
        "- Lưu: VT.",
        "TRƯỞNG ĐOÀN",
        "Hoàng Văn Thuân",
    ):
        pdf.multi_cell(0, 7, line, new_x="LMARGIN", new_y="NEXT")
    pdf.add_page()
    pdf.multi_cell(0, 7, "PHỤ LỤC", new_x="LMARGIN", new_y="NEXT")
    widths = (15, 70, 120, 50)
    with pdf.table(col_widths=widths, text_align="LEFT", line_height=6) as table:
        table.row(("TT", "Tên đơn vị được kiểm tra", "Đối tượng kiểm tra", "Thời gian công bố"))
        for r in ROWS:
            table.row(r)
    pdf.multi_cell(0, 7, "(*) Thông tin liên hệ: Ông Đỗ Mạnh Cường.", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def test_annex_rows_of_a_ruled_pdf_table():
    doc = parse_bytes("kh.pdf", _annex_pdf())
    rows = [p for p in doc.passages if p.kind == "table_row"]
    assert len(rows) == 3
    for p, (_num, unit, target, date) in zip(rows, ROWS):
        assert unit in p.text and target in p.text and date in p.text, p.text
    assert any(p.text.startswith("(*) Thông tin liên hệ") for p in doc.passages)


def test_real_1105_annex_reads_row_by_row():
    pdf = data_dir() / "original" / "KH-1105-DKT-ke-hoach-kiem-tra.pdf"
    if not pdf.is_file():
        pytest.skip(f"the real plans are absent: no {pdf}")
    doc = parse_file(pdf)
    rows = [p.text for p in doc.passages if p.kind == "table_row"]
    assert len(rows) == 3
    assert (
        "Công ty TNHH Hiệp Phú" in rows[2] and "Gói thầu số 15: Thi công công trình đường kết nối" in rows[2]
    )
    assert "Tổng công ty xây dựng Trường Sơn" in rows[1] and "25/3/2025" in rows[1]
    # its header and its signature are drawn in cells too, and numbered no rows: they stay fields
    assert doc.meta.signer == "Hoàng Văn Thuân" and doc.meta.number == "1105/KH-ĐKT"
    assert doc.meta.recipients[0] == "Giám đốc Sở (để báo cáo và phê duyệt)"
