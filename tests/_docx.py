"""The parts every small DOCX plan of the ingest tests is written with (python-docx plus raw Word
XML): the WordprocessingML namespace, and a plan's header block and signature block as Nghị định
30/2020/NĐ-CP (Phụ lục I) lays them out, so each test writes only the body it is about."""

from __future__ import annotations

__all__ = ["FOOTER", "HEADER", "W", "run_xml"]

# the namespace declaration a raw <w:…> element needs to be parsed on its own
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
# issuer (two lines), number, place and date, kind, trích yếu
HEADER = [
    "ỦY BAN NHÂN DÂN",
    "TỈNH BẾN TRE",
    "Số: 9/KH-UBND",
    "Bến Tre, ngày 3 tháng 5 năm 2024",
    "KẾ HOẠCH",
    "Phòng chống dịch bệnh",
]
# recipients, then the signer's position and name
FOOTER = ["Nơi nhận:", "- Lưu: VT.", "CHỦ TỊCH", "Lê Văn Ba"]


def run_xml(text: str) -> str:
    """A Word run of ``text`` (its spaces kept), to put inside a raw XML element."""
    return f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'
