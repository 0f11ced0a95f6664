"""A typed snapshot of one loaded index: what retrieval and answering read.

``IndexSnapshot.build(store)`` runs once per index load (``Assistant`` swaps the whole
snapshot on add/remove/reindex, so a question in flight keeps the one it started
with).  It holds the passages and plans, the question parser's ``Catalog``, the IDF
table, each plan's metadata passage, the unit index (the role of every unit in every
passage, computed here once), and the per-passage arrays that make a filter a few
vectorised comparisons.  ``mask`` is the one filter implementation: retrieval and the
answer handlers both use it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np

from assistant.errors import BadQuestion
from assistant.ingest.units import canonical_unit, match_unit_in_text, unit_aliases
from assistant.query.catalog import FILTER_KEYS, Catalog
from assistant.query.model import Query, Role
from assistant.query.parse import parse_question
from assistant.records import DocMeta, Passage
from assistant.textnorm import fold, match_key, nfc
from assistant.vocab.places import place_key
from assistant.vocab.tokens import Idf, syllables
from assistant.vocab.units import lists_commune, local_tier

if TYPE_CHECKING:
    from assistant.answer.absence import Vocabulary
    from assistant.indexing.lexical import DiacriticRestorer

__all__ = ["FILTER_KEYS", "IndexSnapshot", "UnitIndex", "unit_key", "spelling_key", "aliases_by_unit"]


def unit_key(name: str) -> str:
    """A unit name compared by its words (case, tone placement, accents aside)."""
    return " ".join(syllables(fold(match_key(name))))


# A plan names a body of its own province with or without its level, and the province's name
# after it ("Ban Quản lý Khu kinh tế tỉnh", "Ban Quản lý khu Kinh tế", "Ban Quản lý khu Kinh tế
# tỉnh Đồng Tháp"; "Sở Tài chính thành phố"): Vietnamese administrative names put the level and
# the place last, and within one province the names are one body. Their spellings are grouped
# without that tail, only when the name left has three words or more and is no People's Council
# or Committee ("Công an tỉnh", "Ủy ban nhân dân tỉnh" without their level name another body).
# (the place is a name: "tỉnh về …", "tỉnh và …" go on with what the body is for, no place)
_LEVEL_TAIL = re.compile(r" (?:tinh|thanh pho|tp)(?: (?!(?:ve|va|cua|trong|tai)\b)\S+){0,3}$")
_BARE_COUNCILS = frozenset({"uy ban nhan dan", "ubnd", "hoi dong nhan dan", "hdnd"})
LEAST_NAME = 3


def spelling_key(name: str) -> str:
    """The key the spellings of one unit share (``unit_key`` less a trailing level, ``_LEVEL_TAIL``)."""
    key = unit_key(name)
    bare = _LEVEL_TAIL.sub("", key)
    if bare != key and len(bare.split()) >= LEAST_NAME and bare not in _BARE_COUNCILS:
        return bare
    return key


def aliases_by_unit() -> dict[str, list[str]]:
    """canonical unit → its aliases (the data file's, every province's templates aside)."""
    return {k: list(v) for k, v in unit_aliases().items()}


@dataclass(frozen=True)
class UnitIndex:
    """Where each unit appears, and in which role: computed once per index load."""

    rows: Mapping[str, tuple[tuple[int, Role], ...]]  # canonical name → (passage position, role)
    by_key: Mapping[str, tuple[int, ...]]  # unit_key → positions where it leads or coordinates
    # the parties that list communes after a colon ("Ủy ban nhân dân các xã: Gia Thuận, Tân Điền"),
    # found once here rather than among every unit's name on each question
    listing: tuple[str, ...] = ()
    # unit_key → every spelling of the name: a name typed by hand varies in case and tone placement
    # from one cell to the next ("Nguyễn Thị thúy Nhung", "Nguyễn Thị Thúy Nhung" in one table),
    # and is still one unit or person
    spellings: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def build(cls, passages: list[Passage]) -> UnitIndex:
        rows: dict[str, list[tuple[int, Role]]] = {}
        by_key: dict[str, list[int]] = {}
        for i, p in enumerate(passages):
            seen: set[str] = set()
            # a unit named in several roles of one passage takes the strongest
            for role, names in (
                (Role.LEAD, p.lead),
                (Role.PARTNER, p.partners),
                (Role.REQUESTED, p.requested),
            ):
                for u in names:
                    if u not in seen:
                        seen.add(u)
                        rows.setdefault(u, []).append((i, role))
            for u in {*p.lead, *p.partners}:
                by_key.setdefault(unit_key(u), []).append(i)
        spellings: dict[str, list[str]] = {}
        for name in rows:
            spellings.setdefault(spelling_key(name), []).append(name)
        return cls(
            {k: tuple(v) for k, v in rows.items()},
            {k: tuple(v) for k, v in by_key.items()},
            tuple(name for name in rows if ":" in name),
            {k: tuple(v) for k, v in spellings.items() if len(v) > 1},
        )

    def role_rows(self, unit: str) -> tuple[tuple[int, Role], ...]:
        """The unit's rows; for the committees of a whole local tier, those of that tier however
        each plan lists its kinds ("UBND các xã" asked, "UBND xã, phường" written)."""
        tier = local_tier(unit)
        if tier is None:
            # "UBND xã Gia Thuận" asked: also the tasks of "UBND các xã: Gia Thuận, Tân Điền"
            listed = [r for name in self.listing if lists_commune(name, unit) for r in self.rows[name]]
            names = self.spellings.get(spelling_key(unit), (unit,))
            own = [r for name in names for r in self.rows.get(name, ())]
            if not listed and len(names) == 1:
                return self.rows.get(unit, ())
            return tuple(sorted({*own, *listed}, key=lambda r: r[0]))
        same = (r for name, rows in self.rows.items() if local_tier(name) == tier for r in rows)
        return tuple(sorted(set(same), key=lambda r: r[0]))

    def positions(self, name: str, province: str | None) -> set[int]:
        """Passages a unit filter keeps: the unit as written and its canonical form."""
        keys = {unit_key(name), unit_key(canonical_unit(name, province))}
        return {i for k in keys for i in self.by_key.get(k, ())}


def _values(v: Any) -> list[str]:
    if v is None or v == "":
        return []
    if isinstance(v, str):
        return [v]
    if isinstance(v, (list, tuple, set, frozenset)):
        return [str(x) for x in v if x not in (None, "")]
    return [str(v)]


@dataclass(frozen=True)
class _Columns:
    """Per-passage values a filter compares, as arrays."""

    province: np.ndarray
    district: np.ndarray
    doc: np.ndarray
    kind: np.ndarray


@dataclass(frozen=True)
class IndexSnapshot:
    """Everything derived from one loaded index; immutable, shared by every reader."""

    store: Any  # indexing.IndexStore (dense + lexical search, vectors, manifest)
    passages: list[Passage]
    docs: dict[str, DocMeta]
    catalog: Catalog
    idf: Idf
    units: UnitIndex
    metadata: dict[str, Passage] = field(default_factory=dict)  # doc → its metadata passage
    order: dict[str, int] = field(default_factory=dict)  # passage id → position
    columns: _Columns | None = None
    retriever: Any = None  # the HybridRetriever over this snapshot, set by ``with_retriever``

    @classmethod
    def build(cls, store: Any) -> IndexSnapshot:
        passages: list[Passage] = list(store.passages)
        docs: dict[str, DocMeta] = dict(store.docs)
        aliases: dict[str, Iterable[str]] = dict(aliases_by_unit())
        catalog = Catalog.build(docs, passages, unit_matcher=match_unit_in_text, aliases=aliases)
        metadata: dict[str, Passage] = {}
        for p in passages:
            if p.kind == "metadata":
                metadata.setdefault(p.doc, p)

        def doc_attr(p: Passage, a: str) -> str | None:
            m = docs.get(p.doc)
            return getattr(m, a, None) if m is not None else None

        columns = _Columns(
            province=np.array(
                [place_key(p.province or doc_attr(p, "province")) for p in passages], dtype=object
            ),
            district=np.array(
                [place_key(p.district or doc_attr(p, "district")) for p in passages], dtype=object
            ),
            doc=np.array([p.doc for p in passages], dtype=object),
            kind=np.array([p.kind for p in passages], dtype=object),
        )
        return cls(
            store=store,
            passages=passages,
            docs=docs,
            catalog=catalog,
            idf=Idf.build(p.embed_text or p.text for p in passages),
            units=UnitIndex.build(passages),
            metadata=metadata,
            order={p.id: i for i, p in enumerate(passages)},
            columns=columns,
        )

    def with_retriever(self, make: Callable[[IndexSnapshot], Any]) -> IndexSnapshot:
        """This snapshot with the retriever ``make(snapshot)`` builds (it reads the snapshot back).

        Retrieval imports this module, not the other way round: the caller names the retriever.
        """
        from dataclasses import replace

        snap = replace(self)
        object.__setattr__(snap, "retriever", make(snap))
        return snap

    # --- reading questions -------------------------------------------------------
    def read(self, question: str) -> Query:
        """The question understood against this collection (the one parser)."""
        return parse_question(question, self.catalog)

    @cached_property
    def vocabulary(self) -> Vocabulary:
        """Each plan's words, pairs, years and numbers (the refusal scorer's absence features)."""
        from assistant.answer.absence import build_vocabulary  # the answer layer imports this module

        return build_vocabulary(self.passages, self.docs)

    @cached_property
    def restorer(self) -> DiacriticRestorer:
        """Diacritics for questions typed without them, from this index's vocabulary."""
        from assistant.indexing.lexical import DiacriticRestorer

        return DiacriticRestorer(self.store.text_df())

    # --- filters -------------------------------------------------------------------
    def mask(self, filters: Mapping[str, Any] | None) -> np.ndarray | None:
        """Which passages pass ``filters`` (None: no filter). The one filter implementation."""
        if not filters:
            return None
        unknown = set(filters) - set(FILTER_KEYS)
        if unknown:
            raise BadQuestion(
                f"Bộ lọc không hỗ trợ: {', '.join(sorted(unknown))}.",
                f"Unsupported filter(s): {', '.join(sorted(unknown))}.",
                hint=f"dùng: {', '.join(FILTER_KEYS)}",
            )
        cols = self.columns
        assert cols is not None  # built by ``build``
        n = len(self.passages)
        mask = np.ones(n, dtype=bool)
        active = False
        for key, arr, norm in (
            ("province", cols.province, place_key),
            ("district", cols.district, place_key),
            ("doc", cols.doc, str),
            ("kind", cols.kind, str),
        ):
            vals = _values(filters.get(key))
            if vals:
                active = True
                mask &= np.isin(arr, list({norm(v) for v in vals}))
        units = _values(filters.get("unit"))
        if units:
            active = True
            provinces: list[str | None] = [*_values(filters.get("province"))] or [None]
            um = np.zeros(n, dtype=bool)
            for u in units:
                for prov in provinces:
                    um[sorted(self.units.positions(nfc(u), prov))] = True
            mask &= um
        return mask if active else None

    def plans(
        self, filters: Mapping[str, Any] | None = None, *, kind: str | None = None, years: Iterable[str] = ()
    ) -> list[str]:
        """The loaded plans within ``filters`` (province / district / doc), of a document kind
        ("Công văn") and issued in one of ``years`` when given, in catalogue order (place,
        then date). The one document filter: the catalogue, section and every-plan answers use it."""
        wanted = {k: v for k, v in (filters or {}).items() if k in ("province", "district", "doc")}
        mask = self.mask(wanted) if wanted else None
        keep = set(self.docs) if mask is None else {p.doc for p, ok in zip(self.passages, mask) if ok}
        if mask is not None and wanted.get("doc") in self.docs:
            keep.add(str(wanted["doc"]))  # a plan filtered by name, even one without passages
        ys = set(years)
        out = []
        for d, m in self.docs.items():
            if d not in keep:
                continue
            if kind and (m.doc_type or "Kế hoạch") != kind:
                continue
            if ys and (m.date or "")[:4] not in ys and not any(y in fold(m.title or "") for y in ys):
                continue  # a plan "năm 2024" is issued in 2024 or says 2024 in its title
            out.append(d)
        return sorted(out, key=lambda d: (fold(self.docs[d].province or ""), self.docs[d].date or "", d))

    def unit_rows(self, unit: str, filters: Mapping[str, Any] | None = None) -> list[tuple[Passage, Role]]:
        """Every passage naming ``unit`` as lead, partner or requested (within ``filters``)."""
        mask = self.mask(filters)
        return [
            (self.passages[i], role)
            for i, role in self.units.role_rows(unit)
            if mask is None or bool(mask[i])
        ]
