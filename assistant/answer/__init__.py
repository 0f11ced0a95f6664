"""Answer step: question understanding, extractive composition, optional LLM.

Importing loads no model; ``llm`` imports LangChain only when an LLM is configured.
"""

from assistant.answer.common import Evidence, evidence_score, plan_label, refusal
from assistant.answer.extractive import compose, finalize
from assistant.answer.intent import Catalog, Query, parse_question

__all__ = [
    "Catalog",
    "Query",
    "parse_question",
    "Evidence",
    "compose",
    "evidence_score",
    "finalize",
    "plan_label",
    "refusal",
]
