"""A question about how a planned event turned out, answered by a plan that does not report it.

Issue 12, failure class 4. A Kế hoạch is issued *before* what it plans: by the convention of
Vietnamese administrative documents (Decree 30/2020's plan layout) it sets purposes, tasks,
times, participants and units; what came of it is reported afterwards, in a Báo cáo ("báo cáo
kết quả"). So "bao nhiêu người đạt yêu cầu", "phát hiện bao nhiêu xã có sai phạm", "đã cấp phát
được bao nhiêu tấn gạo" ask a result the plan does not hold, and the nearest passage answers
another question: the number registered ("Theo danh sách đăng ký (100 người)") is not the
number that passed.

Only the question's *result* wording is read, and only when it asks a figure; the answer still
stands when a cited passage writes a result itself (a plan that reviews the last period's
results, a budget plan's "ước thực hiện", a damage report before a relief plan), since then the
passage writes the words that report one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from assistant.query.model import Query
from assistant.textnorm import fold, nfc

__all__ = ["asks_outcome", "outcome_unreported"]

# what a result is asked with (folded), each with what a passage reporting that result writes:
# - passing a test or an inspection: "đạt yêu cầu", "không đạt", "đạt chuẩn";
# - what an inspection or a monitoring round found: "phát hiện bao nhiêu …", "… có sai phạm";
# - an amount already handed out or done: "đã cấp phát được bao nhiêu", "đã hỗ trợ được mấy";
# - what came after the event: "Sau kỳ huấn luyện …, cấp giấy chứng nhận cho bao nhiêu người".
_RESULTS: tuple[tuple[re.Pattern[str], re.Pattern[str]], ...] = (
    (
        re.compile(r"\b(?:khong )?dat (?:yeu cau|chuan)\b|\bkhong dat\b|\bthi (?:do|truot)\b"),
        re.compile(r"\bdat (?:yeu cau|chuan)\b|\bkhong dat\b"),
    ),
    (
        re.compile(r"\bphat hien(?: ra| duoc)? (?:bao nhieu|may)\b|\b(?:co|bi) (?:sai pham|vi pham)\b"),
        re.compile(r"\bphat hien\b|\b(?:sai|vi) pham\b"),
    ),
    (
        re.compile(r"\bda (?:\w+ ){1,3}duoc (?:bao nhieu|may)\b"),
        re.compile(r"\bda (?:\w+ ){0,3}duoc\b|\buoc thuc hien\b|\bthuc hien duoc\b"),
    ),
    (
        re.compile(
            r"^sau (?:ky|dot|cuoc|buoi|lop|hoi nghi) .*\b(?:bao nhieu|may) (?!ngay|gio|thang|tuan|lan)\w+"
        ),
        re.compile(r"\bdat (?:yeu cau|chuan)\b|\bda (?:\w+ ){0,3}duoc\b|\bket qua\b"),
    ),
)
# a result is reported with its figure, in one sentence ("12/15 người đạt yêu cầu", "đã cấp phát
# 300 tấn gạo"); "báo cáo kết quả", "phát hiện, xử lý vi phạm" without one are tasks to come
_SENTENCE = re.compile(r"(?<=[.;:!?])\s+|\n")
_NUMBER = re.compile(r"\d")
_SPACE = re.compile(r"\s+")


def _folded(text: str) -> str:
    return _SPACE.sub(" ", fold(nfc(text)).lower()).strip()


# a figure asked: a result asked as a yes or no ("có sai phạm không") is left to the scorer
_FIGURE = re.compile(r"\b(?:bao nhieu|may \w+|ty le|phan tram)\b")


# who came out of a selection, asked by "ai" / "… nào": a plan holds the bidding or the contest
# ("lựa chọn nhà thầu", "Giải Nhất: 01 giải"); the winner is named afterwards, in the Quyết định
# that approves the bidding result or awards the prizes. Read only with a who-question: "bao
# nhiêu giải" asks the plan's own prize structure.
_WINNERS: tuple[tuple[re.Pattern[str], re.Pattern[str]], ...] = (
    (re.compile(r"\b(?:trung|thang) thau\b"), re.compile(r"\b(?:trung|thang) thau\b")),
    (re.compile(r"\b(?:dat|gianh|doat) giai\b"), re.compile(r"\b(?:dat|gianh|doat) giai\b")),
)
_WHO = re.compile(r"\bai\b|\b(?!giai\b)\w+ nao\b")


def _reports(query: Query) -> list[re.Pattern[str]]:
    """What a passage must write to report the result the question asks ([] when none is asked)."""
    asked = _folded(query.text)
    found = [report for ask, report in _WINNERS if ask.search(asked)] if _WHO.search(asked) else []
    if not _FIGURE.search(asked):
        return found
    return found + [report for ask, report in _RESULTS if ask.search(asked)]


def asks_outcome(query: Query) -> bool:
    """The question asks how a planned event turned out (a pass count, a finding, an amount done)."""
    return bool(_reports(query))


def outcome_unreported(query: Query, cited: Iterable[str]) -> bool:
    """True when the question asks a result and no cited passage writes one."""
    reports = _reports(query)
    if not reports:
        return False
    sentences = [_folded(x) for t in cited for x in _SENTENCE.split(t)]
    # a winner is reported by name, a figure by its number
    winners = [r for _a, r in _WINNERS if r in reports]
    if any(r.search(x) for x in sentences for r in winners):
        return False
    return not any(_NUMBER.search(x) and r.search(x) for x in sentences for r in reports if r not in winners)
