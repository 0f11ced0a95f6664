"""The named refusal rules (``answer.refusal_rules``) and ``decide`` on a tiny inline plan: an
unanswerable question is refused and the rule that blocked it is recorded by name."""

from __future__ import annotations

import pytest

from assistant.answer.absence import build_vocabulary
from assistant.answer.common import AnswerContext, Evidence
from assistant.answer.confidence import decide, recording
from assistant.answer.evidence import Idf
from assistant.answer.refusal_rules import RULES, floor_blocks
from assistant.query import Catalog, parse_question
from assistant.records import Answer, Citation, DocMeta, Hit, Passage

DOCS = {
    "k.txt": DocMeta(
        doc="k.txt",
        title="KẾ HOẠCH Kiểm tra an toàn vật liệu nổ công nghiệp năm 2026",
        number="12/KH-SCT",
        doc_type="Kế hoạch",
        province="Lào Cai",
        date="2026-05-04",
        date_text="ngày 04 tháng 5 năm 2026",
        signer="Hoàng Văn Thuân",
    )
}
PLACE = Passage(
    id="k-1",
    doc="k.txt",
    kind="article",
    section=("II. NỘI DUNG", "2. Địa điểm"),
    text="Địa điểm kiểm tra: Sở Công Thương tỉnh Lào Cai, số 165 Lý Thường Kiệt, phường Yên Bái.",
    province="Lào Cai",
)
TEAM = Passage(
    id="k-2",
    doc="k.txt",
    kind="article",
    section=("III. TỔ CHỨC THỰC HIỆN",),
    lead=("Phòng Quản lý công nghiệp",),
    text="Giao phòng Quản lý công nghiệp tổ chức kiểm tra kỹ thuật an toàn cho người quản lý kho.",
    province="Lào Cai",
)
ALL = [PLACE, TEAM]


@pytest.fixture(scope="module")
def cat() -> Catalog:
    return Catalog.build(DOCS, ALL)


def _ctx(question: str, cat: Catalog) -> AnswerContext:
    hits = [
        Hit(passage=PLACE, score=0.9, dense=0.88, lexical=7.0, rank=1),
        Hit(passage=TEAM, score=0.7, dense=0.85, lexical=4.0, rank=2),
    ]
    return AnswerContext(
        parse_question(question, cat),
        Evidence(hits=hits),
        DOCS,
        Idf.build(p.text for p in ALL),
        vocabulary=build_vocabulary(ALL, DOCS),
    )


def _cited(p: Passage, answer: str) -> Answer:
    c = Citation(
        n=1, passage_id=p.id, doc=p.doc, title="", section="", text=p.text, quote=p.text[:30], score=0.9
    )
    return Answer(question="", answer=answer, citations=[c])


def test_every_rule_is_reported_by_name(cat):
    ctx = _ctx("Địa điểm kiểm tra ở đâu?", cat)
    own = _cited(PLACE, "Sở Công Thương tỉnh Lào Cai, số 165 Lý Thường Kiệt")
    blocks = floor_blocks(ctx, "fact", own, own, cov_top3=1.0, meta=False)
    assert tuple(blocks) == RULES and not any(blocks.values())


def test_a_phone_the_plan_never_writes_is_refused_and_the_rule_named(cat):
    # a plan gives a contact as the number itself: the place passage, with no number, answers
    # another question
    ctx = _ctx("Số điện thoại của phòng Quản lý công nghiệp là bao nhiêu?", cat)
    own = _cited(TEAM, "Phòng Quản lý công nghiệp tổ chức kiểm tra kỹ thuật an toàn.")
    with recording() as rec:
        ans = decide(ctx, "fact", own)
    assert ans.refused
    assert "contact_unfilled" in rec[-1]["blocks"]


def test_the_place_written_is_answered_with_no_rule_blocking(cat):
    ctx = _ctx("Địa điểm kiểm tra an toàn vật liệu nổ ở đâu?", cat)
    own = _cited(PLACE, "Sở Công Thương tỉnh Lào Cai, số 165 Lý Thường Kiệt, phường Yên Bái.")
    with recording() as rec:
        ans = decide(ctx, "fact", own)
    assert not ans.refused and "165 Lý Thường Kiệt" in ans.answer
    assert rec[-1]["blocks"] == []


def test_a_document_kind_no_plan_is_and_the_plan_never_names_is_refused(cat):
    # "Chỉ thị của …": a Chỉ thị is its own document (Decree 30/2020, art. 7); the loaded plan is
    # a Kế hoạch that never writes "chỉ thị", so its place passage answers for nothing loaded
    ctx = _ctx("Chỉ thị của Sở Công Thương về kiểm tra an toàn vật liệu nổ yêu cầu địa điểm ở đâu?", cat)
    own = _cited(PLACE, "Sở Công Thương tỉnh Lào Cai, số 165 Lý Thường Kiệt")
    assert ctx.query.doc_kind == "Chỉ thị"
    assert floor_blocks(ctx, "fact", own, own, cov_top3=1.0, meta=False)["kind_unwritten"]
    # the plan's own kind asked: no block
    ctx = _ctx("Kế hoạch của Sở Công Thương về kiểm tra an toàn vật liệu nổ tổ chức ở đâu?", cat)
    assert not floor_blocks(ctx, "fact", own, own, cov_top3=1.0, meta=False)["kind_unwritten"]


def test_a_kind_the_plan_writes_is_no_block(cat):
    # a plan carrying out a decision names it ("theo Quyết định số …"): the question may be
    # answered from it
    cited = Passage(
        id="k-3",
        doc="k.txt",
        kind="article",
        section=("I. CĂN CỨ",),
        text="Căn cứ Quyết định số 2797/QĐ-SCT ngày 28/11/2025 về việc thành lập Tổ kiểm tra.",
        province="Lào Cai",
    )
    ctx = _ctx("Quyết định thành lập Tổ kiểm tra ban hành ngày nào?", cat)
    ctx = AnswerContext(
        ctx.query, ctx.evidence, DOCS, ctx.idf, vocabulary=build_vocabulary([*ALL, cited], DOCS)
    )
    own = _cited(cited, "Ngày 28/11/2025.")
    assert ctx.query.doc_kind == "Quyết định"
    assert not floor_blocks(ctx, "fact", own, own, cov_top3=1.0, meta=False)["kind_unwritten"]
