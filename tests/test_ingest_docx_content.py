"""What Word shows and python-docx's plain reading loses (issue 12, class 6): tracked insertions of
a draft under review, content controls of a department's template, smart tags and simple fields
inside a line, a table inside an annex cell (its rows are lines of the cell). Small plans written here with python-docx, with the
Word XML those features are saved as."""

from __future__ import annotations

import io

import pytest
from _docx import FOOTER, W, run_xml
from _docx import HEADER as PLAN_HEADER

from assistant.ingest import parse_bytes
from assistant.ingest.docx_loader import load_docx

pytest.importorskip("docx")
import docx  # noqa: E402
from docx.oxml import parse_xml  # noqa: E402

HEADER = [*PLAN_HEADER, "I. NHIỆM VỤ"]


def _plan() -> bytes:
    d = docx.Document()
    for line in HEADER:
        d.add_paragraph(line)
    # a draft under review: the task's end is a tracked insertion, a struck word a tracked deletion
    p = d.add_paragraph("1. Sở Y tế chủ trì ")
    p._p.append(
        parse_xml(
            f'<w:ins {W} w:id="1" w:author="VP" w:date="2024-05-01T00:00:00Z">{run_xml("giám sát dịch bệnh")}</w:ins>'
        )
    )
    p._p.append(
        parse_xml(
            f'<w:del {W} w:id="2" w:author="VP" w:date="2024-05-01T00:00:00Z"><w:r><w:delText> hằng tuần</w:delText></w:r></w:del>'
        )
    )
    p.add_run(" tại các xã.")
    # a template's fill-in field (inline content control), a smart tag and a simple field
    p = d.add_paragraph("2. Sở Tài chính bố trí kinh phí ")
    p._p.append(
        parse_xml(f"<w:sdt {W}><w:sdtContent>{run_xml('trước ngày 30/6/2024')}</w:sdtContent></w:sdt>")
    )
    p._p.append(
        parse_xml(f'<w:smartTag {W} w:uri="u" w:element="place">{run_xml(" cho các huyện")}</w:smartTag>')
    )
    p._p.append(parse_xml(f'<w:fldSimple {W} w:instr="DOCPROPERTY Nam">{run_xml(" năm 2024")}</w:fldSimple>'))
    p.add_run(".")
    # a whole paragraph inside a block content control
    body = d.element.body
    body.insert(
        len(body) - 1,
        parse_xml(
            f"<w:sdt {W}><w:sdtContent><w:p>{run_xml('3. Sở Nội vụ hướng dẫn thi đua, khen thưởng.')}</w:p></w:sdtContent></w:sdt>"
        ),
    )
    d.add_paragraph("Trên đây là Kế hoạch phòng chống dịch bệnh./.")
    for line in FOOTER:
        d.add_paragraph(line)
    d.add_paragraph("PHỤ LỤC")
    t = d.add_table(rows=2, cols=3)
    for i, h in enumerate(("TT", "Nhiệm vụ", "Thời gian")):
        t.cell(0, i).text = h
    t.cell(1, 0).text = "1"
    t.cell(1, 1).text = "Kiểm tra các xã"
    # deadlines of one annex row as a table inside its cell
    inner = t.cell(1, 2).add_table(rows=2, cols=2)
    for (r, c), text in {(0, 0): "Đợt 1", (0, 1): "Quý II", (1, 0): "Đợt 2", (1, 1): "Quý IV"}.items():
        inner.cell(r, c).text = text
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def test_loader_reads_what_word_shows():
    texts = [b.text for b in load_docx("kh.docx", _plan()).blocks]
    assert "1. Sở Y tế chủ trì giám sát dịch bệnh tại các xã." in texts  # insertion kept, deletion not
    assert "2. Sở Tài chính bố trí kinh phí trước ngày 30/6/2024 cho các huyện năm 2024." in texts
    assert "3. Sở Nội vụ hướng dẫn thi đua, khen thưởng." in texts
    assert not any("hằng tuần" in t for t in texts)
    row = next(b for b in load_docx("kh.docx", _plan()).blocks if b.text.startswith("1 | Kiểm tra"))
    assert row.cells == ("1", "Kiểm tra các xã", "Đợt 1, Quý II\nĐợt 2, Quý IV")


def test_passages_of_the_draft_hold_its_tasks_and_units():
    doc = parse_bytes("kh.docx", _plan())
    by_text = {p.text: p for p in doc.passages}
    task = by_text["1. Sở Y tế chủ trì giám sát dịch bệnh tại các xã."]
    assert task.lead == ("Sở Y tế",)
    nv = next(p for p in doc.passages if p.text.startswith("3. Sở Nội vụ"))
    assert nv.lead == ("Sở Nội vụ",) and nv.section[-1].startswith("3.")
    row = next(p for p in doc.passages if p.kind == "table_row" and "Kiểm tra các xã" in p.text)
    assert row.text == "Nhiệm vụ: Kiểm tra các xã | Thời gian: Đợt 1, Quý II Đợt 2, Quý IV"
    assert doc.meta.signer == "Lê Văn Ba"


def _with_footnote() -> bytes:
    from docx.opc.constants import CONTENT_TYPE as CT
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    d = docx.Document()
    for line in HEADER:
        d.add_paragraph(line)
    p = d.add_paragraph("1. Sở Tư pháp chủ trì phổ biến các văn bản pháp luật về khoáng sản")
    # Word's ids are keys (here 7): the note prints as ¹, the first referenced
    p._p.append(
        parse_xml(
            f'<w:r {W}><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:footnoteReference w:id="7"/></w:r>'
        )
    )
    p.add_run(" đến Nhân dân.")
    d.add_paragraph("2. Sở Tài chính bố trí kinh phí.")
    for line in FOOTER:
        d.add_paragraph(line)
    notes = (
        f'<w:footnotes {W}><w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
        '<w:footnote w:id="7"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> Luật Địa chất và khoáng sản</w:t>'
        "<w:br/><w:t>ngày 29/11/2024.</w:t></w:r></w:p></w:footnote></w:footnotes>"
    )
    part = Part(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, notes.encode(), d.part.package)
    d.part.relate_to(part, RT.FOOTNOTES)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def test_word_footnote_is_a_passage_linked_from_the_line_citing_it():
    doc = parse_bytes("kh.docx", _with_footnote())
    note = next(p for p in doc.passages if p.kind == "footnote")
    assert note.text == "¹ Luật Địa chất và khoáng sản ngày 29/11/2024."
    citing = next(p for p in doc.passages if p.text.startswith("1. Sở Tư pháp"))
    assert citing.text == "1. Sở Tư pháp chủ trì phổ biến các văn bản pháp luật về khoáng sản¹ đến Nhân dân."
    assert citing.footnotes == (note.id,) and citing.lead == ("Sở Tư pháp",)
    assert note.section == citing.section
    assert doc.meta.signer == "Lê Văn Ba"


def _cell_lines(cell, lines: list[str]) -> None:
    for k, line in enumerate(lines):
        (cell.paragraphs[0] if k == 0 else cell.add_paragraph()).add_run(line)


def _letter() -> tuple[bytes, str]:
    """A công văn as Word lays it out, and its text copy (paragraphs and rows in body order, a row's
    cells joined by " | ", a cell's paragraphs by a space), as offices paste one."""
    from docx.table import Table

    d = docx.Document()
    head = d.add_table(rows=2, cols=2)
    _cell_lines(head.cell(0, 0), ["ỦY BAN NHÂN DÂN", "TỈNH YÊN BÁI"])
    _cell_lines(head.cell(0, 1), ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"])
    # the number, then the subject wrapped over two lines, in the left cell
    _cell_lines(head.cell(1, 0), ["Số:        /UBND-KT", "V/v tăng cường quản lý cát, sỏi", "lòng sông"])
    _cell_lines(head.cell(1, 1), ["Yên Bái, ngày      tháng 6 năm 2026"])
    for line in ("Kính gửi:", "- Sở Xây dựng;", "- Công an tỉnh."):
        d.add_paragraph(line)
    d.add_paragraph("1. Sở Xây dựng rà soát các bến thủy nội địa, đình chỉ các bến không đủ điều kiện.")
    d.add_paragraph("2. Công an tỉnh tăng cường tuần tra trên các tuyến sông./.")
    sign = d.add_table(rows=1, cols=2)
    _cell_lines(sign.cell(0, 0), ["Nơi nhận:", "- Như trên;", "- Lưu: VT, KT."])
    _cell_lines(sign.cell(0, 1), ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Nguyễn Văn An"])
    buf = io.BytesIO()
    d.save(buf)
    text = []
    for item in d.iter_inner_content():
        if isinstance(item, Table):
            text += [" | ".join(c.text.replace("\n", " ") for c in r.cells) for r in item.rows]
        else:
            text.append(item.text)
    return buf.getvalue(), "\n".join(text)


def test_letter_header_of_the_docx_reads_as_its_text_copy():
    data, text = _letter()
    original, copy = parse_bytes("cv.docx", data), parse_bytes("cv.txt", text.encode())
    m = original.meta
    assert (m.doc_type, m.number_text, m.date, m.title) == (
        "Công văn",
        "Số: /UBND-KT",
        "2026-06",
        "Tăng cường quản lý cát, sỏi lòng sông",
    )
    assert m.recipients == ["Sở Xây dựng", "Công an tỉnh", "Như trên", "Lưu: VT, KT"]
    assert not any(p.kind == "table_row" for p in original.passages)  # the header is no table
    for fact in (
        "doc_type",
        "number_text",
        "date",
        "issuer",
        "title",
        "signer",
        "signer_position",
        "recipients",
    ):
        assert getattr(copy.meta, fact) == getattr(m, fact), fact
    body = [(p.kind, p.section, p.lead, p.text) for p in original.passages if p.kind != "metadata"]
    assert body == [(p.kind, p.section, p.lead, p.text) for p in copy.passages if p.kind != "metadata"]


def test_group_row_merged_across_the_annex_table_heads_its_rows():
    """ "I. Công tác chuẩn bị" merged over the whole row, STT cell included: Word's DOCX gives it once,
    its text copy once per column; in both it heads the task rows under it."""
    from docx.table import Table

    d = docx.Document()
    for line in [*HEADER[:6], "I. MỤC ĐÍCH", "Bảo đảm an toàn.", *FOOTER, "PHỤ LỤC"]:
        d.add_paragraph(line)
    t = d.add_table(rows=4, cols=4)
    for i, h in enumerate(("TT", "Nhiệm vụ", "Cơ quan chủ trì", "Thời gian")):
        t.cell(0, i).text = h
    t.cell(1, 0).merge(t.cell(1, 3)).text = "I. Công tác chuẩn bị"
    for r, row in enumerate(
        [
            ("1", "Rà soát các điểm sạt lở", "Sở Xây dựng", "Quý II/2026"),
            ("2", "Diễn tập", "Công an tỉnh", "Tháng 6"),
        ],
        2,
    ):
        for c, v in enumerate(row):
            t.cell(r, c).text = v
    buf = io.BytesIO()
    d.save(buf)
    text = []
    for item in d.iter_inner_content():
        if isinstance(item, Table):
            text += [" | ".join(c.text for c in r.cells) for r in item.rows]
        else:
            text.append(item.text)
    for doc in (parse_bytes("kh.docx", buf.getvalue()), parse_bytes("kh.txt", "\n".join(text).encode())):
        rows = [(p.section[-2:], p.lead) for p in doc.passages if p.kind == "table_row"]
        assert rows == [
            (("I. Công tác chuẩn bị", "1. Sở Xây dựng"), ("Sở Xây dựng",)),
            (("I. Công tác chuẩn bị", "2. Công an tỉnh"), ("Công an tỉnh",)),
        ]


def test_word_footnote_in_an_annex_cell_is_linked_from_its_row():
    from docx.opc.constants import CONTENT_TYPE as CT
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    d = docx.Document()
    for line in [*HEADER[:6], "I. MỤC ĐÍCH", "Bảo đảm an toàn.", *FOOTER, "PHỤ LỤC"]:
        d.add_paragraph(line)
    t = d.add_table(rows=2, cols=3)
    for i, h in enumerate(("TT", "Nhiệm vụ", "Cơ quan chủ trì")):
        t.cell(0, i).text = h
    t.cell(1, 0).text, t.cell(1, 2).text = "1", "Sở Tư pháp"
    p = t.cell(1, 1).paragraphs[0]
    p.add_run("Phổ biến Luật Địa chất và khoáng sản")
    p._p.append(parse_xml(f'<w:r {W}><w:footnoteReference w:id="3"/></w:r>'))
    notes = f'<w:footnotes {W}><w:footnote w:id="3"><w:p><w:r><w:t>Luật số 54/2024/QH15.</w:t></w:r></w:p></w:footnote></w:footnotes>'
    d.part.relate_to(
        Part(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, notes.encode(), d.part.package), RT.FOOTNOTES
    )
    buf = io.BytesIO()
    d.save(buf)
    doc = parse_bytes("kh.docx", buf.getvalue())
    note = next(p for p in doc.passages if p.kind == "footnote")
    row = next(p for p in doc.passages if p.kind == "table_row")
    assert note.text == "¹ Luật số 54/2024/QH15." and row.footnotes == (note.id,)
    assert row.text.startswith("Phổ biến Luật Địa chất và khoáng sản¹") and row.lead == ("Sở Tư pháp",)
