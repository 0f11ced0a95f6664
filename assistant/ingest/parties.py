"""Parties that head their items under "Tổ chức thực hiện" without being state bodies.

A plan's "Tổ chức thực hiện" (or "Phân công nhiệm vụ") gives each party a numbered heading and its
tasks as the items below (Decree 30/2020 layout): "1. Sở Y tế" ¶ "a) …", "2. Sở Nội vụ" ¶ …, and
often, among them, parties outside the unit vocabulary: "6. Đề nghị các tổ chức cung cấp dịch vụ
chi trả", "4. Các cơ sở sản xuất giống, NTTS thương phẩm:", "14. Doanh nghiệp, cộng đồng, tổ chức,
cá nhân: …". Such a heading, a sibling of at least two unit headings and written as a party (a
noun phrase opening on a party word, no sentence), heads its items as the others do: without it the
items have no lead and a question about them is answered with a neighbouring unit.
"""

from __future__ import annotations

import re

from .roles import Units, strip_marker
from .structure import Node

__all__ = ["name_parties"]

# the words a party's name opens with: firms, organisations, facilities, households, people
_PARTY = re.compile(
    r"^(?:(?:các|những|mọi)\s+)?(?:doanh\s+nghiệp|tổ\s+chức|cơ\s+sở|hộ|người|cá\s+nhân|cộng\s+đồng|"
    r"hiệp\s+hội|hợp\s+tác\s+xã|nhà\s+(?:đầu\s+tư|trường|thầu)|chủ\s+(?:đầu\s+tư|cơ\s+sở|hộ)|"
    r"ngân\s+hàng\s+thương\s+mại|đơn\s+vị\s+cung\s+cấp)\b",
    re.I,
)
# a heading that says what must be done is a rule for everyone, not a party ("15. Tất cả lực lượng
# … phải tuân thủ …")
_SENTENCE = re.compile(r"\b(?:phải|cần|nghiêm\s+cấm|không\s+được|tuân\s+thủ)\b|[.;]", re.I)
_REQUEST = re.compile(r"^đề\s+nghị\s+", re.I)


def _party(node: Node) -> tuple[str, bool, int] | None:
    """(name, requested, where the task starts in the heading line) of a party heading, or None."""
    text = node.head_text.strip()
    body = strip_marker(text).strip(" *_")
    head, colon, _ = body.partition(":")
    req = _REQUEST.match(head)
    name = re.sub(r"\s*\([^()]*\)", "", head[req.end() :] if req else head).strip(" *_,")
    if not name or len(name) > 120 or len(name.split()) > 20 or _SENTENCE.search(name):
        return None
    if not _PARTY.match(name):
        return None
    task_from = text.find(":", text.find(head)) + 1 if colon else len(text)
    return name[0].upper() + name[1:], bool(req), task_from


def name_parties(root: Node) -> None:
    """Give each party heading among unit headings its party as the unit of its items (in place)."""
    stack = [root]
    while stack:
        node = stack.pop()
        stack.extend(node.children)
        numbered = [c for c in node.children if c.kind == "num"]
        if sum(1 for c in numbered if c.heading_units is not None and c.heading_units.lead) < 2:
            continue
        for c in numbered:
            if c.heading_units is not None or c.explicit is not None:
                continue
            found = _party(c)
            if found:
                name, requested, task_from = found
                c.heading_units = Units([name], [], [name] if requested else [])
                c.task_from = task_from
