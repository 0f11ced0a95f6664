"""Is this answer supported by the plans? A small learned scorer decides whether to refuse.

Refusing used to be one hand-set rule (IDF coverage of the question's terms by the best
passages below ``refuse_below``).  That rule refused answers sitting in a table cell or a
numbered line typed without diacritics, and answered questions about a year or a figure the
plan never names.  Here the decision is a logistic regression over structural and lexical
features of the question, the retrieved passages and the handler's answer, trained by
``python -m eval.calibrate`` on the development questions only and stored as JSON
(``assistant/data/refusal_scorer.json``, a format version checked on load; never a pickle).

``decide`` is the one place that turns the handler's answer into the final one:

- score ≥ threshold and the handler answered: its answer;
- score ≥ threshold and the handler refused: the best passages with their quotes (issue 12:
  "when no handler is confident, answer from the best passages rather than refuse");
- score < threshold: the refusal, with the closest passages marked as possibly related.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from assistant.answer.absence import (
    ABSENCE_FEATURES,
    absence_features,
    asks_figure,
    numbers_in,
    same_tier,
    single_years,
    slot_missing,
    years_in,
)
from assistant.answer.common import AnswerContext, evidence_score, plan_label, refusal, title_of
from assistant.answer.evidence import coverage
from assistant.answer.extractive import compose_passages
from assistant.answer.facts import is_meta
from assistant.answer.handler import weak
from assistant.answer.refusal_rules import cited_texts, floor_blocks, own_lines
from assistant.errors import AssistantError
from assistant.linear_model import LinearModel, ModelSpec, read_linear_model
from assistant.records import Answer, DocMeta, Hit, Passage
from assistant.textnorm import fold, nfc
from assistant.vocab.tokens import folded_tokens
from assistant.vocab.units import local_tier

__all__ = [
    "FORMAT",
    "VERSION",
    "FEATURES",
    "HANDLER_NAMES",
    "SCORER_PATH",
    "ScorerFileError",
    "Scorer",
    "load_scorer",
    "default_scorer",
    "features",
    "decide",
    "recording",
]

FORMAT = "tlkh-refusal-scorer"
VERSION = 5  # 2: the absence features (answer.absence) added; 3: month and cited-phrase ones;
# 4: the phrases naming the plan are no missing phrase, a cited date or the date line no time given;
# 5: a citation marker is no figure given (slot_missing), year_in_period_cited added
SCORER_PATH = Path(__file__).resolve().parent.parent / "data" / "refusal_scorer.json"

# the handlers of answer.registry (a handler not listed gets no indicator: the others decide)
HANDLER_NAMES = ("unit_tasks", "lead_unit", "partner_unit", "fact", "list", "compare", "passages")

FEATURES: tuple[str, ...] = (
    # lexical: the question's content terms in the evidence
    "cov_top3",  # IDF-weighted coverage by the best of the top 3 passages (the old refusal rule)
    "cov_top1",
    "cov_cited",  # by the passages the answer cites (heading path and unit cells included)
    "cov_accented",  # the question's words as typed, diacritics kept (equals cov_top3 when typed without)
    "typed_plain",  # the question has no diacritics at all
    "n_terms",
    # retrieval scores and margins
    "fused_top1",
    "fused_margin",
    "dense_top1",
    "dense_margin",
    "lexical_top1",
    "lexical_margin",
    # what the question names, found or not in the evidence
    "asks_year",
    "year_missing",
    "year_missing_cited",  # …from the passages the answer cites (the figure must sit beside it)
    # a figure asked for one year that the cited passages cover only inside a period ("03 năm
    # 2026 - 2028"): a plan gives a period's figures year by year, a line or a column each
    "year_in_period_cited",
    "asks_number",
    "number_missing",
    "number_missing_cited",
    "asks_unit",
    "unit_missing",
    "asks_place",
    "place_missing",
    "names_plan",  # the question names a loaded plan (by number, kind or subject)
    "plan_missing",  # …and none of the best passages is from it
    # the handler
    "own_answered",  # the question's handler answered itself (did not refuse, no fallback)
    "slot_matched",  # …and filled the slot asked (a unit for who-leads questions)
    "meta_fact",  # signer / issuer / the plan's own number or date: read from the header card
    "n_citations",
    *(f"handler_{n}" for n in HANDLER_NAMES),
    # what the question names that the plan the answer comes from never writes (answer.absence)
    *ABSENCE_FEATURES,
)

# "giai đoạn 2021 - 2025", "2021-2025": a plan's period covers every year inside it
_RANGE = re.compile(r"((?:19|20)\d\d)\s*[-–—]\s*((?:19|20)\d\d)")
_WORD = re.compile(r"\w+", re.UNICODE)


def _year_of_title(year: int) -> re.Pattern[str]:
    """ "năm 2026", "đến năm 2030": a year as a trích yếu writes it (folded)."""
    return re.compile(rf"\b(?:nam|den nam|giai doan|dot)\s+{year}\b")


class ScorerFileError(AssistantError):
    """The refusal scorer's JSON is missing, of another format or version, or malformed."""


@dataclass(frozen=True)
class Scorer(LinearModel):
    """Logistic regression over standardised ``FEATURES``; ``threshold`` chosen on the dev split."""

    bias: float
    threshold: float

    def prob(self, x: dict[str, float]) -> float:
        z = self.bias + self.score(x)
        return 1.0 / (1.0 + math.exp(-max(-40.0, min(40.0, z))))

    def to_json(self, **meta: Any) -> dict[str, Any]:
        return {**self.columns(FORMAT, VERSION), "bias": self.bias, "threshold": self.threshold, **meta}


_SPEC = ModelSpec(
    fmt=FORMAT,
    version=VERSION,
    features=FEATURES,
    error=ScorerFileError,
    what_vi="từ chối trả lời",
    what_en="refusal scorer",
    mismatch_en="its features differ from confidence.FEATURES",
    hints=(
        "Run `python -m eval.calibrate` to retrain it.",
        "Run `python -m eval.calibrate` to retrain it for this version.",
        "Run `python -m eval.calibrate` to retrain it.",
    ),
)


def load_scorer(path: Path = SCORER_PATH) -> Scorer:
    """The scorer stored at ``path``; a clear error for another format, version or feature set."""
    data, mean, scale, weights = read_linear_model(path, _SPEC)
    return Scorer(FEATURES, mean, scale, weights, float(data["bias"]), float(data["threshold"]))


@cache
def default_scorer() -> Scorer:
    return load_scorer(SCORER_PATH)


# --- features ------------------------------------------------------------------------------
def _view(p: Passage, docs: dict[str, DocMeta]) -> str:
    """A passage as evidence: heading path, unit cells, caption, text, and its plan's header
    card (title, number, date, signer), where a question's year or number is usually named."""
    m = docs.get(p.doc)
    card = [m.title, m.number or "", m.date or "", m.date_text or "", m.signer or ""] if m else []
    return "\n".join([*own_lines(p), *card])


def _units(p: Passage) -> tuple[str, ...]:
    return (*p.lead, *p.partners, *p.requested)


def _tiers(units: set[str]) -> set[str]:
    return {t for u in units if (t := local_tier(u))}


def _stated_level(p: Passage, docs: dict[str, DocMeta]) -> str:
    """Where a passage's figures get their years: its own text and heading when they state some,
    else the nearest heading above that does, else its plan's card. "II. DỰ BÁO … 03 NĂM 2026 -
    2028" over "1. Dự báo … đến năm 2026": the figures under the sub-heading are for 2026."""
    m = docs.get(p.doc)
    card = " ".join(x or "" for x in (m.title, m.date)) if m else ""
    levels = [" ".join((p.text, *p.section[-1:])), *reversed(p.section[:-1]), card]
    return next((level for level in levels if years_in(level)), "")


def _stated_years(p: Passage, docs: dict[str, DocMeta]) -> set[int]:
    """The years a passage's figures are given for, the years inside a stated period included."""
    return years_in(_stated_level(p, docs))


def _accented_words(text: str) -> set[str]:
    return {w for w in _WORD.findall(nfc(text).lower()) if fold(w) != w}


def _share(asked: set[str], have: set[str]) -> float:
    return sum(1 for a in asked if a in have) / len(asked) if asked else 0.0


def _margin(vals: list[float]) -> float:
    if len(vals) < 2:
        return 1.0 if vals else 0.0
    top = vals[0]
    return (top - vals[1]) / top if top > 0 else 0.0


def _retrieval(hits: list[Hit]) -> dict[str, float]:
    # the fused scores best first: the scorer was trained on the fused order, where the first hit
    # holds the best score; the learned reranker (``assistant.rerank``) may put a lower one first,
    # and a negative margin is a reading the scorer never saw
    fused = sorted((h.score for h in hits[:5]), reverse=True)
    dense = sorted((h.dense for h in hits[:10] if h.dense is not None), reverse=True)
    lexical = sorted((h.lexical for h in hits[:10] if h.lexical is not None), reverse=True)
    return {
        "fused_top1": fused[0] if fused else 0.0,
        "fused_margin": _margin(fused),
        "dense_top1": dense[0] if dense else math.nan,
        # e5 cosines sit in a narrow band: the gap to the next ones says more than the level
        "dense_margin": dense[0] - sum(dense[1:5]) / len(dense[1:5]) if len(dense) > 1 else math.nan,
        "lexical_top1": math.log1p(lexical[0]) if lexical else math.nan,
        "lexical_margin": _margin(lexical) if lexical else math.nan,
    }


def features(
    ctx: AnswerContext, handler: str, own: Answer | None, candidate: Answer | None
) -> dict[str, float]:
    """The scorer's inputs for one question: ``own`` is the handler's answer (None or refused when
    it had none), ``candidate`` the answer that would be given (own, else the best passages)."""
    query, hits, docs = ctx.query, ctx.hits, ctx.docs
    top = hits[:5]
    by_id = {h.passage.id: h.passage for h in hits}
    cited = [c for c in (candidate.citations if candidate else []) if not c.related_only]
    cited_views = [_view(by_id[c.passage_id], docs) if c.passage_id in by_id else c.text for c in cited]
    views = [_view(h.passage, docs) for h in top] + cited_views
    evidence = "\n".join(views)
    x: dict[str, float] = dict.fromkeys(FEATURES, 0.0)
    cov3 = evidence_score(query, hits, ctx.idf)
    x["cov_top3"] = cov3
    x["cov_top1"] = (
        coverage(query.terms, _view(top[0].passage, docs), ctx.idf) if top and query.terms else 0.0
    )
    x["cov_cited"] = coverage(query.terms, "\n".join(cited_views), ctx.idf) if cited and query.terms else 0.0
    # the content terms as typed: only those whose folded form is a key term of the question
    terms = set(query.terms)
    asked_acc = {w for w in _accented_words(query.text) if fold(w) in terms}
    x["typed_plain"] = 0.0 if _accented_words(query.text) else 1.0
    x["cov_accented"] = _share(asked_acc, _accented_words(evidence)) if asked_acc else cov3
    x["n_terms"] = min(len(query.terms), 12) / 12
    x.update(_retrieval(hits))
    # a year, a figure, a unit or a place the question names and the evidence never does is the
    # mark of an unanswerable question ("kế hoạch năm 2030", "bao nhiêu tỷ đồng" for a plan silent on it)
    years = years_in(query.text)
    x["asks_year"] = float(bool(years))
    x["year_missing"] = float(bool(years - years_in(evidence)))
    near = "\n".join(cited_views) if cited_views else evidence
    stated = (
        {
            y
            for c in cited
            for y in (_stated_years(by_id[c.passage_id], docs) if c.passage_id in by_id else years_in(c.text))
        }
        if cited
        else years_in(evidence)
    )
    # "Kế hoạch tài chính 03 năm 2026 - 2028 …", "kế hoạch kiểm tra tháng 5/2026": a period the
    # question quotes from the plan's title, or the plan's issue year, names the plan; a year of
    # its own ("GRDP năm 2028") asks for that year's figure
    cards = [m for c in cited if (m := docs.get(c.doc))]
    titles = " ".join(m.title or "" for m in cards)
    named_periods = {r for r in _RANGE.findall(query.text) if r in set(_RANGE.findall(titles))}
    asked = years_in(_RANGE.sub(lambda r: "" if r.groups() in named_periods else r.group(0), query.text))
    # "Quyết định về phòng, chống thiên tai năm 2026 …": a year the question quotes with the word
    # before it from the cited plan's trích yếu names the plan, as a period does
    asked -= {
        y
        for y in asked
        if _year_of_title(y).search(fold(titles)) and _year_of_title(y).search(fold(query.text))
    }
    issued = {int(m.date[:4]) for m in cards if m.date and m.date[:4].isdigit()}
    x["year_missing_cited"] = float(bool(asked - stated - issued))
    # a year the question writes on its own, not a period it asks about ("giai đoạn 2026 - 2028")
    one_year = single_years(query.text) & stated
    if one_year and cited and asks_figure(query):
        levels = [
            _stated_level(by_id[c.passage_id], docs) if c.passage_id in by_id else c.text for c in cited
        ]
        alone = set().union(*(single_years(t) for t in levels))
        x["year_in_period_cited"] = float(bool(one_year - alone - issued))
    # the figures the question gives, not the numbers of the documents it names ("kế hoạch 174"):
    # ``folded`` has those blanked
    nums = numbers_in(query.folded or query.text)
    x["asks_number"] = float(bool(nums))
    x["number_missing"] = 1.0 - _share(nums, numbers_in(evidence)) if nums else 0.0
    x["number_missing_cited"] = 1.0 - _share(nums, numbers_in(near)) if nums else 0.0
    folded_ev = " ".join(folded_tokens(evidence))
    if query.units:
        named = {u for h in top for u in (*h.passage.lead, *h.passage.partners, *h.passage.requested)}
        # the units of the passages cited (a handler may cite a plan's passage retrieval did not rank)
        own_units = {p.id: p for ps in ctx.evidence.doc_passages.values() for p in ps}
        named |= {
            u
            for c in cited
            if (p := by_id.get(c.passage_id) or own_units.get(c.passage_id))
            for u in _units(p)
        }
        found = [
            u in named or " ".join(folded_tokens(u)) in folded_ev or same_tier(u, _tiers(named))
            for u in query.units
        ]
        x["asks_unit"], x["unit_missing"] = 1.0, 1.0 - sum(found) / len(found)
    if query.places:
        seen = {fold(v) for h in top for v in (h.passage.province or "", h.passage.district or "") if v}
        seen |= {
            fold(v) for h in top if (m := docs.get(h.passage.doc)) for v in (m.province, m.district) if v
        }
        found = [fold(v) in seen or " ".join(folded_tokens(v)) in folded_ev for _k, v in query.places]
        x["asks_place"], x["place_missing"] = 1.0, 1.0 - sum(found) / len(found)
    if query.named:
        x["names_plan"] = 1.0
        x["plan_missing"] = float(not any(h.passage.doc in query.named for h in top))
    answered = own is not None and not own.refused
    x["own_answered"] = float(answered)
    needs_unit = handler in ("lead_unit", "partner_unit")
    has_unit = bool(own and any(own.units.get(k) for k in ("lead", "partners")))
    x["slot_matched"] = float(answered and (has_unit or not needs_unit))
    x["meta_fact"] = float(is_meta(query))
    x["n_citations"] = min(len(cited), 6) / 6
    if handler in HANDLER_NAMES:
        x[f"handler_{handler}"] = 1.0
    # the plan asked, else the plans the answer cites, else the best passage's
    plans = (
        sorted(query.named) or list(dict.fromkeys(c.doc for c in cited)) or [h.passage.doc for h in top[:1]]
    )
    # without the loaded plans' vocabulary (a composer called on hand-made evidence) nothing is
    # known of what the plan never writes: a few passages would make every other word "absent"
    labels = [f(d, docs) for d in {c.doc for c in cited} for f in (plan_label, title_of)]
    if ctx.vocabulary is not None:
        texts = [t for c in cited for t in cited_texts(c, by_id, docs)]
        x.update(absence_features(query, plans, ctx.vocabulary, docs, ctx.idf, candidate, labels, texts))
    elif candidate is not None and not candidate.refused:
        x["slot_missing"] = slot_missing(query, candidate, labels)  # read from the answer alone
    return x


# --- the decision --------------------------------------------------------------------------
_RECORD: list[dict[str, Any]] | None = None


@contextmanager
def recording() -> Iterator[list[dict[str, Any]]]:
    """Collect every decision's features (``eval.calibrate`` trains on them)."""
    global _RECORD
    saved, _RECORD = _RECORD, []
    try:
        yield _RECORD
    finally:
        _RECORD = saved


def decide(ctx: AnswerContext, handler: str, own: Answer | None, scorer: Scorer | None = None) -> Answer:
    """The final answer: the handler's, the best passages quoted, or a refusal, by the scorer."""
    answered = own is not None and not own.refused
    candidate = own if answered else compose_passages(ctx)
    x = features(ctx, handler, own, candidate)
    sc = scorer or default_scorer()
    p = sc.prob(x)
    # the rules that hold whatever the scorer says (``answer.refusal_rules``), each named
    blocks = floor_blocks(ctx, handler, own, candidate, x["cov_top3"], bool(x["meta_fact"]))
    floor_ok = not any(blocks.values())
    if _RECORD is not None:
        # the rule this scorer replaced: the handler's answer, else the passages unless weak
        old = own if own is not None else (None if weak(ctx) else candidate)
        _RECORD.append(
            {
                "question": ctx.query.text,
                "handler": handler,
                "features": x,
                "p": p,
                "blocks": [k for k, v in blocks.items() if v],
                "answers": (old, candidate),
            }
        )
    if p >= sc.threshold and candidate is not None and floor_ok:
        if not answered:
            candidate.intent = ctx.query.intent
        return candidate
    if own is not None and own.refused:
        return own  # the handler's own refusal keeps its notice and its related passages
    return refusal(ctx)
