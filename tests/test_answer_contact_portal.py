"""A portal is a body given tasks as well as an address (``answer.contact``): "Cổng Thông tin điện
tử Đồng Tháp phải làm gì" asks its tasks (corpus Q081 was refused as a website asked and not
given); its address is asked as an address."""

from __future__ import annotations

import pytest

from assistant.answer.contact import asks_contact, contact_unfilled


@pytest.mark.parametrize(
    "question",
    [
        "Các cơ quan báo chí và Cổng Thông tin điện tử Đồng Tháp phải làm gì theo kế hoạch thông tin đối ngoại 2024?",
        "Trang thông tin điện tử của huyện đăng tải những nội dung nào?",
    ],
)
def test_a_portal_given_tasks_asks_no_address(question):
    assert not asks_contact(question)
    assert not contact_unfilled(question, ["Đăng tải tin, bài về hoạt động đối ngoại của tỉnh."])


@pytest.mark.parametrize(
    "question",
    [
        "Địa chỉ cổng thông tin điện tử của Sở là gì?",
        "Website của Sở Công Thương là gì?",
        "Tên miền trang thông tin của dự án là gì?",
    ],
)
def test_an_address_asked(question):
    assert asks_contact(question)
    assert contact_unfilled(question, ["Sở Công Thương đăng tải kế hoạch."])
    assert not contact_unfilled(question, ["Cổng thông tin: https://sct.laocai.gov.vn"])
