"""The right passage first: a small learned reranker over the hybrid retriever's best candidates.

Fusion orders passages by two scores alone (e5 cosine, BM25); issue 12 measured the gold passage
at rank 1 for only 0.5–0.7 of the real-plan questions while it sat in the top 10 for most.  What
tells the right passage apart is mostly structural: the unit the question names standing in the
passage's own lead/partner cells rather than in its text, the question's words in its heading
path, a table row against a section heading, the plan the question names.  Rules weighing those
by hand would be tuned to the questions read, so the weights are learned instead: a linear model
over standardised ``FEATURES`` of each candidate, trained by ``python -m eval.rerank_train`` on the
development questions only (group k-fold by plan chooses the depth and the regularisation), stored
as JSON (``assistant/data/passage_reranker.json``, its format and version checked on load; never a
pickle).  ``Settings.rerank`` turns it off.

Every feature is relative to the question's own candidates (a rank, a share of the best score, a
z-score) or a property of the passage's structure, never a raw score whose scale belongs to the
embedder or the size of the collection.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from .errors import AssistantError
from .linear_model import LinearModel, ModelSpec, read_linear_model
from .query.model import Intent, Query
from .records import Hit, Passage
from .vocab.tokens import Idf, folded_tokens

__all__ = [
    "FORMAT",
    "VERSION",
    "FEATURES",
    "RERANKER_PATH",
    "RerankerFileError",
    "Reranker",
    "load_reranker",
    "default_reranker",
    "candidate_features",
    "rerank",
]

FORMAT = "tlkh-passage-reranker"
VERSION = 1
TOKENS_CACHE = 16_384  # passage texts and heading paths whose folded tokens are kept
RERANKER_PATH = Path(__file__).resolve().parent / "data" / "passage_reranker.json"

FEATURES: tuple[str, ...] = (
    # the retriever's own order and scores, relative to this question's candidates
    "fused_rank_inv",  # 1 / fused rank
    "fused_share",  # fused score / the best one
    "dense_rank_inv",  # 1 / rank by the cosine alone
    "dense_z",  # cosine as a z-score among the candidates (e5's cosines sit in a narrow band)
    "lexical_rank_inv",
    "lexical_share",  # BM25 / the best BM25 among the candidates
    # the question's key terms (the project's one tokeniser, IDF-weighted) in the passage
    "cov_text",
    "cov_heading",  # …in its heading path: plans name a task's subject in the heading above it
    "cov_units",  # …in its lead / partner cells
    "cov_all",
    "pairs_text",  # consecutive key terms found side by side: a phrase, not scattered words
    # the slots the question names, in the passage's own structure
    "unit_lead",  # a unit asked is the passage's lead (its own cell or the heading it falls under)
    "unit_partner",
    "unit_text",  # …only written in its text (often a partner or a recipient, not the lead)
    "unit_other",  # units asked, and the passage leads with other units only: another unit's row
    "year_found",
    "year_absent",
    "section_match",  # the plan section the question asks for ("mục đích") heads the passage
    "in_named",  # the passage is in a plan the question names
    "outside_named",
    # the passage's kind and shape
    "table_row",
    "metadata",
    "has_lead",
    "who_row",  # a who-leads question and a passage with a lead unit: where the answer is written
    "fact_card",  # a fact question (signer, date, number) and the plan's header card
    "depth",
    "log_len",
    "short",  # under 60 characters: a heading or a fragment, rarely the answer itself
)


class RerankerFileError(AssistantError):
    """The reranker's JSON is missing, of another format or version, or malformed."""


@dataclass(frozen=True)
class Reranker(LinearModel):
    """A linear score over standardised ``FEATURES``; the first ``depth`` candidates are reordered."""

    depth: int

    def to_json(self, **meta: Any) -> dict[str, Any]:
        return {**self.columns(FORMAT, VERSION), "depth": self.depth, **meta}


_SPEC = ModelSpec(
    fmt=FORMAT,
    version=VERSION,
    features=FEATURES,
    error=RerankerFileError,
    what_vi="xếp hạng đoạn văn",
    what_en="reranker",
    mismatch_en="its features or depth differ from rerank.FEATURES",
    hints=("Run `python -m eval.rerank_train` to retrain it, or set TLKH_RERANK=false.",) * 3,
)


def load_reranker(path: Path = RERANKER_PATH) -> Reranker:
    """The reranker stored at ``path``; a clear error for another format, version or feature set."""

    def depth_ok(data: dict[str, Any]) -> bool:
        return isinstance(data.get("depth"), int) and data["depth"] >= 2

    data, mean, scale, weights = read_linear_model(path, _SPEC, depth_ok)
    return Reranker(FEATURES, mean, scale, weights, data["depth"])


@cache
def default_reranker() -> Reranker:
    return load_reranker(RERANKER_PATH)


# --- features ------------------------------------------------------------------------------
def _cov(weighted: list[tuple[str, float]], have: frozenset[str]) -> float:
    """IDF-weighted share of the question's key terms in ``have`` (``answer.evidence.coverage``'s
    reading, with the weights taken once per question rather than once per candidate)."""
    total = sum(w for _, w in weighted)
    return sum(w for t, w in weighted if t in have) / total if total else 0.0


def _ranks(vals: list[float]) -> list[int]:
    """1-based rank of each value, best (highest) first; ties keep the fused order."""
    order = sorted(range(len(vals)), key=lambda i: -vals[i])
    out = [0] * len(vals)
    for r, i in enumerate(order, 1):
        out[i] = r
    return out


def _phrase(tokens: list[str]) -> str:
    return " " + " ".join(tokens) + " "


@lru_cache(maxsize=TOKENS_CACHE)
def _tokens(text: str) -> tuple[tuple[str, ...], frozenset[str], str]:
    """A text's folded tokens, as a set and space-joined: the same passages come back question
    after question, and folding is most of the reranker's own time."""
    t = tuple(folded_tokens(text))
    return t, frozenset(t), _phrase(list(t))


def _passage_features(
    query: Query, p: Passage, weighted: list[tuple[str, float]], units: list[list[str]]
) -> dict[str, float]:
    text_t, text_s, joined = _tokens(p.text)
    head_t, head_s, _ = _tokens(" ".join(p.section))
    _, unit_s, _ = _tokens(" ".join((*p.lead, *p.partners, *p.requested)))
    terms = query.terms
    pairs = [(a, b) for a, b in zip(terms, terms[1:])]
    x = {
        "cov_text": _cov(weighted, text_s),
        "cov_heading": _cov(weighted, head_s),
        "cov_units": _cov(weighted, unit_s),
        "cov_all": _cov(weighted, text_s | head_s | unit_s | _tokens(p.caption or "")[1]),
        "pairs_text": sum(f" {a} {b} " in joined for a, b in pairs) / len(pairs) if pairs else 0.0,
    }
    if query.units:
        lead, partners = set(p.lead), set(p.partners) | set(p.requested)
        in_lead = any(u in lead for u in query.units)
        x["unit_lead"] = float(in_lead)
        x["unit_partner"] = float(any(u in partners for u in query.units))
        in_text = any(_phrase(t) in joined for t in units if t)
        x["unit_text"] = float(in_text and not in_lead)
        x["unit_other"] = float(bool(p.lead) and not in_lead and not x["unit_partner"])
    if query.years:
        have = text_s | head_s
        found = any(y in have for y in query.years)
        x["year_found"], x["year_absent"] = float(found), float(not found)
    if query.section is not None:
        x["section_match"] = float(str(query.section.value) in _phrase([*head_t, *text_t[:12]]))
    if query.named:
        x["in_named"] = float(p.doc in query.named)
        x["outside_named"] = 1.0 - x["in_named"]
    x["table_row"] = float(p.kind == "table_row")
    x["metadata"] = float(p.kind == "metadata")
    x["has_lead"] = float(bool(p.lead))
    x["who_row"] = float(query.intent in (Intent.LEAD_UNIT, Intent.PARTNER_UNIT) and bool(p.lead))
    x["fact_card"] = float(query.intent == Intent.FACT and p.kind == "metadata")
    x["depth"] = min(len(p.section), 6) / 6
    x["log_len"] = math.log1p(len(p.text)) / 8
    x["short"] = float(len(p.text) < 60)
    return x


def candidate_features(query: Query, hits: list[Hit], idf: Idf | None = None) -> list[dict[str, float]]:
    """Each candidate's ``FEATURES``, ``hits`` in the retriever's fused order."""
    if not hits:
        return []
    dense = [h.dense if h.dense is not None else -1.0 for h in hits]
    lexical = [max(h.lexical or 0.0, 0.0) for h in hits]
    d_rank, l_rank = _ranks(dense), _ranks(lexical)
    d_mean = sum(dense) / len(dense)
    d_std = math.sqrt(sum((d - d_mean) ** 2 for d in dense) / len(dense)) or 1.0
    top_fused = max(h.score for h in hits) or 1.0
    top_lex = max(lexical) or 1.0
    units = [folded_tokens(u) for u in query.units]
    w = idf or (lambda _t: 1.0)
    weighted = [(t, w(t)) for t in query.terms]
    out = []
    for i, h in enumerate(hits):
        x = dict.fromkeys(FEATURES, 0.0)
        x.update(
            fused_rank_inv=1.0 / (i + 1),
            fused_share=h.score / top_fused,
            dense_rank_inv=1.0 / d_rank[i],
            dense_z=(dense[i] - d_mean) / d_std,
            lexical_rank_inv=1.0 / l_rank[i],
            lexical_share=lexical[i] / top_lex,
        )
        x.update(_passage_features(query, h.passage, weighted, units))
        out.append(x)
    return out


def rerank(query: Query, hits: list[Hit], model: Reranker, idf: Idf | None = None) -> list[Hit]:
    """The first ``model.depth`` hits reordered by the model's score (the rest keep their place),
    ranks renumbered; the fused score stays each hit's own (the refusal scorer reads it)."""
    head, tail = hits[: model.depth], hits[model.depth :]
    if len(head) < 2:
        return hits
    scores = [model.score(x) for x in candidate_features(query, head, idf)]
    order = sorted(range(len(head)), key=lambda i: (-scores[i], i))
    return [replace(h, rank=r) for r, h in enumerate([head[i] for i in order] + tail, 1)]
