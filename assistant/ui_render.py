"""Pure formatting for the web UI: Answer JSON → escaped markdown/HTML/text, plan tables and choices.

The unit tab's tables and exports are ``ui_units`` (re-exported here).

Everything that came from a plan or a user is escaped here before it reaches the
browser: HTML through ``html.escape``, chat markdown by backslash-escaping every
ASCII punctuation mark (CommonMark renders ``\\<`` as a literal ``<``), so a plan
containing ``<script>`` or ``**`` shows exactly those characters.  The only markup
in the output is ours.
"""

from __future__ import annotations

import base64
import html
import json
import re
import urllib.parse
from collections.abc import Iterable, Sequence
from typing import Any

# the unit tab's tables and exports: imported from here too
from .ui_units import (
    TASK_HEADERS,
    example_questions,
    export_tasks,
    task_rows,
    unit_choices,
    unit_search,
    write_csv,
    write_xlsx,
)

__all__ = [
    "md_escape",
    "sources_lines",
    "answer_markdown",
    "highlight",
    "sources_html",
    "context_html",
    "copy_text",
    "copy_tag",
    "more_tasks_unit",
    "plan_rows",
    "PLAN_HEADERS",
    "scope_choices",
    "plan_choices",
    "removal_choices",
    "filters_from",
    "unit_choices",
    "unit_search",
    "task_rows",
    "TASK_HEADERS",
    "write_csv",
    "write_xlsx",
    "example_questions",
    "plan_label",
    "plans_line",
    "vi_date",
    "clip_around",
    "export_tasks",
    "removal_question",
]

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>&~$=:\"'])")


def md_escape(text: str) -> str:
    """Literal text inside Gradio's markdown: every markdown/HTML character backslash-escaped."""
    return _MD_SPECIAL.sub(r"\\\1", text or "")


def _bold_units(escaped: str, units: Iterable[str]) -> tuple[str, set[str]]:
    names = sorted({u for u in units if u}, key=len, reverse=True)
    if not names:
        return escaped, set()
    found: set[str] = set()
    by_escaped = {md_escape(u): u for u in names}
    pattern = re.compile("|".join(re.escape(e) for e in by_escaped))

    def bold(m: re.Match) -> str:
        found.add(by_escaped[m.group(0)])
        return f"**{m.group(0)}**"

    return pattern.sub(bold, escaped), found


def _link_markers(escaped: str, cites: Sequence[dict[str, Any]]) -> str:
    """``\\[n\\]`` → a link the page script turns into "open source n" (web/ui.js)."""
    by_n = {str(c.get("n")): str(c.get("passage_id") or "") for c in cites}

    def link(m: re.Match) -> str:
        pid = by_n.get(m.group(1))
        return f"[{m.group(0)}](#tlkh-pid-{urllib.parse.quote(pid, safe='')})" if pid else m.group(0)

    return re.sub(r"\\\[(\d{1,3})\\\]", link, escaped)


def _sentence_start(text: str) -> str:
    # An extractive answer can begin inside a sentence of the plan (a quoted clause); an
    # ellipsis says so instead of showing a lower-case start as if it were the sentence.
    t = text.lstrip()
    return "… " + t if t[:1].islower() else t


def answer_markdown(answer: dict[str, Any]) -> str:
    """The chat bubble: the answer with unit names in bold, plus units not named in the text.

    It ends with a hidden ``data-tlkh-copy`` span holding :func:`copy_text` (base64 UTF-8): the
    chat's copy icon copies the message's raw markdown, and web/ui.js swaps in this clean text.
    """
    units = answer.get("units") or {}
    lead, partners = list(units.get("lead") or []), list(units.get("partners") or [])
    cites = answer.get("citations") or []
    text = _sentence_start(answer.get("answer", ""))
    body, found = _bold_units(md_escape(text), lead + partners)
    lines = [_link_markers(body, cites) if not answer.get("refused") else body]
    missing_lead = [u for u in lead if u not in found]
    missing_partners = [u for u in partners if u not in found]
    if missing_lead or missing_partners:
        parts = []
        if missing_lead:
            parts.append("Chủ trì: " + ", ".join(f"**{md_escape(u)}**" for u in missing_lead))
        if missing_partners:
            parts.append("Phối hợp: " + ", ".join(f"**{md_escape(u)}**" for u in missing_partners))
        lines.append(" · ".join(parts))
    if answer.get("notice"):
        lines.append(f"_{md_escape(answer['notice'])}_")
    if (unit := more_tasks_unit(answer)) is not None:
        lines.append(f"[Xem đủ nhiệm vụ của {md_escape(unit)} ở thẻ Đơn vị ›](#tlkh-units)")
    if cites and not answer.get("refused"):
        lines.append(f"_Nguồn: {len(cites)} đoạn trích — [xem khung Nguồn ↓](#tlkh-sources)_")
    elif cites:
        lines.append("_Các đoạn có thể liên quan: [xem khung Nguồn ↓](#tlkh-sources)_")
    return "\n\n".join(lines) + copy_tag(copy_text(answer))


def more_tasks_unit(answer: dict[str, Any] | None) -> str | None:
    """The unit whose task list the answer shortened ("(và 10 nhiệm vụ khác)"), if any.

    The unit tab lists them all; the chat links there with this unit chosen.
    """
    if not answer or answer.get("refused"):
        return None
    lead = list((answer.get("units") or {}).get("lead") or [])
    if len(lead) != 1 or not re.search(r"\(và \d+ nhiệm vụ khác\)", answer.get("answer") or ""):
        return None
    return lead[0]


def copy_tag(text: str) -> str:
    """Hidden markup carrying ``text`` for the chat's copy icon (base64: nothing to escape)."""
    packed = base64.b64encode(text.encode("utf-8")).decode("ascii")
    return f'\n\n<span hidden data-tlkh-copy="{packed}"></span>'


def highlight(text: str, quote: str) -> str:
    """Escaped ``text`` with the first occurrence of ``quote`` wrapped in <mark>."""
    i = text.find(quote) if quote else -1
    if i < 0:
        return html.escape(text)
    j = i + len(quote)
    return f"{html.escape(text[:i])}<mark>{html.escape(text[i:j])}</mark>{html.escape(text[j:])}"


def _e(value: Any) -> str:
    return html.escape("" if value is None else str(value))


def clip_around(text: str, quote: str, limit: int = 700) -> str:
    """At most ``limit`` characters of ``text``, keeping the quote in view (… marks the cuts).

    A card is a preview: a long table row (thousands of characters of figures) is cut, and the
    whole passage opens in the plan view with one click.
    """
    if len(text) <= limit:
        return text
    i = text.find(quote) if quote else -1
    if i < 0 or len(quote) >= limit:
        start = 0 if i < 0 else i
    else:
        start = max(0, i - (limit - len(quote)) // 2)
    end = min(len(text), start + limit)
    start = max(0, end - limit)
    return ("… " if start else "") + text[start:end] + (" …" if end < len(text) else "")


def sources_html(answer: dict[str, Any] | None, plans: dict[str, str] | None = None) -> str:
    """The source cards; ``plans`` maps a file name to its plan label (:func:`plan_label`)."""
    if not answer:
        return "<div class='tlkh-empty'>Nguồn của câu trả lời sẽ hiện ở đây.</div>"
    cites = answer.get("citations") or []
    if not cites:
        return "<div class='tlkh-empty'>Không có đoạn trích nào.</div>"
    out = []
    if answer.get("refused"):
        out.append(
            "<div class='tlkh-note'>Không tìm thấy câu trả lời; các đoạn dưới đây chỉ có thể liên quan.</div>"
        )
    for c in cites:
        related = " tlkh-related" if c.get("related_only") else ""
        page = f" · trang {_e(c.get('page'))}" if c.get("page") else ""
        quote = c.get("quote") or ""
        # a refusal's "related" passage is only a hint: a short preview, the rest in the plan view
        shown = clip_around(c.get("text") or "", quote, 300 if related else 700)
        # the card names its plan ("Kế hoạch 183/KH-UBND (Đồng Nai)"), with the plan's title under
        # it unless the label already is that title
        plan = (plans or {}).get(c.get("doc") or "", "")
        title = c.get("title") or c.get("doc") or ""
        if plan and title and title not in plan:
            title, plan_line = plan, f"<div class='tlkh-plan'>{_e(title)}</div>"
        else:
            title, plan_line = plan or title, ""
        out.append(
            f"<div class='tlkh-src{related}' id='tlkh-src-{_e(c.get('n'))}' data-pid='{_e(c.get('passage_id'))}' "
            f"role='button' tabindex='0' title='Bấm để mở trong kế hoạch'>"
            f"<div class='tlkh-src-head'><span class='tlkh-n'>[{_e(c.get('n'))}]</span> "
            f"<span class='tlkh-title'>{_e(title)}</span></div>{plan_line}"
            f"<div class='tlkh-sec'>{_e(c.get('section'))}{page}</div>"
            f"<div class='tlkh-text'>{highlight(shown, quote)}</div>"
            f"<div class='tlkh-doc'>{_e(c.get('doc'))} · <span class='tlkh-open'>Mở trong kế hoạch ›</span></div>"
            f"</div>"
        )
    return "\n".join(out)


def context_html(
    passages: Sequence[Any], cited_id: str, quote: str = "", title: str = "", window: int = 3
) -> str:
    """The cited passage among its neighbours in the plan (passages are records.Passage).

    Only ``window`` passages either side are shown: an appendix section can hold dozens of
    rows, and the official wants the cited one with what surrounds it, not the whole table.
    """
    if not passages:
        return "<div class='tlkh-empty'>Không mở được đoạn này trong kế hoạch.</div>"
    at = next((i for i, p in enumerate(passages) if p.id == cited_id), 0)
    lo, hi = max(0, at - window), min(len(passages), at + window + 1)
    head = (
        f"{_e(title)} <span class='tlkh-doc'>({_e(passages[0].doc)})</span>" if title else _e(passages[0].doc)
    )
    out = [f"<div class='tlkh-ctx-doc'>{head}</div>"]
    if lo:
        out.append(f"<div class='tlkh-note'>… {lo} đoạn phía trước trong mục này</div>")
    for p in passages[lo:hi]:
        cited = p.id == cited_id
        body = highlight(p.text, quote) if cited else _e(p.text)
        out.append(
            f"<div class='tlkh-ctx{' tlkh-cited' if cited else ''}' data-pid='{_e(p.id)}'>"
            f"<div class='tlkh-sec'>{_e(p.section_path)}</div><div class='tlkh-text'>{body}</div></div>"
        )
    if hi < len(passages):
        out.append(f"<div class='tlkh-note'>… {len(passages) - hi} đoạn phía sau trong mục này</div>")
    return "\n".join(out)


def copy_text(answer: dict[str, Any] | None) -> str:
    """Plain text for pasting into a report: the answer, then each source with its quote."""
    if not answer:
        return ""
    lines = [answer.get("answer", "").strip()]
    return "\n".join(lines + sources_lines(answer))


def sources_lines(answer: dict[str, Any]) -> list[str]:
    """The sources block of a plain-text answer (shared by the CLI and the copy action)."""
    cites = answer.get("citations") or []
    if not cites:
        return []
    lines = ["", "Nguồn có thể liên quan:" if answer.get("refused") else "Nguồn:"]
    for c in cites:
        where = " › ".join(x for x in (c.get("title") or c.get("doc"), c.get("section")) if x)
        lines.append(f"[{c.get('n')}] {where} ({c.get('doc')})")
        if c.get("quote"):
            lines.append(f"    “{c['quote']}”")
    return lines


PLAN_HEADERS = ["Tệp", "Tên kế hoạch", "Số", "Ngày", "Cơ quan ban hành", "Người ký", "Số đoạn"]


def vi_date(iso: str | None, text: str | None = None) -> str:
    """ISO (possibly partial) → the Vietnamese dd/mm/yyyy; "—" when the plan gives no date."""
    m = re.fullmatch(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", iso or "")
    if not m:
        return text or "—"
    y, mo, d = m.groups()
    return "/".join(x for x in (d, mo, y) if x)


def _number(m: Any) -> str:
    # "Số: /KH-UBND" (the number left blank for the clerk to fill in) carries no number at all.
    if m.number:
        return m.number
    return "chưa ghi số"


def plan_label(m: Any) -> str:
    """How an official names a plan: "Kế hoạch 183/KH-UBND (Đồng Tháp)" or its title when unnumbered."""
    kind = m.doc_type or "Kế hoạch"
    where = m.district or m.province
    head = f"{kind} {m.number}" if m.number else (m.title or m.doc)
    return f"{head} ({where})" if where and where not in head else head


def plans_line(metas: Sequence[Any]) -> str:
    """One line naming what is loaded, for the top of the page (markdown, escaped)."""
    if not metas:
        return "Chưa có kế hoạch nào được nạp."
    names = [md_escape(plan_label(m)) for m in metas]
    shown = "; ".join(names[:6]) + (f"; và {len(names) - 6} kế hoạch khác" if len(names) > 6 else "")
    return f"Đang tra cứu {len(metas)} kế hoạch: {shown}."


def plan_rows(metas: Sequence[Any]) -> list[list[Any]]:
    rows = []
    for m in metas:
        signer = " ".join(x for x in (m.signer_authority, m.signer_position, m.signer) if x)
        rows.append(
            [
                m.doc,
                m.title,
                _number(m),
                vi_date(m.date, m.date_text),
                m.issuer or "—",
                signer or "—",
                m.passage_count,
            ]
        )
    return rows


def scope_choices(metas: Sequence[Any]) -> list[tuple[str, str]]:
    """Province / district filter choices from the loaded plans (value is JSON filters)."""
    seen: dict[str, str] = {}
    for m in metas:
        if m.province:
            seen.setdefault(m.province, json.dumps({"province": m.province}, ensure_ascii=False))
            if m.district:
                seen.setdefault(
                    f"{m.province} › {m.district}",
                    json.dumps({"province": m.province, "district": m.district}, ensure_ascii=False),
                )
    return [("Tất cả tỉnh, huyện", "")] + sorted(seen.items())


def plan_choices(metas: Sequence[Any]) -> list[tuple[str, str]]:
    return [("Tất cả kế hoạch", "")] + [
        (f"{m.number or m.doc_type or ''} {m.title or m.doc}".strip()[:120], m.doc) for m in metas
    ]


def removal_choices(metas: Sequence[Any]) -> list[tuple[str, str]]:
    """The "Kế hoạch cần gỡ" entries: file name and title, value the file name."""
    return [(f"{m.doc} — {m.title}"[:120], m.doc) for m in metas]


def filters_from(scope: str | None, plan: str | None) -> dict[str, str] | None:
    f: dict[str, str] = {}
    if scope:
        try:
            f.update({k: v for k, v in json.loads(scope).items() if k in ("province", "district")})
        except (ValueError, AttributeError):
            pass
    if plan:
        f["doc"] = plan
    return f or None


def removal_question(doc: str | None) -> str:
    """The confirmation asked before "Gỡ kế hoạch" removes ``doc`` ("" when nothing is chosen)."""
    if not doc:
        return ""
    return f"Gỡ **{md_escape(doc)}** khỏi kho kế hoạch? Các câu trả lời sẽ không còn dùng kế hoạch này."
