"""A proper name the question asks about that its plan never writes: a question the plan cannot answer.

Issue 12, failure class 4: "Kế hoạch 556 thành lập khu bảo vệ nguồn lợi thủy sản ở xã Vàm Láng
vào năm nào?" asked of a plan that names four other communes is answered with the line about
those four; "Khu vực điện gió Tân Thành ở xã Phú Tân …", "số hóa cầu Mỹ Thuận …" likewise. The
passage covers the question's topic words, so coverage does not tell it apart, and a commune, a
bridge, a project or a person is no unit, year or figure the scorer's absence features read.

By the convention of Vietnamese administrative writing (Decree 30/2020, Appendix I: proper names
of places, works, organisations and people are written with each syllable capitalised, "xã Tân
Phú Đông", "nhà máy điện gió Tân Phú Đông 1", "ông Đỗ Mạnh Cường") a plan names every commune,
work, project and person it assigns something to, verbatim, in the line that assigns it. A
question that names one in title case ("xã Vàm Láng") asks about a thing the plan holds only if
the plan writes that name somewhere. So: the title-case runs of two or more syllables in the
question, and whether the plan the answer comes from writes at least one adjacent syllable pair
of each (lenient on purpose: "Gò Công" is written by a plan naming "Gò Công Đông", "Sở Công
Thương Lào Cai" by one writing "Sở Công Thương tỉnh Lào Cai").

Not read: a question typed in lower case (no run is seen, the scorer decides as before); a run
at the start of a sentence loses its first word (capitalised by position, not as a name);
organisations (a run headed by "Sở", "Ban", "Ủy ban" …): units have their aliases and their
own absence feature (``absence.unit_missing_plan``), "Bộ Chỉ huy Quân sự" is written "Bộ
CHQS" by many plans.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from assistant.answer.absence import PlanVocab, Vocabulary
from assistant.textnorm import fold, nfc

__all__ = ["title_runs", "unwritten_names"]

# a word, or a sentence break (a name never runs across ". ? ! : ; ," or a dash)
_TOKEN = re.compile(r"\w+|[.?!:;,()\"“”\-–—/|]", re.UNICODE)
_BREAK_AT_START = frozenset(".?!:;")
# the heads of organisation names (folded): a unit, not a place, work or person (see above)
_ORG_HEADS = frozenset(
    "so ban bo cuc chi uy ubnd hdnd hoi doan lien mat phong trung van thanh toa vien kho bao dai"
    " ngan cang tong cong hoc truong benh".split()
)


def _title(word: str) -> bool:
    """A syllable written as a name's: capital first letter, not an all-capital abbreviation
    ("UBND", "VLNCN", "TP" break a run; a one-letter syllable "Y" of "Sở Y tế" counts)."""
    if not word[0].isupper() or word.isdigit():
        return False
    return len(word) == 1 or any(c.islower() for c in word[1:])


def title_runs(text: str) -> list[tuple[str, ...]]:
    """The runs of two or more title-case syllables in ``text``, folded, in order."""
    runs: list[tuple[str, ...]] = []
    run: list[str] = []
    start = True  # at the start of a sentence: the first word is capitalised by position

    def close() -> None:
        words = run[1:] if run and run[0] == "" else run
        if len(words) >= 2:
            runs.append(tuple(words))
        run.clear()

    for tok in _TOKEN.findall(nfc(text)):
        if not tok[0].isalnum():
            close()
            start = tok in _BREAK_AT_START
            continue
        if _title(tok):
            # a sentence's first word is kept as a blank marker, dropped when the run closes
            run.append("" if start and not run else fold(tok).lower())
        else:
            close()
        start = False
    close()
    return [r for r in runs if r[0] not in _ORG_HEADS]


def _written(run: tuple[str, ...], pairs: frozenset[str]) -> bool:
    return any(f"{a} {b}" in pairs for a, b in zip(run, run[1:]))


def unwritten_names(
    text: str, plans: Iterable[str], vocabulary: Vocabulary, places: Iterable[str] = ()
) -> list[str]:
    """The proper names ``text`` asks about that none of ``plans`` writes (none when no plan's
    vocabulary is known: nothing is known of what an unknown plan writes). ``places`` are the
    provinces and districts of the loaded plans: they route a question to its plan (the query
    parser reads them), and a follow-up asked of another plan keeps the first turn's place in
    its text ("Còn kế hoạch 0130 của Đắk Lắk thì sao?" after a question on Cần Thơ)."""
    have: list[PlanVocab] = [v for d in plans if (v := vocabulary.plans.get(d)) is not None]
    if not have:
        return []
    pairs = frozenset().union(*(v.pairs for v in have))
    routed = {" ".join(fold(p).split()) for p in places if p}
    return [n for r in title_runs(text) if not _written(r, pairs) and (n := " ".join(r)) not in routed]
