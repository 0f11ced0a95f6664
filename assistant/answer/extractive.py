"""Compose a short, cited answer from retrieved passages — no language model.

The plans are structured: passages carry the units that lead (``lead``), coordinate
(``partners``) or are requested (``requested``), so "who leads X" is answered from
metadata and the task is quoted as written. Every quote goes through
``evidence.verbatim_quote``; ``finalize`` re-checks all of them before an Answer
leaves this module.
"""

from __future__ import annotations

import re

from assistant.answer.common import (
    Cites,
    Evidence,
    evidence_score,
    plan_label,
    quote_for,
    refusal,
    relevance,
    units_line,
)
from assistant.answer.evidence import Idf, shorten, verbatim_quote
from assistant.answer.facts import compose_fact, is_meta
from assistant.answer.intent import Query
from assistant.answer.lists import MAX_CHILDREN, compose_compare, compose_list, section_children
from assistant.answer.tasks import compose_unit_tasks, unit_fallback
from assistant.records import Answer, DocMeta, Hit

__all__ = ["Evidence", "compose", "refusal", "finalize", "evidence_score", "plan_label", "MAX_LINES"]

MAX_LINES = 6  # the answer is a few lines; the evidence lives in the citations
_NEAR = 0.88  # a second plan's passage joins the answer only when this close to the best


def _lead_candidates(query: Query, hits: list[Hit], idf: Idf | None, need: str) -> list[tuple[float, Hit]]:
    rel = relevance(query, hits, idf)
    out = []
    for r, h in zip(rel, hits):
        p = h.passage
        has = (p.lead or p.requested) if need == "lead" else p.partners
        if has:
            out.append((r, h))
    out.sort(key=lambda x: -x[0])
    return out


def _compose_units(
    query: Query, ev: Evidence, docs: dict[str, DocMeta], idf: Idf | None, need: str
) -> Answer | None:
    cands = _lead_candidates(query, ev.hits[:8], idf, need)
    if not cands:
        return None
    best_r = cands[0][0]
    chosen: list[Hit] = []
    seen_units: set[tuple[str, ...]] = set()
    for r, h in cands:
        if r < best_r * _NEAR or len(chosen) >= 3:
            break
        key = tuple(h.passage.lead or h.passage.requested) if need == "lead" else tuple(h.passage.partners)
        if key in seen_units and any(c.passage.doc == h.passage.doc for c in chosen):
            continue
        seen_units.add(key)
        chosen.append(h)
    cites = Cites(docs)
    lines: list[str] = []
    leads: list[str] = []
    partners: list[str] = []
    for h in chosen:
        p = h.passage
        n = cites.add(p, quote_for(p, query, idf), h.score)
        lead = list(p.lead)
        requested = [u for u in p.requested if u not in lead]
        for u in lead + requested:
            if u not in leads:
                leads.append(u)
        for u in p.partners:
            if u not in partners:
                partners.append(u)
        where = plan_label(p.doc, docs)
        if need == "lead":
            who = units_line(lead) if lead else ""
            if requested:
                who = (who + "; " if who else "") + units_line(requested) + " (được đề nghị)"
            line = f"{who} chủ trì [{n}]"
            if p.partners:
                line += f"; phối hợp: {units_line(p.partners)}"
        else:
            line = f"Phối hợp: {units_line(p.partners)} [{n}]"
            if lead or requested:
                line += f"; chủ trì: {units_line(lead or requested)}"
        lines.append(f"{line} — {where}.")
    first = chosen[0].passage
    task = cites.items[0].quote or shorten(first.text, 160)
    lines.append(f"Nhiệm vụ: “{shorten(task, 220)}”")
    return Answer(
        question=query.text,
        answer="\n".join(lines),
        intent=query.intent,
        units={"lead": leads, "partners": partners},
        citations=cites.items,
    )


def _compose_other(query: Query, ev: Evidence, docs: dict[str, DocMeta], idf: Idf | None) -> Answer | None:
    rel = relevance(query, ev.hits[:6], idf)
    ranked = sorted(zip(rel, ev.hits[:6]), key=lambda x: -x[0])
    if not ranked:
        return None
    cites = Cites(docs)
    lines = []
    best_r = ranked[0][0]
    for r, h in ranked[:2]:
        if r < best_r * _NEAR and lines:
            break
        q = quote_for(h.passage, query, idf)
        n = cites.add(h.passage, q, h.score)
        lines.append(f"{shorten(q or h.passage.text, 260)} [{n}] — {plan_label(h.passage.doc, docs)}.")
    return Answer(question=query.text, answer="\n".join(lines), intent=query.intent, citations=cites.items)


def compose(
    query: Query,
    ev: Evidence,
    docs: dict[str, DocMeta],
    *,
    idf: Idf | None = None,
    refuse_below: float = 0.35,
) -> Answer:
    """The extractive answer for ``query`` from ``ev``; a refusal when evidence is weak."""
    if query.intent == "unit_tasks":
        ans = compose_unit_tasks(query, ev, docs, idf) or unit_fallback(query, ev, docs, idf)
        return finalize(ans or refusal(query, ev.hits, docs, idf))
    meta_fact = query.intent in ("fact", "compare") and is_meta(query)
    if query.intent == "list":
        listed, heading_cov = section_children(query, ev, docs, idf)
        if listed is not None and heading_cov >= 0.5:
            return finalize(listed)  # the question names a section of the plan: that is evidence enough
    if not meta_fact and evidence_score(query, ev.hits, idf) < refuse_below:
        return finalize(refusal(query, ev.hits, docs, idf))
    builders = {
        "lead_unit": lambda: _compose_units(query, ev, docs, idf, "lead"),
        "partner_unit": lambda: _compose_units(query, ev, docs, idf, "partners"),
        "fact": lambda: compose_fact(query, ev, docs, idf),
        "list": lambda: compose_list(query, ev, docs, idf),
        "compare": lambda: compose_compare(query, ev, docs, idf),
    }
    ans = builders.get(query.intent, lambda: None)()
    if (
        ans is not None
        and ans.refused
        and query.intent == "fact"
        and re.search(r"\b(may|bao nhieu)\b", query.folded)
    ):
        ans = _count_sections(query, ev, docs, idf) or ans
    if ans is None and query.intent in ("lead_unit", "partner_unit", "fact", "list", "compare"):
        ans = _compose_other(query, ev, docs, idf)
        if ans is not None:
            ans.intent = query.intent
    if ans is None:
        ans = _compose_other(query, ev, docs, idf)
    return finalize(ans or refusal(query, ev.hits, docs, idf))


def _count_sections(query: Query, ev: Evidence, docs: dict[str, DocMeta], idf: Idf | None) -> Answer | None:
    """ "Có mấy giải pháp?" when no sentence says a number: count the section's sub-sections.

    Only a heading that holds every word counted ("giải pháp") qualifies.
    """
    m = re.search(r"\b(?:may|bao nhieu)\s+([a-z]+(?:\s+[a-z]+)?)", query.folded)
    if not m:
        return None
    listed, cov = section_children(query, ev, docs, idf, heading=m.group(1))
    if listed is None or cov < 0.99 or len(listed.citations) >= MAX_CHILDREN:
        return None
    head, *items = listed.answer.splitlines()
    listed.answer = "\n".join([f"{len(listed.citations)} mục — {head}", *items])
    listed.intent = "fact"
    return listed


def finalize(ans: Answer) -> Answer:
    """Last gate: quotes verbatim, [n] markers pointing at citations, a short answer."""
    for c in ans.citations:
        c.quote = verbatim_quote(c.text, c.quote)
    valid = {c.n for c in ans.citations}
    text = re.sub(r"\[(\d+)\]", lambda m: m.group(0) if int(m.group(1)) in valid else "", ans.answer)
    lines = [ln.rstrip() for ln in text.splitlines() if ln.strip()]
    if len(lines) > MAX_LINES:
        lines = lines[: MAX_LINES - 1] + ["…"]
    ans.answer = "\n".join(lines)
    return ans
