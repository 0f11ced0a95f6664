"""Who leads and who coordinates, from the wording of a task.

Sources, strongest first:
1. explicit lists: "Đơn vị chủ trì: …" lines closing a group, a table row's columns;
2. the nearest heading that *is* a unit ("4. Công an Huyện" under "TỔ CHỨC THỰC HIỆN");
3. the sentence itself: "X có trách nhiệm / chịu trách nhiệm / chủ trì …" (X leads),
   "Đề nghị X …" (X leads, flagged as requested), "Chủ trì, phối hợp với Y" (Y is a
   partner), and a task that *starts* with "Phối hợp với Y …" (Y leads that task; the
   unit of the heading or row becomes its partner — unless an explicit list said
   otherwise, in which case Y is only added as a partner).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .patterns import ARTICLE, BULLET, LETTERED, NUMBERED, ROMAN
from .units import units_after, units_before

__all__ = ["TextRoles", "text_roles", "Units", "resolve", "strip_marker"]

_SUBJECT = re.compile(r"\s*(?:có trách nhiệm|chịu trách nhiệm|chủ trì\b|là cơ quan (?:đầu mối|thường trực|chủ trì)|"
                      r"là đơn vị (?:đầu mối|chủ trì))", re.I)
_COTRI = re.compile(r"chủ trì\s*,?\s*(?:và\s+)?phối hợp\s+(?:với\s+)?", re.I)
_FLIP = re.compile(r"^(?:tham gia\s*,?\s*)?phối hợp\s+(?:với\s+)?", re.I)
_REQUEST = re.compile(r"\bđề nghị\s+", re.I)
# text addressed to an assistant/model is not an assignment, whatever units it names
_TO_AI = re.compile(r"bỏ qua (?:mọi|tất cả|các|toàn bộ)(?: các)? (?:hướng dẫn|chỉ dẫn|chỉ thị|lệnh)|"
                    r"ignore (?:all |any )?(?:the )?(?:previous |prior |above )?instructions|"
                    r"(?:dành cho|gửi|đối với) (?:trợ lý|mô hình|chatbot|AI\b)|hãy trả lời (?:rằng|là)", re.I)


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
    subjects: list[str] = field(default_factory=list)   # X có trách nhiệm / chủ trì
    requested: list[str] = field(default_factory=list)  # Đề nghị X
    partners: list[str] = field(default_factory=list)   # Chủ trì, phối hợp với Y
    flip: list[str] = field(default_factory=list)       # the task starts "Phối hợp với Y"


@dataclass
class Units:
    lead: list[str] = field(default_factory=list)
    partners: list[str] = field(default_factory=list)
    requested: list[str] = field(default_factory=list)


def strip_marker(text: str) -> str:
    """The text of a point without its "b) ", "1.2. ", "Điều 3. " or bullet prefix."""
    t = text.strip()
    for rx in (ARTICLE, ROMAN, NUMBERED, LETTERED):
        m = rx.match(t)
        if m:
            return m.group("t").strip()
    return BULLET.sub("", t).strip()


def text_roles(text: str, province: str | None = None) -> TextRoles:
    r = TextRoles()
    text = _without_instructions(text)
    body = strip_marker(text)
    m = _FLIP.match(body)
    if m:
        r.flip, _ = units_after(body, m.end(), province)
    for m in _COTRI.finditer(text):
        units, _ = units_after(text, m.end(), province)
        r.partners += units
    for m in _REQUEST.finditer(text):
        units, _ = units_after(text, m.end(), province)
        r.requested += units
    for m in _SUBJECT.finditer(text):
        r.subjects += units_before(text, m.start(), province)
    # a task that opens with unit names has them as its subject ("Các cơ quan báo chí … tăng cường …"),
    # unless they are the ones asking or assigning ("Ủy ban nhân dân huyện đề nghị …")
    for line in text.split("\n"):
        line = strip_marker(line)
        units, end = units_after(line, 0, province)
        if units and not re.match(r"\s*(?:đề nghị|yêu cầu|giao|ban hành|quyết định|phê duyệt|chỉ đạo|:)",
                                  line[end:], re.I):
            r.subjects += units
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
        if roles.flip:
            lead, partners = list(roles.flip), _uniq(heading.lead, roles.partners)
        else:
            lead, partners = _uniq(heading.lead, roles.subjects), list(roles.partners)
        requested = _uniq(heading.requested, roles.requested)
    else:
        lead = _uniq(roles.requested, roles.subjects)
        partners = list(roles.partners)
        requested = list(roles.requested)
    partners = [u for u in partners if u not in lead]
    return Units(lead, partners, requested)
