"""Whether a question asks for the collection itself ("Các kế hoạch đã nạp?", "có bao nhiêu văn
bản", "những kế hoạch nào của Nghệ An"): every word it holds, besides places and years, is one of
a catalogue question's. ``collection`` narrows such a question by issuer and subject.
"""

from __future__ import annotations

import re

__all__ = ["is_catalogue"]

# "Các kế hoạch đã nạp?", "có bao nhiêu văn bản", "những kế hoạch nào của Nghệ An": the
# collection itself. The words below are all such a question may hold besides places and years.
_CATALOGUE = re.compile(
    r"\b(da nap|duoc nap|dang co|hien co|co trong he thong|danh sach|liet ke|bao nhieu|nhung|cac|nao|gi)\b"
)
_CATALOGUE_NOUN = re.compile(r"\b(ke hoach|van ban|tai lieu|cong van|quyet dinh|chi thi|kh|cv)\b")
_CATALOGUE_WORDS = frozenset(
    "ke hoach van ban tai lieu cong van quyet dinh chi thi thong bao kh cv da duoc nap dang hien co "
    "trong he thong danh sach liet ke bao nhieu nhung cac nao gi gom cua o tai tinh thanh pho nam "
    "xa phuong huyen ban hanh nay hien nay ubnd uy nhan dan so la hay cho toi biet the".split()
)


def is_catalogue(folded: str) -> bool:
    """The question asks which plans are loaded (possibly of a place, kind or year named)."""
    f = " ".join(folded.split())
    if not (_CATALOGUE_NOUN.search(f) and _CATALOGUE.search(f)):
        return False
    if not re.search(r"\b(da nap|duoc nap|dang co|hien co|he thong|danh sach|liet ke|bao nhieu|nao|gi)\b", f):
        return False
    words = [w for w in re.findall(r"[a-z0-9]+", f) if not w.isdigit()]
    return bool(words) and all(w in _CATALOGUE_WORDS for w in words)
