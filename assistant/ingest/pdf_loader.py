"""PDF → blocks through pypdf, page numbers kept.

Fonts that lack a Unicode map are given one first (``pdf_glyphs.py``).  pypdf's layout mode keeps vertical gaps as blank lines and columns as runs of
spaces, so paragraphs (gaps, or a line that starts a numbered point after a line
that ended a sentence) and the two-column header (issuer | national motto) can be
told apart.  Lines repeated at the top or bottom of most pages (running headers,
page numbers) are dropped.
"""

from __future__ import annotations

import io
import logging
import re
from collections import Counter

from ..errors import CorruptDocument, EncryptedDocument, FileTooLarge, NeedsOCR
from ..records import Block
from ..textnorm import nfc
from .base import PARSER_ERRORS, Loaded
from .patterns import ends_sentence, is_structural, is_upper
from .pdf_fillins import fragments_of, place_fillins
from .pdf_glyphs import repair_fonts
from .pdf_tables import PdfTable, covered, tables_of

__all__ = ["load_pdf", "MAX_PAGES"]

MAX_PAGES = 2000
_COLUMNS = re.compile(r"\s{6,}")
# a line ending in digits glued to a word ("năm 202610", "/KH-ĐKT1105"): where pypdf's layout
# mode leaves text drawn into the line afterwards (a stamped number or day)
_GLUED_END = re.compile(r"(?:[^\W\d]\d+|\d{5,})$")


def _corrupt(name: str, why: str) -> CorruptDocument:
    return CorruptDocument(
        f"Tệp PDF «{name}» bị hỏng hoặc không phải PDF.",
        f"'{name}' is not a readable PDF ({why}).",
        hint="Mở tệp bằng trình đọc PDF để kiểm tra, hoặc xuất lại PDF từ Word.",
    )


def _pypdf_errors() -> tuple[type[Exception], ...]:
    """pypdf's own errors and the built-in ones its parsers let through on garbage."""
    from pypdf.errors import PyPdfError

    return (PyPdfError, *PARSER_ERRORS)


def _open(name: str, data: bytes):
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, PdfReadError

    if b"%PDF-" not in data[:1024]:
        raise _corrupt(name, "no %PDF- header")
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        encrypted = reader.is_encrypted
    except _pypdf_errors() as e:
        raise _corrupt(name, f"{type(e).__name__}: {e}") from e
    if encrypted:
        locked = EncryptedDocument(
            f"Tệp PDF «{name}» được đặt mật khẩu nên không đọc được.",
            f"'{name}' is password-protected.",
            hint="Gỡ mật khẩu (in lại ra PDF hoặc lưu bản không mật khẩu) rồi tải lên lại.",
        )
        try:
            if not reader.decrypt(""):
                raise locked
        except (DependencyError, NotImplementedError, PdfReadError) as e:
            raise locked from e
    try:
        n = len(reader.pages)
    except _pypdf_errors() as e:
        raise _corrupt(name, f"{type(e).__name__}: {e}") from e
    if n > MAX_PAGES:
        raise FileTooLarge(
            f"Tệp PDF «{name}» có {n} trang, vượt giới hạn {MAX_PAGES} trang.",
            f"'{name}' has {n} pages (limit {MAX_PAGES}).",
            hint="Tách tệp thành các phần nhỏ hơn.",
        )
    return reader


def _page_lines(page) -> list[str]:
    try:
        text = page.extract_text(extraction_mode="layout")
    except _pypdf_errors():  # the layout mode fails on some fonts; the plain mode reads them
        text = page.extract_text() or ""
    lines = [ln.rstrip() for ln in (text or "").split("\n")]
    if any(_GLUED_END.search(ln) for ln in lines):
        # a number or day stamped into a blank is put at its line's end (``pdf_fillins``)
        try:
            lines = place_fillins(lines, fragments_of(page))
        except _pypdf_errors():
            pass
    return [nfc(ln) for ln in lines]


def _running(pages: list[list[str]]) -> set[str]:
    """Lines found first or last on at least half of the pages (3 pages or more)."""
    if len(pages) < 3:
        return set()
    edges: Counter = Counter()
    for lines in pages:
        body = [ln.strip() for ln in lines if ln.strip()]
        for ln in {*body[:2], *body[-2:]}:
            edges[re.sub(r"\d+", "#", ln)] += 1
    return {k for k, v in edges.items() if v >= max(3, len(pages) // 2)}


def _paragraphs(lines: list[str], running: set[str]) -> list[str]:
    """Lines → paragraphs.  A short line and the next, one in capitals and the other not, are two
    paragraphs: Nghị định 30/2020/NĐ-CP (Phụ lục I) prints the signer's name and the position
    in capitals on lines of their own ("Hoàng Văn Thuân" / "PHÓ GIÁM ĐỐC"), an appendix's name
    in capitals over its "(Kèm theo Kế hoạch số …)" line; neither line ends a sentence."""
    width = max((len(ln.strip()) for ln in lines), default=0)
    paras: list[str] = []
    cur: list[str] = []
    prev = ""
    for raw in lines:
        if not raw.strip():
            if cur:
                paras.append(_joined(cur))
                cur = []
            prev = ""
            continue
        for seg in _COLUMNS.split(raw.strip()):
            seg = seg.strip()
            if not seg or re.sub(r"\d+", "#", seg) in running:
                continue
            short_prev = len(prev) < 0.7 * width
            new = (
                not cur
                or _COLUMNS.search(raw.strip()) is not None
                or (_starts_point(seg) and (ends_sentence(prev) or short_prev))
                or (short_prev and ends_sentence(prev))
                or (short_prev and is_upper(seg) != is_upper(prev))
            )
            if new and cur:
                paras.append(_joined(cur))
                cur = []
            cur.append(seg)
            prev = seg
    if cur:
        paras.append(_joined(cur))
    return paras


# a line that ends inside a document symbol ("Nghị định số 217/2025/NĐ-" ¶ "CP"): the symbols of
# Nghị định 30/2020/NĐ-CP (Điều 8: "số/năm/KH-UBND") hold no space, and Vietnamese words are
# never hyphenated at a line's end, so the line goes on without a space
_SYMBOL_CUT = re.compile(r"[\w/]-$")


def _joined(lines: list[str]) -> str:
    out = lines[0]
    for ln in lines[1:]:
        out += ln if _SYMBOL_CUT.search(out) and ln[:1].isalnum() else " " + ln
    return out


def _starts_point(seg: str) -> bool:
    """A line that opens a point; a wrapped "- 2030, …" (a dash then a number) does not."""
    if re.match(r"^[-+•–]\s*\S", seg):
        return bool(re.match(r"^[-+•–]\s*[A-ZĐÀ-Ỹ\"“(]", seg))
    return is_structural(seg)


def _continues_page(last: str, first: str) -> bool:
    return not ends_sentence(last) and not _starts_point(first) and not first.isupper() and len(last) > 40


def load_pdf(name: str, data: bytes, *, max_bytes: int | None = None) -> Loaded:
    # pypdf logs repairs of damaged files ("EOF marker not found"); the user gets our error instead
    log = logging.getLogger("pypdf")
    level = log.level
    log.setLevel(logging.ERROR)
    try:
        return _load(name, data)
    finally:
        log.setLevel(level)


def _load(name: str, data: bytes) -> Loaded:
    reader = _open(name, data)
    try:
        # fonts without a Unicode map (legacy TCVN3/VNI fonts, fonts re-embedded without
        # /ToUnicode) get one before extraction; a font it cannot read is left as pypdf reads it
        repair_fonts(reader)
    except _pypdf_errors():
        pass
    try:
        pages = [_page_lines(p) for p in reader.pages]
    except _pypdf_errors() as e:
        raise _corrupt(name, f"{type(e).__name__}: {e}") from e
    if sum(len(ln.strip()) for lines in pages for ln in lines) < 20:
        raise NeedsOCR(
            f"Tệp PDF «{name}» không có lớp chữ (bản quét ảnh), cần nhận dạng chữ (OCR) trước.",
            f"'{name}' has no text layer (scanned images); it needs OCR.",
            hint="Dùng phần mềm OCR (ví dụ: ocrmypdf -l vie) hoặc tải lên bản Word/PDF gốc.",
        )
    running = _running(pages)
    blocks: list[Block] = []
    text_parts: list[str] = []
    pos = 0
    for pno, (lines, table) in enumerate(zip(pages, _tables(reader)), start=1):
        before, after = _around(lines, table) if table else (lines, [])
        if after is None:  # the table's lines were not found: the layout reading stands
            before, after, table = lines, [], None
        for i, para in enumerate(_paragraphs(before, running)):
            para = re.sub(r"\s{2,}", " ", para).strip()
            if i == 0 and blocks and _continues_page(blocks[-1].text, para):
                # a paragraph running over the page break: one block, on the page it starts
                text_parts[-1] += " " + para
                blocks[-1] = Block(
                    text_parts[-1],
                    kind=blocks[-1].kind,
                    page=blocks[-1].page,
                    start=blocks[-1].start,
                    end=blocks[-1].start + len(text_parts[-1]),
                )
                pos = blocks[-1].end + 2
                continue
            blocks.append(
                Block(
                    para,
                    kind="list_item" if re.match(r"^[-+•]\s", para) else "para",
                    page=pno,
                    start=pos,
                    end=pos + len(para),
                )
            )
            text_parts.append(para)
            pos += len(para) + 2
        if table is None:
            continue
        for row in table.rows:
            text = " | ".join(c.replace("\n", " ") for c in row if c)
            blocks.append(Block(text, kind="table_row", cells=row, page=pno, start=pos, end=pos + len(text)))
            text_parts.append(text)
            pos += len(text) + 2
        for para in _paragraphs(after, running):
            para = re.sub(r"\s{2,}", " ", para).strip()
            blocks.append(Block(para, kind="para", page=pno, start=pos, end=pos + len(para)))
            text_parts.append(para)
            pos += len(para) + 2
    return Loaded("\n\n".join(text_parts), blocks, "pdf")


def _tables(reader) -> list[PdfTable | None]:
    """Each page's ruled annex table, None where it has none or it cannot be read."""
    out: list[PdfTable | None] = []
    for page in reader.pages:
        try:
            found = tables_of(page)
        except _pypdf_errors():
            found = []
        out.append(found[0] if found else None)
    return out


def _around(lines: list[str], table: PdfTable) -> tuple[list[str], list[str] | None]:
    """The page's lines above and below the table, or (lines, None) when its lines are not found:
    the first and last lines naming a cell at length bound it, every line between is its own."""
    marks = [covered(ln, table) for ln in lines]
    sure = [i for i, m in enumerate(marks) if m]
    if not sure or any(marks[i] is False for i in range(sure[0], sure[-1] + 1) if lines[i].strip()):
        return lines, None
    return lines[: sure[0]], lines[sure[-1] + 1 :]
