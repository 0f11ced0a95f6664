"""The content of one labelled field of an activity, asked by its label.

A plan describes an activity by labelled fields, one a line: "- Nội dung: …", "- Số lượng: 02 hội
nghị/năm …", "- Thành phần: Đại diện …, đại diện …", "- Thời gian: 01 ngày/hội nghị" (Decree
30/2020's layout of a plan's parts, and how provinces write the conferences, trainings and rounds
of inspection they plan). The labels are the slots of one activity, not items of a list: "hội
nghị có những thành phần nào" asks what the "Thành phần" field holds, and the list of the labels
("Nội dung; Số lượng; Thành phần; Thời gian") answers nothing.
"""

from __future__ import annotations

import re

from assistant.answer.common import AnswerContext, Cites, plan_label
from assistant.answer.enumerations import GENERIC_NOUNS, logical_lines
from assistant.records import Answer, Passage
from assistant.textnorm import fold

__all__ = ["labelled_field"]

# "- Thành phần: …": a bulleted short label, its content on the same line
_FIELD = re.compile(r"^[-–•+*]\s*(?P<label>[^:]{3,40}):\s*(?P<content>\S.*)$")
LEAST_FIELDS = 2  # one labelled line alone is a sentence with a colon, not an activity's fields
HITS_READ = 3


def _fields(p: Passage) -> list[tuple[str, str, str]]:
    """(folded label, content, line) of each labelled line of the passage."""
    out = []
    for line in logical_lines(p.text):
        m = _FIELD.match(line)
        if m:
            out.append((" ".join(fold(m.group("label")).lower().split()), m.group("content"), line))
    return out


def labelled_field(ctx: AnswerContext, asked: str | None) -> Answer | None:
    """The field whose label is the noun phrase asked, among the best passages' labelled lines."""
    if not asked or asked in GENERIC_NOUNS or len(asked.split()) < 2:
        return None
    for h in ctx.hits[:HITS_READ]:
        fields = _fields(h.passage)
        if len(fields) < LEAST_FIELDS:
            continue
        for label, content, line in fields:
            if label == asked:
                cites = Cites(ctx.docs)
                n = cites.add(h.passage, line, 1.0)
                name = line.lstrip("-–•+* ").split(":", 1)[0]
                text = f"{name} — {plan_label(h.passage.doc, ctx.docs)}: {content} [{n}]"
                return Answer(question=ctx.query.text, answer=text, intent="list", citations=cites.items)
    return None
