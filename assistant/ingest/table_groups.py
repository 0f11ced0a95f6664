"""Group rows of a plan's annex tables that Word merges across the whole row, STT cell included.

An annex table of tasks ("TT | Nhiệm vụ | Cơ quan chủ trì | …") groups its rows under rows such
as "I. CÔNG TÁC CHUẨN BỊ" or "1. Tuyên truyền", and Word (like an HTML export) merges such a row's
cells into one: its single cell holds the group's number and its title. A DOCX gives that text once,
in the first column; a text copy of it, once per column the merge spans. Either way the row is read
as a group row: the number in the STT column, the title in the content column.
"""

from __future__ import annotations

import re

__all__ = ["whole_row_group"]

_WHOLE_ROW_GROUP = re.compile(r"^(?P<num>[IVXLC]+|[A-ZĐ]|[a-zđ]|\d+(?:\.\d+)*)[.)]\s+(?P<title>\S.*)$")


def whole_row_group(
    cells: tuple[str, ...], num_col: int | None, content_col: int | None
) -> tuple[str, ...] | None:
    """The row's cells as an STT cell and a content cell, or None when it is not one merged group row."""
    if num_col is None or content_col is None or num_col >= len(cells) or content_col >= len(cells):
        return None
    filled = {c.strip() for c in cells if c.strip()}
    if len(filled) != 1 or not cells[num_col].strip():
        return None
    m = _WHOLE_ROW_GROUP.match(filled.pop())
    if not m:
        return None
    out = [""] * len(cells)
    out[num_col], out[content_col] = m.group("num"), m.group("title")
    return tuple(out)
