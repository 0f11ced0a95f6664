"""What to retrieve for a question, before composing: filters, follow-ups, evidence.

``gather`` runs the retriever once for the question and, depending on the intent,
again per plan (comparisons), over a unit's passages (its tasks) or over one plan's
passages (facts from the header card, lists of a section's items).
"""

from __future__ import annotations

import re

from assistant.answer.common import Evidence
from assistant.answer.evidence import coverage
from assistant.answer.intent import Catalog, Query, parse_question
from assistant.errors import BadQuestion
from assistant.records import Hit, Passage
from assistant.retrieve import FILTER_KEYS
from assistant.textnorm import fold, nfc

__all__ = ["FILTER_KEYS", "clean_filters", "follow_up", "gather"]


def clean_filters(filters: dict | None, catalog: Catalog) -> dict[str, str]:
    """User filters checked and normalised: a plan number becomes its file, a place its canonical name."""
    if not filters:
        return {}
    if not isinstance(filters, dict):
        raise BadQuestion("Bộ lọc không hợp lệ.", "Filters must be an object.")
    out: dict[str, str] = {}
    for k, v in filters.items():
        if v in (None, ""):
            continue
        if k not in FILTER_KEYS:
            raise BadQuestion(
                f"Không biết bộ lọc '{k}'.", f"Unknown filter '{k}'.", hint="dùng: " + ", ".join(FILTER_KEYS)
            )
        v = nfc(str(v)).strip()
        if k == "doc":
            v = catalog.resolve_doc(v) or v
        elif k in ("province", "district"):
            table = catalog.provinces if k == "province" else catalog.districts
            v = table.get(fold(v), v)
        out[k] = v
    return out


def follow_up(query: Query, history, catalog: Catalog) -> Query:
    """ "Còn Đồng Nai thì sao?" after a question: the earlier question, in the new place."""
    if not history or query.intent not in ("other", "compare"):
        return query
    f = fold(query.text)
    if (
        not re.match(r"^(con|vay con|the con)\b|.*\b(thi sao|the nao|ra sao)\s*\??$", f)
        or len(f.split()) > 10
    ):
        return query
    prev = None
    for turn in reversed(list(history)):
        role, content = (
            (turn.get("role"), turn.get("content")) if isinstance(turn, dict) else ("user", turn[0])
        )
        if role == "user" and content and content.strip() != query.text:
            prev = content
            break
    if not prev:
        return query
    base = parse_question(prev, catalog)
    if query.places or query.docs:
        base.filters = dict(query.filters)
        base.places, base.docs = query.places, query.docs
        if base.intent == "compare" and len(query.places) <= 1:
            base.intent = "other"
    return base


def gather(state, query: Query, filters: dict[str, str], top_k: int) -> Evidence:
    """Retrieve what the composer for ``query.intent`` needs (``state``: the Assistant's snapshot)."""
    hits = state.retriever.search(query.text, filters=filters or None, k=top_k)
    ev = Evidence(hits=list(hits), metadata=state.metadata)
    if query.intent == "compare":
        docs = query.scope or sorted(state.store.docs)
        for d in docs:
            if filters.get("doc") and filters["doc"] != d:
                continue
            ev.per_doc[d] = list(state.retriever.search(query.text, filters={**filters, "doc": d}, k=4))
    elif query.intent == "unit_tasks" and query.units:
        ev.unit_rows = _unit_rows(state, query, filters, ev.hits)
    wanted: set = set()
    if query.intent in ("list", "fact"):
        # a list names a section; "có mấy …" may be answered by counting one
        wanted |= {h.passage.doc for h in hits[:3]}
    if query.fact in ("signer", "doc_number", "issuer", "date"):
        wanted |= set(query.scope) or {filters.get("doc") or (hits[0].passage.doc if hits else None)}
    for p in state.store.passages:
        if p.doc in wanted:
            ev.doc_passages.setdefault(p.doc, []).append(p)
    return ev


def _unit_rows(state, query: Query, filters: dict[str, str], hits: list[Hit]) -> list:
    """(passage, role, score) for every passage naming the question's unit as lead/partner/requested."""
    unit = query.units[0]
    score_of = {h.passage.id: h.score for h in hits}
    unit_terms = set(fold(unit).split())
    terms = [t for t in query.terms if t not in unit_terms]
    rows = []
    scope = set(query.scope)
    for p in state.store.passages:
        if not _passes(p, filters, state) or (scope and p.doc not in scope):
            continue
        role = (
            "lead"
            if unit in p.lead
            else "partner"
            if unit in p.partners
            else "requested"
            if unit in p.requested
            else None
        )
        if role is None:
            continue
        s = score_of.get(p.id, 0.0) + (coverage(terms, p.text, state.idf) if terms else 0.0)
        rows.append((p, role, s - 1e-6 * state.order.get(p.id, 0)))
    return rows


def _passes(p: Passage, filters: dict[str, str], state) -> bool:
    if filters.get("doc") and p.doc != filters["doc"]:
        return False
    meta = state.store.docs.get(p.doc)
    if filters.get("province") and (p.province or (meta.province if meta else None)) != filters["province"]:
        return False
    if filters.get("district") and (p.district or (meta.district if meta else None)) != filters["district"]:
        return False
    if filters.get("kind") and p.kind != filters["kind"]:
        return False
    return True
