"""Question understanding on a tiny hand-made catalog (no index, no model)."""

from __future__ import annotations

import pytest

from assistant.query import Catalog, parse_question
from assistant.records import INTENTS, DocMeta, Passage
from assistant.vocab.tokens import content_terms

SO_TTTT = "Sở Thông tin và Truyền thông"
SO_VH = "Sở Văn hóa, Thể thao và Du lịch"


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    docs = {
        "a.txt": DocMeta(doc="a.txt", number="183/KH-UBND", province="Đồng Nai", doc_type="Kế hoạch"),
        "b.txt": DocMeta(doc="b.txt", province="Đồng Tháp", district="Lấp Vò"),
        "c.txt": DocMeta(doc="c.txt", number="1899/QĐ-UBND", province="Trà Vinh", doc_type="Quyết định"),
        "d.txt": DocMeta(doc="d.txt", province="Đồng Tháp"),
    }
    passages = [
        Passage(
            id="a1",
            doc="a.txt",
            kind="article",
            lead=(SO_TTTT,),
            partners=("Sở Tài chính",),
            text="Căn cứ Kế hoạch số 277/KH-UBND ngày 29/11/2023; Đoàn Thanh niên Cộng sản Hồ Chí Minh; "
            "giao lưu với tỉnh Preyveng.",
        ),
        Passage(id="d1", doc="d.txt", kind="table_row", lead=(SO_VH, "Sở Nội vụ", "Công an Tỉnh"), text="x"),
    ]
    return Catalog.build(docs, passages)


@pytest.mark.parametrize(
    "question, intent, extra",
    [
        ("Sở nào chủ trì quảng bá video clip?", "lead_unit", {}),
        ("So nao chu tri quang ba video clip o Lap Vo?", "lead_unit", {"filters": {"district": "Lấp Vò"}}),
        ("Cơ quan nào phụ trách tập huấn phát ngôn?", "lead_unit", {}),
        ("Lễ hội Xoài do ai tổ chức?", "lead_unit", {}),
        ("Đơn vị nào phối hợp xây dựng bộ từ khóa truyền thông?", "partner_unit", {}),
        ("Nhiệm vụ của Sở Nội vụ là gì?", "unit_tasks", {"units": ["Sở Nội vụ"]}),
        (
            "Sở Văn hóa, Thể thao và Du lịch chủ trì những nhiệm vụ nào?",
            "unit_tasks",
            {"units": [SO_VH], "role": "lead"},
        ),
        ("Ai ký Kế hoạch 183?", "fact", {"fact": "signer", "filters": {"doc": "a.txt"}}),
        ("QĐ 1899 ban hành ngày nào?", "fact", {"fact": "date", "filters": {"doc": "c.txt"}}),
        ("Kế hoạch 183 có số hiệu là gì?", "fact", {"fact": "doc_number"}),
        (
            "Thông điệp năm 2024 của Đồng Tháp là gì?",
            "fact",
            {"fact": "slogan", "filters": {"province": "Đồng Tháp"}},
        ),
        ("Báo cáo kết quả gửi Sở TT&TT trước ngày nào?", "fact", {"fact": "deadline"}),
        ("Kinh phí thực hiện kế hoạch lấy từ đâu?", "fact", {"fact": "budget"}),
        ("Tổng chiều dài kè đường tuần tra biên giới bao nhiêu km?", "fact", {"fact": "number"}),
        ("Các hình thức truyền thông gồm những gì?", "list", {}),
        (
            "So sánh Đồng Nai và Trà Vinh về thông tin đối ngoại",
            "compare",
            {"filters": {}, "places": [("province", "Đồng Nai"), ("province", "Trà Vinh")]},
        ),
        ("Mỗi tỉnh giao sở nào làm đầu mối thông tin đối ngoại?", "compare", {}),
        ("Biên giới hòa bình, hữu nghị được nói thế nào?", "other", {"missing": None}),
    ],
)
def test_intents_and_filters(catalog, question, intent, extra):
    q = parse_question(question, catalog)
    assert q.intent == intent
    for key, want in extra.items():
        assert getattr(q, key) == want, (key, getattr(q, key))


def test_every_intent_is_a_known_one(catalog):
    for text in ("", "?", "abc", "Sở nào?", "kế hoạch"):
        assert parse_question(text, catalog).intent in INTENTS


@pytest.mark.parametrize(
    "question, missing",
    [
        ("Kế hoạch của tỉnh Cần Thơ giao ai chủ trì?", "Cần Thơ"),
        ("kế hoạch của tỉnh can tho giao ai chủ trì?", "Cần Thơ"),  # typed without accents or capitals
        ("Kế hoạch của TP Hồ Chí Minh có gì?", "Hồ Chí Minh"),
        ("Kế hoạch huyện Châu Thành có gì?", "Châu Thành"),
        ("Kế hoạch số 999 giao gì?", "Kế hoạch số 999"),
    ],
)
def test_plan_or_place_not_loaded(catalog, question, missing):
    assert parse_question(question, catalog).missing == missing


@pytest.mark.parametrize(
    "question",
    [
        "Kế hoạch 277 giai đoạn nào?",  # cited by a loaded plan: answerable from it
        "Tư tưởng Hồ Chí Minh được nhắc ở đâu?",  # the name occurs in the plans' text
        "Giao lưu với tỉnh Preyveng thế nào?",  # a place the plans themselves mention
        "Biên giới hòa bình hữu nghị là gì?",  # "hòa bình" the word, not Hòa Bình province
        "Kế hoạch năm 2024 của Lấp Vò có mấy nội dung?",  # a year, not a plan number
    ],
)
def test_not_flagged_missing(catalog, question):
    assert parse_question(question, catalog).missing is None


def test_doc_numbers_become_filters(catalog):
    for text in (
        "KH 183 giao ai?",
        "kế hoạch số 183 giao ai?",
        "Kế hoạch 183/KH-UBND giao ai?",
        "183/KH giao ai?",
    ):
        assert parse_question(text, catalog).filters == {"doc": "a.txt"}, text
    assert parse_question("Quyết định 1899 giao ai?", catalog).filters == {"doc": "c.txt"}
    assert catalog.resolve_doc("183") == "a.txt"
    assert catalog.resolve_doc("1899/QĐ-UBND") == "c.txt"
    assert catalog.resolve_doc("b") == "b.txt"
    assert catalog.resolve_doc("không có") is None


def test_district_wins_over_its_province(catalog):
    q = parse_question("Lấp Vò tuyên truyền Quy hoạch tỉnh Đồng Tháp thế nào?", catalog)
    assert q.filters == {"district": "Lấp Vò"}


def test_terms_drop_question_words_places_and_numbers(catalog):
    q = parse_question("Sở nào chủ trì quảng bá video clip ở Lấp Vò?", catalog)
    assert q.terms == ["quang", "ba", "video", "clip"]
    # ambiguous folded syllables survive: "tài chính", "du lịch", "đầu tư" carry meaning
    assert content_terms("Sở Tài chính và du lịch, đầu tư") == ["tai", "chinh", "du", "lich", "dau", "tu"]


def test_units_are_matched_without_diacritics(catalog):
    q = parse_question("nhiem vu cua so noi vu la gi", catalog)
    assert q.intent == "unit_tasks"
    assert q.units == ["Sở Nội vụ"]


@pytest.mark.parametrize(
    "question, intent, fact",
    [
        (
            "Ai chủ trì hướng dẫn nông dân đăng ký mã số vùng trồng chè?",
            "lead_unit",
            None,
        ),  # "đăng ký" is not signing
        ("Ai chịu trách nhiệm ký kết thỏa thuận hợp tác?", "lead_unit", None),
        ("Ai ký kế hoạch bình dân học vụ số?", "fact", "signer"),
        ("ke hoach 58 do ai ky", "fact", "signer"),
    ],
)
def test_signing_words_that_are_not_a_signer(question, intent, fact):
    q = parse_question(question)
    assert (q.intent, q.fact) == (intent, fact)
