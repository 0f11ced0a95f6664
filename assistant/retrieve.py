"""Hybrid retrieval: e5 vectors + Vietnamese BM25, fused, filtered, deduplicated.

``HybridRetriever.search`` returns ``Hit`` records for the answer layer; as a LangChain
``BaseRetriever`` it returns ``Document`` objects whose metadata carry the same facts.

Fusion (``settings.fusion``):
- ``minmax``: both sides' raw scores over the candidate union are min-max scaled and
  mixed as ``w·dense + (1-w)·lexical`` with ``w = settings.dense_weight``;
- ``rrf``: reciprocal-rank fusion ``w/(60+rank_dense) + (1-w)/(60+rank_lexical)``.
Measured on the 142 answerable questions of eval/questions.jsonl with e5-small, min-max
(w=0.4) put the supporting passage first for 0.69 of them (MRR@5 0.77), RRF for 0.68
(w=0.3) / 0.62 (w=0.5); lexical alone 0.63, dense alone 0.43.

Two things the plans' own metadata make possible, both general (nothing keyed to a file):
- a question that names a plan's province/district or number ("KH 183", "Lấp Vò") gets
  those plans' passages a small bonus (``Query.named``), and the place names leave the
  BM25 query (``Query.lexical_text``: passages that merely repeat a place name would
  otherwise win).  Both come from the question parser; this module reads no question;
- a question typed entirely without diacritics is embedded with them restored from the
  index's vocabulary (``DiacriticRestorer``): e5 reads bare Vietnamese poorly.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from functools import lru_cache
from typing import Any

import numpy as np
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict, PrivateAttr

from .errors import BadQuestion, ConfigError
from .query.model import Query
from .records import Hit
from .rerank import Reranker, default_reranker, rerank
from .snapshot import FILTER_KEYS, IndexSnapshot
from .textnorm import fold
from .vocab.abbreviations import expand_abbreviations
from .vocab.tokens import has_diacritics, syllables

__all__ = ["HybridRetriever", "FILTER_KEYS", "RRF_K", "passage_document"]

RRF_K = 60
DUP_JACCARD = 0.9  # word-trigram overlap above which two passages count as the same text
SCOPE_BONUS = 0.15  # share of the best fused score added to passages of the plans a question names
DEDUP_CACHE = 16_384  # passage bodies whose dedup keys are kept (least recently used dropped)
QVEC_CACHE = 256  # question vectors kept (by the text embedded), least recently used dropped


def _minmax(x: np.ndarray) -> np.ndarray:
    lo, hi = float(x.min()), float(x.max())
    if hi - lo < 1e-9:
        return np.ones_like(x) if hi > 0 else np.zeros_like(x)
    return (x - lo) / (hi - lo)


@lru_cache(maxsize=DEDUP_CACHE)
def _dedup_key(body: str) -> tuple[str, frozenset[tuple[str, ...]]]:
    """A passage body's folded syllables and its word trigrams, for near-duplicate removal.

    Cached by the body's text: folding is most of a search's own time on a small index, and the
    same passages come back question after question.
    """
    w = syllables(fold(body))
    return " ".join(w), frozenset(tuple(w[i : i + 3]) for i in range(max(1, len(w) - 2)))


def _jaccard(a: frozenset, b: frozenset) -> float:
    """|a ∩ b| / |a ∪ b| without building the union (the dedup loop's cost is these sets)."""
    inter = len(a & b)
    return inter / (len(a) + len(b) - inter)


def passage_document(hit: Hit, title: str = "") -> Document:
    p = hit.passage
    return Document(
        page_content=p.text,
        id=p.id,
        metadata={
            "id": p.id,
            "doc": p.doc,
            "title": title,
            "kind": p.kind,
            "section": list(p.section),
            "lead": list(p.lead),
            "partners": list(p.partners),
            "province": p.province,
            "district": p.district,
            "page": p.page,
            "row": p.row,
            "score": hit.score,
            "dense": hit.dense,
            "lexical": hit.lexical,
            "rank": hit.rank,
        },
    )


class HybridRetriever(BaseRetriever):
    """Dense (FAISS) + lexical (BM25) retrieval over an ``IndexStore``."""

    store: Any
    embedder: Any
    settings: Any
    snapshot: Any = None  # IndexSnapshot of ``store`` (built here when not given)
    filters: dict | None = None  # defaults for LangChain calls
    k: int | None = None
    scope_bonus: float = SCOPE_BONUS  # 0 turns off the plan-naming boost (ablation)
    drop_places: bool = True  # take plan place names out of the lexical query
    restore_diacritics: bool = True  # embed unaccented questions with their marks restored
    # the learned reranker (``rerank``): None follows ``settings.rerank``, False keeps the fused
    # order (what ``eval.rerank_train`` learns from), a ``Reranker`` is used as given
    reranker: Any = None
    model_config = ConfigDict(arbitrary_types_allowed=True)
    _qcache: OrderedDict[str, np.ndarray] = PrivateAttr(default_factory=OrderedDict)
    _qlock: Any = PrivateAttr(default_factory=threading.Lock)

    def __init__(self, store=None, embedder=None, settings=None, **kw: Any) -> None:
        # the fields are this class's (pydantic); mypy only sees BaseRetriever's signature
        super().__init__(store=store, embedder=embedder, settings=settings, **kw)
        if self.snapshot is None:
            self.snapshot = IndexSnapshot.build(store)
        if getattr(embedder, "id", None) and store.embedder_id != embedder.id:
            raise ConfigError(
                "Mô hình nhúng không khớp với chỉ mục.",
                f"Embedder {embedder.id} does not match index ({store.embedder_id}).",
                hint="chạy `python -m assistant index`",
            )

    def _qvec(self, query: str) -> np.ndarray:
        """The question's vector, embedded once: one ask searches several times with the same text
        (a comparison: once overall, once per plan), and a repeated question costs nothing."""
        with self._qlock:
            v = self._qcache.get(query)
            if v is not None:
                self._qcache.move_to_end(query)
                return v
        enc = getattr(self.embedder, "encode_query", None)
        v = enc(query) if enc else np.asarray(self.embedder.embed_query(query), dtype=np.float32)
        v = np.asarray(v, dtype=np.float32)
        v.setflags(write=False)  # shared between searches
        with self._qlock:
            self._qcache[query] = v
            while len(self._qcache) > QVEC_CACHE:
                self._qcache.popitem(last=False)
        return v

    def _reranker(self) -> Reranker | None:
        if self.reranker is False:
            return None
        if isinstance(self.reranker, Reranker):
            return self.reranker
        return default_reranker() if getattr(self.settings, "rerank", False) else None

    def search(self, query: Query | str, filters: dict | None = None, k: int | None = None) -> list[Hit]:
        """The k best passages for ``query``, restricted by ``filters``, near-duplicates removed.

        A ``Query`` brings its boosts (the plans it names) and its lexical text (place names
        out); a bare string is first read by the question parser (``IndexSnapshot.read``) —
        this module reads no question text itself.  With the reranker on (``settings.rerank``)
        its ``depth`` best fused candidates are reordered before the cut to k.
        """
        query = self._read(query)
        k = int(k or self.k or self.settings.top_k)
        model = self._reranker()
        hits = self.candidates(query, filters, k, model.depth if model else k)
        if model is not None:
            hits = rerank(query, hits, model, self.snapshot.idf)
        return hits[:k]

    def _read(self, query: Query | str) -> Query:
        if isinstance(query, str):
            if not query.strip():
                raise BadQuestion("Câu hỏi trống.", "Empty question.", hint="hãy nhập câu hỏi")
            snap0: IndexSnapshot = self.snapshot
            query = snap0.read(query)
        if not query.text or not query.text.strip():
            raise BadQuestion("Câu hỏi trống.", "Empty question.", hint="hãy nhập câu hỏi")
        return query

    def candidates(self, query: Query | str, filters: dict | None, k: int, depth: int) -> list[Hit]:
        """The fused order (no reranking): the best ``max(k, depth)`` passages, near-duplicates
        removed, from the candidate pool a search for k draws (``eval.rerank_train`` learns on it)."""
        query = self._read(query)
        s = self.settings
        store = self.store
        if len(store) == 0:
            return []
        snap: IndexSnapshot = self.snapshot
        mask = snap.mask(filters if filters is not None else self.filters)
        allowed = np.flatnonzero(mask) if mask is not None else None
        if allowed is not None and allowed.size == 0:
            return []
        # the pool is the one a search for k always drew: min-max fusion scales over it, so a
        # deeper pool would change the fused order the reranker was trained on
        n_cand = max(50, 5 * k)
        want = max(k, depth)

        # plans mostly write unit names in full; the embedder sees the question that way too
        dense_text = expand_abbreviations(query.text)
        if self.restore_diacritics and not has_diacritics(query.text):
            dense_text = snap.restorer.restore(dense_text)
        qvec = self._qvec(dense_text)
        # begun before the lexical side: a store in PostgreSQL runs both statements at once
        dense_hits = store.dense_begin(qvec, n_cand, allowed)
        named = query.named
        lex_text = (query.lexical_text or query.text) if self.drop_places else query.text
        # the lexical top candidates from the query's postings only, never every passage's score
        terms = store.lexical_terms(lex_text, use_units=s.use_units)
        lex = store.lexical_search(terms, n_cand, mask=mask, allowed=allowed)
        dense = dense_hits()

        cand = list(dict.fromkeys([i for i, _ in dense] + [i for i, _ in lex]))
        if not cand:
            return []
        pos = np.array(cand, dtype=np.int64)
        # both raw scores for every candidate, so neither side's absences read as zeros (a store in
        # PostgreSQL reads what it does not know yet in one statement: ``pg_candidates``)
        dense_raw, lex_raw = store.candidate_scores(qvec, terms, pos, dense)
        if s.fusion == "rrf":
            w = s.dense_weight
            rd = {i: r for r, (i, _) in enumerate(dense, 1)}
            rl = {i: r for r, (i, _) in enumerate(lex, 1)}
            fused = np.array(
                [
                    (w / (RRF_K + rd[i]) if i in rd else 0.0)
                    + ((1 - w) / (RRF_K + rl[i]) if i in rl else 0.0)
                    for i in cand
                ]
            )
        else:  # "minmax" (settings refuse any other value when they load)
            fused = s.dense_weight * _minmax(dense_raw) + (1 - s.dense_weight) * _minmax(lex_raw)
        if named and self.scope_bonus > 0:
            in_scope = np.array([store.passages[i].doc in named for i in cand])
            fused = fused + self.scope_bonus * float(fused.max()) * in_scope
        order = np.argsort(-fused, kind="stable")

        hits: list[Hit] = []
        kept: list[tuple[str, frozenset]] = []
        for j in order:
            p = store.passages[int(pos[j])]
            # same heading and (nearly) same text: a repeated page or a plan loaded twice
            key, sh = _dedup_key(" ".join([*p.section, p.text]))
            if any(key == k0 or (sh and _jaccard(sh, s0) >= DUP_JACCARD) for k0, s0 in kept):
                continue
            kept.append((key, sh))
            hits.append(
                Hit(
                    passage=p,
                    score=float(fused[j]),
                    dense=float(dense_raw[j]),
                    lexical=float(lex_raw[j]),
                    rank=len(hits) + 1,
                )
            )
            if len(hits) >= want:
                break
        return hits

    def _get_relevant_documents(
        self,
        query: str,
        *,
        run_manager: CallbackManagerForRetrieverRun,
        filters: dict | None = None,
        k: int | None = None,
    ) -> list[Document]:
        docs = self.store.docs
        return [
            passage_document(h, getattr(docs.get(h.passage.doc), "title", "") or "")
            for h in self.search(query, filters=filters, k=k)
        ]
