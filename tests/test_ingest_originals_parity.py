"""The published originals (DOCX, PDF) of the development split read as their text versions do
(issue 12, classes 6 and 7): the answer must not depend on whether an official uploads the
original or a text copy. Read in place from ``REAL_PLANS_DIR``; skipped when absent. Only the
development split's plans are named here (see eval/realplans/README.md for the split)."""

from __future__ import annotations

import pytest

from assistant.ingest import parse_file
from eval.realsuite import data_dir

REAL = data_dir()
# text version → the original as published, development split only
DEV_PAIRS = {
    "lao-cai-2026-1105-kh-dkt-kiem-tra-vlncn.txt": "KH-1105-DKT-ke-hoach-kiem-tra.pdf",
    "lao-cai-2026-3024-kh-sct-kiem-tra-sin-quyen.txt": "KH-3024_27.5.2026_Ky-rieng-Sin-Quyen.docx",
    "lao-cai-2026-3898-kh-sct-huan-luyen.txt": "KH-3898_30.6.2026_Huan-luyen-nguoi-quan-ly.docx",
    "lao-cai-2026-chi-thi-11-kh-ubnd-khoang-san.txt": "KH-UBND-trien-khai-Chi-thi-11-CT-TU-QLNN-khoang-san.docx",
}
HEADER_FACTS = (
    "doc_type",
    "number",
    "date",
    "issuer",
    "province",
    "title",
    "signer",
    "signer_authority",
    "signer_position",
    "recipients",
)


def _pair(text: str, original: str):
    t, o = REAL / "plans" / text, REAL / "original" / original
    if not (t.is_file() and o.is_file()):
        pytest.skip(f"the real plans are absent: no {t} or {o}")
    return parse_file(t), parse_file(o)


@pytest.mark.parametrize("text,original", sorted(DEV_PAIRS.items()))
def test_header_facts_of_the_original_are_those_of_the_text(text, original):
    t, o = _pair(text, original)
    for fact in HEADER_FACTS:
        assert getattr(t.meta, fact) == getattr(o.meta, fact), fact


def test_text_printed_with_its_layout_keeps_the_signature_out_of_the_recipients():
    # 1105 as text is the PDF printed with its layout: "… phương      TRƯỞNG ĐOÀN" ¶ "tiện Phục vụ …"
    t, _ = _pair(
        "lao-cai-2026-1105-kh-dkt-kiem-tra-vlncn.txt",
        DEV_PAIRS["lao-cai-2026-1105-kh-dkt-kiem-tra-vlncn.txt"],
    )
    assert (t.meta.signer_authority, t.meta.signer_position) == ("T/M.", "TRƯỞNG ĐOÀN")
    assert "Văn phòng Sở (Bố trí kinh phí, phương tiện Phục vụ Đoàn kiểm tra)" in t.meta.recipients


def test_word_footnote_of_the_original_is_read():
    # the Chỉ thị 11 DOCX cites its laws in a Word footnote, which the text copy lost
    text = "lao-cai-2026-chi-thi-11-kh-ubnd-khoang-san.txt"
    t, o = _pair(text, DEV_PAIRS[text])
    notes = [p for p in o.passages if p.kind == "footnote"]
    assert len(notes) == 1 and notes[0].text.startswith(
        "¹ Đặc biệt: Luật Địa chất và khoáng sản ngày 29/11/2024;"
    )
    citing = [p for p in o.passages if notes[0].id in p.footnotes]
    assert len(citing) == 1 and "pháp luật của Nhà nước về địa chất, khoáng sản¹ đến cán bộ" in citing[0].text
    assert not any(p.kind == "footnote" for p in t.passages)


@pytest.mark.parametrize(
    "text", ["lao-cai-2026-3024-kh-sct-kiem-tra-sin-quyen.txt", "lao-cai-2026-3898-kh-sct-huan-luyen.txt"]
)
def test_person_rows_of_the_original_are_those_of_the_text(text):
    # "Nhiệm vụ | Người thực hiện": a Word cell holds a name a line, its text copy runs them
    # together ("Đỗ Mạnh Cường Vũ Việt Linh Nguyễn Thị thúy Nhung", a small letter inside a name)
    t, o = _pair(text, DEV_PAIRS[text])

    def rows(doc):
        return [(p.text, p.persons, p.lead) for p in doc.passages if p.kind == "table_row"]

    assert rows(t) == rows(o) and len(rows(t)) == 9
    assert all(persons for _, persons, _ in rows(t))


def test_names_run_together_with_a_slip_inside_one():
    from assistant.ingest.persons import person_names

    assert person_names("Đỗ Mạnh Cường Vũ Việt Linh Nguyễn Thị thúy Nhung") == [
        "Đỗ Mạnh Cường",
        "Vũ Việt Linh",
        "Nguyễn Thị thúy Nhung",
    ]
    assert person_names("Nguyễn Văn Tèo chủ trì") == []  # a name then a verb is no name
