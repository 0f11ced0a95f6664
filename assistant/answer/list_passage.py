"""A list read from the passages retrieved, when the question names no section of a plan: the
lines (bullets) of the best passage, a lead-in "… gồm:" continued in the next passages, or the
points of the enumeration the best passage is one of."""

from __future__ import annotations

from assistant.answer.common import AnswerContext, Cites, Evidence, plan_label, quote_for, relevance
from assistant.answer.evidence import coverage, segments, shorten
from assistant.answer.list_groups import names_a_group
from assistant.answer.list_items import item_label
from assistant.answer.lists import (
    LINE_ITEM,
    POINT,
    asked_heading,
    children_answer,
    children_of,
    format_items,
    heading_words,
    lines_of,
    list_section,
    section_children,
    share,
)
from assistant.records import Answer, Passage
from assistant.vocab.tokens import folded_tokens

__all__ = ["compose_list"]


def _continued(top, ev: Evidence) -> list:
    """A passage ending "… gồm:" continues in the next passages of its section."""
    same = [p for p in ev.doc_passages.get(top.doc, []) if p.section == top.section]
    ids = [p.id for p in same]
    if top.id not in ids:
        return [top]
    return [top, *same[ids.index(top.id) + 1 : ids.index(top.id) + 4]]


def _unbroken(top: Passage, ev: Evidence) -> tuple[str, Passage | None]:
    """A passage that stops mid-sentence ("… ưu tiên các địa bàn cấp độ") was cut by the loader
    where a hard-wrapped line began with a number ("1. Cấp ngay mì tôm, …"): the sentence ends
    on the first line of the plan's next passage, which is joined back (and that passage returned)."""
    text = top.text.rstrip()
    if not text or text[-1] in '.;:!?…)”"':
        return top.text, None
    same = ev.doc_passages.get(top.doc, [])
    ids = [p.id for p in same]
    if top.id not in ids or ids.index(top.id) + 1 >= len(same):
        return top.text, None
    after = same[ids.index(top.id) + 1]
    first = lines_of(after.text)[:1]
    if not first:
        return top.text, None
    return f"{text} {first[0]}", after


def compose_list(ctx: AnswerContext) -> Answer | None:
    """A section's sub-sections, else the items (lines, bullets) of the best passage."""
    query, ev, docs, idf = ctx.query, ctx.evidence, ctx.docs, ctx.idf
    ans, _ = section_children(ctx)
    if ans is not None:
        return ans
    rel = relevance(query, ev.hits[:6], idf)
    ranked = sorted(zip(rel, ev.hits[:6]), key=lambda x: -x[0])
    # the text before a plan's first heading is its title block and preamble ("KẾ HOẠCH …",
    # "Căn cứ …"): never the items of a list when a passage under a heading is at hand
    ranked = [x for x in ranked if x[1].passage.section and x[1].passage.kind != "metadata"] or ranked
    if not ranked:
        return None
    hit = ranked[0][1]
    top = hit.passage
    said = set(folded_tokens(query.folded or query.text))
    own = [p.text for p in ev.plan_pool(top.doc) if p.section == top.section]
    if top.section and names_a_group(own, said, heading_words):
        # "những chỉ tiêu gì về nguồn nhân lực": a label line of the best passage's heading names
        # the group asked ("- Nguồn nhân lực"); its lines may run on into the next passages
        grouped = list_section(ctx, top.doc, tuple(top.section), hit)
        if grouped is not None:
            return grouped
    # the best passage is one point of an enumeration ("c. Kiểm tra thực tế …" under "3.5.
    # Phương thức kiểm tra"): the items asked are that heading's points, not the one point,
    # unless the point names what is asked ("những cụm thông tin điện tử nào": the point lists them)
    asked = (asked_heading(query.folded) or "").split()
    if (
        asked
        and len(top.section) >= 2
        and POINT.match(top.section[-1])
        and not set(asked) <= set(folded_tokens(top.text))
    ):
        pool = ev.plan_pool(top.doc)
        points = children_of(pool, top.doc, tuple(top.section[:-1]))
        if len(points) >= 2 and all(POINT.match(t) for t in points):
            return children_answer(query, top.doc, tuple(top.section[:-1]), points, hit, docs)
    cites = Cites(docs)
    lines = lines_of(top.text)
    if lines and lines[-1].endswith(":"):
        group = _continued(top, ev)
        lines = [ln for p in group for ln in lines_of(p.text)]
    else:
        group = [top]
    if len(lines) >= 3:
        body = [ln for ln in lines if not ln.endswith(":")] or lines
        items = [item_label(x, share(len(body), LINE_ITEM)) for x in body]
        cites.add(top, lines[0], hit.score)
        for p in group[1:]:
            cites.add(p, lines_of(p.text)[0] if lines_of(p.text) else "", hit.score)
        items[-1] += " " + "".join(f"[{c.n}]" for c in cites.items)
    else:
        cites.add(top, quote_for(top, query, idf), hit.score)
        text, after = _unbroken(top, ev)
        if after is not None:
            cites.add(after, lines_of(after.text)[0], hit.score)
        segs = segments(text)
        if len(segs) >= 3:
            # the segments that cover the question, in the plan's order
            scored = sorted(segs, key=lambda ab: -coverage(query.terms, text[ab[0] : ab[1]], idf))[:4]
            items = [shorten(text[a:b], 160) for a, b in sorted(scored)]
        else:
            items = [shorten(text, 450)]
        items[-1] += " " + "".join(f"[{c.n}]" for c in cites.items)
    return Answer(
        question=query.text,
        answer=format_items(items, f"Theo {plan_label(top.doc, docs)}:"),
        intent="list",
        citations=cites.items,
    )
