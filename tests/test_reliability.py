"""Reliability round 2 (issue 13), each item against a real uvicorn server on loopback.

Removals remove exactly what they name; the administrator login locks a guessing client
out (right password too), for the API and the UI alike; the UI's upload event takes
only bytes the client sent; forwarded headers count only from configured proxies;
wrong API keys lock an address out; every error is in the usual shape; a document with
nothing but the administrative frame is refused; a CLI rebuild is picked up; uploads are
embedded in a worker process; every upload and removal leaves an audit line.
(kill -9 during an upload: tests/test_robust_faults.py.)
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import sys
import textwrap
import threading
import time
import uuid
from pathlib import Path

import httpx
import pytest
from _live import LiveServer
from _small import ADMIN, BASE_PLANS, KEY, build_small, small_settings

from assistant.api import create_api, create_app
from assistant.core import Assistant
from assistant.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
UPLOAD = CORPUS / "dong-thap-2024-thong-tin-doi-ngoai.txt"
THIRD = CORPUS / "tra-vinh-2023-1899-qd-ubnd.txt"
ERROR_KEYS = {"error", "message", "message_en", "hint"}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    return build_small(tmp_path_factory.mktemp("rel-base"))


@pytest.fixture()
def work(built, tmp_path):
    base = tmp_path / "ws"
    shutil.copytree(built, base)
    return base


def _assistant(base: Path, **kw) -> tuple[Assistant, Settings]:
    s = small_settings(base, **kw)
    a = Assistant(s)
    a.plans()
    return a, s


def _index_files(settings: Settings) -> dict:
    index = Path(settings.index_dir)
    return {p.relative_to(index).as_posix(): p.read_bytes() for p in sorted(index.rglob("*")) if p.is_file()}


def _plans(url: str, **kw) -> list[str]:
    r = httpx.get(f"{url}/api/v1/plans", timeout=30, **kw)
    assert r.status_code == 200, r.text
    return sorted(p["doc"] for p in r.json()["plans"])


def _shape(r: httpx.Response, status: int, code: str | None = None) -> dict:
    assert r.status_code == status, (r.status_code, r.text[:300])
    body = r.json()
    assert ERROR_KEYS <= set(body) and body["message"] and body["message_en"], body
    if code:
        assert body["error"] == code, body
    return body


# --- Gradio's queue, spoken directly (what a hostile client can send) ------------------------------------
def _blocks(app):
    for route in app.routes:
        inner = getattr(route, "app", None)
        if hasattr(inner, "get_blocks"):
            return inner.get_blocks()
    raise AssertionError("no Gradio app mounted")


def _event(app, name: str) -> tuple[int, int]:
    for fn_index, fn in _blocks(app).fns.items():
        if getattr(fn.fn, "__name__", "") == name:
            return fn_index, fn.targets[0][0]
    raise AssertionError(f"no event {name}")


def _gradio_call(url: str, app, name: str, data: list, **kw) -> dict:
    """Join Gradio's queue for event ``name`` with raw ``data``; the completion message."""
    fn_index, trigger = _event(app, name)
    session = uuid.uuid4().hex[:10]
    r = httpx.post(
        f"{url}/gradio_api/queue/join",
        json={
            "data": data,
            "event_data": None,
            "fn_index": fn_index,
            "trigger_id": trigger,
            "session_hash": session,
        },
        timeout=30,
        **kw,
    )
    assert r.status_code == 200, r.text
    with httpx.stream("GET", f"{url}/gradio_api/queue/data?session_hash={session}", timeout=120, **kw) as s:
        for line in s.iter_lines():
            if line.startswith("data:"):
                msg = json.loads(line[5:])
                if msg.get("msg") == "process_completed":
                    return msg
    raise AssertionError("the queue never completed")


def _ui_message(done: dict) -> str:
    assert done.get("success"), done
    return done["output"]["data"][0]


def _file_data(path: str, name: str) -> dict:
    return {"path": path, "orig_name": name, "meta": {"_type": "gradio.FileData"}}


# --- 1. DELETE removes the exact document id only ----------------------------------------------------------
def test_delete_removes_only_the_exact_document_id(work):
    a, s = _assistant(work)
    before = _index_files(s)
    target = BASE_PLANS[0]  # plan number 183
    near = [
        "183",
        "183-some-OTHER-plan.txt",
        f"{target}x",
        target.upper(),
        target[:-4],
        f"x{target}",
        "dong-nai",
        "183-KH-UBND",
    ]
    with LiveServer(create_api(a, s)) as url:
        for doc in near:
            r = httpx.delete(f"{url}/api/v1/plans/{doc}", auth=ADMIN, timeout=60)
            body = _shape(r, 404, "plan_not_found")
            assert "GET /api/v1/plans" in body["hint"]
        _shape(httpx.delete(f"{url}/api/v1/plans/183%2FKH-UBND", auth=ADMIN, timeout=60), 404)
        assert _index_files(s) == before and _plans(url) == sorted(BASE_PLANS)
        r = httpx.delete(f"{url}/api/v1/plans/{target}", auth=ADMIN, timeout=60)
        assert r.status_code == 200 and r.json()["removed"] == target
        assert _plans(url) == [BASE_PLANS[1]]
        _shape(httpx.delete(f"{url}/api/v1/plans/{target}", auth=ADMIN, timeout=60), 404, "plan_not_found")


# --- 2. the administrator lockout: right or wrong, a guessing client waits ---------------------------------
def test_admin_lockout_stops_the_right_password_too_in_api_and_ui(work, caplog):
    caplog.set_level(logging.WARNING)
    a, s = _assistant(work, admin_max_failures=4, lockout_seconds=8)
    app = create_app(a, s)
    files = {"file": ("ke-hoach-moi.txt", UPLOAD.read_bytes(), "text/plain")}
    with LiveServer(app) as url:
        # failures from the API and from the UI count together: 2 + 1 + 1 = the limit
        for i in range(2):
            _shape(httpx.delete(f"{url}/api/v1/plans/x", auth=(ADMIN[0], f"sai-{i}"), timeout=30), 401)
        assert (
            _ui_message(_gradio_call(url, app, "remove", ["sai-ui", BASE_PLANS[0]]))
            == "Sai mật khẩu quản trị."
        )
        r = httpx.post(f"{url}/api/v1/plans", files=files, auth=(ADMIN[0], "sai-3"), timeout=30)
        body = _shape(r, 429, "rate_limited")
        assert 1 <= int(r.headers["retry-after"]) <= 8 and "giây" in body["message"]
        # now the right password is refused as well, in both places, until the window ends
        for _ in range(2):
            r = httpx.delete(f"{url}/api/v1/plans/{BASE_PLANS[0]}", auth=ADMIN, timeout=30)
            _shape(r, 429, "rate_limited")
            assert int(r.headers["retry-after"]) >= 1
        msg = _ui_message(_gradio_call(url, app, "remove", [ADMIN[1], BASE_PLANS[0]]))
        assert "quá nhiều lần" in msg, msg
        assert _plans(url) == sorted(BASE_PLANS)
        time.sleep(float(r.headers["retry-after"]) + 0.2)
        r = httpx.delete(f"{url}/api/v1/plans/{BASE_PLANS[0]}", auth=ADMIN, timeout=60)
        assert r.status_code == 200, r.text
    failed = [r.getMessage() for r in caplog.records if "admin login failed" in r.getMessage()]
    assert len(failed) == 4 and any("via=ui" in m for m in failed) and any("locked out" in m for m in failed)
    assert any("admin login refused" in r.getMessage() for r in caplog.records)


# --- 3. the UI's upload event: only bytes the client sent, password first ------------------------------------
def test_gradio_upload_event_refuses_server_paths_and_checks_the_password_first(work, tmp_path):
    from gradio.utils import get_upload_folder

    a, s = _assistant(work)
    before = _index_files(s)
    secret = tmp_path / "bi-mat.txt"
    marker = f"BÍ MẬT {uuid.uuid4().hex}"
    secret.write_text(UPLOAD.read_text(encoding="utf-8") + f"\n\n{marker}\n", encoding="utf-8")
    cache = Path(get_upload_folder())

    def copies() -> list[Path]:
        return [p for p in cache.rglob("*.txt") if p.is_file() and marker.encode() in p.read_bytes()]

    app = create_app(a, s)
    # Gradio may not read the app's folders: the plans, the index, the data and the code
    blocked = _blocks(app).blocked_paths
    for folder in (s.corpus_dir, s.index_dir, s.data_dir, ROOT):
        assert str(Path(folder).resolve()) in blocked
    assert _blocks(app).allowed_paths == []
    with LiveServer(app) as url:
        for password in ("sai", ADMIN[1]):
            for path in (str(secret), str(CORPUS / BASE_PLANS[0]), f"{cache}/../../{secret}"):
                done = _gradio_call(url, app, "upload", [password, _file_data(path, "bi-mat.txt")])
                if not done.get("success"):  # Gradio's own check, now on: nothing read, nothing copied
                    err = done["output"]["error"]
                    assert "not uploaded by a user" in err or "blocked_paths" in err, done
                    continue
                msg = _ui_message(done)  # else the handler: the password first, then the folder
                if password == "sai":
                    assert msg == "Sai mật khẩu quản trị.", msg
                else:
                    assert "chỉ nhận tệp vừa được tải lên" in msg, msg
        assert copies() == [] and secret.exists()  # never copied into Gradio's cache, never moved
        # and the handler's own check, behind Gradio's, takes only files in the upload folder
        from assistant.ui import uploaded_file

        assert uploaded_file(_file_data(str(secret), "x.txt")) is None
        assert uploaded_file(_file_data(f"{cache}/../{secret.relative_to('/')}", "x.txt")) is None
        for path in (
            secret,
            CORPUS / BASE_PLANS[0],
            ROOT / "pyproject.toml",
            Path(s.index_dir) / "manifest.json",
        ):
            r = httpx.get(f"{url}/gradio_api/file={path}", timeout=30)
            assert r.status_code in (403, 404), (path, r.status_code)
        assert _index_files(s) == before and _plans(url) == sorted(BASE_PLANS)
        # the real way: the browser uploads the bytes, then the event names that upload
        r = httpx.post(
            f"{url}/gradio_api/upload",
            files=[("files", ("Kế hoạch mới.txt", UPLOAD.read_bytes(), "text/plain"))],
            timeout=60,
        )
        assert r.status_code == 200, r.text
        uploaded = r.json()[0]
        done = _gradio_call(url, app, "upload", ["sai", _file_data(uploaded, "Kế hoạch mới.txt")])
        assert _ui_message(done) == "Sai mật khẩu quản trị." and Path(uploaded).exists()
        done = _gradio_call(url, app, "upload", [ADMIN[1], _file_data(uploaded, "Kế hoạch mới.txt")])
        assert _ui_message(done).startswith("Đã nạp ke-hoach-moi.txt"), _ui_message(done)
        assert "ke-hoach-moi.txt" in _plans(url)


# --- 7. forwarded headers: only from configured proxies ----------------------------------------------------
def test_forwarded_for_is_ignored_unless_the_peer_is_a_configured_proxy(work):
    a, s = _assistant(work, rate_limit_per_minute=5, admin_max_failures=3, lockout_seconds=30)
    with LiveServer(create_api(a, s)) as url:  # no trusted proxy: the default
        codes = [
            httpx.get(
                f"{url}/api/v1/plans", headers={"X-Forwarded-For": f"127.0.0.{i + 2}"}, timeout=30
            ).status_code
            for i in range(7)
        ]
        assert codes[:5] == [200] * 5 and codes[5:] == [429, 429], codes
        for i in range(3):  # a fresh forwarded address per guess buys nothing
            r = httpx.delete(
                f"{url}/api/v1/plans/x",
                auth=(ADMIN[0], f"doan-{i}"),
                headers={"X-Forwarded-For": f"127.0.1.{i}", "X-Real-IP": f"127.0.2.{i}"},
                timeout=30,
            )
        _shape(r, 429, "rate_limited")
        r = httpx.delete(f"{url}/api/v1/plans/x", auth=ADMIN, headers={"X-Forwarded-For": "127.9.9.9"})
        _shape(r, 429, "rate_limited")
    proxied = s.model_copy(update={"trusted_proxies": ["127.0.0.1"]})
    a2 = Assistant(proxied)
    with LiveServer(create_api(a2, proxied)) as url:  # now 127.0.0.1 is our reverse proxy
        r = httpx.get(f"{url}/api/v1/plans", headers={"X-Forwarded-For": "203.0.113.7"}, timeout=30)
        _shape(r, 403, "forbidden")  # the proxy says the client is remote: no key, no service
        # the client wrote "127.0.0.1" itself; the proxy appended what it saw: the rightmost counts
        r = httpx.get(
            f"{url}/api/v1/plans", headers={"X-Forwarded-For": "127.0.0.1, 203.0.113.7"}, timeout=30
        )
        _shape(r, 403, "forbidden")
        assert httpx.get(f"{url}/api/v1/plans", timeout=30).status_code == 200  # the proxy host itself


# --- 8. wrong API keys lock an address out ----------------------------------------------------------------
def test_wrong_api_keys_lock_out_the_client_address(work):
    a, s = _assistant(
        work, api_keys=[KEY], key_max_failures=5, lockout_seconds=30, trusted_proxies=["127.0.0.1"]
    )
    guesser, other = {"X-Forwarded-For": "198.51.100.1"}, {"X-Forwarded-For": "198.51.100.2"}
    with LiveServer(create_api(a, s)) as url:
        codes = []
        for i in range(8):
            r = httpx.get(f"{url}/api/v1/plans", headers={**guesser, "X-API-Key": f"sai-{i}"}, timeout=30)
            codes.append(r.status_code)
        assert codes[:4] == [401] * 4 and set(codes[4:]) == {429}, codes
        _shape(r, 429, "rate_limited")
        assert int(r.headers["retry-after"]) > 0
        # locked out: the right key from that address waits too; another address is served
        r = httpx.get(f"{url}/api/v1/plans", headers={**guesser, "X-API-Key": KEY}, timeout=30)
        _shape(r, 429, "rate_limited")
        r = httpx.get(f"{url}/api/v1/plans", headers={**other, "X-API-Key": KEY}, timeout=30)
        assert r.status_code == 200


# --- 9. every error in the usual shape --------------------------------------------------------------------
def test_unreadable_bodies_long_names_and_unknown_plans_answer_in_the_error_shape(work):
    a, s = _assistant(work)
    json_headers = {"content-type": "application/json"}
    with LiveServer(create_api(a, s)) as url:
        for raw in (b"{not json", b'{"question": "\xff\xfe"}', b"", b'{"question": '):
            r = httpx.post(f"{url}/api/v1/ask", content=raw, headers=json_headers, timeout=30)
            _shape(r, 400 if raw else 422)
            if raw:
                assert r.json()["error"] == "bad_json"
        r = httpx.post(
            f"{url}/api/v1/plans",
            files={"file": ("k" * 5000 + ".txt", UPLOAD.read_bytes(), "text/plain")},
            auth=ADMIN,
            timeout=60,
        )
        assert r.status_code in (201, 400), r.text[:300]
        if r.status_code == 201:  # accepted: the stored name is the short policy name
            assert len(r.json()["doc"]) <= 90
        else:
            _shape(r, 400, "bad_upload")
        r = httpx.delete(f"{url}/api/v1/plans/{'z' * 5000}", auth=ADMIN, timeout=30)
        assert len(_shape(r, 404, "plan_not_found")["message"]) < 400
        _shape(
            httpx.delete(f"{url}/api/v1/plans/khong-co.txt", auth=ADMIN, timeout=30), 404, "plan_not_found"
        )
        _shape(httpx.get(f"{url}/api/v1/khong-co", timeout=30), 404, "not_found")
        _shape(httpx.put(f"{url}/api/v1/plans", timeout=30), 405, "method_not_allowed")
        r = httpx.post(
            f"{url}/api/v1/plans",
            content=b"--x\r\nhong",
            headers={"content-type": "multipart/form-data; boundary=x"},
            auth=ADMIN,
            timeout=30,
        )
        assert r.status_code in (400, 422) and ERROR_KEYS <= set(r.json())


# --- 10. a document with nothing but the administrative frame ----------------------------------------------
FRAME_ONLY = [
    "Nơi nhận: - Như trên; - Lưu: VT.\n\nKT. CHỦ TỊCH\n",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n\nNơi nhận: - UBND các huyện; - Lưu: VT.\n",
]


def test_a_document_with_only_boilerplate_is_refused_saying_why(work):
    a, s = _assistant(work)
    before = _index_files(s)
    with LiveServer(create_api(a, s)) as url:
        for i, text in enumerate(FRAME_ONLY):
            files = {"file": (f"khung-{i}.txt", text.encode("utf-8"), "text/plain")}
            r = httpx.post(f"{url}/api/v1/plans", files=files, auth=ADMIN, timeout=60)
            assert r.status_code == 422, r.text
            body = r.json()
            assert body["error"] in ("no_plan_content", "empty_document"), body
            assert "nội dung" in body["message"] or "không có" in body["message"], body
        # the same frame around a real plan body is accepted
        plan = UPLOAD.read_text(encoding="utf-8")
        files = {"file": ("co-noi-dung.txt", plan.encode("utf-8"), "text/plain")}
        assert httpx.post(f"{url}/api/v1/plans", files=files, auth=ADMIN, timeout=60).status_code == 201
    assert not any(p.name.startswith("khung") for p in Path(s.corpus_dir).iterdir())
    assert before != _index_files(s)


# --- 11. audit lines ------------------------------------------------------------------------------------------
def test_every_upload_and_removal_leaves_an_audit_line(work, caplog):
    caplog.set_level(logging.INFO, logger="assistant.audit")
    a, s = _assistant(work)
    with LiveServer(create_api(a, s)) as url:
        files = {"file": ("Kế hoạch mới.txt", UPLOAD.read_bytes(), "text/plain")}
        assert httpx.post(f"{url}/api/v1/plans", files=files, auth=ADMIN, timeout=60).status_code == 201
        bad = {"file": ("hong.pdf", b"%PDF-1.4 not a pdf", "application/pdf")}
        assert httpx.post(f"{url}/api/v1/plans", files=bad, auth=ADMIN, timeout=60).status_code == 422
        assert httpx.delete(f"{url}/api/v1/plans/ke-hoach-moi.txt", auth=ADMIN, timeout=60).status_code == 200
        assert httpx.delete(f"{url}/api/v1/plans/khong-co.txt", auth=ADMIN, timeout=60).status_code == 404
    lines = [r.getMessage() for r in caplog.records if r.name == "assistant.audit"]
    records = [json.loads(line.split(" ", 1)[1]) for line in lines]
    got = [(r["action"], r["what"], r["result"], r["who"], r["client"]) for r in records]
    assert got == [
        ("upload", "Kế hoạch mới.txt", "ok", ADMIN[0], "127.0.0.1"),
        ("upload", "hong.pdf", "corrupt_document", ADMIN[0], "127.0.0.1"),
        ("remove", "ke-hoach-moi.txt", "ok", ADMIN[0], "127.0.0.1"),
        ("remove", "khong-co.txt", "plan_not_found", ADMIN[0], "127.0.0.1"),
    ], got
    assert records[0]["doc"] == "ke-hoach-moi.txt"


# --- 6. a CLI rebuild is picked up ---------------------------------------------------------------------------
def test_the_server_picks_up_a_cli_rebuild_within_seconds(work, tmp_path):
    a, s = _assistant(work, watch_seconds=0.3)
    env = {k: v for k, v in os.environ.items() if not k.startswith("TLKH_")}
    env.update(PYTHONPATH=str(ROOT), TLKH_DATA_DIR=str(s.data_dir))
    cli = [sys.executable, "-m", "assistant", "--corpus", str(s.corpus_dir), "--index", str(s.index_dir)]
    with LiveServer(create_api(a, s)) as url:
        assert _plans(url) == sorted(BASE_PLANS)
        shutil.copy(THIRD, Path(s.corpus_dir) / THIRD.name)
        r = subprocess.run(
            [*cli, "--embedder", "fake", "index"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert r.returncode == 0, r.stderr[-2000:]
        deadline = time.monotonic() + 10
        while _plans(url) != sorted([*BASE_PLANS, THIRD.name]):
            assert time.monotonic() < deadline, "the rebuild was not picked up"
            time.sleep(0.2)
        ans = httpx.post(f"{url}/api/v1/ask", json={"question": "Ai ký quyết định 1899?"}, timeout=60).json()
        assert "Lê Văn Hân" in ans["answer"], ans["answer"]
        # an upload now builds on the published index: all four plans, each once
        files = {"file": ("ke-hoach-moi.txt", UPLOAD.read_bytes(), "text/plain")}
        assert httpx.post(f"{url}/api/v1/plans", files=files, auth=ADMIN, timeout=60).status_code == 201
        assert _plans(url) == sorted([*BASE_PLANS, THIRD.name, "ke-hoach-moi.txt"])


# --- 5. uploads are embedded by a worker process, questions go on meanwhile -------------------------------------
_SLOW_WORKER = textwrap.dedent('''
    """Loaded by the embedding worker only (its PYTHONPATH): slow it down and log its calls."""
    import json, os, sys, time
    if os.environ.get("REL_LOG") and sys.argv[-1:] == ["fake"]:
        from assistant.indexing import embedders
        _encode = embedders.FakeEmbedder._encode

        def _slow(self, texts, is_query):
            with open(os.environ["REL_LOG"], "a") as f:
                f.write(json.dumps({"pid": os.getpid(), "n": len(texts), "nice": os.nice(0)}) + "\\n")
            time.sleep(0.5)
            return _encode(self, texts, is_query)

        embedders.FakeEmbedder._encode = _slow
''')


def test_uploads_are_embedded_in_a_worker_process_while_questions_go_on(work, tmp_path, monkeypatch):
    import psutil

    hooks = tmp_path / "hooks"
    hooks.mkdir()
    (hooks / "sitecustomize.py").write_text(_SLOW_WORKER, encoding="utf-8")
    log = tmp_path / "worker.jsonl"
    # only processes started from now on (the worker) see these
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(hooks), str(ROOT)]))
    monkeypatch.setenv("REL_LOG", str(log))
    a, s = _assistant(work, embed_worker="on")
    result: dict = {}

    def upload(url):
        files = {"file": ("ke-hoach-moi.txt", UPLOAD.read_bytes(), "text/plain")}
        result["r"] = httpx.post(f"{url}/api/v1/plans", files=files, auth=ADMIN, timeout=300)

    with LiveServer(create_api(a, s)) as url:
        t = threading.Thread(target=upload, args=(url,))
        t.start()
        deadline = time.monotonic() + 120
        while not (log.exists() and log.read_text().count("\n") >= 2):
            assert time.monotonic() < deadline and t.is_alive(), "the worker never embedded"
            time.sleep(0.05)
        calls = [json.loads(x) for x in log.read_text().splitlines()]
        assert {c["pid"] for c in calls} != {os.getpid()} and all(c["nice"] >= 10 for c in calls)
        worker = psutil.Process(calls[0]["pid"])
        assert "assistant.embed_worker" in " ".join(worker.cmdline())
        # questions are answered while the upload is still being embedded
        asked = 0
        while t.is_alive() and asked < 3:
            r = httpx.post(f"{url}/api/v1/ask", json={"question": "Ai ký kế hoạch 183?"}, timeout=30)
            assert r.status_code == 200 and r.json()["citations"], r.text[:300]
            asked += 1
        assert asked == 3 and t.is_alive(), "the upload finished before the questions: slow the worker more"
        t.join(300)
        assert result["r"].status_code == 201, result["r"].text
        assert "ke-hoach-moi.txt" in _plans(url)
    worker.wait(timeout=15)  # the server's shutdown stops its worker
    assert not worker.is_running()
