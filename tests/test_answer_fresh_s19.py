"""Classes found by session 19's fresh dev questions (r526–r550, written before the assistant was
run on them): tiny inline plans written the way Vietnamese plans are, with exact expected answers."""

from __future__ import annotations

import pytest
from _inline import hits, plan_fixtures

from assistant.answer.common import Evidence
from assistant.answer.enumerations import enumerations
from assistant.answer.numbers import number_near
from assistant.answer.registry import compose
from assistant.query import Catalog, parse_question
from assistant.records import DocMeta, Passage

DOCS = {
    "t.md": DocMeta(
        doc="t.md",
        title="KẾ HOẠCH Quan trắc môi trường nuôi trồng thủy sản tỉnh T",
        number="34/KH-UBND",
        doc_type="Kế hoạch",
        province="Tỉnh T",
        date="2025-11-25",
    )
}
# an outline part whose heading runs long: the section path keeps it cut ("…"), so the heading
# line is not recognised as the section's own and is read as a segment like the others
MEETINGS = Passage(
    id="t-meetings",
    doc="t.md",
    kind="article",
    section=(
        "II. NỘI DUNG KẾ HOẠCH",
        "3. Hội nghị phổ biến, tuyên truyền, vận động người dân, hướng dẫn biện pháp xử lý về môi trường và…",
    ),
    text="3. Hội nghị phổ biến, tuyên truyền, vận động người dân, hướng dẫn biện pháp xử lý về môi trường và "
    "các quy định của pháp luật khác có liên quan\n- Nội dung: Phổ biến, tuyên truyền, hướng dẫn người dân.\n"
    "- Số lượng: 02 hội nghị/năm × 50 đại biểu/hội nghị.\n- Thời gian: 01 ngày/hội nghị.",
)
ALL = [MEETINGS]


cat, idf = plan_fixtures(DOCS, ALL)


def test_an_outline_label_is_no_amount():
    near = number_near("hoi nghi")
    assert not near("3. Hội nghị phổ biến, tuyên truyền")
    assert not near("1.2. Hội nghị tập huấn kỹ thuật nuôi")
    assert near("- Số lượng: 02 hội nghị/năm × 50 đại biểu/hội nghị.")
    assert near("Tổ chức 3 hội nghị mỗi năm")


def test_how_many_meetings_is_the_count_line_not_the_parts_heading(cat, idf):
    q = parse_question(
        "Mỗi năm tỉnh T tổ chức mấy hội nghị tuyên truyền, mỗi hội nghị bao nhiêu đại biểu?", cat
    )
    # the sentence composed is under test, not the refusal scorer (a one-passage plan scores low)
    ans = compose(
        q, Evidence(hits=hits(MEETINGS), doc_passages={"t.md": ALL}), DOCS, idf=idf, refuse_below=0.0
    )
    assert (
        ans.answer == "Số lượng: 02 hội nghị/năm × 50 đại biểu/hội nghị. [1] — Kế hoạch 34/KH-UBND (Tỉnh T)."
    )


# markdown taken from web pages wraps at ~80 characters, also right after an item's ";"
PLACES = Passage(
    id="t-places",
    doc="t.md",
    kind="article",
    section=("II. NỘI DUNG KẾ HOẠCH", "1.1.3. Đối với vùng nuôi trồng thủy sản nước ngọt", "b)"),
    text="b. Địa điểm, số điểm quan trắc\n- Địa điểm quan trắc: Vùng nuôi cá rô phi tại phường Ea Kao; vùng nuôi cá "
    "lồng, bè trên sông Krông Ana;\nvùng nuôi cá lồng, bè trên hồ thủy điện Srêpốk 3; khu vực nuôi cá tầm tại xã\n"
    "Nam Ka.\n- Số điểm quan trắc: 07 điểm.",
)


def test_an_enumeration_wrapped_after_a_semicolon_keeps_every_item():
    (enum,) = enumerations(PLACES)
    assert enum.lead == "Địa điểm quan trắc"
    assert enum.items == (
        "Vùng nuôi cá rô phi tại phường Ea Kao",
        "vùng nuôi cá lồng, bè trên sông Krông Ana",
        "vùng nuôi cá lồng, bè trên hồ thủy điện Srêpốk 3",
        "khu vực nuôi cá tầm tại xã Nam Ka",
    )


def test_a_new_item_after_a_semicolon_is_not_joined():
    p = Passage(id="x", doc="t.md", kind="article", text="- Nội dung: A; B;\n- Số lượng: 02 hội nghị/năm.")
    assert [e.line for e in enumerations(p)] == ["- Nội dung: A; B;"]


# a target item runs long and closes on its figure, in a sentence of its own
TARGETS = Passage(
    id="t-2035",
    doc="t.md",
    kind="article",
    section=("II. MỤC TIÊU", "2.2. Định hướng đến năm 2035"),
    text="2.2. Định hướng đến năm 2035\n- Tỉnh T trở thành địa phương thuộc top 03 của vùng về đổi mới công nghệ trong "
    "nông nghiệp, công nghiệp chế biến và ứng dụng công nghệ số, làm hình mẫu trong phát triển kinh tế số, xã hội số "
    "và nông nghiệp công nghệ cao của cả vùng. Quy mô kinh tế số đạt 40% GRDP.\n"
    "- Tối thiểu 80% doanh nghiệp trên địa bàn tỉnh ứng dụng công nghệ tiên tiến.\n"
    "- Mỗi năm có ít nhất 150 sản phẩm đổi mới sáng tạo được thương mại hoá.",
)


def test_a_long_target_item_keeps_its_figure(idf):
    cat = Catalog.build(DOCS, [TARGETS])
    q = parse_question("Định hướng đến năm 2035 của kế hoạch tỉnh T gồm những chỉ tiêu nào?", cat)
    ans = compose(
        q, Evidence(hits=hits(TARGETS), doc_passages={"t.md": [TARGETS]}), DOCS, idf=idf, refuse_below=0.0
    )
    # a short list shares its characters (``fair_widths``): the long target is whole, its figure last
    assert ans.answer.splitlines()[1].endswith("Quy mô kinh tế số đạt 40% GRDP."), ans.answer
    assert "80% doanh nghiệp" in ans.answer and "150 sản phẩm" in ans.answer


# two rates in one passage: one set with its figure, one named without any
SEA = Passage(
    id="t-sea",
    doc="t.md",
    kind="article",
    section=("II. MỤC TIÊU", "2. Mục tiêu cụ thể đến năm 2030"),
    text="2. Mục tiêu cụ thể đến năm 2030\n+ Ngăn ngừa, kiểm soát ô nhiễm môi trường biển; ở các khu đô thị ven biển, "
    "đảm bảo 100% chất thải rắn sinh hoạt được phân loại, thu gom, xử lý.\n"
    "+ Quản lý và bảo vệ tốt các hệ sinh thái biển; duy trì tỷ lệ che phủ rừng ven biển.",
)


@pytest.mark.parametrize(
    ("question", "figure"),
    [
        ("Kế hoạch tỉnh T đặt chỉ tiêu tỷ lệ che phủ rừng ven biển bao nhiêu phần trăm?", None),
        ("Kế hoạch tỉnh T đảm bảo bao nhiêu phần trăm chất thải rắn sinh hoạt được thu gom, xử lý?", "100%"),
    ],
)
def test_a_rate_the_plan_names_without_a_figure_is_not_given_anothers(idf, question, figure):
    cat = Catalog.build(DOCS, [SEA])
    q = parse_question(question, cat)
    ans = compose(q, Evidence(hits=hits(SEA), doc_passages={"t.md": [SEA]}), DOCS, idf=idf, refuse_below=0.0)
    if figure is None:
        assert ans.refused, ans.answer
    else:
        assert not ans.refused and figure in ans.answer, ans.answer
