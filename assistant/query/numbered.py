"""A loaded plan named by its kind, its subject and then its number: "kế hoạch cứu trợ 0129",
"ke hoach kiem tra 1105 …".

An official cites a plan by what it is and its register number, the subject words between the
kind and the number. The number is that plan's only when a loaded plan bears it and nothing
says it is a figure: a number written with its leading zero, as some provinces' document
registers write it ("Số: 0129/KH-UBND"), is never a figure; one without is, when what it counts
follows it ("kiểm tra 28 đơn vị", "hỗ trợ 100 người") or when it is a year.
"""

from __future__ import annotations

import re

from assistant.query.catalog import Catalog

__all__ = ["subject_numbered"]

_KIND = r"\b(?:ke hoach|kh|quyet dinh|qd|cong van|cv)\s+(?:[a-z]+\s+){1,3}"
_ZERO_NUMBER = re.compile(_KIND + r"(?P<num>0\d{2,4})(?![\d/])")
_SUBJECT_NUMBER = re.compile(_KIND + r"(?P<num>[1-9]\d{2,4})(?![\d/.,%])")
# what a figure counts or measures, written right after it
_COUNTED = re.compile(
    r"\s*(?:nguoi|don vi|xa|phuong|ho|co so|doanh nghiep|ty|trieu|nghin|dong|ha|km|m|tan|"
    r"ngay|thang|nam|lan|dot|muc|chi tieu|nhiem vu|truong|lop|phong|cong trinh|du an|mo|%)\b"
)


def subject_numbered(folded: str, cat: Catalog) -> list[tuple[int, int, list[str]]]:
    """The loaded plans a folded question names this way, as (start, end, docs) of the number."""
    found = []
    for z in _ZERO_NUMBER.finditer(folded):
        if hits := cat.docs_numbered(z.group("num")):
            found.append((z.start("num"), z.end("num"), hits))
    if found:
        return found
    for z in _SUBJECT_NUMBER.finditer(folded):
        num = z.group("num")
        if 1990 <= int(num) <= 2100 or _COUNTED.match(folded, z.end("num")):
            continue  # "kế hoạch hành động năm 2026": a year; "… 100 người": a figure
        if hits := cat.docs_numbered(num):
            found.append((z.start("num"), z.end("num"), hits))
    return found
