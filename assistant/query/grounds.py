"""A document's grounds asked whole: "Kế hoạch X căn cứ vào những văn bản nào?", "dựa vào văn bản
nào để ban hành", "được lập để thực hiện quyết định nào?". Every Vietnamese administrative document
opens with them, before its first part ("Căn cứ Luật …; Căn cứ Nghị định …; Thực hiện Quyết định
…", the "căn cứ ban hành" of Decree 30/2020, Appendix I). One named ground ("căn cứ Nghị định nào
của Chính phủ", "căn cứ quyết định nào về việc thành lập Tổ kiểm tra") is a fact, not this."""

from __future__ import annotations

import re

from assistant.query.model import SectionKind

__all__ = ["asks_basis", "asks_organisation", "part_asked", "GROUND_KINDS"]

# the kinds of document a plan is issued on or implements (folded)
GROUND_KINDS = (
    "van ban|quyet dinh|nghi quyet|nghi dinh|chi thi|ket luan|cong dien|thong bao|thong tu|luat|"
    "ke hoach|chuong trinh|de an|cong van|huong dan"
)
# what may follow the ask: the purpose of issuing ("… để ban hành kế hoạch …"), nothing else
_TAIL = r"(?:\s+(?:de|khi|nham) (?:ban hanh|lap|xay dung)\b[^?]*)?\s*\??\s*$"
_BASIS_ASK = re.compile(
    r"\bcan cu (?:phap ly|ban hanh)\b|"
    r"\bcan cu (?:vao )?(?:dau|gi)\b|"
    rf"\b(?:can cu|dua (?:vao|tren)|tren co so)(?: vao)? (?:nhung |cac )?(?:van ban|co so phap ly|quy dinh)"
    rf"(?: phap ly)? (?:nao|gi){_TAIL}|"
    # "được lập để thực hiện quyết định nào?", "Kế hoạch X triển khai chỉ thị nào?": the document
    # implemented is the ground its preamble's "Thực hiện …" line gives
    rf"\b(?:thuc hien|trien khai|cu the hoa) (?:nhung |cac )?(?:{GROUND_KINDS}) (?:nao|gi)\s*\??\s*$|"
    # "dựa trên những thông tư nào của Bộ Tài chính": the grounds of one kind asked in the plural
    # (the preamble lists them one to a line, "Căn cứ Thông tư số …; Căn cứ Thông tư số …"), their
    # issuer after "của"; one ground asked ("căn cứ Nghị định nào của Chính phủ") is a fact
    rf"\b(?:can cu|dua (?:vao|tren)|tren co so)(?: vao)? (?:nhung|cac) (?:{GROUND_KINDS}) (?:nao|gi)"
    r"(?: (?:cua|do) [a-z ]{1,40})?\s*\??\s*$"
)


def asks_basis(folded: str) -> bool:
    """Whether the question (folded, places and numbers blanked) asks the document's grounds."""
    return bool(_BASIS_ASK.search(" ".join(folded.split())))


# "Tổ chức thực hiện kế hoạch X thế nào?", "Trách nhiệm tổ chức thực hiện … được phân công thế nào?", "Kế hoạch X được tổ chức thực hiện ra sao?": the plan's
# closing part ("IV. TỔ CHỨC THỰC HIỆN": one item per unit, Decree 30/2020's plan outline) asked
# whole; "những đơn vị nào …" asks its units (``rules.asks_assigned_units``), a unit named its tasks
_ORGANISATION_ASK = re.compile(
    r"^\s*(?:phan |viec |trach nhiem |(?:su )?phan cong )?to chuc thuc hien (?:cua )?(?:ke hoach|kh|van ban|cong van)\b[^?]{0,120}?"
    r"(?:(?:duoc )?(?:phan cong|giao|quy dinh) )?(?:nhu )?(?:the nao|ra sao|la gi|gom (?:nhung )?(?:gi|noi dung gi))"
    r"\s*\??\s*$|"
    r"^\s*(?:ke hoach|kh|van ban|cong van)\b[^?]{0,120}?\b(?:duoc )?to chuc thuc hien (?:nhu )?(?:the nao|ra sao)"
    r"\s*\??\s*$"
)


def asks_organisation(folded: str) -> bool:
    """Whether the question asks the plan's "Tổ chức thực hiện" part whole."""
    return bool(_ORGANISATION_ASK.search(" ".join(folded.split())))


# A plan's parts asked in an official's own words rather than by their heading (the outline of
# Decree 30/2020 plans: "I. MỤC ĐÍCH, YÊU CẦU", "II. MỤC TIÊU", "KINH PHÍ", "ĐỐI TƯỢNG"):
# why it was issued is its purpose; what it "đặt ra / hướng tới" its targets, whatever period
# follows; where the money comes from ("do đâu bảo đảm") its budget; "đối tượng áp dụng của kế
# hoạch" its subjects.
_PART_ASKS: tuple[tuple[SectionKind, re.Pattern[str]], ...] = (
    (
        SectionKind.PURPOSE,
        re.compile(r"\b(vi sao|tai sao|ly do)\b[^?]*\bban hanh\b|\bban hanh\b[^?]*\b(vi sao|ly do gi)\b"),
    ),
    (
        SectionKind.TARGET,
        re.compile(
            r"\b(dat|de ra|dat ra|huong toi|nham) (ra )?(nhung |cac )?muc tieu (gi|nao)\b(?![^?]*\bbao nhieu\b)"
        ),
    ),
    (
        SectionKind.BUDGET,
        re.compile(r"\bkinh phi\b[^?]*\b(do dau|tu dau|(bao dam|dam bao) (tu|bang) (dau|nguon nao|gi))\b"),
    ),
    (
        SectionKind.SUBJECTS,
        re.compile(
            r"^\s*(cac |nhung )?doi tuong( [a-z]+){0,2} (cua|trong)( (ke hoach|kh|van ban))?\s*(\?|la (gi|ai|nhung ai)|$)"
        ),
    ),
)


def part_asked(folded: str, of_plan: bool) -> SectionKind | None:
    """The part of the plan the question asks whole in its own words (``_PART_ASKS``), or None;
    ``of_plan``: the plan is the question's subject (named, no unit)."""
    f = " ".join(folded.split())
    if not of_plan:
        return None
    return next((kind for kind, rx in _PART_ASKS if rx.search(f)), None)
