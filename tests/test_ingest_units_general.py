"""Unit names not in the data file, whole-name alias matching, and lead/partner wording (small plans written here)."""

from __future__ import annotations

import pytest

from assistant.ingest import parse_bytes
from assistant.ingest.roles import text_roles
from assistant.ingest.units import canonical_unit, find_units, parse_unit_list

HEADER = "ỦY BAN NHÂN DÂN\nHUYỆN TAM NÔNG\n\nSố: 7/KH-UBND\n\nTam Nông, ngày 2 tháng 4 năm 2024\n\nKẾ HOẠCH\n\nThử đơn vị\n\n"
FOOTER = "\n\nNơi nhận:\n- Lưu: VT.\n\nCHỦ TỊCH\n\nLê Văn Ba\n"


def parse(body: str):
    return parse_bytes("donvi.txt", (HEADER + body + FOOTER).encode("utf-8"))


def test_ubnd_place_name_stops_at_punctuation_and_verbs():
    assert find_units("Đơn vị phối hợp: UBND huyện, Công an huyện, Trung tâm Y tế huyện.") == [
        "Ủy ban nhân dân huyện",
        "Công an huyện",
        "Trung tâm Y tế huyện",
    ]
    assert find_units("Giao UBND tỉnh; Chủ tịch UBND các huyện") == [
        "Ủy ban nhân dân tỉnh",
        "Ủy ban nhân dân các huyện",
    ]
    assert find_units("UBND huyện Xây dựng Kế hoạch chi tiết") == ["Ủy ban nhân dân huyện"]
    assert find_units("UBND huyện Tam Nông chủ trì") == ["Ủy ban nhân dân huyện Tam Nông"]


def test_unlisted_units_are_read_from_their_head_word():
    assert find_units("Giao Trung tâm Y tế huyện chủ trì tổ chức tiêm chủng") == ["Trung tâm Y tế huyện"]
    assert find_units("phối hợp với Trung tâm Văn hóa - Thể thao huyện tổ chức giải") == [
        "Trung tâm Văn hóa - Thể thao huyện"
    ]
    assert find_units("Văn phòng - Thống kê xã chủ trì tham mưu:") == ["Văn phòng - Thống kê xã"]
    assert find_units("Bảo hiểm xã hội tỉnh; Ngân hàng Chính sách xã hội huyện") == [
        "Bảo hiểm xã hội tỉnh",
        "Ngân hàng Chính sách xã hội huyện",
    ]
    # ordinary words that start like a head are not units
    for text in ("Ban hành Kế hoạch này", "Phòng, chống dịch bệnh", "Hội nghị sơ kết", "Báo cáo kết quả"):
        assert find_units(text) == [], text


def test_alias_must_be_the_whole_name():
    assert canonical_unit("Sở Nông nghiệp và Môi trường") == "Sở Nông nghiệp và Môi trường"
    assert canonical_unit("Sở Nông nghiệp") == "Sở Nông nghiệp và Phát triển nông thôn"
    assert canonical_unit("Phòng Văn hóa - Xã hội") == "Phòng Văn hóa - Xã hội"
    assert canonical_unit("Phòng VH-XH") == "Phòng Văn hóa - Xã hội"
    assert canonical_unit("Sở Dân tộc và Tôn giáo") == "Sở Dân tộc và Tôn giáo"
    assert canonical_unit("Phòng Kinh tế, Hạ tầng và Đô thị") == "Phòng Kinh tế, Hạ tầng và Đô thị"
    assert canonical_unit("Sở Y tế tỉnh Đồng Tháp", "Đồng Tháp") == "Sở Y tế"
    assert find_units("Sở Nông nghiệp và Sở Y tế") == ["Sở Nông nghiệp và Phát triển nông thôn", "Sở Y tế"]


def test_partner_inside_a_lead_list():
    got = parse_unit_list("Sở TT&TT chủ trì, phối hợp Sở Nội vụ")
    assert (got.units, got.partners) == (("Sở Thông tin và Truyền thông",), ("Sở Nội vụ",))
    got = parse_unit_list("Sở Y tế chủ trì; Sở Tư pháp phối hợp")
    assert (got.units, got.partners) == (("Sở Y tế",), ("Sở Tư pháp",))
    got = parse_unit_list("Sở Y tế phối hợp với Công an tỉnh")
    assert (got.units, got.partners) == (("Sở Y tế",), ("Công an tỉnh",))


def test_unit_cell_keeps_unknown_items():
    got = parse_unit_list("Viễn thông Đồng Tháp; Bưu điện tỉnh", "Đồng Tháp", cell=True)
    assert got.units == ("Viễn thông Đồng Tháp", "Bưu điện tỉnh")
    got = parse_unit_list("Sở Y tế; Điểm bưu điện văn hóa xã", cell=True)
    assert got.units == ("Sở Y tế", "Điểm bưu điện văn hóa xã")


def test_role_phrases_across_line_breaks_and_spaces():
    r = text_roles("Sở Tư pháp chịu trách\nnhiệm hướng dẫn, phối  hợp với Sở Y tế.")
    assert r.subjects == ["Sở Tư pháp"] and r.partners == ["Sở Y tế"]
    r = text_roles("UBND huyện giao Phòng Nội vụ chủ trì, phối hợp với Trung tâm Y tế huyện tổ chức.")
    assert r.subjects == ["Phòng Nội vụ"] and r.partners == ["Trung tâm Y tế huyện"]
    r = text_roles("Đề nghị Hội Nông dân huyện vận động hội viên.")
    assert r.requested == ["Hội Nông dân huyện"]


def test_plan_assigns_unlisted_units():
    d = parse(
        "I. NHIỆM VỤ\n\n1. Tổ chức ngày hội.\n\n- Đơn vị chủ trì: Phòng Văn hóa - Xã hội.\n\n"
        "- Đơn vị phối hợp: UBND huyện, Công an huyện, Trung tâm Y tế huyện.\n\n"
        "2. Giao Trung tâm Văn hóa - Thể thao huyện chủ trì, phối hợp với Bảo hiểm xã hội huyện "
        "tuyên truyền chính sách.\n"
    )
    got = {p.section[-1]: (p.lead, p.partners) for p in d.passages if p.kind == "article"}
    assert got["1."] == (
        ("Phòng Văn hóa - Xã hội",),
        ("Ủy ban nhân dân huyện", "Công an huyện", "Trung tâm Y tế huyện"),
    )
    assert got["2."] == (("Trung tâm Văn hóa - Thể thao huyện",), ("Bảo hiểm xã hội huyện",))


@pytest.mark.parametrize(
    "text, expected",
    [
        # a field of work after a short known name makes another body, not a place
        ("Trung tâm Xúc tiến Du lịch chủ trì", ["Trung tâm Xúc tiến Du lịch"]),
        (
            "Trung tâm Xúc tiến Thương mại, Du lịch và Đầu tư chủ trì",
            ["Trung tâm Xúc tiến Thương mại, Du lịch và Đầu tư"],
        ),
        # a place after it is still the same body
        ("Sở Y tế Đồng Tháp phối hợp", ["Sở Y tế"]),
        # provinces that split culture and tourism: two bodies, neither is Sở VHTTDL
        ("Sở VH&TT Nghệ An chủ trì", ["Sở Văn hóa và Thể thao"]),
        ("Sở Văn hóa và Thể thao, Sở Du lịch phối hợp", ["Sở Văn hóa và Thể thao", "Sở Du lịch"]),
    ],
)
def test_sector_words_and_split_departments(text, expected):
    assert find_units(text) == expected


def test_a_numbered_regional_office_keeps_its_number():
    # "Chi nhánh Khu vực 14" is one office, "Khu vực 1" another: the number is part of the name
    want = "Ngân hàng Nhà nước Chi nhánh Khu vực 14"
    assert find_units("3. Ngân hàng Nhà nước chi nhánh khu vực 14") == [want]
    assert find_units("Ngân hàng Nhà nước Chi nhánh Khu vực 14 chỉ đạo các ngân hàng") == [want]
    assert find_units("Ngân hàng Nhà nước chi nhánh khu vực 1 phối hợp") == [
        "Ngân hàng Nhà nước Chi nhánh Khu vực 1"
    ]
    assert find_units("Sở Y tế khu vực này") == ["Sở Y tế"]  # no number: no office of a region


def test_a_task_under_a_unit_heading_is_that_units_even_when_it_opens_with_phoi_hop():
    d = parse(
        "V. TỔ CHỨC THỰC HIỆN\n\n1. Sở Y tế\n\na) Chủ trì triển khai Kế hoạch này.\n\n"
        "b) Phối hợp với Sở Tư pháp rà soát văn bản.\n\n"
        "2. Ngân hàng Nhà nước chi nhánh khu vực 14\n\na) Chỉ đạo các ngân hàng thương mại mở tài khoản.\n"
    )
    got = [(p.section[-2:], p.lead, p.partners) for p in d.passages if p.kind == "article" and p.section]
    assert got == [
        (("1. Sở Y tế", "a)"), ("Sở Y tế",), ()),
        (("1. Sở Y tế", "b)"), ("Sở Y tế",), ("Sở Tư pháp",)),
        (
            ("2. Ngân hàng Nhà nước chi nhánh khu vực 14", "a)"),
            ("Ngân hàng Nhà nước Chi nhánh Khu vực 14",),
            (),
        ),
    ]


def test_a_lead_in_line_hands_the_points_below_to_its_unit():
    # a Sở's own plan names its department in lower case and hands it the numbered points
    d = parse(
        "III. TỔ CHỨC THỰC HIỆN\n\nGiao phòng Quản lý Công nghiệp triển khai, thực hiện các công việc:\n\n"
        "1. Tổ chức kiểm tra kỹ thuật an toàn.\n\n2. Chuẩn bị các điều kiện cần thiết.\n"
    )
    got = [(p.section, p.lead) for p in d.passages if p.kind == "article" and p.section]
    office = ("Phòng Quản lý Công nghiệp",)
    assert got == [
        (("III. TỔ CHỨC THỰC HIỆN",), office),
        (("III. TỔ CHỨC THỰC HIỆN", "1."), office),
        (("III. TỔ CHỨC THỰC HIỆN", "2."), office),
    ]
    assert find_units("cơ sở Dữ liệu quốc gia về dân cư") == []  # "sở" inside "cơ sở" heads nothing
    assert find_units("1. Giao phòng Quản lý công nghiệp tổ chức huấn luyện") == ["Phòng Quản lý công nghiệp"]
    # "biên phòng", "quốc phòng" end compounds: no department is read from them
    assert "Phòng Đồng Tháp" not in " ".join(find_units("Bộ đội Biên phòng Đồng Tháp ký chương trình"))
    assert not any("Phòng" in u for u in find_units("bảo đảm quốc phòng An ninh trên địa bàn"))
    assert find_units("phòng, chống tham nhũng") == []


def test_a_partner_cell_keeps_its_vague_parties_as_written():
    # a table's partner column: every party it lists is an answer to "đơn vị nào phối hợp"
    got = parse_unit_list("Các Sở, ban, ngành và các địa phương liên quan", cell=True)
    assert got.units == ("Các sở, ban, ngành", "Các địa phương liên quan")
    # in running text the vague party names no one in particular
    assert parse_unit_list("Các Sở, ban, ngành và các địa phương liên quan").units == ("Các sở, ban, ngành",)


def test_the_merged_provincial_paper_and_broadcaster_is_one_unit():
    # since the 2025 mergers a province's paper and its radio-television station are one body,
    # "Báo và Phát thanh, Truyền hình <tỉnh>": the comma inside its name does not end it
    text = "Đơn vị phối hợp: Sở Văn hóa, Thể thao và Du lịch, Báo và Phát thanh, Truyền hình Cần Thơ, UBND các quận, huyện."
    assert parse_unit_list(text.split(": ", 1)[1], cell=True).units == (
        "Sở Văn hóa, Thể thao và Du lịch",
        "Báo và Phát thanh, Truyền hình Cần Thơ",
        "Ủy ban nhân dân các quận, huyện",
    )
    assert find_units("Báo và Phát thanh, Truyền hình tỉnh Đắk Lắk chủ động phối hợp") == [
        "Báo và Phát thanh, Truyền hình Đắk Lắk"
    ]
    # the bodies before the merger stay units of their own
    assert find_units("Báo Cần Thơ, Đài Phát thanh và Truyền hình Cần Thơ") == [
        "Báo Cần Thơ",
        "Đài Phát thanh và Truyền hình Cần Thơ",
    ]


def test_a_youth_union_after_a_provincial_body_is_a_unit_of_its_own():
    # "Tỉnh đoàn" opens with a kind word: it is not a further kind of "Hội Nông dân tỉnh"
    assert find_units("Hội Nông dân tỉnh, Tỉnh đoàn, Hội Cựu chiến binh tỉnh") == [
        "Hội Nông dân tỉnh",
        "Đoàn Thanh niên Cộng sản Hồ Chí Minh tỉnh",
        "Hội Cựu chiến binh tỉnh",
    ]
    # bare kinds after a commune-level body still widen it
    assert find_units("UBND các xã, phường, thị trấn") == ["Ủy ban nhân dân các xã, phường, thị trấn"]


def test_the_office_of_the_national_assembly_delegation_and_the_council_is_one_unit():
    # one office serves the province's National Assembly delegation and its People's Council
    assert find_units("Văn phòng UBND tỉnh, Văn phòng Đoàn ĐBQH và HĐND tỉnh, Sở Nội vụ") == [
        "Văn phòng Ủy ban nhân dân tỉnh",
        "Văn phòng Đoàn đại biểu Quốc hội và Hội đồng nhân dân tỉnh",
        "Sở Nội vụ",
    ]


def test_the_tax_bodies_of_the_2025_reorganisation_are_units():
    # since 2025 the provincial tax department is "Thuế tỉnh" (or "Thuế thành phố") and the
    # district one "Thuế cơ sở": new names of their own, not aliases of Cục Thuế / Chi cục Thuế
    assert find_units("Thuế tỉnh, Sở Công Thương, Thuế cơ sở") == [
        "Thuế tỉnh",
        "Sở Công Thương",
        "Thuế cơ sở",
    ]
    assert find_units("Cục Thuế tỉnh") == ["Cục Thuế tỉnh"]
    assert find_units("nộp thuế tài nguyên, phí bảo vệ môi trường") == []
    plan = (
        "KẾ HOẠCH\nQuản lý khoáng sản\nIV. TỔ CHỨC THỰC HIỆN\n8. Thanh tra tỉnh\n"
        "- Thanh tra việc chấp hành pháp luật về khoáng sản.\n9. Thuế tỉnh\n"
        "- Tăng cường quản lý hóa đơn thuế đối với việc mua bán khoáng sản.\n"
    )
    doc = parse_bytes("kh-thue.txt", plan.encode())
    tax = [p for p in doc.passages if "hóa đơn" in p.text]
    assert [p.lead for p in tax] == [("Thuế tỉnh",)]


def test_communes_named_after_a_colon_stay_in_the_party():
    # "UBND 04 xã: A, B, C": the named communes are the party, not every commune
    roles = text_roles(
        "- Phối hợp với Ủy ban nhân dân\n04 xã: Gia Thuận, Tân Điền, Gò Công Đông, Tân Phú Đông thành lập mới khu bảo vệ.",
        "Đồng Tháp",
    )
    assert roles.flip == ["Ủy ban nhân dân 04 xã: Gia Thuận, Tân Điền, Gò Công Đông, Tân Phú Đông"]
    heading = parse_unit_list("Ủy ban nhân dân các xã: Gia Thuận, Tân Điền và Tân Phú Đông", "Đồng Tháp")
    assert heading.units == ("Ủy ban nhân dân các xã: Gia Thuận, Tân Điền và Tân Phú Đông",)
    # a capitalised verb after the colon is the task, not a commune
    task = parse_unit_list("UBND các xã, phường: Chủ trì, phối hợp với Công an tỉnh", "Đồng Tháp")
    assert task.units == ("Ủy ban nhân dân các xã, phường",)
    assert task.partners == ("Công an tỉnh",)


@pytest.mark.parametrize(
    ("text", "partners"),
    [
        # the tier after a plural of bodies is theirs: the list goes on past it (HCM 174's lists)
        (
            "Sở Văn hóa và Thể thao chủ trì, phối hợp với các sở, ban, ngành, đoàn thể Thành phố, "
            "Ủy ban nhân dân phường, xã, đặc khu, báo, đài và các đơn vị có liên quan.",
            ["Các sở, ban, ngành", "Ủy ban nhân dân phường, xã, đặc khu"],
        ),
        # the alias holds the tier; the place after it is the collective's too
        (
            "Sở Y tế chủ trì, phối hợp với các sở, ngành tỉnh Đồng Tháp, Ủy ban nhân dân các xã, phường.",
            ["Các sở, ban, ngành", "Ủy ban nhân dân các xã, phường"],
        ),
        # a kind of commune after the collective is no tier of it
        (
            "Sở Y tế chủ trì, phối hợp với các sở, ngành, xã, phường tổ chức tiêm chủng.",
            ["Các sở, ban, ngành"],
        ),
    ],
)
def test_a_collectives_tier_does_not_end_the_partner_list(text, partners):
    assert text_roles(text, "Hồ Chí Minh").partners == partners
