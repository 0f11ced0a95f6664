"""Document metadata: header and signature blocks → parts and ``DocMeta``.

A file may hold several parts: a Quyết định followed by the Kế hoạch it issues,
or a plan followed by its Phụ lục.  Each part has its own header (motto, issuer,
"Số:", place and date, document type, title, "(Kèm theo …)") and trailer ("Nơi
nhận", signature).  Whatever follows a signature and does not start a new part is
web-page chrome and is dropped.
"""
from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..records import Block
from ..textnorm import fold
from .clean import is_header_start
from .patterns import is_structural
from .patterns import (DATE_LINE, doc_type_of, is_authority, is_enacting, is_issuer_line, is_motto,
                       is_number_line, is_person_name, is_position, is_recipients_head, is_separator, is_upper)
from .units import canonical_province, province_in, provinces

__all__ = ["Part", "split_parts", "smart_case", "parse_date", "parse_number", "locate"]

_ATTACHED = re.compile(r"^\(?\s*(?:Ban hành\s+)?[Kk]èm theo\s+(?P<what>.+?)\)?\s*$")
_DATE_IN = re.compile(r"ngày\s*(?P<d>\d{1,2})?\s*(?:tháng|/)\s*(?P<m>\d{1,2})?\s*(?:năm|/)\s*(?P<y>\d{4})", re.I)
_NUMBER_IN = re.compile(r"\bsố\s*:?\s*(?P<num>(?:\d[\d.]*)?\s*/\s*[A-ZĐ][\wĐđ.&]*(?:\s*-\s*[\wĐđ.&]+)*)", re.I)


@dataclass
class Part:
    doc_type: str | None = None
    title: str = ""
    number: str | None = None
    number_text: str | None = None
    date: str | None = None
    date_text: str | None = None
    place: str | None = None
    issuer_lines: list[str] = field(default_factory=list)
    attached_to: dict | None = None     # from "(Kèm theo Quyết định số … ngày …)"
    body: list[Block] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)
    authority: list[str] = field(default_factory=list)   # "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH"
    position: str | None = None
    signer: str | None = None
    start: int = 0


def parse_date(text: str) -> tuple[str | None, str | None]:
    """("2024-05-23", "ngày 23 tháng 5 năm 2024"); partial dates keep what is written."""
    m = _DATE_IN.search(text)
    if not m:
        return None, None
    y, mo, d = m.group("y"), m.group("m"), m.group("d")
    iso = y + (f"-{int(mo):02d}" + (f"-{int(d):02d}" if d else "") if mo else "")
    return iso, re.sub(r"\s+", " ", m.group(0)).strip()


def parse_number(text: str) -> tuple[str | None, str | None]:
    """("183/KH-UBND", "Số: 183/KH-UBND"); a blank number ("Số: /KH-UBND") gives (None, text)."""
    m = _NUMBER_IN.search(text)
    if not m:
        return None, None
    num = re.sub(r"\s+", "", m.group("num"))
    return (num if num[:1].isdigit() else None), re.sub(r"\s+", " ", m.group(0)).strip()


def smart_case(text: str) -> str:
    """An all-capitals title in sentence case, keeping names, numbers and abbreviations."""
    if not is_upper(text):
        return text
    out = []
    for w in text.split():
        core = w.strip(",.;:()\"“”")
        keep = re.search(r"[\d/&]", core) or core in _abbreviations()
        out.append(w if keep else w.lower())
    s = " ".join(out)
    # proper names: provinces and the country keep their capitals
    for name in sorted(set(provinces().values()) | {"Việt Nam", "Hồ Chí Minh"}, key=len, reverse=True):
        s = re.sub(rf"(?<!\w){re.escape(name.lower())}(?!\w)", name, s)
    s = re.sub(r"\b(kế hoạch|quyết định|nghị quyết|kết luận|chỉ thị)(?= số \d)", lambda m: m.group(1).capitalize(), s)
    return s[:1].upper() + s[1:]


@lru_cache(maxsize=1)
def _abbreviations() -> frozenset[str]:
    data = json.loads((Path(__file__).resolve().parent.parent / "data" / "abbreviations.json").read_text("utf-8"))
    return frozenset(s for e in data["abbreviations"] for s in e["short"]) | {"UBND", "HĐND", "TW", "XHCN"}


def _doc_type_name(dt: str) -> str:
    return dt.capitalize()


def split_parts(blocks: list[Block]) -> tuple[list[Part], list[Block]]:
    """Split cleaned blocks into parts; returns the parts and the chrome dropped after signatures."""
    parts: list[Part] = []
    dropped: list[Block] = []
    cur = Part(start=blocks[0].start if blocks else 0)
    state = "header"
    title_open = False
    listing = False      # inside the "Nơi nhận:" list
    for b in blocks:
        t = b.text.strip()
        if state in ("trailer", "after") and (is_header_start(b) or b.kind == "table_row") \
                and not is_authority(t) and not is_position(t):
            parts.append(cur)
            cur, state, title_open = Part(start=b.start), "header", False
        if state == "body" and (is_motto(t) or _new_appendix(t)) and cur.body:
            parts.append(cur)
            cur, state, title_open = Part(start=b.start), "header", False
        if state == "header":
            if b.kind != "table_row" and _header_line(cur, b, title_open):
                title_open = cur.doc_type is not None and not cur.attached_to and title_open_after(cur, b)
                continue
            state = "body"
        if state == "body":
            if is_recipients_head(t) or is_authority(t):
                state, listing = "trailer", False
            elif is_enacting(t):
                continue
            else:
                cur.body.append(b)
                continue
        if state == "after" and is_recipients_head(t):
            state = "trailer"   # "Nơi nhận" printed after the signature column
        if state == "trailer":
            if is_recipients_head(t):
                listing = True
                continue
            if b.kind == "list_item" and listing:
                cur.recipients.append(re.sub(r"^[-+•*]\s*", "", t).rstrip(";.").strip())
                continue
            listing = False
            if is_authority(t):
                cur.authority.append(t)
            elif is_position(t):
                cur.position = t
            elif re.fullmatch(r"\(?\s*(Đã ký|đã ký|Ký tên|Ký)\s*\)?", t):
                continue
            elif is_person_name(t) and (cur.authority or cur.position) and not cur.signer:
                cur.signer = t
                state = "after"
            else:
                dropped.append(b)
            continue
        dropped.append(b)  # state "after": chrome after the signature
    parts.append(cur)
    return [p for p in parts if p.body or p.doc_type or p.signer], dropped


def title_open_after(cur: Part, b: Block) -> bool:
    return bool(cur.title) and (b.bold or is_upper(b.text)) and len(cur.title) < 400


def _new_appendix(t: str) -> bool:
    dt = doc_type_of(t)
    return dt is not None and dt[0] == "PHỤ LỤC" and (is_upper(t.split(":")[0]) or len(t) < 80)


def _header_line(cur: Part, b: Block, title_open: bool) -> bool:
    """Consume one header block into ``cur``; False when the body starts here."""
    t = b.text.strip()
    if is_separator(t) or is_motto(t):
        return True
    if is_number_line(t):
        cur.number, cur.number_text = parse_number(t)
        cur.number_text = cur.number_text or t
        return True
    m = DATE_LINE.match(t)
    if m:
        cur.place = m.group("place").strip()
        cur.date, cur.date_text = parse_date(t)
        return True
    a = _ATTACHED.match(t)
    if a and cur.doc_type:
        what = a.group("what")
        num, num_text = parse_number(what)
        date, date_text = parse_date(what)
        dt = re.match(r"(Kế hoạch|Quyết định|Nghị quyết|Chương trình|Công văn|Thông báo)", what, re.I)
        issuer = re.search(r"\bcủa\s+(.+?)\)?$", what)
        cur.attached_to = {"doc_type": dt.group(1).capitalize() if dt else None, "number": num,
                           "number_text": num_text, "date": date, "date_text": date_text,
                           "issuer": issuer.group(1).strip() if issuer else None, "text": t.strip("()")}
        return True
    if cur.doc_type is None:
        dt = doc_type_of(t)
        if dt:
            cur.doc_type = _doc_type_name(dt[0])
            cur.title = dt[1]
            return True
        if is_issuer_line(t):
            cur.issuer_lines.append(t)
            return True
        return False
    if is_issuer_line(t) and len(t) < 90:
        cur.issuer_lines.append(t)   # the enacting authority line of a decision
        return True
    if is_structural(t) or re.match(r"^(Căn cứ|Thực hiện|Theo|Xét|Trên cơ sở|Nhằm)\b", t):
        return False
    if not cur.title or title_open:
        cur.title = (cur.title + " " + t).strip()
        return True
    return False


def locate(parts: list[Part], all_text: str) -> dict:
    """Issuer, province, district and place for the document, derived from its own text."""
    first = parts[0] if parts else Part()
    issuer = None
    lines = [ln for p in parts for ln in p.issuer_lines]
    if lines:
        header = " ".join(ln for ln in lines if not ln.startswith(("CHỦ TỊCH",)))
        issuer = smart_case(header)
        # the place name after the level word keeps its capitals: "UBND HUYỆN THANH BÌNH"
        issuer = re.sub(r"\b(tỉnh|huyện|thành phố|thị xã|xã|phường|thị trấn) (.+)$",
                        lambda m: m.group(1) + " " + " ".join(w[:1].upper() + w[1:] for w in m.group(2).split()),
                        issuer)
    place = next((p.place for p in parts if p.place), None)
    if issuer is None:
        for p in parts:
            if p.attached_to and p.attached_to.get("issuer"):
                issuer = p.attached_to["issuer"]
                break
    body_text = " ".join(b.text for p in parts for b in p.body[:3])
    if issuer is None:
        m = re.search(r"((?:Chủ tịch\s+)?(?:Ủy ban nhân dân|UBND))(?:\s*\(UBND\))?\s+(tỉnh|huyện|thành phố|thị xã|Tỉnh|Huyện)"
                      r"((?:\s+[A-ZĐÀ-Ỹ][\wà-ỹđ]*)*)\s+ban hành", body_text)
        if m:
            level = m.group(2).lower()
            name = m.group(3).strip() or (place or "")
            issuer = f"Ủy ban nhân dân {level} {name}".strip()
    issuer = re.sub(r"\bUBND\b", "Ủy ban nhân dân", issuer) if issuer else None
    if issuer:
        issuer = re.sub(r"\b(Tỉnh|Huyện|Thành phố|Thị xã)\b", lambda m: m.group(1).lower(), issuer)
    province = district = None
    if issuer:
        m = re.search(r"\b(tỉnh|thành phố)\s+(.+)$", issuer)
        if m and canonical_province(m.group(2)):
            province = canonical_province(m.group(2))
        m = re.search(r"\b(huyện|thị xã|thành phố)\s+(.+)$", issuer)
        if m and not canonical_province(m.group(2)):
            district = m.group(2).strip()
    if province is None and place and canonical_province(place):
        province = canonical_province(place)
    if province is None:
        counts = Counter(province_in(all_text))
        if counts:
            province = counts.most_common(1)[0][0]
    if district is None and place and not canonical_province(place) and issuer and \
            re.search(r"\b(huyện|thị xã)\b", issuer) and fold(place) in fold(all_text):
        district = place
    return {"issuer": issuer, "province": province, "district": district, "place": place}
