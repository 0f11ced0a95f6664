"""Answers that must not hang on which passages the retriever ranks first: with the learned
reranker on (``assistant.rerank``) the header card and a plan's last numbered point come up among
the first hits, where the fused order left them lower; the list handler and the refusal scorer
answered wrongly from them (issue 12, session 23)."""

from __future__ import annotations

from _inline import article, evidence, plan_fixtures

from assistant.answer.common import AnswerContext
from assistant.answer.confidence import _retrieval
from assistant.answer.enumerations import inline_list
from assistant.answer.handlers.lists import _named_in_a_sentence
from assistant.query import parse_question
from assistant.records import DocMeta, Hit

DOC = "b.md"
DOCS = {
    DOC: DocMeta(
        doc=DOC,
        number="141/KH-UBND",
        doc_type="Kế hoạch",
        province="Tỉnh B",
        title="Giải pháp nâng cao năng lực cho đội ngũ cán bộ xây dựng chính sách, pháp luật",
    )
}
CARD = article(
    "b-meta",
    DOC,
    (),
    "Kế hoạch số 141/KH-UBND ngày 20/11/2025 của Ủy ban nhân dân tỉnh B: Nâng cao năng lực cho đội "
    "ngũ cán bộ, công chức xây dựng chính sách, pháp luật trên địa bàn tỉnh giai đoạn 2026 - 2030. "
    "Nơi ban hành: B. Người ký: TM. ỦY BAN NHÂN DÂN, KT. CHỦ TỊCH, PHÓ CHỦ TỊCH Phạm Văn T. Nơi "
    "nhận: Bộ Tư pháp (b/c); TT Tỉnh ủy, TT HĐND tỉnh; CT, các PCT UBND tỉnh; Các Sở, cơ quan thuộc "
    "UBND tỉnh; Công an tỉnh; UBND các xã, phường; VP UBND tỉnh: LĐVP, TKCT, các phòng, đơn vị; Lưu: VT, NC.",
    kind="metadata",
)
PROPAGANDA = article(
    "b-III.2",
    DOC,
    ("III. NHIỆM VỤ, GIẢI PHÁP", "2. Tăng cường tuyên truyền, phổ biến, quán triệt"),
    "2. Tăng cường tuyên truyền, phổ biến, quán triệt chủ trương, chính sách của Đảng và pháp luật "
    "của Nhà nước về công tác xây dựng pháp luật\n- Thường xuyên tuyên truyền, quán triệt Nghị quyết "
    "số 27-NQ/TW, Nghị quyết số 66-NQ/TW và Quy định số 178-QĐ/TW.",
)
VISITS = article(
    "b-III.9",
    DOC,
    ("III. NHIỆM VỤ, GIẢI PHÁP", "9. Tổ chức nghiên cứu, học tập kinh nghiệm"),
    "9. Tổ chức nghiên cứu, học tập kinh nghiệm\nTham mưu, đề xuất tổ chức Đoàn của tỉnh nghiên cứu, "
    "học tập kinh nghiệm công tác xây dựng chính sách, pháp luật tại các tỉnh, thành trong nước.",
)
ALL = [CARD, PROPAGANDA, VISITS]

cat, idf = plan_fixtures(DOCS, ALL)


def test_the_header_cards_recipients_are_no_list_of_the_plans_content(cat, idf):
    # "Nơi nhận: Bộ Tư pháp; …" is the card's list of addressees: asked for the documents to be
    # made known, the list is the one the plan's point writes, never the addressees
    q = parse_question(
        "Tỉnh B yêu cầu tuyên truyền, quán triệt những văn bản nào cho đội ngũ làm công tác xây dựng pháp luật?",
        cat,
    )
    ctx = AnswerContext(q, evidence(ALL, PROPAGANDA, VISITS, CARD), DOCS, idf)
    ans = inline_list(ctx, "van ban", 0.0)
    assert ans is None or all(c.passage_id != CARD.id for c in ans.citations), ans.answer


def test_the_recipients_asked_are_still_read_from_the_card(cat, idf):
    q = parse_question("Kế hoạch 141 được gửi tới những cơ quan nào?", cat)
    assert q.fact is not None and q.fact.value == "recipient"


def test_one_syllable_past_the_plans_title_names_no_sentence(cat, idf):
    # "đề ra những nhiệm vụ, giải pháp nào": past the title's words ("giải pháp", "pháp luật")
    # only "đề" is left, and "đề xuất" in point 9 holds it by chance: the heading is the answer
    q = parse_question("Kế hoạch 141 đề ra những nhiệm vụ, giải pháp nào?", cat)
    ctx = AnswerContext(q, evidence(ALL, PROPAGANDA, VISITS, CARD), DOCS, idf)
    assert _named_in_a_sentence(ctx, None) is None


def test_the_refusal_scorer_reads_the_fused_scores_best_first():
    # the reranker may put a passage of a lower fused score first: the top score and its margin
    # are those of the fused order the scorer was trained on, never a negative margin
    hs = [Hit(VISITS, 0.6, 0.84, 3.0, 1), Hit(PROPAGANDA, 1.0, 0.86, 6.0, 2), Hit(CARD, 0.5, 0.8, 1.0, 3)]
    x = _retrieval(hs)
    assert x["fused_top1"] == 1.0 and abs(x["fused_margin"] - 0.4) < 1e-9
