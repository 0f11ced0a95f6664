"""Give a PDF's fonts the Unicode map they lack, before pypdf extracts the text.

A PDF says which character each glyph code is through the font's /ToUnicode map.  Two kinds
of Vietnamese PDFs lack a usable one, and pypdf then returns mojibake:

* legacy fonts (TCVN3 ``.VnTime``, VNI ``VNI-Times``): the codes are the legacy table's
  bytes; the font's name says which table (``legacy.py``) maps them.
* fonts re-embedded without /ToUnicode (a PDF printed again through Ghostscript, a "Save as
  PDF" of some drivers): a composite font (Type0, Identity-H) whose codes are glyph numbers,
  or a simple TrueType font with no /Encoding whose codes above ASCII are the writer's own.
  Glyph numbers 3-97 are space to "~" in every TrueType font that follows Apple's standard
  glyph order (the TrueType 'post' table's 258 standard names: all Microsoft core fonts,
  Times New Roman and Arial included); simple fonts keep ASCII codes as ASCII.  The other
  glyphs — the Vietnamese letters — are read as the letters that make the font's words the
  most frequent Vietnamese syllables (counts of the corpus plans, ``syllables.json``):
  a substitution read off the text, as a reader of the printed page would.

A repaired map is kept only when its text reads better than pypdf's own (more words that are
Vietnamese syllables), so a PDF with working fonts is never changed.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from .glyph_order import MAC_STANDARD_LETTERS, in_code_point_order
from .glyph_parts import Outlines, Shape, drawn_as, outlines, read_composites
from .glyph_reading import (
    Token,
    cased,
    contexts_of,
    decipher,
    reads_better,
    syllables_read,
    use_current_tables,
    words_of,
)
from .legacy import code_map, legacy_of_font

__all__ = ["repair_fonts"]

_ASCII_GLYPHS = range(3, 98)  # Apple standard order: glyph 3 is space … glyph 97 is "~"


@dataclass
class _Font:
    obj: object
    two_byte: bool
    runs: list[bytes] = field(default_factory=list)


def _fonts_of(resources) -> dict:
    try:
        fonts = resources.get("/Font") if resources is not None else None
        return dict(fonts.get_object()) if fonts is not None else {}
    except (AttributeError, TypeError):
        return {}


def _collect(reader) -> tuple[dict[int, _Font], list[list[tuple[_Font | None, bytes]]]]:
    """Every font without /ToUnicode (or with a legacy name) and the byte strings drawn in it;
    and each page's strings in the order drawn, with their font (None: a font that reads)."""
    from pypdf.generic import ArrayObject, ContentStream

    found: dict[int, _Font] = {}
    streams: list[list[tuple[_Font | None, bytes]]] = []
    for page in reader.pages:
        fonts = _fonts_of(page.get("/Resources"))
        if not fonts:
            continue
        contents = page.get_contents()
        if contents is None:
            continue
        current: _Font | None = None
        stream: list[tuple[_Font | None, bytes]] = []
        streams.append(stream)
        for operands, op in ContentStream(contents, reader).operations:
            if op == b"Tf" and operands:
                ref = fonts.get(operands[0])
                font = ref.get_object() if ref is not None else None
                current = _candidate(found, ref, font) if font is not None else None
            elif op in (b"Tj", b"'", b'"', b"TJ") and operands:
                arg = operands[-1]
                items = arg if isinstance(arg, ArrayObject) else [arg]
                raw = b"".join(_raw(x) for x in items if not isinstance(x, (int, float)))
                if raw and current is not None:
                    current.runs.append(raw)
                if raw:
                    stream.append((current, raw))
    return found, streams


def _raw(s) -> bytes:
    if isinstance(s, bytes):
        return bytes(s)
    original = getattr(s, "original_bytes", None)
    return bytes(original) if original is not None else str(s).encode("latin-1", "replace")


def _candidate(found: dict[int, _Font], ref, font) -> _Font | None:
    key = id(font) if not hasattr(ref, "idnum") else ref.idnum * 100000 + ref.generation
    if key in found:
        return found[key]
    subtype = font.get("/Subtype")
    legacy = legacy_of_font(str(font.get("/BaseFont", "")))
    if subtype == "/Type0":
        if legacy is None and ("/ToUnicode" in font or str(font.get("/Encoding")) != "/Identity-H"):
            return None
        entry = _Font(font, two_byte=True)
    elif subtype in ("/TrueType", "/Type1"):
        if "/ToUnicode" in font and legacy is None:
            return None
        if legacy is None and "/Encoding" in font:
            return None  # a standard encoding names its characters: pypdf reads it right
        entry = _Font(font, two_byte=False)
    else:
        return None
    found[key] = entry
    return entry


def _codes(font: _Font) -> list[list[int]]:
    if font.two_byte:
        return [[r[i] << 8 | r[i + 1] for i in range(0, len(r) - 1, 2)] for r in font.runs]
    return [list(r) for r in font.runs]


def _pypdf_reading(font: _Font, codes: set[int]) -> dict[int, str]:
    """What pypdf reads without /ToUnicode: its encoding for a simple font, the code itself for a CID."""
    if not font.two_byte:
        try:
            from pypdf._cmap import get_encoding

            enc = get_encoding(font.obj)[0]  # type: ignore[arg-type]
            if isinstance(enc, dict):
                return {c: enc.get(c, chr(c)) for c in codes}
        except Exception:  # noqa: BLE001 - a private helper of pypdf: fall back to Latin-1
            pass
    return {c: chr(c) for c in codes}


def _codepage(codes: set[int], page: str) -> dict[int, str]:
    return {c: bytes([c]).decode(page, "replace") for c in codes if c < 256}


def _family(font: _Font) -> str:
    """The font family of a subset ("KERPTY+TimesNewRomanPS-BoldMT" -> "TimesNewRoman"): the
    styles of one family share their glyph numbers, so their words are read together."""
    name = re.sub(r"^/?[A-Z]{6}\+", "", str(font.obj.get("/BaseFont", "")))  # type: ignore[attr-defined]
    base = re.split(r"[-,]", name)[0]
    return re.sub(r"(?:PS)?(?:MT)?$", "", base) or name


def _unicode_map(font: _Font) -> dict[int, str]:
    """The font's own /ToUnicode map, code -> text, as pypdf parses it ({} when it has none)."""
    if "/ToUnicode" not in font.obj:  # type: ignore[operator]
        return {}
    try:
        from pypdf._cmap import get_encoding

        parsed = get_encoding(font.obj)[1]  # type: ignore[arg-type]
    except Exception:  # noqa: BLE001 - a private helper of pypdf: without it the font stays as read
        return {}
    return {
        int.from_bytes(k.encode("latin-1"), "big"): v
        for k, v in parsed.items()
        if isinstance(k, str) and isinstance(v, str)
    }


def _legacy_map(font: _Font, codes: set[int]) -> dict[int, str] | None:
    """A font named as a TCVN3 or VNI font: its codes (or the Latin-1 characters its own
    /ToUnicode gives them, as Word writes it) are the legacy table's bytes."""
    legacy = legacy_of_font(str(font.obj.get("/BaseFont", "")))  # type: ignore[attr-defined]
    if legacy is None:
        return None
    enc, capitals = legacy
    table = code_map(enc, capitals)
    own = _unicode_map(font)
    if own:
        return {
            c: "".join(table.get(ord(ch), ch) if ord(ch) <= 0xFF else ch for ch in v) for c, v in own.items()
        }
    if font.two_byte:
        return None  # glyph numbers, not legacy codes: read like any composite font
    return {c: table.get(c, chr(c).upper() if capitals else chr(c)) for c in codes}


def _simple_map(font: _Font, runs: list[list[int]], codes: set[int]) -> dict[int, str] | None:
    """A simple font with no /Encoding: Word writes its codes in the Windows code page of the
    text, Western (1252) or Vietnamese (1258); the one that reads as syllables is taken."""
    best: dict[int, str] | None = None
    best_hits = -1
    for page in ("cp1252", "cp1258"):
        m = _codepage(codes, page)
        hits = syllables_read(words_of(runs, m), m)
        if hits > best_hits:
            best, best_hits = m, hits
    return best


def _page_tokens(
    streams: list[list[tuple[_Font | None, bytes]]], members: list[_Font], readings: dict[int, dict[int, str]]
) -> list[list[Token]]:
    """Each page's text in drawing order: the family's codes, the characters other fonts give,
    a line break for a font whose text is not ours to read.  Word draws a line's letters of
    Windows-1252 in a simple font and the others in a composite one, so a word's neighbours
    are often in another font."""
    ids = {id(f) for f in members}
    pages: list[list[Token]] = []
    for stream in streams:
        tokens: list[Token] = []
        for font, raw in stream:
            if font is not None and id(font) in ids:
                tokens.extend(raw[i] << 8 | raw[i + 1] for i in range(0, len(raw) - 1, 2))
            elif font is not None and id(font) in readings and not font.two_byte:
                tokens.extend(readings[id(font)].get(b, "\n") for b in raw)
            else:
                tokens.append("\n")
        pages.append(tokens)
    return pages


def _font_file(font: _Font) -> bytes:
    """The embedded TrueType file of a composite font (b"" when it has none)."""
    try:
        descendant = font.obj["/DescendantFonts"][0].get_object()  # type: ignore[index]
        return bytes(descendant["/FontDescriptor"].get_object()["/FontFile2"].get_data())
    except (KeyError, IndexError, TypeError, AttributeError):
        return b""


def _parts(drawn: list[Outlines]) -> dict[int, tuple[int, ...]]:
    """The family's composite glyphs (``glyph_parts.py``); a glyph drawn otherwise by another
    member is left out, as its number does not say one drawing."""
    out: dict[int, tuple[int, ...]] = {}
    clash: set[int] = set()
    for font in drawn:
        for gid, comps in font.parts.items():
            if out.setdefault(gid, comps) != comps:
                clash.add(gid)
    return {g: c for g, c in out.items() if g not in clash}


def _fits(drawn: list[Outlines]) -> Callable[[int, str], bool]:
    """Whether glyph ``c`` can be ``letter`` in every member font that draws it as a simple glyph
    (``glyph_parts.drawn_as``); the bare letter is its glyph in Apple's standard order, in that font."""

    def fits(c: int, letter: str) -> bool:
        for font in drawn:
            shape = font.shapes.get(c)
            if shape is None:
                continue
            shapes = font.shapes

            def bare(b: str, shapes: dict[int, Shape] = shapes) -> Shape | None:
                return shapes.get(ord(b) - 29)

            if not drawn_as(letter, shape, bare, font.em):
                return False
        return True

    return fits


def _glyph_maps(runs: list[list[Token]], drawn: list[Outlines]) -> dict[int, str]:
    """Composite fonts of one family: glyph numbers read from all their words at once."""
    codes = {c for r in runs for c in r if isinstance(c, int)}
    known = {c: chr(c + 29) for c in codes if c in _ASCII_GLYPHS}
    parts = _parts(drawn)
    resolved = decipher(
        contexts_of(runs, known), known, codes - set(known), MAC_STANDARD_LETTERS, _fits(drawn)
    )
    # the Vietnamese letters lie in code point order: the place of a rare glyph between two
    # surely read ones says more than its one or two words, and says its case (``glyph_order.py``)
    m, placed = in_code_point_order({**known, **resolved})
    m.update(cased(words_of(runs, m), m, {c: ch for c, ch in resolved.items() if c not in placed}))
    # a glyph drawn as a base letter and its marks is that letter, whatever its few words say
    return {c: ch for c, ch in read_composites(parts, m, set(known)).items() if c in codes}


def _maps(
    fonts: list[_Font], streams: list[list[tuple[_Font | None, bytes]]]
) -> list[tuple[_Font, dict[int, str]]]:
    out: list[tuple[_Font, dict[int, str]]] = []
    families: dict[str, list[_Font]] = defaultdict(list)
    readings: dict[int, dict[int, str]] = {}  # what each simple font's codes say, repaired or not
    for font in fonts:
        runs = _codes(font)
        codes = {c for r in runs for c in r}
        if not codes:
            continue
        legacy = _legacy_map(font, codes)
        if legacy is not None:
            out.append((font, legacy))  # the font's name says the table: no reading needed
            readings[id(font)] = legacy
        elif font.two_byte:
            families[_family(font)].append(font)
        else:
            m = _simple_map(font, runs, codes)
            own = _pypdf_reading(font, codes)
            if m is not None and reads_better(words_of(runs, m), m, own):
                out.append((font, m))
                readings[id(font)] = m
            else:
                readings[id(font)] = own
    for members in families.values():
        drawn = [outlines(_font_file(font)) for font in members]
        shared = _glyph_maps(_page_tokens(streams, members, readings), drawn)
        for font in members:
            runs = _codes(font)
            codes = {c for r in runs for c in r}
            m = {c: ch for c, ch in shared.items() if c in codes}
            if reads_better(words_of(runs, m), m, _pypdf_reading(font, codes)):
                out.append((font, m))
    return out


def _cmap_stream(mapping: dict[int, str], two_byte: bool):
    from pypdf.generic import DecodedStreamObject

    width = 4 if two_byte else 2
    lines = [f"<{c:0{width}X}> <{''.join(f'{ord(ch):04X}' for ch in s)}>" for c, s in sorted(mapping.items())]
    body = []
    for i in range(0, len(lines), 100):  # a bfchar block holds at most 100 entries
        chunk = lines[i : i + 100]
        body.append(f"{len(chunk)} beginbfchar\n" + "\n".join(chunk) + "\nendbfchar")
    text = (
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
        "/CMapName /Repaired def /CMapType 2 def\n"
        f"1 begincodespacerange <{'0' * width}> <{'F' * width}> endcodespacerange\n"
        + "\n".join(body)
        + "\nendcmap CMapName currentdict /CMap defineresource pop end end\n"
    )
    stream = DecodedStreamObject()
    stream.set_data(text.encode("ascii"))
    return stream


def repair_fonts(reader) -> int:
    """Attach a /ToUnicode map to every font that needs one; returns how many were repaired."""
    from pypdf.generic import NameObject

    repaired = 0
    use_current_tables()
    found, streams = _collect(reader)
    for font, mapping in _maps(list(found.values()), streams):
        font.obj[NameObject("/ToUnicode")] = _cmap_stream(mapping, font.two_byte)  # type: ignore[index]
        repaired += 1
    return repaired
