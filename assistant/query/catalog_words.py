"""The words of a plan's text as the catalogue indexes them: title word pairs, proper names,
runs of letters and digits, the register number a file's name gives.

Split from ``catalog`` so that the catalogue module holds the look-ups and this one the text
they are made of; nothing here knows a plan.
"""

from __future__ import annotations

import re

import numpy as np

__all__ = [
    "NONE",
    "file_number",
    "found",
    "number_of",
    "proper_runs",
    "title_pairs",
    "word_index",
    "word_pairs",
    "word_runs",
]


# word pairs every plan title holds ("kế hoạch triển khai … trên địa bàn tỉnh"): no evidence
_TITLE_COMMON = frozenset(
    {
        "ke hoach",
        "thuc hien",
        "trien khai",
        "tren dia",
        "dia ban",
        "ban tinh",
        "ban thanh",
        "thanh pho",
        "nam 2025",
        "nam 2026",
    }
)


def word_pairs(folded: str) -> set[str]:
    """The neighbouring word pairs of a folded text ("ke hoach", "hoach kiem", …)."""
    words = re.findall(r"[a-z0-9]+", folded)
    return {f"{a} {b}" for a, b in zip(words, words[1:])}


def title_pairs(folded: str) -> set[str]:
    return word_pairs(folded) - _TITLE_COMMON


# a published file is named by its symbol and number ("KH-3024_27.5.2026_….docx", "…-2026-3024-kh-
# sct-….txt"): the number the register gave it, which an unsigned copy's "Số:      /KH-SCT" leaves blank
_FILE_NUMBER = re.compile(r"(?:^|[-_])(?:kh|qd|cv)-0*(\d{3,5})[_-]|[-_]0*(\d{3,5})-(?:kh|qd|cv)(?:[-_.]|$)")


def number_of(doc: str, number: str | None) -> str:
    """The plan's number as its header writes it, else (no digit there) as its file name does."""
    if number and re.search(r"\d", number):
        return number
    m = _FILE_NUMBER.search(doc.lower())
    return f"{m.group(1) or m.group(2)}/" if m else ""


def file_number(doc: str) -> str | None:
    """The register number a published file's name gives ("KH-3898_30.6.2026_….docx" → "3898")."""
    m = _FILE_NUMBER.search(doc.lower())
    return (m.group(1) or m.group(2)) if m else None


_RUN = re.compile(r"[a-z]+|[0-9]+")
NONE = np.zeros(0, dtype=np.int32)


_EDGE = ',.;:?!()[]"“”*|'
_MARK = re.compile(r"[-–+•|]|\d{1,3}(?:\.\d{1,3})*[.)]?|[a-zđ]\)|[IVXLC]{1,6}\.")


def proper_runs(text: str) -> list[list[str]]:
    """The proper names written in ``text``: runs of two to five capitalised words ("Chi nhánh
    Mỏ tuyển đồng Sin Quyền, Lào Cai" holds "Sin Quyền" and "Lào Cai"). Vietnamese capitalises
    each syllable of a proper name (a mine, a company, a commune) and only the first word of a
    common noun phrase, so two capitalised syllables together are a name. A punctuation mark
    ends a run; words in capitals throughout (a heading, an abbreviation) are no part of one."""
    runs: list[list[str]] = []
    run: list[str] = []

    first: list[bool] = [False]  # the run opens a sentence or an item

    def close() -> None:
        # an opening word and one more ("Theo Kế hoạch", "Giao Công an") are no name; three
        # capitalised words are one even there ("Nguyễn Thị Loan" at the head of a cell)
        if 2 + first[0] <= len(run) <= 5:
            runs.append(list(run))
        run.clear()

    # only a capitalised word reads its predecessor (``opening``) and only a run in progress is
    # closed: most words of a plan are neither, and this runs over every passage at each load
    prev = ""
    for w in text.split():
        word = w.strip(_EDGE)
        if run and w[0] in _EDGE:
            close()  # "(Sin Quyền": an opening mark starts anew
        if len(word) > 1 and word[0].isupper() and word[0].isalpha() and not word.isupper():
            # a sentence's or an item's first word is capitalised whatever it is ("Theo Kế hoạch …",
            # "- Giao Công an tỉnh …"): it opens no name
            before = prev.strip('"“”*')
            opening = (
                not before or before.endswith((".", ":", ";", "?", "!")) or bool(_MARK.fullmatch(before))
            )
            if opening and run:
                close()
            if not run:
                first[0] = opening
            run.append(word)
        elif run:
            close()
        if run and w[-1] in _EDGE:
            close()  # "Sin Quyền, Lào Cai": a mark after the word ends the name
        prev = w
    close()
    return runs


def word_runs(folded: str) -> set[str]:
    """The runs of letters and of digits of a folded text, a number without its leading zeros
    ("0124/kh-ubnd" → {"124", "kh", "ubnd"}): every word a match of a folded phrase or a document
    number spans is one of its text's runs, whatever the punctuation around it."""
    return {w.lstrip("0") or "0" if w[0].isdigit() else w for w in _RUN.findall(folded)}


# how far a match may reach on either side of its anchor: a document's kind and "số" before its
# number ("nghị quyết liên tịch số 03/…"), its issuer's symbol after it
_REACH = 80


def found(rx: re.Pattern[str], anchor: str, text: str) -> bool:
    """Whether ``rx``, each of whose matches holds ``anchor``, matches ``text``: tried only around
    the anchor's occurrences (``str.find`` runs in C, a pattern of alternatives at every position
    of a whole plan does not); the look-behinds still see the text before the window."""
    i = text.find(anchor)
    while i >= 0:
        if rx.search(text, max(0, i - _REACH), i + len(anchor) + _REACH):
            return True
        i = text.find(anchor, i + 1)
    return False


def word_index(doc_folded: dict[str, str]) -> dict[str, np.ndarray]:
    """Folded word → positions (in ``doc_folded``'s order) of the plans whose text holds it."""
    lists: dict[str, list[int]] = {}
    for i, text in enumerate(doc_folded.values()):
        for w in word_runs(text):
            lists.setdefault(w, []).append(i)
    return {w: np.asarray(docs, dtype=np.int32) for w, docs in lists.items()}
