"""The UI's "Đơn vị" tab and sample questions: unit search, a unit's task table and its exports.

Pure functions over ``Assistant.units()`` / ``Assistant.unit_tasks()`` rows. Exports are
written so a spreadsheet shows the plans' text as text: CSV in UTF-8 with BOM (Excel reads
Vietnamese correctly), cells that would start a formula prefixed, XLSX cells typed as strings.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
import uuid
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

__all__ = [
    "ROLE_VI",
    "unit_choices",
    "unit_search",
    "task_rows",
    "TASK_HEADERS",
    "write_csv",
    "write_xlsx",
    "example_questions",
    "export_tasks",
]

ROLE_VI = {"lead": "Chủ trì", "partner": "Phối hợp", "partners": "Phối hợp", "requested": "Được đề nghị"}


def unit_choices(units: Sequence[dict[str, Any]], query: str = "") -> list[tuple[str, str]]:
    """Dropdown entries "name — province · counts", value = JSON [name, province].

    ``query`` keeps the units whose name or any alias contains it, compared without
    diacritics or case (``textnorm.fold``), as the chat compares questions.
    """
    from .textnorm import fold

    want = fold(query).strip()
    out = []
    for u in units:
        if want and not any(want in fold(n) for n in [u["name"], *(u.get("aliases") or [])]):
            continue
        label = u["name"]
        if u.get("province"):
            label += f" — {u['province']}"
        label += f" · {u.get('lead_count', 0)} chủ trì, {u.get('partner_count', 0)} phối hợp"
        out.append((label, json.dumps([u["name"], u.get("province")], ensure_ascii=False)))
    return out


def unit_search(units: Sequence[dict[str, Any]], query: str) -> tuple[list[tuple[str, str]], str | None]:
    """Choices for a unit search and the one to select (None: let the official choose).

    One unit found in several provinces gets a first "mọi tỉnh" entry (province None), chosen
    at once, so the chat's "xem đủ nhiệm vụ" link lands on that unit's full list.
    """
    choices = unit_choices(units, query)
    names = {json.loads(v)[0] for _, v in choices}
    if query and len(choices) > 1 and len(names) == 1:
        name = names.pop()
        choices.insert(0, (f"{name} — mọi tỉnh", json.dumps([name, None], ensure_ascii=False)))
        return choices, choices[0][1]
    return choices, choices[0][1] if query and len(choices) == 1 else None


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
    """Examples built from what is loaded, so they work for any set of plans.

    A unit name found in several provinces ("Sở Thông tin và Truyền thông") is asked with its
    province, so the example is not ambiguous when several provinces' plans are loaded.
    """
    out: list[str] = []
    # A named body ("Sở Nội vụ") makes a better example than a collective ("Các sở, ban, ngành").
    named = [u for u in units if u.get("lead_count", 0) and not re.search(r"(?i)\bcác\b", u["name"])]
    provinces: dict[str, set[str]] = {}
    for u in units:
        provinces.setdefault(u["name"], set()).add(u.get("province") or "")
    top = sorted(named, key=lambda u: -u.get("lead_count", 0))
    for u in top[:2]:
        shared = len(provinces.get(u["name"], ())) > 1 and u.get("province")
        out.append(f"Nhiệm vụ của {u['name']}{' tỉnh ' + u['province'] if shared else ''} là gì?")
    for m in metas:
        if m.number and len(out) < n:
            out.append(f"Ai ký văn bản {m.number}?")
        if m.number and len(out) < n:
            out.append(f"Văn bản {m.number} ban hành ngày nào?")
    return out[:n]


def export_tasks(export_dir: Path, unit: str, rows: list) -> tuple[Path, Path]:
    """A unit's task table as CSV and XLSX in a fresh folder under ``export_dir``."""
    old = sorted(export_dir.iterdir(), key=lambda d: d.stat().st_mtime)
    for d in old[:-20]:  # Gradio has copied them into its cache already; keep the folder small
        shutil.rmtree(d, ignore_errors=True)
    out = export_dir / uuid.uuid4().hex[:8]
    out.mkdir()
    stem = "nhiem-vu-" + "".join(ch if ch.isalnum() else "-" for ch in unit)[:60].strip("-")
    return write_csv(out / f"{stem}.csv", TASK_HEADERS, rows), write_xlsx(
        out / f"{stem}.xlsx", TASK_HEADERS, rows
    )
