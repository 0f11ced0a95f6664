"""The items of a section ("Các hình thức truyền thông gồm những gì?")."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from assistant.answer.assigned import assigned_units
from assistant.answer.column_list import column_list
from assistant.answer.common import AnswerContext, Cites, Evidence, own_heading, plan_label, refusal
from assistant.answer.due_rows import due_rows
from assistant.answer.enumerations import (
    GENERIC_NOUNS,
    PERSON_NOUNS,
    PHRASE_BONUS,
    holds_phrase,
    inline_list,
    member_list,
)
from assistant.answer.evidence import coverage, segments, shorten
from assistant.answer.fields import labelled_field
from assistant.answer.handler import Handler, add_plan_passages, search, weak
from assistant.answer.list_passage import compose_list
from assistant.answer.lists import asked_heading, heading_in_plan, quoted_heading, section_children
from assistant.answer.period_lists import period_list
from assistant.answer.team_tables import team_people, team_tasks
from assistant.query.model import Intent, Query, SectionKind
from assistant.query.rules import asks_assigned_units
from assistant.records import Answer, Hit
from assistant.vocab.lists import paraphrases
from assistant.vocab.tokens import folded_tokens

if TYPE_CHECKING:
    from assistant.snapshot import IndexSnapshot

__all__ = ["ListHandler", "heading_items"]

# the asked noun phrase must be (nearly) all in the heading: "những mục tiêu cụ thể nào"
# lists "2. Mục tiêu cụ thể đến năm 2030", not any heading sharing one word
HEADING_MATCH = 0.75
# "trong phần Tổ chức thực hiện", "trong lĩnh vực y tế": the part of the plan named after
# "phần/mục/nội dung" holds the items; plans group their targets by field ("1.4. Mục tiêu 4:
# Trong lĩnh vực y tế"), so "lĩnh vực X" names such a heading with its own words
_PART = re.compile(
    r"\b(?:trong|o|tai|thuoc) (?:phan |muc |noi dung )?((?:linh vuc )?(?:(?!(?:cua|gom|co|la|nao|gi)\b)"
    r"[a-z0-9]+,?\s*){1,6})"  # "lĩnh vực kinh tế, lao động": one part, named with a comma
)
_NAMED_PART = re.compile(r"\b(?:trong|o|tai|thuoc) (?:phan|muc|noi dung|linh vuc)\b")


def heading_items(ctx: AnswerContext) -> Answer | None:
    """ "Những mục tiêu chủ yếu nào?": the items under the heading the plural phrase names."""
    return heading_match(ctx)[0]


def heading_match(ctx: AnswerContext, subject_free: bool = False) -> tuple[Answer | None, float]:
    """ "Những mục tiêu chủ yếu nào?": the items under the heading the plural phrase names, and
    how much of the question that heading covers (0 when none is named). ``subject_free``: the
    phrase is tried as well without the words of the plan's title (``_head_noun``)."""
    folded = ctx.query.folded or ctx.query.text.lower()
    # "các đơn vị trong phần Tổ chức thực hiện": the section named after "phần/mục" holds the
    # items; else the plural phrase itself names the heading ("những mục tiêu chủ yếu nào")
    part = _PART.search(folded) if _NAMED_PART.search(folded) else None
    asked = asked_heading(folded)
    phrases = [part.group(1) if part else None, asked]
    if subject_free and asked:
        phrases.append(_head_noun(ctx, asked))
    if asked is None or asked in PERSON_NOUNS or asked in GENERIC_NOUNS:
        # "Thành phần thực hiện giám sát … gồm những ai?": the noun after "những" names no part
        # of the plan; the subject before "gồm" does, opening with the heading's own words
        phrases += _subject_heads(folded)
    for i, phrase in enumerate(phrases):
        if not phrase or phrase in phrases[:i]:
            continue
        listed, cov = section_children(ctx, heading=phrase)
        if listed is not None and cov >= HEADING_MATCH:
            return listed, _heading_cover(ctx, listed)
    for phrase in paraphrases(asked) if asked else ():
        # "theo những bước nào" of a plan whose steps are its "Phương án triển khai" (``vocab.lists``):
        # the heading is looked for in the whole plan, its passages may rank low
        listed = heading_in_plan(ctx, phrase)
        if listed is not None:
            return listed, _heading_cover(ctx, listed) + PHRASE_BONUS
    return None, 0.0


# "<subject> gồm / bao gồm / có những …": a Vietnamese definition question names the whole first
_GOM_SUBJECT = re.compile(r"^(?P<subject>.+?)\s+(?:bao\s+)?gom\b")
SUBJECT_WORDS = (6, 2)  # the subject's first words tried as a heading, the longest first


def _subject_heads(folded: str) -> list[str]:
    """The subject of "X gồm những ai/gì" as heading phrases: its first six words down to two
    (a heading is a noun phrase opening the subject, "thành phần thực hiện" of "thành phần thực
    hiện giám sát, đánh giá chương trình … năm 2025")."""
    m = _GOM_SUBJECT.match(folded)
    if m is None:
        return []
    words = [w for w in folded_tokens(m.group("subject")) if not w.isdigit()]
    most, least = SUBJECT_WORDS
    return [" ".join(words[:n]) for n in range(min(most, len(words)), least - 1, -1)]


# a Vietnamese noun phrase opens with its head noun, most often of two syllables ("mục tiêu",
# "giải pháp", "nhiệm vụ", "chỉ tiêu"), its modifiers follow ("mục tiêu bình đẳng giới")
HEAD_SYLLABLES = 2


def _head_noun(ctx: AnswerContext, phrase: str) -> str:
    """ "những mục tiêu bình đẳng giới nào" of the plan on gender equality: the modifier is the
    plan's subject, written in its title (trích yếu), and names no heading of it ("II. MỤC TIÊU");
    the phrase less the title's words, its head noun kept."""
    doc = ctx.query.filters.get("doc") or (ctx.hits[0].passage.doc if ctx.hits else None)
    meta = ctx.docs.get(doc) if doc else None
    if meta is None or not meta.title:
        return phrase
    title = set(folded_tokens(meta.title))
    words = phrase.split()
    return " ".join(words[:HEAD_SYLLABLES] + [w for w in words[HEAD_SYLLABLES:] if w not in title])


def _heading_cover(ctx: AnswerContext, listed: Answer, terms: list[str] | None = None) -> float:
    """How much of the question (or of ``terms``) the listed section's heading path covers."""
    if not listed.citations:
        return 0.0
    # the answer's head names the heading as the plan writes it ("d) Các hoạt động chính"), where
    # the path may hold its label alone ("d)")
    head = listed.answer.split("\n", 1)[0].rsplit(" — ", 1)[0]
    words = ctx.query.terms if terms is None else terms
    return coverage(words, f"{listed.citations[0].section} {head}", ctx.idf) if words else 0.0


# a sentence answers a list question in place of a heading's items when it holds (nearly) all the
# question's words and clearly more of them than the heading path does
SENTENCE_COVER = 0.75
SENTENCE_MARGIN = 0.2
SENTENCE_TERMS = 2  # the question's words left past the plan's title that a sentence must hold
_LABELLED = re.compile(r"^[-+•*]?\s*[^:]{3,100}:(\s|$)")


def _untitled(ctx: AnswerContext, doc: str) -> list[str]:
    """The question's terms less the words of the plan's title (trích yếu): an official names the
    plan by its subject ("trong Tháng hành động vì bình đẳng giới"); those words name the plan,
    so any of its sentences holds them, they do not tell which sentence or heading is asked."""
    meta = ctx.docs.get(doc)
    title = set(folded_tokens(meta.title)) if meta and meta.title else set()
    return [t for t in ctx.query.terms if t not in title]


def _named_in_a_sentence(ctx: AnswerContext, listed: Answer | None) -> Answer | None:
    """ "tiêm phòng bổ sung những bệnh gì": the items are written in one sentence of a point
    ("Triển khai tiêm phòng bổ sung dại, cúm gia cầm tại vùng nguy cơ"), not the headings of
    the points around it, which share only the kind of item asked ("bệnh") with the question.
    Both are weighed on the question's words less those of the plan's title (``_untitled``)."""
    heading_cov = 0.0
    if listed is not None and listed.citations:
        heading_cov = _heading_cover(ctx, listed, _untitled(ctx, listed.citations[0].doc))
    best: tuple[float, Hit, str] | None = None
    for h in ctx.hits[:3]:
        terms = _untitled(ctx, h.passage.doc)
        if len(terms) < SENTENCE_TERMS:
            # "Bắc Ninh đề ra những nhiệm vụ, giải pháp nào": past the title's words only "đề"
            # is left, one syllable any sentence may hold ("đề xuất"); a Vietnamese word is mostly
            # two syllables, so fewer than two words left name nothing to find in a sentence
            continue
        text = h.passage.text
        for a, b in segments(text):
            seg = text[a:b]
            if own_heading(h.passage, seg) or _LABELLED.match(seg):
                continue  # "- Truyền thông qua …: Xây dựng …" is one item of a list, named by its label
            if seg.rstrip(" *_").endswith(":"):
                # "… ban hành Kế hoạch … như sau:", "… thực hiện các hoạt động sau:": a sentence
                # closed by a colon announces the items written after it, it is none of them
                continue
            cov = coverage(terms, seg, ctx.idf) if terms else 0.0
            if best is None or cov > best[0]:
                best = (cov, h, seg)
    if best is None or best[0] < max(SENTENCE_COVER, heading_cov + SENTENCE_MARGIN):
        return None
    _, h, seg = best
    cites = Cites(ctx.docs)
    n = cites.add(h.passage, seg, h.score)
    text = f"{shorten(seg, 300)} [{n}] — {plan_label(h.passage.doc, ctx.docs)}."
    return Answer(question=ctx.query.text, answer=text, intent=Intent.LIST, citations=cites.items)


class ListHandler(Handler):
    name = "list"
    intents = frozenset({Intent.LIST})

    def gather(self, query: Query, snapshot: IndexSnapshot) -> Evidence:
        ev = search(query, snapshot)
        # a list names a section: the best plans whole, so its sub-sections can be listed
        return add_plan_passages(ev, snapshot, {h.passage.doc for h in ev.hits[:3]})

    def compose(self, ctx: AnswerContext) -> Answer | None:
        folded = ctx.query.folded or ctx.query.text.lower()
        if asks_assigned_units(folded):
            # "giao nhiệm vụ cho những đơn vị nào": the units heading the items of the part that
            # assigns the work (``assigned_units``)
            units = assigned_units(ctx)
            if units is not None:
                return units
        asked = asked_heading(folded)
        # "những ai được mời dự hội nghị": the attendees asked are the activity's "Thành phần" field
        composition = ctx.query.section is SectionKind.COMPOSITION
        field = labelled_field(ctx, SectionKind.COMPOSITION.value if composition else asked)
        if field is not None:
            return field  # "hội nghị có những thành phần nào": the "- Thành phần: …" line's content
        members = member_list(ctx, asked)
        if members is not None:
            return members  # "gồm những thành viên nào": the people the plan names, one by one
        # a working body's table of tasks ("Nhiệm vụ thực hiện | Người thực hiện", ``team_tables``)
        team = team_tasks(ctx, asked) or team_people(ctx, asked)
        if team is not None:
            return team
        column = column_list(ctx)
        if column is not None:
            return column  # "gồm những đơn vị nào" of an annex's "Tên đơn vị …" column
        due = due_rows(ctx)
        if due is not None:
            return due  # "những việc nào phải xong trong Quý II/2026": the rows of that time cell
        listed, heading_cov = heading_match(ctx, subject_free=True)
        # an enumeration whose lead-in names the items asked and covers more of the question than
        # the heading ("Giám sát trọng điểm các bệnh: …" under "3. Phòng chống dịch bệnh"); each
        # side that writes the noun phrase asked whole gains the same (``PHRASE_BONUS``)
        beat = heading_cov if listed is not None else 0.0
        # (a noun for "what is in it", ``GENERIC_NOUNS``, names no kind of item: no bonus)
        if (
            listed is not None
            and asked
            and len(asked.split()) >= 2
            and asked not in GENERIC_NOUNS
            and listed.citations
        ):
            head = listed.answer.split("\n", 1)[0].rsplit(" — ", 1)[0]
            if holds_phrase(f"{listed.citations[0].section} {head}", asked.split()):
                beat += PHRASE_BONUS
        inline = inline_list(ctx, asked, beat)
        if inline is not None:
            return inline
        if listed is not None:
            return _named_in_a_sentence(ctx, listed) or listed
        if asked is None or asked in GENERIC_NOUNS:
            # "sau 72 giờ … hỗ trợ những gì": the period's bound names its items (``period_lists``)
            period = period_list(ctx)
            if period is not None:
                return period
        quoted = quoted_heading(ctx)
        if quoted is not None:
            return quoted  # "Để bảo vệ khoáng sản chưa khai thác, … làm những gì?"
        listed, heading_cov = section_children(ctx)
        if listed is not None and heading_cov >= 0.5:
            return listed  # the question names a section of the plan: that is evidence enough
        if weak(ctx):
            return refusal(ctx)
        return compose_list(ctx)
