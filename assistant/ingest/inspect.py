"""Human check of a parsed plan: the heading tree and every passage with its units."""

from __future__ import annotations

from collections import Counter
from typing import Any

from ..records import ParsedDoc
from .document import province_label

__all__ = ["render", "to_json"]


def _units(p) -> str:
    out = []
    if p.lead:
        out.append("chủ trì: " + "; ".join(p.lead))
    if p.partners:
        out.append("phối hợp: " + "; ".join(p.partners))
    if p.requested:
        out.append("đề nghị: " + "; ".join(p.requested))
    if p.persons:
        out.append("người thực hiện: " + "; ".join(p.persons))
    return " | ".join(out)


def render(parsed: ParsedDoc, *, width: int = 160) -> str:
    m = parsed.meta
    kinds = Counter(p.kind for p in parsed.passages)
    lines = [
        f"{m.doc}  [{m.source_format}]",
        f"  {m.doc_type or '?'} số {m.number or '(trống)'}  ({m.number_text or ''})  ngày {m.date or '?'} ({m.date_text or ''})",
        f"  Tiêu đề: {m.title}",
        # "Thành phố Hồ Chí Minh", never "tỉnh Hồ Chí Minh" (document.province_label)
        f"  Cơ quan ban hành: {m.issuer or '?'} — {province_label(m.province, m.date) or 'tỉnh ?'}"
        + (f", huyện {m.district}" if m.district else ""),
        f"  Người ký: {m.signer_authority or ''} {m.signer_position or ''} {m.signer or '(không có)'}",
        f"  Nơi nhận: {len(m.recipients)} — Phần: {', '.join(str(x.get('doc_type')) for x in m.parts)}",
        f"  Đoạn: {len(parsed.passages)} ({', '.join(f'{k} {v}' for k, v in sorted(kinds.items()))})",
        "",
        "Cây đề mục:",
    ]
    seen: set[tuple[str, ...]] = set()
    for p in parsed.passages:
        for depth in range(1, len(p.section) + 1):
            path = p.section[:depth]
            if path not in seen:
                seen.add(path)
                lines.append("  " + "  " * (depth - 1) + path[-1][:width])
    lines += ["", "Đoạn văn:"]
    for p in parsed.passages:
        where = f"p.{p.page} " if p.page else ""
        lines.append(
            f"- [{p.kind}] {where}{p.section_path or '(đầu văn bản)'}" + (f"  (STT {p.row})" if p.row else "")
        )
        u = _units(p)
        if u:
            lines.append(f"    {u}")
        if p.footnotes:
            lines.append(f"    chú thích: {', '.join(p.footnotes)}")
        text = p.text.replace("\n", " ¶ ")
        lines.append(f"    {text[:width]}{'…' if len(text) > width else ''}")
    return "\n".join(lines)


def to_json(parsed: ParsedDoc) -> dict[str, Any]:
    return {"meta": parsed.meta.to_dict(), "passages": [p.to_dict() for p in parsed.passages]}
