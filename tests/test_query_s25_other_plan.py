""" "Còn kế hoạch kia?": the earlier question asked of the plan(s) the conversation was not about
(issue 12 class 8): the one other plan of that kind when two are loaded, each of the others for a
header-card fact (Nghị định 30/2020/NĐ-CP, Phụ lục I) when more are, never the same plan again.
A catalogue of hand-made headers."""

from __future__ import annotations

from assistant.query import Catalog, follow_up
from assistant.query.model import FactKind
from assistant.query.parse import parse_question
from assistant.records import DocMeta


def _meta(doc: str, number: str | None, title: str, doc_type: str = "Kế hoạch") -> DocMeta:
    return DocMeta(
        doc=doc, number=number, doc_type=doc_type, province="Lào Cai", issuer="Sở Công Thương", title=title
    )


DOCS = {
    "kt.txt": _meta("kt.txt", "1105/KH-ĐKT", "Kiểm tra việc sử dụng và bảo quản vật liệu nổ công nghiệp"),
    "ct11.txt": _meta("ct11.txt", None, "Triển khai thực hiện Chỉ thị số 11-CT/TU về khoáng sản"),
    "hl.txt": _meta("hl.txt", None, "Huấn luyện người quản lý vật liệu nổ công nghiệp"),
    "cv.txt": _meta("cv.txt", "88/SCT-QLCN", "Tăng cường an toàn hóa chất", doc_type="Công văn"),
}
SIGNED = [
    {"role": "user", "content": "Kế hoạch 1105 ai ký?"},
    {"role": "assistant", "content": "Kế hoạch 1105/KH-ĐKT (Lào Cai) do Hoàng Văn Thuân ký [1]."},
]


def _cat(*names: str) -> Catalog:
    return Catalog.build({n: DOCS[n] for n in names}, [])


def test_the_other_plan_of_two_is_asked():
    cat = _cat("kt.txt", "ct11.txt", "cv.txt")  # the Công văn is no "kế hoạch kia"
    q = follow_up(parse_question("Còn kế hoạch kia?", cat), SIGNED, cat)
    assert (q.fact, q.filters.get("doc")) == (FactKind.SIGNER, "ct11.txt")


def test_each_other_plan_answers_a_header_fact():
    cat = _cat("kt.txt", "ct11.txt", "hl.txt")
    q = follow_up(parse_question("Còn kế hoạch khác thì sao?", cat), SIGNED, cat)
    assert q.fact == FactKind.SIGNER and "doc" not in q.filters
    assert q.every_plan and q.catalogue_among == frozenset({"ct11.txt", "hl.txt"})


def test_a_plan_named_again_is_no_other_plan():
    cat = _cat("kt.txt", "ct11.txt")
    q = follow_up(parse_question("Còn kế hoạch 1105 thì sao?", cat), SIGNED, cat)
    assert q.filters.get("doc") == "kt.txt"
