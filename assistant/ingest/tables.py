"""Task tables (STT | Đơn vị chủ trì | Nội dung thực hiện | Đơn vị phối hợp) → one record per task.

Columns are recognised from the header row by their names, in any order.  A row
whose STT is empty (or repeats the row above, as merged Word cells do) continues
the row above: its tasks join the parent's, and text in its unit cells continues
the parent's unit names ("Hội Doanh" + "nhân trẻ Tỉnh; …").
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..records import Block
from ..textnorm import fold
from .roles import Units, resolve, text_roles
from .units import parse_unit_list

__all__ = ["TaskRow", "Task", "read_table", "is_header_row"]

_ROLE_WORDS = (
    ("partners", r"phoi hop"),
    ("num", r"^(stt|tt|so tt|so thu tu)$"),
    ("content", r"noi dung|nhiem vu|cong viec|hoat dong|giai phap"),
    ("lead", r"chu tri|thuc hien|co quan|don vi|trach nhiem"),
    ("time", r"thoi gian|thoi han|tien do"),
    ("product", r"san pham|ket qua"),
    ("note", r"ghi chu"),
)
_INLINE_BULLET = re.compile(r"(?<=[.;:!?])\s+[-–+•*]\s+(?=\S)")


@dataclass
class Task:
    text: str
    units: Units


@dataclass
class TaskRow:
    num: str
    lead_text: str
    partners_text: str
    blocks: list[Block] = field(default_factory=list)
    task_texts: list[str] = field(default_factory=list)
    extra: dict[str, str] = field(default_factory=dict)   # time, product, note …
    tasks: list[Task] = field(default_factory=list)

    @property
    def start(self) -> int:
        return self.blocks[0].start

    @property
    def end(self) -> int:
        return self.blocks[-1].end


def _roles(cells: tuple[str, ...]) -> dict[int, str]:
    roles: dict[int, str] = {}
    for i, c in enumerate(cells):
        f = fold(c).strip(" .:")
        for role, rx in _ROLE_WORDS:
            if re.search(rx, f) and role not in roles.values():
                roles[i] = role
                break
    return roles


def is_header_row(b: Block) -> bool:
    r = set(_roles(b.cells).values())
    return "content" in r and ("lead" in r or "partners" in r or "num" in r)


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


def read_table(rows: list[Block], province: str | None) -> tuple[list[TaskRow], dict[int, str]]:
    """Task rows with their units; returns (rows, column roles).  No header → no roles."""
    header = next((i for i, b in enumerate(rows[:3]) if is_header_row(b)), None)
    roles = _roles(rows[header].cells) if header is not None else {}
    col = {v: k for k, v in roles.items()}
    out: list[TaskRow] = []
    for b in rows[header + 1 if header is not None else 0:]:
        cells = list(b.cells) + [""] * 8
        if not roles:
            out.append(TaskRow("", "", "", [b], [" | ".join(c for c in b.cells if c)]))
            continue
        num = cells[col["num"]].strip() if "num" in col else ""
        lead = cells[col["lead"]].strip() if "lead" in col else ""
        partners = cells[col["partners"]].strip() if "partners" in col else ""
        content_cols = [i for i, r in roles.items() if r == "content"] or \
                       [i for i in range(len(b.cells)) if i not in roles]
        tasks = [t for i in content_cols for t in _split_tasks(cells[i])]
        extra = {r: cells[i].strip() for i, r in roles.items() if r in ("time", "product", "note") and cells[i].strip()}
        if out and (not num or num == out[-1].num):
            prev = out[-1]
            prev.blocks.append(b)
            prev.lead_text = _continue_name(prev.lead_text, "" if lead == prev.lead_text else lead)
            prev.partners_text = _continue_name(prev.partners_text, "" if partners == prev.partners_text else partners)
            prev.task_texts += tasks
            for k, v in extra.items():
                prev.extra[k] = (prev.extra.get(k, "") + " " + v).strip()
            continue
        out.append(TaskRow(num, lead, partners, [b], tasks, extra))
    for row in out:
        _assign_units(row, province, bool(roles))
    return out, roles


def _assign_units(row: TaskRow, province: str | None, has_roles: bool) -> None:
    lead = parse_unit_list(row.lead_text, province) if row.lead_text else None
    partners = parse_unit_list(row.partners_text, province) if row.partners_text else None
    row_units = Units(list(lead.units) if lead else [], list(partners.units) if partners else [],
                      list(lead.requested) if lead else [])
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
                units = Units(list(dict.fromkeys([*specific.units, *row_units.lead])), row_units.partners,
                              row_units.requested)
            # the row's columns are explicit, but a task that starts "Phối hợp với Y" is Y's task
            roles = text_roles(text, province)
            if roles.flip:
                units = resolve(None, Units(units.lead, [], units.requested), roles)
            else:
                units = resolve(units, None, roles)
        row.tasks.append(Task(text, units))
