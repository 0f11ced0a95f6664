"""Session 21, issue 12 classes 5, 8, 9 (routing, sections, catalogue) on tiny inline plans: a plan
named by the document it implements is asked its own header date; the catalogue narrowed by issuer
and subject; the "căn cứ" part of a plan asked whole."""

from __future__ import annotations

import pytest

from assistant.answer.grounds import ground_items, preamble
from assistant.answer.handlers.catalogue import catalogue_line
from assistant.answer.handlers.sections import find_section
from assistant.answer.meta import is_meta
from assistant.query import Catalog, parse_question
from assistant.query.conversation import follow_up
from assistant.query.model import Query, SectionKind
from assistant.records import DocMeta, Passage

DOCS = {
    "dan-so.md": DocMeta(
        doc="dan-so.md",
        number="165/KH-UBND",
        doc_type="Kế hoạch",
        province="Cần Thơ",
        issuer="Ủy ban nhân dân thành phố Cần Thơ",
        date="2025-11-21",
        title="Thực hiện Chỉ thị số 27/CT-TTg ngày 15 tháng 8 năm 2024 của Thủ tướng Chính phủ về công tác dân số",
    ),
    "bien.md": DocMeta(
        doc="bien.md",
        number="556/KH-UBND",
        doc_type="Kế hoạch",
        province="Đồng Tháp",
        issuer="Ủy ban nhân dân tỉnh Đồng Tháp",
        date="2025-11-19",
        title="Thực hiện Nghị quyết số 48/NQ-CP ngày 03/4/2023 của Chính phủ về biển và hải đảo",
    ),
    "giao-thong.md": DocMeta(
        doc="giao-thong.md",
        number="597/KH-UBND",
        doc_type="Kế hoạch",
        province="Đồng Tháp",
        issuer="Ủy ban nhân dân tỉnh Đồng Tháp",
        date="2025-11-27",
        title="Chuyển đổi số trong hoạt động xây dựng, quản lý kết cấu hạ tầng giao thông",
    ),
    "kiem-tra.txt": DocMeta(
        doc="kiem-tra.txt",
        number="1105/KH-ĐKT",
        doc_type="Kế hoạch",
        province="Lào Cai",
        issuer="Đoàn kiểm tra Sở Công Thương",
        date="2026-03-10",
        title="Kiểm tra việc chấp hành quy định pháp luật trong sử dụng vật liệu nổ công nghiệp",
    ),
    "huan-luyen.txt": DocMeta(
        doc="huan-luyen.txt",
        number="/KH-SCT",
        doc_type="Kế hoạch",
        province="Lào Cai",
        issuer="Sở Công Thương tỉnh Lào Cai",
        date="2026-06",
        title="Huấn luyện kỹ thuật an toàn cho người quản lý vật liệu nổ công nghiệp",
    ),
    "khoang-san.txt": DocMeta(
        doc="khoang-san.txt",
        number="/KH-UBND",
        doc_type="Kế hoạch",
        province="Lào Cai",
        issuer="Ủy ban nhân dân tỉnh Lào Cai",
        date="2026",
        title="Triển khai thực hiện Chỉ thị số 11-CT/TU về quản lý nhà nước về khoáng sản",
    ),
}
ROWS = [
    Passage(
        id="ds-1",
        doc="dan-so.md",
        kind="article",
        text="Căn cứ Chỉ thị số 27/CT-TTg ngày 15 tháng 8 năm 2024.",
    ),
    Passage(id="bi-1", doc="bien.md", kind="article", text="Căn cứ Nghị quyết số 48/NQ-CP ngày 03/4/2023."),
    Passage(id="gt-1", doc="giao-thong.md", kind="article", text="Sở Xây dựng chủ trì chuyển đổi số."),
    Passage(
        id="kt-1",
        doc="kiem-tra.txt",
        kind="article",
        text="Thực hiện Quyết định số 1050/QĐ-SCT ngày 06/3/2026.",
    ),
    Passage(id="hl-1", doc="huan-luyen.txt", kind="article", text="Căn cứ Nghị định số 181/2024/NĐ-CP."),
    Passage(
        id="ks-1", doc="khoang-san.txt", kind="article", text="Thực hiện Chỉ thị số 11-CT/TU ngày 04/01/2026."
    ),
]


@pytest.fixture(scope="module")
def cat() -> Catalog:
    return Catalog.build(DOCS, ROWS)


@pytest.mark.parametrize(
    ("question", "doc"),
    [
        (
            "Kế hoạch thực hiện Nghị quyết 48/NQ-CP về biển và hải đảo của Đồng Tháp ban hành ngày nào?",
            "bien.md",
        ),
        (
            "Văn bản của UBND thành phố Cần Thơ về dân số theo Chỉ thị 27/CT-TTg được ban hành ngày nào?",
            "dan-so.md",
        ),
    ],
)
def test_a_plan_named_by_what_it_implements_is_asked_its_header_date(cat, question, doc):
    q = parse_question(question, cat)
    assert q.fact == "date"  # "ban hành ngày nào", though "thực hiện" is in the plan's title
    assert q.filters.get("doc") == doc
    assert is_meta(q)  # the header's date, not the cited document's


def test_a_cited_document_asked_alone_is_still_the_cited_one(cat):
    q = parse_question("Chỉ thị 27/CT-TTg ban hành ngày nào?", cat)
    assert not is_meta(q)


def test_a_report_deadline_is_still_a_deadline(cat):
    q = parse_question("Kế hoạch 165 yêu cầu báo cáo kết quả thực hiện trước ngày nào?", cat)
    assert q.fact == "deadline"


@pytest.mark.parametrize(
    ("question", "among"),
    [
        # the issuer, after "của/do" or opening the question; a team under its department is the
        # department's too (its header's governing line)
        ("Đã nạp những văn bản nào do Sở Công Thương Lào Cai ban hành?", {"kiem-tra.txt", "huan-luyen.txt"}),
        ("những văn bản nào của Sở Công Thương", {"kiem-tra.txt", "huan-luyen.txt"}),
        ("So Cong Thuong co nhung ke hoach nao", {"kiem-tra.txt", "huan-luyen.txt"}),
        ("Các văn bản của Đoàn kiểm tra đã nạp?", {"kiem-tra.txt"}),
        # the subject: the plans whose trích yếu is about it
        ("Những kế hoạch nào về chuyển đổi số?", {"giao-thong.md"}),
        ("co ke hoach nao ve khoang san khong", {"khoang-san.txt"}),
        ("Các kế hoạch nào về biển và hải đảo?", {"bien.md"}),
        ("Những văn bản nào của Sở Công Thương về vật liệu nổ?", {"kiem-tra.txt", "huan-luyen.txt"}),
        ("Những văn bản nào của Sở Công Thương về khoáng sản?", set()),
        # the subject right after the kind, a "nói về" before it, a year after the issuer
        ("Các kế hoạch kiểm tra vật liệu nổ đã nạp", {"kiem-tra.txt"}),
        ("Văn bản nào nói về khoáng sản?", {"khoang-san.txt"}),
        ("Những kế hoạch của Sở Công Thương năm 2026", {"kiem-tra.txt", "huan-luyen.txt"}),
    ],
)
def test_the_catalogue_narrowed_by_issuer_and_subject(cat, question, among):
    q = parse_question(question, cat)
    assert q.catalogue
    assert q.catalogue_among == frozenset(among)
    assert q.units == []  # the issuer names the documents, it is not a unit asked about


@pytest.mark.parametrize(
    "question",
    [
        "Kế hoạch nào về chuyển đổi số giao Sở Xây dựng chủ trì?",
        "Kế hoạch về chuyển đổi số của Đồng Tháp có mục tiêu gì?",
        "Văn bản nào của Sở Công Thương quy định thời gian huấn luyện?",
        "Sở Y tế có những nhiệm vụ nào?",
        "Kế hoạch kiểm tra việc chấp hành quy định pháp luật trong sử dụng vật liệu nổ công nghiệp gửi tới những nơi nào?",
    ],
)
def test_a_question_about_the_plans_content_is_no_catalogue(cat, question):
    assert not parse_question(question, cat).catalogue


def test_the_bare_catalogue_is_not_narrowed(cat):
    q = parse_question("Các văn bản đã nạp gồm những gì?", cat)
    assert q.catalogue and q.catalogue_among is None


@pytest.mark.parametrize(
    "question",
    [
        "Kế hoạch 1105/KH-ĐKT của Lào Cai được lập để thực hiện quyết định nào?",
        "Sở Công Thương dựa vào những văn bản nào để ban hành kế hoạch huấn luyện người quản lý vật liệu nổ?",
        "Căn cứ pháp lý của kế hoạch 556 là gì?",
        "ke hoach 165 can tho can cu vao nhung van ban nao",
        "Kế hoạch 165 của Cần Thơ thực hiện chỉ thị nào?",
    ],
)
def test_the_grounds_asked_whole_are_the_basis_section(cat, question):
    q = parse_question(question, cat)
    assert q.section == SectionKind.BASIS
    assert q.units == []  # the issuer named is the document's, not a unit asked about


@pytest.mark.parametrize(
    "question",
    [
        # one named ground, qualified: a fact of the preamble, not the whole
        "Kế hoạch huấn luyện căn cứ quyết định nào về việc thành lập Tổ kiểm tra?",
        "Kế hoạch 0204 được lập căn cứ Nghị định nào của Chính phủ?",
        "Sở Y tế thực hiện nhiệm vụ gì?",
    ],
)
def test_one_ground_or_a_task_is_not_the_basis_section(cat, question):
    assert parse_question(question, cat).section != SectionKind.BASIS


PREAMBLE = [
    Passage(id="m", doc="a.md", kind="metadata", text="Kế hoạch số 5/KH-UBND"),
    Passage(
        id="p1",
        doc="a.md",
        kind="article",
        text="Căn cứ Luật Thủy sản năm 2017;\n\nCăn cứ Nghị định số 08/2022/NĐ-CP ngày 10/1/2022 của Chính\nphủ;"
        " Căn cứ Quyết định số 1746/QĐ-TTg ngày 30/12/2023;\n\nThực hiện Chỉ thị số 27/CT-TTg; Công văn số"
        " 6676/BYT-CDS, Ủy ban nhân dân tỉnh ban hành Kế hoạch như sau:\n\nThời gian qua, công tác dân số đạt"
        " nhiều kết quả.",
    ),
    Passage(id="s1", doc="a.md", kind="article", section=("I. MỤC ĐÍCH",), text="Căn cứ tình hình thực tế."),
]


def test_the_grounds_are_the_preamble_lines_without_the_enacting_clause():
    before = preamble(PREAMBLE)
    assert [p.id for p in before] == ["p1"]
    assert [t for t, _ in ground_items(before)] == [
        "Căn cứ Luật Thủy sản năm 2017;",
        "Căn cứ Nghị định số 08/2022/NĐ-CP ngày 10/1/2022 của Chính phủ;",
        "Căn cứ Quyết định số 1746/QĐ-TTg ngày 30/12/2023;",
        "Thực hiện Chỉ thị số 27/CT-TTg; Công văn số 6676/BYT-CDS",
    ]
    # "thực hiện quyết định nào": the grounds of that kind
    assert [t for t, _ in ground_items(before, "duoc lap de thuc hien quyet dinh nao")] == [
        "Căn cứ Quyết định số 1746/QĐ-TTg ngày 30/12/2023;"
    ]


@pytest.mark.parametrize(
    ("question", "doc"),
    [
        (
            "Văn bản của Đoàn kiểm tra thuộc Sở Công Thương về vật liệu nổ yêu cầu kiểm tra theo nghị định nào?",
            "kiem-tra.txt",
        ),
        ("Kế hoạch do Sở Công Thương ban hành về huấn luyện tổ chức ở đâu?", "huan-luyen.txt"),
        ("Theo kế hoạch của UBND tỉnh Lào Cai, ai chủ trì?", "khoang-san.txt"),
    ],
)
def test_a_document_named_by_its_issuer_is_the_one_asked(cat, question, doc):
    q = parse_question(question, cat)
    assert q.filters.get("doc") == doc
    assert q.named == frozenset({doc})
    assert q.units == []


def test_an_issuer_of_several_plans_names_them_all(cat):
    q = parse_question("Văn bản của Sở Công Thương yêu cầu những gì?", cat)
    assert "doc" not in q.filters
    assert q.named == frozenset({"kiem-tra.txt", "huan-luyen.txt"})


def test_a_unit_that_issued_nothing_names_no_plan(cat):
    q = parse_question("Kế hoạch của Sở Y tế giao những nhiệm vụ gì?", cat)
    assert "doc" not in q.filters
    assert not q.named & {"kiem-tra.txt", "huan-luyen.txt"}  # another Sở's plans are not named


@pytest.mark.parametrize(
    "question",
    [
        "to chuc thuc hien ke hoach 165 ve dan so cua Can Tho the nao",
        "Kế hoạch 597 được tổ chức thực hiện như thế nào?",
        "Tổ chức thực hiện kế hoạch 556 gồm những gì?",
    ],
)
def test_the_organisation_part_asked_whole(cat, question):
    assert parse_question(question, cat).section == SectionKind.ORGANISATION


@pytest.mark.parametrize(
    "question",
    [
        "Phần tổ chức thực hiện kế hoạch 165 giao nhiệm vụ cho những đơn vị nào?",
        "Tổ chức thực hiện tuyên truyền về dân số thế nào?",
    ],
)
def test_units_or_an_activity_are_not_the_organisation_part(cat, question):
    assert parse_question(question, cat).section != SectionKind.ORGANISATION


@pytest.mark.parametrize(
    "question",
    ["Kế hoạch huấn luyện của Sở Công Thương ban hành tháng mấy?", "ke hoach 556 ky ngay may"],
)
def test_the_month_or_day_asked_with_may_is_the_issue_date(cat, question):
    assert parse_question(question, cat).fact == "date"


def test_a_header_fact_after_a_place_catalogue_is_asked_of_each_plan(cat):
    history = [
        ("Các kế hoạch của Đồng Tháp đã nạp?", "Đã nạp 2 văn bản: Kế hoạch 556/KH-UBND; Kế hoạch 597/KH-UBND")
    ]
    q = follow_up(parse_question("Ai ký?", cat), history, cat)
    assert q.every_plan  # one line per plan, never one picked
    assert q.filters == {"province": "Đồng Tháp"}


def test_a_header_fact_after_an_issuer_catalogue_is_asked_of_the_plans_listed(cat):
    history = [("Những văn bản nào của Sở Công Thương?", "Đã nạp 2 văn bản: …")]
    q = follow_up(parse_question("Ai ký?", cat), history, cat)
    assert q.every_plan
    assert q.catalogue_among == frozenset({"kiem-tra.txt", "huan-luyen.txt"})


def test_a_header_fact_after_a_one_plan_catalogue_is_that_plan(cat):
    history = [("Có kế hoạch nào về khoáng sản không?", "Đã nạp 1 văn bản: …")]
    q = follow_up(parse_question("Ai ký?", cat), history, cat)
    assert not q.every_plan
    assert q.filters.get("doc") == "khoang-san.txt"


@pytest.mark.parametrize(
    ("question", "docs"),
    [
        ("Ai ký kế hoạch 556 và 597?", ["bien.md", "giao-thong.md"]),
        ("ke hoach 165, 556 va 597 ban hanh ngay nao", ["dan-so.md", "bien.md", "giao-thong.md"]),
    ],
)
def test_numbers_listed_after_one_kind_are_documents_of_that_kind(cat, question, docs):
    q = parse_question(question, cat)
    assert q.docs == docs
    assert sorted(q.scope) == sorted(docs)


def test_a_count_after_a_plan_number_is_no_document(cat):
    q = parse_question("Kế hoạch 165 và 20 xã", cat)
    assert q.docs == ["dan-so.md"] and q.missing is None


def test_a_header_fact_of_a_place_s_plans_is_asked_of_each(cat):
    q = parse_question("Kế hoạch của Đồng Tháp do ai ký?", cat)
    assert q.every_plan and q.filters == {"province": "Đồng Tháp"}


def test_a_header_fact_of_a_subject_several_plans_share_is_asked_of_each(cat):
    q = parse_question("Ai ký kế hoạch về vật liệu nổ công nghiệp?", cat)
    assert q.every_plan
    assert q.catalogue_among == frozenset({"kiem-tra.txt", "huan-luyen.txt"})


def test_a_header_fact_of_a_subject_one_plan_holds_is_that_plan(cat):
    q = parse_question("Kế hoạch về biển và hải đảo của Đồng Tháp ký ngày nào?", cat)
    assert not q.every_plan and q.filters.get("doc") == "bien.md"


@pytest.mark.parametrize(
    "question",
    ["Các kế hoạch năm 2026 của Lào Cai", "Tất cả văn bản đã nạp", "Toàn bộ kế hoạch của Đồng Tháp"],
)
def test_the_catalogue_asked_as_a_bare_noun_phrase(cat, question):
    assert parse_question(question, cat).catalogue


def test_a_header_fact_of_an_issuer_s_plans_is_asked_of_each(cat):
    q = parse_question("Kế hoạch của Sở Công Thương do ai ký?", cat)
    assert q.every_plan and q.catalogue_among == frozenset({"kiem-tra.txt", "huan-luyen.txt"})
    q = parse_question("Kế hoạch của Sở Công Thương về huấn luyện do ai ký?", cat)
    assert not q.every_plan and q.filters.get("doc") == "huan-luyen.txt"


def test_a_month_several_documents_share_is_narrowed_by_the_title_words():
    docs = {
        "hl.txt": DocMeta(
            doc="hl.txt",
            doc_type="Kế hoạch",
            province="Lào Cai",
            date="2026-06",
            title="Huấn luyện người quản lý",
        ),
        "cv.txt": DocMeta(
            doc="cv.txt",
            doc_type="Công văn",
            province="Lào Cai",
            date="2026-06-11",
            title="Tăng cường kiểm tra khoáng sản",
        ),
        "kt.txt": DocMeta(
            doc="kt.txt",
            doc_type="Kế hoạch",
            province="Lào Cai",
            date="2026-05",
            title="Kiểm tra vật liệu nổ",
        ),
    }
    rows = [Passage(id=f"{d}-1", doc=d, kind="article", text="Nội dung.") for d in docs]
    q = parse_question("Kế hoạch huấn luyện tháng 6/2026 do ai ký?", Catalog.build(docs, rows))
    assert q.filters.get("doc") == "hl.txt"


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("Vì sao Đồng Tháp ban hành kế hoạch 556?", SectionKind.PURPOSE),
        ("Kế hoạch 556 đặt mục tiêu gì đến năm 2030?", SectionKind.TARGET),
        ("Kinh phí thực hiện kế hoạch 165 do đâu bảo đảm?", SectionKind.BUDGET),
        ("Đối tượng áp dụng của kế hoạch 165?", SectionKind.SUBJECTS),
        ("Trách nhiệm tổ chức thực hiện kế hoạch 597 được phân công thế nào?", SectionKind.ORGANISATION),
    ],
)
def test_a_part_asked_in_an_official_s_words(cat, question, kind):
    assert parse_question(question, cat).section == kind


@pytest.mark.parametrize(
    "question",
    ["Kế hoạch 556 đặt mục tiêu bao nhiêu phần trăm đến năm 2030?", "Vì sao phải quan trắc môi trường?"],
)
def test_a_figure_or_a_reason_inside_the_plan_is_no_part(cat, question):
    assert parse_question(question, cat).section not in (SectionKind.TARGET, SectionKind.PURPOSE)


def test_the_catalogue_line_gives_the_file_s_number_when_the_copy_has_none():
    docs = {
        "lao-cai-2026-3898-kh-sct-huan-luyen.txt": DocMeta(
            doc="lao-cai-2026-3898-kh-sct-huan-luyen.txt",
            number="/KH-SCT",
            doc_type="Kế hoạch",
            title="Huấn luyện",
        ),
        "KH-3024_27.5.2026_Ky-rieng.docx": DocMeta(doc="KH-3024_27.5.2026_Ky-rieng.docx", title="Kiểm tra"),
        "bac-ninh-141-kh-ubnd.md": DocMeta(
            doc="bac-ninh-141-kh-ubnd.md", number="141/KH-UBND", title="Nâng cao"
        ),
    }
    assert "số 3898 (theo tên tệp)" in catalogue_line("lao-cai-2026-3898-kh-sct-huan-luyen.txt", docs)
    assert "số 3024 (theo tên tệp)" in catalogue_line("KH-3024_27.5.2026_Ky-rieng.docx", docs)
    assert "tên tệp" not in catalogue_line("bac-ninh-141-kh-ubnd.md", docs)  # its header gives it


def test_a_follow_up_naming_another_plan_by_its_title_asks_the_same_of_it(cat):
    history = [("Ai ký kế hoạch 165?", "Kế hoạch 165/KH-UBND (Cần Thơ) do … ký [1].")]
    q = follow_up(
        parse_question("Còn kế hoạch về chuyển đổi số kết cấu hạ tầng giao thông thì sao?", cat), history, cat
    )
    assert q.fact == "signer"
    assert q.filters.get("doc") == "giao-thong.md"


def test_a_plan_with_no_purpose_heading_answers_with_its_targets():
    rows = [
        Passage(id="t0", doc="a.md", kind="article", section=("I. MỤC TIÊU",), text="I. MỤC TIÊU"),
        Passage(
            id="t1",
            doc="a.md",
            kind="article",
            section=("I. MỤC TIÊU", "1. Mục tiêu chung"),
            text="Quan trắc môi trường nuôi trồng thủy sản.",
        ),
        Passage(
            id="n1", doc="a.md", kind="article", section=("II. NỘI DUNG",), text="Lấy mẫu nước hằng tháng."
        ),
    ]
    asked = Query(text="Mục đích của kế hoạch là gì?", section=SectionKind.PURPOSE, filters={"doc": "a.md"})
    found = find_section(asked, ["a.md"], {"a.md": rows}, None)
    assert found is not None and found.heading == "I. MỤC TIÊU"
    assert [p.id for p in found.passages] == ["t0", "t1"]
    unnamed = Query(text="Mục đích là gì?", section=SectionKind.PURPOSE)
    assert find_section(unnamed, ["a.md"], {"a.md": rows}, None) is None  # no plan named: no stand-in


def test_a_header_fact_per_plan_gives_that_fact():
    from assistant.answer.handlers.catalogue import header_fact
    from assistant.query.model import FactKind

    m = DocMeta(
        doc="a.md", date="2025-11-19", signer="Nguyễn Văn A", recipients=["Bộ Xây dựng", "UBND các xã"]
    )
    assert header_fact(FactKind.RECIPIENT, m) == "Bộ Xây dựng; UBND các xã"  # not the issue date
    assert header_fact(FactKind.DATE, m) == "ngày 19/11/2025"
    assert header_fact(FactKind.SIGNER, m) == "Nguyễn Văn A"
