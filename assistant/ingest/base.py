"""What every loader shares: the ``Loaded`` result, the supported suffixes and the size guard.

The PDF and DOCX loaders import this module, not the ``loaders`` dispatcher, so the
dispatcher can import them without an import cycle.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass

from ..errors import FileTooLarge
from ..records import Block

__all__ = ["SUPPORTED_SUFFIXES", "SUPERSCRIPT", "PARSER_ERRORS", "Loaded", "check_size"]

SUPPORTED_SUFFIXES = (".txt", ".md", ".pdf", ".docx")

SUPERSCRIPT = str.maketrans("0123456789()+-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁽⁾⁺⁻")

# What a third-party parser (pypdf, python-docx and lxml, zipfile) lets through on a damaged or
# hostile file besides its own error classes: bad numbers, missing keys, wrong object types, failed
# asserts, truncated or too deeply nested streams, unreadable members.  Listed, not caught as
# ``Exception``, so that a bug in our own code (NameError, ImportError …) surfaces as a bug and
# not as "this file is damaged".
PARSER_ERRORS: tuple[type[Exception], ...] = (
    ValueError,  # also UnicodeError, binascii.Error, lxml's XMLSyntaxError is a SyntaxError (below)
    LookupError,
    TypeError,
    AttributeError,
    AssertionError,
    ArithmeticError,
    RecursionError,
    NotImplementedError,
    EOFError,
    OSError,
    SyntaxError,
    zlib.error,
    struct.error,
)


@dataclass
class Loaded:
    text: str  # the loader's normalised text; Block offsets point into it
    blocks: list[Block]
    source_format: str  # txt | md | pdf | docx


def _size(n: int) -> str:
    return f"{n / 1048576:.1f} MB" if n >= 1048576 else f"{n / 1024:.0f} KB" if n >= 1024 else f"{n} byte"


def check_size(name: str, size: int, max_bytes: int | None) -> None:
    if max_bytes is not None and size > max_bytes:
        raise FileTooLarge(
            f"Tệp «{name}» quá lớn ({_size(size)}, tối đa {_size(max_bytes)}).",
            f"File '{name}' is too large ({size} bytes, limit {max_bytes}).",
            hint="Tách kế hoạch thành tệp nhỏ hơn hoặc tăng TLKH_MAX_UPLOAD_MB.",
        )
