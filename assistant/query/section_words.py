"""Which part of a plan a question asks for ("mục đích", "kinh phí", "tổ chức thực hiện", …).

Decree 30/2020 and the plans written under it give a Kế hoạch fixed parts, each under a heading of
its own words; a question names the part by those words or asks it in plain ones. Split from
``rules`` (the question's intent and slot), which re-exports these names.
"""

from __future__ import annotations

import re

from assistant.query.header_words import RECIPIENT_LIST
from assistant.query.model import SectionKind

__all__ = ["PLAN_WORD", "SECTION_FORMS", "WHOLE_SECTIONS", "section_of"]


# How each section's heading is written (folded), longest first: "Nguồn kinh phí", "Kinh phí
# thực hiện"; the enum value is the heading word itself.
SECTION_FORMS: dict[SectionKind, tuple[str, ...]] = {
    SectionKind.PURPOSE: ("muc dich",),
    SectionKind.REQUIREMENT: ("yeu cau",),
    SectionKind.TARGET: ("muc tieu",),
    SectionKind.TASKS: ("nhiem vu",),
    SectionKind.SOLUTIONS: ("giai phap",),
    SectionKind.BUDGET: ("nguon kinh phi", "kinh phi", "nguon von"),
    SectionKind.SCOPE: ("pham vi",),
    SectionKind.SUBJECTS: ("doi tuong",),
    SectionKind.TIME: ("thoi gian thuc hien", "thoi gian kiem tra"),
    SectionKind.ORGANISATION: ("to chuc thuc hien",),
    SectionKind.BASIS: ("can cu",),
    SectionKind.COMPOSITION: ("thanh phan",),
    SectionKind.REPORTING: ("che do thong tin bao cao", "che do bao cao"),
}
# sections asked for as a whole; tasks, solutions and organisation are lists (``lists``), the
# grounds are asked in their own words (``query.grounds``: "căn cứ Quyết định …" names one ground)
_PARTS = (SectionKind.TASKS, SectionKind.SOLUTIONS, SectionKind.ORGANISATION, SectionKind.BASIS)
WHOLE_SECTIONS = frozenset(SectionKind) - set(_PARTS)
_PLAN_WORD = (
    r"(ke hoach|kh|van ban|cong van|chi thi|quyet dinh|de an|chuong trinh|dot kiem tra|doan kiem tra)"
)
# the words that name a plan as the subject of a question ("kế hoạch …", "KH …", "văn bản …")
PLAN_WORD = re.compile(r"\b(ke hoach|kh|van ban|cong van|chi thi|de an)\b")
# the words a section's heading may carry after its own ("Mục tiêu cụ thể", "Mục tiêu chung"), and
# the period a plan's targets are set for ("Mục tiêu cụ thể đến năm 2030", "giai đoạn 2026 - 2030"):
# plans of a programme write their targets per period, so the period still names the section
_PERIOD = r"(?:den|toi) nam \d{4}|giai doan \d{4}(?:\s*-\s*\d{4})?|nam \d{4}"
_QUALIFIER = (
    # and the activity a section heading is of ("Đối tượng kiểm tra", "Thời gian thi đua", "Đối
    # tượng áp dụng", "Phạm vi điều chỉnh": inspection, emulation and regulation plans' headings)
    r"(?:\s+(?:chung|cu the|chu yeu|tong quat|dat ra|de ra|thuc hien|trien khai|cua|trong|tai|o|"
    r"kiem tra|thi dua|ap dung|dieu chinh|huan luyen|giam sat|" + _PERIOD + r"))*"
)
_ASK = r"((duoc )?quy dinh (o|tai) dau|la gi|la nhung gi|gom( nhung)? gi|gom (nhung|cac) (nguon|noi dung) (nao|gi)|nhu the nao|the nao|ra sao|nao|gi)"
_WHOLE_NUMBER = re.compile(r"\b(bao nhieu|may|ty le|phan tram|top|xep hang|hang thu)\b|%")
# "lấy từ đâu", "từ nguồn nào", "được bố trí từ đâu": the source of the money is the budget section
_BUDGET_SOURCE = re.compile(
    r"\b(tu dau|nguon nao|tu nguon|lay tu|bo tri tu|do ai chi tra|tu ngan sach nao)\b"
)
# money in plain words ("Tiền để khắc phục … lấy từ những nguồn nào?", "nguồn tiền thực hiện …")
# with its source asked is the "KINH PHÍ" section too; "tiền mặt", "tiền sử dụng đất" are counted
_MONEY_FOR = re.compile(
    r"^(nguon |khoan |so )?tien\b(?! mat| su dung)|\b(nguon|khoan) tien (de|cho|thuc hien|phuc vu)\b"
)


# A plan's purpose and requirements asked without their heading words: "ban hành kế hoạch … để làm
# gì" is its "Mục đích"; what a plan "đòi hỏi" of its work is its "Yêu cầu" (the two parts every
# plan opens with, "I. MỤC ĐÍCH, YÊU CẦU"). The plan must be the subject: "Sở X bố trí kinh phí
# để làm gì" asks a task's purpose (``section_of``'s ``of_plan``).
_MEMBERS_ASKED = re.compile(
    r"\b((gom|bao gom) (co )?(nhung |cac )?|la (nhung|cac) )(ai|gi|[a-z]+ nao)\s*\??$"
)
# "thành phần" names the members of a team or meeting, not a "dự án thành phần" (a programme's
# component project) nor "các thành phần kinh tế"
_COMPOSITION_ASK = re.compile(r"(?<!du an )(?<!noi dung )\bthanh phan\b(?! kinh te)")
# "những ai được mời dự hội nghị …", "những ai tham dự lớp tập huấn": who attends a conference, a
# training or a round of work is its "Thành phần", the participants' field plans give each such
# activity ("- Thành phần: Đại diện Lãnh đạo Chi cục …", "Thành phần tham dự: …")
_ATTENDEES_ASK = re.compile(r"\b(nhung|cac) ai (se |phai )?(duoc (moi|trieu tap) )?(du|tham du|tham gia)\b")
# a passive clause after the ask ("… nào được tiếp cận …", "… nào phải …") qualifies the items
_QUALIFIED = re.compile(r"\s*(duoc|phai|can|se|bi) [a-z]+ [a-z]+")
_PURPOSE_ASK = re.compile(r"\b(de lam gi|nham (muc dich )?gi)\b")
_REQUIREMENT_ASK = re.compile(r"\bdoi hoi (nhung |cac )?(gi|dieu gi|yeu cau gi)\b")


def section_of(folded: str, of_plan: bool = False) -> SectionKind | None:
    """The plan section a question asks for as a whole ("Mục đích của kế hoạch X là gì?",
    "kinh phí thực hiện kế hoạch … lấy từ đâu", "Kế hoạch … có những yêu cầu gì?"), or None.

    A section word followed by other content ("mục tiêu xếp hạng thế nào", "UBND yêu cầu các
    sở báo cáo") names a sentence inside a section, not the section: the fact handlers answer.
    ``of_plan``: the question names a plan (by its kind or number) and no unit, so "… để làm gì"
    and "đòi hỏi gì" ask the plan's purpose and requirements.
    """
    f = " ".join(folded.split())
    if _WHOLE_NUMBER.search(f):
        return None  # "kinh phí bao nhiêu", "mục tiêu đạt bao nhiêu %": one figure, a fact
    if _MEMBERS_ASKED.search(f):
        # "Đối tượng thực hiện … gồm những ai?", "Thành phần … là những ai": the question opens
        # with the section's heading words and asks its members: the section's items are them
        for kind in (SectionKind.SUBJECTS, SectionKind.SCOPE, SectionKind.COMPOSITION):
            if any(re.match(rf"(cac |nhung )?{form}\b", f) for form in SECTION_FORMS[kind]):
                return kind
    if _COMPOSITION_ASK.search(f) and re.search(r"\b(nhung|cac|gom|la) ai\b", f):
        return SectionKind.COMPOSITION  # "những ai tham gia thành phần đoàn …": its members
    if _ATTENDEES_ASK.search(f):
        return SectionKind.COMPOSITION
    if of_plan:
        # "theo nơi nhận, kế hoạch gửi X để làm gì": why one recipient gets it (its line of the
        # "Nơi nhận:" list), not the plan's purpose
        if _PURPOSE_ASK.search(f) and not RECIPIENT_LIST.search(f):
            return SectionKind.PURPOSE
        if _REQUIREMENT_ASK.search(f):
            return SectionKind.REQUIREMENT
    for kind in SectionKind:
        if kind not in WHOLE_SECTIONS:
            continue
        for form in SECTION_FORMS[kind]:
            for m in re.finditer(rf"(?<![a-z0-9]){form}(?![a-z0-9])", f):
                if kind is SectionKind.COMPOSITION and not _COMPOSITION_ASK.match(f, m.start()):
                    continue
                before, after = f[: m.start()].split(), f[m.end() :]
                if re.match(rf"{_QUALIFIER}\s*({_PLAN_WORD}\b|{_ASK}\s*\??\s*$|\??\s*$)", after):
                    return kind  # "mục đích của kế hoạch …", "yêu cầu là gì?", "… kinh phí?"
                asked = re.match(rf"\s*{_ASK}\b", after)
                # "có những yêu cầu gì"; "những đối tượng nào được tiếp cận hỗ trợ trong 24 giờ
                # đầu" asks the ones a sentence qualifies, not the section
                if (
                    before
                    and before[-1] in ("nhung", "cac")
                    and asked
                    and not _QUALIFIED.match(after[asked.end() :])
                ):
                    return kind
                if kind is SectionKind.BUDGET and _BUDGET_SOURCE.search(after):
                    return kind
    if _MONEY_FOR.search(f) and _BUDGET_SOURCE.search(f):
        return SectionKind.BUDGET
    return None
