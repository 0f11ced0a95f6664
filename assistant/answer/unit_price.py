"""A price per item asked ("mỗi tin nhắn giá bao nhiêu đồng") that the plan only gives as a total.

A Vietnamese cost estimate (dự toán kinh phí) writes each line as "Nội dung | Đơn vị tính | Số
lượng | Đơn giá | Thành tiền", or in prose as a rate ("150.000 đồng/người/ngày", "21.000
đồng/lít"). A line that gives only its "Thành tiền" (a lump sum: "Thuê dịch vụ tin nhắn | Thành
tiền: 50.000.000") says what the whole costs, not what one item costs; answering a price per item
with it states a figure the plan never gives. A period ("mỗi năm", "mỗi đợt") is no item: an
estimate made for a year writes its yearly amounts as its totals.
"""

from __future__ import annotations

import re

from assistant.records import Answer
from assistant.textnorm import fold, nfc

__all__ = ["price_per_item_missing"]

# periods a budget is drawn up for: their amounts are the lines' totals
_PERIODS = frozenset({"nam", "thang", "quy", "tuan", "ngay", "dot", "ky", "lan", "giai", "dip", "buoi"})
# "mỗi <item>" as typed; typed without diacritics, "moi" is also "môi" ("môi trường") and "mới"
# (new: "mới nhất", "dự án mới được"), "mot" also "một số" (some): those readings are left out
_EACH = re.compile(r"(?<!\w)(mỗi|một) (\w+)")
_EACH_PLAIN = re.compile(r"\b(moi|mot) ([a-z]+)")
_NOT_EACH = frozenset({"so", "truong", "nhat", "duoc", "co", "la", "day", "den"})


def _each_item(question: str) -> bool:
    text = nfc(question).lower()
    typed = fold(text) != text  # with diacritics, "mỗi" is read as typed
    pairs = _EACH.findall(text) if typed else _EACH_PLAIN.findall(text)
    skip = _PERIODS | ({"so"} if typed else _NOT_EACH)
    return any(fold(word) not in skip for _, word in pairs)


_MONEY_ASKED = re.compile(
    r"\b(?:bao nhieu (?:tien|dong)|(?:gia|tri gia|chi phi|muc chi|le phi) (?:la )?bao nhieu|"
    r"co gia|tri gia|gia bao nhieu)\b"
)
_UNIT_PRICE_ASKED = re.compile(r"\bdon gia\b")
# the price of one item in the line cited: its "Đơn giá" cell, or an amount per unit ("150.000
# đồng/người/ngày", "21.000 đồng/lít"), or an amount in a clause that names the item it is for
# ("Mỗi hộ được hỗ trợ 2.000.000 đồng", "20 triệu đồng cho mỗi lớp": a rate written in words). An
# amount per period ("50.000.000 đồng/năm", "… đồng mỗi năm") is a budget line's total, as in the
# question: no item's price
_UNIT_PRICE = re.compile(r"\bdon gia\b")
_AMOUNT = r"\d[\d.,]*\s*(?:trieu |nghin |ngan |ty )?dong\b"
_PER = re.compile(rf"{_AMOUNT}\s*/\s*([a-z]+)")
_EACH_CLAUSE = re.compile(rf"\bmoi ([a-z]+)\b[^;.]*?{_AMOUNT}|{_AMOUNT}[^;.]*?\bmoi ([a-z]+)\b")


def _priced_each(line: str) -> bool:
    per = [m.group(1) for m in _PER.finditer(line)]
    each = [m.group(1) or m.group(2) for m in _EACH_CLAUSE.finditer(line)]
    return any(item not in _PERIODS for item in per + each)


def price_per_item_missing(question: str, folded_question: str, ans: Answer) -> bool:
    """True when the question asks what one item costs and no cited line gives a price per item."""
    q = folded_question
    asked = _UNIT_PRICE_ASKED.search(q) or (_each_item(question) and _MONEY_ASKED.search(q))
    if not asked or ans.refused or not ans.citations:
        return False
    lines = [fold(c.quote or c.text).lower() for c in ans.citations]
    return not any(_UNIT_PRICE.search(line) or _priced_each(line) for line in lines)
