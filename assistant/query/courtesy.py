"""The courtesy frame of a question: how it is asked, never what (``courtesy_spans``)."""

from __future__ import annotations

import re

__all__ = ["courtesy_spans"]

# Courtesy framing (Vietnamese politeness register): a request frame opening the question ("cho
# tôi hỏi", "xin hỏi", "vui lòng cho biết") and sentence-final modal particles closing it ("ạ",
# "vậy", "nhé", "nhỉ", "thế", "hả"). "Hỏi" alone is a frame only before a colon or comma ("Hỏi:
# …"): "Hội đồng …" folds to the same letters. They say how the question is asked, never what: the rules,
# the key terms and the catalogue test read the question without them.
_COURTESY_HEAD = re.compile(
    r"^\s*(?:(?:xin|vui long|lam on|phien)\s+)?(?:(?:anh|chi|ban|em)\s+)?"
    r"(?:(?:hay\s+)?cho\s+(?:(?:toi|em|minh|chau)\s+)?(?:hoi|biet)|xin\s+hoi|hoi(?=\s*[,:]))\b\s*(?:xem\b)?\s*[,:]?"
)
_PARTICLES = frozenset("a vay nhe nhi the".split())
# words before which "vay" is not a particle: "vốn vay", "cho vay"
_NOT_PARTICLE_AFTER = frozenset("von cho khoan tien muon di nhu".split())
# "the" is "thế" only after a question word ("là gì thế", "ở đâu thế"): "bao nhiêu thẻ" is a card
_QUESTION_WORDS = frozenset("gi nao ai dau sao roi chua".split())
_WORD = re.compile(r"[a-z0-9]+")


def courtesy_spans(folded: str) -> list[tuple[int, int]]:
    """Spans of the courtesy frame and closing particles of a folded question."""
    spans: list[tuple[int, int]] = []
    head = _COURTESY_HEAD.match(folded)
    if head and _WORD.search(folded, head.end()):
        spans.append(head.span())
    words = list(_WORD.finditer(folded, head.end() if head else 0))
    while len(words) > 1:
        last, prev = words[-1].group(0), words[-2].group(0)
        if last not in _PARTICLES or (last != "a" and prev in _NOT_PARTICLE_AFTER):
            break
        if last == "the" and prev not in _QUESTION_WORDS:
            break
        if re.search(r"[^\s?.!,]", folded[words[-1].end() :]):
            break  # the word is not the question's last
        spans.append(words.pop().span())
    return spans
