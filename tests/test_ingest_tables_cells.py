"""Every cell of a table row reaches a passage, and tabs that only indent are not tables.

- Word exports indent paragraphs with leading tabs and write "1.\\tText" list numbers:
  those lines are text; a tab table needs two rows with the same cells or a header;
- a row's time, product, measure and value cells follow its task, named by their column;
- "Đơn vị tính" is a unit of measure, not a unit that leads;
- Word tables keep every cell under its own column, merged cells included.
Small plans written here, exact expectations.
"""

from __future__ import annotations

import io

import pytest

from assistant.ingest import parse_bytes, tables
from assistant.ingest.loaders import load_text
from assistant.ingest.tables import header_roles, read_table

HEADER = (
    "ỦY BAN NHÂN DÂN\nXÃ AN PHÚ\n\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n\n"
    "Số: 12/KH-UBND\n\nAn Phú, ngày 5 tháng 3 năm 2025\n\nKẾ HOẠCH\n\nChuyển đổi số xã An Phú năm 2025\n\n"
)
FOOTER = "\n\nNơi nhận:\n- Như trên;\n- Lưu: VT.\n\tKT. CHỦ TỊCH\n\tPHÓ CHỦ TỊCH\n\n\n\tLê Văn Tâm\n"


def parse(body: str, name: str = "kh.txt"):
    return parse_bytes(name, (HEADER + body + FOOTER).encode("utf-8"))


def rows(doc):
    return [(p.text, p.lead, p.partners) for p in doc.passages if p.kind == "table_row"]


# --- tabs that indent ----------------------------------------------------------------------
INDENTED = (
    "\tCăn cứ tình hình thực tế, Ủy ban nhân dân xã xây dựng Kế hoạch như sau:\n\n"
    "I. MỤC ĐÍCH\n\t1. Phổ cập kỹ năng số cho người dân.\n\t2. Bảo đảm an toàn thông tin.\n\n"
    "II. TỔ CHỨC THỰC HIỆN\n\t1. Công an xã\n\t- Chủ trì hướng dẫn kích hoạt tài khoản định danh điện tử.\n"
)


def test_leading_tabs_indent_paragraphs_they_are_not_table_rows():
    d = parse(INDENTED)
    assert rows(d) == []
    assert [(p.section, p.text) for p in d.passages if p.kind == "article"][-1] == (
        ("II. TỔ CHỨC THỰC HIỆN", "1. Công an xã"),
        "1. Công an xã\n- Chủ trì hướng dẫn kích hoạt tài khoản định danh điện tử.",
    )
    assert d.passages[-1].lead == ("Công an xã",)
    assert d.meta.signer == "Lê Văn Tâm"


def test_a_list_number_and_its_text_split_by_a_tab_are_one_line():
    blocks = load_text(
        "x.txt", "1.\tTuyên truyền kỹ năng số.\n2.\tHướng dẫn người dân.\na)\tNội dung một.\n"
    ).blocks
    assert [(b.kind, b.text) for b in blocks] == [
        ("para", "1. Tuyên truyền kỹ năng số."),
        ("para", "2. Hướng dẫn người dân."),
        ("para", "a) Nội dung một."),
    ]


def test_one_line_with_an_inner_tab_is_not_a_table_but_two_are():
    one = load_text("x.txt", "Ghi chú\tkhông có\n\nđoạn văn\n").blocks
    assert [b.kind for b in one] == ["para", "para"]
    two = load_text("x.txt", "Huyện\tSố hồ sơ\nAn Phú\t120\n").blocks
    assert [(b.kind, b.cells) for b in two] == [
        ("table_row", ("Huyện", "Số hồ sơ")),
        ("table_row", ("An Phú", "120")),
    ]


def test_inside_a_tab_table_leading_tabs_are_empty_cells():
    body = (
        "\tPhân công cụ thể như sau:\n"  # indented, right above the table: still text
        "STT\tĐơn vị chủ trì\tNội dung thực hiện\tĐơn vị phối hợp\n"
        "1\tSở Y tế\t- Việc một.\tSở Nội vụ\n\n\t\t- Việc hai.\t\n"
    )
    blocks = load_text("x.txt", body).blocks
    assert (blocks[0].kind, blocks[0].text) == ("para", "Phân công cụ thể như sau:")
    assert [b.cells for b in blocks[1:]] == [
        ("STT", "Đơn vị chủ trì", "Nội dung thực hiện", "Đơn vị phối hợp"),
        ("1", "Sở Y tế", "- Việc một.", "Sở Nội vụ"),
        ("", "", "- Việc hai.", ""),
    ]


# --- every cell kept, named by its column -----------------------------------------------------
# (the passage text of a row's task is ``Task.passage``; structure.py writes it)
def _table(body: str):
    blocks = [b for b in load_text("x.md", body).blocks if b.kind == "table_row"]
    return read_table(blocks, None)


TARGETS = (
    "II. CHỈ TIÊU\nChỉ tiêu\tĐơn vị tính\tKết quả năm 2025\n"
    "Hộ dùng thanh toán không tiền mặt\t%\t60\n"
    "Thôn có Tổ công nghệ số\tthôn\t12/12\n"
)


def test_target_table_keeps_every_cell_and_gives_no_units():
    got, _ = _table(TARGETS)
    assert [(t.passage, t.units.lead, t.units.partners) for r in got for t in r.tasks] == [
        ("Chỉ tiêu: Hộ dùng thanh toán không tiền mặt | Đơn vị tính: % | Kết quả năm 2025: 60", [], []),
        ("Chỉ tiêu: Thôn có Tổ công nghệ số | Đơn vị tính: thôn | Kết quả năm 2025: 12/12", [], []),
    ]
    assert [r.lead_text for r in got] == ["", ""]  # the section label names no unit


def test_table_without_task_column_names_every_cell():
    body = "Năm\tKết quả\tKinh phí\n2024\t80%\t100 triệu\n2025\t90%\t120 triệu\n"
    got, roles = _table(body)
    assert roles == {}
    assert [t.passage for r in got for t in r.tasks] == [
        "Năm: 2024 | Kết quả: 80% | Kinh phí: 100 triệu",
        "Năm: 2025 | Kết quả: 90% | Kinh phí: 120 triệu",
    ]


def test_unit_of_measure_is_not_a_unit_role():
    assert header_roles(["Chỉ tiêu", "Đơn vị tính", "ĐVT", "Đơn vị thực hiện"]) == {
        0: "content",
        1: "measure",
        3: "lead",
    }
    assert tables.is_label_row(["Chỉ tiêu", "Đơn vị tính", "Kết quả năm 2025"])
    assert not tables.is_label_row(["Hộ dùng thanh toán không tiền mặt", "%", "60"])


TASKS = (
    "| STT | Nội dung nhiệm vụ | Đơn vị chủ trì | Đơn vị phối hợp | Thời gian hoàn thành | Kinh phí |\n"
    "|---|---|---|---|---|---|\n"
    "| 1 | Xây dựng bản đồ số du lịch | Phòng Văn hóa - Xã hội | Công an xã | 30/6/2025 | 50 triệu đồng |\n"
    "| 2 | Tập huấn kỹ năng số | Đoàn Thanh niên xã | | Quý III/2025 | |\n"
)


def test_task_rows_carry_their_deadline_and_budget():
    got, roles = _table(TASKS)
    assert [(t.text, t.passage, t.units.lead, t.units.partners) for r in got for t in r.tasks] == [
        (
            "Xây dựng bản đồ số du lịch",
            "Xây dựng bản đồ số du lịch | Thời gian hoàn thành: 30/6/2025 | Kinh phí: 50 triệu đồng",
            ["Phòng Văn hóa - Xã hội"],
            ["Công an xã"],
        ),
        (
            "Tập huấn kỹ năng số",
            "Tập huấn kỹ năng số | Thời gian hoàn thành: Quý III/2025",
            ["Đoàn Thanh niên xã"],
            [],
        ),
    ]


def test_continuation_row_joins_its_cells_once():
    body = (
        "| STT | Nội dung | Đơn vị chủ trì | Thời gian |\n|---|---|---|---|\n"
        "| 1 | Việc một. | Công an xã | Quý I |\n|  | Việc hai. |  | Quý I |\n|  | Việc ba. |  | và Quý II |\n"
    )
    got, _ = _table(body)
    assert [t.passage for r in got for t in r.tasks] == [
        "Việc một. | Thời gian: Quý I và Quý II",
        "Việc hai. | Thời gian: Quý I và Quý II",
        "Việc ba. | Thời gian: Quý I và Quý II",
    ]


def test_without_an_stt_column_every_row_is_its_own():
    body = (
        "| Nội dung | Đơn vị chủ trì | Thời gian |\n|---|---|---|\n"
        "| Việc một. | Công an xã | Quý I |\n| Việc hai. | Đoàn Thanh niên xã | Quý II |\n"
    )
    got, _ = _table(body)
    assert [(t.passage, t.units.lead) for r in got for t in r.tasks] == [
        ("Việc một. | Thời gian: Quý I", ["Công an xã"]),
        ("Việc hai. | Thời gian: Quý II", ["Đoàn Thanh niên xã"]),
    ]


# --- Word tables -----------------------------------------------------------------------------
docx = pytest.importorskip("docx")


def _word_plan() -> bytes:
    d = docx.Document()
    for line in (HEADER + "III. PHÂN CÔNG").split("\n"):
        if line.strip():
            d.add_paragraph(line)
    t = d.add_table(rows=0, cols=5)
    for values in (
        ("STT", "Nội dung", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời gian"),
        ("1", "Tập huấn kỹ năng số", "Đoàn Thanh niên xã", "Công an xã", "Quý II/2025"),
        ("2", "Rà soát hồ sơ trực tuyến", "Công an xã", "", "Tháng 9/2025"),
    ):
        cells = t.add_row().cells
        for c, v in zip(cells, values):
            c.text = v
    # row 2: lead and partner cells merged into one, written once
    merged = t.rows[2].cells[2].merge(t.rows[2].cells[3])
    merged.text = "Công an xã"
    for line in FOOTER.replace("\t", "").split("\n"):
        if line.strip():
            d.add_paragraph(line)
    bio = io.BytesIO()
    d.save(bio)
    return bio.getvalue()


def test_word_table_cells_stay_under_their_columns():
    from assistant.ingest.docx_loader import load_docx

    blocks = [b for b in load_docx("kh.docx", _word_plan()).blocks if b.kind == "table_row"]
    assert blocks[2].cells == ("2", "Rà soát hồ sơ trực tuyến", "Công an xã", "", "Tháng 9/2025")
    got, _ = read_table(blocks, None)
    assert [(t.passage, t.units.lead, t.units.partners) for r in got for t in r.tasks] == [
        ("Tập huấn kỹ năng số | Thời gian: Quý II/2025", ["Đoàn Thanh niên xã"], ["Công an xã"]),
        ("Rà soát hồ sơ trực tuyến | Thời gian: Tháng 9/2025", ["Công an xã"], []),
    ]


def _team_table(d, rows) -> None:
    t = d.add_table(rows=0, cols=3)
    for values in (("TT", "Nhiệm vụ thực hiện", "Người thực hiện"), *rows):
        for c, v in zip(t.add_row().cells, values):
            c.text = v


def test_an_assignment_row_is_headed_by_its_section_not_by_its_people():
    # "Người thực hiện" written one name per paragraph in its Word cell (the plans of a Sở's
    # tổ công tác): the people are who does the row's task (its persons), not a heading
    d = docx.Document()
    for line in (HEADER + "III. PHÂN CÔNG").split("\n"):
        if line.strip():
            d.add_paragraph(line)
    _team_table(d, [("1", "Rà soát vào điểm", "Vũ Việt Linh")])
    d.tables[0].rows[1].cells[2].add_paragraph("Nguyễn Thị Loan")
    bio = io.BytesIO()
    d.save(bio)
    rows = [p for p in parse_bytes("kh.docx", bio.getvalue()).passages if p.kind == "table_row"]
    assert [(p.section, p.persons, p.text) for p in rows] == [
        (
            ("III. PHÂN CÔNG",),
            ("Vũ Việt Linh", "Nguyễn Thị Loan"),
            "Rà soát vào điểm | Vũ Việt Linh, Nguyễn Thị Loan",
        )
    ]


def test_an_annex_team_table_after_the_signature_keeps_its_title():
    # the plan's annex "PHÂN CÔNG NHIỆM VỤ CỦA TỔ CÔNG TÁC …" "(Kèm theo Kế hoạch số …)" printed after
    # the signature: its rows are headed by that title, and no row by its people
    d = docx.Document()
    for line in (HEADER + "I. MỤC ĐÍCH\nTổ chức tập huấn chuyển đổi số." + FOOTER.replace("\t", "")).split(
        "\n"
    ):
        if line.strip():
            d.add_paragraph(line)
    d.add_paragraph("PHÂN CÔNG NHIỆM VỤ CỦA TỔ CÔNG TÁC TẬP HUẤN")
    d.add_paragraph("(Kèm theo Kế hoạch số 12/KH-UBND ngày 5/3/2025 của Ủy ban nhân dân xã)")
    _team_table(d, [("1", "Trình ký chứng chỉ", "Lê Văn Tâm"), ("2", "In ấn chứng chỉ", "Vũ Việt Linh")])
    bio = io.BytesIO()
    d.save(bio)
    rows = [p for p in parse_bytes("kh.docx", bio.getvalue()).passages if p.kind == "table_row"]
    assert [(p.section, p.persons) for p in rows] == [
        (("Phân công nhiệm vụ của tổ công tác tập huấn",), ("Lê Văn Tâm",)),
        (("Phân công nhiệm vụ của tổ công tác tập huấn",), ("Vũ Việt Linh",)),
    ]
