"""The units a plan assigns work to: "Phần tổ chức thực hiện giao nhiệm vụ cho những đơn vị nào?".

A plan drafted to Decree 30/2020 closes with "TỔ CHỨC THỰC HIỆN", one numbered item per unit,
the unit heading its item ("1. Sở Xây dựng" over its tasks, or "2. Sở Tài chính chủ trì, …").
Some plans assign the units in their body instead ("II. NỘI DUNG THỰC HIỆN": "1. Sở Y tế", "2. Sở
Tài chính", …) and keep "Tổ chức thực hiện" for two lines of follow-up. The answer is every unit
of that part, in the plan's order, each with its first task and cited.
"""

from __future__ import annotations

import re

from assistant.answer.common import AnswerContext, Cites, plan_label
from assistant.answer.evidence import shorten
from assistant.answer.lists import children_of, format_items
from assistant.records import Answer, Passage
from assistant.textnorm import fold

__all__ = ["assigned_units"]

_ORGANISATION = "to chuc thuc hien"
# "1.", "2.1.", "a)", "IV.": the enumerator opening an item or its heading
_ENUMERATOR = re.compile(r"^\s*(?:\d{1,3}(?:\.\d{1,3})*\.?|[a-zđ]\)|[IVXLC]{1,6}\.)\s*", re.I)
# the unit words an item opens with when the loader found no unit in it ("Giám đốc các Sở",
# "Các cơ sở sản xuất giống", "Thuế tỉnh"): still one unit's item
_UNIT_OPENING = re.compile(
    r"^(giao |de nghi )?(cac )?(so|ban|uy ban|ubnd|cong an|bo chi huy|thanh tra|thue|kho bac|"
    r"giam doc|thu truong|chu tich|hoi|lien hiep|trung tam|van phong|bao|dai|doanh nghiep|co so|"
    r"to chuc|co quan|don vi|dia phuong|mat tran|doan|hiep hoi)\b"
)
# the TCTH part is the one asked unless it barely assigns anything (two follow-up lines)
LEAST_ORGANISATION_UNITS = 3
GIST_CHARS = 90


def _label(title: str, ps: list[Passage]) -> str:
    """The unit an item is about: its heading without the enumerator ("1. Sở Xây dựng"), or,
    when the heading is the enumerator alone ("2."), the opening words of its text."""
    name = _ENUMERATOR.sub("", title).strip().rstrip(":").strip()
    if name:
        return name
    first = ps[0].text.strip().split("\n", 1)[0]
    first = _ENUMERATOR.sub("", first)
    # the item opens with its unit ("2. Sở Tài chính chủ trì, …", "5. UBND các xã, phường tăng
    # cường …", "6. Giao Sở Tư pháp …"): the unit the loader read as leading it, as it names it
    leads = [u for p in ps for u in p.lead]
    if leads and _UNIT_OPENING.match(fold(first)):
        return leads[0]
    return shorten(first, 60)


def _is_unit(label: str, ps: list[Passage]) -> bool:
    return any(p.lead or p.requested for p in ps) or bool(_UNIT_OPENING.match(fold(label)))


def _gist(label: str, ps: list[Passage]) -> tuple[Passage, str]:
    """The item's first task line (its quote), the heading line left out."""
    for p in ps:
        for raw in p.text.split("\n"):
            line = raw.strip()
            bare = _ENUMERATOR.sub("", line).strip().rstrip(":")
            if len(line) > 3 and fold(bare) != fold(label):
                return p, line
    return ps[0], ps[0].text.strip().split("\n", 1)[0]


def assigned_units(ctx: AnswerContext) -> Answer | None:
    """Every unit of the part of the best plan that assigns work one unit per item, else None."""
    query, ev = ctx.query, ctx.evidence
    wanted = query.filters.get("doc")
    docs = [wanted] if wanted else list(dict.fromkeys(h.passage.doc for h in ev.hits[:3]))
    named = _ORGANISATION in (query.folded or fold(query.text))
    for doc in docs:
        pool = ev.plan_pool(doc)
        best: tuple[tuple[bool, int], str, list] | None = None
        for top in dict.fromkeys(p.section[0] for p in pool if len(p.section) >= 2):
            items = [(_label(t, ps), ps) for t, ps in children_of(pool, doc, (top,)).items()]
            units = sum(_is_unit(label, ps) for label, ps in items)
            # a part of the plan assigns work unit by unit when most of its items are units
            if units < 2 or 3 * units < 2 * len(items):
                continue
            organisation = _ORGANISATION in fold(top)
            if named and not organisation:
                continue
            key = (organisation and units >= LEAST_ORGANISATION_UNITS, units)
            if best is None or key > best[0]:
                best = (key, top, items)
        if best is None:
            continue
        _, top, items = best
        cites = Cites(ctx.docs)
        lines = []
        for label, ps in items:
            p, line = _gist(label, ps)
            n = cites.add(p, line, 1.0)
            task = _ENUMERATOR.sub("", line.lstrip("-–•+* ")).strip()
            # a few units each with its first task; more are named alone, packed a few to a line
            # (an answer is a few lines: ``extractive.MAX_LINES``), each cited
            lines.append(
                f"{label}: {shorten(task, GIST_CHARS)} [{n}]" if len(items) <= 5 else f"{label} [{n}]"
            )
        head = f"{top.rstrip(':')} — {plan_label(doc, ctx.docs)}:"
        return Answer(
            question=query.text,
            answer=format_items(lines, head),
            intent="list",
            citations=cites.items,
        )
    return None
