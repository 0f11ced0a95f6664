"""PDF and DOCX written here by real writers (fpdf2 + DejaVu, python-docx) from corpus plans,
and bad files that must each raise their own clear error."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from assistant.errors import (
    CorruptDocument,
    DocumentError,
    EmptyDocument,
    EncryptedDocument,
    FileTooLarge,
    NeedsOCR,
    UndecodableText,
    UnsupportedFormat,
)
from assistant.ingest import parse_bytes, parse_file
from assistant.ingest.loaders import decode_text, load_text
from assistant.ingest.patterns import SUPERSCRIPT_MARK

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
FONT_BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"

fpdf = pytest.importorskip("fpdf")
docx = pytest.importorskip("docx")


def _blocks(stem: str):
    src = CORPUS / f"{stem}.txt"
    return load_text(src.name, decode_text(src.name, src.read_bytes())).blocks


def _pdf_of(stem: str) -> bytes:
    """The plan as an official would print it: one paragraph after another, A4, Unicode font."""
    pdf = fpdf.FPDF(format="A4")
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_font("dv", "", FONT)
    pdf.add_font("dv", "B", FONT_BOLD)
    pdf.add_page()
    for b in _blocks(stem):
        pdf.set_font("dv", "B" if b.bold else "", size=11)
        pdf.multi_cell(0, 6, b.text, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
    return bytes(pdf.output())


def _docx_of(stem: str) -> bytes:
    """The plan in Word: paragraphs with bold and superscript runs, tab rows as a real table."""
    d = docx.Document()
    table = None
    for b in _blocks(stem):
        if b.kind == "table_row":
            if table is None:
                table = d.add_table(rows=0, cols=len(b.cells))
            row = table.add_row()
            for cell, text in zip(row.cells, b.cells):
                lines = text.split("\n")
                cell.paragraphs[0].text = lines[0]
                for ln in lines[1:]:
                    cell.add_paragraph(ln)
            continue
        table = None
        p = d.add_paragraph()
        pos = 0
        for m in SUPERSCRIPT_MARK.finditer(b.text):  # footnote markers as real superscript runs
            p.add_run(b.text[pos : m.start()]).bold = b.bold
            sup = p.add_run(m.group(0).translate(str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁽⁾", "0123456789()")))
            sup.font.superscript = True
            pos = m.end()
        p.add_run(b.text[pos:]).bold = b.bold
    bio = io.BytesIO()
    d.save(bio)
    return bio.getvalue()


def _sig(doc):
    return [(p.kind, p.section, p.lead, p.partners, p.requested, p.row) for p in doc.passages]


@pytest.mark.parametrize(
    "stem", ["lap-vo-2024-truyen-thong-chinh-sach", "dong-thap-2024-thong-tin-doi-ngoai"]
)
def test_pdf_gives_the_same_structure_as_text(stem, tmp_path):
    ref = parse_file(CORPUS / f"{stem}.txt")
    path = tmp_path / f"{stem}.pdf"
    path.write_bytes(_pdf_of(stem))
    got = parse_file(path)
    assert got.meta.source_format == "pdf"
    assert _sig(got) == _sig(ref)
    assert [p.text for p in got.passages] == [p.text for p in ref.passages]
    assert (got.meta.number, got.meta.date, got.meta.signer, got.meta.province, got.meta.district) == (
        ref.meta.number,
        ref.meta.date,
        ref.meta.signer,
        ref.meta.province,
        ref.meta.district,
    )
    pages = [p.page for p in got.passages if p.kind != "metadata"]
    assert all(isinstance(n, int) and n >= 1 for n in pages)
    articles = [p.page for p in got.passages if p.kind == "article"]
    assert articles == sorted(articles) and articles[0] == 1 and max(pages) >= 5  # passages in page order


@pytest.mark.parametrize(
    "stem",
    [
        "dong-thap-2023-phan-cong-tao-dung-hinh-anh",
        "dong-thap-2024-thong-tin-doi-ngoai",
        "tra-vinh-2023-1899-qd-ubnd",
    ],
)
def test_docx_gives_the_same_structure_as_text(stem):
    ref = parse_file(CORPUS / f"{stem}.txt")
    got = parse_bytes(f"{stem}.docx", _docx_of(stem))
    assert got.meta.source_format == "docx"
    assert _sig(got) == _sig(ref)
    assert [p.text for p in got.passages] == [p.text for p in ref.passages]
    assert got.meta.to_dict() | {"sha256": "", "source_format": ""} == ref.meta.to_dict() | {
        "doc": got.meta.doc,
        "sha256": "",
        "source_format": "",
    }


def test_docx_table_rows_come_from_a_real_word_table():
    data = _docx_of("dong-thap-2023-phan-cong-tao-dung-hinh-anh")
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert z.read("word/document.xml").count(b"<w:tr") == 24  # header + 19 rows + 4 continuation rows
    rows = [p for p in parse_bytes("pl.docx", data).passages if p.kind == "table_row"]
    assert len(rows) == 65 and len({p.row for p in rows}) == 19


# --- bad files ---------------------------------------------------------------------------------
def _plain_pdf() -> bytes:
    pdf = fpdf.FPDF()
    pdf.add_page()
    pdf.add_font("dv", "", FONT)
    pdf.set_font("dv", size=11)
    pdf.multi_cell(
        0, 6, "KẾ HOẠCH\n\nI. MỤC ĐÍCH\n\n1. Sở Nội vụ có trách nhiệm thực hiện kế hoạch này trong năm 2024."
    )
    return bytes(pdf.output())


def _encrypted(user: str, owner: str) -> bytes:
    from pypdf import PdfReader, PdfWriter

    w = PdfWriter(clone_from=PdfReader(io.BytesIO(_plain_pdf())))
    w.encrypt(user, owner_password=owner)
    bio = io.BytesIO()
    w.write(bio)
    return bio.getvalue()


def _small_docx() -> bytes:
    d = docx.Document()
    d.add_paragraph("I. MỤC ĐÍCH")
    d.add_paragraph("1. Sở Nội vụ có trách nhiệm thực hiện.")
    bio = io.BytesIO()
    d.save(bio)
    return bio.getvalue()


def _zip_bomb() -> bytes:
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(_small_docx())) as zin,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z,
    ):
        for info in zin.infolist():
            z.writestr(info, zin.read(info.filename))
        with z.open("word/media/image1.bin", "w") as f:  # 30 MiB of zeros: a few dozen KB compressed
            for _ in range(30):
                f.write(b"\0" * (1 << 20))
    return out.getvalue()


def _no_text_layer() -> bytes:
    pdf = fpdf.FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 120, 80, style="F")  # a scan would be an image; a drawing has no text either
    return bytes(pdf.output())


BAD = [
    ("empty.txt", lambda: b"", EmptyDocument),
    ("empty.pdf", lambda: b"", EmptyDocument),
    ("empty.docx", lambda: b"", EmptyDocument),
    ("random.pdf", lambda: os.urandom(4096), CorruptDocument),
    ("random.docx", lambda: os.urandom(4096), CorruptDocument),
    ("truncated.pdf", lambda: _plain_pdf()[:700], CorruptDocument),
    ("truncated.docx", lambda: _small_docx()[: len(_small_docx()) // 2], CorruptDocument),
    ("undecodable.txt", lambda: bytes(range(128, 256)) * 40, UndecodableText),
    # Latin-1 letters that no legacy table reads as Vietnamese (a VNI file is read: test_ingest_legacy_fonts)
    (
        "latin1.txt",
        lambda: ("Änderung der Größe: Übersicht für München und Köln. " * 4).encode("cp1252"),
        UndecodableText,
    ),
    ("binary.txt", lambda: b"\x00\x01\x02" * 500, UndecodableText),
    ("scan.pdf", _no_text_layer, NeedsOCR),
    ("locked.pdf", lambda: _encrypted("mat-khau", "chu-so-huu"), EncryptedDocument),
    ("bomb.docx", _zip_bomb, FileTooLarge),
    ("old.doc", lambda: b"\xd0\xcf\x11\xe0" + b"\0" * 600, UnsupportedFormat),
]


@pytest.mark.parametrize("name,make,error", BAD, ids=[b[0] for b in BAD])
def test_bad_files_raise_their_specific_error(name, make, error):
    with pytest.raises(error) as e:
        parse_bytes(name, make())
    err = e.value
    assert isinstance(err, DocumentError)
    assert name in err.message_vi and name in err.message_en  # both messages name the file
    assert err.message_vi != err.message_en and err.hint


def test_owner_only_encryption_is_read():
    doc = parse_bytes("owner-only.pdf", _encrypted("", "chu-so-huu"))
    assert any(p.lead == ("Sở Nội vụ",) for p in doc.passages)


def test_oversize_file_is_refused_before_reading(tmp_path):
    path = tmp_path / "lon.txt"
    path.write_bytes((CORPUS / "lap-vo-2024-truyen-thong-chinh-sach.txt").read_bytes())
    with pytest.raises(FileTooLarge) as e:
        parse_file(path, max_bytes=10_000)
    assert "lon.txt" in e.value.message_vi and "10 KB" in e.value.message_vi
    with pytest.raises(FileTooLarge):
        parse_bytes("lon.txt", path.read_bytes(), max_bytes=10_000)
    assert parse_file(path, max_bytes=1_000_000).meta.district == "Lấp Vò"


def test_plan_without_body_is_empty():
    with pytest.raises(EmptyDocument):
        parse_bytes("chrome.txt", "Đăng nhập\n\nIP: 1.2.3.4\n\n42\n".encode())


def test_module_cli_reports_errors_without_traceback(tmp_path):
    bad = tmp_path / "hong.pdf"
    bad.write_bytes(os.urandom(2048))
    r = subprocess.run(
        [sys.executable, "-m", "assistant.ingest", str(bad)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "hong.pdf" in r.stderr and "bị hỏng" in r.stderr
    ok = subprocess.run(
        [
            sys.executable,
            "-m",
            "assistant.ingest",
            str(CORPUS / "lap-vo-2024-truyen-thong-chinh-sach.txt"),
            "--json",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert ok.returncode == 0 and re.search(r'"district": "Lấp Vò"', ok.stdout)
