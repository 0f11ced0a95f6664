"""The group of a section's lines that the question names by its label line.

Plans group the items of one heading by field under a dash label line of its own: "- Cấp xã" over
"+ Chọn ngẫu nhiên …" bullets, or "- Thủy sản", "- Nguồn nhân lực" over plain target sentences
("Đảm bảo 100% khu công nghiệp …", "Hình thành ít nhất 100 doanh nghiệp …") down to the next
label (the targets of a plan written per sector, "2.1. Đến năm 2030"). A label is short and closes
no sentence; a question that says all its words ("những chỉ tiêu gì về nguồn nhân lực") asks for
that group's items, not the whole heading's.
"""

from __future__ import annotations

from collections.abc import Callable

__all__ = ["named_group", "names_a_group", "label_line"]

GROUP_WORDS = 6  # a label line of more words is an item of its own, not a group's name
LEAST_ITEMS = 2


def label_line(line: str) -> bool:
    """A short dash line closing no sentence: a group's label ("- Nguồn nhân lực", "*- Thủy sản*")."""
    text = line.strip().strip("*_ ")
    return (
        text.startswith(("-", "–"))
        and not text.endswith((".", ";", ":"))
        and len(text.lstrip("-– ").split()) <= GROUP_WORDS
    )


def _label(line: str, words_of: Callable[[str], list[str]]) -> list[str] | None:
    """The words of a group label (``label_line``), else None."""
    if not label_line(line):
        return None
    words = words_of(line.strip().strip("*_ "))
    return words if words and len(words) <= GROUP_WORDS else None


def names_a_group(texts: list[str], asked: set[str], words_of: Callable[[str], list[str]]) -> bool:
    """Some line of ``texts`` (the passages of one heading) is a group label the question says."""
    return any(
        (w := _label(ln, words_of)) is not None and len(w) >= LEAST_ITEMS and all(x in asked for x in w)
        for t in texts
        for ln in t.split("\n")
    )


def named_group(lines: list[tuple], asked: set[str], words_of: Callable[[str], list[str]]) -> list[tuple]:
    """When the question names exactly one group by its label, that group's lines: its "+" items,
    else the plain lines down to the next label; otherwise ``lines`` unchanged."""
    groups = [(i, w) for i, (_, ln) in enumerate(lines) if (w := _label(ln, words_of))]
    named = [i for i, w in groups if all(x in asked for x in w)]
    if len(named) != 1:
        return lines
    i = named[0]
    sub = []
    after = lines[i + 1 :]
    plus = bool(after) and after[0][1].lstrip().startswith("+")
    for p, ln in after:
        if (plus and not ln.lstrip().startswith("+")) or _label(ln, words_of) is not None:
            break
        sub.append((p, ln))
    return sub if len(sub) >= LEAST_ITEMS else lines
