"""Index step: embedders, Vietnamese BM25, the on-disk store and its builder.

Importing loads no model and opens no index; see ``build_index`` and ``IndexStore.load``.
"""

from .build import BuildReport, add_document, build_index, remove_document, tqdm_progress
from .embedders import Embedder, get_embedder
from .lexical import LexicalIndex, lexical_tokens
from .store import FORMAT_VERSION, IndexStore

__all__ = [
    "Embedder",
    "get_embedder",
    "LexicalIndex",
    "lexical_tokens",
    "IndexStore",
    "FORMAT_VERSION",
    "BuildReport",
    "build_index",
    "add_document",
    "remove_document",
    "tqdm_progress",
]
