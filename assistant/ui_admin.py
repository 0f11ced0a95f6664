"""The plan administration handlers of the UI's "Kế hoạch" tab: upload and removal.

Both check the administrator password through the server's one ``AdminGate`` before they
read or change anything, write one audit record each, and on success hand back every list
built from the loaded plans (``plans_view`` of ``assistant.ui.build_ui``) read afresh.
"""

from __future__ import annotations

from collections.abc import Callable

import gradio as gr

from .audit import audit
from .errors import AssistantError
from .uploads import uploaded_file

__all__ = ["admin_handlers", "client_of"]


def client_of(request: gr.Request | None) -> str:
    return getattr(getattr(request, "client", None), "host", None) or "?"


def admin_handlers(assistant, settings, gate, plans_view: Callable[[], tuple]) -> tuple[Callable, Callable]:
    """``(upload, remove)``: the Gradio handlers of the admin buttons, bound to ``gate``."""

    def admin_refusal(password: str, request: gr.Request | None) -> str | None:
        """None when the administrator password is right, else the message to show."""
        if not settings.admin_password:
            return "Chức năng quản trị đang tắt: chưa đặt mật khẩu quản trị (TLKH_ADMIN_PASSWORD)."
        try:
            gate.check(client_of(request), password, via="ui")
        except AssistantError as e:
            if e.code == "rate_limited":
                return e.message_vi
            return "Sai mật khẩu quản trị."
        return None

    n_lists = 7  # len(plans_view())

    def refused(message: str):
        return (message,) + (gr.skip(),) * (1 + n_lists)

    def upload(password: str, file_data, request: gr.Request, progress=gr.Progress()):
        # preprocess=False: Gradio hands over the client's FileData untouched, so nothing on disk is
        # read or copied before the password is checked, and only a file the client itself sent to
        # /gradio_api/upload (inside Gradio's upload folder) is accepted.
        if problem := admin_refusal(password, request):
            audit("upload", who=None, client=client_of(request), what=None, result="unauthorized", via="ui")
            return refused(problem)
        if not file_data:
            return refused("Hãy chọn tệp kế hoạch (PDF, DOCX, TXT, MD).")
        found = uploaded_file(file_data)
        if found is None:
            audit(
                "upload",
                who=settings.admin_user,
                client=client_of(request),
                what=None,
                result="not_uploaded",
                via="ui",
            )
            return refused("Tệp không hợp lệ: chỉ nhận tệp vừa được tải lên từ máy của bạn.")
        path, original = found
        limit = int(settings.max_upload_mb * 1024 * 1024)
        if path.stat().st_size > limit:
            return refused(f"Tệp quá lớn: tối đa {settings.max_upload_mb:g} MB.")
        progress(0.02, desc="Đang đọc tệp…")

        def report(*args, **kw):
            # The core reports (done, total[, text]) or (fraction[, text]); show both as a bar.
            nums = [a for a in args if isinstance(a, (int, float)) and not isinstance(a, bool)]
            step = next((a for a in args if isinstance(a, str)), kw.get("desc") or "")
            text = f"Đang lập chỉ mục: {step}" if step else "Đang lập chỉ mục…"
            if len(nums) >= 2 and nums[1]:
                progress((nums[0], nums[1]), desc=text, unit="đoạn")
            elif nums:
                progress(min(max(float(nums[0]), 0.0), 1.0), desc=text)
            else:
                progress(None, desc=text)

        data = path.read_bytes()
        path.unlink(missing_ok=True)  # the plan now lives in the corpus; no stray copy in Gradio's cache
        who, client = settings.admin_user, client_of(request)
        try:
            meta = assistant.add_plan(original, data, progress=report, actor=who)
        except AssistantError as e:
            audit("upload", who=who, client=client, what=original, result=e.code, via="ui")
            return (f"Không nạp được: {e.user_message()}", None) + plans_view()
        audit("upload", who=who, client=client, what=original, result="ok", via="ui", doc=meta.doc)
        return (f"Đã nạp {meta.doc}: {meta.passage_count} đoạn.", None) + plans_view()

    def remove(password: str, doc: str | None, request: gr.Request):
        if problem := admin_refusal(password, request):
            audit("remove", who=None, client=client_of(request), what=doc, result="unauthorized", via="ui")
            return refused(problem)
        if not doc:
            return refused("Hãy chọn kế hoạch cần gỡ.")
        try:
            assistant.remove_plan(doc, actor=settings.admin_user)  # the password checked is this admin's
        except AssistantError as e:
            audit(
                "remove",
                who=settings.admin_user,
                client=client_of(request),
                what=doc,
                result=e.code,
                via="ui",
            )
            return (f"Không gỡ được: {e.user_message()}", gr.skip()) + plans_view()
        audit("remove", who=settings.admin_user, client=client_of(request), what=doc, result="ok", via="ui")
        return (f"Đã gỡ {doc}.", gr.skip()) + plans_view()

    return upload, remove
