"""A contact asked (a phone number, an email, a fax, a website) that the answer does not give.

Issue 12, failure class 4: "Số điện thoại của Sở Nông nghiệp và Môi trường là gì?" is answered
with the unit's tasks, "liên hệ ông X qua email nào" with the line naming him. By the convention
of Vietnamese administrative documents a plan gives a contact, when it gives one, as the thing
itself on a line of its own ("Điện thoại: 0214 3840 xxx", "Email: …@laocai.gov.vn", the
"đầu mối liên hệ" line); a passage without the number or the address answers another question.
So when the question asks one of these, the answer (its text and the quotes it cites) must
write a thing of that form; otherwise the plan does not hold it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from assistant.textnorm import fold, nfc

__all__ = ["asks_contact", "contact_unfilled"]

# what is asked (folded question) → what gives it (answer text as written)
_PHONE = re.compile(r"(?<!\d)(?:\+?84|0)\d(?:[ .-]?\d){7,10}(?!\d)")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_WEB = re.compile(r"\bhttps?://|\bwww\.|\b[\w-]+(?:\.[\w-]+)*\.(?:gov\.vn|vn|com|org)\b", re.IGNORECASE)
_ASKS: tuple[tuple[re.Pattern[str], re.Pattern[str]], ...] = (
    (re.compile(r"\b(?:so )?dien thoai\b|\bsdt\b|\bhotline\b|\bduong day nong\b|\bso fax\b|\bfax\b"), _PHONE),
    (re.compile(r"\be-?mail\b|\bthu dien tu\b"), _EMAIL),
    # a portal ("Cổng Thông tin điện tử tỉnh", "Trang thông tin điện tử") is also a body that is
    # given tasks ("… và Cổng Thông tin điện tử Đồng Tháp phải làm gì"): its address is asked only
    # as an address ("địa chỉ …", "tên miền"); the loanword "website" asks the site itself
    (
        re.compile(r"\bwebsite\b|\btrang web\b|\bten mien\b|\bdia chi (?:trang|cong) thong tin dien tu\b"),
        _WEB,
    ),
)
# asked as the thing to find, not as a channel ("nhắn tin qua điện thoại", "gửi qua email"): the
# question asks for the contact itself ("số điện thoại …", "… email nào / là gì / gì")
_AS_CHANNEL = re.compile(r"\bqua (?:dien thoai|e-?mail|thu dien tu|website|fax)\b")


def _asked(question: str) -> list[re.Pattern[str]]:
    q = fold(nfc(question)).lower()
    q = _AS_CHANNEL.sub(" ", q)
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
