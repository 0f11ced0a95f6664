"""A task table written one block per row, each cell after its column's name (``ingest.label_rows``).

A mobile web page, a screen reader's export or a DOCX/PDF converted to text writes a table's rows as
"STT: 1 / Nội dung: … / Đơn vị chủ trì: … / Thời gian: …": the header's names on every record. Each
task must take its units and its time from its own record, as from the same table written in cells.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from assistant.ingest import parse_bytes
from assistant.ingest.text_tables import text_tables

HEAD = """**KẾ HOẠCH**

**Thực hiện lộ trình đổi mới công nghệ**

**II. NHIỆM VỤ**

"""

ROWS = """STT: I
Nội dung: NHÓM GIẢI PHÁP VỀ CƠ CHẾ

STT: 1
Nội dung: Rà soát cơ chế, chính sách khuyến khích đầu tư.
Đơn vị chủ trì: Sở Tài chính
Đơn vị phối hợp: Sở Công Thương; Ban Quản lý khu kinh tế tỉnh
Thời gian: Quý IV/2026

STT: 2
Nội dung: Tập huấn cán bộ về chuyển đổi số.
Đơn vị chủ trì: Sở Nội vụ
Thời gian: Năm 2027

STT: 3
Nội dung: Xây dựng cơ sở dữ liệu ngành y tế.
Đơn vị chủ trì: Sở Y tế
Đơn vị phối hợp: Sở Khoa học và Công nghệ
Thời gian: Xong trong tháng 5/2026
Ghi chú: Ưu tiên
"""

PIPES = """| STT | Nội dung | Đơn vị chủ trì | Đơn vị phối hợp | Thời gian | Ghi chú |
|---|---|---|---|---|---|
| I | NHÓM GIẢI PHÁP VỀ CƠ CHẾ | | | | |
| 1 | Rà soát cơ chế, chính sách khuyến khích đầu tư. | Sở Tài chính | Sở Công Thương; Ban Quản lý khu kinh tế tỉnh | Quý IV/2026 | |
| 2 | Tập huấn cán bộ về chuyển đổi số. | Sở Nội vụ | | Năm 2027 | |
| 3 | Xây dựng cơ sở dữ liệu ngành y tế. | Sở Y tế | Sở Khoa học và Công nghệ | Xong trong tháng 5/2026 | Ưu tiên |
"""


def _rows(text: str):
    return [
        (p.lead, p.partners, p.text, p.section[-2:])
        for p in parse_bytes("dt-552.md", text.encode()).passages
        if p.kind == "table_row"
    ]


def test_labelled_records_are_the_rows_of_a_table():
    found = text_tables(ROWS)
    blocks = [b for b in found.values() if b is not None]
    # the header row (the labels, bold as an official table's header) and the four records
    assert blocks[0].cells == ("STT", "Nội dung", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời gian", "Ghi chú")
    assert blocks[0].bold
    assert [b.cells[0] for b in blocks[1:]] == ["I", "1", "2", "3"]
    assert blocks[2].cells[2:5] == (
        "Sở Tài chính",
        "Sở Công Thương; Ban Quản lý khu kinh tế tỉnh",
        "Quý IV/2026",
    )
    assert blocks[3].cells[3] == "" and blocks[4].cells[5] == "Ưu tiên"
    # every line of a record belongs to its row: none is left as prose
    assert len(found) == ROWS.count("\n") - ROWS.count("\n\n")


def test_each_task_takes_its_units_and_time_from_its_own_record():
    rows = _rows(HEAD + ROWS)
    assert [(r[0], r[1]) for r in rows] == [
        (("Sở Tài chính",), ("Sở Công Thương", "Ban Quản lý khu kinh tế tỉnh")),
        (("Sở Nội vụ",), ()),
        (("Sở Y tế",), ("Sở Khoa học và Công nghệ",)),
    ]
    assert rows[0][2] == "Rà soát cơ chế, chính sách khuyến khích đầu tư. | Thời gian: Quý IV/2026"
    assert rows[2][2].endswith("| Thời gian: Xong trong tháng 5/2026 | Ghi chú: Ưu tiên")
    # the group record heads the rows under it, as the group row of the table does
    assert rows[1][3] == ("I. NHÓM GIẢI PHÁP VỀ CƠ CHẾ", "2. Sở Nội vụ")


def test_the_same_reading_as_the_table_in_cells():
    assert _rows(HEAD + ROWS) == _rows(HEAD + PIPES)


def test_records_without_blank_lines_and_a_wrapped_cell():
    # an export that does not separate records: the label a record already holds opens the next;
    # a line that is no column name continues the cell above it
    text = (
        "TT: 1\nNhiệm vụ: Kiểm tra an toàn vật liệu nổ công nghiệp tại các mỏ\n"
        "đang khai thác trên địa bàn.\nCơ quan chủ trì: Sở Công Thương\nThời gian: Quý II/2026\n"
        "TT: 2\nNhiệm vụ: Tuyên truyền pháp luật về khoáng sản.\nCơ quan chủ trì: Công an tỉnh\n"
        "Thời gian: Thường xuyên\n"
    )
    rows = _rows(HEAD + text)
    assert [r[0] for r in rows] == [("Sở Công Thương",), ("Công an tỉnh",)]
    assert rows[0][2] == (
        "Kiểm tra an toàn vật liệu nổ công nghiệp tại các mỏ đang khai thác trên địa bàn. | "
        "Thời gian: Quý II/2026"
    )


def test_label_blocks_that_name_no_task_table_stay_prose():
    # a contact list or a meeting's particulars repeat their labels too, but name no task column
    text = (
        "Địa chỉ: 12 Lê Lợi, phường 1\nĐiện thoại: 0277 3851 234\n\n"
        "Địa chỉ: 3 Hùng Vương, phường 2\nĐiện thoại: 0277 3852 111\n\n"
        "Thời gian: 8 giờ ngày 5/12/2025\nĐịa điểm: Hội trường UBND tỉnh\n"
    )
    assert not text_tables(text)
    # one record alone is a paragraph of labelled lines, not a table
    assert not text_tables(ROWS.split("\n\n")[1] + "\n")


def test_a_prose_paragraph_opening_with_a_label_ends_the_table():
    text = ROWS + "\nCăn cứ: Kế hoạch này, các sở, ngành triển khai thực hiện.\n"
    found = text_tables(text)
    last = text.rindex("Căn cứ:")
    assert last not in found
    assert sum(1 for b in found.values() if b is not None) == 5


@pytest.mark.skipif(
    not (Path(os.environ.get("REAL_PLANS_DIR", "../shared/external/real-plans")) / "vn-provinces").is_dir(),
    reason="real plans absent",
)
def test_a_real_plan_as_labelled_records_reads_as_its_table():
    from eval.doc_transforms import row_blocks

    plan = Path(os.environ.get("REAL_PLANS_DIR", "../shared/external/real-plans")) / (
        "vn-provinces/dong-thap-552-kh-ubnd.md"
    )
    text = plan.read_text(encoding="utf-8")

    def units(t: str):
        return [
            (p.lead, p.partners, p.section)
            for p in parse_bytes(plan.name, t.encode()).passages
            if p.kind == "table_row"
        ]

    as_written = units(text)
    assert len(as_written) >= 19
    assert units(row_blocks(text)) == as_written


def test_a_numbered_table_that_assigns_no_task_keeps_its_names_on_every_cell():
    # a criteria table (STT | Tiêu chí thi đua | Điểm chuẩn): no unit column, but every record opens
    # with its row number, so its records are rows whose cells its labels name
    text = (
        "STT: 1\nTIÊU CHÍ THI ĐUA: Tỷ lệ người hưởng trợ cấp được tuyên truyền\nĐIỂM CHUẨN: 20\n\n"
        "STT: 2\nTIÊU CHÍ THI ĐUA: Tỷ lệ người mở mới tài khoản\nĐIỂM CHUẨN: 40\n"
    )
    rows = _rows(HEAD + text)
    assert [r[2] for r in rows] == [
        "STT: 1 | TIÊU CHÍ THI ĐUA: Tỷ lệ người hưởng trợ cấp được tuyên truyền | ĐIỂM CHUẨN: 20",
        "STT: 2 | TIÊU CHÍ THI ĐUA: Tỷ lệ người mở mới tài khoản | ĐIỂM CHUẨN: 40",
    ]
