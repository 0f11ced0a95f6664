"""A unit's tasks: what the plans give a unit to lead, coordinate or do on request."""

from __future__ import annotations

import re

from assistant.answer.common import AnswerContext, Cites, fold_, plan_label
from assistant.answer.evidence import Idf, best_segment, coverage, segments, shorten
from assistant.records import Answer, Passage
from assistant.vocab.abbreviations import expand_abbreviations
from assistant.vocab.tokens import STOPWORDS, folded_tokens

__all__ = ["TASK_FIELD", "compose_unit_tasks", "unit_fallback"]


def _task_segment(p: Passage, unit_terms: set[str], task_terms: list[str], idf: Idf | None) -> str:
    """The task as written: the best sentence for the question, else the first real one.

    A passage often opens with its heading ("4. Công an Huyện"); that line names the
    unit, it is not the task.
    """
    if task_terms:
        span = best_segment(p.text, task_terms, idf=idf)
        if span:
            seg = p.text[span[0] : span[1]]
            if coverage(task_terms, seg, idf) >= 0.34 and not _unit_heading(seg, unit_terms):
                return seg
    for a, b in segments(p.text):
        seg = p.text[a:b]
        words = [t for t in folded_tokens(seg) if not _ENUM_TOKEN.fullmatch(t)]
        if len(words) >= 3 and not _unit_heading(seg, unit_terms) and not _is_heading(seg):
            return seg
    return p.text


def _unit_heading(para: str, unit_terms: set[str]) -> bool:
    """Whether ``para`` only names the unit, its number and what it is written in brackets."""
    bare = [t for t in folded_tokens(_BRACKETED.sub(" ", para)) if not _ENUM_TOKEN.fullmatch(t)]
    return not set(bare) - unit_terms - STOPWORDS


def _own_heading(para: str, p: Passage) -> bool:
    """Whether ``para`` is the heading of the item ``p`` (its section's last title, wrapped on)
    naming the units it assigns: "3. Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam Thành phố, Hội Liên
    hiệp Phụ nữ Thành phố và các tổ chức thành viên của Mặt trận" heads the item of "Tổ chức thực
    hiện" that requests them; their tasks are the lines under it."""
    # (a long heading is kept cut by the loader: "… trên địa bàn…")
    head = (p.section[-1] if p.section else "").rstrip("…").strip()
    if not head or para.rstrip().endswith((".", ";")):
        return False
    f = fold_(" ".join(para.split()))
    # an item the loader read no unit in ("7. Các doanh nghiệp hoạt động trong lĩnh vực …") is
    # still headed by its party: the heading repeated on its first line is no task of it
    named = any(fold_(u) in f for u in (*p.lead, *p.requested)) or not (p.lead or p.requested)
    return f.startswith(fold_(" ".join(head.split()))) and named


def _is_heading(seg: str) -> bool:
    """ "IV. TỔ CHỨC THỰC HIỆN": a section title in capitals names where the task sits, not the task."""
    letters = [c for c in seg if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def _paragraphs(text: str, unit_terms: set[str]) -> list[str]:
    """The paragraphs of a passage, in order, that are the unit's tasks.

    In "Tổ chức thực hiện" each unit opens its block with its name ("1. Sở Y tế:"); a
    heading naming this unit is skipped, and a short line naming another ("Sở Tài chính:",
    "Sở Nông nghiệp và Môi trường") ends the unit's block: what follows is someone else's.
    """
    out: list[str] = []
    # a list flattened into one line keeps its bullets: "… đầu tư. - Chủ trì, phối hợp …"
    for raw in (x for line in _unwrapped(text) for x in _INLINE_BULLET.split(line)):
        para = raw.strip()
        words = [t for t in folded_tokens(para) if not _ENUM_TOKEN.fullmatch(t)]
        if not words or _is_heading(para):
            continue
        # the unit's own heading, also with what it is written in brackets: "1. Sở Nội vụ (Cơ quan
        # thường trực Ban Vì sự tiến bộ phụ nữ …):" (a "Tổ chức thực hiện" item opens with its
        # unit and the unit's standing role, then its tasks below)
        if _unit_heading(para, unit_terms):
            continue
        opens_block = not para.startswith(("-", "+", "•", "*")) and len(para) <= 80
        if opens_block and (para.endswith(":") or not para.endswith((".", ";", ","))) and len(words) <= 10:
            if out:
                break  # another unit's block begins
            continue
        if len(words) >= 3:
            out.append(para)
    return out


# Every paragraph or item of a Vietnamese plan opens with its mark ("-", "+", "a)", "1.", "1.1.")
# or a capital; plans copied from web pages are hard-wrapped, so a line that opens with none of
# these after a line not closed by ".", ";" or ":" goes on with the same sentence
# ("a) Nhiệm vụ: Tham mưu UBND" / "Thành phố phối hợp với Bộ Công an …").
_ITEM_MARK = re.compile(r"^\s*(?:[-–+•*]|[a-zđ]\)|\d{1,3}(?:\.\d{1,3})*[.)]\s|[IVXLC]{1,6}\.\s)")
_OPEN_LINE = re.compile(r"[^.;:!?]\s*$")
WRAPPED_LINE = 60  # web pages wrap near 80 characters: a line this long was cut, not ended


def _unwrapped(text: str) -> list[str]:
    """The passage's lines with hard-wrapped continuations joined back to their sentence."""
    out: list[str] = []
    for line in text.split("\n"):
        if out and line.strip() and _OPEN_LINE.search(out[-1]) and not _ITEM_MARK.match(line):
            # a short line closed by nothing is a heading ("1. Sở Y tế") unless it has begun its
            # sentence after a label ("a) Nhiệm vụ: Tham mưu UBND") or what follows is lower case
            prev = out[-1].strip()
            if line.lstrip()[:1].islower() or len(prev) >= WRAPPED_LINE or re.search(r":\s+\S", prev):
                out[-1] = f"{out[-1].rstrip()} {line.strip()}"
                continue
        out.append(line)
    return out


# The fields plans write under each task ("b) Cơ quan thực hiện: - Đơn vị chủ trì: Sở X", "Thời gian
# thực hiện: …", "Sản phẩm: …", "Kinh phí thực hiện: …": the Nhiệm vụ / Cơ quan thực hiện / Thời gian
# thực hiện layout) name who does the task written beside them, when and with what: attributes of
# one task, never a task of their own nor an item to count. Matched on a folded line.
TASK_FIELD = re.compile(
    r"^(?:[a-z]\)\s*)?[\s*_+-]*(?:(?:co quan|don vi) (?:chu tri|phoi hop|thuc hien)|thoi gian thuc hien|"
    r"san pham|kinh phi thuc hien)\b"
)


def _assigns_only(p: Passage) -> bool:
    lines = [fold_(x).strip() for x in _unwrapped(p.text) if x.strip()]
    return bool(lines) and all(TASK_FIELD.match(x) for x in lines)


# An answer holds every task it found (issue 12: a list cut at two hid the rest). Up to SHOWN
# tasks are written out, packed several to a line; beyond that the answer gives the count,
# every task is still a citation, and the chat links to the unit tab.
SHOWN = 12
_LINES = 4  # lines of tasks under the heading (finalize keeps six lines in all)
_FEW_WIDTH = 360
_INLINE_BULLET = re.compile(r"(?<=[.;:])\s+(?=[-–+•]\s)")
_ENUM_TOKEN = re.compile(r"\d{1,3}|[ivxlc]{1,6}|[a-z]")
_BRACKETED = re.compile(r"\([^()]*\)\s*:?\s*$")


def _part(p: Passage) -> str:
    """The part of its plan a passage is in: the first line of its embedding names it (the plan,
    or "Phụ lục: … (kèm theo …)" for an annex)."""
    return p.embed_text.split("\n", 1)[0]


def _pack(items: list[str], rows: int) -> list[str]:
    """``items`` joined "; " into at most ``rows`` lines, in order."""
    if len(items) <= rows:
        return items
    per = -(-len(items) // rows)
    return ["; ".join(items[i : i + per]) for i in range(0, len(items), per)]


def compose_unit_tasks(ctx: AnswerContext) -> Answer | None:
    """The unit's tasks, grouped by plan: those it leads first (or the role asked for)."""
    query, ev, docs, idf = ctx.query, ctx.evidence, ctx.docs, ctx.idf
    rows = ev.unit_rows
    if not rows:
        return None
    unit = query.units[0] if query.units else ""
    want = query.role
    if want:
        picked = [r for r in rows if r[1] == want] or rows
    else:
        leads = [r for r in rows if r[1] == "lead"]
        picked = leads or rows
    by_doc: dict[str, list[tuple[Passage, str, float]]] = {}
    for r in sorted(picked, key=lambda r: -r[2]):
        by_doc.setdefault(r[0].doc, []).append(r)
    for doc, items in by_doc.items():
        # the assignment line of a task written beside it is left out: the task itself is listed
        tasks = {p.section[:-1] for p, _, _ in items if not _assigns_only(p)}
        items = [r for r in items if not (_assigns_only(r[0]) and r[0].section[:-1] in tasks)]
        if len(items) <= SHOWN:
            # every task is written out: in the plan's order, as its items are lettered and
            # numbered (a), b), c) …), not by score (issue 12: "a) …; d) …; g) …; e) …"); a part
            # of the plan (its body, an annex "Phụ lục … kèm theo") keeps the rank of its best
            # task, so the annex a question names still comes first
            ranked_parts = list(dict.fromkeys(_part(r[0]) for r in items))
            items.sort(
                key=lambda r: (ranked_parts.index(_part(r[0])), r[0].span[0] if r[0].span else 1 << 30)
            )
        by_doc[doc] = items
    cites = Cites(docs)
    unit_terms = set(folded_tokens(unit))
    task_terms = [t for t in query.terms if t not in unit_terms and not t.isdigit()]
    head = f"Nhiệm vụ của {unit}" if unit else "Nhiệm vụ được giao"
    plans = list(by_doc.items())[:4]
    one = len(plans) == 1
    width = 200 if one else 160  # several plans share the lines: each task shorter
    body = []
    for doc, items in plans:
        raw: list[tuple[str, str, int]] = []  # (task, role tag, citation)
        for p, role, score in items:
            seg = _task_segment(p, unit_terms, task_terms, idf)
            n = cites.add(p, seg, score)
            if len(raw) >= SHOWN:
                continue  # counted and cited, not written out
            tag = "" if role == "lead" else f" ({'phối hợp' if role == 'partner' else 'được đề nghị'})"
            # a unit's section is often one passage of several paragraphs: each is a task
            paras = [x for x in _paragraphs(p.text, unit_terms) if not _own_heading(x, p)]
            if not any(seg.strip() in x or x in seg for x in paras) and not (paras and _own_heading(seg, p)):
                paras = [seg, *paras]
            for para in paras[: SHOWN - len(raw)]:
                # joined by "; ": the task's own closing "." or ";" would double it
                raw.append((para.lstrip("-–+•* ").rstrip(" .;"), tag, n))
        # a unit given one or two tasks has the lines to itself: each is written out further
        # (a task cut at 200 characters lost its place: "… tại khu vực các xã biên giới")
        room = _FEW_WIDTH if len(raw) <= 2 and one else width
        parts = [(shorten(text, room) + tag, n) for text, tag, n in raw]
        # the marker the chat links to the unit tab with (ui_render.more_tasks_unit); every
        # task is a citation as well
        written = len({n for _, n in parts})
        more = f" (và {len(items) - written} nhiệm vụ khác)" if len(items) > written else ""
        # one [n] after the last task a passage gives, not after each of its paragraphs
        marked = [
            t + (f" [{n}]" if i + 1 == len(parts) or parts[i + 1][1] != n else "")
            for i, (t, n) in enumerate(parts)
        ]
        if one:
            body = [f"{head} ({plan_label(doc, docs)}):", *(f"• {x}" for x in _pack(marked, _LINES))]
            body[-1] += more
        else:
            body.append(f"• {plan_label(doc, docs)}: " + "; ".join(marked) + more)
    if not one:
        body.insert(0, f"{head}:")
    units = {
        "lead": [unit] if any(r[1] == "lead" for r in picked) else [],
        "partners": [unit] if any(r[1] == "partner" for r in picked) else [],
    }
    return Answer(
        question=query.text, answer="\n".join(body), intent="unit_tasks", units=units, citations=cites.items
    )


def _unit_span(text: str, key: str, max_chars: int = 320) -> str:
    """From the sentence naming the unit, as far as its item goes (to the next bullet)."""
    segs = segments(text)
    for i, (a, b) in enumerate(segs):
        if _names(key, fold_(expand_abbreviations(text[a:b], min_chars=3, as_written=True))):
            end = b
            for a2, b2 in segs[i + 1 :]:
                if b2 - a > max_chars or text[a2 - 2 : a2].strip() in ("*", "-", "•", "+"):
                    break
                end = b2
            return text[a:end]
    return ""


def _names(name: str, folded: str) -> bool:
    """The unit is named as a whole: "Chi nhánh Khu vực 1" is not named by "… Khu vực 14"
    (numbered regional offices), only by the same words with a boundary on each side."""
    return re.search(r"(?<![a-z0-9])" + re.escape(name) + r"(?![a-z0-9])", folded) is not None


def unit_fallback(ctx: AnswerContext) -> Answer | None:
    """No passage lists the unit as lead/partner: answer only from passages that name it.

    ("UBND huyện Tháp Mười" inside a row for all districts.) A unit the plans never
    name gets a refusal, not someone else's tasks.
    """
    query, ev, docs, idf = ctx.query, ctx.evidence, ctx.docs, ctx.idf
    names = [fold_(expand_abbreviations(u, min_chars=3, as_written=True)) for u in query.units]
    unit_terms = set(folded_tokens(" ".join(query.units)))
    rest = [t for t in query.terms if t not in unit_terms and not t.isdigit()]
    found = []
    for h in ev.hits:
        # "UBND huyện Tháp Mười" in the text is "Ủy ban nhân dân huyện" once short forms are read
        text = expand_abbreviations(h.passage.text, min_chars=3, as_written=True)
        if h.passage.kind == "metadata" or not any(n and _names(n, fold_(text)) for n in names):
            continue
        seg = _unit_span(h.passage.text, names[0])
        # the sentence naming the unit must also be about what was asked
        if seg and (not rest or coverage(rest, seg, idf) >= 0.34):
            found.append((h, seg))
    if not found:
        return None
    cites = Cites(docs)
    lines = []
    for h, seg in found[:2]:
        p = h.passage
        n = cites.add(p, seg, h.score)
        lines.append(f"• {shorten(seg, 260)} [{n}] — {plan_label(p.doc, docs)}")
    return Answer(question=query.text, answer="\n".join(lines), intent="unit_tasks", citations=cites.items)
