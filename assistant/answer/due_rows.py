"""The rows of a task table due in the period asked: "những việc nào phải xong trong Quý II/2026?".

A plan's table of tasks (the annex "Một số nhiệm vụ trọng tâm", "Nhiệm vụ | Cơ quan chủ trì | Cơ
quan phối hợp | Thời gian thực hiện") gives each task its time in a column of its own ("Xong trong
Quý II/2026", "Xong trong tháng 5/2026", "Thường xuyên"): the loader writes that cell after its
column's name ("… | Thời gian thực hiện: Xong trong Quý II/2026"). A list question that names a
quarter or a month (or a year the work is finished in) asks the rows whose time cell is that
period, not the table whole nor the one row retrieved first.
"""

from __future__ import annotations

import re

from assistant.answer.common import AnswerContext, Cites, plan_label
from assistant.answer.evidence import shorten
from assistant.answer.lists import format_items, share
from assistant.records import Answer, Passage
from assistant.textnorm import fold

__all__ = ["due_rows", "asked_period"]

# the column that dates a task: "Thời gian thực hiện", "Thời gian hoàn thành", "Thời hạn", "Tiến độ"
_TIME_LABEL = re.compile(r"^(thoi gian|thoi han|tien do)\b")
_CELL = re.compile(r"^\s*(?P<label>[^:|]{3,60}?):\s+(?P<value>.+?)\s*$", re.S)
_ROMAN = {"i": "1", "ii": "2", "iii": "3", "iv": "4"}
# a quarter ("quý II/2026", "quý 2 năm 2026"), a month ("tháng 5/2026"), or a year the work is
# finished by ("xong trong năm 2026", "hoàn thành trước năm 2030"): a year alone most often names
# the plan's own period ("kế hoạch năm 2025"), never which of its rows is asked
_QUARTER = re.compile(r"\bquy (i{1,3}|iv|[1-4])(?:/| nam )(\d{4})\b")
_MONTH = re.compile(r"\bthang (\d{1,2})(?:/| nam )(\d{4})\b")
_DUE_YEAR = re.compile(r"\b(?:xong|hoan thanh|ket thuc)(?: (?:trong|truoc|vao))? nam (\d{4})\b")
MIN_TIMED = 2  # a table of at least two dated rows


def asked_period(text: str) -> str | None:
    """The period a folded text names, written one way ("quy 2/2026", "thang 5/2026", "nam 2026")."""
    if m := _QUARTER.search(text):
        return f"quy {_ROMAN.get(m.group(1), m.group(1))}/{m.group(2)}"
    if m := _MONTH.search(text):
        return f"thang {int(m.group(1))}/{m.group(2)}"
    if m := _DUE_YEAR.search(text):
        return f"nam {m.group(1)}"
    return None


def _cell_period(value: str, asked: str) -> bool:
    """The time cell names the period asked (a year asked is met by any date within it)."""
    folded = fold(value)
    if asked.startswith("nam "):
        return re.search(rf"\b{asked[4:]}\b", folded) is not None
    return asked_period(folded) == asked


def _time_cell(p: Passage) -> tuple[str, str, str] | None:
    """(task, time column's name, its value) of a table row with a time column, else None."""
    parts = p.text.split(" | ")
    for i, part in enumerate(parts):
        m = _CELL.match(part)
        if m and i > 0 and _TIME_LABEL.match(fold(m.group("label")).strip()):
            return parts[0].strip(), m.group("label").strip(), m.group("value").strip()
    return None


def due_rows(ctx: AnswerContext) -> Answer | None:
    """The tasks of the plan's table whose time cell is the period the question names, else None."""
    folded = ctx.query.folded or fold(ctx.query.text)
    period = asked_period(folded)
    if period is None:
        return None
    doc = ctx.query.filters.get("doc") or (ctx.hits[0].passage.doc if ctx.hits else None)
    if doc is None:
        return None
    timed = [
        (p, cell) for p in ctx.evidence.plan_pool(doc) if p.kind == "table_row" and (cell := _time_cell(p))
    ]
    if len(timed) < MIN_TIMED:
        return None
    due = [(p, cell) for p, cell in timed if _cell_period(cell[2], period)]
    if not due:
        return None
    cites = Cites(ctx.docs)
    width = share(len(due), 240)
    items = []
    for p, (task, label, value) in due:
        n = cites.add(p, p.text, 1.0)
        items.append(f"{shorten(' '.join(task.split()), width)} ({label}: {value}) [{n}]")
    head = f"Các nhiệm vụ đến hạn trong thời gian được hỏi — {plan_label(doc, ctx.docs)}:"
    return Answer(
        question=ctx.query.text, answer=format_items(items, head), intent="list", citations=cites.items
    )
