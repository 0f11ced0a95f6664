"""The refusal scorer: its stored file, its features on a tiny inline plan, and its decision end to end."""

from __future__ import annotations

import json

import pytest

from assistant.answer.common import AnswerContext, Evidence
from assistant.answer.confidence import (
    FEATURES,
    SCORER_PATH,
    VERSION,
    ScorerFileError,
    default_scorer,
    features,
    load_scorer,
)
from assistant.answer.evidence import Idf
from assistant.query import Catalog, parse_question
from assistant.records import Answer, Citation, DocMeta, Hit, Passage

DOCS = {
    "x.txt": DocMeta(
        doc="x.txt",
        title="KẾ HOẠCH Phát triển du lịch tỉnh X giai đoạn 2021 - 2025",
        number="15/KH-UBND",
        doc_type="Kế hoạch",
        province="Đồng Nai",
        date="2024-03-05",
        date_text="ngày 05 tháng 3 năm 2024",
    )
}
TARGET = Passage(
    id="x-t1",
    doc="x.txt",
    kind="table_row",
    section=("II. CHỈ TIÊU", "1"),
    lead=("Sở Văn hóa, Thể thao và Du lịch",),
    text="Đón 1.500 nghìn lượt khách du lịch trong năm 2024; doanh thu du lịch tăng 12%.",
    province="Đồng Nai",
)
OTHER = Passage(
    id="x-t2",
    doc="x.txt",
    kind="article",
    section=("III. TỔ CHỨC THỰC HIỆN",),
    lead=("Sở Tài chính",),
    text="Bố trí kinh phí thực hiện kế hoạch từ nguồn ngân sách tỉnh.",
    province="Đồng Nai",
)
ALL = [TARGET, OTHER]


@pytest.fixture(scope="module")
def cat() -> Catalog:
    return Catalog.build(DOCS, ALL)


def _ctx(question: str, cat: Catalog) -> AnswerContext:
    hits = [
        Hit(passage=TARGET, score=0.9, dense=0.88, lexical=7.0, rank=1),
        Hit(passage=OTHER, score=0.6, dense=0.84, lexical=3.0, rank=2),
    ]
    return AnswerContext(
        parse_question(question, cat), Evidence(hits=hits), DOCS, Idf.build(p.text for p in ALL)
    )


def _cited(p: Passage) -> Answer:
    c = Citation(
        n=1, passage_id=p.id, doc=p.doc, title="", section="", text=p.text, quote=p.text[:20], score=0.9
    )
    return Answer(question="", answer="…", citations=[c])


def test_the_stored_scorer_loads_with_its_version():
    data = json.loads(SCORER_PATH.read_text(encoding="utf-8"))
    assert data["version"] == VERSION and data["features"] == list(FEATURES)
    sc = load_scorer(SCORER_PATH)
    assert sc.names == FEATURES and 0.0 < sc.threshold < 1.0
    assert default_scorer().weights == sc.weights
    # reproducible: the file names the command that trained it
    assert data["command"].startswith("python -m eval.calibrate")


def test_a_scorer_of_another_version_is_a_clear_error(tmp_path):
    data = json.loads(SCORER_PATH.read_text(encoding="utf-8"))
    bad = tmp_path / "old.json"
    bad.write_text(json.dumps({**data, "version": VERSION + 1}), encoding="utf-8")
    with pytest.raises(ScorerFileError, match="expected"):
        load_scorer(bad)
    bad.write_text(json.dumps({**data, "features": data["features"][:-1]}), encoding="utf-8")
    with pytest.raises(ScorerFileError, match="features differ"):
        load_scorer(bad)


def test_a_year_the_plan_never_names_is_missing_from_the_evidence(cat):
    x = features(_ctx("Năm 2030 tỉnh đón bao nhiêu lượt khách du lịch?", cat), "fact", None, None)
    assert x["asks_year"] == 1.0 and x["year_missing"] == 1.0
    x = features(_ctx("Năm 2024 tỉnh đón bao nhiêu lượt khách du lịch?", cat), "fact", None, None)
    assert x["asks_year"] == 1.0 and x["year_missing"] == 0.0


def test_a_year_inside_the_plans_period_is_covered(cat):
    # "giai đoạn 2021 - 2025" in the title covers 2023, although 2023 is written nowhere
    x = features(_ctx("Chỉ tiêu khách du lịch năm 2023 là bao nhiêu?", cat), "fact", None, None)
    assert x["asks_year"] == 1.0 and x["year_missing"] == 0.0


def test_numbers_are_compared_as_digits(cat):
    x = features(_ctx("Chỉ tiêu 1500 nghìn lượt khách giao cho sở nào?", cat), "lead_unit", None, None)
    assert x["asks_number"] == 1.0 and x["number_missing"] == 0.0
    x = features(_ctx("Chỉ tiêu 2700 nghìn lượt khách giao cho sở nào?", cat), "lead_unit", None, None)
    assert x["number_missing"] == 1.0


def test_the_number_of_the_plan_named_is_no_figure_asked(cat):
    # "kế hoạch 15" names the plan; its number is written in no passage and is not missing
    x = features(
        _ctx("Theo kế hoạch 15, doanh thu du lịch tăng bao nhiêu phần trăm?", cat), "fact", None, None
    )
    assert x["asks_number"] == 0.0 and x["number_missing"] == 0.0
    x = features(
        _ctx("Theo kế hoạch 15, chỉ tiêu 2700 nghìn lượt khách giao cho sở nào?", cat), "fact", None, None
    )
    assert x["asks_number"] == 1.0 and x["number_missing"] == 1.0


def test_a_question_typed_without_diacritics_is_scored_on_its_folded_terms(cat):
    plain = features(_ctx("doanh thu du lich tang bao nhieu", cat), "fact", None, None)
    typed = features(_ctx("Doanh thu du lịch tăng bao nhiêu?", cat), "fact", None, None)
    assert plain["typed_plain"] == 1.0 and typed["typed_plain"] == 0.0
    assert plain["cov_top3"] == typed["cov_top3"] == 1.0
    assert plain["cov_accented"] == plain["cov_top3"] and typed["cov_accented"] == 1.0


def test_handler_slot_and_citation_features(cat):
    ctx = _ctx("Sở nào chủ trì đón khách du lịch?", cat)
    own = _cited(TARGET)
    x = features(ctx, "lead_unit", own, own)
    assert x["own_answered"] == 1.0 and x["slot_matched"] == 0.0  # no unit in the answer
    own.units = {"lead": ["Sở Văn hóa, Thể thao và Du lịch"], "partners": []}
    x = features(ctx, "lead_unit", own, own)
    assert x["slot_matched"] == 1.0 and x["handler_lead_unit"] == 1.0 and x["n_citations"] == 1 / 6
    assert sum(x[f"handler_{n}"] for n in ("fact", "list", "passages")) == 0.0
    assert x["fused_top1"] == 0.9 and x["fused_margin"] == pytest.approx((0.9 - 0.6) / 0.9)
    assert x["dense_margin"] == pytest.approx(0.04)


# --- end to end, on a corpus plan (the real embedder) ------------------------------------------
@pytest.mark.slow
def test_a_year_the_plan_does_not_cover_is_refused_and_its_own_year_answered(real_assistant):
    # lap-vo-2024-…: "Kinh phí thực hiện Kế hoạch truyền thông chính sách, quảng bá hình ảnh huyện
    # Lập Vò năm 2024 từ nguồn ngân sách nhà nước theo phân cấp, …" — the plan is for 2024 only
    asked = "Kinh phí thực hiện kế hoạch truyền thông chính sách của huyện Lấp Vò năm {} lấy từ nguồn nào?"
    own = real_assistant.ask(asked.format(2024))
    assert not own.refused, own.answer
    assert any("nguồn ngân sách nhà nước theo phân cấp" in c.text for c in own.citations)
    other = real_assistant.ask(asked.format(2018))
    assert other.refused, other.answer


def test_the_stored_scorer_refuses_a_year_the_inline_plan_never_covers_and_answers_its_own(cat):
    # the plan is for 2021 - 2025 and gives its 2024 figure: asked for 2030, the same row would
    # answer another question; asked for 2024, it answers
    from assistant.answer.confidence import decide

    said = "Đón 1.500 nghìn lượt khách du lịch trong năm 2024."
    other = decide(
        _ctx("Năm 2030 tỉnh đón bao nhiêu lượt khách du lịch?", cat), "fact", _cited_as(TARGET, said)
    )
    assert other.refused, other.answer
    own = decide(
        _ctx("Năm 2024 tỉnh đón bao nhiêu lượt khách du lịch?", cat), "fact", _cited_as(TARGET, said)
    )
    assert not own.refused and "1.500" in own.answer


def _cited_as(p: Passage, answer: str) -> Answer:
    a = _cited(p)
    a.answer = answer
    return a
