"""HTTP API for portals, and the one web process (API + Gradio UI).

Routes (all JSON; errors are ``{error, message, message_en, hint}``; the /api/v1 group is
``assistant.api_v1``):
  POST   /api/v1/ask                  {"question", "filters"?, "history"?} → Answer.to_dict()
  GET    /api/v1/plans                loaded plans (DocMeta)
  POST   /api/v1/plans                admin: multipart upload "file" → DocMeta   (HTTP Basic)
  DELETE /api/v1/plans/{doc}          admin: remove a plan                         (HTTP Basic)
  GET    /api/v1/units                units with aliases and task counts
  GET    /api/v1/units/{unit}/tasks   ?province=  every task the unit leads or coordinates
  GET    /api/v1/passages/{id}/context  the passage within its plan (for "open source")
  POST   /api/v1/feedback             {"rating", "question", "answer"?, "comment"?}
  GET    /healthz  /docs  /widget     unauthenticated

Access to /api/v1: with ``settings.api_keys`` set, every client must send one of
them in ``X-API-Key`` (compared in constant time over all keys).  With no key
configured only loopback clients are served.  "Loopback" is decided on the
client address that :class:`ClientAddress` decides once per request (X-Forwarded-For
is read only from the proxies in ``settings.trusted_proxies``, empty by default), and
the networks are a parameter of :func:`create_api` so tests can declare 127.0.0.1 remote.  Admin routes need
HTTP Basic credentials ``settings.admin_user`` / ``settings.admin_password`` in
addition, and are disabled while the password is empty.

The mounted UI (pages and Gradio's /gradio_api) follows the same rule through
:class:`UIGate`: loopback, an API key, or an HTTP Basic login (``ui_users`` or the
administrator). /healthz shows folder paths to loopback clients only.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import hashlib
import ipaddress
import logging
import math
import re
import time
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path as FilePath

import anyio
from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.security import HTTPBasicCredentials
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.cors import CORSMiddleware

from .api_access import (
    LOOPBACK_NETWORKS,
    AccessDenied,
    BodyLimit,
    ClientAddress,
    RateLimited,
    RateLimiter,
    UIGate,
    Unauthorized,
    UTF8Basic,
    error_response,
    is_loopback,
    match_key,
    parse_networks,
)
from .api_docs import MethodGuard, http_error
from .api_openai import BearerKeys, openai_router
from .api_v1 import client_host, v1_router
from .errors import AssistantError
from .login_guard import AdminGate, Lockout, locked_out
from .mcp_server import mount_mcp
from .uploads import ui_blocked_paths
from .watch import IndexWatcher
from .web.docs import install_offline_docs

__all__ = [
    "LOOPBACK_NETWORKS",
    "create_api",
    "create_app",
    "serve",
    "main",
]

log = logging.getLogger(__name__)

WIDGET = FilePath(__file__).parent / "web" / "widget.html"


def create_api(
    assistant,
    settings,
    *,
    loopback_networks: Sequence[str] = LOOPBACK_NETWORKS,
    clock: Callable[[], float] = time.monotonic,
) -> FastAPI:
    """The FastAPI app with the /api/v1 routes, /healthz and /widget (no UI mounted)."""
    networks = [ipaddress.ip_network(n) for n in loopback_networks]
    keys = [k for k in settings.api_keys if k]
    limiter = RateLimiter(settings.rate_limit_per_minute, clock=clock)
    admin_gate = AdminGate(settings, clock=clock)  # the one administrator check, shared with the UI
    key_fails = Lockout(settings.key_max_failures, settings.lockout_seconds, clock=clock)
    trusted = parse_networks(settings.trusted_proxies)
    workers = anyio.CapacityLimiter(settings.concurrency)
    max_upload = int(settings.max_upload_mb * 1024 * 1024)
    basic = UTF8Basic(
        auto_error=False,
        realm="tro-ly-ke-hoach",
        description="Quản trị viên: settings.admin_user / admin_password.",
    )

    async def run(fn, *args, **kw):
        return await anyio.to_thread.run_sync(partial(fn, *args, **kw), limiter=workers)

    def gate(request: Request) -> str:
        """Decide who is calling; returns the rate-limit identity."""
        given = request.headers.get("x-api-key")
        host = client_host(request)
        if keys:
            wait = key_fails.wait(f"key:{host}")
            if wait > 0:
                raise locked_out(wait, "Sai khóa API", "wrong API keys")
            if not given:
                raise Unauthorized(
                    "Thiếu khóa API: gửi khóa trong header X-API-Key.",
                    "Missing API key: send it in the X-API-Key header.",
                    hint="Xin khóa API từ quản trị viên hệ thống.",
                )
            idx = match_key(given, keys)
            if idx is None:
                locked = key_fails.fail(f"key:{host}")
                log.warning("wrong API key from %s%s", host, " -> locked out" if locked else "")
                if locked:
                    raise locked_out(locked, "Sai khóa API", "wrong API keys")
                raise Unauthorized(
                    "Khóa API không hợp lệ.", "Invalid API key.", hint="Kiểm tra lại header X-API-Key."
                )
            identity = f"key#{idx}"
        elif is_loopback(host, networks):
            identity = f"ip:{host}"
        else:
            raise AccessDenied(
                "API chỉ phục vụ máy cục bộ vì chưa cấu hình khóa API.",
                "The API serves loopback clients only: no API key is configured.",
                hint="Quản trị viên đặt TLKH_API_KEYS='[\"<khóa>\"]', rồi gửi khóa trong header X-API-Key.",
            )
        wait = limiter.acquire(identity)
        if wait > 0:
            exc = RateLimited(
                f"Quá nhiều yêu cầu: tối đa {settings.rate_limit_per_minute} yêu cầu mỗi phút. "
                f"Thử lại sau {math.ceil(wait)} giây.",
                f"Too many requests: at most {settings.rate_limit_per_minute} per minute. "
                f"Retry in {math.ceil(wait)} s.",
                hint="Giảm tần suất gọi hoặc xin thêm hạn mức.",
            )
            exc.headers = {"Retry-After": str(math.ceil(wait))}
            raise exc
        return identity

    def admin(request: Request, creds: HTTPBasicCredentials | None = Depends(basic)) -> str:
        host = client_host(request) or "?"
        return admin_gate.check(
            host, creds.password if creds else None, creds.username if creds else "", via="api"
        )

    @contextlib.asynccontextmanager
    async def lifespan(_app):
        # a rebuild made elsewhere (python -m assistant index) is picked up within watch_seconds
        watcher = IndexWatcher(assistant, settings.watch_seconds) if settings.watch_seconds > 0 else None
        if watcher:
            watcher.start()
        try:
            yield
        finally:
            if watcher:
                watcher.stop()
            closer = getattr(assistant, "close_workers", None)
            if closer:
                closer()

    app = FastAPI(
        title="Trợ lý Kế hoạch API",
        version="1",
        description="Hỏi đáp có trích dẫn trên các kế hoạch đã nạp. Khóa API: header X-API-Key.",
        lifespan=lifespan,
        docs_url=None,  # served offline below, not from a CDN
        redoc_url=None,
    )
    install_offline_docs(app)
    app.state.loopback_networks = networks  # the mounted UI's gate applies the same rule
    app.state.admin_gate = admin_gate
    app.state.trusted_proxies = trusted

    app.add_exception_handler(StarletteHTTPException, http_error)  # unparsable body, unknown path

    @app.exception_handler(AssistantError)
    async def _assistant_error(request: Request, exc: AssistantError):
        return error_response(exc)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException):
        # Starlette's own errors (unknown route, wrong method, unparsable multipart) in our shape
        detail = str(exc.detail)[:200]
        hint = "Xem tài liệu API tại /docs."
        if exc.status_code == 404:
            code, vi, en = "not_found", "Không có địa chỉ này.", "No such route."
        elif exc.status_code == 405:
            code, vi, en = "method_not_allowed", "Phương thức không được hỗ trợ.", "Method not allowed."
        elif "multipart" in detail.lower():
            code = "bad_upload"
            vi = "Không đọc được tệp gửi lên: dữ liệu multipart hỏng, hoặc tên tệp quá dài."
            en = f"Unreadable upload: {detail}"
            hint = "Gửi lại tệp trong trường 'file' (multipart/form-data), tên tệp ngắn hơn 200 ký tự."
        elif exc.status_code == 400 and "pars" in detail.lower():
            code, vi = "bad_json", "Nội dung gửi lên không phải JSON hợp lệ (UTF-8)."
            en = f"The request body is not valid JSON (UTF-8): {detail}"
        else:
            code, vi, en = "bad_request", "Yêu cầu không đọc được.", f"Unreadable request: {detail}"
        body = {"error": code, "message": vi, "message_en": en, "hint": hint}
        return JSONResponse(body, status_code=exc.status_code, headers=getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError):
        detail = [
            {"loc": list(e.get("loc", ())), "msg": str(e.get("msg"))[:300], "type": e.get("type")}
            for e in exc.errors()
        ][:20]
        if any(d["type"] == "json_invalid" for d in detail):
            body = {
                "error": "bad_json",
                "message": "Nội dung gửi lên không phải JSON hợp lệ (UTF-8).",
                "message_en": "The request body is not valid JSON (UTF-8).",
                "hint": 'Gửi JSON với Content-Type: application/json, ví dụ {"question": "..."}.',
                "detail": detail,
            }
            return JSONResponse(body, status_code=400)
        body = {
            "error": "bad_request",
            "message": "Yêu cầu không hợp lệ: kiểm tra các trường gửi lên.",
            "message_en": "Invalid request body or parameters.",
            "hint": "Xem tài liệu API tại /docs.",
            "detail": detail,
        }
        return JSONResponse(body, status_code=422)

    # the process boundary: whatever escaped a handler (a bug) is logged with its traceback and the
    # client gets the JSON error shape, never a stack trace
    @app.exception_handler(Exception)
    async def _crash(request: Request, exc: Exception):
        log.exception("unhandled error on %s", request.url.path)
        return JSONResponse(
            {
                "error": "internal",
                "message": "Lỗi nội bộ máy chủ; đã ghi vào nhật ký.",
                "message_en": "Internal server error; it has been logged.",
                "hint": None,
            },
            status_code=500,
        )

    app.include_router(v1_router(assistant, settings, gate=gate, admin=admin, run=run))
    app.include_router(
        openai_router(assistant, gate, run)
    )  # the OpenAI door: /v1/models, /v1/chat/completions
    mount_mcp(app, assistant, settings, gate)  # the agents' door: MCP over streamable HTTP at /mcp

    @app.get(
        "/healthz",
        summary="Tình trạng dịch vụ",
        responses={503: {"description": "Index missing or unreadable.", "content": {"application/json": {}}}},
    )
    async def healthz(request: Request):
        info = await run(assistant.health)
        if isinstance(info, dict) and not is_loopback(client_host(request), networks):
            info = {k: v for k, v in info.items() if k not in ("index_dir", "corpus_dir")}
        bad = isinstance(info, dict) and (info.get("ok") is False or info.get("status") not in (None, "ok"))
        return JSONResponse(info, status_code=503 if bad else 200)

    widget_html = WIDGET.read_text(encoding="utf-8")
    frame_from = " ".join(["'self'", *settings.cors_origins])
    # Only the page's own inline script may run (pinned by hash), and only our origin is fetched.
    scripts = re.findall(r"<script>(.*?)</script>", widget_html, flags=re.S)
    script_src = (
        " ".join(
            f"'sha256-{base64.b64encode(hashlib.sha256(s.encode()).digest()).decode()}'" for s in scripts
        )
        or "'none'"
    )
    csp = (
        f"default-src 'none'; script-src {script_src}; style-src 'unsafe-inline'; "
        f"connect-src 'self'; frame-ancestors {frame_from}; base-uri 'none'; form-action 'none'"
    )

    @app.get("/widget", response_class=HTMLResponse, include_in_schema=False)
    async def widget():
        # Portals put this page in an iframe: exactly the configured origins may frame it.
        return HTMLResponse(
            widget_html, headers={"Content-Security-Policy": csp, "X-Content-Type-Options": "nosniff"}
        )

    app.add_middleware(BodyLimit, upload_bytes=max_upload)
    app.add_middleware(BearerKeys)  # /v1 and /mcp: "Authorization: Bearer <key>" counts as X-API-Key
    app.add_middleware(MethodGuard, router=app.router)  # 405, not the UI's 404, for a wrong method
    app.add_middleware(ClientAddress, trusted=trusted)  # before every gate and limiter
    app.add_middleware(  # outermost: preflights answered before anything else, headers on every reply
        CORSMiddleware,
        allow_origins=list(settings.cors_origins),
        allow_methods=["GET", "POST", "DELETE"],
        allow_headers=["X-API-Key", "Content-Type", "Authorization"],
        expose_headers=["Retry-After"],
        max_age=600,
    )
    return app


def create_app(assistant, settings, *, preload_ui: bool = True, **kw) -> FastAPI:
    """API + the Gradio UI mounted at "/" (one process, one Assistant).

    ``preload_ui=False`` builds the UI without touching the index (its lists load with each page),
    so the server can listen while a first start is still indexing.
    """
    import gradio as gr

    from .ui import build_ui, mount_options

    app = create_api(assistant, settings, **kw)
    blocks = build_ui(assistant, settings, admin_gate=app.state.admin_gate, preload=preload_ui)
    app.add_middleware(
        UIGate,
        networks=app.state.loopback_networks,
        api_keys=settings.api_keys,
        users=settings.ui_logins(),
        lockout=app.state.admin_gate.lockout,
    )
    app.add_middleware(ClientAddress, trusted=app.state.trusted_proxies)  # the UI gate sees the client too
    mounted = gr.mount_gradio_app(
        app,
        blocks,
        path="/",
        server_name=settings.host,
        server_port=settings.port,
        max_file_size=f"{settings.max_upload_mb:g}mb",
        **mount_options(),  # style, page script, Vietnamese for Gradio's strings, no English footer
        allowed_paths=[],
        blocked_paths=ui_blocked_paths(settings),
    )
    # Gradio checks that an event's input files were uploaded by the client only once the app
    # "has launched", which launch() marks and mount_gradio_app does not: without this any
    # server path sent to /gradio_api/queue/join would be copied into Gradio's cache.
    blocks.has_launched = True
    return mounted


def serve(settings, assistant=None) -> None:
    import uvicorn

    from .core import Assistant
    from .web.starting import IndexingGate, warm_up

    assistant = assistant or Assistant(settings, build_if_missing=True)
    # listen at once: while the index is built or loaded, pages say so (web/starting.py)
    gate = IndexingGate(create_app(assistant, settings, preload_ui=False))
    warm_up(assistant, settings, gate)
    print(f"Trợ lý Kế hoạch: http://{settings.host}:{settings.port}  (tài liệu API: /docs)", flush=True)
    print("Dừng: Ctrl+C. Chi tiết kỹ thuật: thêm -v (hoặc -vv).", flush=True)
    level = "info" if logging.getLogger().level <= logging.INFO else "warning"
    # proxy_headers off: ClientAddress applies X-Forwarded-For from settings.trusted_proxies only
    uvicorn.run(gate, host=settings.host, port=settings.port, log_level=level, proxy_headers=False)


def main(argv: list[str] | None = None) -> int:
    from .settings import load_settings

    p = argparse.ArgumentParser(prog="python app.py", description="Trợ lý Kế hoạch: giao diện web + API.")
    p.add_argument("--host", help="Địa chỉ lắng nghe (mặc định 127.0.0.1).")
    p.add_argument("--port", type=int, help="Cổng (mặc định 7860).")
    p.add_argument("--corpus", dest="corpus_dir", help="Thư mục kế hoạch.")
    p.add_argument("--index", dest="index_dir", help="Thư mục chỉ mục.")
    p.add_argument("--data", dest="data_dir", help="Thư mục dữ liệu ghi được.")
    p.add_argument("--embedder", help="Mô hình nhúng, ví dụ e5-small.")
    p.add_argument("-v", "--verbose", action="count", default=0, help="Nhật ký chi tiết (-vv: mọi thư viện).")
    p.add_argument("--store", help="Kho PostgreSQL (postgresql://…) dùng chung cho nhiều bản sao.")
    args = p.parse_args(argv)
    from .web.starting import quiet_logging

    quiet_logging(args.verbose)
    options = {k: v for k, v in vars(args).items() if k != "verbose"}
    try:
        settings = load_settings(**options)
        serve(settings)
    except AssistantError as e:
        print(e.user_message())
        return 2
    return 0
