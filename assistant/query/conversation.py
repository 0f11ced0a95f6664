"""A conversation turn read with the turns before it (``follow_up``).

An official goes on about one plan until naming another, and asks "Còn … thì sao?" to ask the
earlier question again with one thing changed; this module carries the earlier turn's plan,
place, unit or role into the turn that leaves them out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from assistant.query.catalog import Catalog
from assistant.query.model import FactKind, Intent, Query
from assistant.query.naming import cut_folded
from assistant.query.parse import parse_question, strip_spans
from assistant.query.rules import courtesy_spans
from assistant.textnorm import fold
from assistant.vocab.documents import doc_mentions

__all__ = ["follow_up"]


# "Còn … thì sao?", "Vậy còn …", "… thế nào?": a turn that asks the earlier question again
# with one thing changed (the place, the plan, the unit or the role)
_FOLLOW_UP = re.compile(r"^(con|vay con|the con|con ve)\b|.*\b(thi sao|the nao|ra sao)\s*\??$")
# the words of such a turn that carry no topic of their own
_FOLLOW_WORDS = frozenset(
    "con vay the thi sao nao ra ve don vi co quan phoi hop chu tri cung lien quan ai gi nhung cac "
    "ke hoach van ban do nay".split()
)
_SCOPE_KEYS = ("province", "district", "doc")


def _previous_user_turn(history: list[Any], text: str) -> tuple[str | None, str, list[Any]]:
    """The last user turn before this one, the assistant's reply to it, and the turns before it."""
    for i in range(len(history) - 1, -1, -1):
        turn = history[i]
        if isinstance(turn, dict):
            role, content = turn.get("role"), turn.get("content")
            nxt = history[i + 1] if i + 1 < len(history) else None
            reply = nxt.get("content") if isinstance(nxt, dict) and nxt.get("role") == "assistant" else ""
        else:
            role, content = "user", turn[0]
            reply = turn[1] if len(turn) > 1 else ""
        if role == "user" and isinstance(content, str) and content.strip() and content.strip() != text:
            return content, reply if isinstance(reply, str) else "", history[:i]
    return None, "", []


def _answered_plan(reply: str, catalog: Catalog) -> str | None:
    """The one plan the assistant's reply was drawn from: every answer names its plan by label
    ("— Kế hoạch 160/KH-UBND (Cần Thơ)"); several plans, or none, name no plan."""
    docs = {d for m in doc_mentions(fold(reply)) if not m.is_period for d in catalog.docs_numbered(m.number)}
    return next(iter(docs)) if len(docs) == 1 else None


def follow_up(query: Query, history: Iterable[Any] | None, catalog: Catalog, _depth: int = 0) -> Query:
    """A conversation turn read with the turns before it.

    - "Còn Đồng Nai thì sao?", "Còn Sở Nội vụ thì sao?", "Còn đơn vị phối hợp thì sao?": a turn
      with no topic of its own asks the earlier question again, with what it names replacing
      the earlier place/plan, unit or role;
    - any other turn that names no plan or place ("Phó Trưởng đoàn là ai?", "Kế hoạch đó do ai
      ký?") keeps the plan the conversation is about: an official goes on about one plan until
      naming another.

    ``history``: chat turns, as {"role", "content"} dicts or (user, assistant) pairs.
    """
    if not history or query.catalogue:
        return query
    prev, reply, earlier = _previous_user_turn(list(history), query.text)
    if prev is None:
        return query
    base = parse_question(prev, catalog)
    if _depth < 2:
        base = follow_up(base, earlier, catalog, _depth + 1)
    answered = _answered_plan(reply, catalog)
    if answered and not base.scope and base.filters.get("doc") in (None, answered):
        # the plan the conversation is about is the one the last answer came from
        if not base.filters or answered in catalog.docs_of_place_filters(base.filters):
            base.filters = {**base.filters, "doc": answered}
    # a turn asked within a chosen scope (a province, a plan) that the earlier turn's plans lie
    # outside of is a question of its own: its scope replaces the conversation's
    names_scope = bool(query.places or query.docs or query.scope) or not _within(base, query, catalog)
    # "Còn kế hoạch quan trắc môi trường thủy sản thì sao?": a plan named by its title words is a
    # scope of its own too
    # ("Còn kế hoạch triển khai Chỉ thị 11 thì sao?" after a question that named the issuer or
    # the province only, whose ``named`` holds every plan of it: the one plan named now narrows
    # to a plan of its own, unless it is the very plan the earlier turn was about)
    # (a plan this turn filters to, by its issuer — "Còn công văn của Cục Hóa chất thì sao?" — is
    # such a plan too, though the kind named adds every loaded plan of that kind to ``named``)
    own_plan = query.filters.get("doc") or (next(iter(query.named)) if len(query.named) == 1 else None)
    titled = own_plan is not None and own_plan not in _earlier_plans(base) and not query.units
    names_scope = names_scope or titled
    f = fold(query.text)
    f = " ".join(strip_spans(f, courtesy_spans(f)).split())
    unit_words = {w for u in query.units for w in fold(u).split()}
    # "Còn công văn … thì sao?": the kind of document named ("Công văn", "Quyết định") is no topic
    unit_words |= set(fold(query.doc_kind or "").split())
    own_topic = [t for t in query.terms if t not in _FOLLOW_WORDS and t not in unit_words]
    title: set[str] = set()
    # (a plan filter the caller sent that names no loaded plan has no title: nothing to drop)
    meta = catalog.docs.get(own_plan) if titled and own_plan else None
    if meta is not None:  # the title's words name the plan, they are no topic of the turn
        # (nor its issuer's name: "Còn công văn của Cục Hóa chất thì sao?" names the plan by its author)
        # (nor a proper name of its text that named it: "Còn kế hoạch kiểm tra ở Sin Quyền thì sao?")
        plan = frozenset({meta.doc})
        title = set(re.findall(r"[a-z0-9]+", fold(meta.issuer or "")))
        title |= _title_words(plan, catalog) | _proper_words(f, plan, catalog)
        own_topic = [t for t in own_topic if t not in title]
    said = [w for w in re.findall(r"[a-z0-9]+", f) if w not in title]
    other = _the_other_plans(f, base, query, catalog)
    if other:
        # "Còn kế hoạch kia?": the earlier question asked of the plan(s) the conversation was not about
        query.named, query.filters = other, {k: v for k, v in query.filters.items() if k != "doc"}
        if len(other) == 1:
            query.filters["doc"] = next(iter(other))
        out = _ask_again(query, base, True)
        _unname(out, _earlier_plans(base), other, catalog)
        if len(other) > 1 and out.fact in _CARD_FACTS:
            # a header fact of several plans is answered for each of them, never for one picked
            out.every_plan, out.catalogue_among = True, other
        return out
    if _FOLLOW_UP.match(f) and len(said) <= 12 and not own_topic:
        out = _ask_again(query, base, names_scope)
        if names_scope:
            _unname(out, _earlier_plans(base), _earlier_plans(out), catalog)
        return out
    if not names_scope and base.catalogue and base.catalogue_among is not None:
        # "Kế hoạch nào về chuyển đổi số?" then "Ai ký?": the plans just listed are the ones asked
        _within_plans(query, base.catalogue_among)
    if not names_scope and (base.places or base.docs or base.scope or base.filters):
        every = query.every_plan
        query.filters = {**{k: v for k, v in base.filters.items() if k in _SCOPE_KEYS}, **query.filters}
        query.places, query.docs, query.scope = base.places, base.docs, base.scope
        query.named = query.named | base.named
        # "Các kế hoạch của Đồng Tháp?" then "Ai ký?": a header fact of the several plans in
        # scope is answered for each of them (the catalogue handler), never for one picked
        query.every_plan = every and "doc" not in query.filters
        if query.every_plan and base.scope:
            query.catalogue_among = frozenset(base.scope)
    return query


# "Còn kế hoạch kia?", "Văn bản còn lại thì sao?": the plan(s) the conversation was not about, the
# document named by its kind (Nghị định 30/2020/NĐ-CP, Phụ lục III: Kế hoạch, Công văn, Quyết định …)
_OTHER = re.compile(
    r"^(?:con |vay con |the con )?(?P<kind>ke hoach|van ban|cong van|quyet dinh|thong bao|chi thi)"
    r" (?:kia|con lai|khac)(?: thi sao| the nao| ra sao)?\s*\??$"
)
# the header card's facts (Nghị định 30/2020/NĐ-CP, Phụ lục I): one line per plan when several are asked
_CARD_FACTS = frozenset(
    {FactKind.SIGNER, FactKind.DOC_NUMBER, FactKind.DATE, FactKind.ISSUER, FactKind.RECIPIENT}
)
_KIND_OF = {
    "ke hoach": "Kế hoạch",
    "cong van": "Công văn",
    "quyet dinh": "Quyết định",
    "thong bao": "Thông báo",
}


def _the_other_plans(f: str, base: Query, query: Query, catalog: Catalog) -> frozenset[str]:
    """The loaded documents (of the kind named) other than the one(s) the earlier turn was about."""
    m = _OTHER.match(f)
    before = _earlier_plans(base)
    if not m or not before or query.docs or query.places or query.units:
        return frozenset()
    kind = _KIND_OF.get(m.group("kind"))
    pool = catalog.docs_of_kind(kind) if kind else frozenset(catalog.docs)
    return frozenset(pool) - before


def _earlier_plans(base: Query) -> frozenset[str]:
    """The plan(s) the earlier turn was about: its plan filter, else the plans it named when they
    are one; several named through a province or an issuer are no one plan asked."""
    if base.filters.get("doc"):
        return frozenset({base.filters["doc"]})
    return base.named if len(base.named) == 1 else frozenset()


def _within_plans(query: Query, plans: frozenset[str]) -> None:
    """The turn asked within these plans: one is the plan asked, several are answered each."""
    if len(plans) == 1:
        query.filters = {**query.filters, "doc": next(iter(plans))}
        query.named, query.every_plan = plans, False
    elif plans:
        query.named = plans
        query.catalogue_among = plans  # a header fact: one line per plan listed


# The earlier turn named its plan by its trích yếu ("Kế hoạch triển khai Chỉ thị 11 về khoáng sản
# được gửi tới những nơi nào?"); asked again of another plan ("Còn kế hoạch 1105 thì sao?") those
# words named the plan left behind, not what is asked: a run of two words or more of the earlier
# plan's title (its trích yếu, Decree 30/2020) that the plan now asked does not share is cut
_TITLE_RUN = 2
# the words that ask the header card stay though a title holds them ("Về việc ban hành Kế hoạch …")
_ASKING = frozenset("ban hanh ky ngay nao so hieu gui noi nhan toi den cho ai do lap ra doi khi gi".split())


def _unname(query: Query, before: frozenset[str], now: frozenset[str], catalog: Catalog) -> None:
    """``query`` (an earlier question asked again of ``now``) without the words that named ``before``."""
    if not before or not now or before & now:
        return
    named_before = _title_words(before, catalog) | _proper_words(query.folded, before, catalog)
    old = named_before - _title_words(now, catalog) - _proper_words(query.folded, now, catalog) - _ASKING
    if not old:
        return

    def runs(folded: str) -> list[tuple[int, int]]:
        out, run = [], []
        for m in [*re.finditer(r"[a-z0-9]+", folded), None]:
            if m is not None and m.group() in old:
                run.append(m)
                continue
            if len(run) >= _TITLE_RUN:
                out.append((run[0].start(), run[-1].end()))
            run = []
        return out

    cut = {w for a, b in runs(fold(query.text)) for w in re.findall(r"[a-z0-9]+", fold(query.text)[a:b])}
    if not cut:
        return
    query.text = cut_folded(query.text, runs)
    query.lexical_text = cut_folded(query.lexical_text or query.text, runs)
    query.folded = " ".join(strip_spans(query.folded, runs(query.folded)).split())
    query.terms = [t for t in query.terms if t not in cut]


def _title_words(docs: frozenset[str], catalog: Catalog) -> set[str]:
    """The folded words of these plans' titles (their trích yếu) and numbers."""
    out: set[str] = set()
    for d in docs:
        m = catalog.docs.get(d)
        if m is not None:
            out |= set(re.findall(r"[a-z0-9]+", fold(f"{m.title or ''} {m.number or ''}")))
    return out


def _proper_words(folded: str, docs: frozenset[str], catalog: Catalog) -> set[str]:
    """The words of the proper names in ``folded`` that name one of these plans ("Sin Quyền", a mine
    only one plan's text holds: ``Catalog.docs_naming``), as a question names an unnumbered plan."""
    out: set[str] = set()
    for name in catalog.proper_names:
        if name in folded and re.search(rf"(?<![a-z0-9]){re.escape(name)}(?![a-z0-9])", folded):
            if catalog.docs_naming([name]) & docs:
                out |= set(name.split())
    return out


def _within(base: Query, query: Query, catalog: Catalog) -> bool:
    """Whether a plan the earlier turn was about lies inside the scope filters this turn carries."""
    own = {k: v for k, v in query.filters.items() if k in _SCOPE_KEYS}
    if not own:
        return True
    before = catalog.docs_of_place_filters({k: v for k, v in base.filters.items() if k in _SCOPE_KEYS})
    return bool((before & base.named if base.named else before) & catalog.docs_of_place_filters(own))


def _ask_again(query: Query, base: Query, names_scope: bool) -> Query:
    """The earlier question with what this turn names put in place of the earlier one's."""
    out = replace(base, text=base.text, terms=list(base.terms))
    if names_scope:
        out.filters = dict(query.filters)
        out.places, out.docs, out.scope, out.named = query.places, query.docs, query.scope, query.named
        if len(query.named) == 1 and not query.docs and not query.places:
            out.filters["doc"] = next(iter(query.named))  # named by its title words
        if out.intent == Intent.COMPARE and len(query.places) <= 1:
            out.intent = Intent.OTHER
    if query.units and query.units != base.units:
        # "Còn Sở Nội vụ thì sao?": the same question about another unit, in the same plan
        old = {w for u in base.units for w in fold(u).split()}
        out.units = list(query.units)
        out.text = f"{query.text} {base.text}"
        out.terms = list(dict.fromkeys([*query.terms, *(t for t in base.terms if t not in old)]))
        if out.intent not in (Intent.UNIT_TASKS, Intent.LEAD_UNIT, Intent.PARTNER_UNIT):
            out.intent = Intent.UNIT_TASKS
    elif query.intent in (Intent.LEAD_UNIT, Intent.PARTNER_UNIT, Intent.UNIT_TASKS):
        # "Còn đơn vị phối hợp thì sao?": the earlier task, the role this turn asks for
        out.intent, out.role = query.intent, query.role or base.role
    return out
