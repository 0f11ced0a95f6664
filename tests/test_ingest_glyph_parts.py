"""Composite glyphs read as their base letter and marks (``assistant/ingest/glyph_parts.py``):
the outlines a PDF without a Unicode map still embeds say what its rare Vietnamese letters are."""

from __future__ import annotations

import os
import sys
import unicodedata
from pathlib import Path

import pytest

from assistant.ingest import parse_file
from assistant.ingest.glyph_parts import Shape, composite_glyphs, drawn_as, read_composites

ROOT = Path(__file__).resolve().parents[1]
SERIF = Path("/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf")
SANS = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
_LETTERS = "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ"


def _font(path: Path) -> tuple[dict[int, str], dict[int, tuple[int, ...]]]:
    """A real font's glyph -> character (its own cmap, which a re-embedded subset loses) and its
    composite glyphs as ``composite_glyphs`` reads them from the file's bytes."""
    ttlib = pytest.importorskip("fontTools.ttLib", reason="fontTools reads the font's cmap")
    if not path.is_file():
        pytest.skip(f"no TrueType font ({path})")
    font = ttlib.TTFont(str(path))
    order = {name: i for i, name in enumerate(font.getGlyphOrder())}
    chars = {order[name]: chr(cp) for cp, name in font.getBestCmap().items()}
    return chars, composite_glyphs(path.read_bytes())


@pytest.mark.parametrize("path", [SERIF, SANS])
def test_composite_glyphs_of_a_real_font(path):
    chars, parts = _font(path)
    glyph = {ch: g for g, ch in chars.items()}
    # "ũ" is "u" and a tilde: Liberation draws the base first, DejaVu after its mark
    assert glyph["u"] in parts[glyph["ũ"]] and len(parts[glyph["ũ"]]) == 2
    assert glyph["u"] not in parts  # a simple glyph: its own outline


def test_a_rare_letter_misread_by_its_words_is_read_from_its_drawing():
    chars, parts = _font(SANS)  # DejaVu Sans: every Vietnamese letter, marks drawn before the base
    glyph = {ch: g for g, ch in chars.items()}
    fixed = {g for g, ch in chars.items() if ch.isascii() and ch.isprintable()}
    # the reading of words got every Vietnamese letter right but two rare ones: "ũ" (seen only in
    # a name, "Vũ", read as the frequent "về") and "ỹ" read as a capital in "kỹ"
    m = {g: ch for g, ch in chars.items() if ch in _LETTERS or ch in _LETTERS.upper() or g in fixed}
    m[glyph["ũ"]] = "ề"
    m[glyph["ỹ"]] = "Ỹ"
    out = read_composites(parts, m, fixed)
    assert out[glyph["ũ"]] == "ũ" and out[glyph["ỹ"]] == "ỹ"
    assert out[glyph["Ũ"]] == "Ũ"
    # every other letter drawn as a composite keeps its reading
    wrong = {ch for g, ch in m.items() if g in parts and out[g] != ch and g not in (glyph["ũ"], glyph["ỹ"])}
    assert not wrong


def test_without_composites_the_reading_stays():
    m = {40: "a", 1189: "ạ"}
    assert read_composites({}, m, {40}) == m
    assert composite_glyphs(b"not a font") == {}


def _real_plans() -> Path:
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from eval.realsuite import data_dir

    return data_dir()


def test_real_plan_1105_rare_letters():
    if not os.environ.get("REAL_PLANS_DIR") and not _real_plans().is_dir():
        pytest.skip("the real plans are absent (set REAL_PLANS_DIR)")
    pdf = _real_plans() / "original" / "KH-1105-DKT-ke-hoach-kiem-tra.pdf"
    if not pdf.is_file():
        pytest.skip(f"no {pdf}")
    text = unicodedata.normalize("NFC", "\n".join(p.text for p in parse_file(pdf).passages))
    # the secretary's name: its "ũ" is drawn once in the plan; "kỹ thuật" five times, never a capital
    assert "4.3. Ông. Vũ Việt Linh - Thư ký đoàn" in text
    assert "kỹ thuật an toàn" in text and "kỸ" not in text


# --- a simple glyph's shape rules out letters (``drawn_as``) --------------------------------------
# Times New Roman Bold Italic as the published plan 1105 embeds it (units of a 2048 em): "o", "u"
# and the one glyph of "Nơi nhận" and "hồ sơ" the words alone read as "ở" ("Nởi", "sở")
_BOLD_ITALIC = {"o": Shape(2, -28, 927), "u": Shape(1, -28, 927), "i": Shape(2, -28, 1387)}
_GLYPH_751 = Shape(2, -28, 1049)


def _base(letter: str):
    return _BOLD_ITALIC.get(letter)


def test_a_mark_is_drawn_apart_from_its_letter():
    # two outlines, no higher than a small letter with its horn, nothing below the line: "ơ"
    assert drawn_as("ơ", _GLYPH_751, _base, 2048)
    assert not drawn_as("ở", _GLYPH_751, _base, 2048)  # a hook is an outline of its own
    assert not drawn_as("ử", _GLYPH_751, _base, 2048)  # a mark above rises far above the letter
    assert not drawn_as("ự", _GLYPH_751, _base, 2048)  # a dot below reaches below the line
    # "Ư" of Times New Roman Bold: its horn rises 14 % of the em above "U", as a mark would
    upright = {"u": Shape(1, -28, 935), "U": Shape(1, -32, 1356)}
    assert drawn_as("ư", Shape(1, -32, 1641), upright.get, 2048)
    # a letter the font does not draw bare says nothing
    assert drawn_as("ế", Shape(1, 0, 900), lambda b: None, 2048)


def test_real_plan_1105_recipients_beside_the_signature():
    if not os.environ.get("REAL_PLANS_DIR") and not _real_plans().is_dir():
        pytest.skip("the real plans are absent (set REAL_PLANS_DIR)")
    pdf = _real_plans() / "original" / "KH-1105-DKT-ke-hoach-kiem-tra.pdf"
    if not pdf.is_file():
        pytest.skip(f"no {pdf}")
    parsed = parse_file(pdf)
    text = unicodedata.normalize("NFC", "\n".join(p.text for p in parsed.passages))
    # "Nơi nhận" in bold italic: its "ơ" is drawn in no other word of that font
    assert "Kiểm tra hồ sơ, tài liệu" in text
    assert parsed.meta.recipients == [
        "Giám đốc Sở (để báo cáo và phê duyệt)",
        "Văn phòng Sở (Bố trí kinh phí, phương tiện Phục vụ Đoàn kiểm tra)",
        "Thành viên Đoàn (để thực hiện)",
        "Các đơn vị được kiểm tra (để phối hợp)",
        "Lưu: VT, CN(M. Cường)",
    ]
