"""Where a report goes (issue 12, class 2: the slot asked): the offices a question sends it to,
and the sentences of a plan that send to an office. Vietnamese reporting lines name the
addressee after a verb of sending and its direction ("báo cáo kết quả về Sở X", "gửi về …")."""

from __future__ import annotations

import re

from assistant.query.model import Query
from assistant.textnorm import fold

__all__ = ["SENDS_TO", "addressees"]

# a report sent to an office, as plans write it: "báo cáo (ngay) về", "gửi về", "phản ánh về"
# then the office ("Sở …", "Trung tâm …", "Ủy ban nhân dân …"); information passed on is
# written "kịp thời trao đổi với Công an …, Phòng …" (what "báo cho ai" asks as well)
SENDS_TO = re.compile(
    r"\b(bao cao|bao|gui|phan anh|chuyen|trao doi)( [a-z]+){0,2}? (ve|len|toi|den|cho|voi) (qua )?"
    r"(so|uy ban|ubnd|ban|phong|bo|trung tam|cuc|chi cuc|van phong|cong an|thanh tra|co quan)\b"
)

# an office written after the report verb's "về / gửi / lên": "về Sở Khoa học và Công nghệ trước …"
_ADDRESSEE = re.compile(
    r"\b(?:ve|gui|len|toi)\s+((?:so|uy ban nhan dan|ubnd|ban|phong|bo|cuc|van phong|cong an)\s[a-z&\s]+?)"
    r"(?=\s+(?:truoc|trong|de|cham|hang|dinh ky|khi|vao|theo)\b|\s*[,?.;]|\s*$)"
)


def addressees(query: Query) -> list[str]:
    """The offices a question sends a report to ("báo cáo kết quả về Sở X trước ngày nào"),
    folded: the units it names there, and any office phrase written after "về / gửi / lên"."""
    out = [
        fold(u)
        for u in query.units
        if re.search(rf"\b(ve|gui|len|toi|den) {re.escape(fold(u))}", query.folded)
    ]
    if re.search(r"\bbao cao\b", query.folded):
        out += [" ".join(m.group(1).split()) for m in _ADDRESSEE.finditer(query.folded)]
    return list(dict.fromkeys(out))
