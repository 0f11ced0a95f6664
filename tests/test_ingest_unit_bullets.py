"""One passage per unit bullet, attached plans restarting the section tree, joint-office names (small plans written here)."""

from __future__ import annotations

from assistant.ingest import parse_bytes
from assistant.ingest.passages import drafts
from assistant.ingest.structure import build_tree
from assistant.ingest.units import find_units
from assistant.records import Block

HEADER = "ỦY BAN NHÂN DÂN\nTỈNH BẾN TRE\n\nSố: 9/KH-UBND\n\nBến Tre, ngày 3 tháng 5 năm 2024\n\nKẾ HOẠCH\n\nPhòng chống dịch\n\n"
FOOTER = "\n\nNơi nhận:\n- Lưu: VT.\n\nCHỦ TỊCH\n\nLê Văn Ba\n"


def parse(body: str):
    return parse_bytes("bullets.txt", (HEADER + body + FOOTER).encode("utf-8"))


def articles(doc, section_word: str):
    return [p for p in doc.passages if p.kind == "article" and any(section_word in s for s in p.section)]


def test_each_unit_bullet_is_its_own_passage_with_its_wrapped_lines():
    body = (
        "I. TỔ CHỨC THỰC HIỆN\n"
        "1. Các sở, ban, ngành tỉnh\n"
        "- Sở Y tế: chủ trì, phối hợp với Sở Tài chính và Đài Phát thanh - Truyền hình tỉnh, Báo\n"
        "Bến Tre tổ chức tiêm chủng cho trẻ em.\n"
        "- Sở Giáo dục và Đào tạo chủ trì tuyên truyền trong trường học;\n"
        "tổ chức cho học sinh rửa tay.\n"
        "- Công an tỉnh: bảo đảm an ninh trật tự.\n"
    )
    ps = articles(parse(body), "TỔ CHỨC")
    assert [(p.text, p.lead, p.partners) for p in ps] == [
        (
            "- Sở Y tế: chủ trì, phối hợp với Sở Tài chính và Đài Phát thanh - Truyền hình tỉnh, Báo\n"
            "Bến Tre tổ chức tiêm chủng cho trẻ em.",
            ("Sở Y tế",),
            ("Sở Tài chính", "Đài Phát thanh và Truyền hình Bến Tre", "Báo Bến Tre"),
        ),
        (
            "- Sở Giáo dục và Đào tạo chủ trì tuyên truyền trong trường học;\ntổ chức cho học sinh rửa tay.",
            ("Sở Giáo dục và Đào tạo",),
            (),
        ),
        ("- Công an tỉnh: bảo đảm an ninh trật tự.", ("Công an tỉnh",), ()),
    ]
    assert {p.section for p in ps} == {("I. TỔ CHỨC THỰC HIỆN", "1. Các sở, ban, ngành tỉnh")}


def test_sub_bullets_stay_with_their_unit_and_other_bullets_are_grouped():
    body = (
        "I. NHIỆM VỤ\n"
        "Các nội dung sau:\n"
        "- Rà soát danh sách hộ dân.\n"
        "- Sở Tài chính:\n"
        "+ Bố trí kinh phí;\n"
        "+ Hướng dẫn thanh quyết toán.\n"
        "+ UBND các huyện: lập dự toán chi tiết.\n"
    )
    ps = articles(parse(body), "NHIỆM VỤ")
    assert [(p.text, p.lead) for p in ps] == [
        ("I. NHIỆM VỤ\nCác nội dung sau:\n- Rà soát danh sách hộ dân.", ()),
        ("- Sở Tài chính:\n+ Bố trí kinh phí;\n+ Hướng dẫn thanh quyết toán.", ("Sở Tài chính",)),
        ("+ UBND các huyện: lập dự toán chi tiết.", ("Ủy ban nhân dân các huyện",)),
    ]


def test_lettered_point_opening_with_a_unit_leads_over_the_heading_group():
    body = (
        "I. TỔ CHỨC THỰC HIỆN\n"
        "1. Các sở, ngành\n"
        "a) Sở Y tế chủ trì, phối hợp với Sở Nội vụ kiểm tra các cơ sở.\n"
        "b) Sở Công Thương: phối hợp với Công an tỉnh kiểm tra thị trường;\n"
        "báo cáo kết quả.\n"
    )
    ps = articles(parse(body), "TỔ CHỨC")
    assert [(p.section[-1], p.lead, p.partners) for p in ps] == [
        ("a)", ("Sở Y tế",), ("Sở Nội vụ",)),
        # "X: phối hợp với Y …" — the task is X's, Y its partner (as under a unit heading)
        ("b)", ("Sở Công Thương",), ("Công an tỉnh",)),
    ]


def test_a_requested_unit_bullet():
    body = (
        "I. TỔ CHỨC THỰC HIỆN\n1. Các cơ quan, đơn vị\n- Sở Y tế: chủ trì tiêm chủng.\n"
        "- Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh: vận động Nhân dân tham gia.\n"
    )
    ps = articles(parse(body), "TỔ CHỨC")
    assert [(p.lead, p.requested) for p in ps] == [
        (("Sở Y tế",), ()),
        (("Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh",), ("Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh",)),
    ]


def _blocks(lines):
    return [Block(t, kind=k, level=lv) for t, k, lv in lines]


def test_attached_plan_restarts_the_section_tree_and_markdown_headings_count():
    body = _blocks(
        [
            ("Điều 1. Ban hành kèm theo Quyết định này Kế hoạch du lịch.", "para", None),
            ("Điều 3. Chánh Văn phòng và Thủ trưởng các đơn vị chịu trách nhiệm thi hành./.", "para", None),
            (
                "Nơi nhận: - Như Điều 3; - Lưu: VT. | TM. ỦY BAN NHÂN DÂN CHỦ TỊCH Lê Văn Ba",
                "table_row",
                None,
            ),
            ("KẾ HOẠCH", "heading", 1),
            ("Phát triển du lịch", "para", None),
            ("(Ban hành kèm theo Quyết định số 5/QĐ-UBND ngày 1/2/2024 của UBND huyện)", "para", None),
            ("I. MỤC TIÊU", "heading", 2),
            ("1. Mục tiêu chung", "heading", 3),
            ("Đón 1.000 lượt khách.", "para", None),
            ("III. KINH PHÍ", "heading", 2),
            ("Tổng kinh phí 2 tỷ đồng.", "para", None),
        ]
    )
    body[2] = Block(
        body[2].text,
        kind="table_row",
        cells=("Nơi nhận: - Như Điều 3; - Lưu: VT.", "TM. ỦY BAN NHÂN DÂN CHỦ TỊCH Lê Văn Ba"),
    )
    out = {
        d.text.split("\n")[-1]: d.section for d in drafts(build_tree(body, None), None) if d.kind == "article"
    }
    assert out["Đón 1.000 lượt khách."] == ("I. MỤC TIÊU", "1. Mục tiêu chung")
    assert out["Tổng kinh phí 2 tỷ đồng."] == ("III. KINH PHÍ",)
    assert out["(Ban hành kèm theo Quyết định số 5/QĐ-UBND ngày 1/2/2024 của UBND huyện)"] == ()


def test_joint_office_and_names_after_va():
    assert find_units("Văn phòng HĐND và UBND xã chủ trì vận hành") == [
        "Văn phòng Hội đồng nhân dân và Ủy ban nhân dân xã"
    ]
    assert find_units("Văn phòng Hội đồng nhân dân và Ủy ban nhân dân xã") == [
        "Văn phòng Hội đồng nhân dân và Ủy ban nhân dân xã"
    ]
    # a lower-case run after "và" is not carried into the unit before it; it is a unit of its own
    # only when the data file knows it
    assert find_units("phối hợp với Hợp tác xã chè Tân Phú và Tổ công nghệ số cộng đồng các xóm") == [
        "Hợp tác xã chè Tân Phú",
        "Tổ công nghệ số cộng đồng",
    ]
    assert find_units("phối hợp với Hợp tác xã chè Tân Phú và nhóm thanh niên các xóm") == [
        "Hợp tác xã chè Tân Phú"
    ]
