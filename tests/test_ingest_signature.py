"""Signature blocks as exports print them: the "Nơi nhận" list and the signature column side by side
(spaces, tabs, or collapsed into one line), or a header and a signature laid out as a markdown table.
Plans written here, a few lines each."""

from __future__ import annotations

from assistant.ingest import parse_bytes
from assistant.ingest.document import province_label
from assistant.ingest.inspect import render
from assistant.ingest.patterns import is_person_name, is_signed_mark, is_table_rule

HEAD = (
    "ỦY BAN NHÂN DÂN\nTỈNH KON TUM\nSố: 7/KH-UBND\nKon Tum, ngày 9 tháng 4 năm 2024\nKẾ HOẠCH\n"
    "PHÒNG CHỐNG SỐT XUẤT HUYẾT NĂM 2024\n"
)
BODY = (
    "I. NHIỆM VỤ\n1. Sở Y tế chủ trì giám sát dịch bệnh.\n"
    "Trong quá trình thực hiện, các đơn vị báo cáo về Sở Y tế./.\n"
)
RECIPIENTS = ["Bộ Y tế", "TT Tỉnh ủy", "Sở Giáo dục và Đào tạo", "Lưu: VT"]


def parse(text: str, name: str = "thu.txt"):
    return parse_bytes(name, text.encode("utf-8"))


def card(doc) -> str:
    return next(p.text for p in doc.passages if p.kind == "metadata")


def signature(doc):
    m = doc.meta
    return m.signer, m.signer_authority, m.signer_position


def no_recipient_units(doc):
    """The recipients are not leads or partners of the last paragraph."""
    return all(not ({"Bộ Y tế", "Sở Giáo dục và Đào tạo"} & {*p.lead, *p.partners}) for p in doc.passages)


def test_two_columns_with_spaces_pdftotext_layout():
    sign = (
        "Nơi nhận:                                   KT. CHỦ TỊCH\n"
        "- Bộ Y tế;                                  PHÓ CHỦ TỊCH\n"
        "- TT Tỉnh ủy;\n"
        "- Sở Giáo dục và Đào tạo;                   (đã ký)\n"
        "- Lưu: VT.                                  Lê Văn Hòa\n"
    )
    d = parse(HEAD + BODY + "\n" + sign)
    assert signature(d) == ("Lê Văn Hòa", "KT.", "PHÓ CHỦ TỊCH")
    assert d.meta.recipients == RECIPIENTS
    assert no_recipient_units(d)
    assert "Người ký: KT. CHỦ TỊCH, PHÓ CHỦ TỊCH Lê Văn Hòa." in card(d)
    assert not any("(đã ký)" in p.text for p in d.passages if p.kind != "metadata")


def test_two_columns_name_printed_before_the_last_recipients():
    sign = (
        "Nơi nhận:                         TM. ỦY BAN NHÂN DÂN\n"
        "- Bộ Y tế;                        CHỦ TỊCH\n"
        "- TT Tỉnh ủy;                     [đã ký]\n"
        "- Sở Giáo dục và Đào tạo;         Nguyễn Thị Mai\n"
        "- Lưu: VT.\n"
    )
    d = parse(HEAD + BODY + "\n" + sign)
    assert signature(d) == ("Nguyễn Thị Mai", "TM.", "CHỦ TỊCH")
    assert d.meta.recipients == RECIPIENTS


def test_two_columns_collapsed_into_one_line():
    # a Word export (or a loader) that kept one space between the columns
    sign = (
        "Nơi nhận: KT. CHỦ TỊCH\n- Bộ Y tế; PHÓ CHỦ TỊCH\n- TT Tỉnh ủy;\n"
        "- Sở Giáo dục và Đào tạo; đã ký và đóng dấu\n- Lưu: VT. Lê Văn Hòa\n"
    )
    d = parse(HEAD + BODY + "\n" + sign)
    assert signature(d) == ("Lê Văn Hòa", "KT.", "PHÓ CHỦ TỊCH")
    assert d.meta.recipients == RECIPIENTS
    assert no_recipient_units(d)


def test_two_columns_with_tabs():
    sign = (
        "Nơi nhận:\t\tKT. CHỦ TỊCH\n- Bộ Y tế;\t\tPHÓ CHỦ TỊCH\n- TT Tỉnh ủy;\n"
        "- Sở Giáo dục và Đào tạo;\t\t(Đã ký)\n- Lưu: VT.\t\tLê Văn Hòa\n"
    )
    d = parse(HEAD + BODY + "\n" + sign)
    assert signature(d) == ("Lê Văn Hòa", "KT.", "PHÓ CHỦ TỊCH")
    assert d.meta.recipients == RECIPIENTS
    assert [p["doc_type"] for p in d.meta.parts] == ["Kế hoạch"]  # no part started by a signature row


def test_recipient_wrapped_beside_the_signature_column():
    # pdftotext -layout: a recipient wraps onto the next line while the signature column goes on
    # beside it; the cleaner joins the wrapped line, the signature line must not stay inside it
    sign = (
        "Nơi nhận:                                   T/M. ĐOÀN KIỂM TRA\n"
        "- Giám đốc Sở (để báo cáo);\n"
        "- Văn phòng Sở (Bố trí kinh phí, phương     TRƯỞNG ĐOÀN\n"
        "tiện phục vụ Đoàn kiểm tra);\n"
        "- Lưu: VT.\n\n\n"
        "                                            Hoàng Văn Thuân\n"
    )
    d = parse(HEAD + BODY + "\n" + sign)
    assert signature(d) == ("Hoàng Văn Thuân", "T/M.", "TRƯỞNG ĐOÀN")
    assert d.meta.recipients == [
        "Giám đốc Sở (để báo cáo)",
        "Văn phòng Sở (Bố trí kinh phí, phương tiện phục vụ Đoàn kiểm tra)",
        "Lưu: VT",
    ]


def test_wrapped_body_line_with_a_wide_gap_is_left_whole():
    # a wide gap inside a wrapped sentence is no signature column: nothing is pulled out of it
    body = (
        "I. NHIỆM VỤ\n1. Sở Y tế chủ trì giám sát dịch bệnh tại       CHỦ TỊCH\n"
        "các xã trong tỉnh.\nTrong quá trình thực hiện, các đơn vị báo cáo về Sở Y tế./.\n"
    )
    d = parse(HEAD + body)
    assert any("giám sát dịch bệnh tại CHỦ TỊCH các xã" in p.text for p in d.passages)


def test_signature_column_indented_with_tabs_after_the_list():
    sign = "Nơi nhận:\n- Bộ Y tế;\n- Lưu: VT.\n\tKT. CHỦ TỊCH\n\tPHÓ CHỦ TỊCH\n\n\tHà Thị Lan\n"
    d = parse(HEAD + BODY + "\n" + sign)
    assert signature(d) == ("Hà Thị Lan", "KT.", "PHÓ CHỦ TỊCH")
    assert [p["doc_type"] for p in d.meta.parts] == ["Kế hoạch"]


PIPE_DECISION = (
    "| ỦY BAN NHÂN DÂN | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM |\n"
    "|---|---|\n"
    "| HUYỆN ĐĂK HÀ | Độc lập - Tự do - Hạnh phúc |\n"
    "| Số: 55/QĐ-UBND | Đăk Hà, ngày 2 tháng 5 năm 2024 |\n\n"
    "# QUYẾT ĐỊNH\n\nVề việc ban hành Kế hoạch trồng cây xanh năm 2024\n\n"
    "## ỦY BAN NHÂN DÂN HUYỆN ĐĂK HÀ\n\n*Căn cứ Luật Tổ chức chính quyền địa phương;*\n\n## QUYẾT ĐỊNH:\n\n"
    "Điều 1. Ban hành kèm theo Quyết định này Kế hoạch trồng cây xanh năm 2024.\n\n"
    "Điều 2. Quyết định này có hiệu lực kể từ ngày ký.\n\n"
    "| **Nơi nhận:** <br> - Như Điều 2; <br> - Sở Y tế; <br> - Lưu: VT. | "
    "**TM. ỦY BAN NHÂN DÂN** <br> **CHỦ TỊCH** <br><br> (đã ký) <br> **Đinh Văn Tú** |\n"
    "|---|---|\n\n"
    "# KẾ HOẠCH\n\nTrồng cây xanh năm 2024\n\n"
    "*(Ban hành kèm theo Quyết định số 55/QĐ-UBND ngày 02/5/2024 của UBND huyện Đăk Hà)*\n\n"
    "## I. MỤC TIÊU\n\n1. Trồng 5.000 cây xanh tại các xã.\n"
)


def test_header_and_signature_as_a_markdown_table():
    d = parse(PIPE_DECISION, "qd.md")
    m = d.meta
    assert (m.doc_type, m.number, m.date, m.title) == (
        "Quyết định",
        "55/QĐ-UBND",
        "2024-05-02",
        "Về việc ban hành Kế hoạch trồng cây xanh năm 2024",
    )
    assert m.issuer == "Ủy ban nhân dân huyện Đăk Hà"
    assert signature(d) == ("Đinh Văn Tú", "TM.", "CHỦ TỊCH")
    assert m.recipients == ["Như Điều 2", "Sở Y tế", "Lưu: VT"]
    assert [p["doc_type"] for p in m.parts] == ["Quyết định", "Kế hoạch"]
    assert not any(
        p.kind == "table_row" for p in d.passages
    )  # neither the header nor the signature is a table


def test_inspect_names_a_central_city_as_a_city():
    head = (
        "ỦY BAN NHÂN DÂN\nTHÀNH PHỐ ĐÀ NẴNG\nSố: 3/KH-UBND\nĐà Nẵng, ngày 5 tháng 3 năm 2024\n"
        "KẾ HOẠCH\nPHỔ BIẾN PHÁP LUẬT\n"
    )
    out = render(parse(head + BODY))
    assert "— Thành phố Đà Nẵng" in out and "tỉnh Đà Nẵng" not in out
    assert province_label("Kon Tum", "2024-01-01") == "tỉnh Kon Tum"


def test_pattern_helpers():
    assert all(
        is_signed_mark(t)
        for t in ("(đã ký)", "(Đã ký)", "[đã ký]", "đã ký và đóng dấu", "(Ký, ghi rõ họ tên)")
    )
    assert not is_signed_mark("Kỳ họp thứ 5") and not is_signed_mark("Lê Văn Hòa")
    assert is_table_rule("|---|---|") and is_table_rule("| :--- | ---: |") and not is_table_rule("---")
    assert is_person_name("Lê Văn Hòa") and not is_person_name("Sở Giáo Dục Đào Tạo")
