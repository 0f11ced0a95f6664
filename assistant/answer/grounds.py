"""A document's grounds ("căn cứ ban hành"), answered whole (``query.grounds``).

Every Vietnamese administrative document opens, before its first numbered part, with the grounds
it is issued on, one to a line: "Căn cứ Luật …;", "Căn cứ Nghị định số …;", "Thực hiện Quyết định
số …;", "Theo đề nghị của …" (Decree 30/2020, Appendix I), and closes them with the enacting
clause ("… Ủy ban nhân dân tỉnh ban hành Kế hoạch … như sau:"). The loader keeps them as the plan's
passages with no section; the answer is those lines, without the enacting clause or any narrative
paragraph that follows them.
"""

from __future__ import annotations

import re

from assistant.query.grounds import GROUND_KINDS
from assistant.records import Passage
from assistant.textnorm import fold

__all__ = ["BASIS_HEADING", "preamble", "ground_items"]

BASIS_HEADING = "Căn cứ ban hành"
# the words a ground opens with (folded)
_GROUND = re.compile(r"^(can cu|thuc hien|trien khai( thuc hien)?|theo de nghi|xet de nghi|theo)\b")
# a new ground starts after a ";" or "." or on a new line, with its opening words; "Trên cơ sở
# tình hình …" after the last ground opens the lead-in to the enacting clause, no ground: it is
# split off so as to be left out
_SPLIT = re.compile(
    r"(?:(?<=[;.])\s+|\s*\n+\s*)"
    r"(?=(?:Căn cứ|CĂN CỨ|Thực hiện|THỰC HIỆN|Triển khai|Theo đề nghị|Xét đề nghị|Trên cơ sở)\b)"
)
# a ground ends with its paragraph: a blank line, or a sentence closed at a line's end (a hard
# wrap, as web pages' markdown has, may fall after a ";" inside a ground, seldom after a ".")
_LINE_END = re.compile(r"\n\s*\n|[.:]\s*\n")
# the enacting clause closing the grounds: "…, Ủy ban nhân dân tỉnh X ban hành Kế hoạch … như sau:"
_ENACTING = re.compile(
    r"[.;,]\s+[^.;,]*\b(ban hành|lập|xây dựng)\b[^.;]*?(như sau|sau đây)\s*:?\s*$", re.IGNORECASE
)


def preamble(passages: list[Passage]) -> list[Passage]:
    """The plan's passages before its first part (no section, not the header card), in order."""
    out: list[Passage] = []
    for p in passages:
        if p.kind == "metadata":
            continue
        if p.section:
            break
        out.append(p)
    return out


def ground_items(passages: list[Passage], asked: str = "") -> list[tuple[str, Passage]]:
    """The grounds the preamble gives, one item each, with the passage holding it. ``asked``:
    the question folded; "thực hiện quyết định nào" keeps the grounds of that kind when some are."""
    items: list[tuple[str, Passage]] = []
    for p in passages:
        for piece in _SPLIT.split(p.text):
            m = _LINE_END.search(piece)
            text = " ".join((piece[: m.start() + 1] if m else piece).split())
            text = _ENACTING.sub("", text).strip()
            if text and _GROUND.match(fold(text)):
                items.append((text, p))
    kind = re.search(rf"\b({GROUND_KINDS}) (nao|gi)\b", asked)
    if kind and kind.group(1) != "van ban":
        of_kind = [(t, p) for t, p in items if re.search(rf"\b{kind.group(1)}\b", fold(t))]
        items = of_kind or items
    return items
