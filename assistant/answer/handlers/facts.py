"""A fact: a date, deadline, number, target, budget or slogan in a plan — or the plan's own
signer, issuer, number or issue date, read from its header card."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from assistant.answer.common import AnswerContext, Cites, Evidence, plan_label, refusal
from assistant.answer.contacts import phone_fact
from assistant.answer.each_party import without_rows
from assistant.answer.evidence import shorten
from assistant.answer.fact_slots import two_slots
from assistant.answer.facts import compose_fact, fact_rule, is_meta
from assistant.answer.handler import Handler, add_plan_passages, search, weak
from assistant.answer.handlers.lists import heading_items
from assistant.answer.lists import MAX_CHILDREN, section_children
from assistant.answer.members import compose_member
from assistant.answer.tasks import TASK_FIELD
from assistant.answer.times import time_cell
from assistant.answer.unit_price import price_per_item_missing
from assistant.query.model import FactKind, Intent, Query
from assistant.query.rules import SUPERSEDE_ASK
from assistant.records import Answer
from assistant.textnorm import fold

if TYPE_CHECKING:
    from assistant.snapshot import IndexSnapshot

__all__ = ["FactHandler", "META_FACTS", "SLOT_FACTS", "asked_plans", "task_time_point"]

# slots with a form of their own, answered from the named plan's passages when retrieval missed them
SLOT_FACTS = frozenset({FactKind.DURATION, FactKind.PLACE, FactKind.SOURCE, FactKind.MEMBER})
# facts on the plan's header card: the plan asked about must be in the evidence whole
META_FACTS = frozenset(
    {FactKind.SIGNER, FactKind.DOC_NUMBER, FactKind.ISSUER, FactKind.DATE, FactKind.RECIPIENT}
)


def asked_plans(query: Query, ev: Evidence) -> set[str | None]:
    """The plans a header-card fact is asked of: those named, else the filtered one, else the best hit's."""
    if query.fact not in META_FACTS:
        return set()
    return set(query.scope) or {query.filters.get("doc") or (ev.hits[0].passage.doc if ev.hits else None)}


class FactHandler(Handler):
    name = "fact"
    intents = frozenset({Intent.FACT})

    def gather(self, query: Query, snapshot: IndexSnapshot) -> Evidence:
        ev = search(query, snapshot)
        # "có mấy …" may be answered by counting a section of the best plans
        docs: set[str | None] = {h.passage.doc for h in ev.hits[:3]}
        return add_plan_passages(ev, snapshot, docs | asked_plans(query, ev))

    def compose(self, ctx: AnswerContext) -> Answer | None:
        if ctx.query.fact is FactKind.MEMBER:
            # "ai là Trưởng đoàn": the member item of that role, not a sentence naming the role
            member = compose_member(ctx)
            if member is not None:
                return member
        if ctx.query.fact in (None, FactKind.TARGET):
            # "những mục tiêu cụ thể … là gì": a target asked in the plural is a list of them
            listed = heading_items(ctx)
            if listed is not None:
                return listed
        phone = phone_fact(ctx)
        if phone is not None:
            # a telephone number is a slot of its own form, looked for in all of the plan asked
            return phone
        # so is the document a named plan supersedes: its closing "Kế hoạch này thay thế …" shares
        # few words with a question asking it in other words ("văn bản cũ nào không còn áp dụng")
        own_form = ctx.query.fact in SLOT_FACTS or bool(SUPERSEDE_ASK.search(ctx.query.folded))
        slot_in_plan = own_form and bool(ctx.query.filters.get("doc"))
        if not is_meta(ctx.query) and not slot_in_plan and weak(ctx):
            # a slot of its own form (how long, where, on whose request) asked of a named plan is
            # looked for in all of that plan (``compose_fact``): few of its words are the plan's
            return refusal(ctx)
        ans = without_rows(ctx, task_time_point(ctx) or two_slots(ctx) or compose_fact(ctx), compose_fact)
        if ans is not None and ans.refused and re.search(r"\b(may|bao nhieu)\b", ctx.query.folded):
            ans = count_sections(ctx) or ans
        if ans is not None and price_per_item_missing(
            ctx.query.text, ctx.query.folded or fold(ctx.query.text), ans
        ):
            return refusal(ctx)  # a lump sum ("Thành tiền") is no price per item
        return ans


def count_sections(ctx: AnswerContext) -> Answer | None:
    """ "Có mấy giải pháp?" when no sentence says a number: count the section's sub-sections.

    Only a heading that holds every word counted ("giải pháp") qualifies.
    """
    m = re.search(r"\b(?:may|bao nhieu)\s+([a-z]+(?:\s+[a-z]+)?)", ctx.query.folded)
    if not m or _PER_PERIOD.search(ctx.query.folded):
        return None
    listed, cov = section_children(ctx, heading=m.group(1))
    if listed is None or cov < 0.99 or len(listed.citations) >= MAX_CHILDREN:
        return None
    if any(TASK_FIELD.match(fold(line.lstrip("• "))) for line in listed.answer.splitlines()[1:]):
        return None
    head, *items = listed.answer.splitlines()
    listed.answer = "\n".join([f"{len(listed.citations)} mục — {head}", *items])
    listed.intent = Intent.FACT
    return listed


# "mỗi năm / hằng năm … bao nhiêu": a number per period (how often, how many a year) — the count
# of a section's parts is a fixed number, never one per period
_PER_PERIOD = re.compile(r"\b(moi|hang|mot) (nam|thang|quy|tuan|dot|ky)\b")
_POINT = re.compile(r"^[a-zđ]\)$")


def task_time_point(ctx: AnswerContext) -> Answer | None:
    """ "… hoàn thành khi nào" where the plan writes each task as points of one item ("a) Nhiệm vụ:
    …" ¶ "b) Cơ quan thực hiện: …" ¶ "c) Thời gian thực hiện: …"): the time is the point beside
    the task's, under the same item, not a date in the task's own wording."""
    query, ev = ctx.query, ctx.evidence
    if not ev.hits or fact_rule(query.text, query.fact, query.terms, query.folded).name not in (
        "when",
        "day",
    ):
        return None
    task = ev.hits[0].passage
    if len(task.section) < 2 or not _POINT.match(task.section[-1]) or time_cell(task.text):
        return None
    points = [
        p
        for p in ev.doc_passages.get(task.doc, [])
        if p.section[:-1] == task.section[:-1] and _POINT.match(p.section[-1]) and p.id != task.id
    ]
    timed = [(p, cell) for p in points if (cell := time_cell(p.text)) is not None]
    if len(timed) != 1:
        return None  # no time point, or one per sub-task: not this layout
    point, (label, value) = timed[0]
    cites = Cites(ctx.docs)
    n = cites.add(point, point.text, ev.hits[0].score)
    m = cites.add(task, task.text, ev.hits[0].score)
    text = (
        f"{label}: {value} [{n}] — {plan_label(task.doc, ctx.docs)}. "
        f"Nhiệm vụ: “{shorten(task.text, 200)}” [{m}]"
    )
    return Answer(question=query.text, answer=text, intent="fact", citations=cites.items)
