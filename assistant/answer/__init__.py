"""Answer step: handlers per question family, extractive composition, optional LLM.

Importing loads no model; ``llm`` imports LangChain only when an LLM is configured.
"""

from assistant.answer.common import AnswerContext, Evidence, evidence_score, plan_label, refusal
from assistant.answer.extractive import finalize
from assistant.answer.registry import answer, compose, handler_for

__all__ = [
    "AnswerContext",
    "Evidence",
    "answer",
    "compose",
    "evidence_score",
    "finalize",
    "handler_for",
    "plan_label",
    "refusal",
]
