"""A section asked whole (issue 12, class 9): "Mục tiêu cụ thể (đến năm 2030) của kế hoạch X"
is the "2. Mục tiêu cụ thể" sub-heading, not the whole "II. MỤC TIÊU" nor "1. Mục tiêu chung".
A tiny inline plan laid out as Vietnamese programme plans are, with exact expected answers."""

from __future__ import annotations

import pytest
from _inline import hits, plan_fixtures

from assistant.answer.common import Evidence
from assistant.answer.registry import compose
from assistant.query import parse_question
from assistant.query.model import SectionKind
from assistant.query.rules import section_of
from assistant.records import DocMeta, Passage
from assistant.textnorm import fold

DOCS = {
    "b.md": DocMeta(
        doc="b.md",
        title="KẾ HOẠCH Bảo vệ tài nguyên biển tỉnh B",
        number="77/KH-UBND",
        doc_type="Kế hoạch",
        province="Tỉnh B",
        date="2025-11-19",
        date_text="ngày 19 tháng 11 năm 2025",
    )
}
GENERAL = Passage(
    id="b-general",
    doc="b.md",
    kind="article",
    section=("II. MỤC TIÊU", "1. Mục tiêu tổng quát"),
    text="1. Mục tiêu tổng quát\n- Tài nguyên biển được khai thác hợp lý, sử dụng hiệu quả, bền vững.",
)
SPECIFIC = Passage(
    id="b-specific",
    doc="b.md",
    kind="article",
    section=("II. MỤC TIÊU", "2. Mục tiêu cụ thể đến năm 2030"),
    text="2. Mục tiêu cụ thể đến năm 2030\n- Phát triển các ngành kinh tế biển chủ lực.\n"
    "- Đào tạo và phát triển nguồn nhân lực biển.",
)
TASK = Passage(
    id="b-task",
    doc="b.md",
    kind="article",
    section=("III. NHIỆM VỤ", "1. Tuyên truyền"),
    text="1. Tuyên truyền\n- Tuyên truyền về biển và hải đảo cho cộng đồng dân cư ven biển.",
)
ALL = [GENERAL, SPECIFIC, TASK]


cat, idf = plan_fixtures(DOCS, ALL)


@pytest.mark.parametrize(
    "question",
    [
        "Mục tiêu cụ thể đến năm 2030 của kế hoạch 77 tỉnh B là gì?",
        "Mục tiêu chung giai đoạn 2026 - 2030 của kế hoạch 77 là gì?",
    ],
)
def test_a_target_period_still_names_the_section(question):
    assert section_of(fold(question)) is SectionKind.TARGET


def test_the_scope_named_picks_its_sub_heading(cat, idf):
    q = parse_question("Mục tiêu cụ thể đến năm 2030 của kế hoạch 77 tỉnh B là gì?", cat)
    ans = compose(q, Evidence(hits=hits(TASK, GENERAL), doc_passages={"b.md": ALL}), DOCS, idf=idf)
    assert ans.answer.splitlines() == [
        "2. Mục tiêu cụ thể đến năm 2030 — Kế hoạch 77/KH-UBND (Tỉnh B):",
        "• Phát triển các ngành kinh tế biển chủ lực.",
        "• Đào tạo và phát triển nguồn nhân lực biển. [1]",
    ]


def test_the_general_scope_is_not_the_specific_one(cat, idf):
    q = parse_question("muc tieu tong quat cua ke hoach 77 tinh B", cat)
    ans = compose(q, Evidence(hits=hits(SPECIFIC, TASK), doc_passages={"b.md": ALL}), DOCS, idf=idf)
    assert [c.passage_id for c in ans.citations] == [GENERAL.id]
