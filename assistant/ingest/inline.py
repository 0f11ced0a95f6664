"""Markdown/HTML inline markup → plain display text, and whether it was all bold / italic."""

from __future__ import annotations

import html
import re

from ..textnorm import nfc
from .base import SUPERSCRIPT

__all__ = ["inline_to_text"]

_B0, _B1, _I0, _I1 = "\x01", "\x02", "\x03", "\x04"
_PADDED_CLOSE = re.compile(r"^(\*\*|\*)(?=[^\s*])([^*]*[^\s*])[ \t]+\1[ \t]*$")
_JUNK = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad\u25a0-\u25ff]")


def inline_to_text(s: str, *, keep_lines: bool = False) -> tuple[str, bool, bool]:
    """Markdown/HTML inline markup → (plain text, all bold, all italic).

    ``<sup>`` becomes Unicode superscript so footnote markers stay visible and
    unambiguous ("ngoại⁽¹⁾"); list items and paragraphs inside HTML become lines
    when ``keep_lines`` (table cells), spaces otherwise.
    """
    s = re.sub(
        r"(?is)<sup[^>]*>(.*?)</sup>",
        lambda m: re.sub(r"<[^>]+>", "", m.group(1)).strip().translate(SUPERSCRIPT),
        s,
    )
    s = re.sub(r"(?i)<br\s*/?>|</?(?:li|p|ul|ol|div|tr)(?:\s[^>]*)?>", "\n", s)
    s = re.sub(r"(?i)<(?:b|strong)(?:\s[^>]*)?>", _B0, s)
    s = re.sub(r"(?i)</(?:b|strong)>", _B1, s)
    s = re.sub(r"(?i)<(?:i|em)(?:\s[^>]*)?>", _I0, s)
    s = re.sub(r"(?i)</(?:i|em)>", _I1, s)
    s = re.sub(r"<[^>]+>", "", s)
    # a web page's converter pads the closing mark of a span whose HTML ended in a space
    # ("<em>Cần Thơ, ngày 21 tháng 11 năm 2025 </em>" → "*… 2025 *", "**KT. CHỦ TỊCH **"); markdown
    # would not close it there, but a line opened and ended by the same mark is that one span
    s = _PADDED_CLOSE.sub(r"\1\2\1", s)
    s = re.sub(r"\*\*(?=\S)(.+?)(?<=\S)\*\*", _B0 + r"\1" + _B1, s, flags=re.S)
    s = re.sub(r"__(?=\S)(.+?)(?<=\S)__", _B0 + r"\1" + _B1, s, flags=re.S)
    s = re.sub(r"(?<![*\w])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![*\w])", _I0 + r"\1" + _I1, s, flags=re.S)
    s = s.replace("**", "")
    s = re.sub(r"\\([*_#\\`\[\]])", r"\1", s)
    s = html.unescape(s)
    s = _JUNK.sub("", s).replace("\u00a0", " ").replace("\t", " ")
    bold = _covered(s, _B0, _B1)
    italic = _covered(s, _I0, _I1)
    s = re.sub("[\x01-\x04]", "", s)
    if not s.strip(" *_\n"):
        # emphasis around nothing ("* *", "** **"): the web export wraps an empty cell's or an
        # empty line's space in emphasis markers; there is no text
        s = ""
    lines = [re.sub(r"[ ]{2,}", " ", ln).strip() for ln in s.split("\n")]
    s = "\n".join(ln for ln in lines if ln) if keep_lines else " ".join(ln for ln in lines if ln)
    return nfc(s), bold, italic


def _covered(s: str, on: str, off: str) -> bool:
    """True when every visible character lies inside on…off spans."""
    depth, seen = 0, False
    for c in s:
        if c == on:
            depth += 1
        elif c == off:
            depth = max(0, depth - 1)
        elif not c.isspace() and c not in "\x01\x02\x03\x04":
            if depth == 0 and c not in ".:;,":
                return False
            seen = True
    return seen
