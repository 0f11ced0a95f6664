"""How a question says an administrative task, and how plans write it.

Plans write their tasks in the fixed verbs of administrative Vietnamese; a question asks in
everyday words. Where the everyday phrase has one written form in plans, the question is read
with that form (its terms and its BM25 text), so the row assigning the task is found and is
not taken for another task (issue 12, failure class 4: "ai soạn đề kiểm tra" was refused, the
plan's row says "Xây dựng bài kiểm tra, đáp án").

Each pair is one convention of Vietnamese administrative documents, never one plan's wording:

- drafting a document is written "xây dựng" (xây dựng kế hoạch, xây dựng dự thảo, xây dựng bài
  kiểm tra), and a test is "bài kiểm tra", where one says "soạn đề", "ra đề kiểm tra";
- marking a test is "chấm bài", where one says "chấm thi";
- checking papers again before they go on is "rà soát" (rà soát hồ sơ, rà soát chứng chỉ trước
  khi trình), where one says "kiểm tra lại", "soát lại", "duyệt lại";
- an emulation plan's tie-break rule (the "Lưu ý khi bình xét thi đua" of a Kế hoạch thi đua under
  the Luật Thi đua, khen thưởng) is written "có tổng số điểm bằng nhau … thì đơn vị nào có … cao
  hơn thì xếp hạng cao hơn", where one says two units "bằng điểm nhau", "đồng điểm", "ngang điểm";
- ranking above another is written "xếp hạng cao hơn" (the same rule, and the "xếp hạng" of an
  emulation's results), where one says "xếp trên", "xếp cao hơn".

Only the phrase is replaced; the rest of the question, its diacritics and case are kept.
"""

from __future__ import annotations

import re

from assistant.textnorm import fold_map, nfc

__all__ = ["WRITTEN_FORMS", "as_plans_write"]

# (the asked phrase, folded, as a pattern) → the form plans write
WRITTEN_FORMS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\b(?:soan|ra) (?:de|bai) (?:kiem tra|thi)\b"), "xây dựng bài kiểm tra"),
    (re.compile(r"\bsoan de\b"), "xây dựng bài kiểm tra"),
    (re.compile(r"\bcham thi\b"), "chấm bài"),
    (re.compile(r"\b(?:kiem tra|soat|duyet|xem) lai\b"), "rà soát"),
    # "bằng điểm" needs its "nhau": "bảng điểm" (a score sheet) folds the same
    (re.compile(r"\b(?:bang|dong|ngang) diem nhau\b|\b(?:dong|ngang) diem\b"), "tổng số điểm bằng nhau"),
    # "xếp trên", not "xếp trên địa bàn" / "xếp trên cơ sở" (a place or a ground follows there)
    (
        re.compile(r"\b(?:duoc xep|xep) tren\b(?! (?:dia ban|co so|toan|cac|nhung|moi))|\bxep cao hon\b"),
        "xếp hạng cao hơn",
    ),
)


def as_plans_write(text: str) -> str:
    """``text`` with each everyday phrase of ``WRITTEN_FORMS`` in the form plans write."""
    text = nfc(text)
    folded, idx = fold_map(text)
    for pattern, written in WRITTEN_FORMS:
        spans = [(idx[m.start()], idx[m.end() - 1] + 1) for m in pattern.finditer(folded)]
        if not spans:
            continue
        for a, b in reversed(spans):
            text = text[:a] + written + text[b:]
        folded, idx = fold_map(text)  # the next phrase is looked for in the text as replaced
    return text
