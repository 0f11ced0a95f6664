"""Session 22, issue 12 classes 5, 8, 9 (routing, follow-ups, sections) on tiny inline plans: a
follow-up that names a plan by what it implements after a question about an issuer's plans; the
blank-day date line on the header card; the section words an official asks by."""

from __future__ import annotations

import pytest

from assistant.ingest.document import metadata_text
from assistant.ingest.header import Part
from assistant.query import Catalog, parse_question
from assistant.query.conversation import follow_up
from assistant.records import DocMeta, Passage

DOCS = {
    "huan-luyen.txt": DocMeta(
        doc="huan-luyen.txt",
        number="/KH-SCT",
        doc_type="Kế hoạch",
        province="Lào Cai",
        issuer="Sở Công Thương tỉnh Lào Cai",
        date="2026-06",
        title="Huấn luyện kỹ thuật an toàn cho người quản lý vật liệu nổ công nghiệp",
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
    "khoang-san.txt": DocMeta(
        doc="khoang-san.txt",
        number="/KH-UBND",
        doc_type="Kế hoạch",
        province="Lào Cai",
        issuer="Ủy ban nhân dân tỉnh Lào Cai",
        date="2026",
        title="Triển khai thực hiện Chỉ thị số 11-CT/TU ngày 04/01/2026 về quản lý nhà nước về khoáng sản",
    ),
}
ROWS = [
    Passage(id="hl-1", doc="huan-luyen.txt", kind="article", text="Căn cứ Nghị định số 181/2024/NĐ-CP."),
    Passage(id="kt-1", doc="kiem-tra.txt", kind="article", text="Thực hiện Quyết định số 1050/QĐ-SCT."),
    Passage(id="ks-1", doc="khoang-san.txt", kind="article", text="Thực hiện Chỉ thị số 11-CT/TU."),
]


@pytest.fixture(scope="module")
def cat() -> Catalog:
    return Catalog.build(DOCS, ROWS)


def test_a_follow_up_naming_one_plan_after_an_issuers_plans_asks_that_plan(cat):
    # the earlier turn named the province only, whose plans are several (all of them ``named``),
    # and its reply names no plan number; the follow-up names one plan by the directive it implements
    history = [
        ("Kế hoạch của Lào Cai do ai ký?", "Kế hoạch huấn luyện … (tháng 6/2026) do Hoàng Văn Thuân ký [1].")
    ]
    q = follow_up(parse_question("Còn kế hoạch triển khai Chỉ thị 11 thì sao?", cat), history, cat)
    assert q.fact == "signer"
    assert q.filters.get("doc") == "khoang-san.txt"


def test_a_follow_up_about_the_same_plan_is_not_a_new_scope(cat):
    history = [("Ai ký kế hoạch triển khai Chỉ thị 11?", "… do Nguyễn Thành Sinh ký [1].")]
    q = follow_up(parse_question("Kế hoạch triển khai Chỉ thị 11 ban hành ngày nào?", cat), history, cat)
    assert q.fact == "date" and q.filters.get("doc") == "khoang-san.txt"


@pytest.mark.parametrize(
    ("date", "date_text", "line"),
    [
        ("2026-06", "ngày tháng 6 năm 2026", "Lào Cai, ngày tháng 6 năm 2026."),  # the day left blank
        ("2026-03-10", "ngày 10 tháng 3 năm 2026", "Lào Cai, ngày 10 tháng 3 năm 2026."),
    ],
)
def test_the_card_quotes_the_date_line_as_written(date, date_text, line):
    meta = DocMeta(doc="a.txt", doc_type="Kế hoạch", place="Lào Cai", date=date, date_text=date_text)
    assert line in metadata_text(meta, [Part()])


def test_a_wholly_blank_date_line_is_not_quoted():
    meta = DocMeta(
        doc="a.txt", doc_type="Kế hoạch", place="Lào Cai", date="2026", date_text="ngày tháng năm 2026"
    )
    assert "Lào Cai, ngày" not in metadata_text(meta, [Part()])
