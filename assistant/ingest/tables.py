"""Task tables (STT | Đơn vị chủ trì | Nội dung thực hiện | Đơn vị phối hợp) → one record per task.

Columns are recognised from the header row by their names, in any order, and
whatever the wording around the role ("Đơn vị\\nchủ trì", "Cơ quan, đơn vị chủ
trì thực hiện", "Thời gian thực hiện/hoàn thành").  A row whose STT is empty
(or repeats the row above, as merged Word cells do) continues the row above:
its tasks join the parent's, and text in its unit cells continues the parent's
unit names ("Hội Doanh" + "nhân trẻ Tỉnh; …").  A group row ("I | CÔNG TÁC
TUYÊN TRUYỀN | | |": a Roman/letter STT, or a title alone in its row) is not a
task: it heads the rows under it (``TaskRow.groups``).

No cell is lost: the cells that are neither the task nor a unit column (time,
product, budget, unit of measure, target value, note, unnamed columns) follow the
task in the row's text, each named by its column ("… | Thời gian hoàn thành:
30/6/2025").  A table without unit columns ("Chỉ tiêu | Đơn vị tính | Kết quả")
names every cell, the first one too; only a header naming a unit *role* (chủ trì,
phối hợp, thực hiện …) gives units — "Đơn vị tính" is a unit of measure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from ..records import Block
from ..textnorm import fold
from .inline import inline_to_text
from .patterns import is_upper
from .persons import person_names
from .roles import Units, resolve, text_roles
from .table_groups import whole_row_group
from .units import parse_unit_list

__all__ = [
    "row_block",
    "TaskRow",
    "Task",
    "read_table",
    "is_header_row",
    "header_roles",
    "is_header_cells",
    "is_label_row",
    "is_column_numbers",
    "is_row_number",
    "row_text",
]

# Strongest cue first, so the role word wins over the words around it: "Thời gian thực
# hiện" is a time and "Kết quả thực hiện" a product although "thực hiện" names the lead,
# "Đơn vị chủ trì thực hiện nhiệm vụ" a lead although "nhiệm vụ" names the content.
_ROLE_WORDS = (
    ("measure", r"don vi tinh|^dvt$"),  # unit of measure (%, hộ, km), never a unit that acts
    ("partners", r"phoi hop"),
    ("num", r"^(stt|tt|so tt|so thu tu)$"),
    ("time", r"thoi gian|thoi han|tien do|thoi diem"),
    ("product", r"san pham|ket qua"),
    ("budget", r"kinh phi|nguon von|du toan"),
    ("note", r"ghi chu"),
    ("lead", r"chu tri"),
    ("content", r"noi dung|nhiem vu|cong viec|hoat dong|giai phap|chi tieu"),
    ("lead", r"thuc hien|co quan|don vi|trach nhiem|phan cong"),
)
_EXTRA_ROLES = ("time", "product", "budget", "note", "measure")
_UNIT_ROLES = ("lead", "partners")
# between labelled cells: not "; ", which the answer's quote segmenter reads as a clause break
_CELL_SEP = " | "
_INLINE_BULLET = re.compile(r"(?<=[.;:!?])\s+[-–+•*]\s+(?=\S)")
# STT of a row: 1, 01, 1.1, 2.3.1, I, IV, a, B (with an optional closing "." or ")")
_ROW_NUMBER = re.compile(r"^(?:\d{1,3}(?:\.\d{1,3}){0,3}|[IVXL]{1,6}|[A-Za-zĐđ])[.)]?$")
_ROMAN = re.compile(r"^[IVXL]{1,6}$")


@dataclass
class Task:
    text: str  # the task as written in its cell
    units: Units
    passage: str = ""  # the row's passage text: the task and the row's other cells (``row_text``)


@dataclass
class TaskRow:
    num: str
    lead_text: str
    partners_text: str
    blocks: list[Block] = field(default_factory=list)
    task_texts: list[str] = field(default_factory=list)
    extra: dict[str, str] = field(default_factory=dict)  # time, product, budget, note …
    cells: list[tuple[str, str]] = field(default_factory=list)  # (column name, text) the task text lacks
    tasks: list[Task] = field(default_factory=list)
    groups: tuple[str, ...] = ()  # group rows above it, outermost first: ("I. CÔNG TÁC TUYÊN TRUYỀN",)

    @property
    def start(self) -> int:
        return self.blocks[0].start

    @property
    def end(self) -> int:
        return self.blocks[-1].end


def _cell_role(cell: str) -> str | None:
    f = re.sub(r"\s+", " ", fold(cell)).strip(" .:*")
    for role, rx in _ROLE_WORDS:
        if re.search(rx, f):
            return role
    return None


def header_roles(cells) -> dict[int, str]:
    """Column index → role (num, content, lead, partners, time, product, budget, note).

    Only the first column of a role keeps it, except content: a table may describe
    its task in two columns ("Nhiệm vụ" | "Nội dung cụ thể").
    """
    roles: dict[int, str] = {}
    for i, c in enumerate(cells):
        role = _cell_role(c) if c.strip() else None
        if role and (role == "content" or role not in roles.values()):
            roles[i] = role
    return roles


def _is_header(roles: dict[int, str]) -> bool:
    r = set(roles.values())
    return "content" in r and ("lead" in r or "partners" in r or "num" in r)


def is_header_row(b: Block) -> bool:
    return _is_header(header_roles(b.cells))


def is_header_cells(cells) -> bool:
    """Stricter than ``is_header_row``, for text that is not yet known to be a table:
    every cell is a short column name."""
    filled = [c for c in cells if c.strip()]
    if len(filled) < 2 or any(len(c) > 70 for c in filled):
        return False
    roles = header_roles(cells)
    return len(roles) == len(filled) and _is_header(roles)


def is_row_number(cell: str) -> bool:
    return bool(_ROW_NUMBER.match(cell.strip()))


def _split_tasks(cell: str) -> list[str]:
    out = []
    for line in cell.split("\n"):
        for piece in _INLINE_BULLET.split(line):
            piece = re.sub(r"^[-–+•*]\s*", "", piece.strip()).strip()
            if piece:
                out.append(piece)
    return out


def _continue_name(prev: str, more: str) -> str:
    """Join a unit cell with its continuation; a lower-case start continues a cut name."""
    if not more:
        return prev
    if not prev:
        return more
    if more[:1].islower() and not re.search(r"[;,.]\s*$", prev):
        return prev.rstrip() + " " + more.lstrip()
    return prev.rstrip(" ;,") + "; " + more.lstrip()


@dataclass
class _Cells:
    """One body row read through the header's roles."""

    num: str
    lead: str
    partners: str
    tasks: list[str]
    extra: dict[str, str]
    other: list[tuple[str, str]] = field(default_factory=list)  # (column name, text), in column order

    @property
    def only_content(self) -> bool:
        return not (self.lead or self.partners or self.extra or self.other) and bool(self.tasks)


def _name(cell: str) -> str:
    """A header cell as a label: "Thời gian\nhoàn thành" → "Thời gian hoàn thành"."""
    return re.sub(r"\s+", " ", cell).strip(" :*")


def _other_cells(
    cells: list[str], roles: dict[int, str], names: list[str], content_cols: list[int], width: int
) -> list[tuple[str, str]]:
    """The cells the row's task and units do not hold, with their column names."""
    out = []
    for i in range(width):
        if i in content_cols or roles.get(i) in ("num", *_UNIT_ROLES):
            continue
        text = re.sub(r"\s*\n\s*", " ", cells[i]).strip()
        if text:
            out.append((_name(names[i]) if i < len(names) else "", text))
    return out


def _read_cells(b: Block, roles: dict[int, str], names: list[str]) -> _Cells:
    cells = list(b.cells) + [""] * 8
    num_col = next((i for i, r in roles.items() if r == "num"), None)
    content = next((i for i, r in roles.items() if r == "content"), None)
    if (merged := whole_row_group(b.cells, num_col, content)) is not None:
        b = replace(b, cells=merged)
        cells = list(merged) + [""] * 8
    others = {c.strip() for i, c in enumerate(b.cells) if i != num_col and c.strip()}
    if len(others) == 1 and sum(1 for i, c in enumerate(b.cells) if i != num_col and c.strip()) > 1:
        # a title merged across the row repeats in every cell it spans (Word, HTML exports)
        title = others.pop()
        cells = [c if i == num_col else "" for i, c in enumerate(b.cells)] + [""] * 8
        if content is not None:
            cells[content] = title
    col: dict[str, int] = {}
    for i, r in roles.items():
        col.setdefault(r, i)

    def get(r):
        return cells[col[r]].strip() if r in col else ""

    content_cols = [i for i, r in roles.items() if r == "content"] or [
        i for i in range(len(b.cells)) if i not in roles
    ]
    tasks = [t for i in content_cols for t in _split_tasks(cells[i])]
    extra = {r: cells[i].strip() for i, r in roles.items() if r in _EXTRA_ROLES and cells[i].strip()}
    other = _other_cells(cells, roles, names, content_cols, max(len(b.cells), len(names)))
    return _Cells(
        get("num").rstrip(".)") if get("num") else "", get("lead"), get("partners"), tasks, extra, other
    )


def row_text(task: str, row: TaskRow, content_name: str = "") -> str:
    """The passage text of one task of a row: the task, then the row's other cells by column name.

    ``content_name`` labels the task itself, for tables without unit columns, where the
    first column is a target or an item rather than a task ("Chỉ tiêu: … | Kết quả: 80").
    """
    head = f"{content_name}: {task}" if content_name and task else task
    return _CELL_SEP.join([head, *(f"{n}: {v}" if n else v for n, v in row.cells)]) if row.cells else head


def _group_kind(num: str, title: str, next_num: str, stack: list[tuple[str, str]]) -> str | None:
    """The kind of group a row heads (roman, letter, LETTER, title, num1 …), or None for a task row."""
    if num and next_num.startswith(num + "."):
        return f"num{num.count('.')}"  # "1 | CÔNG TÁC …" over "1.1 | …"
    if _ROMAN.match(num):
        # "C" after "B" is a letter, not a hundred
        prev = next((n for k, n in reversed(stack) if k == "LETTER"), "")
        if not (len(num) == 1 and prev and ord(num) == ord(prev) + 1):
            return "roman"
    if re.fullmatch(r"[A-ZĐ]", num):
        return "LETTER"
    if re.fullmatch(r"[a-zđ]", num):
        return "letter"
    if not num and is_upper(title) and len(title) < 200:
        return "title"
    return None


@dataclass
class _Group:
    kind: str
    label: str
    row: TaskRow  # the group row itself, kept as a row when no task comes under it
    lead: str = ""  # a group titled by a unit ("II | SỞ Y TẾ | | |") leads the rows under it
    used: bool = False


def _enter_group(stack: list[_Group], group: _Group, out: list[TaskRow]) -> None:
    """A group closes the open group of its own kind (and everything inside it), or nests."""
    for i, g in enumerate(stack):
        if g.kind == group.kind:
            _close_groups(stack[i:], out)
            del stack[i:]
            break
    stack.append(group)


def _close_groups(groups: list[_Group], out: list[TaskRow]) -> None:
    out.extend(g.row for g in groups if not g.used)  # no text is lost


def _new_group(c: _Cells, b: Block, kind: str, stack: list[_Group], province: str | None) -> _Group:
    title = " ".join(c.tasks)
    label = f"{c.num}. {title}" if c.num else title
    named = parse_unit_list(title, province)
    lead = title if named.units and named.complete else ""
    return _Group(
        kind, label, TaskRow(c.num, "", "", [b], [title], groups=tuple(g.label for g in stack)), lead
    )


def read_table(rows: list[Block], province: str | None) -> tuple[list[TaskRow], dict[int, str]]:
    """Task rows with their units; returns (rows, column roles).  No header → no roles.

    A first row that only names columns ("Chỉ tiêu | Đơn vị tính | Kết quả năm 2025")
    is a header too, although no task is assigned in that table: its names label the cells.
    """
    header = next((i for i, b in enumerate(rows[:3]) if is_header_row(b)), None)
    if header is None and rows and len(rows) > 1 and (is_label_row(rows[0].cells) or _bold_names(rows[0])):
        header = 0
    roles = header_roles(rows[header].cells) if header is not None else {}
    names = list(rows[header].cells) if header is not None else []
    body = rows[header + 1 if header is not None else 0 :]
    if header is not None:
        body = [b for k, b in enumerate(body) if k > 1 or not is_column_numbers(b.cells)]
    if "content" not in roles.values():
        plain = [TaskRow("", "", "", [b], [_plain_row(b.cells, names)]) for b in body]
        for row in plain:
            _assign_units(row, province, False)
        return plain, {}
    # a table naming no unit column lists targets or items, not tasks: its first column is named too
    content_name = (
        ""
        if set(roles.values()) & set(_UNIT_ROLES)
        else _name(names[next(i for i, r in roles.items() if r == "content")])
    )
    read = [_read_cells(b, roles, names) for b in body]
    # an STT column left blank in every row (a working table) marks no continuation: each row is its own
    has_num = "num" in roles.values() and any(c.num for c in read)
    out: list[TaskRow] = []
    stack: list[_Group] = []
    barrier = 0  # a row never continues a row from before the last group row
    for i, (b, c) in enumerate(zip(body, read)):
        next_num = next((r.num for r in read[i + 1 :] if r.num), "")
        kind = (
            _group_kind(c.num, " ".join(c.tasks), next_num, [(g.kind, g.row.num) for g in stack])
            if c.only_content
            else None
        )
        if kind:
            _enter_group(stack, _new_group(c, b, kind, stack, province), out)
            barrier = len(out)
            continue
        # without an STT column nothing marks a continuation row: every row is its own
        # the "-" (or "+") an estimate table writes in its TT column for each line item is
        # repeated on every item: a row of its own, not a merged cell repeated down the rows
        if len(out) > barrier and has_num and (not c.num or (c.num == out[-1].num and c.num not in "-–+")):
            _continue_row(out[-1], b, c)
            continue
        lead = c.lead or next((g.lead for g in reversed(stack) if g.lead), "")
        out.append(
            TaskRow(
                c.num,
                lead,
                c.partners,
                [b],
                c.tasks,
                c.extra,
                list(c.other),
                groups=tuple(g.label for g in stack),
            )
        )
        for g in stack:
            g.used = True
    _close_groups(stack, out)
    for row in out:
        _assign_units(row, province, True, content_name)
    return out, roles


def _plain_row(cells, names: list[str]) -> str:
    """A row of a table without task columns: every cell, named by its column when there is a header."""
    parts = []
    for i, c in enumerate(cells):
        text = re.sub(r"\s*\n\s*", " ", c).strip()
        if text:
            name = _name(names[i]) if i < len(names) else ""
            parts.append(f"{name}: {text}" if name else text)
    return _CELL_SEP.join(parts)


def is_column_numbers(cells) -> bool:
    """ "(1) | (2) | (3) | (4) | (5)" under a table's header: the columns numbered, as official forms
    do so that later rows can refer to them ("(4) = (2) + (3)"); a row of labels, not a task."""
    filled = [re.sub(r"\s+", "", c) for c in cells if c.strip()]
    if len(filled) < 3:
        return False
    nums = [re.fullmatch(r"\(?(\d{1,2})\)?", c) for c in filled]
    if not all(nums):
        return False
    values = [int(m.group(1)) for m in nums if m]
    return values == list(range(values[0], values[0] + len(values))) and values[0] <= 1


def _bold_names(b: Block) -> bool:
    """A first row set in bold, of short names and no values: a header whatever its names
    ("Tiêu chí thi đua | Điểm chuẩn | Hướng dẫn chấm điểm"); official tables bold their header."""
    filled = [c.strip() for c in b.cells if c.strip()]
    return (
        b.bold
        and len(filled) >= 3
        and not any(len(c) > 60 or re.fullmatch(r"[\d.,/%()\s]+", c) for c in filled)
    )


def is_label_row(cells) -> bool:
    """A first row that names the columns of a table which assigns no task: short names, no
    values, and at least half of them known column names ("Chỉ tiêu", "Đơn vị tính", "Kết quả")."""
    filled = [c.strip() for c in cells if c.strip()]
    if len(filled) < 2 or any(len(c) > 60 or re.fullmatch(r"[\d.,/%\s]+", c) for c in filled):
        return False
    known = sum(1 for c in filled if _cell_role(c))
    return known >= 1 and 2 * known >= len(filled)


def _continue_row(prev: TaskRow, b: Block, c: _Cells) -> None:
    prev.blocks.append(b)
    prev.lead_text = _continue_name(prev.lead_text, "" if c.lead == prev.lead_text else c.lead)
    prev.partners_text = _continue_name(
        prev.partners_text, "" if c.partners == prev.partners_text else c.partners
    )
    prev.task_texts += c.tasks
    for k, v in c.extra.items():
        prev.extra[k] = (prev.extra.get(k, "") + " " + v).strip()
    for name, text in c.other:
        # a merged cell repeats its text down the rows it spans: keep it once
        at = next((i for i, (n, _) in enumerate(prev.cells) if n == name), None)
        if at is None:
            prev.cells.append((name, text))
        elif text not in prev.cells[at][1]:
            prev.cells[at] = (name, prev.cells[at][1] + " " + text)


def _row_units(row: TaskRow, province: str | None) -> Units:
    """Units from the row's lead and partner cells.

    A lead cell may itself split the roles ("Sở TT&TT chủ trì, phối hợp Sở Nội vụ",
    "Sở Y tế (chủ trì); Sở Tài chính (phối hợp)"): the units it names as subjects
    lead, the others in it coordinate.
    """
    # a unit column holds nothing but units: keep unknown names as written
    lead = parse_unit_list(row.lead_text, province, cell=True) if row.lead_text else None
    partners = parse_unit_list(row.partners_text, province, cell=True) if row.partners_text else None
    lead_units = list(lead.units) if lead else []
    names = person_names(row.lead_text)
    if names and lead and len(lead_units) < len(names):
        lead_units = names  # a cell of names, one a line: each name leads, however the unit reader cut them
    # the unit-list reader splits "X chủ trì, phối hợp Y"; roles.py's subjects catch the rest
    more_partners: list[str] = list(getattr(lead, "partners", ()) or ())
    if lead and not more_partners and "phoi hop" in fold(row.lead_text):
        subjects = [u for u in text_roles(row.lead_text, province).subjects if u in lead_units]
        if subjects:
            more_partners = [u for u in lead_units if u not in subjects]
            lead_units = subjects
    partner_units = list(dict.fromkeys([*more_partners, *(partners.units if partners else ())]))
    return Units(
        lead_units, [u for u in partner_units if u not in lead_units], list(lead.requested) if lead else []
    )


def _assign_units(row: TaskRow, province: str | None, has_roles: bool, content_name: str = "") -> None:
    row_units = _row_units(row, province)
    for text in row.task_texts or [""]:
        if not text:
            continue
        units = row_units
        if has_roles:
            specific = None
            m = re.match(r"^([^:]{3,90}):\s", text)
            if m:
                specific = parse_unit_list(m.group(1), province)
            if specific and specific.complete:
                units = Units(
                    list(dict.fromkeys([*specific.units, *row_units.lead])),
                    row_units.partners,
                    row_units.requested,
                )
            # the row's columns are explicit: a task that starts "Phối hợp với Y" in the row of
            # unit X is X's task, coordinated with Y (``roles.resolve`` adds Y as a partner)
            units = resolve(units, None, text_roles(text, province))
        # units come from the task as written; the passage text carries the row's other cells too
        passage = row_text(text, row, content_name)
        names = person_names(row.lead_text)
        if names:
            # an assignment table "Nhiệm vụ | Người thực hiện": the row reads as printed, the task
            # and then who does it (persons are no unit, and the card's unit line does not say it)
            passage = _CELL_SEP.join([passage, ", ".join(names)])
        row.tasks.append(Task(text, units, passage))


def row_block(cells, start: int, end: int) -> Block | None:
    cells = tuple(inline_to_text(c, keep_lines=True)[0] for c in cells)
    if len(cells) < 2 or not any(cells):
        return None
    return Block(
        " | ".join(c.replace("\n", " ") for c in cells if c),
        kind="table_row",
        cells=cells,
        start=start,
        end=end,
    )
