"""List answers: the items of a section of one plan, or the lines of its best passage."""

from __future__ import annotations

import re

from assistant.answer.common import (
    AnswerContext,
    Cites,
    Evidence,
    fold_,
    plan_label,
    relevance,
)
from assistant.answer.enumerations import GENERIC_NOUNS
from assistant.answer.evidence import coverage, shorten
from assistant.answer.list_groups import named_group
from assistant.answer.list_items import ENUMERATOR as _ENUMERATOR
from assistant.answer.list_items import (
    LEAST_ITEM,
    children_of,
    fair_widths,
    item_label,
    qualified_child,
    rejoined,
)
from assistant.query.model import Query
from assistant.records import Answer, DocMeta, Passage
from assistant.vocab.lists import TASK_FIELDS, sheet_field
from assistant.vocab.tokens import folded_tokens

__all__ = [
    "section_children",
    "list_section",
    "quoted_heading",
    "heading_in_plan",
    "asked_heading",
    "full_heading",
    "MAX_CHILDREN",
    "children_of",
    "format_items",
    "children_answer",
    "lines_of",
    "share",
    "LINE_ITEM",
    "POINT",
    "heading_words",
]

MAX_CHILDREN = 12  # sub-sections a count is read from (``count_sections``); more are listed, not counted
# every item of a list is written (issue 12: a list cut short hid the rest); a long list shares
# this many characters, each item shortened to its share (never below ``LEAST_ITEM``), and the
# citations hold every item whole
LIST_CHARS = 1400
# a bullet line of one passage is a whole target or task sentence ("Bảo đảm … được tiếp cận hỗ trợ
# trong 24 giờ đầu"): shown whole up to this when the list is short
LINE_ITEM = 240


def share(n: int, most: int) -> int:
    """The characters each of ``n`` items may take."""
    return max(LEAST_ITEM, min(most, LIST_CHARS // max(n, 1)))


_LIST_FUNCTION = frozenset(
    "nhung nao gi cac co la gom bao ke ten cua ve va duoc o tai cho mot the ra sao hoach "
    "quyet dinh kh qd nhom".split()
)
POINT = re.compile(r"^[a-zđ]\)$")  # a lettered point's label in the heading path
_ENUM_ONLY = re.compile(r"^\s*(?:\d{1,3}(?:\.\d{1,3})*|[IVXLC]{1,6}|[a-zđ])[.)]?\s*$", re.I)


# "những mục tiêu cụ thể nào", "các nhóm nhiệm vụ gì", "gồm những thành viên nào": the noun
# phrase after the plural marker names the heading whose items are asked; it ends where the
# question goes on to name the plan or the place ("của kế hoạch …", "trong", "ở", "là gì"), or
# where another plural marker opens the next phrase ("các cơ quan phối hợp làm những hoạt động …")
_PLURAL_PHRASE = re.compile(
    r"\b(?:nhung|cac)\s+((?:(?!(?:cua|trong|o|tai|la|nao|gi|duoc|ma|theo|do|nhu|ve|ke|kh|nhung|cac)\b)"
    r"[a-z0-9]+\s*){1,6})"
)


_CLOSED = re.compile(r"\s*(?:nao|gi)\b")


def asked_heading(folded: str) -> str | None:
    """The heading words of a plural question ("những mục tiêu chủ yếu nào" → "muc tieu chu
    yeu"), or None when the question does not ask for the items of something.

    A Vietnamese question closes the noun phrase it asks with "nào"/"gì" ("các cơ quan … phối
    hợp làm những hoạt động chính nào": the activities are asked; "các cơ quan" names who does
    them): a plural phrase so closed is the one asked, else the first one."""
    phrases = []
    for m in _PLURAL_PHRASE.finditer(folded):
        words = [w for w in m.group(1).split() if w not in _LIST_FUNCTION and not w.isdigit()]
        if words:
            phrases.append((bool(_CLOSED.match(folded, m.end())), " ".join(words)))
    closed = [p for c, p in phrases if c]
    first = closed or [p for _, p in phrases]
    return first[0] if first else None


def full_heading(title: str, p: Passage) -> str:
    """A heading as the plan writes it on the passage's first line: the loader keeps the title
    before a colon ("1.4. Mục tiêu 4"), the line goes on with what the part is about ("1.4. Mục
    tiêu 4: Trong lĩnh vực y tế", "12. Ủy ban nhân dân các xã: Gia Thuận, Tân Điền")."""
    first = p.text.lstrip().split("\n", 1)[0].strip()
    # a long title is cut by the loader ("… về công tác xây…"): its kept part opens the line
    if len(first) <= 200 and fold_(first).startswith(fold_(title.rstrip("…")).strip()):
        return first
    return title


def _heading_terms(text: str) -> list[str]:
    """Words a section heading may share with the question ("nhiệm vụ trọng tâm" included)."""
    return [t for t in dict.fromkeys(folded_tokens(text)) if t not in _LIST_FUNCTION and not t.isdigit()]


def lines_of(text: str) -> list[str]:
    return [ln for ln in (x.strip() for x in text.split("\n")) if len(ln) > 3]


_CLOSING = re.compile(r"\s*[.;]+((?:\s*\[\d+\])*)$")


def format_items(items: list[str], head: str) -> str:
    """Up to five items one per line; more are packed two or three to a line."""
    if len(items) <= 5:
        return "\n".join([head, *(f"• {x}" for x in items)])
    per = -(-len(items) // 4)
    # packed items are joined by "; ": an item's own closing "." or ";" would double it
    bare = [_CLOSING.sub(r"\1", x) for x in items]
    rows = ["; ".join(bare[i : i + per]) for i in range(0, len(bare), per)]
    return "\n".join([head, *(f"• {r}" for r in rows)])


def section_children(ctx: AnswerContext, heading: str | None = None) -> tuple[Answer | None, float]:
    """The question names a section ("nhiệm vụ trọng tâm"): its sub-sections, in order.

    Returns the answer (None when no named section has sub-sections) and how well the
    heading matches the question (coverage of the question's words, or of ``heading``'s
    when the caller knows the words the heading must hold).
    """
    query, ev, docs, idf = ctx.query, ctx.evidence, ctx.docs, ctx.idf
    terms = _heading_terms(heading if heading is not None else query.folded or query.text)
    noun = terms if heading is not None else []  # the words the caller knows the heading holds
    tset = set(terms)
    hits = ev.hits[:6]
    rel = relevance(query, hits, idf)
    best = None
    for r, h in zip(rel, hits):
        p = h.passage
        for depth in range(1, len(p.section) + 1):
            heading = p.section[depth - 1]
            if depth == len(p.section):
                heading = full_heading(heading, p)
            cov = coverage(terms, heading, idf)
            words = [t for t in folded_tokens(heading) if t not in _LIST_FUNCTION and not _ENUM_ONLY.match(t)]
            precision = sum(t in tset for t in words) / len(words) if words else 0.0
            score = cov + 0.3 * precision + 0.3 * r
            if cov >= 0.3 and (best is None or score > best[0]):
                best = (score, p.doc, p.section[:depth], h, cov)
    if best is None:
        return None, 0.0
    _, doc, prefix, hit, cov = best
    pool = ev.plan_pool(doc)
    # an official names the plan by its subject ("kế hoạch về tạo lập dữ liệu … gồm những nhóm
    # nhiệm vụ nào"): words of the plan's title (trích yếu) identify the plan, they do not name
    # one of its parts ("1. Về dữ liệu"), so they never pick a sub-heading
    title = set(folded_tokens(docs[doc].title)) if doc in docs and docs[doc].title else set()
    said = set(folded_tokens(query.folded or query.text))
    asked = said - title
    if noun and len(prefix) > 1:
        # the heading found may be a sibling of the one asked, both repeating the noun asked
        siblings = {t: heading_words(t) for t in children_of(pool, doc, prefix[:-1])}
        prefix = (*prefix[:-1], qualified_child(siblings, noun, said) or prefix[-1])
    for _ in range(3):
        children = children_of(pool, doc, prefix)
        # "Giám sát cấp xã theo những bước nào?": one sub-heading ("Cấp xã") is named by the
        # question as well: its items are asked, not the list of sub-headings
        named = [t for t in children if (w := heading_words(t)) and all(x in asked for x in w)]
        if not named and (one := qualified_child({t: heading_words(t) for t in children}, noun, said)):
            named = [one]  # "2. Các bước giám sát", "3. Các bước đánh giá": the one the question says
        if len(named) != 1:
            break
        prefix = (*prefix, named[0])
    if noun:
        prefix = _numbered_by(pool, doc, prefix, noun)
    return list_section(ctx, doc, prefix, hit), cov


def list_section(ctx: AnswerContext, doc: str, prefix: tuple, hit) -> Answer | None:
    """The items of the section ``prefix`` of ``doc``: its sub-headings, else its table rows,
    else its lines (None when it has fewer than two)."""
    query, ev, docs = ctx.query, ctx.evidence, ctx.docs
    pool = ev.plan_pool(doc)
    children = children_of(pool, doc, prefix)
    if len(children) < 2:
        rows = _section_rows(query, doc, prefix, hit, ev, docs)
        return rows or _section_lines(query, doc, prefix, hit, ev, docs)
    task = _task_field(children)
    if task is not None:
        # a task sheet ("a) Nhiệm vụ: …", "b) Cơ quan thực hiện: …", "c) Thời gian thực hiện: …"):
        # its labels are fields of one task, the items asked are the lines of its task field
        inner = (*prefix, task)
        return _section_lines(query, doc, inner, hit, ev, docs) or _one_task(query, doc, inner, hit, ev, docs)
    noun = (asked_heading(query.folded or fold_(query.text)) or "").split()[:2]
    if (
        noun
        and _labelled(pool, prefix, noun) >= 2
        and not any(_opens(t, ps[0], noun) for t, ps in children.items())
    ):
        # "những chỉ tiêu nào trong lĩnh vực kinh tế, lao động": the sub-headings group the items
        # ("a) Lĩnh vực lao động:", "b) Lĩnh vực kinh tế:"), the lines labelled by the noun asked
        # ("- Chỉ tiêu 1: …", "Chỉ tiêu 3: …") are the items, across the groups
        lines = _section_lines(query, doc, prefix, hit, ev, docs)
        if lines is not None:
            return lines
    return children_answer(query, doc, prefix, children, hit, docs)


def _task_field(children: dict[str, list]) -> str | None:
    """The child holding the task of a task sheet (``vocab.lists``): at least two children
    labelled as its fields, one of them the task ("Nhiệm vụ", "Nội dung"); else None."""
    fields = {}
    for title, ps in children.items():
        label = full_heading(title, ps[0]) if _ENUM_ONLY.match(title) else title
        field = sheet_field(label)
        if field is not None:
            fields[field] = title
    tasks = [t for f, t in fields.items() if f in TASK_FIELDS]
    return tasks[0] if len(fields) >= 2 and len(tasks) == 1 else None


def _one_task(
    query: Query, doc: str, prefix: tuple, hit, ev: Evidence, docs: dict[str, DocMeta]
) -> Answer | None:
    """A task field written in one sentence ("a) Nhiệm vụ: Lựa chọn kiến trúc sư trưởng …"): that
    sentence, whole, after its label."""
    own = [p for p in ev.plan_pool(doc) if tuple(p.section[: len(prefix)]) == tuple(prefix)]
    if not own:
        return None
    text = " ".join(lines_of(own[0].text))
    body = text.split(":", 1)[1].strip() if ":" in text[:40] else text
    if not body:
        return None
    cites = Cites(docs)
    n = cites.add(own[0], lines_of(own[0].text)[0], hit.score)
    head = (
        f"{prefix[-2].rstrip(':')} — {plan_label(doc, docs)}:"
        if len(prefix) >= 2
        else f"{plan_label(doc, docs)}:"
    )
    return Answer(
        question=query.text,
        answer=format_items([f"{shorten(body, 450)} [{n}]"], head),
        intent="list",
        citations=cites.items,
    )


def _opens(title: str, first: Passage, noun: list[str]) -> bool:
    label = full_heading(title, first) if _ENUM_ONLY.match(title) else title
    return folded_tokens(_ENUMERATOR.sub("", label))[: len(noun)] == noun


def _labelled(pool: list, prefix: tuple, noun: list[str]) -> int:
    """The lines under ``prefix`` labelled by the noun asked and a number ("Chỉ tiêu 2: …")."""
    n = 0
    for p in pool:
        if tuple(p.section[: len(prefix)]) == tuple(prefix):
            for ln in lines_of(p.text):
                toks = folded_tokens(ln.lstrip("-–•*+ "))
                n += toks[: len(noun)] == noun and len(toks) > len(noun) and toks[len(noun)].isdigit()
    return n


QUOTED_WORDS = 3  # a heading of fewer words ("1. Mục đích", "4. Về nguồn lực") is quoted by chance


def quoted_heading(ctx: AnswerContext) -> Answer | None:
    """ "Để bảo vệ khoáng sản chưa khai thác, kế hoạch … yêu cầu làm những gì?": the question
    quotes a heading of the plan whole. A plan names each group of its tasks by what the group
    achieves ("7. Bảo vệ khoáng sản chưa khai thác", "a) Đảm bảo nước sạch") or by its period
    ("2. Giai đoạn 2031 - 2035"), and an official asking what is done for it names it so: its
    items are the answer. Only when the question names no kind of item of its own ("những gì",
    "những nội dung nào"), only a heading of ``QUOTED_WORDS`` words or more, every one of them
    the question's (in any order: "bảo đảm" is "đảm bảo"), of the plan named or of the plans
    the evidence holds; the heading of most words wins, then the plan retrieved first."""
    query, ev = ctx.query, ctx.evidence
    asked = asked_heading(query.folded or fold_(query.text))
    # the nouns for "what is in it" (``GENERIC_NOUNS``) name no heading, the rest of the question does
    if asked is not None and asked not in GENERIC_NOUNS:
        return None
    named = query.filters.get("doc")
    ranked = list(dict.fromkeys(h.passage.doc for h in ev.hits))
    plans = [named] if named else ranked
    question = set(folded_tokens(query.folded or query.text))
    best: tuple[tuple[int, int, int], str, tuple] | None = None
    for rank, doc in enumerate(plans):
        # a plan gathered whole, else its passages retrieved
        pool = ev.plan_pool(doc)
        for p in pool:
            for depth in range(1, len(p.section) + 1):
                title = p.section[depth - 1]
                text = full_heading(title, p) if depth == len(p.section) else title
                words = {
                    t for t in folded_tokens(text) if t not in _LIST_FUNCTION and not _ENUM_ONLY.match(t)
                }
                if len(words) < QUOTED_WORDS or not words <= question:
                    continue
                key = (len(words), -rank, depth)
                if best is None or key > best[0]:
                    best = (key, doc, tuple(p.section[:depth]))
    if best is None:
        return None
    _, doc, prefix = best
    hit = next((h for h in ev.hits if h.passage.doc == doc), ev.hits[0])
    return list_section(ctx, doc, prefix, hit)


def heading_in_plan(ctx: AnswerContext, phrase: str) -> Answer | None:
    """The items under the first heading of the plan asked (named, else retrieved first) whose
    words, enumerator left out, open with ``phrase`` ("2. Phương án triển khai" for "phuong an
    trien khai"), when there is exactly one such heading; else None."""
    ev = ctx.evidence
    doc = ctx.query.filters.get("doc") or (ev.hits[0].passage.doc if ev.hits else None)
    if doc is None:
        return None
    words = phrase.split()
    found: dict[tuple, Passage] = {}
    for p in ev.plan_pool(doc):
        for depth in range(1, len(p.section) + 1):
            title = p.section[depth - 1]
            label = full_heading(title, p) if _ENUM_ONLY.match(title) else title
            if heading_words(label)[: len(words)] == words:
                found.setdefault(tuple(p.section[:depth]), p)
    if len(found) != 1:
        return None
    prefix = next(iter(found))
    hit = next((h for h in ev.hits if h.passage.doc == doc), ev.hits[0])
    return list_section(ctx, doc, prefix, hit)


def _numbered_by(pool: list, doc: str, prefix: tuple, noun: list[str]) -> tuple:
    """A plan may number its items by the noun asked ("1.1. Mục tiêu 1. Lĩnh vực chính trị",
    "1.2. Mục tiêu 2. …"), one level under the heading that holds the noun ("II. MỤC TIÊU" › "1.
    Phấn đấu đến cuối năm 2025 đạt các mục tiêu, chỉ tiêu sau"): so numbered, they are the items
    asked. The prefix whose sub-headings open with the noun (``prefix`` itself when its own do)."""

    def numbered(children: dict) -> int:
        opens = 0
        for title, ps in children.items():
            label = full_heading(title, ps[0]) if _ENUM_ONLY.match(title) else title
            opens += folded_tokens(_ENUMERATOR.sub("", label))[: len(noun)] == noun
        return opens

    if not noun or numbered(children_of(pool, doc, prefix)) >= 2:
        return prefix
    below = [(*prefix, t) for t in children_of(pool, doc, prefix)]
    found = [p for p in below if numbered(children_of(pool, doc, p)) >= 2]
    return found[0] if len(found) == 1 else prefix


def children_answer(query: Query, doc: str, prefix: tuple, children: dict, hit, docs) -> Answer:
    """The sub-headings (or points) under ``prefix``, one item each, in the plan's order."""
    cites = Cites(docs)
    items = []
    # lettered points ("a) Tiếp tục tổ chức triển khai …") are the tasks themselves, written as
    # sentences: they share the list's characters (``fair_widths``, the short ones whole); a
    # sub-heading names its part in a few words
    points = all(POINT.match(t) for t in children)
    labels = []
    for title, ps in children.items():
        first = ps[0]
        label = title if not _ENUM_ONLY.match(title) else (lines_of(first.text) or [first.text])[0]
        if label == title and len(first.section) == len(prefix) + 1:
            # "1.4. Mục tiêu 4" is the loader's title of "1.4. Mục tiêu 4: Trong lĩnh vực y tế"
            label = full_heading(title, first)
        labels.append((first, label))
    widths = (
        fair_widths([len(x) for _, x in labels], LIST_CHARS)
        if points
        else [share(len(labels), 110)] * len(labels)
    )
    for (first, label), width in zip(labels, widths):
        n = cites.add(first, lines_of(first.text)[0] if lines_of(first.text) else "", hit.score)
        items.append(f"{item_label(label, width)} [{n}]")
    head = f"{prefix[-1].rstrip(':')} — {plan_label(doc, docs)}:"
    return Answer(question=query.text, answer=format_items(items, head), intent="list", citations=cites.items)


def heading_words(title: str) -> list[str]:
    """A heading's words, its enumerator and the words of asking left out."""
    return [t for t in folded_tokens(title) if t not in _LIST_FUNCTION and not _ENUM_ONLY.match(t)]


def _section_rows(
    query: Query, doc: str, prefix: tuple, hit, ev: Evidence, docs: dict[str, DocMeta]
) -> Answer | None:
    """The named section is a table (targets, tasks): its rows, each with its values."""
    rows = [
        p
        for p in ev.doc_passages.get(doc) or []
        if p.kind == "table_row" and tuple(p.section) == tuple(prefix)
    ]
    if len(rows) < 2:
        return None
    cites = Cites(docs)
    items = []
    width = share(len(rows), 200)
    for p in rows:
        first = lines_of(p.text)[0] if lines_of(p.text) else p.text
        n = cites.add(p, first, hit.score)
        items.append(f"{shorten(first, width)} [{n}]")
    head = f"{prefix[-1].rstrip(':')} — {plan_label(doc, docs)}:"
    return Answer(question=query.text, answer=format_items(items, head), intent="list", citations=cites.items)


def _section_lines(
    query: Query, doc: str, prefix: tuple, hit, ev: Evidence, docs: dict[str, DocMeta]
) -> Answer | None:
    """The named section has (at most one) sub-heading: its lines ("- Hoàn thành …", "a) …",
    "4. …") are its items, in the plan's order, the heading line itself left out."""
    n = len(prefix)
    pool = ev.plan_pool(doc)
    # the section's own passages and those of a lone sub-heading under it, in the plan's order
    own = [p for p in pool if tuple(p.section[:n]) == tuple(prefix)]
    title = full_heading(prefix[-1], own[0]) if own and prefix and len(own[0].section) == n else ""
    heading = fold_(title or (prefix[-1] if prefix else "")).strip()
    lines = rejoined(
        [
            (p, ln)
            for p in own
            for ln in lines_of(p.text)
            # the heading repeated as the passage's first line, or a lead-in, is not an item
            if fold_(ln).strip() != heading and not (ln.endswith(":") and len(ln) < 60)
        ]
    )
    if lines and lines[0][1].rstrip(" *_").endswith(":"):
        # the section opens with the sentence that introduces its items ("Căn cứ tình hình thực
        # tế, các cơ quan … phối hợp thực hiện các hoạt động sau:"): the heading names them already
        lines = lines[1:]
    asked = set(folded_tokens(query.folded or query.text))
    lines = named_group(lines, asked, heading_words)
    # a task written with its fields on lines of their own ("*Đơn vị chủ trì thực hiện:* …", "*Thời
    # gian thực hiện:* …", ``vocab.lists``): the fields are not items of the task, unless asked
    fields = [(p, ln) for p, ln in lines if _other_field(ln, asked)]
    if fields:
        lines = [x for x in lines if x not in fields]
        if len(lines) == 1:
            # one task paragraph ("Thường xuyên tuyên truyền … Nghị quyết …; Quy định …; Luật …"):
            # the list asked is inside it, shown whole
            p, ln = lines[0]
            cites = Cites(docs)
            n = cites.add(p, ln, hit.score)
            head = f"{(title or prefix[-1]).rstrip(':')} — {plan_label(doc, docs)}:"
            body = f"{shorten(ln.lstrip('-–•*+ '), LIST_CHARS)} [{n}]"
            return Answer(
                question=query.text, answer=format_items([body], head), intent="list", citations=cites.items
            )
    cites = Cites(docs)
    # each line is a whole target or task sentence ("Chỉ tiêu 2: Tỷ lệ … đạt trên 90%…; … đạt 85%"):
    # the lines share the list's characters, the short ones whole (``fair_widths``)
    widths = fair_widths([len(ln) for _, ln in lines], LIST_CHARS)
    found = [(item_label(ln, w), cites.add(p, ln, hit.score)) for (p, ln), w in zip(lines, widths)]
    if len(found) < 2:
        return None
    # one [n] after the last item each passage gives, not after every item
    items = [
        t + (f" [{n}]" if i + 1 == len(found) or found[i + 1][1] != n else "")
        for i, (t, n) in enumerate(found)
    ]
    head = f"{(title or prefix[-1]).rstrip(':')} — {plan_label(doc, docs)}:"
    return Answer(question=query.text, answer=format_items(items, head), intent="list", citations=cites.items)


def _other_field(line: str, asked: set[str]) -> bool:
    """The line is a task sheet's field other than the task itself, and the question does not
    name it ("*Đơn vị phối hợp:* Sở Tư pháp." for "những văn bản nào")."""
    field = sheet_field(line.strip(" -–•*+_"))
    return field is not None and field not in TASK_FIELDS and not set(field.split()) <= asked
