"""Pure formatting for the web UI: Answer JSON → escaped markdown/HTML/text, tables, exports.

Everything that came from a plan or a user is escaped here before it reaches the
browser: HTML through ``html.escape``, chat markdown by backslash-escaping every
ASCII punctuation mark (CommonMark renders ``\\<`` as a literal ``<``), so a plan
containing ``<script>`` or ``**`` shows exactly those characters.  The only markup
in the output is ours.
"""

from __future__ import annotations

import csv
import html
import json
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

__all__ = [
    "md_escape",
    "sources_lines",
    "answer_markdown",
    "highlight",
    "sources_html",
    "context_html",
    "copy_text",
    "plan_rows",
    "PLAN_HEADERS",
    "scope_choices",
    "plan_choices",
    "filters_from",
    "unit_choices",
    "task_rows",
    "TASK_HEADERS",
    "write_csv",
    "write_xlsx",
    "example_questions",
]

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>&~$=:\"'])")
ROLE_VI = {"lead": "Chủ trì", "partner": "Phối hợp", "partners": "Phối hợp", "requested": "Được đề nghị"}


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


def answer_markdown(answer: dict[str, Any]) -> str:
    """The chat bubble: the answer with unit names in bold, plus units not named in the text."""
    units = answer.get("units") or {}
    lead, partners = list(units.get("lead") or []), list(units.get("partners") or [])
    body, found = _bold_units(md_escape(answer.get("answer", "")), lead + partners)
    lines = [body]
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
    cites = answer.get("citations") or []
    if cites and not answer.get("refused"):
        lines.append(f"_Nguồn: {len(cites)} đoạn trích — xem khung Nguồn bên cạnh._")
    elif cites:
        lines.append("_Các đoạn có thể liên quan ở khung Nguồn bên cạnh._")
    return "\n\n".join(lines)


def highlight(text: str, quote: str) -> str:
    """Escaped ``text`` with the first occurrence of ``quote`` wrapped in <mark>."""
    i = text.find(quote) if quote else -1
    if i < 0:
        return html.escape(text)
    j = i + len(quote)
    return f"{html.escape(text[:i])}<mark>{html.escape(text[i:j])}</mark>{html.escape(text[j:])}"


def _e(value: Any) -> str:
    return html.escape("" if value is None else str(value))


def sources_html(answer: dict[str, Any] | None) -> str:
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
        out.append(
            f"<div class='tlkh-src{related}' data-pid='{_e(c.get('passage_id'))}' role='button' tabindex='0' "
            f"title='Bấm để mở trong kế hoạch'>"
            f"<div class='tlkh-src-head'><span class='tlkh-n'>[{_e(c.get('n'))}]</span> "
            f"<span class='tlkh-title'>{_e(c.get('title') or c.get('doc'))}</span></div>"
            f"<div class='tlkh-sec'>{_e(c.get('section'))}{page}</div>"
            f"<div class='tlkh-text'>{highlight(c.get('text') or '', c.get('quote') or '')}</div>"
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


def plan_rows(metas: Sequence[Any]) -> list[list[Any]]:
    rows = []
    for m in metas:
        signer = " ".join(x for x in (m.signer_authority, m.signer_position, m.signer) if x)
        rows.append(
            [
                m.doc,
                m.title,
                m.number or m.number_text or "—",
                m.date or m.date_text or "—",
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


def unit_choices(units: Sequence[dict[str, Any]]) -> list[tuple[str, str]]:
    """Dropdown entries "name — province (aliases)", value = JSON [name, province]."""
    out = []
    for u in units:
        label = u["name"]
        if u.get("province"):
            label += f" — {u['province']}"
        aliases = [a for a in (u.get("aliases") or []) if a != u["name"]]
        if aliases:
            label += f" ({', '.join(aliases[:4])}{'…' if len(aliases) > 4 else ''})"
        label += f" · {u.get('lead_count', 0)} chủ trì, {u.get('partner_count', 0)} phối hợp"
        out.append((label, json.dumps([u["name"], u.get("province")], ensure_ascii=False)))
    return out


TASK_HEADERS = ["Kế hoạch", "Mục", "Nhiệm vụ", "Vai trò"]


def task_rows(tasks: Sequence[dict[str, Any]]) -> list[list[str]]:
    return [
        [
            t.get("plan") or t.get("title") or t.get("doc", ""),
            t.get("section", ""),
            t.get("text", ""),
            ROLE_VI.get(t.get("role", ""), t.get("role", "")),
        ]
        for t in tasks
    ]


def _csv_safe(value: Any) -> str:
    # Spreadsheet formula injection: a cell starting with = + - @ would be evaluated.
    s = "" if value is None else str(value)
    return "'" + s if s[:1] in ("=", "+", "-", "@", "\t", "\r") else s


def write_csv(path: Path, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> Path:
    # utf-8-sig so Excel opens Vietnamese text correctly.
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(headers)
        for r in rows:
            w.writerow([_csv_safe(v) for v in r])
    return path


def write_xlsx(
    path: Path, headers: Sequence[str], rows: Iterable[Sequence[Any]], title: str = "Nhiệm vụ"
) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    ws.title = title[:31]
    ws.append(list(headers))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for r in rows:
        ws.append(["" if v is None else v for v in r])
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # openpyxl would store "=..." as a formula; keep it text
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    for col, width in zip("ABCD", (40, 40, 80, 14)):
        ws.column_dimensions[col].width = width
    wb.save(path)
    return path


def example_questions(units: Sequence[dict[str, Any]], metas: Sequence[Any], n: int = 4) -> list[str]:
    """Examples built from what is loaded, so they work for any set of plans."""
    out: list[str] = []
    # A named body ("Sở Nội vụ") makes a better example than a collective ("Các sở, ban, ngành").
    named = [u for u in units if u.get("lead_count", 0) and not re.search(r"(?i)\bcác\b", u["name"])]
    top = sorted(named, key=lambda u: -u.get("lead_count", 0))
    for u in top[:2]:
        out.append(f"Nhiệm vụ của {u['name']} là gì?")
    for m in metas:
        if m.number and len(out) < n:
            out.append(f"Ai ký văn bản {m.number}?")
        if m.number and len(out) < n:
            out.append(f"Văn bản {m.number} ban hành ngày nào?")
    return out[:n]
