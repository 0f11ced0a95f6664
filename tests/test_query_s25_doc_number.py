"""A document's own number asked after its kind and trích yếu ("Kế hoạch huấn luyện người quản lý
VLNCN số mấy?"): the "Số: …" line of its header (Nghị định 30/2020/NĐ-CP, Phụ lục I), not a count
and not the number of one of its items (issue 12 classes 2, 5)."""

from __future__ import annotations

import pytest

from assistant.query.model import FactKind
from assistant.query.rules import fact_kind
from assistant.textnorm import fold
from assistant.vocab.documents import spell_out_kinds


def _kind(question: str) -> FactKind | None:
    return fact_kind(spell_out_kinds(fold(question)))


@pytest.mark.parametrize(
    "question",
    [
        "Kế hoạch huấn luyện người quản lý VLNCN số mấy?",
        "ke hoach huan luyen so may",
        "Công văn về tăng cường quản lý khoáng sản số bao nhiêu?",
        "Quyết định thành lập đoàn kiểm tra số gì?",
    ],
)
def test_the_number_closing_a_question_on_a_named_document_is_its_own(question):
    assert _kind(question) == FactKind.DOC_NUMBER


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("Kế hoạch kiểm tra có tổng số bao nhiêu đơn vị?", FactKind.NUMBER),
        ("Kế hoạch 1105 kiểm tra tổng số bao nhiêu?", FactKind.NUMBER),
        ("Kế hoạch thực hiện Quyết định số mấy?", FactKind.REFNUM),  # the document it implements
        ("Kế hoạch 597 nhiệm vụ rà soát quy hoạch là nhiệm vụ số mấy?", None),  # an item's number
        ("Kế hoạch 1105 Công ty Hiệp Phú thuộc gói thầu số mấy?", None),
    ],
)
def test_counts_cited_documents_and_items_keep_their_reading(question, kind):
    assert _kind(question) == kind
