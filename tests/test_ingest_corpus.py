"""The five corpus plans, parsed for real: structure, units, metadata, no web chrome."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from assistant.ingest import parse_file
from assistant.ingest.inspect import render, to_json
from assistant.records import PASSAGE_KINDS, ParsedDoc, Passage

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"

VHTTDL = "Sở Văn hóa, Thể thao và Du lịch"
TTTT = "Sở Thông tin và Truyền thông"
UBND_HTP = "Ủy ban nhân dân các huyện, thành phố"
SBN = "Các sở, ban, ngành"
CTXH = "Các tổ chức chính trị - xã hội"


@pytest.fixture(scope="module")
def docs() -> dict[str, ParsedDoc]:
    return {p.stem: parse_file(p) for p in sorted(CORPUS.glob("*.txt"))}


def _in(doc: ParsedDoc, *path: str, kind: str = "article") -> list[Passage]:
    """Passages whose heading path starts with labels that start with the given prefixes."""
    out = []
    for p in doc.passages:
        if (
            p.kind == kind
            and len(p.section) >= len(path)
            and all(s.startswith(x) for s, x in zip(p.section, path))
        ):
            out.append(p)
    return out


def _one(doc: ParsedDoc, *path: str) -> Passage:
    found = [p for p in _in(doc, *path) if len(p.section) == len(path)]
    assert found, f"no passage at {path}"
    return found[0]


# --- every plan ---------------------------------------------------------------------
def test_all_five_plans_parse_into_consistent_passages(docs):
    assert len(docs) == 5
    for name, d in docs.items():
        kinds = Counter(p.kind for p in d.passages)
        assert kinds["metadata"] == 1, name
        assert set(kinds) <= set(PASSAGE_KINDS)
        assert len({p.id for p in d.passages}) == len(d.passages), f"duplicate ids in {name}"
        assert d.meta.passage_count == len(d.passages)
        assert d.meta.sha256 and d.meta.source_format == "txt"
        for p in d.passages:
            assert p.doc == f"{name}.txt" and p.id.startswith(name + ":")
            assert p.text.strip() and p.province == d.meta.province
            assert p.embed_text.endswith(p.text) and p.embed_text.split("\n")[0]
            # the metadata card is composed from header and signature, so it has no single span
            assert (p.span is None) == (p.kind == "metadata")
            assert p.span is None or p.span[0] <= p.span[1]
            # markup and table syntax never reach the displayed text
            for junk in ("**", "<b>", "<li", "<sup", "</", "\t", "###", "---"):
                assert junk not in p.text, (name, junk, p.text[:80])
            if p.kind == "article" and p.section:
                assert p.embed_text.split("\n")[1] == p.section_path


def test_ids_are_stable_across_parses(docs):
    again = parse_file(CORPUS / "dong-thap-2024-thong-tin-doi-ngoai.txt")
    assert [p.id for p in again.passages] == [
        p.id for p in docs["dong-thap-2024-thong-tin-doi-ngoai"].passages
    ]


def test_no_web_boilerplate_survives(docs):
    chrome = [
        "Đăng nhập",
        "Đăng Nhập",
        "Thành Viên",
        "Đang tải văn bản",
        "IP: 3.144.15.87",
        "DMCA",
        "Hãy để chúng tôi hỗ trợ bạn",
        "Văn bản này chưa cập nhật",
        "Từ khoá: Số Hiệu",
        "Tình trạng: Đã biết",
        "Loại văn bản:",
        "Ngày công báo",
    ]
    for name, d in docs.items():
        for p in d.passages:
            for c in chrome:
                assert c not in p.text, (name, c)
            assert p.text.strip() != "42"
    # the site's own title line after the signature is chrome too, not a passage
    dn = docs["dong-nai-2024-183-kh-ubnd"]
    assert not any(p.text.startswith("Kế hoạch 183/KH-UBND ngày 23/05/2024 thực hiện") for p in dn.passages)
    # …and every line the web page adds around the plan is gone from every passage
    src = (CORPUS / "dong-nai-2024-183-kh-ubnd.txt").read_text(encoding="utf-8").splitlines()
    head = next(i for i, ln in enumerate(src) if ln.startswith("ỦY BAN NHÂN DÂN"))
    tail = next(i for i, ln in enumerate(src) if ln.strip() == "Nguyễn Sơn Hùng")
    outside = [ln.strip() for ln in src[:head] + src[tail + 1 :] if len(ln.strip()) > 3]
    assert len(outside) > 15
    for ln in outside:
        assert all(ln not in p.text for p in dn.passages), ln


def test_inspect_render_and_json(docs):
    d = docs["lap-vo-2024-truyen-thong-chinh-sach"]
    out = render(d)
    assert "Cây đề mục:" in out and "4. Công an Huyện" in out and "chủ trì: Công an huyện" in out
    js = to_json(d)
    assert js["meta"]["district"] == "Lấp Vò" and len(js["passages"]) == len(d.passages)


# --- metadata -------------------------------------------------------------------------
def test_metadata_dong_nai_183(docs):
    m = docs["dong-nai-2024-183-kh-ubnd"].meta
    assert (m.doc_type, m.number, m.date) == ("Kế hoạch", "183/KH-UBND", "2024-05-23")
    assert (m.signer, m.signer_authority, m.signer_position) == ("Nguyễn Sơn Hùng", "KT.", "PHÓ CHỦ TỊCH")
    assert m.issuer == "Ủy ban nhân dân tỉnh Đồng Nai" and m.province == "Đồng Nai" and m.district is None
    assert m.title.startswith("Triển khai thực hiện Kế hoạch số 277/KH-UBND") and "Đồng Nai" in m.title
    assert len(m.recipients) == 16 and "Công an tỉnh" in m.recipients
    card = docs["dong-nai-2024-183-kh-ubnd"].passages[0]
    assert card.kind == "metadata"
    assert card.text.startswith("Kế hoạch số 183/KH-UBND ngày 23/5/2024 của Ủy ban nhân dân tỉnh Đồng Nai")
    assert "Người ký: KT. CHỦ TỊCH, PHÓ CHỦ TỊCH Nguyễn Sơn Hùng." in card.text
    assert "Nơi nhận: Thường trực Tỉnh ủy;" in card.text


def test_metadata_blank_number_and_partial_date(docs):
    for name, signer, district in (
        ("dong-thap-2024-thong-tin-doi-ngoai", "Huỳnh Minh Tuấn", None),
        ("lap-vo-2024-truyen-thong-chinh-sach", "Trần Hoàng Nam", "Lấp Vò"),
    ):
        m = docs[name].meta
        assert m.number is None and m.number_text == "Số: /KH-UBND"
        assert (m.date, m.date_text) == ("2024", "ngày tháng năm 2024")
        assert m.signer == signer and m.signer_authority == "KT." and m.signer_position == "PHÓ CHỦ TỊCH"
        assert m.province == "Đồng Tháp" and m.district == district
        assert "chưa ghi số" in docs[name].passages[0].text
    assert docs["lap-vo-2024-truyen-thong-chinh-sach"].meta.issuer == "Ủy ban nhân dân huyện Lấp Vò"
    assert docs["dong-thap-2024-thong-tin-doi-ngoai"].meta.issuer == "Ủy ban nhân dân tỉnh Đồng Tháp"
    assert all(p.district == "Lấp Vò" for p in docs["lap-vo-2024-truyen-thong-chinh-sach"].passages)


def test_metadata_appendix_without_number_or_signer(docs):
    m = docs["dong-thap-2023-phan-cong-tao-dung-hinh-anh"].meta
    assert m.doc_type == "Phụ lục" and m.number is None and m.signer is None
    assert m.date == "2023-02" and m.date_text == "ngày /02/2023"
    assert m.title == "Phân công nhiệm vụ thực hiện kế hoạch"
    assert m.parts[0]["attached_to"]["doc_type"] == "Kế hoạch" and m.parts[0]["attached_to"]["number"] is None
    assert m.province == "Đồng Tháp"


def test_decision_carries_its_plan(docs):
    d = docs["tra-vinh-2023-1899-qd-ubnd"]
    m = d.meta
    assert (m.doc_type, m.number, m.date) == ("Quyết định", "1899/QĐ-UBND", "2023-12-12")
    assert (m.signer, m.signer_authority, m.signer_position) == ("Lê Văn Hân", "TM.", "CHỦ TỊCH")
    assert [p["doc_type"] for p in m.parts] == ["Quyết định", "Kế hoạch"]
    plan = m.parts[1]
    assert plan["number"] == "1899/QĐ-UBND" and plan["date"] == "2023-12-12"
    assert plan["title"].startswith("Triển khai thực hiện Kết luận số 57-KL/TW")
    # the plan's passages keep the decision's number and date
    plan_passages = _in(d, "III. TỔ CHỨC THỰC HIỆN")
    assert plan_passages
    for p in plan_passages:
        first = p.embed_text.split("\n")[0]
        assert "1899/QĐ-UBND" in first and "12/12/2023" in first and first.startswith("Kế hoạch")
    articles = [p for p in d.passages if p.section and p.section[0].startswith("Điều")]
    assert [p.section[0] for p in articles] == ["Điều 1", "Điều 2", "Điều 3"]
    assert _one(d, "Điều 2").lead == (TTTT,)
    assert set(_one(d, "Điều 3").lead) == {
        "Văn phòng Ủy ban nhân dân tỉnh",
        SBN,
        "Ủy ban nhân dân các huyện, thị xã, thành phố",
    }


# --- appendix table -----------------------------------------------------------------------
EXPECTED_ROW_LEADS = {
    "01": ("Ban Tuyên giáo Tỉnh ủy",),
    "02": (VHTTDL,),
    "03": (TTTT,),
    "04": ("Trung tâm Xúc tiến Thương mại, Du lịch và Đầu tư",),
    "05": ("Sở Nông nghiệp và Phát triển nông thôn",),
    "06": ("Sở Công Thương",),
    "07": ("Sở Nội vụ",),
    "08": ("Sở Tài chính",),
    "09": ("Sở Kế hoạch và Đầu tư",),
    "10": ("Sở Tài nguyên và Môi trường",),
    "11": ("Sở Giao thông vận tải",),
    "12": ("Sở Khoa học và Công nghệ",),
    "13": ("Sở Ngoại vụ",),
    "14": ("Sở Giáo dục và Đào tạo",),
    "15": ("Công an tỉnh",),
    "16": ("Báo Đồng Tháp", "Đài Phát thanh và Truyền hình Đồng Tháp", "Cổng Thông tin điện tử Đồng Tháp"),
    "17": (
        "Hiệp hội Doanh nghiệp tỉnh",
        "Hội Doanh nhân trẻ tỉnh",
        "Đoàn Thanh niên Cộng sản Hồ Chí Minh tỉnh",
    ),
    "18": ("Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", CTXH),
    "19": (UBND_HTP,),
}


def test_appendix_rows_and_their_lead_units(docs):
    d = docs["dong-thap-2023-phan-cong-tao-dung-hinh-anh"]
    rows = [p for p in d.passages if p.kind == "table_row"]
    assert sorted({p.row for p in rows}) == [f"{i:02d}" for i in range(1, 20)]
    # one passage per listed task: <li> items and inline "- … - …" / "* …" bullets
    assert len(rows) == 65
    assert all(p.caption == "Phân công nhiệm vụ thực hiện kế hoạch" for p in rows)
    for num, lead in EXPECTED_ROW_LEADS.items():
        row = [p for p in rows if p.row == num]
        assert Counter(p.lead for p in row).most_common(1)[0][0] == lead, num
        assert row[0].section[-1].startswith(f"{num}. ")
        assert "Đơn vị chủ trì: " + "; ".join(row[0].lead) in row[0].embed_text
    assert all(p.requested == ("Ban Tuyên giáo Tỉnh ủy",) for p in rows if p.row == "01")
    assert all(set(p.requested) == set(EXPECTED_ROW_LEADS["18"]) for p in rows if p.row == "18")
    assert all(not p.requested for p in rows if p.row not in ("01", "18"))
    partners = [p for p in rows if p.row == "08"][0].partners
    assert partners == (SBN, UBND_HTP)


def test_appendix_continuation_rows_are_merged(docs):
    rows = [p for p in docs["dong-thap-2023-phan-cong-tao-dung-hinh-anh"].passages if p.kind == "table_row"]
    r02 = [p for p in rows if p.row == "02"]
    assert len(r02) == 12  # 7 tasks in the row + 5 in its continuation line
    cont = [p for p in r02 if p.text.startswith("Chủ trì, phối hợp thực hiện công tác bảo tồn")]
    assert cont and cont[0].lead == (VHTTDL,)
    # a continuation that carries the rest of a unit's name: "Hội Doanh" + "nhân trẻ Tỉnh; …"
    r17 = [p for p in rows if p.row == "17"]
    assert r17[0].section[-1] == (
        "17. Hiệp hội Doanh nghiệp Tỉnh; Hội Doanh nhân trẻ Tỉnh; Đoàn Thanh niên Cộng sản Hồ Chí Minh Tỉnh"
    )
    last = [p for p in r17 if p.text.startswith("Tạo điều kiện kết nối")]
    assert last and last[0].lead == EXPECTED_ROW_LEADS["17"]
    assert not any("nhân trẻ" == p.text[:8] for p in rows)


def test_appendix_task_wording_assigns_units(docs):
    rows = [p for p in docs["dong-thap-2023-phan-cong-tao-dung-hinh-anh"].passages if p.kind == "table_row"]
    # "Phối hợp với Y …" in the row of X: the row's lead column keeps the task, Y coordinates
    flip = [p for p in rows if p.text.startswith("Phối hợp với Đài Phát thanh và Truyền hình Đồng Tháp")][0]
    assert (
        flip.row == "02"
        and flip.lead == (VHTTDL,)
        and "Đài Phát thanh và Truyền hình Đồng Tháp" in flip.partners
    )
    cotri = [p for p in rows if p.row == "06"][0]
    assert cotri.lead == ("Sở Công Thương",)
    assert {"Sở Nông nghiệp và Phát triển nông thôn", "Sở Khoa học và Công nghệ"} <= set(cotri.partners)
    sa_dec = [p for p in rows if p.text.startswith("UBND thành phố Sa Đéc:")][0]
    assert sa_dec.lead[0] == "Ủy ban nhân dân thành phố Sa Đéc" and UBND_HTP in sa_dec.lead


# --- group-closing unit lines ---------------------------------------------------------------
def test_group_closing_lines_apply_to_their_group_only(docs):
    d = docs["dong-thap-2024-thong-tin-doi-ngoai"]
    g2 = "II. GIẢI PHÁP, NHIỆM VỤ", "2. Thông tin, tuyên truyền"
    a = _one(d, *g2, "a)")
    assert a.lead == (SBN, CTXH, UBND_HTP) and a.partners == (TTTT,)
    later = [p for p in _in(d, *g2) if p.section[-1] in ("b)", "c)", "d)", "đ)", "e)")]
    assert [p.section[-1] for p in later] == ["b)", "c)", "d)", "đ)", "e)"]
    for p in later:
        assert p.lead == (TTTT,), p.section
        assert TTTT not in p.partners and SBN in p.partners
    # section 3 has six points (two written "d)") closed by one pair of lines
    g3 = [p for p in _in(d, "II.", "3. Công tác tuyên truyền biển") if len(p.section) == 3]
    assert [p.section[-1] for p in g3] == ["a)", "b)", "c)", "d)", "d)", "e)"]
    assert all(p.lead == ("Ban Tuyên giáo Tỉnh ủy", "Bộ Chỉ huy Bộ đội Biên phòng tỉnh") for p in g3)
    # section 4: the introduction, a) and b) share one closing; c) has its own
    intro = _one(d, "II.", "4. Truyền thông, quảng bá")
    assert intro.lead == (VHTTDL,) and intro.text.startswith("4. Truyền thông")
    assert _one(d, "II.", "4. Truyền thông", "a)").lead == (VHTTDL,)
    assert _one(d, "II.", "4. Truyền thông", "b)").lead == (VHTTDL,)
    c = _in(d, "II.", "4. Truyền thông", "c)")
    assert len(c) >= 1 and all(
        p.lead
        == (
            "Sở Công Thương",
            "Sở Nông nghiệp và Phát triển nông thôn",
            "Trung tâm Xúc tiến Thương mại, Du lịch và Đầu tư",
        )
        for p in c
    )
    assert VHTTDL not in c[0].lead
    # items whose own bullets carry the lines (Đồng Nai III): each item its own units
    dn = docs["dong-nai-2024-183-kh-ubnd"]
    assert _one(dn, "III.", "1. Tham mưu").lead == (TTTT,)
    assert _one(dn, "III.", "3. Tổ chức xây dựng").lead == (VHTTDL,)
    assert _one(dn, "III.", "4. Xây dựng các chuyên trang").lead == (
        "Báo Đồng Nai",
        "Đài Phát thanh và Truyền hình Đồng Nai",
        "Tạp chí Văn nghệ Đồng Nai",
        "Cổng Thông tin điện tử Đồng Nai",
    )
    assert not _one(dn, "II.", "1. Nội dung", "1.1.").lead


# --- unit-headed sections and wording -----------------------------------------------------------
def test_unit_headed_sections(docs):
    lv = docs["lap-vo-2024-truyen-thong-chinh-sach"]
    assert _one(lv, "V. TỔ CHỨC THỰC HIỆN", "4. Công an Huyện").lead == ("Công an huyện",)
    for pt in ("a)", "b)"):
        assert _one(lv, "V.", "5. Ban Chỉ huy Quân sự Huyện", pt).lead == ("Ban Chỉ huy Quân sự huyện",)
    assert _one(lv, "V.", "1. Phòng Văn hóa và Thông tin", "c)").lead == ("Phòng Văn hóa và Thông tin",)
    # "Phối hợp với Y …" under a unit heading: the heading's unit keeps the task, Y partners it
    b = _one(lv, "V.", "1. Phòng Văn hóa và Thông tin", "b)")
    assert b.lead == ("Phòng Văn hóa và Thông tin",) and b.partners == ("Ban Tuyên giáo Huyện ủy",)
    tv = docs["tra-vinh-2023-1899-qd-ubnd"]
    assert _one(tv, "III.", "8. Công an tỉnh").lead == ("Công an tỉnh",)
    noi_vu = _one(tv, "III.", "7. Sở Nội vụ")
    assert noi_vu.lead == ("Sở Nội vụ",) and noi_vu.partners == (TTTT,)
    dt = docs["dong-thap-2024-thong-tin-doi-ngoai"]
    assert _one(dt, "IV.", "1. Sở Thông tin và Truyền thông").lead == (TTTT,)
    assert _one(dt, "IV.", "4. Các cơ quan báo chí").lead == (
        "Các cơ quan báo chí",
        "Cổng Thông tin điện tử Đồng Tháp",
    )


def test_wording_in_text(docs):
    dn = docs["dong-nai-2024-183-kh-ubnd"]
    assert _one(dn, "V.", "2.").lead == ("Sở Tài chính",)  # "Sở Tài chính có trách nhiệm …"
    assert _one(dn, "V.", "4.").lead == (TTTT,)  # "Giao Sở TT&TT chủ trì …"
    five = _one(dn, "V.", "5.")  # "Đề nghị Ban Tuyên giáo Tỉnh ủy …"
    assert five.lead == five.requested == ("Ban Tuyên giáo Tỉnh ủy",)
    tv = docs["tra-vinh-2023-1899-qd-ubnd"]
    sttt = _in(tv, "III.", "2. Sở Thông tin và Truyền thông")
    assert sttt[0].lead == (TTTT,) and SBN in sttt[0].partners  # "Chủ trì, phối hợp với các sở, ban, ngành …"
    assert all(not p.lead for p in dn.passages if not p.section and p.kind == "article")


# --- footnotes and page-break repair ---------------------------------------------------------
def test_footnotes_are_moved_out_and_linked(docs):
    d = docs["dong-thap-2024-thong-tin-doi-ngoai"]
    notes = [p for p in d.passages if p.kind == "footnote"]
    assert [n.text[:3] for n in notes] == ["⁽¹⁾", "⁽²⁾", "⁽³⁾"]
    b = _one(d, "II.", "2. Thông tin", "b)")
    # the sentence the footnote block interrupted reads through again …
    assert "quảng bá hình ảnh địa phương; tăng cường niềm tin của nhân dân" in b.text
    assert "Kết luận số 203-KL/TU" not in b.text
    # … and the footnote is its own passage, linked from the passage holding its marker
    a = _one(d, "II.", "2. Thông tin", "a)")
    assert "⁽²⁾" in a.text and notes[1].id in a.footnotes
    assert notes[1].section == a.section and notes[1].text.startswith("⁽²⁾ Kết luận số 203-KL/TU")
    c3 = _one(d, "II.", "3. Công tác", "c)")
    assert "các mô hình hay, cách làm hiệu quả" in c3.text and notes[2].id in c3.footnotes
    assert notes[0].id in d.passages[1].footnotes


def test_page_breaks_are_repaired(docs):
    d = docs["dong-thap-2024-thong-tin-doi-ngoai"]
    assert "Nghị quyết số 36-NQ/TW ngày 22/10/2018" in _one(d, "II.", "3. Công tác", "a)").text
    assert "trên địa bàn Tĩnh, còn Tân Thuận Đông" in _one(d, "II.", "4. Truyền thông", "a)").text
    lv = docs["lap-vo-2024-truyen-thong-chinh-sach"]
    assert "Đảng bộ Tỉnh khóa XI; Chương trình" in _one(lv, "II.", "1. Về chính trị").text
    assert "năm 2024; kết quả sơ kết giữa nhiệm kỳ" in _one(lv, "II.", "1. Về chính trị").text
    tv = docs["tra-vinh-2023-1899-qd-ubnd"]
    assert any("thành tựu của Việt Nam nói chung" in p.text for p in tv.passages)
