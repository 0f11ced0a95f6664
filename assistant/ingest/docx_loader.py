"""DOCX → blocks through python-docx: paragraphs and real Word tables, in body order.

The zip container is checked before python-docx opens it: a truncated file or
something that is not a zip is "corrupt", and members that inflate beyond a sane
size or ratio (a zip bomb) are refused without being decompressed.

Word's automatic numbering ("I.", "1.", "a)", "-" drawn from numbering.xml, not typed)
is rendered into the paragraph text as Word displays it, because the structure step
recognises headings and unit bullets by those labels.  Odd numbering XML never fails
the load: the paragraph keeps its text without a label.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

from ..errors import CorruptDocument, FileTooLarge
from ..records import Block
from ..textnorm import nfc
from .base import PARSER_ERRORS, SUPERSCRIPT, Loaded
from .docx_content import block_items, footnote_numbers, footnote_refs, footnote_texts, paragraph_runs
from .legacy import decode_legacy, legacy_of_font

__all__ = ["load_docx", "number_labels", "MAX_UNZIPPED", "MAX_RATIO"]

MAX_UNZIPPED = 200 * 1024 * 1024  # all members together, inflated
MAX_RATIO = 100  # inflated / compressed, for members above 10 MiB
MAX_MEMBERS = 5000


def _corrupt(name: str, why: str) -> CorruptDocument:
    return CorruptDocument(
        f"Tệp Word «{name}» bị hỏng hoặc không phải .docx.",
        f"'{name}' is not a readable .docx ({why}).",
        hint="Mở tệp bằng Word và lưu lại dưới dạng .docx (không phải .doc).",
    )


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
                hint="Lưu lại tài liệu từ Word, bỏ hình ảnh/đối tượng nhúng quá lớn.",
            )
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
                            hint="Lưu lại tài liệu từ Word, bỏ hình ảnh/đối tượng nhúng quá lớn.",
                        )
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError) as e:
        raise _corrupt(name, f"{type(e).__name__}: {e}") from e


# --- Word automatic numbering ------------------------------------------------------------------
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_ROMAN = (
    (1000, "M"),
    (900, "CM"),
    (500, "D"),
    (400, "CD"),
    (100, "C"),
    (90, "XC"),
    (50, "L"),
    (40, "XL"),
    (10, "X"),
    (9, "IX"),
    (5, "V"),
    (4, "IV"),
    (1, "I"),
)
_BULLETS_KEPT = {"+"}  # "+" marks a sub-bullet in Vietnamese plans; every other glyph reads as "-"


def _val(el, tag: str) -> str | None:
    child = el.find(_W + tag) if el is not None else None
    return None if child is None else child.get(_W + "val")


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _roman(n: int) -> str:
    out = []
    for value, mark in _ROMAN:
        while n >= value:
            out.append(mark)
            n -= value
    return "".join(out)


def _letters(n: int) -> str:
    # Word counts a..z, then aa..zz, aaa..: the letter repeats, it does not carry like a number
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def _format(n: int, fmt: str) -> str:
    if fmt == "none":
        return ""
    if n >= 1 and fmt in ("upperRoman", "lowerRoman"):
        return _roman(n) if fmt == "upperRoman" else _roman(n).lower()
    if n >= 1 and fmt in ("upperLetter", "lowerLetter"):
        return _letters(n).upper() if fmt == "upperLetter" else _letters(n)
    if fmt == "decimalZero":
        return f"{n:02d}"
    return str(n)  # decimal, and formats we do not draw (ordinal words, CJK counting) read as decimal


@dataclass(frozen=True)
class _Level:
    fmt: str
    text: str
    start: int
    restart: int | None  # w:lvlRestart: restart after levels below this one-based index; 0 = never
    legal: bool  # w:isLgl: every %n in decimal


def _level(lvl) -> _Level:
    start = _int(_val(lvl, "start"))
    legal = lvl.find(_W + "isLgl") is not None and _val(lvl, "isLgl") not in ("0", "false")
    return _Level(
        fmt=_val(lvl, "numFmt") or "decimal",
        text=_val(lvl, "lvlText") or "",
        start=1 if start is None else start,
        restart=_int(_val(lvl, "lvlRestart")),
        legal=legal,
    )


def _levels(parent) -> dict[int, _Level]:
    out = {}
    for lvl in parent.findall(_W + "lvl"):
        ilvl = _int(lvl.get(_W + "ilvl"))
        if ilvl is not None:
            out[ilvl] = _level(lvl)
    return out


class _Numbering:
    """numbering.xml + styles.xml, and the running counters of one pass over the body."""

    # ids are attribute values, None when a malformed file leaves one out
    def __init__(self, numbering, styles):
        self.abstract: dict[str | None, dict[int, _Level]] = {}
        self.abstract_link: dict[str | None, str] = {}  # abstractNum → numbering style it borrows from
        self.level_style: dict[tuple[str | None, str | None], int] = {}  # (abstractNum, style) → level
        for an in numbering.findall(_W + "abstractNum"):
            aid = an.get(_W + "abstractNumId")
            self.abstract[aid] = _levels(an)
            if link := _val(an, "numStyleLink"):
                self.abstract_link[aid] = link
            for lvl in an.findall(_W + "lvl"):
                if (style := _val(lvl, "pStyle")) and (ilvl := _int(lvl.get(_W + "ilvl"))) is not None:
                    self.level_style[(aid, style)] = ilvl
        self.nums: dict[str | None, tuple[str | None, dict[int, int], dict[int, _Level]]] = {}
        for num in numbering.findall(_W + "num"):
            starts: dict[int, int] = {}
            levels: dict[int, _Level] = {}
            for ov in num.findall(_W + "lvlOverride"):
                ilvl = _int(ov.get(_W + "ilvl"))
                if ilvl is None:
                    continue
                if (start := _int(_val(ov, "startOverride"))) is not None:
                    starts[ilvl] = start
                lvl = ov.find(_W + "lvl")
                if lvl is not None:
                    levels[ilvl] = _level(lvl)
            self.nums[num.get(_W + "numId")] = (_val(num, "abstractNumId"), starts, levels)
        self.styles = (
            {st.get(_W + "styleId"): st for st in styles.findall(_W + "style")} if styles is not None else {}
        )
        self.default_style = next(
            (
                sid
                for sid, st in self.styles.items()
                if st.get(_W + "type") == "paragraph" and st.get(_W + "default") in ("1", "true")
            ),
            None,
        )
        # counters are shared by every w:num of one abstractNum, as in Word; a num that
        # overrides a start restarts those levels the first time it is used
        self.counters: dict[str | None, dict[int, int]] = {}
        self.used: set[str] = set()

    def _style_numpr(self, style_id: str | None) -> tuple[str | None, str | None, str | None]:
        """(numId, ilvl, the style that carries them), following w:basedOn."""
        seen = set()
        while style_id and style_id not in seen and style_id in self.styles:
            seen.add(style_id)
            st = self.styles[style_id]
            numpr = st.find(f"{_W}pPr/{_W}numPr")
            if numpr is not None and _val(numpr, "numId") is not None:
                return _val(numpr, "numId"), _val(numpr, "ilvl"), style_id
            style_id = _val(st, "basedOn")
        return None, None, None

    def _abstract_of(self, num_id: str) -> str | None:
        aid, seen = self.nums.get(num_id, (None, {}, {}))[0], set()
        # a list that borrows a numbering style's definition (w:numStyleLink) counts on that one
        while aid in self.abstract_link and aid not in seen:
            seen.add(aid)
            linked = self._style_numpr(self.abstract_link[aid])[0]
            aid = self.nums.get(linked, (aid, {}, {}))[0] if linked else aid
        return aid

    def _target(self, p) -> tuple[str, int] | None:
        """(numId, level) the paragraph is numbered with, or None."""
        ppr = p.find(_W + "pPr")
        numpr = ppr.find(_W + "numPr") if ppr is not None else None
        style = _val(ppr, "pStyle") or self.default_style
        num_id, ilvl = _val(numpr, "numId"), _val(numpr, "ilvl")
        s_num, s_ilvl, s_style = self._style_numpr(style)
        if num_id is None:
            num_id, ilvl = s_num, ilvl if ilvl is not None else s_ilvl
        if num_id is None or num_id == "0" or num_id not in self.nums:  # numId 0 switches numbering off
            return None
        if ilvl is None:
            return num_id, self.level_style.get((self._abstract_of(num_id), s_style or style), 0)
        return num_id, int(ilvl)

    def label(self, p) -> str:
        target = self._target(p)
        if target is None:
            return ""
        num_id, ilvl = target
        aid = self._abstract_of(num_id)
        levels = {**self.abstract.get(aid, {}), **self.nums[num_id][2]}
        if ilvl not in levels:
            return ""
        starts = self.nums[num_id][1]
        state = self.counters.setdefault(aid, {})
        if num_id not in self.used:
            self.used.add(num_id)
            for lvl in starts:
                state.pop(lvl, None)

        def start(lvl: int) -> int:
            return starts[lvl] if lvl in starts else (levels[lvl].start if lvl in levels else 1)

        state[ilvl] = state[ilvl] + 1 if ilvl in state else start(ilvl)
        for deeper in [k for k in state if k > ilvl]:
            restart = levels[deeper].restart if deeper in levels else None
            if restart is None or ilvl < restart:  # default: any higher level restarts it
                del state[deeper]
        return self._render(levels, ilvl, state, start)

    @staticmethod
    def _render(levels: dict[int, _Level], ilvl: int, state: dict[int, int], start) -> str:
        level = levels[ilvl]
        if level.fmt == "bullet" or "%" not in level.text:
            glyph = level.text.strip()
            if level.fmt != "bullet" and len(glyph) > 1:
                return glyph  # a literal label ("Ghi chú:") stays as written
            return glyph if glyph in _BULLETS_KEPT else ("-" if glyph or level.fmt == "bullet" else "")

        def one(m: re.Match) -> str:
            k = int(m.group(1)) - 1
            fmt = levels[k].fmt if k in levels else "decimal"
            if level.legal and fmt != "none":
                fmt = "decimal"
            return _format(state.get(k, start(k)), fmt)

        return re.sub(r"%([1-9])", one, level.text).strip()


def _part_element(document, reltype: str):
    try:
        return document.part.part_related_by(reltype).element
    except (
        KeyError,
        AttributeError,
    ):  # no such part, or one not parsed as XML: no numbering, not a broken file
        return None


def number_labels(document) -> dict:
    """Paragraph element → the label Word draws before it ("I.", "1.", "a)", "-"), computed
    in one pass over the body in document order (table cells included) so the counters
    advance as Word's do.  Empty on any numbering Word could not have produced."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    numbering = _part_element(document, RT.NUMBERING)
    if numbering is None:
        return {}
    try:
        state = _Numbering(numbering, _part_element(document, RT.STYLES))
    except (ValueError, LookupError):  # malformed numbering definitions: text without labels
        return {}
    labels = {}
    for p in document.element.body.iter(_W + "p"):
        if any(a.tag == _MC_FALLBACK for a in p.iterancestors()):
            continue  # a text box's second copy for old readers: Word counts it once
        try:
            if label := state.label(p):
                labels[p] = label
        except (ValueError, LookupError):  # one odd paragraph (a level that is not a number) keeps no label
            continue
    return labels


def _paragraph(
    p, labels: dict | None = None, *, bare_label: bool = False, notes: dict[str, int] | None = None
) -> tuple[str, bool, int | None]:
    """(text with superscripts and its Word numbering label, all bold, heading level).

    A label alone (an empty numbered paragraph) is kept only with ``bare_label``: in a
    table's STT cell it is the row number, in the body it is noise."""
    parts, bold_chars, chars = [], 0, 0
    for r in paragraph_runs(p):
        t = r.text or ""
        legacy = legacy_of_font(_run_font(r, p))
        if legacy is not None:
            t = decode_legacy(t, *legacy)
        if r.font.superscript:
            t = t.strip().translate(SUPERSCRIPT)
        # a footnote reference prints its number raised after the word, as a text copy writes "sản¹"
        t += "".join(str(notes[f]).translate(SUPERSCRIPT) for f in footnote_refs(r) if notes and f in notes)
        parts.append(t)
        visible = len(t.strip())
        chars += visible
        if r.bold or (r.bold is None and p.style is not None and p.style.font.bold):
            bold_chars += visible
    text = nfc(re.sub(r"[ \t\u00a0]+", " ", "".join(parts)).strip())
    style = (p.style.name if p.style is not None else "") or ""
    m = re.match(r"(?i)heading\s*(\d)", style)
    label = (labels or {}).get(p._p, "")
    if label in ("-", "+") and re.match(r"^[-+•–]\s", text):
        label = ""  # the author also typed the bullet: Word would show it twice, a reader once
    if label and (text or bare_label):
        text = f"{label} {text}".strip()
    elif style.lower().startswith("list bullet") and text and not re.match(r"^[-+•*]", text):
        text = "- " + text
    return text, chars > 0 and bold_chars == chars, int(m.group(1)) if m else None


def _run_font(run, p) -> str | None:
    """The font a run is typed in: its own, else its paragraph style's (up the base styles).

    A run typed in a legacy font (".VnTime", "VNI-Times") stores its legacy codes as Latin-1
    characters; the font's name says which table converts them (``legacy.py``)."""
    from docx.oxml.ns import qn

    rfonts = run._r.rPr.rFonts if run._r.rPr is not None else None
    if rfonts is not None:
        for attr in ("w:hAnsi", "w:ascii"):
            name = rfonts.get(qn(attr))
            if name:
                return name
    style = p.style
    while style is not None:
        if style.font is not None and style.font.name:
            return style.font.name
        style = style.base_style
    return None


def _cell_text(cell, labels: dict | None = None, notes: dict[str, int] | None = None) -> str:
    """A cell's paragraphs one line each; a table inside the cell gives one line per row, its cells
    joined by ", " (a " | " would read as a column of the outer table)."""
    from docx.text.paragraph import Paragraph

    lines = []
    for item in block_items(cell._tc, cell):
        if isinstance(item, Paragraph):
            lines.append(_paragraph(item, labels, bare_label=True, notes=notes)[0])
        else:
            lines += [
                ", ".join(c.replace("\n", " ") for c in _row_cells(r, labels, notes) if c) for r in item.rows
            ]
    return "\n".join(ln for ln in lines if ln)


def _row_cells(row, labels: dict | None = None, notes: dict[str, int] | None = None) -> list[str]:
    """One text per grid column, so every cell stays under its header: a cell merged
    across columns gives its text once, at its first column, and "" for the others it
    spans; grid columns a row skips before its first cell are empty cells."""
    cells = [""] * (getattr(row, "grid_cols_before", 0) or 0)
    prev = None
    for c in row.cells:
        cells.append("" if c._tc is prev else _cell_text(c, labels, notes))
        prev = c._tc
    return cells


def _docx_errors() -> tuple[type[Exception], ...]:
    """python-docx's and lxml's own errors, a broken zip, and the built-in ones they let through."""
    from docx.opc.exceptions import OpcError
    from lxml.etree import LxmlError

    return (OpcError, LxmlError, zipfile.BadZipFile, zipfile.LargeZipFile, *PARSER_ERRORS)


def load_docx(name: str, data: bytes, *, max_bytes: int | None = None) -> Loaded:
    _check_zip(name, data)
    try:
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        document = docx.Document(io.BytesIO(data))
        body = list(block_items(document.element.body, document._body))
        labels = number_labels(document)
        notes = footnote_numbers(document)
        note_texts = footnote_texts(document) if notes else {}
    except _docx_errors() as e:
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
            text, bold, level = _paragraph(item, labels, notes=notes)
            for line in text.split("\n"):
                line = line.strip()
                if line:
                    kind = "heading" if level else ("list_item" if re.match(r"^[-+•]\s", line) else "para")
                    add(line, kind=kind, bold=bold, level=level)
        elif isinstance(item, Table):
            for row in item.rows:
                cells = _row_cells(row, labels, notes)
                if any(cells):
                    add(
                        " | ".join(c.replace("\n", " ") for c in cells if c),
                        kind="table_row",
                        cells=tuple(cells),
                    )
    # the notes after the body, each opening with its raised number: the cleaner takes them out of
    # the text flow and the passages that cite them link to them, as for a text copy's footnotes
    for fid, n in notes.items():
        if fid in note_texts:
            add(f"{str(n).translate(SUPERSCRIPT)} {note_texts[fid]}", kind="para")
    return Loaded("\n\n".join(texts), blocks, "docx")
