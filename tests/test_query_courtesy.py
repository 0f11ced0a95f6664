"""Questions as officials type them (issue 12, the perturbation classes of ``eval/perturb.py``):
a courtesy frame and closing particles, bare kind codes (KH, CV), "các … gì" for "những … nào",
"theo đề nghị của cơ quan nào". The parser's rules on their own, then end to end on the three
tiny inline plans of ``test_query_routing`` (fake embedder), with exact expected documents."""

from __future__ import annotations

import pytest
from _small import has, inline_assistant

from assistant.query.model import FactKind, Intent, SectionKind
from assistant.query.parse import parse_question
from assistant.query.rules import courtesy_spans
from assistant.textnorm import fold
from assistant.vocab.documents import spell_out_kinds
from tests.test_query_routing import CV, DT, NA, PLANS, turn


def _blank(q: str) -> str:
    f = fold(q)
    spans = courtesy_spans(f)
    return " ".join("".join(" " if any(a <= i < b for a, b in spans) else c for i, c in enumerate(f)).split())


@pytest.mark.parametrize(
    ("question", "left"),
    [
        ("Cho tôi hỏi hệ thống đang có những kế hoạch nào ạ?", "he thong dang co nhung ke hoach nao ?"),
        ("Xin hỏi, mục tiêu là gì thế?", "muc tieu la gi ?"),
        ("cho toi hoi ai ky ke hoach 308 vay", "ai ky ke hoach 308"),
        ("Ai ký kế hoạch dân số vậy?", "ai ky ke hoach dan so ?"),
        # "vay" after "vốn"/"cho" is a loan, "thế" after "như" is no particle
        ("Kế hoạch có nguồn vốn vay?", "ke hoach co nguon von vay?"),
        ("Kế hoạch bố trí kinh phí như thế", "ke hoach bo tri kinh phi nhu the"),
        ("Mỗi xã được cấp bao nhiêu thẻ?", "moi xa duoc cap bao nhieu the?"),  # a card, not "thế"
        ("Diện tích trồng rừng bao nhiêu ha?", "dien tich trong rung bao nhieu ha?"),  # hectares
        ("Hỏi", "hoi"),  # a frame with nothing after it is the question itself
        ("Hỏi: ai ký?", "ai ky?"),
        ("Hội đồng thi đua có nhiệm vụ gì ạ?", "hoi dong thi dua co nhiem vu gi ?"),  # "Hội" is no "hỏi"
    ],
)
def test_courtesy_frame_and_particles(question, left):
    assert _blank(question) == left


def _sig(q: str):
    p = parse_question(q)
    return p.intent, p.fact, p.section, p.catalogue, p.terms


@pytest.mark.parametrize(
    "question",
    [
        "Hệ thống đang có những kế hoạch nào?",
        "Kế hoạch 141 của Bắc Ninh đặt ra những mục tiêu chủ yếu nào?",
        "Dự toán kinh phí quan trắc môi trường nuôi trồng thủy sản mỗi năm là bao nhiêu?",
        "Các văn bản đã nạp gồm những gì?",
    ],
)
def test_a_courteous_question_parses_as_the_plain_one(question):
    body = question.rstrip("?")
    for variant in (f"Cho tôi hỏi {body[:1].lower()}{body[1:]}?", f"{body} ạ?", f"{body} vậy?"):
        assert _sig(variant) == _sig(question), variant


def test_bare_kind_codes_are_spelled_out_numbers_kept():
    assert spell_out_kinds("kh 556 thay the kh nao") == "kh 556 thay the ke hoach nao"
    assert spell_out_kinds("cv ve khoang san") == "cong van ve khoang san"
    assert spell_out_kinds("theo 183/kh-ubnd va qd so 12") == "theo 183/kh-ubnd va qd so 12"
    assert spell_out_kinds("so ct dong thap") == "so ct dong thap"  # CT: Chủ tịch or Công Thương too


@pytest.mark.parametrize(
    ("question", "intent", "fact", "section"),
    [
        ("Giám sát cấp xã theo các bước gì?", Intent.LIST, None, None),
        ("Kế hoạch kiểm tra được lập theo đề nghị của cơ quan nào?", Intent.FACT, FactKind.SOURCE, None),
        ("Kế hoạch kiểm tra được lập theo đề nghị của đơn vị nào?", Intent.FACT, FactKind.SOURCE, None),
        ("Kinh phí thực hiện kế hoạch 597 gồm các nguồn gì?", None, None, SectionKind.BUDGET),
        ("Kinh phí thực hiện kế hoạch 597 gồm những nguồn nào?", None, None, SectionKind.BUDGET),
    ],
)
def test_question_word_variants(question, intent, fact, section):
    p = parse_question(question)
    if intent is not None:
        assert (p.intent, p.fact) == (intent, fact)
    assert p.section == section


@pytest.fixture(scope="module")
def assistant(tmp_path_factory):
    return inline_assistant(tmp_path_factory.mktemp("courtesy"), PLANS)


@pytest.mark.parametrize(
    "question",
    ["Các kế hoạch đã nạp ạ?", "Cho tôi hỏi các kế hoạch đã nạp?", "cac ke hoach da nap vay"],
)
def test_catalogue_asked_courteously(assistant, question):
    ans = assistant.ask(question)
    assert not ans.refused and {c.doc for c in ans.citations} == {DT, NA, CV}, ans.answer


def test_courteous_follow_up_asks_the_other_role(assistant):
    history = turn("Ai chủ trì tổ chức lễ hội văn hóa và quảng bá du lịch của Đồng Tháp?")
    ans = assistant.ask("Cho tôi hỏi còn đơn vị phối hợp thì sao ạ?", history=history)
    assert not ans.refused and ans.units["partners"] == ["Sở Tài chính"], ans.answer


def test_budget_sources_asked_with_cac_gi(assistant):
    ans = assistant.ask("Kinh phí thực hiện kế hoạch của Nghệ An gồm các nguồn gì?")
    assert has(ans.answer, "ngân sách nhà nước theo phân cấp"), ans.answer
    assert [c.doc for c in ans.citations] == [NA]


def test_a_bare_cv_code_names_the_cong_van(assistant):
    ans = assistant.ask("CV về khoáng sản yêu cầu báo cáo kết quả trước ngày nào?")
    assert has(ans.answer, "30 tháng 9 năm 2026") or has(ans.answer, "30/9/2026"), ans.answer
    assert {c.doc for c in ans.citations} == {CV}
