"""The rules that may refuse an answer the refusal scorer would give, each named.

``confidence.decide`` answers only when the scorer's probability clears its threshold *and* no
rule here blocks. Each rule follows a convention of Vietnamese administrative documents (named
at the rule) and holds whatever the scorer says. They are kept apart from the scorer, and each
verdict recorded by name, so that ``eval.calibrate`` can count, per rule, the answerable
questions it refuses and the unanswerable ones it catches (issue 12: narrow a rule that costs
more than it catches).
"""

from __future__ import annotations

from assistant.answer.common import AnswerContext, plan_label, title_of
from assistant.answer.contact import contact_unfilled
from assistant.answer.fact_slots import figure_unfilled
from assistant.answer.names import unwritten_names
from assistant.answer.outcome import outcome_unreported
from assistant.answer.task_named import TASK_ABSENT
from assistant.records import Answer, Citation, DocMeta, Passage
from assistant.vocab.documents import DOC_KINDS

__all__ = ["RULES", "own_lines", "cited_texts", "floor_blocks"]

# every rule's name, in the order ``floor_blocks`` reports them
RULES = (
    "coverage_floor",
    "meta_unfound",
    "figure_unfilled",
    "task_absent",
    "outcome_unreported",
    "contact_unfilled",
    "names_unwritten",
    "kind_unwritten",
)


def own_lines(p: Passage) -> list[str]:
    """What a passage itself writes: heading path, unit cells, caption, text."""
    return [*p.section, *p.lead, *p.partners, *p.requested, p.caption or "", p.text]


def cited_texts(c: Citation, by_id: dict[str, Passage], docs: dict[str, DocMeta]) -> list[str]:
    """What a cited passage writes, line by line: its text, headings and unit cells, and its
    plan's title (where the question's context, "kỳ huấn luyện …", is usually named)."""
    p = by_id.get(c.passage_id)
    m = docs.get(c.doc)
    own = own_lines(p) if p else [c.text]
    return [*own, m.title if m and m.title else ""]


def _labels(answer: Answer, docs: dict[str, DocMeta]) -> list[str]:
    """The names of the plans an answer cites, as its text writes them after each quote."""
    return [f(d, docs) for d in {c.doc for c in answer.citations} for f in (plan_label, title_of)]


def _answering_plans(ctx: AnswerContext, answer: Answer) -> list[str]:
    """The plan asked, else the plans the answer cites, else the best passage's."""
    cited = [c.doc for c in answer.citations if not c.related_only]
    return sorted(ctx.query.named) or list(dict.fromkeys(cited)) or [h.passage.doc for h in ctx.hits[:1]]


def _names_unwritten(ctx: AnswerContext, answer: Answer) -> bool:
    # a catalogue question names what it looks for among the plans, not inside one
    if ctx.vocabulary is None or ctx.query.catalogue:
        return False
    places = [v for m in ctx.docs.values() for v in (m.province, m.district) if v]
    places += [v for _k, v in ctx.query.places]
    return bool(unwritten_names(ctx.query.text, _answering_plans(ctx, answer), ctx.vocabulary, places))


def _kind_unwritten(ctx: AnswerContext, answer: Answer) -> bool:
    """The question is about a document of a kind (Quyết định, Công văn, Thông báo, Chỉ thị) that
    no loaded document is, and the plan the answer comes from never writes that kind's name.

    Decree 30/2020 (art. 7, Appendix III) sets the kinds of administrative documents apart: a
    "Chỉ thị của Chủ tịch UBND …" is its own document, not the Kế hoạch of the same issuer. A
    plan carrying out or citing one names it ("thực hiện Chỉ thị số 27/CT-TTg", "theo Quyết định
    số 1050/QĐ-SCT"), so a plan that never writes the word holds nothing of it, and its passages
    on the same topic would answer for a document nobody loaded."""
    kind, vocabulary = ctx.query.doc_kind, ctx.vocabulary
    if vocabulary is None or ctx.query.catalogue or kind not in DOC_KINDS or kind == "Kế hoạch":
        return False
    if any((m.doc_type or "Kế hoạch") == kind for m in ctx.docs.values()):
        return False  # a loaded document of that kind: routing (query.parse) chose among them
    have = [v for d in _answering_plans(ctx, answer) if (v := vocabulary.plans.get(d)) is not None]
    return bool(have) and not any(DOC_KINDS[kind][0] in v.pairs for v in have)


def floor_blocks(
    ctx: AnswerContext,
    handler: str,
    own: Answer | None,
    candidate: Answer | None,
    cov_top3: float,
    meta: bool,
) -> dict[str, bool]:
    """Each rule of ``RULES`` → does it block ``candidate`` (the answer that would be given)."""
    answered = own is not None and not own.refused
    out = dict.fromkeys(RULES, False)
    # the passages may stand in for a handler that declined only when they cover the question
    # (``refuse_below``, the settings' floor); below it the scorer can refuse, never answer
    out["coverage_floor"] = not answered and cov_top3 < ctx.refuse_below
    # a document's signer, issue date and number stand in its header and signature block (the
    # header card), never in body passages: when the handler found none for the document asked,
    # a passage quoted in its place would answer another question
    out["meta_unfound"] = not answered and meta
    # a figure asked that the fact handler found in no sentence: passages on the topic without
    # it would answer another question ("bao nhiêu suất cơm" answered "cấp cơm nóng")
    out["figure_unfilled"] = (
        handler == "fact"
        and not answered
        and candidate is not None
        and figure_unfilled(ctx.query, candidate, _labels(candidate, ctx.docs))
    )
    # the handler found the rows of another task than the one asked (``task_named``): the
    # passages would name that task's unit again
    out["task_absent"] = own is not None and own.refused and own.notice == TASK_ABSENT
    if candidate is None or candidate.refused:
        return out
    by_id = {h.passage.id: h.passage for h in ctx.hits}
    cited = [c for c in candidate.citations if not c.related_only]
    lines = [t for c in cited for t in cited_texts(c, by_id, ctx.docs)]
    # a result of the planned event asked ("bao nhiêu người đạt yêu cầu") that no cited passage
    # reports: a plan is issued before its event, the figure cited answers another question
    out["outcome_unreported"] = outcome_unreported(ctx.query, lines)
    # a phone number, email or website asked that neither the answer nor its passages write
    # (``answer.contact``): a plan gives a contact as the number or address itself. A contact
    # asked of a named plan is the one that plan writes: another plan's "Thông tin liên hệ"
    # line is another team's (the same official may sit on both)
    asked = ctx.query.named
    of_plan = [c for c in cited if not asked or c.doc in asked]
    plan_lines = [t for c in of_plan for t in cited_texts(c, by_id, ctx.docs)]
    given = [candidate.answer] if len(of_plan) == len(cited) else []
    out["contact_unfilled"] = contact_unfilled(ctx.query.text, [*given, *plan_lines])
    # a commune, work, project or person the question names in title case that the plan the
    # answer comes from never writes (``answer.names``): the plan holds nothing about it
    out["names_unwritten"] = ctx.vocabulary is not None and _names_unwritten(ctx, candidate)
    out["kind_unwritten"] = _kind_unwritten(ctx, candidate)
    return out
