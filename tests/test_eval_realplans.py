"""The real-plan suite (eval/realplans): its questions, its split, and its CI quality gate.

The plans live outside the repository, in ``<repo>/../shared/external/real-plans`` (or where
``REAL_PLANS_DIR`` points); every test here is skipped, saying so, when they are absent.
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `eval` is a folder of the repo, not an installed package
    sys.path.insert(0, str(ROOT))

from eval.realrun import GATE_KEYS, check_real_gate, run_realplans  # noqa: E402
from eval.realsuite import (  # noqa: E402
    BASELINE,
    ORIGINALS,
    QUESTIONS,
    QUOTAS,
    SOURCES,
    corpora,
    data_dir,
    load_suite,
    questions_for,
    split_table,
    validate_suite,
)

MARGIN = 0.03
needs_data = pytest.mark.skipif(
    not data_dir().is_dir(),
    reason=f"the real plans are absent: no folder {data_dir()} (clone shared/ beside the repository "
    "or set REAL_PLANS_DIR)",
)


@needs_data
def test_every_question_is_valid_and_its_quotes_are_verbatim():
    """Fields, kinds, quotas, split, and each quote in the plan and in the text the loader returns."""
    unreadable: list[str] = []
    assert validate_suite(QUESTIONS, unreadable=unreadable) == []
    # the originals hold the same words as the text versions: a quote the loader cannot find there
    # is a loader failure the suite measures; it stays a minority of the Lào Cai questions
    laocai = [q for q in load_suite() if q["corpus"] == "laocai"]
    assert len({u.split(":")[0] for u in unreadable}) < len(laocai) / 2


@needs_data
def test_split_takes_whole_plans_a_third_of_each_source():
    table = split_table()
    questions = load_suite()
    per_plan: dict[str, set[str]] = defaultdict(set)
    for q in questions:
        for doc in {s["doc"] for s in q["sources"]} or {q["plan"]}:
            per_plan[doc].add(q["split"])
    assert all(len(s) == 1 for s in per_plan.values()), {d: s for d, s in per_plan.items() if len(s) > 1}
    for folder in SOURCES:
        names = [p.name for p in (data_dir() / folder).iterdir()]
        test = [n for n in names if table[n] == "test"]
        assert len(test) * 3 >= len(names), folder
    for text, original in ORIGINALS.items():
        assert table[original] == table[text]
    # at least 15 % of all questions (QUOTAS): the dev part grows with each session's questions,
    # the test part is never grown (README, "The questions")
    assert sum(q["split"] == "test" for q in questions) >= QUOTAS["min_test_share"] * len(questions)


@needs_data
def test_originals_are_asked_the_lao_cai_questions_renamed():
    spec = next(c for c in corpora() if c.name == "originals")
    asked = questions_for(spec, load_suite())
    assert asked and all(s["doc"] in ORIGINALS.values() for q in asked for s in q["sources"])
    assert not any(q["sources"][0]["doc"].endswith(".txt") for q in asked if q["sources"])


def test_real_gate_flags_a_fall_per_corpus_and_split():
    base = {"figures": {"laocai": {"dev": {k: 0.8 for k in GATE_KEYS}}}}
    report = {"corpora": {"laocai": {"splits": {"dev": {"ours": {k: 0.78 for k in GATE_KEYS}}}}}}
    assert check_real_gate(report, base, MARGIN) == []
    report["corpora"]["laocai"]["splits"]["dev"]["ours"]["citation_accuracy"] = 0.76
    problems = check_real_gate(report, base, MARGIN)
    assert len(problems) == 1 and "citation_accuracy" in problems[0]
    assert check_real_gate({"corpora": {}}, base, MARGIN) == ["laocai/dev: not measured"]


@needs_data
@pytest.mark.slow
def test_gate_real_plans_hold_their_recorded_figures(real_settings, tmp_path):
    """Answer accuracy, citation accuracy and refusal recall per corpus and split vs baseline.json."""
    from assistant.indexing.embedders import get_embedder
    from eval.systems import CachedEmbedder

    baseline = json.loads(BASELINE.read_text(encoding="utf-8"))
    emb = CachedEmbedder(get_embedder(real_settings.embedder))
    report = run_realplans(real_settings, peers=False, work=tmp_path, embedder=emb, log=lambda m: None)
    assert report["meta"]["embedder"] == baseline["embedder"]
    problems = check_real_gate(report, baseline, MARGIN)
    assert problems == [], "quality regression on the real plans:\n" + "\n".join(problems)


def test_corpus_report_carries_the_real_plan_figures(tmp_path):
    """``eval/report.md`` holds the suite's table (ours and the peers) in one marked section, replaced
    on every suite run, never duplicated."""
    from eval.report import REALPLANS_REPORT, splice_realplans

    report = tmp_path / "report.md"
    assert not splice_realplans(report)  # no corpus report yet: nothing written
    report.write_text("# Evaluation report\n\nbody\n", encoding="utf-8")
    source = tmp_path / "rp.md"
    source.write_text(REALPLANS_REPORT.read_text(encoding="utf-8"), encoding="utf-8")
    assert splice_realplans(report, source)
    first = report.read_text(encoding="utf-8")
    assert "| provinces | test | Ours (hybrid) |" in first and "| provinces | test | BM25 chunks |" in first
    later = REALPLANS_REPORT.read_text(encoding="utf-8").replace("Ours (hybrid)", "Ours (later run)")
    source.write_text(later, encoding="utf-8")
    assert splice_realplans(report, source)
    second = report.read_text(encoding="utf-8")
    assert second.count("<!-- realplans -->") == 1 and "Ours (later run)" in second
    assert "Ours (hybrid)" not in second and second.startswith("# Evaluation report\n\nbody\n")
