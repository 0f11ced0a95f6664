"""Session 23's dev misses, by class, on tiny inline plans in the layout of real ones (fake
embedder, end to end): "phải đến đâu" asks the venue a Sở's plan writes as its "Địa điểm: …"
line; "báo cho ai" asks the office a report goes to ("báo cáo ngay về …"), not a unit that
works beside it; a unit's lettered tasks come in the plan's order.
"""

from __future__ import annotations

import pytest
from _small import inline_assistant

from assistant.answer.facts import best_fact_segment, fact_rule
from assistant.query.model import FactKind, Intent
from assistant.query.rules import asks_destination, fact_kind
from assistant.records import Hit
from assistant.textnorm import fold

TRAINING = """UBND TỈNH LÀO CAI
SỞ CÔNG THƯƠNG
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 415/KH-SCT
Lào Cai, ngày 15 tháng 6 năm 2026
KẾ HOẠCH
Kiểm tra kỹ thuật an toàn vật liệu nổ công nghiệp cho thợ mìn của Công ty Mỏ đá Bảo Hà
I. MỤC ĐÍCH, YÊU CẦU
1. Kiểm tra kỹ thuật an toàn cho thợ mìn đã được huấn luyện.
II. NỘI DUNG
1. Thời gian: 01 ngày, bắt đầu từ 08h00 ngày 20/7/2026.
2. Địa điểm: Hội trường tầng 3, số 18 đường Hoàng Liên, phường Cốc Lếu, tỉnh Lào Cai.
3. Đối tượng: Thợ mìn của Công ty Mỏ đá Bảo Hà.
III. TỔ CHỨC THỰC HIỆN
1. Giao phòng Kỹ thuật an toàn - Môi trường chuẩn bị đề kiểm tra.
Nơi nhận:
- Ban Giám đốc Sở;
- Lưu: VT.
KT. GIÁM ĐỐC
PHÓ GIÁM ĐỐC
Hoàng Văn Thuân
"""

FOOD = """ỦY BAN NHÂN DÂN
TỈNH ĐỒNG NAI
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 301/KH-UBND
Đồng Nai, ngày 05 tháng 3 năm 2026
KẾ HOẠCH
Bảo đảm an toàn thực phẩm trong mùa lễ hội năm 2026
I. NHIỆM VỤ
1. Giám sát ngộ độc thực phẩm
- Trung tâm Y tế khu vực hỗ trợ các xã lấy mẫu xét nghiệm khi phát hiện ngộ độc thực phẩm tập thể.
- Khi xảy ra ngộ độc thực phẩm tập thể, báo cáo ngay về Chi cục An toàn vệ sinh thực phẩm và Sở Y tế.
- Việc kiểm tra được thực hiện theo phương châm “phòng là chính”; phát hiện đến đâu xử lý đến đó.
2. Truyền thông
- Sở Văn hóa, Thể thao và Du lịch phối hợp với Sở Y tế tuyên truyền về an toàn thực phẩm.
II. TỔ CHỨC THỰC HIỆN
1. Ủy ban nhân dân cấp xã
a) Tuyên truyền cho hộ kinh doanh thức ăn đường phố về an toàn thực phẩm.
b) Kiện toàn Ban Chỉ đạo liên ngành về an toàn thực phẩm cấp xã.
c) Bố trí kinh phí kiểm tra an toàn thực phẩm trong mùa lễ hội.
d) Kiểm tra, giám sát các bếp ăn tập thể và hộ kinh doanh thức ăn đường phố, xử lý vi phạm về an toàn thực phẩm.
2. Ủy ban nhân dân các xã, phường
- Lập danh sách cơ sở sản xuất bánh trung thu trên địa bàn.
Nơi nhận:
- Như trên;
- Lưu: VT.
TM. ỦY BAN NHÂN DÂN
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH
Nguyễn Văn Út
"""


# a plan with its annex of key tasks ("Phụ lục … (Kèm theo Kế hoạch số …)"), a markdown table
ANNEX = """ỦY BAN NHÂN DÂN
TỈNH ĐỒNG NAI
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 302/KH-UBND
Đồng Nai, ngày 06 tháng 3 năm 2026
KẾ HOẠCH
Kiểm tra bếp ăn tập thể năm 2026
I. NHIỆM VỤ
1. Kiểm tra bếp ăn tập thể
- Tăng cường kiểm tra, giám sát các bếp ăn tập thể của khu công nghiệp định kỳ hằng quý và đột xuất.
II. TỔ CHỨC THỰC HIỆN
1. Sở Y tế: chủ trì thực hiện Kế hoạch.
Nơi nhận:
- Như trên;
- Lưu: VT.
TM. ỦY BAN NHÂN DÂN
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH
Nguyễn Văn Út

PHỤ LỤC
MỘT SỐ NHIỆM VỤ TRỌNG TÂM
(Kèm theo Kế hoạch số 302/KH-UBND ngày 06/3/2026 của UBND tỉnh)

| TT | Nhiệm vụ | Đơn vị chủ trì | Thời gian thực hiện |
|---|---|---|---|
| 1 | Tăng cường kiểm tra, giám sát bếp ăn tập thể của khu công nghiệp | Sở Y tế | Quý III/2026 |
| 2 | Tập huấn an toàn thực phẩm cho chủ bếp ăn | Sở Y tế | Quý II/2026 |
"""


@pytest.fixture(scope="module")
def assistant(tmp_path_factory):
    return inline_assistant(
        tmp_path_factory.mktemp("s23misses"),
        {
            "lao-cai-2026-415-kh-sct-kiem-tra.txt": TRAINING,
            "dong-nai-2026-301-kh-ubnd.txt": FOOD,
            "dong-nai-2026-302-kh-ubnd.md": ANNEX,
        },
    )


def test_going_somewhere_asks_the_venue(assistant):
    q = "Thợ mìn của Công ty Mỏ đá Bảo Hà phải đến đâu để dự kiểm tra?"
    query = assistant.snapshot().read(q)
    assert query.intent == Intent.FACT and query.fact == FactKind.PLACE
    ans = assistant.ask(q)
    assert not ans.refused
    assert fold("số 18 đường Hoàng Liên") in fold(ans.answer)


@pytest.mark.parametrize(
    "folded, kind",
    [
        ("hoc vien phai den dau de du kiem tra", FactKind.PLACE),
        ("tho min di den dau de kiem tra", FactKind.PLACE),
        # how far a task has come is no venue
        ("ke hoach trien khai den dau roi", None),
        # a report sent somewhere asks the office receiving it, not a venue
        ("bao cao ket qua phai gui den dau", None),
    ],
)
def test_den_dau_is_a_venue_only_after_a_verb_of_going(folded, kind):
    assert fact_kind(folded) is kind


@pytest.mark.parametrize(
    "q",
    [
        "Khi phát hiện ngộ độc thực phẩm tập thể thì phải báo cho ai?",
        "khi phat hien ngo doc thuc pham tap the thi phai bao cho ai",
    ],
)
def test_bao_cho_ai_asks_where_the_report_goes(assistant, q):
    query = assistant.snapshot().read(q)
    assert query.intent == Intent.FACT and query.units == []
    ans = assistant.ask(q)
    assert fold("báo cáo ngay về Chi cục An toàn vệ sinh thực phẩm và Sở Y tế") in fold(ans.answer)


@pytest.mark.parametrize(
    "folded, asked",
    [
        ("phai bao cho ai", True),
        ("bao cao ket qua gui cho ai", True),
        # "bảo vệ", "bảo đảm" fold like "báo": no report there
        ("kinh phi bao dam cho ai", False),
        ("bao ve rung cho ai", False),
    ],
)
def test_bao_is_a_report_only_right_before_its_direction(folded, asked):
    assert asks_destination(folded) is asked


def test_a_units_lettered_tasks_come_in_the_plans_order(assistant):
    ans = assistant.ask("Ủy ban nhân dân cấp xã phải làm gì về kiểm tra, giám sát an toàn thực phẩm?")
    assert ans.intent == Intent.UNIT_TASKS
    at = [ans.answer.find(f"{x}) ") for x in "abcd"]
    assert -1 not in at and at == sorted(at), ans.answer


@pytest.mark.parametrize(
    "q",
    ["ubnd cac xa phuong phai lam gi trong mua le hoi", "UBND các xã phường phải làm gì trong mùa lễ hội?"],
)
def test_the_commune_pair_typed_without_its_comma_is_the_unit(assistant, q):
    query = assistant.snapshot().read(q)
    assert query.units == ["Ủy ban nhân dân các xã, phường"]
    assert "bánh trung thu" in assistant.ask(q).answer


def test_the_quote_of_the_asked_label_answers_not_the_clause_after_it(assistant):
    ans = assistant.ask("Kiểm tra an toàn thực phẩm mùa lễ hội theo phương châm gì?")
    assert "phòng là chính" in ans.answer


def test_a_question_naming_the_annex_is_answered_from_its_row(assistant):
    # the body's prose ranked first and also gives a time ("định kỳ hằng quý"): the question
    # names the annex ("phụ lục"), so its row's time cell answers
    snap = assistant.snapshot()
    passages = list(snap.passages.values()) if isinstance(snap.passages, dict) else list(snap.passages)
    prose = next(p for p in passages if "định kỳ hằng quý" in p.text)
    row = next(p for p in passages if p.kind == "table_row" and "Quý III" in p.text)
    q = snap.read(
        "phu luc ke hoach 302: nhiem vu tang cuong kiem tra giam sat bep an tap the khu cong nghiep thuc hien khi nao"
    )
    hits = [Hit(passage=prose, score=1.0, rank=1), Hit(passage=row, score=0.9, rank=2)]
    best = best_fact_segment(q, hits, snap.idf, fact_rule(q.text, q.fact, q.terms, q.folded))
    assert best is not None and best[1].passage.id == row.id


def test_the_annex_a_question_names_keeps_its_tasks_first(assistant):
    # document order holds within a part of the plan; the annex ranked first stays first
    ans = assistant.ask("Phụ lục kế hoạch 302 giao Sở Y tế chủ trì những nhiệm vụ trọng tâm nào?")
    text = fold(ans.answer)
    row, body = (
        text.find(fold("bếp ăn tập thể của khu công nghiệp")),
        text.find(fold("chủ trì thực hiện Kế hoạch")),
    )
    assert row != -1 and (body == -1 or row < body), ans.answer
