"""The obvious alternatives, measured on the same questions in the same run.

1. The LangChain tutorial pipeline: the raw file loaded as-is, split by
   ``RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200)``, embedded
   with the *same* embedder object as ours, searched with FAISS. The tutorial's
   ``langchain_community.vectorstores.FAISS`` is a thin wrapper over
   ``faiss.IndexFlatL2``; that package is not a dependency here, so the same flat L2
   index is built with ``faiss`` directly (identical ranking).
2. BM25 (``bm25s``) over those same chunks, whitespace + lower-case tokens, as a
   tutorial would write it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

__all__ = ["Chunk", "raw_text", "split_chunks", "DenseChunks", "BM25Chunks", "PEER_NAMES"]

PEER_NAMES = {"langchain": "LangChain tutorial (1000/200 + FAISS)", "bm25": "BM25 over the same chunks"}


@dataclass(frozen=True)
class Chunk:
    id: str
    doc: str
    text: str
    start: int  # character offset in the loaded text (LangChain's add_start_index)


def raw_text(path: Path) -> str:
    """What a tutorial loader returns: text files as-is; PDF/DOCX as plain extracted text."""
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        from pypdf import PdfReader  # PyPDFLoader's own backend

        return "\n".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)
    if suffix == ".docx":
        import docx  # Docx2txtLoader reads paragraphs the same way

        return "\n".join(p.text for p in docx.Document(str(path)).paragraphs)
    return path.read_text(encoding="utf-8", errors="replace")


def split_chunks(docs: Sequence[tuple[str, str]], chunk_size: int = 1000, overlap: int = 200) -> list[Chunk]:
    """Split (doc name, text) pairs exactly as the tutorial does."""
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    splitter = RecursiveCharacterTextSplitter(
        chunk_size=chunk_size, chunk_overlap=overlap, add_start_index=True
    )
    out: list[Chunk] = []
    for name, text in docs:
        for i, d in enumerate(splitter.create_documents([text], metadatas=[{"source": name}])):
            out.append(Chunk(f"{name}#c{i}", name, d.page_content, int(d.metadata.get("start_index", -1))))
    return out


class DenseChunks:
    """Chunks embedded with the given embedder, exact L2 search (normalised vectors)."""

    def __init__(self, chunks: Sequence[Chunk], embedder):
        import faiss

        self.chunks = list(chunks)
        self.embedder = embedder
        vecs = np.asarray(embedder.embed_documents([c.text for c in self.chunks]), dtype=np.float32)
        self.index = faiss.IndexFlatL2(vecs.shape[1] if len(vecs) else int(embedder.dim))
        if len(vecs):
            self.index.add(vecs)

    def search(self, query: str, k: int = 10) -> list[Chunk]:
        if not self.chunks:
            return []
        q = np.asarray([self.embedder.embed_query(query)], dtype=np.float32)
        _, idx = self.index.search(q, min(k, len(self.chunks)))
        return [self.chunks[i] for i in idx[0] if i >= 0]


def _tokens(text: str) -> list[str]:
    return text.lower().split()


class BM25Chunks:
    """bm25s with whitespace + lower-case tokens (no stemming, no stop words)."""

    def __init__(self, chunks: Sequence[Chunk]):
        import bm25s

        self.chunks = list(chunks)
        self.bm25 = bm25s.BM25()
        self.bm25.index([_tokens(c.text) for c in self.chunks], show_progress=False)
        self.vocab = set(self.bm25.vocab_dict)

    def search(self, query: str, k: int = 10) -> list[Chunk]:
        # bm25s rejects tokens it has never seen; dropping them is what a zero weight means
        toks = [t for t in _tokens(query) if t in self.vocab]
        if not toks or not self.chunks:
            return []
        docs, scores = self.bm25.retrieve(
            [toks], k=min(k, len(self.chunks)), show_progress=False, n_threads=1
        )
        return [self.chunks[int(i)] for i, s in zip(docs[0], scores[0]) if s > 0]
