"""Legacy Vietnamese font encodings (TCVN3/ABC, VNI) and PDF fonts without a Unicode map.

Real files from real writers: PDFs written by fpdf2 with a TrueType font whose name is a
legacy font's (".VnTime", "VNI-Times", as Word embeds them) and whose text is the legacy
codes; DOCX written by python-docx with runs in ".VnTime"; text files in TCVN3/VNI bytes; and
the published Lào Cai plan 1105, whose PDF (printed again through Ghostscript) has no
/ToUnicode map at all, when the real plans are present.
"""

from __future__ import annotations

import io
import os
import sys
import unicodedata
from pathlib import Path

import pytest

from assistant.ingest import parse_bytes, parse_file
from assistant.ingest.encoding import decode_text
from assistant.ingest.legacy import LegacyEncoding, decode_legacy, detect_legacy, legacy_of_font

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
SERIF = Path("/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf")

SENTENCE = "Kế hoạch kiểm tra việc chấp hành quy định pháp luật trong sử dụng vật liệu nổ công nghiệp"
# the same sentence as typed in the legacy fonts (TCVN 5712:1993 VN3 bytes; VNI-Windows bytes)
SENTENCE_TCVN3 = "KÕ ho¹ch kiÓm tra viÖc chÊp hµnh quy ®Þnh ph¸p luËt trong sö dông vËt liÖu næ c«ng nghiÖp"
SENTENCE_VNI = (
    "Keá hoaïch kieåm tra vieäc chaáp haønh quy ñònh phaùp luaät trong söû duïng vaät lieäu noå coâng nghieäp"
)
TITLE = "KẾ HOẠCH"
TITLE_TCVN3_CAPS = "KÕ HO¹CH"  # typed in .VnTimeH: the capitals font draws the lowercase codes as capitals


def test_tables_convert_the_known_spellings():
    assert decode_legacy(SENTENCE_TCVN3, LegacyEncoding.TCVN3) == SENTENCE
    assert decode_legacy(SENTENCE_VNI, LegacyEncoding.VNI) == SENTENCE
    assert decode_legacy(TITLE_TCVN3_CAPS, LegacyEncoding.TCVN3, capitals=True) == TITLE
    assert (
        decode_legacy("§iÒu 1. Së C«ng Th­¬ng", LegacyEncoding.TCVN3) == "Điều 1. Sở Công Thương"
    )  # ư is 0xAD, a soft hyphen in Latin-1


@pytest.mark.parametrize(
    "name,want",
    [
        (".VnTime", (LegacyEncoding.TCVN3, False)),
        (".VnTimeH", (LegacyEncoding.TCVN3, True)),
        ("IEMIUK+VnTime", (LegacyEncoding.TCVN3, False)),
        (".VnArial NarrowH", (LegacyEncoding.TCVN3, True)),
        ("VNI-Times", (LegacyEncoding.VNI, False)),
        ("Times New Roman", None),
        ("ABCDEF+TimesNewRomanPSMT", None),
        ("Verdana", None),
    ],
)
def test_font_names(name, want):
    assert legacy_of_font(name) == want


def test_unicode_text_is_never_taken_for_legacy():
    """Every corpus plan: no legacy encoding detected, decoding returns the file's own text."""
    plans = sorted(CORPUS.glob("*.txt"))
    assert len(plans) >= 5
    for path in plans:
        data = path.read_bytes()
        text = data.decode("utf-8")
        assert detect_legacy(text) is None, path.name
        assert decode_text(path.name, data) == text, path.name


@pytest.mark.parametrize(
    "encoding,legacy", [("tcvn3", SENTENCE_TCVN3), ("vni", SENTENCE_VNI)], ids=["tcvn3", "vni"]
)
def test_text_file_typed_in_a_legacy_font(encoding, legacy):
    text = (
        f"{legacy}.\n{legacy} trªn ®Þa bµn tØnh."
        if encoding == "tcvn3"
        else f"{legacy}.\n{legacy} treân ñòa baøn tænh."
    )
    got = decode_text("cu.txt", text.encode("cp1252"))
    assert got == f"{SENTENCE}.\n{SENTENCE} trên địa bàn tỉnh."
    # the same legacy characters once saved as UTF-8 (a byte-for-byte conversion)
    assert decode_text("cu.txt", text.encode("utf-8")) == got


# --- PDFs by a real writer ---------------------------------------------------------------------
def _renamed_font(tmp_path: Path, family: str) -> Path:
    """A real TrueType font under a legacy font's name, as a PDF writer embeds it."""
    from fontTools.ttLib import TTFont

    font = TTFont(str(SERIF))
    for rec in font["name"].names:
        if rec.nameID in (1, 3, 4, 6):
            rec.string = family
    out = tmp_path / f"{family}.ttf"
    font.save(str(out))
    return out


def _legacy_pdf(tmp_path: Path, body_font: str, body: list[str], title_font: str, title: str) -> bytes:
    fpdf = pytest.importorskip("fpdf", reason="fpdf2 writes the PDF")
    if not SERIF.is_file():
        pytest.skip(f"no TrueType font to embed ({SERIF})")
    pdf = fpdf.FPDF()
    pdf.add_page()
    pdf.add_font("Body", fname=str(_renamed_font(tmp_path, body_font)))
    pdf.add_font("Title", fname=str(_renamed_font(tmp_path, title_font)))

    def line(text: str) -> None:
        pdf.multi_cell(0, 8, text, new_x="LMARGIN", new_y="NEXT")

    pdf.set_font("Body", size=12)
    line("UBND TINH LAO CAI")
    line("So: 15/KH-UBND")
    pdf.ln(6)
    pdf.set_font("Title", size=14)
    line(title)
    pdf.set_font("Body", size=12)
    for text in body:
        line(text)
        pdf.ln(4)
    return bytes(pdf.output())


def _texts(parsed) -> str:
    return "\n".join(p.text for p in parsed.passages)


def test_pdf_in_tcvn3_fonts(tmp_path):
    # (no ư here: its TCVN3 code 0xAD is a soft hyphen, which fpdf2 drops when it lays out text)
    body = [f"1. {SENTENCE_TCVN3}.", "2. Së Néi vô chñ tr× thùc hiÖn."]
    data = _legacy_pdf(tmp_path, "VnTime", body, "VnTimeH", TITLE_TCVN3_CAPS)
    from pypdf import PdfReader

    raw = "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    assert "KÕ ho¹ch" in raw  # the text layer really is TCVN3: pypdf alone returns mojibake
    parsed = parse_bytes("ke-hoach.pdf", data)
    text = _texts(parsed)
    assert SENTENCE in text
    assert "Sở Nội vụ chủ trì thực hiện" in text
    assert parsed.meta.doc_type == "Kế hoạch"  # the title line, typed in .VnTimeH


def test_pdf_in_vni_fonts(tmp_path):
    body = [f"1. {SENTENCE_VNI}.", "2. Sôû Coâng Thöông chuû trì thöïc hieän."]
    data = _legacy_pdf(tmp_path, "VNI-Times", body, "VNI-Times", "KEÁ HOAÏCH")
    parsed = parse_bytes("ke-hoach.pdf", data)
    text = _texts(parsed)
    assert SENTENCE in text
    assert "Sở Công Thương chủ trì thực hiện" in text
    assert parsed.meta.doc_type == "Kế hoạch"


def test_unicode_pdf_is_unchanged(tmp_path):
    """A PDF whose fonts carry a working /ToUnicode map reads exactly as pypdf reads it."""
    from pypdf import PdfReader

    from assistant.ingest.pdf_glyphs import repair_fonts

    data = _legacy_pdf(
        tmp_path, "LiberationSerif", ["Thuc hien ke hoach so 15 cua UBND tinh."], "LiberationSerif", TITLE
    )
    reader = PdfReader(io.BytesIO(data))
    assert repair_fonts(reader) == 0


# --- DOCX by a real writer -----------------------------------------------------------------------
def test_docx_runs_in_vntime(tmp_path):
    docx = pytest.importorskip("docx", reason="python-docx writes the DOCX")
    doc = docx.Document()
    p = doc.add_paragraph()
    title = p.add_run(TITLE_TCVN3_CAPS)
    title.font.name = ".VnTimeH"
    p = doc.add_paragraph()
    legacy = p.add_run("1. " + SENTENCE_TCVN3 + " ")
    legacy.font.name = ".VnTime"
    modern = p.add_run("(đã được chuyển sang Unicode)")
    modern.font.name = "Times New Roman"
    p = doc.add_paragraph()
    p.add_run("2. Së C«ng Th\xad¬ng chñ tr× thùc hiÖn kÕ ho¹ch nµy.").font.name = ".VnTime"
    buf = io.BytesIO()
    doc.save(buf)
    parsed = parse_bytes("ke-hoach.docx", buf.getvalue())
    text = _texts(parsed)
    assert parsed.meta.doc_type == "Kế hoạch"  # the title, typed in .VnTimeH
    assert f"{SENTENCE} (đã được chuyển sang Unicode)" in text
    assert "Sở Công Thương chủ trì thực hiện kế hoạch này" in text


# --- the published plan 1105 (a PDF without /ToUnicode) ------------------------------------------
def _real_plans() -> Path:
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from eval.realsuite import data_dir

    return data_dir()


def test_real_plan_1105_reads_as_unicode():
    if not os.environ.get("REAL_PLANS_DIR") and not _real_plans().is_dir():
        pytest.skip("the real plans are absent (set REAL_PLANS_DIR)")
    pdf = _real_plans() / "original" / "KH-1105-DKT-ke-hoach-kiem-tra.pdf"
    if not pdf.is_file():
        pytest.skip(f"no {pdf}")
    parsed = parse_file(pdf)
    text = unicodedata.normalize("NFC", _texts(parsed))
    assert "1105/KH-ĐKT" in text  # the number stamped into its blank, put back in place
    # the header read whole: the title is the plan's, on its header card
    assert unicodedata.normalize("NFC", parsed.meta.title or "").startswith(
        "Kiểm tra việc chấp hành Quy định pháp luật"
    )
    assert "Kế hoạch số 1105/KH-ĐKT ngày 10/3/2026" in text
    assert "Trưởng đoàn kiểm tra lập kế hoạch tiến hành kiểm tra như sau" in text
    assert "Hoàn thành nội dung kiểm tra theo" in text
    assert "Ông Đ" in text and "Mạnh Cường" in text
    # rare glyphs read by their place in the font's glyph order (glyph_order.py), not as the
    # syllable their one or two words make most often ("Định giá", "Đề Mạnh Cường", "7 chề")
    for words in ("Đánh giá toàn diện", "đúng trình tự", "Ông. Đỗ Mạnh Cường", "Theo phụ lục đính kèm"):
        assert words in text
    assert "Xe ô tô 7 chỗ" in text and "đóng dấu" in text and "tính từ ngày" in text
    # the signature column read line by line (pdf_loader, patterns: TRƯỞNG ĐOÀN)
    assert (parsed.meta.signer, parsed.meta.signer_position) == ("Hoàng Văn Thuân", "TRƯỞNG ĐOÀN")
    # each appendix's name in capitals, apart from its "(Kèm theo Kế hoạch số 1105/KH-ĐKT …)" line
    assert [x.get("doc_type") for x in parsed.meta.parts] == ["Kế hoạch", "Phụ lục", "Phụ lục"]


def _parse_all(paths: list[Path]) -> dict[str, list[str]]:
    out = {}
    for path in paths:
        parsed = parse_file(path)
        out[path.name] = [parsed.meta.title or "", *(p.text for p in parsed.passages)]
    return out


def test_no_plan_in_unicode_is_changed(monkeypatch):
    """Every corpus plan and every real plan but the 1105 PDF parses exactly as it does with
    the legacy decoding and the font repair switched off: no false detection."""
    import assistant.ingest.docx_loader as docx_loader
    import assistant.ingest.encoding as encoding
    import assistant.ingest.pdf_loader as pdf_loader

    paths = sorted(CORPUS.glob("*.txt"))
    real = _real_plans()
    if real.is_dir():
        paths += sorted(p for p in real.rglob("*") if p.suffix in (".txt", ".md", ".pdf", ".docx"))
    paths = [
        p for p in paths if p.name.lower() != "readme.md" and not (p.suffix == ".pdf" and "1105" in p.name)
    ]
    on = _parse_all(paths)
    monkeypatch.setattr(pdf_loader, "repair_fonts", lambda reader: 0)
    monkeypatch.setattr(docx_loader, "legacy_of_font", lambda name: None)
    monkeypatch.setattr(encoding, "detect_legacy", lambda text: None)
    off = _parse_all(paths)
    assert on == off
