"""Appendix task tables in the shapes text exports give them: pipe rows without outer
pipes, one cell per line between lone "|" lines, group rows, role words inside cells
and header names with extra words.  Small plans written here, exact expectations."""

from __future__ import annotations

import pytest

from assistant.ingest import parse_bytes
from assistant.ingest.loaders import load_text
from assistant.ingest.tables import header_roles, read_table

HEAD = """ỦY BAN NHÂN DÂN
TỈNH AN GIANG
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 45/KH-UBND
An Giang, ngày 3 tháng 4 năm 2025
KẾ HOẠCH
Cải cách hành chính năm 2025
PHỤ LỤC NHIỆM VỤ
"""

ROWS = [
    ("1", "Tuyên truyền về cải cách hành chính", ["Sở Nội vụ"], ["Sở Tư pháp"]),
    ("2", "Tổ chức cuộc thi tìm hiểu", ["Sở Tư pháp"], ["Sở Nội vụ"]),
]


def _rows(body: str):
    doc = parse_bytes("kh.txt", (HEAD + body).encode())
    return [p for p in doc.passages if p.kind == "table_row"]


def _got(rows):
    return [(p.row, p.text, list(p.lead), list(p.partners)) for p in rows]


INNER_PIPES = """STT | Nội dung | Đơn vị chủ trì | Đơn vị phối hợp | Thời gian
1 | Tuyên truyền về cải cách hành chính | Sở Nội vụ | Sở Tư pháp | Quý II
2 | Tổ chức cuộc thi tìm hiểu | Sở Tư pháp | Sở Nội vụ | Quý III
"""

MD_NO_OUTER = """STT | Nội dung | Đơn vị chủ trì | Đơn vị phối hợp
---|---|---|---
1 | Tuyên truyền về cải cách hành chính | Sở Nội vụ | Sở Tư pháp
2 | Tổ chức cuộc thi tìm hiểu | Sở Tư pháp | Sở Nội vụ
"""

ONE_CELL_PER_LINE = (
    "\n|\n".join(
        [
            "STT",
            "Nội dung",
            "Đơn vị\nchủ trì",
            "Đơn vị phối hợp",
            "Thời gian",
            "1",
            "Tuyên truyền về cải cách hành chính",
            "Sở Nội vụ",
            "Sở Tư pháp",
            "Quý II",
            "2",
            "Tổ chức cuộc thi tìm hiểu",
            "Sở Tư pháp",
            "Sở Nội vụ",
            "Quý III",
        ]
    )
    + "\n|\nNơi nhận:\n- Lưu: VT.\n"
)

# rows closed by a blank line instead of a lone "|"
BLANK_ROWS = """STT
|
Nội dung
|
Đơn vị chủ trì
|
Đơn vị phối hợp

1
|
Tuyên truyền về cải cách hành chính
|
Sở Nội vụ
|
Sở Tư pháp

2
|
Tổ chức cuộc thi tìm hiểu
|
Sở Tư pháp
|
Sở Nội vụ
"""


TIMED = [
    (n, f"{t} | Thời gian: {q}", lead, partners)
    for (n, t, lead, partners), q in zip(ROWS, ("Quý II", "Quý III"))
]


@pytest.mark.parametrize(
    "body, expected",
    [(INNER_PIPES, TIMED), (MD_NO_OUTER, ROWS), (ONE_CELL_PER_LINE, TIMED), (BLANK_ROWS, ROWS)],
    ids=["inner-pipes", "markdown-rule", "cell-per-line", "blank-line-rows"],
)
def test_each_text_shape_gives_one_row_per_task(body, expected):
    # every column beyond the task and the units stays in the passage, labelled ("Thời gian: Quý II")
    assert _got(_rows(body)) == expected


def test_cell_per_line_header_and_rows_are_not_left_as_text():
    doc = parse_bytes("kh.txt", (HEAD + ONE_CELL_PER_LINE).encode())
    articles = " ".join(p.text for p in doc.passages if p.kind == "article")
    assert "Đơn vị phối hợp" not in articles and "Sở Tư pháp" not in articles
    assert "|" not in articles


def test_cell_per_line_out_of_step_stays_text_without_merged_units():
    # row 1 lost its partner cell (a merged cell): which cell is whose is unknown
    cells = [
        "STT",
        "Nội dung",
        "Đơn vị chủ trì",
        "Đơn vị phối hợp",
        "Thời gian",
        "1",
        "Tuyên truyền về cải cách hành chính",
        "Sở Nội vụ",
        "Quý II",
        "2",
        "Tổ chức cuộc thi tìm hiểu",
        "Sở Tư pháp",
        "Sở Nội vụ",
        "Quý III",
    ]
    doc = parse_bytes("kh.txt", (HEAD + "\n|\n".join(cells) + "\n|\n").encode())
    rows = [p for p in doc.passages if p.kind == "table_row"]
    assert [p.text for p in rows] == [
        "1 | Tuyên truyền về cải cách hành chính | Sở Nội vụ | Quý II",
        "2 | Tổ chức cuộc thi tìm hiểu | Sở Tư pháp | Sở Nội vụ | Quý III",
    ]
    assert all(not p.lead and not p.partners for p in doc.passages)


def test_lines_with_a_closing_pipe_or_a_single_pipe_are_not_tables():
    body = "ỦY BAN NHÂN DÂN |\nSố: 45/KH-UBND |\nCâu hỏi | trả lời\n"
    blocks = load_text("x.txt", body).blocks
    assert [b.kind for b in blocks] == ["para", "para", "para"]


def test_same_cell_count_on_two_lines_is_a_table_without_header():
    blocks = load_text("x.txt", "Huyện | Số hồ sơ | Tỷ lệ\nChâu Thành | 120 | 98%\n").blocks
    assert [(b.kind, b.cells) for b in blocks] == [
        ("table_row", ("Huyện", "Số hồ sơ", "Tỷ lệ")),
        ("table_row", ("Châu Thành", "120", "98%")),
    ]


GROUPED = """| TT | Nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Sản phẩm |
| I | CÔNG TÁC TUYÊN TRUYỀN | | | |
| 1 | Tuyên truyền về cải cách hành chính | Sở Nội vụ | Sở Tư pháp | Tin bài |
| II | CẢI CÁCH THỂ CHẾ | | | |
| 1 | Xây dựng văn bản | | | |
| 1.1 | Rà soát văn bản | Sở Tư pháp | Sở Nội vụ | Báo cáo |
| III | SỞ Y TẾ | | | |
| 1 | Kiểm tra cơ sở y tế | | Sở Nội vụ | Báo cáo |
"""


def _table(body: str):
    blocks = [b for b in load_text("x.txt", body).blocks if b.kind == "table_row"]
    return read_table(blocks, "An Giang")


def test_group_rows_head_the_rows_under_them_and_are_not_tasks():
    rows, _ = _table(GROUPED)
    assert [
        (r.num, r.groups, r.tasks[0].text, r.tasks[0].units.lead, r.tasks[0].units.partners) for r in rows
    ] == [
        (
            "1",
            ("I. CÔNG TÁC TUYÊN TRUYỀN",),
            "Tuyên truyền về cải cách hành chính",
            ["Sở Nội vụ"],
            ["Sở Tư pháp"],
        ),
        (
            "1.1",
            ("II. CẢI CÁCH THỂ CHẾ", "1. Xây dựng văn bản"),
            "Rà soát văn bản",
            ["Sở Tư pháp"],
            ["Sở Nội vụ"],
        ),
        # a group titled by a unit leads the rows under it
        ("1", ("III. SỞ Y TẾ",), "Kiểm tra cơ sở y tế", ["Sở Y tế"], ["Sở Nội vụ"]),
    ]


def test_same_number_under_a_new_group_is_a_new_row():
    rows, _ = _table(GROUPED)
    assert [r.num for r in rows] == ["1", "1.1", "1"]


def test_group_row_with_nothing_under_it_keeps_its_text():
    rows, _ = _table("| STT | Nội dung | Đơn vị chủ trì |\n| I | KIỂM TRA, GIÁM SÁT | |\n")
    assert [(r.num, r.task_texts, r.tasks[0].units.lead) for r in rows] == [("I", ["KIỂM TRA, GIÁM SÁT"], [])]


def test_title_merged_across_a_word_row_is_a_group():
    rows, _ = _table(
        "STT\tNội dung\tĐơn vị chủ trì\tĐơn vị phối hợp\n"
        "A\tNHIỆM VỤ CHUNG\tNHIỆM VỤ CHUNG\tNHIỆM VỤ CHUNG\n"
        "1\tTuyên truyền\tSở Nội vụ\tSở Tư pháp\n"
    )
    assert [(r.num, r.groups) for r in rows] == [("1", ("A. NHIỆM VỤ CHUNG",))]


def test_lead_cell_naming_its_partner():
    rows = _rows(
        "STT | Nội dung | Đơn vị thực hiện | Thời gian\n"
        "1 | Tổ chức hội nghị | Sở Tư pháp chủ trì, phối hợp Sở Nội vụ | Quý II\n"
        "2 | Kiểm tra | Sở Y tế (chủ trì); Sở Nội vụ (phối hợp) | Quý III\n"
    )
    assert [(list(p.lead), list(p.partners)) for p in rows] == [
        (["Sở Tư pháp"], ["Sở Nội vụ"]),
        (["Sở Y tế"], ["Sở Nội vụ"]),
    ]


@pytest.mark.parametrize(
    "names, roles",
    [
        (
            [
                "TT",
                "Nội dung công việc",
                "Cơ quan, đơn vị chủ trì thực hiện",
                "Cơ quan phối hợp",
                "Thời gian thực hiện/hoàn thành",
            ],
            ["num", "content", "lead", "partners", "time"],
        ),
        (
            [
                "STT",
                "Đơn vị\nchủ trì",
                "Nội dung thực hiện",
                "Đơn vị\nphối hợp",
                "Kết quả thực hiện",
                "Ghi chú",
            ],
            ["num", "lead", "content", "partners", "product", "note"],
        ),
        (
            ["Số TT", "Đơn vị chủ trì thực hiện nhiệm vụ", "Nhiệm vụ", "Kinh phí", "Thời hạn hoàn thành"],
            ["num", "lead", "content", "budget", "time"],
        ),
    ],
)
def test_header_names_with_extra_words_map_to_their_role(names, roles):
    assert list(header_roles(names).values()) == roles


def _marked(rows: list[list[str]]) -> str:
    """A web page's table as its text export writes it: every row opened and closed by a lone "|"."""
    return "".join("|\n" + "\n|\n".join(r) + "\n|\n" for r in rows)


def test_rows_marked_by_their_own_pipes_with_group_rows_and_wrapped_cells():
    # "| ¶ c1 ¶ | ¶ … ¶ | ¶ | ¶ c1 …": an empty segment between two rows; a group row "I | NHÓM …"
    # has fewer cells (merged); a task cell is hard-wrapped at a fixed width
    body = (
        "PHỤ LỤC\n\n"
        + _marked(
            [
                ["**STT**", "**NHIỆM VỤ**", "**CHỦ TRÌ**", "**PHỐI HỢP**", "**THỜI GIAN**"],
                ["**I**", "**NHÓM\nGIẢI PHÁP VỀ CHÍNH SÁCH**"],
                [
                    "1",
                    "Rà soát, kịp thời cụ thể\nhoá các cơ chế, chính sách.",
                    "Sở Tài chính",
                    "Sở, ban, ngành có liên quan",
                    "Thường xuyên",
                ],
                ["2", "Đề xuất giải pháp cải thiện\nmôi trường đầu tư.", "Sở Tài chính", "", "2026"],
                ["**II**", "**PHÁT TRIỂN NHÂN LỰC**"],
                [
                    "1",
                    "Đào tạo nhân lực\nkhoa học.",
                    "Liên hiệp các Hội Khoa học và Kỹ thuật",
                    "Sở Nội vụ",
                    "2026",
                ],
            ]
        )
        + "\nNơi nhận:\n- Lưu: VT.\n"
    )
    rows = _rows(body)
    assert [(p.section[-2:], p.text, list(p.lead), list(p.partners)) for p in rows] == [
        (
            ("I. NHÓM GIẢI PHÁP VỀ CHÍNH SÁCH", "1. Sở Tài chính"),
            "Rà soát, kịp thời cụ thể hoá các cơ chế, chính sách. | THỜI GIAN: Thường xuyên",
            ["Sở Tài chính"],
            ["Các sở, ban, ngành"],
        ),
        (
            ("I. NHÓM GIẢI PHÁP VỀ CHÍNH SÁCH", "2. Sở Tài chính"),
            "Đề xuất giải pháp cải thiện môi trường đầu tư. | THỜI GIAN: 2026",
            ["Sở Tài chính"],
            [],
        ),
        (
            ("II. PHÁT TRIỂN NHÂN LỰC", "1. Liên hiệp các Hội Khoa học và Kỹ thuật"),
            "Đào tạo nhân lực khoa học. | THỜI GIAN: 2026",
            ["Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh"],
            ["Sở Nội vụ"],
        ),
    ]


def test_a_marked_table_without_task_columns_gives_one_labelled_row_each():
    # a scoring table: no task or unit column, but its marks say where each row ends
    body = (
        "PHỤ LỤC\n\nThang điểm thi đua\n\n"
        + _marked(
            [
                ["**STT**", "**TIÊU CHÍ THI ĐUA**", "**ĐIỂM CHUẨN**", "**HƯỚNG DẪN CHẤM ĐIỂM**"],
                ["**I**", "**NHÓM XÃ, PHƯỜNG**", "**115**", ""],
                [
                    "1",
                    "Tỷ lệ người hưởng trợ cấp\nđược tuyên truyền",
                    "**20**",
                    "- Có kế hoạch tuyên truyền.",
                ],
                ["2", "Tỷ lệ người mở mới tài khoản", "**30**", "- Theo báo cáo của xã."],
            ]
        )
        + "\nNơi nhận:\n- Lưu: VT.\n"
    )
    doc = parse_bytes("kh.txt", (HEAD + body).encode())
    rows = [p.text for p in doc.passages if p.kind == "table_row"]
    assert rows == [
        "STT: I | TIÊU CHÍ THI ĐUA: NHÓM XÃ, PHƯỜNG | ĐIỂM CHUẨN: 115",
        "STT: 1 | TIÊU CHÍ THI ĐUA: Tỷ lệ người hưởng trợ cấp được tuyên truyền | ĐIỂM CHUẨN: 20"
        " | HƯỚNG DẪN CHẤM ĐIỂM: - Có kế hoạch tuyên truyền.",
        "STT: 2 | TIÊU CHÍ THI ĐUA: Tỷ lệ người mở mới tài khoản | ĐIỂM CHUẨN: 30"
        " | HƯỚNG DẪN CHẤM ĐIỂM: - Theo báo cáo của xã.",
    ]


def test_estimate_table_group_rows_keep_their_amount_under_thanh_tien_and_dash_items_are_rows():
    # a budget estimate (dự toán) exported one cell per line: a group row's name spans the
    # quantity columns (the export drops the span), its amount stays under "Thành tiền"; the TT
    # column marks line items "-"; an item may leave a quantity cell empty before its figures
    body = (
        "PHỤ LỤC II\n\nDỰ TOÁN KINH PHÍ QUAN TRẮC\n\n*(Kèm theo Kế hoạch số 45/KH-UBND)*\n\n"
        + _marked(
            [
                [
                    "**TT**",
                    "**Chỉ tiêu**",
                    "**Tần\nsuất** *(đợt/tháng)*",
                    "**Số\nđiểm**",
                    "**Số đợt\nquan trắc/năm**",
                    "**Đơn\ngiá** *(đồng)*",
                    "**Thành\ntiền** *(đồng)*",
                    "**Ghi\nchú**",
                ],
                ["**I**", "**Quan trắc môi trường\nnuôi trồng thủy sản**", "**1.364.329.243**", ""],
                [
                    "*-*",
                    "*Nhiệt độ nước (Quan trắc ngoài\nhiện trường)*",
                    "*2*",
                    "*6*",
                    "*18*",
                    "*95.614*",
                    "*10.326.312*",
                    "*STT 6, PL 6*",
                ],
                [
                    "*-*",
                    "*Oxy hòa tan (DO)*",
                    "",
                    "*6*",
                    "*18*",
                    "*109.451*",
                    "*11.820.708*",
                    "*STT 12, PL 6*",
                ],
                ["**II**", "**Thuê dịch vụ tin nhắn**", "**50.000.000**", ""],
            ]
        )
        + "\nNơi nhận:\n- Lưu: VT.\n"
    )
    doc = parse_bytes("kh.txt", (HEAD + body).encode())
    assert [(p.section[-1], p.text) for p in doc.passages if p.kind == "table_row"] == [
        ("I", "Chỉ tiêu: Quan trắc môi trường nuôi trồng thủy sản | Thành tiền (đồng): 1.364.329.243"),
        (
            "-",
            "Chỉ tiêu: Nhiệt độ nước (Quan trắc ngoài hiện trường) | Tần suất (đợt/tháng): 2 | Số điểm: 6"
            " | Số đợt quan trắc/năm: 18 | Đơn giá (đồng): 95.614 | Thành tiền (đồng): 10.326.312"
            " | Ghi chú: STT 6, PL 6",
        ),
        (
            "-",
            "Chỉ tiêu: Oxy hòa tan (DO) | Số điểm: 6 | Số đợt quan trắc/năm: 18 | Đơn giá (đồng): 109.451"
            " | Thành tiền (đồng): 11.820.708 | Ghi chú: STT 12, PL 6",
        ),
        ("II", "Chỉ tiêu: Thuê dịch vụ tin nhắn | Thành tiền (đồng): 50.000.000"),
    ]


def test_estimate_group_row_at_full_width_puts_its_sum_under_thanh_tien_and_star_cells_are_empty():
    # the web export writes an empty cell as emphasis around a space ("* *"); a group row written
    # at full width has its one figure right after its name: the group's sum, not a "Tần suất"
    body = (
        "PHỤ LỤC II\n\nDỰ TOÁN KINH PHÍ QUAN TRẮC\n\n*(Kèm theo Kế hoạch số 45/KH-UBND)*\n\n"
        + _marked(
            [
                [
                    "**TT**",
                    "**Chỉ tiêu**",
                    "**Tần suất** *(đợt/tháng)*",
                    "**Số điểm**",
                    "**Thành tiền**",
                    "**Ghi chú**",
                ],
                ["**1.1.2**", "**Mẫu nước trong ao nuôi**", "**72.313.308**", "", "* *", "* *"],
                ["1", "Nhiệt độ nước", "2", "2", "3.442.104", "* *"],
                ["2", "Oxy hòa tan (DO)", "2", "2", "3.940.236", "STT 12"],
            ]
        )
        + "\nNơi nhận:\n- Lưu: VT.\n"
    )
    doc = parse_bytes("kh.txt", (HEAD + body).encode())
    assert [p.text for p in doc.passages if p.kind == "table_row"] == [
        "Chỉ tiêu: Mẫu nước trong ao nuôi | Thành tiền: 72.313.308",
        "Chỉ tiêu: Nhiệt độ nước | Tần suất (đợt/tháng): 2 | Số điểm: 2 | Thành tiền: 3.442.104",
        "Chỉ tiêu: Oxy hòa tan (DO) | Tần suất (đợt/tháng): 2 | Số điểm: 2 | Thành tiền: 3.940.236 | Ghi chú: STT 12",
    ]
