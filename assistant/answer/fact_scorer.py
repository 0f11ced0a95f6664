"""Which sentence answers a fact question: a small learned scorer over the candidates
``facts.best_fact_segment`` weighs.

The hand score of a candidate segment is coverage + 0.6·relevance + a dozen bonuses (the asked
unit leads the passage, an annex asked, the addressee of a report, the rule's preferred form, a
total, a band, word pairs, a slogan's label), each weight set against development examples. Issue
12: where a rule would be tuned by hand, prefer a learned scorer over structural and lexical
features. Here each of those hand terms is one feature, beside the candidate's structure (its
passage's rank and kind, the segment's length and place, whether it holds the date / number /
percentage the rule asks for, the question's words in its heading path). The weights are a
linear model trained by ``python -m eval.fact_train`` on the development questions only (group
k-fold by plan), stored as JSON (``assistant/data/fact_scorer.json``, format and version checked
on load, never a pickle).

Serving: ``fact_hook.rescore`` is the one call ``best_fact_segment`` makes per candidate. With no model
active it returns the hand score unchanged; ``scoring(model)`` (set from ``Settings.fact_scorer``
by ``registry.answer``) replaces it by the model's score; the hard filters (``rule.require``,
headings, the relevance cutoff) stay in ``best_fact_segment``. ``recording()`` collects every
candidate's features with its hand score: what the trainer learns from, by the runtime's own code.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from assistant.answer.addressees import addressees
from assistant.answer.common import QUOTE_RE
from assistant.answer.evidence import coverage
from assistant.answer.fact_hook import Candidate, rescoring
from assistant.answer.facts import (
    _DAY_RE,
    _SLOGAN_ASK,
    _TOTAL_ASK,
    _TOTAL_RE,
    FactRule,
    _bands,
    _capitals,
    _word_pairs,
)
from assistant.answer.times import cited_dates_removed, time_cell
from assistant.errors import AssistantError
from assistant.linear_model import LinearModel, ModelSpec, read_linear_model
from assistant.query.model import Query
from assistant.textnorm import fold

__all__ = [
    "FORMAT",
    "VERSION",
    "FEATURES",
    "FACT_SCORER_PATH",
    "FactScorer",
    "FactScorerFileError",
    "Recorded",
    "load_fact_scorer",
    "default_fact_scorer",
    "for_settings",
    "features",
    "scoring",
    "recording",
]

FORMAT = "tlkh-fact-scorer"
VERSION = 1
FACT_SCORER_PATH = Path(__file__).resolve().parent.parent / "data" / "fact_scorer.json"

FEATURES: tuple[str, ...] = (
    # today's hand terms, one feature each (their hand weights in brackets)
    "coverage",  # the question's key terms in the segment read with its list lead-in (1)
    "relevance",  # the passage's relevance (0.6)
    "relevance_share",  # …as a share of the best passage's in this call
    "lead_unit",  # a unit the question names leads the passage (0.15)
    "annex",  # an annex asked and the passage is one (0.35)
    "sends_to",  # the segment sends to the unit the question reports to (+0.3 each)
    "starts_with_addressee",  # …or starts with that unit, reporting on to someone else (-0.3 each)
    "prefer",  # the rule's preferred form of the value (0.35)
    "total",  # a total asked and the segment writes one (0.3)
    "band",  # the band or rate asked is written in the segment (1.0)
    "pairs",  # share of the question's word pairs in the segment (0.1)
    "label",  # the slogan's label line names what was asked (0.35)
    # the passage
    "rank_inv",  # 1 / the passage's retrieval rank (passages of the plan read past the hits: low)
    "retrieved",  # the passage came from retrieval (not the rest of the plan)
    "table_row",
    "list_item",
    "heading_cov",  # the question's key terms in the passage's last two headings
    "has_lead",  # the passage has a lead unit of its own
    # the segment
    "seg_cov",  # key terms in the segment alone
    "log_len",
    "short",  # under 40 characters: a label or a fragment
    "first",  # the passage's first segment
    "position",  # where in the passage it starts (0 … 1)
    "lead_in",  # an item of an inline list (read with its lead-in)
    "capitals",  # a heading line in capitals
    "labelled",  # a "Nhãn: giá trị" line ("Thời gian: …", "Địa điểm: …")
    "quoted",  # holds a quotation
    "unit_in_seg",  # a unit the question names is written in the segment
    # the value the rule asks for, in the segment
    "time_rule_date",  # a time is asked and the segment writes a day or a time cell
    "number_rule_digit",  # a number is asked and the segment writes a digit
    "percent_rule_pct",  # a rate is asked and the segment writes a percentage
    "has_digit",
    "has_percent",
)

_TIME_RULES = frozenset({"when", "day", "span", "cited_date"})
_LABELLED = re.compile(r"^[\s\-+•*\w.)]{0,8}[^\W\d][^:\n]{1,40}:\s*\S")


class FactScorerFileError(AssistantError):
    """The fact scorer's JSON is missing, of another format or version, or malformed."""


@dataclass(frozen=True)
class FactScorer(LinearModel):
    """A linear score over standardised ``FEATURES``: higher is the likelier answer."""

    def to_json(self, **meta: Any) -> dict[str, Any]:
        return {**self.columns(FORMAT, VERSION), **meta}


_SPEC = ModelSpec(
    fmt=FORMAT,
    version=VERSION,
    features=FEATURES,
    error=FactScorerFileError,
    what_vi="chọn câu trả lời dữ kiện",
    what_en="fact scorer",
    mismatch_en="its features differ from fact_scorer.FEATURES",
    hints=("Run `python -m eval.fact_train --work W` to retrain it, or set TLKH_FACT_SCORER=false.",) * 3,
)


def load_fact_scorer(path: Path = FACT_SCORER_PATH) -> FactScorer:
    """The scorer stored at ``path``; a clear error for another format, version or feature set."""
    _, mean, scale, weights = read_linear_model(path, _SPEC)
    return FactScorer(FEATURES, mean, scale, weights)


@cache
def default_fact_scorer() -> FactScorer:
    return load_fact_scorer(FACT_SCORER_PATH)


def for_settings(settings: Any) -> FactScorer | None:
    """The stored scorer when ``settings.fact_scorer`` is on, else None (the hand score)."""
    return default_fact_scorer() if getattr(settings, "fact_scorer", False) else None


@dataclass
class Recorded:
    """One call of ``best_fact_segment``: its candidates' features, hand scores and texts."""

    x: list[dict[str, float]] = field(default_factory=list)
    hand: list[float] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    passages: list[str] = field(default_factory=list)
    rule: str = ""
    key: Any = None  # the call's relevance list: one object per call, kept alive here


_ACTIVE: ContextVar[FactScorer | None] = ContextVar("fact_scorer", default=None)
_RECORDER: ContextVar[list[Recorded] | None] = ContextVar("fact_recorder", default=None)


@contextmanager
def scoring(model: FactScorer | None) -> Iterator[None]:
    """Within the block, ``best_fact_segment`` ranks its candidates by ``model`` (None: by hand)."""
    token = _ACTIVE.set(model)
    try:
        if model is None:
            # off (the default): no rescorer installed, so the hand score stands without a
            # per-segment call on every answer (a recorder's own, if any, still runs)
            yield
        else:
            with rescoring(_rescore):
                yield
    finally:
        _ACTIVE.reset(token)


@contextmanager
def recording() -> Iterator[list[Recorded]]:
    """Within the block, every candidate weighed is recorded, one ``Recorded`` per call."""
    calls: list[Recorded] = []
    token = _RECORDER.set(calls)
    try:
        with rescoring(_rescore):
            yield calls
    finally:
        _RECORDER.reset(token)


def _rescore(hand: float, c: Candidate, rel_list: Any = None) -> float:
    """``fact_hook.rescore`` within ``scoring`` / ``recording``: the model's score when one is
    active, else ``hand``; recorded when ``recording``."""
    calls, model = _RECORDER.get(), _ACTIVE.get()
    if calls is None and model is None:
        return hand
    x = features(c)
    if calls is not None:
        if not calls or calls[-1].key is not rel_list or rel_list is None:
            calls.append(Recorded(rule=c.rule.name, key=rel_list))
        rec = calls[-1]
        rec.x.append(x)
        rec.hand.append(hand)
        rec.texts.append(c.judged)
        rec.passages.append(c.hit.passage.id)
    return model.score(x) if model is not None else hand


@dataclass(frozen=True)
class _Asked:
    """What the question asks, read once per question (as ``best_fact_segment`` reads it)."""

    to_unit: tuple[str, ...]
    pairs: frozenset[str]
    total: bool
    bands: frozenset[str]
    annex: bool
    label: str
    units: tuple[str, ...]


_LAST: list[tuple[Query, str, _Asked]] = []


def _asked(query: Query, rule: FactRule) -> _Asked:
    last = _LAST[0] if _LAST else None  # one read: another thread may replace it meanwhile
    if last is not None and last[0] is query and last[1] == rule.name:
        return last[2]
    folded = query.folded or fold(query.text)
    said = _SLOGAN_ASK.search(query.folded) if rule.name == "slogan" else None
    a = _Asked(
        to_unit=tuple(addressees(query)),
        pairs=frozenset(_word_pairs(folded)),
        total=bool(_TOTAL_ASK.search(folded)),
        bands=frozenset(_bands(query.text)),
        annex=bool(re.search(r"\bphu luc\b", folded)),
        label=said.group(1) if said else "",
        units=tuple(fold(u) for u in query.units or ()),
    )
    _LAST[:] = [(query, rule.name, a)]
    return a


def features(c: Candidate) -> dict[str, float]:
    """The candidate's ``FEATURES``: today's hand terms apart, and its structure."""
    q, p, seg, idf = c.query, c.hit.passage, c.seg, c.idf
    ask = _asked(q, c.rule)
    fs = fold(seg)
    sends = sum(bool(re.search(rf"\b(ve|gui|len|toi|den|cho) {re.escape(u)}", fs)) for u in ask.to_unit)
    starts = sum(
        not re.search(rf"\b(ve|gui|len|toi|den|cho) {re.escape(u)}", fs) and fs.lstrip(" -+•*").startswith(u)
        for u in ask.to_unit
    )
    bare = cited_dates_removed(seg)
    dated = bool(time_cell(c.judged)) or bool(_DAY_RE.search(bare))
    digit = bool(re.search(r"\d", seg))
    pct = bool(re.search(r"\d\s*%", seg))
    name = c.rule.name
    return {
        "coverage": coverage(q.terms, c.scored, idf),
        "relevance": c.relevance,
        "relevance_share": c.relevance / c.top_relevance if c.top_relevance > 0 else 0.0,
        "lead_unit": float(bool(q.units and set(q.units) & set(p.lead))),
        "annex": float(ask.annex and p.embed_text.startswith("Phụ lục")),
        "sends_to": float(sends),
        "starts_with_addressee": float(starts),
        "prefer": float(c.rule.prefer is not None and c.rule.prefer(c.scored)),
        "total": float(ask.total and bool(_TOTAL_RE.search(fs))),
        "band": float(bool(ask.bands & _bands(seg))),
        "pairs": len(ask.pairs & _word_pairs(fold(c.scored))) / len(ask.pairs) if ask.pairs else 0.0,
        "label": float(bool(c.label and ask.label and ask.label in fold(c.label))),
        "rank_inv": 1.0 / max(c.hit.rank, 1),
        "retrieved": float(c.hit.score > 0),
        "table_row": float(p.kind == "table_row"),
        "list_item": float(p.kind == "list_item"),
        "heading_cov": coverage(q.terms, " ".join(p.section[-2:]), idf),
        "has_lead": float(bool(p.lead)),
        "seg_cov": coverage(q.terms, seg, idf),
        "log_len": math.log1p(len(seg)),
        "short": float(len(seg.strip()) < 40),
        "first": float(c.start == 0),
        "position": c.start / max(len(p.text), 1),
        "lead_in": float(c.scored != c.judged),
        "capitals": float(_capitals(seg)),
        "labelled": float(bool(_LABELLED.match(seg))),
        "quoted": float(bool(QUOTE_RE.search(seg))),
        "unit_in_seg": float(any(u and u in fs for u in ask.units)),
        "time_rule_date": float(name in _TIME_RULES and dated),
        "number_rule_digit": float(name.startswith(("number", "rank")) and digit),
        "percent_rule_pct": float(name == "percent" and pct),
        "has_digit": float(digit),
        "has_percent": float(pct),
    }
