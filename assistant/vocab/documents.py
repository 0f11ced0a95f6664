"""Vietnamese administrative documents: their kinds and how their numbers are written.

Convention (Decree 30/2020/NĐ-CP on document formats): a document's number is
"<số>/<kind code>-<issuer code>" — "183/KH-UBND", "1899/QĐ-UBND", "12/UBND-KT" (a công
văn carries no kind code), "05/KH-ĐKT"; Party documents put the kind first and the
body after a slash: "05-CT/TU", "57-KL/TW".  In a question people write "KH 183",
"kế hoạch số 183", "quyết định 1899", "183/KH".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..textnorm import fold

__all__ = [
    "DOC_KINDS",
    "CITED_KINDS",
    "spell_out_kinds",
    "DocMention",
    "doc_mentions",
    "leading_number",
    "kind_label",
    "kind_named",
    "years_named",
    "document_label",
]

# kind → its folded spellings in a question (long form first, then the code)
DOC_KINDS: dict[str, tuple[str, ...]] = {
    "Kế hoạch": ("ke hoach", "kh"),
    "Quyết định": ("quyet dinh", "qd"),
    "Công văn": ("cong van", "cv"),
    "Thông báo": ("thong bao", "tb"),
    "Chỉ thị": ("chi thi", "ct"),
}
# kinds a plan cites as its grounds but that are never a loaded plan themselves: a Party
# Kết luận / Nghị quyết ("480-KL/TU", "57-NQ/TW"), a Nghị định or Thông tư of the Government,
# a Chương trình (phối hợp) between agencies ("77/CTPH/STTTT-BCH-BĐBP"), a Hướng dẫn. Codes
# from Nghị định 30/2020/NĐ-CP (Appendix III) and the Party's Hướng dẫn 36-HD/VPTW.
CITED_KINDS: dict[str, tuple[str, ...]] = {
    "Kết luận": ("ket luan", "kl"),
    "Nghị quyết": ("nghi quyet", "nq"),
    "Nghị định": ("nghi dinh", "nd"),
    "Thông tư": ("thong tu",),
    "Chương trình": ("chuong trinh phoi hop", "chuong trinh", "ctph", "ctr"),
    "Hướng dẫn": ("huong dan", "hd"),
}
_BY_FORM = {
    form: kind for kinds in (DOC_KINDS, CITED_KINDS) for kind, forms in kinds.items() for form in forms
}
# The kind codes of Decree 30/2020 (Appendix III: "KH" Kế hoạch, "QĐ" Quyết định, "CV" for a Công
# văn, "TB" Thông báo) written on their own, without a number: officials type "KH nào", "CV về
# khoáng sản". "CT" is left alone: on its own it is as often "Chủ tịch" or "Công Thương".
_BARE_CODE = re.compile(r"(?<![\w/-])(kh|qd|cv|tb)(?![\w/-])(?!\s*(?:so\s*)?[:.]?\s*\d)")


def spell_out_kinds(folded: str) -> str:
    """A folded question with bare kind codes written out: "thay the kh nao" → "thay the ke hoach nao"."""
    return _BARE_CODE.sub(lambda m: DOC_KINDS_LONG[m.group(1)], folded)


DOC_KINDS_LONG = {forms[1]: forms[0] for forms in DOC_KINDS.values()}
_FORMS = "|".join(sorted(_BY_FORM, key=len, reverse=True))
# "kế hoạch số 183/KH-UBND", "KH 183", "quyết định: 1899"; or "183/KH", "05-CT/TU" (number first)
_NUMBERED = re.compile(
    rf"\b(?P<kind>{_FORMS})\s*(?P<so>so\s*)?[:.]?\s*(?P<num>\d{{1,5}})(?!\d)"
    r"(?:\s*[/-]\s*(?P<suffix>[a-z]+(?:[-/][a-z]+)*))?"
    # (not the year of "30/2020/NĐ-CP": a number after a slash is part of another number)
    rf"|(?<!/)\b(?P<num2>\d{{1,5}})\s*[/-]\s*(?P<kind2>{_FORMS})\b(?:[-/][a-z]+)*"
)


@dataclass(frozen=True)
class DocMention:
    """A document named by number in a (folded) question."""

    start: int
    end: int
    number: str  # digits as written ("183")
    kind: str  # "Kế hoạch", "Quyết định" …
    explicit: bool  # written as a number for sure: "số 183", "183/KH-UBND", "183/KH"

    @property
    def is_period(self) -> bool:
        """ "kế hoạch 2024" names a year, not plan no. 2024 (a year is never written "số 2024/KH")."""
        return 1990 <= int(self.number) <= 2100 and not self.explicit


def doc_mentions(folded: str) -> list[DocMention]:
    """Documents named by number in a folded question, in order."""
    out = []
    for m in _NUMBERED.finditer(folded):
        if m.group("num"):
            # a bare code before a number ("ct 5", "ctr 2") is too weak unless it is KH/QĐ
            form = m.group("kind")
            if len(form) <= 4 and form not in ("kh", "qd") and not (m.group("so") or m.group("suffix")):
                continue
            explicit = bool(m.group("so") or m.group("suffix"))
            out.append(DocMention(m.start(), m.end(), m.group("num"), _BY_FORM[form], explicit))
        else:
            form = m.group("kind2")
            out.append(DocMention(m.start(), m.end(), m.group("num2"), _BY_FORM[form], True))
    return out


def kind_named(folded: str) -> str | None:
    """The kind of document the question is about when it says one ("công văn về …"); every
    plan is loosely called a "kế hoạch", so only another kind narrows the plans.

    The first kind word names the document asked about: "kế hoạch triển khai Chỉ thị 11" is a
    Kế hoạch (the Chỉ thị is its subject). Two-letter codes count only beside a number."""
    m = re.search(r"\b(ke hoach|quyet dinh|cong van|thong bao|chi thi)\b", folded)
    if not m:
        return None
    return _BY_FORM[m.group(1)]


def years_named(folded: str) -> list[str]:
    """Years named ("năm 2024", "kế hoạch 2025"): a plan's period or issue year."""
    return list(dict.fromkeys(re.findall(r"(?<![0-9/.-])((?:19|20)[0-9]{2})(?![0-9/])", folded)))


def leading_number(number: str | None) -> str | None:
    """The digits a document number starts with ("0183/KH-UBND" → "183"), or None."""
    m = re.match(r"\s*0*(\d+)", number or "")
    return m.group(1) if m else None


def kind_label(kind: str | None) -> str:
    return kind if kind in DOC_KINDS or kind in CITED_KINDS else "Kế hoạch"


def _when(date: str | None) -> str | None:
    """ "2026-04" → "tháng 4/2026", "2026-03-10" → "10/3/2026", "2026" → "2026" (ISO, possibly partial)."""
    parts = [int(x) for x in re.findall(r"\d+", date or "")]
    if len(parts) >= 3:
        return f"{parts[2]}/{parts[1]}/{parts[0]}"
    if len(parts) == 2:
        return f"tháng {parts[1]}/{parts[0]}"
    return str(parts[0]) if parts else None


def document_label(
    kind: str | None, number: str | None, title: str | None, place: str | None, date: str | None = None
) -> str:
    """How an official names a document: by kind and number ("Kế hoạch 174/KH-UBND (Hồ Chí Minh)").

    A draft or a plan whose number was left blank ("Số:   /KH-SCT") is named by its title and its
    date, as officials do ("Kế hoạch huấn luyện, kiểm tra, cấp Giấy chứng nhận … (Lào Cai, tháng
    6/2026)"): a label of the place and the year alone would be the same for every such plan of one
    province, and two rounds of one plan share a title but not a month.
    """
    kind = kind or "Kế hoạch"
    if number:
        return f"{kind} {number}" + (f" ({place})" if place else "")
    short = re.sub(r"[\s|]+$", "", title or "")
    # what the title already says ("… huyện Lấp Vò năm 2024") is not said again in brackets
    said = fold(short)
    where = ", ".join(
        b for b in (place, _when(date)) if b and not re.search(rf"\b{re.escape(fold(b))}\b", said)
    )
    where = f" ({where})" if where else ""
    if short.lower().startswith(kind.lower() + " "):
        short = short[len(kind) + 1 :]  # "KẾ HOẠCH Thông tin …": the kind is said once
    if not short:
        return f"{kind}{where}" if where else kind
    cut = ""
    for w in short.split():
        if len(cut) + len(w) > 80:
            cut += " …"
            break
        cut = f"{cut} {w}".strip()
    # "Kế hoạch Huấn luyện …" reads "Kế hoạch huấn luyện …" unless the title opens with a name
    first = cut.split(" ", 1)[0]
    if first[:1].isupper() and first[1:].islower():
        cut = cut[:1].lower() + cut[1:]
    return f"{kind} {cut}{where}"
