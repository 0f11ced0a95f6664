"""Heading tree of one document part.

Headings: divisions ("PHẦN I.", "Phần thứ hai", "Chương II", "Mục 1") above everything
else, each restarting the numbering below it; Roman sections (I., II. — also "### I." or
bold), "Điều N.", numbered items
(1., 1.1., 2.3.), lettered points (a), b), đ) … also "*c)*" / "**a)**" once markup is
gone).  Bullets are content.  A numbered "1." met inside a lettered point restarts a
nested list, not the plan's numbering, and stays content — unless markup makes it a heading
("### 1."; "## III." is a section whatever the count says).  A document attached inside the
part (a decision's plan: "KẾ HOẠCH" after the signature, "(Ban hành kèm theo …)") restarts
the tree.

Units: an "Đơn vị chủ trì / phối hợp" line closes a *group*: at the level of
lettered points (or 1.1-style sub-items) it applies to every point since the
previous closing line under the same parent (and to the parent's own introduction
when nothing was closed before); at other levels to the item it ends.  Headings
that are unit names make their unit lead everything below them.  Sentences add
what roles.py recognises.

The tree is cut into passages by ``passages.drafts``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..records import Block
from ..textnorm import fold
from .clean import is_division
from .patterns import (
    ARTICLE,
    LETTERED,
    NUMBERED,
    ROMAN,
    UNIT_LINE,
    doc_type_of,
    is_authority,
    is_closing_paragraph,
    is_recipients_head,
    is_structural,
    is_upper,
    roman_value,
)
from .roles import Units, opening_units
from .units import find_units, parse_unit_list, places_after_colon

__all__ = ["Node", "Table", "build_tree", "closing_line", "SHORT_LABEL"]

_LEAD_ROLES = ("chủ trì", "thực hiện", "tham mưu", "đầu mối", "chịu trách nhiệm")
# "Kinh phí: …", "Thời gian thực hiện: …": a short label line stays with the unit line it follows
SHORT_LABEL = re.compile(r"^[-+•]?\s*[^:]{3,40}:\s")
# divisions sit between the root (0) and Roman sections / articles (1): Phần > Chương > Mục
_DIVISION_RANK = {"phần": 0.25, "chương": 0.5, "mục": 0.75}
_ORDINALS = {
    "nhất": 1,
    "một": 1,
    "hai": 2,
    "ba": 3,
    "tư": 4,
    "bốn": 4,
    "năm": 5,
    "sáu": 6,
    "bảy": 7,
    "tám": 8,
    "chín": 9,
    "mười": 10,
}


@dataclass
class Table:
    rows: list[Block]
    caption: str | None


@dataclass(eq=False)
class Node:
    kind: str  # root | division | roman | article | num | letter
    key: str  # short id part: "II", "4", "b", "d3", "phan2"
    label: str  # shown in the heading path
    rank: float
    parent: Node | None = None
    head: Block | None = None  # the heading block itself
    items: list = field(default_factory=list)  # Block | Node | Table, in order
    children: list[Node] = field(default_factory=list)
    heading_units: Units | None = None
    explicit: Units | None = None  # from closing lines, for the whole subtree
    own_explicit: Units | None = None  # for the node's own introduction only
    last_closed: int = -1
    last_num: dict[float, int] = field(default_factory=dict)  # rank (-1: articles) → last number
    nested: int = 0  # last number of a numbered list nested in this node's text
    bare: bool = False  # a division printed without its title ("Chương I"): next lines give it
    task_from: int = 0  # where the task wording of the heading line starts (past a unit label)

    @property
    def head_text(self) -> str:
        return self.head.text if self.head is not None else ""

    def chain(self) -> list[Node]:
        out: list[Node] = []
        n: Node | None = self
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


_MARKED_WORDS = 16  # a heading is a phrase; a sentence item set in bold runs longer


def _label(prefix: str, title: str, marked: bool = False) -> tuple[str, str]:
    """(label for the heading path, the part of the title that may name a unit).

    A title that reads as a heading ("Tham mưu quy chế …:", "Sở Nội vụ") is kept,
    shortened past 120 characters; an item that is a full sentence ("Sở Tài chính có
    trách nhiệm …. ") is labelled by its number only. A short title set apart by markup
    (bold, italic, a heading) keeps its title though it ends with a full stop: plans
    often close headings with one ("**IV. Tổ chức thực hiện.**", "*1.1.2. Vùng nuôi
    tôm hùm lồng, bè.*").
    """
    colon = title.find(":")
    one_clause = not re.search(r"\.\s+[A-ZĐÀ-Ỹ]", title)
    if 0 < colon <= 100 and colon < len(title.rstrip()) - 1:
        head = title[:colon]
        # "Ủy ban nhân dân các xã: Gia Thuận, Tân Điền": the communes after the colon are the party
        if places_after_colon(title, colon) >= len(title.rstrip(" .;")):
            head = title.rstrip(" .;")
    elif marked and one_clause and title.rstrip().endswith(".") and len(title.split()) <= _MARKED_WORDS:
        head = title.rstrip().rstrip(".")
    elif not one_clause or title.rstrip().endswith((".", ";")):
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
    """ "PHẦN II. NHIỆM VỤ", "Chương I", "Phần thứ hai": a node above the Roman sections."""
    m = is_division(b.text)
    if not m:
        return None
    kw = m.group("kw").lower()
    value = _division_value(m.group("m"))
    prefix = b.text.strip()[: m.start("t")]
    bare = not m.group("t").strip()
    # a short title set apart by markup keeps its closing full stop, as a Roman section's does
    # ("**Phần IV. Tổ chức thực hiện.**" is the "**IV. Tổ chức thực hiện.**" of a plan in parts)
    marked = b.kind == "heading" or b.bold
    label = prefix.strip(" .:-–") if bare else _label(prefix, m.group("t"), marked)[0]
    return Node("division", f"{fold(kw)}{value}", label, _DIVISION_RANK[kw], head=b, bare=bare), value


def _continues_title(node: Node, b: Block) -> bool:
    t = b.text.strip()
    return (
        b.kind in ("para", "heading")
        and is_upper(t)
        and not is_structural(t)
        and not is_division(t)
        and len(node.label) + len(t) < 200
    )


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
        head, _ = _label(
            "", m.group("t")
        )  # "Điều 1. Phạm vi điều chỉnh" keeps its title; a sentence does not
        node = Node("article", f"d{n}", f"Điều {n}" + (f". {head}" if head else ""), 1, head=b)
        return node, n
    m = ROMAN.match(t)
    if m:
        value = roman_value(m.group("m"))
        # Roman sections are counted inside the innermost division: "I." after "PHẦN II." starts again
        host = next(x for x in reversed(stack) if x.rank < 1)
        last = host.last_num.get(1, 0)
        title = m.group("t")
        # sections follow each other (a plan may be an excerpt starting at "II."), never go back — unless
        # the line is marked as a heading ("## III. KINH PHÍ", "**II. NHIỆM VỤ**"): markup says what it is
        marked = b.kind == "heading" or (b.bold and len(title) < 200)
        if marked or (
            (value == last + 1 or (last == 0 and is_upper(title)))
            and (is_upper(title) or b.bold or len(title) < 120)
        ):
            label, unit_part = _label(t[: m.start("t")], title, marked)
            return _with_units(Node("roman", m.group("m"), label, 1, head=b), unit_part, province), value
        return None
    m = NUMBERED.match(t)
    if m:
        comps = m.group("m").split(".")
        rank, n = 1 + len(comps), int(comps[-1])
        parent = next(x for x in reversed(stack) if x.rank < rank)
        last = parent.last_num.get(rank, 0)
        top = stack[-1]
        if (
            top.rank > rank
            and b.kind != "heading"
            and ((n == 1 and last != 0) or (top.nested and n == top.nested + 1))
        ):
            top.nested = n  # "1." "2." inside a lettered point: a nested list, not the plan's numbering
            return None
        emphasised = b.kind == "heading" or b.bold or b.italic
        label, unit_part = _label(t[: m.start("t")], m.group("t"), emphasised)
        return _opening(
            _with_units(Node("num", m.group("m"), label, rank, head=b), unit_part, province), province
        ), n
    m = LETTERED.match(t)
    if m:
        letter = m.group("m")
        _, unit_part = _label(t[: m.start("t")], m.group("t"))
        return _opening(
            _with_units(Node("letter", letter, f"{letter})", 10, head=b), unit_part, province), province
        ), 0
    return None


def _with_units(node: Node, unit_part: str, province: str | None) -> Node:
    if unit_part and len(unit_part) <= 200:
        found = parse_unit_list(unit_part, province)
        if found.complete and found.units:
            node.heading_units = Units(list(found.units), [], list(found.requested))
            node.task_from = _past_label(node.head_text, unit_part)
    return node


def _past_label(text: str, label: str) -> int:
    """Where a heading's own wording starts after its unit label: "1. Sở Nội vụ: tham mưu …" → "tham mưu"."""
    at = text.find(label)
    if at < 0:
        return len(text)
    end = at + len(label)
    gap = re.match(r"[\s:.*]*", text[end:])
    return end + (len(gap.group(0)) if gap else 0)


def _opening(node: Node, province: str | None) -> Node:
    """A point that opens with the unit it assigns ("a) Sở Y tế chủ trì …") has that unit as its own."""
    if node.heading_units is None:
        op = opening_units(node.head_text, province)
        if op:
            node.heading_units = Units(list(op.units), [], list(op.units) if op.requested else [])
            node.task_from = op.task_start
    return node


# "Giao phòng Quản lý Công nghiệp triển khai, thực hiện các công việc:", "Đề nghị Công an tỉnh thực
# hiện các nhiệm vụ sau:": a line under a heading that hands the points below it to a unit. The
# points that follow are that unit's tasks, as if it headed them (Decree 30/2020 plans assign by
# heading, by a lead-in line or by a row's columns).
_LEAD_IN = re.compile(
    r"^(?:giao|đề\s+nghị)\s+.{3,120}?\b(?:các|những)\s+(?:công\s+việc|nhiệm\s+vụ|nội\s+dung)"
    r"(?:\s+(?:sau|cụ\s+thể|sau\s+đây))?\s*:\s*$",
    re.I,
)


def _lead_in(node: Node, text: str, province: str | None) -> None:
    """Give ``node`` the unit of a lead-in line written under its heading, before its points."""
    if node.heading_units is not None or node.children or node.head is None or not _LEAD_IN.match(text):
        return
    op = opening_units(re.sub(r"(?i)^giao\s+", "", text), province)
    if op:
        node.heading_units = Units(list(op.units), [], list(op.units) if op.requested else [])


_ITEM_START = re.compile(r"^(?:[a-zđ]|\d{1,2}(?:\.\d{1,2})*)[.)]\s")


def _cut_name(node: Node, text: str, province: str | None) -> None:
    """A heading line broken inside its unit's name ("3. Đề nghị Ủy ban Mặt trận" ¶ "Tổ quốc Việt
    Nam tỉnh và …"): web-page exports hard-wrap lines at a fixed width, so the last unit read from
    the heading alone is cut short; the name read across the break replaces it."""
    units = node.heading_units
    if units is None or not units.lead or len(node.items) != 1 or node.head is None:
        return
    head = node.head_text.strip().rstrip("*_ ")
    more = text.split("\n", 1)[0].strip("*_ ")
    if not head or head[-1] in ".:;!?)" or not more[:1].isalpha() or _ITEM_START.match(more):
        return  # the heading ended its sentence, or the next block is an item of its own
    old = find_units(head, province)
    new = find_units(head + " " + more, province)
    if not old or len(new) < len(old) or new[: len(old) - 1] != old[:-1]:
        return
    cut, whole = old[-1], new[len(old) - 1]
    if cut not in units.lead or whole == cut or not fold(whole).startswith(fold(cut) + " "):
        return
    units.lead = [whole if u == cut else u for u in units.lead]
    units.requested = [whole if u == cut else u for u in units.requested]


def closing_line(text: str, province: str | None) -> Units | None:
    """The units a closing line names ("Đơn vị chủ trì: Sở Y tế", "- Phối hợp: …"), or None."""
    u = UNIT_LINE.match(text.strip())
    if not u:
        return None
    found = parse_unit_list(u.group("units"), province)
    is_lead = u.group("role").lower().startswith(_LEAD_ROLES)
    lead, partners = (list(found.units), []) if is_lead else ([], list(found.units))
    partners += [x for x in found.partners if x not in partners]  # "X chủ trì, phối hợp Y"
    return Units(lead, partners, list(found.requested) if is_lead else [])


def _group(stack: list[Node]) -> list[tuple[Node, bool]]:
    """Which nodes a closing "Đơn vị chủ trì" line applies to: [(node, own_content_only)]."""
    n = stack[-1]
    if n.kind == "root":
        return [(n, True)]
    p = n.parent
    if p is not None and (n.kind == "letter" or (n.kind == "num" and n.rank >= 3)):
        idx = p.children.index(n)
        first = p.last_closed + 1
        p.last_closed = idx
        group = [(c, False) for c in p.children[first : idx + 1]]
        if first == 0:
            group.append((p, True))
        return group
    return [(n, False)]


_ATTACHED = re.compile(r"^[(*_\s]*(?:ban\s+hành\s+)?kèm\s+theo\b", re.I)


def _is_doc_title(b: Block) -> bool:
    t = b.text.strip()
    return len(t) < 200 and doc_type_of(t) is not None and (b.kind == "heading" or is_upper(t.split(":")[0]))


def _signed(blocks: list[Block]) -> bool:
    """Do these blocks end a document: a "Nơi nhận" list or a "TM./KT. …" signature line (or a table of them)?"""
    for b in blocks:
        t = b.text.strip()
        if (
            is_recipients_head(t)
            or is_authority(t)
            or re.match(r"^(?:Nơi nhận\s*:|(?:TM|KT|Q|TL)\.\s*[A-ZĐ])", t)
        ):
            return True
    return False


def _part_starts(body: list[Block]) -> set[int]:
    """Indices where a second document starts inside one part's body.

    Split_parts cuts a file into its documents by their headers; when it misses one (a
    decision whose signature sits in a table, then "KẾ HOẠCH" and "(Ban hành kèm theo
    Quyết định …)"), the attached document still starts a new section tree: at a document
    title after a signature, or at the title just above a "(Ban hành) kèm theo …" line.
    """
    out: set[int] = set()
    for i, b in enumerate(body):
        if i == 0:
            continue
        if _ATTACHED.match(b.text) and len(b.text) < 300:
            j = next((k for k in range(i - 1, max(i - 4, 0) - 1, -1) if _is_doc_title(body[k])), None)
            if j:
                out.add(j)
            elif j is None and re.search(r"quyết\s+định", b.text, re.I):
                out.add(i)  # "(Ban hành kèm theo Quyết định …)" under a title not in capitals
        elif _is_doc_title(b) and _signed(body[max(0, i - 12) : i]):
            out.add(i)
    return out


def build_tree(body: list[Block], province: str | None, caption: str | None = None) -> Node:
    root = Node("root", "root", "", 0)
    stack = [root]
    rows: list[Block] = []
    closing: list[tuple[Node, bool]] | None = None
    untitled: Node | None = None  # a division whose title is printed on the next line(s)

    def attach_table() -> None:
        nonlocal rows
        host = stack[-1]
        cap = None
        prev = host.items[-1] if host.items else None
        if (
            isinstance(prev, Block)
            and prev is not host.head
            and len(prev.text) < 150
            and not is_structural(prev.text)
            and (prev.bold or is_upper(prev.text) or re.match(r"^(Bảng|Biểu|Phụ lục)\b", prev.text))
        ):
            cap = host.items.pop().text
        elif not any(isinstance(i, Table) for i in root.items) and host is root:
            cap = caption
        host.items.append(Table(rows, cap))
        rows = []

    starts = _part_starts(body)
    for i, b in enumerate(body):
        if i in starts:
            # a document attached inside this part (the plan a decision issues): its sections
            # are numbered from I. again and belong to no article of the decision
            if rows:
                attach_table()
            del stack[1:]
            root.last_num.clear()
            root.nested = 0
            closing = untitled = None
        if b.kind == "table_row":
            rows.append(b)
            continue
        if rows:
            attach_table()
        t = b.text.strip()
        said = closing_line(t, province)
        if said is not None:
            closing = closing or _group(stack)
            for node, own in closing:
                if own:
                    node.own_explicit = (node.own_explicit or Units()).absorb(said)
                else:
                    node.explicit = (node.explicit or Units()).absorb(said)
            stack[-1].items.append(b)
            continue
        if not (closing and SHORT_LABEL.match(t) and len(t) < 120):
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
            # "Điều 3" and "III." share a rank but not a count: a decision's articles say nothing
            # about the numbering of the plan it issues
            parent.last_num[node.rank if node.kind != "article" else -1] = n
            node.items.append(b)
            stack.append(node)
            if node.bare:
                untitled = node
            continue
        if is_closing_paragraph(t) and len(stack) > 1:
            del stack[1:]
        _cut_name(stack[-1], t, province)
        _lead_in(stack[-1], t, province)
        stack[-1].items.append(b)
    if rows:
        attach_table()
    return root
