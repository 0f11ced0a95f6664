"""Decoding a text plan's bytes: byte order marks, UTF-8, UTF-16 without BOM, Windows-1258.

Legacy Vietnamese encodings (TCVN3/ABC, VNI; ``legacy.py``) are decoded when the converted
text reads as Vietnamese and the text as read does not; otherwise the file is refused with a
hint to convert it rather than decoded into mojibake.  Text already in Unicode is never
converted.
"""

from __future__ import annotations

import codecs
import unicodedata

from ..errors import UndecodableText
from .legacy import decode_legacy, detect_legacy, looks_vietnamese

__all__ = ["decode_text"]


def decode_text(name: str, data: bytes) -> str:
    """Decode a text plan: BOMs, UTF-8, UTF-16 without BOM, then Windows-1258 if it reads as Vietnamese."""
    for bom, enc in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(enc)
            except UnicodeDecodeError as e:
                raise _undecodable(name, f"{enc} byte order mark but invalid {enc} ({e.reason})") from e
    if data.count(b"\x00") > len(data) // 4:
        # UTF-16 without BOM: ASCII-range characters put their zero byte on one side
        enc = "utf-16-le" if data[1::2].count(0) > data[0::2].count(0) else "utf-16-be"
        try:
            text = data.decode(enc)
            if _plausible(text):
                return text
        except UnicodeDecodeError:
            pass
        raise _undecodable(name, "binary data (NUL bytes)")
    try:
        text = data.decode("utf-8")
        if _plausible(text):
            # a legacy-font file once converted byte for byte to UTF-8 ("KÕ ho¹ch")
            legacy = detect_legacy(text)
            return decode_legacy(text, legacy) if legacy is not None else text
        raise _undecodable(name, "control characters: binary data, not text")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1258")
    except UnicodeDecodeError:
        text = ""
    if text and looks_vietnamese(text):
        return text
    # a file typed in a TCVN3 or VNI font and saved as plain text: its bytes are the legacy codes
    latin = data.decode("latin-1")
    legacy = detect_legacy(latin) if _plausible(latin) else None
    if legacy is not None:
        return decode_legacy(latin, legacy)
    raise _undecodable(name, "not UTF-8/UTF-16, and not Windows-1258 Vietnamese (maybe TCVN3/VNI)")


def _plausible(text: str) -> bool:
    """Text, not binary: control characters (other than line breaks and tabs) are rare."""
    controls = sum(1 for c in text if unicodedata.category(c) == "Cc" and c not in "\n\r\t\f")
    return controls <= max(2, len(text) // 1000)


def _undecodable(name: str, why: str) -> UndecodableText:
    return UndecodableText(
        f"Không đọc được bảng mã chữ của tệp «{name}» (không phải UTF-8/UTF-16; có thể là TCVN3/VNI).",
        f"Cannot decode the text of '{name}': {why}.",
        hint="Mở tệp bằng Word hoặc dùng UniKey (Công cụ chuyển mã) để lưu lại dưới dạng Unicode UTF-8, rồi tải lên lại.",
    )
