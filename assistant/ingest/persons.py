"""People a passage assigns its task to: "Nhiệm vụ | Người thực hiện" rows and "Ông X - Trưởng đoàn" items.

A Sở's working plan or an inspection team's plan assigns tasks to named officials, not to units: a
table "TT | Nhiệm vụ | Người thực hiện" (its person cell may hold several names, one per line, which a
text export runs together: "Vũ Việt Linh Nguyễn Thị Loan"), or items "4.1. Ông Hoàng Văn Thuân -
Trưởng đoàn: Phụ trách chung …".  A Vietnamese name is written surname first, so a run of names is
cut where a surname starts a new name.
"""

from __future__ import annotations

import re

from .patterns import is_person_name

__all__ = ["person_names", "persons_of"]

# the common Vietnamese surnames (together well over 90 % of the population); a name starts with one
_SURNAMES = frozenset(
    """Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Lương Đinh Trịnh Đào Mai
    Cao Hà Lâm Tạ Tô Thái Châu Đoàn Trương La Quách Lưu Kiều Triệu Chu Đàm Tăng Hứa Giang Nông Lò Vi
    Sầm Hầu Mạc Từ Phùng Doãn Khổng Đồng Âu Diệp Tôn Thân Lã Nghiêm Quan Lục Ninh Khúc Văn""".split()
)
# "Ông.", "Bà", "Đ/c", "Đồng chí" before a name; "- Trưởng đoàn", "- Thư ký đoàn" after it
_HONORIFIC = re.compile(r"^(?:\d+(?:\.\d+)*\.?\s+)?(?:Ông|Bà|Đ/c|Đồng chí)\.?\s+")
_MEMBER = re.compile(r"^(?P<name>[^-–:]+?)\s*[-–]\s*(?P<role>[^:]+?)\s*(?::|$)")


def person_names(cell: str) -> list[str]:
    """The names in a person cell, or [] when the cell is not names only.

    "Vũ Việt Linh Nguyễn Thị Loan" → two names: a new name starts at a surname once the current one
    has three words (names of two words are rare, and "Nguyễn Văn Hoàng Anh" must stay one name).
    """
    lines = [ln.strip() for ln in cell.split("\n") if ln.strip()]
    if len(lines) > 1:
        # a Word cell holds one name a paragraph: each line is a name, even one typed with a
        # small letter inside ("Nguyễn Thị thúy Nhung"), as long as it starts with a surname
        split = [person_names(ln) if is_person_name(ln) or not _line_name(ln) else [ln] for ln in lines]
        return [n for names in split for n in names] if all(split) else []
    words = re.sub(r"[,;/]|\bvà\b", " ", cell).split()
    if not words:
        return []
    names: list[list[str]] = [[]]
    for i, w in enumerate(words):
        rest = len(words) - i
        if names[-1] and len(names[-1]) >= 3 and w in _SURNAMES and rest >= 2:
            names.append([])
        names[-1].append(w)
    out = [" ".join(n) for n in names]
    # a name typed with a small letter inside ("Nguyễn Thị thúy Nhung") is still one: a surname, then
    # capitalised words, the given name last, but for a slip inside (as a one-name line is read above)
    return (
        out if all(is_person_name(n) or (_line_name(n) and n.split()[-1][0].isupper()) for n in out) else []
    )


def _line_name(line: str) -> bool:
    """A line of a person cell that is one name: a surname, then two to four words, all letters."""
    words = line.split()
    return (
        3 <= len(words) <= 5
        and words[0] in _SURNAMES
        and all(w.isalpha() for w in words)
        and words[1][0].isupper()
    )


def persons_of(lead: tuple[str, ...] | list[str], section: tuple[str, ...], text: str) -> tuple[str, ...]:
    """The people a passage assigns its task to: a lead cell of names, or an "Ông X - <role>" item
    (its heading or its own first line)."""
    found: list[str] = []
    for u in lead:
        found += person_names(u) or ([u] if _line_name(u) else [])
    for line in (section[-1] if section else "", text.split("\n", 1)[0]):
        m = _HONORIFIC.match(line.strip())
        if not m:
            continue
        member = _MEMBER.match(line.strip()[m.end() :])
        if member and is_person_name(member.group("name")):
            found.append(member.group("name").strip())
    return tuple(dict.fromkeys(found))
