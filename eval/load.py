"""Load test of the HTTP API: ``python -m eval.load [--clients 50] [--requests 2000] [--url URL]``.

Without ``--url`` it starts the real app (``python app.py``: uvicorn, FastAPI with the
Gradio UI mounted) on a free loopback port, waits for ``/healthz``, and stops it at the
end.  ``--clients`` concurrent clients (asyncio + httpx, one keep-alive connection
each) then send ``--requests`` ``POST /api/v1/ask`` in total, cycling over the
questions of ``eval/questions.jsonl`` in a fixed order.  It prints requests/s,
latency p50/p95/p99/max, the error count (anything but a 200 with a schema-1 answer)
and the server's resident memory (psutil), sampled during the run and printed at
every tenth of the requests so growth over a long run is visible.

Only loopback is ever contacted.  The server it starts gets a rate limit high enough
not to interfere (``--keep-rate-limit`` keeps the configured one: expect 429s from
one address), and ``--concurrency`` sets ``TLKH_CONCURRENCY`` (API worker threads and
the Gradio queue's ``default_concurrency_limit``).  Exit status 1 when any request
failed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlparse

__all__ = ["LoadResult", "run_load", "start_server", "main"]

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = ROOT / "eval" / "questions.jsonl"
LOOPBACK = ("127.0.0.1", "::1", "localhost")
MIB = 1024 * 1024


@dataclass
class LoadResult:
    url: str
    clients: int
    requests: int
    seconds: float
    ok: int
    errors: int
    error_kinds: dict[str, int]
    requests_per_second: float
    latency_ms: dict[str, float]
    rss_mib: dict[str, float | None]
    rss_timeline: list[tuple[int, float]] = field(default_factory=list)  # (requests done, MiB)
    server: dict = field(default_factory=dict)


def _questions(path: Path) -> list[str]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line:
            q = json.loads(line).get("question")
            if q:
                out.append(q)
    if not out:
        raise SystemExit(f"no questions in {path}")
    return out


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _percentile(sorted_ms: list[float], p: float) -> float:
    if not sorted_ms:
        return float("nan")
    k = (len(sorted_ms) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(sorted_ms) - 1)
    return sorted_ms[lo] + (sorted_ms[hi] - sorted_ms[lo]) * (k - lo)


def _rss(proc) -> float | None:
    """Resident memory of the server and its children, MiB."""
    import psutil

    try:
        total = proc.memory_info().rss
        for child in proc.children(recursive=True):
            try:
                total += child.memory_info().rss
            except psutil.Error:
                pass
        return total / MIB
    except psutil.Error:
        return None


def _server_process(url: str):
    """The process listening on the URL's port (None when it cannot be seen)."""
    import psutil

    port = urlparse(url).port
    try:
        for c in psutil.net_connections(kind="tcp"):
            if c.status == psutil.CONN_LISTEN and c.laddr and c.laddr.port == port and c.pid:
                return psutil.Process(c.pid)
    except (psutil.AccessDenied, PermissionError):
        pass
    return None


# --- the server -----------------------------------------------------------------------------------
def start_server(args, log_path: Path) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    cmd = [sys.executable, str(ROOT / "app.py"), "--host", "127.0.0.1", "--port", str(port)]
    for flag in ("corpus", "index", "data", "embedder"):
        value = getattr(args, flag)
        if value:
            cmd += [f"--{flag}", str(value)]
    env = dict(os.environ)
    env["TLKH_API_KEYS"] = "[]"  # loopback clients are served without a key
    if not args.keep_rate_limit:
        env["TLKH_RATE_LIMIT_PER_MINUTE"] = str(10**9)
    if args.concurrency:
        env["TLKH_CONCURRENCY"] = str(args.concurrency)
    log = open(log_path, "wb")
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    _wait_healthy(url, proc, args.startup_timeout, log_path)
    return proc, url


def _wait_healthy(url: str, proc: subprocess.Popen | None, timeout: float, log_path: Path | None) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            tail = log_path.read_text(errors="replace")[-3000:] if log_path else ""
            raise SystemExit(f"the server exited with {proc.returncode}:\n{tail}")
        try:
            r = httpx.get(f"{url}/healthz", timeout=5)
            if r.status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise SystemExit(f"{url}/healthz not healthy after {timeout:.0f} s")


def stop_server(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)  # uvicorn's graceful shutdown
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)


# --- the clients --------------------------------------------------------------------------------------
async def _drive(
    url: str,
    questions: list[str],
    clients: int,
    total: int,
    timeout: float,
    server,
    report_every: int,
    quiet: bool,
) -> tuple[list[float], Counter, float, list[tuple[int, float]], list[float]]:
    import httpx

    latencies: list[float] = []
    errors: Counter = Counter()
    samples: list[float] = []
    timeline: list[tuple[int, float]] = []
    state = {"next": 0, "done": 0}
    t_start = time.perf_counter()
    stop = asyncio.Event()

    async def sampler() -> None:
        while not stop.is_set():
            if server is not None:
                v = _rss(server)
                if v is not None:
                    samples.append(v)
            try:
                await asyncio.wait_for(stop.wait(), 0.25)
            except TimeoutError:
                pass

    def progress() -> None:
        done = state["done"]
        if done % report_every and done != total:
            return
        rss = _rss(server) if server is not None else None
        if rss is not None:
            timeline.append((done, round(rss, 1)))
        if not quiet:
            el = time.perf_counter() - t_start
            mem = f"{rss:8.1f} MiB" if rss is not None else "     n/a"
            print(
                f"  [{done:>6}/{total}] {done / el:7.1f} req/s  errors {sum(errors.values()):>4}  "
                f"server RSS {mem}",
                flush=True,
            )

    async def client(http: httpx.AsyncClient) -> None:
        while True:
            i = state["next"]
            if i >= total:
                return
            state["next"] = i + 1
            q = questions[i % len(questions)]
            t0 = time.perf_counter()
            try:
                r = await http.post(f"{url}/api/v1/ask", json={"question": q})
                ms = (time.perf_counter() - t0) * 1000
                if r.status_code != 200:
                    errors[f"http {r.status_code}"] += 1
                elif r.json().get("schema") != 1:
                    errors["bad body"] += 1
                else:
                    latencies.append(ms)
            except Exception as e:  # a load test counts failures, it does not stop on them
                errors[type(e).__name__] += 1
            state["done"] += 1
            progress()

    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(timeout=timeout, limits=limits) as http:
        sampling = asyncio.create_task(sampler())
        await asyncio.gather(*(client(http) for _ in range(clients)))
        stop.set()
        await sampling
    return latencies, errors, time.perf_counter() - t_start, timeline, samples


def run_load(
    url: str,
    *,
    clients: int = 50,
    requests: int = 2000,
    questions: list[str] | None = None,
    timeout: float = 120.0,
    warmup: int = 20,
    server=None,
    quiet: bool = False,
) -> LoadResult:
    """Drive ``POST /api/v1/ask`` at ``url`` and measure; ``server`` is a psutil.Process or None."""
    import httpx

    host = urlparse(url).hostname
    if host not in LOOPBACK:
        raise SystemExit(f"refusing to load-test {host}: loopback only")
    questions = questions or _questions(QUESTIONS)
    for q in questions[:warmup]:  # first-call costs (model load, caches) are not the steady state
        httpx.post(f"{url}/api/v1/ask", json={"question": q}, timeout=timeout)
    rss_before = _rss(server) if server is not None else None
    if not quiet:
        print(
            f"→ {requests} requests, {clients} concurrent clients, {len(questions)} distinct questions, "
            f"{url}/api/v1/ask",
            flush=True,
        )
    latencies, errors, seconds, timeline, samples = asyncio.run(
        _drive(url, questions, clients, requests, timeout, server, max(1, requests // 10), quiet)
    )
    ms = sorted(latencies)
    rss_end = _rss(server) if server is not None else None
    return LoadResult(
        url=url,
        clients=clients,
        requests=requests,
        seconds=round(seconds, 2),
        ok=len(latencies),
        errors=sum(errors.values()),
        error_kinds=dict(errors),
        requests_per_second=round(requests / seconds, 2) if seconds else 0.0,
        latency_ms={
            "p50": round(_percentile(ms, 50), 1),
            "p95": round(_percentile(ms, 95), 1),
            "p99": round(_percentile(ms, 99), 1),
            "max": round(ms[-1], 1) if ms else float("nan"),
            "mean": round(statistics.fmean(ms), 1) if ms else float("nan"),
        },
        rss_mib={
            "after_warmup": _round(rss_before),
            "peak": _round(max(samples) if samples else None),
            "end": _round(rss_end),
        },
        rss_timeline=timeline,
    )


def _round(v: float | None) -> float | None:
    return None if v is None else round(v, 1)


def _print(res: LoadResult) -> None:
    lat = res.latency_ms
    rss = res.rss_mib
    print()
    print(f"requests      {res.requests}  ({res.clients} concurrent clients, {res.seconds:.1f} s)")
    print(f"throughput    {res.requests_per_second:.1f} requests/s")
    print(
        f"latency (ms)  p50 {lat['p50']:.0f}  p95 {lat['p95']:.0f}  p99 {lat['p99']:.0f}  "
        f"max {lat['max']:.0f}  mean {lat['mean']:.0f}"
    )
    print(f"errors        {res.errors}" + (f"  {res.error_kinds}" if res.errors else ""))
    if rss["peak"] is not None:
        print(
            f"server RSS    after warm-up {rss['after_warmup']} MiB, peak {rss['peak']} MiB, end {rss['end']} MiB"
        )
        tl = res.rss_timeline
        if len(tl) >= 3:
            first = tl[0][1]
            print(
                f"memory        {first} MiB at {tl[0][0]} requests → {tl[-1][1]} MiB at {tl[-1][0]} "
                f"({tl[-1][1] - first:+.1f} MiB)"
            )
    else:
        print("server RSS    n/a (server process not visible)")
    if res.server:
        print(f"server        {res.server}")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m eval.load", description=__doc__.split("\n\n")[0])
    p.add_argument("--clients", type=int, default=50, help="concurrent clients (default 50)")
    p.add_argument("--requests", type=int, default=2000, help="requests in total (default 2000)")
    p.add_argument("--url", help="an already running server on loopback (default: start app.py)")
    p.add_argument("--concurrency", type=int, help="TLKH_CONCURRENCY for the started server")
    p.add_argument("--corpus", help="plans folder for the started server")
    p.add_argument("--index", help="index folder for the started server (built on first start)")
    p.add_argument("--data", help="data folder for the started server")
    p.add_argument("--embedder", help="embedder for the started server (default: settings, e5-small)")
    p.add_argument("--questions", type=Path, default=QUESTIONS, help="JSONL with a 'question' field")
    p.add_argument("--timeout", type=float, default=120.0, help="seconds per request")
    p.add_argument("--warmup", type=int, default=20, help="sequential requests before measuring")
    p.add_argument("--startup-timeout", type=float, default=1800.0, help="seconds to wait for /healthz")
    p.add_argument(
        "--keep-rate-limit", action="store_true", help="do not lift the started server's rate limit"
    )
    p.add_argument("--json", type=Path, help="also write the result as JSON here")
    args = p.parse_args(argv)
    if args.clients < 1 or args.requests < 1:
        p.error("--clients and --requests must be positive")

    proc = None
    try:
        if args.url:
            url = args.url.rstrip("/")
            if urlparse(url).hostname not in LOOPBACK:
                p.error("--url must be a loopback address (127.0.0.1, ::1, localhost)")
            _wait_healthy(url, None, 30, None)
            server = _server_process(url)
            info = {"started": False}
        else:
            log_path = Path(tempfile.mkstemp(prefix="tlkh-load-", suffix=".log")[1])
            t0 = time.perf_counter()
            print(f"starting app.py (log: {log_path}) …", flush=True)
            proc, url = start_server(args, log_path)
            import psutil

            server = psutil.Process(proc.pid)
            info = {
                "started": True,
                "startup_s": round(time.perf_counter() - t0, 1),
                "log": str(log_path),
                "concurrency": args.concurrency or "settings default",
            }
            print(f"server up at {url} after {info['startup_s']} s", flush=True)
        res = run_load(
            url,
            clients=args.clients,
            requests=args.requests,
            questions=_questions(args.questions),
            timeout=args.timeout,
            warmup=args.warmup,
            server=server,
        )
        res.server = info
    finally:
        if proc is not None:
            stop_server(proc)
    _print(res)
    if args.json:
        args.json.write_text(json.dumps(asdict(res), ensure_ascii=False, indent=1), encoding="utf-8")
    return 1 if res.errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
