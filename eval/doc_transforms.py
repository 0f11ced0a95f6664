"""Meaning-preserving rewrites of a plan's text in the layouts plans are really published in.

Issue 12: the held-out plans are the same kinds of documents in layouts nobody has read. Each
function here takes a plan's text and returns it as another real convention of publishing or
converting a Vietnamese administrative document would write it (Decree 30/2020/NĐ-CP layout; web
pages converted to markdown; Word/PDF text export): the wording, the order and the numbers stay;
only line breaks, emphasis, numbering style, table layout and Unicode form change. Every function
is deterministic; ``eval.doc_perturb`` builds an index over the transformed development plans and
asks the questions answered right on the originals.
"""

from __future__ import annotations

import re
import textwrap
import unicodedata
from collections.abc import Callable

from assistant.records import Block

__all__ = [
    "DOC_TRANSFORMS",
    "chosen_transforms",
    "unwrap",
    "wrap80",
    "plain_emphasis",
    "md_headings",
    "bold_units",
    "numbering",
    "nfd",
    "old_tone",
    "nbsp",
    "en_dash",
    "pipe_tables",
    "row_blocks",
    "stacked_header_signature",
]

_LONE_PIPE = re.compile(r"^[ \t\u00a0]*\|[ \t\u00a0]*$")
# a line that opens a list item or a numbered division (Decree 30: "I.", "1.", "1.1.", "a)", "-", "+")
_ITEM = re.compile(
    r"^\s*(?:[-–—+•]\s|\*\s|#|\||(?:\*\*)?(?:[IVXL]{1,5}|\d{1,2}(?:\.\d{1,2})*|[a-zđ])[.)]\s|"
    r"\d{1,2}(?:\.\d{1,2})+\s|[a-zđ]/\.?\s|"
    r"(?:\*\*)?(?:Phần|PHẦN|Điều|Mục|Chương)\s)"
)
_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)
# a numbered heading's marker ("II.", "1.", "2.3.", "1)"), bold or not: a bullet opens no heading
_NUMBERED = re.compile(r"^\s*(?:\*\*)?(?:[IVXL]{1,5}|\d{1,2}(?:\.\d{1,2})*)[.)]\s")


def _open_emphasis(line: str) -> bool:
    """An emphasis span ("**…", "*…") the line opens and does not close."""
    strong = line.count("**")
    single = line.replace("**", "").count("*")
    return strong % 2 == 1 or single % 2 == 1


def _caps_line(line: str) -> bool:
    """A line in capitals (title, issuer, signer's title: Decree 30 sets them on their own line)."""
    letters = _LETTER.findall(line.replace("*", ""))
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def _joins(prev: str, nxt: str, carried: bool) -> bool:
    """Is ``nxt`` the hard-wrapped rest of ``prev`` (same paragraph)?"""
    if not prev.strip() or not nxt.strip() or "|" in prev or "|" in nxt or "\t" in prev + nxt:
        return False  # a table's rows and cells are lines of their own in every export
    if re.search(r"\S {3,}\S", prev) or re.search(r"\S {3,}\S", nxt):
        return False  # two columns side by side in a PDF's text layout (header, signature)
    if not (_LETTER.search(prev) or re.search(r"\d", prev)) or not (
        _LETTER.search(nxt) or re.search(r"\d", nxt)
    ):
        return False
    if carried:  # inside an emphasis span the source wrapped: always one line
        return True
    if re.fullmatch(r"\s*\d{1,3}\s*", nxt):
        return False  # a page number of a PDF's text
    if re.search(r"[.;:!?]\s*$", prev) and nxt.lstrip()[:1].isupper():
        return False  # a sentence ended and the next line opens one: a paragraph of its own
    if _ITEM.match(nxt) or re.match(r"^\s*[-_=]{3,}\s*$", nxt):
        return False
    if _NUMBERED.match(prev) and len(prev.strip()) <= 60 and not re.search(r"[,;:]$", prev.rstrip("*_ \t")):
        # a short numbered heading ("11. Bộ Chỉ huy Quân sự tỉnh", "1. Mục đích") is a paragraph of
        # its own in Decree 30's layout, and the body under it opens with a capital: no wrap there
        if nxt.lstrip("*_ ")[:1].isupper():
            return False
    if prev.rstrip().endswith("**") or nxt.lstrip().startswith("**"):
        return False  # two bold paragraphs (issuer lines, signature lines), not one wrapped
    if _caps_line(prev) and _caps_line(nxt):
        # a title in capitals wrapped at the page width; short capital lines are the issuer's
        # or the signer's lines, each its own line in the Decree 30 layout
        return len(prev.strip()) >= 50
    return not (_caps_line(prev) or _caps_line(nxt))


def unwrap(text: str) -> str:
    """No hard wraps: each paragraph on one line, as a Word document or a web page's text
    export writes it (the wrapped lines of a print/PDF export joined with one space)."""
    out: list[str] = []
    carried = False
    for line in text.split("\n"):
        if out and _joins(out[-1], line, carried):
            out[-1] = out[-1].rstrip() + " " + line.strip()
        else:
            out.append(line)
        carried = _open_emphasis(out[-1])
    return "\n".join(out)


def wrap80(text: str) -> str:
    """Hard-wrapped at 80 columns, as a PDF or print export cuts lines (paragraphs first unwrapped,
    so the breaks fall where the page width puts them, not where the source had them)."""
    out: list[str] = []
    for line in unwrap(text).split("\n"):
        if len(line) <= 80 or line.count("|") >= 2:
            out.append(line)
            continue
        indent = re.match(r"\s*", line).group(0)  # type: ignore[union-attr]
        out += textwrap.wrap(
            line.strip(), width=80, initial_indent=indent, break_long_words=False, break_on_hyphens=False
        )
    return "\n".join(out)


def plain_emphasis(text: str) -> str:
    """No markdown emphasis: "**I. MỤC ĐÍCH**" → "I. MỤC ĐÍCH", "*Đồng Tháp, ngày …*" plain, as a
    plain-text export of the same page writes it (a line of spacer stars becomes empty)."""
    out = []
    for line in text.split("\n"):
        if re.fullmatch(r"[\s*]+", line) and "*" in line:
            out.append("")
            continue
        line = line.replace("**", "")
        line = re.sub(r"(?<=\S)\*|\*(?=\S)|[ \t]+\*[ \t]*$", "", line)
        out.append(line)
    return "\n".join(out)


_HEAD = re.compile(r"^\*\*\s*((?:[IVXL]{1,5}|\d{1,2})\.\s.+?|(?:PHỤ LỤC|KẾ HOẠCH)\b.*?)\s*\*\*$", re.S)


def md_headings(text: str) -> str:
    """Markdown headings instead of bold lines, as a converter of a Word file with heading styles
    writes them: a bold paragraph "**I. MỤC ĐÍCH, YÊU CẦU**" → "## I. MỤC ĐÍCH, YÊU CẦU",
    "**1. Mục đích**" → "### 1. Mục đích", "**KẾ HOẠCH**"/"**PHỤ LỤC …**" → "# …"."""
    paras = re.split(r"(\n[ \t]*\n)", text)
    for i in range(0, len(paras), 2):
        m = _HEAD.match(paras[i].strip())
        if not m or "**" in m.group(1):
            continue
        head = " ".join(m.group(1).split())
        level = (
            "#" if head.startswith(("PHỤ LỤC", "KẾ HOẠCH")) else "##" if re.match(r"[IVXL]", head) else "###"
        )
        paras[i] = f"{level} {head}"
    return "".join(paras)


_UNIT_ITEM = re.compile(
    r"^(\s*(?:\d{1,2}(?:\.\d{1,2})*[.)]|[a-zđ]\)|[-–+])\s+)"
    r"((?:Sở|Ban|Công an|Ủy ban nhân dân|UBND|Văn phòng|Bộ Chỉ huy|Đài|Báo|Trường|Liên đoàn|Hội)"
    r"\s[^:*\n]{2,80}?)\s*:",
    re.M,
)


def bold_units(text: str) -> str:
    """The unit an item assigns set in bold, as web portals publish assignments
    ("1. **Sở Y tế**: Chủ trì …"); the colon that closes the unit's name stays."""
    return _UNIT_ITEM.sub(lambda m: f"{m.group(1)}**{m.group(2)}**:", text)


_ROMAN_HEAD = re.compile(r"^(\s*(?:\*\*|#+\s)?)([IVXL]{1,5})\.\s+(?=[A-ZĐÀ-Ỹ])", re.M)
_ARABIC_HEAD = re.compile(r"^(\s*(?:\*\*|#+\s)?)(\d{1,2})\.\s+(?=\S)", re.M)
_LETTER_HEAD = re.compile(r"^(\s*(?:\*\*|#+\s)?)([a-zđ])\)\s+(?=\S)", re.M)


def numbering(text: str) -> str:
    """Numbering styles swapped within the conventions plans use: "I." → "Phần I.", "1." → "1)",
    "a)" → "a." (each at a line start, so a date or a cited number is never touched)."""
    text = _ARABIC_HEAD.sub(r"\1\2) ", text)
    text = _LETTER_HEAD.sub(r"\1\2. ", text)
    return _ROMAN_HEAD.sub(r"\1Phần \2. ", text)


def nfd(text: str) -> str:
    """Unicode NFD (marks as combining characters), as macOS file names and some PDF text layers give."""
    return unicodedata.normalize("NFD", text)


_TONES = "\u0300\u0301\u0303\u0309\u0323"
_NEW_TONE = re.compile(rf"(?:([oO])([{_TONES}])([aAeE])|([uU])([{_TONES}])([yY]))(?![^\W\d_])")


def _swap(m: re.Match) -> str:
    g = m.groups()
    first, tone, second = g[:3] if g[0] else g[3:]
    return first + second + tone


def old_tone(text: str) -> str:
    """Old-style tone placement ("hoà", "thuỷ", "khoẻ" for "hòa", "thủy", "khỏe"): the mark on the
    second vowel of an open "oa", "oe", "uy", as many offices' fonts and older documents write it."""
    d = unicodedata.normalize("NFD", text)
    d = _NEW_TONE.sub(_swap, d)
    return unicodedata.normalize("NFC", d)


def nbsp(text: str) -> str:
    """Non-breaking spaces where Word puts them: after "Số:", inside a date ("ngày 19 tháng 11 năm
    2025") and after a list marker, as a Word/PDF text export keeps them."""
    text = re.sub(r"(Số:)[ \t]+", "\\1\u00a0", text)
    text = re.sub(r"\b(ngày|tháng|năm)[ ](\d)", "\\1\u00a0\\2", text)
    return re.sub(r"^(\s*(?:[-–+]|\d{1,2}[.)]|[a-zđ]\)))[ ]", "\\1\u00a0", text, flags=re.M)


def en_dash(text: str) -> str:
    """En dashes where Word autocorrects hyphens: list bullets "- " → "– ", spaced " - " → " – "
    ("Độc lập – Tự do – Hạnh phúc", "giai đoạn 2026 – 2030")."""
    text = re.sub(r"^(\s*)-(\s)", "\\1–\\2", text, flags=re.M)
    return text.replace(" - ", " – ")


def _rows(text: str) -> list[Block]:
    """Every table row the assistant's own table reader finds, in order."""
    from assistant.ingest.text_tables import text_tables

    return sorted((b for b in text_tables(text).values() if b is not None), key=lambda b: (b.start, b.end))


def _tables(text: str) -> list[list[Block]]:
    """Rows grouped into tables: consecutive rows with only blank or lone-pipe text between them."""
    groups: list[list[Block]] = []
    for row in _rows(text):
        gap = text[groups[-1][-1].end : row.start] if groups else "x"
        if groups and not gap.replace("|", "").strip():
            groups[-1].append(row)
        else:
            groups.append([row])
    return groups


def _cell(c: str) -> str:
    return " ".join(c.replace("|", "/").split())


def _replace_tables(text: str, render: Callable[[list[Block]], str]) -> str:
    out, last = [], 0
    for group in _tables(text):
        start = text.rfind("\n", 0, group[0].start) + 1
        # a lone "|" opening the first cell belongs to the table too
        while (m := re.search(r"(?:^|\n)[ \t]*\|[ \t]*\n$", text[:start])) is not None:
            before = max(last, m.start() + (1 if text[m.start()] == "\n" else 0))
            if before >= start:
                break
            start = before
        end = group[-1].end
        nl = text.find("\n", end)
        end = len(text) if nl < 0 else nl
        # a lone "|" closing the last cell belongs to the table
        while True:
            m = re.match(r"\n[ \t]*\|[ \t]*(?=\n|$)", text[end:])
            if not m:
                break
            end += m.end()
        out += [text[last:start], render(group)]
        last = end
    return "".join(out) + text[last:]


def pipe_tables(text: str) -> str:
    """Every table as a markdown pipe table ("| STT | Nội dung | … |", a "|---|" rule under the
    first row), as a converter of a Word document writes it, one row per line."""

    def render(rows: list[Block]) -> str:
        width = max(len(r.cells) for r in rows)
        lines = ["| " + " | ".join(_cell(c) for c in r.cells) + " |" for r in rows]
        lines.insert(1, "|" + "---|" * width)
        return "\n".join(lines)

    return _replace_tables(text, render)


def _names_columns(first: Block) -> bool:
    """Is a table's first row its header, as a page's markup says it (<th> cells, set in bold as
    official tables bold their header) or as its names do (column names, no values)?"""
    from assistant.ingest.tables import is_header_cells, is_label_row

    return first.bold or is_header_cells(first.cells) or is_label_row(first.cells)


def row_blocks(text: str) -> str:
    """A table given as one block per row, each cell after its column's name
    ("STT: 1 / Nội dung: … / Đơn vị chủ trì: … / Thời gian: …" on separate lines), as a
    mobile web page or a screen reader's export lays a table out. A table without a header row
    (the issuer | national motto table of a Decree 30 header) has no names to repeat: its cells
    are stacked one a line, a blank line between rows, as the same export gives them."""

    def render(rows: list[Block]) -> str:
        head = [_cell(c) for c in rows[0].cells] if _names_columns(rows[0]) else []
        if not head:
            return "\n\n".join("\n".join(_cell(c) for c in r.cells if _cell(c)) for r in rows)
        blocks = []
        for r in rows[1:]:
            lines = [
                f"{head[i] if i < len(head) and head[i] else f'Cột {i + 1}'}: {_cell(c)}"
                for i, c in enumerate(r.cells)
                if _cell(c)
            ]
            blocks.append("\n".join(lines))
        return "\n\n".join(blocks)

    return _replace_tables(text, render)


_TITLE = re.compile(
    r"^\s*(?:#+\s*)?(?:\*\*)?\s*(KẾ HOẠCH|QUYẾT ĐỊNH|CÔNG VĂN|THÔNG BÁO|CHỈ THỊ|BÁO CÁO)\b", re.M
)
_RECIPIENTS = re.compile(r"^\s*(?:\*\*)?\s*Nơi nhận\b", re.M)
_APPENDIX = re.compile(r"^\s*(?:#+\s*)?(?:\*\*)?\s*PHỤ LỤC\b", re.M)


def stacked_header_signature(text: str) -> str:
    """The header (issuer | national motto) and the signature block beside "Nơi nhận" as stacked
    blocks, not the cells of a two-column table: the lone "|" cell lines of the header (before the
    document's kind title) and of the closing (from "Nơi nhận" to an appendix) become blank lines,
    as a plain-text copy of a Decree 30 layout gives them."""

    def stack(part: str) -> str:
        return "\n".join("" if _LONE_PIPE.match(x) else x for x in part.split("\n"))

    title = _TITLE.search(text)
    head_end = title.start() if title else 0
    rec = _RECIPIENTS.search(text, head_end)
    if rec is None:
        return stack(text[:head_end]) + text[head_end:]
    # the closing table ends at the lone "|" after the signer's name, followed by a blank line
    close = re.compile(r"\n[ \t]*\|[ \t]*\n[ \t]*(?:\n|$)").search(text, rec.end())
    app = _APPENDIX.search(text, rec.end())
    tail_end = min([len(text)] + ([close.end()] if close else []) + ([app.start()] if app else []))
    # the closing table opens with a lone "|" just before "Nơi nhận"
    tail_start = text.rfind("\n\n", head_end, rec.start())
    tail_start = rec.start() if tail_start < 0 else tail_start
    return (
        stack(text[:head_end])
        + text[head_end:tail_start]
        + stack(text[tail_start:tail_end])
        + text[tail_end:]
    )


DOC_TRANSFORMS: dict[str, Callable[[str], str]] = {
    "unwrap": unwrap,
    "wrap80": wrap80,
    "plain_emphasis": plain_emphasis,
    "md_headings": md_headings,
    "bold_units": bold_units,
    "numbering": numbering,
    "nfd": nfd,
    "old_tone": old_tone,
    "nbsp": nbsp,
    "en_dash": en_dash,
    "pipe_tables": pipe_tables,
    "row_blocks": row_blocks,
    "stacked_header_signature": stacked_header_signature,
}


def chosen_transforms(arg: str) -> list[str]:
    """The transforms a comma-separated command-line value names; an unknown name stops the run."""
    transforms = [t for t in arg.split(",") if t]
    unknown = [t for t in transforms if t not in DOC_TRANSFORMS]
    if unknown:
        raise SystemExit(f"unknown transforms {unknown}; known: {', '.join(DOC_TRANSFORMS)}")
    return transforms
