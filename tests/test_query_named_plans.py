"""Questions that name a plan by its kind, title or author and ask its header card, a whole
section or a list (issue 12: routing, section, list and fact slots on plans never seen).

Two tiny inline plans of one province, written the way a Sở Công Thương writes near twins (same
issuer, same signer, titles that share words), with exact expected answers and citations; the
parser rules on their own first.
"""

from __future__ import annotations

import pytest
from _inline import article as _p
from _inline import hits, plan_fixtures

from assistant.answer.common import Evidence
from assistant.answer.registry import compose
from assistant.query import FactKind, Intent, parse_question
from assistant.query.model import SectionKind
from assistant.query.rules import intent_of, section_of
from assistant.records import DocMeta, Passage

# ---------------------------------------------------------------- the rules, no collection


@pytest.mark.parametrize(
    ("folded", "intent", "fact"),
    [
        # "lực" folds like "lúc": "chủ lực nào" asks a thing, not a time
        ("ke hoach quan trac vung nuoi nhung doi tuong chu luc nao", Intent.LIST, None),
        ("can bo can nhung nang luc nao", Intent.LIST, None),
        ("dot 1 ket thuc luc nao", Intent.FACT, FactKind.DEADLINE),
        # a time of day; "kỹ thuật" is no signing, so no issue date
        ("dot 1 kiem tra ky thuat an toan ket thuc luc may gio", Intent.FACT, FactKind.DEADLINE),
        # "gió" (wind) folds like "giờ" (hour): a wind zone asked, no time
        ("so cong thuong moi goi dau tu khu vuc dien gio nao", Intent.OTHER, None),
        # the plan sent "để báo cáo" (the "(b/c)" of its Nơi nhận), and "những nơi nào"
        ("ke hoach tai chinh duoc gui bao cao nhung co quan nao", Intent.FACT, FactKind.RECIPIENT),
        ("ke hoach thi dua duoc gui toi nhung noi nao", Intent.FACT, FactKind.RECIPIENT),
        # the "Nơi nhận" list names its addressees by office kind ("- Bộ Công an;", "- Các Sở: …")
        ("ke hoach cua ubnd duoc gui toi nhung bo nao", Intent.FACT, FactKind.RECIPIENT),
        ("ke hoach duoc gui cac so, nganh nao", Intent.FACT, FactKind.RECIPIENT),
        # the members of a group, not one leader
        ("doi tuong thuc hien giam sat gom nhung ai", Intent.LIST, None),
        ("thu ky doan la ai", Intent.FACT, FactKind.MEMBER),
        # a comma inside the asked noun
        ("ke hoach de ra nhung nhom nhiem vu, giai phap nao", Intent.LIST, None),
        # the proposal the preamble cites ("Xét đề nghị của X tại Văn bản số N"), not the plan's number
        ("chi nhanh mo de nghi so cong thuong kiem tra bang van ban so may", Intent.FACT, FactKind.REFNUM),
        ("ke hoach kiem tra o mo co so hieu gi", Intent.FACT, FactKind.DOC_NUMBER),
        ("cong ty khoang san gui van ban de nghi huan luyen so may", Intent.FACT, FactKind.REFNUM),
        # a party that is no state body heads its item: its tasks are the items under it
        ("cac co so san xuat giong, nuoi trong thuy san thuong pham phai lam gi", Intent.LIST, None),
    ],
)
def test_question_forms(folded, intent, fact):
    got_intent, got_fact, _ = intent_of(folded, [], False)
    assert (got_intent, got_fact) == (intent, fact)


def test_a_report_the_plan_asks_for_is_not_the_card():
    assert intent_of("cac so gui bao cao ket qua ve dau", [], False)[1] is not FactKind.RECIPIENT


@pytest.mark.parametrize(
    ("folded", "of_plan", "section"),
    [
        ("bac ninh ban hanh ke hoach de lam gi", True, SectionKind.PURPOSE),
        ("ke hoach nay nham muc dich gi", True, SectionKind.PURPOSE),
        ("ke hoach doi hoi nhung gi o viec giam sat", True, SectionKind.REQUIREMENT),
        # a unit's task: "để làm gì" asks that task's purpose, not the plan's
        ("so tai chinh bo tri kinh phi de lam gi", False, None),
        # the question opens with the section's heading words and asks its members
        ("doi tuong thuc hien giam sat, danh gia gom nhung ai", False, SectionKind.SUBJECTS),
        ("doi tuong thuc hien giam sat la ai", False, None),
    ],
)
def test_purpose_and_requirements_asked_without_their_heading(folded, of_plan, section):
    assert section_of(folded, of_plan=of_plan) is section


# ---------------------------------------------------------------- two twin plans of one province

TRAIN, CHECK = "k-huan-luyen.txt", "k-kiem-tra.txt"
DOCS = {
    TRAIN: DocMeta(
        doc=TRAIN,
        title="Huấn luyện, kiểm tra kỹ thuật an toàn cho Người quản lý vật liệu nổ công nghiệp trên địa bàn tỉnh K",
        number="38/KH-SCT",
        doc_type="Kế hoạch",
        issuer="Sở Công Thương tỉnh K",
        province="Tỉnh K",
        date="2026-06-30",
        date_text="ngày 30 tháng 6 năm 2026",
        signer="Hoàng Văn Một",
        signer_authority="KT. GIÁM ĐỐC",
        signer_position="PHÓ GIÁM ĐỐC",
        recipients=["Bộ Công Thương (b/c)", "Ban Giám đốc Sở", "Lưu: VT"],
    ),
    CHECK: DocMeta(
        doc=CHECK,
        title="Kiểm tra, cấp Giấy chứng nhận kỹ thuật an toàn vật liệu nổ công nghiệp cho Mỏ đồng Bản Vược",
        number="24/KH-SCT",
        doc_type="Kế hoạch",
        issuer="Sở Công Thương tỉnh K",
        province="Tỉnh K",
        date="2026-05-27",
        date_text="ngày 27 tháng 5 năm 2026",
        signer="Hoàng Văn Một",
        signer_authority="KT. GIÁM ĐỐC",
        signer_position="PHÓ GIÁM ĐỐC",
    ),
}


TRAIN_META = _p(
    "t-meta", TRAIN, (), "Kế hoạch số 38/KH-SCT ngày 30/6/2026 của Sở Công Thương tỉnh K.", "metadata"
)
CHECK_META = _p(
    "c-meta", CHECK, (), "Kế hoạch số 24/KH-SCT ngày 27/5/2026 của Sở Công Thương tỉnh K.", "metadata"
)
TRAIN_ROW = _p("t-row", TRAIN, ("PHÂN CÔNG NHIỆM VỤ",), "Rà soát vào điểm | Nguyễn Thị Loan", "table_row")
CHECK_ROW = _p("c-row", CHECK, ("PHÂN CÔNG NHIỆM VỤ",), "Rà soát vào điểm | Đỗ Mạnh Cường", "table_row")
PURPOSE = _p(
    "t-purpose",
    TRAIN,
    ("I. MỤC ĐÍCH, YÊU CẦU", "1. Mục đích"),
    "1. Mục đích\nHuấn luyện kỹ thuật an toàn cho Người quản lý để bảo đảm an toàn trong sử dụng vật liệu nổ.",
)
ALL = [TRAIN_META, CHECK_META, TRAIN_ROW, CHECK_ROW, PURPOSE]
METAS = {TRAIN: TRAIN_META, CHECK: CHECK_META}


cat, idf = plan_fixtures(DOCS, ALL)


def ask(cat, idf, question: str, *ps: Passage):
    q = parse_question(question, cat)
    ev = Evidence(hits=hits(*ps), metadata=dict(METAS))
    ev.doc_passages = {d: [p for p in ALL if p.doc == d] for d in DOCS}
    return q, compose(q, ev, DOCS, idf=idf)


def test_a_plan_named_by_its_title_among_its_provinces_plans(cat):
    """ "Theo KH huấn luyện … của SCT tỉnh K, …": both plans are of Tỉnh K; the clause that opens
    with the document's kind repeats one title, so that plan is asked, and the title's words
    say which plan, not what the passage is about."""
    q = parse_question(
        "Theo KH huấn luyện người quản lý vật liệu nổ của Sở Công Thương tỉnh K, ai rà soát vào điểm?", cat
    )
    assert q.filters["doc"] == TRAIN
    assert q.named == frozenset({TRAIN})
    assert q.terms == ["soat", "diem"]


def test_a_plan_word_further_in_is_a_tasks_object_not_the_plan(cat):
    q = parse_question(
        "Nhiệm vụ lập kế hoạch huấn luyện người quản lý vật liệu nổ ở tỉnh K do ai chủ trì?", cat
    )
    assert "doc" not in q.filters
    assert q.named == frozenset({TRAIN, CHECK})


def test_the_plans_author_is_not_a_unit_asked_about(cat, idf):
    q, ans = ask(cat, idf, "Kế hoạch 38 của Sở Công Thương tỉnh K ban hành ngày nào, về việc gì?", TRAIN_META)
    assert q.units == [] and q.intent is Intent.FACT and q.fact is FactKind.DATE
    assert ans.answer.splitlines() == [
        "Kế hoạch 38/KH-SCT (Tỉnh K) ban hành ngày 30 tháng 6 năm 2026 [1].",
        "Kế hoạch 38/KH-SCT (Tỉnh K) về việc: " + DOCS[TRAIN].title + " [1].",
    ]
    assert [c.passage_id for c in ans.citations] == [TRAIN_META.id]


def test_signer_and_a_bare_date_are_both_the_card(cat, idf):
    _, ans = ask(cat, idf, "KH 24 do ai ký, ngày nào?", CHECK_META)
    assert ans.answer.splitlines() == [
        "Kế hoạch 24/KH-SCT (Tỉnh K) do Hoàng Văn Một (KT. GIÁM ĐỐC Phó giám đốc) ký [1].",
        "Kế hoạch 24/KH-SCT (Tỉnh K) ban hành ngày 27 tháng 5 năm 2026 [1].",
    ]


def test_the_number_of_a_plan_named_by_its_subject(cat, idf):
    q, ans = ask(
        cat, idf, "Kế hoạch kiểm tra cấp giấy chứng nhận cho Mỏ đồng Bản Vược là kế hoạch số mấy?", CHECK_META
    )
    assert q.fact is FactKind.DOC_NUMBER and q.named == frozenset({CHECK})
    assert ans.answer == "Số ký hiệu: 24/KH-SCT [1]."
    assert ans.citations[0].passage_id == CHECK_META.id


def test_recipients_sent_for_report(cat, idf):
    _, ans = ask(cat, idf, "Kế hoạch 38 được gửi báo cáo những cơ quan nào?", TRAIN_META)
    assert ans.answer == "Kế hoạch 38/KH-SCT (Tỉnh K) gửi: Bộ Công Thương (b/c); Ban Giám đốc Sở [1]."


def test_what_a_plan_is_issued_for_is_its_purpose_section(cat, idf):
    q, ans = ask(cat, idf, "Sở Công Thương tỉnh K ban hành kế hoạch 38 để làm gì?", TRAIN_META, PURPOSE)
    assert q.section is SectionKind.PURPOSE
    assert PURPOSE.id in [c.passage_id for c in ans.citations]
    assert "bảo đảm an toàn trong sử dụng vật liệu nổ" in ans.answer


def test_a_report_sent_to_a_unit_is_the_sentence_that_sends_it_there(cat, idf):
    """ "báo cáo kết quả về Sở X trước ngày nào": Sở X receives; its own report onward is no answer."""
    onward = _p(
        "t-onward",
        TRAIN,
        ("V. TỔ CHỨC THỰC HIỆN", "2. Chế độ báo cáo"),
        "Sở Khoa học và Công nghệ tổng hợp kết quả thực hiện, báo cáo Ủy ban nhân dân tỉnh trước ngày 30/11 hằng năm.",
    )
    sent = _p(
        "t-sent",
        TRAIN,
        ("V. TỔ CHỨC THỰC HIỆN", "2. Chế độ báo cáo"),
        "Các sở, ngành gửi báo cáo trước ngày 20/11 về Sở Khoa học và Công nghệ.",
    )
    q, ans = ask(
        cat, idf, "Theo KH 38, các sở ngành báo cáo kết quả về Sở KH&CN trước ngày nào?", onward, sent
    )
    assert q.fact is FactKind.DEADLINE
    assert ans.citations[0].passage_id == sent.id
    assert "20/11" in ans.answer


def test_a_heading_in_capitals_holds_no_figure():
    """ "bao nhiêu": the years and period of a heading ("… 03 NĂM 2026 - 2028") are no figure."""
    from assistant.answer.facts import fact_rule

    q = parse_question("Tỉnh K dự báo tổng số doanh nghiệp năm 2028 là bao nhiêu?")
    rule = fact_rule(q.text, q.fact, q.terms, q.folded)
    assert not rule.require("II. DỰ BÁO CÁC CHỈ TIÊU KINH TẾ - XÃ HỘI 03 NĂM 2026 - 2028")
    assert rule.require("Tổng số doanh nghiệp năm 2028 đạt khoảng 12.000 doanh nghiệp.")


@pytest.mark.parametrize(
    ("folded", "units"),
    [
        # the lead is named to say which task; its "Đơn vị phối hợp" cell is asked
        (
            "nhiem vu ve cac nen tang so do cac so, ban, nganh chu tri, vay don vi nao phoi hop",
            ["Các sở, ban, ngành"],
        ),
        (
            "viec dao tao do so khoa hoc va cong nghe chu tri thi co quan nao phoi hop",
            ["Sở Khoa học và Công nghệ"],
        ),
        ("ai phoi hop voi so tai chinh de xuat giai phap cai thien moi truong dau tu", ["Sở Tài chính"]),
    ],
)
def test_the_partner_of_a_task_whose_lead_is_named(folded, units):
    assert intent_of(folded, units, False)[0] is Intent.PARTNER_UNIT


def test_what_a_named_unit_does_as_partner_is_its_tasks():
    assert intent_of("so y te phoi hop lam gi", ["Sở Y tế"], False)[0] is Intent.UNIT_TASKS
    assert intent_of("so tai chinh chu tri nhiem vu gi", ["Sở Tài chính"], False)[0] is Intent.UNIT_TASKS


def test_submitting_for_signature_is_a_task_not_the_signer():
    # "trình ký chứng chỉ" is a row of the team's assignment table, not who signed the plan
    assert intent_of("ai trinh ky chung chi trong ke hoach kiem tra", [], False) == (
        Intent.LEAD_UNIT,
        None,
        None,
    )
    assert intent_of("ai ky ke hoach kiem tra", [], False)[1] is FactKind.SIGNER


def test_the_noi_nhan_list_named_asks_the_card_not_the_unit_s_tasks():
    """ "Theo nơi nhận …, Văn phòng Sở nhận kế hoạch để làm gì?": each line of a "Nơi nhận:" list
    writes why that recipient gets the document; a unit named beside it asks no tasks of its own."""
    folded = "theo noi nhan cua ke hoach, van phong so nhan ke hoach de lam gi"
    assert intent_of(folded, ["Văn phòng Sở"], False)[:2] == (Intent.FACT, FactKind.RECIPIENT)
    # without the list named, the unit's tasks are asked
    assert intent_of("van phong so co nhiem vu gi", ["Văn phòng Sở"], False)[0] is Intent.UNIT_TASKS


def test_one_recipient_named_is_answered_by_its_own_line(cat, idf):
    _, ans = ask(cat, idf, "Theo nơi nhận, kế hoạch 38 gửi Bộ Công Thương để làm gì?", TRAIN_META)
    assert ans.answer == "Kế hoạch 38/KH-SCT (Tỉnh K) gửi Bộ Công Thương (b/c) [1]."
