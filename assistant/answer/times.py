"""Times in a plan's text: a task's labelled time cell, the dates of cited documents (no task's
time), and a time span's start written alone."""

from __future__ import annotations

import re

from assistant.textnorm import fold

__all__ = [
    "asks_document_date",
    "cited_date_in",
    "cited_dates_removed",
    "starts_only",
    "time_cell",
    "ASK_END",
    "ASK_SPAN",
    "is_span",
    "PLACE_DATE",
]

# The plan's own date line, under the national motto: "Bắc Ninh, ngày 20 tháng 11 năm 2025"
# (địa danh, ngày … tháng … năm …, Nghị định 30/2020/NĐ-CP, Phụ lục I). It opens a line with
# a place name and a comma; a cited document's date follows its number instead.
PLACE_DATE = re.compile(
    r"(?m)^[\s*_]*[A-ZĐÀ-Ỹ][^\n,;:.]{1,40},\s*(ngày\s+\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4})"
)

# A cited document is dated where it is named: "Chỉ thị số 21/CT-TTg ngày 25 tháng 11 năm 2022",
# "Văn bản số 1230/MĐV-ATMT ngày 20/5/2026" (the citation form of Vietnamese administrative
# documents, Nghị định 30/2020/NĐ-CP; a unit's symbol may join two offices with "&":
# "Công văn số 8935/BNV-CTTN&BĐG"). That date belongs to the cited document, never to a task.
_CITED_DATE = re.compile(
    r"\b(?:so\s*)?\d+[a-z0-9./-]*/[a-z0-9/.&-]+\s*,?\s*(?:cua\s+[^,;.]{0,60}?\s*)?"
    r"ngay\s+\d{1,2}(?:\s*/\s*\d{1,2}\s*/\s*\d{4}|\s+thang\s+\d{1,2}\s+nam\s+\d{4})"
)
# A labelled time cell of a plan's task table ("… | Thời gian thực hiện: Xong trong tháng
# 5/2026"), as the loader writes a row: the column header, then its cell (ingest/tables.py),
# or a labelled line of the body ("1. Thời gian: 1,5 ngày (bắt đầu từ 13h30 …)").
_TIME_CELL = re.compile(
    r"(?:^|\|)\s*(?:(?:\d{1,2}|[a-zđ])[.)]\s*)?((?:Thời gian|Thời hạn|Tiến độ|Hạn)[^:|\n]{0,30}):\s*([^|\n]+(?:\n(?![ \t]*(?:[-+•]|\d{1,2}[.)]\s))[^|\n]+)?)",
    re.IGNORECASE,
)
# "kết thúc lúc mấy giờ", "đến khi nào": the end of a span is asked
ASK_END = re.compile(r"\b(ket thuc|den khi nao|den bao gio|den luc nao|den ngay nao|xong khi nao)\b")
# a span written "Từ 13h30' ngày 02/6/2026" gives its start; its end is written "đến …", "kết thúc …"
_FROM = re.compile(r"\btu\s+(?:\d|ngay|thang|nam|quy|luc)")
_TO = re.compile(r"\b(den|toi|ket thuc|hoan thanh|xong|truoc)\b")


# "Công ty X gửi văn bản đề nghị vào ngày nào?", "Tờ trình của Sở Y đề ngày nào?": the date asked
# is that of a document the plan cites, named by its kind or its sender rather than its number;
# a plan writes it where it cites the document ("… tại Văn bản số 30.6/GĐN-ĐQ&V ngày 30/6/2026").
# "Kế hoạch" is the plan itself (its header card), and "trước ngày nào" asks a deadline
_DOCUMENT_ASKED = re.compile(
    r"\b(van ban|cong van|to trinh|quyet dinh|nghi quyet|nghi dinh|thong tu|chi thi|thong bao|"
    r"giay de nghi|ket luan|thong tri)\b"
)
_DAY_ASKED = re.compile(r"\b(ngay nao|ngay bao nhieu|ngay may)\b")
# the document is asked as one sent or issued ("gửi văn bản …", "ban hành", "ký ngày", "đề
# ngày"): a document the plan implements ("kế hoạch Chỉ thị 11 … xong khi nào") or an event of
# its schedule ("quyết định kiểm tra được công bố ngày nào") asks no cited document's date
_ISSUED_ASKED = re.compile(r"\b(gui|ban hanh|ky ngay|de ngay)\b")
_DEADLINE_ASKED = re.compile(r"\b(truoc ngay|han chot|han cuoi|cham nhat|thoi han|han nop)\b")


# "Chiến lược dữ liệu … được UBND Thành phố phê duyệt ngày nào?": a strategy, scheme, programme
# or planning is approved by a decision ("Quyết định … về việc phê duyệt …"), and a plan that
# names it cites that decision with its number and date ("… được UBND Thành phố phê duyệt tại
# Quyết định số 1229/QĐ-UBND ngày 28/02/2025"); "được … phê duyệt" is done, so the date asked is
# that decision's, never a task's time. "phải / cần / sẽ được phê duyệt" is a task still to do.
_APPROVED_ASKED = re.compile(r"(?<!phai )(?<!can )(?<!se )\bduoc\b(?:\s+[a-z0-9]+){0,4}?\s+phe duyet\b")


def asks_document_date(folded_question: str) -> bool:
    """The question asks the date of a cited document it names by kind or sender, or the date
    something was approved (the approving decision's, cited in the plan)."""
    f = folded_question
    named = bool(_DOCUMENT_ASKED.search(f) and _ISSUED_ASKED.search(f))
    return bool(
        (named or _APPROVED_ASKED.search(f)) and _DAY_ASKED.search(f) and not _DEADLINE_ASKED.search(f)
    )


def cited_date_in(seg: str) -> bool:
    """The segment dates a document it cites ("Văn bản số 1230/MĐV-ATMT ngày 20/5/2026")."""
    return bool(_CITED_DATE.search(fold(seg)))


def cited_dates_removed(seg: str) -> str:
    """``seg`` folded, without the dates that are not a task's time: those of the documents it
    cites ("số 21/CT-TTg ngày …") and the plan's own place-and-date line ("Cần Thơ, ngày …")."""
    return _CITED_DATE.sub(" ", fold(PLACE_DATE.sub(" ", seg)))


def time_cell(text: str) -> tuple[str, str] | None:
    """(label, value) of a task row's time cell ("Thời gian thực hiện", "Xong trong Quý II/2026")."""
    m = _TIME_CELL.search(text)
    if not m:
        return None
    # a hard-wrapped cell goes on for one more line; "*…*" is markdown emphasis, not text
    value = " ".join(m.group(2).replace("*", " ").split())
    return (m.group(1).strip(), value) if len(value) >= 3 else None


# "từ ngày nào đến ngày nào": a span is asked, its start and its end
ASK_SPAN = re.compile(r"\btu (?:ngay|thang|nam|luc|khi) nao\b.*\bden (?:ngay|thang|nam|luc|khi) nao\b")
# a span as plans write it: "Từ ngày 15/11/2025 đến ngày 15/12/2025", "từ tháng 3 đến tháng 11"
_SPAN = re.compile(
    r"\btu\s+(?:ngay\s+|thang\s+|nam\s+)?\d[^;]{0,40}?\b(?:den|toi)\s+(?:het\s+)?(?:ngay\s+|thang\s+|nam\s+)?\d"
)


def is_span(seg: str) -> bool:
    """The segment writes a span of time with its start and its end, not a cited document's date."""
    return bool(_SPAN.search(cited_dates_removed(seg)))


def starts_only(seg: str) -> bool:
    """The segment dates the start of a span and says nothing of its end."""
    f = cited_dates_removed(seg)
    return bool(_FROM.search(f)) and not _TO.search(f)
