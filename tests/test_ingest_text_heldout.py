"""Cleaning and heading rules met on plans from other provinces: small plans written here.

- web words inside plan sentences are content; only lines that are nothing but UI are chrome;
- lines wrapped by a web page or a PDF column are joined back, one-paragraph-per-line plans are not;
- "PHẦN I/II", "Chương", "Mục" restart the Roman sections below them.
"""

from __future__ import annotations

from assistant.ingest import parse_bytes

HEADER = (
    "ỦY BAN NHÂN DÂN\nTỈNH BÌNH PHƯỚC\n\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n\n"
    "Số: 41/KH-UBND\n\nBình Phước, ngày 4 tháng 4 năm 2024\n\nKẾ HOẠCH\n\nPhát triển dữ liệu số năm 2024\n\n"
)
FOOTER = "\n\nNơi nhận:\n- Như trên;\n- Lưu: VT.\n\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n\nTrần Văn Bình\n"


def parse(body: str, header: str = HEADER, footer: str = FOOTER):
    return parse_bytes("thu.txt", (header + body + footer).encode("utf-8"))


def articles(doc):
    return [(p.section, p.text) for p in doc.passages if p.kind == "article"]


def test_plan_sentences_with_web_words_are_content():
    body = (
        "I. NHIỆM VỤ\n\n"
        "Các cơ sở dữ liệu được kết nối, chia sẻ với cơ sở dữ liệu quốc gia.\n\n"
        "Hướng dẫn người dân đăng ký khai sinh trực tuyến.\n\n"
        "Đăng tải thông tin lên trang chủ Cổng thông tin điện tử tỉnh.\n\n"
        "Kiện toàn thành viên Ban Chỉ đạo; tải về ứng dụng cho cán bộ.\n\n"
        "Quảng bá hình ảnh của tỉnh tới bạn bè quốc tế.\n\n"
        "Đăng nhập\n\nChia sẻ\n\nLượt xem: 1.520\n\nĐang tải văn bản...\n\n"
        "Bạn chưa đăng nhập thành viên nên chỉ xem được một phần văn bản.\n\n"
        "https://example.gov.vn/van-ban/41\n"
    )
    d = parse(body)
    assert articles(d) == [
        (
            ("I. NHIỆM VỤ",),
            "I. NHIỆM VỤ\n"
            "Các cơ sở dữ liệu được kết nối, chia sẻ với cơ sở dữ liệu quốc gia.\n"
            "Hướng dẫn người dân đăng ký khai sinh trực tuyến.\n"
            "Đăng tải thông tin lên trang chủ Cổng thông tin điện tử tỉnh.\n"
            "Kiện toàn thành viên Ban Chỉ đạo; tải về ứng dụng cho cán bộ.\n"
            "Quảng bá hình ảnh của tỉnh tới bạn bè quốc tế.",
        )
    ]
    assert d.meta.signer == "Trần Văn Bình"


def test_number_fragment_ends_the_sentence_it_continues():
    body = (
        "Căn cứ Chương trình tổng thể cải cách hành chính giai đoạn 2021 -\n2030;\n\n"
        "I. MỤC TIÊU\n\nHoàn thành các chỉ tiêu.\n\n17\n"
    )
    d = parse(body)
    texts = [t for _, t in articles(d)]
    assert texts == [
        "Căn cứ Chương trình tổng thể cải cách hành chính giai đoạn 2021 - 2030;",
        "I. MỤC TIÊU\nHoàn thành các chỉ tiêu.",
    ]  # "17" alone is a page number


def test_wrapped_lines_and_headings_are_joined():
    body = (
        "I. MỤC ĐÍCH,\nYÊU CẦU\n\n1. Về nâng cao\nnhận thức số\n\n"
        "Tổ chức hội nghị quán triệt cho cán bộ, công chức\nvà người lao động trong toàn tỉnh.\n\n"
        "II. TỔ CHỨC THỰC HIỆN\n\n1. Sở Y tế chủ trì, phối\nhợp với Sở Nội vụ triển khai hồ sơ sức khỏe điện tử.\n\n"
        "2. Giao Sở Tài chính chủ trì, phối hợp\nvới Sở Tư pháp bố trí kinh phí.\n\n"
        "3. Công an tỉnh chịu trách\nnhiệm bảo đảm an ninh mạng.\n"
    )
    d = parse(body)
    got = {p.section: (p.text, p.lead, p.partners) for p in d.passages if p.kind == "article"}
    assert got == {
        ("I. MỤC ĐÍCH, YÊU CẦU", "1. Về nâng cao nhận thức số"): (
            "1. Về nâng cao nhận thức số\nTổ chức hội nghị quán triệt cho cán bộ, công chức "
            "và người lao động trong toàn tỉnh.",
            (),
            (),
        ),
        ("II. TỔ CHỨC THỰC HIỆN", "1."): (
            "1. Sở Y tế chủ trì, phối hợp với Sở Nội vụ triển khai hồ sơ sức khỏe điện tử.",
            ("Sở Y tế",),
            ("Sở Nội vụ",),
        ),
        ("II. TỔ CHỨC THỰC HIỆN", "2."): (
            "2. Giao Sở Tài chính chủ trì, phối hợp với Sở Tư pháp bố trí kinh phí.",
            ("Sở Tài chính",),
            ("Sở Tư pháp",),
        ),
        ("II. TỔ CHỨC THỰC HIỆN", "3."): (
            "3. Công an tỉnh chịu trách nhiệm bảo đảm an ninh mạng.",
            ("Công an tỉnh",),
            (),
        ),
    }


def test_wrapped_item_does_not_become_a_unit_heading():
    body = (
        "I. NGUYÊN TẮC\n\n1. Ủy ban nhân dân xã làm việc\ntheo chế độ tập thể, đề cao trách nhiệm cá nhân.\n\n"
        "2. Sở Thông tin và\nTruyền thông\n\nChủ trì, phối hợp với\nSở Nội vụ hướng dẫn triển khai.\n"
    )
    d = parse(body)
    assert articles(d) == [
        (
            ("I. NGUYÊN TẮC", "1."),
            "1. Ủy ban nhân dân xã làm việc theo chế độ tập thể, đề cao trách nhiệm cá nhân.",
        ),
        (
            ("I. NGUYÊN TẮC", "2. Sở Thông tin và Truyền thông"),
            "2. Sở Thông tin và Truyền thông\nChủ trì, phối hợp với Sở Nội vụ hướng dẫn triển khai.",
        ),
    ]
    unit = [p for p in d.passages if p.section[-1:] == ("2. Sở Thông tin và Truyền thông",)][0]
    assert (unit.lead, unit.partners) == (("Sở Thông tin và Truyền thông",), ("Sở Nội vụ",))


def test_one_paragraph_per_line_plans_stay_as_they_are():
    body = (
        "I. NHIỆM VỤ\n\n1. Phát triển hạ tầng số\n\nCác xã hoàn thành phủ sóng di động\n\n"
        "Trường học kết nối Internet cáp quang\n\nSố liệu năm trước:\n\n"
        "STT\tChỉ tiêu\tKết quả\n1\tPhủ sóng 4G, các thôn\t95%\n2\tcáp quang\t80%\n"
    )
    d = parse(body)
    assert articles(d)[0] == (
        ("I. NHIỆM VỤ", "1. Phát triển hạ tầng số"),
        "1. Phát triển hạ tầng số\nCác xã hoàn thành phủ sóng di động\n"
        "Trường học kết nối Internet cáp quang\nSố liệu năm trước:",
    )
    assert len([p for p in d.passages if p.kind == "table_row"]) == 2


def test_parts_restart_the_roman_sections():
    body = (
        "PHẦN I. KẾT QUẢ NĂM 2023\n\nI. KẾT QUẢ ĐẠT ĐƯỢC\n\n1. Hạ tầng số\n\nĐã phủ sóng.\n\n"
        "II. HẠN CHẾ\n\nCòn chậm.\n\nPHẦN II. NHIỆM VỤ NĂM 2024\n\nI. MỤC TIÊU\n\nPhủ sóng toàn tỉnh.\n\n"
        "II. NHIỆM VỤ\n\n1. Sở Tài chính bố trí kinh phí.\n"
    )
    d = parse(body)
    assert [s for s, _ in articles(d)] == [
        ("PHẦN I. KẾT QUẢ NĂM 2023", "I. KẾT QUẢ ĐẠT ĐƯỢC", "1. Hạ tầng số"),
        ("PHẦN I. KẾT QUẢ NĂM 2023", "II. HẠN CHẾ"),
        ("PHẦN II. NHIỆM VỤ NĂM 2024", "I. MỤC TIÊU"),
        ("PHẦN II. NHIỆM VỤ NĂM 2024", "II. NHIỆM VỤ", "1."),
    ]


def test_chapters_take_their_title_from_the_next_lines():
    header = HEADER.replace(
        "KẾ HOẠCH\n\nPhát triển dữ liệu số năm 2024", "QUY CHẾ\n\nLàm việc của Ủy ban nhân dân xã"
    )
    body = (
        "Chương I\n\nNHỮNG QUY ĐỊNH\n\nCHUNG\n\nĐiều 1. Phạm vi,\nđối tượng điều chỉnh\n\n"
        "1. Quy chế này quy định lề lối làm việc.\n\nChương II\n\nTRÁCH NHIỆM\n\n"
        "Điều 2. Chủ tịch Ủy ban nhân dân xã chịu trách nhiệm chung.\n"
    )
    d = parse(body, header=header)
    assert [s for s, _ in articles(d)] == [
        ("Chương I. NHỮNG QUY ĐỊNH CHUNG",),
        ("Chương I. NHỮNG QUY ĐỊNH CHUNG", "Điều 1. Phạm vi, đối tượng điều chỉnh", "1."),
        ("Chương II. TRÁCH NHIỆM",),
        ("Chương II. TRÁCH NHIỆM", "Điều 2"),
    ]


def test_copyright_line_with_a_space_after_the_sign_is_site_chrome():
    from assistant.ingest.clean import _UI_LINE, _ui_key

    assert _UI_LINE.fullmatch(_ui_key("© 2024 Thư viện pháp luật"))
    assert _UI_LINE.fullmatch(_ui_key("©2024"))
