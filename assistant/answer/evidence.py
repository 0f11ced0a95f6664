"""Text evidence helpers shared by the extractive composer and the LLM check.

Everything here matches on *folded* keys (``textnorm.fold``) but returns spans of
the original text, so a quote shown to an official is always the plan's own
words. ``verbatim_quote`` is the last gate every quote goes through.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from assistant.textnorm import fold, nfc

__all__ = [
    "STOPWORDS",
    "STOP_PHRASES",
    "folded_tokens",
    "content_terms",
    "Idf",
    "coverage",
    "segments",
    "best_segment",
    "verbatim_quote",
    "shorten",
]

# Folded function words, question words and words every plan uses. They carry no
# evidence: a passage "covering" them says nothing about the question. Folding merges
# words ("tài"/"tại", "du"/"dù", "đầu"/"đâu"), so ambiguous ones are removed only as
# phrases ("nhiệm vụ", "bao nhiêu"), never as single syllables.
STOP_PHRASES = tuple(
    """ke hoach|quyet dinh|van ban|uy ban nhan dan|don vi|co quan|chu tri|phoi hop|phu trach|nhiem vu
    |thuc hien|trach nhiem|duoc giao|giao cho|dam nhan|dam nhiem|la gi|la ai|nhu the nao|the nao
    |bao nhieu|bao gio|bao gom|khi nao|o dau|tai sao|vi sao|cau hoi|tra loi|thanh pho|thi tran|thi xa
    |cho biet|cho toi|hay cho|liet ke|so nao|ban nao|nganh nao|phong nao|cac so|ban nganh|so sanh
    |moi tinh|moi ke hoach|ben nao|lam gi|can lam|phai lam|nhung gi|cai gi|dieu gi""".replace("\n", "").split(
        "|"
    )
)
STOPWORDS = frozenset(
    """ai bi cac cai chua chung co cua da den do duoc gi gom ha hay hoac het hon khong kia la lam len may
    mot muon nao ne neu nay nhe nhieu nhu nhung o oi phai ra rang roi sao se so theo thuoc trong tung va
    vao ve vi viec voi xin cho tinh huyen xa ubnd nganh gia gium""".split()
)
_STOP_PHRASE_RE = re.compile(r"\b(?:" + "|".join(re.escape(p.strip()) for p in STOP_PHRASES) + r")\b")

_WORD = re.compile(r"[0-9a-z]+(?:[&.,/'-][0-9a-z]+)*")


def folded_tokens(text: str) -> list[str]:
    """Folded word tokens: 'Sở TT&TT, 183/KH' → ['so', 'tt&tt', '183/kh']."""
    return _WORD.findall(fold(nfc(text)))


def content_terms(text: str, extra_stop: Iterable[str] = ()) -> list[str]:
    """Folded tokens that carry meaning (stopwords and 1-letter tokens dropped), in order, unique."""
    stop = STOPWORDS | set(extra_stop)
    seen: dict[str, None] = {}
    folded = _STOP_PHRASE_RE.sub(" | ", fold(nfc(text)))
    for t in _WORD.findall(folded):
        if t in stop or (len(t) < 2 and not t.isdigit()):
            continue
        seen.setdefault(t, None)
    return list(seen)


@dataclass
class Idf:
    """Inverse document frequency of folded tokens over the loaded passages.

    A term no passage contains gets the highest weight: a question about "vốn vay"
    should lose most of its coverage when no plan mentions "vay".
    """

    df: Counter = field(default_factory=Counter)
    n: int = 0

    @classmethod
    def build(cls, texts: Iterable[str]) -> Idf:
        df: Counter = Counter()
        n = 0
        for t in texts:
            n += 1
            df.update(set(folded_tokens(t)))
        return cls(df, n)

    def __call__(self, term: str) -> float:
        return math.log((self.n + 1) / (self.df.get(term, 0) + 0.5)) + 0.1


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


def segments(text: str) -> list[tuple[int, int]]:
    """Spans of the sentence-like pieces of ``text`` (offsets into ``text``, stripped)."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for m in _SEG_CAND.finditer(text):
        sep = m.group(0)
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
