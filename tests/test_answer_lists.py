"""Lists and sections (issue 12, classes 3 and 9): every item of the list asked, whether the plan
writes it under a heading, inside one sentence ("các bệnh: a, b, c"), as a team's members or as a
section of numbered lines. Tiny inline plans written the way Vietnamese plans are, exact answers."""

from __future__ import annotations

import pytest
from _inline import evidence, hits, plan_fixtures

from assistant.answer.common import Evidence
from assistant.answer.registry import compose
from assistant.query import Catalog, parse_question
from assistant.query.model import Intent
from assistant.records import DocMeta, Passage

DOCS = {
    "l.md": DocMeta(doc="l.md", number="30/KH-UBND", doc_type="Kế hoạch", province="Tỉnh L"),
    "k.md": DocMeta(doc="k.md", number="1105/KH-ĐKT", doc_type="Kế hoạch", province="Tỉnh L"),
}
HEALTH = Passage(
    id="l-health",
    doc="l.md",
    kind="article",
    section=("IV. NỘI DUNG", "3. Công tác phòng chống dịch bệnh truyền nhiễm", "a)"),
    text="a) Giám sát dịch bệnh\n- Thiết lập chế độ báo cáo nhanh hàng ngày trong thời gian lũ lụt.\n"
    "- Giám sát trọng điểm các bệnh: sốt xuất huyết, tay chân miệng, tiêu chảy cấp, tả, lỵ, cúm mùa, "
    "Leptospira, dại...",
)
INTESTINE = Passage(
    id="l-intestine",
    doc="l.md",
    kind="article",
    section=("IV. NỘI DUNG", "3. Công tác phòng chống dịch bệnh truyền nhiễm", "b)"),
    text="b) Phòng chống bệnh đường ruột\n- Hướng dẫn người dân ăn chín, uống chín.",
)
ZOONOSIS = Passage(
    id="l-zoonosis",
    doc="l.md",
    kind="article",
    section=("IV. NỘI DUNG", "3. Công tác phòng chống dịch bệnh truyền nhiễm", "d)"),
    text="d) Phòng chống bệnh lây từ động vật sang người\n- Thống kê đàn vật nuôi; xử lý động vật chết.\n"
    "- Triển khai tiêm phòng bổ sung dại, cúm gia cầm tại vùng nguy cơ.",
)
# the loader keeps a heading's title before its colon; the line goes on with the field
TARGETS = Passage(
    id="l-targets",
    doc="l.md",
    kind="article",
    section=("II. MỤC TIÊU", "1.4. Mục tiêu 4"),
    text="1.4. Mục tiêu 4: Trong lĩnh vực y tế\n"
    "- Chỉ tiêu 1: Tỷ số giới tính khi sinh ở mức 107 trẻ trai/100 trẻ gái.\n"
    "- Chỉ tiêu 2: Tỷ lệ tử vong bà mẹ dưới 4/100.000 trẻ sinh ra sống.",
)
OTHER_TARGETS = Passage(
    id="l-targets-5",
    doc="l.md",
    kind="article",
    section=("II. MỤC TIÊU", "1.5. Mục tiêu 5"),
    text="1.5. Mục tiêu 5: Trong lĩnh vực giáo dục\n- Chỉ tiêu 1: Nội dung về giới được đưa vào chương trình.",
)
# a section of five numbered lines in two passages (the loader took "4. Trong giai đoạn 2026" for
# a heading where "- 2030" was hard-wrapped)
GOALS = Passage(
    id="l-goals",
    doc="l.md",
    kind="article",
    section=("III. MỤC TIÊU CHỦ YẾU",),
    text="III. MỤC TIÊU CHỦ YẾU\n1. 100% cán bộ có trình độ đại học Luật trở lên.\n"
    "2. 100% các Sở, ngành bố trí công chức làm công tác xây dựng pháp luật.\n"
    "3. 100% các xã, phường bố trí công chức xây dựng chính sách, pháp luật.",
)
GOALS_2 = Passage(
    id="l-goals-4",
    doc="l.md",
    kind="article",
    section=("III. MỤC TIÊU CHỦ YẾU", "4. Trong giai đoạn 2026"),
    text="4. Trong giai đoạn 2026\n- 2030 phấn đấu có ít nhất 10% cán bộ từ nguồn thu hút người có tài năng.\n"
    "5. 100% cán bộ được tập huấn, bồi dưỡng kỹ năng xây dựng pháp luật.",
)
TEAM = [
    Passage(
        id=f"k-4.{i}",
        doc="k.md",
        kind="article",
        section=("4. Phân công nhiệm vụ", f"4.{i}. Ông. {name} - {role}"),
        persons=(name,),
        text=f"4.{i}. Ông. {name} - {role}: {duty}",
    )
    for i, (name, role, duty) in enumerate(
        [
            ("Hoàng Văn Thuân", "Trưởng đoàn", "Phụ trách chung; chỉ đạo toàn diện hoạt động của Đoàn."),
            ("Đỗ Mạnh Cường", "Phó Trưởng đoàn", "Chủ trì kiểm tra hồ sơ pháp lý."),
            ("Vũ Việt Linh", "Thư ký đoàn", "Lập biên bản kiểm tra."),
        ],
        start=1,
    )
]
TEAM_DUTY = Passage(
    id="k-6.1",
    doc="k.md",
    kind="article",
    section=("6. Những vấn đề khác",),
    text="6.1. Đối với Đoàn kiểm tra: Các thành viên Đoàn thực hiện nghiêm túc Kế hoạch và nhiệm vụ được phân công.",
)
ALL = [HEALTH, INTESTINE, ZOONOSIS, TARGETS, OTHER_TARGETS, GOALS, GOALS_2, *TEAM, TEAM_DUTY]


cat, idf = plan_fixtures(DOCS, ALL)


def ev(*ps: Passage) -> Evidence:
    return evidence(ALL, *ps)


@pytest.mark.parametrize(
    "question",
    [
        "Các xã nào được giao nhiệm vụ trong kế hoạch bảo vệ môi trường biển?",
        "Kế hoạch được lập theo đề nghị của những công ty nào?",
        "Các đơn vị được kiểm tra gồm những đơn vị nào?",
        "Kế hoạch đặt chỉ tiêu gì trong lĩnh vực y tế?",
        "doan kiem tra gom nhung thanh vien nao",
    ],
)
def test_plural_questions_ask_for_a_list(cat, question):
    assert parse_question(question, cat).intent is Intent.LIST


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        ("Kế hoạch được lập theo đề nghị của đơn vị nào?", Intent.FACT),  # one, not a list
        ("Lễ phát động tổ chức ở xã nào?", Intent.FACT),
        ("Các đơn vị nào chủ trì tuyên truyền?", Intent.LEAD_UNIT),
    ],
)
def test_singular_and_lead_questions_keep_their_family(cat, question, intent):
    assert parse_question(question, cat).intent is intent


def test_an_enumeration_inside_a_sentence_is_the_list(cat, idf):
    q = parse_question("Kế hoạch 30 giám sát trọng điểm những bệnh nào?", cat)
    ans = compose(q, ev(HEALTH, INTESTINE), DOCS, idf=idf)
    assert ans.answer.splitlines() == [
        "Giám sát trọng điểm các bệnh — Kế hoạch 30/KH-UBND (Tỉnh L):",
        "• sốt xuất huyết, tay chân miệng, tiêu chảy cấp, tả, lỵ, cúm mùa, Leptospira, dại [1]",
    ]
    assert ans.citations[0].passage_id == HEALTH.id


def test_items_written_in_one_sentence_of_a_point_are_that_sentence_not_the_headings(cat, idf):
    # the points around share only "bệnh" with the question; one sentence holds all the rest
    q = parse_question("ke hoach 30 tiem phong bo sung nhung benh gi", cat)
    ans = compose(q, ev(ZOONOSIS, HEALTH, INTESTINE), DOCS, idf=idf)
    assert (
        ans.answer
        == "Triển khai tiêm phòng bổ sung dại, cúm gia cầm tại vùng nguy cơ. [1] — Kế hoạch 30/KH-UBND (Tỉnh L)."
    )
    assert [c.passage_id for c in ans.citations] == [ZOONOSIS.id]
    # a question the heading names keeps the heading's items
    q = parse_question("Kế hoạch 30 phòng chống dịch bệnh truyền nhiễm gồm những nội dung nào?", cat)
    assert compose(q, ev(ZOONOSIS, HEALTH, INTESTINE), DOCS, idf=idf).answer.count("•") >= 3


def test_an_enumeration_after_a_long_target_sentence_is_the_list(cat, idf):
    species = Passage(
        id="l-species",
        doc="l.md",
        kind="article",
        section=("I. MỤC TIÊU", "2. Mục tiêu cụ thể"),
        text="2. Mục tiêu cụ thể:\n- Chủ động quan trắc, cảnh báo và giám sát môi trường vùng nuôi trồng thủy sản "
        "tại một số vùng nuôi chính của tỉnh, vùng nuôi các đối tượng nuôi là sản phẩm chủ lực, có giá trị kinh "
        "tế, sản lượng hàng hóa cao của tỉnh như: Tôm sú, tôm thẻ chân trắng, tôm hùm, cá tầm, cá rô phi và cá "
        "nuôi lồng bè nước ngọt.",
    )
    q = parse_question("Kế hoạch 30 quan trắc môi trường vùng nuôi những đối tượng chủ lực nào?", cat)
    ans = compose(q, ev(species, HEALTH), DOCS, idf=idf)
    assert ans.answer.splitlines()[1:] == [
        "• Tôm sú, tôm thẻ chân trắng, tôm hùm, cá tầm, cá rô phi, cá nuôi lồng bè nước ngọt [1]"
    ], ans.answer
    assert ans.citations[0].passage_id == species.id


def test_the_targets_of_a_field_named_after_the_headings_colon(cat, idf):
    q = parse_question("Kế hoạch 30 đặt chỉ tiêu gì trong lĩnh vực y tế?", cat)
    ans = compose(q, ev(OTHER_TARGETS, TARGETS), DOCS, idf=idf)
    assert ans.answer.splitlines() == [
        "1.4. Mục tiêu 4: Trong lĩnh vực y tế — Kế hoạch 30/KH-UBND (Tỉnh L):",
        "• Chỉ tiêu 1: Tỷ số giới tính khi sinh ở mức 107 trẻ trai/100 trẻ gái.",
        "• Chỉ tiêu 2: Tỷ lệ tử vong bà mẹ dưới 4/100.000 trẻ sinh ra sống. [1]",
    ]


def test_a_section_asked_whole_gives_every_item_uncut(cat, idf):
    q = parse_question("Kế hoạch 30 đặt ra những mục tiêu chủ yếu nào?", cat)
    ans = compose(q, ev(GOALS, GOALS_2), DOCS, idf=idf)
    assert ans.answer.splitlines() == [
        "III. MỤC TIÊU CHỦ YẾU — Kế hoạch 30/KH-UBND (Tỉnh L):",
        "• 1. 100% cán bộ có trình độ đại học Luật trở lên.",
        "• 2. 100% các Sở, ngành bố trí công chức làm công tác xây dựng pháp luật.",
        "• 3. 100% các xã, phường bố trí công chức xây dựng chính sách, pháp luật. [1]",
        "• 4. Trong giai đoạn 2026 - 2030 phấn đấu có ít nhất 10% cán bộ từ nguồn thu hút người có tài năng.",
        "• 5. 100% cán bộ được tập huấn, bồi dưỡng kỹ năng xây dựng pháp luật. [2]",
    ]


def test_a_teams_members_are_the_people_it_names(cat, idf):
    q = parse_question("Đoàn kiểm tra 1105 gồm những thành viên nào?", cat)
    ans = compose(q, ev(TEAM_DUTY, *TEAM), DOCS, idf=idf)
    assert ans.answer.splitlines() == [
        "Thành viên — Kế hoạch 1105/KH-ĐKT (Tỉnh L):",
        "• 4.1. Ông. Hoàng Văn Thuân - Trưởng đoàn [1]",
        "• 4.2. Ông. Đỗ Mạnh Cường - Phó Trưởng đoàn [2]",
        "• 4.3. Ông. Vũ Việt Linh - Thư ký đoàn [3]",
    ]


def test_a_heading_that_names_a_group_keeps_its_members(idf):
    docs = {"m.md": DocMeta(doc="m.md", number="556/KH-UBND", doc_type="Kế hoạch", province="Tỉnh M")}
    communes = Passage(
        id="m-12",
        doc="m.md",
        kind="article",
        section=("IV. TỔ CHỨC THỰC HIỆN", "12. Ủy ban nhân dân các xã"),
        text="12. Ủy ban nhân dân các xã: Gia Thuận, Tân Điền, Gò Công Đông, Tân Phú Đông\n"
        "- Xây dựng kế hoạch cụ thể hóa các nhiệm vụ bảo vệ môi trường biển.",
    )
    cat = Catalog.build(docs, [communes])
    q = parse_question("Các xã nào được giao nhiệm vụ trong kế hoạch 556?", cat)
    ans = compose(q, evidence([communes], communes), docs, idf=idf)
    assert ans.answer.splitlines() == [
        "12. Ủy ban nhân dân các xã — Kế hoạch 556/KH-UBND (Tỉnh M):",
        "• Gia Thuận",
        "• Tân Điền",
        "• Gò Công Đông",
        "• Tân Phú Đông [1]",
    ]


def test_purpose_and_requirement_asked_together_is_the_heading_holding_both(idf):
    docs = {
        d: DocMeta(doc=d, number=f"{n}/KH-SCT", doc_type="Kế hoạch", province="Tỉnh N", title=t)
        for d, n, t in (
            ("n1.md", 3024, "Kế hoạch kiểm tra kỹ thuật an toàn vật liệu nổ"),
            ("n2.md", 3898, "Kế hoạch huấn luyện người quản lý vật liệu nổ"),
        )
    }
    req = Passage(
        id="n1-req",
        doc="n1.md",
        kind="article",
        section=("I. MỤC ĐÍCH, YÊU CẦU", "2. Yêu cầu"),
        text="2. Yêu cầu\n- Đối tượng tham gia kiểm tra đầy đủ, đúng thành phần.",
    )
    both = Passage(
        id="n2-md",
        doc="n2.md",
        kind="article",
        section=("I. MỤC ĐÍCH, YÊU CẦU",),
        text="I. MỤC ĐÍCH, YÊU CẦU\n1. Huấn luyện kỹ thuật an toàn cho Người quản lý vật liệu nổ.\n"
        "2. Kỳ huấn luyện được tổ chức nghiêm túc, khách quan.",
    )
    cat = Catalog.build(docs, [req, both])
    q = parse_question("Mục đích, yêu cầu của kế hoạch huấn luyện người quản lý vật liệu nổ là gì?", cat)
    # the plan asked ranks first; the other plan's narrower "2. Yêu cầu" must not win over it
    ans = compose(
        q, Evidence(hits=hits(both, req), doc_passages={"n1.md": [req], "n2.md": [both]}), docs, idf=idf
    )
    assert ans.answer.splitlines() == [
        "I. MỤC ĐÍCH, YÊU CẦU — Kế hoạch 3898/KH-SCT (Tỉnh N):",
        "• 1. Huấn luyện kỹ thuật an toàn cho Người quản lý vật liệu nổ.",
        "• 2. Kỳ huấn luyện được tổ chức nghiêm túc, khách quan. [1]",
    ]


def test_tp_hcm_is_the_loaded_ho_chi_minh_not_a_missing_place():
    docs = {"h.md": DocMeta(doc="h.md", number="174/KH-UBND", doc_type="Kế hoạch", province="Hồ Chí Minh")}
    p = Passage(id="h-1", doc="h.md", kind="article", section=("I. MỤC ĐÍCH",), text="Bình đẳng giới.")
    cat = Catalog.build(docs, [p])
    for question in ("Kế hoạch của TP HCM đặt chỉ tiêu gì?", "Ở TP HCM, cơ quan nào đăng thông điệp?"):
        q = parse_question(question, cat)
        assert q.missing is None, (question, q.missing)


def test_a_long_list_is_written_whole_not_cut(idf):
    # fifteen sub-sections: every one is in the answer (shortened to share the lines), none dropped
    docs = {"w.md": DocMeta(doc="w.md", number="9/KH-UBND", doc_type="Kế hoạch", province="Tỉnh W")}
    parts = [
        Passage(
            id=f"w-{i}",
            doc="w.md",
            kind="article",
            section=("II. NHIỆM VỤ, GIẢI PHÁP", f"{i}. Giải pháp số {i} về chuyển đổi số"),
            text=f"{i}. Giải pháp số {i} về chuyển đổi số\n- Triển khai nội dung {i}.",
        )
        for i in range(1, 16)
    ]
    cat = Catalog.build(docs, parts)
    q = parse_question("Kế hoạch 9 có những nhiệm vụ, giải pháp nào?", cat)
    ans = compose(q, evidence(parts, *parts[:4]), docs, idf=idf)
    assert len(ans.answer.splitlines()) <= 6
    for i in range(1, 16):
        assert f"{i}. Giải pháp số {i} về chuyển đổi số [{i}]" in ans.answer, ans.answer
    assert "khác)" not in ans.answer


def test_a_labelled_item_of_a_list_is_not_a_sentence_answer(cat, idf):
    from assistant.answer.common import AnswerContext
    from assistant.answer.handlers.lists import _named_in_a_sentence

    item = Passage(
        id="l-media",
        doc="l.md",
        kind="article",
        section=("II. NHIỆM VỤ", "4. Đổi mới phương thức thông tin đối ngoại"),
        text="- Truyền thông quảng bá qua các phương tiện thông tin đại chúng: Xây dựng các chuyên mục, chuyên đề;",
    )
    q = parse_question("Kế hoạch 30 quảng bá qua những phương tiện truyền thông nào?", cat)
    ctx = AnswerContext(q, ev(item), DOCS, idf)
    assert _named_in_a_sentence(ctx, None) is None  # the label names one item of the list
    plain = Passage(
        id="l-media-2", doc="l.md", kind="article", section=item.section, text=item.text.replace(":", ",")
    )
    assert _named_in_a_sentence(AnswerContext(q, ev(plain), DOCS, idf), None) is not None


def test_words_of_the_plans_title_do_not_name_one_of_its_parts(cat, idf):
    """ "Kế hoạch về tạo lập dữ liệu gồm những nhóm nhiệm vụ nào": "dữ liệu" names the plan by its
    subject (its title), not the group "1. Về dữ liệu": every group of "II. NHIỆM VỤ" is listed."""
    docs = {
        "h.md": DocMeta(
            doc="h.md",
            number="308/KH-UBND",
            doc_type="Kế hoạch",
            province="Tỉnh H",
            title="Triển khai Nghị quyết về thúc đẩy tạo lập dữ liệu phục vụ chuyển đổi số toàn diện",
        )
    }
    groups = [
        ("1. Về dữ liệu", "1. Về dữ liệu\na) Nhiệm vụ: Rà soát, chuẩn hóa cơ sở dữ liệu của đơn vị."),
        ("2. Về các nền tảng số", "2. Về các nền tảng số\na) Nhiệm vụ: Sử dụng các nền tảng số quốc gia."),
        (
            "3. Về đảm bảo an toàn thông tin",
            "3. Về đảm bảo an toàn thông tin\na) Nhiệm vụ: Bảo đảm an ninh mạng.",
        ),
        ("4. Về nguồn lực", "4. Về nguồn lực\na) Nhiệm vụ: Lập dự toán kinh phí thực hiện."),
    ]
    ps = [
        Passage(id=f"h-{i}", doc="h.md", kind="article", section=("II. NHIỆM VỤ", title), text=text)
        for i, (title, text) in enumerate(groups)
    ]
    q = parse_question("Kế hoạch 308 về tạo lập dữ liệu gồm những nhóm nhiệm vụ nào?", cat)
    ev_h = evidence(ps, *ps)
    ans = compose(q, ev_h, docs, idf=idf)
    assert ans.answer.splitlines() == [
        "II. NHIỆM VỤ — Kế hoạch 308/KH-UBND (Tỉnh H):",
        "• 1. Về dữ liệu [1]",
        "• 2. Về các nền tảng số [2]",
        "• 3. Về đảm bảo an toàn thông tin [3]",
        "• 4. Về nguồn lực [4]",
    ], ans.answer
