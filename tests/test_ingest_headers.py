"""Document headers and signatures as web pages and PDFs print them: wrapped, split into cells,
on one line, with numbers carrying a year, and without a document-type line.  Plans written here."""

from __future__ import annotations

import pytest

from assistant.ingest import parse_bytes
from assistant.ingest.patterns import doc_type_from_number, is_authority, is_motto, is_person_name

BODY = "I. MỤC TIÊU\n1. Nâng cao chất lượng dịch vụ công.\n"
SIGN = "Nơi nhận:\n- Như trên;\n- Lưu: VT.\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nTrần Thị Bình\n"


def parse(text: str):
    return parse_bytes("thu.txt", text.encode("utf-8"))


def card(doc) -> str:
    return next(p.text for p in doc.passages if p.kind == "metadata")


def meta_of(doc):
    m = doc.meta
    return m.doc_type, m.number, m.date, m.title, m.issuer


WRAPPED = (
    "ỦY BAN NHÂN DÂN\nTỈNH AN GIANG\n|\nCỘNG HÒA XÃ HỘI\nCHỦ NGHĨA VIỆT NAM\n"
    "Độc lập – Tự do – Hạnh phúc\n|\nSố:\n41/KH-UBND\n|\nAn Giang, ngày\n7 tháng 9 năm 2023\n|\n"
    "KẾ HOẠCH\nPHÁT\nTRIỂN DỊCH VỤ CÔNG TRỰC TUYẾN NĂM 2023\n"
)


def test_header_fields_wrapped_over_several_lines():
    d = parse(WRAPPED + BODY + SIGN)
    assert meta_of(d) == (
        "Kế hoạch",
        "41/KH-UBND",
        "2023-09-07",
        "Phát triển dịch vụ công trực tuyến năm 2023",
        "Ủy ban nhân dân tỉnh An Giang",
    )
    assert [p["doc_type"] for p in d.meta.parts] == ["Kế hoạch"]  # no fake second part from the motto
    assert "Kèm theo" not in card(d)


def test_place_wrapped_before_the_date_and_motto_split_at_a_dash():
    head = (
        "ỦY BAN NHÂN DÂN\nTỈNH BÀ RỊA - VŨNG TÀU\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập -\n"
        "Tự do - Hạnh phúc\nSố: 9/KH-UBND\nBà Rịa - Vũng\nTàu, ngày 3 tháng 1 năm 2023\nKẾ HOẠCH\n"
        "TRUYỀN THÔNG CHÍNH SÁCH NĂM 2023\n"
    )
    d = parse(head + BODY)
    assert (d.meta.number, d.meta.date, d.meta.place) == ("9/KH-UBND", "2023-01-03", "Bà Rịa - Vũng Tàu")
    assert d.meta.title == "Truyền thông chính sách năm 2023"


@pytest.mark.parametrize(
    "number,doc_type",
    [
        ("62/2006/QĐ-UBND", "Quyết định"),
        ("06/2024/QĐ-UBND", "Quyết định"),
        ("21/2022/NQ-HĐND", "Nghị quyết"),
        ("55/2007/CT-UBND", "Chỉ thị"),
        ("488/KH-UBND", "Kế hoạch"),
        ("476/UBND", None),
    ],
)
def test_numbers_with_a_year_part(number, doc_type):
    head = f"ỦY BAN NHÂN DÂN\nTỈNH GIA LAI\nSố : {number}\nPleiku, ngày 8 tháng 8 năm 2006\n"
    d = parse(head + "VIỆC THỬ NGHIỆM\n" + BODY)
    assert d.meta.number == number
    assert doc_type_from_number(number) == doc_type


def test_capitals_title_after_decision_is_title_not_issuer():
    head = (
        "ỦY BAN NHÂN DÂN\nTỈNH GIA LAI\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
        "Số: 62/2006/QĐ-UBND\nPleiku, ngày 8 tháng 8 năm 2006\nQUYẾT ĐỊNH\n"
        "BAN HÀNH KẾ HOẠCH XÃ HỘI HÓA GIÁO DỤC TRÊN ĐỊA\nBÀN TỈNH GIA LAI\nỦY BAN NHÂN DÂN TỈNH GIA LAI\n"
        "Căn cứ Luật Tổ chức chính quyền địa phương;\nQUYẾT ĐỊNH:\n"
        "Điều 1. Ban hành kèm theo Quyết định này Kế hoạch.\n"
    )
    d = parse(head + SIGN)
    assert meta_of(d) == (
        "Quyết định",
        "62/2006/QĐ-UBND",
        "2006-08-08",
        "Ban hành kế hoạch xã hội hóa giáo dục trên địa bàn tỉnh Gia Lai",
        "Ủy ban nhân dân tỉnh Gia Lai",
    )


@pytest.mark.parametrize("title", ["PHÒNG CHỐNG THIÊN TAI NĂM 2024", "XÃ HỘI HÓA CÔNG TÁC GIÁO DỤC NĂM 2024"])
def test_plan_title_that_looks_like_an_issuer(title):
    head = (
        "ỦY BAN NHÂN DÂN\nTỈNH HÀ TĨNH\nSố: 5/KH-UBND\nHà Tĩnh, ngày 2 tháng 3 năm 2024\nKẾ HOẠCH\n"
        f"{title}\nCăn cứ Luật Ngân sách nhà nước;\n"
    )
    d = parse(head + BODY)
    assert d.meta.title.upper() == title
    assert d.meta.issuer == "Ủy ban nhân dân tỉnh Hà Tĩnh"


def test_decision_card_says_ve_viec_once():
    head = (
        "ỦY BAN NHÂN DÂN\nTỈNH HÀ TĨNH\nSố: 7/QĐ-UBND\nHà Tĩnh, ngày 2 tháng 3 năm 2024\nQUYẾT ĐỊNH\n"
        "VỀ VIỆC BAN HÀNH KẾ HOẠCH CHUYỂN ĐỔI SỐ\nỦY BAN NHÂN DÂN TỈNH HÀ TĨNH\n"
        "Căn cứ Luật Tổ chức chính quyền địa phương;\nQUYẾT ĐỊNH:\nĐiều 1. Ban hành Kế hoạch.\n"
    )
    c = card(parse(head + SIGN))
    assert c.startswith(
        "Quyết định số 7/QĐ-UBND ngày 2/3/2024 của Ủy ban nhân dân tỉnh Hà Tĩnh "
        "về việc ban hành kế hoạch chuyển đổi số."
    )


def test_same_line_header_cells():
    head = (
        "ỦY BAN NHÂN DÂN | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM |\nTỈNH NINH BÌNH | Độc lập - Tự do - Hạnh phúc |\n"
        "Số: 19/KH-UBND | Ninh Bình, ngày 15 tháng 12 năm 2022 |\nKẾ HOẠCH\nCHUYỂN ĐỔI SỐ NĂM 2023\n"
    )
    d = parse(head + BODY)
    assert meta_of(d) == (
        "Kế hoạch",
        "19/KH-UBND",
        "2022-12-15",
        "Chuyển đổi số năm 2023",
        "Ủy ban nhân dân tỉnh Ninh Bình",
    )


def test_pdf_merged_columns_and_type_from_the_number():
    head = (
        "ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nHUYỆN CHÂU THÀNH Độc lập - Tự do - Hạnh phúc\n"
        "Số: 47/KH-UBND Châu Thành, ngày 4 tháng 6 năm 2017\nPHÒNG CHỐNG SỐT XUẤT HUYẾT NĂM 2017\n"
    )
    d = parse(head + BODY)
    assert meta_of(d) == (
        "Kế hoạch",
        "47/KH-UBND",
        "2017-06-04",
        "Phòng chống sốt xuất huyết năm 2017",
        "Ủy ban nhân dân huyện Châu Thành",
    )


def test_trailing_pipe_and_missing_province_line():
    head = "ỦY BAN NHÂN DÂN |\nCỘNG HÒA XÃ HỘI\nCHỦ NGHĨA VIỆT NAM |\nSố: 3/KH-UBND |\nĐắk Lắk, ngày 4 tháng 1 năm 2025 |\n"
    d = parse(head + "KẾ HOẠCH\nCHUYỂN ĐỔI SỐ NĂM 2025\n" + BODY)
    assert (d.meta.number, d.meta.date, d.meta.issuer) == (
        "3/KH-UBND",
        "2025-01-04",
        "Ủy ban nhân dân tỉnh Đắk Lắk",
    )


def test_letter_subject_and_addressees():
    head = (
        "ỦY BAN NHÂN DÂN\nHUYỆN CHÂU THÀNH\nSố: 476/UBND\nChâu Thành, ngày 14 tháng 6 năm 2017\n"
        "V/v hưởng ứng ngày vệ sinh yêu nước\nKính gửi:\n- Trung tâm Y tế huyện;\n- Ủy ban nhân dân các xã.\n"
        "Thực hiện Kế hoạch của tỉnh, Ủy ban nhân dân huyện đề nghị như sau:\n"
    )
    d = parse(head + BODY)
    assert (d.meta.doc_type, d.meta.title) == ("Công văn", "Hưởng ứng ngày vệ sinh yêu nước")
    assert d.meta.recipients == ["Trung tâm Y tế huyện", "Ủy ban nhân dân các xã"]
    assert "về việc hưởng ứng" in card(d)
    assert all("Trung tâm Y tế" not in " ".join(p.lead) for p in d.passages)


@pytest.mark.parametrize(
    "sign,who",
    [
        ("KT.CHỦ TỊCH\nPHÓ CHỦ TỊCH\nNguyễn Văn An\n", "Nguyễn Văn An"),
        ("TM.ỦY BAN NHÂN DÂN\nKT.CHỦ TỊCH\nPHÓ CHỦ TỊCH\n(Đã ký)\nY Ngông Niê Kdăm\n", "Y Ngông Niê Kdăm"),
        ("| TM. ỦY BAN NHÂN DÂN |\n| CHỦ TỊCH |\n| Rah Lan Chung |\n", "Rah Lan Chung"),
    ],
)
def test_signatures(sign, who):
    head = "ỦY BAN NHÂN DÂN\nTỈNH ĐẮK LẮK\nSố: 5/KH-UBND\nĐắk Lắk, ngày 2 tháng 1 năm 2024\nKẾ HOẠCH\nChuyển đổi số\n"
    d = parse(head + BODY + "Nơi nhận:\n- Lưu: VT.\n" + sign)
    assert d.meta.signer == who


def test_title_stops_at_the_first_sentence():
    head = (
        "ỦY BAN NHÂN DÂN\nTỈNH HÀ TĨNH\nSố: 5/KH-UBND\nHà Tĩnh, ngày 2 tháng 3 năm 2018\nKẾ HOẠCH\n"
        "PHÒNG, CHỐNG DỊCH BỆNH NĂM 2018\nNăm 2017, dịch bệnh diễn biến phức tạp. Tỉnh ban hành Kế hoạch như sau:\n"
    )
    d = parse(head + BODY)
    assert d.meta.title == "Phòng, chống dịch bệnh năm 2018"
    assert any(p.text.startswith("Năm 2017,") for p in d.passages)


def test_central_city_is_not_a_province():
    head = (
        "ỦY BAN NHÂN DÂN\nTHÀNH PHỐ HỒ CHÍ MINH\nSố: 13/KH-UBND\nTP. Hồ Chí Minh, ngày 5 tháng 3 năm 2010\n"
        "KẾ HOẠCH\nPHỔ BIẾN PHÁP LUẬT\n"
    )
    c = card(parse(head + BODY))
    assert "Địa bàn: Thành phố Hồ Chí Minh." in c and "tỉnh Hồ Chí Minh" not in c


def test_pattern_helpers():
    assert is_motto("Độc lập – Tự do – Hạnh phúc") and is_motto("Độc lập Tự do Hạnh phúc")
    assert is_authority("KT.CHỦ TỊCH") and is_authority("TM. ỦY BAN NHÂN DÂN")
    assert is_person_name("Y Ngông Niê Kdăm") and not is_person_name("Y Tế")
