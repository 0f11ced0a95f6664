"""Loaded blocks → ParsedDoc: clean, split into parts, structure, passages with stable ids."""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import replace

from ..errors import EmptyDocument
from ..records import DocMeta, ParsedDoc, Passage
from ..textnorm import fold
from .base import Loaded
from .clean import Footnote, clean
from .header import smart_case
from .locality import locate
from .metadata import Part, split_parts
from .passages import drafts
from .patterns import CENTRAL_CITIES, SUPERSCRIPT_MARK
from .persons import person_names, persons_of
from .structure import build_tree

__all__ = ["build_document", "doc_slug", "metadata_text", "province_label"]

_UNSUP = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁽⁾", "0123456789()")


def doc_slug(name: str) -> str:
    stem = name.rsplit(".", 1)[0] if "." in name else name
    return re.sub(r"[^a-z0-9]+", "-", fold(stem)).strip("-") or "doc"


def _hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]


def _date_display(iso: str | None, text: str | None) -> str | None:
    if not iso:
        return text
    parts = iso.split("-")
    if len(parts) == 3:
        return f"ngày {int(parts[2])}/{int(parts[1])}/{parts[0]}"
    if len(parts) == 2:
        return f"tháng {int(parts[1])}/{parts[0]}"
    return f"năm {parts[0]}"


def _ref(
    doc_type: str | None, number: str | None, number_text: str | None, date: str | None, date_text: str | None
) -> str:
    """ "Kế hoạch số 183/KH-UBND ngày 23/5/2024" — a blank number is said to be blank."""
    s = doc_type or "Văn bản"
    if number:
        s += f" số {number}"
    elif number_text:
        s += f" (chưa ghi số: {number_text.replace('Số: ', '').replace('số ', '')})"
    d = _date_display(date, date_text)
    return f"{s} {d}" if d else s


def _part_title_line(part: Part) -> str:
    """ "Kế hoạch số 183/KH-UBND ngày 23/5/2024: Triển khai …" — the first line of every embedding."""
    title = smart_case(part.title)
    if len(title) > 180:
        title = title[:180].rsplit(" ", 1)[0] + "…"
    if part.attached_to:
        att = part.attached_to
        parent = _ref(
            att.get("doc_type"),
            att.get("number"),
            att.get("number_text"),
            att.get("date"),
            att.get("date_text"),
        )
        return f"{part.doc_type or 'Văn bản'}: {title} (kèm theo {parent})"
    ref = _ref(part.doc_type, part.number, part.number_text, part.date, part.date_text)
    return f"{ref}: {title}" if title else ref


def _att(part: Part, key: str):
    return (part.attached_to or {}).get(key)


def province_label(province: str | None, date: str | None) -> str | None:
    """ "tỉnh Đồng Tháp", but "Thành phố Hồ Chí Minh" (centrally-run cities; Huế since 2025)."""
    if not province:
        return None
    if province in CENTRAL_CITIES:
        return f"Thành phố {province}"
    if province in ("Huế", "Thừa Thiên Huế") and (date or "")[:4] >= "2025":
        return "Thành phố Huế"
    return f"tỉnh {province}"


def _subject(doc_type: str | None, title: str) -> str:
    """ " về việc …" for a decision or a letter — once, even when the title already says "Về việc"/"V/v"."""
    if doc_type not in ("Quyết định", "Công văn"):
        return f": {title}"
    rest = re.sub(r"^(?:Về việc|V/v|V/V|Về)\s*:?\s*", "", title)
    if not rest:
        return f": {title}"
    words = rest.split()
    if len(words) > 1 and words[1][:1].islower():
        rest = rest[:1].lower() + rest[1:]  # "về việc ban hành …"; a name ("Đồng Tháp …") keeps its capital
    return (
        f" về {rest}" if title.startswith("Về ") and not title.startswith("Về việc") else f" về việc {rest}"
    )


def metadata_text(meta: DocMeta, parts: list[Part]) -> str:
    """The metadata card as a Vietnamese paragraph, citable like any passage."""
    first = parts[0]
    ref = _ref(meta.doc_type, meta.number, meta.number_text, meta.date, meta.date_text)
    s = ref + (f" của {meta.issuer}" if meta.issuer else "")
    if meta.title:
        s += _subject(meta.doc_type, meta.title)
    s += "."
    for p in parts[1:]:
        s += f" Kèm theo: {p.doc_type or 'văn bản'} {smart_case(p.title)}."
    if first.attached_to:
        att = first.attached_to
        s += f" Kèm theo {_ref(att.get('doc_type'), att.get('number'), att.get('number_text'), att.get('date'), att.get('date_text'))}"
        s += f" của {att['issuer']}." if att.get("issuer") else "."
    if meta.place:
        s += f" Nơi ban hành: {meta.place}."
    if meta.place and meta.date_text and re.search(r"(ngày|tháng)\s+\d", meta.date_text):
        # the plan's own date line as written under the national motto ("Bắc Ninh, ngày 20 tháng
        # 11 năm 2025", Nghị định 30/2020/NĐ-CP, Phụ lục I): the header that holds it is no passage
        # of its own, so the card quotes it for an issue-date answer to cite. A draft or a copy
        # filed before its day was stamped leaves the day blank ("Lào Cai, ngày   tháng 6 năm
        # 2026"): the line as written is still what an answer "tháng 6/2026" cites
        s += f" {meta.place}, {meta.date_text}."
    where = ", ".join(
        x
        for x in (
            f"huyện {meta.district}" if meta.district else None,
            province_label(meta.province, meta.date),
        )
        if x
    )
    if where:
        s += f" Địa bàn: {where}."
    signer = next((p for p in parts if p.signer), None)
    if signer:
        who = ", ".join([*signer.authority, *([signer.position] if signer.position else [])])
        s += f" Người ký: {who} {signer.signer}." if who else f" Người ký: {signer.signer}."
    else:
        s += " Văn bản không ghi người ký."
    if meta.recipients:
        s += " Nơi nhận: " + "; ".join(meta.recipients) + "."
    return s


def _meta(name: str, parts: list[Part], located: dict, data: bytes, fmt: str) -> DocMeta:
    first = parts[0]
    number, number_text = first.number, first.number_text
    date, date_text = first.date, first.date_text
    if first.attached_to and not date:
        date, date_text = first.attached_to.get("date"), first.attached_to.get("date_text")
    signer = next((p for p in parts if p.signer), None)
    auth = signer.authority[-1].split(".")[0] + "." if signer and signer.authority else None
    info = [
        {
            "doc_type": p.doc_type,
            "title": smart_case(p.title),
            "number": p.number or _att(p, "number"),
            "number_text": p.number_text,
            "date": p.date or _att(p, "date"),
            "date_text": p.date_text or _att(p, "date_text"),
            "attached_to": p.attached_to,
            "signer": p.signer,
        }
        for p in parts
    ]
    return DocMeta(
        doc=name,
        title=smart_case(first.title),
        number=number,
        number_text=number_text,
        doc_type=first.doc_type,
        issuer=located["issuer"],
        province=located["province"],
        district=located["district"],
        place=located["place"],
        date=date,
        date_text=date_text,
        signer=signer.signer if signer else None,
        signer_authority=auth,
        signer_position=(
            signer.position or (re.sub(r"^\S+\s*", "", signer.authority[-1]) if signer.authority else None)
        )
        if signer
        else None,
        recipients=[r for p in parts for r in p.recipients],
        parts=info,
        sha256=hashlib.sha256(data).hexdigest(),
        source_format=fmt,
    )


def build_document(name: str, loaded: Loaded, data: bytes) -> ParsedDoc:
    cleaned = clean(loaded.blocks)
    if not cleaned.blocks:
        raise EmptyDocument(
            f"Tệp «{name}» không có nội dung kế hoạch đọc được.",
            f"File '{name}' has no readable plan content.",
            hint="Kiểm tra tệp có đúng là văn bản kế hoạch không.",
        )
    parts, _chrome = split_parts(cleaned.blocks, loaded.text)
    if not parts or not any(p.body for p in parts):
        raise EmptyDocument(
            f"Tệp «{name}» không có phần nội dung (chỉ có tiêu đề/chữ ký).",
            f"File '{name}' has a header but no body text.",
            hint="Kiểm tra tệp có đúng là văn bản kế hoạch không.",
        )
    located = locate(parts, "\n".join(b.text for b in cleaned.blocks))
    meta = _meta(name, parts, located, data, loaded.source_format)
    province, district = located["province"], located["district"]
    slug = doc_slug(name)
    passages: list[Passage] = []
    ids: Counter = Counter()

    def make(
        kind: str,
        text: str,
        section: tuple[str, ...],
        key: str,
        title_line: str,
        *,
        units=None,
        row=None,
        caption=None,
        page=None,
        span=None,
    ) -> Passage:
        base = f"{slug}:{key}:{_hash(text)}"
        ids[base] += 1
        pid = base if ids[base] == 1 else f"{base}-{ids[base]}"
        lead = tuple(units.lead) if units else ()
        partners = tuple(units.partners) if units else ()
        persons = persons_of(lead, section, text) if kind != "metadata" else ()
        # a person cell run together ("Vũ Việt Linh Nguyễn Thị Loan") names each person who does the task
        lead = tuple(dict.fromkeys(n for u in lead for n in (person_names(u) or [u])))
        lines = [title_line]
        if section:
            lines.append(" › ".join(section))
        if lead and (kind == "table_row" or fold(lead[0]) not in fold(text)):
            lines.append("Đơn vị chủ trì: " + "; ".join(lead))
            if partners:
                lines.append("Đơn vị phối hợp: " + "; ".join(partners))
        if persons:
            lines.append("Người thực hiện: " + "; ".join(persons))
        lines.append(text)
        return Passage(
            id=pid,
            doc=name,
            kind=kind,
            text=text,
            section=section,
            lead=lead,
            partners=partners,
            requested=tuple(units.requested) if units else (),
            persons=persons,
            row=row,
            caption=caption,
            page=page,
            span=span,
            province=province,
            district=district,
            embed_text="\n".join(lines),
        )

    meta_text = metadata_text(meta, parts)
    passages.append(make("metadata", meta_text, (), "meta", _part_title_line(parts[0])))
    for i, part in enumerate(parts):
        title_line = _part_title_line(part)
        caption = smart_case(part.title) if part.title else None
        root = build_tree(part.body, province, caption)
        for d in drafts(root, province):
            key = d.keypath if i == 0 else f"p{i + 1}.{d.keypath}"
            passages.append(
                make(
                    d.kind,
                    d.text,
                    d.section,
                    key,
                    title_line,
                    units=d.units,
                    row=d.row,
                    caption=d.caption,
                    page=d.blocks[0].page,
                    span=(d.blocks[0].start, d.blocks[-1].end),
                )
            )
    passages = _footnotes(passages, cleaned.footnotes, make, _part_title_line(parts[0]))
    meta.passage_count = len(passages)
    return ParsedDoc(meta=meta, passages=passages)


def _markers(text: str) -> list[str]:
    return [m.group(0).translate(_UNSUP).strip("()") for m in SUPERSCRIPT_MARK.finditer(text)]


def _footnotes(passages: list[Passage], footnotes: list[Footnote], make, title_line: str) -> list[Passage]:
    """Footnotes become passages under the section that cites them; citing passages link to them."""
    if not footnotes:
        return passages
    out = list(passages)
    for fn in footnotes:
        citing = [
            i
            for i, p in enumerate(out)
            if p.kind != "footnote"
            and fn.marker in _markers(p.text)
            and not p.text.lstrip().startswith(fn.block.text[:3])
        ]
        section = out[citing[0]].section if citing else ()
        p = make(
            "footnote",
            fn.block.text,
            section,
            f"fn{fn.marker}",
            title_line,
            page=fn.block.page,
            span=(fn.block.start, fn.block.end),
        )
        out.append(p)
        for i in citing:
            out[i] = replace(out[i], footnotes=(*out[i].footnotes, p.id))
    return out
