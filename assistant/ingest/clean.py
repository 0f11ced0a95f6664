"""Cleaning: web-page boilerplate out, footnotes out of the text flow, broken lines rejoined.

All rules are generic (no file is special-cased):
- site chrome *before* the document header (national motto, issuer, "Số:", document
  type) is dropped when such a header exists near the top;
- anywhere else only lines that are *nothing but* web UI are dropped: a bare UI phrase
  ("Đăng nhập", "Tải về", "Lượt xem: 120", "Đang tải…"), a line speaking to the site's
  reader ("Bạn chưa đăng nhập…"), a URL or IP line, a page counter, and short lines
  repeated three times or more.  A sentence of the plan that merely *uses* these words
  ("kết nối, chia sẻ dữ liệu", "hướng dẫn đăng ký khai sinh") is content;
- footnote blocks (starting with a superscript marker) and the ``---`` separators a
  page break leaves are taken out, and a sentence they interrupted is rejoined;
- a line cut by a page break or by the page width (web pages wrap at ~80 characters,
  PDF text at the column) is joined to the line before when that line does not end a
  sentence and the next one does not start a heading, a point or a bullet: a lower-case
  start, a cut after a comma or a connecting word, a number completing "ngày"/"năm"…,
  or the upper-case rest of an upper-case heading ("I. MỤC ĐÍCH," + "YÊU CẦU").
  Header and signature lines, and table lines, are never joined here.
Trailing chrome after the signature is dropped by the metadata step, which knows
where a signature ends and whether another part (an attached plan) follows.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace

from ..records import Block
from ..textnorm import match_key
from .patterns import (
    DATE_LINE,
    FOOTNOTE_DEF,
    doc_type_of,
    ends_sentence,
    is_authority,
    is_enacting,
    is_issuer_line,
    is_motto,
    is_number_line,
    is_position,
    is_recipients_head,
    is_separator,
    is_structural,
    is_upper,
)

__all__ = ["Footnote", "Cleaned", "clean", "is_header_start", "is_structural", "is_division"]

# A line that is only a web UI element (compared on match_key: accents matter, "Đăng tải
# thông tin" is a plan's wording, "Đang tải…" a page still loading).
_UI_LINE = re.compile(
    r"(?:đăng nhập|đăng xuất|đăng ký|đăng kí|đăng ký thành viên|quên mật khẩu|tải về|tải xuống|tải file|"
    r"download|login|log in|chia sẻ|in văn bản|bản in|trang chủ|tìm kiếm|xem thêm|xem chi tiết|quay lại|"
    r"lên đầu trang|thuộc tính|văn bản gốc|văn bản liên quan|văn bản thay thế|lược đồ|tiếng anh|"
    r"đang tải\b.*|(?:số )?lượt (?:xem|truy cập|tải)\s*:?\s*[\d.,]*|từ khóa\s*:.*|"
    r"(?:copyright\b|©|bản quyền thuộc\b).*)"
)
# Sentences only a web site writes: addressing its reader ("Bạn", "vui lòng") about its account/download
_READER = re.compile(r"\b(?:bạn|vui lòng|quý khách)\b")
_SITE_WORDS = re.compile(
    r"đăng nhập|đăng ký|thành viên|tải ngay|tải về|bản rút gọn|bản đầy đủ|hỗ trợ bạn|"
    r"xem được|gói cước|giây lát"
)
_SITE_PHRASES = re.compile(r"protection status|dmca\.com|chưa cập nhật nội dung tiếng anh")
_URL_LINE = re.compile(r"[\W_]*(?:https?://|www\.)\S+[\W_]*", re.I)
_COUNTER = re.compile(r"^\W*(?:trang\s*)?\d{1,6}(?:\s*/\s*\d{1,6})?\W*$", re.I)
_IP = re.compile(r"\b\d{1,3}(?:\.\d{1,3}){3}\b")
# function words a sentence cannot end on (compared with tone marks: "mới" is not "mọi")
_CONNECTING = {
    "của",
    "và",
    "các",
    "với",
    "trong",
    "về",
    "cho",
    "tại",
    "theo",
    "từ",
    "đến",
    "ở",
    "những",
    "một",
    "là",
    "để",
    "thuộc",
    "như",
    "trên",
    "dưới",
    "giữa",
    "hoặc",
    "bằng",
    "do",
    "cùng",
    "phải",
    "được",
    "khi",
    "nếu",
    "mà",
    "mọi",
    "nhằm",
    "sau",
    "trước",
    "qua",
    "này",
    "gồm",
    "phối",
    "chịu",
    "đối",
}  # bound halves of "phối hợp", "chịu trách nhiệm", "đối với"
# words a number completes: "ngày" + "29/3/2012", "giai đoạn 2011 -" + "2020;"
_BEFORE_NUMBER = {
    "ngày",
    "tháng",
    "năm",
    "số",
    "đoạn",
    "khóa",
    "kỳ",
    "quý",
    "điều",
    "khoản",
    "điểm",
    "lần",
    "trên",
    "dưới",
    "đạt",
    "khoảng",
}
# "PHẦN I", "Phần thứ hai", "Chương II", "Mục 1": divisions above the I./II. sections
_DIVISION = re.compile(
    r"^(?P<kw>PHẦN|Phần|CHƯƠNG|Chương|MỤC|Mục)\s+(?P<m>[IVXL]{1,6}|\d{1,2}|(?:thứ|THỨ)\s+\w+)"
    r"(?=$|\s*[.:\-–]|\s+[A-ZĐÀ-Ỹ])\s*[.:\-–]?\s*(?P<t>.*)$"
)


def is_division(text: str) -> re.Match | None:
    """A "PHẦN I. …" / "Chương II" / "Mục 1" line (a "Mục" needs an upper-case or empty title)."""
    m = _DIVISION.match(text.strip())
    if not m or len(text) > 200:
        return None
    if m.group("kw").lower() == "mục" and m.group("t") and not is_upper(m.group("t")):
        return None
    return m


@dataclass
class Footnote:
    marker: str  # digits of the marker, e.g. "2"
    block: Block


@dataclass
class Cleaned:
    blocks: list[Block]
    footnotes: list[Footnote] = field(default_factory=list)
    dropped: list[Block] = field(default_factory=list)


def is_header_start(b: Block) -> bool:
    t = b.text
    if b.kind == "table_row" and b.cells and len(b.cells) > 1:
        # a web page's header table: the issuer cell beside the motto cell, each flattened onto one
        # line with the rule printed under it ("ỦY BAN NHÂN DÂN TỈNH X ------- | CỘNG HÒA …")
        return any(_header_cell(c) for c in b.cells)
    return (
        is_motto(t)
        or is_number_line(t)
        or (is_issuer_line(t) and len(t) < 60)
        or (doc_type_of(t) is not None and b.kind != "table_row")
    )


def _header_cell(cell: str) -> bool:
    t = re.sub(r"\s+[-_=~]{3,}\s*$", "", cell.strip())
    return is_motto(t) or is_number_line(t) or (is_issuer_line(t) and len(t) < 60)


def _ui_key(t: str) -> str:
    """match_key of a line without its surrounding punctuation and extra spaces."""
    return re.sub(r"\s+", " ", match_key(t)).strip(" .…!?:;,-–|*_()[]\"'")


def _is_chrome(b: Block, repeated: Counter, prev: Block | None = None, nxt: Block | None = None) -> bool:
    """Web-page chrome: lines that are *only* UI, never a plan sentence that uses the same words.
    ``prev``/``nxt``: the lines around; a repeated line wrapped with one of them is no chrome."""
    if b.kind == "table_row":
        return False
    t = b.text.strip()
    if (_IP.search(t) and len(t) < 40) or _URL_LINE.fullmatch(t):
        return True
    if len(t) > 200 or t.endswith("./.") or is_structural(t):
        return False
    key = _ui_key(t)
    if _SITE_PHRASES.search(key) or (_READER.search(key) and _SITE_WORDS.search(key)):
        return True
    if len(t) > 120:
        return False
    if _UI_LINE.fullmatch(key):
        return True
    # a short line repeated 3+ times that is not a "Label: value" line of the plan, nor the end of
    # a hard-wrapped one ("Thời gian thực hiện: Thường" ¶ "xuyên.", under each of a plan's tasks)
    if (prev is not None and _continues(prev, b, False)) or (nxt is not None and _continues(b, nxt, False)):
        return False
    return repeated[t] >= 3 and not re.match(r"^[^:]{3,40}:(\s|$)", t)


def clean(blocks: list[Block]) -> Cleaned:
    dropped: list[Block] = []
    head = next((i for i, b in enumerate(blocks[:60]) if is_header_start(b)), None)
    if head:
        dropped += blocks[:head]
        blocks = blocks[head:]
    # a site's template repeats its chrome verbatim; a plan's word in capitals ("QUAN" ¶ "TRẮC, CẢNH
    # BÁO …", a wrapped title) is not its wrapped cells' "Quan" ¶ "trắc tác động"
    repeated = Counter(b.text.strip() for b in blocks if b.kind != "table_row" and len(b.text) <= 120)
    kept: list[Block] = []
    footnotes: list[Footnote] = []
    cut = False  # something was taken out since the last kept block
    marker: Block | None = None  # a bare heading number waiting for its title
    for i, b in enumerate(blocks):
        if marker is not None:
            b, marker = _join(marker, b), None
        elif _bare_marker(b) and i + 1 < len(blocks) and _titles_marker(blocks[i + 1]):
            marker = b
            continue
        if kept and _COUNTER.match(b.text.strip()) and _number_continues(kept[-1], b):
            kept[-1] = _join(kept[-1], b)  # "… giai đoạn 2011 -" + "2020;" is a wrapped line, not a counter
            cut = False
            continue
        if (
            is_separator(b.text)
            or _COUNTER.match(b.text.strip())
            or _is_chrome(
                b, repeated, kept[-1] if kept else None, blocks[i + 1] if i + 1 < len(blocks) else None
            )
        ):
            dropped.append(b)
            cut = True
            continue
        m = FOOTNOTE_DEF.match(b.text) if b.kind != "table_row" else None
        if m:
            footnotes.append(Footnote(re.sub(r"\D", "", m.group("m").translate(_UNSUP)), b))
            cut = True
            continue
        if kept and _continues(kept[-1], b, cut):
            kept[-1] = _join(kept[-1], b)
        else:
            kept.append(b)
        cut = False
    return Cleaned(kept, footnotes, dropped)


_UNSUP = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁽⁾", "0123456789()")


def _last_word(text: str) -> str:
    words = text.rstrip(" *_").split()
    return match_key(words[-1]) if words else ""


def _number_continues(a: Block, b: Block) -> bool:
    """Is a number-only line ("2020;", "2025.") the end of the sentence before it, not a page number?"""
    if not _joinable(a) or ends_sentence(a.text):
        return False
    t = b.text.strip()
    # a bare "5" after "… của" is a page number between two halves of a sentence; "5;" or "năm" + "2030" is not
    return (
        bool(re.search(r"\d[;,.:)]$", t))
        or bool(re.search(r"[-–/]$", a.text.rstrip()))
        or _last_word(a.text) in _BEFORE_NUMBER
    )


def _fixed_line(t: str) -> bool:
    """Header/signature lines: they have their own shapes, the metadata step reads them one by one."""
    return bool(
        is_motto(t)
        or is_number_line(t)
        or is_issuer_line(t)
        or DATE_LINE.match(t)
        or is_authority(t)
        or is_position(t)
        or is_recipients_head(t)
        or is_enacting(t)
        or (doc_type_of(t) is not None and is_upper(t.split(":")[0]))
    )


def _joinable(b: Block) -> bool:
    t = b.text.strip()
    return b.kind in ("para", "list_item") and "|" not in t and "\t" not in t and not _fixed_line(t)


def _heading_like(t: str) -> bool:
    return bool(is_structural(t) or is_division(t))


# a heading's or a point's number alone on its line: "III.", "1.", "2.3.", "a)", "Phần II."
_BARE_MARKER = re.compile(r"^(?:(?:PHẦN|Phần)\s+)?(?:[IVXL]{1,6}|\d{1,2}(?:\.\d{1,2}){0,3}|[a-zđ])[.)]$")


def _bare_marker(b: Block) -> bool:
    return b.kind in ("para", "list_item", "heading") and bool(_BARE_MARKER.match(b.text.strip()))


def _titles_marker(b: Block) -> bool:
    """Can ``b`` be the title of the bare number above it?  Decree 30 prints a heading's or a
    point's number and its title on one line; a plain-text copy of a wrapped bold heading or a
    narrow cell leaves the number alone ("III." / "PHẠM VI, ĐỐI TƯỢNG, …", "1." / "Công tác …")."""
    t = b.text.strip()
    return (
        b.kind in ("para", "list_item", "heading")
        and "|" not in t
        and re.search(r"[^\W\d_]", t) is not None
        and not _heading_like(t)
        and not re.match(r"^[-–+•*]\s", t)
    )


def _heading_cut(a: Block) -> bool:
    """A heading in capitals cut after a comma or a dash: its next line in capitals is the rest of
    its title even when it reads like a header line ("III. NỘI DUNG THI ĐUA," / "PHƯƠNG ÁN …")."""
    t = a.text.strip()
    return is_upper(t) and _heading_like(t) and bool(re.search(r"[,\-–]$", t.rstrip(" *_")))


def _continues(a: Block, b: Block, cut: bool) -> bool:
    """Is ``b`` the rest of the line ``a``, cut by the page width, a page break or a footnote block?

    ``a`` must not end a sentence and ``b`` must not open a heading, a point or a
    bullet; then ``b`` continues ``a`` when it starts in lower case, when ``a`` was cut
    after a comma, a hyphen or a word that cannot end a phrase, when ``b`` is the
    number a word like "ngày" asks for, or when both are the upper-case pieces of one
    heading.  A short heading followed by a capitalised sentence stays apart.
    """
    if _heading_cut(a) and b.kind == "para" and is_upper(b.text) and "|" not in b.text:
        return not _heading_like(b.text) and len(a.text) + len(b.text) < 250
    if not (_joinable(a) and _joinable(b)) or ends_sentence(a.text) or _heading_like(b.text):
        return False
    if _bare_marker(b):
        return False  # a number alone opens the next point; it is no piece of this line
    text_b = b.text.strip()
    first = text_b.lstrip("(“\"'")[:1]
    a_upper, b_upper = is_upper(a.text), is_upper(text_b)
    if a_upper and not _heading_like(a.text):
        return False  # title/header lines in capitals: the metadata step assembles them
    if a_upper or b_upper:
        return a_upper and b_upper and len(a.text) + len(text_b) < 250  # "I. MỤC ĐÍCH," + "YÊU CẦU"
    if first.islower():
        return True
    last = _last_word(a.text)
    cut_mark = bool(re.search(r"(\w-|,)$", a.text.rstrip(" *_")))
    if first.isdigit():
        return (
            cut_mark
            or last in _CONNECTING
            or last in _BEFORE_NUMBER
            or a.text.rstrip().endswith(("-", "–", "/"))
        )
    return first.isupper() and (cut_mark or last in _CONNECTING)


def _join(a: Block, b: Block) -> Block:
    sep = "" if re.search(r"\w-$", a.text) else " "
    return replace(
        a,
        text=a.text.rstrip() + sep + b.text.lstrip(),
        end=b.end,
        italic=a.italic and b.italic,
        bold=a.bold and b.bold,
    )
