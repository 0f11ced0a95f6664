"""The gold question set is valid, verbatim against the plans, and wide enough to mean something."""

from __future__ import annotations

import json
import re
import statistics
from pathlib import Path

import pytest

from eval.validate import DEFAULT, KINDS, PROBE_QUOTAS, QUOTAS, TAGS, fold, load_questions, summary, validate

PROBE = Path(DEFAULT).parent / "probe"


@pytest.fixture(scope="module")
def questions() -> list[dict]:
    return load_questions(DEFAULT)


def test_gold_set_is_clean(corpus_dir):
    problems = validate(DEFAULT, corpus_dir)
    assert problems == [], "\n".join(problems)


def test_probe_set_is_clean():
    problems = validate(PROBE / "questions.jsonl", PROBE / "plans", quotas=PROBE_QUOTAS)
    assert problems == [], "\n".join(problems)
    probe = load_questions(PROBE / "questions.jsonl")
    assert set(summary(probe)["by_plan"]) == {p.name for p in (PROBE / "plans").iterdir()}


def test_quotas(questions, corpus_files):
    s = summary(questions)
    assert s["n"] >= QUOTAS["min_questions"]
    assert all(s["by_kind"][k] >= QUOTAS["min_per_kind"] for k in KINDS), s["by_kind"]
    plans = {p.name for p in corpus_files}
    assert plans, "no corpus plans found"
    assert set(s["by_plan"]) == plans, "every plan is cited, and nothing else"
    assert all(s["by_plan"][p] >= QUOTAS["min_per_plan"] for p in plans), s["by_plan"]
    assert all(s["tag_share"][t] >= QUOTAS["min_tag_share"] for t in TAGS), s["tag_share"]
    assert s["unanswerable_share"] >= QUOTAS["min_unanswerable_share"]


def test_compare_questions_cite_each_plan_they_compare(questions):
    compares = [q for q in questions if q["kind"] == "compare"]
    assert compares
    for q in compares:
        assert len({s["doc"] for s in q["sources"]}) >= 2, q["id"]
        assert q["province"] is None, q["id"]


def _tokens(text: str) -> set[str]:
    return set(re.findall(r"\w+", fold(text)))


def test_paraphrase_tag_means_fewer_shared_words(questions):
    """Paraphrased questions share clearly fewer words with their gold quotes than the rest."""

    def overlap(q):
        qt = _tokens(q["question"])
        st = set().union(*(_tokens(s["quote"]) for s in q["sources"]))
        return len(qt & st) / len(qt)

    answerable = [q for q in questions if q["sources"]]
    para = [overlap(q) for q in answerable if q["paraphrase"]]
    plain = [overlap(q) for q in answerable if not q["paraphrase"]]
    assert statistics.mean(para) < 0.8 * statistics.mean(plain), (
        statistics.mean(para),
        statistics.mean(plain),
    )
    assert max(para) < 0.6


def test_validator_reports_each_kind_of_defect(tmp_path, corpus_dir, questions):
    """A copy of the gold set with injected defects: each one is reported, naming the id."""
    rows = [dict(q) for q in questions]
    fact = next(q for q in rows if q["kind"] == "fact" and "ngày" in q["sources"][0]["quote"])
    # a diacritic lost in retyping: the kind of drift only an exact comparison catches
    fact["sources"] = [
        {"doc": fact["sources"][0]["doc"], "quote": fact["sources"][0]["quote"].replace("ngày", "ngay", 1)}
    ]
    comp = next(q for q in rows if q["kind"] == "compare")
    comp["sources"] = comp["sources"][:1]
    una = next(q for q in rows if q["kind"] == "unanswerable")
    una["sources"] = [{"doc": "khong-co.txt", "quote": "x" * 40}]
    nd = next(q for q in rows if q["no_diacritics"])
    nd["question"] = nd["question"] + " ở đâu"
    html = next(q for q in rows if q["sources"] and q is not fact and q is not comp and q is not nd)
    html["sources"] = [{"doc": html["sources"][0]["doc"], "quote": "<b>" + html["sources"][0]["quote"]}]
    del rows[-1]["answer"]
    rows.append(dict(rows[0]))  # duplicate id and question
    path = tmp_path / "q.jsonl"
    path.write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n{broken\n", encoding="utf-8"
    )

    problems = "\n".join(validate(path, corpus_dir))
    assert f"{fact['id']}: trích dẫn không có nguyên văn" in problems
    assert fact["sources"][0]["quote"] in problems  # the failing quote is shown
    assert f"{comp['id']}: câu so sánh cần nguồn" in problems
    assert f"{una['id']}: unanswerable ⇔ sources rỗng" in problems
    assert f"{una['id']}: không có văn bản" in problems
    assert f"{nd['id']}: no_diacritics=True" in problems
    assert f"{html['id']}: trích dẫn chứa thẻ/markup" in problems
    assert f"{rows[-2]['id']}: thiếu trường / missing field 'answer'" in problems
    assert f"{rows[0]['id']}: id trùng" in problems
    assert "JSON hỏng" in problems


def test_validator_reports_unmet_quotas(tmp_path, corpus_dir, questions):
    kept = [q for q in questions if q["kind"] != "unanswerable" and not q["no_diacritics"]]
    path = tmp_path / "q.jsonl"
    path.write_text("".join(json.dumps(q, ensure_ascii=False) + "\n" for q in kept), encoding="utf-8")
    problems = "\n".join(validate(path, corpus_dir))
    assert "kind unanswerable: 0 câu" in problems
    assert "tag no_diacritics: 0.0%" in problems
    assert "unanswerable: 0.0%" in problems
