"""The commune tier's committees asked in one spelling and written in another are one addressee.

Since the 2025 two-tier local government a plan writes the commune tier as it pleases ("UBND các
xã/phường", "UBND các xã, phường", "UBND xã, phường", "UBND cấp xã"); ingest reads the heading
"3. UBND các xã/phường:" as the lead "Ủy ban nhân dân các xã". A question typed "ubnd xa phuong …
phai lam gi" (Đắk Lắk 0134, dev r1013) was refused: the refusal scorer's ``unit_missing`` and
``unit_missing_plan`` said the unit asked is named nowhere, compared word pair by word pair.
"""

from __future__ import annotations

import pytest
from _inline import hits

from assistant.answer.absence import build_vocabulary, same_tier
from assistant.answer.common import AnswerContext, Evidence
from assistant.answer.confidence import features
from assistant.answer.evidence import Idf
from assistant.ingest.units import match_unit_in_text
from assistant.query import Catalog, parse_question
from assistant.records import Answer, Citation, DocMeta, Passage

DOCS = {
    "qt.txt": DocMeta(
        doc="qt.txt",
        title="KẾ HOẠCH Quan trắc môi trường nuôi trồng thủy sản giai đoạn 2026 - 2030",
        number="34/KH-UBND",
        doc_type="Kế hoạch",
        province="Đắk Lắk",
        date="2025-11-25",
    )
}
COMMUNES = Passage(
    id="qt-xa",
    doc="qt.txt",
    kind="article",
    section=("IV. TỔ CHỨC THỰC HIỆN", "3. UBND các xã/phường"),
    lead=("Ủy ban nhân dân các xã",),
    text="3. UBND các xã/phường: Tổ chức hướng dẫn, vận động các cơ sở nuôi thực hiện các biện pháp bảo vệ môi trường.",
)
FINANCE = Passage(
    id="qt-tc",
    doc="qt.txt",
    kind="article",
    section=("IV. TỔ CHỨC THỰC HIỆN", "2. Sở Tài chính"),
    lead=("Sở Tài chính",),
    text="2. Sở Tài chính: Tham mưu bố trí kinh phí quan trắc môi trường nuôi trồng thủy sản hằng năm.",
)
ALL = [COMMUNES, FINANCE]


@pytest.fixture(scope="module")
def cat() -> Catalog:
    return Catalog.build(DOCS, ALL, unit_matcher=match_unit_in_text)


def _x(question: str, cat: Catalog) -> dict[str, float]:
    ctx = AnswerContext(
        parse_question(question, cat),
        Evidence(hits=hits(COMMUNES, FINANCE)),
        DOCS,
        Idf.build(p.text for p in ALL),
        vocabulary=build_vocabulary(ALL, DOCS),
    )
    c = Citation(
        n=1,
        passage_id=COMMUNES.id,
        doc=COMMUNES.doc,
        title="",
        section="",
        text=COMMUNES.text,
        quote=COMMUNES.text,
        score=0.9,
    )
    ans = Answer(question=question, answer="…", citations=[c])
    return features(ctx, "unit_tasks", ans, ans)


def test_the_tier_is_one_addressee_in_any_spelling():
    assert same_tier("Ủy ban nhân dân xã, phường", {"commune"})
    assert same_tier("Ủy ban nhân dân các xã", {"commune"})
    assert not same_tier("Ủy ban nhân dân các quận", {"commune"})
    assert not same_tier("Ủy ban nhân dân xã Gia Thuận", {"commune"})  # one commune is no tier


@pytest.mark.parametrize(
    "question",
    [
        "Ủy ban nhân dân xã, phường phải làm gì trong kế hoạch quan trắc môi trường nuôi trồng thủy sản?",
    ],
)
def test_the_commune_tier_asked_is_named_by_the_plan(cat, question):
    x = _x(question, cat)
    assert x["asks_unit"] == 1.0
    assert x["unit_missing"] == 0.0 and x["unit_missing_plan"] == 0.0


def test_a_tier_the_plan_never_addresses_stays_missing(cat):
    x = _x(
        "Ủy ban nhân dân các quận phải làm gì trong kế hoạch quan trắc môi trường nuôi trồng thủy sản?", cat
    )
    assert x["asks_unit"] == 1.0 and x["unit_missing_plan"] == 1.0
