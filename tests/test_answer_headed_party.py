"""A party that is no state body heads its item of "Tổ chức thực hiện" as a unit does ("7. Các
doanh nghiệp hoạt động trong lĩnh vực xây dựng, giao thông …"), and the loader may not read it as
a unit (issue 12, class 1: another plan's "Doanh nghiệp" row answered). Asked what it must do, the
item its heading names answers, its heading line not counted as a task."""

from __future__ import annotations

from _inline import hits, plan_fixtures

from assistant.answer.common import Evidence
from assistant.answer.handlers.unit_tasks import _headed_rows
from assistant.answer.registry import compose
from assistant.query import parse_question
from assistant.records import DocMeta, Passage

DOCS = {
    "gt.md": DocMeta(doc="gt.md", number="597/KH-UBND", doc_type="Kế hoạch", province="Tỉnh H"),
    "cn.md": DocMeta(doc="cn.md", number="552/KH-UBND", doc_type="Kế hoạch", province="Tỉnh H"),
}
HEAD = "7. Các doanh nghiệp hoạt động trong lĩnh vực xây dựng, giao thông, vận tải, logistics và công nghệ thông tin trên địa bàn…"
FIRMS = Passage(
    id="gt-7",
    doc="gt.md",
    kind="article",
    section=("V. TỔ CHỨC THỰC HIỆN", HEAD),
    text=(
        "7. Các doanh nghiệp hoạt động trong lĩnh vực xây dựng, giao thông, vận tải, logistics và công nghệ thông tin "
        "trên địa bàn Tỉnh\n- Chủ động phối hợp triển khai các giải pháp, nền tảng số phục vụ quản lý hạ tầng giao thông.\n"
        "- Ứng dụng mô hình BIM, GIS, IoT trên nền tảng số."
    ),
)
POLICE = Passage(
    id="gt-5",
    doc="gt.md",
    kind="article",
    section=("V. TỔ CHỨC THỰC HIỆN", "5. Công an Tỉnh"),
    text="5. Công an Tỉnh\n- Hướng dẫn doanh nghiệp giám sát an toàn thông tin mạng.",
    lead=("Công an Tỉnh",),
)
OTHER = Passage(
    id="cn-1",
    doc="cn.md",
    kind="table_row",
    section=("Phụ lục", "4. Sở Công Thương"),
    text="Hỗ trợ doanh nghiệp ứng dụng thương mại điện tử. | THỜI GIAN: 2025 - 2035",
    lead=("Sở Công Thương",),
    partners=("Doanh nghiệp",),
)
ALL = [FIRMS, POLICE, OTHER]

cat, idf = plan_fixtures(DOCS, ALL)


def test_the_item_headed_by_the_party_answers(cat, idf):
    q = parse_question("Các doanh nghiệp xây dựng, giao thông ở tỉnh H được đề nghị làm gì?", cat)
    assert q.intent == "unit_tasks" and q.units == ["Doanh nghiệp"]
    headed = _headed_rows(q, hits(FIRMS, POLICE, OTHER))
    assert [(p.id, role) for p, role, _ in headed] == [("gt-7", "lead")]
    rows = [(OTHER, "partner", 0.5), *headed]
    ans = compose(q, Evidence(hits=hits(FIRMS, POLICE, OTHER), unit_rows=rows), DOCS, idf=idf)
    lines = ans.answer.splitlines()
    assert lines[0] == "Nhiệm vụ của Doanh nghiệp (Kế hoạch 597/KH-UBND (Tỉnh H)):", ans.answer
    assert "nền tảng số" in ans.answer and "BIM, GIS, IoT" in ans.answer
    assert "7. Các doanh nghiệp" not in ans.answer and "thương mại điện tử" not in ans.answer


def test_a_heading_that_only_mentions_the_party_is_not_its_item(cat, idf):
    q = parse_question("Các doanh nghiệp ở tỉnh H được đề nghị làm gì?", cat)
    # "5. Công an Tỉnh" is headed by another unit, whatever its lines say of firms
    assert _headed_rows(q, hits(POLICE, OTHER)) == []
