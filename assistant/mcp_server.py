"""The agents' door: a Model Context Protocol server on the official ``mcp`` package (FastMCP).

Two transports, one set of tools:
- stdio: ``python -m assistant mcp`` (an agent host starts it as a subprocess);
- streamable HTTP at ``/mcp`` on the app's server, behind the same API keys, loopback rule and
  rate limit as ``/api/v1`` (the API's ``gate`` is called on every HTTP request).

Tools take typed inputs and return structured outputs (pydantic models: the tool's
``outputSchema`` is published and each result carries ``structuredContent``):
``ask`` → answer, units, citations; ``search`` → passages with scores; ``list_plans``;
``unit_tasks``; ``passage`` → the passage with its neighbours in the plan. Each plan's text is a
resource ``plan://<file>``. Errors of the assistant become tool errors with the Vietnamese
message and the hint, so the agent can tell the user what to do.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from functools import partial
from typing import Annotated, Any
from urllib.parse import quote, unquote

import anyio
from mcp.server.fastmcp import FastMCP
from mcp.server.fastmcp.exceptions import ToolError
from mcp.server.transport_security import TransportSecuritySettings
from mcp.types import Resource
from pydantic import BaseModel, Field

from .api_access import error_response
from .errors import AssistantError

__all__ = [
    "build_mcp",
    "mount_mcp",
    "run_stdio",
    "AskResult",
    "SearchResult",
    "PlansResult",
    "UnitTasksResult",
    "PassageResult",
]

INSTRUCTIONS = (
    "Trợ lý Kế hoạch: hỏi đáp có trích dẫn trên các kế hoạch của cơ quan nhà nước Việt Nam. "
    "Dùng `ask` cho câu hỏi (câu trả lời đã kèm trích dẫn nguyên văn [n]); `search` để tự đọc các "
    "đoạn liên quan; `unit_tasks` để xem mọi nhiệm vụ của một đơn vị; `passage` để mở một đoạn "
    "trong ngữ cảnh. Trích dẫn lại nguồn [n] khi trả lời người dùng."
)


# --- outputs -------------------------------------------------------------------
class Units(BaseModel):
    lead: list[str] = Field(description="Units that lead (chủ trì).")
    partners: list[str] = Field(description="Units that coordinate (phối hợp).")


class CitationOut(BaseModel):
    n: int = Field(description="The [n] marker in the answer.")
    passage_id: str
    doc: str = Field(description="Plan file.")
    title: str
    section: str
    text: str = Field(description="The whole cited passage.")
    quote: str = Field(description="Verbatim substring of text that supports the answer.")
    score: float
    related_only: bool = Field(description="Shown as 'possibly related' on refusals.")
    page: int | None = None
    kind: str


class AskResult(BaseModel):
    answer: str = Field(description="The answer with [n] citation markers.")
    refused: bool = Field(description="True when the plans do not contain the answer.")
    intent: str
    units: Units
    citations: list[CitationOut]
    notice: str | None = None


class PassageOut(BaseModel):
    id: str
    doc: str
    kind: str
    text: str
    section: str = Field(description="Heading path, outermost first, joined with ›.")
    lead: list[str]
    partners: list[str]
    page: int | None = None
    province: str | None = None
    district: str | None = None


class ScoredPassage(PassageOut):
    score: float = Field(description="Fused retrieval score (higher is better).")
    rank: int


class SearchResult(BaseModel):
    query: str
    passages: list[ScoredPassage]


class PlanOut(BaseModel):
    doc: str = Field(description="Plan file; also the resource plan://<doc>.")
    title: str
    number: str | None = None
    date: str | None = None
    issuer: str | None = None
    province: str | None = None
    district: str | None = None
    passage_count: int


class PlansResult(BaseModel):
    plans: list[PlanOut]


class TaskOut(BaseModel):
    unit: str
    role: str = Field(description="lead | partner | requested")
    doc: str
    plan: str
    title: str
    section: str
    text: str
    passage_id: str
    province: str | None = None


class UnitTasksResult(BaseModel):
    unit: str
    province: str | None = None
    tasks: list[TaskOut]


class PassageResult(BaseModel):
    passage: PassageOut
    before: list[PassageOut] = Field(description="Up to `neighbours` passages before it in the same section.")
    after: list[PassageOut] = Field(description="Up to `neighbours` passages after it in the same section.")


def _passage(p) -> PassageOut:
    return PassageOut(
        id=p.id,
        doc=p.doc,
        kind=p.kind,
        text=p.text,
        section=p.section_path,
        lead=list(p.lead),
        partners=list(p.partners),
        page=p.page,
        province=p.province,
        district=p.district,
    )


def _filters(province: str | None, district: str | None, plan: str | None) -> dict[str, str] | None:
    f = {k: v for k, v in (("province", province), ("district", district), ("doc", plan)) if v}
    return f or None


# --- the server ----------------------------------------------------------------
class _PlansMCP(FastMCP):
    """FastMCP that lists one resource per loaded plan (the set changes with uploads, so it is
    read at each resources/list rather than registered once)."""

    assistant: Any = None

    async def list_resources(self) -> list[Resource]:
        listed = await super().list_resources()
        metas = await anyio.to_thread.run_sync(self.assistant.plans)
        for m in metas:
            listed.append(
                Resource(
                    uri=f"plan://{quote(m.doc, safe='')}",
                    name=m.doc,
                    title=m.title or m.doc,
                    description=" · ".join(x for x in (m.number, m.date, m.province, m.district) if x)
                    or None,
                    mimeType="text/plain",
                )
            )
        return listed


def build_mcp(assistant, *, transport_security: TransportSecuritySettings | None = None) -> FastMCP:
    """The MCP server over one Assistant (tools and resources; no transport started)."""
    mcp = _PlansMCP(
        name="tro-ly-ke-hoach",
        instructions=INSTRUCTIONS,
        stateless_http=True,  # no server-to-client requests: any worker can answer any call
        json_response=True,  # one JSON reply per call: simple for curl and proxies
        streamable_http_path="/mcp",
        transport_security=transport_security
        or TransportSecuritySettings(enable_dns_rebinding_protection=False),
    )
    mcp.assistant = assistant

    async def call(fn: Callable, *args, **kw):
        try:
            return await anyio.to_thread.run_sync(partial(fn, *args, **kw))
        except AssistantError as e:
            raise ToolError(e.user_message() + f" [{e.code}]") from None

    @mcp.tool(title="Hỏi trợ lý", structured_output=True)
    async def ask(
        question: Annotated[str, Field(description="Câu hỏi bằng tiếng Việt.", max_length=100_000)],
        province: Annotated[str | None, Field(description="Chỉ tìm trong kế hoạch của tỉnh này.")] = None,
        district: Annotated[str | None, Field(description="Chỉ tìm trong kế hoạch của huyện này.")] = None,
        plan: Annotated[
            str | None, Field(description="Chỉ tìm trong kế hoạch này (tên tệp hoặc số, ví dụ 183).")
        ] = None,
        history: Annotated[
            list[str] | None,
            Field(
                description="Earlier questions of the conversation, oldest first (for follow-ups).",
                max_length=50,
            ),
        ] = None,
    ) -> AskResult:
        """Answer a question from the loaded plans, with verbatim citations [n]; refuses when the plans are silent."""
        turns = [{"role": "user", "content": h} for h in history or []]
        ans = await call(
            assistant.ask, question, filters=_filters(province, district, plan), history=turns or None
        )
        return AskResult.model_validate(
            {k: v for k, v in ans.to_dict().items() if k in AskResult.model_fields}
        )

    @mcp.tool(title="Tìm đoạn liên quan", structured_output=True)
    async def search(
        query: Annotated[str, Field(description="Từ khóa hoặc câu hỏi.")],
        k: Annotated[int, Field(ge=1, le=50, description="Số đoạn trả về.")] = 8,
        province: str | None = None,
        district: str | None = None,
        plan: Annotated[str | None, Field(description="Tên tệp hoặc số kế hoạch.")] = None,
    ) -> SearchResult:
        """The plan passages that best match the query, with retrieval scores (no answer composed)."""
        hits = await call(assistant.search, query, filters=_filters(province, district, plan), k=k)
        out = [ScoredPassage(**_passage(h.passage).model_dump(), score=h.score, rank=h.rank) for h in hits]
        return SearchResult(query=query, passages=out)

    @mcp.tool(title="Các kế hoạch đã nạp", structured_output=True)
    async def list_plans() -> PlansResult:
        """Every loaded plan: file, title, number, date, issuer, place, passage count."""
        metas = await call(assistant.plans)
        return PlansResult(
            plans=[
                PlanOut(
                    doc=m.doc,
                    title=m.title or m.doc,
                    number=m.number or m.number_text,
                    date=m.date,
                    issuer=m.issuer,
                    province=m.province,
                    district=m.district,
                    passage_count=m.passage_count,
                )
                for m in metas
            ]
        )

    @mcp.tool(title="Nhiệm vụ của một đơn vị", structured_output=True)
    async def unit_tasks(
        unit: Annotated[
            str,
            Field(description="Tên đơn vị hoặc bí danh, ví dụ 'Sở Khoa học và Công nghệ' hoặc 'Sở KH&CN'."),
        ],
        province: Annotated[
            str | None, Field(description="Tỉnh của đơn vị (khi cùng tên ở nhiều tỉnh).")
        ] = None,
    ) -> UnitTasksResult:
        """Every task the unit leads, coordinates or is requested to do, in plan order."""
        tasks = await call(assistant.unit_tasks, unit, province)
        name = tasks[0]["unit"] if tasks else unit
        return UnitTasksResult(unit=name, province=province, tasks=[TaskOut(**t) for t in tasks])

    @mcp.tool(title="Mở một đoạn", structured_output=True)
    async def passage(
        id: Annotated[str, Field(description="passage_id from a citation or a search result.")],
        neighbours: Annotated[
            int, Field(ge=0, le=20, description="Passages to include before and after it.")
        ] = 2,
    ) -> PassageResult:
        """One passage with its neighbours in the same section of its plan."""
        ctx = await call(assistant.context, id)
        at = next(i for i, p in enumerate(ctx) if p.id == id)
        return PassageResult(
            passage=_passage(ctx[at]),
            before=[_passage(p) for p in ctx[max(0, at - neighbours) : at]],
            after=[_passage(p) for p in ctx[at + 1 : at + 1 + neighbours]],
        )

    @mcp.resource("plan://{doc}", title="Văn bản kế hoạch", mime_type="text/plain")
    async def plan_text(doc: str) -> str:
        """The plan's text as indexed: each passage under its heading path, in plan order."""
        name = unquote(doc)
        metas = await call(assistant.plans)
        meta = next((m for m in metas if m.doc == name), None)
        if meta is None:
            raise ValueError(f"Không có kế hoạch '{name}'.")
        passages = await call(_plan_passages, assistant, name)
        lines = [meta.title or name, ""]
        last: tuple[str, ...] = ()
        for p in passages:
            if p.section and p.section != last and p.kind != "metadata":
                lines += ["", " › ".join(p.section)]
                last = p.section
            lines.append(p.text)
        return "\n".join(lines).strip() + "\n"

    return mcp


def _plan_passages(assistant, doc: str) -> list:
    """A plan's passages in order, parsed again from its file (the Assistant has no per-plan listing;
    parsing gives the same passages the index was built from)."""
    from .ingest import parse_file

    path = assistant.settings.corpus_dir / doc
    return list(parse_file(path).passages)


# --- transports ----------------------------------------------------------------
def run_stdio(assistant) -> None:
    """Serve MCP on stdin/stdout until the client closes it (``python -m assistant mcp``)."""
    build_mcp(assistant).run("stdio")


def mount_mcp(app, assistant, settings, gate: Callable) -> None:
    """Serve MCP at ``/mcp`` on ``app`` (FastAPI), each request through the API's ``gate``."""
    from starlette.requests import Request

    # With keys configured the key is the defence; in loopback-only mode a browser page could
    # reach us through DNS rebinding, so the Host must then be a loopback name.
    security = None
    if not [k for k in settings.api_keys if k]:
        security = TransportSecuritySettings(
            enable_dns_rebinding_protection=True,
            allowed_hosts=["127.0.0.1", "127.0.0.1:*", "localhost", "localhost:*", "[::1]", "[::1]:*"],
            allowed_origins=["http://127.0.0.1:*", "http://localhost:*", "http://[::1]:*"],
        )
    mcp = build_mcp(assistant, transport_security=security)
    mcp.streamable_http_app()  # creates the session manager
    manager = mcp.session_manager

    class Gated:  # an ASGI app (not a function), so Starlette passes it the raw scope
        async def __call__(self, scope, receive, send):
            try:
                gate(Request(scope))
            except AssistantError as exc:
                return await error_response(exc)(scope, receive, send)
            await manager.handle_request(scope, receive, send)

    app.add_route("/mcp", Gated(), include_in_schema=False)
    outer = app.router.lifespan_context

    @contextlib.asynccontextmanager
    async def lifespan(a):
        async with outer(a) as state, manager.run():
            yield state

    app.router.lifespan_context = lifespan
