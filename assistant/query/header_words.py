"""The forms a question asks a document's own header and closing parts with (folded).

The header card of a Vietnamese administrative document (Decree 30/2020/NĐ-CP, Appendix I): its
number ("Số: …"), the signature block, the addressees ("Kính gửi:") and the "Nơi nhận:" list, the
issuing body, and the closing sentence that supersedes an earlier document. ``query.rules`` reads a
question's fact kind with them; the answer layer reuses the signer and supersede forms.
"""

from __future__ import annotations

import re

__all__ = [
    "PERSON_ASK",
    "SIGNER",
    "NOT_SIGN",
    "RECIPIENT",
    "RECIPIENT_LIST",
    "SENT_TO_REPORT",
    "SUPERSEDES",
    "SUPERSEDE_ASK",
    "ISSUER",
    "DOCNUM",
]

# the person asked for by rank, as officials speak of one another: "đồng chí nào", "lãnh đạo nào",
# "ông/bà nào", "vị nào" stand for "ai" ("Văn bản … do đồng chí nào ký?")
PERSON_ASK = r"(ai|nguoi nao|dong chi nao|lanh dao nao|ong nao|ba nao|vi nao)"
SIGNER = re.compile(
    r"\b(ai ky|nguoi ky|do ai ky|ky boi|ky ten|chu ky|ky ban hanh|ky ke hoach|ky quyet dinh|ky van ban|"
    r"(dong chi|lanh dao|ong|ba|vi) nao ky)\b"
)
# "ký"/"kỳ"/"kỷ" all fold to "ky": these words are not someone signing the plan
NOT_SIGN = re.compile(
    r"\b(dinh ky|nhiem ky|thoi ky|hoc ky|ky niem|ky nang|ky thuat|ky luat|ky ket|ky hop|ky yen|ky vong|"
    r"dang ky|ky hieu|ky han|ky thi|ky dai hoi|ky so|chu ky so|moi ky|tung ky|hang ky|cac ky|"
    r"ky bao cao|ky cuoi|ky dau|thu ky|trinh ky)\b"
)
# "gửi tới cơ quan nào", "kính gửi ai", "nơi nhận": the addressees ("Kính gửi:") and the "Nơi
# nhận:" list of the header card (Decree 30/2020, Appendix I), not a sentence of the body. That
# list names its addressees by the kind of office ("- Bộ Công an;", "- Các Sở: XD, TC;", "- UBND
# các xã, phường;"), so "gửi tới những bộ nào", "gửi các sở, ngành nào" ask it too; an addressee may
# carry its tier before "nào" ("những cơ quan trung ương nào"): the list runs from the central
# bodies ("Văn phòng Chính phủ (để b/c)") down to the local ones
_ADDRESSEE = (
    r"(ai|noi nao|cap nao|(co quan|don vi)( [a-z]+){0,3} nao|"
    r"(bo|so|nganh|bo,? nganh|so,? (ban,? )?nganh|co quan,? don vi) nao)"
)
RECIPIENT = re.compile(
    r"\b(kinh gui|noi nhan|(duoc |de )?gui (toi|den|cho|ve)? ?(" + _ADDRESSEE + r"|"
    r"(nhung|cac) (" + _ADDRESSEE + r"|dau)|dau|noi nao))\b"
)
# the recipient list named as such: "theo nơi nhận", "phần kính gửi"
RECIPIENT_LIST = re.compile(r"\b(noi nhan|kinh gui)\b")
# "được gửi (để) báo cáo những cơ quan nào": the plan itself is sent to them "để báo cáo" — the
# "(b/c)" marks of its "Nơi nhận:" list (Decree 30/2020, Appendix I) — not a report it asks for
SENT_TO_REPORT = re.compile(r"\bgui (de )?bao cao (cho |toi |den |len )?(nhung |cac )?" + _ADDRESSEE + r"\b")
# A document that supersedes another says so in its closing words: "Kế hoạch này thay thế Kế hoạch
# số 371/KH-UBND …", "… và bãi bỏ Quyết định số …", "Quyết định số … hết hiệu lực" (Decree
# 30/2020/NĐ-CP; Luật Ban hành văn bản quy phạm pháp luật on replacing and repealing). A question
# asks it by any of those verbs, or as the old document "no longer applied": "thay thế văn bản
# nào", "văn bản cũ nào không còn áp dụng", "bãi bỏ kế hoạch nào", "kế hoạch nào hết hiệu lực".
# The document replaced is asked, by its number — not the budget or targets its title words name
SUPERSEDES = re.compile(r"\b(thay the|bai bo|het hieu luc)\b")
_DOC_NOUN = r"(van ban|ke hoach|quyet dinh|cong van|chi thi|thong bao|kh)"
_REPEALED = r"(thay the|bai bo|het hieu luc|khong con (hieu luc|ap dung|gia tri|duoc ap dung|dung))"
SUPERSEDE_ASK = re.compile(
    rf"\bthay (the|cho) (cho )?({_DOC_NOUN}( so)? )?(nao|gi|so (may|nao))\b|"
    rf"\b{_DOC_NOUN}( cu)?( so)? (nao|gi) (da |se |bi |duoc )?{_REPEALED}|"
    rf"\b(bai bo|lam het hieu luc) ({_DOC_NOUN}( cu)?( so)? )?(nao|gi)\b"
)
ISSUER = re.compile(
    r"\b(co quan nao|ai|don vi nao|cap nao)\b.*\bban hanh\b|\bban hanh boi\b|\bcua co quan nao\b"
)
# the numbered parts and items of a plan (its tasks, sections, appendices, packages, rounds)
_ITEM_NOUNS = (
    "tong",
    "nhiem vu",
    "muc",
    "phu luc",
    "dieu",
    "khoan",
    "diem",
    "chi tieu",
    "goi thau",
    "dot",
    "mau",
)
DOCNUM = re.compile(
    r"\b(so hieu|so ky hieu|so van ban|(ke hoach|quyet dinh|van ban) (co )?so (may|bao nhieu|gi)|mang so|"
    # "gửi văn bản đề nghị huấn luyện số mấy": the document's number asked after what it is for
    r"van ban de nghi( [a-z]+){0,3} so (may|bao nhieu|gi))\b"
    # "Kế hoạch huấn luyện người quản lý VLNCN số mấy?": a document named by its kind and trích yếu,
    # then "số mấy" closing the question, asks its "Số: …" line (Nghị định 30/2020/NĐ-CP, Phụ lục I);
    # "tổng số bao nhiêu" counts; "nhiệm vụ số mấy", "mục số mấy", "gói thầu số mấy" ask an item's number
    r"|^(ke hoach|kh|quyet dinh|van ban|cong van|chi thi|thong bao)\b[^?]{0,100}?"
    + "".join(rf"(?<!\b{w} )" for w in _ITEM_NOUNS)
    + r"\bso (may|bao nhieu|gi)\s*\??$"
)
