"""The names a table's "Tên …" column lists: "Các đơn vị được kiểm tra gồm những đơn vị nào?".

An annex that lists the parties a plan deals with ("PHỤ LỤC I: TT | Tên đơn vị được kiểm tra |
Đối tượng kiểm tra | Thời gian …") names its subject column "Tên <party>" (the form's convention:
"Tên đơn vị", "Tên doanh nghiệp", "Tên công trình"). A question that writes that party whole ("các
đơn vị được kiểm tra") asks the column: every row's cell in it, in the table's order. A table read
without task columns writes each cell after its column's name ("Tên đơn vị được kiểm tra: Công ty
X | …", ``ingest.tables._plain_row``), so the column is found by that name.
"""

from __future__ import annotations

import re

from assistant.answer.common import AnswerContext, Cites, plan_label
from assistant.answer.lists import format_items
from assistant.records import Answer, Passage
from assistant.textnorm import fold

__all__ = ["column_list"]

_CELL = re.compile(r"^\s*(?P<label>[^:|]{3,80}?):\s+(?P<value>.+?)\s*$", re.S)
_NAME_COLUMN = re.compile(r"^ten ")
MIN_PARTY_WORDS = 2  # "đơn vị" at least: one word ("Tên") names no party
MIN_ROWS = 2
# the words that link a party's name to its qualifier ("đơn vị được kiểm tra", "đơn vị của tỉnh"):
# a question may leave them out
_LINKING = {"duoc", "cua", "bi", "da", "se", "cac"}


def _cells(p: Passage) -> dict[str, str]:
    out = {}
    for part in p.text.split(" | "):
        m = _CELL.match(part)
        if m:
            out[m.group("label").strip()] = m.group("value").strip()
    return out


def _words(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", fold(text)))


def column_list(ctx: AnswerContext) -> Answer | None:
    """The cells of the "Tên <party>" column whose party the question writes whole, else None."""
    doc = ctx.query.filters.get("doc") or (ctx.hits[0].passage.doc if ctx.hits else None)
    if doc is None:
        return None
    question = f" {_words(ctx.query.text)} "
    best: tuple[int, str, tuple[str, ...]] | None = None
    tables: dict[tuple[str, ...], list[Passage]] = {}
    for p in ctx.evidence.plan_pool(doc):
        if p.kind == "table_row":
            tables.setdefault(p.section, []).append(p)
    for section, rows in tables.items():
        for label in dict.fromkeys(lb for r in rows for lb in _cells(r)):
            folded = _words(label)
            if not _NAME_COLUMN.match(folded):
                continue
            party = folded.removeprefix("ten ").split()
            head = " ".join(party[:MIN_PARTY_WORDS])
            # the party's words are the question's ("kiểm tra những đơn vị nào" of "đơn vị được
            # kiểm tra"), and the question asks for the parties themselves: "những <party> nào"
            if (
                len(party) >= MIN_PARTY_WORDS
                and set(party) - _LINKING <= set(question.split())
                and re.search(rf" (nhung|cac) {head} nao ", question)
            ):
                if best is None or len(party) > best[0]:
                    best = (len(party), label, section)
    if best is None:
        return None
    _, label, section = best
    named = [(r, v) for r in tables[section] if (v := _cells(r).get(label))]
    if len(named) < MIN_ROWS:
        return None
    cites = Cites(ctx.docs)
    items = [f"{' '.join(v.split())} [{cites.add(r, r.text, 1.0)}]" for r, v in named]
    head = f"{label} — {plan_label(doc, ctx.docs)}:"
    return Answer(
        question=ctx.query.text, answer=format_items(items, head), intent="list", citations=cites.items
    )
