"""DOCX → blocks through python-docx: paragraphs and real Word tables, in body order.

The zip container is checked before python-docx opens it: a truncated file or
something that is not a zip is "corrupt", and members that inflate beyond a sane
size or ratio (a zip bomb) are refused without being decompressed.
"""
from __future__ import annotations

import io
import re
import zipfile

from ..errors import CorruptDocument, FileTooLarge
from ..records import Block
from ..textnorm import nfc
from .loaders import SUPERSCRIPT, Loaded

__all__ = ["load_docx", "MAX_UNZIPPED", "MAX_RATIO"]

MAX_UNZIPPED = 200 * 1024 * 1024   # all members together, inflated
MAX_RATIO = 100                    # inflated / compressed, for members above 10 MiB
MAX_MEMBERS = 5000


def _corrupt(name: str, why: str) -> CorruptDocument:
    return CorruptDocument(f"Tệp Word «{name}» bị hỏng hoặc không phải .docx.",
                           f"'{name}' is not a readable .docx ({why}).",
                           hint="Mở tệp bằng Word và lưu lại dưới dạng .docx (không phải .doc).")


def _check_zip(name: str, data: bytes) -> None:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as e:
        raise _corrupt(name, f"not a zip container: {e}") from e
    if len(infos) > MAX_MEMBERS:
        raise _corrupt(name, f"{len(infos)} zip members")
    total = 0
    for info in infos:
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if total > MAX_UNZIPPED or (info.file_size > 10 * 1024 * 1024 and ratio > MAX_RATIO):
            raise FileTooLarge(
                f"Tệp Word «{name}» khi giải nén quá lớn (có thể là tệp độc hại «zip bomb»), không xử lý.",
                f"'{name}' inflates to more than allowed (member {info.filename}: {info.file_size} bytes, "
                f"ratio {ratio:.0f}); refusing a possible zip bomb.",
                hint="Lưu lại tài liệu từ Word, bỏ hình ảnh/đối tượng nhúng quá lớn.")
    if "word/document.xml" not in {i.filename for i in infos}:
        raise _corrupt(name, "no word/document.xml")
    # headers can lie about sizes: inflate in bounded chunks so the CRC check stops a liar early
    total = 0
    try:
        for info in infos:
            with zf.open(info) as member:
                while chunk := member.read(1 << 20):
                    total += len(chunk)
                    if total > MAX_UNZIPPED:
                        raise FileTooLarge(
                            f"Tệp Word «{name}» khi giải nén quá lớn (có thể là tệp độc hại «zip bomb»), không xử lý.",
                            f"'{name}' inflates beyond {MAX_UNZIPPED} bytes; refusing a possible zip bomb.",
                            hint="Lưu lại tài liệu từ Word, bỏ hình ảnh/đối tượng nhúng quá lớn.")
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError) as e:
        raise _corrupt(name, f"{type(e).__name__}: {e}") from e


def _paragraph(p) -> tuple[str, bool, int | None]:
    """(text with superscripts, all bold, heading level)."""
    from docx.text.run import Run

    parts, bold_chars, chars = [], 0, 0
    for item in p.iter_inner_content():
        runs = [item] if isinstance(item, Run) else list(getattr(item, "runs", []))
        for r in runs:
            t = r.text or ""
            if r.font.superscript:
                t = t.strip().translate(SUPERSCRIPT)
            parts.append(t)
            visible = len(t.strip())
            chars += visible
            if r.bold or (r.bold is None and p.style is not None and p.style.font.bold):
                bold_chars += visible
    text = nfc(re.sub(r"[ \t\u00a0]+", " ", "".join(parts)).strip())
    style = (p.style.name if p.style is not None else "") or ""
    m = re.match(r"(?i)heading\s*(\d)", style)
    if style.lower().startswith("list bullet") and text and not re.match(r"^[-+•*]", text):
        text = "- " + text
    return text, chars > 0 and bold_chars == chars, int(m.group(1)) if m else None


def _cell_text(cell) -> str:
    lines = [_paragraph(p)[0] for p in cell.paragraphs]
    return "\n".join(ln for ln in lines if ln)


def _row_cells(row) -> list[str]:
    """One text per grid column, so every cell stays under its header: a cell merged
    across columns gives its text once, at its first column, and "" for the others it
    spans; grid columns a row skips before its first cell are empty cells."""
    cells = [""] * (getattr(row, "grid_cols_before", 0) or 0)
    prev = None
    for c in row.cells:
        cells.append("" if c._tc is prev else _cell_text(c))
        prev = c._tc
    return cells


def load_docx(name: str, data: bytes, *, max_bytes: int | None = None) -> Loaded:
    _check_zip(name, data)
    try:
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        document = docx.Document(io.BytesIO(data))
        body = list(document.iter_inner_content())
    except Exception as e:  # python-docx/lxml raise many types on broken parts
        raise _corrupt(name, f"{type(e).__name__}: {e}") from e
    blocks: list[Block] = []
    texts: list[str] = []
    pos = 0

    def add(text: str, **kw) -> None:
        nonlocal pos
        blocks.append(Block(text, start=pos, end=pos + len(text), **kw))
        texts.append(text)
        pos += len(text) + 2

    for item in body:
        if isinstance(item, Paragraph):
            text, bold, level = _paragraph(item)
            for line in text.split("\n"):
                line = line.strip()
                if line:
                    kind = "heading" if level else ("list_item" if re.match(r"^[-+•]\s", line) else "para")
                    add(line, kind=kind, bold=bold, level=level)
        elif isinstance(item, Table):
            for row in item.rows:
                cells = _row_cells(row)
                if any(cells):
                    add(" | ".join(c.replace("\n", " ") for c in cells if c), kind="table_row", cells=tuple(cells))
    return Loaded("\n\n".join(texts), blocks, "docx")
