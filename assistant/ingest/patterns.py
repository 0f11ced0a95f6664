"""Line shapes of Vietnamese administrative documents, shared by clean/metadata/structure.

Everything here looks at one block's display text; nothing is keyed to a particular
plan.  Patterns follow Nghị định 30/2020/NĐ-CP conventions (header, "Số:", place and
date line, document type, "Nơi nhận", signature with TM./KT./Q./TL.).
"""

from __future__ import annotations

import re

from ..textnorm import fold

__all__ = [
    "ROMAN",
    "NUMBERED",
    "LETTERED",
    "ARTICLE",
    "BULLET",
    "UNIT_LINE",
    "SUPERSCRIPT_MARK",
    "FOOTNOTE_DEF",
    "is_motto",
    "is_separator",
    "is_issuer_line",
    "is_number_line",
    "DATE_LINE",
    "doc_type_of",
    "DOC_TYPES",
    "is_authority",
    "is_position",
    "is_person_name",
    "is_recipients_head",
    "is_upper",
    "roman_value",
    "is_structural",
    "is_closing_paragraph",
    "is_enacting",
    "ends_sentence",
    "is_enacting_authority",
    "doc_type_from_number",
    "is_pipe_only",
    "CENTRAL_CITIES",
    "is_signed_mark",
    "is_signature_line",
    "is_table_rule",
]

# thành phố trực thuộc trung ương: called "thành phố", never "tỉnh" (Huế joined them in 2025)
CENTRAL_CITIES = frozenset({"Hà Nội", "Hồ Chí Minh", "Hải Phòng", "Đà Nẵng", "Cần Thơ"})

ROMAN = re.compile(r"^(?:PHẦN\s+)?(?P<m>[IVXL]{1,6})\s*[.)]\s*(?P<t>\S.*)$")
# "1." "1.2." "2.3)" — and "1.2 Text" without the final dot; a bare "3 ngành" is not a heading
NUMBERED = re.compile(
    r"^(?P<m>\d{1,2}(?:\.\d{1,2}){0,3})(?P<p>[.)]|(?<=\.\d)|(?<=\.\d\d))\s*(?P<t>[^\W\d].*)$"
)
# "a) …" is the form of the regulation on administrative documents; many plans write "a. Thời gian …":
# a lone letter, a full stop and a capitalised word is a point too (no Vietnamese sentence opens so)
LETTERED = re.compile(r"^(?P<m>[a-zđ])(?:\s?\)|\.(?=\s+[A-ZĐÀ-Ỹ]))\s*(?P<t>\S.*)$")
ARTICLE = re.compile(r"^Điều\s+(?P<m>\d{1,3})\s*[.:]\s*(?P<t>.*)$")
BULLET = re.compile(r"^[-+•*–—]\s*(?=\S)")
# "Đơn vị chủ trì: …", "- Cơ quan phối hợp: …", "Chủ trì: …", "Đơn vị chủ trì tham mưu thực hiện: …"
# (a unit that advises the People's Committee on a task is written "chủ trì tham mưu")
UNIT_LINE = re.compile(
    r"^[-+•*–]?\s*(?:(?:đơn vị|cơ quan|bộ phận)\s+)?(?P<role>chủ trì(?:,?\s+(?:tham mưu|thực hiện)){0,2}|thực hiện|"
    r"phối hợp(?: thực hiện)?|tham mưu(?: thực hiện)?|đầu mối|chịu trách nhiệm)(?:\s*\([^)]*\))?\s*:\s*(?P<units>.+)$",
    re.I,
)
SUPERSCRIPT_MARK = re.compile(r"⁽?[⁰¹²³⁴⁵⁶⁷⁸⁹]+⁾?")
FOOTNOTE_DEF = re.compile(r"^(?P<m>⁽?[⁰¹²³⁴⁵⁶⁷⁸⁹]+⁾?)\s*(?=\S)")
DATE_LINE = re.compile(
    r"^(?P<place>[^\W\d][^,\n]{0,40}),\s*ngày\s*(?P<d>\d{1,2})?\s*(?:tháng|/)\s*(?P<m>\d{1,2})?\s*(?:năm|/)\s*(?P<y>\d{4})\s*\.?$",
    re.I,
)
DOC_TYPES = (
    "KẾ HOẠCH",
    "QUYẾT ĐỊNH",
    "PHỤ LỤC",
    "CHƯƠNG TRÌNH",
    "HƯỚNG DẪN",
    "ĐỀ ÁN",
    "CHỈ THỊ",
    "THÔNG BÁO",
    "BÁO CÁO",
    "NGHỊ QUYẾT",
    "CÔNG VĂN",
    "KẾ HOẠCH LIÊN TỊCH",
    "QUY CHẾ",
    "QUY ĐỊNH",
)
# type codes of document numbers (Nghị định 30/2020/NĐ-CP, Phụ lục III): "183/KH-UBND" is a Kế hoạch
_TYPE_CODES = {
    "KH": "Kế hoạch",
    "QĐ": "Quyết định",
    "CT": "Chỉ thị",
    "NQ": "Nghị quyết",
    "TB": "Thông báo",
    "BC": "Báo cáo",
    "HD": "Hướng dẫn",
    "CTR": "Chương trình",
    "ĐA": "Đề án",
    "TTR": "Tờ trình",
    "KL": "Kết luận",
    "QC": "Quy chế",
    "QYĐ": "Quy định",
    "KHLT": "Kế hoạch liên tịch",
}
_POSITIONS = (
    "CHỦ TỊCH",
    "PHÓ CHỦ TỊCH",
    "GIÁM ĐỐC",
    "PHÓ GIÁM ĐỐC",
    "TRƯỞNG BAN",
    "PHÓ TRƯỞNG BAN",
    "CHÁNH VĂN PHÒNG",
    "PHÓ CHÁNH VĂN PHÒNG",
    "TRƯỞNG PHÒNG",
    "PHÓ TRƯỞNG PHÒNG",
    "BÍ THƯ",
    "PHÓ BÍ THƯ",
    "THỦ TRƯỞNG",
    "ỦY VIÊN",
    "TỔNG GIÁM ĐỐC",
    "CHỦ NHIỆM",
    # the head of a team (đoàn kiểm tra, tổ công tác) signs "T/M. ĐOÀN KIỂM TRA" / "TRƯỞNG ĐOÀN"
    "TRƯỞNG ĐOÀN",
    "PHÓ TRƯỞNG ĐOÀN",
    "TỔ TRƯỞNG",
    # a ministry's department signs "TUQ. BỘ TRƯỞNG" / "CỤC TRƯỞNG …"; an inspectorate "CHÁNH THANH TRA"
    "BỘ TRƯỞNG",
    "THỨ TRƯỞNG",
    "CỤC TRƯỞNG",
    "PHÓ CỤC TRƯỞNG",
    "CHI CỤC TRƯỞNG",
    "PHÓ CHI CỤC TRƯỞNG",
    "CHÁNH THANH TRA",
    "PHÓ CHÁNH THANH TRA",
)
# a name word is capitalised; one-letter particles ("Y" in Ê Đê names) and apostrophes (H'Hen) occur
_NAME_WORD = re.compile(r"^[A-ZĐÀ-Ỹ](?:'?[a-zđà-ỹ]+)?$")


def is_upper(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) >= 0.85 * len(letters)


def is_separator(text: str) -> bool:
    return bool(re.fullmatch(r"[-_=~*.·—–\s]{3,}", text))


def is_pipe_only(text: str) -> bool:
    """A lone "|" left between header table cells by a web page."""
    return bool(re.fullmatch(r"[|\s]+", text))


def is_motto(text: str) -> bool:
    """The national name or motto; any dash (or none, when a PDF lost it) between the three words."""
    if len(text) > 80:
        return False  # a sentence may name the Republic; the motto line stands alone
    f = fold(text)
    return (
        re.search(r"cong hoa\s*xa\s*hoi\s*chu nghia\s*viet nam", f) is not None
        or re.search(r"doc lap\W*tu do\W*hanh phuc", f) is not None
    )


def is_issuer_line(text: str) -> bool:
    """An upper-case issuing-body line of the header ("ỦY BAN NHÂN DÂN", "TỈNH ĐỒNG NAI")."""
    if not is_upper(text) or len(text) > 90:
        return False
    f = fold(text)
    if re.fullmatch(r"uy(?: ban(?: nhan)?)?", f.strip()):
        return True  # "ỦY" / "BAN NHÂN DÂN": the issuer's name wrapped by a narrow header cell
    return bool(
        re.match(
            r"(uy ban nhan dan|ubnd|hoi dong nhan dan|so |bo |ban |phong |cong an|van phong|"
            r"tinh uy|huyen uy|thanh uy|tinh |huyen |thanh pho |thi xa |xa |phuong |"
            r"chu tich uy ban nhan dan|"
            # an ad-hoc body formed by a decision prints its name and that decision under its parent:
            # "SỞ CÔNG THƯƠNG / ĐOÀN KIỂM TRA / THEO QUYẾT ĐỊNH / SỐ 1050/QĐ-SCT"
            r"doan |to |hoi dong |theo quyet dinh|"
            # a ministry's or department's own office under it (Nghị định 30/2020/NĐ-CP, Phụ lục I: the
            # "cơ quan chủ quản" over the issuing body): "BỘ CÔNG THƯƠNG / CỤC HÓA CHẤT", "SỞ Y TẾ /
            # CHI CỤC AN TOÀN VỆ SINH THỰC PHẨM", "THANH TRA TỈNH"
            # (not "CỤC TRƯỞNG", "THANH TRA VIÊN": the signer's position)
            r"(?:chi |tong )?cuc (?!truong)|thanh tra (?!vien))",
            f,
        )
    )


def is_enacting_authority(text: str) -> bool:
    """The authority line a decision prints under its title ("ỦY BAN NHÂN DÂN TỈNH X", "CHỦ TỊCH …")."""
    if not is_upper(text) or len(text) > 90:
        return False
    return bool(
        re.match(
            r"(uy ban nhan dan|ubnd|hoi dong nhan dan|chu tich|bo truong|giam doc|truong ban)\b", fold(text)
        )
    )


def doc_type_from_number(number: str | None) -> str | None:
    """ "488/KH-UBND" → "Kế hoạch"; "62/2006/QĐ-UBND" → "Quyết định"; a number without a type code → None."""
    if not number:
        return None
    m = re.search(r"/\s*(?:\d{4}\s*/\s*)?([A-Za-zĐđ]+)\s*-", number)
    return _TYPE_CODES.get(m.group(1).upper()) if m else None


def is_number_line(text: str) -> bool:
    # "Số: 183/KH-UBND" (Nghị định 30/2020/NĐ-CP, Phụ lục I); a copy typed again may drop the colon
    # ("Số 215/HC-VLNCN"): then the number and its "/CODE" must follow, not "Số lượng", "Số 5 đường"
    return (
        bool(re.match(r"^Số\s*(?::\s*\S*|\d[\d.]*\s*/\s*(?:\d{4}\s*/\s*)?[A-ZĐ])", text)) and len(text) < 60
    )


def doc_type_of(text: str) -> tuple[str, str] | None:
    """("KẾ HOẠCH", rest) when a block opens with a document type written in capitals.

    "Phụ lục" is also accepted in normal case, as appendices often write it so.
    """
    t = text.strip()
    for dt in sorted(DOC_TYPES, key=len, reverse=True):
        if t.startswith(dt) and (len(t) == len(dt) or not t[len(dt)].isalpha()):
            rest = t[len(dt) :].strip(" :")
            if t[len(dt) :].lstrip().startswith(":") and not rest:
                return None  # "QUYẾT ĐỊNH:" is the enacting formula, not a title
            if rest and is_upper(rest) and len(rest.split()) > 25:
                return None
            return dt, rest
    m = re.match(r"^Phụ lục(?:\s+(?P<n>[IVX\d]+))?\s*[.:]?\s*(?P<rest>.*)$", t)
    if m and len(t) < 200:
        return "PHỤ LỤC", m.group("rest")
    return None


def is_enacting(text: str) -> bool:
    return bool(re.fullmatch(r"(QUYẾT ĐỊNH|QUYẾT NGHỊ|CHỈ THỊ|BAN HÀNH)\s*:", text.strip()))


def is_authority(text: str) -> bool:
    # "KT. CHỦ TỊCH", "KT.CHỦ TỊCH" and "KT CHỦ TỊCH" are all written
    return (
        bool(re.match(r"^(TM|KT|Q|TL|TUQ|T/M|K/T)(?:\.\s*|\s+)\S", text))
        and is_upper(text)
        and len(text) < 60
    )


def is_position(text: str) -> bool:
    t = re.sub(r"\s+", " ", text.strip(" .:"))
    return t in _POSITIONS or (is_upper(t) and any(t.startswith(p) for p in _POSITIONS) and len(t) < 50)


# a body in Title Case ("Sở Giáo Dục", "Văn Phòng") starts with one of these words; a surname never does
_BODY_WORDS = frozenset(
    {
        "Sở",
        "Ban",
        "Phòng",
        "Bộ",
        "Ủy",
        "Uỷ",
        "Hội",
        "Trung",
        "Đài",
        "Báo",
        "Cục",
        "Chi",
        "Trường",
        "Viện",
        "Tòa",
        "Công",
        "Các",
        "Thường",
        "Đảng",
        "Huyện",
        "Tỉnh",
        "Xã",
        "Phường",
        "Thành",
        "Mặt",
        "Liên",
        "Kho",
        "Bệnh",
        "Quỹ",
        "Văn",
        "Lưu",
        "Như",
        "Cổng",
        "Tổng",
        "Ngân",
        "Kiểm",
    }
)


def is_person_name(text: str) -> bool:
    words = text.strip().strip(".").split()
    return (
        2 <= len(words) <= 6
        and all(_NAME_WORD.match(w) for w in words)
        and sum(len(w) > 1 for w in words) >= 2
        and words[0] not in _BODY_WORDS
    )


# "(đã ký)", "[Đã ký]", "đã ký và đóng dấu", "(Ký, ghi rõ họ tên)", "(Chữ ký số)": a published copy
# prints a mark where the signature was; it is never the signer's name
_SIGNED_MARK = re.compile(
    r"[(\[]?\s*(?:da ky|ky|ky ten|ky so|da ky so|chu ky so)"
    r"(?:\s*(?:va|,)\s*dong dau)?(?:\s*,?\s*ghi ro ho(?: va)? ten)?\s*[)\]]?\s*\.?"
)


def is_signed_mark(text: str) -> bool:
    return len(text) < 40 and _SIGNED_MARK.fullmatch(fold(text).strip()) is not None


def is_signature_line(text: str) -> bool:
    """A line of the signature column: authority, position, signed mark or the signer's name."""
    t = text.strip()
    return is_authority(t) or is_position(t) or is_signed_mark(t) or is_person_name(t)


def is_table_rule(text: str) -> bool:
    """The "|---|---|" line under a markdown table header."""
    return "-" in text and bool(re.fullmatch(r"[|:\-\s]+", text.strip())) and "|" in text


def is_recipients_head(text: str) -> bool:
    return bool(re.fullmatch(r"Nơi nhận\s*:?", text.strip()))


def roman_value(s: str) -> int:
    vals = {"I": 1, "V": 5, "X": 10, "L": 50}
    total = 0
    for i, c in enumerate(s):
        v = vals[c]
        total += -v if i + 1 < len(s) and vals[s[i + 1]] > v else v
    return total


def is_closing_paragraph(text: str) -> bool:
    """The plan's closing words ("Trên đây là Kế hoạch …", "…./." )."""
    t = text.strip()
    return t.endswith("./.") or bool(re.match(r"^Trên đây là\b", t))


def ends_sentence(text: str) -> bool:
    return bool(re.search(r"[.!?;:…»”\")]\s*$", text.rstrip("*_ ")))


def is_structural(text: str) -> bool:
    """Starts like a heading, a numbered/lettered point, a bullet or a unit line."""
    return bool(
        ROMAN.match(text)
        or NUMBERED.match(text)
        or LETTERED.match(text)
        or ARTICLE.match(text)
        or BULLET.match(text)
        or UNIT_LINE.match(text)
        or FOOTNOTE_DEF.match(text)
    )
