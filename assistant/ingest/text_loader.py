"""Text and markdown plans → blocks: one block per line, table lines as table rows."""

from __future__ import annotations

import re
from dataclasses import replace

from ..records import Block
from ..textnorm import nfc
from .base import Loaded
from .inline import inline_to_text
from .tables import row_block
from .text_tables import text_tables

__all__ = ["load_text"]

_MD_HEADING = re.compile(r"^(#{1,6})\s+")
_BULLET = re.compile(r"^[-+•*–]\s+\S")
_RULE = re.compile(r"\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?")


def load_text(name: str, text: str, fmt: str = "txt") -> Loaded:
    """Text/markdown with embedded HTML → blocks; one block per line, tab table lines as table rows.

    A paragraph (lines without a blank line between them) wrapped as a whole in
    ``**…**`` spreads its bold over every line, as in signature blocks.
    """
    text = nfc(text.replace("\r\n", "\n").replace("\r", "\n"))
    blocks: list[Block] = []
    tables = text_tables(text)
    pos = 0
    for para in re.split(r"(\n[ \t\u00a0\u3000]*\n)", text):
        if para.startswith("\n") and not para.strip(" \t\u00a0\u3000\n"):
            pos += len(para)
            continue
        stripped = para.strip()
        para_bold = stripped.startswith("**") and stripped.endswith("**") and "\t" not in para
        lines = _logical_lines(para, pos, tables)
        for k, (start, line) in enumerate(lines):
            if not line.strip(" \t\u00a0\u3000"):
                continue
            blk = tables[start] if start in tables else _line_block(line, start, para_bold)
            if (
                blk is not None
                and blk.kind == "table_row"
                and k + 1 < len(lines)
                and "|" in lines[k + 1][1]
                and _RULE.fullmatch(lines[k + 1][1].strip())
            ):
                # the row above a "|---|---|" rule is the table's header (GitHub-flavoured markdown);
                # a browser sets its <th> cells in bold, as official tables bold their header row
                blk = replace(blk, bold=True)
            if blk is not None:
                blocks.append(blk)
        pos += len(para)
    return Loaded(text, blocks, fmt)


def _open_emphasis(line: str) -> bool:
    """True when a markdown emphasis span opens on this line and is not closed on it."""
    body = re.sub(r"\\\*", "", line.strip())
    body = re.sub(r"^[*+-]\s+", "", body)  # a "* item" bullet is not emphasis
    if body.count("**") % 2:
        return True
    return body.replace("**", "").count("*") % 2 == 1


def _logical_lines(para: str, pos: int, tables: dict) -> list[tuple[int, str]]:
    """The paragraph's lines with their offsets, a hard-wrapped emphasis span re-joined.

    Markdown converted from web pages hard-wraps long lines inside an emphasis span
    ("*Bắc Ninh, ngày 20" / "tháng 11 năm 2025*", "**ỦY BAN NHÂN" / "DÂN**"): by the
    markdown convention a span never crosses a paragraph, so an unclosed span means the
    next line continues the same line of the document (date line, issuer, heading).  A line ending
    in a markdown hard break ("  " or "\\") ends there: a bold signature block written
    "**TM. ỦY BAN NHÂN DÂN␣␣" / "KT. CHỦ TỊCH␣␣" / "PHÓ CHỦ TỊCH**" keeps its lines.
    """
    out: list[tuple[int, str]] = []
    off, carry = pos, None
    for line in para.split("\n"):
        start = off
        off += len(line) + 1
        if carry is not None and start not in tables and line.strip() and not line.strip().startswith("|"):
            c_start, c_line, n = carry
            # a closing mark padded by the converter ("…năm 2025 *", a lone "**") closes the span
            joined = re.sub(r"\s+(\*{1,2})$", r"\1", c_line.rstrip() + " " + line.strip())
            out[-1] = (c_start, joined)
            # closed now, or give up after a few lines (a stray "*" must not swallow a page)
            more = _open_emphasis(joined) and n < 4 and not line.endswith(("  ", "\\"))
            carry = (c_start, joined, n + 1) if more else None
            continue
        out.append((start, line))
        hard_break = line.endswith(("  ", "\\"))
        carry = (start, line, 1) if not hard_break and start not in tables and _open_emphasis(line) else None
    return out


def _line_block(line: str, start: int, para_bold: bool) -> Block | None:
    end = start + len(line)
    pipe = line.strip()
    if pipe.startswith("|") and pipe.endswith("|") and pipe.count("|") >= 3:
        if re.fullmatch(r"[|:\-\s]+", pipe):
            return None  # the |---|---| rule under a markdown table header
        row = row_block(pipe[1:-1].split("|"), start, end)  # a markdown row: the pipes say it
        if row is not None:
            return row
    # tab rows were found by _tab_rows; a tab left here is indentation or a gap ("1.\tText")
    raw = line.strip()
    level = None
    m = _MD_HEADING.match(raw)
    if m:
        level = len(m.group(1))
        raw = raw[m.end() :]
    if para_bold:
        raw = raw.strip("*").strip()
        txt, _, italic = inline_to_text(raw)
        bold = True
    else:
        txt, bold, italic = inline_to_text(raw)
    if not txt:
        return None
    kind = "heading" if level else ("list_item" if _BULLET.match(txt) else "para")
    return Block(txt, kind=kind, level=level, bold=bold, italic=italic, start=start, end=end)
