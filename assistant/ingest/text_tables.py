"""Tables written in plain text: tab rows, inner-pipe rows, and one cell per line.

``text_tables`` maps each line's start offset to the table-row ``Block`` that line
starts (or None when the line is part of a row that starts earlier); ``load_text``
uses it so the rest of the pipeline sees the same table rows as from a DOCX.
"""

from __future__ import annotations

import re

from ..records import Block
from .cell_tables import cell_per_line
from .label_rows import label_rows
from .tables import is_header_cells, is_label_row, row_block

__all__ = ["text_tables", "row_block"]

# Besides tab rows and "| a | b |" markdown rows (one line each, see text_loader._line_block), text
# exports of web pages write tables two more ways, recognised over several lines:
# rows without outer pipes ("1 | Nội dung | Sở Y tế | …"), one cell per line with a
# lone "|" line closing each cell (cell_tables.py), and one block per row with each cell after its
# column's name ("STT: 1" / "Nội dung: …" / "Đơn vị chủ trì: …", label_rows.py).


def text_tables(text: str) -> dict[int, Block | None]:
    """Line start offset → the table row block that line starts (None: the line is part of one)."""
    lines, pos = [], 0
    for line in text.split("\n"):
        lines.append((pos, line))
        pos += len(line) + 1
    found: dict[int, Block | None] = {}
    _tab_rows(lines, found)
    _pipe_rows(lines, found)
    cell_per_line(lines, found)
    label_rows(lines, found)  # last: a line another reader took is never a labelled record
    return found


# Word exports write a table as one line per row with tabs between cells, but they also
# indent paragraphs with leading tabs and put a tab after a list number ("1.\tText").
# A line is a row when a tab separates two filled cells that are not a list marker and
# its text; rows make a table when ≥ 2 of them have the same number of cells, or when
# the first names table columns.  Inside a table, leading tabs are empty cells again
# ("\t\t- Việc ba.\t" continues the row above it).
_WS = " \t\u00a0\u3000"
_LIST_MARK = re.compile(
    r"^(?:\d{1,3}(?:\.\d{1,3})*[.)]?|[a-zđ][.)]|[IVXL]{1,6}[.)]|[-–+•*]|Điều \d+\.?)$", re.I
)


def _tab_cells(line: str) -> list[str]:
    return line.rstrip(" \u00a0\u3000").split("\t")


def _is_tab_row(line: str) -> bool:
    """A tab between filled cells, and not "1.\tText" (a list number and its text)."""
    filled = [c.strip(_WS) for c in line.split("\t") if c.strip(_WS)]
    return len(filled) >= 2 and not (len(filled) == 2 and _LIST_MARK.match(filled[0]))


def _tab_groups(lines: list[tuple[int, str]]) -> list[list[tuple[int, str]]]:
    """Runs of lines holding a tab; blank lines between them do not end a run."""
    groups, cur = [], []
    for start, line in lines:
        if not line.strip(_WS):
            continue
        if "\t" in line:
            cur.append((start, line))
        elif cur:
            groups.append(cur)
            cur = []
    if cur:
        groups.append(cur)
    return groups


def _tab_rows(lines: list[tuple[int, str]], found: dict[int, Block | None]) -> None:
    for group in _tab_groups(lines):
        i = 0
        while i < len(group):
            if not _is_tab_row(group[i][1]):
                i += 1  # an indented paragraph
                continue
            width = len(_tab_cells(group[i][1]))
            filled = [c.strip(_WS) for c in _tab_cells(group[i][1]) if c.strip(_WS)]
            j = i + 1
            # a line with only edge tabs continues the table when it has its cells (≥ 3: a
            # 2-cell "\tText" is an indented paragraph)
            while j < len(group) and (
                _is_tab_row(group[j][1]) or (width >= 3 and len(_tab_cells(group[j][1])) == width)
            ):
                j += 1
            run = group[i:j]
            same = sum(1 for _, ln in run if _is_tab_row(ln) and len(_tab_cells(ln)) == width)
            if same >= 2 or (len(run) >= 2 and (is_header_cells(filled) or is_label_row(filled))):
                for start, line in run:
                    found[start] = row_block(_tab_cells(line), start, start + len(line))
            i = j


def _pipe_cells(line: str) -> list[str] | str | None:
    """Cells of a row written with inner pipes only; "rule" for a |---|---| line."""
    s = line.strip(" \t\u00a0")
    if "|" not in s or "\t" in s or (s.startswith("|") and s.endswith("|") and s.count("|") >= 3):
        return None  # no pipes, a tab row, or a markdown row: one line is enough (_line_block)
    if re.fullmatch(r"[|:\-\s]+", s):
        return "rule" if "-" in s else None
    s = s[1:] if s.startswith("|") else s
    s = s[:-1] if s.endswith("|") else s  # "ỦY BAN NHÂN DÂN |": a closing pipe, not an empty cell
    cells = [c.strip() for c in s.split("|")]
    return cells if len(cells) >= 2 else None


def _outer_pipe_row(line: str, width: int) -> list[str] | None:
    """ " | Rà soát hồ sơ | Vũ Việt Linh | " under a header written without outer pipes ("TT | Nhiệm
    vụ | Người thực hiện | Ghi chú"): the export writes an empty cell as nothing between two pipes,
    so a leading pipe is an empty first cell (the STT left blank) and not markdown's outer pipe."""
    s = line.strip(" \t\u00a0")
    if not s.startswith("|") or "\t" in s:
        return None
    cells = [c.strip() for c in s.split("|")]
    return cells if len(cells) == width and any(cells) else None


def _pipe_rows(lines: list[tuple[int, str]], found: dict[int, Block | None]) -> None:
    """A header line naming table columns and the pipe rows under it, or ≥ 2 consecutive
    lines cut into the same number (≥ 3) of cells."""
    i = 0
    while i < len(lines):
        first = _pipe_cells(lines[i][1])
        if not isinstance(first, list):
            i += 1
            continue
        header = is_header_cells(first)
        run: list[tuple[tuple[int, str], list[str] | str]] = [(lines[i], first)]
        j = i + 1
        while j < len(lines):
            cells = _pipe_cells(lines[j][1])
            if cells is None and header and not lines[i][1].strip().startswith("|"):
                cells = _outer_pipe_row(lines[j][1], len(first))
            if cells is None or (isinstance(cells, list) and not header and len(cells) != len(first)):
                break
            run.append((lines[j], cells))
            j += 1
        rows = [r for r in run if r[1] != "rule"]
        if header or (len(first) >= 3 and len(rows) >= 2):
            width = len(first) if header else 0
            for (start, line), cells in run:
                found[start] = (
                    None
                    if isinstance(cells, str)
                    else row_block(_fit(cells, width), start, start + len(line))
                )
        i = j


def _fit(cells: list[str], width: int) -> list[str]:
    """Cells padded to the header's width; empty cells past it dropped."""
    if not width:
        return cells
    cells = cells + [""] * (width - len(cells))
    while len(cells) > width and not cells[-1]:
        cells.pop()
    return cells
