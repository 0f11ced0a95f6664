"""The fields of a document's header, read into a ``Part``.

A Vietnamese administrative document (Nghị định 30/2020/NĐ-CP, Phụ lục I) prints its
header in a fixed order: the issuer (left) beside the national motto (right), "Số: …"
beside the place and date, the document type ("KẾ HOẠCH") and the title, and for an
attached document "(Kèm theo Quyết định số … ngày …)".  A letter (công văn) has a
"V/v …" subject line and a "Kính gửi:" list instead of a type line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from ..records import Block
from ..textnorm import fold
from ..vocab.data import abbreviation_entries
from .patterns import (
    DATE_LINE,
    doc_type_from_number,
    doc_type_of,
    is_enacting_authority,
    is_issuer_line,
    is_motto,
    is_number_line,
    is_separator,
    is_structural,
    is_table_rule,
    is_upper,
)
from .units import provinces

__all__ = [
    "Part",
    "NUMBER_IN",
    "SUBJECT",
    "parse_date",
    "parse_number",
    "smart_case",
    "bare",
    "header_line",
    "title_open_after",
    "end_header",
    "attached_line",
]

_ATTACHED = re.compile(r"^\(?\s*(?:Ban hành\s+)?[Kk]èm theo\s+(?P<what>.+?)\)?\s*$")
_DATE_IN = re.compile(
    r"ngày\s*(?P<d>\d{1,2})?\s*(?:tháng|/)\s*(?P<m>\d{1,2})?\s*(?:năm|/)\s*(?P<y>\d{4})", re.I
)
# "Số: 183/KH-UBND", "Số : 62/2006/QĐ-UBND" (documents before 2021 put the year in the number)
NUMBER_IN = re.compile(
    r"\bsố\s*:?\s*(?P<num>(?:\d[\d.]*)?\s*/\s*(?:\d{4}\s*/\s*)?[A-ZĐ][\wĐđ.&]*"
    r"(?:\s*-\s*[\wĐđ.&]+)*)",
    re.I,
)
# "V/v hưởng ứng …": the subject line of a công văn, printed under its number
SUBJECT = re.compile(r"^(?:V/v|V/V|Về việc)\s*:?\s*(?P<t>\S.*)$")
_ADDRESSEES = re.compile(r"^Kính gửi\s*:?\s*(?P<rest>.*)$")


@dataclass
class Part:
    doc_type: str | None = None
    title: str = ""
    number: str | None = None
    number_text: str | None = None
    date: str | None = None
    date_text: str | None = None
    place: str | None = None
    issuer_lines: list[str] = field(default_factory=list)
    attached_to: dict | None = None  # from "(Kèm theo Quyết định số … ngày …)"
    body: list[Block] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)
    authority: list[str] = field(default_factory=list)  # "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH"
    position: str | None = None
    signer: str | None = None
    start: int = 0
    addressing: bool = False  # reading the "Kính gửi:" list of a letter


def parse_date(text: str) -> tuple[str | None, str | None]:
    """("2024-05-23", "ngày 23 tháng 5 năm 2024"); partial dates keep what is written."""
    m = _DATE_IN.search(text)
    if not m:
        return None, None
    y, mo, d = m.group("y"), m.group("m"), m.group("d")
    iso = y + (f"-{int(mo):02d}" + (f"-{int(d):02d}" if d else "") if mo else "")
    return iso, re.sub(r"\s+", " ", m.group(0)).strip()


def parse_number(text: str) -> tuple[str | None, str | None]:
    """("183/KH-UBND", "Số: 183/KH-UBND"); a blank number ("Số: /KH-UBND") gives (None, text)."""
    m = NUMBER_IN.search(text)
    if not m:
        return None, None
    num = re.sub(r"\s+", "", m.group("num"))
    return (num if num[:1].isdigit() else None), re.sub(r"\s+", " ", m.group(0)).strip()


def smart_case(text: str) -> str:
    """An all-capitals title in sentence case, keeping names, numbers and abbreviations."""
    if not is_upper(text):
        return text
    out = []
    for w in text.split():
        core = w.strip(',.;:()"“”')
        keep = re.search(r"[\d/&]", core) or core in _abbreviations()
        out.append(w if keep else w.lower())
    s = " ".join(out)
    # proper names: provinces and the country keep their capitals
    for name in sorted(set(provinces().values()) | {"Việt Nam", "Hồ Chí Minh"}, key=len, reverse=True):
        # "Bà Rịa - Vũng Tàu" is also written with an en dash
        pat = r"\s*[-–—]\s*".join(re.escape(x.strip()) for x in name.lower().split("-"))
        s = re.sub(
            rf"(?<!\w){pat}(?!\w)", lambda m: name if "–" not in m.group(0) else name.replace("-", "–"), s
        )
    s = re.sub(
        r"\b(kế hoạch|quyết định|nghị quyết|kết luận|chỉ thị)(?= số \d)", lambda m: m.group(1).capitalize(), s
    )
    return s[:1].upper() + s[1:]


@lru_cache(maxsize=1)
def _abbreviations() -> frozenset[str]:
    entries = abbreviation_entries()
    return frozenset(s for e in entries for s in e["short"]) | {"UBND", "HĐND", "TW", "XHCN"}


def _doc_type_name(dt: str) -> str:
    return dt.capitalize()


def bare(text: str) -> str:
    return text.strip().strip("|").strip()


def title_open_after(cur: Part, b: Block) -> bool:
    return bool(cur.title) and (b.bold or is_upper(b.text)) and len(cur.title) < 400


def _title_continues(title: str, b: Block) -> bool:
    """Is this line more of the title, or the first sentence of the body (no "Căn cứ" before it)?"""
    t = b.text.strip()
    if is_upper(title) and not is_upper(t):
        return False  # mixed case after an all-capitals title
    if re.match(r"^(Năm|Ngày|Tháng|Quý)\s+[\dIV]", t) and "," in t[:20]:
        return False  # "Năm 2017, tình hình …"
    if t.endswith(":") or (t.endswith(".") and len(t) > 60):
        return False  # a sentence, not a heading
    return True


# the short rule printed under the issuer's name and under the motto (Nghị định 30/2020/NĐ-CP, Phụ
# lục I); a web page's table cell loses its line break and keeps it after the name: "ỦY BAN NHÂN DÂN
# TỈNH THANH HÓA -------"
_TRAILING_RULE = re.compile(r"\s+[-_=~]{3,}\s*$")


def header_line(cur: Part, b: Block, title_open: bool) -> bool:
    """Consume one header block into ``cur``; False when the body starts here."""
    t = _TRAILING_RULE.sub("", bare(b.text))
    if not t or is_separator(t) or is_motto(t) or is_table_rule(b.text):
        return True
    if _addressees(cur, b, t):
        return True
    if is_number_line(t):
        cur.number, cur.number_text = parse_number(t)
        cur.number_text = cur.number_text or t
        return True
    m = DATE_LINE.match(t)
    if m:
        cur.place = m.group("place").strip()
        cur.date, cur.date_text = parse_date(t)
        return True
    a = _ATTACHED.match(t)
    if a and cur.doc_type:
        cur.attached_to = _attached(t, a.group("what"))
        return True
    if cur.doc_type is None:
        return _before_doc_type(cur, b, t)
    if is_enacting_authority(t):
        # "ỦY BAN NHÂN DÂN TỈNH X" under a decision's title repeats the issuer; it completes a header
        # that lost its second line ("ỦY BAN NHÂN DÂN" alone)
        name = re.sub(r"^CHỦ TỊCH\s+", "", t)
        if not cur.issuer_lines or (
            fold(name).startswith(fold(" ".join(cur.issuer_lines)))
            and len(name) > len(" ".join(cur.issuer_lines))
        ):
            cur.issuer_lines = [name]
        return True
    if is_structural(t) or re.match(r"^(Căn cứ|Thực hiện|Theo|Xét|Trên cơ sở|Nhằm)\b", t):
        return False
    if not cur.title:
        cur.title = t
        return True
    if title_open and _title_continues(cur.title, b):
        cur.title = cur.title + " " + t
        return True
    return False


def _before_doc_type(cur: Part, b: Block, t: str) -> bool:
    dt = doc_type_of(t)
    if dt:
        cur.doc_type = _doc_type_name(dt[0])
        cur.title = dt[1]
        return True
    s = SUBJECT.match(t)
    if s and (cur.number_text or cur.date):
        subject = s.group("t")
        cur.doc_type, cur.title = "Công văn", subject[:1].upper() + subject[1:]  # the letter's subject line
        return True
    if cur.date is None and is_issuer_line(t):
        cur.issuer_lines.append(t)  # the issuer stands left of (before) the number and the date
        return True
    code_type = doc_type_from_number(cur.number or cur.number_text)
    if code_type and (cur.date or cur.number) and (b.bold or is_upper(t)) and not is_structural(t):
        cur.doc_type, cur.title = code_type, t  # no "KẾ HOẠCH" line: the capitals line is the title
        return True
    return False


def _addressees(cur: Part, b: Block, t: str) -> bool:
    """ "Kính gửi: …" names the recipients of a letter, in the header."""
    m = _ADDRESSEES.match(t)
    if m:
        if m.group("rest").strip():
            cur.recipients.append(m.group("rest").rstrip(";.").strip())
        cur.addressing = True
        return True
    if cur.addressing and b.kind == "list_item":
        # an en dash is Word's autocorrected hyphen bullet of the list (Nghị định 30/2020/NĐ-CP, Phụ lục I)
        cur.recipients.append(re.sub(r"^[-+•*–]\s*", "", t).rstrip(";.").strip())
        return True
    cur.addressing = False
    return False


def _attached(t: str, what: str) -> dict:
    num, num_text = parse_number(what)
    date, date_text = parse_date(what)
    dt = re.match(r"(Kế hoạch|Quyết định|Nghị quyết|Chương trình|Công văn|Thông báo)", what, re.I)
    issuer = re.search(r"\bcủa\s+(.+?)\)?$", what)
    return {
        "doc_type": dt.group(1).capitalize() if dt else None,
        "number": num,
        "number_text": num_text,
        "date": date,
        "date_text": date_text,
        "issuer": issuer.group(1).strip() if issuer else None,
        "text": t.strip("()"),
    }


def attached_line(t: str) -> dict | None:
    """ "(Kèm theo Kế hoạch số …/KH-SCT ngày …)": the document an annex is attached to, else None."""
    a = _ATTACHED.match(t.strip())
    return _attached(t.strip(), a.group("what")) if a else None


def end_header(cur: Part) -> None:
    """No "KẾ HOẠCH" line: the type code of the number says what the document is ("/KH-" → Kế hoạch)."""
    if cur.doc_type is None:
        cur.doc_type = doc_type_from_number(cur.number or cur.number_text)
