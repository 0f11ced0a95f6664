"""Layouts of published plans that a PDF text layer or a font without a Unicode map garbles:
the signature column of Nghị định 30/2020/NĐ-CP (Phụ lục I) read line by line, and the glyph
numbers of a re-embedded font read by their place in the font's glyph order."""

from __future__ import annotations

from collections import Counter

import pytest

from assistant.ingest import parse_bytes
from assistant.ingest.glyph_order import MAC_STANDARD_LETTERS, in_code_point_order
from assistant.ingest.glyph_reading import decipher

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


# --- the signature column, printed as a real writer lays it out ------------------------------
def _signed_pdf(right: list[str]) -> bytes:
    """A plan whose last page has "Nơi nhận:" on the left and the signature column on the right,
    the name and the capitals under it each on a line of their own."""
    fpdf = pytest.importorskip("fpdf", reason="fpdf2 writes the PDF")
    pdf = fpdf.FPDF(format="A4")
    pdf.add_font("dv", "", FONT)
    pdf.set_font("dv", size=11)
    pdf.add_page()
    for line in (
        "SỞ CÔNG THƯƠNG",
        "Số: 15/KH-SCT",
        "KẾ HOẠCH",
        "Kiểm tra an toàn vật liệu nổ công nghiệp",
        "1. Phòng Quản lý công nghiệp chủ trì tổ chức kiểm tra tại các đơn vị trong tháng 6/2026.",
        "2. Văn phòng Sở bố trí xe ô tô và kinh phí cho Đoàn kiểm tra theo quy định hiện hành.",
    ):
        pdf.multi_cell(0, 7, line, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
    y = pdf.get_y() + 6
    left = ["Nơi nhận:", "- Giám đốc Sở;", "- Lưu: VT."]
    for i, text in enumerate(left):
        pdf.text(15, y + 6 * i, text)
    for i, text in enumerate(right):
        pdf.text(120, y + 6 * i if i < 2 else y + 6 * (i + 3), text)
    return bytes(pdf.output())


def test_pdf_name_above_a_line_in_capitals_is_the_signer():
    # without the case rule the name and the capitals under it are one paragraph, no signer
    data = _signed_pdf(["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Hoàng Văn Thuân", "SỞ CÔNG THƯƠNG"])
    meta = parse_bytes("ke-hoach.pdf", data).meta
    assert meta.signer == "Hoàng Văn Thuân"
    assert meta.signer_position == "PHÓ GIÁM ĐỐC"
    assert meta.recipients == ["Giám đốc Sở", "Lưu: VT"]


def test_head_of_a_team_signs_for_it():
    # "TRƯỞNG ĐOÀN" under "T/M. ĐOÀN KIỂM TRA": the team's head, a position like "GIÁM ĐỐC"
    data = _signed_pdf(["T/M. ĐOÀN KIỂM TRA", "TRƯỞNG ĐOÀN", "Hoàng Văn Thuân"])
    meta = parse_bytes("ke-hoach.pdf", data).meta
    assert meta.signer == "Hoàng Văn Thuân"
    assert meta.signer_position == "TRƯỞNG ĐOÀN"
    assert meta.recipients == ["Giám đốc Sở", "Lưu: VT"]


def test_pdf_line_cut_inside_a_document_symbol_joins_without_a_space():
    fpdf = pytest.importorskip("fpdf", reason="fpdf2 writes the PDF")
    pdf = fpdf.FPDF(format="A4")
    pdf.add_font("dv", "", FONT)
    pdf.set_font("dv", size=11)
    pdf.add_page()
    # two lines of one paragraph, the first ending at the symbol's hyphen, as Word wraps it
    pdf.text(20, 40, "1. Tổ chức kiểm tra đúng trình tự, thủ tục theo Nghị định số 217/2025/NĐ-")
    pdf.text(20, 46, "CP ngày 05/8/2025 của Chính phủ và các quy định pháp luật có liên quan hiện hành.")
    text = "\n".join(p.text for p in parse_bytes("ke-hoach.pdf", bytes(pdf.output())).passages)
    assert "theo Nghị định số 217/2025/NĐ-CP ngày 05/8/2025 của Chính phủ" in text


# --- glyph numbers read by their place ---------------------------------------------------------
def test_glyphs_between_agreeing_letters_are_read_by_code_point():
    # Times New Roman draws Ạ ạ Ả ả Ấ ấ Ầ ầ … as glyphs 1188, 1189, …; the words read 1193 as "ỹ"
    # (seen in one word) and 1190 as a small "ả": their places say "ấ" and the capital "Ả"
    read = {1189: "ạ", 1190: "ả", 1191: "ả", 1193: "ỹ", 1195: "ầ", 1219: "ế", 40: "a"}
    out, placed = in_code_point_order(read)
    assert out == {1189: "ạ", 1190: "Ả", 1191: "ả", 1193: "ấ", 1195: "ầ", 1219: "ế", 40: "a"}
    assert placed == {1189, 1190, 1191, 1193, 1195, 1219}  # 1219 - 1189 = U+1EBF - U+1EA1: one run


def test_two_agreeing_letters_are_not_a_run():
    read = {1189: "ạ", 1193: "ỹ", 1195: "ầ"}  # two letters may agree by chance
    assert in_code_point_order(read) == (read, set())


def test_standard_glyph_order_decides_a_rare_glyph():
    # glyph 105 is "á" in Apple's standard order (Times New Roman, Arial); seen once, alone, in
    # "Đ?nh", which the syllable counts alone read "Định": the place decides "Đánh"
    words = Counter({(None, (264, 105, 81, 75), None): 1})  # 81 "n", 75 "h" (3-97: ASCII)
    known = {264: "đ", 81: "n", 75: "h"}
    assert MAC_STANDARD_LETTERS[105] == "á"
    assert decipher(words, known, {105}) == {105: "ị"}
    assert decipher(words, known, {105}, MAC_STANDARD_LETTERS) == {105: "á"}
