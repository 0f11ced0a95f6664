"""Classes found by session 23's fresh dev questions on the provinces' plans (r1001–r1015, written
before the assistant was run on them): tiny inline plans written the way Vietnamese plans are,
with exact expected answers."""

from __future__ import annotations

import pytest
from _small import has, inline_assistant

from assistant.answer.enumerations import enumerations
from assistant.records import Passage

# Đồng Tháp 556 (dev), r1007: the items follow a count ("4 ngành công nghiệp chính:") at the end of
# a sentence far longer than a lead-in
INDUSTRY = (
    "- Phát triển công nghiệp, cảng biển, trung tâm logistics: Tiếp tục mời gọi đầu tư lấp đầy các "
    "khu, cụm công nghiệp vùng phía Đông của tỉnh dọc sông Soài Rạp và đổi mới trên 4 ngành công "
    "nghiệp chính: dịch vụ cảng, hậu cần, công nghệ xanh và tài chính. Các lĩnh vực chính bao gồm "
    "hải cảng, logistics sau cảng và các khu công nghiệp hậu cảng, đóng tàu."
)

PLAN_556 = f"""ỦY BAN NHÂN DÂN TỈNH ĐỒNG THÁP
Số: 556/KH-UBND
Đồng Tháp, ngày 19 tháng 11 năm 2025
KẾ HOẠCH
Thực hiện chiến lược khai thác, sử dụng bền vững tài nguyên biển và hải đảo

III. NHIỆM VỤ VÀ GIẢI PHÁP CHỦ YẾU
1. Công tác tuyên truyền
- Tuyên truyền sâu rộng chiến lược với nhiều hình thức phù hợp với từng đối tượng.
2. Tập trung hoàn thiện các quy hoạch, kế hoạch liên quan đến biển và hải đảo
- Triển khai thực hiện quy hoạch các khu vực cần bảo vệ nguồn lợi thủy sản.
{INDUSTRY}
- Tăng cường đầu tư xây dựng, nâng cấp các cảng cá, khu neo đậu tránh trú bão cho tàu cá.
"""


def _passage(text: str) -> Passage:
    return Passage(id="x", doc="t.md", kind="article", section=("III. NHIỆM VỤ", "2. Quy hoạch"), text=text)


def test_a_counted_lead_in_announces_its_items_however_long_the_sentence():
    (enum,) = [e for e in enumerations(_passage(INDUSTRY)) if "dịch vụ cảng" in e.items]
    assert enum.items == ("dịch vụ cảng", "hậu cần", "công nghệ xanh", "tài chính")


def test_a_count_that_is_not_the_number_of_items_announces_nothing():
    text = INDUSTRY.replace("4 ngành", "3 ngành")
    assert not [e for e in enumerations(_passage(text)) if "dịch vụ cảng" in e.items]


@pytest.fixture(scope="module")
def assistant(tmp_path_factory):
    return inline_assistant(tmp_path_factory.mktemp("s23p"), {"dt-556.md": PLAN_556})


def test_the_counted_items_answer_which_ones(assistant):
    ans = assistant.ask(
        "Theo kế hoạch 556, các khu, cụm công nghiệp vùng phía Đông đổi mới trên những ngành công nghiệp chính nào?"
    )
    assert not ans.refused
    for item in ("dịch vụ cảng", "hậu cần", "công nghệ xanh", "tài chính"):
        assert has(ans.answer, item), ans.answer
    assert not has(ans.answer, "hải cảng"), ans.answer
