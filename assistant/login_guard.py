"""The one administrator check (API and UI alike) and the lockout that stops guessing.

A token bucket that only refuses *wrong* passwords does not slow guessing: while it
answers 429 the right password still passes, so 429 just means "wrong". A
:class:`Lockout` instead shuts a client out entirely: after ``limit`` failures within
``window`` seconds, every attempt from that client (right or wrong) is refused with
``Retry-After`` until the window has passed. The same class limits wrong API keys.
"""

from __future__ import annotations

import hmac
import logging
import math
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from .errors import AssistantError

__all__ = ["Lockout", "AdminGate", "RateLimited", "Unauthorized", "AccessDenied", "locked_out"]

log = logging.getLogger(__name__)


class AccessDenied(AssistantError):
    code = "forbidden"
    status = 403


class Unauthorized(AssistantError):
    code = "unauthorized"
    status = 401


class RateLimited(AssistantError):
    code = "rate_limited"
    status = 429


def locked_out(wait: float, what_vi: str, what_en: str) -> RateLimited:
    """The 429 a locked-out client gets, with the seconds left in ``Retry-After``."""
    secs = max(1, math.ceil(wait))
    exc = RateLimited(
        f"{what_vi} quá nhiều lần từ máy này: mọi lần thử bị chặn trong {secs} giây nữa.",
        f"Too many {what_en} from this client: every attempt is refused for {secs} more seconds.",
        hint="Đợi hết thời gian rồi thử lại; nếu quên mật khẩu/khóa, hỏi quản trị viên.",
    )
    exc.headers = {"Retry-After": str(secs)}  # read by error_response
    return exc


@dataclass
class _Record:
    failures: deque = field(default_factory=deque)  # monotonic times of recent failures
    locked_until: float = 0.0


class Lockout:
    """Failures per identity in a sliding window; ``limit`` of them lock the identity for ``window`` s."""

    def __init__(
        self,
        limit: int,
        window: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        max_clients: int = 10_000,
    ):
        self.limit, self.window, self.clock, self.max_clients = limit, window, clock, max_clients
        self._records: dict[str, _Record] = {}
        self._lock = threading.Lock()

    def wait(self, identity: str) -> float:
        """Seconds left in this identity's lockout (0 when it may try)."""
        with self._lock:
            rec = self._records.get(identity)
            return max(0.0, rec.locked_until - self.clock()) if rec else 0.0

    def fail(self, identity: str) -> float:
        """Count one failure; returns the lockout in seconds when this one reached the limit."""
        now = self.clock()
        with self._lock:
            rec = self._records.setdefault(identity, _Record())
            while rec.failures and rec.failures[0] <= now - self.window:
                rec.failures.popleft()
            rec.failures.append(now)
            if len(self._records) > self.max_clients:
                self._prune(now)
            if len(rec.failures) >= self.limit:
                rec.failures.clear()
                rec.locked_until = now + self.window
                return self.window
            return 0.0

    def succeed(self, identity: str) -> None:
        with self._lock:
            self._records.pop(identity, None)

    def _prune(self, now: float) -> None:
        for ident, rec in list(self._records.items()):
            if rec.locked_until <= now and (not rec.failures or rec.failures[-1] <= now - self.window):
                del self._records[ident]
        while len(self._records) > self.max_clients:  # all busy: forget the oldest
            self._records.pop(next(iter(self._records)))


class AdminGate:
    """Checks the administrator login for the API (user + password) and the UI (password).

    One instance per server, shared by both, so failures in one count in the other.
    ``client`` is the caller's address as resolved by ``api_access.client_address``.
    """

    def __init__(self, settings, *, clock: Callable[[], float] = time.monotonic):
        self.settings = settings
        self.lockout = Lockout(settings.admin_max_failures, settings.lockout_seconds, clock=clock)

    def check(self, client: str, password: str | None, user: str | None = None, *, via: str = "api") -> str:
        """The administrator's name when the login is right; raises otherwise (403, 401 or 429)."""
        s = self.settings
        if not s.admin_password:
            raise AccessDenied(
                "Chức năng quản trị đang tắt (chưa đặt mật khẩu quản trị).",
                "Administration is disabled: no admin password is configured.",
                hint="Đặt TLKH_ADMIN_PASSWORD rồi khởi động lại.",
            )
        ident = f"admin:{client}"
        wait = self.lockout.wait(ident)
        if wait > 0:
            log.warning("admin login refused (locked out %.0f s more) client=%s via=%s", wait, client, via)
            raise locked_out(wait, "Sai mật khẩu quản trị", "failed administrator logins")
        # both compared every time: timing says nothing about which one was wrong
        pw_ok = hmac.compare_digest((password or "").encode("utf-8"), s.admin_password.encode("utf-8"))
        user_ok = user is None or hmac.compare_digest(user.encode("utf-8"), s.admin_user.encode("utf-8"))
        if pw_ok and user_ok:
            self.lockout.succeed(ident)
            return s.admin_user
        locked = self.lockout.fail(ident)
        log.warning(
            "admin login failed client=%s via=%s user=%r%s",
            client,
            via,
            user,
            f" -> locked out for {locked:.0f} s" if locked else "",
        )
        if locked:
            raise locked_out(locked, "Sai mật khẩu quản trị", "failed administrator logins")
        exc = Unauthorized(
            "Sai thông tin đăng nhập quản trị.",
            "Administrator credentials (HTTP Basic) required or wrong.",
            hint="Dùng tài khoản TLKH_ADMIN_USER / TLKH_ADMIN_PASSWORD.",
        )
        exc.headers = {"WWW-Authenticate": 'Basic realm="tro-ly-ke-hoach", charset="UTF-8"'}
        raise exc
