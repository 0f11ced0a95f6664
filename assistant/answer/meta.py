"""The plan's own header card: its signer, issuer, number and issue date.

"Kế hoạch 141/KH-UBND ban hành ngày nào, ai ký?" asks the card, not a sentence of the body:
the date of a decision the plan cites ("Căn cứ Quyết định số … ngày …") is never the answer.
"""

from __future__ import annotations

import re
from dataclasses import replace

from assistant.answer.common import AnswerContext, Cites, Evidence, plan_label
from assistant.answer.evidence import coverage, segments
from assistant.answer.times import PLACE_DATE
from assistant.query.model import FactKind, Query
from assistant.query.rules import MADE_VERB, PERSON_ASK
from assistant.records import Answer, Citation, DocMeta, Passage
from assistant.textnorm import fold
from assistant.vocab.documents import doc_mentions

__all__ = [
    "YEAR",
    "PLACE_DATE",
    "about_plan",
    "asks_cited_or_owed",
    "cites_other_document",
    "other_documents",
    "is_meta",
    "is_meta_question",
    "meta_fact",
    "meta_slots",
    "merge_answers",
]

# punctuation after it ("năm 2024, …") is just the sentence going on
YEAR = re.compile(r"(?<![\d/])(?<!\d[.,])(19[5-9]\d|20\d\d)(?![\d/])(?![.,]\d)")


def is_meta_question(query_terms: list[str]) -> bool:
    """An issue-date/signer question about the plan itself names little else."""
    rest = [
        t
        for t in query_terms
        if t
        not in (
            "ban",
            "hanh",
            "ngay",
            "ky",
            "nam",
            "thang",
            "kem",
            "theo",
            "hieu",
            "luc",
            "ten",
            "nguoi",
            "chu",
        )
    ]
    return len(rest) <= 1


def _doc_of(query: Query, ev: Evidence, docs: dict[str, DocMeta]) -> str | None:
    f = query.filters
    if f.get("doc"):
        return f["doc"]
    cand = [
        d
        for d, m in docs.items()
        if (not f.get("district") or m.district == f["district"])
        and (not f.get("province") or m.province == f["province"])
    ]
    if f and len(cand) == 1:
        return cand[0]
    if ev.hits:
        return ev.hits[0].passage.doc
    return cand[0] if len(cand) == 1 else None


# the words that ask the card (issue, signature, the "Kính gửi" / "Nơi nhận" addressees), not a plan
_META_WORDS = frozenset(
    "ban hanh ngay ky nam thang kem theo hieu luc ten nguoi chu tich pho so gui toi den cho kinh noi nhan".split()
)


def about_plan(query: Query, m: DocMeta, title_block: str = "") -> bool:
    """Does a signer/issuer/date question ask about this plan, or about a document it only
    mentions ("ai ký quyết định thành lập Ban Chỉ huy …")? The plan is meant when it is
    named by number, or when the question's other words are (nearly) all in its title."""
    if query.docs or query.named == {m.doc}:
        # named by number, or the one plan the question names by its title, subject or a
        # document only it cites ("Kế hoạch của Đoàn kiểm tra theo Quyết định 1050/QĐ-SCT")
        return True
    other = [t for t in query.terms if t not in _META_WORDS and not t.isdigit()]
    if len(other) <= 1:
        return True
    # the title as the header card read it, else as the plan writes it above its first heading
    card = " ".join(
        x or "" for x in (m.title or title_block, m.issuer, m.doc_type, m.number, m.province, m.district)
    )
    return coverage(other, card) >= 0.75


def _title_block(passages: list[Passage]) -> str:
    """The plan's opening text, before its first heading (the title block and preamble)."""
    out = []
    for p in passages[:4]:
        if p.section:
            break
        if p.kind != "metadata":
            out.append(p.text[:600])
    return " ".join(out)


_SECRETARY = re.compile(r"\bthu ky\b")
_RECIPIENTS_SHOWN = 8


def meta_fact(ctx: AnswerContext) -> Answer | None:
    """The signer, issuer, number or issue date of the asked plan, from its header card."""
    query, ev, docs = ctx.query, ctx.evidence, ctx.docs
    if query.fact == "signer" and _SECRETARY.search(query.folded):
        return None  # "ai là Thư ký đoàn" asks a member's role: "ký" there is no signing
    first = _doc_of(query, ev, docs)
    # the best hit's plan first, then the other retrieved plans: the one the question's words
    # name ("kế hoạch giám sát chương trình giảm nghèo của Cần Thơ" among four Cần Thơ plans)
    order = [first] if first else []
    if not query.docs and not query.filters.get("doc"):
        order += [h.passage.doc for h in ev.hits if h.passage.doc not in order]
    doc = next(
        (
            d
            for d in order
            if d in docs and about_plan(query, docs[d], _title_block(ev.doc_passages.get(d, [])))
        ),
        None,
    )
    m = docs.get(doc or "")
    if doc is None or m is None:
        return None
    label = plan_label(doc, docs)
    if query.fact == "signer":
        if not m.signer:
            return None
        role = " ".join(x for x in (m.signer_authority, (m.signer_position or "").capitalize()) if x)
        text, value = f"{label} do {m.signer}" + (f" ({role})" if role else "") + " ký", m.signer
    elif query.fact == "doc_number":
        if m.number:
            text, value = f"Số ký hiệu: {m.number}", m.number.split("/")[0]
        elif m.number_text:
            text, value = f"{label} để trống số (ghi: “{m.number_text}”)", m.number_text
        else:
            return None
    elif query.fact == "title":
        if not m.title:
            return None
        text, value = f"{label} về việc: {m.title}", m.title
    elif query.fact == "issuer":
        if not m.issuer:
            return None
        text, value = f"{label} do {m.issuer} ban hành", m.issuer
    elif query.fact == "recipient":
        # the "Kính gửi:" addressees come first, then the "Nơi nhận:" list; "Lưu: VT" is the
        # issuer's own file copy and "Như trên" repeats the addressees: neither is another recipient
        sent = [r for r in m.recipients if not re.match(r"(?i)(lưu|như trên)\b", r)]
        if not sent:
            return None
        named = _named_recipients(query.text, sent)
        if named:
            # "Văn phòng Sở nhận kế hoạch để làm gì?": that recipient's own line, whose brackets
            # say why it gets the document ("Văn phòng Sở (Bố trí kinh phí, phương tiện …)")
            text, value = f"{label} gửi {'; '.join(named)}", named[0]
        else:
            more = f" và {len(sent) - _RECIPIENTS_SHOWN} nơi khác" if len(sent) > _RECIPIENTS_SHOWN else ""
            text = f"{label} gửi: {'; '.join(sent[:_RECIPIENTS_SHOWN])}{more}"
            value = sent[0]
    else:  # date
        written = None if m.date and len(m.date) == 10 else _header_date(ev.doc_passages.get(doc, []))
        if m.date and len(m.date) == 10:
            text = f"{label} ban hành {m.date_text or m.date}"
        elif written:
            text, m = f"{label} ban hành {written}", replace(m, date_text=written)
        elif m.date_text:
            text = f"{label} không ghi đủ ngày ban hành (ghi: “{m.date_text}”)"
        else:
            return None
        value = m.date_text or m.date or ""
    values = [value, *_date_forms(m.date)] if query.fact == "date" else [value]
    cites = Cites(docs)
    holders = [ev.metadata[doc]] if doc in ev.metadata else []
    holders += [h.passage for h in ev.hits if h.passage.doc == doc]
    holders += ev.doc_passages.get(doc, [])
    n = None
    for p in holders:
        q = next((x for x in (_find_value(p.text, v) for v in values) if x), "")
        if q:
            n = cites.add(p, q, 1.0)
            break
    if n is None and holders:
        n = cites.add(holders[0], "", 1.0)
    answer = text + (f" [{n}]." if n else ".")
    return Answer(question=query.text, answer=answer, intent="fact", citations=cites.items)


def _named_recipients(question: str, sent: list[str]) -> list[str]:
    """The lines of the recipient list the question names: the name before the bracketed purpose,
    of two words at least, in the folded question ("Văn phòng Sở" asked, "Văn phòng Sở (Bố trí …)"
    written)."""
    f = f" {' '.join(re.findall(r'[a-z0-9]+', fold(question)))} "
    out = []
    for r in sent:
        name = " ".join(re.findall(r"[a-z0-9]+", fold(r.split("(", 1)[0])))
        if len(name.split()) >= 2 and f" {name} " in f:
            out.append(r)
    return out


def _header_date(passages: list[Passage]) -> str | None:
    """The place-and-date line of the plan's opening passages, when the header card lacks it."""
    for p in passages[:4]:
        if p.section:
            break  # past the title block
        m = PLACE_DATE.search(p.text)
        if m:
            return " ".join(m.group(1).split())
    return None


def _date_forms(iso: str | None) -> list[str]:
    """How a plan may write an ISO date: 12/12/2023, 23/05/2024, ngày 23 tháng 5 năm 2024."""
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", iso or "")
    if not m:
        return []
    y, mo, d = m.group(1), int(m.group(2)), int(m.group(3))
    return [
        f"{d}/{mo}/{y}",
        f"{d:02d}/{mo:02d}/{y}",
        f"{d}/{mo:02d}/{y}",
        f"{d:02d}/{mo}/{y}",
        f"ngày {d} tháng {mo} năm {y}",
        f"ngày {d:02d} tháng {mo:02d} năm {y}",
    ]


def _find_value(text: str, value: str | None) -> str:
    """The segment of ``text`` holding ``value`` (accent- and spacing-tolerant), or ""."""
    if not value:
        return ""
    key = " ".join(value.split()).lower()
    for a, b in segments(text):
        seg = text[a:b]
        if key in " ".join(seg.split()).lower():
            return seg
    return ""


def _names_no_other_document(query: Query) -> bool:
    """The question's numbers are the loaded plan's own number or a year, nothing else
    ("Quyết định 2797 ban hành ngày nào" asks about a cited document, not the plan)."""
    if query.docs and not cites_other_document(query):
        return True
    return not re.search(r"\d", YEAR.sub(" ", query.folded))


def asks_cited_or_owed(folded: str) -> bool:
    """The date asked is a cited document's ("văn bản … được Bộ Tài chính ban hành", "… mà kế
    hoạch căn cứ") or a deadline the plan sets ("phải ban hành … chậm nhất"), not the plan's own."""
    central = bool(_CENTRAL_ISSUED.search(folded) and _OTHER_KIND.search(folded))
    return central or bool(_BASED_ON.search(folded)) or bool(_OWED.search(folded))


def cites_other_document(query: Query) -> bool:
    """The question names by its number a document that is no loaded plan: "Công văn
    8935/BNV-CTTN&BĐG …, được kế hoạch 174 viện dẫn, ban hành ngày nào?" asks the date of the
    document the plan cites."""
    return bool(other_documents(query.folded, query.fact))


# "kế hoạch (triển khai / thực hiện) Chỉ thị 11": the document a plan implements, named as its
# subject, names the plan (its trích yếu), not a document asked about
_PLAN_SUBJECT = re.compile(r"\b(?:ke hoach|kh)(?:\s+(?:trien khai|thuc hien|ve))*\s*$")


def other_documents(folded: str, fact: str | None) -> list[str]:
    """The numbers of the documents a question names that are no loaded plan. The parser blanks a
    loaded plan's number in ``Query.folded``: a number still written there is another document's,
    when written in full ("8935/BNV-CTTN&BĐG", "số 50") or, for the issue date asked ("Thông tư
    56 … ban hành ngày nào", "Chỉ thị 27 được ban hành ngày nào"), as a kind of document other
    than a Kế hoạch that is not the subject of the plan named before it."""
    out = []
    for m in doc_mentions(folded):
        loose = fact == "date" and m.kind != "Kế hoạch" and not _PLAN_SUBJECT.search(folded[: m.start])
        if m.explicit or loose:
            out.append(m.number)
    return out


# the slots of the header card a question may ask together ("ban hành ngày nào, ai ký", "do ai
# ký, ngày nào", "ban hành ngày nào, về việc gì"): số, ngày, trích yếu and the signature are the
# parts of the card (Decree 30/2020, Appendix I)
_ASK_SIGNER = re.compile(rf"\b(ai ky|nguoi ky|do ai ky|ky boi|ky ten|{PERSON_ASK} ky)\b")
# "được lập / ra đời ngày nào" of the plan itself (``query.rules.MADE_VERB``) asks its date line too
_ASK_ISSUE_DATE = re.compile(
    rf"\b((ban hanh|{MADE_VERB}) (vao )?(ngay|thoi gian|luc) nao|ngay ban hanh|(ban hanh|{MADE_VERB}) khi nao|"
    r"ky (vao )?ngay nao|ngay ky)\b"
)
# beside a signer, a bare "ngày nào" asks the date the plan was signed, which is its issue date
_ASK_BARE_DATE = re.compile(r"\b(ngay nao|ngay bao nhieu|khi nao)\b")
# A plan cites the documents it rests on in its "Căn cứ …" preamble, each with its issuer and date
# ("Căn cứ Thông tư số 56/2025/TT-BTC ngày 25/6/2025 của Bộ Tài chính …", Decree 30/2020 form);
# a provincial plan is issued by the People's Committee or a Sở. So a document the question says
# was issued by a central body (a Bộ, the Chính phủ, the Thủ tướng, the Quốc hội, the Party's
# central organs) or that the plan "căn cứ / viện dẫn" is a cited one, even named without number
_CENTRAL_ISSUED = re.compile(
    r"\b(?:do|duoc|cua)\s+(?:bo(?:\s+[a-z]+){1,4}?|chinh phu|thu tuong(?: chinh phu)?|quoc hoi|"
    r"bo chinh tri|ban bi thu|trung uong)\s+(?:ban hanh|ky)\b"
)
_OTHER_KIND = re.compile(
    r"\b(van ban|thong tu|nghi dinh|nghi quyet|quyet dinh|chi thi|cong van|luat|huong dan)\b"
)
_BASED_ON = re.compile(r"\b(?:ma|duoc)\s+(?:[a-z0-9]+\s+){0,6}?(?:can cu|vien dan|dan chieu)\b")
# "phải ban hành kế hoạch … chậm nhất khi nào": a deadline the plan sets for the documents of
# the bodies it addresses; its own issue date is past, never one "phải" meet "chậm nhất"
_OWED = re.compile(r"\b(?:phai|can) ban hanh\b|\b(?:cham nhat|han chot|han cuoi|truoc ngay nao|thoi han)\b")
_ASK_TITLE = re.compile(r"\b(ve viec gi|ve (noi dung|van de|linh vuc) gi|trich yeu|ten (goi )?(la )?gi)\b")


def meta_slots(query: Query) -> list[FactKind]:
    """Every header-card slot the question asks, the parsed one first."""
    out = [FactKind(query.fact)] if query.fact else []
    if _ASK_SIGNER.search(query.folded):
        out.append(FactKind.SIGNER)
    if _ASK_ISSUE_DATE.search(query.folded) or (
        FactKind.SIGNER in out and _ASK_BARE_DATE.search(query.folded)
    ):
        out.append(FactKind.DATE)
    if out and _ASK_TITLE.search(query.folded):
        out.append(FactKind.TITLE)
    return list(dict.fromkeys(out))


def merge_answers(answers: list[Answer]) -> Answer:
    """Several header-card answers as one: citations renumbered, one line each."""
    first = answers[0]
    cites: list[Citation] = []
    by_id: dict[str, int] = {}
    lines = []
    for a in answers:
        remap: dict[str, int] = {}
        for c in a.citations:  # a composer numbers its citations 1, 2, … in order
            old_n = str(c.n)
            if c.passage_id not in by_id:
                c.n = len(cites) + 1
                by_id[c.passage_id] = c.n
                cites.append(c)
            remap[old_n] = by_id[c.passage_id]
        lines.append(re.sub(r"\[(\d+)\]", lambda m: f"[{remap.get(m.group(1), m.group(1))}]", a.answer))
    return Answer(question=first.question, answer="\n".join(lines), intent=first.intent, citations=cites)


# "Kế hoạch thực hiện Nghị quyết 48/NQ-CP … ban hành ngày nào?", "Văn bản … theo Chỉ thị 27/CT-TTg
# được ban hành ngày nào?": a plan's trích yếu names the document it implements ("Kế hoạch thực hiện
# / triển khai …", Decree 30/2020); a number inside that clause names the plan, it is not asked
_IMPLEMENTS_CLAUSE = re.compile(
    r"^\s*((theo|trong|tai|o)\s+)?(ke hoach|kh|van ban|cong van)\b[^?;]*?"
    r"\b(thuc hien|trien khai|theo|quan triet)\s+(cac\s+)?[a-z ]{0,20}?(so\s+)?\d"
)


def _names_by_cited(query: Query) -> bool:
    """The plan asked is the one loaded plan named (filtered) by the document it implements."""
    return bool(query.filters.get("doc")) and bool(_IMPLEMENTS_CLAUSE.search(query.folded))


def is_meta(query: Query) -> bool:
    """Signer, issuer, or the plan's own number/date (not a date or number the plan cites)."""
    if query.fact == "doc_number" and re.search(
        r"\b(so hieu|so ky hieu|mang so|(la )?(ke hoach|van ban|kh) (co )?so (may|bao nhieu|gi))\b",
        query.folded,
    ):
        # "số hiệu" is always the plan's own number; so is "là kế hoạch số mấy" (the parser calls
        # a number the plan implements or cites ``refnum``: "theo kế hoạch số mấy")
        return True
    if query.fact == "date" and asks_cited_or_owed(query.folded):
        return False
    if query.fact == "date" and re.search(r"\bban hanh\b", query.folded) and _names_no_other_document(query):
        # "Kế hoạch 141/KH-UBND … ban hành ngày nào?": the plan's own date (its header), not
        # the date of a document it cites; meta_fact checks the plan is the one asked about
        return True
    # "Quyết định số 50/QĐ-SCT ký ngày nào?": a document named by number that is not a loaded
    # plan is one the plans cite; its date is where it is cited, not on the plan's header
    # (a plan named by the document it implements is that plan: its number names it, asks no other)
    cites_other = not _names_by_cited(query) and (
        (not query.docs and any(m.explicit for m in query.numbers)) or cites_other_document(query)
    )
    if query.fact == "date" and query.named and _ASK_ISSUE_DATE.search(query.folded) and not cites_other:
        # "Kế hoạch … về bình đẳng giới ký ngày nào?": a plan named (by number, subject or place)
        # was signed on its issue date, which its header gives
        return True
    return query.fact in ("signer", "issuer", "recipient") or (
        query.fact in ("date", "doc_number") and is_meta_question(query.terms) and not cites_other
    )
