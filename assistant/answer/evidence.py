"""Text evidence helpers shared by the extractive composer and the LLM check.

Everything here matches on *folded* keys (``textnorm.fold``) but returns spans of
the original text, so a quote shown to an official is always the plan's own
words. ``verbatim_quote`` is the last gate every quote goes through.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from assistant.textnorm import fold
from assistant.vocab.tokens import Idf, folded_tokens

__all__ = [
    "Idf",
    "coverage",
    "segments",
    "qualified_segments",
    "best_segment",
    "with_content",
    "list_lead_in",
    "verbatim_quote",
    "shorten",
]


def coverage(terms: list[str], text: str, idf: Idf | None = None) -> float:
    """Share (IDF-weighted when given) of the question's key terms present in ``text``."""
    if not terms:
        return 0.0
    have = set(folded_tokens(text))
    w = idf or (lambda _t: 1.0)
    total = sum(w(t) for t in terms)
    got = sum(w(t) for t in terms if t in have)
    return got / total if total else 0.0


# A segment ends at a line break, a "; " clause break, or a sentence end followed by a
# capital (possibly behind an inline bullet: table cells write "… này. - Tổ chức …").
# A dash inside a sentence ("Lấp Vò - Địa phương khởi nghiệp") does not end it.
_SEG_CAND = re.compile(r"\n+|(?<=;)\s+|(?<=[.!?])\s+")


_ENUM = re.compile(r"^\s*[-–•*+]?\s*(?:\d{1,3}(?:\.\d{1,3})*|[IVXLC]{1,6}|[a-zđ])[.)]?\s*$", re.I)


def _opens_sentence(text: str, pos: int) -> bool:
    bullet = False
    while pos < len(text) and text[pos] in " -–•*+":
        bullet = bullet or text[pos] != " "
        pos += 1
    if pos >= len(text):
        return False
    if bullet:  # "2021 - 2025" is a range, "… - Tổ chức" an inline bullet
        return text[pos].isupper()
    return text[pos].isupper() or text[pos].isdigit() or text[pos] in '“"('


# Plans published as web pages keep the printed line breaks, and a line may break before a figure
# that ends the sentence: "theo tiêu chuẩn TCVN\n14423:2025 về An ninh mạng", "Từ\n01/7/2025.",
# "thành\n02 đợt". A break between a word and a number that is no item number ("2.", "1.1.",
# "3)") continues the sentence; an item number opens one (Decree 30/2020 numbers parts so).
_WRAPPED_FIGURE = re.compile(r"\d+(?:[.,:/%-]\d+)*(?:%|\s|[.,;:)]?$|[.,;:)]\s)")
_ITEM_NUMBER = re.compile(r"\d{1,3}(?:\.\d{1,3})*(?:\.|\))(?:\s|$)|\d{1,3}(?:\.\d{1,3})+\s*$")


# A printed line may also break inside a phrase before a capital: "phối hợp với Sở\nTài chính",
# "báo cáo Ủy ban\nNhân dân". A line that ends on a word that never closes a Vietnamese phrase (a
# preposition or conjunction, or the head noun of an agency's name: "Sở", "Bộ", "Cục", "Phòng")
# continues on the next; a heading or a sentence never ends on one.
_OPEN_WORDS = frozenset(
    "voi cua va cho tai ve cac nhung theo tren trong den de la duoc hoac cung bang so bo cuc phong uy".split()
)


def _wrapped_mid_phrase(text: str, start: int, end: int) -> bool:
    """Whether the line break at ``text[start:end]`` falls inside a phrase, before a capital."""
    if not (start > 0 and text[start - 1].isalpha() and text[start:end] == "\n" and end < len(text)):
        return False
    words = text[text.rfind("\n", 0, start) + 1 : start].split()
    return bool(words) and fold(words[-1]) in _OPEN_WORDS and text[end].isupper()


# A bullet of a list ("- …", "+ …") is one sentence, closed by ";" or "." (Decree 30/2020 writes
# the items of a list so); a web page hard-wraps it anywhere, also inside the names of bodies it
# enumerates with commas ("- Mặt trận Tổ quốc, Đoàn" ¶ "Thanh niên, Hội Phụ nữ hỗ trợ …"). A
# bullet not yet closed whose line ends on the capitalised start of a name after a comma goes on
# with the next line, when that line opens no item of its own; a longer clause before the break
# is left as written (a segment of several clauses would outweigh the one that answers).
_BULLET_LINE = re.compile(r"^\s*[-–•+]\s")
_OPENS_ITEM = re.compile(
    r"^\s*(?:[-–•*+]|\(\d{1,3}\)|\d{1,3}(?:\.\d{1,3})*[.)]\s|[a-zđ][.)]\s|[IVXLC]{1,6}\.\s)", re.I
)
NAME_HEAD = 3  # the words of a name cut by the wrap ("Đoàn", "Hội Liên hiệp")
_CLOSED = re.compile(r"[.;:!?…”\")]\s*$")


def _wrapped_bullet(text: str, start: int, end: int) -> bool:
    """Whether the line break at ``text[start:end]`` only wraps a bullet not yet closed."""
    if text[start:end] != "\n" or end >= len(text):
        return False
    line = text[text.rfind("\n", 0, start) + 1 : start]
    nxt = text[end : text.find("\n", end) if "\n" in text[end:] else len(text)]
    tail = line.rsplit(",", 1)[1].split() if "," in line else []
    return (
        bool(_BULLET_LINE.match(line))
        and not _CLOSED.search(line.rstrip("*_ "))
        and 0 < len(tail) <= NAME_HEAD
        and all(w[:1].isupper() for w in tail)
        and bool(nxt.strip())
        and not _OPENS_ITEM.match(nxt)
    )


def _wrapped_before_figure(text: str, start: int, end: int) -> bool:
    """Whether the line break at ``text[start:end]`` only wraps a sentence before a figure."""
    if not (start > 0 and text[start - 1].isalnum() and set(text[start:end]) <= {"\n"}):
        return False
    line = text[end : text.find("\n", end) if "\n" in text[end:] else len(text)]
    return bool(_WRAPPED_FIGURE.match(line)) and not _ITEM_NUMBER.match(line)


def segments(text: str) -> list[tuple[int, int]]:
    """Spans of the sentence-like pieces of ``text`` (offsets into ``text``, stripped)."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for m in _SEG_CAND.finditer(text):
        sep = m.group(0)
        if "\n" in sep and (
            _wrapped_before_figure(text, m.start(), m.end())
            or _wrapped_mid_phrase(text, m.start(), m.end())
            or _wrapped_bullet(text, m.start(), m.end())
        ):
            continue
        if (
            "\n" not in sep
            and not text[m.start() - 1 : m.start()] == ";"
            and not _opens_sentence(text, m.end())
        ):
            continue
        if "\n" not in sep and _ENUM.match(text[pos : m.start()]):
            continue  # "2. Sở Tài chính …": the item number belongs to its sentence
        if "\n" not in sep and text.count("“", pos, m.start()) > text.count("”", pos, m.start()):
            continue  # inside a quotation: “Công dân số. Kinh tế tuần hoàn” is one phrase
        spans.append((pos, m.start()))
        pos = m.end()
    spans.append((pos, len(text)))
    out = []
    for a, b in spans:
        while a < b and text[a] in " \t-–•*+":
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if b - a >= 2:
            out.append((a, b))
    return out


# a clause after "; " that opens with a short label and a colon ("tần suất quan trắc: 03 đợt/năm",
# "thời gian: Quý IV/2025", "kinh phí: …") gives a value of what the clause before it names:
# plans list a thing, then its frequency, time or cost, in one line ("Thuốc bảo vệ thực vật …
# và kim loại nặng (Cd, Hg, As và Pb); tần suất quan trắc: 03 đợt/năm.")
_LABELLED = re.compile(r"[^\W\d][^:;,.()\n]{1,40}:\s")


def qualified_segments(text: str) -> list[tuple[int, int]]:
    """``segments(text)``, each labelled value clause also read together with the clause it
    qualifies (that span placed right after it), so the thing and its value stand in one piece."""
    segs = segments(text)
    out: list[tuple[int, int]] = []
    for i, (a, b) in enumerate(segs):
        out.append((a, b))
        if i and _LABELLED.match(text, a):
            pa, pb = segs[i - 1]
            if text[pb - 1 : pb] == ";" and "\n" not in text[pb:a]:
                out.append((pa, b))
    return out


def with_content(text: str, span: tuple[int, int]) -> tuple[int, int]:
    """``span`` extended by the segment after it when it is a label ending in a colon: plans
    write "- Giai đoạn 48-72 giờ:" on a line and its content on the next, and the label alone
    says nothing of what is done."""
    a, b = span
    if not text[a:b].rstrip().endswith(":"):
        return span
    nxt = next(((x, y) for x, y in segments(text) if x >= b), None)
    return (a, nxt[1]) if nxt else span


def list_lead_in(text: str, a: int) -> str:
    """The lead-in of the inline list a segment starting at ``a`` belongs to, or "": plans run
    their targets in one sentence ("… cụ thể: Phấn đấu tổng tỷ suất sinh đạt 2,1; tỷ lệ người từ
    65 tuổi trở lên đạt khoảng 12%; …"), and every item after the first is governed by the words
    before the colon, which only the first item's segment holds."""
    start = max(text.rfind("\n", 0, a), text.rfind(". ", 0, a)) + 1
    colon = text.rfind(":", start, a)
    if colon < 0 or ";" not in text[colon:a]:
        return ""
    return text[start : colon + 1].strip()


def best_segment(
    text: str,
    terms: list[str],
    *,
    idf: Idf | None = None,
    pattern: re.Pattern | None = None,
    bonus_terms: Iterable[str] = (),
) -> tuple[int, int] | None:
    """The segment of ``text`` that holds most of ``terms`` (and ``pattern`` when given).

    Ties go to the earlier segment: in a plan the task usually comes first.
    """
    segs = segments(text)
    if not segs:
        return None
    bonus = set(bonus_terms)
    w = idf or (lambda _t: 1.0)
    best, best_score = None, -1.0
    for a, b in segs:
        seg = text[a:b]
        toks = set(folded_tokens(seg))
        score = sum(w(t) for t in terms if t in toks)
        score += 0.5 * sum(1 for t in bonus if t in toks)
        if pattern is not None and pattern.search(seg):
            score += 3.0 + 0.01 * len(terms)
        if score > best_score + 1e-9:
            best, best_score = (a, b), score
    return best


def verbatim_quote(text: str, quote: str | None, max_chars: int = 400) -> str:
    """``quote`` if it is a substring of ``text``; otherwise the repaired span or "".

    Repairs tried, in order: strip, whitespace-insensitive match mapped back to the
    original span. A quote longer than ``max_chars`` is cut at a word boundary
    (still a prefix, so still verbatim). Never returns a non-substring.
    """
    if not quote or not text:
        return ""
    q = quote.strip()
    if q not in text:
        q = _ws_insensitive(text, q) or ""
    if len(q) > max_chars:
        cut = q.rfind(" ", 0, max_chars)
        q = q[: cut if cut > max_chars // 2 else max_chars].rstrip(" ,;:")
    return q if q and q in text else ""


def _ws_insensitive(text: str, quote: str) -> str | None:
    parts = quote.split()
    if not parts:
        return None
    pat = r"\s+".join(re.escape(p) for p in parts)
    m = re.search(pat, text)
    return m.group(0) if m else None


def shorten(text: str, max_chars: int = 220) -> str:
    """One line for the answer: whitespace collapsed, cut at a word with an ellipsis."""
    one = " ".join(text.split())
    if len(one) <= max_chars:
        return one
    cut = one.rfind(" ", 0, max_chars)
    return one[: cut if cut > max_chars // 2 else max_chars].rstrip(" ,;:") + " …"
