"""Heading tree and passages of one document part.

Headings: divisions ("PHẦN I.", "Phần thứ hai", "Chương II", "Mục 1") above everything
else, each restarting the numbering below it; Roman sections (I., II. — also "### I." or
bold), "Điều N.", numbered items
(1., 1.1., 2.3.), lettered points (a), b), đ) … also "*c)*" / "**a)**" once markup is
gone).  Bullets are content.  A numbered "1." met inside a lettered point restarts a
nested list, not the plan's numbering, and stays content.

Units: an "Đơn vị chủ trì / phối hợp" line closes a *group*: at the level of
lettered points (or 1.1-style sub-items) it applies to every point since the
previous closing line under the same parent (and to the parent's own introduction
when nothing was closed before); at other levels to the item it ends.  Headings
that are unit names make their unit lead everything below them.  Sentences add
what roles.py recognises.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..records import Block
from ..textnorm import fold
from .clean import is_division
from .patterns import (ARTICLE, LETTERED, NUMBERED, ROMAN, UNIT_LINE, is_closing_paragraph, is_structural,
                       is_upper, roman_value)
from .roles import Units, resolve, text_roles
from .tables import read_table
from .units import parse_unit_list

__all__ = ["Node", "Draft", "build_tree", "drafts", "TARGET_CHARS", "HARD_CHARS"]

TARGET_CHARS = 900     # a passage grows up to about this many characters …
HARD_CHARS = 1600      # … and a single paragraph longer than this is cut at sentence ends
_LEAD_ROLES = ("chủ trì", "thực hiện", "tham mưu", "đầu mối", "chịu trách nhiệm")
_SHORT_LABEL = re.compile(r"^[-+•]?\s*[^:]{3,40}:\s")
# divisions sit between the root (0) and Roman sections / articles (1): Phần > Chương > Mục
_DIVISION_RANK = {"phần": 0.25, "chương": 0.5, "mục": 0.75}
_ORDINALS = {"nhất": 1, "một": 1, "hai": 2, "ba": 3, "tư": 4, "bốn": 4, "năm": 5, "sáu": 6, "bảy": 7, "tám": 8,
             "chín": 9, "mười": 10}


@dataclass
class Table:
    rows: list[Block]
    caption: str | None


@dataclass(eq=False)
class Node:
    kind: str                    # root | division | roman | article | num | letter
    key: str                     # short id part: "II", "4", "b", "d3", "phan2"
    label: str                   # shown in the heading path
    rank: float
    parent: "Node | None" = None
    head: Block | None = None    # the heading block itself
    items: list = field(default_factory=list)        # Block | Node | Table, in order
    children: list["Node"] = field(default_factory=list)
    heading_units: Units | None = None
    explicit: Units | None = None        # from closing lines, for the whole subtree
    own_explicit: Units | None = None    # for the node's own introduction only
    last_closed: int = -1
    last_num: dict[int, int] = field(default_factory=dict)
    nested: int = 0              # last number of a numbered list nested in this node's text
    bare: bool = False           # a division printed without its title ("Chương I"): next lines give it

    def chain(self) -> list["Node"]:
        out, n = [], self
        while n is not None and n.kind != "root":
            out.append(n)
            n = n.parent
        return out[::-1]

    @property
    def section(self) -> tuple[str, ...]:
        return tuple(n.label for n in self.chain())

    @property
    def keypath(self) -> str:
        return ".".join(n.key for n in self.chain()) or "root"


@dataclass
class Draft:
    kind: str
    text: str
    section: tuple[str, ...]
    keypath: str
    blocks: list[Block]
    units: Units
    row: str | None = None
    caption: str | None = None


def _label(prefix: str, title: str) -> tuple[str, str]:
    """(label for the heading path, the part of the title that may name a unit).

    A title that reads as a heading ("Tham mưu quy chế …:", "Sở Nội vụ") is kept,
    shortened past 120 characters; an item that is a full sentence ("Sở Tài chính có
    trách nhiệm …. ") is labelled by its number only.
    """
    colon = title.find(":")
    if 0 < colon <= 100 and colon < len(title.rstrip()) - 1:
        head = title[:colon]
    elif re.search(r"\.\s+[A-ZĐÀ-Ỹ]", title) or title.rstrip().endswith((".", ";")):
        head = ""
    else:
        head = title
    head = head.strip(" :")
    unit_part = head if len(head) <= 200 else ""
    if len(head) > 120:
        head = head[:120].rsplit(" ", 1)[0] + "…"
    return (prefix.strip() + (" " + head if head else "")).strip(), unit_part


def _division_value(numeral: str) -> int:
    n = numeral.lower().split()[-1]
    if n.isdigit():
        return int(n)
    return _ORDINALS.get(n) or roman_value(numeral.upper())


def _division(b: Block) -> tuple[Node, int] | None:
    """"PHẦN II. NHIỆM VỤ", "Chương I", "Phần thứ hai": a node above the Roman sections."""
    m = is_division(b.text)
    if not m:
        return None
    kw = m.group("kw").lower()
    value = _division_value(m.group("m"))
    prefix = b.text.strip()[:m.start("t")]
    bare = not m.group("t").strip()
    label = prefix.strip(" .:-–") if bare else _label(prefix, m.group("t"))[0]
    return Node("division", f"{fold(kw)}{value}", label, _DIVISION_RANK[kw], head=b, bare=bare), value


def _continues_title(node: Node, b: Block) -> bool:
    t = b.text.strip()
    return (b.kind in ("para", "heading") and is_upper(t) and not is_structural(t) and not is_division(t)
            and len(node.label) + len(t) < 200)


def _heading(b: Block, stack: list[Node], province: str | None) -> tuple[Node, int] | None:
    """A new node for a heading block, with the numeric value used for continuity checks."""
    if b.kind in ("list_item", "table_row"):
        return None
    t = b.text.strip()
    division = _division(b)
    if division:
        return division
    m = ARTICLE.match(t)
    if m:
        n = int(m.group("m"))
        head, _ = _label("", m.group("t"))   # "Điều 1. Phạm vi điều chỉnh" keeps its title; a sentence does not
        node = Node("article", f"d{n}", f"Điều {n}" + (f". {head}" if head else ""), 1, head=b)
        return node, n
    m = ROMAN.match(t)
    if m:
        value = roman_value(m.group("m"))
        # Roman sections are counted inside the innermost division: "I." after "PHẦN II." starts again
        host = next(x for x in reversed(stack) if x.rank < 1)
        last = host.last_num.get(1, 0)
        title = m.group("t")
        # sections follow each other (a plan may be an excerpt starting at "II."), never go back
        if (value == last + 1 or (last == 0 and is_upper(title))) and (is_upper(title) or b.bold or len(title) < 120):
            label, unit_part = _label(t[:m.start("t")], title)
            return _with_units(Node("roman", m.group("m"), label, 1, head=b), unit_part, province), value
        return None
    m = NUMBERED.match(t)
    if m:
        comps = m.group("m").split(".")
        rank, n = 1 + len(comps), int(comps[-1])
        parent = next(x for x in reversed(stack) if x.rank < rank)
        last = parent.last_num.get(rank, 0)
        top = stack[-1]
        if top.rank > rank and ((n == 1 and last != 0) or (top.nested and n == top.nested + 1)):
            top.nested = n  # "1." "2." inside a lettered point: a nested list, not the plan's numbering
            return None
        label, unit_part = _label(t[:m.start("t")], m.group("t"))
        return _with_units(Node("num", m.group("m"), label, rank, head=b), unit_part, province), n
    m = LETTERED.match(t)
    if m:
        letter = m.group("m")
        _, unit_part = _label(t[:m.start("t")], m.group("t"))
        return _with_units(Node("letter", letter, f"{letter})", 10, head=b), unit_part, province), 0
    return None


def _with_units(node: Node, unit_part: str, province: str | None) -> Node:
    if unit_part and len(unit_part) <= 200:
        found = parse_unit_list(unit_part, province)
        if found.complete and found.units:
            node.heading_units = Units(list(found.units), [], list(found.requested))
    return node


def _merge(target: Units | None, lead: list[str], partners: list[str]) -> Units:
    u = target or Units()
    u.lead = list(dict.fromkeys([*u.lead, *lead]))
    u.partners = list(dict.fromkeys([*u.partners, *partners]))
    return u


def _group(stack: list[Node]) -> list[tuple[Node, bool]]:
    """Which nodes a closing "Đơn vị chủ trì" line applies to: [(node, own_content_only)]."""
    n = stack[-1]
    if n.kind == "root":
        return [(n, True)]
    if n.kind == "letter" or (n.kind == "num" and n.rank >= 3):
        p = n.parent
        idx = p.children.index(n)
        first = p.last_closed + 1
        p.last_closed = idx
        group = [(c, False) for c in p.children[first:idx + 1]]
        if first == 0:
            group.append((p, True))
        return group
    return [(n, False)]


def build_tree(body: list[Block], province: str | None, caption: str | None = None) -> Node:
    root = Node("root", "root", "", 0)
    stack = [root]
    rows: list[Block] = []
    closing: list[tuple[Node, bool]] | None = None
    untitled: Node | None = None     # a division whose title is printed on the next line(s)

    def attach_table() -> None:
        nonlocal rows
        host = stack[-1]
        cap = None
        prev = host.items[-1] if host.items else None
        if isinstance(prev, Block) and prev is not host.head and len(prev.text) < 150 \
                and not is_structural(prev.text) and (prev.bold or is_upper(prev.text)
                                                      or re.match(r"^(Bảng|Biểu|Phụ lục)\b", prev.text)):
            cap = host.items.pop().text
        elif not any(isinstance(i, Table) for i in root.items) and host is root:
            cap = caption
        host.items.append(Table(rows, cap))
        rows = []

    for b in body:
        if b.kind == "table_row":
            rows.append(b)
            continue
        if rows:
            attach_table()
        t = b.text.strip()
        u = UNIT_LINE.match(t)
        if u:
            closing = closing or _group(stack)
            found = parse_unit_list(u.group("units"), province)
            is_lead = u.group("role").lower().startswith(_LEAD_ROLES)
            lead, partners = (list(found.units), []) if is_lead else ([], list(found.units))
            partners += [x for x in found.partners if x not in partners]  # "X chủ trì, phối hợp Y"
            for node, own in closing:
                if own:
                    node.own_explicit = _merge(node.own_explicit, lead, partners)
                else:
                    node.explicit = _merge(node.explicit, lead, partners)
                if is_lead and found.requested:
                    target = node.own_explicit if own else node.explicit
                    target.requested = list(dict.fromkeys([*target.requested, *found.requested]))
            stack[-1].items.append(b)
            continue
        if not (closing and _SHORT_LABEL.match(t) and len(t) < 120):
            closing = None
        if untitled is not None and _continues_title(untitled, b):
            # "Chương I" ¶ "NHỮNG QUY ĐỊNH" ¶ "CHUNG": the upper-case lines are the division's title
            untitled.label += (". " if untitled.bare else " ") + t
            untitled.bare = False
            stack[-1].items.append(b)
            continue
        untitled = None
        h = _heading(b, stack, province)
        if h:
            node, n = h
            while stack[-1].rank >= node.rank:
                stack.pop()
            parent = stack[-1]
            node.parent = parent
            parent.children.append(node)
            parent.items.append(node)
            parent.last_num[node.rank] = n
            node.items.append(b)
            stack.append(node)
            if node.bare:
                untitled = node
            continue
        if is_closing_paragraph(t) and len(stack) > 1:
            del stack[1:]
        stack[-1].items.append(b)
    if rows:
        attach_table()
    return root


def _nearest(node: Node, own: bool) -> tuple[Units | None, Units | None]:
    explicit = node.own_explicit if own and node.own_explicit else None
    heading = None
    n = node
    while n is not None:
        if explicit is None and n.explicit:
            explicit = n.explicit
        if heading is None and n.heading_units:
            heading = n.heading_units
        n = n.parent
    return explicit, heading


def _split_long(b: Block) -> list[Block]:
    if len(b.text) <= HARD_CHARS:
        return [b]
    pieces, cur = [], ""
    for sent in re.split(r"(?<=[.;])\s+", b.text):
        if cur and len(cur) + len(sent) > TARGET_CHARS:
            pieces.append(cur)
            cur = ""
        cur = (cur + " " + sent).strip()
    if cur:
        pieces.append(cur)
    return [Block(p, kind=b.kind, page=b.page, start=b.start, end=b.end) for p in pieces]


def _starts_flip(text: str, province: str | None) -> bool:
    return bool(text_roles(text, province).flip)


def _chunks(run: list[Block], head: Block | None, province: str | None) -> list[list[Block]]:
    chunks: list[list[Block]] = []
    cur: list[Block] = []
    size = 0
    cur_flip = False
    for b in run:
        for p in _split_long(b):
            sticky = bool(UNIT_LINE.match(p.text)) or (bool(_SHORT_LABEL.match(p.text)) and len(p.text) < 120)
            flip = _starts_flip(p.text, province)
            only_head = len(cur) == 1 and cur[0] is head
            if cur and not sticky and not only_head and (size + len(p.text) > TARGET_CHARS or flip or cur_flip):
                chunks.append(cur)
                cur, size = [], 0
            cur.append(p)
            size += len(p.text) + 1
            cur_flip = flip if not sticky else cur_flip
    if cur:
        chunks.append(cur)
    return chunks


def _head_in_label(node: Node) -> bool:
    """Does the heading path show the whole heading line? A long one is cut (or reduced to its number)."""
    return not node.label.endswith("…") and len(node.head.text.strip(" :.")) <= len(node.label) + 2


def drafts(root: Node, province: str | None) -> list[Draft]:
    out: list[Draft] = []

    def flush(node: Node, run: list[Block], before_children: bool) -> None:
        if not run or (len(run) == 1 and run[0] is node.head and node.children and _head_in_label(node)):
            return   # a bare heading over its children: the heading path already says it
        for chunk in _chunks(run, node.head, province):
            text = "\n".join(b.text for b in chunk)
            explicit, heading = _nearest(node, own=before_children)
            # a unit heading is not part of the task: "Sở Nội vụ ¶ Phối hợp với …" starts with "Phối hợp"
            task = chunk[1:] if chunk[0] is node.head and len(chunk) > 1 and node.heading_units else chunk
            units = resolve(explicit, heading, text_roles("\n".join(b.text for b in task), province))
            out.append(Draft("article", text, node.section, node.keypath, chunk, units))

    def table(node: Node, tab: Table) -> None:
        rows, roles = read_table(tab.rows, province)
        for row in rows:
            label = (f"{row.num}. {row.lead_text}" if row.lead_text else row.num).strip()
            section = node.section + tuple(x for x in (tab.caption, *row.groups, label) if x)
            key = f"{node.keypath}.row-{row.num or len(out)}"
            if not row.tasks:
                text = "\n".join(row.task_texts) or " | ".join(c for c in row.blocks[0].cells if c)
                out.append(Draft("table_row", text, section, key, row.blocks, Units(), row.num or None, tab.caption))
            for task in row.tasks:
                out.append(Draft("table_row", task.text, section, key, row.blocks, task.units,
                                 row.num or None, tab.caption))

    def walk(node: Node) -> None:
        run: list[Block] = []
        seen_child = False
        for it in node.items:
            if isinstance(it, Block):
                run.append(it)
                continue
            flush(node, run, not seen_child)
            run = []
            if isinstance(it, Node):
                seen_child = True
                walk(it)
            else:
                table(node, it)
        flush(node, run, not seen_child)

    walk(root)
    return out
