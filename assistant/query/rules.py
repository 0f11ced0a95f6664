"""Which question family a (folded) question belongs to, and which fact it asks for.

Rules are Vietnamese question forms ("ai chủ trì", "bao nhiêu", "khi nào"), checked in
one order (``intent_of``): a unit's tasks before comparisons before facts before lists.
The answer handlers (``answer.registry``) then claim a ``Query`` by its intent.
"""

from __future__ import annotations

import re

from assistant.query.courtesy import courtesy_spans
from assistant.query.header_words import (
    DOCNUM,
    ISSUER,
    NOT_SIGN,
    PERSON_ASK,
    RECIPIENT,
    RECIPIENT_LIST,
    SENT_TO_REPORT,
    SIGNER,
    SUPERSEDE_ASK,
    SUPERSEDES,
)
from assistant.query.model import FactKind, Intent, Role, TeamRole
from assistant.query.section_words import PLAN_WORD, SECTION_FORMS, WHOLE_SECTIONS, section_of

__all__ = [
    "MADE_VERB",
    "NOT_SIGN",
    "PERSON_ASK",
    "asks_assigned_units",
    "asks_tasks",
    "asks_destination",
    "SUPERSEDE_ASK",
    "SUPERSEDES",
    "courtesy_spans",
    "PLAN_WORD",
    "team_role_of",
    "SECTION_FORMS",
    "WHOLE_SECTIONS",
    "fact_kind",
    "intent_of",
    "section_of",
]

_DATE = re.compile(
    r"\b(ngay nao|ngay bao nhieu|ngay may|khi nao|bao gio|luc nao|thoi diem|nam nao|thang nao|thang may|"
    r"hom nao|"  # "tổ chức hôm nào": the spoken word for the day asked ("ngày nào")
    r"(luc )?may gio|"  # "mấy giờ"; not "gió nào" (wind), which folds like "giờ nào"
    r"ban hanh (truoc|sau|som|muon)|"
    r"ngay ban hanh|ban hanh ngay|ban hanh (vao )?(ngay|khi|luc|nam)|ngay ky|ky ngay|thoi gian)\b"
)
_DEADLINE = re.compile(
    r"\b(thoi han|han chot|han cuoi|truoc ngay|cham nhat|han bao cao|thoi gian thuc hien|"
    r"som hon|muon hon|som nhat|"
    r"bao cao .*(khi nao|ngay nao|truoc)|(khi nao|ngay nao).*bao cao|hang nam|thoi gian)\b"
)
_WHEN_ASKED = (
    r"( vao)? (ngay nao|ngay bao nhieu|ngay may|khi nao|bao gio|luc nao|thang nao|thang may|nam nao)\b"
)
_ISSUED_WHEN = re.compile(r"\b(ban hanh|ky)" + _WHEN_ASKED)
# "Kế hoạch kiểm tra … được lập ngày nào?", "văn bản ra đời khi nào": the plan made ("Trưởng đoàn
# kiểm tra lập kế hoạch", a Sở's plan "xây dựng" by it) is dated by its date line ("Lào Cai, ngày 10
# tháng 3 năm 2026", Decree 30/2020 art. 8: the date a document is signed and issued). Not a team
# set up ("thành lập"), nor another paper the plan has made (a report, a record, a list: their
# dates are deadlines of the plan's tasks)
MADE_VERB = r"((?<!thanh )lap|ra doi|phat hanh|soan thao)"
_MADE_WHEN = re.compile(r"\b" + MADE_VERB + _WHEN_ASKED)
_MADE_PAPER = re.compile(r"\b(bao cao|bien ban|danh sach|ho so|du toan|to trinh|phuong an|ket luan)\b")
# "chủ đề" of a campaign month is written in quotes like a slogan ("Chủ đề: “…”")
# "lực" (force) folds like "lúc" (moment): "chủ lực nào", "nguồn lực nào", "năng lực nào" ask a
# thing, not a time ("lúc nào")
_NOT_WHEN = re.compile(
    r"\b(chu|no|nang|ap|dong|hieu|nguon|nhan|vat|tiem|the|suc|quyen|trong|sinh) luc nao\b|"
    # "những chiến dịch hằng năm nào": "hằng/hàng năm" is "every year", the "nào" asks the things
    r"\b(hang|moi) nam nao\b"
)
_SLOGAN = re.compile(r"\b(khau hieu|slogan|thong diep|phuong cham|logo|chu de)\b")
# how long something lasts: an amount of time ("1,5 ngày", "02 ngày làm việc"), not a date
_DURATION = re.compile(
    r"\b(bao lau|keo dai (bao nhieu|may|trong bao nhieu) (ngay|thang|nam|gio|tuan|buoi)|"
    r"trong (bao nhieu|may) (ngay|thang|gio|tuan|buoi)|mat (bao nhieu|may) (ngay|thang|gio|tuan|buoi))\b"
)
# where: the venue or address a plan names ("2. Địa điểm: …, địa chỉ: …")
_PLACE = re.compile(
    r"\b(o dau|tai dau|dia diem|dia chi|noi nao|cho nao|tru so)\b"
    # "phải đến đâu để dự kiểm tra", "đi đâu": a person goes to a venue; the plan writes it as
    # its "Địa điểm: …" line (a Sở's plan of a training or inspection round). Only with a verb of
    # going before it: "triển khai đến đâu" asks how far a task has come, not a place
    r"|\b(phai|can|se|di|toi) den dau\b|\bden dau de\b"
)
# "được quy định ở đâu / tại đâu": the provision that lays something down (a plan writes "Đối
# tượng kiểm tra: Quy định tại khoản 1 Điều 2 Quyết định số …"), not a venue
_PROVISION_ASK = re.compile(r"\b(duoc )?quy dinh (o|tai) dau\b")
# on whose request: a Sở's plan made "Xét đề nghị của <company> tại Văn bản số …"
_SOURCE = re.compile(
    r"\b(theo de nghi cua|xet de nghi|de nghi cua (ai|don vi nao|co quan nao|cong ty nao))\b"
)
_BUDGET = re.compile(r"\b(kinh phi|ngan sach|nguon von|chi phi|nguon tien)\b")
_TARGET = re.compile(r"\b(muc tieu|chi tieu|phan dau|top \d+|top|vi tri|xep hang)\b")
_NUMBER = re.compile(
    r"\b(bao nhieu|so luong|ty le|phan tram|may (nam|thang|ngay|km|lan|nhiem vu|tinh|xa|dot|buoi|luot|diem|nguoi|lop|phien|hoi nghi)|"
    r"dai bao|chieu dai|it nhat|(co|gom|la|cho|dat|duoc) may|thu may|hang may|top may|"
    r"so thu tu|(tu|den) so nao)\b|%"
)
_COMPARE = re.compile(
    r"\b(so sanh|moi tinh|moi ke hoach|moi dia phuong|tung tinh|tung ke hoach|ben nao|tinh nao|"
    r"ke hoach nao|dia phuong nao|khac nhau|giong nhau|khac gi|giong gi|ca hai|"
    r"hai ke hoach|hai tinh)\b"
)
_LEAD = re.compile(
    r"\b(chu tri|phu trach|dau moi|dam nhiem|dam nhan|chiu trach nhiem|duoc giao|giao cho|"
    r"giao (ai|don vi nao|co quan nao|so nao|nganh nao))\b"
)
# "số" of "dân số" (population) and of the digital-transformation compounds ("chuyển đổi số", "ứng
# dụng số", "nền tảng số", "kinh tế số") folds like "sở" (a department): "những chỉ tiêu dân số
# nào", "những ứng dụng số nào" ask for items, not for a department; nor does "chỉ số" (an index
# a plan measures by: "đánh giá theo chỉ số VN-WQI", "chỉ số PCI"): "theo chỉ số nào" asks the index
_NOT_DEPT = r"(?<!chi )(?<!dan )(?<!doi )(?<!dung )(?<!tang )(?<!te )(?<!thuat )(?<!lieu )(?<!phu )(?<!hoi )"
_WHO = re.compile(
    r"\b(ai|(" + _NOT_DEPT + r"so|don vi|co quan|(?<!van )ban|phong|to chuc|cap|luc luong|bo phan|trung tam|"
    r"doan the|tap the)\s+(nao|gi))\b"
)
_ORDINAL = re.compile(r"\b(so thu tu|(tu|den) so)\b")
# a unit asked for by name of its kind ("cơ quan nào", "đơn vị nào", "sở nào"), not "ai" (a person)
_WHO_UNIT = re.compile(r"\b(co quan|don vi|" + _NOT_DEPT + r"so|nganh|phong|bo phan|luc luong) nao\b")
# "những đơn vị nào cùng tham gia", "Sở X cùng những đơn vị nào …": the units that join the one
# leading coordinate with it (a plan's "X chủ trì, phối hợp với Y": Y takes part in X's task)
_PARTNER = re.compile(
    r"\bphoi hop\b|\b(hop tac|trao doi|lien he|bao|lien ket) (voi|cho) (ai|don vi nao|co quan nao|nhung ai)\b|"
    r"\b(ai|nao) cung (tham gia|thuc hien)\b|\bcung (voi )?(nhung |cac )?(ai|(don vi|co quan)( [a-z]+)? nao)\b"
)
# the partner asked by who-word ("đơn vị nào phối hợp", "ai phối hợp"), not what a partner does
# ("phối hợp làm gì", "phối hợp những việc nào": ``_PARTNER_TASKS``)
_PARTNER_ASKED = re.compile(
    r"\b(ai|(don vi|co quan|"
    + _NOT_DEPT
    + r"so|nganh|luc luong|bo phan) nao)( (se|duoc giao|cung|tham gia))? phoi hop\b"
)
_PARTNER_TASKS = re.compile(
    r"\bphoi hop( voi [a-z ,]+)? (lam |thuc hien )?(gi|nhung gi|viec gi|nhung viec|nhiem vu gi)\b"
)
_TASKS = re.compile(
    r"\b(nhiem vu|lam gi|can lam|phai lam|lam nhung gi|trach nhiem|vai tro|cong viec|phan cong|"
    r"duoc giao (gi|nhung)|giao (gi|nhung gi)|nhung viec|viec gi|hoat dong gi|noi dung gi|"
    r"chu tri (nhung|cac|gi|viec)|phoi hop (nhung|cac|gi|viec))\b"
)
# "những bệnh lây qua đường tiêu hóa nào": the noun phrase between the plural marker and "nào"
# may run long (a kind and what qualifies it), up to eight words; "Những mục tiêu cụ thể … là
# gì?": a question opening on a plural noun phrase asks for its members
_LIST = re.compile(
    r"^(nhung|cac) .*\bla (nhung )?gi\s*\??$|"
    r"\b(nhung( ,?[a-z0-9]+,?){0,8} (gi|nao)|nhung (hinh thuc|noi dung|hoat dong|nhiem vu|giai phap|kenh)|"
    r"cac .{1,40}\bnao\b|cac( [a-z0-9]+){1,3} gi|"
    r"liet ke|gom (nhung )?gi|bao gom|ke ten|nhung ai|nao khac|hinh thuc nao)\b"
)


# Vietnamese puts the subject before its verb: a who-word that opens the question (after a frame
# such as "Ở Cần Thơ," or "Theo kế hoạch 157,") and is followed by a verb ("ai tham mưu …", "đơn vị
# nào chia sẻ kinh nghiệm … để nâng tỷ lệ …") asks the agent of the task; a value word further on
# ("tỷ lệ", "hằng năm") is the task's object or frequency. A value interrogative still asks the value
# ("ai … khi nào", "đơn vị nào … bao nhiêu"), and "ai là …" asks a person's role
_AGENT_ASK = re.compile(
    r"^\s*(?:[^,]{0,80},\s*)?(?:ai|(?:don vi|co quan|"
    + _NOT_DEPT
    + r"so|nganh|luc luong|bo phan) nao)\s+(?!la\b)[a-z]"
)
_VALUE_ASK = re.compile(
    r"\b(bao nhieu|khi nao|bao gio|luc nao|o dau|tai dau|"
    r"(thoi gian|thoi han|thoi diem|ngay|thang|nam|quy|dip|muc|so luong|ty le) (nao|bao nhieu|la gi))\b"
)


def asks_agent(f: str) -> bool:
    """Does the folded question ask who does a task, its who-word the subject of the first verb?"""
    return bool(_AGENT_ASK.search(f)) and not _VALUE_ASK.search(f)


def _fact_kind(f: str) -> str | None:
    loose_sign = (
        re.search(r"\bky\b", NOT_SIGN.sub(" ", f))
        and re.search(rf"\b{PERSON_ASK}\b", f)
        and not _LEAD.search(f)
    )  # "ai chủ trì … ký kết …" asks who leads
    if SIGNER.search(NOT_SIGN.sub(" ", f)) or loose_sign:
        return "signer"
    if SENT_TO_REPORT.search(f) or (
        RECIPIENT.search(f)
        and not re.search(r"\b(bao cao|de xuat|ho so|danh sach|du toan|ket qua|tai lieu|y kien)\b", f)
    ):
        return "recipient"  # "báo cáo gửi về đâu" asks where a report goes: a task, not the card
    if SUPERSEDE_ASK.search(f):
        return "refnum"  # the document the plan supersedes, not the plan's own number
    if DOCNUM.search(f) and (
        re.search(r"\b(so hieu|so ky hieu|mang so)\b", f)
        # "X đề nghị … bằng văn bản số mấy": the proposal the preamble cites ("Xét đề nghị của X
        # tại Văn bản số N"), not the plan's own number
        or not re.search(r"\b(thuc hien|trien khai|can cu|kem theo|theo|de nghi)\b", f)
    ):
        return "doc_number"  # the plan's own number, not one it implements or cites
    if DOCNUM.search(f):
        return "refnum"
    if (
        ISSUER.search(f)
        and re.search(r"\b(ke hoach|quyet dinh|van ban)\b", f)
        and not re.search(r"\btham muu\b", f)
        and not _SOURCE.search(f)  # "lập theo đề nghị của cơ quan nào": who asked, not who issued
    ):
        return "issuer"
    if _SLOGAN.search(f):
        return "slogan"
    if _SOURCE.search(f):
        return "source"
    if _DURATION.search(f):
        return "duration"
    if (
        _PLACE.search(_PROVISION_ASK.sub(" ", f))
        and not re.search(r"\b(khi nao|ngay nao|bao gio|thoi gian)\b", f)
        and not _DESTINATION.search(f)  # "báo cáo … phải gửi đến đâu": the office receiving it
    ):
        return "place"
    when = _NOT_WHEN.sub(" ", f)
    if _DATE.search(when) or _DEADLINE.search(when):
        # "ký" the signing, not "kỹ thuật", "định kỳ" (``NOT_SIGN``)
        signed = NOT_SIGN.sub(" ", f)
        # "phải ban hành … chậm nhất": a deadline the plan sets for its addressees' documents
        issue = re.search(r"\b(ban hanh|ky)\b", signed) and not re.search(
            r"\b(bao cao|thuc hien|hoan thanh|gui|(phai|can) ban hanh|cham nhat)\b", f
        )
        # "Kế hoạch thực hiện Nghị quyết 48 … ban hành ngày nào?": the issuing verb right before
        # the time asked is the plan's issue; "thực hiện" then belongs to its trích yếu
        made = _MADE_WHEN.search(f) and not _MADE_PAPER.search(f)
        return "date" if issue or made or _ISSUED_WHEN.search(signed) else "deadline"
    if _BUDGET.search(f):
        return "budget"
    if _TARGET.search(f):
        return "target"
    if _NUMBER.search(f):
        return "number"
    return None


# "các xã nào", "những công ty nào", "gồm những đơn vị nào": the plural marker before "nào/gì"
# asks for every member, not one (Vietnamese marks plurality with "các/những"; "gồm" introduces
# the members of a group)
_PLURAL_ASK = re.compile(r"\b(cac|nhung) [a-z]+( [a-z]+){0,2} (nao|gi)\b")
_MEMBERS = re.compile(
    r"\bgom (co )?(cac|nhung) [a-z]+( [a-z]+){0,2} (nao|gi)\b|\b(gom|bao gom|gom co) (cac |nhung )?ai\b|"
    r"\bla (cac|nhung) ai\b"
)
# "đặt chỉ tiêu gì trong lĩnh vực y tế": a plan's targets are grouped under a heading per field;
# the targets of one field are asked, not one figure
# "những nguồn thu lớn nào", "các khoản chi nào": Vietnamese asks several things of a kind with the
# plural marker, the noun and "nào"; one amount is asked "bao nhiêu". When that noun is no money
# word of its own, "ngân sách" or "kinh phí" elsewhere in the question is only the topic of the items
_PLURAL_NOUN = re.compile(r"\b(?:nhung|cac) ((?:[a-z0-9]+ ){1,4})nao\b")


def _plural_items(f: str) -> bool:
    m = _PLURAL_NOUN.search(f)
    if m is None:
        return False
    return not _BUDGET.search(m.group(1)) and not re.search(r"\b(bao nhieu|may)\b", f)


_TARGETS_ASK = re.compile(r"\b(chi tieu|muc tieu) (gi|nao)\b(?!.*\b(bao nhieu|may)\b)")
# "Nhiệm vụ hỗ trợ … cho doanh nghiệp thực hiện năm nào?": a task named by its wording and its
# time asked; a plan's task table gives each task its time cell ("Thời gian thực hiện"), and the
# units in the task's wording are whom it serves, not whose tasks are asked
_TASK_TIME = re.compile(
    r"\b(nhiem vu|cong viec)\b(?!\s+(gi|nao|cua)\b).*\b(khi nao|bao gio|(nam|thang|quy|ngay|giai doan) nao)\b"
)
_UNIT_ABOUT = re.compile(r"\b(gop phan|gop suc|dong gop|ky vong|chuan bi|the nao|ra sao|lam sao|o dau)\b")
_SOURCE_FACT = re.compile(r"\b(theo de nghi cua|can cu (vao )?(van ban|ke hoach|nghi quyet|ket luan) nao)\b")
# the means an activity is given (vehicles, equipment), asked with "gì/nào"
_MEANS = re.compile(r"\b(phuong tien|trang thiet bi|thiet bi|vat tu|xe)\s+(gi|nao)\b")
_PLACE_FACT = re.compile(r"\b(xa nao|huyen nao|o dau|tai dau|dia diem nao)\b")


# "Phần tổ chức thực hiện giao nhiệm vụ cho những đơn vị nào", "phân công những sở, ngành nào tổ
# chức thực hiện": the plural ("những/các") asks every unit the plan assigns work to — a Decree
# 30/2020 plan gives one item per unit in its "Tổ chức thực hiện" part ("1. Sở Xây dựng: …") —
# not the one unit that leads a task. The assignment is asked alone (no task named after it:
# "những đơn vị nào được giao nhiệm vụ tuyên truyền" asks the units of that task)
_UNITS_ASK = re.compile(
    r"\b(nhung|cac) (don vi|co quan|so|nganh|dia phuong|so,? (ban,? )?nganh|co quan,? don vi)"
    r"(,? [a-z]+){0,2} nao\b"
    # "phần tổ chức thực hiện giao nhiệm vụ cho những ai": the addressees of the part's items
    r"|\bcho nhung ai\b"
)
_ASSIGN_ALONE = re.compile(
    r"\b(giao|phan cong)( (nhiem vu|viec|thuc hien))?( cho (nhung|cac) [a-z ,]+ nao)?\s*(trong|cua|theo|o|\?|$)"
)
_ORGANISATION_PART = re.compile(r"\bto chuc thuc hien\b")


def asks_tasks(folded: str) -> bool:
    """Whether the question asks what a unit does ("nhiệm vụ gì", "làm gì", "góp phần gì")."""
    return bool(_TASKS.search(folded) or _UNIT_ABOUT.search(folded))


def asks_assigned_units(folded: str) -> bool:
    """Whether the question asks for every unit the plan assigns work to (``_UNITS_ASK``)."""
    return (
        bool(_UNITS_ASK.search(folded))
        and bool(_ORGANISATION_PART.search(folded) or _ASSIGN_ALONE.search(folded))
        and not re.search(r"\b(chu tri|phoi hop)\b", folded)
    )


# facts that are a value, not a unit: "do ai" before them asks the value ("trước ngày nào, do ai …")
_VALUE_FACTS = frozenset(
    ("date", "deadline", "number", "target", "budget", "slogan", "duration", "place", "source")
)
# "ai là Trưởng đoàn", "Thư ký đoàn kiểm tra là ai", "ông nào làm Phó Trưởng đoàn"
_ASK_PERSON = re.compile(r"\b(ai|la ai|nguoi nao|ong nao|ba nao|ho ten|ten (la )?gi|ten nguoi)\b")
_TEAM_ROLE = re.compile(r"\b(" + "|".join(r.value for r in TeamRole) + r")\b")


def team_role_of(folded: str) -> TeamRole | None:
    """The team role a "who is" question asks for, or None. A question about what the holder
    does ("Phó Trưởng đoàn phụ trách việc gì") asks for tasks, not for the person."""
    m = _TEAM_ROLE.search(folded)
    if not m or not _ASK_PERSON.search(folded) or _TASKS.search(folded):
        return None
    return TeamRole(m.group(1))


# "các sở gửi đề xuất về đâu", "vướng mắc phản ánh về cơ quan nào": the office that receives a
# proposal or report (plans write "đề xuất gửi Sở Xây dựng tổng hợp", "phản ánh về Sở …"); the
# units the question names are the senders, whose own tasks are not asked; "báo cáo … thông qua cơ
# quan nào": a reporting line through an office ("báo cáo UBND Thành phố … thông qua Sở Khoa học
# và Công nghệ"), the office that collects the reports
_DESTINATION = re.compile(
    r"\b(gui|de xuat|bao cao|phan anh|kien nghi)\b.*\b(ve|len|toi|den|cho|thong qua) "
    r"(ai|dau|noi nao|co quan nao|don vi nao)\b"
    # "phát hiện ca bệnh thì phải báo cho ai": "báo" (notify) with its direction is the short
    # form of "báo cáo về" (plans write "báo cáo ngay về Trung tâm … và Sở Y tế"); only right
    # before the direction, so "bảo vệ", "bảo đảm" (folded alike) never count
    r"|\bbao (ngay |kip thoi |lai )?(ve|len|toi|den|cho) (ai|dau|noi nao|co quan nao|don vi nao)\b"
)


def asks_destination(folded: str) -> bool:
    """Whether the question asks where a proposal or report is sent (``_DESTINATION``); "kế
    hoạch được gửi tới cơ quan nào" asks the plan's own recipients (the header card) instead."""
    return bool(_DESTINATION.search(folded)) and _fact_kind(folded) is None


def _intent(f: str, units: list[str], several: bool) -> tuple[str, str | None, str | None]:  # noqa: C901
    """(intent, fact kind, unit role) from the folded question (places and numbers blanked out)."""
    if team_role_of(f) is not None and not several:
        return "fact", "member", None
    fact = _fact_kind(f)
    if not several and asks_destination(f):
        return "fact", None, None
    if fact == "recipient" and not several and RECIPIENT_LIST.search(f):
        # "Theo nơi nhận …, Văn phòng Sở nhận kế hoạch để làm gì?": the question names the plan's
        # "Nơi nhận:" / "Kính gửi:" list, whose lines write why each recipient gets the document
        # ("Văn phòng Sở (bố trí kinh phí …)", "(để báo cáo)"; Decree 30/2020, Appendix I): the
        # header card answers, not the unit's tasks in the body
        return "fact", fact, None
    # "từ số thứ tự nào đến số nào": "số" (a number) folds like "sở" (a department)
    who = bool(_WHO.search(_ORDINAL.sub(" ", f)))
    if not several and _PARTNER_ASKED.search(f) and not _PARTNER_TASKS.search(f):
        # "Nhiệm vụ X do các Sở chủ trì, vậy đơn vị nào phối hợp?": a plan gives each task its
        # "Đơn vị chủ trì: …" and "Đơn vị phối hợp: …" (or the columns of its annex table); the
        # unit named is the task's lead, given to say which task, and its partners are asked
        return "partner_unit", None, None
    if (
        units
        and (_TASKS.search(f) or _UNIT_ABOUT.search(f))
        and not (who and not re.search(r"\b(cua|chu tri|phoi hop) .*\b(gi|nhung|nao)\b", f))
        and not (fact in ("deadline", "date") and _TASK_TIME.search(f))
    ):
        role = (
            "lead" if re.search(r"\bchu tri\b", f) else "partner" if re.search(r"\bphoi hop\b", f) else None
        )
        return "unit_tasks", None, role
    if several or _COMPARE.search(f):
        return "compare", fact, None
    if asks_assigned_units(f):
        return "list", None, None
    if fact in ("signer", "doc_number", "issuer", "recipient"):
        return "fact", fact, None
    if _SOURCE_FACT.search(f) and not _PLURAL_ASK.search(f):
        return "fact", fact, None
    if _MEMBERS.search(f) and not _LEAD.search(f) and not _PARTNER.search(f):
        return "list", None, None  # "gồm những đơn vị nào": the group's members
    if _MEANS.search(f):
        # "đi bằng phương tiện gì, do ai bố trí": the thing provided is asked; who provides it is
        # written in the same sentence ("Xe ô tô 7 chỗ do Văn phòng Sở bố trí")
        return "fact", fact, None
    if who or re.search(r"\bdo (ai|don vi nao|co quan nao|so nao)\b", f):
        if _PARTNER.search(f) and not re.search(r"\bchu tri\b", f):
            return "partner_unit", None, None
        # "khi nào", "bao nhiêu" ask a value of their own; "thông điệp", "kinh phí", "mục tiêu" are
        # only the topic of a task when a unit is asked ("Cơ quan nào đăng thông điệp …?",
        # "Sở nào bố trí kinh phí?"): the unit is the answer
        topic_only = fact in ("slogan", "budget", "target") and _WHO_UNIT.search(f)
        if fact in _VALUE_FACTS and not (_LEAD.search(f) or topic_only or asks_agent(f)):
            return "fact", fact, None
        return "lead_unit", None, None
    if (
        _LEAD.search(f)
        and re.search(r"\b(nao|gi)\b", f)
        and re.search(r"\b(don vi|co quan|so|nganh|ban|phong)\s+(nao\s+)?(chu tri|phu trach)\b", f)
    ):
        return "lead_unit", None, None
    if _PARTNER.search(f) and re.search(r"\b(don vi|co quan)\s+phoi hop\b", f):
        return "partner_unit", None, None
    if fact == "budget" and _plural_items(f):
        return "list", None, None  # "thu ngân sách … bám sát những nguồn thu lớn nào": the sources
    if re.search(r"\b(liet ke|ke ten|ke ra)\b", f) or (
        fact == "target" and (_LIST.search(f) or _TARGETS_ASK.search(f))
    ):
        return "list", None, None  # "liệt kê / những chỉ tiêu nào": every target, not one fact
    if _SOURCE_FACT.search(f) or (_PLACE_FACT.search(f) and _PLURAL_ASK.search(f)):
        return "list", None, None  # "theo đề nghị của những công ty nào", "các xã nào": every one
    if fact or _PLACE_FACT.search(f):
        return "fact", fact, None
    if _LIST.search(f):
        return "list", None, None
    if units:
        return "unit_tasks", None, None
    if asks_tasks(f) and re.match(r"\s*(cac|nhung) ", f):
        # "Các cơ sở sản xuất giống … phải làm gì": a party that is no state body (facilities,
        # firms, households) heads its item of "Tổ chức thực hiện" as a unit does; its tasks are
        # the items under that heading
        return "list", None, None
    return "other", None, None


def fact_kind(folded: str) -> FactKind | None:
    kind = _fact_kind(folded)
    return FactKind(kind) if kind else None


def intent_of(folded: str, units: list[str], several: bool) -> tuple[Intent, FactKind | None, Role | None]:
    """(intent, fact kind, unit role) of a folded question, places and numbers blanked;
    ``several``: the question names two or more plan scopes."""
    intent, fact, role = _intent(folded, units, several)
    return Intent(intent), FactKind(fact) if fact else None, Role(role) if role else None
