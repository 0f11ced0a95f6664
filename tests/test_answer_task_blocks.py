"""A unit's tasks in plans written as "a) Nhiệm vụ / b) Cơ quan thực hiện / c) Thời gian thực
hiện" blocks and hard-wrapped like web pages (issue 12, unit_tasks): every task the unit leads is
written whole, and the "Cơ quan thực hiện" lines that assign it are not counted as tasks."""

from __future__ import annotations

from _inline import hits, plan_fixtures

from assistant.answer.common import Evidence
from assistant.answer.registry import compose
from assistant.query import parse_question
from assistant.records import DocMeta, Passage

UNIT = "Sở Khoa học và Công nghệ"
DOCS = {"h.md": DocMeta(doc="h.md", number="308/KH-UBND", doc_type="Kế hoạch", province="Tỉnh H")}


def _block(key: str, heading: str, task: str) -> list[Passage]:
    sec = ("II. NHIỆM VỤ", heading)
    return [
        Passage(id=f"h-{key}-a", doc="h.md", kind="article", section=(*sec, "a)"), text=task, lead=(UNIT,)),
        Passage(
            id=f"h-{key}-b",
            doc="h.md",
            kind="article",
            section=(*sec, "b)"),
            lead=(UNIT,),
            text="b) Cơ quan thực hiện:\n- Đơn vị chủ trì: Sở Khoa học\nvà Công nghệ.\n- Đơn vị phối hợp: Các Sở, ban,\nngành.",
        ),
    ]


STRATEGY = _block(
    "1",
    "1.1. Xây dựng các Chiến lược",
    "a) Nhiệm vụ: Tham mưu UBND\nThành phố rà soát, hoàn thiện Chiến lược dữ liệu thành\nphố đến năm 2030.",
)
ARCHITECT = _block("2", "4.2. Nguồn nhân lực", "a) Nhiệm vụ: Lựa chọn kiến trúc\nsư trưởng về Chuyển đổi số.")
TRAINING = _block(
    "3",
    "4.3. Về công tác đào tạo",
    "a) Nhiệm vụ: Xây dựng, tổ chức\ntriển khai chương trình đào tạo, bồi dưỡng nâng cao năng lực chuyển đổi số.",
)
ALL = [*STRATEGY, *ARCHITECT, *TRAINING]


cat, idf = plan_fixtures(DOCS, ALL)


def test_a_units_tasks_are_the_nhiem_vu_lines_its_co_quan_thuc_hien_lines_assign(cat, idf):
    q = parse_question(f"Theo kế hoạch 308, {UNIT} chủ trì những việc gì?", cat)
    assert q.intent == "unit_tasks" and q.units == [UNIT]
    rows = [(p, "lead", 1.0 - i / 10) for i, p in enumerate(ALL)]
    ans = compose(q, Evidence(hits=hits(*ALL), unit_rows=rows), DOCS, idf=idf)
    assert ans.answer.splitlines() == [
        f"Nhiệm vụ của {UNIT} (Kế hoạch 308/KH-UBND (Tỉnh H)):",
        "• a) Nhiệm vụ: Tham mưu UBND Thành phố rà soát, hoàn thiện Chiến lược dữ liệu thành phố đến năm 2030 [1]",
        "• a) Nhiệm vụ: Lựa chọn kiến trúc sư trưởng về Chuyển đổi số [2]",
        "• a) Nhiệm vụ: Xây dựng, tổ chức triển khai chương trình đào tạo, bồi dưỡng nâng cao năng lực chuyển đổi "
        "số [3]",
    ], ans.answer
