"""Small plans written here, with exact expected sections and units, to pin each rule."""

from __future__ import annotations

import unicodedata

import pytest

from assistant.errors import UnsafeFileName
from assistant.ingest import parse_bytes
from assistant.ingest.units import canonical_unit, find_units, match_unit_in_text, unit_aliases

HEADER = "ỦY BAN NHÂN DÂN\nTỈNH ĐỒNG THÁP\n\nSố: 12/KH-UBND\n\nĐồng Tháp, ngày 5 tháng 3 năm 2024\n\nKẾ HOẠCH\n\nThử nghiệm quy tắc\n\n"
FOOTER = "\n\nNơi nhận:\n- Như trên;\n- Lưu: VT.\n\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n\nNguyễn Văn An\n"


def parse(body: str, header: str = HEADER, footer: str = FOOTER, name: str = "thu.txt"):
    return parse_bytes(name, (header + body + footer).encode("utf-8"))


def table(doc):
    return {
        (p.section, p.text): (p.lead, p.partners, p.requested) for p in doc.passages if p.kind == "article"
    }


def test_group_closing_lines_close_lettered_points():
    d = parse(
        "II. NHIỆM VỤ\n\n1. Nhóm một\n\na) Việc A.\n\nb) Việc B.\n\n"
        "Đơn vị chủ trì: Sở Tư pháp.\n\nĐơn vị phối hợp: Sở Y tế.\n\n"
        "c) Việc C.\n\nĐơn vị chủ trì: Sở Xây dựng.\n\n2. Nhóm hai\n\nViệc D.\n"
    )
    got = {p.section: (p.lead, p.partners) for p in d.passages if p.kind == "article"}
    assert got == {
        ("II. NHIỆM VỤ", "1. Nhóm một", "a)"): (("Sở Tư pháp",), ("Sở Y tế",)),
        ("II. NHIỆM VỤ", "1. Nhóm một", "b)"): (("Sở Tư pháp",), ("Sở Y tế",)),
        ("II. NHIỆM VỤ", "1. Nhóm một", "c)"): (("Sở Xây dựng",), ()),
        ("II. NHIỆM VỤ", "2. Nhóm hai"): ((), ()),
    }
    b = [p for p in d.passages if p.section[-1:] == ("b)",)][0]
    assert b.text == "b) Việc B.\nĐơn vị chủ trì: Sở Tư pháp.\nĐơn vị phối hợp: Sở Y tế."


def test_bullet_tasks_closed_by_their_own_unit_lines_are_passages_of_their_own():
    # several tasks under one item, each a bullet closed by its own "Đơn vị chủ trì …" lines; the
    # closing line may say "chủ trì tham mưu thực hiện" and wrap its unit list onto the next line
    d = parse(
        "III. NHIỆM VỤ, GIẢI PHÁP\n\n7. Đẩy mạnh chuyển đổi số\n\n"
        "- Ứng dụng công nghệ số trong xây dựng pháp luật.\n\n"
        "Đơn vị chủ trì tham mưu thực hiện: Sở Khoa học và Công nghệ.\n\n"
        "Đơn vị phối hợp thực hiện: Sở\n\nTư pháp.\n\nThời gian thực hiện: Thường xuyên.\n\n"
        "- Ra mắt trợ lý pháp luật cho cán bộ.\n\nĐơn vị chủ trì thực hiện: Sở Tư pháp.\n\n"
        "Đơn vị phối hợp: Sở Nội vụ.\n\nThời gian thực hiện: Tháng 12/2025.\n"
    )
    got = [(p.text.splitlines()[-1], p.lead, p.partners) for p in d.passages if p.kind == "article"]
    assert got == [
        ("Thời gian thực hiện: Thường xuyên.", ("Sở Khoa học và Công nghệ",), ("Sở Tư pháp",)),
        ("Thời gian thực hiện: Tháng 12/2025.", ("Sở Tư pháp",), ("Sở Nội vụ",)),
    ]


def test_item_with_its_own_unit_bullets_does_not_leak_to_siblings():
    d = parse(
        "III. NHIỆM VỤ TRỌNG TÂM\n\n1. Việc một:\n\n- Thời gian thực hiện: Năm 2024.\n\n"
        "- Đơn vị chủ trì: Sở TT&TT.\n\n- Đơn vị phối hợp: Các sở, ban, ngành.\n\n"
        "2. Việc hai:\n\n- Thời gian thực hiện: Hàng năm.\n\n- Đơn vị thực hiện: Sở VHTTDL.\n\n"
        "3. Việc ba không ghi đơn vị.\n"
    )
    got = {p.section: (p.lead, p.partners) for p in d.passages if p.kind == "article"}
    assert got == {
        ("III. NHIỆM VỤ TRỌNG TÂM", "1. Việc một"): (
            ("Sở Thông tin và Truyền thông",),
            ("Các sở, ban, ngành",),
        ),
        ("III. NHIỆM VỤ TRỌNG TÂM", "2. Việc hai"): (("Sở Văn hóa, Thể thao và Du lịch",), ()),
        ("III. NHIỆM VỤ TRỌNG TÂM", "3."): ((), ()),
    }


def test_unit_headings_and_task_wording():
    d = parse(
        "V. TỔ CHỨC THỰC HIỆN\n\n1. Công an Huyện\n\nPhối hợp các ngành thực hiện truyền thông.\n\n"
        "2. Phòng Tư pháp\n\nPhối hợp với Phòng Văn hóa và Thông tin tổ chức hội nghị.\n\n"
        "3. Sở Y tế\n\nChủ trì, phối hợp với Sở Xây dựng kiểm tra an toàn.\n\n"
        "4. Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh tuyên truyền, vận động Nhân dân.\n\n"
        "5. Sở Tài chính có trách nhiệm bố trí kinh phí.\n"
    )
    got = {p.section[-1]: (p.lead, p.partners, p.requested) for p in d.passages if p.kind == "article"}
    assert got["1. Công an Huyện"] == (("Công an huyện",), (), ())
    # "Phối hợp với Y …" under the heading of X is X's task, Y its partner (issue 12)
    assert got["2. Phòng Tư pháp"] == (("Phòng Tư pháp",), ("Phòng Văn hóa và Thông tin",), ())
    assert got["3. Sở Y tế"] == (("Sở Y tế",), ("Sở Xây dựng",), ())
    mt = "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh"
    assert got["4."] == ((mt,), (), (mt,))
    assert got["5."] == (("Sở Tài chính",), (), ())


def test_markdown_and_html_forms_of_headings():
    d = parse(
        "### **I. MỤC TIÊU**\n\n#### 1. Nội dung\n\n**a)** Việc một.\n\n*b)* Việc hai.\n\n"
        "*c) Việc ba nghiêng cả dòng.*\n\n<p><b>Điều 4.</b> Điều khoản.</p>\n"
    )
    sections = [p.section for p in d.passages if p.kind == "article"]
    assert sections == [
        ("I. MỤC TIÊU", "1. Nội dung", "a)"),
        ("I. MỤC TIÊU", "1. Nội dung", "b)"),
        ("I. MỤC TIÊU", "1. Nội dung", "c)"),
        ("Điều 4",),
    ]
    texts = [p.text for p in d.passages if p.kind == "article"]
    assert texts[2] == "c) Việc ba nghiêng cả dòng." and texts[3] == "Điều 4. Điều khoản."


def test_marked_headings_keep_a_closing_full_stop_and_points_may_be_written_a_dot():
    # "**IV. Tổ chức thực hiện.**", "*1.1. Vùng nuôi.*" close with a full stop; "a. Thời gian …"
    # is a point as "a) …" is; an unmarked numbered sentence is still labelled by its number
    d = parse(
        "**IV. Tổ chức thực hiện.**\n\n*1. Vùng nuôi tôm hùm lồng, bè.*\n\n"
        "a. Thời gian thực hiện: Từ tháng 3\nđến tháng 11 hằng năm.\n\n"
        "b. Địa điểm: Vùng nuôi ven biển.\n\n"
        "2. Sở Tài chính bố trí kinh phí thực hiện kế hoạch.\n",
        name="thu.md",
    )
    sections = {p.section for p in d.passages if p.kind == "article"}
    assert sections == {
        ("IV. Tổ chức thực hiện", "1. Vùng nuôi tôm hùm lồng, bè", "a)"),
        ("IV. Tổ chức thực hiện", "1. Vùng nuôi tôm hùm lồng, bè", "b)"),
        ("IV. Tổ chức thực hiện", "2."),
    }
    a = next(p for p in d.passages if p.section[-1:] == ("a)",))
    assert a.text.startswith("a. Thời gian thực hiện") and "b. Địa điểm" not in a.text


def test_a_wrapped_line_end_repeated_under_every_task_is_kept():
    # markdown from a web page hard-wraps "Thời gian thực hiện: Thường xuyên." the same way under
    # each task: the repeated "xuyên." ends a sentence of the plan, it is no page chrome
    body = "II. NHIỆM VỤ\n\n" + "".join(
        f"{i}. Nhiệm vụ số {i} của các sở.\n\n*Thời gian thực hiện: *Thường\nxuyên.\n\n" for i in (1, 2, 3, 4)
    )
    d = parse(body, name="thu.md")
    tasks = [p for p in d.passages if p.kind == "article"]
    assert len(tasks) == 4 and all(p.text.endswith("Thường xuyên.") for p in tasks)


def test_a_title_word_in_capitals_is_not_chrome_repeated_in_other_case():
    # "QUAN" ¶ "TRẮC, CẢNH BÁO …": a wrapped title; the wrapped cells below repeat "Quan" ¶ "trắc …"
    header = HEADER.replace("Thử nghiệm quy tắc", "QUAN\nTRẮC, CẢNH BÁO MÔI TRƯỜNG VÙNG NUÔI")
    body = "II. NỘI DUNG\n\n" + "".join(f"{i}. Điểm {i}\nQuan\ntrắc tác động.\n\n" for i in (1, 2, 3))
    d = parse(body, header=header, name="thu.md")
    assert d.meta.title == "Quan trắc, cảnh báo môi trường vùng nuôi"
    assert all("Quan trắc tác động." in p.text for p in d.passages if p.kind == "article")


def test_nested_numbering_inside_a_point_stays_content():
    d = parse(
        "I. NHIỆM VỤ\n\n1. Việc lớn\n\na) Gồm các bước:\n\n1. Bước một.\n\n2. Bước hai.\n\n"
        "b) Việc khác.\n\n2. Việc lớn thứ hai\n\nNội dung.\n"
    )
    got = [(p.section, p.text) for p in d.passages if p.kind == "article"]
    assert got[0] == (("I. NHIỆM VỤ", "1. Việc lớn", "a)"), "a) Gồm các bước:\n1. Bước một.\n2. Bước hai.")
    assert got[1][0] == ("I. NHIỆM VỤ", "1. Việc lớn", "b)")
    assert got[2][0] == ("I. NHIỆM VỤ", "2. Việc lớn thứ hai")


def test_footnote_inside_a_sentence_is_moved_out_and_linked():
    d = parse(
        "I. NỘI DUNG\n\na) Câu đầu nói về việc tuyên truyền<sup>(1)</sup> và quảng bá hình ảnh địa\n\n"
        "---\n\n<sup>(1)</sup> Chú thích thứ nhất.\n\nphương trong năm 2024.\n\nb) Việc sau.\n"
    )
    a = [p for p in d.passages if p.section[-1:] == ("a)",)][0]
    fn = [p for p in d.passages if p.kind == "footnote"]
    assert a.text == "a) Câu đầu nói về việc tuyên truyền⁽¹⁾ và quảng bá hình ảnh địa phương trong năm 2024."
    assert len(fn) == 1 and fn[0].text == "⁽¹⁾ Chú thích thứ nhất." and fn[0].section == a.section
    assert a.footnotes == (fn[0].id,)


def test_table_rows_continuations_and_task_split():
    body = (
        "**PHÂN CÔNG NHIỆM VỤ**\n\nSTT\tĐơn vị chủ trì\tNội dung thực hiện\tĐơn vị phối hợp\n"
        "01\t<b>Sở Tư pháp; Hội Doanh</b>\t<ul><li>- Việc một.</li> <li>- Phối hợp với Sở Y tế làm việc hai.</li></ul>"
        "\tSở Nội vụ\n\n\t<b>nhân trẻ Tỉnh</b>\t- Việc ba.\t\n"
        "02\t<b>Đề nghị Ban Tuyên giáo Tỉnh ủy</b>\t- Việc bốn. - Việc năm.\tCác sở, ban, ngành tỉnh\n"
    )
    d = parse(body, header="")
    rows = [(p.row, p.text, p.lead, p.partners, p.requested) for p in d.passages if p.kind == "table_row"]
    both = ("Sở Tư pháp", "Hội Doanh nhân trẻ tỉnh")
    assert rows == [
        ("01", "Việc một.", both, ("Sở Nội vụ",), ()),
        # the row's lead column keeps the task; "phối hợp với Sở Y tế" adds a partner
        ("01", "Phối hợp với Sở Y tế làm việc hai.", both, ("Sở Nội vụ", "Sở Y tế"), ()),
        ("01", "Việc ba.", both, ("Sở Nội vụ",), ()),
        (
            "02",
            "Việc bốn.",
            ("Ban Tuyên giáo Tỉnh ủy",),
            ("Các sở, ban, ngành",),
            ("Ban Tuyên giáo Tỉnh ủy",),
        ),
        (
            "02",
            "Việc năm.",
            ("Ban Tuyên giáo Tỉnh ủy",),
            ("Các sở, ban, ngành",),
            ("Ban Tuyên giáo Tỉnh ủy",),
        ),
    ]
    first = [p for p in d.passages if p.kind == "table_row"][0]
    assert first.caption == "PHÂN CÔNG NHIỆM VỤ"
    assert first.section == ("PHÂN CÔNG NHIỆM VỤ", "01. Sở Tư pháp; Hội Doanh nhân trẻ Tỉnh")


def test_markdown_pipe_table_is_a_table():
    body = (
        "| STT | Đơn vị chủ trì | Nội dung thực hiện | Đơn vị phối hợp |\n|---|---|---|---|\n"
        "| 1 | Sở Y tế | Việc một. | Sở Nội vụ |\n|  |  | Việc hai. |  |\n"
    )
    d = parse(body, header="")
    rows = [(p.row, p.text, p.lead, p.partners) for p in d.passages if p.kind == "table_row"]
    assert rows == [
        ("1", "Việc một.", ("Sở Y tế",), ("Sở Nội vụ",)),
        ("1", "Việc hai.", ("Sở Y tế",), ("Sở Nội vụ",)),
    ]


def test_boilerplate_is_dropped_but_repeated_plan_lines_stay():
    chrome_top = "Đăng nhập\n\nĐang tải văn bản...\n\nSố hiệu: 12/KH-UBND Loại văn bản: Kế hoạch\n\n"
    chrome_end = (
        "\n\nBạn Chưa Đăng Nhập Thành Viên!\n\nBạn Chưa Đăng Nhập Thành Viên!\n\n"
        "Bạn Chưa Đăng Nhập Thành Viên!\n\n1234\n\nIP: 10.0.0.7\n"
    )
    body = "".join(f"{i}. Việc số {i}.\n\nĐơn vị chủ trì: Sở Tư pháp.\n\n" for i in range(1, 5))
    d = parse("I. NHIỆM VỤ\n\n" + body, header=chrome_top + HEADER, footer=FOOTER + chrome_end)
    texts = "\n".join(p.text for p in d.passages)
    for junk in ("Đăng nhập", "Đang tải", "Số hiệu:", "Thành Viên", "1234", "IP:"):
        assert junk not in texts
    assert texts.count("Đơn vị chủ trì: Sở Tư pháp.") == 4
    assert d.meta.number == "12/KH-UBND" and d.meta.signer == "Nguyễn Văn An"


def test_metadata_header_variants():
    hdr = (
        "UBND HUYỆN THANH BÌNH\n\nSố: /KH-UBND\n\nThanh Bình, ngày    tháng 3 năm 2024\n\nKẾ HOẠCH\n\n"
        "Tuyên truyền năm 2024\n\nThực hiện Kế hoạch của Ủy ban nhân dân tỉnh Đồng Tháp, UBND huyện ban hành:\n\n"
    )
    d = parse("I. NỘI DUNG\n\n1. Việc một.\n", header=hdr)
    m = d.meta
    assert (m.number, m.number_text, m.date, m.place) == (None, "Số: /KH-UBND", "2024-03", "Thanh Bình")
    assert m.issuer == "Ủy ban nhân dân huyện Thanh Bình" and m.district == "Thanh Bình"
    assert m.province == "Đồng Tháp" and m.title == "Tuyên truyền năm 2024"
    assert "Người ký: KT. CHỦ TỊCH, PHÓ CHỦ TỊCH Nguyễn Văn An." in d.passages[0].text


def test_signature_printed_before_the_recipients():
    footer = (
        "\n\nTM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\n\n(Đã ký)\n\nLê Thị Bình\n\nNơi nhận:\n- Sở Nội vụ;\n- Lưu: VT.\n\n"
        "Bạn Chưa Đăng Nhập Thành Viên!\n"
    )
    d = parse("I. NỘI DUNG\n\n1. Việc một.\n", footer=footer)
    m = d.meta
    assert (m.signer, m.signer_authority, m.signer_position) == ("Lê Thị Bình", "TM.", "CHỦ TỊCH")
    assert m.recipients == ["Sở Nội vụ", "Lưu: VT"]
    assert [p.text for p in d.passages if p.kind == "article"] == ["1. Việc một."]


def _cp1258(text: str) -> bytes:
    """Windows-1258 as Vietnamese software writes it: base letters precomposed, tone marks combining."""
    out = []
    for c in unicodedata.normalize("NFC", text):
        d = unicodedata.normalize("NFD", c)
        tones = "".join(m for m in d[1:] if m in "\u0300\u0301\u0303\u0309\u0323")
        out.append(unicodedata.normalize("NFC", d[0] + "".join(m for m in d[1:] if m not in tones)) + tones)
    return "".join(out).encode("cp1258")


@pytest.mark.parametrize(
    "encode",
    [
        lambda s: s.encode("utf-8-sig"),
        lambda s: s.encode("utf-16"),
        lambda s: s.encode("utf-16-le"),
        lambda s: s.replace("\n", "\r\n").encode("utf-8"),
        _cp1258,
    ],
    ids=["utf8-bom", "utf16-bom", "utf16le-no-bom", "crlf", "cp1258"],
)
def test_text_encodings_give_the_same_passages(encode):
    text = (
        HEADER
        + "I. NỘI DUNG\n\n1. Sở Thông tin và Truyền thông chủ trì, phối hợp với Sở Nội vụ thực hiện.\n"
        + FOOTER
    )
    ref = parse_bytes("a.txt", text.encode("utf-8"))
    other = parse_bytes("a.txt", encode(text))
    sig = [(p.kind, p.section, p.text, p.lead, p.partners) for p in ref.passages]
    assert [(p.kind, p.section, p.text, p.lead, p.partners) for p in other.passages] == sig
    assert ref.passages[1].lead == ("Sở Thông tin và Truyền thông",)


@pytest.mark.parametrize(
    "name", ["../../x.txt", "a/b.txt", "..\\x.txt", ".hidden.txt", "", "a\x00.txt", " x.txt"]
)
def test_unsafe_upload_names_are_refused(name):
    with pytest.raises(UnsafeFileName) as e:
        parse_bytes(name, b"I. A\n\n1. B.\n")
    assert "Tên tệp không hợp lệ" in e.value.message_vi


def test_upload_name_becomes_the_doc_id():
    d = parse("I. NỘI DUNG\n\n1. Việc một.\n", name="Kế hoạch 12 (bản cuối).md")
    assert d.meta.doc == "Kế hoạch 12 (bản cuối).md" and d.meta.source_format == "md"
    assert all(p.id.startswith("ke-hoach-12-ban-cuoi:") for p in d.passages)


# --- units ---------------------------------------------------------------------------------
def test_canonical_unit_aliases():
    assert canonical_unit("Sở TT&TT") == canonical_unit("Sở TTTT") == "Sở Thông tin và Truyền thông"
    for v in (
        "Sở VHTTDL",
        "Sở VH,TT&DL",
        "Sở Văn hóa Thể thao và Du lịch",
        "sở văn hoá, thể thao và du lịch",
    ):
        assert canonical_unit(v) == "Sở Văn hóa, Thể thao và Du lịch", v
    assert canonical_unit("Công an Tỉnh") == canonical_unit("Công an tỉnh") == "Công an tỉnh"
    assert canonical_unit("UBND các huyện, thành phố") == "Ủy ban nhân dân các huyện, thành phố"
    assert canonical_unit("Ban Tuyên giáo Tỉnh uỷ") == "Ban Tuyên giáo Tỉnh ủy"
    assert canonical_unit("Phòng Kinh tế - Hạ tầng Huyện") == "Phòng Kinh tế - Hạ tầng huyện"
    assert "Sở TT&TT" in unit_aliases()["Sở Thông tin và Truyền thông"]


def test_units_are_scoped_by_province():
    assert canonical_unit("Đài PTTH ĐT", "Đồng Tháp") == "Đài Phát thanh và Truyền hình Đồng Tháp"
    assert canonical_unit("Đài PTTH ĐT", "Đồng Nai") != "Đài Phát thanh và Truyền hình Đồng Tháp"
    assert canonical_unit("Báo ĐN", "Đồng Nai") == "Báo Đồng Nai"
    assert canonical_unit("Cổng thông tin điện tử tỉnh", "Trà Vinh") == "Cổng Thông tin điện tử Trà Vinh"
    assert "Báo ĐT" in unit_aliases("Đồng Tháp")["Báo Đồng Tháp"]
    assert "Báo Đồng Tháp" not in unit_aliases("Đồng Nai")


def test_match_unit_in_free_questions():
    assert match_unit_in_text("Sở TT&TT chủ trì những việc gì?") == ["Sở Thông tin và Truyền thông"]
    assert match_unit_in_text("so van hoa phu trach gi") == ["Sở Văn hóa, Thể thao và Du lịch"]
    assert match_unit_in_text("Công an huyện làm gì trong kế hoạch Lấp Vò?") == ["Công an huyện"]
    assert match_unit_in_text("cong an tinh va so noi vu") == ["Công an tỉnh", "Sở Nội vụ"]
    # the longest alias wins: the full name is one unit, not "Sở Văn hóa" + leftovers
    assert match_unit_in_text("Sở Văn hóa, Thể thao và Du lịch có nhiệm vụ gì") == [
        "Sở Văn hóa, Thể thao và Du lịch"
    ]
    # written with diacritics, "số" is not "Sở"
    assert match_unit_in_text("cung cấp một số thông tin cho báo chí") == []
    assert match_unit_in_text("Đài PTTH ĐT phát sóng", "Đồng Tháp") == [
        "Đài Phát thanh và Truyền hình Đồng Tháp"
    ]


def test_find_units_in_text():
    t = "Tham gia, phối hợp Ủy ban nhân dân thành phố Cao Lãnh và UBND huyện Cao Lãnh, Sở KH&ĐT tổ chức Lễ hội."
    assert find_units(t) == [
        "Ủy ban nhân dân thành phố Cao Lãnh",
        "Ủy ban nhân dân huyện Cao Lãnh",
        "Sở Kế hoạch và Đầu tư",
    ]


def test_a_unit_name_broken_at_the_end_of_its_heading_line_is_read_whole():
    # a web page's text export hard-wraps "3. Đề nghị Ủy ban Mặt trận ¶ Tổ quốc Việt Nam tỉnh …"
    d = parse(
        "IV. TỔ CHỨC THỰC HIỆN\n\n1. Sở Tư pháp\n\n- Là cơ quan thường trực, theo dõi việc thực hiện.\n\n"
        "2. Đề nghị Ủy ban Mặt trận\n\nTổ quốc Việt Nam tỉnh vận động Nhân dân tham gia thực hiện Kế hoạch.\n"
    )
    got = {p.section[-1]: (p.lead, p.requested) for p in d.passages if p.kind == "article"}
    # the bullet under "1. Sở Tư pháp" is a task, not the rest of the unit's name
    assert got["1. Sở Tư pháp"] == (("Sở Tư pháp",), ())
    assert got["2. Đề nghị Ủy ban Mặt trận"] == (
        ("Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh",),
        ("Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh",),
    )
