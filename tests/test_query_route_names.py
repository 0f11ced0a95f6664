"""A road, line or bridge named by its end points ("cao tốc Cần Thơ - Cà Mau") is a project's
name, not two places whose plans are compared; a figure asked of it is answered only by a clause
that names it (issue 12, fresh dev r809: "Kế hoạch 0204 của Cà Mau bố trí bao nhiêu vốn cho dự
án cao tốc Cần Thơ - Cà Mau …" was answered as a comparison of Cần Thơ's and Cà Mau's plans,
then with the province's total registered investment).

Catalog tests run on tiny inline plan cards; the end-to-end test reads the real Cà Mau 0204 plan
(development split) from ``REAL_PLANS_DIR``, skipped when absent."""

from __future__ import annotations

import pytest
from _small import has, inline_assistant

from assistant.answer.numbers import for_route
from assistant.query import Catalog, parse_question
from assistant.query.model import Intent
from assistant.records import DocMeta, Passage
from assistant.textnorm import fold
from assistant.vocab.places import route_endpoint, route_names
from eval.realsuite import data_dir


def _ends(text: str) -> list[str]:
    f = fold(text)
    names = ("can tho", "ca mau", "ha noi", "lao cai", "hai phong")
    return [n for n in names for i in [f.find(n)] if i >= 0 and route_endpoint(f, i, i + len(n))]


@pytest.mark.parametrize(
    ("text", "ends"),
    [
        ("vốn cho dự án cao tốc Cần Thơ - Cà Mau giai đoạn 2026 - 2028", ["can tho", "ca mau"]),
        ("tuyến đường sắt Lào Cai – Hà Nội – Hải Phòng", ["ha noi", "lao cai", "hai phong"]),
        ("quốc lộ 1A Cần Thơ - Cà Mau", ["can tho", "ca mau"]),
        # places of plans, not of a route: no route noun, or no dash between them
        ("So sánh kế hoạch Cần Thơ - Cà Mau", []),
        ("đường ở Cần Thơ và Cà Mau", []),
        ("kế hoạch của Cà Mau về cao tốc", []),
        ("nhu cầu Cần Thơ - Cà Mau", []),
    ],
)
def test_the_end_points_of_a_named_route_are_found(text, ends):
    assert sorted(_ends(text)) == sorted(ends)


def test_a_route_is_named_by_its_noun_and_first_end_point():
    assert route_names(fold("bao nhiêu vốn cho dự án cao tốc Cần Thơ - Cà Mau?")) == ["cao toc can tho"]
    assert route_names(fold("bao nhiêu vốn cho Cà Mau?")) == []
    named = for_route(fold("bao nhiêu vốn cho cao tốc Cần Thơ - Cà Mau"), lambda s: True)
    assert named("Dự án cao tốc Cần Thơ - Cà Mau: 1.200 tỷ đồng")
    assert not named("thu hút 20 dự án đầu tư mới, với tổng số vốn đăng ký 7.285,7 tỷ đồng")


def _card(doc: str, number: str, province: str, title: str) -> DocMeta:
    return DocMeta(
        doc=doc, number=number, doc_type="Kế hoạch", province=province, title=title, date="2025-11-20"
    )


@pytest.fixture(scope="module")
def cat() -> Catalog:
    docs = {
        "ca-mau.md": _card("ca-mau.md", "0204/KH-UBND", "Cà Mau", "Tài chính - ngân sách nhà nước 03 năm"),
        "can-tho.md": _card("can-tho.md", "160/KH-UBND", "Cần Thơ", "Giám sát chương trình giảm nghèo"),
    }
    rows = [Passage(id=f"{d}-1", doc=d, kind="article", text="Căn cứ Luật Ngân sách nhà nước.") for d in docs]
    return Catalog.build(docs, rows)


def test_a_question_about_a_route_asks_its_own_plan_not_a_comparison(cat):
    q = parse_question(
        "Kế hoạch 0204 của Cà Mau bố trí bao nhiêu vốn cho dự án cao tốc Cần Thơ - Cà Mau giai đoạn 2026 - 2028?",
        cat,
    )
    assert q.intent != Intent.COMPARE
    assert q.places == [("province", "Cà Mau")] and q.docs == ["ca-mau.md"]
    # without the route noun, two places joined by a dash are still two plans compared
    q = parse_question("So sánh kế hoạch của Cần Thơ và Cà Mau", cat)
    assert q.intent == Intent.COMPARE


CA_MAU = data_dir() / "vn-provinces" / "ca-mau-0204-kh-ubnd.md"


@pytest.fixture(scope="module")
def assistant(tmp_path_factory):
    if not CA_MAU.is_file():
        pytest.skip(f"the real plans are absent: no file {CA_MAU}")
    # the real embedder: the refusal scorer was fitted on its dense scores
    plans = {CA_MAU.name: CA_MAU.read_text(encoding="utf-8")}
    return inline_assistant(tmp_path_factory.mktemp("routes"), plans, embedder="e5-small")


@pytest.mark.slow
def test_a_figure_the_plan_never_gives_for_the_route_is_refused(assistant):
    ans = assistant.ask(
        "Kế hoạch 0204 của Cà Mau bố trí bao nhiêu vốn cho dự án cao tốc Cần Thơ - Cà Mau giai đoạn 2026 - 2028?"
    )
    assert ans.refused, ans.answer
    # a figure the plan does give is still answered
    ans = assistant.ask("Năm 2025 Cà Mau thu hút bao nhiêu dự án đầu tư mới?")
    assert not ans.refused and has(ans.answer, "20 dự án"), ans.answer
