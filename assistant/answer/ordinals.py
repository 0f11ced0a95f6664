"""An item the question names by its ordinal ("Nhóm 1", "giai đoạn 2", "đợt 3", "khu vực I").

Plans set parallel items under one label word numbered in order ("- Nhóm 1: 40 xã, phường …" /
"- Nhóm 2: Các xã, phường lân cận …"; "Giai đoạn 1 …" / "Giai đoạn 2 …"; "Đợt 1", "Đợt 2"): the
ordinal is all that tells the items apart, and siblings share every other word. Asked "nhóm 1 gồm
bao nhiêu xã", the item whose label is "Nhóm 1" answers and its sibling "Nhóm 2" does not, whatever
their other words, however the plan's lines were wrapped (the label on a line of its own, or with
its item's text on the same line).
"""

from __future__ import annotations

import re

from assistant.textnorm import fold

__all__ = ["asked_ordinals", "ordinal_fit"]

# label words plans number their parallel items with (folded)
_LABEL = r"(nhom|giai doan|dot|khu vuc|vung|phuong an|buoc|loai|cap do|goi thau|goi|tuyen|hang muc|kich ban)"
# an ordinal: 1-2 digits (not a year "giai đoạn 2026", nor a date "đợt 1/2026"), a Roman number
# or one capital letter as plans write them; folded, so matched lower-case
_ORD = r"(\d{1,2}|[ivx]{1,4}|[a-d])(?![\w/.,-]*\d)\b"
_ASKED = re.compile(rf"\b{_LABEL} {_ORD}")
# the label opening an item: after a list marker or emphasis, then the label and its ordinal
_OPENS = re.compile(rf"^[\s\-–—+•*]*{_LABEL} {_ORD}\s*[:.)\-–]")
_WEIGHT = 0.5


_ROMAN = {"i": 1, "v": 5, "x": 10}


def _value(ordinal: str) -> str:
    """One spelling per ordinal: "01", "1" and "I" are the same item (plans pad and mix them)."""
    if ordinal.isdigit():
        return str(int(ordinal))
    if set(ordinal) <= set(_ROMAN) and len(ordinal) > 1 or ordinal in _ROMAN:
        vals = [_ROMAN[c] for c in ordinal]
        return str(sum(-v if i + 1 < len(vals) and v < vals[i + 1] else v for i, v in enumerate(vals)))
    return ordinal


def asked_ordinals(folded_question: str) -> dict[str, str]:
    """Label → ordinal of each numbered item the question names ("nhom" → "1")."""
    return {m.group(1): _value(m.group(2)) for m in _ASKED.finditer(folded_question)}


def ordinal_fit(asked: dict[str, str], seg: str) -> float:
    """A bonus for the item the question names, a penalty for a sibling of the same label with
    another ordinal; 0 when the segment opens with no numbered label the question names."""
    if not asked:
        return 0.0
    m = _OPENS.match(fold(seg))
    if m is None or m.group(1) not in asked:
        return 0.0
    return _WEIGHT if _value(m.group(2)) == asked[m.group(1)] else -_WEIGHT
