"""Loaders: bytes of a .txt/.md/.pdf/.docx plan → normalised text + ``Block`` list.

Every loader emits the same blocks (display text without markup, NFC, with
offsets into the loader's normalised text), so the steps after it never look at
the source format.  Guards run before any parser sees the bytes: size, empty
files, encodings that cannot be decoded reliably.
"""

from __future__ import annotations

from ..errors import EmptyDocument, UnsupportedFormat
from .base import SUPERSCRIPT, SUPPORTED_SUFFIXES, Loaded, check_size
from .docx_loader import load_docx
from .encoding import decode_text
from .inline import inline_to_text
from .pdf_loader import load_pdf
from .text_loader import load_text

# The loader API in one place: the dispatcher, plus the pieces other steps and the
# tests use (they live in base / encoding / inline / text_loader).
__all__ = [
    "SUPPORTED_SUFFIXES",
    "Loaded",
    "load_bytes",
    "decode_text",
    "load_text",
    "inline_to_text",
    "SUPERSCRIPT",
    "check_size",
]


def load_bytes(name: str, data: bytes, *, max_bytes: int | None = None) -> Loaded:
    """Dispatch on the file suffix; every failure is a DocumentError naming the file."""
    check_size(name, len(data), max_bytes)
    suffix = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    if suffix not in SUPPORTED_SUFFIXES:
        raise UnsupportedFormat(
            f"Không đọc được tệp «{name}»: chỉ hỗ trợ {', '.join(SUPPORTED_SUFFIXES)}.",
            f"Unsupported file type for '{name}'; supported: {', '.join(SUPPORTED_SUFFIXES)}.",
            hint="Lưu kế hoạch dưới dạng .docx, .pdf (có lớp chữ) hoặc .txt (UTF-8).",
        )
    if not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise EmptyDocument(
            f"Tệp «{name}» rỗng.", f"File '{name}' is empty.", hint="Kiểm tra lại tệp đã tải lên."
        )
    if suffix == ".pdf":
        return load_pdf(name, data, max_bytes=max_bytes)
    if suffix == ".docx":
        return load_docx(name, data, max_bytes=max_bytes)
    return load_text(name, decode_text(name, data), suffix.lstrip("."))
