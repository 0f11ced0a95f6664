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
  those plans' passages a small bonus, and the place names leave the BM25 query (passages
  that merely repeat a place name would otherwise win);
- a question typed entirely without diacritics is embedded with them restored from the
  index's vocabulary (``DiacriticRestorer``): e5 reads bare Vietnamese poorly.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import numpy as np
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from .errors import BadQuestion, ConfigError
from .indexing.lexical import DiacriticRestorer, expand_abbreviations, has_diacritics, top_positive
from .records import Hit, Passage
from .textnorm import fold, match_key, nfc, syllables

__all__ = ["HybridRetriever", "FILTER_KEYS", "RRF_K", "passage_document"]

FILTER_KEYS = ("province", "district", "doc", "kind", "unit")
RRF_K = 60
DUP_JACCARD = 0.9  # word-trigram overlap above which two passages count as the same text
_PLAN_NUMBER = re.compile(r"(?<!\w)(?:ke hoach|kh|quyet dinh|qd)\s*(?:so\s*)?(\d+)(?!\d)")
SCOPE_BONUS = 0.15  # share of the best fused score added to passages of the plans a question names
_PLACE_PREFIX = re.compile(r"^(tinh|thanh pho|tp\.?|huyen|quan|thi xa|thi tran|xa|phuong)\s+")


def _place_key(name: str | None) -> str:
    k = " ".join(fold(name or "").split())
    return _PLACE_PREFIX.sub("", k)


_LOCAL_ISSUER = re.compile(r"\b(?:xa|phuong|thi tran|dac khu|thanh pho|thi xa)\s+([a-z0-9][a-z0-9 '-]*)$")


def _locality_key(issuer: str | None) -> str:
    """The commune/ward/city named by a plan's issuer ("Ủy ban nhân dân xã Đồng Tâm Phú" →
    "dong tam phu"): since 2025 a xã plan has no district, its issuer is its place."""
    m = _LOCAL_ISSUER.search(" ".join(fold(issuer or "").replace(",", " ").split()))
    name = m.group(1).strip(" -") if m else ""
    return name if len(name.split()) >= 2 else ""


def _unit_key(name: str) -> str:
    return " ".join(syllables(fold(match_key(name))))


def _values(v: Any) -> list[str]:
    if v is None or v == "":
        return []
    if isinstance(v, str):
        return [v]
    if isinstance(v, Iterable):
        return [str(x) for x in v if x not in (None, "")]
    return [str(v)]


def _canonical_units(name: str, province: str | None) -> set[str]:
    """The unit as written plus its canonical form when the ingest step can tell."""
    keys = {_unit_key(name)}
    try:
        from .ingest.units import canonical_unit
    except ImportError:
        return keys
    try:
        keys.add(_unit_key(canonical_unit(name, province)))
    except Exception:  # an unknown unit simply matches as written
        pass
    return keys


class _FilterData:
    """Per-store arrays that make a filter a few vectorised comparisons."""

    def __init__(self, store) -> None:
        docs = store.docs
        ps: list[Passage] = store.passages

        def doc_attr(p: Passage, a: str):
            m = docs.get(p.doc)
            return getattr(m, a, None) if m is not None else None

        self.province = np.array(
            [_place_key(p.province or doc_attr(p, "province")) for p in ps], dtype=object
        )
        self.district = np.array(
            [_place_key(p.district or doc_attr(p, "district")) for p in ps], dtype=object
        )
        self.doc = np.array([p.doc for p in ps], dtype=object)
        self.kind = np.array([p.kind for p in ps], dtype=object)
        self.units: dict[str, list[int]] = {}
        for i, p in enumerate(ps):
            for u in {*p.lead, *p.partners}:
                self.units.setdefault(_unit_key(u), []).append(i)


def _mask(store, filters: dict | None) -> np.ndarray | None:
    if not filters:
        return None
    unknown = set(filters) - set(FILTER_KEYS)
    if unknown:
        raise BadQuestion(
            f"Bộ lọc không hỗ trợ: {', '.join(sorted(unknown))}.",
            f"Unsupported filter(s): {', '.join(sorted(unknown))}.",
            hint=f"dùng: {', '.join(FILTER_KEYS)}",
        )
    fd = store.cache.get("filters")
    if fd is None:
        fd = store.cache["filters"] = _FilterData(store)
    n = len(store.passages)
    mask = np.ones(n, dtype=bool)
    active = False
    for key, arr, norm in (
        ("province", fd.province, _place_key),
        ("district", fd.district, _place_key),
        ("doc", fd.doc, str),
        ("kind", fd.kind, str),
    ):
        vals = _values(filters.get(key))
        if vals:
            active = True
            wanted = {norm(v) for v in vals}
            mask &= np.isin(arr, list(wanted))
    units = _values(filters.get("unit"))
    if units:
        active = True
        provinces = _values(filters.get("province")) or [None]
        um = np.zeros(n, dtype=bool)
        for u in units:
            for prov in provinces:
                for k in _canonical_units(u, prov):
                    um[fd.units.get(k, [])] = True
        mask &= um
    return mask if active else None


class _Scope:
    """Which plans a question names: by province/district/issuing commune (from the plans'
    metadata) or plan number."""

    def __init__(self, store) -> None:
        places: dict[str, set[str]] = {}
        numbers: dict[str, set[str]] = {}
        for name, m in store.docs.items():
            for place in (m.province, m.district):
                if place:
                    places.setdefault(_place_key(place), set()).add(name)
            local = _locality_key(m.issuer)
            if local:  # the same name as a district: one place, the plans merge
                places.setdefault(local, set()).add(name)
            num = re.match(r"\s*(\d+)", m.number or "")
            if num:
                numbers.setdefault(num.group(1), set()).add(name)
        self.places = sorted(
            ((re.compile(rf"(?<![\w]){re.escape(k)}(?![\w])"), v) for k, v in places.items() if k),
            key=lambda kv: -len(kv[0].pattern),
        )
        self.numbers = numbers

    def find(self, query: str) -> tuple[set[str], str]:
        """(named plans, the question without the place names) — place names say which plan,
        not what the passage is about, and passages that repeat them would otherwise win."""
        q = nfc(query)
        fq = fold(q)
        same_len = len(fq) == len(q)
        docs: set[str] = set()
        cut: list[tuple[int, int]] = []
        for rx, names in self.places:
            for m in rx.finditer(fq):
                docs |= names
                cut.append(m.span())
        for m in _PLAN_NUMBER.finditer(fq):
            docs |= self.numbers.get(m.group(1), set())
        if not cut or not same_len:
            return docs, query
        keep, last = [], 0
        for a, b in sorted(cut):
            if a >= last:
                keep.append(q[last:a])
                last = b
        keep.append(q[last:])
        rest = " ".join("".join(keep).split())
        return docs, rest if syllables(rest) else query


def _minmax(x: np.ndarray) -> np.ndarray:
    lo, hi = float(x.min()), float(x.max())
    if hi - lo < 1e-9:
        return np.ones_like(x) if hi > 0 else np.zeros_like(x)
    return (x - lo) / (hi - lo)


def _shingles(text: str) -> set[tuple[str, ...]]:
    w = syllables(fold(text))
    return {tuple(w[i : i + 3]) for i in range(max(1, len(w) - 2))}


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
    filters: dict | None = None  # defaults for LangChain calls
    k: int | None = None
    scope_bonus: float = SCOPE_BONUS  # 0 turns off the plan-naming boost (ablation)
    drop_places: bool = True  # take plan place names out of the lexical query
    restore_diacritics: bool = True  # embed unaccented questions with their marks restored
    model_config = ConfigDict(arbitrary_types_allowed=True)

    def __init__(self, store=None, embedder=None, settings=None, **kw: Any) -> None:
        super().__init__(store=store, embedder=embedder, settings=settings, **kw)
        if getattr(embedder, "id", None) and store.embedder_id != embedder.id:
            raise ConfigError(
                "Mô hình nhúng không khớp với chỉ mục.",
                f"Embedder {embedder.id} does not match index ({store.embedder_id}).",
                hint="chạy `python -m assistant index`",
            )

    def _qvec(self, query: str) -> np.ndarray:
        enc = getattr(self.embedder, "encode_query", None)
        v = enc(query) if enc else np.asarray(self.embedder.embed_query(query), dtype=np.float32)
        return np.asarray(v, dtype=np.float32)

    def search(self, query: str, filters: dict | None = None, k: int | None = None) -> list[Hit]:
        """The k best passages for ``query``, restricted by ``filters``, near-duplicates removed."""
        if not query or not query.strip():
            raise BadQuestion("Câu hỏi trống.", "Empty question.", hint="hãy nhập câu hỏi")
        s = self.settings
        k = int(k or self.k or s.top_k)
        store = self.store
        if len(store) == 0:
            return []
        mask = _mask(store, filters if filters is not None else self.filters)
        allowed = np.flatnonzero(mask) if mask is not None else None
        if allowed is not None and allowed.size == 0:
            return []
        n_cand = max(50, 5 * k)

        # plans mostly write unit names in full; the embedder sees the question that way too
        dense_text = expand_abbreviations(query)
        if self.restore_diacritics and not has_diacritics(query):
            restorer = store.cache.get("restorer")
            if restorer is None:
                restorer = store.cache["restorer"] = DiacriticRestorer(store.lexical)
            dense_text = restorer.restore(dense_text)
        qvec = self._qvec(dense_text)
        dense = store.dense_search(qvec, n_cand, allowed)
        scope = store.cache.get("scope")
        if scope is None:
            scope = store.cache["scope"] = _Scope(store)
        named, lex_query = scope.find(query)
        lex_all = store.lexical_scores(lex_query if self.drop_places else query, use_units=s.use_units)
        if mask is not None:
            lex_all = np.where(mask, lex_all, 0.0)
        lex = top_positive(lex_all, n_cand)

        cand = list(dict.fromkeys([i for i, _ in dense] + [i for i, _ in lex]))
        if not cand:
            return []
        pos = np.array(cand, dtype=np.int64)
        # both raw scores for every candidate, so neither side's absences read as zeros
        dense_raw = store.vectors(pos) @ qvec
        lex_raw = lex_all[pos].astype(np.float32)
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
        elif s.fusion == "minmax":
            fused = s.dense_weight * _minmax(dense_raw) + (1 - s.dense_weight) * _minmax(lex_raw)
        else:
            raise ConfigError(
                f"Cách kết hợp '{s.fusion}' không hợp lệ.",
                f"Unknown fusion '{s.fusion}'.",
                hint="TLKH_FUSION=minmax hoặc rrf",
            )
        if named and self.scope_bonus > 0:
            in_scope = np.array([store.passages[i].doc in named for i in cand])
            fused = fused + self.scope_bonus * float(fused.max()) * in_scope
        order = np.argsort(-fused, kind="stable")

        hits: list[Hit] = []
        kept: list[tuple[str, set]] = []
        for j in order:
            p = store.passages[int(pos[j])]
            # same heading and (nearly) same text: a repeated page or a plan loaded twice
            body = " ".join([*p.section, p.text])
            key = " ".join(syllables(fold(body)))
            sh = _shingles(body)
            if any(key == k0 or (sh and len(sh & s0) / len(sh | s0) >= DUP_JACCARD) for k0, s0 in kept):
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
            if len(hits) >= k:
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
