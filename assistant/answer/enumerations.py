"""Lists written inside one passage: an enumeration after a lead-in, and the members of a team.

Vietnamese plans often give the items of a list in one sentence rather than under a heading:
a lead-in naming the kind of item, then ":" or "gồm", then the items separated by "," or ";"
("Giám sát trọng điểm các bệnh: sốt xuất huyết, tay chân miệng, …", "Xét đề nghị của 03 đơn vị
gồm: Công ty A …; Công ty B …; Công ty C …", "Ủy ban nhân dân các xã: Gia Thuận, Tân Điền, …").
A team (đoàn kiểm tra, tổ công tác, ban chỉ đạo) lists its members one per item, each opened by
an honorific and closed by the member's role ("4.1. Ông Hoàng Văn Thuân - Trưởng đoàn: …"); the
loader records those names as the passage's ``persons``.

A lead-in closed by ":" may also announce items written one a line after it ("… các chỉ tiêu cụ
thể như sau:" ¶ "(1) …" ¶ "(2) …"), cut by the loader across passages (``announced``).

``inline_list`` answers "những X nào" from such an enumeration when its lead-in names the X
asked (and covers more of the question than any heading does): the noun phrase asked written
whole in the clause before the items, items of the kind asked, or a lead-in in the role a
generic noun is asked in ("về những nội dung gì", "bằng những cách nào"); ``member_list``
answers "gồm những thành viên nào" from the items naming people.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.answer.common import AnswerContext, Cites, plan_label, relevance
from assistant.answer.evidence import coverage, shorten
from assistant.query.model import FactKind
from assistant.records import Answer, Passage
from assistant.textnorm import fold
from assistant.vocab.tokens import folded_tokens

__all__ = [
    "counted_kind",
    "Enumeration",
    "announced",
    "enumerations",
    "inline_list",
    "member_list",
    "GENERIC_NOUNS",
    "PERSON_NOUNS",
    "PHRASE_BONUS",
    "holds_phrase",
    "items_answer",
    "logical_lines",
]

ITEM_CHARS = 200
LINE_CHARS = 160  # a line of short names
MAX_ITEMS = 20  # an enumeration longer than this is a paragraph, not a list of names
# an item of a comma enumeration is a name or a noun phrase ("tay chân miệng", "Gò Công Đông"),
# not a clause: a longer piece means the commas separate clauses of a sentence
COMMA_ITEM_CHARS = 60
# the words a question uses for the people of a team ("đoàn kiểm tra gồm những thành viên nào",
# "thành phần tổ công tác gồm những ai", "những cán bộ nào")
PERSON_NOUNS = frozenset({"thanh vien", "thanh phan", "nguoi", "can bo", "ai"})

# "4.1. Ông.", "Bà", "Đ/c", "Đồng chí" open a member's item (``ingest.persons`` reads the name)
_HONORIFIC = re.compile(r"^(?:[-–•*+]\s*)?(?:\d+(?:\.\d+)*\.?\s+)?(?:Ông|Bà|Đ/c|Đồng chí)\.?\s+\S")
# the lead-in ends at the first ":" or at "gồm"/"bao gồm" (with or without a colon); a target
# sentence may run long before its "như:" ("… vùng nuôi các đối tượng là sản phẩm chủ lực, có giá
# trị kinh tế … của tỉnh như: Tôm sú, …"), any other lead-in is short
LEAD_CHARS = 160
_LEAD_IN = re.compile(r"^(?P<lead>[^:\n]{3,1500}?)(?:\s+(?:bao\s+)?gồm\s*:?|\s*:)\s+(?P<rest>\S.*)$")
# a paragraph of a unit's tasks may close on its targets, announced by "cụ thể:", "như sau:",
# "như:", "sau:", "(bao) gồm:" ("… nâng cao chất lượng dân số, cụ thể: Phấn đấu tổng tỷ suất sinh
# đạt 2,1 con/phụ nữ; …"): a lead-in of any length ending so announces an enumeration
_ANNOUNCES = re.compile(r"\b(nhu|cu the|nhu sau|sau|gom|bao gom|cu the nhu sau)\s*$")
# "Cơ cấu kinh tế: Ngư, nông, lâm nghiệp chiếm khoảng 27,31%; …" answers "cơ cấu kinh tế gồm
# những khu vực nào": a lead-in of this many words or more, all of them the question's, names it
# (every word: a lead-in sharing most words ("Truyền thông quảng bá qua phương tiện truyền thông
# mới") names one kind among those asked ("quảng bá qua những phương thức truyền thông nào"))
LEAD_NAMED_WORDS = 3
LEAD_NAMED_SHARE = 1.0
# the nouns a question uses for "what is in it" ("gồm những nội dung nào", "làm những việc gì"):
# they name no kind of item, the rest of the question names the whole the items make up
GENERIC_NOUNS = frozenset({"noi dung", "viec", "cong viec", "cach"})
GOM_SHARE = 0.75
# the enumeration ends with its sentence: ". " before a capital (not "01.6/GĐN", not "dại...")
_SENTENCE_END = re.compile(r"(?<![.\d])\.\s+(?=[A-ZĐÀ-Ỹ])")


@dataclass(frozen=True)
class Enumeration:
    """One lead-in and its items, in one passage."""

    passage: Passage
    lead: str
    items: tuple[str, ...]
    line: str  # the line the enumeration is written on (its quote)
    # an enumeration written one item a line (``announced``): each item's passage and quote
    sources: tuple[tuple[Passage, str], ...] = ()
    by_gom: bool = False  # the lead-in closes with "gồm": it defines the whole the items make up

    def parts(self) -> list[tuple[Passage, str, str]]:
        """(passage, item, quote) per item: its own line when written one a line."""
        if self.sources:
            return [(p, x, q) for x, (p, q) in zip(self.items, self.sources)]
        return [(self.passage, x, self.line) for x in self.items]


def _items(rest: str) -> list[str]:
    body = _SENTENCE_END.split(rest, maxsplit=1)[0].strip()
    semi = [x.strip(" .") for x in body.split(";") if x.strip(" .")]
    if len(semi) >= 2:
        return semi  # items that hold commas themselves are separated by ";"
    commas = [x.strip(" .") for x in re.split(r",\s*|\s+và\s+(?=[^,]*$)", body) if x.strip(" .")]
    if len(commas) >= 3 and all(len(x) <= COMMA_ITEM_CHARS for x in commas):
        return commas
    return []


def enumerations(p: Passage) -> list[Enumeration]:
    """The enumerations a passage writes, one per line that holds one."""
    out = []
    for line in _sentences_with_lead_ins(_logical_lines(p.text)):
        m = _LEAD_IN.match(line)
        if not m:
            continue
        lead, rest = m.group("lead"), m.group("rest")
        if " | " in lead:
            continue  # "STT: 5.2 | TIÊU CHÍ: …": a table row's cells, not a lead-in and its items
        # "- Địa điểm quan trắc: Địa điểm … tại 03 vùng nuôi chính của tỉnh, bao gồm: Vùng …; vùng …":
        # a labelled line whose sentence announces the items itself; they follow its own "gồm:"
        inner = _LEAD_IN.match(rest)
        if inner and len(_items(inner.group("rest"))) >= 2:
            lead, rest = f"{lead}: {inner.group('lead')}", inner.group("rest")
        items = _items(rest)
        if len(lead) > LEAD_CHARS and not (
            _ANNOUNCES.search(fold(lead).rstrip(" ,")) or _counts(lead, items)
        ):
            continue
        if 2 <= len(items) <= MAX_ITEMS:
            gom = bool(_BY_GOM.search(line[: len(line) - len(rest)]))
            out.append(Enumeration(p, lead.strip(" -–•*+,"), tuple(items), line, by_gom=gom))
    return out


# "… lấp đầy các khu, cụm công nghiệp … và đổi mới trên 4 ngành công nghiệp chính: dịch vụ cảng, hậu
# cần, công nghệ xanh và tài chính": a lead-in that counts its items right before the colon (the
# number, then the kind of item, as plans write "03 vùng nuôi chính", "02 nhóm") announces them
# however long the sentence before it runs; the count must be the number of items read
_COUNTED = re.compile(r"\b0?(\d{1,2})((?: [a-z]+){1,5})\s*$")


def _counts(lead: str, items: list[str]) -> bool:
    m = _COUNTED.search(fold(lead).rstrip(" ,"))
    return m is not None and int(m.group(1)) == len(items) >= 2


def counted_kind(e: Enumeration) -> list[str] | None:
    """The kind of item a long lead-in counts ("… 02 nhóm thủ tục hành chính:" → nhóm thủ tục hành
    chính), when only its count made it a lead-in (``_counts``): such a list answers a question
    asking for that kind of item, not another ("những ngành nào" is no "02 nhóm thủ tục")."""
    lead = fold(e.lead).rstrip(" ,:")
    if len(e.lead) <= LEAD_CHARS or _ANNOUNCES.search(lead):
        return None
    m = _COUNTED.search(lead)
    return m.group(2).split() if m else None


def _sentences_with_lead_ins(lines: list[str]) -> list[str]:
    """Each line, and the rest of it after each sentence that holds an enumeration: a paragraph
    may enumerate twice, the second list narrowing the first ("… xử lý nghiêm các hành vi: Khai
    thác, vận chuyển … trái phép; …. Trong đó tập trung xử lý các hành vi: Khai thác trái phép,
    vượt ranh giới, …" — "Trong đó" opens a sub-list in Vietnamese administrative writing)."""
    out = []
    for line in lines:
        while line:
            out.append(line)
            m = _LEAD_IN.match(line)
            rest = _SENTENCE_END.split(m.group("rest"), maxsplit=1) if m else []
            line = rest[1] if len(rest) == 2 and ":" in rest[1] else ""
    return out


_BY_GOM = re.compile(r"\bgồm\s*:?\s*$")
# an item written on its own line: "(1) …", "1) …", "- …", "+ …", "a) …", "• …"
_ITEM_LINE = re.compile(r"^(?:\(\d{1,2}\)|\d{1,2}\)|[-–•*+]|[a-zđ]\))\s+\S")


def announced(section: list[Passage]) -> list[Enumeration]:
    """Enumerations written one item a line after the sentence that announces them, within one
    section (its passages in the plan's order): "… các nội dung này được cụ thể hóa bằng các chỉ
    tiêu cụ thể như sau:" ¶ "(1) 100% số người …;" ¶ "(2) Ít nhất 85% …". A Vietnamese plan closes
    such a lead-in with ":" ("như sau:", "gồm:", "sau:"); its items open with "(1)", "-", "a)" … and
    run to the first line that opens none (the loader may cut them across passages)."""
    lines = [(p, ln) for p in section for ln in _logical_lines(p.text)]
    out = []
    for i, (p, ln) in enumerate(lines):
        if not ln.rstrip(" *_").endswith(":") or _ITEM_LINE.match(ln):
            continue
        items: list[tuple[Passage, str]] = []
        for q, item in lines[i + 1 :]:
            if not _ITEM_LINE.match(item):
                break
            items.append((q, item))
        if 2 <= len(items) <= MAX_ITEMS:
            # the lead-in's last sentence introduces the items
            lead = re.split(r"(?<=[^\d\s][.;])\s+(?=[A-ZĐÀ-Ỹ])", ln.rstrip(" *_:"))[-1]
            texts = tuple(
                re.sub(r"^(?:\(\d{1,2}\)|\d{1,2}\)|[-–•*+])\s+", "", x).rstrip(" ;.") for _, x in items
            )
            out.append(Enumeration(p, lead, texts, ln, sources=tuple((q, x) for q, x in items)))
    return out


# a new line of a plan opens with a bullet or a numbering ("- ", "+ ", "a) ", "2.1. "); any other
# line is the same sentence hard-wrapped (markdown taken from web pages wraps at ~80 characters)
_OPENS_ITEM = re.compile(r"^(?:[-–•*+]\s|\d{1,3}(?:\.\d{1,3})*[.)]\s|[a-zđ][.)]\s|[IVXLC]{1,6}\.\s)")


# "- Giai đoạn sau 72 giờ:" ¶ "Hỗ trợ tấm lợp …; phối hợp …": a bulleted label whose text a web
# page put on the next line; the label and its text are one item
LABEL_LINE_CHARS = 60


def _label_line(line: str) -> bool:
    return len(line) <= LABEL_LINE_CHARS and line[0] in "-–•+" and line.rstrip(" *_").endswith(":")


def _logical_lines(text: str) -> list[str]:
    """The passage's lines with hard-wrapped sentences joined back: a line that opens no item and
    follows one not closed by "." ";" ":" continues it; so does a line opening on a lower-case
    letter after ";" "," or ":" — an enumeration's next item wrapped to a new line ("… sông Krông
    Ana;" ¶ "vùng nuôi cá lồng, bè …"): a Vietnamese sentence or item opens on a capital or a bullet."""
    out: list[str] = []
    for raw in text.split("\n"):
        line = " ".join(raw.split())
        if not line:
            continue
        wrapped = bool(out) and (
            out[-1][-1] not in ".;:!?" or (out[-1][-1] in ";:," and line[0].islower()) or _label_line(out[-1])
        )
        if wrapped and not _OPENS_ITEM.match(line):
            out[-1] += " " + line
        else:
            out.append(line)
    return out


# the preposition before the plural phrase says the role of the items asked ("truyền thông về
# những nội dung gì", "báo tới người dân bằng những cách nào"); a lead-in in that role closes on
# it ("Truyền thông trên loa đài, mạng xã hội về: …") or writes it before its own plural ("…
# đến người dân bằng các hình thức khác nhau: …")
_ROLE_PREPOSITIONS = "ve|bang|qua|theo|voi|cho|tai"
ROLE_SHARED = 2  # words of the question besides the preposition the lead-in holds


def asked_role(folded: str, asked: str) -> str | None:
    """The preposition right before the plural phrase asked ("về những nội dung gì" → "ve")."""
    m = re.search(rf"\b({_ROLE_PREPOSITIONS}) (?:nhung|cac) {re.escape(asked)}\b", folded)
    return m.group(1) if m else None


def in_role(enum: Enumeration, role: str | None) -> bool:
    """The lead-in frames its items in the role asked (``asked_role``)."""
    if not role:
        return False
    lead = " ".join(folded_tokens(_last_clause(enum.lead)))
    return lead.endswith(f" {role}") or bool(re.search(rf"\b{role} (?:cac|nhung)\b", lead))


def _names_asked(enum: Enumeration, asked: list[str], question: set[str], role: str | None = None) -> bool:
    """The lead-in names the kind of item asked ("các bệnh", "các xã"), or the items open with it
    ("Công ty cổ phần …" for "những công ty nào"), or the lead-in is the whole of what the
    question asks about ("Cơ cấu kinh tế: …" for "cơ cấu kinh tế gồm những khu vực nào")."""
    lead_words = folded_tokens(enum.lead)
    lead = set(lead_words)
    if all(w in lead for w in asked):
        return True
    shared = lead & question
    if len(shared) >= LEAD_NAMED_WORDS and len(shared) >= LEAD_NAMED_SHARE * len(lead):
        return True
    if " ".join(asked) in GENERIC_NOUNS and enum.by_gom:
        # "Đánh giá công tác quản lý … gồm những nội dung nào": the noun asked names no kind of
        # item, the rest of the question names the whole; "X gồm: a; b; c" defines that whole
        # when the question holds (nearly) every word of X
        if len(shared) >= LEAD_NAMED_WORDS and len(shared) >= GOM_SHARE * len(lead):
            return True
    if " ".join(asked) in GENERIC_NOUNS and in_role(enum, role) and len(shared - {role}) >= ROLE_SHARED:
        return True  # "truyền thông … về những nội dung gì": "Truyền thông trên loa đài … về: …"
    if _announces_kind(enum, asked):
        return True
    n = len(asked)
    return all(folded_tokens(x)[:n] == asked for x in enum.items)


def _announces_kind(enum: Enumeration, asked: list[str]) -> bool:
    """The lead-in closes on the head noun asked, its plural marker before it ("… tập trung xử
    lý các hành vi: …" for "những hành vi vi phạm nào"): a Vietnamese lead-in names the kind of
    its items last, right before the colon; the head noun is the phrase's first two syllables."""
    head = asked[:2]
    lead = folded_tokens(enum.lead)
    return len(head) == 2 and lead[-3:] in (["cac", *head], ["nhung", *head])


def _answer(ctx: AnswerContext, head: str, parts: list[tuple[Passage, str, str]]) -> Answer:
    """The items (passage, item, quote) one per line, packed five lines at most; one [n] per
    passage after its last item. No item is left out: the answer is the whole list."""
    cites = Cites(ctx.docs)
    found = [(shorten(t, ITEM_CHARS), cites.add(p, quote, 1.0)) for p, t, quote in parts]
    items = [
        t + (f" [{n}]" if i + 1 == len(found) or found[i + 1][1] != n else "")
        for i, (t, n) in enumerate(found)
    ]
    if len(items) > 5:
        # short names ("sốt xuất huyết", "Gia Thuận") share lines up to ``LINE_CHARS``; longer
        # items are packed evenly into five lines
        if max(len(t) for t in items) <= COMMA_ITEM_CHARS:
            rows: list[str] = []
            for t in items:
                if rows and len(rows[-1]) + len(t) + 2 <= LINE_CHARS:
                    rows[-1] += ", " + t
                else:
                    rows.append(t)
            items = rows
        else:
            per = -(-len(items) // 5)
            items = ["; ".join(items[i : i + per]) for i in range(0, len(items), per)]
    return Answer(
        question=ctx.query.text,
        answer="\n".join([head, *(f"• {x}" for x in items)]),
        intent="list",
        citations=cites.items,
    )


# the noun phrase asked, written whole in a lead-in ("tại 03 vùng nuôi chính của tỉnh, bao gồm:"
# for "tại những vùng nuôi chính nào", "các chỉ tiêu cụ thể như sau:" for "những chỉ tiêu nào"),
# is the strongest sign that the items after it are the ones asked: worth this much cover
PHRASE_BONUS = 0.5
KIND_BONUS = 1.0  # items of the kind asked outweigh any cover of the question
LEAST_CLAUSE = 20  # a clause shorter than this does not stand for its lead-in in the answer's head


def holds_phrase(text: str, words: list[str]) -> bool:
    """``text`` holds the (folded) words in a row: the noun phrase asked, written whole."""
    toks = folded_tokens(text)
    n = len(words)
    return n > 0 and any(toks[i : i + n] == words for i in range(len(toks) - n + 1))


def introduces(e: Enumeration, words: list[str]) -> bool:
    """The clause of the lead-in right before the items writes the noun phrase asked ("…, các nội
    dung này được cụ thể hóa bằng các chỉ tiêu cụ thể như sau:"); a phrase earlier in a long
    lead-in ("… tập trung vào các khu vực kinh tế để có phương án …, theo dõi sát nguồn thu lớn
    như: …") is not what the items are."""
    return holds_phrase(_last_clause(e.lead), words)


def _last_clause(lead: str) -> str:
    return re.split(r"[,;:.]\s+", lead)[-1]


def of_kind(e: Enumeration, words: list[str]) -> bool:
    """ "Vùng nuôi tôm nước lợ quanh đầm Cù Mông; vùng nuôi …" for "những vùng nuôi chính nào":
    every item opens with the head noun asked (its first two syllables), it is of the kind asked."""
    noun = words[:2]
    return len(noun) == 2 and all(folded_tokens(x)[:2] == noun for x in e.items)


def _section_of(ctx: AnswerContext, p: Passage) -> list[Passage]:
    """The passages of ``p``'s section, in the plan's order (one passage when not gathered)."""
    same = [x for x in ctx.evidence.plan_pool(p.doc) if x.section == p.section]
    return same if any(x.id == p.id for x in same) else [p]


def _candidates(ctx: AnswerContext, words: list[str]) -> list[tuple[float, Enumeration]]:
    """(relevance, enumeration) of the best passages, each line-enumeration and each list
    announced in its section; and, of the plan retrieved first, every enumeration whose lead-in
    writes the noun phrase asked whole and whose items are of the kind asked (``of_kind``): the
    loader may rank its passage below others."""
    query, hits = ctx.query, ctx.hits[:6]
    seen: set[tuple] = set()
    out: list[tuple[float, Enumeration]] = []

    def add(r: float, e: Enumeration) -> None:
        key = (e.passage.id, e.line, e.items[0])
        if key not in seen:
            seen.add(key)
            out.append((r, e))

    done: set[tuple] = set()
    for r, h in zip(relevance(query, hits, ctx.idf), hits):
        if h.passage.kind == "metadata" and query.fact != FactKind.RECIPIENT:
            # the header card's lists are the document's own addressees ("Kính gửi", "Nơi nhận",
            # Decree 30/2020, Appendix I), never items of the plan's content: only a question
            # asking whom the document is sent to lists them (``answer.meta`` does)
            continue
        for e in enumerations(h.passage):
            add(r, e)
        where = (h.passage.doc, tuple(h.passage.section))
        if where not in done:
            done.add(where)
            for e in announced(_section_of(ctx, h.passage)):
                add(r, e)
    doc = query.filters.get("doc") or (hits[0].passage.doc if hits else None)
    if doc and len(words) >= 2:
        pool = ctx.evidence.plan_pool(doc)
        sections: dict[tuple, list[Passage]] = {}
        for p in pool:
            sections.setdefault(tuple(p.section), []).append(p)
            for e in enumerations(p):
                if introduces(e, words) and of_kind(e, words):
                    add(0.0, e)
        for group in sections.values():
            for e in announced(group):
                if introduces(e, words) and of_kind(e, words):
                    add(0.0, e)
    return out


def inline_list(ctx: AnswerContext, asked: str | None, beat: float) -> Answer | None:
    """The enumeration among the best passages whose lead-in names the items asked, when its
    lead-in and heading cover more of the question than ``beat`` (the best heading's cover)."""
    if not asked:
        return None
    query = ctx.query
    words = asked.split()
    question = set(folded_tokens(query.folded or query.text))
    role = asked_role(query.folded or "", asked) if asked in GENERIC_NOUNS else None
    best: tuple[float, Enumeration] | None = None
    for r, e in _candidates(ctx, words):
        if not _names_asked(e, words, question, role):
            continue
        kind = counted_kind(e)
        if kind is not None and words and words[0] not in kind:
            continue
        cov = coverage(query.terms, " ".join((e.lead, *e.passage.section[-1:])), ctx.idf)
        named = (len(words) >= 2 and asked not in GENERIC_NOUNS and introduces(e, words)) or in_role(e, role)
        score = cov + 0.1 * r + (PHRASE_BONUS if named else 0.0)
        if of_kind(e, words):
            score += KIND_BONUS
        if best is None or score > best[0]:
            best = (score, e)
    if best is None or best[0] <= beat:
        return None
    e = best[1]
    # a long lead-in is a paragraph: its last sentence introduces the items
    # (not after a numbering: "12. Ủy ban nhân dân các xã" is one heading)
    lead = re.split(r"(?<=[^\d\s][.;])\s+(?=[A-ZĐÀ-Ỹ])", e.lead)[-1].rstrip(":")
    title = e.passage.section[-1] if e.passage.section else ""
    if len(title) > 3 and lead.startswith(title) and len(lead) > len(title) + LEAST_CLAUSE:
        lead = lead[len(title) :].strip(" :-")  # the heading line joined to the lead-in by the wrap
    clause = lead.rsplit(", ", 1)[-1]
    if len(lead) > LINE_CHARS and len(clause) >= LEAST_CLAUSE:
        # a paragraph of one sentence: its last clause announces the items ("…, các nội dung này
        # được cụ thể hóa bằng các chỉ tiêu cụ thể như sau")
        lead = clause[0].upper() + clause[1:]
    head = f"{shorten(lead, LINE_CHARS)} — {plan_label(e.passage.doc, ctx.docs)}:"
    return _answer(ctx, head, e.parts())


items_answer = _answer  # the items of an enumeration, one per line, each cited
logical_lines = _logical_lines  # a passage's lines, hard wraps joined back


def member_list(ctx: AnswerContext, asked: str | None) -> Answer | None:
    """ "Đoàn kiểm tra gồm những thành viên nào": the items of the best plan naming people,
    each as the plan writes it ("Ông Hoàng Văn Thuân - Trưởng đoàn")."""
    if not asked or fold(asked) not in PERSON_NOUNS:
        return None
    docs = list(dict.fromkeys(h.passage.doc for h in ctx.hits[:3]))
    for doc in docs:
        pool = ctx.evidence.plan_pool(doc)
        people = [p for p in pool if p.persons]
        if len(people) < 2:
            continue
        parts = [
            # the member and the role: the part before the duties (": Phụ trách chung …")
            (p, ln.split(":", 1)[0].strip(), ln)
            for p in people
            for ln in (x.strip() for x in p.text.split("\n"))
            if _HONORIFIC.match(ln)
        ]
        if len(parts) < 2:
            continue
        return _answer(ctx, f"Thành viên — {plan_label(doc, ctx.docs)}:", parts)
    return None
