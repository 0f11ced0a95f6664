"""Header and signature fields one block each, before the header is read.

Web pages print the header table cell by cell, wrap cells at ~80 characters and leave lone "|"
between cells; PDF text puts the two header columns on one line.  Before the header is read, each
header field is made one block again.  Only blocks that are (or join into) a header field are
touched, so body text passes through unchanged.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..records import Block
from ..textnorm import fold
from .header import NUMBER_IN, SUBJECT, bare
from .inline import inline_to_text
from .patterns import (
    DATE_LINE,
    doc_type_of,
    is_authority,
    is_issuer_line,
    is_motto,
    is_number_line,
    is_person_name,
    is_pipe_only,
    is_position,
    is_recipients_head,
    is_signature_line,
    is_signed_mark,
    is_upper,
)

__all__ = ["normalise_header", "signature_lines"]


def _field(text: str) -> str | None:
    """Which header field a line is, if it is one whole field."""
    t = bare(text)
    if not t or len(t) > 120:
        return None
    if is_motto(t):
        return "motto"
    if SUBJECT.match(t):
        return "subject"  # a công văn's "V/v …" line, under its number in the header's left cell
    if is_number_line(t) and NUMBER_IN.search(t):
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
    out = list(blocks)
    for step in (
        _flat_signature,
        _split_cells,
        lambda b: _gap_columns(b, source),
        _head_beside,
        _pdf_columns,
        _number_subject,
    ):
        out = [c for b in out for c in step(b)]
    return _join_wrapped(out)


# the signature block's authority marks (Nghị định 30/2020/NĐ-CP, Điều 13): "TM." for a collective
# body, "KT." for a deputy signing for the head, "Q.", "TL.", "TUQ."
_MARK = re.compile(r"(?<!\S)(?:TM|KT|Q|TL|TUQ|T/M|K/T)\.\s*")
# a deputy signs as "PHÓ <head>" right under "KT. <head>"; a Word export may glue the two lines
_DEPUTY = re.compile(r"(?<=[A-ZÀ-ỸĐ])(?=PHÓ\s)|\s+(?=PHÓ\s)")


# "(Đã ký)", "[Đã ký]", "(Đã ký và đóng dấu)": a published copy prints a mark where the signature
# was (``patterns.is_signed_mark``); flattened into the block it stands between position and name
_SIGNED_IN = re.compile(r"[(\[][^()\[\]]{1,38}[)\]]|\b[ĐđDd]ã ký\b")


def _without_signed_marks(text: str) -> str:
    return _SIGNED_IN.sub(lambda m: " " if is_signed_mark(m.group()) else m.group(), text)


def signature_lines(text: str, *, unmarked: bool = False) -> list[str] | None:
    """A signature block flattened onto one line → its lines, or None when it is not one.

    "TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH PHÓ CHỦ TỊCH Nguyễn Thành Sinh" (a markdown paragraph, or a
    table cell whose line breaks were lost) → "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH",
    "Nguyễn Thành Sinh": authority marks, then the position in capitals, then the name in Title Case.
    A "(Đã ký)" mark between them is dropped. ``unmarked``: the head of the body may sign in his own
    name, with no authority mark (Nghị định 30/2020/NĐ-CP, Điều 13: "CHỦ TỊCH" ¶ name) — read so
    only where the block is known to be the signature's place (the cell beside "Nơi nhận:").
    """
    t = re.sub(r"\s+", " ", _without_signed_marks(bare(text))).strip()
    marked = bool(_MARK.match(t))
    if not marked and not unmarked:
        return None
    words = t.split(" ")
    k = len(words)
    while k > 0 and not is_upper(words[k - 1]):
        k -= 1
    # a one-letter particle opens many Ê Đê and Jrai names ("Y Thanh Hà Niê Kdăm", "H Yim"): a
    # position never ends on one letter, so it is the name's first word
    while 0 < k < len(words) and len(words[k - 1]) == 1 and words[k - 1].isalpha():
        k -= 1
    head, name = " ".join(words[:k]), " ".join(words[k:])
    if (name and not is_person_name(name)) or not is_upper(head):
        return None
    if not marked:
        return [head, name] if name and is_position(head) else None
    starts = [m.start() for m in _MARK.finditer(head)]
    lines = [x for a, b in zip(starts, [*starts[1:], len(head)]) for x in _on_behalf(head[a:b].strip())]
    last = [x.strip() for x in _DEPUTY.split(lines[-1]) if x.strip()]
    lines[-1:] = [last[0], " ".join(last[1:])] if len(last) > 1 else last
    if not all(is_authority(x) or is_position(x) for x in lines) or (not name and len(lines) < 2):
        return None
    return [*lines, name] if name else lines


def _on_behalf(line: str) -> list[str]:
    """ "T/M. ĐOÀN KIỂM TRA TRƯỞNG ĐOÀN" → "T/M. ĐOÀN KIỂM TRA", "TRƯỞNG ĐOÀN": signing on behalf of a
    collective body ("TM.", Nghị định 30/2020/NĐ-CP, Điều 13) names the body, then the signer's
    position on the next line; flattened, the position is the line's tail."""
    words = line.split()
    if not re.match(r"(TM|T/M)\.", line):
        return [line]
    for i in range(2, len(words)):
        if is_position(" ".join(words[i:])):
            return [" ".join(words[:i]), " ".join(words[i:])]
    return [line]


def _flat_signature(b: Block) -> list[Block]:
    """ "Nơi nhận: - A; - B. | | KT. GIÁM ĐỐC PHÓ GIÁM ĐỐC Hoàng Văn Thuân": the signature table row
    (recipients left, signature right) exported as one line, or a signature block as one paragraph.
    A markdown table row ("| Nơi nhận: - A; - B. | CHỦ TỊCH Cao Tường Huy |", a web page's table
    with its cells' line breaks lost) is read the same way from its cells."""
    if b.kind == "table_row":
        cells = [c.strip() for c in b.cells if c.strip()] if b.cells else []
        if (
            not cells
            or not re.match(r"Nơi nhận\s*:", bare(cells[0]))
            or any(len(_cell_lines(c)) > 1 for c in cells)
        ):
            return [b]  # cells that kept their lines (a DOCX table) are read line by line (``_table_cells``)
    else:
        cells = [c.strip() for c in b.text.split("|") if c.strip()]
    beside = len(cells) > 1 and bool(re.match(r"Nơi nhận\s*:", bare(cells[0])))
    sig = signature_lines(cells[-1], unmarked=beside) if cells else None
    if sig is None:
        return [b]
    left = cells[:-1]
    if left and not re.match(r"Nơi nhận\s*:", left[0]):
        return [b]
    out: list[str] = []
    for cell in left:
        m = re.match(r"(Nơi nhận\s*:)\s*(.*)$", cell)
        if m:
            out.append(m.group(1))
            cell = m.group(2)
        # the recipients are "- A; - B;" items, one per line in the printed list; Word autocorrects
        # the hyphen bullets of Nơi nhận (Nghị định 30/2020/NĐ-CP, Phụ lục I) to en dashes "– A; – B"
        out += ["- " + x.strip() for x in re.split(r"(?:^|(?<=[;.,)]))\s*[-–]\s+", cell) if x.strip()]
    return [_line_block(b, x) for x in [*out, *sig]]


def _line_block(b: Block, text: str) -> Block:
    return replace(b, text=text, kind="list_item" if _ITEM.match(text) else "para", cells=())


_ITEM = re.compile(r"^[-+•*–]\s")
_HEAD_BESIDE = re.compile(r"^(?P<head>Nơi nhận\s*:)\s*(?P<right>\S.*)$")


def _head_beside(b: Block) -> list[Block]:
    """ "Nơi nhận: KT. CHỦ TỊCH": the head of the list with the signature column on its line.
    "Nơi nhận: - Bộ Y tế (b/c);": the first recipient typed after the head, on its line (a tab
    between them in the Word original, Nghị định 30/2020/NĐ-CP, Phụ lục I), or the whole list
    "Nơi nhận: - A; - B; - Lưu: VT." as one paragraph: one item block per recipient."""
    m = _HEAD_BESIDE.match(bare(b.text)) if b.kind != "table_row" else None
    if not m:
        return [b]
    right = m.group("right")
    if is_signature_line(right):
        return [_line_block(b, m.group("head")), _line_block(b, right)]
    if not _FIRST_ITEM.match(right):
        return [b]
    right = _FIRST_ITEM.sub("- ", right, count=1)
    items = ["- " + x.strip() for x in re.split(r"(?:^|(?<=[;.,)]))\s*[-–]\s+", right) if x.strip()]
    return [_line_block(b, m.group("head")), *(_line_block(b, x) for x in items)]


# a list bullet, its emphasis marks kept by a web page's markdown ("*-* Bộ Y tế")
_FIRST_ITEM = re.compile(r"^\**[-–+•]\**\s+")


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
    cells = [_subject_joined([x for ln in _cell_lines(c) for x in _number_then_subject(ln)]) for c in b.cells]
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


_NUMBER_THEN_SUBJECT = re.compile(r"^(?P<num>.+?)\s+(?P<subject>(?:V/v|V/V)\s*:?\s*\S.*)$")


def _number_then_subject(line: str) -> list[str]:
    """ "Số: 1789/UBND-VX V/v triển khai …" (a web page's header cell without its line break) → the
    number line and the subject line."""
    m = _NUMBER_THEN_SUBJECT.match(bare(line))
    if not m or not is_number_line(m.group("num")) or not NUMBER_IN.search(m.group("num")):
        return [line]
    return [m.group("num"), m.group("subject")]


def _number_subject(b: Block) -> list[Block]:
    """ "Số: 12/UBND-KT V/v tăng cường …": the number and the subject under it, run together by a
    text copy of the header cell (Nghị định 30/2020/NĐ-CP, Phụ lục I), are two fields."""
    m = _NUMBER_THEN_SUBJECT.match(bare(b.text)) if b.kind != "table_row" else None
    if not m or not is_number_line(m.group("num")) or not NUMBER_IN.search(m.group("num")):
        return [b]
    return [_line_block(b, m.group("num")), _line_block(b, m.group("subject"))]


def _subject_joined(lines: list[str]) -> list[str]:
    """ "V/v tăng cường quản lý cát, sỏi" ¶ "lòng sông": a công văn's subject wrapped in its header cell
    (Nghị định 30/2020/NĐ-CP, Phụ lục I: the "V/v" trích yếu stands under the number) is one line."""
    out: list[str] = []
    for ln in lines:
        if out and SUBJECT.match(out[-1]) and not _field(ln) and not is_upper(ln):
            out[-1] = f"{out[-1]} {ln}"
        else:
            out.append(ln)
    return out


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
        return _wrapped_beside(b, raw)  # the block was joined from several lines by the cleaner
    pieces = [p for p in (x.strip() for x in _GAP.split(raw.strip())) if p]
    if len(pieces) < 2:
        return [b]
    texts = [inline_to_text(re.sub(r"^#{1,6}\s+", "", p))[0] for p in pieces]
    if re.sub(r"\s+", "", "".join(texts)) != re.sub(r"\s+", "", b.text):
        return [b]  # the block is not this line as written (markup, repairs): keep it
    if not (_recipient_beside_signature(texts) or all(_field(x) for x in texts)):
        return [b]
    return [_line_block(b, x) for x in texts]


def _wrapped_beside(b: Block, raw: str) -> list[Block]:
    """ "- Văn phòng Sở (Bố trí kinh phí, phương      TRƯỞNG ĐOÀN" ¶ "tiện Phục vụ Đoàn kiểm tra);":
    a recipient wrapped onto the next line while the signature column goes on beside it.

    Nghị định 30/2020/NĐ-CP (Phụ lục I) lays "Nơi nhận" out left and the signature block right on
    the same lines, so a text printed with its layout (pdftotext -layout, a Word export) interleaves
    them; the cleaner then joins the wrapped recipient with the signature line in between. The right
    column is pulled out only when every piece of it is a signature line and the left starts a recipient.
    """
    left: list[str] = []
    right: list[str] = []
    written: list[str] = []  # every piece in reading order, to check the block is these lines
    for line in raw.strip("\n").split("\n"):
        pieces = [p for p in (x.strip() for x in _GAP.split(line.strip())) if p]
        if len(pieces) > 2:
            return [b]
        if pieces:
            left.append(pieces[0])
            right += pieces[1:]
            written += pieces
    if not right or not (is_recipients_head(left[0]) or _ITEM.match(left[0])):
        return [b]
    if not all(is_signature_line(r) for r in right):
        return [b]
    if re.sub(r"\s+", "", "".join(written)) != re.sub(r"\s+", "", b.text):
        return [b]  # the block is not these lines as written (markup, repairs): keep it
    return [_line_block(b, " ".join(left)), *(_line_block(b, r) for r in right)]


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
            is_number_line(left) and NUMBER_IN.search(left) and DATE_LINE.match(right)
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
    body = _wrapped_body(blocks, i)
    if body:
        return body
    if first.kind == "table_row" or _field(first.text):
        return None
    if (
        re.match(r"^\((?:Ban hành\s+)?$|^\((?:Ban hành\s+)?kèm theo\b", bare(first.text), re.I)
        and ")" not in first.text
    ):
        return _wrapped_attachment(blocks, i)
    for n in (2, 3):
        group = blocks[i : i + n]
        if len(group) < n or any(
            g.kind == "table_row" or len(bare(g.text)) > 80 or not bare(g.text) for g in group
        ):
            return None
        text = " ".join(bare(g.text) for g in group)
        kind = _field(text)
        if kind not in ("motto", "number", "date"):
            continue
        inner = [_field(g.text) for g in group[1:]]
        # "Bắc" + "Kạn, ngày …": the last line alone reads as a date, but the place lost its first word
        if all(k is None for k in inner) or (
            kind == "date"
            and n == 2
            and inner == [kind]
            and len(bare(first.text).split()) <= 4
            and "," not in first.text
        ):
            return replace(first, text=text, end=group[-1].end), n
        return None  # each line is a field of its own
    return None


# the names of the collective bodies that issue plans (Decree 30/2020/NĐ-CP, Phụ lục I: the issuer
# line "ỦY BAN NHÂN DÂN" above "TỈNH …"): a plain-text copy of a narrow header cell cuts the name
# ("ỦY BAN NHÂN" / "DÂN"), which bold markup no longer holds together
_BODY_NAME = re.compile(r"^(?:uy ban nhan dan|hoi dong nhan dan)\b")


def _wrapped_body(blocks: list[Block], i: int) -> tuple[Block, int] | None:
    """ "ỦY BAN NHÂN" + "DÂN" (+ "TỈNH ĐỒNG THÁP" stays its own line) as one issuer line."""
    if i + 1 >= len(blocks):
        return None
    first, second = blocks[i], blocks[i + 1]
    a, b = bare(first.text), bare(second.text)
    if first.kind == "table_row" or second.kind == "table_row" or not (is_upper(a) and is_upper(b)):
        return None
    if _BODY_NAME.match(fold(a)) or not _BODY_NAME.match(fold(f"{a} {b}")) or len(a) + len(b) > 90:
        return None
    return replace(first, text=f"{a} {b}", end=second.end), 2


def _wrapped_attachment(blocks: list[Block], i: int) -> tuple[Block, int] | None:
    """ "(Ban hành" / "kèm theo Quyết định số …" / "… của Ủy ban nhân dân xã" / "Xuân Phú)" as one line."""
    texts = []
    for n, b in enumerate(blocks[i : i + 6], start=1):
        if b.kind == "table_row" or len(b.text) > 200:
            return None
        texts.append(bare(b.text))
        if texts[-1].endswith(")"):
            return replace(blocks[i], text=" ".join(texts), end=b.end), n
    return None
