"""Shared pieces of the extractive composers: evidence bundle, citations, relevance.

Every quote a ``Cites`` records goes through ``evidence.verbatim_quote``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

from assistant.answer.absence import Vocabulary
from assistant.answer.evidence import Idf, best_segment, coverage, verbatim_quote, with_content
from assistant.query.model import Query
from assistant.records import REFUSAL_TEXT, Answer, Citation, DocMeta, Hit, Passage
from assistant.settings import Settings
from assistant.textnorm import fold
from assistant.vocab.documents import document_label
from assistant.vocab.places import locality_label

__all__ = [
    "Evidence",
    "AnswerContext",
    "REFUSE_BELOW",
    "Cites",
    "plan_label",
    "title_of",
    "haystack",
    "relevance",
    "evidence_score",
    "quote_for",
    "own_heading",
    "other_numbered_unit",
    "refusal",
    "units_line",
    "fold_",
    "QUOTE_RE",
]

QUOTE_RE = re.compile(r"[“\"«]([^”\"»]{3,200})[”\"»]")


@dataclass
class Evidence:
    """What the core retrieved for one question."""

    hits: list[Hit] = field(default_factory=list)  # main retrieval, best first
    per_doc: dict[str, list[Hit]] = field(default_factory=dict)  # compare: hits per plan
    unit_rows: list[tuple[Passage, str, float]] = field(
        default_factory=list
    )  # unit_tasks: (passage, role, score)
    metadata: dict[str, Passage] = field(default_factory=dict)  # doc → its metadata passage
    doc_passages: dict[str, list[Passage]] = field(default_factory=dict)  # fact: passages of the asked plan

    def plan_pool(self, doc: str) -> list[Passage]:
        """The plan's passages: gathered whole when they were, else those retrieved."""
        return self.doc_passages.get(doc) or [h.passage for h in self.hits if h.passage.doc == doc]


# the one default: the settings' (a composer called without settings refuses like the app does)
REFUSE_BELOW: float = Settings.model_fields["refuse_below"].default


@dataclass
class AnswerContext:
    """Everything a handler composes from: the question, its evidence, the plans, the IDF table."""

    query: Query
    evidence: Evidence
    docs: dict[str, DocMeta]
    idf: Idf | None = None
    refuse_below: float = REFUSE_BELOW
    # every loaded plan's words (``IndexSnapshot.vocabulary``): what a question names that its
    # plan never writes argues for refusing; None reads them from the retrieved passages only
    vocabulary: Vocabulary | None = None

    @property
    def hits(self) -> list[Hit]:
        return self.evidence.hits

    def with_query(self, **changes: Any) -> AnswerContext:
        """The same evidence for a narrowed question (one plan of a comparison)."""
        return replace(self, query=replace(self.query, **changes))


def plan_label(doc: str, docs: dict[str, DocMeta]) -> str:
    """A short name an official recognises: "Kế hoạch 183/KH-UBND (Đồng Nai)"."""
    m = docs.get(doc)
    if m is None:
        return doc
    place = locality_label(m.issuer) or m.district or m.province
    # by number, else by title (vocab.documents.document_label): never "Kế hoạch Lào Cai 2026" for every draft
    return (
        document_label(m.doc_type, m.number, m.title, place, m.date)
        if (m.number or m.title or place or m.date)
        else f"{m.doc_type or 'Kế hoạch'} {doc}"
    )


def title_of(doc: str, docs: dict[str, DocMeta]) -> str:
    m = docs.get(doc)
    return (m.title if m and m.title else None) or plan_label(doc, docs)


class Cites:
    """Numbered citations, one per passage, in order of first use."""

    def __init__(self, docs: dict[str, DocMeta]):
        self.docs = docs
        self.items: list[Citation] = []
        self._by_id: dict[str, Citation] = {}

    def add(self, p: Passage, quote: str = "", score: float = 0.0, related_only: bool = False) -> int:
        if p.id in self._by_id:
            c = self._by_id[p.id]
            if not c.quote and quote:
                c.quote = verbatim_quote(p.text, quote)
            return c.n
        c = Citation(
            n=len(self.items) + 1,
            passage_id=p.id,
            doc=p.doc,
            title=title_of(p.doc, self.docs),
            section=p.section_path,
            text=p.text,
            quote=verbatim_quote(p.text, quote),
            score=round(float(score), 4),
            related_only=related_only,
            page=p.page,
            kind=p.kind,
        )
        self.items.append(c)
        self._by_id[p.id] = c
        return c.n


def haystack(p: Passage) -> str:
    return p.embed_text or " ".join((*p.section, p.text))


def norm_scores(hits: list[Hit]) -> list[float]:
    if not hits:
        return []
    top = max(h.score for h in hits)
    low = min(h.score for h in hits)
    if top <= 0 or top == low:
        return [1.0 / (1 + 0.15 * i) for i in range(len(hits))]
    return [max(0.0, (h.score - low) / (top - low)) * 0.8 + 0.2 for h in hits]


def relevance(query: Query, hits: list[Hit], idf: Idf | None) -> list[float]:
    """Per hit: retrieval score blended with how much of the question the passage covers."""
    ns = norm_scores(hits)
    # a heading that names the question's topic ("III. KINH PHÍ") marks the passage about it
    return [
        0.45 * n
        + 0.55 * coverage(query.terms, haystack(h.passage), idf)
        + 0.15 * coverage(query.terms, " ".join(h.passage.section[-2:]), idf)
        for h, n in zip(hits, ns)
    ]


def evidence_score(query: Query, hits: list[Hit], idf: Idf | None = None, depth: int = 3) -> float:
    """How well the best passages support an answer: coverage of the question's key terms.

    Coverage is IDF-weighted, so a question whose rare words appear in no passage scores
    low even when common words match. Dense similarity is left out on purpose: e5's
    cosines sit in a narrow band (about 0.83–0.92 on these plans) for related and
    unrelated passages alike, so it moved every question up by the same amount.
    """
    if not hits:
        return 0.0
    if not query.terms:
        return 0.5
    return max(coverage(query.terms, haystack(h.passage), idf) for h in hits[:depth])


def own_heading(p: Passage, seg: str) -> bool:
    """The segment is the passage's heading repeated as its first line ("1. Mục đích")."""
    key = fold(seg).strip(" .:;")
    return bool(p.section) and bool(key) and key == fold(p.section[-1]).strip(" .:;")


# Numbered offices and groups: "Chi nhánh Khu vực 14", "Đội 3", "Tổ 2", "Cụm thi
# đua 5". The number is part of the name: a passage about number 14 says nothing of number 1.
_NUMBERED = re.compile(r"\b(khu vuc|chi nhanh|doi|to|cum|vung)\s+0*(\d{1,3})\b")


def other_numbered_unit(question: str, text: str) -> bool:
    """The question names a numbered unit and the passage names the same kind of unit with
    other numbers only ("Khu vực 1" asked, "Khu vực 14" written)."""
    asked = {(m.group(1), m.group(2)) for m in _NUMBERED.finditer(fold(question))}
    if not asked:
        return False
    written: dict[str, set[str]] = {}
    for m in _NUMBERED.finditer(fold(text)):
        written.setdefault(m.group(1), set()).add(m.group(2))
    return any(noun in written and num not in written[noun] for noun, num in asked)


def quote_for(p: Passage, query: Query, idf: Idf | None, pattern: re.Pattern | None = None) -> str:
    """The passage's segment that holds most of the question; never the passage's own heading
    when it has content under it (the heading names the section, its lines answer)."""
    span = best_segment(p.text, query.terms, idf=idf, pattern=pattern)
    if not span:
        return ""
    seg = p.text[span[0] : span[1]]
    if own_heading(p, seg):
        rest = p.text[span[1] :]
        inner = best_segment(rest, query.terms, idf=idf, pattern=pattern)
        if inner and rest[inner[0] : inner[1]].strip():
            return rest[inner[0] : inner[1]]
    a, b = with_content(p.text, span)
    return p.text[a:b]


def refusal(
    ctx: AnswerContext, hits: list[Hit] | None = None, *, notice: str | None = None, depth: int = 3
) -> Answer:
    """The honest answer: not found, with the closest passages marked as possibly related."""
    query, idf = ctx.query, ctx.idf
    hits = ctx.hits if hits is None else hits
    cites = Cites(ctx.docs)
    for h in hits[:depth]:
        cites.add(h.passage, quote_for(h.passage, query, idf), h.score, related_only=True)
    return Answer(
        question=query.text,
        answer=REFUSAL_TEXT,
        refused=True,
        intent=query.intent,
        citations=cites.items,
        notice=notice,
    )


def units_line(units: tuple[str, ...] | list[str]) -> str:
    return ", ".join(units)


def fold_(text: str) -> str:
    return fold(text)
