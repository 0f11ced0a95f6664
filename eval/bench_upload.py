"""Question latency alone and while a 400-passage plan is uploaded: ``python -m eval.bench_upload``.

Starts the real app (``python app.py``, e5-small unless ``--embedder``) on a free
loopback port over a copy of the corpus, then, in one run:

1. **alone**: asks ``--questions`` questions one after another (from eval/questions.jsonl)
   and records each latency;
2. **during upload**: uploads a freshly generated plan of about 400 passages (new text
   each run, so nothing comes from the embedding cache) through ``POST /api/v1/plans``
   and asks the same questions, one after another, until the upload is done.

It prints p50/p95 of both side by side, their ratio, and the upload's duration; with
``--json`` it writes them too. ``--embed-worker off`` embeds the upload in the server
process instead (the behaviour before issue 13) for comparison. A benchmark, not a
test: the figures depend on the machine. Only loopback is ever contacted.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

__all__ = ["synthetic_plan", "main"]

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = ROOT / "eval" / "questions.jsonl"
ADMIN_PW = "bench-admin"

_UNITS = [
    "Sở Thông tin và Truyền thông",
    "Sở Văn hóa, Thể thao và Du lịch",
    "Sở Tài chính",
    "Sở Nội vụ",
    "Sở Giáo dục và Đào tạo",
    "Sở Y tế",
    "Công an tỉnh",
    "Đài Phát thanh và Truyền hình tỉnh",
    "Ủy ban nhân dân các huyện, thành phố",
    "Sở Nông nghiệp và Môi trường",
]
_VERBS = ["Xây dựng", "Triển khai", "Tổ chức", "Rà soát", "Hướng dẫn", "Kiểm tra", "Tuyên truyền", "Đánh giá"]
_OBJECTS = [
    "cơ sở dữ liệu chuyên ngành",
    "hội nghị tập huấn cho cán bộ cấp xã",
    "chuyên mục trên cổng thông tin điện tử",
    "kế hoạch số hóa hồ sơ lưu trữ",
    "mô hình dân vận khéo",
    "hệ thống báo cáo trực tuyến",
    "đợt thi đua chào mừng ngày lễ lớn",
    "bộ tài liệu hỏi đáp pháp luật",
]


def synthetic_plan(passages: int = 400, seed: int | None = None) -> str:
    """A plan in the usual layout with ``passages`` numbered tasks, worded afresh each seed."""
    rnd = random.Random(seed)
    tag = f"{rnd.randrange(16**6):06x}"
    lines = [
        "ỦY BAN NHÂN DÂN",
        "TỈNH BẾN TRE",
        f"Số: {rnd.randrange(100, 999)}/KH-UBND",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Bến Tre, ngày 10 tháng 3 năm 2025",
        "",
        "KẾ HOẠCH",
        f"Thực hiện các nhiệm vụ trọng tâm năm 2025 (đợt {tag})",
        "",
        "I. MỤC ĐÍCH, YÊU CẦU",
        "",
        "Cụ thể hóa các nhiệm vụ được giao, phân công rõ đơn vị chủ trì và thời hạn hoàn thành.",
        "",
        "II. NHIỆM VỤ CỤ THỂ",
    ]
    per = 40
    for g in range((passages + per - 1) // per):
        lines += ["", f"{g + 1}. Nhóm nhiệm vụ số {g + 1}", ""]
        for i in range(min(per, passages - g * per)):
            lead, partner = rnd.sample(_UNITS, 2)
            lines.append(
                f"{g + 1}.{i + 1}. {rnd.choice(_VERBS)} {rnd.choice(_OBJECTS)} tại {rnd.randrange(1, 120)} "
                f"xã, phường (mã {tag}-{g}-{i}). Đơn vị chủ trì: {lead}; phối hợp: {partner}; "
                f"thời gian hoàn thành: trước ngày {rnd.randrange(1, 28)}/{rnd.randrange(1, 12)}/2025."
            )
    lines += [
        "",
        "Nơi nhận:",
        "- Như trên;",
        "- Lưu: VT.",
        "",
        "KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
        "",
        "Nguyễn Văn B",
    ]
    return "\n".join(lines) + "\n"


def _questions(n: int) -> list[str]:
    rows = [json.loads(x) for x in QUESTIONS.read_text(encoding="utf-8").splitlines() if x.strip()]
    return [r["question"] for r in rows[:n]]


def _pct(xs: list[float], p: float) -> float:
    s = sorted(xs)
    return s[min(len(s) - 1, max(0, round(p / 100 * (len(s) - 1))))]


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(work: Path, args, port: int) -> subprocess.Popen:
    import httpx

    env = {k: v for k, v in os.environ.items() if not k.startswith("TLKH_")}
    env.update(
        TLKH_ADMIN_PASSWORD=ADMIN_PW,
        TLKH_RATE_LIMIT_PER_MINUTE="100000",
        TLKH_EMBED_WORKER=args.embed_worker,
        TLKH_MAX_UPLOAD_MB="50",
    )
    cmd = [sys.executable, str(ROOT / "app.py"), "--host", "127.0.0.1", "--port", str(port)]
    cmd += ["--corpus", str(work / "corpus"), "--index", str(work / "index"), "--data", str(work / "data")]
    cmd += ["--embedder", args.embedder]
    log = open(work / "server.log", "w")  # noqa: SIM115 - lives as long as the server
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + args.start_timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server ended: see {work / 'server.log'}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=5).status_code == 200:
                return proc
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    proc.kill()
    raise SystemExit("server did not become healthy")


def _ask(client, url: str, q: str) -> float:
    t0 = time.perf_counter()
    r = client.post(f"{url}/api/v1/ask", json={"question": q}, timeout=120)
    r.raise_for_status()
    return (time.perf_counter() - t0) * 1000


def run(args) -> dict:
    import httpx

    work = Path(tempfile.mkdtemp(prefix="tlkh-bench-upload-"))
    shutil.copytree(ROOT / "corpus", work / "corpus")
    if args.index:  # reuse a built index of the same corpus and embedder (saves minutes)
        shutil.copytree(args.index, work / "index")
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    print(f"starting app.py on {url} (embedder {args.embedder}, worker {args.embed_worker}) …", flush=True)
    proc = _start(work, args, port)
    qs = _questions(args.questions)
    plan = synthetic_plan(args.passages, seed=args.seed).encode("utf-8")
    try:
        with httpx.Client() as c:
            for q in qs:  # warm-up pass: both phases then ask the same, already-seen questions
                _ask(c, url, q)

            def paced(q: str) -> float:
                ms = _ask(c, url, q)
                time.sleep(args.pause)  # one user reading the answer, not a tight loop
                return ms

            alone = [paced(q) for q in qs]
            done: dict = {}

            def upload() -> None:
                t0 = time.perf_counter()
                r = httpx.post(
                    f"{url}/api/v1/plans",
                    files={"file": ("bench-400.txt", plan, "text/plain")},
                    auth=("admin", ADMIN_PW),
                    timeout=1800,
                )
                done.update(status=r.status_code, seconds=time.perf_counter() - t0, body=r.json())

            t = threading.Thread(target=upload)
            t.start()
            during: list[float] = []
            i = 0
            while t.is_alive():
                during.append(paced(qs[i % len(qs)]))
                i += 1
            t.join()
    finally:
        proc.terminate()
        proc.wait(30)
        shutil.rmtree(work, ignore_errors=True)
    if done.get("status") != 201:
        raise SystemExit(f"upload failed: {done}")
    res = {
        "embedder": args.embedder,
        "embed_worker": args.embed_worker,
        "upload_passages": done["body"].get("passage_count"),
        "upload_seconds": round(done["seconds"], 1),
        "alone_ms": {"n": len(alone), "p50": _pct(alone, 50), "p95": _pct(alone, 95)},
        "during_ms": {"n": len(during), "p50": _pct(during, 50), "p95": _pct(during, 95)},
        "cpus": os.cpu_count(),
        "pause_s": args.pause,
    }
    res["p95_ratio"] = res["during_ms"]["p95"] / res["alone_ms"]["p95"]
    return res


def _print(res: dict) -> None:
    a, d = res["alone_ms"], res["during_ms"]
    print(
        f"\nupload: {res['upload_passages']} passages in {res['upload_seconds']} s "
        f"(embedder {res['embedder']}, worker {res['embed_worker']}, {res['cpus']} CPUs)"
    )
    print(f"{'question latency (ms)':<24}{'alone':>10}{'during upload':>16}")
    print(f"{'n':<24}{a['n']:>10}{d['n']:>16}")
    print(f"{'p50':<24}{a['p50']:>10.0f}{d['p50']:>16.0f}")
    print(f"{'p95':<24}{a['p95']:>10.0f}{d['p95']:>16.0f}")
    print(f"p95 during / alone: {res['p95_ratio']:.2f}x  (goal <= 2x); p50 ratio {d['p50'] / a['p50']:.2f}x")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m eval.bench_upload", description=__doc__.splitlines()[0])
    p.add_argument("--embedder", default="e5-small")
    p.add_argument("--embed-worker", default="on", choices=["on", "off", "auto"])
    p.add_argument("--passages", type=int, default=400, help="tasks in the generated plan (~passages)")
    p.add_argument("--questions", type=int, default=40, help="questions asked alone (and cycled during)")
    p.add_argument("--pause", type=float, default=0.2, help="seconds between questions (both phases)")
    p.add_argument("--index", help="a built index of corpus/ for this embedder, copied instead of built")
    p.add_argument("--seed", type=int, default=None, help="generated plan's wording (default: fresh)")
    p.add_argument("--start-timeout", type=float, default=900)
    p.add_argument("--json", help="write the figures here too")
    args = p.parse_args(argv)
    res = run(args)
    _print(res)
    if args.json:
        Path(args.json).write_text(json.dumps(res, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
