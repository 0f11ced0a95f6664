"""The tokeniser: one definition of a Vietnamese word token for BM25, the question
parser and the answer composers.

A token is a run of letters/digits; inside it, joiners keep an abbreviation or a
document number whole.  Two views of the same token:

- ``word_spans`` / ``syllables``: the written form ("Sở", "TT&TT", "VH,TT&DL"), with
  spans.  BM25 builds its token families from these (``indexing.lexical``).
- ``folded_tokens``: the accent-folded form, where "/" and "-" also join, so a
  document number stays one token ("183/kh-ubnd").  The parser's key terms
  (``content_terms``), IDF and every coverage check in the composers use it.

Stopwords live here too: they are what ``content_terms`` drops.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from assistant.textnorm import fold, nfc

__all__ = [
    "TOKEN",
    "JOINERS",
    "word_spans",
    "syllables",
    "has_diacritics",
    "folded_tokens",
    "content_terms",
    "STOPWORDS",
    "STOP_PHRASES",
    "Idf",
]

# letters/digits; "&" "." "," "'" join (abbreviations "TT&TT", "VH,TT&DL", amounts "18,6")
TOKEN = re.compile(r"[^\W_]+(?:[&.,'][^\W_]+)*", re.UNICODE)
JOINERS = re.compile(r"[&.,']")
# the folded view: "/" and "-" join as well, so "183/KH-UBND" is one term of a question
_FOLDED = re.compile(r"[0-9a-z]+(?:[&.,/'-][0-9a-z]+)*")


def word_spans(text: str) -> list[re.Match[str]]:
    """The tokens of ``text`` (NFC) with their spans."""
    return list(TOKEN.finditer(text))


def syllables(text: str) -> list[str]:
    """Tokens of a text in their written case (abbreviations like TT&TT kept whole)."""
    return TOKEN.findall(nfc(text))


def has_diacritics(text: str) -> bool:
    """Whether any mark (or đ) is written: a question typed without them is read folded only."""
    return any(unicodedata.category(c) == "Mn" for c in unicodedata.normalize("NFD", text)) or (
        "đ" in text.lower()
    )


def folded_tokens(text: str) -> list[str]:
    """Folded word tokens: 'Sở TT&TT, 183/KH' → ['so', 'tt&tt', '183/kh']."""
    return _FOLDED.findall(fold(nfc(text)))


# Folded function words, question words and words every plan uses. They carry no
# evidence: a passage "covering" them says nothing about the question. Folding merges
# words ("tài"/"tại", "du"/"dù", "đầu"/"đâu"), so ambiguous ones are removed only as
# phrases ("nhiệm vụ", "bao nhiêu"), never as single syllables.
STOP_PHRASES = tuple(
    """ke hoach|quyet dinh|van ban|uy ban nhan dan|don vi|co quan|chu tri|phoi hop|phu trach|nhiem vu
    |thuc hien|trach nhiem|duoc giao|giao cho|dam nhan|dam nhiem|la gi|la ai|nhu the nao|the nao
    |bao nhieu|bao gio|bao lau|bao gom|khi nao|ngay nao|o dau|tai sao|vi sao|cau hoi|tra loi|thanh pho|thi tran|thi xa
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


# "đợt thứ hai", "giai đoạn thứ ba": plans number their rounds, phases and steps in figures, zero-
# padded or not ("Đợt 02 dự kiến: …", "Bước 2"): the ordinal asked is read as both figures
_ORDINALS = {"nhat": "1", "hai": "2", "ba": "3", "tu": "4", "nam": "5", "sau": "6"}
_ORDINAL_RE = re.compile(
    r"\b(dot|lan|giai doan|buoc|ky)((?: [a-z]+){0,2}) thu (nhat|hai|ba|tu|nam|sau)\b"
)  # "đợt thi đua thứ hai": the round's own words may stand between


def _ordinal_figures(folded: str) -> str:
    def figures(m: re.Match[str]) -> str:
        if m.group(3) == "tu" and m.group(2).endswith(("theo", "dung")):
            return m.group(0)  # "theo thứ tự", "đúng thứ tự": the order, folded like "thứ tư"
        n = _ORDINALS[m.group(3)]
        return f"{m.group(1)}{m.group(2)} 0{n} {n}"

    return _ORDINAL_RE.sub(figures, folded)


def content_terms(text: str, extra_stop: Iterable[str] = ()) -> list[str]:
    """Folded tokens that carry meaning (stopwords and 1-letter tokens dropped), in order, unique."""
    stop = STOPWORDS | set(extra_stop)
    seen: dict[str, None] = {}
    folded = _STOP_PHRASE_RE.sub(" | ", _ordinal_figures(fold(nfc(text))))
    for t in _FOLDED.findall(folded):
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
