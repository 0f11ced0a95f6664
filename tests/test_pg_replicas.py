"""Several ``app.py`` replicas over one PostgreSQL store: real processes, real HTTP, real server.

Each replica has its own data folder and no index folder; the store was filled with
``python -m assistant index`` as the README says. An upload on one replica must be answered
by the other, a removal on one gone from the other, within 20 s; a replica killed with
SIGKILL in the middle of publishing leaves the store serving a whole generation; and a
replica reading from a streaming standby (pg_basebackup) serves while writes go to the primary.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import httpx
import psycopg
import pytest
from _live import free_port
from _pg import ROOT, Replica, fresh_db, pg_server, plan_text  # noqa: F401  (fixtures)

from assistant.ingest import parse_bytes  # noqa: E402

PROPAGATION_SECONDS = 20  # the bound for a replica to serve another's change


def _index(store: str, tmp: Path) -> None:
    """``TLKH_STORE=<url> python -m assistant index``, as the README says."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TLKH_")}
    env.update(
        PYTHONPATH=str(ROOT),
        TLKH_STORE=store,
        TLKH_EMBEDDER="fake",
        TLKH_CORPUS_DIR=str(ROOT / "corpus"),
        TLKH_DATA_DIR=str(tmp / "index-data"),
    )
    out = subprocess.run(
        [sys.executable, "-m", "assistant", "index"], env=env, capture_output=True, text=True, timeout=600
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert "5 kế hoạch" in out.stdout and not (tmp / "index").exists()


def _until(check, seconds: float):
    """Poll ``check`` until it returns a true value; returns (value, seconds taken)."""
    t0 = time.monotonic()
    while True:
        value = check()
        if value:
            return value, time.monotonic() - t0
        if time.monotonic() - t0 > seconds:
            return value, time.monotonic() - t0
        time.sleep(0.25)


@pytest.fixture
def replicas(fresh_db, tmp_path):  # noqa: F811  (the fixture)
    _index(fresh_db, tmp_path)
    a = Replica(tmp_path / "a", free_port(), fresh_db)
    b = Replica(tmp_path / "b", free_port(), fresh_db)
    try:
        a.wait_ready()
        b.wait_ready()
        yield a, b, fresh_db
    finally:
        a.stop()
        b.stop()


def test_upload_on_one_replica_is_answered_by_the_other(replicas):
    a, b, _ = replicas
    token = "Zq" + uuid.uuid4().hex[:8]
    question = f"Kho dữ liệu {token} phải xong trước ngày nào?"
    assert not any(c["doc"] == "ke-hoach-thu.txt" for c in b.ask(question)["citations"])
    files = {"file": ("ke-hoach-thu.txt", plan_text(token).encode("utf-8"), "text/plain")}
    r = httpx.post(f"{a.url}/api/v1/plans", files=files, auth=Replica.ADMIN, timeout=120)
    assert r.status_code == 201, r.text
    doc = r.json()["doc"]

    def b_answers():
        ans = b.ask(question)
        return ans if ans["citations"] and ans["citations"][0]["doc"] == doc else None

    ans, took = _until(b_answers, PROPAGATION_SECONDS)
    assert ans is not None, f"replica B did not answer from the upload within {PROPAGATION_SECONDS} s"
    assert "30/6/2025" in ans["answer"] and token in ans["citations"][0]["text"]
    print(f"upload on A answered by B after {took:.1f} s")
    # the same plan again, now through B, is refused by the same check as on one machine
    r = httpx.post(f"{b.url}/api/v1/plans", files=files, auth=Replica.ADMIN, timeout=120)
    assert r.status_code == 422 and "already loaded" in r.json()["message_en"]

    r = httpx.delete(f"{b.url}/api/v1/plans/{doc}", auth=Replica.ADMIN, timeout=120)
    assert r.status_code == 200
    gone, took = _until(lambda: doc not in a.plans(), PROPAGATION_SECONDS)
    assert gone, f"replica A still lists {doc} {PROPAGATION_SECONDS} s after its removal on B"
    assert not any(c["doc"] == doc for c in a.ask(question)["citations"])
    print(f"removal on B gone from A after {took:.1f} s")


def _consistent(url: str) -> tuple[int, int, int]:
    """The served generation is whole: its recorded counts are the rows it points to."""
    with psycopg.connect(url) as conn:
        gen, want_passages, want_docs = conn.execute(
            "SELECT g.id, g.passage_count, g.doc_count FROM current_generation c "
            "JOIN generations g ON g.id = c.generation"
        ).fetchone()
        docs, passages = conn.execute(
            "SELECT count(DISTINCT gp.plan_version), count(p.*) FROM generation_plans gp "
            "JOIN passages p ON p.plan_version = gp.plan_version WHERE gp.generation = %s",
            (gen,),
        ).fetchone()
        orphans = conn.execute(
            "SELECT count(*) FROM plan_versions pv WHERE NOT EXISTS "
            "(SELECT 1 FROM generation_plans gp WHERE gp.plan_version = pv.id)"
        ).fetchone()[0]
    assert (docs, passages) == (want_docs, want_passages) and orphans == 0
    return gen, want_docs, want_passages


def _big_plan(token: str, tasks: int) -> bytes:
    lines = [
        "ỦY BAN NHÂN DÂN TỈNH ĐỒNG THÁP\nSố: 78/KH-UBND\n\nKẾ HOẠCH\nThử nghiệm tải lớn " + token,
        "\nI. NHIỆM VỤ",
    ]
    for i in range(1, tasks + 1):
        lines.append(
            f"{i}. Nhiệm vụ {token} số {i}: Sở Văn hóa, Thể thao và Du lịch chủ trì rà soát "
            f"hồ sơ di tích nhóm {i} trước ngày {1 + i % 28}/{1 + i % 12}/2025."
        )
    return "\n".join(lines).encode("utf-8")


def test_kill_9_during_an_upload_leaves_the_store_whole(replicas):
    a, b, url = replicas
    before = _consistent(url)
    token = "Zk" + uuid.uuid4().hex[:8]
    data = _big_plan(token, 1500)  # long enough that the publishing transaction can be caught

    def upload():
        try:
            httpx.post(
                f"{a.url}/api/v1/plans",
                files={"file": ("tai-lon.txt", data, "text/plain")},
                auth=Replica.ADMIN,
                timeout=300,
            )
        except httpx.HTTPError:
            pass  # the replica dies under it

    t = threading.Thread(target=upload)
    t.start()
    # kill A while its transaction is writing passages (seen from the server's side)
    with psycopg.connect(url, autocommit=True) as conn:
        caught, _ = _until(
            lambda: conn.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE (query LIKE 'COPY passages%%' "
                "OR query LIKE 'COPY plan_terms%%' OR query LIKE 'INSERT INTO passages%%') "
                "AND state <> 'idle' AND datname = current_database()"
            ).fetchone()[0],
            120,
        )
    assert caught, "the upload never reached the publishing transaction"
    a.kill()
    t.join(timeout=60)
    after = _consistent(url)
    assert after == before  # the half-written generation never became visible
    # B keeps serving the old generation, and an upload of the same plan through B now works
    assert "tai-lon.txt" not in b.plans()
    r = httpx.post(
        f"{b.url}/api/v1/plans",
        files={"file": ("tai-lon.txt", data, "text/plain")},
        auth=Replica.ADMIN,
        timeout=300,
    )
    assert r.status_code == 201, r.text
    gen, docs, passages = _consistent(url)
    parsed = len({p.id for p in parse_bytes("tai-lon.txt", data).passages})
    assert gen > before[0] and docs == before[1] + 1 and passages == before[2] + parsed


@pytest.fixture
def standby(pg_server, tmp_path):  # noqa: F811  (the fixture)
    """A streaming standby of the session's server, made with the wheel's pg_basebackup."""
    import pgserver

    user = pg_server.server.system_user  # the server runs as this user when the tests run as root
    root = pg_server.directory.parent / f"standby-{uuid.uuid4().hex[:8]}"  # reachable by the server's user
    root.mkdir()
    data, sock = root / "data", root / "sock"
    sock.mkdir()
    if user:
        from pgserver.utils import ensure_prefix_permissions

        ensure_prefix_permissions(root)  # the server's user must reach the standby's folder
        for p in (root, sock):
            shutil.chown(p, user)
    primary = pg_server.url()
    host = primary.split("host=")[1]
    try:
        pgserver.pg_basebackup(
            ["-D", str(data), "-h", host, "-U", "postgres", "-R", "-X", "stream"], user=user
        )
    except subprocess.CalledProcessError as e:
        log = (pg_server.directory / "log").read_text(errors="replace")[-3000:]
        raise AssertionError(f"pg_basebackup failed; primary's log:\n{log}") from e
    port = free_port()
    pgserver.pg_ctl(
        ["-w", "-o", f"-h '' -k {sock} -p {port}", "-l", str(root / "log"), "start"],
        pgdata=data,
        user=user,
        timeout=60,
    )
    try:
        yield lambda db: f"postgresql://postgres:@/{db}?host={sock}&port={port}"
    finally:
        pgserver.pg_ctl(["-w", "-m", "fast", "stop"], pgdata=data, user=user, timeout=60)
        shutil.rmtree(root, ignore_errors=True)


def test_a_replica_reads_from_a_streaming_standby(fresh_db, standby, tmp_path):  # noqa: F811
    _index(fresh_db, tmp_path)
    db = fresh_db.split("@/", 1)[1].split("?")[0]
    read_url = standby(db)
    with psycopg.connect(read_url, autocommit=True) as conn:
        _until(lambda: conn.execute("SELECT to_regclass('current_generation') IS NOT NULL").fetchone()[0], 30)
        assert conn.execute("SELECT pg_is_in_recovery()").fetchone()[0]  # really a standby
    r = Replica(tmp_path / "r", free_port(), fresh_db, store_read=read_url)
    w = Replica(tmp_path / "w", free_port(), fresh_db)
    try:
        r.wait_ready()
        w.wait_ready()
        token = "Zs" + uuid.uuid4().hex[:8]
        files = {"file": ("ke-hoach-thu.txt", plan_text(token).encode("utf-8"), "text/plain")}
        # a write through the standby-reading replica goes to the primary, and it then serves it
        resp = httpx.post(f"{r.url}/api/v1/plans", files=files, auth=Replica.ADMIN, timeout=120)
        assert resp.status_code == 201, resp.text
        doc = resp.json()["doc"]
        assert doc in r.plans()
        seen, _ = _until(lambda: doc in w.plans(), PROPAGATION_SECONDS)
        assert seen
        # a removal through the primary-reading replica reaches the standby reader
        assert httpx.delete(f"{w.url}/api/v1/plans/{doc}", auth=Replica.ADMIN, timeout=120).status_code == 200
        gone, took = _until(lambda: doc not in r.plans(), PROPAGATION_SECONDS)
        assert gone, "the standby-reading replica still lists the removed plan"
        # its reads really come from the standby: the standby's sessions show the app's queries
        with psycopg.connect(read_url, autocommit=True) as conn:
            apps = conn.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND backend_type = 'client backend'",
                (db,),
            ).fetchone()[0]
        assert apps >= 2  # the replica's read pool (and this check's own session)
    finally:
        r.stop()
        w.stop()
