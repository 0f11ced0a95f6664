"""One telephone vocabulary (``answer.contact``) for the refusal rule and the number's line.

Session 23 left two copies: ``answer.contacts.phone_fact`` and ``answer.contact.contact_unfilled``
each read "số điện thoại / liên hệ" and a number with their own patterns, and they disagreed (one
took "nhắn tin qua điện thoại" as a number asked, the other took the tail of an amount
"10.000.000.000 đồng" for a number given).
"""

from __future__ import annotations

import pytest

from assistant.answer import contact, contacts
from assistant.answer.contact import asks_contact, asks_phone, contact_unfilled


def test_one_vocabulary_for_both_modules():
    assert contacts.asks_phone is contact.asks_phone
    assert contacts.PHONE_NUMBER is contact.PHONE_NUMBER  # the line finder's number is the rule's


@pytest.mark.parametrize(
    "question",
    [
        "Số điện thoại của tổ kiểm tra là bao nhiêu?",
        "sdt cua truong doan la gi",
        "so dt lien he cua so cong thuong",
        "Đường dây nóng tiếp nhận phản ánh là số nào?",
        "Số fax của Văn phòng UBND tỉnh là gì?",
    ],
)
def test_a_number_asked_by_both(question):
    assert asks_phone(question) and asks_contact(question)


@pytest.mark.parametrize(
    "question",
    [
        # Đắk Lắk 0134 tells farmers "qua điện thoại di động": the channel, not a number asked
        "Kết quả quan trắc được báo cho người nuôi qua điện thoại thế nào?",
        # the device counted by a digital-transformation target: no number asked (a contact rule
        # reading "điện thoại" alone refused these; the answer is a percentage)
        "Đến năm 2030 bao nhiêu phần trăm dân số trưởng thành có điện thoại thông minh?",
        "ty le ho gia dinh su dung dien thoai di dong la bao nhieu",
        "Tỉnh đặt mục tiêu bao nhiêu thuê bao điện thoại di động?",
    ],
)
def test_a_channel_or_a_device_is_no_number_asked_by_either(question):
    assert not asks_phone(question) and not asks_contact(question)
    assert not contact_unfilled(question, ["đạt 85% dân số trưởng thành"])


def test_a_mobile_number_asked_stays_asked():
    assert asks_phone("Số điện thoại di động của ông Đỗ Mạnh Cường là gì?")
    assert asks_phone("Điện thoại của Văn phòng Sở là bao nhiêu?")


@pytest.mark.parametrize(
    ("texts", "unfilled"),
    [
        (["Tổng kinh phí: 10.000.000.000 đồng"], True),  # an amount's tail is no number
        (["Văn bản số 01.6/GĐN/KSYB ngày 10/6/2026"], True),  # nor a document number
        (["Thông tin liên hệ: Ông Đỗ Mạnh Cường, SĐT: 0983 134 682"], False),
        (["Điện thoại: 0214.3840.123"], False),
    ],
)
def test_a_number_given_or_not(texts, unfilled):
    assert contact_unfilled("Số điện thoại liên hệ là bao nhiêu?", texts) is unfilled
