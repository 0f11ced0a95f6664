"""A number and day stamped into a PDF's blanks at issuance ("Số:     /KH-ĐKT", "ngày    tháng 3")
are drawn after the line; pypdf's layout mode leaves them at the line's end. They go back into the
blank their x position falls in (issue 12: the published PDF lost its number and date)."""

from __future__ import annotations

from assistant.ingest.pdf_fillins import Fragment, place_fillins


def test_stamped_number_and_day_go_back_into_their_blanks():
    lines = [
        "     SỐ 1050/QĐ-SCT                          Lào Cai, ngày      tháng 3 năm 202610",
        "      Số:        /KH-ĐKT1105",
        "                                       KẾ HOẠCH",
    ]
    frags = [
        Fragment(113, 724, "SỐ"),
        Fragment(135, 724, "1050/QĐ-SCT"),
        Fragment(303, 725, "Lào Cai, ngày      tháng 3 "),
        Fragment(449, 725, "năm"),
        Fragment(473, 725, " 2026"),
        Fragment(115, 692, "Số:"),
        Fragment(161, 692, "/KH-ĐKT"),
        Fragment(274, 656, "KẾ HOẠCH"),
        Fragment(136, 694, "1105"),  # drawn last: the stamps
        Fragment(384, 726, "10"),
    ]
    out = place_fillins(lines, frags)
    assert out[0].split("  ")[-1].strip() == "Lào Cai, ngày 10 tháng 3 năm 2026"
    assert out[1].strip() == "Số: 1105/KH-ĐKT"
    assert out[2] == lines[2]


def test_text_drawn_in_reading_order_is_left_alone():
    lines = ["Tổng kinh phí dự kiến là 2026 triệu đồng, năm 2026"]
    frags = [Fragment(50, 700, "Tổng kinh phí dự kiến là 2026 triệu đồng,"), Fragment(400, 700, " năm 2026")]
    assert place_fillins(lines, frags) == lines


def test_two_stamps_on_one_line_go_back_last_drawn_first():
    # an appendix's "(Kèm theo Kế hoạch số      /KH-ĐKT ngày     /3/2026 …)": the number then the
    # day stamped on one line, both appended to its end in drawing order ("…)110510")
    lines = ["  (Kèm theo Kế hoạch số         /KH-ĐKT ngày     /3/2026 của Đoàn kiểm tra)110510"]
    frags = [
        Fragment(80, 700, "(Kèm theo Kế hoạch số"),
        Fragment(200, 700, "/KH-ĐKT ngày"),
        Fragment(270, 700, "/3/2026 của Đoàn kiểm tra)"),
        Fragment(170, 701, "1105"),
        Fragment(258, 701, "10"),
    ]
    out = place_fillins(lines, frags)
    assert " ".join(out[0].split()) == "(Kèm theo Kế hoạch số 1105/KH-ĐKT ngày 10/3/2026 của Đoàn kiểm tra)"
