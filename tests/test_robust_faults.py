"""Faults with real processes: kill -9 mid re-index, damaged index files, two builds at
once, a full disk, and records that survive a crash mid-write.

Builds run as the real command line (``python -m assistant --corpus X --index Y index``)
in child processes, killed with real signals.  To catch a child at a chosen moment a
``sitecustomize`` module (on the child's PYTHONPATH only) slows the ``fake`` embedder
or pauses right after the new index is written / half-way through the directory swap,
and logs what the child is doing.  Nothing in the package is patched for the test
process itself.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import httpx
import pytest
from _live import LiveServer

from assistant.api import create_api
from assistant.core import Assistant
from assistant.errors import IndexCorrupt
from assistant.feedback import FeedbackStore, make_record
from assistant.indexing import IndexStore, LexicalIndex, build_index
from assistant.indexing.embedders import FakeEmbedder
from assistant.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
PLANS = sorted(p.name for p in CORPUS.iterdir() if p.suffix in (".txt", ".md", ".pdf", ".docx"))
QUESTION = "Đơn vị nào chủ trì xây dựng video clip quảng bá?"
INDEX_COMMAND = "python -m assistant index"

_HOOK = textwrap.dedent('''
    """Test hook for child processes only: slow the fake embedder, pause at a build step, log."""
    import json, os, time

    _LOG = os.environ.get("ROBUST_LOG")

    def _note(event, **kw):
        with open(_LOG, "a", encoding="utf-8") as f:
            f.write(json.dumps({"pid": os.getpid(), "event": event, "t": time.time(), **kw}) + "\\n")

    if _LOG:
        from assistant.indexing import build, embedders

        _delay = float(os.environ.get("ROBUST_SLOW_EMBED", "0"))
        _encode = embedders.FakeEmbedder._encode

        def _slow(self, texts, is_query):
            if not is_query:
                _note("embed", n=len(texts))
                time.sleep(_delay)
            return _encode(self, texts, is_query)

        embedders.FakeEmbedder._encode = _slow

        _full = build._full_build

        def _logged_full(*a, **kw):  # runs under the index lock
            _note("locked-build-start")
            try:
                return _full(*a, **kw)
            finally:
                _note("locked-build-end")

        build._full_build = _logged_full

        _pause = os.environ.get("ROBUST_PAUSE_AT", "")
        if _pause == "written":
            _write = build.write_index

            def _write_then_wait(*a, **kw):
                manifest = _write(*a, **kw)
                _note("written")
                time.sleep(600)
                return manifest

            build.write_index = _write_then_wait
        elif _pause == "swap":
            import os as _os

            class _Os:
                def __getattr__(self, name):
                    return getattr(_os, name)

                def rename(self, src, dst):
                    _os.rename(src, dst)
                    if ".old-" in str(dst):  # the live index was moved aside, the new one not yet in
                        _note("swap-half")
                        time.sleep(600)

            build.os = _Os()
        elif _pause == "before-commit":  # the new index is live, the upload's file not yet renamed
            _commit = build.commit_pending

            def _wait_then_commit(*a, **kw):
                _note("swapped")
                time.sleep(600)
                return _commit(*a, **kw)

            build.commit_pending = _wait_then_commit
''')


# --- helpers ------------------------------------------------------------------------------------
def _settings(base: Path) -> Settings:
    return Settings(
        corpus_dir=base / "corpus", index_dir=base / "index", data_dir=base / "data", embedder="fake"
    )


def _workspace(tmp_path: Path, plans: int) -> Settings:
    corpus = tmp_path / "corpus"
    corpus.mkdir(exist_ok=True)
    for name in PLANS[:plans]:
        shutil.copy(CORPUS / name, corpus / name)
    return _settings(tmp_path)


def _add_plans(settings: Settings) -> None:
    for name in PLANS:
        if not (Path(settings.corpus_dir) / name).exists():
            shutil.copy(CORPUS / name, Path(settings.corpus_dir) / name)


def _env(tmp_path: Path, settings: Settings, log: Path | None = None, **extra: str) -> dict:
    hooks = tmp_path / "hooks"
    hooks.mkdir(exist_ok=True)
    (hooks / "sitecustomize.py").write_text(_HOOK, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TLKH_", "ROBUST_"))}
    env.update(
        PYTHONPATH=os.pathsep.join([str(hooks), str(ROOT)]),
        TLKH_DATA_DIR=str(settings.data_dir),
        TLKH_EMBEDDER="fake",
        PYTHONUNBUFFERED="1",
    )
    if log is not None:
        env["ROBUST_LOG"] = str(log)
    env.update(extra)
    return env


def _cli(settings: Settings, *args: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "assistant",
        "--corpus",
        str(settings.corpus_dir),
        "--index",
        str(settings.index_dir),
        "--embedder",
        "fake",
        *args,
    ]


def _run(
    settings: Settings, env: dict, *args: str, timeout: float = 300, **kw
) -> subprocess.CompletedProcess:
    return subprocess.run(
        _cli(settings, *args), cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, **kw
    )


def _events(log: Path) -> list[dict]:
    if not log.exists():
        return []
    return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines() if line.strip()]


def _wait_for(log: Path, proc: subprocess.Popen, ready, timeout: float = 180) -> list[dict]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ev = _events(log)
        if ready(ev):
            return ev
        if proc.poll() is not None:
            raise AssertionError(f"child ended early ({proc.returncode}): {proc.stderr.read()[-3000:]}")
        time.sleep(0.05)
    raise AssertionError(f"child never reached the point: {_events(log)[-5:]}")


def _state(settings: Settings) -> dict:
    store = IndexStore.load(Path(settings.index_dir), "fake-v1")
    return {"manifest": store.manifest, "ids": [p.id for p in store.passages]}


def _answer(settings: Settings) -> dict:
    return Assistant(settings).ask(QUESTION).to_dict()  # a fresh process-like reader


def _leftovers(settings: Settings) -> list[str]:
    index = Path(settings.index_dir)
    return sorted(p.name for p in index.parent.glob(f".{index.name}.*"))


def _consistent(settings: Settings) -> None:
    """Manifest, passages, FAISS and both BM25 indexes agree; sources are the corpus files."""
    import faiss

    index = Path(settings.index_dir)
    manifest = json.loads((index / "manifest.json").read_text(encoding="utf-8"))
    n = manifest["passage_count"]
    lines = [
        line for line in (index / "passages.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    assert len(lines) == n
    assert faiss.read_index(str(index / "dense.faiss")).ntotal == n
    assert LexicalIndex.load(index / "lexical").n_docs == n
    assert LexicalIndex.load(index / "lexical_units").n_docs == n
    for rel, info in manifest["files"].items():
        assert hashlib.sha256((index / rel).read_bytes()).hexdigest() == info["sha256"], rel
    corpus = {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in Path(settings.corpus_dir).iterdir()
        if p.is_file() and not p.name.startswith(".")
    }
    assert manifest["sources"] == corpus
    assert len({json.loads(line)["id"] for line in lines}) == n


# --- kill -9 during a re-index ----------------------------------------------------------------------
KILL_POINTS = {
    "embedding": ({"ROBUST_SLOW_EMBED": "0.3"}, lambda ev: sum(e["event"] == "embed" for e in ev) >= 3),
    "written": ({"ROBUST_PAUSE_AT": "written"}, lambda ev: any(e["event"] == "written" for e in ev)),
    "mid-swap": ({"ROBUST_PAUSE_AT": "swap"}, lambda ev: any(e["event"] == "swap-half" for e in ev)),
}


def _kill_during_reindex(tmp_path: Path, point: str) -> tuple[Settings, dict, dict]:
    settings = _workspace(tmp_path, 2)
    build_index(settings, embedder=FakeEmbedder())
    before, answer = _state(settings), _answer(settings)
    _add_plans(settings)  # the re-index has new plans to embed
    log = tmp_path / "child.jsonl"
    extra, ready = KILL_POINTS[point]
    proc = subprocess.Popen(
        _cli(settings, "index"),
        cwd=ROOT,
        env=_env(tmp_path, settings, log, **extra),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _wait_for(log, proc, ready)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(30)
    assert proc.returncode == -signal.SIGKILL
    return settings, before, answer


@pytest.mark.parametrize("point", ["embedding", "written"])
def test_kill_9_during_reindex_keeps_the_previous_index(tmp_path, point):
    settings, before, answer = _kill_during_reindex(tmp_path, point)
    assert _state(settings) == before  # the same manifest and passages …
    assert _answer(settings) == answer  # … and the same answer, from a new reader
    # one command rebuilds, cleaning what the dead build left behind
    r = _run(settings, _env(tmp_path, settings), "index")
    assert r.returncode == 0, r.stderr[-3000:]
    assert not _leftovers(settings)
    assert _state(settings)["manifest"]["doc_count"] == len(PLANS)
    _consistent(settings)


def test_kill_9_half_way_through_the_swap_keeps_the_previous_index(tmp_path):
    settings, before, answer = _kill_during_reindex(tmp_path, "mid-swap")
    assert _answer(settings) == answer
    assert _state(settings) == before


def test_kill_9_half_way_through_the_swap_is_repaired_by_the_next_build(tmp_path):
    settings, before, answer = _kill_during_reindex(tmp_path, "mid-swap")
    r = _run(settings, _env(tmp_path, settings), "index")
    assert r.returncode == 0, r.stderr[-3000:]
    assert not _leftovers(settings)
    _consistent(settings)
    assert _state(settings)["manifest"]["doc_count"] == len(PLANS)


# --- damaged index files --------------------------------------------------------------------------------
def _damage(index: Path, how: str) -> None:
    if how == "truncate-faiss":
        p = index / "dense.faiss"
        p.write_bytes(p.read_bytes()[: p.stat().st_size // 3])
    elif how == "flip-byte-passages":
        p = index / "passages.jsonl"
        data = bytearray(p.read_bytes())
        data[len(data) // 2] ^= 0x20
        p.write_bytes(bytes(data))
    elif how == "empty-passages":
        (index / "passages.jsonl").write_bytes(b"")
    elif how == "truncate-manifest":
        p = index / "manifest.json"
        p.write_bytes(p.read_bytes()[: p.stat().st_size // 2])
    elif how == "delete-lexical":
        next((index / "lexical").glob("*.npy")).unlink()
    elif how == "garbage-npy":
        p = next((index / "lexical").glob("*.npy"))
        p.write_bytes(os.urandom(p.stat().st_size))
    else:  # pragma: no cover
        raise ValueError(how)


DAMAGE = [
    "truncate-faiss",
    "flip-byte-passages",
    "empty-passages",
    "truncate-manifest",
    "delete-lexical",
    "garbage-npy",
]


@pytest.mark.parametrize("how", DAMAGE)
def test_damaged_index_gives_a_clear_error_and_one_command_rebuilds(tmp_path, how):
    settings = _workspace(tmp_path, 2)
    build_index(settings, embedder=FakeEmbedder())
    answer = _answer(settings)
    _damage(Path(settings.index_dir), how)
    with pytest.raises(IndexCorrupt) as info:
        Assistant(settings).ask(QUESTION)
    assert "hỏng" in info.value.message_vi and INDEX_COMMAND in (info.value.hint or "")
    env = _env(tmp_path, settings)
    r = _run(settings, env, "ask", QUESTION)  # the CLI says the same, without a stack trace
    assert r.returncode != 0 and "Traceback" not in r.stderr, r.stderr[-2000:]
    assert "hỏng" in r.stderr and INDEX_COMMAND in r.stderr
    with LiveServer(create_api(Assistant(settings), settings)) as url:  # and the server's health check
        h = httpx.get(f"{url}/healthz", timeout=30)
        assert h.status_code == 503 and h.json()["error"] == "index_corrupt", h.text
        q = httpx.post(f"{url}/api/v1/ask", json={"question": QUESTION}, timeout=30)
        assert q.status_code == 503 and q.json()["error"] == "index_corrupt" and q.json()["hint"]
    r = _run(settings, env, "index")  # the one command
    assert r.returncode == 0, r.stderr[-3000:]
    _consistent(settings)
    assert _answer(settings) == answer
    r = _run(settings, env, "ask", "--json", QUESTION)
    assert r.returncode == 0 and json.loads(r.stdout)["citations"] == answer["citations"]


# --- two re-indexes at once ----------------------------------------------------------------------------
def test_two_reindexes_at_once_are_serialized(tmp_path):
    settings = _workspace(tmp_path, 2)
    build_index(settings, embedder=FakeEmbedder())
    _add_plans(settings)
    log = tmp_path / "children.jsonl"
    env = _env(tmp_path, settings, log, ROBUST_SLOW_EMBED="0.1")
    procs = [
        subprocess.Popen(
            _cli(settings, "index"),
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    try:
        outs = [p.communicate(timeout=600) for p in procs]
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
    assert [p.returncode for p in procs] == [0, 0], [o[1][-2000:] for o in outs]
    ev = [e for e in _events(log) if e["event"].startswith("locked-build")]
    spans = {}
    for e in ev:
        spans.setdefault(e["pid"], {})[e["event"]] = e["t"]
    assert len(spans) == 2 and all(len(s) == 2 for s in spans.values()), ev
    (a0, a1), (b0, b1) = sorted((s["locked-build-start"], s["locked-build-end"]) for s in spans.values())
    assert a1 <= b0, "the two builds overlapped inside the lock"
    assert sum(e["event"] == "embed" for e in _events(log)) > 0  # the first really embedded, slowly
    _consistent(settings)
    assert json.loads((Path(settings.index_dir) / "manifest.json").read_text())["doc_count"] == len(PLANS)
    assert not _leftovers(settings)


def test_reader_during_reindexes_never_sees_a_mixed_index(tmp_path):
    settings = _workspace(tmp_path, len(PLANS))
    build_index(settings, embedder=FakeEmbedder())
    stop = threading.Event()
    reads = {"ok": 0, "errors": []}

    def reader():  # another process's server starting up, or a CLI question, meanwhile
        while not stop.is_set():
            try:
                store = IndexStore.load(Path(settings.index_dir), "fake-v1")
                assert store.manifest["passage_count"] == len(store.passages)
                reads["ok"] += 1
            except Exception as e:  # the old index or the new one must load, never neither
                reads["errors"].append(repr(e)[:300])

    readers = [threading.Thread(target=reader, daemon=True) for _ in range(2)]
    for t in readers:
        t.start()
    spare = Path(settings.corpus_dir) / PLANS[-1]
    aside = tmp_path / PLANS[-1]
    try:
        for i in range(12):  # every build differs from the last: a plan leaves, then comes back
            if i % 2 == 0:
                shutil.move(spare, aside)
            else:
                shutil.move(aside, spare)
            build_index(settings, embedder=FakeEmbedder())
    finally:
        stop.set()
        for t in readers:
            t.join(60)
    assert reads["ok"] > 0
    assert not reads["errors"], f"{len(reads['errors'])} failed loads, e.g. {reads['errors'][:2]}"


# --- disk full -------------------------------------------------------------------------------------------
@pytest.fixture()
def small_disk(tmp_path):
    """A real 4 MiB tmpfs (needs root/CAP_SYS_ADMIN, as in CI's container); skipped where mount is refused."""
    disk = tmp_path / "disk"
    disk.mkdir()
    r = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(disk)], capture_output=True, text=True
    )
    if r.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {r.stderr.strip()}")
    try:
        yield disk
    finally:
        subprocess.run(["umount", "-l", str(disk)], capture_output=True)


def _fill(disk: Path, leave: int) -> Path:
    st = os.statvfs(disk)
    free = st.f_bavail * st.f_frsize
    filler = disk / "filler.bin"
    with open(filler, "wb") as f:
        f.write(b"\0" * max(0, free - leave))
    return filler


def _disk_full_build(
    tmp_path: Path, settings: Settings, **popen
) -> tuple[subprocess.CompletedProcess, dict, dict]:
    before, answer = _state(settings), _answer(settings)
    _add_plans(settings)
    r = _run(settings, _env(tmp_path, settings), "index", **popen)
    return r, before, answer


def test_disk_full_during_build_keeps_the_old_index_tmpfs(tmp_path, small_disk):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(CORPUS / PLANS[0], corpus / PLANS[0])
    settings = Settings(
        corpus_dir=corpus, index_dir=small_disk / "index", data_dir=small_disk / "data", embedder="fake"
    )
    build_index(settings, embedder=FakeEmbedder())
    filler = _fill(small_disk, 256 * 1024)
    r, before, answer = _disk_full_build(tmp_path, settings)
    assert r.returncode != 0
    assert "No space left" in r.stderr or "dung lượng" in r.stderr or "đĩa" in r.stderr, r.stderr[-2000:]
    assert _state(settings) == before and _answer(settings) == answer
    assert not _leftovers(settings)  # the half-written build was removed, freeing the space
    filler.unlink()
    r = _run(settings, _env(tmp_path, settings), "index")
    assert r.returncode == 0, r.stderr[-3000:]
    _consistent(settings)


def _fsize_limit(limit: int):
    def apply():  # in the child, before exec: writes past ``limit`` fail with EFBIG
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def test_disk_full_during_build_keeps_the_old_index_rlimit(tmp_path):
    """Portable variant: RLIMIT_FSIZE in the child makes large index files fail with EFBIG."""
    settings = _workspace(tmp_path, 2)
    build_index(settings, embedder=FakeEmbedder())
    r, before, answer = _disk_full_build(tmp_path, settings, preexec_fn=_fsize_limit(200_000))
    assert r.returncode != 0
    assert os.strerror(errno.EFBIG) in r.stderr or "lớn" in r.stderr, r.stderr[-2000:]
    assert _state(settings) == before and _answer(settings) == answer
    assert not _leftovers(settings)
    r = _run(settings, _env(tmp_path, settings), "index")
    assert r.returncode == 0, r.stderr[-3000:]
    _consistent(settings)


def test_disk_full_is_reported_without_a_stack_trace(tmp_path):
    settings = _workspace(tmp_path, 2)
    build_index(settings, embedder=FakeEmbedder())
    r, _, _ = _disk_full_build(tmp_path, settings, preexec_fn=_fsize_limit(200_000))
    assert r.returncode != 0
    assert "Traceback" not in r.stderr and "Lỗi:" in r.stderr, r.stderr[-2000:]


# --- records survive a crash mid-write ------------------------------------------------------------------
_APPENDER = textwrap.dedent("""
    import signal, sys
    from assistant.feedback import FeedbackStore, make_record
    # CPython ignores SIGXFSZ; restore the default so the kernel kills us in the middle of a write
    signal.signal(signal.SIGXFSZ, signal.SIG_DFL)
    store = FeedbackStore(sys.argv[1])
    for i in range(int(sys.argv[2])):
        rec = make_record("useful", f"câu hỏi số {i:03d} " + "x" * 400, None, comment="ghi chú " * 20, origin="api")
        store.append(rec)
        print(rec["id"], flush=True)   # acknowledged: append() returned
""")


def test_feedback_survives_a_process_killed_mid_write(tmp_path):
    path = tmp_path / "data" / "feedback.jsonl"
    store = FeedbackStore(path)
    first = [store.append(make_record("not_useful", f"trước {i}", None))["id"] for i in range(5)]
    size = path.stat().st_size
    sample = make_record("useful", "câu hỏi số 000 " + "x" * 400, None, comment="ghi chú " * 20, origin="api")
    line = len((json.dumps(sample, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8"))
    # the child is killed by the kernel (SIGXFSZ) inside its third append(), half of that line on disk
    limit = size + 2 * line + line // 2
    r = subprocess.run(
        [sys.executable, "-c", _APPENDER, str(path), "50"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit)),
    )
    assert r.returncode == -signal.SIGXFSZ, (r.returncode, r.stderr[-2000:])
    acked = r.stdout.split()
    assert len(acked) == 2
    raw = path.read_bytes()
    assert not raw.endswith(b"\n"), "the crash was supposed to tear the last line"
    result = FeedbackStore(path).read()
    assert [x["id"] for x in result.records] == first + acked  # every complete record, in order
    assert result.truncated == 1 and result.malformed == 0
    # the next writer starts on a fresh line: old records, the torn one isolated, the new one readable
    new = FeedbackStore(path).append(make_record("useful", "sau sự cố", None))["id"]
    result = FeedbackStore(path).read()
    assert [x["id"] for x in result.records] == first + acked + [new]
    assert result.malformed == 1 and result.truncated == 0


_UPLOADER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from assistant.core import Assistant
    from assistant.settings import Settings
    s = Settings(corpus_dir=sys.argv[1], index_dir=sys.argv[2], data_dir=sys.argv[3], embedder="fake")
    a = Assistant(s)
    a.plans()
    meta = a.add_plan(sys.argv[4], Path(sys.argv[5]).read_bytes())
    print("added", meta.doc, flush=True)
""")


def test_upload_killed_mid_indexing_loses_nothing(tmp_path):
    settings = _workspace(tmp_path, 2)
    build_index(settings, embedder=FakeEmbedder())
    before, answer = _state(settings), _answer(settings)
    upload = CORPUS / PLANS[-1]
    log = tmp_path / "child.jsonl"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-c",
            _UPLOADER,
            str(settings.corpus_dir),
            str(settings.index_dir),
            str(settings.data_dir),
            "ke-hoach-moi.txt",
            str(upload),
        ],
        cwd=ROOT,
        env=_env(tmp_path, settings, log, ROBUST_SLOW_EMBED="0.3"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _wait_for(log, proc, lambda ev: sum(e["event"] == "embed" for e in ev) >= 2)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == -signal.SIGKILL
    assert _state(settings) == before and _answer(settings) == answer  # the live index is untouched
    stored = Path(settings.corpus_dir) / "ke-hoach-moi.txt"
    if stored.exists():  # the plan made it to the plan folder whole, so the next index picks it up
        assert stored.read_bytes() == upload.read_bytes()
    visible = sorted(p.name for p in Path(settings.corpus_dir).iterdir() if not p.name.startswith("."))
    assert set(visible) <= set(PLANS[:2]) | {"ke-hoach-moi.txt"}
    r = _run(settings, _env(tmp_path, settings), "index")
    assert r.returncode == 0, r.stderr[-3000:]
    _consistent(settings)
    docs = set(_state(settings)["manifest"]["sources"])
    assert docs == set(visible)


# --- kill -9 of the real server mid-upload (issue 13, item 4) --------------------------------------------
ADMIN_PW = "mat-khau-quan-tri"


def _start_server(tmp_path: Path, settings: Settings, log: Path, port: int, **extra: str) -> subprocess.Popen:
    env = _env(tmp_path, settings, log, TLKH_ADMIN_PASSWORD=ADMIN_PW, TLKH_WATCH_SECONDS="0", **extra)
    args = ["--host", "127.0.0.1", "--port", str(port), "--corpus", str(settings.corpus_dir)]
    args += ["--index", str(settings.index_dir), "--data", str(settings.data_dir), "--embedder", "fake"]
    proc = subprocess.Popen(
        [sys.executable, "app.py", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"server ended ({proc.returncode}): {proc.stderr.read()[-3000:]}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                return proc
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    proc.kill()
    raise AssertionError("server did not start")


def _upload(port: int, name: str, data: bytes, out: dict) -> None:
    try:
        out["r"] = httpx.post(
            f"http://127.0.0.1:{port}/api/v1/plans",
            files={"file": (name, data, "text/plain")},
            auth=("admin", ADMIN_PW),
            timeout=300,
        )
    except httpx.HTTPError as e:  # the server was killed under it
        out["error"] = e


def _kill(proc: subprocess.Popen) -> None:
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(30)
    assert proc.returncode == -signal.SIGKILL


def _hidden(settings: Settings) -> list[str]:
    return sorted(p.name for p in Path(settings.corpus_dir).iterdir() if p.name.startswith("."))


@pytest.mark.parametrize("point", ["embedding", "before-commit"])
def test_server_killed_mid_upload_leaves_no_stray_plan_file(tmp_path, point):
    from _live import free_port

    settings = _workspace(tmp_path, 2)
    build_index(settings, embedder=FakeEmbedder())
    before = _state(settings)
    upload = (CORPUS / PLANS[-1]).read_bytes()
    log, port = tmp_path / "server.jsonl", free_port()
    extra = {"ROBUST_SLOW_EMBED": "0.3"} if point == "embedding" else {"ROBUST_PAUSE_AT": "before-commit"}
    server = _start_server(tmp_path, settings, log, port, **extra)
    out: dict = {}
    t = threading.Thread(target=_upload, args=(port, "Kế hoạch mới.txt", upload, out))
    try:
        t.start()
        if point == "embedding":
            _wait_for(log, server, lambda ev: sum(e["event"] == "embed" for e in ev) >= 2)
        else:
            _wait_for(log, server, lambda ev: any(e["event"] == "swapped" for e in ev))
        _kill(server)
    finally:
        if server.poll() is None:
            server.kill()
    t.join(60)
    assert "r" not in out  # the client never got an answer
    visible = sorted(p.name for p in Path(settings.corpus_dir).iterdir() if not p.name.startswith("."))
    assert visible == PLANS[:2]  # nothing under a plan's name yet: a rebuild now would not see it
    assert _hidden(settings)  # the pending copy a kill leaves (never indexed: hidden)
    # restart: the leftovers are settled before anything is served
    server = _start_server(tmp_path, settings, tmp_path / "server2.jsonl", port)
    try:
        assert _hidden(settings) == []
        assert list((Path(settings.data_dir) / "uploads").iterdir()) == []
        docs = sorted(
            p["doc"] for p in httpx.get(f"http://127.0.0.1:{port}/api/v1/plans", timeout=30).json()["plans"]
        )
        if point == "embedding":  # the swap never happened: rolled back, the old index serves
            assert _state(settings) == before and docs == PLANS[:2]
            _upload(port, "Kế hoạch mới.txt", upload, out)  # the retry gets the plain name
            assert out["r"].status_code == 201, out["r"].text
            assert out["r"].json()["doc"] == "ke-hoach-moi.txt"
        else:  # the new index was live: the file is published under its name (rolled forward)
            assert docs == sorted([*PLANS[:2], "ke-hoach-moi.txt"])
        assert (Path(settings.corpus_dir) / "ke-hoach-moi.txt").read_bytes() == upload
    finally:
        server.terminate()
        server.wait(30)
    # and the next CLI build indexes the plan exactly once
    r = _run(settings, _env(tmp_path, settings), "index")
    assert r.returncode == 0, r.stderr[-3000:]
    _consistent(settings)
    sources = _state(settings)["manifest"]["sources"]
    assert sorted(sources) == sorted([*PLANS[:2], "ke-hoach-moi.txt"])


# --- load (smoke): the load script drives a real server it starts, and reports -----------------------------
def test_load_script_runs_against_a_real_server(tmp_path):
    settings = _workspace(tmp_path, 2)
    out = tmp_path / "load.json"
    env = {k: v for k, v in os.environ.items() if not k.startswith("TLKH_")}
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "eval.load",
            "--clients",
            "8",
            "--requests",
            "60",
            "--warmup",
            "2",
            "--embedder",
            "fake",
            "--corpus",
            str(settings.corpus_dir),
            "--index",
            str(settings.index_dir),
            "--data",
            str(settings.data_dir),
            "--json",
            str(out),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert r.returncode == 0, (r.stdout[-2000:], r.stderr[-2000:])
    res = json.loads(out.read_text(encoding="utf-8"))
    assert res["requests"] == 60 and res["ok"] == 60 and res["errors"] == 0
    assert res["requests_per_second"] > 0 and 0 < res["latency_ms"]["p50"] <= res["latency_ms"]["p99"]
    assert res["rss_mib"]["peak"] and res["rss_mib"]["peak"] > 50
    assert "requests/s" in r.stdout and "p95" in r.stdout
    # and it never points at anything but loopback
    bad = subprocess.run(
        [sys.executable, "-m", "eval.load", "--url", "http://192.0.2.1:7860", "--requests", "1"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert bad.returncode != 0 and "loopback" in bad.stderr
