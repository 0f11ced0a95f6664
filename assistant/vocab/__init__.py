"""The vocabulary of Vietnamese administrative plans, in one place.

- ``data``: the one reader of ``assistant/data/*.json``;
- ``tokens``: the tokeniser (BM25, question parser, composers) and stopwords;
- ``abbreviations``: short forms ↔ long forms, ``expand_abbreviations``;
- ``places``: provinces (also after the 2025 reorganisation), place prefixes, communes;
- ``documents``: document kinds and how their numbers are written;
- ``units``: unit names, aliases, head and role words;
- ``synonyms``: everyday phrases of a question in the verbs plans write ("soạn đề" → "xây dựng bài kiểm tra").
"""

from assistant.vocab.abbreviations import expand_abbreviations
from assistant.vocab.documents import DOC_KINDS, DocMention, doc_mentions
from assistant.vocab.places import locality_of, place_key, province_names
from assistant.vocab.tokens import content_terms, folded_tokens, syllables

__all__ = [
    "expand_abbreviations",
    "DOC_KINDS",
    "DocMention",
    "doc_mentions",
    "locality_of",
    "place_key",
    "province_names",
    "content_terms",
    "folded_tokens",
    "syllables",
]
