"""A round of a plan's schedule asked by its number ("đợt 1", "lượt kiểm tra thứ hai").

Plans split an event into numbered rounds and write each one's date under its label ("1.1. Đợt 1:
Từ 13h30' ngày 02/6/2026", "- Đợt 01 dự kiến: …", "Lần 2: …"), zero-padded or not; a question names
the round by its digit or by its ordinal word ("thứ hai"). The sentence labelled with the round
asked answers; its sister rounds' sentences share every other word and tie with it.
"""

from __future__ import annotations

import re

from assistant.textnorm import fold

__all__ = ["asked_round", "round_bonus"]

# the nouns a round is labelled with: "đợt", "lần", "lượt", "kỳ", "vòng", "giai đoạn"
_ROUND = r"(?:dot|lan|luot|ky|vong|giai doan)"
_ORDINAL = {"nhat": 1, "hai": 2, "ba": 3, "tu": 4, "nam": 5, "sau": 6}
_DIGIT = re.compile(rf"\b{_ROUND}\s+(?:thu\s+)?0*(\d{{1,2}})\b")
# "lượt kiểm tra thứ hai": up to two words may name what the round is of; a digit between
# ("đợt 1 vào thứ hai") ends it, so a weekday after a numbered round is no ordinal
# ("theo / đúng thứ tự" is the order, folded like "thứ tư": ``vocab.tokens`` reads it so too)
_WORD = re.compile(rf"\b{_ROUND}(?:\s+[a-z]+){{0,2}}?(?<!theo)(?<!dung)\s+thu\s+({'|'.join(_ORDINAL)})\b")


def _rounds(folded: str) -> set[int]:
    found = {int(m.group(1)) for m in _DIGIT.finditer(folded)}
    return found | {_ORDINAL[m.group(1)] for m in _WORD.finditer(folded)}


def asked_round(folded_question: str) -> int | None:
    """The number of the one round the question names, if it names exactly one."""
    found = _rounds(folded_question)
    return found.pop() if len(found) == 1 else None


def round_bonus(asked: int | None, seg: str, label: str = "") -> float:
    """A bonus for the sentence labelled with the round asked, none for a sister round's. A
    sentence that names no round belongs to the round its passage's label line opens ("1.1. Đợt
    1: Từ 13h30' ngày 02/6/2026" above "- Thợ nổ mìn: Từ số thứ tự 01 đến số thứ tự 38.")."""
    if asked is None:
        return 0.0
    own = _rounds(fold(seg)) or _rounds(fold(label))
    return 0.3 if asked in own else 0.0
