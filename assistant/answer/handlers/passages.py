"""The fallback: the best passages for the question, quoted, when no family is confident."""

from __future__ import annotations

from assistant.answer.common import AnswerContext, refusal
from assistant.answer.extractive import compose_passages
from assistant.answer.handler import Handler, weak
from assistant.query.model import Intent, Query
from assistant.records import Answer

__all__ = ["PassagesHandler"]


class PassagesHandler(Handler):
    name = "passages"
    intents = frozenset({Intent.OTHER})

    def detect(self, query: Query) -> float:
        # always able to answer, but never preferred over a family that claims the question
        return 1.0 if query.intent in self.intents else 0.1

    def compose(self, ctx: AnswerContext) -> Answer | None:
        if weak(ctx):
            return refusal(ctx)
        return compose_passages(ctx)
