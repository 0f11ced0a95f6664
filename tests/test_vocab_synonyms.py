"""An everyday phrase of a question read in the form plans write ("soạn đề kiểm tra" → "xây dựng
bài kiểm tra"), and a question's leading frame ("Trong đợt kiểm tra … Sin Quyền, …") not taken for
the task asked (issue 12, failure class 4: dev r674 was refused).

The end-to-end test reads the real Lào Cai 3024 plan (development split) from ``REAL_PLANS_DIR``,
skipped when absent, beside a tiny inline plan that writes "đợt kiểm tra" (a collection's phrase)."""

from __future__ import annotations

import pytest
from _small import has, inline_assistant

from assistant.core import Assistant
from assistant.query.parse import parse_question
from assistant.vocab.synonyms import as_plans_write
from eval.realsuite import data_dir


@pytest.mark.parametrize(
    ("asked", "read"),
    [
        ("Ai soạn đề kiểm tra và đáp án?", "Ai xây dựng bài kiểm tra và đáp án?"),
        ("ai soan de kiem tra va dap an", "ai xây dựng bài kiểm tra va dap an"),
        ("Ai ra đề thi cho học viên?", "Ai xây dựng bài kiểm tra cho học viên?"),
        ("Ai chấm thi?", "Ai chấm bài?"),
        ("Ai kiểm tra lại chứng chỉ trước khi trình?", "Ai rà soát chứng chỉ trước khi trình?"),
        # a tie in an emulation ranking, asked as officials say it (fresh dev r805)
        (
            "Hai xã bằng điểm nhau thì xã nào được xếp trên?",
            "Hai xã tổng số điểm bằng nhau thì xã nào xếp hạng cao hơn?",
        ),
        ("don vi nao xep cao hon", "don vi nao xếp hạng cao hơn"),
        # "xếp trên địa bàn", "xếp trên cơ sở": a place or a ground follows, no ranking
        ("Sắp xếp trên địa bàn các xã", "Sắp xếp trên địa bàn các xã"),
        ("hai xa dong diem thi sao", "hai xa tổng số điểm bằng nhau thi sao"),
        # what plans write themselves is left as it is; "bảng điểm" (a score sheet) is no tie
        ("Sở Y tế gửi bảng điểm thi đua", "Sở Y tế gửi bảng điểm thi đua"),
        ("Sở Xây dựng rà soát điểm ngập sâu", "Sở Xây dựng rà soát điểm ngập sâu"),
        ("Ai tổ chức kiểm tra kỹ thuật an toàn?", "Ai tổ chức kiểm tra kỹ thuật an toàn?"),
    ],
)
def test_everyday_phrases_are_read_as_plans_write_them(asked, read):
    assert as_plans_write(asked) == read


def test_the_question_keeps_its_words_its_terms_are_the_plans():
    q = parse_question("Ai soạn đề kiểm tra và đáp án?")
    assert q.text == "Ai soạn đề kiểm tra và đáp án?"  # shown to the user as typed
    assert {"xay", "dung", "bai"} <= set(q.terms) and "soan" not in q.terms
    assert "xây dựng bài kiểm tra" in q.lexical_text


REAL = data_dir()
SIN_QUYEN = REAL / "plans" / "lao-cai-2026-3024-kh-sct-kiem-tra-sin-quyen.txt"

# another plan of the collection, writing "đợt kiểm tra" and "hội thi" (what the 3024 plan never writes)
ROUNDS = """UBND TỈNH LÀO CAI
SỞ CÔNG THƯƠNG

CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc

Số: 12/KH-SCT

Lào Cai, ngày 02 tháng 3 năm 2026

KẾ HOẠCH
Kiểm tra an toàn hồ đập thủy điện mùa mưa lũ năm 2026

I. NỘI DUNG

1. Mỗi đợt kiểm tra gồm 03 ngày tại các hồ đập thủy điện trên địa bàn tỉnh.

2. Tổ chức hội thi an toàn đập cho cán bộ vận hành.

II. TỔ CHỨC THỰC HIỆN

Giao phòng Quản lý năng lượng chủ trì tổ chức hội thi an toàn đập.

Nơi nhận:
- Lưu: VT.

KT. GIÁM ĐỐC
PHÓ GIÁM ĐỐC

Hoàng Văn Thuân
"""


@pytest.fixture(scope="module")
def assistant(tmp_path_factory) -> Assistant:
    if not SIN_QUYEN.is_file():
        pytest.skip(f"the real plans are absent: no file {SIN_QUYEN}")
    plans = {SIN_QUYEN.name: SIN_QUYEN.read_text(encoding="utf-8"), "lao-cai-2026-12-kh-sct.txt": ROUNDS}
    # the real embedder: the refusal scorer was fitted on its dense scores
    return inline_assistant(tmp_path_factory.mktemp("synonyms"), plans, embedder="e5-small")


FRAME = "Trong đợt kiểm tra cấp giấy chứng nhận cho Mỏ tuyển đồng Sin Quyền, "


def test_the_test_writers_row_answers_soan_de(assistant):
    ans = assistant.ask(FRAME + "ai soạn đề kiểm tra và đáp án?")
    assert not ans.refused, ans.answer
    assert has(ans.answer, "Đỗ Mạnh Cường") and has(ans.answer, "Vũ Việt Linh"), ans.answer


def test_a_task_the_plan_does_not_have_is_still_refused_after_the_frame(assistant):
    ans = assistant.ask(FRAME + "ai chủ trì tổ chức hội thi an toàn đập?")
    assert ans.refused or not has(ans.answer, "Đỗ Mạnh Cường"), ans.answer
