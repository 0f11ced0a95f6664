"""A plan named by the document it implements (issue 12, class 5): "… để thực hiện Chỉ thị 27"
among a province's plans is the plan whose title says "Thực hiện Chỉ thị số 27/CT-TTg", as a
plan named by its own number would be; a document only cited among the grounds names no plan."""

from __future__ import annotations

import pytest

from assistant.query import Catalog, parse_question
from assistant.records import DocMeta, Passage

DOCS = {
    "dan-so.md": DocMeta(
        doc="dan-so.md",
        number="165/KH-UBND",
        doc_type="Kế hoạch",
        province="Cần Thơ",
        title="Thực hiện Chỉ thị số 27/CT-TTg ngày 15 tháng 8 năm 2024 của Thủ tướng Chính phủ về công tác dân số",
    ),
    "giam-ngheo.md": DocMeta(
        doc="giam-ngheo.md",
        number="160/KH-UBND",
        doc_type="Kế hoạch",
        province="Cần Thơ",
        title="Giảm nghèo bền vững năm 2026",
    ),
}
ROWS = [
    Passage(
        id="ds-1",
        doc="dan-so.md",
        kind="article",
        lead=("Sở Y tế",),
        text="Sở Y tế chủ trì triển khai Chỉ thị số 27/CT-TTg về công tác dân số.",
    ),
    Passage(
        id="gn-1",
        doc="giam-ngheo.md",
        kind="article",
        lead=("Sở Y tế",),
        text="Căn cứ Chỉ thị số 27/CT-TTg; Sở Y tế hỗ trợ bảo hiểm y tế cho người nghèo.",
    ),
]


@pytest.fixture(scope="module")
def cat() -> Catalog:
    return Catalog.build(DOCS, ROWS)


@pytest.mark.parametrize(
    "question",
    [
        "Sở Y tế ở Cần Thơ phải làm gì để thực hiện Chỉ thị 27?",
        "so y te can tho lam gi theo chi thi 27",
    ],
)
def test_the_plan_implementing_the_named_document_is_asked(cat, question):
    q = parse_question(question, cat)
    assert q.filters.get("doc") == "dan-so.md"
    assert q.named == frozenset({"dan-so.md"})


def test_a_place_alone_still_asks_all_its_plans(cat):
    q = parse_question("Sở Y tế ở Cần Thơ phải làm gì?", cat)
    assert "doc" not in q.filters
    assert q.named == frozenset(DOCS)
