"""Tables a web page's text export writes one cell per line, a lone "|" line closing each cell.

Rows are not always marked: the header tells how many cells a row has, and a row starts at
a cell holding a row number; some exports also open and close each row with a lone "|".
``cell_per_line`` fills the same line-offset map as ``text_tables``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from ..records import Block
from ..textnorm import fold
from .patterns import roman_value
from .tables import header_roles, is_header_cells, is_row_number, row_block

__all__ = ["cell_per_line"]

_LONE_PIPE = re.compile(r"[ \t\u00a0]*\|[ \t\u00a0]*")
_MAX_CELL_LINES = 15


@dataclass
class _Seg:
    """Text between two cell separators (a lone "|" line, or a blank line not next to one)."""

    lines: list[tuple[int, str]]
    end: str  # pipe | blank | eof
    pipe: tuple[int, str] | None = None

    @property
    def text(self) -> str:
        return "\n".join(line.strip() for _, line in self.lines)


def _segments(lines: list[tuple[int, str]]) -> list[_Seg]:
    segs: list[_Seg] = []
    cur: list[tuple[int, str]] = []
    for start, line in lines:
        if _LONE_PIPE.fullmatch(line):
            if not cur and segs and segs[-1].end == "blank":
                segs[-1].end, segs[-1].pipe = "pipe", (start, line)  # "cell ¶ ¶ |": one separator
            else:
                segs.append(_Seg(cur, "pipe", (start, line)))
            cur = []
        elif not line.strip(" \t\u00a0\u3000"):
            if cur:
                segs.append(_Seg(cur, "blank"))
            cur = []
        else:
            cur.append((start, line))
    if cur:
        segs.append(_Seg(cur, "eof"))
    return segs


def cell_per_line(lines: list[tuple[int, str]], found: dict[int, Block | None]) -> None:
    segs = _segments(lines)
    k = 0
    while k < len(segs):
        header = _cell_header(segs, k)
        if header is None:
            k = _read_plain_marked(segs, k, found)
            continue
        if _marked_next(segs, k, header):
            k += 1
            continue
        names, first_lines = header
        k = _read_cell_table(segs, k, names, first_lines, found)


def _read_plain_marked(segs: list[_Seg], k: int, found: dict[int, Block | None]) -> int:
    """A table with row marks whose header names no task column ("STT | Tiêu chí thi đua | Điểm
    chuẩn | Hướng dẫn chấm điểm", a budget or a monitoring table): the marks say where each row
    ends, so its rows are read with the header's names as labels, not left as one block of text.
    Returns the index of the next segment to look at."""
    names: list[_Seg] = []
    j = k
    while j < len(segs) and segs[j].lines and segs[j].end == "pipe" and len(segs[j].text) <= 80:
        names.append(segs[j])
        j += 1
    n = len(names)
    if not (
        k > 0
        and segs[k - 1].end == "pipe"
        and n >= 3
        and j < len(segs)
        and not segs[j].lines
        and segs[j].end == "pipe"
    ):
        return k + 1
    rows, stop = _marked_rows(segs, j, n, wider=True)
    if len(rows) < 2:
        return k + 1
    head_lines = _row_lines(names)
    head = row_block([x.text for x in names], *_span(head_lines))
    if head is not None:
        # the converter wraps a header's cells in emphasis ("**STT**"): the tables step reads it so
        head = replace(head, bold=all(re.fullmatch(r"\*\*[^*]+\*\*", x.text.strip()) for x in names))
    _emit(found, head_lines, head)
    roles = header_roles([x.text for x in names])
    content = next((i for i, r in roles.items() if r == "content"), 1 if roles.get(0) == "num" else None)
    for row in rows:
        lines = _row_lines(row)
        if lines:
            cells = _placed([x.text for x in row], [x.text for x in names], content)
            if content is not None and content < len(cells):
                cells[content] = _unwrap(cells[content])
            _emit(found, lines, row_block(cells, *_span(lines)))
    return stop


# a cell of emphasis markers alone ("* *", "** **"): the converter wraps an empty cell's space
# in emphasis, so the cell is empty (the web export of HTML tables writes every cell so)
_EMPTY_MARKUP = re.compile(r"[*_\s]*")
# the column an estimate table (dự toán) writes a group's sum in ("Thành tiền", "Kinh phí", "Tổng")
_AMOUNT_NAME = re.compile(r"\b(thanh tien|kinh phi|tong cong|so tien|du toan)\b")


def _placed(cells: list[str], names: list[str], content: int | None) -> list[str]:
    """A row's cells under the header's columns. A row shorter than the header is a group
    or subtotal row whose name cell spans the middle columns (an estimate table's "I | Quan trắc
    … | 1.364.329.243 | (Ghi chú)"): the export drops the span, so the cells after the name
    belong to the last columns ("Thành tiền", "Ghi chú"), not to the ones right after it."""
    n = len(names)
    cells = ["" if _EMPTY_MARKUP.fullmatch(c) else c for c in cells]
    if content is None or len(cells) <= content + 1:
        return cells + [""] * (n - len(cells))
    after = [i for i in range(content + 1, len(cells)) if cells[i].strip()]
    amount = next((i for i, x in enumerate(names) if _AMOUNT_NAME.search(fold(x))), None)
    if (
        len(cells) == n
        and len(after) == 1
        and n - content > 3
        and amount is not None
        and after[0] < amount
        and re.fullmatch(r"[\d.,]+", cells[after[0]].strip("*_ "))
    ):
        # a group row written at full width whose only figure stands right after its name, the
        # rest empty ("1.1.2 | Mẫu nước trong ao nuôi | 72.313.308 | | * * | …"): a group row
        # has no quantities of its own, its one figure is the group's sum, the amount column's
        out = cells[: content + 1] + [""] * (n - content - 1)
        out[amount] = cells[after[0]]
        return out
    if len(cells) >= n:
        return cells
    head, tail = cells[: content + 1], cells[content + 1 :]
    return head + [""] * (n - len(head) - len(tail)) + tail


def _is_name(text: str) -> bool:
    return len(text) <= 70 and text.count("\n") <= 3 and bool(header_roles([text]))


def _cell_header(segs: list[_Seg], k: int) -> tuple[list[str], list[tuple[int, str]]] | None:
    """Column names starting at segment ``k``: its last line(s), then whole segments."""
    if segs[k].end != "pipe":
        return None
    first_lines = next(
        (
            segs[k].lines[-n:]
            for n in (1, 2)
            if len(segs[k].lines) >= n and _is_name("\n".join(ln.strip() for _, ln in segs[k].lines[-n:]))
        ),
        None,
    )
    if first_lines is None:
        return None
    names = ["\n".join(ln.strip() for _, ln in first_lines)]
    j = k + 1
    while j < len(segs) and segs[j - 1].end == "pipe" and segs[j].lines:
        t = segs[j].text
        # an unknown column name is taken when a known one follows it
        if not (
            _is_name(t)
            or (
                len(t) <= 40
                and not re.search(r"\d", t)
                and j + 1 < len(segs)
                and segs[j].end == "pipe"
                and _is_name(segs[j + 1].text)
            )
        ):
            break
        names.append(t)
        j += 1
    known = header_roles(names)
    if len(names) < 3 or len(known) < len(names) - 1 or not is_header_cells([names[i] for i in known]):
        return None
    return names, first_lines


def _read_cell_table(
    segs: list[_Seg],
    k: int,
    names: list[str],
    first_lines: list[tuple[int, str]],
    found: dict[int, Block | None],
) -> int:
    """Rows of the cells after a header; returns the index of the first segment after the table."""
    n = len(names)
    roles = header_roles(names)
    marked = _row_marks(segs, k, n, first_lines)
    if marked:
        rows, stop = _marked_rows(segs, k + n, n)
    else:
        rows, stop = _cell_rows(segs, k + n, n, next((i for i, r in roles.items() if r == "num"), None))
    if not rows:
        return k + 1
    head_lines = (
        first_lines
        + [ln for s in segs[k + 1 : k + n] for ln in s.lines]
        + [s.pipe for s in segs[k : k + n] if s.pipe]
    )
    aligned = _aligned(rows, n, roles, segs, stop, short_ok=marked)
    if aligned:
        _emit(found, head_lines, row_block(names, *_span(head_lines)))
    else:
        # too uncertain to say which cell is whose: the header stays text and the rows have
        # no column roles, so no cell's units spread to the others
        start, end = _span(head_lines)
        _emit(
            found,
            head_lines,
            Block(" | ".join(x.replace("\n", " ") for x in names), kind="para", start=start, end=end),
        )
    content = next((i for i, r in roles.items() if r == "content"), None) if aligned else None
    for row in rows:
        cells = [s.text for s in row] + ([""] * (n - len(row)) if aligned else [])
        if content is not None and content < len(cells):
            cells[content] = _unwrap(cells[content])
        lines = _row_lines(row)
        if lines:
            _emit(found, lines, row_block(cells, *_span(lines)))
    return stop


_LIST_START = re.compile(r"^(?:[-–+•]|\*\s|\d{1,2}(?:\.\d{1,2})*[.)]|[a-zđ][.)])\s*")
_SENTENCE_END = (".", ";", ":", "!", "?")


def _unwrap(cell: str) -> str:
    """A task cell of a web page's text export is hard-wrapped at a fixed width: a line that does
    not open a list item ("- …", "a) …", "2. …") continues the line before it unless that line
    ended its sentence, so the wrapped lines of one task are not read as several tasks."""
    out: list[str] = []
    for line in cell.split("\n"):
        line = line.strip()
        if not line:
            continue
        if out and not _LIST_START.match(line) and not out[-1].rstrip("*_ ").endswith(_SENTENCE_END):
            out[-1] += " " + line
        else:
            out.append(line)
    return "\n".join(out)


def _cell_rows(segs: list[_Seg], j: int, n: int, num_col: int | None) -> tuple[list[list[_Seg]], int]:
    """Cells from segment ``j`` on, cut into rows: a row is full at ``n`` cells, and a
    cell holding the next row number starts a row early (a merged cell left a row short)."""
    rows: list[list[_Seg]] = []
    cur: list[_Seg] = []
    while j < len(segs):
        seg, nxt = segs[j], segs[j + 1] if j + 1 < len(segs) else None
        starts_row = is_row_number(seg.text)
        next_starts_row = nxt is not None and is_row_number(nxt.text)
        if cur and (
            len(cur) == n
            or (
                num_col == 0
                and starts_row
                and (segs[j - 1].end == "blank" or _follows(cur[0].text, seg.text))
            )
        ):
            rows.append(cur)
            cur = []
        if not cur and num_col == 0 and not starts_row and (seg.text or next_starts_row):
            if seg.text or not rows:
                break  # not a row: the table ended
            j += 1  # an empty cell closing a row ("… ¶ | ¶ | ¶ 2"): a row mark
            continue
        if len(seg.lines) > _MAX_CELL_LINES or (
            seg.end != "pipe" and not (len(cur) == n - 1 and len(seg.lines) <= 3) and not next_starts_row
        ):
            break
        cur.append(seg)
        j += 1
    if cur:
        rows.append(cur)
    return rows, j


def _row_marks(segs: list[_Seg], k: int, n: int, first_lines: list[tuple[int, str]]) -> bool:
    """Whether each row is opened and closed by its own lone "|" ("| ¶ STT ¶ | ¶ … ¶ | ¶ | ¶ 1 ¶ |"):
    the converter of a web page's HTML table writes a row's two pipes, so an empty segment (the
    mark) stands between rows. Seen when the header's first name opens right after a pipe and
    an empty segment follows its last one."""
    return (
        k > 0
        and segs[k - 1].end == "pipe"
        and segs[k].lines == first_lines
        and k + n < len(segs)
        and not segs[k + n].lines
        and segs[k + n].end == "pipe"
    )


def _marked_next(segs: list[_Seg], k: int, header: tuple[list[str], list[tuple[int, str]]]) -> bool:
    """The header read from segment k is not marked but one read from k + 1 is: the lone "|"
    after segment k opens the table, so k's last line ("PHỤ LỤC NHIỆM VỤ") is the text before it."""
    if _row_marks(segs, k, len(header[0]), header[1]) or k + 1 >= len(segs):
        return False
    nxt = _cell_header(segs, k + 1)
    return nxt is not None and _row_marks(segs, k + 1, len(nxt[0]), nxt[1])


def _is_num(seg: _Seg) -> bool:
    return is_row_number(seg.text.strip("*_ "))


_ITEM_MARK = frozenset("-–+")


def _opens_row(segs: list[_Seg], j: int) -> bool:
    """Segment ``j`` opens a row: a row number, or the "-" (or "+") an estimate table (dự toán)
    writes in its TT column for a line item under the numbered groups (I, 1, 1.1, a), when a
    cell with words follows it (the item's name); a lone "-" before figures is a nil value."""
    if j >= len(segs):
        return False
    if _is_num(segs[j]):
        return True
    return segs[j].text.strip("*_ ") in _ITEM_MARK and j + 1 < len(segs) and _has_words(segs[j + 1])


def _has_words(seg: _Seg) -> bool:
    return len(re.findall(r"[^\W\d_]", seg.text)) >= 3


def _marked_rows(segs: list[_Seg], j: int, n: int, wider: bool = False) -> tuple[list[list[_Seg]], int]:
    """Rows between marks (see ``_row_marks``). An empty segment is an empty cell too: it is the
    mark when the row has its n cells, or when a row number follows it (a row of merged cells,
    such as a group heading "I | NHÓM GIẢI PHÁP …", is shorter than the header). ``wider``: rows
    may have more cells than the header (a header cell spanning two columns of a second header
    row, "Vị trí lấy mẫu" over "X | Y"), up to twice as many."""
    rows: list[list[_Seg]] = []
    cur: list[_Seg] = []
    j += 1  # the mark closing the header row
    while j < len(segs):
        seg = segs[j]
        if (
            not seg.lines
            and cur
            and (len(cur) >= n or (_opens_row(segs, j + 1) and not _fills(segs, j, n - len(cur))))
        ):
            rows.append(cur)
            cur = []
            j += 1
            continue
        if (len(cur) >= (2 * n if wider else n)) or len(seg.lines) > _MAX_CELL_LINES or seg.end != "pipe":
            break  # a full row not followed by a mark, or text after the table: it ended
        cur.append(seg)
        j += 1
    # the last row closed by its own pipe: a short one too when it is numbered (a group or total
    # row, "II | Thuê dịch vụ tin nhắn | 50.000.000 |"), not text after the table
    if cur and (
        len(cur) >= n
        or (rows and len(cur) >= 3 and _is_num(cur[0]) and (j >= len(segs) or segs[j].end != "pipe"))
    ):
        rows.append(cur)
    elif cur:
        j -= len(cur)  # an unfinished row is the text after the table
    return rows, j


def _fills(segs: list[_Seg], j: int, m: int) -> bool:
    """The ``m`` segments from ``j`` (an empty one first) complete the row, a mark right after
    them: the empty segment is an empty cell of the row ("- | Nhiệt độ nước | | 3 | 2 | 26"), not
    a mark before a row numbered "3". A row of a figures table fills the header's columns."""
    end = j + m
    if end >= len(segs) or segs[end].lines or segs[end].end != "pipe":
        return False
    if any(s.end != "pipe" or len(s.lines) > _MAX_CELL_LINES for s in segs[j:end]):
        return False
    if any(
        not segs[k - 1].lines and _opens_row(segs, k) and _has_words(segs[k + 1]) for k in range(j + 1, end)
    ):
        return False  # a row number and an item's name after an empty segment: a new row
    return end + 1 >= len(segs) or not segs[end + 1].lines or _opens_row(segs, end + 1)


def _follows(a: str, b: str) -> bool:
    """``b`` is the row number right after ``a``: 2 after 1, 1.3 after 1.2, 2 after 1.4, II after I, b after a."""
    a, b = a.strip().rstrip(".)"), b.strip().rstrip(".)")
    if re.fullmatch(r"[\d.]+", a) and re.fullmatch(r"[\d.]+", b):
        pa, pb = [int(x) for x in a.split(".") if x], [int(x) for x in b.split(".") if x]
        if not pa or not pb or len(pb) > len(pa) + 1:
            return False
        if len(pb) == len(pa) + 1:
            return pb[:-1] == pa and pb[-1] == 1  # 1.1 after 1
        return pb[:-1] == pa[: len(pb) - 1] and pb[-1] == pa[len(pb) - 1] + 1
    if re.fullmatch(r"[IVXL]+", a) and re.fullmatch(r"[IVXL]+", b):
        return roman_value(b) == roman_value(a) + 1
    return len(a) == len(b) == 1 and a.isalpha() and ord(b) == ord(a) + 1


def _aligned(
    rows: list[list[_Seg]], n: int, roles: dict[int, str], segs: list[_Seg], stop: int, short_ok: bool = False
) -> bool:
    """Every row has its n cells, its content, an STT that is a row number (or empty), and
    no row number waits in the cells right after the table (the rows went out of step). With
    row marks a row may be shorter: its merged cells are the first ones."""
    content = next(i for i, r in roles.items() if r == "content")
    num = next((i for i, r in roles.items() if r == "num"), None)
    for row in rows:
        if len(row) > n or (len(row) < n and not short_ok):
            return False
        if content >= len(row) or not row[content].text:
            return False
        if num is not None and num < len(row) and row[num].text and not _is_num(row[num]):
            return False
    after = segs[stop : stop + 2 * len(roles)]
    return not any(is_row_number(s.text) and s.end == "pipe" for s in after)


def _row_lines(row: list[_Seg]) -> list[tuple[int, str]]:
    return [ln for s in row for ln in s.lines] + [s.pipe for s in row if s.pipe]


def _span(lines: list[tuple[int, str]]) -> tuple[int, int]:
    return min(s for s, _ in lines), max(s + len(ln) for s, ln in lines)


def _emit(found: dict[int, Block | None], lines: list[tuple[int, str]], block: Block | None) -> None:
    """The block stands at its first line; the other lines are part of it."""
    if not lines:
        return
    for start, _ in lines:
        found[start] = None
    found[min(s for s, _ in lines)] = block
