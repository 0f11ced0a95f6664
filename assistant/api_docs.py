"""What the OpenAPI description promises, kept true: error responses per route, schema
constraints the handlers enforce, and 405 (not 404) for a method a route does not serve.

Portal teams generate clients from ``/openapi.json``, and ``tests/test_openapi_fuzz.py`` fuzzes
the whole API against it with schemathesis, so every status a route can answer is listed here
and every rule that turns a schema-valid body into an error is stated in the schema.

Constraints the assistant checks itself (a question with no letter or digit, an unknown filter)
are *documented* as schema keywords but still answered by the assistant's own 400 with its
Vietnamese message, rather than by a generic 422: the message says what to do.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi.responses import JSONResponse
from pydantic import WithJsonSchema
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.routing import Match, Mount

from .api_access import MAX_JSON_BYTES
from .errors import BadQuestion

__all__ = [
    "HAS_WORD",
    "check_question",
    "NOT_BLANK",
    "FilterDict",
    "ERRORS",
    "responses",
    "MethodGuard",
    "http_error",
]

# JSON Schema patterns are ECMA-262 regexes, where \w and \s do not mean what they mean in Python;
# so both patterns spell their characters out, and mean the same in both dialects.
# A question needs a Latin letter (Vietnamese letters included: Latin-1, Latin Extended-A/B and
# Latin Extended Additional, where the letters with two diacritics live) or a digit: nothing else
# can match a plan. The API checks it with this very pattern (check_question).
HAS_WORD = "[0-9A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff]"
# Not blank: a character that str.strip() keeps (every str.isspace() character is listed).
NOT_BLANK = "[^\t-\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
_WORD = re.compile(HAS_WORD)


def check_question(text: str) -> None:
    """400 (bad_question) unless the text has a letter or digit the plans could match."""
    if not _WORD.search(text):
        raise BadQuestion(
            'Câu hỏi cần có chữ hoặc số; hãy hỏi bằng lời, ví dụ: "Sở nào chủ trì quảng bá video clip?"',
            "The question needs a letter or a digit; ask in words.",
            hint="Hãy nhập câu hỏi bằng tiếng Việt.",
        )


_FILTER_KEYS = (
    "province",
    "district",
    "doc",
    "kind",
    "unit",
)  # retrieve.FILTER_KEYS, without the import cost
FilterDict = Annotated[
    dict[str, str],
    WithJsonSchema(
        {
            "type": "object",
            "properties": {k: {"type": "string"} for k in _FILTER_KEYS},
            "additionalProperties": False,
            "description": "Optional filters; any other key is refused with 400.",
            "examples": [{"province": "Đồng Tháp"}, {"doc": "183"}],
        }
    ),
]

_ERROR_SCHEMA = {
    "type": "object",
    "required": ["error", "message"],
    "properties": {
        "error": {"type": "string", "description": "Stable code, e.g. bad_question, unauthorized."},
        "message": {"type": "string", "description": "Vietnamese message for officials."},
        "message_en": {"type": "string"},
        "hint": {"type": ["string", "null"]},
        "detail": {"type": "array", "items": {"type": "object"}},
    },
}


def _err(text: str) -> dict[str, Any]:
    return {"description": text, "content": {"application/json": {"schema": _ERROR_SCHEMA}}}


ERRORS: dict[int, dict[str, Any]] = {
    400: _err("The request is well formed but cannot be answered (see `error` and `message`)."),
    401: _err("An API key is configured and none (or a wrong one) was sent in X-API-Key."),
    403: _err("No API key is configured and the client is not on loopback; or administration is off."),
    404: _err("Not found."),
    405: _err("This path does not serve that method (see the Allow header)."),
    409: _err("The index is being rebuilt; try again."),
    413: _err(f"Body too large (JSON bodies: {MAX_JSON_BYTES // 1024} KiB)."),
    422: _err("The body or a parameter does not match the schema (see `detail`)."),
    429: _err("Rate limit reached; the Retry-After header says when to retry."),
    503: _err("The index is missing or damaged."),
}
_ACCESS = (401, 403, 413, 429)


def responses(*codes: int, **described: str) -> dict[int | str, dict[str, Any]]:
    """The error responses of one route: its own ``codes``, plus access errors every gated route has.

    ``described`` overrides a description, e.g. ``responses(404, r404="No such passage.")``.
    """
    out: dict[int | str, dict[str, Any]] = {}
    for code in sorted({*codes, *_ACCESS}):
        out[code] = dict(ERRORS[code])
        if f"r{code}" in described:
            out[code]["description"] = described[f"r{code}"]
    return out


_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")


class MethodGuard:
    """405 with ``Allow`` when a path the API serves is called with another method.

    Without this, a request such as ``TRACE /api/v1/ask`` falls through to the UI mounted at
    "/" (Starlette prefers a full match of the mount over a method mismatch of the route) and
    answers 404, which tells a client the path does not exist.
    """

    def __init__(self, app, router):
        self.app = app
        self.router = router

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        routes = [r for r in self.router.routes if not isinstance(r, Mount)]  # not the UI mount

        def served(method: str) -> bool:
            probe = {**scope, "method": method}
            return any(r.matches(probe)[0] is Match.FULL for r in routes)

        if served(scope["method"]) or not any(r.matches(scope)[0] is Match.PARTIAL for r in routes):
            return await self.app(scope, receive, send)
        allowed = {m for m in _METHODS if served(m)}
        allow = ", ".join(sorted(allowed))
        body: dict[str, Any] = {
            "error": "method_not_allowed",
            "message": f"Đường dẫn này không nhận phương thức {scope['method']}; chỉ nhận: {allow}.",
            "message_en": f"Method {scope['method']} not allowed here; allowed: {allow}.",
            "hint": "Xem tài liệu API tại /docs.",
        }
        if scope["path"].startswith("/v1/"):  # the OpenAI door answers in OpenAI's error shape
            code = body.pop("error")
            body = {"error": {**body, "code": code, "type": "invalid_request_error", "param": None}}
        resp = JSONResponse(body, status_code=405, headers={"Allow": allow})
        await resp(scope, receive, send)


async def http_error(request: Request, exc: Exception) -> JSONResponse:
    """Starlette's own errors (an unparsable body: 400; an unknown path: 404) in the API's error
    shape, so one schema describes every error the API returns."""
    assert isinstance(exc, HTTPException)
    status = exc.status_code
    detail = exc.detail if isinstance(exc.detail, str) else "HTTP error"
    vi = {
        400: "Không đọc được nội dung yêu cầu (JSON hỏng hoặc sai mã hóa).",
        404: "Không có đường dẫn này.",
    }.get(status, f"Lỗi HTTP {status}.")
    body: dict[str, Any] = {"error": f"http_{status}", "message": vi, "message_en": detail, "hint": None}
    if request.url.path.startswith("/v1/"):
        code = body.pop("error")
        body = {"error": {**body, "code": code, "type": "invalid_request_error", "param": None}}
    return JSONResponse(body, status_code=status, headers=getattr(exc, "headers", None))
