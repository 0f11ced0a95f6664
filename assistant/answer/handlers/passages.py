"""The fallback: the best passages for the question, quoted, when no family is confident."""

from __future__ import annotations

from typing import TYPE_CHECKING

from assistant.answer.common import AnswerContext, Evidence, refusal
from assistant.answer.extractive import compose_passages
from assistant.answer.handler import Handler, add_plan_passages, search, weak
from assistant.answer.list_items import ENUMERATOR
from assistant.answer.lists import list_section
from assistant.query.model import Intent, Query
from assistant.records import Answer
from assistant.vocab.tokens import folded_tokens

if TYPE_CHECKING:
    from assistant.snapshot import IndexSnapshot

__all__ = ["PassagesHandler", "named_heading"]

# A numbered heading of a plan names the activity its items set out ("2.1. Xử lý số liệu", "1. Công
# tác tuyên truyền"): "số liệu … được xử lý thế nào" names that heading with its own words (all of
# them, in any order) and asks for its items, not for the one sentence that matches best. A heading
# of one word names too little ("1. Nội dung") to be told from the question's other words.
HEADING_WORDS = 3
HITS_READ = 3
# the linking words a heading writes around its nouns ("Về …", "… và …", "Các …")
_LINKING = frozenset("ve va cac cua cho trong tai".split())


def named_heading(ctx: AnswerContext) -> Answer | None:
    """The items under the heading of a best passage when the question says all its words."""
    said = set(folded_tokens(ctx.query.folded or ctx.query.text))
    for h in ctx.hits[:HITS_READ]:
        p = h.passage
        if not p.section or p.kind == "metadata":
            continue
        words = [w for w in folded_tokens(ENUMERATOR.sub("", p.section[-1])) if w not in _LINKING]
        if len(words) >= HEADING_WORDS and all(w in said for w in words):
            return list_section(ctx, p.doc, tuple(p.section), h)
    return None


class PassagesHandler(Handler):
    name = "passages"
    intents = frozenset({Intent.OTHER})

    def detect(self, query: Query) -> float:
        # always able to answer, but never preferred over a family that claims the question
        return 1.0 if query.intent in self.intents else 0.1

    def gather(self, query: Query, snapshot: IndexSnapshot) -> Evidence:
        ev = search(query, snapshot)
        # a heading named by the question is listed whole (``named_heading``): its plan gathered
        return add_plan_passages(ev, snapshot, {h.passage.doc for h in ev.hits[:HITS_READ]})

    def compose(self, ctx: AnswerContext) -> Answer | None:
        if weak(ctx):
            return refusal(ctx)
        return named_heading(ctx) or compose_passages(ctx)
