"""A province a loaded plan is issued for is a scope, not a name inside a plan (``answer.names``).

A follow-up "Còn kế hoạch 0130 của Đắk Lắk thì sao?" asks the earlier turn's question, whose text
names the earlier province (Cần Thơ), of a Đắk Lắk plan that never writes "Cần Thơ": the earlier
province must not read as a commune or work the plan lacks (dev r704 was refused so)."""

from __future__ import annotations

from _inline import article

from assistant.answer.absence import build_vocabulary
from assistant.answer.names import unwritten_names
from assistant.records import DocMeta

DOC = "dak-lak-0130-kh-ubnd.md"
FUNDS = (
    "Kinh phí thực hiện: từ ngân sách tỉnh, ngân sách địa phương theo phân cấp; nguồn dự phòng "
    "phòng chống thiên tai và dịch bệnh trên địa bàn tỉnh Đắk Lắk."
)
VOCAB = build_vocabulary(
    [article("p1", DOC, ("V. KINH PHÍ",), FUNDS)],
    {DOC: DocMeta(doc=DOC, title="Kế hoạch phòng, chống dịch bệnh sau lũ", province="Đắk Lắk")},
)
ASKED = "Kinh phí thực hiện kế hoạch 160 của Cần Thơ lấy từ nguồn nào?"


def test_a_loaded_province_is_no_unwritten_name() -> None:
    # without the loaded places, "Cần Thơ" reads as a name the plan never writes
    assert unwritten_names(ASKED, [DOC], VOCAB) == ["can tho"]
    assert unwritten_names(ASKED, [DOC], VOCAB, places=["Cần Thơ", "Đắk Lắk"]) == []


def test_a_commune_is_still_read_beside_the_scopes() -> None:
    asked = "Kế hoạch 0130 hỗ trợ xã Ea Kly những gì?"
    assert unwritten_names(asked, [DOC], VOCAB, places=["Cần Thơ", "Đắk Lắk"]) == ["ea kly"]
