"""Plans → structured passages.

``parse_file(path)`` / ``parse_bytes(name, data)`` read a .txt/.md/.pdf/.docx plan and
return a ``ParsedDoc``: its metadata (number, date, issuer, signer, …) and its
passages (articles, table rows, footnotes, and the metadata card), each with its
heading path and its lead / partner units.  Every failure is a ``DocumentError``
with a Vietnamese and an English message naming the file.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import CorruptDocument, UnsafeFileName
from ..records import ParsedDoc
from .base import SUPPORTED_SUFFIXES, check_size
from .loaders import load_bytes

__all__ = ["SUPPORTED_SUFFIXES", "parse_file", "parse_bytes", "safe_name"]


def safe_name(name: str) -> str:
    """The upload name itself if it is a plain file name; refuses anything that is a path.

    Refusing (rather than silently keeping the last path component) means a client
    that sends "../../x.txt" learns it did something wrong.
    """
    ok = (
        isinstance(name, str)
        and name == name.strip()
        and 0 < len(name) <= 200
        and not re.search(r"[/\\\x00-\x1f:*?\"<>|]", name)
        and not name.startswith(".")
        and name not in (".", "..")
    )
    if not ok:
        raise UnsafeFileName(
            f"Tên tệp không hợp lệ: «{name!s:.80}». Tên tệp không được chứa đường dẫn hoặc ký tự đặc biệt.",
            f"Unsafe file name: {name!r:.80} (no paths, control or reserved characters).",
            hint="Đổi tên tệp, ví dụ: ke-hoach-183-2024.docx",
        )
    return name


def parse_bytes(name: str, data: bytes, *, max_bytes: int | None = None) -> ParsedDoc:
    """Parse an uploaded plan; ``name`` only gives the format (suffix) and the document id."""
    from .document import build_document

    name = safe_name(name)
    loaded = load_bytes(name, data, max_bytes=max_bytes)
    return build_document(name, loaded, data)


def parse_file(path: Path, *, max_bytes: int | None = None) -> ParsedDoc:
    """Parse a plan file on disk; the size limit is checked before the file is read."""
    path = Path(path)
    try:
        check_size(path.name, path.stat().st_size, max_bytes)
        data = path.read_bytes()
    except OSError as e:
        raise CorruptDocument(
            f"Không đọc được tệp «{path.name}»: {e.strerror or e}.",
            f"Cannot read file '{path.name}': {e}.",
            hint="Kiểm tra đường dẫn và quyền đọc tệp.",
        ) from e
    from .document import build_document

    loaded = load_bytes(path.name, data, max_bytes=max_bytes)
    return build_document(path.name, loaded, data)
