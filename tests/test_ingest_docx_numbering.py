"""Word automatic numbering (numbering.xml) rendered into the DOCX text: plans whose "I.",
"1.", "a)", "-" come from Word, not from typed text, keep their section tree and unit bullets.
Small plans written here with python-docx."""

from __future__ import annotations

import io

import pytest
from _docx import FOOTER, HEADER, W

from assistant.ingest import parse_bytes, parse_file
from assistant.ingest.docx_loader import load_docx

pytest.importorskip("docx")
import docx.enum.style  # noqa: E402
from docx.oxml import parse_xml  # noqa: E402

# (typed label, Word level, text): level 0 Roman sections, 1 numbered items, 2 lettered points, "b" bullets
PLAN = [
    ("I.", 0, "MỤC ĐÍCH, YÊU CẦU"),
    ("1.", 1, "Mục đích"),
    (None, None, "Nâng cao nhận thức của người dân về phòng chống dịch bệnh."),
    ("2.", 1, "Yêu cầu"),
    (None, None, "Bảo đảm an toàn, tiết kiệm, hiệu quả."),
    ("II.", 0, "NHIỆM VỤ"),
    ("1.", 1, "Tuyên truyền"),
    ("a)", 2, "Tổ chức hội nghị tuyên truyền tại các xã."),
    ("b)", 2, "Phát hành tờ rơi đến từng hộ gia đình."),
    ("2.", 1, "Kiểm tra, giám sát"),
    ("a)", 2, "Kiểm tra định kỳ các cơ sở y tế."),
    ("III.", 0, "TỔ CHỨC THỰC HIỆN"),
    ("-", "b", "Sở Y tế: chủ trì, phối hợp với Sở Tài chính triển khai kế hoạch."),
    ("-", "b", "Công an tỉnh: bảo đảm an ninh trật tự."),
]


def _save(d) -> bytes:
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


def _add_list(
    d,
    abstract_id: int,
    num_id: int,
    levels: list[tuple[str, str]],
    *,
    restart: dict[int, int] | None = None,
    start: dict[int, int] | None = None,
    overrides: dict[int, int] | None = None,
) -> int:
    """A numbering definition in the document's numbering part, as Word writes one:
    levels are (numFmt, lvlText); returns its numId."""
    numbering = d.part.numbering_part.element
    lvls = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="{(start or {}).get(i, 1)}"/><w:numFmt w:val="{fmt}"/>'
        + (f'<w:lvlRestart w:val="{restart[i]}"/>' if restart and i in restart else "")
        + f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/></w:lvl>'
        for i, (fmt, text) in enumerate(levels)
    )
    abstract = parse_xml(
        f'<w:abstractNum {W} w:abstractNumId="{abstract_id}">'
        f'<w:multiLevelType w:val="multilevel"/>{lvls}</w:abstractNum>'
    )
    first_num = numbering.find(numbering[0].tag.replace("abstractNum", "num"))
    (first_num.addprevious if first_num is not None else numbering.append)(abstract)
    _add_num(d, num_id, abstract_id, overrides)
    return num_id


def _add_num(d, num_id: int, abstract_id: int, overrides: dict[int, int] | None = None) -> int:
    ov = "".join(
        f'<w:lvlOverride w:ilvl="{i}"><w:startOverride w:val="{v}"/></w:lvlOverride>'
        for i, v in (overrides or {}).items()
    )
    d.part.numbering_part.element.append(
        parse_xml(f'<w:num {W} w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/>{ov}</w:num>')
    )
    return num_id


def _number(paragraph, num_id: int, ilvl: int | None = 0) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    ilvl_xml = "" if ilvl is None else f'<w:ilvl w:val="{ilvl}"/>'
    ppr.append(parse_xml(f'<w:numPr {W}>{ilvl_xml}<w:numId w:val="{num_id}"/></w:numPr>'))


def _plan_docx(numbered: bool) -> bytes:
    d = docx.Document()
    for line in HEADER:
        d.add_paragraph(line)
    num = _add_list(d, 90, 90, [("upperRoman", "%1."), ("decimal", "%2."), ("lowerLetter", "%3)")])
    dash = _add_list(d, 89, 89, [("bullet", "\uf02d")])  # Word's dash bullet: a Symbol-font glyph, not "-"
    for label, level, text in PLAN:
        if not numbered or label is None:
            d.add_paragraph(text if label is None else f"{label} {text}")
        elif level == "b":
            _number(d.add_paragraph(text), dash, 0)
        else:
            _number(d.add_paragraph(text), num, level)
    for line in FOOTER:
        d.add_paragraph(line)
    return _save(d)


def _sig(doc):
    return [(p.kind, p.section, p.lead, p.partners, p.text) for p in doc.passages if p.kind != "metadata"]


def _lines(data: bytes) -> list[str]:
    return [b.text for b in load_docx("x.docx", data).blocks]


def test_word_numbered_plan_has_the_section_tree_of_the_typed_one(tmp_path):
    typed, numbered = tmp_path / "typed.docx", tmp_path / "numbered.docx"
    typed.write_bytes(_plan_docx(numbered=False))
    numbered.write_bytes(_plan_docx(numbered=True))
    ref, got = parse_file(typed), parse_file(numbered)
    assert _sig(got) == _sig(ref)
    assert [p.section for p in got.passages if p.kind == "article"] == [
        ("I. MỤC ĐÍCH, YÊU CẦU", "1. Mục đích"),
        ("I. MỤC ĐÍCH, YÊU CẦU", "2. Yêu cầu"),
        ("II. NHIỆM VỤ", "1. Tuyên truyền", "a)"),
        ("II. NHIỆM VỤ", "1. Tuyên truyền", "b)"),
        ("II. NHIỆM VỤ", "2. Kiểm tra, giám sát", "a)"),
        ("III. TỔ CHỨC THỰC HIỆN",),
        ("III. TỔ CHỨC THỰC HIỆN",),
    ]


def test_unit_under_a_word_bullet_leads_its_passage():
    doc = parse_bytes("plan.docx", _plan_docx(numbered=True))
    bullets = [(p.text, p.lead) for p in doc.passages if p.kind == "article" and p.text.startswith("- ")]
    assert bullets == [
        ("- Sở Y tế: chủ trì, phối hợp với Sở Tài chính triển khai kế hoạch.", ("Sở Y tế",)),
        ("- Công an tỉnh: bảo đảm an ninh trật tự.", ("Công an tỉnh",)),
    ]


def test_list_number_style_with_restart_and_roman_headings_from_numbering_part():
    """Items numbered by the built-in "List Number" style (numbering inherited from the
    style), restarted under the second heading as Word's "Restart at 1" does it: a new
    w:num on the same list with a start override."""
    d = docx.Document()
    roman = _add_list(d, 91, 91, [("upperRoman", "%1.")])
    style_num = d.styles["List Number"].element.pPr.numPr.numId.val
    abstract = d.part.numbering_part.element.num_having_numId(style_num).abstractNumId.val
    restart = _add_num(d, 92, abstract, {0: 1})
    for k, text in enumerate(("MỤC ĐÍCH", "NHIỆM VỤ")):
        _number(d.add_paragraph(text), roman)
        for j, item in enumerate(("Rà soát", "Báo cáo")):
            p = d.add_paragraph(f"{item} {text.lower()}", style="List Number")
            if k == 1 and j == 0:
                _number(p, restart, None)
        d.add_paragraph("Tổng kết", style="List Number 2")  # a list of its own: continues
    assert _lines(_save(d)) == [
        "I. MỤC ĐÍCH",
        "1. Rà soát mục đích",
        "2. Báo cáo mục đích",
        "1. Tổng kết",
        "II. NHIỆM VỤ",
        "1. Rà soát nhiệm vụ",
        "2. Báo cáo nhiệm vụ",
        "2. Tổng kết",
    ]


def test_multilevel_text_start_and_level_restart():
    d = docx.Document()
    # level 1 "%1.%2." restarts under each level 0; level 2 never restarts (lvlRestart 0)
    num = _add_list(
        d,
        93,
        93,
        [("decimal", "%1."), ("decimal", "%1.%2."), ("lowerLetter", "%3)")],
        restart={2: 0},
        start={0: 3},
    )
    for text, lvl in [("A", 0), ("B", 1), ("C", 2), ("D", 1), ("E", 0), ("F", 1), ("G", 2)]:
        _number(d.add_paragraph(text), num, lvl)
    bullets = _add_list(d, 94, 94, [("bullet", "\uf0b7"), ("bullet", "+")])
    _number(d.add_paragraph("Sở Y tế: chủ trì"), bullets, 0)
    _number(d.add_paragraph("Bố trí kinh phí"), bullets, 1)
    _number(d.add_paragraph("- Đã gõ gạch đầu dòng"), bullets, 0)
    _number(d.add_paragraph(""), bullets, 0)  # empty numbered paragraph: nothing
    assert _lines(_save(d)) == [
        "3. A",
        "3.1. B",
        "a) C",
        "3.2. D",
        "4. E",
        "4.1. F",
        "b) G",
        "- Sở Y tế: chủ trì",
        "+ Bố trí kinh phí",
        "- Đã gõ gạch đầu dòng",
    ]


def test_auto_numbered_stt_cells_keep_their_number():
    d = docx.Document()
    num = _add_list(d, 95, 95, [("decimal", "%1.")])
    t = d.add_table(rows=3, cols=2)
    t.rows[0].cells[0].text, t.rows[0].cells[1].text = "STT", "Nội dung"
    for i, row in enumerate(t.rows[1:]):
        _number(row.cells[0].paragraphs[0], num, 0)
        row.cells[1].text = f"Việc {i + 1}"
    assert _lines(_save(d)) == ["STT | Nội dung", "1. | Việc 1", "2. | Việc 2"]


def test_odd_numbering_xml_falls_back_to_plain_text():
    d = docx.Document()
    good = _add_list(d, 96, 96, [("upperRoman", "%1."), ("decimal", "%9.")])
    _add_num(d, 97, 999)  # num → missing abstractNum
    _number(d.add_paragraph("Thiếu định nghĩa"), 97, 0)
    _number(d.add_paragraph("Cấp lạ"), good, None)  # no ilvl: level 0
    p = d.add_paragraph("Cấp không phải số")
    p._p.get_or_add_pPr().append(
        parse_xml(f'<w:numPr {W}><w:ilvl w:val="x"/><w:numId w:val="{good}"/></w:numPr>')
    )
    _number(d.add_paragraph("Cấp không có"), good, 7)
    _number(d.add_paragraph("Mức chưa định nghĩa"), good, 1)  # "%9." names a level that does not exist
    _number(d.add_paragraph("Tắt đánh số"), 0, 0)  # numId 0 switches numbering off
    _number(d.add_paragraph("Mã số lạ"), 12345, 0)
    assert _lines(_save(d)) == [
        "Thiếu định nghĩa",
        "I. Cấp lạ",
        "Cấp không phải số",
        "Cấp không có",
        "1. Mức chưa định nghĩa",
        "Tắt đánh số",
        "Mã số lạ",
    ]


def test_numbering_from_styles_linked_to_list_levels():
    """Headings numbered by their style: the list's levels name the styles (w:pStyle), the
    styles carry only the numId; a style based on "List Number" inherits its numbering."""
    d = docx.Document()
    d.part.numbering_part.element.insert(
        0,
        parse_xml(
            f'<w:abstractNum {W} w:abstractNumId="80">'
            '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="upperRoman"/><w:pStyle w:val="Heading1"/>'
            '<w:lvlText w:val="%1."/></w:lvl>'
            '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:pStyle w:val="Heading2"/>'
            '<w:lvlText w:val="%2."/></w:lvl></w:abstractNum>'
        ),
    )
    _add_num(d, 80, 80)
    for name in ("Heading 1", "Heading 2"):
        d.styles[name].element.get_or_add_pPr().append(
            parse_xml(f'<w:numPr {W}><w:numId w:val="80"/></w:numPr>')
        )
    item = d.styles.add_style("Muc", docx.enum.style.WD_STYLE_TYPE.PARAGRAPH)
    item.base_style = d.styles["List Number"]
    for text, style in [
        ("MỤC ĐÍCH", "Heading 1"),
        ("Mục đích", "Heading 2"),
        ("Yêu cầu", "Heading 2"),
        ("NHIỆM VỤ", "Heading 1"),
        ("Tuyên truyền", "Heading 2"),
        ("Rà soát", "Muc"),
    ]:
        d.add_paragraph(text, style=style)
    assert _lines(_save(d)) == [
        "I. MỤC ĐÍCH",
        "1. Mục đích",
        "2. Yêu cầu",
        "II. NHIỆM VỤ",
        "1. Tuyên truyền",
        "1. Rà soát",
    ]
