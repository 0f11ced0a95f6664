"""Document metadata: header and signature blocks → parts and ``DocMeta``.

A file may hold several parts: a Quyết định followed by the Kế hoạch it issues,
or a plan followed by its Phụ lục.  Each part has its own header (motto, issuer,
"Số:", place and date, document type, title, "(Kèm theo …)") and trailer ("Nơi
nhận", signature).  Whatever follows a signature and does not start a new part is
web-page chrome and is dropped.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from ..records import Block
from ..textnorm import fold
from .clean import is_header_start
from .inline import inline_to_text
from .patterns import (
    CENTRAL_CITIES,
    DATE_LINE,
    doc_type_from_number,
    doc_type_of,
    is_authority,
    is_enacting,
    is_enacting_authority,
    is_issuer_line,
    is_motto,
    is_number_line,
    is_person_name,
    is_pipe_only,
    is_position,
    is_recipients_head,
    is_separator,
    is_signature_line,
    is_signed_mark,
    is_structural,
    is_table_rule,
    is_upper,
)
from .units import canonical_province, province_in, provinces

__all__ = ["Part", "split_parts", "smart_case", "parse_date", "parse_number", "locate", "normalise_header"]

_ATTACHED = re.compile(r"^\(?\s*(?:Ban hành\s+)?[Kk]èm theo\s+(?P<what>.+?)\)?\s*$")
_DATE_IN = re.compile(
    r"ngày\s*(?P<d>\d{1,2})?\s*(?:tháng|/)\s*(?P<m>\d{1,2})?\s*(?:năm|/)\s*(?P<y>\d{4})", re.I
)
# "Số: 183/KH-UBND", "Số : 62/2006/QĐ-UBND" (documents before 2021 put the year in the number)
_NUMBER_IN = re.compile(
    r"\bsố\s*:?\s*(?P<num>(?:\d[\d.]*)?\s*/\s*(?:\d{4}\s*/\s*)?[A-ZĐ][\wĐđ.&]*"
    r"(?:\s*-\s*[\wĐđ.&]+)*)",
    re.I,
)
# "V/v hưởng ứng …": the subject line of a công văn, printed under its number
_SUBJECT = re.compile(r"^(?:V/v|V/V|Về việc)\s*:?\s*(?P<t>\S.*)$")
_ADDRESSEES = re.compile(r"^Kính gửi\s*:?\s*(?P<rest>.*)$")


@dataclass
class Part:
    doc_type: str | None = None
    title: str = ""
    number: str | None = None
    number_text: str | None = None
    date: str | None = None
    date_text: str | None = None
    place: str | None = None
    issuer_lines: list[str] = field(default_factory=list)
    attached_to: dict | None = None  # from "(Kèm theo Quyết định số … ngày …)"
    body: list[Block] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)
    authority: list[str] = field(default_factory=list)  # "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH"
    position: str | None = None
    signer: str | None = None
    start: int = 0
    addressing: bool = False  # reading the "Kính gửi:" list of a letter


def parse_date(text: str) -> tuple[str | None, str | None]:
    """("2024-05-23", "ngày 23 tháng 5 năm 2024"); partial dates keep what is written."""
    m = _DATE_IN.search(text)
    if not m:
        return None, None
    y, mo, d = m.group("y"), m.group("m"), m.group("d")
    iso = y + (f"-{int(mo):02d}" + (f"-{int(d):02d}" if d else "") if mo else "")
    return iso, re.sub(r"\s+", " ", m.group(0)).strip()


def parse_number(text: str) -> tuple[str | None, str | None]:
    """("183/KH-UBND", "Số: 183/KH-UBND"); a blank number ("Số: /KH-UBND") gives (None, text)."""
    m = _NUMBER_IN.search(text)
    if not m:
        return None, None
    num = re.sub(r"\s+", "", m.group("num"))
    return (num if num[:1].isdigit() else None), re.sub(r"\s+", " ", m.group(0)).strip()


def smart_case(text: str) -> str:
    """An all-capitals title in sentence case, keeping names, numbers and abbreviations."""
    if not is_upper(text):
        return text
    out = []
    for w in text.split():
        core = w.strip(',.;:()"“”')
        keep = re.search(r"[\d/&]", core) or core in _abbreviations()
        out.append(w if keep else w.lower())
    s = " ".join(out)
    # proper names: provinces and the country keep their capitals
    for name in sorted(set(provinces().values()) | {"Việt Nam", "Hồ Chí Minh"}, key=len, reverse=True):
        # "Bà Rịa - Vũng Tàu" is also written with an en dash
        pat = r"\s*[-–—]\s*".join(re.escape(x.strip()) for x in name.lower().split("-"))
        s = re.sub(
            rf"(?<!\w){pat}(?!\w)", lambda m: name if "–" not in m.group(0) else name.replace("-", "–"), s
        )
    s = re.sub(
        r"\b(kế hoạch|quyết định|nghị quyết|kết luận|chỉ thị)(?= số \d)", lambda m: m.group(1).capitalize(), s
    )
    return s[:1].upper() + s[1:]


@lru_cache(maxsize=1)
def _abbreviations() -> frozenset[str]:
    data = json.loads(
        (Path(__file__).resolve().parent.parent / "data" / "abbreviations.json").read_text("utf-8")
    )
    return frozenset(s for e in data["abbreviations"] for s in e["short"]) | {"UBND", "HĐND", "TW", "XHCN"}


def _doc_type_name(dt: str) -> str:
    return dt.capitalize()


def split_parts(blocks: list[Block], source: str | None = None) -> tuple[list[Part], list[Block]]:
    """Split cleaned blocks into parts; returns the parts and the chrome dropped after signatures.

    ``source`` is the loader's text (block offsets point into it): its runs of spaces tell
    the two columns of a "Nơi nhận" / signature line apart after the loader collapsed them.
    """
    blocks = normalise_header(blocks, source)
    parts: list[Part] = []
    dropped: list[Block] = []
    cur = Part(start=blocks[0].start if blocks else 0)
    state = "header"
    title_open = False
    listing = False  # inside the "Nơi nhận:" list
    beside = False  # the signature column is read between the recipients (two columns, line by line)
    for b in blocks:
        t = b.text.strip() if state in ("header", "body") else _bare(b.text)
        if (
            state in ("trailer", "after")
            and (is_header_start(b) or b.kind == "table_row")
            and not is_authority(t)
            and not is_position(t)
        ):
            parts.append(cur)
            cur, state, title_open, listing, beside = Part(start=b.start), "header", False, False, False
        if state == "body" and (is_motto(t) or _new_appendix(t)) and cur.body:
            parts.append(cur)
            cur, state, title_open = Part(start=b.start), "header", False
        if state == "header":
            if b.kind != "table_row" and _header_line(cur, b, title_open):
                title_open = cur.doc_type is not None and not cur.attached_to and title_open_after(cur, b)
                continue
            _end_header(cur)
            state = "body"
        if state == "body":
            if is_recipients_head(t) or is_authority(t):
                state, listing = "trailer", False
            elif is_enacting(t):
                continue
            else:
                cur.body.append(b)
                continue
        if state == "after" and (is_recipients_head(t) or (listing and b.kind == "list_item")):
            state = "trailer"  # "Nơi nhận" printed after the signature column, or its list going on beside it
        if state == "trailer":
            if is_recipients_head(t):
                listing = True
                continue
            if b.kind == "list_item" and listing:
                item, right = _beside(t)
                cur.recipients.append(re.sub(r"^[-+•*]\s*", "", item).rstrip(";.").strip())
                beside = beside or bool(right or cur.authority or cur.position)
                if right is None or _signature_line(cur, right) != "signer":
                    continue
            else:
                read = _signature_line(cur, t)
                if read is None:
                    listing = False
                    dropped.append(b)
                if read != "signer":
                    continue
            # the name closes the signature; a list read beside it may still go on below the name
            state, listing = "after", listing and beside
            continue
        dropped.append(b)  # state "after": chrome after the signature
    if state == "header":
        _end_header(cur)
    parts.append(cur)
    return [p for p in parts if p.body or p.doc_type or p.signer], dropped


def _signature_line(cur: Part, t: str) -> str | None:
    """Read one line of the signature column into ``cur``: "authority", "position", "mark", "signer" or None."""
    if is_authority(t):
        cur.authority.append(t)
        return "authority"
    if is_position(t):
        cur.position = t
        return "position"
    if is_signed_mark(t) or is_pipe_only(t) or is_table_rule(t):
        return "mark"  # "(đã ký)" stands where the signature was; it is not the signer
    if is_person_name(t) and (cur.authority or cur.position) and not cur.signer:
        cur.signer = t
        return "signer"
    return None


def _beside(t: str) -> tuple[str, str | None]:
    """ "- Bộ Y tế; PHÓ CHỦ TỊCH": a recipient with the signature column printed on its line.

    The loader joined the two columns with one space; the recipient ends at its ";" or "."
    and what follows is an authority, a position, a signed mark or a name.
    """
    for m in reversed(list(re.finditer(r"[;.]\s+", t))):
        right = t[m.end() :].strip()
        if right and is_signature_line(right):
            return t[: m.start() + 1], right
    return t, None


def _end_header(cur: Part) -> None:
    """No "KẾ HOẠCH" line: the type code of the number says what the document is ("/KH-" → Kế hoạch)."""
    if cur.doc_type is None:
        cur.doc_type = doc_type_from_number(cur.number or cur.number_text)


# ---- header normalisation -------------------------------------------------------------------------
# Web pages print the header table cell by cell, wrap cells at ~80 characters and leave lone "|"
# between cells; PDF text puts the two header columns on one line.  Before the header is read, each
# header field is made one block again.  Only blocks that are (or join into) a header field are
# touched, so body text passes through unchanged.


def _bare(text: str) -> str:
    return text.strip().strip("|").strip()


def _field(text: str) -> str | None:
    """Which header field a line is, if it is one whole field."""
    t = _bare(text)
    if not t or len(t) > 120:
        return None
    if is_motto(t):
        return "motto"
    if is_number_line(t) and _NUMBER_IN.search(t):
        return "number"
    if DATE_LINE.match(t):
        return "date"
    if is_authority(t) or is_position(t) or is_recipients_head(t):
        return "signature"
    if is_issuer_line(t) and len(t) < 60:
        return "issuer"
    dt = doc_type_of(t)
    if dt and not dt[1]:
        return "doc_type"
    return None


def normalise_header(blocks: list[Block], source: str | None = None) -> list[Block]:
    """Header and signature fields one block each: table cells (and their "<br>" lines) split, two
    columns split (PDF text, wide gaps in ``source``, "Nơi nhận: KT. CHỦ TỊCH"), wrapped fields joined."""
    out: list[Block] = []
    for b in blocks:
        for c in _split_cells(b):
            for d in _gap_columns(c, source):
                for e in _head_beside(d):
                    out.extend(_pdf_columns(e))
    return _join_wrapped(out)


def _line_block(b: Block, text: str) -> Block:
    return replace(b, text=text, kind="list_item" if _ITEM.match(text) else "para", cells=())


_ITEM = re.compile(r"^[-+•*–]\s")
_HEAD_BESIDE = re.compile(r"^(?P<head>Nơi nhận\s*:)\s*(?P<right>\S.*)$")


def _head_beside(b: Block) -> list[Block]:
    """ "Nơi nhận: KT. CHỦ TỊCH": the head of the list with the signature column on its line."""
    m = _HEAD_BESIDE.match(_bare(b.text)) if b.kind != "table_row" else None
    if not m or not is_signature_line(m.group("right")):
        return [b]
    return [_line_block(b, m.group("head")), _line_block(b, m.group("right"))]


def _split_cells(b: Block) -> list[Block]:
    """ "Số: 194/KH-UBND | Ninh Bình, ngày 15 …|" → one block per cell, when the cells are header fields."""
    if b.kind == "table_row" and b.cells:
        return _table_cells(b)
    if "|" not in b.text or is_pipe_only(b.text):
        return [b]
    cells = [c.strip() for c in b.text.split("|") if c.strip()]
    if not cells or not any(_field(c) for c in cells) or any(len(c) > 120 for c in cells):
        return [b]
    return [_line_block(b, c) for c in cells]


def _cell_lines(cell: str) -> list[str]:
    """A cell's lines: "<br>" (left as written, or turned into a line break by the loader) splits them."""
    return [ln.strip() for ln in re.split(r"\n|<br\s*/?>", cell, flags=re.I) if ln.strip()]


def _table_cells(b: Block) -> list[Block]:
    """A header or signature laid out as a table row → one block per line of each cell, left cell first.

    Header rows hold fields ("Số: …", the motto, "Đức Trọng, ngày …"); the signature row holds the
    "Nơi nhận:" list on the left and "TM. ỦY BAN NHÂN DÂN<br>CHỦ TỊCH<br>…<br>Name" on the right.
    A row with any other line (a task, a number column) is a real table and stays whole.
    """
    cells = [_cell_lines(c) for c in b.cells]
    lines = [ln for c in cells for ln in c]
    if not lines or any(len(ln) > 120 for ln in lines):
        return [b]
    recipients = {id(ln) for c in cells if c and is_recipients_head(c[0]) for ln in c}
    ok = all(id(ln) in recipients or _field(ln) or is_upper(ln) or is_signature_line(ln) for ln in lines)
    # a lone cell ("" | "Hoàng Thị Nguyệt") is an indented line, not a table, when it is a signature line
    lone = sum(bool(c) for c in cells) == 1 and len(lines) == 1 and is_signature_line(lines[0])
    # "- Bộ Y tế;<tab><tab>PHÓ CHỦ TỊCH": a recipient and the signature column, one line each
    beside = len(lines) == sum(bool(c) for c in cells) and _recipient_beside_signature(lines)
    if not beside and (not ok or not (recipients or lone or any(_field(ln) for ln in lines))):
        return [b]
    return [_line_block(b, ln) for ln in lines]


def _recipient_beside_signature(texts: list[str]) -> bool:
    """A recipient (or the "Nơi nhận:" head) on the left, signature lines on the right."""
    left, right = texts[0], texts[1:]
    return (
        bool(right)
        and bool(is_recipients_head(left) or _ITEM.match(left))
        and all(is_signature_line(r) for r in right)
    )


# two columns side by side, as pdftotext -layout or a Word export prints the header and the signature
_GAP = re.compile(r"\t+|[ \u00a0]{3,}")


def _gap_columns(b: Block, source: str | None) -> list[Block]:
    """ "- Bộ Y tế;      PHÓ CHỦ TỊCH" → the recipient and the signature line, from the source's spacing.

    Split only when the right side is a signature line and the left a recipient (or the "Nơi nhận:"
    head), or when every side is a header field: a wide gap inside a body sentence is left alone.
    """
    if not source or b.kind == "table_row" or not (0 <= b.start < b.end <= len(source)):
        return [b]
    raw = source[b.start : b.end]
    if "\n" in raw.strip("\n"):
        return [b]  # the block was joined from several lines by the cleaner
    pieces = [p for p in (x.strip() for x in _GAP.split(raw.strip())) if p]
    if len(pieces) < 2:
        return [b]
    texts = [inline_to_text(re.sub(r"^#{1,6}\s+", "", p))[0] for p in pieces]
    if re.sub(r"\s+", "", "".join(texts)) != re.sub(r"\s+", "", b.text):
        return [b]  # the block is not this line as written (markup, repairs): keep it
    if not (_recipient_beside_signature(texts) or all(_field(x) for x in texts)):
        return [b]
    return [_line_block(b, x) for x in texts]


def _pdf_columns(b: Block) -> list[Block]:
    """ "ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI …" or "Số: 476/UBND Châu Thành, ngày …": left and right header cells."""
    words = b.text.split()
    if (
        b.kind == "table_row"
        or len(words) < 3
        or len(b.text) > 160
        or not (re.search(r"cong hoa|doc lap", fold(b.text)) or is_number_line(b.text))
    ):
        return [b]
    for i in range(1, len(words)):
        left, right = " ".join(words[:i]), " ".join(words[i:])
        starts_motto = is_motto(right) and re.match(r"(cong hoa|doc lap)", fold(right))
        if (starts_motto and (is_issuer_line(left) or is_number_line(left))) or (
            is_number_line(left) and _NUMBER_IN.search(left) and DATE_LINE.match(right)
        ):
            return [replace(b, text=left), replace(b, text=right)]
    return [b]


def _join_wrapped(blocks: list[Block]) -> list[Block]:
    """ "Số:" + "488/KH-UBND", "Hải Dương, ngày" + "05 tháng 6 năm 2023", "CỘNG HÒA XÃ HỘI" + "CHỦ NGHĨA …"."""
    out: list[Block] = []
    i = 0
    while i < len(blocks):
        joined = _wrapped_field(blocks, i)
        if joined:
            b, n = joined
            out.append(b)
            i += n
        else:
            out.append(blocks[i])
            i += 1
    return out


def _wrapped_field(blocks: list[Block], i: int) -> tuple[Block, int] | None:
    first = blocks[i]
    if first.kind == "table_row" or _field(first.text):
        return None
    if (
        re.match(r"^\((?:Ban hành\s+)?$|^\((?:Ban hành\s+)?kèm theo\b", _bare(first.text), re.I)
        and ")" not in first.text
    ):
        return _wrapped_attachment(blocks, i)
    for n in (2, 3):
        group = blocks[i : i + n]
        if len(group) < n or any(
            g.kind == "table_row" or len(_bare(g.text)) > 80 or not _bare(g.text) for g in group
        ):
            return None
        text = " ".join(_bare(g.text) for g in group)
        kind = _field(text)
        if kind not in ("motto", "number", "date"):
            continue
        inner = [_field(g.text) for g in group[1:]]
        # "Bắc" + "Kạn, ngày …": the last line alone reads as a date, but the place lost its first word
        if all(k is None for k in inner) or (
            kind == "date"
            and n == 2
            and inner == [kind]
            and len(_bare(first.text).split()) <= 4
            and "," not in first.text
        ):
            return replace(first, text=text, end=group[-1].end), n
        return None  # each line is a field of its own
    return None


def _wrapped_attachment(blocks: list[Block], i: int) -> tuple[Block, int] | None:
    """ "(Ban hành" / "kèm theo Quyết định số …" / "… của Ủy ban nhân dân xã" / "Xuân Phú)" as one line."""
    texts = []
    for n, b in enumerate(blocks[i : i + 6], start=1):
        if b.kind == "table_row" or len(b.text) > 200:
            return None
        texts.append(_bare(b.text))
        if texts[-1].endswith(")"):
            return replace(blocks[i], text=" ".join(texts), end=b.end), n
    return None


def title_open_after(cur: Part, b: Block) -> bool:
    return bool(cur.title) and (b.bold or is_upper(b.text)) and len(cur.title) < 400


def _title_continues(title: str, b: Block) -> bool:
    """Is this line more of the title, or the first sentence of the body (no "Căn cứ" before it)?"""
    t = b.text.strip()
    if is_upper(title) and not is_upper(t):
        return False  # mixed case after an all-capitals title
    if re.match(r"^(Năm|Ngày|Tháng|Quý)\s+[\dIV]", t) and "," in t[:20]:
        return False  # "Năm 2017, tình hình …"
    if t.endswith(":") or (t.endswith(".") and len(t) > 60):
        return False  # a sentence, not a heading
    return True


def _new_appendix(t: str) -> bool:
    dt = doc_type_of(t)
    return dt is not None and dt[0] == "PHỤ LỤC" and (is_upper(t.split(":")[0]) or len(t) < 80)


def _header_line(cur: Part, b: Block, title_open: bool) -> bool:
    """Consume one header block into ``cur``; False when the body starts here."""
    t = _bare(b.text)
    if not t or is_separator(t) or is_motto(t) or is_table_rule(b.text):
        return True
    if _addressees(cur, b, t):
        return True
    if is_number_line(t):
        cur.number, cur.number_text = parse_number(t)
        cur.number_text = cur.number_text or t
        return True
    m = DATE_LINE.match(t)
    if m:
        cur.place = m.group("place").strip()
        cur.date, cur.date_text = parse_date(t)
        return True
    a = _ATTACHED.match(t)
    if a and cur.doc_type:
        cur.attached_to = _attached(t, a.group("what"))
        return True
    if cur.doc_type is None:
        return _before_doc_type(cur, b, t)
    if is_enacting_authority(t):
        # "ỦY BAN NHÂN DÂN TỈNH X" under a decision's title repeats the issuer; it completes a header
        # that lost its second line ("ỦY BAN NHÂN DÂN" alone)
        name = re.sub(r"^CHỦ TỊCH\s+", "", t)
        if not cur.issuer_lines or (
            fold(name).startswith(fold(" ".join(cur.issuer_lines)))
            and len(name) > len(" ".join(cur.issuer_lines))
        ):
            cur.issuer_lines = [name]
        return True
    if is_structural(t) or re.match(r"^(Căn cứ|Thực hiện|Theo|Xét|Trên cơ sở|Nhằm)\b", t):
        return False
    if not cur.title:
        cur.title = t
        return True
    if title_open and _title_continues(cur.title, b):
        cur.title = cur.title + " " + t
        return True
    return False


def _before_doc_type(cur: Part, b: Block, t: str) -> bool:
    dt = doc_type_of(t)
    if dt:
        cur.doc_type = _doc_type_name(dt[0])
        cur.title = dt[1]
        return True
    s = _SUBJECT.match(t)
    if s and (cur.number_text or cur.date):
        subject = s.group("t")
        cur.doc_type, cur.title = "Công văn", subject[:1].upper() + subject[1:]  # the letter's subject line
        return True
    if cur.date is None and is_issuer_line(t):
        cur.issuer_lines.append(t)  # the issuer stands left of (before) the number and the date
        return True
    code_type = doc_type_from_number(cur.number or cur.number_text)
    if code_type and (cur.date or cur.number) and (b.bold or is_upper(t)) and not is_structural(t):
        cur.doc_type, cur.title = code_type, t  # no "KẾ HOẠCH" line: the capitals line is the title
        return True
    return False


def _addressees(cur: Part, b: Block, t: str) -> bool:
    """ "Kính gửi: …" names the recipients of a letter, in the header."""
    m = _ADDRESSEES.match(t)
    if m:
        if m.group("rest").strip():
            cur.recipients.append(m.group("rest").rstrip(";.").strip())
        cur.addressing = True
        return True
    if cur.addressing and b.kind == "list_item":
        cur.recipients.append(re.sub(r"^[-+•*]\s*", "", t).rstrip(";.").strip())
        return True
    cur.addressing = False
    return False


def _attached(t: str, what: str) -> dict:
    num, num_text = parse_number(what)
    date, date_text = parse_date(what)
    dt = re.match(r"(Kế hoạch|Quyết định|Nghị quyết|Chương trình|Công văn|Thông báo)", what, re.I)
    issuer = re.search(r"\bcủa\s+(.+?)\)?$", what)
    return {
        "doc_type": dt.group(1).capitalize() if dt else None,
        "number": num,
        "number_text": num_text,
        "date": date,
        "date_text": date_text,
        "issuer": issuer.group(1).strip() if issuer else None,
        "text": t.strip("()"),
    }


def locate(parts: list[Part], all_text: str) -> dict:
    """Issuer, province, district and place for the document, derived from its own text."""
    issuer = None
    # the issuer of the first part; an attached plan repeats it (or names its own unit)
    lines = next((p.issuer_lines for p in parts if p.issuer_lines), [])
    if lines:
        header = " ".join(ln for ln in lines if not ln.startswith(("CHỦ TỊCH",)))
        issuer = smart_case(header)
        # the place name after the level word keeps its capitals: "UBND HUYỆN THANH BÌNH"
        issuer = re.sub(
            r"\b(tỉnh|huyện|thành phố|thị xã|xã|phường|thị trấn) (.+)$",
            lambda m: m.group(1) + " " + " ".join(w[:1].upper() + w[1:] for w in m.group(2).split()),
            issuer,
        )
    place = next((p.place for p in parts if p.place), None)
    if (
        issuer
        and fold(issuer) in ("uy ban nhan dan", "hoi dong nhan dan")
        and place
        and canonical_province(place)
    ):
        # the header lost its second line ("TỈNH …"); a document dated in the province's name is provincial
        name = canonical_province(place)
        issuer += (" thành phố " if name in CENTRAL_CITIES else " tỉnh ") + name
    if issuer is None:
        for p in parts:
            if p.attached_to and p.attached_to.get("issuer"):
                issuer = p.attached_to["issuer"]
                break
    body_text = " ".join(b.text for p in parts for b in p.body[:3])
    if issuer is None:
        m = re.search(
            r"((?:Chủ tịch\s+)?(?:Ủy ban nhân dân|UBND))(?:\s*\(UBND\))?\s+(tỉnh|huyện|thành phố|thị xã|Tỉnh|Huyện)"
            r"((?:\s+[A-ZĐÀ-Ỹ][\wà-ỹđ]*)*)\s+ban hành",
            body_text,
        )
        if m:
            level = m.group(2).lower()
            name = m.group(3).strip() or (place or "")
            issuer = f"Ủy ban nhân dân {level} {name}".strip()
    issuer = re.sub(r"\bUBND\b", "Ủy ban nhân dân", issuer) if issuer else None
    if issuer:
        issuer = re.sub(r"\b(Tỉnh|Huyện|Thành phố|Thị xã)\b", lambda m: m.group(1).lower(), issuer)
    province = district = None
    if issuer:
        m = re.search(r"\b(tỉnh|thành phố)\s+(.+)$", issuer)
        if m and canonical_province(m.group(2)):
            province = canonical_province(m.group(2))
        m = re.search(r"\b(huyện|thị xã|thành phố)\s+(.+)$", issuer)
        if m and not canonical_province(m.group(2)):
            district = m.group(2).strip()
    if province is None and place and canonical_province(place):
        province = canonical_province(place)
    if province is None:
        counts = Counter(province_in(all_text))
        if counts:
            province = counts.most_common(1)[0][0]
    if (
        district is None
        and place
        and not canonical_province(place)
        and issuer
        and re.search(r"\b(huyện|thị xã)\b", issuer)
        and fold(place) in fold(all_text)
    ):
        district = place
    return {"issuer": issuer, "province": province, "district": district, "place": place}
