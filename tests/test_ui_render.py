"""UI formatting: escaping (markdown and HTML), highlighting, context windows, spreadsheet exports.

Pure functions over real records; the browser test checks the same in Chromium.
"""

from __future__ import annotations

import csv
import html
import re

import pytest
from markdown_it import MarkdownIt

from assistant.records import Answer, Citation, DocMeta, Passage
from assistant.ui_render import (
    answer_markdown,
    context_html,
    copy_text,
    filters_from,
    highlight,
    md_escape,
    plan_choices,
    scope_choices,
    sources_html,
    write_csv,
    write_xlsx,
)

NASTY = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(2)> & <b>đậm</b>",
    "**sao** _gạch_ `mã` [liên kết](javascript:alert(3)) ![ảnh](x)",
    "# tiêu đề\n1. mục\n- gạch đầu dòng\n> trích\n| a | b |",
    "Sở TT&TT: 50% \\ $x$ $$y$$ ~~xoá~~ &amp; &lt;i&gt;",
    "a < b > c, https://example.gov.vn <https://x.vn>",
]


@pytest.mark.parametrize("text", NASTY)
def test_md_escape_renders_the_exact_characters(text):
    rendered = MarkdownIt("commonmark").enable("strikethrough").enable("table").render(md_escape(text))
    # only paragraph markup and line breaks come out; the text is the input, HTML-escaped
    body = rendered.replace("<p>", "").replace("</p>", "").replace("<br />", "").strip()
    assert html.unescape(body).replace("\n", "") == text.replace("\n", "")
    assert "<script" not in rendered and "<img" not in rendered and "<a " not in rendered


def _answer(text="Sở Văn hóa, Thể thao và Du lịch chủ trì [1].", **kw) -> dict:
    passage = "Giao Sở Văn hóa, Thể thao và Du lịch chủ trì <b>tổ chức</b> lễ hội; hạn 30/6."
    base = dict(
        question="Ai chủ trì lễ hội?",
        answer=text,
        intent="lead_unit",
        units={"lead": ["Sở Văn hóa, Thể thao và Du lịch"], "partners": ["Công an tỉnh"]},
        citations=[
            Citation(
                n=1,
                passage_id="kh-x:ii.1:ab12",
                doc="kh-x.txt",
                title="Kế hoạch <X>",
                section="II › 1",
                text=passage,
                quote="chủ trì <b>tổ chức</b> lễ hội",
                score=0.9,
            )
        ],
    )
    base.update(kw)
    return Answer(**base).to_dict()


def test_answer_markdown_bolds_units_and_lists_missing_ones():
    md = answer_markdown(_answer())
    assert md.startswith("**Sở Văn hóa, Thể thao và Du lịch**")
    assert "Phối hợp: **Công an tỉnh**" in md  # not named in the text: shown beside it
    assert "Chủ trì:" not in md  # the lead is already bold in the text
    # a unit name inside a longer one is not bolded twice
    md2 = answer_markdown(
        _answer(
            "Sở Văn hóa, Thể thao và Du lịch và Sở Văn hóa phối hợp.",
            units={"lead": ["Sở Văn hóa", "Sở Văn hóa, Thể thao và Du lịch"], "partners": []},
        )
    )
    assert md2.count("**") == 4


def test_highlight_escapes_every_part():
    out = highlight("a <b>x</b> c", "<b>x</b>")
    assert out == "a <mark>&lt;b&gt;x&lt;/b&gt;</mark> c"
    assert highlight("a <b> c", "zzz") == "a &lt;b&gt; c"


def test_sources_html_escapes_and_marks_the_quote():
    out = sources_html(_answer())
    assert "<b>" not in out and "&lt;b&gt;tổ chức&lt;/b&gt;" in out
    assert "<mark>chủ trì &lt;b&gt;tổ chức&lt;/b&gt; lễ hội</mark>" in out
    assert "Kế hoạch &lt;X&gt;" in out and "data-pid='kh-x:ii.1:ab12'" in out
    refused = sources_html(_answer(refused=True))
    assert "chỉ có thể liên quan" in refused
    assert "Nguồn của câu trả lời" in sources_html(None)


def test_copy_text_has_answer_and_each_source():
    text = copy_text(_answer())
    assert text.splitlines()[0] == "Sở Văn hóa, Thể thao và Du lịch chủ trì [1]."
    assert "[1] Kế hoạch <X> › II › 1 (kh-x.txt)" in text and "“chủ trì <b>tổ chức</b> lễ hội”" in text


def test_context_window_around_the_cited_passage():
    ps = [
        Passage(
            id=f"p{i}", doc="kh.txt", kind="table_row", text=f"Dòng {i} <i>", section=("Phụ lục", f"{i:02d}")
        )
        for i in range(20)
    ]
    out = context_html(ps, "p10", quote="Dòng 10", title="Phụ lục <A>", window=2)
    assert len(re.findall(r"class='tlkh-ctx( tlkh-cited)?'", out)) == 5  # p8 … p12
    assert "… 8 đoạn phía trước" in out and "… 7 đoạn phía sau" in out
    assert "class='tlkh-ctx tlkh-cited' data-pid='p10'" in out and "<mark>Dòng 10</mark> &lt;i&gt;" in out
    assert "Phụ lục &lt;A&gt;" in out and "<i>" not in out


def test_filters_and_choices_from_plan_metadata():
    metas = [
        DocMeta(doc="a.txt", title="A", number="1/KH", province="Đồng Tháp", district="Lấp Vò"),
        DocMeta(doc="b.txt", title="B", province="Đồng Nai"),
    ]
    scopes = dict(scope_choices(metas))
    assert set(scopes) == {"Tất cả tỉnh, huyện", "Đồng Nai", "Đồng Tháp", "Đồng Tháp › Lấp Vò"}
    assert filters_from(scopes["Đồng Tháp › Lấp Vò"], "a.txt") == {
        "province": "Đồng Tháp",
        "district": "Lấp Vò",
        "doc": "a.txt",
    }
    assert filters_from("", "") is None and filters_from("không phải json", None) is None
    assert [v for _, v in plan_choices(metas)] == ["", "a.txt", "b.txt"]


def test_exports_keep_text_and_defuse_formulas(tmp_path):
    from openpyxl import load_workbook

    rows = [
        ["KH <1>", "II › 1", '=HYPERLINK("http://x")', "Chủ trì"],
        ["KH 2", "", "- gạch đầu dòng", "Phối hợp"],
    ]
    headers = ["Kế hoạch", "Mục", "Nhiệm vụ", "Vai trò"]
    wb = load_workbook(write_xlsx(tmp_path / "t.xlsx", headers, rows))
    ws = wb.active
    assert [c.value for c in ws[1]] == headers
    assert ws["C2"].value == '=HYPERLINK("http://x")' and ws["C2"].data_type == "s"  # text, not a formula
    with open(write_csv(tmp_path / "t.csv", headers, rows), encoding="utf-8-sig", newline="") as fh:
        got = list(csv.reader(fh))
    assert got[0] == headers and got[1][2] == '\'=HYPERLINK("http://x")' and got[2][2] == "'- gạch đầu dòng"
    assert got[1][0] == "KH <1>"


def test_answer_markdown_links_markers_and_carries_its_clean_copy():
    import base64

    data = _answer()
    md = answer_markdown(data)
    assert "[\\[1\\]](#tlkh-pid-kh-x%3Aii.1%3Aab12)" in md  # [1] opens passage kh-x:ii.1:ab12
    assert "(#tlkh-sources)" in md
    packed = re.search(r'data-tlkh-copy="([A-Za-z0-9+/=]+)"', md).group(1)
    assert base64.b64decode(packed).decode("utf-8") == copy_text(data)
    rendered = MarkdownIt("commonmark", {"html": True}).render(md)
    assert "<b>" not in rendered  # the plan's markup stays text; only our span is HTML
    # an answer that starts inside a sentence says so
    assert answer_markdown(_answer("phối hợp với Sở Nội vụ [1].")).startswith("… phối hợp")


def test_cards_name_the_plan_and_clip_long_rows():
    from assistant.ui_render import clip_around, plan_label, plans_line, vi_date

    meta = DocMeta(doc="kh-x.txt", title="Truyền thông chính sách", number="12/KH-UBND", province="Đồng Tháp")
    assert plan_label(meta) == "Kế hoạch 12/KH-UBND (Đồng Tháp)"
    unnumbered = DocMeta(doc="y.txt", title="Phân công nhiệm vụ", number=None, number_text="Số: /KH-UBND")
    assert plan_label(unnumbered) == "Phân công nhiệm vụ" and "Số: /" not in plans_line([meta, unnumbered])
    out = sources_html(_answer(), {"kh-x.txt": plan_label(meta)})
    assert "Kế hoạch 12/KH-UBND (Đồng Tháp)" in out and "Kế hoạch &lt;X&gt;" in out
    assert (vi_date("2024-05-23"), vi_date("2023-02"), vi_date(None, None)) == ("23/05/2024", "02/2023", "—")
    numbers = " ".join(str(i) for i in range(600))  # a table row of figures, ~2,300 characters
    clipped = clip_around(numbers, "300 301", 300)
    assert len(clipped) <= 304 and "300 301" in clipped and clipped.startswith("… ")


def test_unit_search_without_diacritics():
    from assistant.ui_render import unit_search

    units = [
        {"name": "Sở Văn hóa, Thể thao và Du lịch", "province": "Đồng Tháp", "aliases": ["Sở VHTTDL"]},
        {"name": "Sở Văn hóa, Thể thao và Du lịch", "province": "Đồng Nai", "aliases": []},
        {"name": "Sở Nội vụ", "province": "Đồng Nai", "aliases": []},
    ]
    choices, value = unit_search(units, "van hoa")
    assert len(choices) == 3 and choices[0][0].endswith("mọi tỉnh") and value == choices[0][1]
    assert all("(" not in label for label, _ in choices)  # no alias lists in the labels
    assert unit_search(units, "vhttdl")[1] is not None and unit_search(units, "")[1] is None
