"""Tables written one record per row, each cell after its column's name ("Label: value").

A mobile web page, a screen reader's export or a DOCX/PDF converted to text lays a task table
out as one block per row, the header's column names repeated as labels on every record::

    STT: 1
    Nội dung: Rà soát cơ chế, chính sách …
    Đơn vị chủ trì: Sở Tài chính
    Đơn vị phối hợp: Các sở, ngành
    Thời gian: Quý IV/2026

The convention is the table's own: its header names, reused on each record. A run of blocks
that repeat the same labels, whose labels name task-table columns (a content column and a unit
role or the STT, as ``tables.header_roles`` reads a header row), is read back as the table it
was: a header row of the labels, then one row per record, so each task takes its units and its
time from its own row, as from the DOCX table. ``label_rows`` fills the same line-offset map as
``text_tables``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..records import Block
from ..textnorm import fold
from .tables import header_roles, is_header_row, row_block

__all__ = ["label_rows"]

_WS = " \t\u00a0\u3000"
# "Label: value": a label opens the line with a letter (a bullet, a number or a quote opens a
# sentence, not a column name), is short, ends at the first colon and holds no sentence mark;
# emphasis around the label ("**Nội dung:**", "**Nội dung**:") is the converter's, not the name's
_KV = re.compile(
    r"^[ \t\u00a0]*(?:\*\*|__)?(?P<label>[^\W\d_][^:|.;!?*\n]{0,58}?)[ \t\u00a0]*(?:\*\*|__)?"
    r"[ \t\u00a0]*:(?:\*\*|__)?(?:[ \t\u00a0]+(?P<value>.*?))?[ \t\u00a0]*$"
)
_MAX_LABEL_WORDS = 8
_MAX_COLUMNS = 12


def _key(label: str) -> str:
    return " ".join(fold(label).split())


def _kv(line: str) -> tuple[str, str] | None:
    m = _KV.match(line)
    if m is None or len(m.group("label").split()) > _MAX_LABEL_WORDS:
        return None
    return m.group("label").strip(_WS), (m.group("value") or "").strip(_WS)


@dataclass
class _Record:
    """One row: its cells by label key, in the order written, and the source lines it spans."""

    lines: list[tuple[int, str]] = field(default_factory=list)
    cells: dict[str, str] = field(default_factory=dict)
    last: str = ""  # the label of the cell the next unlabelled line continues


def _paragraphs(lines: list[tuple[int, str]]) -> list[list[tuple[int, str]]]:
    out: list[list[tuple[int, str]]] = []
    cur: list[tuple[int, str]] = []
    for start, line in lines:
        if line.strip(_WS):
            cur.append((start, line))
        elif cur:
            out.append(cur)
            cur = []
    if cur:
        out.append(cur)
    return out


def _groups(paras: list[list[tuple[int, str]]]) -> list[list[list[tuple[int, str]]]]:
    """Runs of consecutive paragraphs that open with a labelled line (blank lines between them,
    or none: records written without a blank line are told apart by their labels)."""
    groups: list[list[list[tuple[int, str]]]] = []
    cur: list[list[tuple[int, str]]] = []
    for p in paras:
        if _kv(p[0][1]) is not None:
            cur.append(p)
            continue
        if cur:
            groups.append(cur)
        cur = []
    if cur:
        groups.append(cur)
    return groups


def _labels(group: list[list[tuple[int, str]]]) -> dict[str, str]:
    """The column names of a run, key → name as first written: a label written on two records or
    more (the header names repeat on every record), or a known column name (a "Ghi chú" filled on
    one row only)."""
    count: dict[str, int] = {}
    name: dict[str, str] = {}
    for p in group:
        for _, line in p:
            kv = _kv(line)
            if kv is not None:
                k = _key(kv[0])
                count[k] = count.get(k, 0) + 1
                name.setdefault(k, kv[0])
    return {k: name[k] for k in name if count[k] >= 2 or header_roles([name[k]])}


# a line of a cell that opens a list item: a bullet, "a)", "2." (Decree 30's list markers)
_LIST_START = re.compile(r"^(?:[-–+•*]|\d{1,2}(?:\.\d{1,2})*[.)]|[a-zđ][.)])\s")


def _continue(cell: str, line: str) -> str:
    """A cell's next line: a list item is a paragraph of its own (a second task in the cell);
    any other line is the cell's text wrapped at the export's width and continues it."""
    if not cell:
        return line
    return cell + ("\n" if _LIST_START.match(line) else " ") + line


def _opens_record(p: list[tuple[int, str]], labels: dict[str, str]) -> bool:
    first = _kv(p[0][1])
    return first is not None and _key(first[0]) in labels


def _records(run: list[list[tuple[int, str]]], labels: dict[str, str]) -> list[_Record]:
    """Records in order: a blank line, or a label the record already holds, opens the next one; a
    line that is not one of the run's labels continues the cell above it (a wrapped cell, a second
    paragraph or a bullet of the same cell)."""
    out: list[_Record] = []
    for p in run:
        rec = _Record()
        out.append(rec)
        for start, line in p:
            kv = _kv(line)
            k = _key(kv[0]) if kv is not None else ""
            if kv is not None and k in labels:
                if k in rec.cells:
                    rec = _Record()
                    out.append(rec)
                rec.cells[k] = kv[1]
                rec.last = k
            else:
                rec.cells[rec.last] = _continue(rec.cells[rec.last], line.strip(_WS))
            rec.lines.append((start, line))
    return out


def _columns(records: list[_Record], labels: dict[str, str]) -> list[str]:
    """Column keys in the order the records write them (a label first seen on a later record is
    placed after the ones written before it on that record)."""
    cols: list[str] = []
    for rec in records:
        at = 0
        for k in rec.cells:
            if k in cols:
                at = cols.index(k) + 1
            else:
                cols.insert(at, k)
                at += 1
    return [k for k in cols if k in labels]


def _numbered(records: list[_Record], cols: list[str], names: list[str]) -> bool:
    """A table that assigns no task (criteria and their points, targets and their values) is still
    a table when its records open with the STT column (the row number an official table gives every
    row) and carry at least three columns; its labels then name each row's cells."""
    return (
        len(cols) >= 3
        and header_roles(names[:1]) == {0: "num"}
        and records[0].cells.get(cols[0], "") != ""
        and sum(1 for r in records if cols[0] in r.cells) >= 2
    )


def _read_run(
    run: list[list[tuple[int, str]]], labels: dict[str, str], found: dict[int, Block | None]
) -> None:
    records = _records(run, labels)
    # the first record holds the header row at its first line and its own row at the next one
    while records and len(records[0].lines) < 2:
        records.pop(0)
    if len(records) < 2 or sum(1 for r in records if len(r.cells) >= 2) < 2:
        return
    if any(start in found for r in records for start, _ in r.lines):
        return  # another reader has these lines already
    cols = _columns(records, labels)
    names = [labels[k] for k in cols]
    (h_start, h_line) = records[0].lines[0]
    head = Block(
        " | ".join(names),
        kind="table_row",
        cells=tuple(names),
        bold=True,  # the header row of an official table is bold
        start=h_start,
        end=h_start + len(h_line),
    )
    if not (is_header_row(head) or _numbered(records, cols, names)):
        return  # labels that do not name a table's columns ("Địa chỉ", "Điện thoại")
    found[h_start] = head
    for n, rec in enumerate(records):
        row_start = rec.lines[0][0]
        last_start, last_line = rec.lines[-1]
        row = row_block([rec.cells.get(k, "") for k in cols], row_start, last_start + len(last_line))
        keyed = rec.lines[1:] if n == 0 else rec.lines
        found[keyed[0][0]] = row
        for start, _ in keyed[1:]:
            found[start] = None


def label_rows(lines: list[tuple[int, str]], found: dict[int, Block | None]) -> None:
    """Runs of "Label: value" records read as the table rows they were."""
    for group in _groups(_paragraphs(lines)):
        labels = _labels(group)
        if not 2 <= len(labels) <= _MAX_COLUMNS:
            continue
        run: list[list[tuple[int, str]]] = []
        # a paragraph opening with a label no other record writes ("Căn cứ: …") ends a run
        for p in [*group, []]:
            if p and _opens_record(p, labels):
                run.append(p)
                continue
            if run:
                _read_run(run, labels, found)
            run = []
