"""Layouts of real plans from provinces nobody on the project wrote (issue 12, classes 5–7).

Tiny inline plans give each convention with exact expected fields; the real plans of the
development split (read in place from ``REAL_PLANS_DIR``, skipped when absent) show the same
conventions on the documents as published.
"""

from __future__ import annotations

import pytest

from assistant.ingest import parse_bytes, parse_file
from assistant.ingest.header_layout import signature_lines
from assistant.ingest.persons import person_names
from assistant.ingest.tables import is_column_numbers
from assistant.ingest.units import parse_unit_list
from eval.realsuite import data_dir

REAL = data_dir()
needs_real = pytest.mark.skipif(not REAL.is_dir(), reason=f"the real plans are absent: no folder {REAL}")


def parse(text: str, name: str = "thu.md"):
    return parse_bytes(name, text.encode("utf-8"))


# --- headers ---------------------------------------------------------------------------------

WEB_MD_HEAD = (
    "|\n**ỦY BAN NHÂN\nDÂN **\nTHÀNH PHỐ CẦN THƠ\n-------\n|\n**CỘNG HÒA XÃ HỘI\nCHỦ NGHĨA VIỆT NAM**\n"
    "Độc lập - Tự do - Hạnh phúc\n---------------\n|\n|\nSố: 165/KH-UBND\n|\n*Cần Thơ, ngày 21\n"
    "tháng 11 năm 2025 *\n|\n\n** **\n\n**KẾ HOẠCH**\n\nTHỰC HIỆN CÔNG TÁC DÂN SỐ\nTRONG TÌNH HÌNH MỚI\n\n"
    "Thực hiện Chỉ thị số 27/CT-TTg của Thủ tướng Chính phủ.\n\n**I. MỤC ĐÍCH,\nYÊU CẦU**\n\n"
    "1. Sở Y tế chủ trì tổ chức thực hiện Kế hoạch.\n"
)


def test_web_markdown_header_with_hard_wrapped_emphasis():
    """Web-page markdown wraps a header cell inside its emphasis: the date line, issuer, title stay whole."""
    m = parse(WEB_MD_HEAD).meta
    assert (m.doc_type, m.number) == ("Kế hoạch", "165/KH-UBND")
    assert (m.date, m.date_text) == ("2025-11-21", "ngày 21 tháng 11 năm 2025")
    assert m.issuer == "Ủy ban nhân dân thành phố Cần Thơ"
    assert m.title == "Thực hiện công tác dân số trong tình hình mới"


INSPECTION_TEAM = (
    "   SỞ CÔNG THƯƠNG                 CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
    "    ĐOÀN KIỂM TRA                         Độc lập - Tự do - Hạnh Phúc\n"
    "  THEO QUYẾT ĐỊNH\n"
    "   SỐ 1050/QĐ-SCT                      Lào Cai, ngày 10 tháng 3 năm 2026\n\n"
    "     Số: 1105/KH-ĐKT\n\n"
    "                               KẾ HOẠCH\n"
    "Kiểm tra việc sử dụng vật liệu nổ công nghiệp\n\n"
    "      Thực hiện Quyết định số 1050/QĐ-SCT của Giám đốc Sở Công Thương.\n"
    "      1. Phân công nhiệm vụ\n"
    "      1.1. Ông. Hoàng Văn Thuân - Trưởng đoàn: Phụ trách chung; ký các văn bản của Đoàn.\n"
    "      1.2. Ông. Vũ Việt Linh - Thư ký đoàn: Tổng hợp hồ sơ, dự thảo biên bản.\n"
)


def test_inspection_team_header_keeps_kind_number_date_title_and_issuer():
    """ "SỞ CÔNG THƯƠNG / ĐOÀN KIỂM TRA / THEO QUYẾT ĐỊNH SỐ …" with the date beside the last line."""
    doc = parse(INSPECTION_TEAM, "kh.txt")
    m = doc.meta
    assert (m.doc_type, m.number, m.date) == ("Kế hoạch", "1105/KH-ĐKT", "2026-03-10")
    assert m.title == "Kiểm tra việc sử dụng vật liệu nổ công nghiệp"
    assert m.issuer == "Đoàn kiểm tra Sở Công Thương"
    # "Ông X - Trưởng đoàn: …" assigns the item to the person
    persons = {p.section[-1].split(" - ")[0][-14:]: p.persons for p in doc.passages if p.persons}
    assert sorted(persons.values()) == [("Hoàng Văn Thuân",), ("Vũ Việt Linh",)]


SO_PLAN = (
    "UBND TỈNH LÀO CAI |  | CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
    "SỞ CÔNG THƯƠNG |  | Độc lập - Tự do - Hạnh phúc\n"
    "Số:            /KH-SCT |  | Lào Cai,  ngày       tháng 6 năm 2026\n"
    "KẾ HOẠCH\nHuấn luyện người quản lý vật liệu nổ công nghiệp\n\n"
    "1. Tổ công tác tổ chức huấn luyện theo kế hoạch.\n"
    "Trên đây là Kế hoạch của Sở Công Thương./.\n\n"
    "Nơi nhận:                      - Ban Giám đốc Sở; - Lưu: VT, CN(Linh). |  | "
    "KT. GIÁM ĐỐC PHÓ GIÁM ĐỐC                 Hoàng Văn Thuân\n\n"
    "PHÂN CÔNG NHIỆM VỤ CỦA TỔ CÔNG TÁC\n\n"
    "TT | Nhiệm vụ thực hiện | Người thực hiện | Ghi chú\n"
    " | Rà soát việc đáp ứng các điều kiện của học viên | Vũ Việt Linh Nguyễn Thị Loan | \n"
    " | Xây dựng quyết định công nhận kết quả kiểm tra | Vũ Việt Linh | \n"
)


def test_department_plan_issuer_signature_row_and_person_table():
    doc = parse(SO_PLAN, "kh.txt")
    m = doc.meta
    # the issuer is the department, with its province; not "Ủy ban nhân dân tỉnh Lào Cai Sở Công Thương"
    assert m.issuer == "Sở Công Thương tỉnh Lào Cai" and m.province == "Lào Cai"
    # the signature table row exported as one line beside "Nơi nhận"
    assert (m.signer, m.signer_authority, m.signer_position) == ("Hoàng Văn Thuân", "KT.", "PHÓ GIÁM ĐỐC")
    assert m.recipients == ["Ban Giám đốc Sở", "Lưu: VT, CN(Linh)"]
    rows = {p.text: p.persons for p in doc.passages if p.kind == "table_row"}
    # the row reads as printed, the task and then who does it
    assert rows == {
        "Rà soát việc đáp ứng các điều kiện của học viên | Vũ Việt Linh, Nguyễn Thị Loan": (
            "Vũ Việt Linh",
            "Nguyễn Thị Loan",
        ),
        "Xây dựng quyết định công nhận kết quả kiểm tra | Vũ Việt Linh": ("Vũ Việt Linh",),
    }


def _docx(tmp_path, rows: list[tuple[str, list[str]]]) -> bytes:
    """A Sở's plan whose task table lists the officials of a row one paragraph each, as Word does."""
    docx = pytest.importorskip("docx", reason="python-docx writes the DOCX")
    d = docx.Document()
    d.add_paragraph("SỞ CÔNG THƯƠNG")
    d.add_paragraph("Số: 12/KH-SCT")
    d.add_paragraph("KẾ HOẠCH")
    d.add_paragraph("Huấn luyện người quản lý vật liệu nổ công nghiệp")
    d.add_paragraph("1. Tổ công tác tổ chức huấn luyện theo kế hoạch.")
    t = d.add_table(rows=1, cols=3)
    for c, h in zip(t.rows[0].cells, ("TT", "Nhiệm vụ thực hiện", "Người thực hiện"), strict=True):
        c.text = h
    for i, (task, names) in enumerate(rows, 1):
        cells = t.add_row().cells
        cells[0].text, cells[1].text = str(i), task
        cells[2].text = names[0]
        for n in names[1:]:
            cells[2].add_paragraph(n)
    out = tmp_path / "kh.docx"
    d.save(str(out))
    return out.read_bytes()


def test_word_cell_of_names_one_a_paragraph(tmp_path):
    data = _docx(
        tmp_path,
        [
            (
                "Rà soát việc đáp ứng các điều kiện của học viên",
                ["Đỗ Mạnh Cường", "Vũ Việt Linh", "Nguyễn Thị thúy Nhung"],
            ),
            ("Trình ký chứng chỉ", ["Đỗ Mạnh Cường"]),
        ],
    )
    doc = parse_bytes("kh.docx", data)
    rows = {p.text: (p.lead, p.persons) for p in doc.passages if p.kind == "table_row"}
    # each paragraph of the cell is a name, even one typed with a small letter inside it
    names = ("Đỗ Mạnh Cường", "Vũ Việt Linh", "Nguyễn Thị thúy Nhung")
    assert rows == {
        "Rà soát việc đáp ứng các điều kiện của học viên | " + ", ".join(names): (names, names),
        "Trình ký chứng chỉ | Đỗ Mạnh Cường": (("Đỗ Mạnh Cường",), ("Đỗ Mạnh Cường",)),
    }


def test_signature_paragraph_of_a_markdown_page():
    assert signature_lines("TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH PHÓ CHỦ TỊCH Nguyễn Thành Sinh") == [
        "TM. ỦY BAN NHÂN DÂN",
        "KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
        "Nguyễn Thành Sinh",
    ]
    # a Word export glues the lines of the cell: "CHỦ TỊCHPHÓ CHỦ TỊCH"
    assert signature_lines("TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCHPHÓ CHỦ TỊCH Nguyễn Thành Sinh") == [
        "TM. ỦY BAN NHÂN DÂN",
        "KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
        "Nguyễn Thành Sinh",
    ]
    assert signature_lines("KT. Sở Y tế chủ trì thực hiện") is None
    assert signature_lines("Sở Y tế chủ trì") is None
    doc = parse(WEB_MD_HEAD + "\nTM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH PHÓ CHỦ TỊCH Trần Chí Hùng\n")
    m = doc.meta
    assert (m.signer, m.signer_authority, m.signer_position) == ("Trần Chí Hùng", "KT.", "PHÓ CHỦ TỊCH")


# --- cells ---------------------------------------------------------------------------------------


def test_partner_cells_keep_their_parties_whole():
    cell = parse_unit_list(
        "Các Sở, ban, ngành; Các tổ chức, cá nhân hoạt động khoáng sản", "Lào Cai", cell=True
    )
    assert cell.units == ("Các sở, ban, ngành", "Các tổ chức, cá nhân hoạt động khoáng sản")
    assert parse_unit_list("UBND các xã, phường", "Lào Cai", cell=True).units == (
        "Ủy ban nhân dân các xã, phường",
    )
    assert parse_unit_list("Các sở, ban, ngành, UBND xã, phường, đặc khu", "Hà Nội", cell=True).units == (
        "Các sở, ban, ngành",
        "Ủy ban nhân dân xã, phường, đặc khu",
    )
    # a named ward after a unit is a unit of its own; "có liên quan" narrows nothing
    assert parse_unit_list("Sở Y tế, Phường An Hòa", "Cần Thơ", cell=True).units == (
        "Sở Y tế",
        "Phường An Hòa",
    )
    assert parse_unit_list("Sở Tài chính, các tổ chức, cá nhân có liên quan", "Cần Thơ").units == (
        "Sở Tài chính",
    )


def test_column_number_row_is_not_a_task():
    assert is_column_numbers(["(1)", "(2)", "(3)", "(4)", "(5)"])
    assert is_column_numbers(["1", "2", "3", "4"])
    assert not is_column_numbers(["1", "Sở Y tế", "2025"])
    assert not is_column_numbers(["2", "15", "30"])
    table = (
        "KẾ HOẠCH\nPHÒNG CHỐNG DỊCH\n\nPhụ lục\n\n"
        "STT | Nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian thực hiện\n"
        "(1) | (2) | (3) | (4) | (5)\n"
        "1 | Giám sát dịch bệnh | Sở Y tế | UBND các xã, phường | Thường xuyên\n"
    )
    rows = [p for p in parse(table, "kh.txt").passages if p.kind == "table_row"]
    assert [(p.row, p.lead, p.partners) for p in rows] == [
        ("1", ("Sở Y tế",), ("Ủy ban nhân dân các xã, phường",))
    ]


def test_person_names_are_cut_at_a_surname():
    assert person_names("Đỗ Mạnh Cường Vũ Việt Linh Nguyễn Thị Loan") == [
        "Đỗ Mạnh Cường",
        "Vũ Việt Linh",
        "Nguyễn Thị Loan",
    ]
    assert person_names("Nguyễn Văn Hoàng Anh") == ["Nguyễn Văn Hoàng Anh"]
    assert person_names("Sở Công Thương") == []
    # one name a line (a Word cell's paragraphs): the lines say where each name ends
    assert person_names("Nguyễn Văn Hoàng\nphụ trách chung") == []  # a line that is no name: no cell of names
    assert person_names("Nguyễn Văn Hoàng\nLê Thị thu Hà") == ["Nguyễn Văn Hoàng", "Lê Thị thu Hà"]
    assert person_names("Sở Công Thương\nSở Tài chính") == []


# --- the real plans of the development split ---------------------------------------------------


@needs_real
def test_real_headers_of_web_markdown_plans():
    for name, number, date in (
        ("bac-ninh-141-kh-ubnd.md", "141/KH-UBND", "2025-11-20"),
        ("ho-chi-minh-174-kh-ubnd.md", "174/KH-UBND", "2025-11-18"),
        ("dong-thap-552-kh-ubnd.md", "552/KH-UBND", "2025-11-19"),
        ("can-tho-165-kh-ubnd.md", "165/KH-UBND", "2025-11-21"),
        ("ha-noi-308-kh-ubnd.md", "308/KH-UBND", "2025-11-17"),
    ):
        m = parse_file(REAL / "vn-provinces" / name).meta
        assert (m.number, m.date) == (number, date), name
        assert m.title and m.issuer and m.issuer.startswith("Ủy ban nhân dân "), name


@needs_real
def test_real_lao_cai_plans_of_a_department_and_an_inspection_team():
    team = parse_file(REAL / "plans" / "lao-cai-2026-1105-kh-dkt-kiem-tra-vlncn.txt")
    assert (team.meta.doc_type, team.meta.number, team.meta.date) == ("Kế hoạch", "1105/KH-ĐKT", "2026-03-10")
    assert team.meta.issuer == "Đoàn kiểm tra Sở Công Thương"
    leader = [p for p in team.passages if "Trưởng đoàn:" in p.text and "Phó" not in p.text]
    assert leader and leader[0].persons == ("Hoàng Văn Thuân",)
    plan = parse_file(REAL / "plans" / "lao-cai-2026-3898-kh-sct-huan-luyen.txt")
    assert plan.meta.issuer == "Sở Công Thương tỉnh Lào Cai"
    assert (plan.meta.signer, plan.meta.signer_position) == ("Hoàng Văn Thuân", "PHÓ GIÁM ĐỐC")
    review = [p for p in plan.passages if p.text.startswith("Rà soát chứng chỉ trước khi trình")]
    assert [p.persons for p in review] == [("Nguyễn Thị Loan",)]
    # the published DOCX: the person cell holds one name a paragraph
    sin_quyen = parse_file(REAL / "original" / "KH-3024_27.5.2026_Ky-rieng-Sin-Quyen.docx")
    first = [p for p in sin_quyen.passages if p.text.startswith("Rà soát việc đáp ứng các điều kiện")]
    assert [p.persons for p in first] == [("Đỗ Mạnh Cường", "Vũ Việt Linh", "Nguyễn Thị thúy Nhung")]
    assert [p.text for p in sin_quyen.passages if p.text.startswith("Trình ký chứng chỉ")] == [
        "Trình ký chứng chỉ | Đỗ Mạnh Cường"
    ]
    # every row of the annexed team table is headed by the annex's title, never by its people
    for team_plan in (
        sin_quyen,
        plan,
        parse_file(REAL / "original" / "KH-3898_30.6.2026_Huan-luyen-nguoi-quan-ly.docx"),
    ):
        rows = [p for p in team_plan.passages if p.kind == "table_row"]
        assert len(rows) == 9 and all(p.persons for p in rows)
        assert {p.section for p in rows} == {(rows[0].section[0],)}
        assert rows[0].section[0].startswith("Phân công nhiệm vụ của tổ công tác")
    ubnd = parse_file(REAL / "plans" / "lao-cai-2026-chi-thi-11-kh-ubnd-khoang-san.txt")
    assert (ubnd.meta.signer, ubnd.meta.signer_position) == ("Nguyễn Thành Sinh", "PHÓ CHỦ TỊCH")
    rows = [p for p in ubnd.passages if p.kind == "table_row"]
    assert not [p for p in rows if (p.row or "").startswith("(")]  # the "(1) (2) …" row is no task
    gpmb = [p for p in rows if "giải phóng mặt bằng và cho thuê đất" in p.text]
    assert [(p.lead, p.partners) for p in gpmb] == [
        (
            ("Ủy ban nhân dân các xã, phường",),
            ("Các sở, ban, ngành", "Các tổ chức, cá nhân hoạt động khoáng sản"),
        )
    ]


def test_running_text_names_commune_kinds_as_one_unit():
    from assistant.ingest.units import find_units

    assert find_units("Phối hợp UBND các xã, phường cập nhật thiệt hại", "Đắk Lắk") == [
        "Ủy ban nhân dân các xã, phường"
    ]
    # a kind followed by its name is a unit of its own
    assert find_units("UBND các xã, phường An Hòa thực hiện", "Cần Thơ") == ["Ủy ban nhân dân các xã"]


WRAPPED_UNIT_HEADINGS = (
    "**KẾ HOẠCH**\n\nHỖ TRỢ NHU YẾU PHẨM\n\n**IV.\nPHÂN CÔNG NHIỆM VỤ**\n\n**1.\nSở Công Thương:**\n\n"
    "- Chủ trì điều phối toàn\nbộ nguồn hàng hỗ trợ.\n\n**2. Sở\nKhoa học và Công nghệ:**\n\n"
    "Chỉ đạo các doanh nghiệp\nviễn thông bảo đảm thông tin liên lạc.\n\n"
    "**3.\nĐề nghị Công ty Điện lực Đắk Lắk:** Khắc phục sự cố lưới điện.\n"
)


def test_unit_headings_wrapped_inside_bold_give_the_lead_to_their_items():
    """ "**1.\\nSở Công Thương:**": the heading is the unit; its items are its tasks, not a neighbour's."""
    doc = parse(WRAPPED_UNIT_HEADINGS)
    leads = {p.section[-1]: (p.lead, p.requested) for p in doc.passages if p.kind == "article" and p.lead}
    assert leads == {
        "1. Sở Công Thương": (("Sở Công Thương",), ()),
        "2. Sở Khoa học và Công nghệ": (("Sở Khoa học và Công nghệ",), ()),
        "3. Đề nghị Công ty Điện lực Đắk Lắk": (("Công ty Điện lực Đắk Lắk",), ("Công ty Điện lực Đắk Lắk",)),
    }
