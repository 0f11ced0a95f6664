"""Compose a short, cited answer from retrieved passages — no language model.

The plans are structured: passages carry the units that lead (``lead``), coordinate
(``partners``) or are requested (``requested``), so "who leads X" is answered from
metadata and the task is quoted as written. Every quote goes through
``evidence.verbatim_quote``; ``finalize`` re-checks all of them before an Answer
leaves this module.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.answer.evidence import Idf, best_segment, coverage, segments, shorten, verbatim_quote
from assistant.answer.facts import fact_rule, is_meta_question
from assistant.answer.intent import Query
from assistant.records import REFUSAL_TEXT, Answer, Citation, DocMeta, Hit, Passage

__all__ = ["Evidence", "compose", "refusal", "finalize", "evidence_score", "plan_label", "MAX_LINES"]

MAX_LINES = 6          # the answer is a few lines; the evidence lives in the citations
_NEAR = 0.88           # a second plan's passage joins the answer only when this close to the best

_QUOTE_RE = re.compile(r"[“\"«]([^”\"»]{3,200})[”\"»]")


@dataclass
class Evidence:
    """What the core retrieved for one question."""

    hits: list[Hit] = field(default_factory=list)                       # main retrieval, best first
    per_doc: dict[str, list[Hit]] = field(default_factory=dict)         # compare: hits per plan
    unit_rows: list[tuple[Passage, str, float]] = field(default_factory=list)  # unit_tasks: (passage, role, score)
    metadata: dict[str, Passage] = field(default_factory=dict)          # doc → its metadata passage
    doc_passages: dict[str, list[Passage]] = field(default_factory=dict)  # fact: passages of the asked plan


def plan_label(doc: str, docs: dict[str, DocMeta]) -> str:
    """A short name an official recognises: "Kế hoạch 183/KH-UBND (Đồng Nai)"."""
    m = docs.get(doc)
    if m is None:
        return doc
    kind = m.doc_type or "Kế hoạch"
    place = m.district or m.province
    year = (m.date or "")[:4]
    if m.number:
        return f"{kind} {m.number}" + (f" ({place})" if place else "")
    bits = [b for b in (place, year) if b]
    return f"{kind} " + (" ".join(bits) if bits else doc)


def _title(doc: str, docs: dict[str, DocMeta]) -> str:
    m = docs.get(doc)
    return (m.title if m and m.title else None) or plan_label(doc, docs)


class _Cites:
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
        c = Citation(n=len(self.items) + 1, passage_id=p.id, doc=p.doc, title=_title(p.doc, self.docs),
                     section=p.section_path, text=p.text, quote=verbatim_quote(p.text, quote),
                     score=round(float(score), 4), related_only=related_only, page=p.page, kind=p.kind)
        self.items.append(c)
        self._by_id[p.id] = c
        return c.n


def _haystack(p: Passage) -> str:
    return p.embed_text or " ".join((*p.section, p.text))


def _norm_scores(hits: list[Hit]) -> list[float]:
    if not hits:
        return []
    top = max(h.score for h in hits)
    low = min(h.score for h in hits)
    if top <= 0 or top == low:
        return [1.0 / (1 + 0.15 * i) for i in range(len(hits))]
    return [max(0.0, (h.score - low) / (top - low)) * 0.8 + 0.2 for h in hits]


def _relevance(query: Query, hits: list[Hit], idf: Idf | None) -> list[float]:
    """Per hit: retrieval score blended with how much of the question the passage covers."""
    ns = _norm_scores(hits)
    # a heading that names the question's topic ("III. KINH PHÍ") marks the passage about it
    return [0.45 * n + 0.55 * coverage(query.terms, _haystack(h.passage), idf)
            + 0.15 * coverage(query.terms, " ".join(h.passage.section[-2:]), idf) for h, n in zip(hits, ns)]


def evidence_score(query: Query, hits: list[Hit], idf: Idf | None = None, depth: int = 3) -> float:
    """How well the best passages support an answer: coverage of the question's key terms.

    Coverage is IDF-weighted, so a question whose rare words appear in no passage scores
    low even when common words match. Dense similarity, when the retriever reports it,
    breaks ties between passages that cover the same words.
    """
    if not hits:
        return 0.0
    if not query.terms:
        return 0.5
    best = 0.0
    for h in hits[:depth]:
        cov = coverage(query.terms, _haystack(h.passage), idf)
        dense = h.dense if h.dense is not None else 0.8
        best = max(best, 0.85 * cov + 0.15 * max(0.0, min(1.0, (dense - 0.7) / 0.2)))
    return best


def _quote_for(p: Passage, query: Query, idf: Idf | None, pattern: re.Pattern | None = None) -> str:
    span = best_segment(p.text, query.terms, idf=idf, pattern=pattern)
    return p.text[span[0]:span[1]] if span else ""


def refusal(query: Query, hits: list[Hit], docs: dict[str, DocMeta], idf: Idf | None = None,
            notice: str | None = None, depth: int = 3) -> Answer:
    """The honest answer: not found, with the closest passages marked as possibly related."""
    cites = _Cites(docs)
    for h in hits[:depth]:
        cites.add(h.passage, _quote_for(h.passage, query, idf), h.score, related_only=True)
    return Answer(question=query.text, answer=REFUSAL_TEXT, refused=True, intent=query.intent,
                  citations=cites.items, notice=notice)


def _units_line(units: tuple[str, ...] | list[str]) -> str:
    return ", ".join(units)


def _lead_candidates(query: Query, hits: list[Hit], idf: Idf | None, need: str) -> list[tuple[float, Hit]]:
    rel = _relevance(query, hits, idf)
    out = []
    for r, h in zip(rel, hits):
        p = h.passage
        has = (p.lead or p.requested) if need == "lead" else p.partners
        if has:
            out.append((r, h))
    out.sort(key=lambda x: -x[0])
    return out


def _compose_units(query: Query, ev: Evidence, docs: dict[str, DocMeta], idf: Idf | None, need: str) -> Answer | None:
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
    cites = _Cites(docs)
    lines: list[str] = []
    leads: list[str] = []
    partners: list[str] = []
    for h in chosen:
        p = h.passage
        n = cites.add(p, _quote_for(p, query, idf), h.score)
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
            who = _units_line(lead) if lead else ""
            if requested:
                who = (who + "; " if who else "") + _units_line(requested) + " (được đề nghị)"
            line = f"{who} chủ trì [{n}]"
            if p.partners:
                line += f"; phối hợp: {_units_line(p.partners)}"
        else:
            line = f"Phối hợp: {_units_line(p.partners)} [{n}]"
            if lead or requested:
                line += f"; chủ trì: {_units_line(lead or requested)}"
        lines.append(f"{line} — {where}.")
    first = chosen[0].passage
    task = cites.items[0].quote or shorten(first.text, 160)
    lines.append(f"Nhiệm vụ: “{shorten(task, 220)}”")
    return Answer(question=query.text, answer="\n".join(lines), intent=query.intent,
                  units={"lead": leads, "partners": partners}, citations=cites.items)


def _doc_of(query: Query, ev: Evidence, docs: dict[str, DocMeta]) -> str | None:
    f = query.filters
    if f.get("doc"):
        return f["doc"]
    cand = [d for d, m in docs.items()
            if (not f.get("district") or m.district == f["district"])
            and (not f.get("province") or m.province == f["province"])]
    if f and len(cand) == 1:
        return cand[0]
    if ev.hits:
        return ev.hits[0].passage.doc
    return cand[0] if len(cand) == 1 else None


def _meta_fact(query: Query, ev: Evidence, docs: dict[str, DocMeta]) -> Answer | None:
    doc = _doc_of(query, ev, docs)
    m = docs.get(doc or "")
    if m is None:
        return None
    label = plan_label(doc, docs)
    if query.fact == "signer":
        if not m.signer:
            return None
        role = " ".join(x for x in (m.signer_authority, (m.signer_position or "").capitalize()) if x)
        text, value = f"{label} do {m.signer}" + (f" ({role})" if role else "") + " ký", m.signer
    elif query.fact == "doc_number":
        if m.number:
            text, value = f"Số ký hiệu: {m.number}", m.number.split("/")[0]
        elif m.number_text:
            text, value = f"{label} để trống số (ghi: “{m.number_text}”)", m.number_text
        else:
            return None
    elif query.fact == "issuer":
        if not m.issuer:
            return None
        text, value = f"{label} do {m.issuer} ban hành", m.issuer
    else:  # date
        if m.date and len(m.date) == 10:
            text = f"{label} ban hành {m.date_text or m.date}"
        elif m.date_text:
            text = f"{label} không ghi đủ ngày ban hành (ghi: “{m.date_text}”)"
        else:
            return None
        value = m.date_text or m.date
    cites = _Cites(docs)
    holders = [ev.metadata[doc]] if doc in ev.metadata else []
    holders += [h.passage for h in ev.hits if h.passage.doc == doc]
    holders += ev.doc_passages.get(doc, [])
    n = None
    for p in holders:
        q = _find_value(p.text, value)
        if q:
            n = cites.add(p, q, 1.0)
            break
    if n is None and holders:
        n = cites.add(holders[0], "", 1.0)
    answer = text + (f" [{n}]." if n else ".")
    return Answer(question=query.text, answer=answer, intent="fact", citations=cites.items)


def _find_value(text: str, value: str | None) -> str:
    """The segment of ``text`` holding ``value`` (accent- and spacing-tolerant), or ""."""
    if not value:
        return ""
    key = " ".join(value.split()).lower()
    for a, b in segments(text):
        seg = text[a:b]
        if key in " ".join(seg.split()).lower():
            return seg
    return ""


def _is_meta(query: Query) -> bool:
    """Signer, issuer, or the plan's own number/date (not a date or number the plan cites)."""
    return query.fact in ("signer", "issuer") or (
        query.fact in ("date", "doc_number") and is_meta_question(query.terms))


def _compose_fact(query: Query, ev: Evidence, docs: dict[str, DocMeta], idf: Idf | None) -> Answer | None:
    """The sentence that holds the asked-for value; a refusal when no sentence holds one."""
    meta = _is_meta(query)
    if meta:
        ans = _meta_fact(query, ev, docs)
        if ans is not None:
            return ans
    rule = fact_rule(query.text, query.fact, query.terms)
    hits = ev.hits[:6]
    rel = _relevance(query, hits, idf)
    top_rel = max(rel, default=0.0)
    best = None
    for r, h in zip(rel, hits):
        p = h.passage
        if r < 0.5 * top_rel or p.kind == "metadata":
            continue  # a value in an unrelated passage (or the header card) is not the answer
        bonus = 0.15 if query.units and set(query.units) & set(p.lead) else 0.0
        for a, b in segments(p.text):
            seg = p.text[a:b]
            if rule.require is not None and not rule.require(seg):
                continue
            s = coverage(query.terms, seg, idf) + 0.6 * r + bonus
            if rule.prefer is not None and rule.prefer(seg):
                s += 0.35
            if best is None or s > best[0] + 1e-9:
                best = (s, h, seg)
    if best is None:
        return refusal(query, hits, docs, idf) if rule.require is not None else None
    _, h, seg = best
    cites = _Cites(docs)
    n = cites.add(h.passage, seg, h.score)
    body = seg
    if query.fact == "slogan":
        m = _QUOTE_RE.search(seg)
        if m:
            body = f"“{m.group(1).strip()}”"
    text = f"{shorten(body, 300)} [{n}] — {plan_label(h.passage.doc, docs)}."
    return Answer(question=query.text, answer=text, intent="fact", citations=cites.items)


def _compose_list(query: Query, ev: Evidence, docs: dict[str, DocMeta], idf: Idf | None) -> Answer | None:
    rel = _relevance(query, ev.hits[:6], idf)
    ranked = sorted(zip(rel, ev.hits[:6]), key=lambda x: -x[0])
    if not ranked:
        return None
    cites = _Cites(docs)
    items: list[str] = []
    top = ranked[0][1].passage
    segs = segments(top.text)
    if len(segs) >= 3:
        n = cites.add(top, top.text[segs[0][0]:segs[0][1]], ranked[0][1].score)
        for a, b in segs[:5]:
            items.append(f"• {shorten(top.text[a:b], 140)}")
        items[-1] += f" [{n}]"
    else:
        best_r = ranked[0][0]
        for r, h in ranked[:4]:
            if r < best_r * 0.7:
                break
            q = _quote_for(h.passage, query, idf)
            n = cites.add(h.passage, q, h.score)
            items.append(f"• {shorten(q or h.passage.text, 160)} [{n}]")
    head = f"Theo {plan_label(top.doc, docs)}:"
    return Answer(question=query.text, answer="\n".join([head, *items]), intent="list", citations=cites.items)


def _compare_meta(query: Query, ev: Evidence, docs: dict[str, DocMeta]) -> Answer | None:
    """Signer, date or number of each plan compared: one metadata line per plan."""
    from dataclasses import replace

    lines, cites = [], []
    for doc in (query.scope or list(ev.per_doc)):
        one = _meta_fact(replace(query, filters={"doc": doc}), ev, docs)
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


def _compose_compare(query: Query, ev: Evidence, docs: dict[str, DocMeta], idf: Idf | None) -> Answer | None:
    if _is_meta(query):
        ans = _compare_meta(query, ev, docs)
        if ans is not None:
            return ans
    per_doc = ev.per_doc or {}
    if not per_doc:
        for h in ev.hits:
            per_doc.setdefault(h.passage.doc, []).append(h)
    wants_units = bool(re.search(r"\b(chu tri|dau moi|phu trach|so nao|don vi nao|co quan nao|ai)\b",
                                 " ".join(query.terms) + " " + _fold(query.text)))
    rows = []
    for doc, hits in per_doc.items():
        if not hits:
            continue
        rel = _relevance(query, hits[:4], idf)
        cov = [coverage(query.terms, _haystack(h.passage), idf) for h in hits[:4]]
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
    best_cov = rows[0][0]
    cites = _Cites(docs)
    lines, leads, partners = [], [], []
    for cov, doc, h in rows[:5]:
        if cov < max(0.25, best_cov * 0.5):
            continue
        p = h.passage
        q = _quote_for(p, query, idf)
        n = cites.add(p, q, h.score)
        if wants_units and (p.lead or p.requested):
            units = list(p.lead or p.requested)
            leads += [u for u in units if u not in leads]
            partners += [u for u in p.partners if u not in partners]
            lines.append(f"• {plan_label(doc, docs)}: {_units_line(units)} chủ trì [{n}]")
        else:
            lines.append(f"• {plan_label(doc, docs)}: {shorten(q or p.text, 170)} [{n}]")
    if not lines:
        return None
    return Answer(question=query.text, answer="\n".join(lines), intent="compare",
                  units={"lead": leads, "partners": partners}, citations=cites.items)


def _fold(text: str) -> str:
    from assistant.textnorm import fold
    return fold(text)


def _compose_unit_tasks(query: Query, ev: Evidence, docs: dict[str, DocMeta], idf: Idf | None) -> Answer | None:
    rows = ev.unit_rows
    if not rows:
        return None
    unit = query.units[0] if query.units else ""
    want = query.role
    if want:
        picked = [r for r in rows if r[1] == want] or rows
    else:
        leads = [r for r in rows if r[1] == "lead"]
        picked = leads or rows
    by_doc: dict[str, list[tuple[Passage, str, float]]] = {}
    for r in sorted(picked, key=lambda r: -r[2]):
        by_doc.setdefault(r[0].doc, []).append(r)
    cites = _Cites(docs)
    unit_terms = set(_fold(unit).split())
    task_terms = [t for t in query.terms if t not in unit_terms]
    lines = []
    for doc, items in list(by_doc.items())[:4]:
        parts = []
        for p, role, score in items[:2]:
            span = best_segment(p.text, task_terms, idf=idf) if task_terms else (segments(p.text) or [None])[0]
            seg = p.text[span[0]:span[1]] if span else p.text
            n = cites.add(p, seg, score)
            tag = "" if role == "lead" else f" ({'phối hợp' if role == 'partner' else 'được đề nghị'})"
            parts.append(f"{shorten(seg, 150)}{tag} [{n}]")
        more = f" (và {len(items) - 2} nhiệm vụ khác)" if len(items) > 2 else ""
        lines.append(f"• {plan_label(doc, docs)}: " + "; ".join(parts) + more)
    head = f"Nhiệm vụ của {unit}:" if unit else "Nhiệm vụ được giao:"
    units = {"lead": [unit] if any(r[1] == "lead" for r in picked) else [],
             "partners": [unit] if any(r[1] == "partner" for r in picked) else []}
    return Answer(question=query.text, answer="\n".join([head, *lines]), intent="unit_tasks",
                  units=units, citations=cites.items)


def _compose_other(query: Query, ev: Evidence, docs: dict[str, DocMeta], idf: Idf | None) -> Answer | None:
    rel = _relevance(query, ev.hits[:6], idf)
    ranked = sorted(zip(rel, ev.hits[:6]), key=lambda x: -x[0])
    if not ranked:
        return None
    cites = _Cites(docs)
    lines = []
    best_r = ranked[0][0]
    for r, h in ranked[:2]:
        if r < best_r * _NEAR and lines:
            break
        q = _quote_for(h.passage, query, idf)
        n = cites.add(h.passage, q, h.score)
        lines.append(f"{shorten(q or h.passage.text, 260)} [{n}] — {plan_label(h.passage.doc, docs)}.")
    return Answer(question=query.text, answer="\n".join(lines), intent=query.intent, citations=cites.items)


def compose(query: Query, ev: Evidence, docs: dict[str, DocMeta], *, idf: Idf | None = None,
            refuse_below: float = 0.35) -> Answer:
    """The extractive answer for ``query`` from ``ev``; a refusal when evidence is weak."""
    if query.intent == "unit_tasks":
        ans = _compose_unit_tasks(query, ev, docs, idf)
        return finalize(ans) if ans else refusal(query, ev.hits, docs, idf)
    meta_fact = query.intent in ("fact", "compare") and _is_meta(query)
    if not meta_fact and evidence_score(query, ev.hits, idf) < refuse_below:
        return finalize(refusal(query, ev.hits, docs, idf))
    builders = {
        "lead_unit": lambda: _compose_units(query, ev, docs, idf, "lead"),
        "partner_unit": lambda: _compose_units(query, ev, docs, idf, "partners"),
        "fact": lambda: _compose_fact(query, ev, docs, idf),
        "list": lambda: _compose_list(query, ev, docs, idf),
        "compare": lambda: _compose_compare(query, ev, docs, idf),
    }
    ans = builders.get(query.intent, lambda: None)()
    if ans is None and query.intent in ("lead_unit", "partner_unit", "fact", "list", "compare"):
        ans = _compose_other(query, ev, docs, idf)
        if ans is not None:
            ans.intent = query.intent
    if ans is None:
        ans = _compose_other(query, ev, docs, idf)
    return finalize(ans or refusal(query, ev.hits, docs, idf))


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
