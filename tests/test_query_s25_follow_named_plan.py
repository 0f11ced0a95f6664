"""A follow-up that moves the earlier question to another plan when the earlier plan was named by a
proper name of its text (issue 12 classes 5, 8). An unnumbered draft is asked as "kế hoạch kiểm tra
Sin Quyền" (the mine only its text names: ``Catalog.docs_naming``). Moved on with "Còn
kế hoạch 1105?", those words named the plan left behind and are cut (else the plan now asked is
refused for lacking them); "Còn kế hoạch kiểm tra ở Sin Quyền thì sao?" names a plan, no topic.
The catalogue of two dev Lào Cai plans read from REAL_PLANS_DIR (skipped when absent)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from _small import inline_assistant

from assistant.query import follow_up
from assistant.query.model import FactKind
from assistant.query.parse import parse_question

KT = "lao-cai-2026-1105-kh-dkt-kiem-tra-vlncn.txt"
SIN = "lao-cai-2026-3024-kh-sct-kiem-tra-sin-quyen.txt"


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory):
    root = Path(__file__).resolve().parents[1]
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    from eval.realsuite import data_dir

    plans = {n: data_dir() / "plans" / n for n in (KT, SIN)}
    if not all(p.is_file() for p in plans.values()):
        pytest.skip("the real plans are absent (set REAL_PLANS_DIR)")
    a = inline_assistant(
        tmp_path_factory.mktemp("lc"), {n: p.read_text(encoding="utf-8") for n, p in plans.items()}
    )
    return a.snapshot().catalog


def _history(question: str, answer: str) -> list[dict]:
    return [{"role": "user", "content": question}, {"role": "assistant", "content": answer}]


def test_moved_to_another_plan_the_words_that_named_the_first_are_cut(catalog):
    first = "Kế hoạch kiểm tra Sin Quyền ban hành tháng mấy?"
    assert parse_question(first, catalog).named == frozenset({SIN})
    history = _history(
        first, "Kế hoạch kiểm tra, cấp Giấy chứng nhận … (tháng 5/2026): tháng 5 năm 2026 [1]."
    )
    q = follow_up(parse_question("Còn kế hoạch 1105?", catalog), history, catalog)
    assert q.fact == FactKind.DATE and q.filters.get("doc") == KT
    assert not {"sin", "quyen"} & set(q.terms) and "Sin Quyền" not in q.text, (q.terms, q.text)


def test_a_plan_named_by_a_proper_name_of_its_text_is_no_topic_of_the_follow_up(catalog):
    history = _history("Ai ký kế hoạch 1105?", "Kế hoạch 1105/KH-ĐKT (Lào Cai) do Hoàng Văn Thuân ký [1].")
    q = follow_up(parse_question("Còn kế hoạch kiểm tra ở Sin Quyền thì sao?", catalog), history, catalog)
    assert q.fact == FactKind.SIGNER and q.filters.get("doc") == SIN
