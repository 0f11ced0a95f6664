"""Lists written the way plans assign and group their work (issue 12, class 3): a task written as a
sheet of labelled fields ("a) Nhiệm vụ: …", "b) Cơ quan thực hiện: …", "c) Thời gian thực hiện:
…") lists the lines of its task field, not its field labels; a line the loader broke out of a
hard-wrapped sentence is joined back. Tiny inline plans written the way Vietnamese plans are,
exact answers."""

from __future__ import annotations

import pytest
from _inline import article, evidence, plan_fixtures

from assistant.answer.common import Evidence
from assistant.answer.evidence import Idf
from assistant.answer.list_items import rejoined
from assistant.answer.registry import compose
from assistant.query import Catalog, parse_question
from assistant.records import DocMeta, Passage
from assistant.vocab.lists import sheet_field

DOCS = {"h.md": DocMeta(doc="h.md", number="308/KH-UBND", doc_type="Kế hoạch", province="Thành phố H")}
SAFE = ("II. NHIỆM VỤ", "3. Về đảm bảo an toàn thông tin")
TASK = article(
    "h-3a",
    "h.md",
    (*SAFE, "a)"),
    "a) Nhiệm vụ:\n- Triển khai các phương án bảo đảm an toàn thông tin cho các cơ sở dữ liệu theo tiêu chuẩn TCVN\n"
    "14423:2025 về An ninh mạng.\n- Phối hợp với Bộ Công an kịp thời ứng cứu sự cố cho hạ tầng kỹ thuật.\n"
    "- Hướng dẫn các Sở, ban, ngành kết nối dữ liệu dân cư gắn với triển khai Đề án 06.",
)
WHO = article(
    "h-3b",
    "h.md",
    (*SAFE, "b)"),
    "b) Cơ quan thực hiện:\n- Đơn vị chủ trì: Công an Thành phố.\n- Đơn vị phối hợp: Các Sở, ban, ngành.",
)
WHEN = article("h-3c", "h.md", (*SAFE, "c)"), "c) Thời gian thực hiện: Thực hiện thường xuyên.")
STAFF = ("II. NHIỆM VỤ", "4. Về nguồn nhân lực")
ONE_TASK = article(
    "h-4a",
    "h.md",
    (*STAFF, "a)"),
    "a) Nhiệm vụ: Lựa chọn kiến trúc sư trưởng về chuyển đổi số, xây dựng Khung Kiến trúc số của Thành phố.",
)
ONE_WHO = article(
    "h-4b", "h.md", (*STAFF, "b)"), "b) Cơ quan thực hiện:\n- Đơn vị chủ trì: Sở Khoa học và Công nghệ."
)
ALL = [TASK, WHO, WHEN, ONE_TASK, ONE_WHO]


cat, idf = plan_fixtures(DOCS, ALL)


def ev(*ps: Passage) -> Evidence:
    return evidence(ALL, *ps)


def test_a_task_sheet_lists_the_lines_of_its_task_not_its_field_labels(cat, idf):
    q = parse_question(
        "Thành phố H có những giải pháp gì để bảo đảm an toàn thông tin theo kế hoạch 308?", cat
    )
    ans = compose(q, ev(WHO, TASK, WHEN), DOCS, idf=idf)
    assert ans.answer.splitlines()[1:] == [
        "• Triển khai các phương án bảo đảm an toàn thông tin cho các cơ sở dữ liệu theo tiêu chuẩn TCVN "
        "14423:2025 về An ninh mạng.",
        "• Phối hợp với Bộ Công an kịp thời ứng cứu sự cố cho hạ tầng kỹ thuật.",
        "• Hướng dẫn các Sở, ban, ngành kết nối dữ liệu dân cư gắn với triển khai Đề án 06. [1]",
    ], ans.answer
    assert [c.passage_id for c in ans.citations] == [TASK.id]


def test_a_task_sheet_of_one_sentence_gives_that_sentence(cat, idf):
    q = parse_question("Kế hoạch 308 có những nhiệm vụ gì về nguồn nhân lực?", cat)
    ans = compose(q, ev(ONE_WHO, ONE_TASK), DOCS, idf=idf)
    assert "Lựa chọn kiến trúc sư trưởng về chuyển đổi số" in ans.answer, ans.answer
    assert "Cơ quan thực hiện" not in ans.answer
    assert [c.passage_id for c in ans.citations] == [ONE_TASK.id]


@pytest.mark.parametrize(
    ("label", "field"),
    [
        ("a) Nhiệm vụ:", "nhiem vu"),
        ("b) Cơ quan thực hiện:", "co quan thuc hien"),
        ("c) Thời gian thực hiện: Thực hiện thường xuyên.", "thoi gian thuc hien"),
        ("a) Tuyên truyền, vận động", None),
        ("1. Sở Y tế", None),
    ],
)
def test_the_fields_of_a_task_sheet_are_known_by_their_labels(label, field):
    assert sheet_field(label) == field


def test_a_line_broken_out_of_a_sentence_is_joined_back_items_stay_apart():
    lines = [
        (TASK, "- Triển khai theo tiêu chuẩn TCVN"),
        (TASK, "14423:2025 về An ninh mạng."),
        (TASK, "- Phối hợp với Bộ Công an"),
        (TASK, "2. Hướng dẫn các Sở"),
        (WHO, "tiếp tục ở đoạn khác"),
    ]
    assert [ln for _, ln in rejoined(lines)] == [
        "- Triển khai theo tiêu chuẩn TCVN 14423:2025 về An ninh mạng.",
        "- Phối hợp với Bộ Công an",
        "2. Hướng dẫn các Sở",
        "tiếp tục ở đoạn khác",
    ]


# "Thành phần thực hiện giám sát … gồm những ai?": "ai" names no part of the plan, the subject
# before "gồm" opens with the heading's words; the headings sharing the rest ("giám sát, đánh
# giá") are not asked
G_DOCS = {"g.md": DocMeta(doc="g.md", number="160/KH-UBND", doc_type="Kế hoạch", province="Thành phố G")}
MEMBERS = article(
    "g-2.3",
    "g.md",
    ("II. ĐỐI TƯỢNG, THỜI GIAN VÀ THÀNH PHẦN THỰC HIỆN", "3. Thành phần thực hiện"),
    "3. Thành phần thực hiện\n- Đại diện Ban Giám đốc và lãnh đạo các sở, ban, ngành là thành viên Ban Chỉ đạo.\n"
    "- Lãnh đạo và chuyên viên các phòng chuyên môn và đoàn thể cấp xã.",
)
WATCH = article(
    "g-3.1",
    "g.md",
    ("III. NỘI DUNG GIÁM SÁT, ĐÁNH GIÁ", "1. Nội dung giám sát"),
    "1. Nội dung giám sát\n- Giám sát việc thực hiện chương trình giảm nghèo.",
)
JUDGE = article(
    "g-3.2",
    "g.md",
    ("III. NỘI DUNG GIÁM SÁT, ĐÁNH GIÁ", "2. Nội dung đánh giá"),
    "2. Nội dung đánh giá\n- Đánh giá kết quả thực hiện chương trình giảm nghèo.",
)


def test_the_subject_before_gom_names_the_heading_when_the_noun_asked_names_none():
    g_all = [MEMBERS, WATCH, JUDGE]
    q = parse_question(
        "thanh phan thuc hien giam sat danh gia chuong trinh giam ngheo gom nhung ai",
        Catalog.build(G_DOCS, g_all),
    )
    ev_g = evidence(g_all, WATCH, JUDGE, MEMBERS)
    ans = compose(q, ev_g, G_DOCS, idf=Idf.build(p.text for p in g_all))
    assert ans.answer.splitlines()[1:] == [
        "• Đại diện Ban Giám đốc và lãnh đạo các sở, ban, ngành là thành viên Ban Chỉ đạo.",
        "• Lãnh đạo và chuyên viên các phòng chuyên môn và đoàn thể cấp xã. [1]",
    ], ans.answer


# "… xử lý nghiêm các hành vi: A; B. Trong đó tập trung xử lý các hành vi: C, D, E.": the second
# enumeration of the paragraph narrows the first; the question asks the narrower one
K_DOCS = {"k.txt": DocMeta(doc="k.txt", number="11/KH-UBND", doc_type="Kế hoạch", province="Tỉnh K")}
ACTS = article(
    "k-6",
    "k.txt",
    ("II. NHIỆM VỤ, GIẢI PHÁP", "6. Tăng cường thanh tra, kiểm tra và xử lý vi phạm về khoáng sản"),
    "6. Tăng cường thanh tra, kiểm tra và xử lý vi phạm về khoáng sản\n- Các Sở, ngành phối hợp phát hiện, "
    "ngăn chặn và xử lý nghiêm các hành vi: Khai thác, vận chuyển, kinh doanh khoáng sản trái phép; tiêu cực, "
    "sai phạm trong hoạt động khoáng sản; vận chuyển quá tải trọng. Trong đó tập trung xử lý các hành vi: "
    "Khai thác trái phép, vượt ranh giới, vượt công suất, sai thiết kế, trốn thuế.\n- Kiên quyết thu hồi giấy "
    "phép đối với các trường hợp vi phạm nghiêm trọng.",
)


def test_the_second_enumeration_of_a_paragraph_narrowing_the_first_is_found():
    k_all = [ACTS]
    q = parse_question(
        "ke hoach 11 tap trung xu ly nhung hanh vi vi pham nao ve khoang san", Catalog.build(K_DOCS, k_all)
    )
    ev_k = evidence(k_all, ACTS)
    ans = compose(q, ev_k, K_DOCS, idf=Idf.build(p.text for p in k_all))
    assert ans.answer.splitlines() == [
        "Trong đó tập trung xử lý các hành vi — Kế hoạch 11/KH-UBND (Tỉnh K):",
        "• Khai thác trái phép",
        "• vượt ranh giới",
        "• vượt công suất",
        "• sai thiết kế",
        "• trốn thuế [1]",
    ], ans.answer


# the lettered points of a unit's part are its tasks, written as sentences: each is shown whole up
# to a line's share, not cut like a sub-heading's title
P_DOCS = {"p.md": DocMeta(doc="p.md", number="165/KH-UBND", doc_type="Kế hoạch", province="Thành phố P")}
COMMUNE = ("II. NỘI DUNG THỰC HIỆN", "6. Ủy ban nhân dân xã, phường")
POINT_TEXTS = [
    "a) Ban hành theo thẩm quyền hoặc trình cấp có thẩm quyền ban hành các văn bản để triển khai đồng bộ, "
    "hiệu quả chủ trương, chính sách, pháp luật về dân số;",
    "b) Kiện toàn Ban Chỉ đạo Dân số và Phát triển cấp xã, phân công nhiệm vụ cho các thành viên, ban hành "
    "quy chế hoạt động của Ban Chỉ đạo;",
    "c) Tăng cường kiểm tra, giám sát, tổng hợp đánh giá kết quả thực hiện các Nghị quyết, Kế hoạch, Chương "
    "trình về công tác dân số theo quy định.",
]
POINTS = [article(f"p-6{t[0]}", "p.md", (*COMMUNE, t[:2]), t) for t in POINT_TEXTS]


def test_lettered_points_are_shown_as_sentences_not_cut_like_titles():
    q = parse_question(
        "Ủy ban nhân dân xã, phường được giao những nhiệm vụ nào trong kế hoạch 165?",
        Catalog.build(P_DOCS, POINTS),
    )
    ev_p = evidence(POINTS, *POINTS)
    ans = compose(q, ev_p, P_DOCS, idf=Idf.build(p.text for p in POINTS))
    assert ans.answer.splitlines()[1:] == [f"• {t} [{i}]" for i, t in enumerate(POINT_TEXTS, 1)], ans.answer


# "theo những bước nào": the plan orders the steps of its campaign under "Phương án triển khai"
# (``vocab.lists.NOUN_PARAPHRASES``), a part retrieval ranks below the units' parts
S_DOCS = {
    "s.md": DocMeta(
        doc="s.md",
        title="Phát động phong trào thi đua chi trả trợ cấp xã hội không dùng tiền mặt",
        number="157/KH-UBND",
        doc_type="Kế hoạch",
        province="Thành phố S",
    )
}
STEPS = ("III. NỘI DUNG THI ĐUA, PHƯƠNG ÁN TRIỂN KHAI", "2. Phương án triển khai")
STEP_TEXTS = [
    "a) Ủy ban nhân dân xã, phường tổ chức tuyên truyền, vận động người hưởng trợ cấp;",
    "b) Thực hiện mở tài khoản và phát hành thẻ: Ủy ban nhân dân xã, phường phối hợp với ngân hàng;",
    "c) Xét thi đua khen thưởng và tổng kết Kế hoạch.",
]
STEP_PS = [article(f"s-2{t[0]}", "s.md", (*STEPS, t[:2]), t) for t in STEP_TEXTS]
BANKS = [
    article(
        f"s-6{x}",
        "s.md",
        ("V. TỔ CHỨC THỰC HIỆN", "6. Đề nghị các tổ chức cung cấp dịch vụ chi trả", f"{x})"),
        f"{x}) Tích cực tham gia phong trào thi đua chi trả không dùng tiền mặt đối với người hưởng trợ cấp ({x}).",
    )
    for x in "ab"
]


def test_steps_asked_are_the_plans_phuong_an_trien_khai():
    s_all = [*STEP_PS, *BANKS]
    q = parse_question(
        "Phong trào thi đua chi trả không dùng tiền mặt được triển khai theo những bước nào?",
        Catalog.build(S_DOCS, s_all),
    )
    ev_s = evidence(s_all, *BANKS)
    ans = compose(q, ev_s, S_DOCS, idf=Idf.build(p.text for p in s_all))
    assert ans.answer.splitlines() == [
        "2. Phương án triển khai — Kế hoạch 157/KH-UBND (Thành phố S):",
        "• a) Ủy ban nhân dân xã, phường tổ chức tuyên truyền, vận động người hưởng trợ cấp; [1]",
        "• b) Thực hiện mở tài khoản và phát hành thẻ [2]",
        "• c) Xét thi đua khen thưởng và tổng kết Kế hoạch. [3]",
    ], ans.answer


# a task paragraph with its fields on lines of their own ("*Đơn vị chủ trì thực hiện:* …"), under
# a heading the loader cut ("… công tác xây…"): the paragraph is the answer, whole; the fields and
# the heading line repeated are no items
B_DOCS = {"b.md": DocMeta(doc="b.md", number="141/KH-UBND", doc_type="Kế hoạch", province="Tỉnh B")}
LAW_TITLE = "2. Tăng cường tuyên truyền, phổ biến, quán triệt chủ trương của Đảng về công tác xây…"
LAW_BODY = (
    "- Thường xuyên tuyên truyền, quán triệt Nghị quyết số 27-NQ/TW ngày 09/11/2022 của Ban Chấp hành Trung "
    "ương; Nghị quyết số 66-NQ/TW ngày 30/4/2025 của Bộ Chính trị; Quy định số 178-QĐ/TW ngày 27/6/2024 của Bộ "
    "Chính trị; Luật Ban hành văn bản quy phạm pháp luật cho đội ngũ làm công tác xây dựng pháp luật."
)
LAW = article(
    "b-3.2",
    "b.md",
    ("III. NHIỆM VỤ, GIẢI PHÁP", LAW_TITLE),
    "2. Tăng cường tuyên truyền, phổ biến, quán triệt chủ trương của Đảng về công tác xây dựng pháp luật\n"
    f"{LAW_BODY}\n*Đơn vị chủ trì thực hiện: *Các Sở, ngành, UBND cấp xã.\n*Đơn vị phối hợp: *Sở Tư pháp.\n"
    "*Thời gian thực hiện: *Thường xuyên.",
)


def test_a_task_paragraph_with_its_fields_apart_is_given_whole():
    q = parse_question(
        "Tỉnh B yêu cầu tuyên truyền, quán triệt những văn bản nào cho đội ngũ làm công tác xây dựng pháp luật?",
        Catalog.build(B_DOCS, [LAW]),
    )
    ev_b = evidence([LAW], LAW)
    ans = compose(q, ev_b, B_DOCS, idf=Idf.build([LAW.text]))
    assert ans.answer.splitlines()[1:] == [f"• {LAW_BODY[2:]} [1]"], ans.answer
    assert ans.answer.startswith(
        "2. Tăng cường tuyên truyền, phổ biến, quán triệt chủ trương của Đảng về công tác xây dựng"
    )


# "sau 72 giờ … hỗ trợ những gì": a plan's schedule labels each period by a kind word and its bound
# ("- Giai đoạn sau 72 giờ:" with its text on the next line, as web pages write it)
D_DOCS = {"d.md": DocMeta(doc="d.md", number="129/KH-UBND", doc_type="Kế hoạch", province="Tỉnh D")}
SCHEDULE = article(
    "d-3.4",
    "d.md",
    ("III. PHƯƠNG ÁN HỖ TRỢ", "4. Phương án tổ chức cấp phát"),
    "4. Phương án tổ chức cấp phát\n- Giai đoạn 48-72 giờ:\nTổ chức bếp ăn cộng đồng tại các điểm sơ tán; "
    "phân bổ gạo, thực phẩm khô cho từng nhóm hộ gia đình.\n- Giai đoạn sau 72 giờ:\nHỗ trợ tấm lợp, vật liệu sửa "
    "nhà cho các hộ dân bị tốc mái;\nphối hợp hỗ trợ Nhân dân dọn dẹp nhà cửa, vệ sinh môi trường;\ncung cấp nước "
    "sạch, hỗ trợ giống cây trồng, vật nuôi.",
)


def test_a_period_asked_by_its_bound_lists_its_items():
    q = parse_question(
        "sau 72 gio tinh D ho tro nguoi dan vung lu nhung gi", Catalog.build(D_DOCS, [SCHEDULE])
    )
    ev_d = evidence([SCHEDULE], SCHEDULE)
    ans = compose(q, ev_d, D_DOCS, idf=Idf.build([SCHEDULE.text]))
    assert ans.answer.splitlines() == [
        "Giai đoạn sau 72 giờ — Kế hoạch 129/KH-UBND (Tỉnh D):",
        "• Hỗ trợ tấm lợp, vật liệu sửa nhà cho các hộ dân bị tốc mái",
        "• phối hợp hỗ trợ Nhân dân dọn dẹp nhà cửa, vệ sinh môi trường",
        "• cung cấp nước sạch, hỗ trợ giống cây trồng, vật nuôi [1]",
    ], ans.answer


# a Sở's plan appends its team's division of work ("Nhiệm vụ thực hiện | Người thực hiện"): asked
# what the team does, every row with its people; asked who does one task, that row's people
T_DOCS = {
    "t.txt": DocMeta(
        doc="t.txt",
        title="Huấn luyện, kiểm tra kỹ thuật an toàn cho người quản lý vật liệu nổ công nghiệp",
        number="38/KH-SCT",
        doc_type="Kế hoạch",
        province="Lào Cai",
        issuer="Sở Công Thương",
    )
}
TEAM = [
    Passage(
        id=f"t-row-{i}",
        doc="t.txt",
        kind="table_row",
        section=(", ".join(people),),
        text=f"{task} | {', '.join(people)}",
        persons=people,
    )
    for i, (task, people) in enumerate(
        [
            ("Rà soát việc đáp ứng các điều kiện của học viên", ("Vũ Việt Linh", "Nguyễn Thị Loan")),
            ("Tổ chức huấn luyện, kiểm tra", ("Đỗ Mạnh Cường", "Vũ Việt Linh")),
            ("Trình ký Quyết định, chứng chỉ", ("Đỗ Mạnh Cường",)),
        ]
    )
]
AIM = article(
    "t-aim",
    "t.txt",
    ("I. MỤC ĐÍCH, YÊU CẦU", "2."),
    "2. Đảm bảo kỳ huấn luyện, kiểm tra được tổ chức nghiêm túc, khách quan.",
)


def _ask_team(question: str):
    t_all = [AIM, *TEAM]
    q = parse_question(question, Catalog.build(T_DOCS, t_all))
    ev_t = evidence(t_all, AIM, *TEAM)
    return compose(q, ev_t, T_DOCS, idf=Idf.build(p.text for p in t_all))


def test_a_teams_tasks_are_its_table_rows_with_their_people():
    ans = _ask_team("Tổ công tác huấn luyện người quản lý vật liệu nổ phải làm những việc gì?")
    assert ans.answer.splitlines()[1:] == [
        "• Rà soát việc đáp ứng các điều kiện của học viên (Vũ Việt Linh, Nguyễn Thị Loan) [1]",
        "• Tổ chức huấn luyện, kiểm tra (Đỗ Mạnh Cường, Vũ Việt Linh) [2]",
        "• Trình ký Quyết định, chứng chỉ (Đỗ Mạnh Cường) [3]",
    ], ans.answer


def test_the_people_of_the_row_whose_task_is_named():
    ans = _ask_team("Trong kỳ huấn luyện, những cán bộ nào trực tiếp tổ chức huấn luyện, kiểm tra?")
    assert ans.answer.splitlines()[1:] == ["• Đỗ Mạnh Cường", "• Vũ Việt Linh [1]"], ans.answer
    assert [c.passage_id for c in ans.citations] == ["t-row-1"]


def test_fair_widths_give_the_short_items_whole_and_share_the_rest():
    from assistant.answer.list_items import LEAST_ITEM, fair_widths

    assert fair_widths([100, 100, 900], 1400) == [100, 100, 900]
    assert fair_widths([100, 800, 900], 1400) == [100, 650, 650]
    assert fair_widths([3000] * 40, 1400) == [LEAST_ITEM] * 40  # never below the least item


def test_a_long_point_among_short_ones_is_shown_whole():
    long_task = (
        "a) Tiếp tục tổ chức triển khai thực hiện có hiệu quả các chủ trương, chính sách, giải pháp của Đảng, "
        "Nhà nước, chỉ đạo của Thành ủy, Hội đồng nhân dân, Ủy ban nhân dân thành phố về công tác dân số, nhất là "
        "các giải pháp để phấn đấu đạt và duy trì mức sinh thay thế;"
    )
    texts = [long_task, *(f"{c}{t[1:]}" for c, t in zip("bcd", POINT_TEXTS))]
    ps = [article(f"q-{t[0]}", "p.md", (*COMMUNE, t[:2]), t) for t in texts]
    q = parse_question(
        "Ủy ban nhân dân xã, phường được giao những nhiệm vụ nào trong kế hoạch 165?",
        Catalog.build(P_DOCS, ps),
    )
    ans = compose(q, evidence(ps, *ps), P_DOCS, idf=Idf.build(p.text for p in ps))
    assert "duy trì mức sinh thay thế" in ans.answer and "…" not in ans.answer, ans.answer
