"""Feedback store: append-only JSONL that survives crashes and concurrent writers; export to eval lines."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from assistant.feedback import FEEDBACK_VERSION, FeedbackError, FeedbackStore, make_record, to_eval_lines
from assistant.records import Answer, Citation
from assistant.settings import Settings

ROOT = Path(__file__).resolve().parent.parent


def _answer(**kw) -> dict:
    base = dict(
        question="Sở nào chủ trì quảng bá video clip?",
        answer="Sở Thông tin và Truyền thông chủ trì [1].",
        intent="lead_unit",
        units={"lead": ["Sở Thông tin và Truyền thông"], "partners": ["Sở Văn hóa, Thể thao và Du lịch"]},
        citations=[
            Citation(
                n=1,
                passage_id="kh-a#1",
                doc="kh-a.txt",
                title="Kế hoạch A",
                section="II › 4",
                text="Sở Thông tin và Truyền thông chủ trì quảng bá video clip về địa phương.",
                quote="chủ trì quảng bá video clip",
                score=0.8,
            )
        ],
    )
    base.update(kw)
    return Answer(**base).to_dict()


def test_append_and_read_round_trip(tmp_path):
    store = FeedbackStore(tmp_path / "fb" / "feedback.jsonl")
    rec = store.add(
        "useful",
        "Sở nào chủ trì quảng bá video clip?",
        _answer(),
        comment=" rất đúng ",
        filters={"province": "Đồng Tháp"},
    )
    store.add("wrong_source", "Câu khác?", _answer(question="Câu khác?"))
    raw = store.path.read_bytes()
    assert raw.endswith(b"\n") and raw.count(b"\n") == 2
    res = store.read()
    assert [r["rating"] for r in res.records] == ["useful", "wrong_source"]
    first = res.records[0]
    assert first == rec and first["v"] == FEEDBACK_VERSION and first["comment"] == "rất đúng"
    assert first["filters"] == {"province": "Đồng Tháp"}
    # the passage text is not copied into the feedback log, only what locates and quotes it
    assert first["citations"] == [
        {
            "n": 1,
            "passage_id": "kh-a#1",
            "doc": "kh-a.txt",
            "quote": "chủ trì quảng bá video clip",
            "related_only": False,
        }
    ]
    assert (res.truncated, res.malformed, res.unknown_version) == (0, 0, 0)


def test_store_path_comes_from_settings_data_dir(tmp_path):
    # conftest points TLKH_DATA_DIR at tmp: the store must follow it, never the repo's data/
    store = FeedbackStore.for_settings(Settings())
    assert store.path == tmp_path / "data" / "feedback.jsonl"


@pytest.mark.parametrize(
    "kw, needle",
    [
        (dict(rating="great"), "Đánh giá không hợp lệ"),
        (dict(question="   "), "Thiếu câu hỏi"),
        (dict(comment="x" * 2001), "quá dài"),
        (dict(answer={"citations": "nope"}), "Danh sách nguồn"),
    ],
)
def test_bad_feedback_is_refused_and_writes_nothing(tmp_path, kw, needle):
    store = FeedbackStore(tmp_path / "feedback.jsonl")
    store.add("useful", "Câu hợp lệ?", _answer())
    before = store.path.read_bytes()
    args = dict(rating="useful", question="Câu hỏi?", answer=_answer(), comment="")
    args.update(kw)
    with pytest.raises(FeedbackError) as ei:
        store.add(args.pop("rating"), args.pop("question"), args.pop("answer"), **args)
    assert needle in ei.value.message_vi and ei.value.message_en and ei.value.status == 400
    assert store.path.read_bytes() == before


def test_truncated_last_line_is_skipped_and_next_append_is_readable(tmp_path):
    store = FeedbackStore(tmp_path / "feedback.jsonl")
    store.add("useful", "Câu một?", _answer())
    store.add("not_useful", "Câu hai?", _answer())
    # a crash in the middle of a write leaves half a line without its newline
    half = json.dumps(make_record("useful", "Câu ba?", _answer()), ensure_ascii=False).encode()[:57]
    with open(store.path, "ab") as fh:
        fh.write(half)
    res = store.read()
    assert [r["question"] for r in res.records] == ["Câu một?", "Câu hai?"] and res.truncated == 1
    store.add("useful", "Câu bốn?", _answer())
    res = store.read()
    assert [r["question"] for r in res.records] == ["Câu một?", "Câu hai?", "Câu bốn?"]
    assert res.malformed == 1 and res.truncated == 0  # the half line stays isolated on its own line


def test_lines_of_another_version_are_counted_not_loaded(tmp_path):
    store = FeedbackStore(tmp_path / "feedback.jsonl")
    store.add("useful", "Câu một?", _answer())
    with open(store.path, "a", encoding="utf-8") as fh:
        fh.write(json.dumps({"v": 99, "rating": "useful", "question": "tương lai"}) + "\n")
    res = store.read()
    assert len(res.records) == 1 and res.unknown_version == 1


def test_concurrent_threads_never_interleave(tmp_path):
    store = FeedbackStore(tmp_path / "feedback.jsonl")
    long_comment = "ý kiến " * 250  # ~1.7 kB lines, larger than small atomic-write sizes

    def worker(i: int) -> None:
        for j in range(25):
            store.add("useful", f"Câu {i}-{j}?", _answer(), comment=long_comment)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    res = store.read()
    assert len(res.records) == 200 and res.malformed == 0
    assert len({r["question"] for r in res.records}) == 200


_WRITER = """
import sys
from assistant.feedback import FeedbackStore
store = FeedbackStore(sys.argv[1])
for j in range(60):
    store.add("not_useful", f"Tiến trình {sys.argv[2]} câu {j}?", {"answer": "đ" * 6000}, comment="x" * 1000)
"""


def test_concurrent_processes_never_interleave(tmp_path):
    path = tmp_path / "feedback.jsonl"
    procs = [subprocess.Popen([sys.executable, "-c", _WRITER, str(path), str(i)], cwd=ROOT) for i in range(3)]
    assert all(p.wait(timeout=120) == 0 for p in procs)
    res = FeedbackStore(path).read()
    assert len(res.records) == 180 and res.malformed == 0 and res.truncated == 0


def test_eval_lines_take_gold_only_from_useful_answers():
    refusal = _answer(
        question="Ngân sách năm 2030 là bao nhiêu?",
        answer="Không tìm thấy thông tin này.",
        refused=True,
        intent="fact",
        units={"lead": [], "partners": []},
        citations=[
            Citation(
                n=1,
                passage_id="p9",
                doc="kh-b.txt",
                title="B",
                section="",
                text="t",
                quote="t",
                score=0.1,
                related_only=True,
            )
        ],
    )
    recs = [
        make_record(
            "useful", "Sở nào chủ trì quảng bá video clip?", _answer(), filters={"province": "Đồng Tháp"}
        ),
        make_record("useful", "  sở nào CHỦ TRÌ quảng bá video clip? ", _answer(), comment="đúng"),
        make_record(
            "wrong_source",
            "Ai ký kế hoạch B?",
            _answer(question="Ai ký kế hoạch B?", intent="fact"),
            comment="nguồn là phụ lục",
        ),
        make_record("useful", "Ngân sách năm 2030 là bao nhiêu?", refusal),
    ]
    lines = {line["question"].strip().casefold(): line for line in to_eval_lines(recs)}
    assert len(lines) == 3  # the two spellings of the first question are one candidate
    for line in lines.values():
        assert {
            "id",
            "question",
            "kind",
            "province",
            "answer",
            "expected_any",
            "expected_all",
            "sources",
            "review",
        } <= set(line)
        assert line["id"].startswith("fb-") and line["review"]["status"] == "needs_review"
    lead = lines["sở nào chủ trì quảng bá video clip?"]
    assert lead["kind"] == "lead_unit" and lead["expected_any"] == ["Sở Thông tin và Truyền thông"]
    assert lead["sources"] == [{"doc": "kh-a.txt", "quote": "chủ trì quảng bá video clip"}]
    assert lead["review"]["ratings"]["useful"] == 2 and lead["review"]["comments"] == ["đúng"]
    wrong = lines["ai ký kế hoạch b?"]
    assert (
        wrong["sources"] == []
        and wrong["answer"] == ""
        and wrong["review"]["wrong_source_passages"] == ["kh-a#1"]
    )
    unans = lines["ngân sách năm 2030 là bao nhiêu?"]
    assert unans["kind"] == "unanswerable" and unans["sources"] == []


def test_export_command(tmp_path):
    fb = tmp_path / "data" / "feedback.jsonl"
    store = FeedbackStore(fb)
    store.add("useful", "Sở nào chủ trì quảng bá video clip?", _answer())
    store.add("not_useful", "Ai ký?", _answer(question="Ai ký?", intent="fact"))
    with open(fb, "ab") as fh:
        fh.write(b'{"v": 1, "rating": "use')  # torn last line
    out = tmp_path / "candidates.jsonl"
    env = {**os.environ, "TLKH_DATA_DIR": str(tmp_path / "data")}
    proc = subprocess.run(
        [sys.executable, "-m", "assistant.feedback", "export", str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert "Đã xuất 2 câu hỏi" in proc.stderr and "1 dòng dở dang" in proc.stderr
    lines = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [x["question"] for x in lines] == ["Sở nào chủ trì quảng bá video clip?", "Ai ký?"]
    missing = subprocess.run(
        [
            sys.executable,
            "-m",
            "assistant.feedback",
            "export",
            str(out),
            "--feedback",
            str(tmp_path / "none.jsonl"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert missing.returncode == 1 and "Chưa có góp ý" in missing.stderr
