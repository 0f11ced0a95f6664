"""An item the question names by its ordinal (``answer.ordinals``): plans number parallel items under
one label ("- Nhóm 1: …" / "- Nhóm 2: …"); asked "nhóm 1 gồm bao nhiêu xã", the item labelled "Nhóm 1"
answers, not its sibling, whether the label stands on its own line or on its item's line (a plan
unwrapped by a Word or web export, ``eval.doc_transforms.unwrap``)."""

from __future__ import annotations

import pytest
from _inline import article as _p
from _inline import hits, plan_fixtures

from assistant.answer.common import Evidence
from assistant.answer.ordinals import asked_ordinals, ordinal_fit
from assistant.answer.registry import compose
from assistant.query import parse_question
from assistant.records import DocMeta

PLAN = "dl-0129.md"
DOCS = {
    PLAN: DocMeta(
        doc=PLAN,
        title="Hỗ trợ nhu yếu phẩm khẩn cấp cho Nhân dân bị ảnh hưởng mưa lũ trên địa bàn tỉnh Đắk Lắk",
        number="0129/KH-UBND",
        doc_type="Kế hoạch",
        issuer="Ủy ban nhân dân tỉnh Đắk Lắk",
        province="Đắk Lắk",
        date="2025-11-21",
    )
}
GROUPS = (
    "2. Xác định khu vực ưu tiên cứu trợ\n"
    "- Nhóm 1: 40 xã, phường đã được công bố tình huống khẩn cấp về thiên tai theo Quyết định số "
    "02110/QĐ-UBND ngày 20/11/2025 của UBND tỉnh, là các địa bàn bị ngập sâu, chia cắt, thiệt hại lớn "
    "về người và tài sản.\n"
    "- Nhóm 2: Các xã, phường lân cận, vùng ven sông, suối, khu vực thấp trũng, có nguy cơ cao tái ngập, "
    "sạt lở đất, lũ quét, nơi có nhiều hộ nghèo, cận nghèo, đối tượng yếu thế, cần được hỗ trợ kịp thời."
)
ROW = _p("groups", PLAN, ("III. PHẠM VI, ĐỐI TƯỢNG", "2. Xác định khu vực ưu tiên cứu trợ"), GROUPS)
OTHER = _p(
    "other",
    PLAN,
    ("III. PHẠM VI, ĐỐI TƯỢNG", "3. Nhu cầu hỗ trợ"),
    "3. Nhu cầu hỗ trợ\n- Mỗi hộ được hỗ trợ 10 kg gạo, 01 thùng mì và nước uống trong 05 ngày.",
)
ALL = [ROW, OTHER]

cat, idf = plan_fixtures(DOCS, ALL)


@pytest.mark.parametrize(
    "question",
    [
        "nhom 1 khu vuc uu tien cuu tro o dak lak gom bao nhieu xa phuong",
        "Nhóm 1 khu vực ưu tiên cứu trợ ở Đắk Lắk gồm bao nhiêu xã, phường?",
    ],
)
def test_the_item_named_by_its_ordinal_answers_not_its_sibling(cat, idf, question):
    q = parse_question(question, cat)
    ans = compose(q, Evidence(hits=hits(ROW, OTHER), doc_passages={PLAN: list(ALL)}), DOCS, idf=idf)
    assert "40 xã" in ans.answer and "Nhóm 2" not in ans.answer


def test_ordinals_asked_and_the_items_they_fit():
    assert asked_ordinals("nhom 1 gom bao nhieu xa") == {"nhom": "1"}
    assert asked_ordinals("giai doan ii cua ke hoach lam gi") == {"giai doan": "2"}
    assert asked_ordinals("dot 01 thi dua") == {"dot": "1"}  # "Đợt 01" is "Đợt 1"
    # a year or a date is no ordinal
    assert asked_ordinals("giai doan 2026 - 2030 co bao nhieu du an") == {}
    assert asked_ordinals("dot 1/2026 kiem tra bao nhieu don vi") == {}
    asked = {"nhom": "1"}
    assert ordinal_fit(asked, "- Nhóm 1: 40 xã, phường") > 0
    assert ordinal_fit(asked, "- *Nhóm 2:* Các xã, phường lân cận") < 0
    assert ordinal_fit(asked, "Nhóm 01. Các xã bị ngập sâu") > 0
    assert ordinal_fit({"dot": "2"}, "Đợt II: từ ngày 10/6/2026") > 0
    # a sentence that only mentions a group is not that group's item
    assert ordinal_fit(asked, "Hỗ trợ các hộ thuộc Nhóm 2 trước") == 0
    assert ordinal_fit({}, "- Nhóm 2: Các xã") == 0
