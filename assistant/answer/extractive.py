"""Extractive composers shared by the handlers: who leads/coordinates, the best passages
quoted, and ``finalize`` — the last gate of every answer.  No language model.

The plans are structured: passages carry the units that lead (``lead``), coordinate
(``partners``) or are requested (``requested``), so "who leads X" is answered from
metadata and the task is quoted as written. Every quote goes through
``evidence.verbatim_quote``; ``finalize`` re-checks all of them before an Answer
leaves this module.
"""

from __future__ import annotations

import re

from assistant.answer.common import (
    AnswerContext,
    Cites,
    other_numbered_unit,
    plan_label,
    quote_for,
    relevance,
    units_line,
)
from assistant.answer.evidence import Idf, shorten, verbatim_quote
from assistant.ingest.roles import strip_marker
from assistant.ingest.units import find_units
from assistant.query.model import Query
from assistant.records import Answer, Hit, Passage
from assistant.textnorm import fold

__all__ = ["compose_units", "compose_passages", "finalize", "MAX_LINES"]

MAX_LINES = 6  # the answer is a few lines; the evidence lives in the citations
_NEAR = 0.88  # a second plan's passage joins the answer only when this close to the best


def _lead_candidates(query: Query, hits: list[Hit], idf: Idf | None, need: str) -> list[tuple[float, Hit]]:
    rel = relevance(query, hits, idf)
    out = []
    for r, h in zip(rel, hits):
        p = h.passage
        has = (p.lead or p.requested) if need == "lead" else p.partners
        if has and not other_numbered_unit(query.text, " ".join((*has, p.text))):
            out.append((r, h))
    out.sort(key=lambda x: -x[0])
    # a question that names its document (by number, kind, subject or place) is answered from
    # it: "kế hoạch kiểm tra cho Mỏ tuyển đồng Sin Quyền" is not answered by another plan's row
    named = [x for x in out if x[1].passage.doc in query.named]
    return named or out


# how far below the passage that best matches the task the best one with units may rank before the
# former is quoted too: below this ratio the unit-bearing passage is likely another task's (set at
# 0.8 before any run; no development question changes between 0.8 and 1.0)
UNITLESS_RATIO = 0.8


def _unitless_best(query: Query, hits: list[Hit], idf: Idf | None, need: str, best_r: float) -> Hit | None:
    """The passage that matches the asked task best when the parser gave it no unit of the kind
    asked and the best passage that has one matches clearly less. Plans often assign a task in
    running text ("giao …", "đề nghị …") or under a heading naming the unit, which the passage's
    structure does not always carry; answering only from the passages that carry units would then
    give another task's unit."""
    rel = relevance(query, hits, idf)
    if not rel:
        return None
    i = max(range(len(rel)), key=rel.__getitem__)
    p = hits[i].passage
    has = (p.lead or p.requested) if need == "lead" else p.partners
    if has or p.kind == "metadata" or best_r >= rel[i] * UNITLESS_RATIO:
        return None
    return hits[i]


def _unitless_line(h: Hit, query: Query, idf: Idf | None, cites: Cites, docs) -> str:
    """The best-matching passage quoted with the headings it sits under (a heading may name the
    unit the items below it are given to: "2. Sở Tài chính" › "a) …")."""
    p = h.passage
    quote = quote_for(p, query, idf) or p.text
    n = cites.add(p, quote, h.score)
    where = " › ".join(p.section[-2:])
    head = f" — mục “{shorten(where, 160)}”" if where else ""
    return f"Đoạn khớp nhất{head}: “{shorten(quote, 260)}” [{n}] — {plan_label(p.doc, docs)}."


# the clause naming the coordinating parties: "X chủ trì, phối hợp với Y, Z và các đơn vị có liên quan"
_PARTNER_CLAUSE = re.compile(r"[^.;:\n]*\bphối\s+hợp\s+(?:với\s+)?[^.;\n]+", re.I)


def _partners_written(p: Passage) -> str | None:
    """The partners as the plan writes them. A collective's canonical name merges its wordings
    ("các sở, ban, ngành, đoàn thể Thành phố" is "Các sở, ban, ngành"), so the clause of the
    plan is shown beside the names: it says who takes part, the mass organisations included."""
    if not p.partners:
        return None
    for m in _PARTNER_CLAUSE.finditer(" ".join(p.text.split())):
        clause = m.group(0).strip(" -+•")
        if any(fold(u.split(",")[0]) in fold(clause) for u in p.partners):
            return clause
    return None


# words that place or qualify a unit without renaming it ("… Tỉnh", "… có liên quan")
_QUALIFIERS = frozenset(("tinh", "thanh", "pho", "huyen", "lien", "quan", "co", "cac", "nhung"))


def _written_heading(p: Passage, unit: str) -> str | None:
    """The heading over ``p`` that names ``unit``, as the plan writes it, when the canonical name
    renames it ("5. Các đoàn thể, tổ chức xã hội:" is read as "Các tổ chức chính trị - xã hội").
    Under "Tổ chức thực hiện" a plan heads each unit's items with its name (Decree 30/2020): the
    official checks the answer against that heading, so the claim shows it beside the canonical
    name. An abbreviation ("UBND"), a place or a request ("Đề nghị …") is no renaming."""
    canon = set(re.split(r"[\s,;/()-]+", fold(unit)))
    for elem in reversed(p.section):
        name = re.sub(r"(?i)^đề\s+nghị\s+", "", strip_marker(elem).strip(" *_:"))
        name = re.sub(r"\s*\([^()]*\)", "", name).strip()
        if not name or len(name) > 80 or unit not in find_units(name, p.province):
            continue
        words = [w for w in re.split(r"[\s,;/()-]+", name) if len(w) > 2 and not w.isupper()]
        renamed = any(fold(w) not in canon and fold(w) not in _QUALIFIERS for w in words)
        return name if renamed else None
    return None


def compose_units(ctx: AnswerContext, need: str) -> Answer | None:
    """Who leads (``need="lead"``) or coordinates (``"partners"``) the asked task, per plan."""
    query, ev, docs, idf = ctx.query, ctx.evidence, ctx.docs, ctx.idf
    cands = _lead_candidates(query, ev.hits[:8], idf, need)
    if not cands:
        return None
    best_r = cands[0][0]
    unitless = _unitless_best(query, ev.hits[:8], idf, need, best_r)
    chosen: list[Hit] = []
    support: list[Hit] = []  # the same unit for the same task, written again (a text and its table)
    seen_units: set[tuple[str, ...]] = set()
    for r, h in cands:
        if r < best_r * _NEAR or len(chosen) >= 3:
            break
        key = tuple(h.passage.lead or h.passage.requested) if need == "lead" else tuple(h.passage.partners)
        if key in seen_units and any(c.passage.doc == h.passage.doc for c in chosen):
            support.append(h)
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
            written = _written_heading(p, lead[0]) if len(lead) == 1 else None
            if written:
                who += f" (văn bản ghi: “{written}”)"
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
    # a plan often gives a task twice, in its text and in its annex table: both are evidence
    for h in support:
        cites.add(h.passage, quote_for(h.passage, query, idf), h.score)
    first = chosen[0].passage
    task = cites.items[0].quote or shorten(first.text, 160)
    lines.append(f"Nhiệm vụ: “{shorten(task, 220)}”")
    written = _partners_written(first) if need == "partners" else None
    if written and written not in task:
        lines.append(f"Văn bản ghi: “{shorten(written, 260)}” [1]")
    if unitless is not None:
        # after the units the structure gives, never before: a quote is no claim of who leads
        lines.append(_unitless_line(unitless, query, idf, cites, docs))
    return Answer(
        question=query.text,
        answer="\n".join(lines),
        intent=query.intent,
        units={"lead": leads, "partners": partners},
        citations=cites.items,
    )


def compose_passages(ctx: AnswerContext) -> Answer | None:
    """The best passages, quoted: the answer when no question family has a better one."""
    query, ev, docs, idf = ctx.query, ctx.evidence, ctx.docs, ctx.idf
    rel = relevance(query, ev.hits[:6], idf)
    ranked = sorted(zip(rel, ev.hits[:6]), key=lambda x: -x[0])
    ranked = [x for x in ranked if not other_numbered_unit(query.text, x[1].passage.text)]
    if not ranked:
        return None
    cites = Cites(docs)
    lines: list[str] = []
    best_r = ranked[0][0]
    for r, h in ranked[:2]:
        if r < best_r * _NEAR and lines:
            break
        q = quote_for(h.passage, query, idf)
        n = cites.add(h.passage, q, h.score)
        lines.append(f"{shorten(q or h.passage.text, 260)} [{n}] — {plan_label(h.passage.doc, docs)}.")
    return Answer(question=query.text, answer="\n".join(lines), intent=query.intent, citations=cites.items)


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
