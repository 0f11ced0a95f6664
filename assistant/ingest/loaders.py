"""Loaders: bytes of a .txt/.md/.pdf/.docx plan → normalised text + ``Block`` list.

Every loader emits the same blocks (display text without markup, NFC, with
offsets into the loader's normalised text), so the steps after it never look at
the source format.  Guards run before any parser sees the bytes: size, empty
files, encodings that cannot be decoded reliably.
"""
from __future__ import annotations

import codecs
import html
import re
import unicodedata
from dataclasses import dataclass

from ..errors import EmptyDocument, FileTooLarge, UndecodableText, UnsupportedFormat
from ..records import Block
from ..textnorm import nfc

__all__ = ["SUPPORTED_SUFFIXES", "Loaded", "load_bytes", "decode_text", "load_text",
           "inline_to_text", "SUPERSCRIPT", "check_size"]

SUPPORTED_SUFFIXES = (".txt", ".md", ".pdf", ".docx")

SUPERSCRIPT = str.maketrans("0123456789()+-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁽⁾⁺⁻")


@dataclass
class Loaded:
    text: str               # the loader's normalised text; Block offsets point into it
    blocks: list[Block]
    source_format: str      # txt | md | pdf | docx


def _size(n: int) -> str:
    return f"{n / 1048576:.1f} MB" if n >= 1048576 else f"{n / 1024:.0f} KB" if n >= 1024 else f"{n} byte"


def check_size(name: str, size: int, max_bytes: int | None) -> None:
    if max_bytes is not None and size > max_bytes:
        raise FileTooLarge(
            f"Tệp «{name}» quá lớn ({_size(size)}, tối đa {_size(max_bytes)}).",
            f"File '{name}' is too large ({size} bytes, limit {max_bytes}).",
            hint="Tách kế hoạch thành tệp nhỏ hơn hoặc tăng TLKH_MAX_UPLOAD_MB.")


def load_bytes(name: str, data: bytes, *, max_bytes: int | None = None) -> Loaded:
    """Dispatch on the file suffix; every failure is a DocumentError naming the file."""
    check_size(name, len(data), max_bytes)
    suffix = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    if suffix not in SUPPORTED_SUFFIXES:
        raise UnsupportedFormat(
            f"Không đọc được tệp «{name}»: chỉ hỗ trợ {', '.join(SUPPORTED_SUFFIXES)}.",
            f"Unsupported file type for '{name}'; supported: {', '.join(SUPPORTED_SUFFIXES)}.",
            hint="Lưu kế hoạch dưới dạng .docx, .pdf (có lớp chữ) hoặc .txt (UTF-8).")
    if not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise EmptyDocument(f"Tệp «{name}» rỗng.", f"File '{name}' is empty.",
                            hint="Kiểm tra lại tệp đã tải lên.")
    if suffix == ".pdf":
        from .pdf_loader import load_pdf
        return load_pdf(name, data, max_bytes=max_bytes)
    if suffix == ".docx":
        from .docx_loader import load_docx
        return load_docx(name, data, max_bytes=max_bytes)
    return load_text(name, decode_text(name, data), suffix.lstrip("."))


# --- encodings --------------------------------------------------------------
_VI_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323", "\u0302", "\u0306", "\u031b"}
_TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def _vietnamese_letter(c: str) -> bool:
    d = unicodedata.normalize("NFD", c)
    if d[0].lower() == "đ":
        return len(d) == 1
    return "a" <= d[0].lower() <= "z" and all(m in _VI_MARKS for m in d[1:])


def _looks_vietnamese(text: str) -> bool:
    """A reliable-enough test that a legacy decoding produced Vietnamese, not mojibake.

    Every letter must belong to the Vietnamese alphabet (VNI/TCVN3 bytes decoded as
    cp1258 give ä, µ, ¸ … instead), and tone marks must be frequent, as they are in
    any Vietnamese sentence.
    """
    letters = [c for c in nfc(text) if c.isalpha()]
    if len(letters) < 20:
        return False
    if sum(not _vietnamese_letter(c) for c in letters) > len(letters) * 0.002:
        return False
    tones = sum(1 for c in unicodedata.normalize("NFD", text) if c in _TONE_MARKS)
    return tones >= len(letters) * 0.05


def decode_text(name: str, data: bytes) -> str:
    """Decode a text plan: BOMs, UTF-8, UTF-16 without BOM, then Windows-1258 if it reads as Vietnamese."""
    for bom, enc in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                     (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                     (codecs.BOM_UTF16_BE, "utf-16")):
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
            return text
        raise _undecodable(name, "control characters: binary data, not text")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1258")
    except UnicodeDecodeError:
        text = ""
    if text and _looks_vietnamese(text):
        return text
    raise _undecodable(name, "not UTF-8/UTF-16, and not Windows-1258 Vietnamese (maybe TCVN3/VNI)")


def _plausible(text: str) -> bool:
    """Text, not binary: control characters (other than line breaks and tabs) are rare."""
    controls = sum(1 for c in text if unicodedata.category(c) == "Cc" and c not in "\n\r\t\f")
    return controls <= max(2, len(text) // 1000)


def _undecodable(name: str, why: str) -> UndecodableText:
    return UndecodableText(
        f"Không đọc được bảng mã chữ của tệp «{name}» (không phải UTF-8/UTF-16; có thể là TCVN3/VNI).",
        f"Cannot decode the text of '{name}': {why}.",
        hint="Mở tệp bằng Word hoặc dùng UniKey (Công cụ chuyển mã) để lưu lại dưới dạng Unicode UTF-8, rồi tải lên lại.")


# --- inline markup ----------------------------------------------------------
_B0, _B1, _I0, _I1 = "\x01", "\x02", "\x03", "\x04"
_JUNK = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad\u25a0-\u25ff]")


def inline_to_text(s: str, *, keep_lines: bool = False) -> tuple[str, bool, bool]:
    """Markdown/HTML inline markup → (plain text, all bold, all italic).

    ``<sup>`` becomes Unicode superscript so footnote markers stay visible and
    unambiguous ("ngoại⁽¹⁾"); list items and paragraphs inside HTML become lines
    when ``keep_lines`` (table cells), spaces otherwise.
    """
    s = re.sub(r"(?is)<sup[^>]*>(.*?)</sup>",
               lambda m: re.sub(r"<[^>]+>", "", m.group(1)).strip().translate(SUPERSCRIPT), s)
    s = re.sub(r"(?i)<br\s*/?>|</?(?:li|p|ul|ol|div|tr)(?:\s[^>]*)?>", "\n", s)
    s = re.sub(r"(?i)<(?:b|strong)(?:\s[^>]*)?>", _B0, s)
    s = re.sub(r"(?i)</(?:b|strong)>", _B1, s)
    s = re.sub(r"(?i)<(?:i|em)(?:\s[^>]*)?>", _I0, s)
    s = re.sub(r"(?i)</(?:i|em)>", _I1, s)
    s = re.sub(r"<[^>]+>", "", s)
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


# --- text / markdown ------------------------------------------------------------
_MD_HEADING = re.compile(r"^(#{1,6})\s+")
_BULLET = re.compile(r"^[-+•*–]\s+\S")


def load_text(name: str, text: str, fmt: str = "txt") -> Loaded:
    """Text/markdown with embedded HTML → blocks; one block per line, tab lines as table rows.

    A paragraph (lines without a blank line between them) wrapped as a whole in
    ``**…**`` spreads its bold over every line, as in signature blocks.
    """
    text = nfc(text.replace("\r\n", "\n").replace("\r", "\n"))
    blocks: list[Block] = []
    pos = 0
    for para in re.split(r"(\n[ \t\u00a0\u3000]*\n)", text):
        if para.startswith("\n") and not para.strip(" \t\u00a0\u3000\n"):
            pos += len(para)
            continue
        stripped = para.strip()
        para_bold = stripped.startswith("**") and stripped.endswith("**") and "\t" not in para
        off = pos
        for line in para.split("\n"):
            start = off
            off += len(line) + 1
            if not line.strip(" \t\u00a0\u3000"):
                continue
            blk = _line_block(line, start, para_bold)
            if blk is not None:
                blocks.append(blk)
        pos += len(para)
    return Loaded(text, blocks, fmt)


def _line_block(line: str, start: int, para_bold: bool) -> Block | None:
    end = start + len(line)
    pipe = line.strip()
    if pipe.startswith("|") and pipe.endswith("|") and pipe.count("|") >= 3:
        if re.fullmatch(r"[|:\-\s]+", pipe):
            return None   # the |---|---| rule under a markdown table header
        line = "\t".join(pipe[1:-1].split("|"))   # a markdown table row reads like a tab row
    if "\t" in line.strip(" \u00a0") or line.startswith("\t"):
        cells = tuple(inline_to_text(c, keep_lines=True)[0] for c in line.rstrip("\n").split("\t"))
        if sum(1 for c in cells if c) >= 1 and len(cells) >= 2:
            return Block(" | ".join(c.replace("\n", " ") for c in cells if c), kind="table_row",
                         cells=cells, start=start, end=end)
    raw = line.strip()
    level = None
    m = _MD_HEADING.match(raw)
    if m:
        level = len(m.group(1))
        raw = raw[m.end():]
    if para_bold:
        raw = raw.strip("*").strip()
        txt, _, italic = inline_to_text(raw)
        bold = True
    else:
        txt, bold, italic = inline_to_text(raw)
    if not txt:
        return None
    kind = "heading" if level else ("list_item" if _BULLET.match(txt) else "para")
    return Block(txt, kind=kind, level=level, bold=bold, italic=italic, start=start, end=end)
