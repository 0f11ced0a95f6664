"""Loaders: bytes of a .txt/.md/.pdf/.docx plan → normalised text + ``Block`` list.

Every loader emits the same blocks (display text without markup, NFC, with
offsets into the loader's normalised text), so the steps after it never look at
the source format.  Guards run before any parser sees the bytes: size, empty
files, encodings that cannot be decoded reliably.
"""

from __future__ import annotations

import codecs
import html
import re
import unicodedata
from dataclasses import dataclass

from ..errors import EmptyDocument, FileTooLarge, UndecodableText, UnsupportedFormat
from ..records import Block
from ..textnorm import nfc

__all__ = [
    "SUPPORTED_SUFFIXES",
    "Loaded",
    "load_bytes",
    "decode_text",
    "load_text",
    "inline_to_text",
    "SUPERSCRIPT",
    "check_size",
]

SUPPORTED_SUFFIXES = (".txt", ".md", ".pdf", ".docx")

SUPERSCRIPT = str.maketrans("0123456789()+-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁽⁾⁺⁻")


@dataclass
class Loaded:
    text: str  # the loader's normalised text; Block offsets point into it
    blocks: list[Block]
    source_format: str  # txt | md | pdf | docx


def _size(n: int) -> str:
    return f"{n / 1048576:.1f} MB" if n >= 1048576 else f"{n / 1024:.0f} KB" if n >= 1024 else f"{n} byte"


def check_size(name: str, size: int, max_bytes: int | None) -> None:
    if max_bytes is not None and size > max_bytes:
        raise FileTooLarge(
            f"Tệp «{name}» quá lớn ({_size(size)}, tối đa {_size(max_bytes)}).",
            f"File '{name}' is too large ({size} bytes, limit {max_bytes}).",
            hint="Tách kế hoạch thành tệp nhỏ hơn hoặc tăng TLKH_MAX_UPLOAD_MB.",
        )


def load_bytes(name: str, data: bytes, *, max_bytes: int | None = None) -> Loaded:
    """Dispatch on the file suffix; every failure is a DocumentError naming the file."""
    check_size(name, len(data), max_bytes)
    suffix = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    if suffix not in SUPPORTED_SUFFIXES:
        raise UnsupportedFormat(
            f"Không đọc được tệp «{name}»: chỉ hỗ trợ {', '.join(SUPPORTED_SUFFIXES)}.",
            f"Unsupported file type for '{name}'; supported: {', '.join(SUPPORTED_SUFFIXES)}.",
            hint="Lưu kế hoạch dưới dạng .docx, .pdf (có lớp chữ) hoặc .txt (UTF-8).",
        )
    if not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise EmptyDocument(
            f"Tệp «{name}» rỗng.", f"File '{name}' is empty.", hint="Kiểm tra lại tệp đã tải lên."
        )
    if suffix == ".pdf":
        from .pdf_loader import load_pdf

        return load_pdf(name, data, max_bytes=max_bytes)
    if suffix == ".docx":
        from .docx_loader import load_docx

        return load_docx(name, data, max_bytes=max_bytes)
    return load_text(name, decode_text(name, data), suffix.lstrip("."))


# --- encodings --------------------------------------------------------------
_VI_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323", "\u0302", "\u0306", "\u031b"}
_TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def _vietnamese_letter(c: str) -> bool:
    d = unicodedata.normalize("NFD", c)
    if d[0].lower() == "đ":
        return len(d) == 1
    return "a" <= d[0].lower() <= "z" and all(m in _VI_MARKS for m in d[1:])


def _looks_vietnamese(text: str) -> bool:
    """A reliable-enough test that a legacy decoding produced Vietnamese, not mojibake.

    Every letter must belong to the Vietnamese alphabet (VNI/TCVN3 bytes decoded as
    cp1258 give ä, µ, ¸ … instead), and tone marks must be frequent, as they are in
    any Vietnamese sentence.
    """
    letters = [c for c in nfc(text) if c.isalpha()]
    if len(letters) < 20:
        return False
    if sum(not _vietnamese_letter(c) for c in letters) > len(letters) * 0.002:
        return False
    tones = sum(1 for c in unicodedata.normalize("NFD", text) if c in _TONE_MARKS)
    return tones >= len(letters) * 0.05


def decode_text(name: str, data: bytes) -> str:
    """Decode a text plan: BOMs, UTF-8, UTF-16 without BOM, then Windows-1258 if it reads as Vietnamese."""
    for bom, enc in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(enc)
            except UnicodeDecodeError as e:
                raise _undecodable(name, f"{enc} byte order mark but invalid {enc} ({e.reason})") from e
    if data.count(b"\x00") > len(data) // 4:
        # UTF-16 without BOM: ASCII-range characters put their zero byte on one side
        enc = "utf-16-le" if data[1::2].count(0) > data[0::2].count(0) else "utf-16-be"
        try:
            text = data.decode(enc)
            if _plausible(text):
                return text
        except UnicodeDecodeError:
            pass
        raise _undecodable(name, "binary data (NUL bytes)")
    try:
        text = data.decode("utf-8")
        if _plausible(text):
            return text
        raise _undecodable(name, "control characters: binary data, not text")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1258")
    except UnicodeDecodeError:
        text = ""
    if text and _looks_vietnamese(text):
        return text
    raise _undecodable(name, "not UTF-8/UTF-16, and not Windows-1258 Vietnamese (maybe TCVN3/VNI)")


def _plausible(text: str) -> bool:
    """Text, not binary: control characters (other than line breaks and tabs) are rare."""
    controls = sum(1 for c in text if unicodedata.category(c) == "Cc" and c not in "\n\r\t\f")
    return controls <= max(2, len(text) // 1000)


def _undecodable(name: str, why: str) -> UndecodableText:
    return UndecodableText(
        f"Không đọc được bảng mã chữ của tệp «{name}» (không phải UTF-8/UTF-16; có thể là TCVN3/VNI).",
        f"Cannot decode the text of '{name}': {why}.",
        hint="Mở tệp bằng Word hoặc dùng UniKey (Công cụ chuyển mã) để lưu lại dưới dạng Unicode UTF-8, rồi tải lên lại.",
    )


# --- inline markup ----------------------------------------------------------
_B0, _B1, _I0, _I1 = "\x01", "\x02", "\x03", "\x04"
_JUNK = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad\u25a0-\u25ff]")


def inline_to_text(s: str, *, keep_lines: bool = False) -> tuple[str, bool, bool]:
    """Markdown/HTML inline markup → (plain text, all bold, all italic).

    ``<sup>`` becomes Unicode superscript so footnote markers stay visible and
    unambiguous ("ngoại⁽¹⁾"); list items and paragraphs inside HTML become lines
    when ``keep_lines`` (table cells), spaces otherwise.
    """
    s = re.sub(
        r"(?is)<sup[^>]*>(.*?)</sup>",
        lambda m: re.sub(r"<[^>]+>", "", m.group(1)).strip().translate(SUPERSCRIPT),
        s,
    )
    s = re.sub(r"(?i)<br\s*/?>|</?(?:li|p|ul|ol|div|tr)(?:\s[^>]*)?>", "\n", s)
    s = re.sub(r"(?i)<(?:b|strong)(?:\s[^>]*)?>", _B0, s)
    s = re.sub(r"(?i)</(?:b|strong)>", _B1, s)
    s = re.sub(r"(?i)<(?:i|em)(?:\s[^>]*)?>", _I0, s)
    s = re.sub(r"(?i)</(?:i|em)>", _I1, s)
    s = re.sub(r"<[^>]+>", "", s)
    s = re.sub(r"\*\*(?=\S)(.+?)(?<=\S)\*\*", _B0 + r"\1" + _B1, s, flags=re.S)
    s = re.sub(r"__(?=\S)(.+?)(?<=\S)__", _B0 + r"\1" + _B1, s, flags=re.S)
    s = re.sub(r"(?<![*\w])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![*\w])", _I0 + r"\1" + _I1, s, flags=re.S)
    s = s.replace("**", "")
    s = re.sub(r"\\([*_#\\`\[\]])", r"\1", s)
    s = html.unescape(s)
    s = _JUNK.sub("", s).replace("\u00a0", " ").replace("\t", " ")
    bold = _covered(s, _B0, _B1)
    italic = _covered(s, _I0, _I1)
    s = re.sub("[\x01-\x04]", "", s)
    lines = [re.sub(r"[ ]{2,}", " ", ln).strip() for ln in s.split("\n")]
    s = "\n".join(ln for ln in lines if ln) if keep_lines else " ".join(ln for ln in lines if ln)
    return nfc(s), bold, italic


def _covered(s: str, on: str, off: str) -> bool:
    """True when every visible character lies inside on…off spans."""
    depth, seen = 0, False
    for c in s:
        if c == on:
            depth += 1
        elif c == off:
            depth = max(0, depth - 1)
        elif not c.isspace() and c not in "\x01\x02\x03\x04":
            if depth == 0 and c not in ".:;,":
                return False
            seen = True
    return seen


# --- text / markdown ------------------------------------------------------------
_MD_HEADING = re.compile(r"^(#{1,6})\s+")
_BULLET = re.compile(r"^[-+•*–]\s+\S")


def load_text(name: str, text: str, fmt: str = "txt") -> Loaded:
    """Text/markdown with embedded HTML → blocks; one block per line, tab table lines as table rows.

    A paragraph (lines without a blank line between them) wrapped as a whole in
    ``**…**`` spreads its bold over every line, as in signature blocks.
    """
    text = nfc(text.replace("\r\n", "\n").replace("\r", "\n"))
    blocks: list[Block] = []
    tables = _text_tables(text)
    pos = 0
    for para in re.split(r"(\n[ \t\u00a0\u3000]*\n)", text):
        if para.startswith("\n") and not para.strip(" \t\u00a0\u3000\n"):
            pos += len(para)
            continue
        stripped = para.strip()
        para_bold = stripped.startswith("**") and stripped.endswith("**") and "\t" not in para
        off = pos
        for line in para.split("\n"):
            start = off
            off += len(line) + 1
            if not line.strip(" \t\u00a0\u3000"):
                continue
            blk = tables[start] if start in tables else _line_block(line, start, para_bold)
            if blk is not None:
                blocks.append(blk)
        pos += len(para)
    return Loaded(text, blocks, fmt)


def _line_block(line: str, start: int, para_bold: bool) -> Block | None:
    end = start + len(line)
    pipe = line.strip()
    if pipe.startswith("|") and pipe.endswith("|") and pipe.count("|") >= 3:
        if re.fullmatch(r"[|:\-\s]+", pipe):
            return None  # the |---|---| rule under a markdown table header
        row = _row_block(pipe[1:-1].split("|"), start, end)  # a markdown row: the pipes say it
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


# --- tables in plain text -----------------------------------------------------
# Besides tab rows and "| a | b |" markdown rows (one line each, see _line_block), text
# exports of web pages write tables two more ways, recognised over several lines:
# rows without outer pipes ("1 | Nội dung | Sở Y tế | …"), and one cell per line with a
# lone "|" line closing each cell (rows are not marked: the header tells how many
# cells a row has, and a row starts at a cell holding a row number).
_LONE_PIPE = re.compile(r"[ \t\u00a0]*\|[ \t\u00a0]*")
_MAX_CELL_LINES = 15


def _row_block(cells, start: int, end: int) -> Block | None:
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


def _text_tables(text: str) -> dict[int, Block | None]:
    """Line start offset → the table row block that line starts (None: the line is part of one)."""
    lines, pos = [], 0
    for line in text.split("\n"):
        lines.append((pos, line))
        pos += len(line) + 1
    found: dict[int, Block | None] = {}
    _tab_rows(lines, found)
    _pipe_rows(lines, found)
    _cell_per_line(lines, found)
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
    from .tables import is_header_cells, is_label_row

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
                    found[start] = _row_block(_tab_cells(line), start, start + len(line))
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


def _pipe_rows(lines: list[tuple[int, str]], found: dict[int, Block | None]) -> None:
    """A header line naming table columns and the pipe rows under it, or ≥ 2 consecutive
    lines cut into the same number (≥ 3) of cells."""
    from .tables import is_header_cells

    i = 0
    while i < len(lines):
        first = _pipe_cells(lines[i][1])
        if not isinstance(first, list):
            i += 1
            continue
        header = is_header_cells(first)
        run = [(lines[i], first)]
        j = i + 1
        while j < len(lines):
            cells = _pipe_cells(lines[j][1])
            if cells is None or (isinstance(cells, list) and not header and len(cells) != len(first)):
                break
            run.append((lines[j], cells))
            j += 1
        rows = [r for r in run if r[1] != "rule"]
        if header or (len(first) >= 3 and len(rows) >= 2):
            width = len(first) if header else 0
            for (start, line), cells in run:
                found[start] = (
                    None if cells == "rule" else _row_block(_fit(cells, width), start, start + len(line))
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


def _cell_per_line(lines: list[tuple[int, str]], found: dict[int, Block | None]) -> None:
    segs = _segments(lines)
    k = 0
    while k < len(segs):
        header = _cell_header(segs, k)
        if header is None:
            k += 1
            continue
        names, first_lines = header
        k = _read_cell_table(segs, k, names, first_lines, found)


def _is_name(text: str) -> bool:
    from .tables import header_roles

    return len(text) <= 70 and text.count("\n") <= 3 and bool(header_roles([text]))


def _cell_header(segs: list[_Seg], k: int) -> tuple[list[str], list[tuple[int, str]]] | None:
    """Column names starting at segment ``k``: its last line(s), then whole segments."""
    from .tables import header_roles, is_header_cells

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
    from .tables import header_roles

    n = len(names)
    roles = header_roles(names)
    rows, stop = _cell_rows(segs, k + n, n, next((i for i, r in roles.items() if r == "num"), None))
    if not rows:
        return k + 1
    head_lines = (
        first_lines
        + [ln for s in segs[k + 1 : k + n] for ln in s.lines]
        + [s.pipe for s in segs[k : k + n] if s.pipe]
    )
    aligned = _aligned(rows, n, roles, segs, stop)
    if aligned:
        _emit(found, head_lines, _row_block(names, *_span(head_lines)))
    else:
        # too uncertain to say which cell is whose: the header stays text and the rows have
        # no column roles, so no cell's units spread to the others
        start, end = _span(head_lines)
        _emit(
            found,
            head_lines,
            Block(" | ".join(x.replace("\n", " ") for x in names), kind="para", start=start, end=end),
        )
    for row in rows:
        cells = [s.text for s in row] + ([""] * (n - len(row)) if aligned else [])
        lines = _row_lines(row)
        if lines:
            _emit(found, lines, _row_block(cells, *_span(lines)))
    return stop


def _cell_rows(segs: list[_Seg], j: int, n: int, num_col: int | None) -> tuple[list[list[_Seg]], int]:
    """Cells from segment ``j`` on, cut into rows: a row is full at ``n`` cells, and a
    cell holding the next row number starts a row early (a merged cell left a row short)."""
    from .tables import is_row_number

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


def _follows(a: str, b: str) -> bool:
    """``b`` is the row number right after ``a``: 2 after 1, 1.3 after 1.2, 2 after 1.4, II after I, b after a."""
    from .patterns import roman_value

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


def _aligned(rows: list[list[_Seg]], n: int, roles: dict[int, str], segs: list[_Seg], stop: int) -> bool:
    """Every row has its n cells, its content, an STT that is a row number (or empty), and
    no row number waits in the cells right after the table (the rows went out of step)."""
    from .tables import is_row_number

    content = next(i for i, r in roles.items() if r == "content")
    num = next((i for i, r in roles.items() if r == "num"), None)
    for row in rows:
        if len(row) != n:
            return False
        if content >= len(row) or not row[content].text:
            return False
        if num is not None and num < len(row) and row[num].text and not is_row_number(row[num].text):
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
