"""The /api/v1 routes for portals: ask, plans (admin upload and removal), units, passages, feedback.

One ``APIRouter`` behind the API's access gate (``assistant.api.create_api`` registers it with
the OpenAI and MCP doors); the admin routes also depend on the administrator check, and write
one audit record each. Blocking calls into the ``Assistant`` run on the server's worker threads.
"""

from __future__ import annotations

from collections.abc import Callable

import anyio
from fastapi import APIRouter, Depends, File, Path, Request, UploadFile

from .api_docs import NOT_BLANK, check_question, responses
from .api_models import AskRequest, FeedbackRequest
from .audit import audit
from .errors import AssistantError, FileTooLarge
from .feedback import FeedbackStore, make_record

__all__ = ["v1_router", "client_host"]


def client_host(request: Request) -> str | None:
    return request.client.host if request.client else None


def v1_router(assistant, settings, *, gate: Callable, admin: Callable, run: Callable) -> APIRouter:
    """The /api/v1 routes; ``gate`` decides who calls, ``admin`` checks the administrator."""
    feedback = FeedbackStore.for_settings(settings)  # the store's table when the store is PostgreSQL
    max_upload = int(settings.max_upload_mb * 1024 * 1024)
    unit_param = Path(description="Unit name or alias; not blank.", json_schema_extra={"pattern": NOT_BLANK})
    v1 = APIRouter(prefix="/api/v1", dependencies=[Depends(gate)])

    @v1.post(
        "/ask",
        summary="Hỏi một câu; trả về câu trả lời kèm trích dẫn (schema 1)",
        responses=responses(400, 409, 422, 503),
    )
    async def ask(body: AskRequest) -> dict:
        check_question(body.question)  # the schema's pattern, so the description is the rule
        history = [t.model_dump() for t in body.history] if body.history else None
        answer = await run(assistant.ask, body.question, filters=body.filters, history=history)
        return answer.to_dict()

    @v1.get("/plans", summary="Các kế hoạch đã nạp", responses=responses(409, 503))
    async def plans() -> dict:
        metas = await run(assistant.plans)
        return {"schema": 1, "plans": [m.to_dict() for m in metas]}

    @v1.post(
        "/plans",
        status_code=201,
        summary="Nạp kế hoạch (quản trị viên, HTTP Basic)",
        responses=responses(
            400,
            409,
            422,
            503,
            r400="Malformed multipart body.",
            r413="File over max_upload_mb.",
            r422="Not a readable plan.",
        ),
    )
    async def upload(request: Request, file: UploadFile = File(...), user: str = Depends(admin)) -> dict:
        data = bytearray()
        while chunk := await file.read(1 << 16):
            data += chunk
            if len(data) > max_upload:
                raise FileTooLarge(
                    f"Tệp quá lớn: tối đa {settings.max_upload_mb:g} MB.",
                    f"File too large: max {settings.max_upload_mb:g} MB.",
                    hint="Tách tệp hoặc tăng TLKH_MAX_UPLOAD_MB.",
                )
        try:
            meta = await run(assistant.add_plan, file.filename or "", bytes(data), actor=user)
        except AssistantError as e:
            audit(
                "upload", who=user, client=client_host(request), what=file.filename, result=e.code, via="api"
            )
            raise
        audit("upload", who=user, client=client_host(request), what=file.filename, result="ok", doc=meta.doc)
        return meta.to_dict()

    @v1.delete(
        "/plans/{doc}",
        summary="Gỡ kế hoạch (quản trị viên, HTTP Basic)",
        responses=responses(400, 404, 409, 503, r404="No such plan."),
    )
    async def remove(request: Request, doc: str, user: str = Depends(admin)) -> dict:
        try:
            await run(assistant.remove_plan, doc, actor=user)
        except AssistantError as e:
            audit("remove", who=user, client=client_host(request), what=doc, result=e.code, via="api")
            raise
        audit("remove", who=user, client=client_host(request), what=doc, result="ok", via="api")
        return {"schema": 1, "removed": doc}

    @v1.get("/units", summary="Các đơn vị (tên chuẩn, bí danh, số nhiệm vụ)", responses=responses(409, 503))
    async def units() -> dict:
        return {"schema": 1, "units": await run(assistant.units)}

    @v1.get(
        "/units/{unit}/tasks",
        summary="Mọi nhiệm vụ đơn vị chủ trì hoặc phối hợp",
        responses=responses(400, 409, 422, 503, r400="Blank unit name."),
    )
    async def unit_tasks(unit: str = unit_param, province: str | None = None) -> dict:
        tasks = await run(assistant.unit_tasks, unit, province)
        return {"schema": 1, "unit": unit, "province": province, "tasks": tasks}

    @v1.get(
        "/passages/{passage_id}/context",
        summary="Đoạn trích trong ngữ cảnh kế hoạch",
        responses=responses(404, 409, 503, r404="No such passage (the index may have been rebuilt)."),
    )
    async def context(passage_id: str) -> dict:
        passages = await run(assistant.context, passage_id)
        return {"schema": 1, "passage_id": passage_id, "passages": [p.to_dict() for p in passages]}

    @v1.post("/feedback", status_code=201, summary="Góp ý về một câu trả lời", responses=responses(400, 422))
    async def post_feedback(body: FeedbackRequest) -> dict:
        answer = body.answer.model_dump() if body.answer else None
        rec = make_record(
            body.rating, body.question, answer, comment=body.comment, filters=body.filters, origin="api"
        )
        await anyio.to_thread.run_sync(feedback.append, rec)
        return {"schema": 1, "id": rec["id"]}

    return v1
