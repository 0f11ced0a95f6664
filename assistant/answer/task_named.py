"""Whether the row a unit answer cites is the task asked: "đơn vị nào chủ trì tổ chức hội thi …"
answered with the row of "Tổ chức hội nghị, hội thảo …" names the wrong task's unit.

A plan names each task in the row (or item) that assigns it, so the task's words are written
there. A question is about another task when its words are missing from the cited row *and* it
holds a phrase that some loaded plan writes but the answer's plan never does ("hội thi" asked
of a plan of "hội nghị, hội thảo"): one missing word is a paraphrase ("đưa … vào chương trình"
for "nâng cao … trong chương trình"); a phrase the plan never writes plus a second word the row
lacks is a task the plan does not have (issue 12, failure class 4).

Words are compared folded, so a question typed without diacritics reads the same; typed with
them, the function words a fold would merge with content words ("thì" with "thi" of "hội thi",
"để" with "đề") are left out.
"""

from __future__ import annotations

import re

from assistant.answer.absence import question_pairs
from assistant.answer.common import AnswerContext
from assistant.records import Answer
from assistant.textnorm import fold, nfc
from assistant.vocab.tokens import STOPWORDS, folded_tokens

__all__ = ["TASK_ABSENT", "task_absent"]

TASK_ABSENT = "Kế hoạch không nêu nhiệm vụ này; các đoạn dưới đây chỉ có thể liên quan."
# the words that ask (the role, the assignment), not the task
_ASKING = frozenset({"giao", "chiu", "trach", "nhiem", "chu", "tri", "phoi", "hop", "ai", "nao", "don", "vi"})
# "cùng tham gia", "cùng thực hiện": how a question asks who joins the unit leading (the plan's
# "phối hợp với"), no words of the task
_JOINING = re.compile(r"\bcung (tham gia|thuc hien|phoi hop)\b")
# "ai lo …", "cơ quan nào lo việc …": "lo" (to take charge of) is how an official asks who is in
# charge, the plain word for the plan's "chủ trì" / "phụ trách"; it is no word of the task (after
# the who-word only, as "lò" of "lò đốt" folds alike)
_IN_CHARGE = re.compile(r"\b(ai|nao) lo\b")
# function words as typed with diacritics
_FUNCTION = frozenset({"thì", "khi", "để", "còn", "cần", "phải", "hãy", "được", "những", "các"})
LEAST_MISSING_WORDS = 2
# a leading frame, "Trong đợt kiểm tra … Sin Quyền, ai …", "Theo kế hoạch 141, …", sets the event or
# the plan the question is about (its scope); the task asked follows it, and the row that assigns
# the task need not repeat the frame (the plan's title and first parts name the event)
_FRAME = re.compile(r"^\s*(?:trong|theo|tai|o|doi voi)\b[^,?]*,")


def _cited_words(ctx: AnswerContext, ans: Answer) -> set[str]:
    by_id = {h.passage.id: h.passage for h in ctx.evidence.hits}
    for ps in ctx.evidence.doc_passages.values():
        by_id.update({p.id: p for p in ps})
    words: set[str] = set()
    for c in ans.citations:
        p = by_id.get(c.passage_id)
        lines = [*p.section, *p.lead, *p.partners, *p.requested, p.caption or "", p.text] if p else [c.text]
        m = ctx.docs.get(c.doc)
        lines.append(m.title if m and m.title else "")
        for line in lines:
            words.update(folded_tokens(line))
    return words


# a facility or system a plan names by its kind and what it is for ("Trung tâm dữ liệu quốc gia",
# "Cổng Dịch vụ công quốc gia", "Hệ thống thông tin giải quyết thủ tục hành chính"): its name
# runs from the capitalised kind word over the lower-case words that qualify it
_FACILITY_KINDS = ("Trung tâm", "Cổng", "Hệ thống", "Cơ sở dữ liệu", "Nền tảng", "Quỹ", "Khu")
# typed without diacritics: only the kind words that stay unambiguous ("Cong" is also "Công an")
_PLAIN_KINDS = ("Trung tâm", "Hệ thống", "Cơ sở dữ liệu", "Nền tảng")
_FACILITY = re.compile(r"(?<=\s)(?:" + "|".join(_FACILITY_KINDS) + r")\s[^,?.;:()]*")
_FACILITY_PLAIN = re.compile(
    r"(?<=\s)(?:" + "|".join(fold(k).capitalize() for k in _PLAIN_KINDS) + r")\s[^,?.;:()]*"
)
# where a facility's name ends: a function word, the place it belongs to, the verb of the task
_NAME_ENDS = STOPWORDS | {"thanh", "tp", "phuong", "tai", "de", "nam", "chu", "phoi", "giao", "thuc", "trien"}
LEAST_NAME_WORDS = 3


def other_facility(text: str, written: frozenset[str]) -> bool:
    """The question names a facility the plan names otherwise: the plan writes its kind and first
    qualifier ("Trung tâm dữ liệu") but continues with other words ("… quốc gia" for the "…
    tập trung" asked). Two facilities of one kind are two facilities; the row of one is no
    answer about the other."""
    text = nfc(text)
    for m in (*_FACILITY.finditer(text), *_FACILITY_PLAIN.finditer(text)):
        toks = folded_tokens(m.group(0))
        name = toks[: next((i for i, t in enumerate(toks[2:], 2) if t in _NAME_ENDS), len(toks))]
        pairs = [f"{a} {b}" for a, b in zip(name, name[1:])]
        have = next((i for i, p in enumerate(pairs) if p not in written), len(pairs)) + 1
        if LEAST_NAME_WORDS <= have < len(name):
            return True
    return False


def task_absent(ctx: AnswerContext, ans: Answer) -> bool:
    """True when the unit answer ``ans`` cites rows of another task than the one asked."""
    vocabulary, query = ctx.vocabulary, ctx.query
    if vocabulary is None or not ans.citations or ans.refused:
        return False
    plans = {c.doc for c in ans.citations}
    written = frozenset().union(*(vocabulary.plans[d].pairs for d in plans if d in vocabulary.plans))
    if not written:
        return False
    if other_facility(query.text, written):
        return True
    unit_words = {t for u in query.units for t in folded_tokens(u)}
    words = nfc(query.text).split()
    typed = {fold(w) for w in (x.lower() for x in words) if w.strip("?.,!:;") in _FUNCTION}
    # a capitalised name inside the question ("đợt kiểm tra Sin Quyền") names the site or plan
    # the question is about, which the plan's header and first parts write, not the task's row
    names = {fold(w.strip("?.,!:;()")).lower() for w in words[1:] if w[:1].isupper()}
    skip = _ASKING | unit_words | typed | names
    joined = _JOINING.search(query.folded or "")
    if joined:
        skip = skip | set(joined.group(0).split())  # "những đơn vị nào cùng tham gia" asks the partners
    if _IN_CHARGE.search(query.folded or ""):
        skip = skip | {"lo"}
    said = query.folded or fold(nfc(query.text)).lower()
    frame = _FRAME.match(said)
    task = said[frame.end() :] if frame else said
    in_task = set(folded_tokens(task))
    asked = [t for t in query.terms if t not in skip and t in in_task]
    have = _cited_words(ctx, ans)
    missing = {t for t in asked if t not in have and not t.isdigit()}
    if len(missing) < LEAST_MISSING_WORDS:
        return False
    # a phrase of the question some loaded plan writes, this plan never, one of its words not in the row
    pairs = [p for p in question_pairs(task) if p in vocabulary.known]
    return any(p not in written and missing & set(p.split()) for p in pairs)
