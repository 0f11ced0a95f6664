"""Who leads and who coordinates, from the wording of a task.

Sources, strongest first:
1. explicit lists: "Đơn vị chủ trì: …" lines closing a group, a table row's columns;
2. the nearest heading that *is* a unit ("4. Công an Huyện" under "TỔ CHỨC THỰC HIỆN"), or the
   unit a bullet / point opens with ("- Sở Y tế: …", see ``opening_units``);
3. the sentence itself: "X có trách nhiệm / chịu trách nhiệm / chủ trì …" (X leads),
   "Đề nghị X …" (X leads, flagged as requested), "Chủ trì, phối hợp với Y" (Y is a
   partner), and a task that *starts* with "Phối hợp với Y …": Y is a partner, and the unit
   of the heading, bullet or row the task is written under stays its lead (issue 12: a
   passage's units come from its own structure; under "1. Sở Y tế" every line is a task the
   plan gives Sở Y tế, "Phối hợp với Sở Tư pháp …" included — Sở Tư pháp is not its lead).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .patterns import ARTICLE, BULLET, LETTERED, NUMBERED, ROMAN
from .units import units_after, units_before

__all__ = ["TextRoles", "text_roles", "Units", "resolve", "strip_marker", "opening_units", "Opening"]

# role phrases are matched with \s+ between words: pages cut them by line breaks and double spaces
_SUBJECT = re.compile(
    r"\s*(?:có\s+trách\s+nhiệm|chịu\s+trách\s+nhiệm|chủ\s+trì\b|"
    r"là\s+cơ\s+quan\s+(?:đầu\s+mối|thường\s+trực|chủ\s+trì)|là\s+đơn\s+vị\s+(?:đầu\s+mối|chủ\s+trì))",
    re.I,
)
# "chủ trì, phối hợp (với) Y", "X phối hợp với Y": Y is a partner wherever the phrase stands
_COTRI = re.compile(r"\bphối\s+hợp\s*:?\s+(?:với\s+)?", re.I)
# "X chủ trì; Y phối hợp." — Y, written before a "phối hợp" that introduces nobody, is a partner
_POST_PARTNER = re.compile(
    r"\bphối\s+hợp\b(?!\s+với)(?=\s*(?:[.;,]|$|thực\s+hiện|triển\s+khai|tổ\s+chức))", re.I | re.M
)
_FLIP = re.compile(r"^(?:tham\s+gia\s*,?\s*)?phối\s+hợp\s+(?:với\s+)?", re.I)
_REQUEST = re.compile(r"\bđề\s+nghị\s+", re.I)
# "…, giao Sở Y tế thành lập đoàn kiểm tra": the assigning verb of administrative writing names the
# unit that does the task after it, also inside a sentence ("được giao" is passive: nobody follows)
_ASSIGN = re.compile(r"(?<!được )(?<!bàn )\bgiao\s+(?:cho\s+)?(?=\S)", re.I)
# a directive may open on a framing phrase before its subject: "Căn cứ Kế hoạch này, các sở, ban,
# ngành …, Ủy ban nhân dân các xã, phường nghiên cứu triển khai …", "Trên cơ sở …, Sở X …"
_FRAME = re.compile(r"\s*(?:căn\s+cứ|trên\s+cơ\s+sở|theo\s+chức\s+năng)[^,;:.\n]{0,120},\s*", re.I)
# what follows the unit that opens an assignment ("- Sở Y tế: …", "- Sở Công Thương chủ trì …",
# "- Sở NN&PTNT (cơ quan thường trực): …"): a colon or dash, or a verb of doing — never one of
# assigning or asking ("UBND tỉnh giao …", "Sở X đề nghị …"), which makes the unit the assigner
_OPENING_TAIL = re.compile(
    r"\s*(?:\([^()]{0,200}\)\s*)?(?P<sep>[:–]|-(?=\s))|\s*(?:\([^()]{0,200}\)\s*)?(?=(?:"
    r"là\s+cơ\s+quan|là\s+đơn\s+vị|(?:có|chịu)\s+trách\s+nhiệm|chủ\s+trì|phối\s+hợp|thực\s+hiện|tham\s+mưu|"
    r"tổ\s+chức|triển\s+khai|xây\s+dựng|hướng\s+dẫn|theo\s+dõi|tổng\s+hợp|đôn\s+đốc|tuyên\s+truyền|"
    r"phụ\s+trách|tiếp\s+tục|rà\s+soát|bảo\s+đảm|đảm\s+bảo|nghiên\s+cứu|cung\s+cấp|hỗ\s+trợ|tăng\s+cường|"
    r"đẩy\s+mạnh|phát\s+huy|nâng\s+cao|chủ\s+động|thường\s+xuyên|tích\s+cực|kiểm\s+tra|bố\s+trí|quản\s+lý|"
    r"vận\s+động|phổ\s+biến|căn\s+cứ\s+chức\s+năng|lập|cập\s+nhật|kịp\s+thời|sẵn\s+sàng|duy\s+trì)\b)",
    re.I,
)
# text addressed to an assistant/model is not an assignment, whatever units it names
_TO_AI = re.compile(
    r"bỏ qua (?:mọi|tất cả|các|toàn bộ)(?: các)? (?:hướng dẫn|chỉ dẫn|chỉ thị|lệnh)|"
    r"ignore (?:all |any )?(?:the )?(?:previous |prior |above )?instructions|"
    r"(?:dành cho|gửi|đối với) (?:trợ lý|mô hình|chatbot|AI\b)|hãy trả lời (?:rằng|là)",
    re.I,
)


def _without_instructions(text: str) -> str:
    """The text without instructions to an assistant: from the sentence naming it to the end of its line."""
    m = _TO_AI.search(text)
    if not m:
        return text
    start = max(text.rfind(c, 0, m.start()) for c in ".;:!?\n") + 1
    end = text.find("\n", m.end())
    return _without_instructions(text[:start] + ("" if end < 0 else text[end:]))


@dataclass
class TextRoles:
    subjects: list[str] = field(default_factory=list)  # X có trách nhiệm / chủ trì
    requested: list[str] = field(default_factory=list)  # Đề nghị X
    partners: list[str] = field(default_factory=list)  # Chủ trì, phối hợp với Y
    flip: list[str] = field(default_factory=list)  # the task starts "Phối hợp với Y"


@dataclass
class Units:
    lead: list[str] = field(default_factory=list)
    partners: list[str] = field(default_factory=list)
    requested: list[str] = field(default_factory=list)

    def absorb(self, other: Units) -> Units:
        """This one with ``other``'s units added after its own (each once); returns self."""
        self.lead = list(dict.fromkeys([*self.lead, *other.lead]))
        self.partners = list(dict.fromkeys([*self.partners, *other.partners]))
        self.requested = list(dict.fromkeys([*self.requested, *other.requested]))
        return self


def strip_marker(text: str) -> str:
    """The text of a point without its "b) ", "1.2. ", "Điều 3. " or bullet prefix."""
    t = text.strip()
    for rx in (ARTICLE, ROMAN, NUMBERED, LETTERED):
        m = rx.match(t)
        if m:
            return m.group("t").strip()
    return BULLET.sub("", t).strip()


@dataclass
class Opening:
    """A point or bullet that opens with the units it assigns ("- Sở Tài chính: tham mưu …")."""

    units: list[str]
    task_start: int  # offset in the text where the task wording begins (after a colon)
    requested: bool = False  # "- Đề nghị Ủy ban MTTQ tỉnh: …"


def opening_units(text: str, province: str | None = None) -> Opening | None:
    """The units an assignment opens with, when it reads "<units>: task" or "<units> <verb> …".

    Plans hand out tasks one unit per bullet or lettered point; the unit written first is
    the one the task is for, whatever the heading above says ("Các sở, ngành" over
    "- Sở Y tế: …").  A text whose first words are a unit followed by anything else
    ("Các cơ quan báo chí trong tỉnh …", "Sở X đề nghị …") is not one.
    """
    body = strip_marker(text)
    offset = text.find(body) if body else -1
    if offset < 0:
        return None
    req = re.match(r"đề\s+nghị\s+", body, re.I)
    start = req.end() if req else 0
    units, end = units_after(body, start, province)
    if not units or end <= start:
        return None
    m = _OPENING_TAIL.match(body, end)
    if not m:
        return None
    return Opening(units, offset + m.end() if m.group("sep") else 0, bool(req))


def text_roles(text: str, province: str | None = None) -> TextRoles:
    r = TextRoles()
    text = _without_instructions(text)
    body = strip_marker(text)
    m = _FLIP.match(body)
    if m:
        r.flip, _ = units_after(body, m.end(), province)
    for m in _COTRI.finditer(text):
        units, _ = units_after(text, m.end(), province)
        r.partners += [u for u in units if u not in r.flip]
    for m in _POST_PARTNER.finditer(text):
        r.partners += units_before(text, m.start(), province)
    for m in _REQUEST.finditer(text):
        units, _ = units_after(text, m.end(), province)
        r.requested += units
    for m in _SUBJECT.finditer(text):
        r.subjects += units_before(text, m.start(), province)
    for m in _ASSIGN.finditer(text):
        units, end = units_after(text, m.end(), province)
        if units and end > m.end():
            r.subjects += units
    # a task that opens with unit names has them as its subject ("Các cơ quan báo chí … tăng cường …"),
    # unless they are the ones asking or assigning ("Ủy ban nhân dân huyện đề nghị …") or only
    # coordinating ("Sở Nội vụ phối hợp.")
    for line in text.split("\n"):
        line = strip_marker(line)
        frame = _FRAME.match(line)
        units, end = units_after(line, frame.end() if frame else 0, province)
        if (
            units
            and not re.match(
                r"\s*(?:đề\s+nghị|yêu\s+cầu|giao|ban\s+hành|quyết\s+định|phê\s+duyệt|chỉ\s+đạo|:)",
                line[end:],
                re.I,
            )
            and not _POST_PARTNER.match(line[end:].lstrip())
        ):
            r.subjects += units
    r.partners = [u for u in r.partners if u not in r.subjects]
    for name in ("subjects", "requested", "partners", "flip"):
        setattr(r, name, list(dict.fromkeys(getattr(r, name))))
    return r


def _uniq(*lists) -> list[str]:
    return list(dict.fromkeys(u for lst in lists for u in lst))


def resolve(explicit: Units | None, heading: Units | None, roles: TextRoles) -> Units:
    """Combine the three sources for one passage (see module docstring)."""
    if explicit and (explicit.lead or explicit.partners):
        lead = list(explicit.lead)
        partners = _uniq(explicit.partners, roles.partners, roles.flip)
        requested = _uniq(explicit.requested, [u for u in roles.requested if u in lead])
    elif heading and heading.lead:
        # the heading's (or opening bullet's) unit is the one the task is given to, also when
        # the task reads "Phối hợp với Y …": Y coordinates with it
        lead = _uniq(heading.lead, roles.subjects)
        partners = _uniq(roles.flip, roles.partners)
        requested = _uniq(heading.requested, roles.requested)
    else:
        lead = _uniq(roles.requested, roles.subjects)
        partners = _uniq(roles.partners, roles.flip)
        requested = list(roles.requested)
    partners = [u for u in partners if u not in lead]
    return Units(lead, partners, requested)
