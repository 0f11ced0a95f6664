"""Classes of session 24's fresh routing questions (r1131–r1145, written on dev plans before the
assistant was run on them): a plan asked when it "was made" ("được lập ngày nào", Decree 30/2020's
date line), the document a plan supersedes asked in other words ("văn bản cũ nào không còn áp
dụng"), and a follow-up that moves the earlier question to another plan ("Còn kế hoạch 1105 thì
sao?") without the words that named the earlier one. The rules on strings, the follow-up with a
catalogue of hand-made headers, then end to end on tiny inline plans (fake embedder) in the layout
of a Sở's inspection team (Decree 30/2020: issuer over issuing body, "Số: …/KH-ĐKT", place and date
line, title, closing "thay thế" sentence, "Nơi nhận" beside the signature).
"""

from __future__ import annotations

import pytest
from _small import has, inline_assistant

from assistant.query import Catalog, follow_up
from assistant.query.model import FactKind
from assistant.query.parse import parse_question
from assistant.query.rules import fact_kind
from assistant.records import DocMeta
from assistant.textnorm import fold
from assistant.vocab.documents import spell_out_kinds


def _kind(question: str) -> FactKind | None:
    return fact_kind(spell_out_kinds(fold(question)))


# --- the rules ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "question",
    [
        "Kế hoạch 556 của Đồng Tháp ra đời thì văn bản cũ nào không còn áp dụng nữa?",
        "ke hoach 597 bai bo van ban nao",
        "Kế hoạch nào hết hiệu lực khi kế hoạch 556 được ban hành?",
        "Quyết định cũ nào bị thay thế?",
        "Kế hoạch 556 thay thế kế hoạch số mấy?",  # the form already read before
    ],
)
def test_the_document_superseded_is_asked_in_other_words(question):
    assert _kind(question) == FactKind.REFNUM


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("Kế hoạch kiểm tra của Đoàn kiểm tra được lập ngày nào?", FactKind.DATE),
        ("ke hoach 1105 duoc lap khi nao", FactKind.DATE),
        ("Văn bản này ra đời vào ngày nào?", FactKind.DATE),
        # a team set up, a report or a record made: not the plan's own date line
        ("Tổ kiểm tra được thành lập ngày nào?", FactKind.DEADLINE),
        ("Biên bản kiểm tra được lập khi nào?", FactKind.DEADLINE),
        ("Báo cáo kết quả được lập trước ngày nào?", FactKind.DEADLINE),
    ],
)
def test_a_plan_made_on_a_day_asks_its_date_line(question, kind):
    assert _kind(question) == kind


# --- the follow-up --------------------------------------------------------------------------
def _catalog() -> Catalog:
    docs = {
        "ct11.txt": DocMeta(
            doc="ct11.txt",
            doc_type="Kế hoạch",
            province="Lào Cai",
            issuer="ỦY BAN NHÂN DÂN TỈNH LÀO CAI",
            title="Triển khai thực hiện Chỉ thị số 11-CT/TU ngày 04/01/2026 của Ban Thường vụ Tỉnh ủy về "
            "tăng cường công tác quản lý nhà nước về khoáng sản",
            date="2026",
        ),
        "kt.txt": DocMeta(
            doc="kt.txt",
            number="1105/KH-ĐKT",
            doc_type="Kế hoạch",
            province="Lào Cai",
            issuer="ĐOÀN KIỂM TRA",
            title="Kiểm tra việc chấp hành quy định pháp luật trong sử dụng và bảo quản vật liệu nổ công nghiệp",
            date="2026-03-10",
        ),
    }
    return Catalog.build(docs, [], aliases={"Sở Công Thương": []})


def test_a_follow_up_on_another_plan_drops_the_words_that_named_the_first():
    cat = _catalog()
    first = "Kế hoạch triển khai Chỉ thị 11 về khoáng sản được gửi tới những nơi nào?"
    assert parse_question(first, cat).named == frozenset({"ct11.txt"})
    history = [
        {"role": "user", "content": first},
        {
            "role": "assistant",
            "content": "Kế hoạch triển khai Chỉ thị 11 gửi: Bộ Nông nghiệp và Môi trường [1].",
        },
    ]
    q = follow_up(parse_question("Còn kế hoạch 1105 thì sao?", cat), history, cat)
    assert q.fact == FactKind.RECIPIENT and q.filters.get("doc") == "kt.txt"
    # "Chỉ thị 11", "khoáng sản" named the plan left behind: no term, no number of the question now
    assert not {"khoang", "san", "chi", "thi", "11"} & set(q.terms), q.terms
    assert "khoáng sản" not in q.text and "11" not in q.folded and has(q.text, "gửi tới những nơi nào")
    # the same plan asked again keeps the words (nothing named another plan)
    q = follow_up(parse_question("Còn ai ký thì sao?", cat), history, cat)
    assert "khoang" in q.terms or q.filters.get("doc") in (None, "ct11.txt")


def test_a_follow_up_filtered_to_a_plan_not_loaded_is_read_without_its_title():
    """A caller's filter may name no loaded plan (an API client's stale or mistyped file name):
    the follow-up is read as asked, nothing to drop (the OpenAPI fuzz sent one: KeyError, 500)."""
    cat = _catalog()
    history = [
        {
            "role": "user",
            "content": "Kế hoạch triển khai Chỉ thị 11 về khoáng sản được gửi tới những nơi nào?",
        },
        {
            "role": "assistant",
            "content": "Kế hoạch triển khai Chỉ thị 11 gửi: Bộ Nông nghiệp và Môi trường [1].",
        },
    ]
    q = parse_question("Còn kế hoạch đó thì sao?", cat)
    q.filters = {**q.filters, "doc": "khong-co.txt"}
    out = follow_up(q, history, cat)
    assert out.filters.get("doc") == "khong-co.txt"


# --- end to end -----------------------------------------------------------------------------
TEAM_PLAN = """   SỞ CÔNG THƯƠNG                 CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
    ĐOÀN KIỂM TRA                         Độc lập - Tự do - Hạnh Phúc
  THEO QUYẾT ĐỊNH
   SỐ 215/QĐ-SCT                      Hà Giang, ngày 05 tháng 4 năm 2026

     Số: 0412/KH-ĐKT

                               KẾ HOẠCH
Kiểm tra việc chấp hành quy định pháp luật về an toàn thực phẩm
               tại các cơ sở sản xuất nước uống đóng chai

      Thực hiện Quyết định số 215/QĐ-SCT ngày 01/4/2026 của Giám đốc Sở Công Thương về việc kiểm
tra an toàn thực phẩm. Trưởng đoàn kiểm tra lập kế hoạch tiến hành kiểm tra như sau:
      1. Mục tiêu
      - Đánh giá tình hình chấp hành quy định về an toàn thực phẩm của các cơ sở.
      2. Phân công nhiệm vụ
      - Ông Lê Văn Bình - Trưởng đoàn: Phụ trách chung.
      3. Kinh phí: Được thực hiện theo quy định hiện hành.
      Kế hoạch này thay thế Kế hoạch số 88/KH-ĐKT ngày 02/02/2026 của Đoàn kiểm tra.
      Trên đây là Kế hoạch kiểm tra của Đoàn, đề nghị các thành viên phối hợp thực hiện./.
Nơi nhận:                                         T/M. ĐOÀN KIỂM TRA
- Giám đốc Sở (để báo cáo);                          TRƯỞNG ĐOÀN
- Thành viên Đoàn (để thực hiện);
- Lưu: VT.

                                                     Lê Văn Bình
"""

UBND_PLAN = """ỦY BAN NHÂN DÂN
TỈNH HÀ GIANG

CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc

Số: 77/KH-UBND

Hà Giang, ngày 20 tháng 1 năm 2026

KẾ HOẠCH
Phát triển du lịch cộng đồng năm 2026

I. NHIỆM VỤ
1. Sở Văn hóa, Thể thao và Du lịch chủ trì xây dựng sản phẩm du lịch cộng đồng.

Nơi nhận:
- Các Sở, ban, ngành;
- Lưu: VT.

KT. CHỦ TỊCH
PHÓ CHỦ TỊCH

Trần Văn Cường
"""


LETTER = """ỦY BAN NHÂN DÂN                    CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
TỈNH YÊN BÁI                              Độc lập - Tự do - Hạnh phúc
Số: 2150/UBND-TNMT                    Yên Bái, ngày 12 tháng 8 năm 2025
V/v tăng cường quản lý hoạt động khai thác cát, sỏi lòng sông

Kính gửi:
- Sở Nông nghiệp và Môi trường;
- Công an tỉnh.

Ủy ban nhân dân tỉnh yêu cầu:

1. Sở Nông nghiệp và Môi trường chủ trì kiểm tra, xử lý nghiêm các trường hợp khai thác cát trái phép.

2. Công an tỉnh phối hợp truy quét các điểm khai thác trái phép.

Nơi nhận:
- Như trên;
- Lưu: VT, TNMT.
                                              KT. CHỦ TỊCH
                                              PHÓ CHỦ TỊCH
                                              (Đã ký)
                                              Nguyễn Thế Phước
"""

LETTER_2 = """ỦY BAN NHÂN DÂN
TỈNH HÀ GIANG
Số: 301/UBND-KT
V/v rà soát hồ sơ cấp phép khai thác khoáng sản
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Hà Giang, ngày 14 tháng 3 năm 2026

Kính gửi: Sở Tài chính.

Ủy ban nhân dân tỉnh giao Sở Tài chính rà soát hồ sơ cấp phép khai thác khoáng sản, báo cáo trước ngày 30/4/2026.

Nơi nhận:
- Như trên;
- Lưu: VT.

KT. CHỦ TỊCH
PHÓ CHỦ TỊCH

Hoàng Gia Long
"""

DECISION = """ỦY BAN NHÂN DÂN
TỈNH QUẢNG NINH

CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc

Số: 3456/QĐ-UBND

Quảng Ninh, ngày 03 tháng 10 năm 2025

QUYẾT ĐỊNH
Về việc ban hành Kế hoạch phòng, chống thiên tai năm 2026

CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH QUẢNG NINH

Căn cứ Luật Phòng, chống thiên tai ngày 19 tháng 6 năm 2013;

QUYẾT ĐỊNH:

Điều 1. Ban hành kèm theo Quyết định này Kế hoạch phòng, chống thiên tai năm 2026.

Điều 2. Quyết định có hiệu lực kể từ ngày ký và thay thế Quyết định số 1200/QĐ-UBND ngày 05/4/2024 của UBND tỉnh.

Nơi nhận:
- Như Điều 2;
- Lưu: VT.

CHỦ TỊCH

Cao Tường Huy
"""


@pytest.fixture(scope="module")
def assistant(tmp_path_factory):
    return inline_assistant(
        tmp_path_factory.mktemp("s24-header-routes"),
        {
            "ha-giang-0412-kh-dkt.txt": TEAM_PLAN,
            "ha-giang-77-kh-ubnd.txt": UBND_PLAN,
            "yen-bai-2150-cv-ubnd.txt": LETTER,
            "ha-giang-301-cv-ubnd.txt": LETTER_2,
            "quang-ninh-3456-qd-ubnd.txt": DECISION,
        },
    )


def test_the_team_s_plan_made_on_its_date_line(assistant):
    ans = assistant.ask("Kế hoạch kiểm tra an toàn thực phẩm của Đoàn kiểm tra được lập ngày nào?")
    assert not ans.refused and has(ans.answer, "05 tháng 4 năm 2026"), ans.answer
    assert "0412" in ans.answer, ans.answer


def test_the_document_superseded_asked_in_other_words(assistant):
    ans = assistant.ask("Kế hoạch 0412 ra đời thì văn bản cũ nào không còn áp dụng nữa?")
    assert not ans.refused and has(ans.answer, "88/KH-ĐKT"), ans.answer
    # a plan that supersedes nothing says nothing of it
    ans = assistant.ask("Kế hoạch 77 của Hà Giang bãi bỏ văn bản nào?")
    assert ans.refused or not has(ans.answer, "88/KH-ĐKT"), ans.answer


def test_a_letter_named_by_its_subject_gives_its_addressees(assistant):
    ans = assistant.ask("Công văn về khai thác cát, sỏi lòng sông gửi những cơ quan nào?")
    assert not ans.refused and has(ans.answer, "Công an tỉnh") and has(ans.answer, "Sở Nông nghiệp"), (
        ans.answer
    )
    assert "2150" in ans.answer, ans.answer


def test_a_year_of_the_title_names_the_decision_it_is_not_asked(assistant):
    ans = assistant.ask("Quyết định về phòng, chống thiên tai năm 2026 thay thế quyết định nào?")
    assert not ans.refused and has(ans.answer, "1200/QĐ-UBND"), ans.answer


def test_a_follow_up_names_the_next_document_by_its_kind_and_issuer(assistant):
    first = "Quyết định 3456 ban hành ngày nào?"
    earlier = assistant.ask(first)
    assert has(earlier.answer, "03 tháng 10 năm 2025"), earlier.answer
    history = [{"role": "user", "content": first}, {"role": "assistant", "content": earlier.answer}]
    ans = assistant.ask("Còn kế hoạch của Đoàn kiểm tra thì sao?", history=history)
    assert not ans.refused and has(ans.answer, "05 tháng 4 năm 2026"), ans.answer


def test_a_document_named_by_its_kind_and_subject_is_the_one_asked():
    docs = {
        "cat.txt": DocMeta(
            doc="cat.txt",
            number="2150/UBND-TNMT",
            doc_type="Công văn",
            province="Yên Bái",
            issuer="Ủy ban nhân dân tỉnh Yên Bái",
            title="Tăng cường quản lý hoạt động khai thác cát, sỏi lòng sông",
        ),
        "ks.txt": DocMeta(
            doc="ks.txt",
            number="301/UBND-KT",
            doc_type="Công văn",
            province="Yên Bái",
            issuer="Ủy ban nhân dân tỉnh Yên Bái",
            title="Rà soát hồ sơ cấp phép khai thác khoáng sản",
        ),
        "kh.txt": DocMeta(
            doc="kh.txt",
            number="77/KH-UBND",
            doc_type="Kế hoạch",
            province="Yên Bái",
            issuer="Ủy ban nhân dân tỉnh Yên Bái",
            title="Quản lý khai thác cát, sỏi lòng sông năm 2026",
        ),
    }
    cat = Catalog.build(docs, [], aliases={"Công an tỉnh": []})
    q = parse_question("Công văn về khai thác cát, sỏi lòng sông yêu cầu Công an tỉnh làm gì?", cat)
    assert q.filters.get("doc") == "cat.txt" and q.units == ["Công an tỉnh"]
    # named by number, or by words no title of that kind repeats: no plan picked by its kind
    assert "doc" not in parse_question("Công văn 999 yêu cầu Công an tỉnh làm gì?", cat).filters
    assert "doc" not in parse_question("Công văn nào yêu cầu Công an tỉnh báo cáo?", cat).filters


def test_the_catalogue_asked_as_an_uploader_and_as_a_yes_no_question():
    cat = _catalog()
    for question in (
        "Liệt kê các kế hoạch đã tải lên",
        "Hệ thống có kế hoạch của Lào Cai không?",
        "co nhung van ban nao da tai len",
    ):
        assert parse_question(question, cat).catalogue, question
    q = parse_question("Có văn bản nào do Đoàn kiểm tra ban hành không?", cat)
    assert q.catalogue and q.catalogue_among == frozenset({"kt.txt"})
    # a question about a plan's content is none, "không" or not
    assert not parse_question("Kế hoạch 1105 không giao Sở Công Thương việc gì?", cat).catalogue
    assert not parse_question("Đoàn kiểm tra có kiểm tra kho vật liệu nổ không?", cat).catalogue


def test_a_plan_named_by_title_after_a_bare_kind_code_parses():
    """A title after a bare kind code ("theo KH chỉ thị 11"): the code is written out ("kế hoạch")
    before the title is looked for, which shifts offsets off the question's; it raised IndexError."""
    cat = _catalog()
    q = parse_question("so noi vu lao cai duoc giao nhung viec gi ve khoang san theo KH chi thi 11", cat)
    assert q.filters.get("doc") == "ct11.txt"
    assert "noi vu" in fold(q.lexical_text)
