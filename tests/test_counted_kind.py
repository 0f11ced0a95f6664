"""A figure answers "bao nhiêu <noun> <kind>" only when it counts that kind (issue 12, class 4):
"bao nhiêu mỏ vàng" is not answered by "05 mỏ khoáng sản làm vật liệu xây dựng", which counts
another kind of mine; the same sentence answers "bao nhiêu mỏ khoáng sản", and a noun the plan
leaves bare ("(100 người), cụ thể") answers a count of it however the question qualifies it."""

from __future__ import annotations

import pytest
from _small import inline_assistant

from assistant.answer.numbers import counted_near

PLAN = """ỦY BAN NHÂN DÂN TỈNH LÀO CAI
Số: 11/KH-UBND
KẾ HOẠCH
Triển khai thực hiện công tác quản lý khoáng sản năm 2026

I. MỤC TIÊU
1. Phấn đấu trung bình mỗi năm tổ chức đấu giá từ 05 mỏ khoáng sản làm vật liệu xây dựng thông thường trở lên.
2. Tổ chức kiểm tra an toàn cho người lao động tại các mỏ.
"""


def test_a_count_of_another_kind_does_not_fill_the_figure():
    mines = counted_near("moi nam to chuc dau gia bao nhieu mo vang?", "mo")
    assert not mines("Phấn đấu mỗi năm tổ chức đấu giá từ 05 mỏ khoáng sản làm vật liệu xây dựng.")
    assert mines("Mỗi năm đấu giá 03 mỏ vàng.")
    people = counted_near("co bao nhieu nguoi tham du?", "nguoi")
    assert people("Đối tượng: Theo danh sách đơn vị đăng ký (100 người), cụ thể:")
    assert people("Tổ chức cho 100 người tham dự.")
    assert not people("Hỗ trợ 100 người lao động.")


@pytest.fixture(scope="module")
def assistant(tmp_path_factory):
    return inline_assistant(tmp_path_factory.mktemp("counted"), {"lc-11.txt": PLAN})


def test_a_mine_kind_the_plan_never_counts_is_refused(assistant):
    ans = assistant.ask("Theo kế hoạch 11, mỗi năm phải tổ chức đấu giá bao nhiêu mỏ vàng?")
    assert ans.refused, ans.answer
    ans = assistant.ask("Theo kế hoạch 11, mỗi năm phải tổ chức đấu giá bao nhiêu mỏ khoáng sản?")
    assert not ans.refused and "05 mỏ" in ans.answer, ans.answer


def test_a_bare_count_or_a_relation_after_the_noun_still_answers():
    # "bao nhiêu điểm tại vùng nuôi": "tại" relates the count to a place, it names no kind
    points = counted_near("lay mau quan trac o bao nhieu diem tai vung nuoi tom nuoc lo?", "diem")
    assert points("Số điểm quan trắc: 08 điểm, trong đó: 06 điểm vùng nước cấp và 02 ao nuôi đại diện.")
    mines = counted_near("bao nhieu mo vang?", "mo")
    assert mines("Trong năm, 03 mỏ, trong đó 01 mỏ đá.")
