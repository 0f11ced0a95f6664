"""The command line, run as a real subprocess: `python -m assistant …`."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.cli import format_answer

ROOT = Path(__file__).resolve().parent.parent


def run(args: list[str], *, stdin: str | None = None, env: dict | None = None, timeout: float = 300):
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "assistant", *args],
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
        cwd=ROOT,
        env=full_env,
    )


@pytest.fixture(scope="module")
def built(real_assistant, real_settings):
    """The session's real index (built once by the shared fixture) and the env to reach it."""
    real_assistant.plans()  # make sure the index exists
    env = {"TLKH_DATA_DIR": str(real_settings.data_dir), "TLKH_EMBEDDER": "e5-small"}
    return ["--corpus", str(real_settings.corpus_dir), "--index", str(real_settings.index_dir)], env


@pytest.mark.slow
def test_ask_json(built):
    base, env = built
    r = run([*base, "ask", "--json", "Ai ký Kế hoạch 183?"], env=env)
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["schema"] == 1 and data["intent"] == "fact" and not data["refused"]
    assert "Nguyễn Sơn Hùng" in data["answer"]
    assert set(data) >= {"question", "answer", "refused", "intent", "units", "citations"}
    c = data["citations"][0]
    assert set(c) >= {"n", "passage_id", "doc", "title", "section", "text", "quote", "score"}
    assert c["quote"] in c["text"]


@pytest.mark.slow
def test_ask_readable_with_province_filter(built):
    base, env = built
    r = run([*base, "ask", "Ai chủ trì tập huấn nghiệp vụ phát ngôn?", "--province", "Đồng Nai"], env=env)
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("Sở Thông tin và Truyền thông chủ trì [1]")
    assert "\nNguồn:\n[1] " in r.stdout and "(dong-nai-2024-183-kh-ubnd.txt)" in r.stdout


@pytest.mark.slow
def test_refusal_exits_zero(built):
    base, env = built
    r = run([*base, "ask", "--json", "Kế hoạch của tỉnh Cần Thơ giao ai chủ trì?"], env=env)
    assert r.returncode == 0
    data = json.loads(r.stdout)
    assert data["refused"] and "Cần Thơ" in data["notice"]


@pytest.mark.slow
def test_batch_stdin_one_answer_per_line_in_order(built):
    base, env = built
    lines = [
        json.dumps({"question": "Ai ký kế hoạch này?", "filters": {"doc": "1899"}}, ensure_ascii=False),
        "",
        "Ai ký Kế hoạch 183?",
        json.dumps(
            {
                "question": "Đơn vị nào phối hợp xây dựng bộ từ khóa truyền thông?",
                "filters": {"province": "Đồng Nai"},
            },
            ensure_ascii=False,
        ),
    ]
    r = run([*base, "ask", "--json", "--stdin"], stdin="\n".join(lines) + "\n", env=env)
    assert r.returncode == 0, r.stderr
    out = [json.loads(x) for x in r.stdout.splitlines()]
    assert len(out) == 3
    assert "Lê Văn Hân" in out[0]["answer"] and "Nguyễn Sơn Hùng" in out[1]["answer"]
    assert out[2]["intent"] == "partner_unit" and out[2]["question"].startswith("Đơn vị nào phối hợp")


@pytest.mark.slow
def test_batch_bad_line_is_reported_and_the_rest_answered(built):
    base, env = built
    stdin = '{"question": "Ai ký Kế hoạch 183?"\n{"filters": {}}\nAi ký QĐ 1899?\n'
    r = run([*base, "ask", "--json", "--stdin"], stdin=stdin, env=env)
    assert r.returncode == 1
    out = [json.loads(x) for x in r.stdout.splitlines()]
    assert [o.get("error") for o in out] == ["bad_question", "bad_question", None]
    assert out[0]["line"] == 1 and "Lê Văn Hân" in out[2]["answer"]
    assert "2 dòng không trả lời được" in r.stderr and "Traceback" not in r.stderr


@pytest.mark.slow
def test_plans(built):
    base, env = built
    r = run([*base, "plans", "--json"], env=env)
    assert r.returncode == 0, r.stderr
    docs = [p["doc"] for p in json.loads(r.stdout)["plans"]]
    assert docs == sorted(p.name for p in (ROOT / "corpus").iterdir())
    r = run([*base, "plans"], env=env)
    assert "Tổng: 5 kế hoạch." in r.stdout and "183/KH-UBND" in r.stdout


@pytest.mark.parametrize(
    "args, needle",
    [
        (["ask"], "thiếu câu hỏi"),
        (["ask", "--stdin", "câu hỏi"], "--stdin"),
        (["frobnicate"], "invalid choice"),
        (["ask", "--no-such-flag", "x"], "unrecognized arguments"),
    ],
)
def test_bad_usage_exits_2_without_traceback(args, needle):
    r = run(args)
    assert r.returncode == 2
    assert "Lỗi cú pháp lệnh" in r.stderr and needle in r.stderr and "Traceback" not in r.stderr


def test_missing_index_is_a_clear_error(tmp_path):
    r = run(["--index", str(tmp_path / "nothing"), "--embedder", "fake", "ask", "Ai ký?"])
    assert r.returncode == 1
    assert r.stderr.startswith("Lỗi: Chưa có chỉ mục") and "python -m assistant" in r.stderr
    assert "Traceback" not in r.stderr


def test_bad_setting_is_a_clear_error():
    r = run(["ask", "x"], env={"TLKH_TOP_K": "0"})
    assert r.returncode == 1 and "Cấu hình không hợp lệ (top_k)" in r.stderr and "Traceback" not in r.stderr


def test_second_collection_index_then_ask(tmp_path):
    """A second collection beside the bundled one: its own corpus and index folders."""
    corpus = tmp_path / "plans"
    corpus.mkdir()
    shutil.copy(ROOT / "corpus" / "lap-vo-2024-truyen-thong-chinh-sach.txt", corpus / "lap-vo.txt")
    base = ["--corpus", str(corpus), "--index", str(tmp_path / "idx2"), "--embedder", "fake"]
    r = run([*base, "index"])
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("Đã lập chỉ mục 1 kế hoạch,") and "đoạn/giây" in r.stdout
    r = run([*base, "ask", "--json", "Ai ký kế hoạch này?"])
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert "Trần Hoàng Nam" in data["answer"] and {c["doc"] for c in data["citations"]} == {"lap-vo.txt"}


def test_ingest_prints_structure(tmp_path):
    src = ROOT / "corpus" / "dong-nai-2024-183-kh-ubnd.txt"
    r = run(["ingest", str(src), "--json"])
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert "183/KH-UBND" in json.dumps(data, ensure_ascii=False)
    r = run(["ingest", str(src)])
    assert r.returncode == 0 and "183/KH-UBND" in r.stdout
    r = run(["ingest", str(tmp_path / "missing.txt")])
    assert r.returncode == 1 and "Không thấy tệp" in r.stderr


def test_format_answer_marks_refusals_as_possibly_related():
    data = {
        "answer": "Không tìm thấy.",
        "refused": True,
        "notice": "Kế hoạch X chưa được nạp.",
        "citations": [{"n": 1, "doc": "a.txt", "title": "T", "section": "I", "quote": "q", "text": "q"}],
    }
    text = format_answer(data)
    assert text.splitlines() == [
        "Không tìm thấy.",
        "",
        "Lưu ý: Kế hoạch X chưa được nạp.",
        "",
        "Nguồn có thể liên quan:",
        "[1] T › I (a.txt)",
        "    “q”",
    ]
