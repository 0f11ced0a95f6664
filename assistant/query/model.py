"""The typed understanding of one question: ``Query``.

Built once per question (and per conversation turn, from the history) by
``query.parse.parse_question``; retrieval takes its filters and boosts, every
answer handler reads its intent and slots.  Nothing after the parser reads the
question text for meaning again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from assistant.vocab.documents import DocMention

__all__ = ["Intent", "FactKind", "Role", "SectionKind", "TeamRole", "Query"]


class Intent(StrEnum):
    """What the question asks for (the values are ``records.INTENTS``, the API's words)."""

    LEAD_UNIT = "lead_unit"  # who leads a task
    PARTNER_UNIT = "partner_unit"  # who coordinates
    UNIT_TASKS = "unit_tasks"  # what a unit must do
    FACT = "fact"  # a date, number, signer … of a plan or a task
    LIST = "list"  # the items of a section
    COMPARE = "compare"  # the same thing across several plans
    OTHER = "other"  # anything else: answered from the best passages


class FactKind(StrEnum):
    DATE = "date"  # the plan's issue date
    DEADLINE = "deadline"  # a task's or report's deadline
    NUMBER = "number"
    TARGET = "target"
    SIGNER = "signer"
    ISSUER = "issuer"
    RECIPIENT = "recipient"  # "Kính gửi" / "Nơi nhận": whom the document is sent to
    DOC_NUMBER = "doc_number"  # the plan's own number
    REFNUM = "refnum"  # the number of a document the plan cites
    SLOGAN = "slogan"
    BUDGET = "budget"
    DURATION = "duration"  # how long ("bao lâu", "kéo dài mấy ngày"): an amount of time, not a date
    PLACE = "place"  # where ("ở đâu", "địa điểm", "địa chỉ nào")
    SOURCE = "source"  # on whose request the plan is made ("theo đề nghị của đơn vị nào")
    MEMBER = "member"  # who holds a team role ("ai là Trưởng đoàn"): ``Query.member``
    TITLE = "title"  # what the plan is about ("về việc gì"): its trích yếu, on the header card


class TeamRole(StrEnum):
    """The roles of an inspection team or working group (Đoàn / Tổ kiểm tra), as its plan lists
    them after each member's name: "Ông Hoàng Văn Thuân - Trưởng đoàn", "Bà X - Thư ký đoàn"
    (the team set up by a Quyết định, Nghị định 217/2025/NĐ-CP on specialised inspection).
    The value is the folded role word; a longer one is matched first ("phó trưởng đoàn")."""

    DEPUTY = "pho truong doan"
    HEAD = "truong doan"
    SECRETARY = "thu ky"
    GROUP_HEAD = "to truong"
    GROUP_DEPUTY = "to pho"


class Role(StrEnum):
    LEAD = "lead"
    PARTNER = "partner"
    REQUESTED = "requested"


class SectionKind(StrEnum):
    """The plan sections a question may name: the outline Vietnamese plans share (Decree
    30/2020 leaves it free, but plans write "I. MỤC ĐÍCH, YÊU CẦU", "II. MỤC TIÊU",
    "II. NHIỆM VỤ, GIẢI PHÁP", "IV. KINH PHÍ THỰC HIỆN", "V. TỔ CHỨC THỰC HIỆN"; inspection
    plans "Đối tượng, phạm vi", "Thời gian kiểm tra"). The value is the folded heading word."""

    PURPOSE = "muc dich"  # I. MỤC ĐÍCH, YÊU CẦU
    REQUIREMENT = "yeu cau"
    TARGET = "muc tieu"  # II. MỤC TIÊU (chung / cụ thể)
    TASKS = "nhiem vu"  # II. NHIỆM VỤ, GIẢI PHÁP
    SOLUTIONS = "giai phap"
    BUDGET = "kinh phi"  # III. KINH PHÍ
    SCOPE = "pham vi"  # phạm vi (điều chỉnh / kiểm tra)
    SUBJECTS = "doi tuong"  # đối tượng (áp dụng / kiểm tra)
    TIME = "thoi gian thuc hien"  # thời gian thực hiện / thời gian kiểm tra
    ORGANISATION = "to chuc thuc hien"  # IV. TỔ CHỨC THỰC HIỆN
    # the members of a team, a delegation or a meeting: "3. Thành phần thực hiện", "Thành phần
    # Đoàn kiểm tra", "Thành phần tham dự" (monitoring, inspection and conference plans)
    COMPOSITION = "thanh phan"
    # the grounds a document is issued on, before its first part: "Căn cứ Luật …; Căn cứ Nghị định
    # …; Thực hiện Quyết định …" (the "căn cứ ban hành" of Decree 30/2020, Appendix I)
    BASIS = "can cu"
    # the reporting a plan requires of its units, under its own heading near the end: "2. Chế độ
    # báo cáo", "VI. TỔ CHỨC THEO DÕI, KIỂM TRA VÀ CHẾ ĐỘ BÁO CÁO", "Chế độ thông tin, báo cáo"
    # (Decree 09/2019 on the reporting regime of state administrative bodies names it so)
    REPORTING = "che do bao cao"


@dataclass
class Query:
    """What the question asks (intent, slots) and where (scope)."""

    text: str  # the question, NFC, trimmed
    intent: Intent = Intent.OTHER
    terms: list[str] = field(default_factory=list)  # folded key terms (filter words removed)
    folded: str = ""  # the question folded, places and numbers blanked
    # slots
    units: list[str] = field(default_factory=list)  # canonical units named in the question
    role: Role | None = None  # unit_tasks: lead/partner when the question says so
    fact: FactKind | None = None
    member: TeamRole | None = None  # the team role a "who is" question asks (fact MEMBER)
    # the section the question asks for as a whole ("Mục đích của kế hoạch X là gì?",
    # "Kinh phí lấy từ đâu?"): its text is the answer, not a sentence that names it
    section: SectionKind | None = None
    # "Các kế hoạch đã nạp?", "có bao nhiêu văn bản": the loaded plans themselves are asked
    catalogue: bool = False
    # the catalogue narrowed by issuer or subject ("những văn bản nào của Sở Công Thương", "kế
    # hoạch nào về chuyển đổi số", ``query.collection``): the plans they leave, None when neither
    catalogue_among: frozenset[str] | None = None
    # a header-card fact (signer, date, number) asked with no plan named while several are
    # loaded: answered for each plan in scope, never for one picked silently
    every_plan: bool = False
    years: list[str] = field(default_factory=list)  # years named ("năm 2024")
    doc_kind: str | None = None  # the kind of document named ("Công văn"), ``vocab.documents``
    # scope
    filters: dict[str, str] = field(default_factory=dict)  # province / district / doc (+ the user's)
    places: list[tuple[str, str]] = field(default_factory=list)  # loaded places named: (key, value)
    docs: list[str] = field(default_factory=list)  # loaded docs named by number
    numbers: list[DocMention] = field(default_factory=list)  # every document number named
    scope: list[str] = field(default_factory=list)  # plans a multi-plan question names (no filter then)
    named: frozenset[str] = frozenset()  # every loaded plan the question names: a retrieval boost
    lexical_text: str = ""  # the question with place names taken out (what BM25 reads)
    missing: str | None = None  # a plan/place named in the question that is not loaded

    @property
    def unit(self) -> str | None:
        return self.units[0] if self.units else None

    @classmethod
    def plain(cls, text: str) -> Query:
        """A question read for nothing but its words (no collection to resolve places against)."""
        return cls(text=text, lexical_text=text)
