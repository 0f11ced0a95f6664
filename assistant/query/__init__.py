"""Question understanding: one typed ``Query`` per question.

- ``model``: ``Query``, ``Intent``, ``FactKind``, ``Role``, ``SectionKind``;
- ``catalog``: the loaded collection as the parser sees it (places, numbers, units);
- ``rules``: the question-form rules that pick the intent and fact kind;
- ``parse``: ``parse_question``; ``conversation``: ``follow_up`` for conversation turns.
"""

from assistant.query.catalog import Catalog
from assistant.query.conversation import follow_up
from assistant.query.model import FactKind, Intent, Query, Role, SectionKind, TeamRole
from assistant.query.parse import parse_question

__all__ = [
    "Catalog",
    "FactKind",
    "Intent",
    "Query",
    "Role",
    "SectionKind",
    "TeamRole",
    "follow_up",
    "parse_question",
]
