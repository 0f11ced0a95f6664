"""An item or a round the question names by its ordinal ("nhóm 1", "giai đoạn II", "đợt 01",
"lượt kiểm tra thứ hai").

Plans set parallel items under one label word numbered in order ("- Nhóm 1: 40 xã, phường …" /
"- Nhóm 2: Các xã, phường lân cận …"; "Giai đoạn 1 …" / "Giai đoạn 2 …"), and split an event into
numbered rounds whose dates sit under each round's label ("1.1. Đợt 1: Từ 13h30' ngày 02/6/2026",
"- Đợt 01 dự kiến: …", "Lần 2: …"). The ordinal is all that tells siblings apart: they share every
other word. Plans pad and mix the spellings ("01", "1", "I"), and a question names a round by its
digit or by its ordinal word ("thứ hai"). So, asked "nhóm 1 gồm bao nhiêu xã", the item whose label
is "Nhóm 1" answers and its sibling "Nhóm 2" does not; a sentence that names no round belongs to the
round its passage's label line opens.
"""

from __future__ import annotations

import re

from assistant.textnorm import fold

__all__ = ["asked_ordinals", "ordinal_fit"]

# the nouns a schedule's rounds are labelled with: a round asked as "lượt 2" is the plan's "Đợt 2"
_ROUNDS = ("dot", "lan", "luot", "ky", "vong", "giai doan")
# label words plans number their parallel items or rounds with (folded)
_LABEL = (
    r"(nhom|giai doan|dot|lan|luot|ky|vong|khu vuc|vung|phuong an|buoc|loai|cap do|goi thau|goi|"
    r"tuyen|hang muc|kich ban)"
)
# an ordinal: 1-2 digits (not a year "giai đoạn 2026", nor a date "đợt 1/2026"), a Roman number
# or one capital letter as plans write them; folded, so matched lower-case
_ORD = r"(\d{1,2}|[ivx]{1,4}|[a-d])(?![\w/.,-]*\d)\b"
_DIGITS = re.compile(rf"\b{_LABEL} (?:thu )?{_ORD}")
_WORDS = {"nhat": "1", "hai": "2", "ba": "3", "tu": "4", "nam": "5", "sau": "6"}
# "lượt kiểm tra thứ hai": up to two words may name what the round is of; a digit between
# ("đợt 1 vào thứ hai") ends it, so a weekday after a numbered round is no ordinal ("theo / đúng
# thứ tự" is the order, folded like "thứ tư": ``vocab.tokens`` reads it so too)
_WORDED = re.compile(rf"\b{_LABEL}(?:\s+[a-z]+){{0,2}}?(?<!theo)(?<!dung)\s+thu\s+({'|'.join(_WORDS)})\b")
# the label opening an item: after a list marker or emphasis, then the label and its ordinal
_OPENS = re.compile(rf"^[\s\-–—+•*]*{_LABEL} {_ORD}\s*[:.)\-–]")
_OPENING = 0.5  # the item's own label: the asked one answers, a sibling's does not
_NAMED = 0.3  # a sentence, or its passage's label line, that names the round asked

_ROMAN = {"i": 1, "v": 5, "x": 10}


def _value(ordinal: str) -> str:
    """One spelling per ordinal: "01", "1" and "I" are the same item (plans pad and mix them)."""
    if ordinal.isdigit():
        return str(int(ordinal))
    if set(ordinal) <= set(_ROMAN) and len(ordinal) > 1 or ordinal in _ROMAN:
        vals = [_ROMAN[c] for c in ordinal]
        return str(sum(-v if i + 1 < len(vals) and v < vals[i + 1] else v for i, v in enumerate(vals)))
    return ordinal


def _named(folded: str) -> dict[str, str]:
    """Label → ordinal of each numbered item or round a folded text names."""
    found = {m.group(1): _value(m.group(2)) for m in _DIGITS.finditer(folded)}
    found.update((m.group(1), _WORDS[m.group(2)]) for m in _WORDED.finditer(folded))
    return found


def asked_ordinals(folded_question: str) -> dict[str, str]:
    """Label → ordinal of each numbered item or round the question names ("nhom" → "1")."""
    return _named(folded_question)


def _same(asked: dict[str, str], label: str, value: str) -> bool | None:
    """Whether a label and ordinal is the one asked (None: the question names no such label);
    the round nouns stand for one another."""
    for a, v in asked.items():
        if a == label or (a in _ROUNDS and label in _ROUNDS):
            return v == value
    return None


def ordinal_fit(asked: dict[str, str], seg: str, label_line: str = "") -> float:
    """A bonus for the item or round the question names, a penalty for a sibling that opens with
    the same label and another ordinal; 0 when the segment names neither."""
    if not asked:
        return 0.0
    folded = fold(seg)
    m = _OPENS.match(folded)
    if m is not None:
        same = _same(asked, m.group(1), _value(m.group(2)))
        if same is not None:
            return _OPENING if same else -_OPENING
    own = _named(folded) or _named(fold(label_line))
    return _NAMED if any(_same(asked, lab, v) for lab, v in own.items()) else 0.0
