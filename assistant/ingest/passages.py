"""Passages of one document part: its heading tree cut into ``Draft`` passages.

A bullet (or point) that opens with the unit it assigns ("- Sở Y tế: …", "- Sở
Công Thương chủ trì …") is a passage of its own, with its wrapped lines and sub-bullets,
led by that unit; other content is grouped up to TARGET_CHARS.  Each table row (each task
in it) is a passage with the units its columns name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..records import Block
from .parties import name_parties
from .patterns import BULLET, LETTERED, NUMBERED, UNIT_LINE, ends_sentence, is_structural
from .persons import person_names
from .roles import Opening, Units, opening_units, resolve, text_roles
from .structure import SHORT_LABEL, Node, Table, closing_line
from .tables import read_table

__all__ = ["Draft", "drafts", "TARGET_CHARS", "HARD_CHARS"]

TARGET_CHARS = 900  # a passage grows up to about this many characters …
HARD_CHARS = 1600  # … and a single paragraph longer than this is cut at sentence ends


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


def _nearest(node: Node, own: bool) -> tuple[Units | None, Units | None]:
    explicit = node.own_explicit if own and node.own_explicit else None
    heading = None
    n: Node | None = node
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


def _continues(prev: Block, b: Block) -> bool:
    """Is ``b`` a hard-wrapped line of ``prev`` (PDF text, plain text cut at 80 columns)?

    It carries no marker of its own, and either starts in lower case or follows a line that
    did not end a sentence ("… Đài Phát thanh - Truyền hình tỉnh, Báo" ¶ "Quảng Ngãi và …").
    """
    t = b.text.strip()
    if not t or b.kind in ("heading", "table_row") or is_structural(t):
        return False
    return t[0].islower() or not ends_sentence(prev.text)


def _chunks(run: list[Block], head: Block | None, province: str | None) -> list[list[Block]]:
    chunks: list[list[Block]] = []
    cur: list[Block] = []
    size = 0
    cur_flip = False
    prev: Block | None = None
    for b in run:
        for p in _split_long(b):
            # a wrapped line stays with its item, and a line that starts "phối hợp với …" there is no new task
            cont = prev is not None and p is b and _continues(prev, p)
            sticky = (
                cont
                or bool(UNIT_LINE.match(p.text))
                or (bool(SHORT_LABEL.match(p.text)) and len(p.text) < 120)
            )
            flip = not cont and _starts_flip(p.text, province)
            only_head = len(cur) == 1 and cur[0] is head
            if (
                cur
                and not sticky
                and not only_head
                and (size + len(p.text) > TARGET_CHARS or flip or cur_flip)
            ):
                chunks.append(cur)
                cur, size = [], 0
            cur.append(p)
            size += len(p.text) + 1
            cur_flip = flip if not sticky else cur_flip
            prev = p
    if cur:
        chunks.append(cur)
    return chunks


def _marker(b: Block) -> str | None:
    """The kind of list marker a content block starts with ("-", "+", "•", "n" for "1.", "l" for "a)")."""
    t = b.text.lstrip()
    if BULLET.match(t):
        return t[0]
    if NUMBERED.match(t):
        return "n"
    if LETTERED.match(t):
        return "l"
    return "li" if b.kind == "list_item" else None


@dataclass
class _Segment:
    blocks: list[Block]
    opening: Opening | None = None  # the unit the segment's first bullet assigns
    marker: str | None = None


def _segments(run: list[Block], head: Block | None, province: str | None) -> list[_Segment]:
    """A run cut at the bullets that open with a unit ("- Sở Y tế: …", "+ UBND các huyện chủ trì …").

    Each such bullet keeps its wrapped lines, the sub-points under it (bullets with another
    marker: "- Sở Y tế:" ¶ "+ …" ¶ "+ …") and the lines after a closing colon; everything
    else stays together, to be cut by size as before.
    """
    segs: list[_Segment] = []
    for b in run:
        mk = _marker(b) if b is not head else None
        op = opening_units(b.text, province) if mk and not UNIT_LINE.match(b.text.strip()) else None
        if op:
            segs.append(_Segment([b], op, mk))
            continue
        last = segs[-1] if segs else None
        if (
            last
            and last.opening
            and (
                _continues(last.blocks[-1], b)
                or last.blocks[-1].text.rstrip().endswith(":")
                or (mk and mk != last.marker)
            )
        ):
            last.blocks.append(b)
        elif last and last.opening is None:
            last.blocks.append(b)
        else:
            segs.append(_Segment([b]))
    return segs


def _task_groups(run: list[Block], province: str | None) -> list[tuple[list[Block], Units | None]]:
    """A run cut after each task's own closing lines, with the units those lines name.

    Plans list several tasks under one item, each a bullet closed by its own "Đơn vị chủ trì: …"
    ¶ "Đơn vị phối hợp: …" ¶ "Thời gian thực hiện: …" lines: a closing line ends the group of
    content since the previous one, as it does at the level of lettered points (structure.py).
    With fewer than two such groups the run is one group, its units those of the node.
    """
    groups: list[list[Block]] = [[]]
    lines: list[list[str]] = [[]]  # each group's closing lines, a wrapped one joined back
    closed = in_line = False
    prev: Block | None = None
    for b in run:
        t = b.text.strip()
        opens = UNIT_LINE.match(t) is not None
        wrapped = closed and prev is not None and _continues(prev, b)
        label = closed and bool(SHORT_LABEL.match(t)) and len(t) < 120
        if closed and not (opens or wrapped or label):
            groups.append([])
            lines.append([])
            closed = False
        groups[-1].append(b)
        if opens:
            lines[-1].append(t)
            closed = in_line = True
        elif wrapped and in_line:
            # "Đơn vị phối hợp: Sở" ¶ "Tư pháp; …": the unit list goes on on the next line
            lines[-1][-1] += " " + t
        else:
            in_line = False
        prev = b
    out: list[tuple[list[Block], Units | None]] = []
    for blocks, said in zip(groups, lines):
        units = Units() if said else None
        for line in said:
            got = closing_line(line, province)
            if units is not None and got is not None:
                units.absorb(got)
        out.append((blocks, units))
    if sum(1 for _, u in out if u is not None and u.lead) < 2:
        return [(run, None)]
    return out


def _size_chunks(blocks: list[Block]) -> list[list[Block]]:
    """One unit's task as one passage, cut only when it is very long."""
    chunks: list[list[Block]] = [[]]
    size = 0
    for b in blocks:
        for p in _split_long(b):
            if chunks[-1] and size + len(p.text) > HARD_CHARS:
                chunks.append([])
                size = 0
            chunks[-1].append(p)
            size += len(p.text) + 1
    return chunks


def _role_text(chunk: list[Block], skip: Block | None, skip_to: int) -> str:
    """The wording roles are read from: past the unit label of ``skip`` (a heading or an opening
    bullet), wrapped lines joined back into their sentence (a wrapped line that happens to start
    with a unit name is not a new subject)."""
    out = ""
    prev = None
    for b in chunk:
        t = b.text[skip_to:] if b is skip else b.text
        if prev is not None:
            # a heading is a line of its own: the line under it starts a sentence
            out += " " if prev.kind != "heading" and _continues(prev, b) else "\n"
        out += t
        prev = b
    return out.strip()


def _head_in_label(node: Node) -> bool:
    """Does the heading path show the whole heading line? A long one is cut (or reduced to its number)."""
    return not node.label.endswith("…") and len(node.head_text.strip(" :.")) <= len(node.label) + 2


def drafts(root: Node, province: str | None) -> list[Draft]:
    out: list[Draft] = []

    def emit(node: Node, chunk: list[Block], units: Units) -> None:
        out.append(
            Draft("article", "\n".join(b.text for b in chunk), node.section, node.keypath, chunk, units)
        )

    def flush(node: Node, run: list[Block], before_children: bool) -> None:
        if not run or (len(run) == 1 and run[0] is node.head and node.children and _head_in_label(node)):
            return  # a bare heading over its children: the heading path already says it
        for group, own in _task_groups(run, province):
            emit_run(node, group, before_children, own)

    def emit_run(node: Node, run: list[Block], before_children: bool, own: Units | None) -> None:
        explicit, heading = _nearest(node, own=before_children)
        explicit = own or explicit  # a task closed by its own unit lines is theirs
        segs = _segments(run, node.head, province)
        lead_in: Block | None = (
            None  # a heading line the path does not show, put before the first unit's task
        )
        for seg in segs:
            if seg.opening is None:
                if len(segs) > 1 and seg.blocks == [node.head]:
                    # "1. Các sở, ban, ngành" over one passage per unit: the path says it; "a) Truyền
                    # thông trên báo chí" (labelled "a)") is shown with the first unit's task
                    lead_in = None if _head_in_label(node) else node.head
                    continue
                for chunk in _chunks(seg.blocks, node.head, province):
                    # a unit heading is not part of the task: "Sở Nội vụ ¶ Phối hợp với …" starts with "Phối hợp"
                    roles = text_roles(_role_text(chunk, node.head, node.task_from), province)
                    emit(node, chunk, resolve(explicit, heading, roles))
                continue
            # the unit a bullet opens with is the one the task is for, whatever the heading groups
            op = seg.opening
            own = Units(list(op.units), [], list(op.units) if op.requested else [])
            for k, chunk in enumerate(_size_chunks(seg.blocks)):
                first = chunk[0] if k == 0 else None
                roles = text_roles(_role_text(chunk, first, op.task_start), province)
                emit(
                    node,
                    [lead_in, *chunk] if lead_in is not None and k == 0 else chunk,
                    resolve(None, own, roles),
                )
            lead_in = None

    def table(node: Node, tab: Table) -> None:
        rows, roles = read_table(tab.rows, province)
        for row in rows:
            # a Word cell lists its units one paragraph each: a heading path is one line. A row of an
            # assignment table ("Nhiệm vụ | Người thực hiện") is headed by no one: its people are who
            # does the task (the passage's persons), not a section of the plan; its path is the table's
            # caption in the section it sits in
            label = ". ".join(x for x in (row.num, " ".join(row.lead_text.split())) if x).strip()
            if person_names(row.lead_text):
                label = ""
            section = node.section + tuple(x for x in (tab.caption, *row.groups, label) if x)
            key = f"{node.keypath}.row-{row.num or len(out)}"
            if not row.tasks:
                text = "\n".join(row.task_texts) or " | ".join(c for c in row.blocks[0].cells if c)
                out.append(
                    Draft("table_row", text, section, key, row.blocks, Units(), row.num or None, tab.caption)
                )
            for task in row.tasks:
                out.append(
                    Draft(
                        "table_row",
                        task.passage or task.text,
                        section,
                        key,
                        row.blocks,
                        task.units,
                        row.num or None,
                        tab.caption,
                    )
                )

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

    name_parties(root)
    walk(root)
    return out
