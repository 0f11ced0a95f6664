"""HTTP API for portals, and the one web process (API + Gradio UI).

Routes (all JSON; errors are ``{error, message, message_en, hint}``):
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
address the ASGI server reports (uvicorn applies X-Forwarded-For only from
``forwarded_allow_ips``, by default 127.0.0.1), and the networks are a parameter
of :func:`create_api` so tests can declare 127.0.0.1 remote.  Admin routes need
HTTP Basic credentials ``settings.admin_user`` / ``settings.admin_password`` in
addition, and are disabled while the password is empty.

The mounted UI (pages and Gradio's /gradio_api) follows the same rule through
:class:`UIGate`: loopback, an API key, or an HTTP Basic login (``ui_users`` or the
administrator). /healthz shows folder paths to loopback clients only.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import ipaddress
import logging
import math
import re
import time
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import Any, Literal

import anyio
from fastapi import APIRouter, Depends, FastAPI, File, Request, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.security import HTTPBasicCredentials
from pydantic import BaseModel, Field
from starlette.middleware.cors import CORSMiddleware

from .api_access import (
    LOOPBACK_NETWORKS,
    AccessDenied,
    BodyLimit,
    RateLimited,
    RateLimiter,
    UIGate,
    Unauthorized,
    UTF8Basic,
    error_response,
    is_loopback,
    match_key,
)
from .errors import AssistantError, FileTooLarge
from .feedback import FeedbackStore, make_record

__all__ = [
    "LOOPBACK_NETWORKS",
    "create_api",
    "create_app",
    "serve",
    "main",
]

log = logging.getLogger(__name__)

WIDGET = Path(__file__).parent / "web" / "widget.html"


# --- request bodies ----------------------------------------------------------
class HistoryTurn(BaseModel):
    role: Literal["user", "assistant"]
    content: str = Field(max_length=20_000)


class AskRequest(BaseModel):
    question: str = Field(max_length=100_000, examples=["Sở nào chủ trì quảng bá video clip?"])
    filters: dict[str, str | list[str]] | None = Field(
        None, description='e.g. {"province": "Đồng Tháp", "district": "Lấp Vò", "doc": "<tệp kế hoạch>"}'
    )
    history: list[HistoryTurn] | None = Field(None, max_length=50)


class FeedbackRequest(BaseModel):
    rating: Literal["useful", "not_useful", "wrong_source"]
    question: str = Field(max_length=4000)
    answer: dict[str, Any] | None = Field(None, description="The Answer JSON that was rated.")
    comment: str = Field("", max_length=2000)
    filters: dict[str, str | list[str]] | None = None


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
    admin_fails = RateLimiter(10, clock=clock)  # wrong admin passwords per client per minute
    workers = anyio.CapacityLimiter(settings.concurrency)
    feedback = FeedbackStore.for_settings(settings)
    max_upload = int(settings.max_upload_mb * 1024 * 1024)
    basic = UTF8Basic(
        auto_error=False,
        realm="tro-ly-ke-hoach",
        description="Quản trị viên: settings.admin_user / admin_password.",
    )

    async def run(fn, *args, **kw):
        return await anyio.to_thread.run_sync(partial(fn, *args, **kw), limiter=workers)

    def client_host(request: Request) -> str | None:
        return request.client.host if request.client else None

    def gate(request: Request) -> str:
        """Decide who is calling; returns the rate-limit identity."""
        given = request.headers.get("x-api-key")
        host = client_host(request)
        if keys:
            if not given:
                raise Unauthorized(
                    "Thiếu khóa API: gửi khóa trong header X-API-Key.",
                    "Missing API key: send it in the X-API-Key header.",
                    hint="Xin khóa API từ quản trị viên hệ thống.",
                )
            idx = match_key(given, keys)
            if idx is None:
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
        if not settings.admin_password:
            raise AccessDenied(
                "Chức năng quản trị đang tắt (chưa đặt mật khẩu quản trị).",
                "Administration is disabled: no admin password is configured.",
                hint="Đặt TLKH_ADMIN_PASSWORD rồi khởi động lại.",
            )
        ident = f"admin:{client_host(request)}"
        ok = False
        if creds is not None:
            user_ok = hmac.compare_digest(creds.username.encode(), settings.admin_user.encode())
            pw_ok = hmac.compare_digest(creds.password.encode(), settings.admin_password.encode())
            ok = user_ok and pw_ok
        if not ok:
            wait = admin_fails.acquire(ident)
            exc = Unauthorized(
                "Cần đăng nhập quản trị (HTTP Basic) với tài khoản đúng.",
                "Administrator credentials (HTTP Basic) required or wrong.",
                hint="Dùng tài khoản TLKH_ADMIN_USER / TLKH_ADMIN_PASSWORD.",
            )
            exc.headers = {"WWW-Authenticate": 'Basic realm="tro-ly-ke-hoach"'}
            if wait > 0:
                exc = RateLimited("Sai mật khẩu quá nhiều lần, hãy đợi.", "Too many failed logins, wait.")
                exc.headers = {"Retry-After": str(math.ceil(wait))}
            raise exc
        return creds.username

    app = FastAPI(
        title="Trợ lý Kế hoạch API",
        version="1",
        description="Hỏi đáp có trích dẫn trên các kế hoạch đã nạp. Khóa API: header X-API-Key.",
    )
    app.state.loopback_networks = networks  # the mounted UI's gate applies the same rule

    @app.exception_handler(AssistantError)
    async def _assistant_error(request: Request, exc: AssistantError):
        return error_response(exc)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError):
        detail = [
            {"loc": list(e.get("loc", ())), "msg": e.get("msg"), "type": e.get("type")} for e in exc.errors()
        ][:20]
        body = {
            "error": "bad_request",
            "message": "Yêu cầu không hợp lệ: kiểm tra các trường gửi lên.",
            "message_en": "Invalid request body or parameters.",
            "hint": "Xem tài liệu API tại /docs.",
            "detail": detail,
        }
        return JSONResponse(body, status_code=422)

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

    v1 = APIRouter(prefix="/api/v1", dependencies=[Depends(gate)])

    @v1.post("/ask", summary="Hỏi một câu; trả về câu trả lời kèm trích dẫn (schema 1)")
    async def ask(body: AskRequest) -> dict:
        history = [t.model_dump() for t in body.history] if body.history else None
        answer = await run(assistant.ask, body.question, filters=body.filters, history=history)
        return answer.to_dict()

    @v1.get("/plans", summary="Các kế hoạch đã nạp")
    async def plans() -> dict:
        metas = await run(assistant.plans)
        return {"schema": 1, "plans": [m.to_dict() for m in metas]}

    @v1.post("/plans", status_code=201, summary="Nạp kế hoạch (quản trị viên, HTTP Basic)")
    async def upload(file: UploadFile = File(...), user: str = Depends(admin)) -> dict:
        data = bytearray()
        while chunk := await file.read(1 << 16):
            data += chunk
            if len(data) > max_upload:
                raise FileTooLarge(
                    f"Tệp quá lớn: tối đa {settings.max_upload_mb:g} MB.",
                    f"File too large: max {settings.max_upload_mb:g} MB.",
                    hint="Tách tệp hoặc tăng TLKH_MAX_UPLOAD_MB.",
                )
        meta = await run(assistant.add_plan, file.filename or "", bytes(data))
        log.info("plan %s added by %s", meta.doc, user)
        return meta.to_dict()

    @v1.delete("/plans/{doc}", summary="Gỡ kế hoạch (quản trị viên, HTTP Basic)")
    async def remove(doc: str, user: str = Depends(admin)) -> dict:
        await run(assistant.remove_plan, doc)
        log.info("plan %s removed by %s", doc, user)
        return {"schema": 1, "removed": doc}

    @v1.get("/units", summary="Các đơn vị (tên chuẩn, bí danh, số nhiệm vụ)")
    async def units() -> dict:
        return {"schema": 1, "units": await run(assistant.units)}

    @v1.get("/units/{unit}/tasks", summary="Mọi nhiệm vụ đơn vị chủ trì hoặc phối hợp")
    async def unit_tasks(unit: str, province: str | None = None) -> dict:
        tasks = await run(assistant.unit_tasks, unit, province)
        return {"schema": 1, "unit": unit, "province": province, "tasks": tasks}

    @v1.get("/passages/{passage_id}/context", summary="Đoạn trích trong ngữ cảnh kế hoạch")
    async def context(passage_id: str) -> dict:
        passages = await run(assistant.context, passage_id)
        return {"schema": 1, "passage_id": passage_id, "passages": [p.to_dict() for p in passages]}

    @v1.post("/feedback", status_code=201, summary="Góp ý về một câu trả lời")
    async def post_feedback(body: FeedbackRequest) -> dict:
        rec = make_record(
            body.rating, body.question, body.answer, comment=body.comment, filters=body.filters, origin="api"
        )
        await anyio.to_thread.run_sync(feedback.append, rec)
        return {"schema": 1, "id": rec["id"]}

    app.include_router(v1)

    @app.get("/healthz", summary="Tình trạng dịch vụ")
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
    app.add_middleware(  # outermost: preflights answered before anything else, headers on every reply
        CORSMiddleware,
        allow_origins=list(settings.cors_origins),
        allow_methods=["GET", "POST", "DELETE"],
        allow_headers=["X-API-Key", "Content-Type", "Authorization"],
        expose_headers=["Retry-After"],
        max_age=600,
    )
    return app


def create_app(assistant, settings, **kw) -> FastAPI:
    """API + the Gradio UI mounted at "/" (one process, one Assistant)."""
    import gradio as gr

    from .ui import CSS, build_ui

    app = create_api(assistant, settings, **kw)
    blocks = build_ui(assistant, settings)
    app.add_middleware(
        UIGate, networks=app.state.loopback_networks, api_keys=settings.api_keys, users=settings.ui_logins()
    )
    return gr.mount_gradio_app(
        app,
        blocks,
        path="/",
        css=CSS,
        server_name=settings.host,
        server_port=settings.port,
        max_file_size=f"{settings.max_upload_mb:g}mb",
        footer_links=["api"],
    )


def serve(settings, assistant=None) -> None:
    import uvicorn

    from .core import Assistant

    assistant = assistant or Assistant(settings, build_if_missing=True)
    app = create_app(assistant, settings)
    log.warning("Trợ lý Kế hoạch: http://%s:%s  (API docs: /docs)", settings.host, settings.port)
    uvicorn.run(app, host=settings.host, port=settings.port, log_level="info")


def main(argv: list[str] | None = None) -> int:
    from .settings import load_settings

    p = argparse.ArgumentParser(prog="python app.py", description="Trợ lý Kế hoạch: giao diện web + API.")
    p.add_argument("--host", help="Địa chỉ lắng nghe (mặc định 127.0.0.1).")
    p.add_argument("--port", type=int, help="Cổng (mặc định 7860).")
    p.add_argument("--corpus", dest="corpus_dir", help="Thư mục kế hoạch.")
    p.add_argument("--index", dest="index_dir", help="Thư mục chỉ mục.")
    p.add_argument("--data", dest="data_dir", help="Thư mục dữ liệu ghi được.")
    p.add_argument("--embedder", help="Mô hình nhúng, ví dụ e5-small.")
    p.add_argument("--store", help="Kho PostgreSQL (postgresql://…) dùng chung cho nhiều bản sao.")
    args = p.parse_args(argv)
    logging.basicConfig(level=logging.INFO)
    try:
        settings = load_settings(**vars(args))
        serve(settings)
    except AssistantError as e:
        print(e.user_message())
        return 2
    return 0
