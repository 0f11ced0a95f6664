"""The layout transforms of ``eval/doc_transforms.py`` on tiny inline plans: each writes the
convention it names, keeps every word, and is deterministic (no index, no model)."""

from __future__ import annotations

import re
import unicodedata

from eval.doc_transforms import (
    DOC_TRANSFORMS,
    bold_units,
    en_dash,
    md_headings,
    nbsp,
    nfd,
    numbering,
    old_tone,
    pipe_tables,
    plain_emphasis,
    row_blocks,
    stacked_header_signature,
    unwrap,
    wrap80,
)

PLAN = """|
**ỦY BAN NHÂN
DÂN**
**TỈNH ĐỒNG THÁP**
|
**CỘNG HÒA XÃ
HỘI CHỦ NGHĨA VIỆT NAM**
Độc lập - Tự do - Hạnh phúc
|
|
Số: 552/KH-UBND
|
*Đồng Tháp,
ngày 19 tháng 11 năm 2025*
|

**KẾ HOẠCH**

**I. MỤC
ĐÍCH, YÊU CẦU**

**1. Mục đích**

- Khuyến khích ứng dụng, đổi
mới và chuyển giao công nghệ trong hòa bình.

a) Sở Y tế: Chủ trì tổ chức tập huấn cho
cán bộ y tế cơ sở.

|
**STT**
|
**Nội dung**
|
**Đơn vị chủ trì**
|
**Thời gian**
|
|
1
|
Rà soát quy hoạch
|
Sở Xây dựng
|
Quý IV/2025
|
|
2
|
Tập huấn cán bộ
|
Sở Nội vụ
|
Năm 2026
|

|
Nơi nhận:
- Như trên;
- Lưu: VT.
|
**TM. ỦY BAN NHÂN DÂN**
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH
**Trần Văn A**
|
"""


def _words(text: str) -> list[str]:
    """The plan's words in order, markup and white space aside (what no transform may change)."""
    return re.findall(r"[^\W_]+", unicodedata.normalize("NFC", text))


def test_every_transform_is_deterministic_and_keeps_the_words_of_prose():
    for name, fn in DOC_TRANSFORMS.items():
        out = fn(PLAN)
        assert fn(PLAN) == out, name
        if name in ("unwrap", "wrap80", "plain_emphasis", "md_headings", "bold_units", "nbsp", "en_dash"):
            assert _words(out) == _words(PLAN), name
        if name in ("nfd", "old_tone", "nbsp", "en_dash", "stacked_header_signature", "unwrap", "wrap80"):
            assert "Chủ trì tổ chức tập huấn" in unicodedata.normalize("NFC", unwrap(out)), name


def test_unwrap_joins_wrapped_lines_but_keeps_items_and_header_lines():
    out = unwrap(PLAN)
    assert "**I. MỤC ĐÍCH, YÊU CẦU**" in out.split("\n")
    assert "- Khuyến khích ứng dụng, đổi mới và chuyển giao công nghệ trong hòa bình." in out.split("\n")
    assert "**ỦY BAN NHÂN DÂN**" in out.split("\n")  # bold span wrapped in the source
    assert "**TỈNH ĐỒNG THÁP**" in out.split("\n")  # the next issuer line stays its own
    assert "KT. CHỦ TỊCH" in out.split("\n") and "PHÓ CHỦ TỊCH" in out.split("\n")
    assert out.count("\n|\n") == PLAN.count("\n|\n")  # table cells untouched


def test_wrap80_cuts_long_lines_at_80_columns():
    long = "- " + " ".join(["nhiệm vụ"] * 30)
    out = wrap80(long)
    assert all(len(x) <= 80 for x in out.split("\n")) and len(out.split("\n")) > 2
    assert " ".join(out.split()) == long


def test_emphasis_and_headings():
    assert "**" not in plain_emphasis(PLAN) and "*Đồng" not in plain_emphasis(PLAN)
    out = md_headings(PLAN)
    assert "## I. MỤC ĐÍCH, YÊU CẦU" in out.split("\n")
    assert "### 1. Mục đích" in out.split("\n")
    assert "# KẾ HOẠCH" in out.split("\n")
    assert "a) **Sở Y tế**: Chủ trì tổ chức tập huấn cho" in bold_units(PLAN).split("\n")


def test_numbering_styles_at_line_starts_only():
    out = numbering(PLAN)
    assert "**Phần I. MỤC" in out and "**1) Mục đích**" in out and "a. Sở Y tế:" in out
    assert "552/KH-UBND" in out and "ngày 19 tháng 11 năm 2025" in out  # numbers inside lines kept


def test_unicode_forms():
    assert nfd("hòa") != "hòa" and unicodedata.normalize("NFC", nfd("hòa")) == "hòa"
    assert (
        old_tone("hòa bình, Ủy ban, thủy sản, khỏe, quý, mùa") == "hoà bình, Uỷ ban, thuỷ sản, khoẻ, quý, mùa"
    )
    assert old_tone("hoàn thành") == "hoàn thành"  # a closed syllable keeps its mark
    assert "Số:\u00a0552" in nbsp(PLAN) and "ngày\u00a019" in nbsp(PLAN)
    assert "Độc lập – Tự do – Hạnh phúc" in en_dash(PLAN) and "– Như trên;" in en_dash(PLAN)


def test_task_table_as_pipe_table_and_as_row_blocks():
    out = pipe_tables(PLAN)
    assert "| STT | Nội dung | Đơn vị chủ trì | Thời gian |" in out
    assert "| 1 | Rà soát quy hoạch | Sở Xây dựng | Quý IV/2025 |" in out
    assert "\n|---|---|---|---|\n" in out
    blocks = row_blocks(PLAN)
    assert "STT: 2\nNội dung: Tập huấn cán bộ\nĐơn vị chủ trì: Sở Nội vụ\nThời gian: Năm 2026" in blocks


def test_header_and_signature_stacked():
    out = stacked_header_signature(PLAN)
    head, _, rest = out.partition("**KẾ HOẠCH**")
    assert not re.search(r"^\|$", head, re.M) and "Số: 552/KH-UBND" in head
    tail = rest[rest.index("Nơi nhận") - 2 :]
    assert not re.search(r"^\|$", tail, re.M) and "**Trần Văn A**" in tail
    assert re.search(r"^\|$", rest[: rest.index("Nơi nhận")], re.M)  # the task table keeps its cells


def test_dev_plans_leave_the_test_split_out(tmp_path):
    import pytest

    from eval.doc_perturb import dev_plans, write_corpus
    from eval.realsuite import data_dir, split_table

    folder = data_dir() / "vn-provinces"
    if not folder.is_dir():
        pytest.skip("real plans not present (REAL_PLANS_DIR)")
    plans = dev_plans(folder)
    table = split_table()
    assert plans and all(table[p.name] == "dev" for p in plans)
    assert {n for n, s in table.items() if s == "test" and n.endswith(".md")}.isdisjoint(
        p.name for p in plans
    )
    assert write_corpus(plans[:2], tmp_path, nfd) == 2 and write_corpus(plans[:2], tmp_path, None) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in plans[:2])


def test_row_blocks_label_with_the_header_the_page_marks_and_stack_a_table_without_one():
    # a criteria table whose header names no task column, set in bold as an official table's
    # header (a web page's <th>): its names still label every record
    criteria = (
        "|\n**STT**\n|\n**TIÊU CHÍ THI ĐUA**\n|\n**ĐIỂM CHUẨN**\n|\n|\n"
        "1\n|\nTỷ lệ người hưởng trợ cấp được tuyên truyền\n|\n20\n|\n|\n"
        "2\n|\nTỷ lệ người mở mới tài khoản\n|\n40\n|\n"
    )
    out = row_blocks(criteria)
    assert "STT: 2\nTIÊU CHÍ THI ĐUA: Tỷ lệ người mở mới tài khoản\nĐIỂM CHUẨN: 40" in out
    # the Decree 30 header table (issuer | motto) has no header row: no "Cột 1:" names invented,
    # its cells stacked one a line, a blank line between rows
    header = (
        "UBND TỈNH LÀO CAI |  | CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "SỞ CÔNG THƯƠNG |  | Độc lập - Tự do - Hạnh phúc\n"
        "Số: 12/KH-SCT |  | Lào Cai, ngày 3 tháng 6 năm 2026\n"
    )
    out = row_blocks(header)
    assert "Cột" not in out
    assert out.startswith(
        "UBND TỈNH LÀO CAI\nCỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM\n\nSỞ CÔNG THƯƠNG\nĐộc lập - Tự do - Hạnh phúc\n\n"
    )


def test_unwrap_keeps_a_short_numbered_heading_apart_from_its_body():
    # a plan already written one paragraph a line (a Word export): the heading "11. Bộ Chỉ huy Quân
    # sự tỉnh" and the body under it are two paragraphs, which no export joins
    text = (
        "11. Bộ Chỉ huy Quân sự tỉnh\n"
        "Chỉ đạo lực lượng chức năng tăng cường phối hợp kiểm tra khu vực biên giới.\n"
        "1. Tổ chức kiểm tra kỹ thuật an toàn cho các đối tượng liên\n"
        "quan đến vật liệu nổ công nghiệp.\n"
    )
    out = unwrap(text)
    assert out.startswith("11. Bộ Chỉ huy Quân sự tỉnh\nChỉ đạo lực lượng")
    # a wrapped line still joins (the rest of the sentence opens in lower case)
    assert "các đối tượng liên quan đến vật liệu nổ công nghiệp." in out


def test_unwrap_joins_a_bulleted_label_with_its_wrapped_content():
    # "- *Giai đoạn 48-72 giờ:*" ¶ "Hỗ trợ …": one paragraph of the web page, wrapped after its label
    text = "- *Giai đoạn 48-72 giờ:*\nHỗ trợ tấm lợp, vật liệu sửa nhà cho các hộ dân.\n"
    assert unwrap(text) == "- *Giai đoạn 48-72 giờ:* Hỗ trợ tấm lợp, vật liệu sửa nhà cho các hộ dân.\n"
