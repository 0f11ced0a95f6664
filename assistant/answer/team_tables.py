"""A working body's table of tasks: "Nhiệm vụ thực hiện | Người thực hiện".

A Sở's plan for a training or an inspection round appends the division of the work of its team
("PHÂN CÔNG NHIỆM VỤ CỦA TỔ CÔNG TÁC …"): one row a task, the people who do it in the next
column. Asked what the team must do ("Tổ công tác … phải làm những việc gì?"), the rows' tasks
are the list, each with its people; asked who does one task ("những cán bộ nào trực tiếp tổ
chức huấn luyện, kiểm tra?"), the people of the row whose task the question names are.
The loader records the people of a row as the passage's ``persons``.
"""

from __future__ import annotations

import re

from assistant.answer.common import AnswerContext, Cites, plan_label
from assistant.answer.enumerations import PERSON_NOUNS
from assistant.answer.lists import format_items
from assistant.records import Answer, Passage
from assistant.textnorm import fold
from assistant.vocab.lists import TEAMS
from assistant.vocab.tokens import folded_tokens

__all__ = ["team_tasks", "team_people", "TASK_WORDS"]

TASK_WORDS = 3  # a task named by fewer words ("In ấn") is named by chance
# a team named in the question (``vocab.lists.TEAMS``)
_BODY = re.compile(r"\b(?:" + "|".join(TEAMS) + r")\b")


def _rows(ctx: AnswerContext) -> tuple[str, list[Passage]] | None:
    """The task table of the plan asked (named, else retrieved first): its rows naming people."""
    doc = ctx.query.filters.get("doc") or (ctx.hits[0].passage.doc if ctx.hits else None)
    if doc is None:
        return None
    rows = [p for p in ctx.evidence.plan_pool(doc) if p.kind == "table_row" and p.persons]
    return (doc, rows) if len(rows) >= 2 else None


def _task(p: Passage) -> str:
    return p.text.split(" | ", 1)[0].strip()


def team_tasks(ctx: AnswerContext, asked: str | None) -> Answer | None:
    """ "Tổ công tác … phải làm những việc gì?": every row of the team's table, its people after."""
    folded = ctx.query.folded or fold(ctx.query.text)
    if not _BODY.search(folded) or (asked is not None and asked in PERSON_NOUNS):
        return None
    found = _rows(ctx)
    if found is None:
        return None
    doc, rows = found
    cites = Cites(ctx.docs)
    items = [f"{_task(p)} ({', '.join(p.persons)}) [{cites.add(p, p.text, 1.0)}]" for p in rows]
    head = f"Phân công nhiệm vụ — {plan_label(doc, ctx.docs)}:"
    return Answer(
        question=ctx.query.text, answer=format_items(items, head), intent="list", citations=cites.items
    )


def team_people(ctx: AnswerContext, asked: str | None) -> Answer | None:
    """ "Những cán bộ nào trực tiếp tổ chức huấn luyện, kiểm tra?": the people of the one row whose
    task the question names."""
    if asked is None or asked not in PERSON_NOUNS:
        return None
    found = _rows(ctx)
    if found is None:
        return None
    doc, rows = found
    # the question writes the row's task whole ("… trực tiếp tổ chức huấn luyện, kiểm tra"): every
    # word of it is the question's; of such rows, the one of most words
    question = set(folded_tokens(ctx.query.folded or ctx.query.text))
    named = sorted(
        ((len(w), i) for i, p in enumerate(rows) if (w := set(folded_tokens(_task(p)))) and w <= question),
        reverse=True,
    )
    if not named or (len(named) > 1 and named[1][0] == named[0][0]) or named[0][0] < TASK_WORDS:
        return None
    row = rows[named[0][1]]
    cites = Cites(ctx.docs)
    n = cites.add(row, row.text, 1.0)
    head = f"{_task(row)} — {plan_label(doc, ctx.docs)}:"
    people = [*row.persons[:-1], f"{row.persons[-1]} [{n}]"]
    return Answer(
        question=ctx.query.text, answer=format_items(people, head), intent="list", citations=cites.items
    )
