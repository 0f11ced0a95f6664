"""Issuer, province, district and place of a document, derived from its own text."""

from __future__ import annotations

import re
from collections import Counter

from ..textnorm import fold, normalize_tones
from .header import Part, smart_case
from .patterns import CENTRAL_CITIES
from .units import canonical_province, canonical_unit, province_in

__all__ = ["locate"]


# a line that starts a body's name; "TỈNH LÀO CAI" under "ỦY BAN NHÂN DÂN" goes on with the same one
_BODY_START = re.compile(
    r"(uy ban nhan dan|ubnd|hoi dong|so |bo |ban |phong |cong an|van phong|tinh uy|huyen uy|thanh uy|doan |to |"
    # a ministry's or department's own office ("BỘ CÔNG THƯƠNG" / "CỤC HÓA CHẤT"): a body of its own
    r"(?:chi |tong )?cuc |thanh tra )"
)
# "THEO QUYẾT ĐỊNH SỐ 1050/QĐ-SCT": the decision that formed an ad-hoc body, not part of its name
_FORMED_BY = re.compile(r"(\(?theo quyet dinh\b|so\s*\d)")


# the header's left column flattened onto one line (a web page's table cell without its line breaks):
# "UBND TỈNH THANH HÓA SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG", "SỞ CÔNG THƯƠNG ĐOÀN KIỂM TRA THEO QUYẾT ĐỊNH
# SỐ …": each body's name starts a line again. Only in capitals, and not the "BAN" of "ỦY BAN", the
# "PHÒNG" of "VĂN PHÒNG", the "SỞ" of "CƠ SỞ"
_BODY_SPLIT = re.compile(
    r"(?<!ỦY)(?<!UỶ)(?<!VĂN)(?<!CƠ)(?<!CHI)(?<!TỔNG)\s+"
    r"(?=(?:SỞ|BAN|CỤC|CHI CỤC|TỔNG CỤC|ĐOÀN|PHÒNG|VĂN PHÒNG|THANH TRA|THEO QUYẾT ĐỊNH)\s)"
)


def _issuing_body(lines: list[str]) -> str:
    """The issuer from the header's left column (Nghị định 30/2020/NĐ-CP, Phụ lục I): the superior
    body's name on top ("UBND TỈNH LÀO CAI"), the issuing body's under it ("SỞ CÔNG THƯƠNG").

    The issuer is the lowest body; a provincial department keeps its province ("Sở Công Thương tỉnh
    Lào Cai") and an ad-hoc team its parent ("Đoàn kiểm tra Sở Công Thương"), so two documents of the
    same kind from different bodies are never merged into "Ủy ban nhân dân tỉnh Lào Cai Sở Công Thương".
    """
    bodies: list[list[str]] = []
    for ln in (x for line in lines for x in _BODY_SPLIT.split(line) if x.strip()):
        f = fold(ln).strip()
        if ln.startswith("CHỦ TỊCH") or _FORMED_BY.match(f):
            continue
        if not bodies or _BODY_START.match(f):
            bodies.append([ln])
        else:
            bodies[-1].append(ln)
    if len(bodies) < 2:
        return normalize_tones(" ".join(bodies[0]) if bodies else " ".join(lines))
    own, parent = _named(" ".join(bodies[-1])), _named(" ".join(bodies[-2]))
    fp = fold(parent)
    if re.match(r"(doan|to) ", fold(own)):
        return f"{own} {parent}"
    place = re.search(r"\b(tinh|thanh pho)\s", fp)
    if place and re.match(r"(uy ban nhan dan|ubnd)", fp):
        return f"{own} {parent[place.start() :]}"  # "SỞ CÔNG THƯƠNG" + "TỈNH LÀO CAI"
    return own


def _named(body: str) -> str:
    """A body's name as written in running text: "SỞ CÔNG THƯƠNG" → "Sở Công Thương" (a known unit keeps
    its proper-noun capitals), other capitals in sentence case."""
    cased = normalize_tones(smart_case(body))  # "Uỷ ban" (old tone placement) is "Ủy ban"
    known = canonical_unit(cased)
    return known if fold(known) == fold(cased) else cased


def locate(parts: list[Part], all_text: str) -> dict:
    """Issuer, province, district and place for the document, derived from its own text."""
    issuer = None
    # the issuer of the first part; an attached plan repeats it (or names its own unit)
    lines = next((p.issuer_lines for p in parts if p.issuer_lines), [])
    if lines:
        issuer = smart_case(_issuing_body(lines))
        # the place name after the level word keeps its capitals: "UBND HUYỆN THANH BÌNH"
        issuer = re.sub(
            r"\b(tỉnh|huyện|thành phố|thị xã|xã|phường|thị trấn) (.+)$",
            lambda m: m.group(1) + " " + " ".join(w[:1].upper() + w[1:] for w in m.group(2).split()),
            issuer,
        )
    place = next((p.place for p in parts if p.place), None)
    place_province = canonical_province(place) if place else None
    if issuer and fold(issuer) in ("uy ban nhan dan", "hoi dong nhan dan") and place_province:
        # the header lost its second line ("TỈNH …"); a document dated in the province's name is provincial
        issuer += (" thành phố " if place_province in CENTRAL_CITIES else " tỉnh ") + place_province
    if issuer is None:
        for p in parts:
            if p.attached_to and p.attached_to.get("issuer"):
                issuer = p.attached_to["issuer"]
                break
    body_text = " ".join(b.text for p in parts for b in p.body[:3])
    if issuer is None:
        m = re.search(
            r"((?:Chủ tịch\s+)?(?:Ủy ban nhân dân|UBND))(?:\s*\(UBND\))?\s+(tỉnh|huyện|thành phố|thị xã|Tỉnh|Huyện)"
            r"((?:\s+[A-ZĐÀ-Ỹ][\wà-ỹđ]*)*)\s+ban hành",
            body_text,
        )
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
    if (
        district is None
        and place
        and not canonical_province(place)
        and issuer
        and re.search(r"\b(huyện|thị xã)\b", issuer)
        and fold(place) in fold(all_text)
    ):
        district = place
    return {"issuer": issuer, "province": province, "district": district, "place": place}
