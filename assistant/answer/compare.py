"""Comparison answers: the same question across several plans, one line per plan."""

from __future__ import annotations

import re

from assistant.answer.common import (
    AnswerContext,
    Cites,
    fold_,
    haystack,
    plan_label,
    quote_for,
    relevance,
    units_line,
)
from assistant.answer.evidence import coverage, shorten
from assistant.answer.facts import best_fact_segment, fact_body, fact_rule, is_meta, meta_fact
from assistant.records import Answer, Citation

__all__ = ["compose_compare", "compare_meta"]


def compare_meta(ctx: AnswerContext) -> Answer | None:
    """Signer, date or number of each plan compared: one metadata line per plan."""
    query, ev = ctx.query, ctx.evidence
    lines: list[str] = []
    cites: list[Citation] = []
    for doc in query.scope or list(ev.per_doc):
        one = meta_fact(ctx.with_query(filters={"doc": doc}))
        if one is None:
            continue
        shift = len(cites)
        for c in one.citations:
            c.n += shift
        cites += one.citations
        lines.append("• " + re.sub(r"\[(\d+)\]", lambda m: f"[{int(m.group(1)) + shift}]", one.answer))
    if not lines:
        return None
    return Answer(question=query.text, answer="\n".join(lines), intent="compare", citations=cites)


def compose_compare(ctx: AnswerContext) -> Answer | None:
    """One line per plan: the passage (or the fact) each compared plan gives."""
    query, ev, docs, idf = ctx.query, ctx.evidence, ctx.docs, ctx.idf
    if is_meta(query):
        ans = compare_meta(ctx)
        if ans is not None:
            return ans
    per_doc = ev.per_doc or {}
    if not per_doc:
        for h in ev.hits:
            per_doc.setdefault(h.passage.doc, []).append(h)
    wants_units = bool(
        re.search(
            r"\b(chu tri|dau moi|phu trach|so nao|don vi nao|co quan nao|ai)\b",
            " ".join(query.terms) + " " + fold_(query.text),
        )
    )
    rows = []
    for doc, hits in per_doc.items():
        if not hits:
            continue
        rel = relevance(query, hits[:4], idf)
        cov = [coverage(query.terms, haystack(h.passage), idf) for h in hits[:4]]
        if wants_units:
            # prefer the passage that names a lead unit when it covers the question as well
            order = sorted(range(len(rel)), key=lambda i: -(rel[i] + (0.1 if hits[i].passage.lead else 0)))
        else:
            order = sorted(range(len(rel)), key=lambda i: -rel[i])
        i = order[0]
        rows.append((cov[i], doc, hits[i]))
    rows.sort(key=lambda x: -x[0])
    if not rows:
        return None
    rule = fact_rule(query.text, query.fact, query.terms, query.folded) if query.fact else None
    best_cov = rows[0][0]
    cites = Cites(docs)
    lines, leads, partners = [], [], []
    for row_cov, doc, h in rows[:5]:
        if row_cov < max(0.25, best_cov * 0.5):
            continue
        p = h.passage
        q = quote_for(p, query, idf)
        if rule is not None:
            # a fact compared across plans: each plan's sentence holding the value
            found = best_fact_segment(query, per_doc[doc][:4], idf, rule)
            if found is not None:
                _, h, q = found
                p = h.passage
        n = cites.add(p, q, h.score)
        if wants_units and (p.lead or p.requested) and rule is None:
            units = list(p.lead or p.requested)
            leads += [u for u in units if u not in leads]
            partners += [u for u in p.partners if u not in partners]
            lines.append(f"• {plan_label(doc, docs)}: {units_line(units)} chủ trì [{n}]")
        else:
            body = fact_body(query, q) if rule is not None else q
            lines.append(f"• {plan_label(doc, docs)}: {shorten(body or p.text, 170)} [{n}]")
    if not lines:
        return None
    return Answer(
        question=query.text,
        answer="\n".join(lines),
        intent="compare",
        units={"lead": leads, "partners": partners},
        citations=cites.items,
    )
