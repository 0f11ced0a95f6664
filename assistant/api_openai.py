"""The OpenAI door: ``POST /v1/chat/completions`` and ``GET /v1/models`` on the app's server.

Chat widgets, Open WebUI, LangChain's ``ChatOpenAI`` and the ``openai`` client all speak this
protocol, so a portal can plug the assistant in without learning ``/api/v1/ask``.

- The last ``user`` message is the question; the earlier user/assistant turns are the
  conversation history, exactly as the UI passes them. System (and developer/tool) messages
  are accepted and ignored: answers are extracted from the plans, not steered by a prompt.
- ``temperature``, ``top_p``, ``max_tokens`` … are accepted and ignored (nothing is sampled).
- The message content is the answer with its ``[n]`` markers and a short sources list; the full
  Answer record (``citations`` exactly as ``/api/v1/ask`` returns them, ``refused``, ``units``)
  travels in the extra field ``answer`` of the response and of the last stream chunk.
- Streaming sends the answer only after it has been verified (every quote checked against the
  plan), because an SSE stream cannot take back words a portal has already shown.
- Errors here take OpenAI's shape ``{"error": {"message", "type", "code", "param"}}`` (with the
  Vietnamese message first and the English one and the hint alongside), so OpenAI clients raise
  their usual exceptions.

Access (keys, loopback rule, rate limit) is the API's own ``gate``; :class:`BearerKeys` lets a
client send the key as ``Authorization: Bearer <key>``, which is what OpenAI clients do.
"""

from __future__ import annotations

import json
import re
import time
import uuid
from collections.abc import Awaitable, Callable, Coroutine, Iterator
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response, StreamingResponse
from fastapi.routing import APIRoute
from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictFloat
from starlette.exceptions import HTTPException

from .api_access import MAX_JSON_BYTES
from .api_docs import HAS_WORD, FilterDict
from .errors import AssistantError, BadQuestion
from .records import Answer

__all__ = [
    "MODEL_ID",
    "OPENAI_ERRORS",
    "ChatRequest",
    "BearerKeys",
    "openai_error",
    "openai_router",
    "message_content",
    "history_and_question",
]

MODEL_ID = "tro-ly-ke-hoach"
_WORD = re.compile(HAS_WORD)
CREATED = 1_767_225_600  # 2026-01-01: a fixed "created" so /v1/models is stable between restarts

# OpenAI's error "type" per HTTP status, so clients map them to their own exception classes.
_TYPES = {
    400: "invalid_request_error",
    401: "authentication_error",
    403: "permission_error",
    404: "not_found_error",
    409: "conflict_error",
    413: "invalid_request_error",
    422: "invalid_request_error",
    429: "rate_limit_error",
    503: "service_unavailable",
}


# --- request -------------------------------------------------------------------
class TextPart(BaseModel):
    type: Literal["text"] = Field(description="Only text parts: the assistant reads plans, not images.")
    text: str = Field(max_length=100_000)


def _one_type(question: bool) -> Callable[[dict[str, Any]], None]:
    """Content as one schema with a list of types instead of anyOf string/array: each keyword then
    applies to its own type, which generators and fuzzers read unambiguously. For the question,
    state the handler's rule: a letter or digit in the text (else 400)."""

    def edit(schema: dict[str, Any]) -> None:
        merged: dict[str, Any] = {"type": []}
        for branch in schema.pop("anyOf", []):
            merged["type"].append(branch["type"])
            if branch["type"] == "array":
                merged["items"] = branch["items"]
        if question:
            merged.update(
                pattern=HAS_WORD, minItems=1, contains={"properties": {"text": {"pattern": HAS_WORD}}}
            )
        schema.update(merged)

    return edit


class UserMessage(BaseModel):
    model_config = ConfigDict(extra="allow")  # name … accepted and ignored
    role: Literal["user"]
    content: str | list[TextPart] = Field(
        description="A question: at least one letter or digit (else 400).",
        json_schema_extra=_one_type(question=True),
    )


class OtherMessage(BaseModel):
    model_config = ConfigDict(extra="allow")  # name, tool_calls … accepted and ignored
    role: Literal["system", "developer", "assistant", "tool", "function"] = Field(
        description="assistant turns are the conversation; the others are accepted and ignored."
    )
    content: str | list[TextPart] | None = Field(
        None, description="Text, or OpenAI text parts.", json_schema_extra=_one_type(question=False)
    )


ChatMessage = Annotated[UserMessage | OtherMessage, Field(discriminator="role")]


class ChatRequest(BaseModel):
    model_config = ConfigDict(extra="allow")  # temperature, top_p, max_tokens, tools … ignored
    model: str = Field(
        MODEL_ID, max_length=200, description=f"Any value is accepted; the reply names '{MODEL_ID}'."
    )
    messages: list[ChatMessage] = Field(
        min_length=1,
        max_length=100,
        description="At least one user message (else 400); the last user message is the question and "
        "the user/assistant turns before it are the conversation.",
        json_schema_extra={"contains": {"properties": {"role": {"const": "user"}}, "required": ["role"]}},
    )
    stream: StrictBool = Field(False, description="Server-Sent Events of chat.completion.chunk, then [DONE].")
    filters: FilterDict | None = Field(
        None, description='Extension: {"province", "district", "doc"}, as in /api/v1/ask.'
    )
    temperature: StrictFloat | None = Field(None, description="Accepted and ignored (answers are extracted).")


def message_content(msg: UserMessage | OtherMessage) -> str:
    if msg.content is None:
        return ""
    if isinstance(msg.content, str):
        return msg.content
    return "\n".join(p.text for p in msg.content)


def history_and_question(messages: list[UserMessage | OtherMessage]) -> tuple[list[dict[str, str]], str]:
    """(history, question): the last user message is the question, the turns before it the history."""
    turns = [(m.role, message_content(m)) for m in messages if m.role in ("user", "assistant")]
    asked = [i for i, (role, _) in enumerate(turns) if role == "user"]
    wordless = [i for i in asked if not _WORD.search(turns[i][1])]
    if not asked or wordless:
        raise BadQuestion(
            "Cần ít nhất một tin nhắn của người dùng, và mỗi tin nhắn của người dùng phải có chữ hoặc số.",
            "At least one user message is needed, and every user message needs a letter or digit.",
            hint='Ví dụ: {"role": "user", "content": "Sở nào chủ trì quảng bá video clip?"}',
        )
    last = asked[-1]
    history = [{"role": r, "content": c[:20_000]} for r, c in turns[:last] if c.strip()][-50:]
    return history, turns[last][1]


# --- replies -------------------------------------------------------------------
def _sources(answer: Answer) -> str:
    """A short sources list under the answer: one line per citation, no quotes (those are in ``answer``)."""
    if not answer.citations:
        return ""
    head = "Nguồn có thể liên quan:" if answer.refused else "Nguồn:"
    lines = [head]
    for c in answer.citations:
        where = " › ".join(x for x in (c.title or c.doc, c.section) if x)
        lines.append(f"[{c.n}] {where} ({c.doc})")
    return "\n".join(lines)


def reply_text(answer: Answer) -> str:
    parts = [answer.answer.strip()]
    if answer.notice:
        parts.append(f"Lưu ý: {answer.notice}")
    if src := _sources(answer):
        parts.append(src)
    return "\n\n".join(parts)


def _completion(answer: Answer, cid: str, created: int) -> dict[str, Any]:
    text = reply_text(answer)
    return {
        "id": cid,
        "object": "chat.completion",
        "created": created,
        "model": MODEL_ID,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": text},
                "finish_reason": "stop",
                "logprobs": None,
            }
        ],
        "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0},  # nothing is sampled
        "answer": answer.to_dict(),
    }


def _pieces(text: str) -> Iterator[str]:
    """The text in line-sized pieces (joined they give the text back exactly)."""
    start = 0
    while start < len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end + 1
        yield text[start:end]
        start = end


def _chunks(answer: Answer, cid: str, created: int) -> Iterator[bytes]:
    def event(delta: dict, finish: str | None = None, **extra) -> bytes:
        chunk = {
            "id": cid,
            "object": "chat.completion.chunk",
            "created": created,
            "model": MODEL_ID,
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish, "logprobs": None}],
            **extra,
        }
        return f"data: {json.dumps(chunk, ensure_ascii=False)}\n\n".encode()

    yield event({"role": "assistant", "content": ""})
    for piece in _pieces(reply_text(answer)):
        yield event({"content": piece})
    yield event({}, "stop", answer=answer.to_dict())
    yield b"data: [DONE]\n\n"


# --- errors --------------------------------------------------------------------
def openai_error(status: int, code: str, message_vi: str, message_en: str, hint: str | None = None, **kw):
    body = {
        "error": {
            "message": message_vi,
            "message_en": message_en,
            "hint": hint,
            "type": _TYPES.get(status, "server_error" if status >= 500 else "invalid_request_error"),
            "code": code,
            "param": kw.pop("param", None),
            **kw,
        }
    }
    return JSONResponse(body, status_code=status, headers=kw.pop("headers", None))


def _from_exc(exc: AssistantError) -> JSONResponse:
    resp = openai_error(exc.status, exc.code, exc.message_vi, exc.message_en, exc.hint)
    for k, v in (getattr(exc, "headers", None) or {}).items():
        resp.headers[k] = v
    return resp


class OpenAIRoute(APIRoute):
    """Errors on these routes (the gate's, validation, the assistant's) in OpenAI's shape."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def route(request: Request) -> Response:
            try:
                return await handler(request)
            except AssistantError as exc:
                return _from_exc(exc)
            except HTTPException as exc:  # e.g. a body that is not JSON
                return openai_error(
                    exc.status_code,
                    "invalid_request",
                    "Không đọc được nội dung yêu cầu (JSON hỏng hoặc sai mã hóa).",
                    str(exc.detail),
                )
            except RequestValidationError as exc:
                first = exc.errors()[0] if exc.errors() else {}
                where = ".".join(str(x) for x in first.get("loc", ()) if x != "body")
                return openai_error(
                    422,
                    "invalid_request",
                    f"Yêu cầu không hợp lệ ({where or 'body'}): {first.get('msg', '')}",
                    f"Invalid request ({where or 'body'}): {first.get('msg', '')}",
                    "Xem tài liệu API tại /docs.",
                    param=where or None,
                )

        return route


_ERR = {"description": "OpenAI-style error", "content": {"application/json": {}}}
OPENAI_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {**_ERR, "description": "Missing or invalid API key (X-API-Key or Authorization: Bearer)."},
    403: {**_ERR, "description": "No API key configured and the client is not on loopback."},
    429: {**_ERR, "description": "Rate limit reached; see Retry-After."},
}


# --- routes --------------------------------------------------------------------
def openai_router(assistant, gate: Callable[..., str], run: Callable[..., Awaitable[Any]]) -> APIRouter:
    """The /v1 routes; ``gate`` is the API's access dependency, ``run`` runs a call on a worker thread."""
    router = APIRouter(prefix="/v1", route_class=OpenAIRoute, dependencies=[Depends(gate)], tags=["OpenAI"])

    @router.get("/models", summary="Mô hình (OpenAI): trợ lý này", responses=OPENAI_ERRORS)
    async def models() -> dict:
        return {
            "object": "list",
            "data": [{"id": MODEL_ID, "object": "model", "created": CREATED, "owned_by": "tro-ly-ke-hoach"}],
        }

    @router.post(
        "/chat/completions",
        summary="Hỏi theo giao thức OpenAI chat completions (có stream SSE)",
        responses={
            200: {
                "description": "chat.completion, or with stream=true text/event-stream of "
                "chat.completion.chunk ending with `data: [DONE]`. The extra field `answer` is the "
                "Answer record of /api/v1/ask (citations, refused, units).",
                "content": {"application/json": {}, "text/event-stream": {}},
            },
            400: {**_ERR, "description": "No question: the last message is not the user's, or has no words."},
            **OPENAI_ERRORS,
            413: {**_ERR, "description": f"Body over {MAX_JSON_BYTES // 1024} KiB."},
            422: {**_ERR, "description": "Body does not match the schema, or an unknown filter."},
            503: {**_ERR, "description": "The index is missing or being rebuilt."},
        },
    )
    async def chat(body: ChatRequest):
        history, question = history_and_question(body.messages)
        answer: Answer = await run(assistant.ask, question, filters=body.filters, history=history or None)
        cid, created = f"chatcmpl-{uuid.uuid4().hex}", int(time.time())
        if body.stream:
            headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
            return StreamingResponse(
                _chunks(answer, cid, created), media_type="text/event-stream", headers=headers
            )
        return JSONResponse(_completion(answer, cid, created))

    return router


class BearerKeys:
    """On /v1/ and /mcp: ``Authorization: Bearer <key>`` read as the API key (OpenAI and MCP clients
    send keys that way), and bodies over the JSON cap refused with 413 before they fill memory."""

    PREFIXES = ("/v1/", "/mcp")

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or not scope["path"].startswith(self.PREFIXES):
            return await self.app(scope, receive, send)
        headers = list(scope["headers"])
        names = {k.lower() for k, _ in headers}
        auth = dict(headers).get(b"authorization", b"")
        if b"x-api-key" not in names and auth[:7].lower() == b"bearer ":
            headers.append((b"x-api-key", auth[7:].strip()))
            scope = {**scope, "headers": headers}
        declared = dict(headers).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > MAX_JSON_BYTES:
            resp = openai_error(
                413,
                "payload_too_large",
                f"Yêu cầu quá lớn (tối đa {MAX_JSON_BYTES // 1024} KiB).",
                f"Request body too large (max {MAX_JSON_BYTES // 1024} KiB).",
                "Rút gọn hội thoại gửi lên.",
            )
            return await resp(scope, receive, send)
        return await self.app(scope, receive, send)
