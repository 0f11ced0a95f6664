"""A section asked for as a whole: "Mục đích / mục tiêu / yêu cầu / kinh phí / phạm vi / đối
tượng / thời gian thực hiện của kế hoạch X" is answered with that section's text.

Vietnamese plans head these parts in many ways ("I. MỤC ĐÍCH, YÊU CẦU", "1. Mục đích", "II. MỤC
TIÊU", "IV. KINH PHÍ THỰC HIỆN", "5.1. Kinh phí cho hoạt động kiểm tra"), or open a paragraph
with the word and a colon ("a) Mục đích: …"). A heading is matched by the section's words in
``query.rules.SECTION_FORMS`` (folded, so without diacritics too); the answer is the text under
it (its sub-items), never the heading alone, the preamble or a "Căn cứ" line that merely
names the section.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from assistant.answer.common import AnswerContext, Cites, Evidence, plan_label
from assistant.answer.evidence import coverage, shorten
from assistant.answer.grounds import BASIS_HEADING, ground_items, preamble
from assistant.answer.handler import Handler, add_plan_passages
from assistant.answer.handlers.facts import FactHandler
from assistant.answer.handlers.lists import ListHandler
from assistant.answer.handlers.passages import PassagesHandler
from assistant.query.model import Intent, Query, SectionKind
from assistant.query.rules import SECTION_FORMS
from assistant.records import Answer, Passage
from assistant.textnorm import fold

if TYPE_CHECKING:
    from assistant.snapshot import IndexSnapshot

__all__ = ["SectionHandler", "SectionMatch", "find_section", "section_items"]

PLANS_TRIED = 3  # the best-ranked plans whose outline is searched for the section
MAX_ITEMS = 5  # lines of the answer (``extractive.MAX_LINES`` less the heading line)
ITEM_CHARS = 320  # one item at most; fewer when many items share the answer (``ANSWER_CHARS``)
MIN_ITEM_CHARS = 160
ANSWER_CHARS = 1600  # a section of many items: each is shortened, none is left out
# the enumerators a heading starts with: "I.", "1.", "1.1.", "a)", "-"
_ENUM = re.compile(r"^\s*(?:[ivxlc]+|\d+(?:\.\d+)*|[a-zđ])[.)/]*\s+|^\s*[-–•*+]\s*")
# words a heading adds to the section's own without changing what it holds
_HEADING_FILLER = frozenset("va cua cho thuc hien ke hoach hoat dong kiem tra chung cu the chu yeu".split())

# who answers when no heading of the section is found: the family the question would go to
_DELEGATES: dict[Intent, Handler] = {
    Intent.FACT: FactHandler(),
    Intent.LIST: ListHandler(),
    Intent.OTHER: PassagesHandler(),
}


@dataclass(frozen=True)
class SectionMatch:
    """A heading of the asked section in one plan, and the passages under it, in plan order."""

    doc: str
    heading: str
    passages: tuple[Passage, ...]
    score: float


def _heading_words(heading: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", _ENUM.sub("", fold(heading)))


def _precision(heading: str, forms: tuple[str, ...], asked: frozenset[str] = frozenset()) -> float:
    """Share of the heading's words that are the section's ("1. Mục đích" 1.0, "I. MỤC ĐÍCH,
    YÊU CẦU" 0.5): the narrower heading holds only what was asked. Words the question names
    itself are asked too: "Mục đích, yêu cầu của kế hoạch …" is answered by "I. MỤC ĐÍCH, YÊU
    CẦU" whole, not by another plan's "2. Yêu cầu"."""
    words = _heading_words(heading)
    if not words:
        return 0.0
    form = next(f for f in forms if re.search(rf"(?<![a-z0-9]){f}(?![a-z0-9])", " ".join(words)))
    rest = [w for w in words if w not in form.split() and w not in _HEADING_FILLER and w not in asked]
    return len(form.split()) / (len(form.split()) + len(rest))


# A plan's "MỤC TIÊU" splits into "1. Mục tiêu chung" (or "tổng quát") and "2. Mục tiêu cụ thể"
# (the outline of Vietnamese plans and programmes): a question naming one of the two asks for
# that sub-heading, not the whole section nor the other one
_SCOPES = (("chung", "tong quat"), ("cu the",))


def _scope_fit(heading: str, asked: str) -> float:
    """+1 when the heading holds the scope the question names ("cụ thể"), -1 when it holds the
    other one, 0 when either names none."""
    words = " ".join(_heading_words(heading))
    for scope in _SCOPES:
        if any(re.search(rf"\b{w}\b", asked) for w in scope):
            other = [w for s in _SCOPES if s is not scope for w in s]
            if any(re.search(rf"\b{w}\b", words) for w in scope):
                return 1.0
            if any(re.search(rf"\b{w}\b", words) for w in other):
                return -1.0
    return 0.0


def _opens_with(text: str, forms: tuple[str, ...]) -> str | None:
    """The section word a paragraph opens with ("a) Mục đích: …", "Kinh phí thực hiện: …")."""
    head = _ENUM.sub("", fold(text[:80]))
    for f in forms:
        if re.match(rf"{f}\b[^.;]{{0,40}}[:\-–]", head) or re.match(rf"{f}\s*$", head):
            return f
    return None


def _heading_line(text: str, forms: tuple[str, ...] | None) -> bool:
    """A passage that is a heading alone: one short line with no sentence, in capitals or
    numbered ("V. KINH PHÍ THỰC HIỆN"), holding the section's words when ``forms`` are given."""
    t = " ".join(text.split())
    if not t or len(t) > 80 or t.endswith((".", ";", ":")) and not t.isupper():
        return False
    if not (t.isupper() or _ENUM.match(fold(t))):
        return False
    if forms is None:
        return t.isupper()
    f = _ENUM.sub("", fold(t))
    return any(re.match(rf"{form}\b", f) for form in forms)


# A plan that heads no "Mục đích" states its aims under "MỤC TIÊU", and one with no "Mục tiêu"
# under "Mục đích" (plans of an emergency or an inspection often write only one of the two)
_AKIN = {SectionKind.PURPOSE: SectionKind.TARGET, SectionKind.TARGET: SectionKind.PURPOSE}


def find_section(
    query: Query, plans: list[str], by_doc: dict[str, list[Passage]], idf
) -> SectionMatch | None:
    """The best heading of the asked section among ``plans`` (best ranked first); else, for a
    plan named, its akin section (``_AKIN``)."""
    assert query.section is not None
    if query.section is SectionKind.BASIS:
        return _find_grounds(query, plans, by_doc)
    found = _find_heading(query, query.section, plans, by_doc, idf)
    if found is None and query.section in _AKIN and (query.filters.get("doc") or len(query.named) == 1):
        found = _find_heading(query, _AKIN[query.section], plans[:1], by_doc, idf)
    return found


def _find_heading(
    query: Query, kind: SectionKind, plans: list[str], by_doc: dict[str, list[Passage]], idf
) -> SectionMatch | None:
    forms = SECTION_FORMS[kind]
    asked_text = query.folded or fold(query.text)
    asked = frozenset(re.findall(r"[a-z0-9]+", asked_text))
    best: SectionMatch | None = None
    for rank, doc in enumerate(plans[:PLANS_TRIED]):
        passages = by_doc.get(doc, [])
        candidates: dict[tuple[str, ...], list[Passage]] = {}
        for p in passages:
            for depth in range(1, len(p.section) + 1):
                # the heading's words alone: "CHẾ ĐỘ THÔNG TIN, BÁO CÁO" holds the form "che do
                # thong tin bao cao" across its comma
                h = " ".join(_heading_words(p.section[depth - 1]))
                if any(re.search(rf"(?<![a-z0-9]){f}(?![a-z0-9])", h) for f in forms):
                    candidates.setdefault(tuple(p.section[:depth]), [])
            if _opens_with(p.text, forms):
                candidates.setdefault((*p.section, p.id), [p])
        for i, p in enumerate(passages):
            if _heading_line(p.text, forms):
                # a heading the loader kept as a line of text ("V. KINH PHÍ THỰC HIỆN" hard-wrapped
                # in bold): the section is the passages after it, while they sit under one heading
                after = passages[i + 1 : i + 1 + MAX_ITEMS * 2]
                top = after[0].section[:1] if after else ()
                run = [p]
                for q in after:
                    if q.section[:1] != top or _heading_line(q.text, None):
                        break
                    run.append(q)
                candidates.setdefault((*p.section, p.id), run)
        for prefix, inline in candidates.items():
            if inline:
                under = inline
                heading = " ".join(inline[0].text.split(":", 1)[0].split())
            else:
                n = len(prefix)
                under = [p for p in passages if tuple(p.section[:n]) == prefix and p.kind != "metadata"]
                heading = " ".join(prefix[-1].split())
            body = " ".join(p.text for p in under)
            if len(fold(body)) - len(fold(heading)) < 20:
                continue  # a bare heading: nothing under it to answer with
            cov = coverage(query.terms, body, idf) if query.terms else 0.0
            score = (
                _precision(heading, forms, asked)
                + 0.3 * cov
                + 0.3 * _scope_fit(heading, asked_text)
                - 0.05 * len(prefix)
                - 0.25 * rank
            )
            if best is None or score > best.score:
                best = SectionMatch(doc, heading, tuple(under), score)
    return best


def _find_grounds(query: Query, plans: list[str], by_doc: dict[str, list[Passage]]) -> SectionMatch | None:
    """The grounds of the best-ranked plan whose preamble gives some (``answer.grounds``)."""
    for rank, doc in enumerate(plans[:PLANS_TRIED]):
        before = preamble(by_doc.get(doc, []))
        if ground_items(before, query.folded):
            return SectionMatch(doc, BASIS_HEADING, tuple(before), 1.0 - 0.25 * rank)
    return None


# a bullet of a Vietnamese plan opens with a capital ("- Tổ chức …"); a line opening "- 2030 phấn
# đấu …" is the rest of "giai đoạn 2026 - 2030" cut by a hard wrap, not an item of its own
_CONTINUATION = re.compile(r"^[-–]\s*(?:\d|[a-zđà-ỹ])")
# an item of a plan opens with its enumerator or bullet ("I.", "2.", "2.1.", "a)", "-", "+") and
# closes with "." or ";": a line of markdown hard-wrapped from a web page ("… trước ngày 20/11 về
# Sở" / "Khoa học và Công nghệ để tổng hợp.") that follows an unclosed full-width line and opens
# with neither goes on the same sentence
_OPENS_ITEM = re.compile(r"^(?:[IVXLC]+\.|\d+(?:\.\d+)*\.?|[a-zđ]\))\s|^[-–•*+]")
WRAP_WIDTH = 40  # a raw line this long that stops unclosed was cut by the wrap, not a short label


def section_items(text: str, heading: str = "") -> list[str]:
    """The items of a section's passage, one per line, in the plan's order: the heading said in
    the answer's head line is left out, and a line broken by a hard wrap is joined again."""
    items: list[str] = []
    last = ""  # the previous raw line
    for raw in text.split("\n"):
        line = " ".join(raw.split())
        if not line:
            continue
        wrapped = len(last) >= WRAP_WIDTH and not last.endswith((".", ";", ":", "!", "?", "*"))
        last = line
        if items and wrapped and not _OPENS_ITEM.match(line):
            items[-1] += " " + line
            continue
        if not items and heading and line.startswith(heading):
            line = line[len(heading) :].strip(" :-–")  # said in the head line
            if not line:
                continue
        if items and _CONTINUATION.match(line) and not items[-1].endswith((".", ";", ":", "!", "?")):
            items[-1] += " " + line
            continue
        items.append(line.lstrip("-–•*+ ") or line)  # the answer writes its own bullets
    return items


def _plans(ev: Evidence, query: Query) -> list[str]:
    """The plans the question is about: the one filtered, else the best-ranked distinct plans."""
    if query.filters.get("doc"):
        return [query.filters["doc"]]
    if len(query.named) == 1:
        # the one plan the question names by a name only it holds ("Sin Quyền", its title words):
        # its section is asked, not that of a better-ranked plan sharing the section's words
        return list(query.named)
    out: list[str] = []
    for h in ev.hits:
        if h.passage.doc not in out:
            out.append(h.passage.doc)
    return out


class SectionHandler(Handler):
    name = "section"

    def detect(self, query: Query) -> float:
        # a section asked whole ("Mục đích của kế hoạch X là gì?"), not a unit's part in it
        if query.section is None or query.intent not in _DELEGATES or query.catalogue:
            return 0.0
        return 1.0

    def gather(self, query: Query, snapshot: IndexSnapshot) -> Evidence:
        ev = _DELEGATES[query.intent].gather(query, snapshot)
        return add_plan_passages(ev, snapshot, set(_plans(ev, query)[:PLANS_TRIED]))

    def scored_as(self, ctx: AnswerContext) -> str:
        # a section found is answered as the list of its lines (the list family's answer to "những
        # … nào" under a heading); else the family the question was handed to answered it
        query = ctx.query
        if find_section(query, _plans(ctx.evidence, query), ctx.evidence.doc_passages, ctx.idf):
            return ListHandler.name
        return _DELEGATES[query.intent].scored_as(ctx)

    def compose(self, ctx: AnswerContext) -> Answer | None:
        query = ctx.query
        found = find_section(query, _plans(ctx.evidence, query), ctx.evidence.doc_passages, ctx.idf)
        if found is None:
            return _DELEGATES[query.intent].compose(ctx)
        cites = Cites(ctx.docs)
        items: list[tuple[str, int]] = []
        if query.section is SectionKind.BASIS:
            items = [
                (t, cites.add(p, p.text, 1.0)) for t, p in ground_items(list(found.passages), query.folded)
            ]
        for p in found.passages[: MAX_ITEMS * 3] if query.section is not SectionKind.BASIS else ():
            n = cites.add(p, p.text, 1.0)
            items += [(x, n) for x in section_items(p.text, found.heading)]
        if not items:
            return _DELEGATES[query.intent].compose(ctx)
        # every item is written, shortened to share the answer's room; the citations hold them whole
        width = max(MIN_ITEM_CHARS, min(ITEM_CHARS, ANSWER_CHARS // len(items)))
        # one [n] after the last item each passage gives, not after every item
        lines = [
            shorten(t, width) + (f" [{n}]" if i + 1 == len(items) or items[i + 1][1] != n else "")
            for i, (t, n) in enumerate(items)
        ]
        if len(lines) > MAX_ITEMS:
            # more items than lines: pack them, the citations hold every item whole
            per = -(-len(lines) // MAX_ITEMS)
            lines = [
                "; ".join(x.rstrip(" .;") if not x.endswith("]") else x for x in lines[i : i + per])
                for i in range(0, len(lines), per)
            ]
        head = f"{found.heading.strip().rstrip(':')} — {plan_label(found.doc, ctx.docs)}:"
        return Answer(
            question=query.text,
            answer="\n".join([head, *(f"• {x}" for x in lines)]),
            intent=str(query.intent),
            citations=cites.items,
        )
