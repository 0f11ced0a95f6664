"""How an item of a list is named: a heading's or a line's label, a table row by its cells' values,
a target kept with its figures."""

from __future__ import annotations

import re

from assistant.answer.common import fold_
from assistant.answer.evidence import shorten
from assistant.answer.list_groups import label_line

__all__ = [
    "ENUMERATOR",
    "LEAST_ITEM",
    "item_label",
    "opens_item",
    "rejoined",
    "fair_widths",
    "qualified_child",
]

LEAST_ITEM = 50  # an item is never shortened below this many characters
# "1.", "2.1.", "a)", "IV.": the enumerator opening an item or its heading
ENUMERATOR = re.compile(r"^\s*(?:\d{1,3}(?:\.\d{1,3})*\.?|[a-zđ]\)|[IVXLC]{1,6}\.)\s+", re.I)


def fair_widths(lengths: list[int], total: int) -> list[int]:
    """How many characters each item may take so that the list fits in ``total``: the short items
    whole, what they leave shared evenly by the long ones (never below ``LEAST_ITEM``). A list of
    one long task and short ones shows the long task whole when the short ones leave room for it."""
    out = [0] * len(lengths)
    left = total
    order = sorted(range(len(lengths)), key=lambda i: lengths[i])
    for k, i in enumerate(order):
        fair = max(LEAST_ITEM, left // (len(order) - k))
        out[i] = min(lengths[i], fair)
        left -= out[i]
    return out


# a line that opens an item: a bullet ("-", "+", "•"), an enumerator ("1.", "2.1.", "a)", "IV."),
# a parenthesised number ("(1)"), a label in italics or bold ("*Nhóm 1:*")
_OPENS_ITEM = re.compile(
    r"^\s*(?:[-–•*+]|\(\d{1,3}\)|\d{1,3}(?:\.\d{1,3})*[.)]\s|[a-zđ][.)]\s|[IVXLC]{1,6}\.\s)", re.I
)
_CLOSES = '.;:!?…)”"*_'


def opens_item(line: str) -> bool:
    """The line opens an item of a list (``_OPENS_ITEM``)."""
    return bool(_OPENS_ITEM.match(line))


def rejoined(lines: list[tuple]) -> list[tuple]:
    """``(passage, line)`` pairs with the lines the loader broke out of a sentence joined back.
    Plans published as web pages are hard-wrapped, and the loader starts a line where a wrapped
    line begins with a figure ("… theo tiêu chuẩn TCVN" ¶ "14423:2025 về An ninh mạng …"): a line
    that opens no item, after a line of the same passage that closes no sentence, continues it."""
    out: list[tuple] = []
    for p, ln in lines:
        if (
            out
            and out[-1][0] is p
            and not opens_item(ln)
            and not out[-1][1].rstrip().endswith(tuple(_CLOSES))
            # a group's label ("- Nguồn nhân lực") over a sentence of its own ("Đảm bảo 100% …"):
            # the loader breaks a wrapped line only before a figure, so a capital opens a sentence
            and not (label_line(out[-1][1]) and ln.strip()[:1].isupper())
        ):
            out[-1] = (p, f"{out[-1][1].rstrip()} {ln.strip()}")
        else:
            out.append((p, ln))
    return out


# "Ủy ban nhân dân các xã: Gia Thuận, Tân Điền, Gò Công Đông": after the colon, names separated
# by commas are the members of the group the heading names, not its duties: they stay
_NAMES = re.compile(r"^[^,;.:]{2,40}(?:,\s*[^,;.:]{2,40})+\.?$")


# a table row as the loader writes it: "Chỉ tiêu: Quan trắc … | Thành tiền (đồng): 1.364.329.243"
_ROW = re.compile(r"^[^|:]{1,60}:\s.*\s\|\s")
_ORDINAL_COLUMN = frozenset({"stt", "tt", "so tt", "so thu tu"})


def _row_item(line: str) -> str:
    """A table row named by its cells' values, not by its first column's name ("Chỉ tiêu [1];
    Chỉ tiêu [2]" hid every row): the first value, then the other cells "Thành tiền (đồng): …"."""
    cells = [c.strip().partition(": ") for c in line.split(" | ")]
    kept = [
        (col, val) for col, sep, val in cells if sep and val and fold_(col).strip() not in _ORDINAL_COLUMN
    ]
    if not kept:
        return line
    (_, first), rest = kept[0], kept[1:]
    return f"{first} ({'; '.join(f'{c}: {v}' for c, v in rest)})" if rest else first


def item_label(text: str, max_chars: int = 110) -> str:
    """A list item as an official would name it: the part before ":" when it is short (unless
    what follows is a list of names)."""
    line = text.strip().lstrip("-–•*+ ").strip()
    if _ROW.match(line):
        return _keeping_figures(_row_item(line), max_chars)
    head, colon, rest = line.partition(":")
    # "Chỉ tiêu 1: Tỷ số giới tính …": a numbered label names nothing, what follows is the item
    # ("1.4. Mục tiêu 4: Trong lĩnh vực y tế": the item's own enumerator does not count)
    bare = ENUMERATOR.sub("", head)
    numbered_label = bool(re.search(r"\d", bare)) and len(bare.split()) <= 3
    if colon and 8 <= len(head) <= 90 and not _NAMES.match(rest.strip()) and not numbered_label:
        line = head
    return _keeping_figures(line, max_chars)


# a figure: a number that is not a year ("40% GRDP", "150 sản phẩm", "3.000 lượt"); "2030" dates it
_FIGURE = re.compile(r"(?<![\d/.,])(?!(?:19|20)\d\d\b)\d+(?:[.,]\d+)*(?:\s*%)?")
_SENTENCE = re.compile(r"(?<=[.;])\s+")


def _keeping_figures(line: str, max_chars: int) -> str:
    """``line`` shortened to ``max_chars``, keeping its later sentences that give a figure:
    a target item of a plan closes on its figure ("… làm hình mẫu trong phát triển kinh tế số. Quy
    mô kinh tế số đạt 40% GRDP."), which is what an official asks the target for."""
    one = " ".join(line.split())
    short = shorten(one, max_chars)
    if short == one:
        return short
    first, *more = _SENTENCE.split(one)
    figures = [x for x in more if _FIGURE.search(x)]
    if not figures:
        return short
    tail = shorten(" ".join(figures), max(max_chars // 2, LEAST_ITEM))
    head = shorten(first, max(max_chars - len(tail) - 3, LEAST_ITEM))
    if not head.endswith(" …") and len(figures) < len(more):
        head += " …"  # sentences without a figure left out between them
    return f"{head} {tail}"


def qualified_child(children: dict[str, list[str]], noun: list[str], said: set[str]) -> str | None:
    """The one sub-heading that repeats the noun asked with a qualifier the question says.

    Sibling headings of a plan repeat their head noun and differ by its qualifier ("2. Các bước
    giám sát", "3. Các bước đánh giá"; "1. Mục tiêu chung", "2. Mục tiêu cụ thể"): "đánh giá …
    qua những bước nào" asks the one whose qualifier it says, even when the plan's title holds the
    qualifier too ("Kế hoạch giám sát, đánh giá …"), for the title holds every sibling's. ``children``
    maps each sub-heading to its words; ``said``: all the question's words."""
    if not noun:
        return None
    named = [
        t
        for t, words in children.items()
        if len(words) > len(noun) and set(noun) <= set(words) and all(w in said for w in words)
    ]
    return named[0] if len(named) == 1 else None


def children_of(pool: list, doc: str, prefix: tuple) -> dict[str, list]:
    """The sub-headings right under ``prefix``, each with its passages, in the plan's order."""
    children: dict[str, list] = {}
    for p in pool:
        if p.doc == doc and len(p.section) > len(prefix) and tuple(p.section[: len(prefix)]) == tuple(prefix):
            children.setdefault(p.section[len(prefix)], []).append(p)
    return children
