"""A question typed in lower case names a plan by a proper name its text writes ("mo tuyen dong
sin quyen" for "Mỏ tuyển đồng Sin Quyền"): issue 12, failure class 2 (the slot asked of one plan
was refused, the plan unrecognised, when the same question with capitals was answered).

Three tiny inline plans of one province with exact expected plans; the names are collected
from the plans' own text (``proper_runs``), never from a list.
"""

from __future__ import annotations

import pytest

from assistant.query import Catalog, FactKind, Intent, parse_question
from assistant.query.catalog_words import proper_runs
from assistant.records import DocMeta, Passage

CHECK = "sct-kiem-tra-a.txt"
CHECK2 = "sct-kiem-tra-b.txt"
TRAIN = "sct-huan-luyen.txt"
TITLE = "Kiểm tra, cấp Giấy chứng nhận huấn luyện kỹ thuật an toàn vật liệu nổ công nghiệp"
DOCS = {
    d: DocMeta(doc=d, title=t, doc_type="Kế hoạch", issuer="Sở Công Thương tỉnh K", province="Tỉnh K")
    for d, t in ((CHECK, TITLE), (CHECK2, TITLE), (TRAIN, "Huấn luyện người quản lý vật liệu nổ công nghiệp"))
}
PASSAGES = [
    Passage(
        id="a-root",
        doc=CHECK,
        kind="article",
        text="Xét đề nghị của Chi nhánh Mỏ tuyển đồng Sin Quyền, Lào Cai - VIMICO tại Văn bản số 1230/MĐV-ATMT.",
    ),
    Passage(
        id="b-root",
        doc=CHECK2,
        kind="article",
        text="Xét đề nghị của Công ty cổ phần Hồng Phát tại Văn bản số 12 theo hướng dẫn của Bộ Xây dựng.",
    ),
    Passage(
        id="t-root",
        doc=TRAIN,
        kind="article",
        text="Công ty cổ phần Khoáng sản Yên Phú Đông Đô - BQP tại Văn bản số 51/GĐN.",
    ),
    Passage(
        id="t-army",
        doc=TRAIN,
        kind="article",
        section=("3. Bộ Chỉ huy Quân sự tỉnh",),
        text="Bảo đảm an ninh khu vực kho vật liệu nổ.",
        lead=("Bộ Chỉ huy Quân sự tỉnh",),
    ),
    Passage(
        id="t-communes",
        doc=TRAIN,
        kind="article",
        section=("4. Ủy ban nhân dân cấp xã",),
        text="Phối hợp kiểm tra kho vật liệu nổ trên địa bàn.",
        lead=("Ủy ban nhân dân cấp xã",),
    ),
]


@pytest.fixture(scope="module")
def cat() -> Catalog:
    return Catalog.build(DOCS, PASSAGES)


def test_proper_names_are_runs_of_capitalised_words():
    runs = proper_runs(
        "của Chi nhánh Mỏ tuyển đồng Sin Quyền, Lào Cai - VIMICO (Hội Liên hiệp) **Sở Công Thương**"
    )
    # one capitalised word is a sentence's first or a common noun; a comma ends a name; a word in
    # capitals throughout (an abbreviation) is no part of one
    assert runs == [["Sin", "Quyền"], ["Lào", "Cai"], ["Hội", "Liên"], ["Sở", "Công", "Thương"]]
    # a sentence's or an item's first word is capitalised whatever it is: it opens no name
    assert proper_runs("Theo Kế hoạch số 12. Giao Công an tỉnh chủ trì;\n- Giao Công an xã; 2. Sở Y tế") == []


def test_a_lower_case_question_names_the_plan_by_its_proper_name(cat):
    q = parse_question("ke hoach kiem tra cap giay chung nhan cho mo tuyen dong sin quyen do ai ky", cat)
    assert q.fact is FactKind.SIGNER
    assert q.named == frozenset({CHECK})
    # as the same question typed with capitals does
    typed = parse_question("Kế hoạch kiểm tra cấp giấy chứng nhận cho Mỏ tuyển đồng Sin Quyền do ai ký?", cat)
    assert typed.named == frozenset({CHECK})


def test_a_longer_name_is_read_whole(cat):
    q = parse_question("cong ty khoang san yen phu dong do gui van ban de nghi so may", cat)
    assert q.named == frozenset({TRAIN})


def test_a_bodys_name_is_no_site_name(cat):
    """ "Bộ Xây dựng" (written mid-sentence, two capitals) is a body the unit matcher reads; a
    lower-case "bo xay dung" names no plan by it."""
    assert parse_question("bo xay dung huong dan gi ve kiem tra", cat).named == frozenset()


def test_the_head_of_a_units_name_is_no_proper_name(cat):
    """ "bo chi huy quan su tinh" holds "Bộ Chỉ" (two capitals of the unit's name): the unit is
    asked, its plans are not singled out by that head."""
    q = parse_question("bo chi huy quan su tinh duoc giao nhiem vu gi", cat)
    assert q.units == ["Bộ Chỉ huy Quân sự tỉnh"]
    assert q.named == frozenset()


def test_words_that_are_no_name_of_the_plans_name_none(cat):
    q = parse_question("ai ky ke hoach kiem tra cap giay chung nhan", cat)
    assert q.named != frozenset({CHECK})


@pytest.mark.parametrize(
    "question", ["ubnd cap xa duoc giao nhiem vu gi", "UBND cấp xã được giao nhiệm vụ gì?"]
)
def test_ubnd_in_lower_case_is_the_peoples_committee(cat, question):
    """ "ubnd" typed in lower case is the abbreviation "UBND" (the unit was not read: the
    question went to a list of the plan's headings)."""
    q = parse_question(question, cat)
    assert q.units == ["Ủy ban nhân dân cấp xã"]
    assert q.intent is Intent.UNIT_TASKS


def test_ubnd_inside_a_word_is_no_abbreviation(cat):
    assert cat.match_units("xubnd cap xa") == []


def test_a_body_written_with_its_province_reads_as_the_loaded_tier_form():
    """ "Hội Liên hiệp Phụ nữ TP HCM" is the loaded "Hội Liên hiệp Phụ nữ thành phố" (the tier
    word said, "TP"); the People's Committee named with its province is left to the issuer rule."""
    from assistant.ingest.units import match_unit_in_text

    docs = {
        "hcm.txt": DocMeta(
            doc="hcm.txt", title="Bình đẳng giới", issuer="Ủy ban nhân dân Thành phố Hồ Chí Minh"
        )
    }
    passages = [
        Passage(
            id="w",
            doc="hcm.txt",
            kind="article",
            text="Duy trì các hoạt động.",
            lead=("Hội Liên hiệp Phụ nữ thành phố",),
        ),
        Passage(
            id="u", doc="hcm.txt", kind="article", text="Chỉ đạo các sở.", lead=("Ủy ban nhân dân tỉnh",)
        ),
    ]
    cat = Catalog.build(docs, passages, unit_matcher=match_unit_in_text)
    assert cat.match_units("Hội Liên hiệp Phụ nữ TP HCM có nhiệm vụ gì?") == [
        "Hội Liên hiệp Phụ nữ thành phố"
    ]
    assert cat.match_units("Văn bản của Ủy ban nhân dân thành phố Hồ Chí Minh do ai ký?") != [
        "Ủy ban nhân dân tỉnh"
    ]
