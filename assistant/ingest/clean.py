"""Cleaning: web-page boilerplate out, footnotes out of the text flow, broken paragraphs rejoined.

All rules are generic (no file is special-cased):
- site chrome *before* the document header (national motto, issuer, "Số:", document
  type) is dropped when such a header exists near the top;
- short lines made of web vocabulary (login prompts, "Đang tải…", counters, IP
  lines) and short lines repeated three times or more are dropped anywhere;
- footnote blocks (starting with a superscript marker) and the ``---`` separators a
  page break leaves are taken out, and a sentence they interrupted is rejoined;
- a paragraph cut by a page break (no final punctuation, next block starts in lower
  case or the cut ends on a connecting word or a hyphen) is rejoined.
Trailing chrome after the signature is dropped by the metadata step, which knows
where a signature ends and whether another part (an attached plan) follows.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace

from ..records import Block
from ..textnorm import fold, match_key
from .patterns import (FOOTNOTE_DEF, doc_type_of, is_structural,
                       ends_sentence, is_issuer_line, is_upper, is_motto, is_number_line, is_separator)

__all__ = ["Footnote", "Cleaned", "clean", "is_header_start", "is_structural"]

_WEB = re.compile(
    r"\b(dang nhap|dang ky|thanh vien|dang tai|tai ve|download|login|log in|dmca|copyright|ban quyen|"
    r"luot xem|luot truy cap|cookie|trang chu|chia se|in van ban|tu khoa|ho tro ban|hay de chung toi|"
    r"chua cap nhat|dang cap nhat|protection status|xem them|lien he quang cao|tieng anh|"
    r"van ban lien quan|van ban goc|van ban thay the|thuoc tinh)\b|https?://|www\.|\bip\s*:\s*\d")
_COUNTER = re.compile(r"^\W*(?:trang\s*)?\d{1,6}(?:\s*/\s*\d{1,6})?\W*$", re.I)
_IP = re.compile(r"\b\d{1,3}(?:\.\d{1,3}){3}\b")
# function words a sentence cannot end on (compared with tone marks: "mới" is not "mọi")
_CONNECTING = {"của", "và", "các", "với", "trong", "về", "cho", "tại", "theo", "từ", "đến", "ở", "những", "một",
               "là", "để", "thuộc", "như", "trên", "dưới", "giữa", "hoặc", "bằng", "do", "cùng", "phải", "được",
               "khi", "nếu", "mà", "mọi", "nhằm", "sau", "trước", "qua", "này", "gồm", "hoặc"}


@dataclass
class Footnote:
    marker: str            # digits of the marker, e.g. "2"
    block: Block


@dataclass
class Cleaned:
    blocks: list[Block]
    footnotes: list[Footnote] = field(default_factory=list)
    dropped: list[Block] = field(default_factory=list)


def is_header_start(b: Block) -> bool:
    t = b.text
    return (is_motto(t) or is_number_line(t) or (is_issuer_line(t) and len(t) < 60)
            or (doc_type_of(t) is not None and b.kind != "table_row"))


def _is_chrome(b: Block, repeated: Counter) -> bool:
    if b.kind == "table_row":
        return False
    t = b.text.strip()
    f = fold(t)
    if _COUNTER.match(t) or (_IP.search(t) and len(t) < 40):
        return True
    if len(t) > 120 or t.endswith("./.") or is_structural(t):
        return False
    if _WEB.search(f):
        return True
    # a short line repeated 3+ times that is not a "Label: value" line of the plan
    return repeated[f] >= 3 and not re.match(r"^[^:]{3,40}:(\s|$)", t)


def clean(blocks: list[Block]) -> Cleaned:
    dropped: list[Block] = []
    head = next((i for i, b in enumerate(blocks[:60]) if is_header_start(b)), None)
    if head:
        dropped += blocks[:head]
        blocks = blocks[head:]
    repeated = Counter(fold(b.text.strip()) for b in blocks if b.kind != "table_row" and len(b.text) <= 120)
    kept, footnotes = [], []
    cut = False          # something was taken out since the last kept block
    for b in blocks:
        if is_separator(b.text) or _is_chrome(b, repeated):
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


def _continues(a: Block, b: Block, cut: bool) -> bool:
    """Is ``b`` the rest of paragraph ``a``, split by a page break or a footnote block?"""
    if a.kind not in ("para", "list_item") or b.kind not in ("para", "list_item"):
        return False
    if is_structural(b.text) or ends_sentence(a.text):
        return False
    if len(a.text) < 50 and not a.text.endswith("-"):
        return False
    first = b.text.lstrip("(“\"'")[:1]
    if first.islower():
        return True
    last_word = match_key(a.text.rstrip().split()[-1]) if a.text.split() else ""
    hyphen = bool(re.search(r"\w-$", a.text))
    if is_structural(a.text) and len(a.text) < 200:
        return False  # a short heading is followed by capitalised text by design
    if is_upper(b.text):
        return False
    return first.isupper() and (hyphen or a.text.rstrip().endswith(",") or last_word in _CONNECTING)


def _join(a: Block, b: Block) -> Block:
    sep = "" if re.search(r"\w-$", a.text) else " "
    return replace(a, text=a.text.rstrip() + sep + b.text.lstrip(), end=b.end,
                   italic=a.italic and b.italic, bold=a.bold and b.bold)
