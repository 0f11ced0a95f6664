"""Plans of one city named by their subject, a tier of local government named as each plan
lists it, a unit name and an ordinary phrase that fold alike, and the points of a heading asked
as a list (issue 12: routing, wrong unit, lists on plans never seen).

Three tiny inline plans of one city, written the way a city People's Committee writes them,
with exact expected plans, units and items.
"""

from __future__ import annotations

import pytest
from _inline import hits

from assistant.answer.common import Evidence
from assistant.answer.evidence import Idf
from assistant.answer.registry import compose
from assistant.ingest.units import match_unit_in_text
from assistant.query import Catalog, Intent, parse_question
from assistant.records import DocMeta, Passage
from assistant.snapshot import UnitIndex
from assistant.vocab.units import local_tier


def _meta(doc: str, number: str, title: str) -> DocMeta:
    return DocMeta(doc=doc, number=number, doc_type="Kế hoạch", province="Cần Thơ", title=title)


DOCS = {
    "ds.md": _meta("ds.md", "165/KH-UBND", "Tăng cường thực hiện công tác dân số trong tình hình mới"),
    "gn.md": _meta("gn.md", "160/KH-UBND", "Giám sát, đánh giá chương trình giảm nghèo bền vững năm 2025"),
    "cds.md": _meta("cds.md", "597/KH-UBND", "Chuyển đổi số trong quản lý kết cấu hạ tầng giao thông"),
}
POP = Passage(
    id="ds-xa",
    doc="ds.md",
    kind="article",
    section=("II. NỘI DUNG", "6. Ủy ban nhân dân xã, phường", "a)"),
    text="a) Kiện toàn Ban Chỉ đạo Dân số và Phát triển cấp xã.",
    lead=("Ủy ban nhân dân xã, phường",),
)
POOR = Passage(
    id="gn-xa",
    doc="gn.md",
    kind="article",
    section=("IV. TỔ CHỨC THỰC HIỆN", "3. Ủy ban nhân dân các xã"),
    text="3. Ủy ban nhân dân các xã: Tổ chức giám sát, đánh giá theo Kế hoạch.",
    lead=("Ủy ban nhân dân các xã",),
)
HEALTH = Passage(
    id="ds-yte",
    doc="ds.md",
    kind="article",
    section=("II. NỘI DUNG", "1. Sở Y tế"),
    text="1. Sở Y tế: Chủ trì tham mưu thực hiện Kế hoạch.",
    lead=("Sở Y tế",),
    partners=("Sở Xây dựng",),
)
WAYS = [
    Passage(
        id=f"cds-{x}",
        doc="cds.md",
        kind="article",
        section=("II. NHIỆM VỤ", "3.5. Phương thức triển khai", f"{x})"),
        text=f"{x}. {t}",
    )
    for x, t in (
        ("a", "Số hóa hồ sơ công trình giao thông."),
        ("b", "Kết nối cơ sở dữ liệu với hệ thống của Bộ."),
        ("c", "Kiểm tra thực tế tại hiện trường bằng thiết bị bay không người lái."),
    )
]
ALL = [POP, POOR, HEALTH, *WAYS]


@pytest.fixture(scope="module")
def cat() -> Catalog:
    aliases = {"Sở Giao thông vận tải": ["Sở Giao thông"], "Sở Y tế": []}
    return Catalog.build(DOCS, ALL, unit_matcher=match_unit_in_text, aliases=aliases)


@pytest.mark.parametrize(
    ("name", "tier"),
    [
        ("Ủy ban nhân dân các xã", "commune"),
        ("Ủy ban nhân dân xã, phường", "commune"),
        ("Ủy ban nhân dân các xã, phường, đặc khu", "commune"),
        ("Ủy ban nhân dân cấp xã", "commune"),
        ("Ủy ban nhân dân các huyện, thị xã, thành phố", "district"),
        # one committee, or a committee by its own name, is not a whole tier
        ("Ủy ban nhân dân xã", None),
        ("Ủy ban nhân dân xã Tân Phú", None),
        ("Ủy ban nhân dân tỉnh", None),
        ("Ủy ban nhân dân 04 xã", None),
    ],
)
def test_the_tier_a_collective_committee_name_covers(name, tier):
    assert local_tier(name) == tier


def test_a_tier_asked_finds_every_plans_way_of_listing_it():
    units = UnitIndex.build(ALL)
    rows = {ALL[i].id for i, _ in units.role_rows("Ủy ban nhân dân các xã")}
    assert rows == {"ds-xa", "gn-xa"}
    assert {ALL[i].id for i, _ in units.role_rows("Ủy ban nhân dân cấp xã")} == {"ds-xa", "gn-xa"}
    assert {ALL[i].id for i, _ in units.role_rows("Sở Y tế")} == {"ds-yte"}  # other units: as named


@pytest.mark.parametrize(
    ("question", "plan"),
    [
        ("Kế hoạch dân số Cần Thơ giao UBND các xã làm gì?", "ds.md"),
        ("ke hoach giam ngheo cua Can Tho do ai ky", "gn.md"),
        ("Sở Y tế Cần Thơ làm gì trong kế hoạch dân số?", "ds.md"),
    ],
)
def test_the_words_after_the_kind_name_one_plan_of_the_city(cat, question, plan):
    assert parse_question(question, cat).named == frozenset({plan})


def test_a_phrase_typed_with_diacritics_is_not_a_unit_that_folds_alike(cat):
    # "chuyển đổi số giao thông" (digital transport) folds as "Sở Giao thông" does
    assert parse_question("Mục đích của kế hoạch chuyển đổi số giao thông là gì?", cat).units == []
    assert parse_question("Sở Y tế làm gì trong kế hoạch dân số?", cat).units == ["Sở Y tế"]
    # typed without diacritics, the name is read as the unit it may be
    assert parse_question("so giao thong lam gi trong ke hoach", cat).units == ["Sở Giao thông vận tải"]


def test_one_point_found_lists_every_point_of_its_heading(cat):
    # the heading's words are not the question's: the point found stands for its heading
    q = parse_question("Kế hoạch 597 được thực hiện bằng những cách nào?", cat)
    assert q.intent == Intent.LIST
    ev = Evidence(hits=hits(WAYS[2], HEALTH), doc_passages={"cds.md": list(WAYS)})
    ans = compose(q, ev, DOCS, idf=Idf.build(p.text for p in ALL))
    assert [c.passage_id for c in ans.citations] == ["cds-a", "cds-b", "cds-c"]
    assert "Số hóa hồ sơ" in ans.answer and "Kết nối cơ sở dữ liệu" in ans.answer


def test_a_point_that_names_what_is_asked_is_the_answer_alone(cat):
    # "những thiết bị bay nào": point c) names them; its siblings are not asked
    q = parse_question("Kế hoạch 597 kiểm tra hiện trường bằng những thiết bị bay nào?", cat)
    ev = Evidence(hits=hits(WAYS[2], HEALTH), doc_passages={"cds.md": list(WAYS)})
    ans = compose(q, ev, DOCS, idf=Idf.build(p.text for p in ALL))
    assert [c.passage_id for c in ans.citations] == ["cds-c"]
