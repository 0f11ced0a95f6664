"""A plan numbered by its file name when its header's number is blank (an unsigned copy: "Số:      /KH-SCT"):
published files are named by their symbol and number (session 19's fresh questions r526–r550)."""

from __future__ import annotations

from assistant.query import Catalog, parse_question
from assistant.records import DocMeta

DOCS = {
    "lao-cai-2026-3024-kh-sct-kiem-tra.txt": DocMeta(
        doc="lao-cai-2026-3024-kh-sct-kiem-tra.txt", number="/KH-SCT", doc_type="Kế hoạch", province="Lào Cai"
    ),
    "KH-3898_30.6.2026_Huan-luyen.docx": DocMeta(
        doc="KH-3898_30.6.2026_Huan-luyen.docx", number=None, doc_type="Kế hoạch", province="Lào Cai"
    ),
    # the header's number is the plan's, whatever its file name says
    "dak-lak-0999-kh-ubnd.md": DocMeta(
        doc="dak-lak-0999-kh-ubnd.md", number="0134/KH-UBND", doc_type="Kế hoạch", province="Đắk Lắk"
    ),
}


def test_a_blank_number_is_read_from_the_file_name():
    cat = Catalog.build(DOCS, [])
    assert cat.docs_numbered("3024") == ["lao-cai-2026-3024-kh-sct-kiem-tra.txt"]
    assert cat.docs_numbered("3898") == ["KH-3898_30.6.2026_Huan-luyen.docx"]
    assert cat.docs_numbered("134") == ["dak-lak-0999-kh-ubnd.md"]
    assert cat.docs_numbered("999") == [] and cat.docs_numbered("2026") == []


def test_a_plan_asked_by_its_registered_number_is_loaded():
    q = parse_question("Kế hoạch 3024 của Sở Công Thương kiểm tra ở đâu?", Catalog.build(DOCS, []))
    assert q.docs == ["lao-cai-2026-3024-kh-sct-kiem-tra.txt"] and q.missing is None
