"""A contact asked (a phone number, an email, a fax, a website) that the answer does not give.

Issue 12, failure class 4: "Số điện thoại của Sở Nông nghiệp và Môi trường là gì?" is answered
with the unit's tasks, "liên hệ ông X qua email nào" with the line naming him. By the convention
of Vietnamese administrative documents a plan gives a contact, when it gives one, as the thing
itself on a line of its own ("Điện thoại: 0214 3840 xxx", "Email: …@laocai.gov.vn", the
"đầu mối liên hệ" line); a passage without the number or the address answers another question.
So when the question asks one of these, the answer (its text and the quotes it cites) must
write a thing of that form; otherwise the plan does not hold it.

This module is also the one home of the telephone vocabulary (how a number is asked, written and
labelled): ``answer.contacts`` finds the line that gives the number with the same patterns.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from assistant.textnorm import fold, nfc

__all__ = ["PHONE_NUMBER", "PHONE_LABEL", "asks_phone", "asks_contact", "contact_unfilled"]

# --- the telephone vocabulary (folded text) --------------------------------------------------
# the question asks a telephone or fax number: "số điện thoại", "SĐT", "số ĐT", "đường dây nóng",
# "hotline", "số fax"
_PHONE_ASK = re.compile(r"\b(?:so )?dien thoai\b|\bsdt\b|\bso dt\b|\bhotline\b|\bduong day nong\b|\bfax\b")
# a Vietnamese telephone number as written: a mobile (0 + 9 digits, "0983 134 682") or a landline
# with its area code (0 + 10 digits, "0214 3840 123"), grouped by spaces, dots or dashes; "+84"
# for the 0. Not a piece of an amount ("10.000.000.000 đồng") or of a document number ("01.6/GĐN"):
# a number neither follows a digit, "/", "." or "," nor runs into a "/"
PHONE_NUMBER = re.compile(r"(?<![\d/.,])(?:\+84|0)\d{2,3}(?:[ .-]?\d){6,8}(?![\d/])")
# the label a document writes before the number ("SĐT:", "ĐT:", "Điện thoại:", "Fax:", "liên hệ")
PHONE_LABEL = re.compile(r"\b(?:sdt|dt|dien thoai|di dong|duong day nong|hotline|fax|lien he)\b")
# asked as a channel, not as the thing to find ("nhắn tin qua điện thoại", "gửi qua email"): the
# question asks for the contact itself ("số điện thoại …", "… email nào / là gì / gì")
_AS_CHANNEL = re.compile(r"\bqua (?:dien thoai|e-?mail|thu dien tu|website|fax)\b")
# the telephone as a device owned or used, not a number asked: the digital-transformation targets
# count "tỷ lệ dân số trưởng thành có điện thoại thông minh", "thuê bao điện thoại di động"
_AS_DEVICE = re.compile(
    r"\bdien thoai thong minh\b|\bthue bao (?:dien thoai|di dong)\b"
    r"|\b(?:co|su dung|dung|so huu|trang bi) (?:may )?dien thoai(?: (?:di dong|co dinh))?\b"
)

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_WEB = re.compile(r"\bhttps?://|\bwww\.|\b[\w-]+(?:\.[\w-]+)*\.(?:gov\.vn|vn|com|org)\b", re.IGNORECASE)
# what is asked (folded question) → what gives it (answer text as written)
_ASKS: tuple[tuple[re.Pattern[str], re.Pattern[str]], ...] = (
    (_PHONE_ASK, PHONE_NUMBER),
    (re.compile(r"\be-?mail\b|\bthu dien tu\b"), _EMAIL),
    # a portal ("Cổng Thông tin điện tử tỉnh", "Trang thông tin điện tử") is also a body that is
    # given tasks ("… và Cổng Thông tin điện tử Đồng Tháp phải làm gì"): its address is asked only
    # as an address ("địa chỉ …", "tên miền"); the loanword "website" asks the site itself
    (
        re.compile(r"\bwebsite\b|\btrang web\b|\bten mien\b|\bdia chi (?:trang|cong) thong tin dien tu\b"),
        _WEB,
    ),
)


def _folded(question: str) -> str:
    return _AS_DEVICE.sub(" ", _AS_CHANNEL.sub(" ", fold(nfc(question)).lower()))


def asks_phone(question: str) -> bool:
    """The question (as typed or folded) asks a telephone or fax number itself."""
    return bool(_PHONE_ASK.search(_folded(question)))


def _asked(question: str) -> list[re.Pattern[str]]:
    q = _folded(question)
    return [given for ask, given in _ASKS if ask.search(q)]


def asks_contact(question: str) -> bool:
    """The question asks a phone number, an email, a fax or a website."""
    return bool(_asked(question))


def contact_unfilled(question: str, texts: Iterable[str]) -> bool:
    """True when the question asks a contact and none of ``texts`` writes one of that form."""
    asked = _asked(question)
    if not asked:
        return False
    written = "\n".join(texts)
    return not any(given.search(written) for given in asked)
