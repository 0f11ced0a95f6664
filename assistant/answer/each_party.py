"""A value asked "for each" party, where an annex table gives one row a party.

An annex table gives each row to one party ("TT | Tên đơn vị được kiểm tra | … | Thời hạn kiểm
tra": one inspected company a row), so a row's cell is that party's value alone. A question that
asks it for every party ("mỗi đơn vị được kiểm tra trong bao lâu?") asks the rule the body writes
for all of them ("Dự kiến khoảng 02 ngày làm việc/01 đơn vị"), not one row's cell: the fact is
looked for again without the rows, and a row answers only when no sentence of the body does.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from assistant.answer.common import AnswerContext
from assistant.records import Answer
from assistant.textnorm import fold

__all__ = ["asks_each_party", "without_rows"]

# "mỗi / từng đơn vị (cơ quan, doanh nghiệp, người, học viên …)": every party of the kind
_EACH_PARTY = re.compile(
    r"\b(moi|tung) (mot )?(don vi|co quan|doanh nghiep|cong ty|co so|nguoi|hoc vien|thanh vien|xa|phuong)\b"
)


def asks_each_party(folded: str) -> bool:
    return bool(_EACH_PARTY.search(folded))


def without_rows(
    ctx: AnswerContext, ans: Answer | None, compose: Callable[[AnswerContext], Answer | None]
) -> Answer | None:
    """``ans`` again without the table rows when it quotes one row and each party is asked."""
    if ans is None or ans.refused or not asks_each_party(ctx.query.folded or fold(ctx.query.text)):
        return ans
    first = next((c for c in ans.citations if not c.related_only), None)
    if first is None or first.kind != "table_row":
        return ans
    ev = ctx.evidence
    prose = replace(
        ev,
        hits=[h for h in ev.hits if h.passage.kind != "table_row"],
        doc_passages={d: [p for p in ps if p.kind != "table_row"] for d, ps in ev.doc_passages.items()},
    )
    again = compose(replace(ctx, evidence=prose))
    return again if again is not None and not again.refused else ans
