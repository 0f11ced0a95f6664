"""The question-handler registry, the typed Query and the index snapshot, on small inline plans.

Every intent has a handler; a question no family claims is answered by the fallback from
the best passages, quoted; "kế hoạch 2024" is a period, not plan no. 2024; retrieval reads
the Query's scope, never the question text; one filter implementation (``IndexSnapshot.mask``).
"""

from __future__ import annotations

import inspect

import numpy as np
import pytest

import assistant.retrieve as retrieve_mod
from assistant.answer.common import AnswerContext, Evidence
from assistant.answer.handler import Handler
from assistant.answer.handlers.passages import PassagesHandler
from assistant.answer.registry import CONFIDENT, FALLBACK, HANDLERS, compose_context, handler_for
from assistant.query import Catalog, FactKind, Intent, Query, Role, parse_question
from assistant.records import INTENTS, DocMeta, Hit, Passage
from assistant.snapshot import IndexSnapshot
from assistant.vocab.tokens import Idf

DOCS = {
    "a.txt": DocMeta(doc="a.txt", title="KẾ HOẠCH Truyền thông", number="2024/KH-UBND", province="Đồng Tháp"),
    "b.txt": DocMeta(doc="b.txt", title="KẾ HOẠCH Du lịch", number="57/KH-UBND", province="Đồng Nai"),
}
SO = "Sở Văn hóa, Thể thao và Du lịch"
TASK = Passage(
    id="a-1",
    doc="a.txt",
    kind="article",
    section=("II. NHIỆM VỤ", "1."),
    lead=(SO,),
    partners=("Sở Tài chính",),
    province="Đồng Tháp",
    text="Tổ chức lễ hội văn hóa và quảng bá du lịch của tỉnh trên mạng xã hội.",
)
ROW = Passage(
    id="b-1",
    doc="b.txt",
    kind="table_row",
    section=("Phụ lục",),
    partners=(SO,),
    requested=("Sở Tài chính",),
    province="Đồng Nai",
    text="Xây dựng video clip quảng bá hình ảnh tỉnh; hoàn thành trước ngày 30/6/2025.",
)
ALL = [TASK, ROW]


class _Store:
    """The two attributes a snapshot reads from an index store."""

    docs = DOCS
    passages = ALL


@pytest.fixture(scope="module")
def cat() -> Catalog:
    return Catalog.build(DOCS, ALL)


def test_every_intent_has_a_confident_handler():
    assert {i.value for i in Intent} == set(INTENTS)
    for intent in Intent:
        h = handler_for(Query(text="?", intent=intent))
        assert h.detect(Query(text="?", intent=intent)) >= CONFIDENT, intent
        if intent is not Intent.OTHER:
            assert h is not FALLBACK and intent in h.intents, intent
    names = [h.name for h in HANDLERS]
    assert len(names) == len(set(names))


def test_a_handler_must_compose():
    class Half(Handler):
        name = "half"

    with pytest.raises(TypeError):
        Half()  # type: ignore[abstract]


def test_unclaimed_question_is_answered_from_the_best_passages_quoted():
    q = Query(
        text="lễ hội văn hóa quảng bá du lịch", terms=["le", "hoi", "van", "hoa", "quang", "ba", "du", "lich"]
    )
    assert isinstance(handler_for(q), PassagesHandler)
    ctx = AnswerContext(q, Evidence(hits=[Hit(TASK, 1.0, rank=1)]), DOCS, Idf.build(p.text for p in ALL))
    ans = compose_context(ctx)
    assert not ans.refused and ans.citations and ans.citations[0].passage_id == "a-1"
    assert ans.citations[0].quote and ans.citations[0].quote in TASK.text
    assert ans.intent == "other"


@pytest.mark.parametrize(
    "question, intent",
    [
        ("Đơn vị nào chủ trì tổ chức lễ hội văn hóa?", Intent.LEAD_UNIT),
        ("Sở Văn hóa, Thể thao và Du lịch có nhiệm vụ gì?", Intent.UNIT_TASKS),
        ("Hạn hoàn thành video clip là khi nào?", Intent.FACT),
        ("So sánh nhiệm vụ quảng bá ở Đồng Tháp và Đồng Nai", Intent.COMPARE),
    ],
)
def test_questions_reach_their_family(cat, question, intent):
    q = parse_question(question, cat)
    assert q.intent is intent
    assert intent in handler_for(q).intents


def test_query_slots_are_typed(cat):
    q = parse_question("Sở Văn hóa, Thể thao và Du lịch chủ trì những nhiệm vụ gì?", cat)
    assert q.intent is Intent.UNIT_TASKS and q.role is Role.LEAD and q.unit == SO
    f = parse_question("Ai ký kế hoạch 57?", cat)
    assert f.fact is FactKind.SIGNER and f.docs == ["b.txt"] and f.named == frozenset({"b.txt"})
    s = parse_question("Kinh phí thực hiện kế hoạch lấy từ đâu?", cat)
    assert s.section is not None and s.section.value == "kinh phi"


def test_a_year_after_ke_hoach_is_a_period_not_a_plan_number(cat):
    period = parse_question("Kế hoạch 2024 có những nhiệm vụ gì?", cat)
    assert period.docs == [] and period.named == frozenset() and period.missing is None
    numbered = parse_question("Kế hoạch số 2024 có những nhiệm vụ gì?", cat)
    assert numbered.docs == ["a.txt"] and numbered.named == frozenset({"a.txt"})
    assert parse_question("Nội dung của 2024/KH-UBND là gì?", cat).docs == ["a.txt"]


def test_place_names_leave_the_lexical_text_and_boost_their_plans(cat):
    q = parse_question("Đồng Nai quảng bá hình ảnh tỉnh thế nào?", cat)
    assert q.named == frozenset({"b.txt"}) and q.filters == {"province": "Đồng Nai"}
    assert "Đồng Nai" not in q.lexical_text and "quảng bá hình ảnh" in q.lexical_text


def test_retrieval_reads_no_question_text():
    src = inspect.getsource(retrieve_mod)
    assert not hasattr(retrieve_mod, "re") and "fold(query" not in src and "_Scope" not in src
    params = inspect.signature(retrieve_mod.HybridRetriever.search).parameters
    assert "Query" in str(params["query"].annotation)


def test_one_filter_implementation_and_unit_roles_computed_once():
    snap = IndexSnapshot.build(_Store())
    # a province typed without diacritics and with its level word selects the same passages
    assert list(np.flatnonzero(snap.mask({"province": "tinh dong nai"}))) == [1]
    assert snap.mask({}) is None
    # the unit filter keeps passages the unit leads or coordinates, as written or abbreviated
    assert list(np.flatnonzero(snap.mask({"unit": "Sở VHTTDL"}))) == [0, 1]
    rows = snap.unit_rows(SO)
    assert [(p.id, r) for p, r in rows] == [("a-1", Role.LEAD), ("b-1", Role.PARTNER)]
    assert [(p.id, r) for p, r in snap.unit_rows("Sở Tài chính", {"province": "Đồng Nai"})] == [
        ("b-1", Role.REQUESTED)
    ]
    assert snap.read("Ai ký kế hoạch 57?").docs == ["b.txt"]
