"""Ruled tables of a PDF page, row by row, from the cell rectangles the page draws.

A plan's annex ("PHỤ LỤC … Kèm theo Kế hoạch số …") is a table: "TT | Tên đơn vị | Nội dung |
Thời gian". Printed with its layout, its multi-line cells interleave line by line, and the row
number stands in the middle of its row, so the text alone no longer says which line is whose.
Word (and the PDF printers of Office) draws each cell of a table as a rectangle of its own, clipped
to it; those rectangles give the grid: the first column's cells are the rows (a cell split in
another column, two "Gói thầu" of one unit, stays in its row), the distinct left edges are the
columns. The text of each cell is taken from the page's layout lines, which keep the spaces
between words that the drawn fragments leave out.

Only a grid of at least three columns and two rows, its first column tiled by cells, is read as a
table; anything else keeps the layout reading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .tables import is_row_number

__all__ = ["PdfTable", "covered", "tables_of"]

_MIN_SIDE = 6.0  # points: a cell is taller and wider than a rule or a dot
_SAME = 1.0  # points: edges this close are one edge
_SAME_LINE = 2.5  # points: baselines this close are one line of a cell


@dataclass(frozen=True)
class _Frag:
    x: float
    y: float
    text: str


@dataclass
class PdfTable:
    rows: list[tuple[str, ...]]
    texts: set[str] = field(default_factory=set)  # every cell line without spaces: the layout lines it covers


def _rects_and_frags(page) -> tuple[list[tuple[float, float, float, float]], list[_Frag]]:
    rects: list[tuple[float, float, float, float]] = []
    frags: list[_Frag] = []

    def before(op, args, cm, tm) -> None:
        if op != b"re" or len(args) != 4 or cm[1] or cm[2]:
            return  # only axis-aligned rectangles draw a grid
        x, y, w, h = (float(a) for a in args)
        x0, y0 = x * cm[0] + cm[4], y * cm[3] + cm[5]
        x1, y1 = (x + w) * cm[0] + cm[4], (y + h) * cm[3] + cm[5]
        rects.append((min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)))

    def text(t, cm, tm, _font, _size) -> None:
        if t and t.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            frags.append(_Frag(float(x), float(y), t.replace("\n", " ")))

    page.extract_text(visitor_operand_before=before, visitor_text=text)
    return rects, frags


def _key(v: float) -> float:
    return round(v / _SAME) * _SAME


def _grid(rects) -> tuple[list[tuple[float, float]], list[float], float] | None:
    """(row bands top first, column left edges, right edge) of the one ruled table, or None."""
    cells = {
        (_key(a), _key(b), _key(c), _key(d))
        for a, b, c, d in rects
        if c - a >= _MIN_SIDE and d - b >= _MIN_SIDE
    }
    if len(cells) < 6:
        return None
    lefts = sorted({c[0] for c in cells})
    for left in lefts:
        first = sorted((c for c in cells if c[0] == left), key=lambda c: -c[3])
        widths = {c[2] for c in first}
        if len(first) < 2 or len(widths) != 1:
            continue
        # the first column tiles its height: each cell starts where the one above ends
        if any(abs(a[1] - b[3]) > 2 * _SAME for a, b in zip(first, first[1:])):
            continue
        top, bottom = first[0][3], first[-1][1]
        inside = [c for c in cells if c[0] >= left and c[1] >= bottom - _SAME and c[3] <= top + _SAME]
        cols = sorted({c[0] for c in inside})
        if len(cols) < 3 or len(first) < 3:
            continue
        return [(c[1], c[3]) for c in first], cols, max(c[2] for c in inside)
    return None


@dataclass(frozen=True)
class _Run:
    x: float  # where the run starts
    end: float  # where it ends (pypdf's layout reading measures it with the font's widths)
    y: float
    height: float
    text: str


def _runs(page, shift: float) -> list[_Run]:
    """The page's text runs with their extent, from pypdf's layout reading; [] when it fails.

    That reading left-aligns the page (every x less the smallest); ``shift`` puts it back."""
    try:
        from pypdf._text_extraction import _layout_mode
        from pypdf.generic import ContentStream

        contents = page.get("/Contents")
        contents = contents.get_object() if contents is not None else None
        if contents is None:
            return []
        ops = iter(ContentStream(contents, page.pdf, "bytes").operations)
        groups = _layout_mode.text_show_operations(ops, page._layout_mode_fonts(), True, None)
    except Exception:  # a private reading of pypdf: any change or failure keeps the layout text
        return []
    return [
        _Run(g["tx"] + shift, g["displaced_tx"] + shift, g["ty"], g["font_height"], g["text"])
        for g in groups
        if g["text"].strip()
    ]


def _cell_lines(runs: list[_Run]) -> list[str]:
    lines: list[list[_Run]] = []
    for r in sorted(runs, key=lambda r: -r.y):
        if lines and abs(lines[-1][0].y - r.y) <= _SAME_LINE:
            lines[-1].append(r)
        else:
            lines.append([r])
    out = []
    for line in lines:
        text, prev = "", None
        for r in sorted(line, key=lambda r: r.x):
            # a gap wider than a fifth of the letters' height is a space the page draws as a move
            gap = prev is not None and r.x - prev.end > 0.2 * max(r.height, 1.0)
            text += (" " if gap and not text.endswith(" ") and not r.text.startswith(" ") else "") + r.text
            prev = r
        out.append(re.sub(r"\s+", " ", text).strip())
    return [x for x in out if x]


def tables_of(page) -> list[PdfTable]:
    """The page's ruled table, its rows top first, each cell's lines joined by a line break."""
    rects, frags = _rects_and_frags(page)
    grid = _grid(rects)
    if grid is None or not frags:
        return []
    runs = _runs(page, min(f.x for f in frags))
    if not runs:
        return []
    bands, cols, right = grid
    edges = [*cols, right]
    table = PdfTable([])
    for low, high in bands:
        row = []
        for a, b in zip(edges, edges[1:]):
            lines = _cell_lines([r for r in runs if a - _SAME <= r.x < b - _SAME and low < r.y < high])
            table.texts.update(re.sub(r"\s+", "", ln) for ln in lines)
            row.append("\n".join(lines))
        table.rows.append(tuple(row))
    # an annex numbers its rows ("1", "2", "I", "a"); a header laid out as a table numbers none
    if sum(is_row_number(r[0]) for r in table.rows[1:]) < 2:
        return []
    return [table]


def covered(line: str, table: PdfTable) -> bool | None:
    """Is a layout line made of the table's cells? True when a piece of it names a cell at length,
    None when it could (every piece is in the table, none long enough to say), False otherwise."""
    pieces = [re.sub(r"\s+", "", p) for p in re.split(r"\s{2,}", line.strip()) if p.strip()]
    if not pieces:
        return None
    joined = "\u0000".join(table.texts)
    if not all(p in joined for p in pieces):
        return False
    return True if any(len(p) >= 8 for p in pieces) else None
