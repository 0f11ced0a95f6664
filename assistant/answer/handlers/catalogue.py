"""Questions about the loaded plans themselves, answered from their header cards.

- the catalogue: "Các kế hoạch đã nạp?", "những kế hoạch nào của Nghệ An", "có bao nhiêu văn
  bản" lists the loaded plans (label, number, date, issuer, title), narrowed by the place,
  kind and year the question names;
- a header fact asked of no plan in particular ("Ai ký?", "Kế hoạch đó do ai ký?" opening a
  chat while several plans are loaded): the fact for each plan in scope, in a short list. A
  plan is never picked silently; past ``MAX_PLANS`` the answer asks which plan is meant.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from assistant.answer.common import AnswerContext, Cites, Evidence, plan_label
from assistant.answer.extractive import MAX_LINES
from assistant.answer.handler import Handler
from assistant.answer.handlers.facts import FactHandler
from assistant.query.catalog_words import file_number
from assistant.query.model import FactKind, Intent, Query
from assistant.records import Answer, DocMeta, Passage

if TYPE_CHECKING:
    from assistant.snapshot import IndexSnapshot

__all__ = ["CatalogueHandler", "catalogue_line", "header_fact"]

MAX_PLANS = 8  # plans listed one per line for a header fact; more: ask which one
MAX_LISTED = 40  # plans listed in a catalogue answer (the API caps answers, not us)
_FACT_HANDLER = FactHandler()


def _date(m: DocMeta) -> str | None:
    """The issue date as an official writes it: "ngày 17/11/2025" (or as far as it is known)."""
    if not m.date:
        return None
    parts = m.date.split("-")
    if len(parts) == 3:
        return f"ngày {int(parts[2])}/{int(parts[1])}/{parts[0]}"
    if len(parts) == 2:
        return f"tháng {int(parts[1])}/{parts[0]}"
    return f"năm {parts[0]}"


def catalogue_line(doc: str, docs: dict[str, DocMeta]) -> str:
    """One plan as the catalogue lists it: label (number), date, issuer, then its subject."""
    m = docs[doc]
    bits = [plan_label(doc, docs)]
    if m.number and m.number not in bits[0] and re.search(r"\d", m.number):
        bits.append(f"số {m.number}")
    elif (filed := file_number(doc)) and filed not in bits[0]:
        # an unsigned copy leaves its number blank ("Số: /KH-SCT"); the published file's name
        # carries the one the register gave it, which officials call it by ("kế hoạch 3898")
        bits.append(f"số {filed} (theo tên tệp)")
    for b in (_date(m), m.issuer):
        if b:
            bits.append(b)
    line = ", ".join(bits)
    return f"{line}: {m.title}" if m.title else line


def _pack(items: list[str], head: str, lines: int = MAX_LINES - 1) -> str:
    """``head`` and the items, packed so they fit the answer's lines (``extractive.MAX_LINES``):
    one per line while they fit, else several to a line."""
    per = max(1, -(-len(items) // lines))
    rows = ["; ".join(items[i : i + per]) for i in range(0, len(items), per)]
    return "\n".join([head, *(f"• {r}" for r in rows)])


def header_fact(fact: FactKind | None, m: DocMeta) -> str:
    """The header-card fact of one plan, or what is missing from it."""
    if fact == FactKind.SIGNER:
        if not m.signer:
            return "không đọc được người ký"
        who = " ".join(x for x in (m.signer_authority, m.signer_position) if x)
        return f"{m.signer}" + (f" ({who})" if who else "")
    if fact == FactKind.DOC_NUMBER:
        return m.number or "văn bản không ghi số"
    if fact == FactKind.ISSUER:
        return m.issuer or "không đọc được cơ quan ban hành"
    if fact == FactKind.RECIPIENT:
        # the card's "Nơi nhận" list (Decree 30/2020, Appendix I), not its date
        return "; ".join(m.recipients[:8]) if m.recipients else "không đọc được nơi nhận"
    return _date(m) or m.date_text or "không ghi ngày ban hành"


class CatalogueHandler(Handler):
    name = "catalogue"
    # the answer is the loaded plans' header cards, not retrieved passages: the refusal scorer,
    # which weighs retrieval evidence, has nothing to judge here
    calibrated = False

    def detect(self, query: Query) -> float:
        return 1.0 if query.catalogue or query.every_plan else 0.0

    def gather(self, query: Query, snapshot: IndexSnapshot) -> Evidence:
        kind = query.doc_kind if query.catalogue and query.doc_kind != "Kế hoạch" else None
        plans = snapshot.plans(query.filters, kind=kind, years=query.years if query.catalogue else ())
        if query.catalogue_among is not None:
            # of the issuer, on the subject; for a header fact, the plans the conversation listed
            plans = [d for d in plans if d in query.catalogue_among]
        if query.every_plan and len(plans) <= 1:
            return _FACT_HANDLER.gather(query, snapshot)  # one plan in scope: it is the one asked
        ev = Evidence(metadata=snapshot.metadata)
        # the plans in scope, in catalogue order (each with no hits: the header card answers)
        ev.per_doc = {d: [] for d in plans}
        return ev

    def compose(self, ctx: AnswerContext) -> Answer | None:
        query, ev = ctx.query, ctx.evidence
        if query.every_plan and not ev.per_doc:
            return _FACT_HANDLER.compose(ctx)
        plans = list(ev.per_doc)
        cites = Cites(ctx.docs)

        def cite(doc: str) -> str:
            card: Passage | None = ev.metadata.get(doc)
            return f" [{cites.add(card, card.text, 1.0)}]" if card is not None else ""

        if query.catalogue:
            if not plans:
                head = "Không có văn bản nào đã nạp khớp với câu hỏi."
                return Answer(question=query.text, answer=head, intent=str(Intent.LIST), refused=True)
            head = f"Đã nạp {len(plans)} văn bản:"
            items = [f"{catalogue_line(d, ctx.docs)}{cite(d)}" for d in plans[:MAX_LISTED]]
            return Answer(
                question=query.text, answer=_pack(items, head), intent=str(Intent.LIST), citations=cites.items
            )
        if len(plans) > MAX_PLANS:
            head = (
                f"Câu hỏi không nêu kế hoạch nào, mà hệ thống có {len(plans)} kế hoạch đã nạp. "
                "Xin nêu số hoặc tên kế hoạch (ví dụ: “kế hoạch 183 ký ngày nào?”); các kế hoạch:"
            )
            return Answer(
                question=query.text,
                answer=_pack([plan_label(d, ctx.docs) for d in plans], head),
                intent=str(Intent.FACT),
            )
        head = (
            f"Câu hỏi khớp {len(plans)} kế hoạch; theo từng kế hoạch:"
            if query.catalogue_among is not None or query.filters
            else f"Câu hỏi không nêu kế hoạch nào; theo từng kế hoạch đã nạp ({len(plans)}):"
        )
        items = [f"{plan_label(d, ctx.docs)}: {header_fact(query.fact, ctx.docs[d])}{cite(d)}" for d in plans]
        return Answer(
            question=query.text, answer=_pack(items, head), intent=str(Intent.FACT), citations=cites.items
        )
