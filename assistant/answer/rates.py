"""A rate asked that the retrieved passages name without a figure (issue 12, class 4: an
unanswerable question answered with a nearby passage): the fact handler refuses then rather than
give the percentage of another rate."""

from __future__ import annotations

import re

from assistant.answer.evidence import segments
from assistant.query.model import Query
from assistant.records import Hit
from assistant.textnorm import fold
from assistant.vocab.tokens import folded_tokens

__all__ = ["rate_without_figure"]

# a share is asked "X chiếm bao nhiêu phần trăm Y" (the plan writes "X chiếm 36,49% trong GRDP"):
# the words after "phần trăm" name the whole, the part is the subject before "chiếm"
_SHARE = re.compile(r"\bchiem (?:khoang )?(?:bao nhieu|may) phan tram\b")
# words that join a rate's name to its owner, place or base ("của", "ở", "tại", "trong", "so với")
_OWNER_WORDS = frozenset(("cua", "o", "tai", "trong", "so", "tren"))

# the rate asked: "tỷ lệ <X> (là / đạt …) bao nhiêu", "bao nhiêu phần trăm <X>"
_RATE_ASKED = re.compile(
    r"\bty le ((?:[a-z0-9]+ ){2,8}?)(?:(?:la|dat|phai dat|duoc|cua|nam \d{4}) )*(?:bao nhieu|may|la gi)|"
    r"\b(?:bao nhieu|may) phan tram ((?:[a-z0-9]+ ?){2,4})"
)


def rate_without_figure(query: Query, hits: list[Hit], valued: str) -> bool:
    """The rate asked ("tỷ lệ che phủ rừng ven biển bao nhiêu %") is one the retrieved passages
    name without a figure ("duy trì tỷ lệ che phủ rừng ven biển"), and the sentence with a
    percentage is about another rate: a plan that sets a rate writes its figure beside its name
    ("tỷ lệ lao động nữ làm công hưởng lương đạt 50%"), so that figure is no answer."""
    m = _RATE_ASKED.search(query.folded or fold(query.text))
    if not m:
        return False
    if m.group(2) and _SHARE.search(query.folded or fold(query.text)):
        return False  # "X chiếm bao nhiêu phần trăm Y": Y is the whole, no rate's name
    words = (m.group(1) or m.group(2) or "").split()
    # the rate's name ends where its owner or place is said ("tỷ lệ hộ nghèo của tỉnh", "… ở xã")
    cut = next((i for i, w in enumerate(words) if w in _OWNER_WORDS), len(words))
    rate = " ".join(words[: min(cut, 4)])
    if len(rate.split()) < 2 or rate in " ".join(folded_tokens(valued)):
        return False
    return any(
        rate in " ".join(folded_tokens(h.passage.text[a:b])) and not re.search(r"\d\s*%", h.passage.text[a:b])
        for h in hits
        for a, b in segments(h.passage.text)
    )
