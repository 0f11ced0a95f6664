"""Access control for the HTTP API: API keys, loopback rule, rate limits, admin login, body limits.

Kept apart from the routes so each can be read (and tested) on its own.
"""

from __future__ import annotations

import base64
import hmac
import ipaddress
import logging
import threading
import time
from collections.abc import Callable, Sequence

from fastapi import Request
from fastapi.responses import JSONResponse
from fastapi.security import HTTPBasic, HTTPBasicCredentials

from .errors import AssistantError
from .login_guard import AccessDenied, Lockout, RateLimited, Unauthorized, locked_out

__all__ = [
    "LOOPBACK_NETWORKS",
    "MAX_JSON_BYTES",
    "AccessDenied",
    "Unauthorized",
    "RateLimited",
    "PayloadTooLarge",
    "RateLimiter",
    "is_loopback",
    "parse_networks",
    "forwarded_client",
    "ClientAddress",
    "match_key",
    "UTF8Basic",
    "basic_credentials",
    "BodyLimit",
    "UIGate",
    "error_response",
]

log = logging.getLogger(__name__)

LOOPBACK_NETWORKS: tuple[str, ...] = ("127.0.0.0/8", "::1/128")
MAX_JSON_BYTES = 1 << 20  # questions are short; this bounds memory per request


class PayloadTooLarge(AssistantError):
    code = "payload_too_large"
    status = 413


class RateLimiter:
    """Token bucket per client identity: ``per_minute`` burst, refilled continuously.

    Buckets live in memory (one process); when there are too many identities the
    full ones are dropped first, which loses nothing since a full bucket is the
    same as a new one.
    """

    def __init__(
        self, per_minute: int, *, clock: Callable[[], float] = time.monotonic, max_clients: int = 10_000
    ):
        self.capacity = float(per_minute)
        self.rate = per_minute / 60.0
        self.clock = clock
        self.max_clients = max_clients
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def acquire(self, identity: str) -> float:
        """Take one token; return 0 when allowed, else the seconds to wait."""
        now = self.clock()
        with self._lock:
            tokens, last = self._buckets.get(identity, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - last) * self.rate)
            if tokens >= 1.0:
                self._buckets[identity] = (tokens - 1.0, now)
                wait = 0.0
            else:
                self._buckets[identity] = (tokens, now)
                wait = (1.0 - tokens) / self.rate
            if len(self._buckets) > self.max_clients:
                self._prune(now)
        return wait

    def _prune(self, now: float) -> None:
        for ident, (tokens, last) in list(self._buckets.items()):
            if tokens + (now - last) * self.rate >= self.capacity:
                del self._buckets[ident]
        while len(self._buckets) > self.max_clients:  # all busy: drop the oldest
            self._buckets.pop(next(iter(self._buckets)))


def is_loopback(host: str | None, networks: Sequence[ipaddress._BaseNetwork]) -> bool:
    if not host:
        return False
    try:
        addr = ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped is not None:
        addr = addr.ipv4_mapped
    return any(addr.version == net.version and addr in net for net in networks)


def parse_networks(items: Sequence[str]) -> list[ipaddress._BaseNetwork]:
    """Networks from settings strings ("10.0.0.5", "10.0.0.0/24", "::1")."""
    return [ipaddress.ip_network(x.strip(), strict=False) for x in items if x and x.strip()]


def forwarded_client(
    peer: str | None, forwarded_for: str, trusted: Sequence[ipaddress._BaseNetwork]
) -> str | None:
    """The client address: the peer, unless the peer is a trusted proxy.

    Behind trusted proxies, X-Forwarded-For is read from the right (each proxy appends
    the address it saw) and the first hop that is not itself a trusted proxy is the
    client. Anything left of it was written by the client and is ignored, so a client
    cannot choose its own address. With no trusted proxy (the default) the header is
    never read.
    """
    if not trusted or not is_loopback(peer, trusted):
        return peer
    hops = [h.strip() for h in forwarded_for.split(",") if h.strip()]
    client = peer
    for hop in reversed(hops):
        try:
            ipaddress.ip_address(hop.split("%", 1)[0])
        except ValueError:
            break  # a malformed hop: stop at the last address a trusted proxy vouched for
        client = hop
        if not is_loopback(hop, trusted):
            break
    return client


class ClientAddress:
    """Sets the ASGI ``client`` to the real client address before any gate or limiter sees it.

    uvicorn's own proxy-header handling is turned off (``proxy_headers=False`` in
    ``api.serve``) because by default it believes X-Forwarded-For from 127.0.0.1, which lets
    any local client pick a fresh address, and a fresh rate-limit budget, per request.
    Idempotent: mounted twice (API and UI gate), it resolves once.
    """

    def __init__(self, app, trusted: Sequence[ipaddress._BaseNetwork]):
        self.app = app
        self.trusted = list(trusted)

    async def __call__(self, scope, receive, send):
        if scope["type"] in ("http", "websocket") and not scope.get("tlkh_client"):
            client = scope.get("client")
            peer = client[0] if client else None
            forwarded = b",".join(v for k, v in scope.get("headers", []) if k.lower() == b"x-forwarded-for")
            host = forwarded_client(peer, forwarded.decode("latin-1"), self.trusted)
            scope = dict(scope)
            scope["tlkh_client"] = host or "?"
            if host != peer:
                scope["client"] = (host, 0)
        return await self.app(scope, receive, send)


def match_key(given: str, keys: Sequence[str]) -> int | None:
    """Index of the matching key; every key is compared so timing says nothing."""
    found = None
    g = given.encode("utf-8")
    for i, key in enumerate(keys):
        if hmac.compare_digest(g, key.encode("utf-8")) and found is None:
            found = i
    return found


class UTF8Basic(HTTPBasic):
    """HTTP Basic that reads UTF-8 credentials (RFC 7617): Vietnamese passwords have diacritics,
    and FastAPI's own HTTPBasic only accepts ASCII. Missing or malformed → None."""

    async def __call__(self, request: Request) -> HTTPBasicCredentials | None:  # type: ignore[override]
        creds = basic_credentials(request.headers.get("authorization", ""))
        return HTTPBasicCredentials(username=creds[0], password=creds[1]) if creds else None


def basic_credentials(authorization: str) -> tuple[str, str] | None:
    """(user, password) from an ``Authorization: Basic …`` value, read as UTF-8; None if absent or malformed."""
    scheme, _, param = authorization.partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        user, sep, password = base64.b64decode(param, validate=True).decode("utf-8").partition(":")
    except (ValueError, UnicodeDecodeError):
        return None
    return (user, password) if sep else None


def error_response(exc: AssistantError) -> JSONResponse:
    return JSONResponse(exc.to_dict(), status_code=exc.status, headers=getattr(exc, "headers", None))


class BodyLimit:
    """Refuse oversized request bodies under /api/ with 413 before they fill memory.

    uvicorn sets no body limit. A declared Content-Length is checked up front; a chunked
    body is counted as it arrives, and once over the cap the app's own (parse-error)
    response is replaced by ours.
    """

    def __init__(self, app, upload_bytes: int):
        self.app = app
        self.upload_bytes = upload_bytes

    def _cap(self, scope) -> int:
        if scope["method"] == "POST" and scope["path"].rstrip("/") == "/api/v1/plans":
            return self.upload_bytes + 64 * 1024  # the multipart envelope around the file
        return MAX_JSON_BYTES

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or not scope["path"].startswith("/api/"):
            return await self.app(scope, receive, send)
        cap = self._cap(scope)
        err = PayloadTooLarge(
            f"Yêu cầu quá lớn (tối đa {cap // 1024} KiB).",
            f"Request body too large (max {cap // 1024} KiB).",
            hint="Rút gọn câu hỏi, hoặc tăng TLKH_MAX_UPLOAD_MB cho tệp kế hoạch.",
        )
        declared = dict(scope["headers"]).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > cap:
            return await error_response(err)(scope, receive, send)
        seen, over = 0, False

        async def counted():
            nonlocal seen, over
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > cap:
                    over = True
                    return {"type": "http.disconnect"}
            return message

        async def guarded(message):
            if not over:
                return await send(message)
            if message["type"] == "http.response.start":
                await error_response(err)(scope, receive, send)

        await self.app(scope, counted, guarded)


class UIGate:
    """The web UI (and Gradio's own /gradio_api) under the same rule as the API.

    A browser cannot send X-API-Key, so off loopback the UI asks for HTTP Basic: a
    ``ui_users`` login or the administrator's. A portal's gradio_client may send its API
    key instead. Routes with their own gate (``/api/``, ``/v1/``, ``/mcp``), and the public ``/healthz``,
    ``/widget`` and API docs, pass through untouched.
    """

    OPEN_PREFIXES = ("/api/", "/v1/", "/mcp", "/healthz", "/widget", "/docs", "/redoc", "/openapi.json")

    def __init__(
        self,
        app,
        *,
        networks,
        api_keys: Sequence[str],
        users: Sequence[tuple[str, str]],
        lockout: Lockout | None = None,
    ):
        self.app = app
        self.networks = networks
        self.api_keys = [k for k in api_keys if k]
        self.users = [(u.encode("utf-8"), p.encode("utf-8")) for u, p in users if u and p]
        # the administrator's lockout: the admin password is one of these logins, so guessing it
        # here counts (and is stopped) exactly as guessing it at the admin routes
        self.lockout = lockout

    def _allowed(self, scope) -> bool | None:
        """True: let in; False: no credentials; None: wrong credentials."""
        client = scope.get("client")
        if is_loopback(client[0] if client else None, self.networks):
            return True
        headers = {k.decode("latin-1").lower(): v for k, v in scope.get("headers", [])}
        key = headers.get("x-api-key")
        if key and self.api_keys and match_key(key.decode("utf-8", "replace"), self.api_keys) is not None:
            return True
        creds = basic_credentials(headers.get("authorization", b"").decode("latin-1"))
        if creds is None:
            return None if key else False
        user, password = (x.encode("utf-8") for x in creds)
        ok = False
        for u, p in self.users:  # every login compared: timing says nothing
            ok |= hmac.compare_digest(user, u) & hmac.compare_digest(password, p)
        return True if ok else None

    async def __call__(self, scope, receive, send):
        if scope["type"] not in ("http", "websocket") or scope["path"].startswith(self.OPEN_PREFIXES):
            return await self.app(scope, receive, send)
        client = scope.get("client")
        ident = f"admin:{client[0] if client else '?'}"
        wait = self.lockout.wait(ident) if self.lockout and not is_loopback(ident[6:], self.networks) else 0
        allowed = False if wait > 0 else self._allowed(scope)
        if allowed is True:
            return await self.app(scope, receive, send)
        if allowed is None and self.lockout is not None:
            wait = self.lockout.fail(ident)
            log.warning("wrong UI login from %s%s", ident[6:], " -> locked out" if wait else "")
        if scope["type"] == "websocket":
            return await send({"type": "websocket.close", "code": 1008})
        if wait > 0:
            return await error_response(locked_out(wait, "Sai đăng nhập", "failed logins"))(
                scope, receive, send
            )
        if self.users:
            exc: AssistantError = Unauthorized(
                "Cần đăng nhập để dùng giao diện từ máy khác.",
                "Log in to use the web UI from another machine.",
                hint="Dùng tài khoản do quản trị viên cấp (TLKH_UI_USERS).",
            )
            exc.headers = {"WWW-Authenticate": 'Basic realm="tro-ly-ke-hoach", charset="UTF-8"'}
        else:
            exc = AccessDenied(
                "Giao diện chỉ phục vụ máy cục bộ vì chưa cấu hình tài khoản.",
                "The web UI serves loopback clients only: no UI login is configured.",
                hint="Quản trị viên đặt TLKH_UI_USERS='[\"tên:mật khẩu\"]' rồi khởi động lại.",
            )
        await error_response(exc)(scope, receive, send)
