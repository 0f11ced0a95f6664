"""Gradio Blocks UI (Vietnamese): chat with sources, loaded plans, lookup by unit.

Every handler calls the one ``Assistant`` and formats its result with
``assistant.ui_render`` (which escapes everything from plans and users).
Public Gradio endpoint for API clients: ``/ask`` (the chat submit itself).
"""

from __future__ import annotations

import json
import shutil
import tempfile
import uuid
from pathlib import Path
from typing import Any

import gradio as gr

from .audit import audit
from .errors import AssistantError
from .feedback import RATING_LABELS, FeedbackStore
from .ui_render import (
    PLAN_HEADERS,
    TASK_HEADERS,
    answer_markdown,
    context_html,
    copy_text,
    example_questions,
    filters_from,
    md_escape,
    plan_choices,
    plan_rows,
    scope_choices,
    sources_html,
    task_rows,
    unit_choices,
    write_csv,
    write_xlsx,
)

__all__ = ["build_ui", "CSS"]

CSS = """
.tlkh-src{border:1px solid var(--border-color-primary);border-radius:8px;padding:8px 10px;margin:0 0 8px;cursor:pointer}
.tlkh-src:hover,.tlkh-src:focus{border-color:var(--color-accent);outline:none}
.tlkh-related{opacity:.8;border-style:dashed}
.tlkh-n{font-weight:700;color:var(--color-accent)}
.tlkh-title{font-weight:600}
.tlkh-sec{font-size:.85em;color:var(--body-text-color-subdued);margin:2px 0 4px}
.tlkh-text{white-space:pre-wrap;line-height:1.45}
.tlkh-doc{font-size:.8em;color:var(--body-text-color-subdued);margin-top:4px}
.tlkh-open{color:var(--color-accent)}
.tlkh-ctx{padding:6px 8px;border-left:3px solid transparent;margin-bottom:6px}
.tlkh-cited{border-left-color:var(--color-accent);background:var(--color-accent-soft)}
.tlkh-ctx-doc{font-weight:600;margin-bottom:6px}
.tlkh-note,.tlkh-empty{color:var(--body-text-color-subdued);font-style:italic;margin-bottom:6px}
mark{background:#fde68a;color:inherit;padding:0 1px}
/* the monospace default mangles Vietnamese stacked diacritics in table cells */
#tlkh-plans,#tlkh-tasks{--font-mono:var(--font)}
"""

# Event delegation: one listener survives every re-render of the sources panel.
_SOURCES_JS = """
const open = (ev) => {
  const card = ev.target.closest('[data-pid]');
  if (card && element.contains(card)) trigger('click', {pid: card.dataset.pid});
};
element.addEventListener('click', open);
element.addEventListener('keydown', (ev) => { if (ev.key === 'Enter') open(ev); });
"""

# The context panel always belongs to the answer whose sources are shown: reset with them.
CONTEXT_HINT = "<div class='tlkh-empty'>Bấm vào một nguồn để xem đoạn đó trong kế hoạch.</div>"

# Bring the cited passage into view each time a source is opened.
_CONTEXT_JS = """
watch('value', () => element.querySelector('.tlkh-cited')?.scrollIntoView({block: 'nearest'}));
"""


def _error_text(e: AssistantError) -> str:
    return e.user_message()


def build_ui(assistant, settings, admin_gate=None) -> gr.Blocks:
    """The UI; ``admin_gate`` is the server's one administrator check (``create_app`` passes the API's)."""
    from .login_guard import AdminGate

    store = FeedbackStore.for_settings(settings)
    export_dir = Path(tempfile.mkdtemp(prefix="tlkh-export-"))
    streaming = bool(getattr(settings, "llm", ""))
    gate = admin_gate or AdminGate(settings)

    def client_of(request: gr.Request | None) -> str:
        return getattr(getattr(request, "client", None), "host", None) or "?"

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

    # --- chat -------------------------------------------------------------------
    def respond(message: str, chat: list, scope: str, plan: str, turns: list):
        """Chat submit; also the public Gradio API endpoint ``/ask``."""
        chat = list(chat or [])
        turns = list(turns or [])
        question = (message or "").strip()
        if not question:  # an empty submit is a slip of the Enter key, not an error
            yield (gr.skip(),) * 8
            return
        filters = filters_from(scope, plan)
        history = [
            t
            for turn in turns[-5:]
            for t in (
                {"role": "user", "content": turn["question"]},
                {"role": "assistant", "content": turn["answer"]},
            )
        ]
        chat.append({"role": "user", "content": md_escape(question)})
        chat.append({"role": "assistant", "content": "…"})
        try:
            if streaming:
                acc, answer = "", None
                for item in assistant.stream(question, filters=filters, history=history or None):
                    if isinstance(item, str):
                        acc += item
                        chat[-1] = {"role": "assistant", "content": md_escape(acc)}
                        yield "", chat, gr.skip(), gr.skip(), gr.skip(), gr.skip(), turns, gr.skip()
                    else:
                        answer = item
            else:
                answer = assistant.ask(question, filters=filters, history=history or None)
            assert answer is not None, "Assistant.stream ends with its Answer"
        except AssistantError as e:
            chat[-1] = {"role": "assistant", "content": md_escape(_error_text(e))}
            yield "", chat, e.to_dict(), sources_html(None), CONTEXT_HINT, "", turns, None
            return
        data = answer.to_dict()
        chat[-1] = {"role": "assistant", "content": answer_markdown(data)}
        turns.append(
            {
                "msg": len(chat) - 1,
                "question": question,
                "answer": data.get("answer", ""),
                "data": data,
                "filters": filters,
            }
        )
        yield "", chat, data, sources_html(data), CONTEXT_HINT, copy_text(data), turns, data

    def select_answer(turns: list, evt: gr.SelectData):
        """Clicking an answer in the chat shows its own sources."""
        idx = evt.index[0] if isinstance(evt.index, (list, tuple)) else evt.index
        for t in turns or []:
            if t["msg"] == idx or t["msg"] == idx + 1:
                return sources_html(t["data"]), CONTEXT_HINT, copy_text(t["data"]), t["data"]
        return gr.skip(), gr.skip(), gr.skip(), gr.skip()

    def open_source(current: dict | None, evt: gr.EventData):
        pid = str(getattr(evt, "_data", {}).get("pid", "")) if evt else ""
        if not pid:
            return gr.skip()
        cite: dict[str, Any] = next(
            (c for c in (current or {}).get("citations", []) if c.get("passage_id") == pid), {}
        )
        try:
            return context_html(assistant.context(pid), pid, cite.get("quote", ""), cite.get("title", ""))
        except (AssistantError, KeyError, LookupError):
            return context_html([], pid)

    def send_feedback(rating: str, comment: str, current: dict | None, turns: list):
        if not current:
            return "Chưa có câu trả lời nào để góp ý.", gr.skip()
        turn = next((t for t in reversed(turns or []) if t["data"] is current or t["data"] == current), None)
        try:
            store.add(
                rating,
                current.get("question", ""),
                current,
                comment=comment or "",
                filters=(turn or {}).get("filters"),
                origin="ui",
            )
        except AssistantError as e:
            return _error_text(e), gr.skip()
        return f"Đã ghi góp ý: {RATING_LABELS[rating]}. Cảm ơn!", ""

    def quick_feedback(turns: list, evt: gr.LikeData):
        idx = evt.index[0] if isinstance(evt.index, (list, tuple)) else evt.index
        turn = next((t for t in turns or [] if t["msg"] == idx), None)
        if turn is None or evt.liked is None:
            return gr.skip()
        rating = "useful" if evt.liked is True else "not_useful"
        store.add(rating, turn["question"], turn["data"], filters=turn.get("filters"), origin="ui")
        return f"Đã ghi góp ý: {RATING_LABELS[rating]}. Cảm ơn!"

    # --- plans ------------------------------------------------------------------
    def plans_view():
        metas = assistant.plans()
        docs = [(f"{m.doc} — {m.title}"[:120], m.doc) for m in metas]
        return (
            plan_rows(metas),
            gr.Dropdown(choices=scope_choices(metas)),
            gr.Dropdown(choices=plan_choices(metas)),
            gr.Dropdown(choices=docs, value=None),
            gr.Dropdown(choices=unit_choices(assistant.units())),
        )

    def refused(message: str):
        return (message,) + (gr.skip(),) * 6

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
            meta = assistant.add_plan(original, data, progress=report)
        except AssistantError as e:
            audit("upload", who=who, client=client, what=original, result=e.code, via="ui")
            return (f"Không nạp được: {_error_text(e)}", None) + plans_view()
        audit("upload", who=who, client=client, what=original, result="ok", via="ui", doc=meta.doc)
        return (f"Đã nạp {meta.doc}: {meta.passage_count} đoạn.", None) + plans_view()

    def remove(password: str, doc: str | None, request: gr.Request):
        if problem := admin_refusal(password, request):
            audit("remove", who=None, client=client_of(request), what=doc, result="unauthorized", via="ui")
            return refused(problem)
        if not doc:
            return refused("Hãy chọn kế hoạch cần gỡ.")
        try:
            assistant.remove_plan(doc)
        except AssistantError as e:
            audit(
                "remove",
                who=settings.admin_user,
                client=client_of(request),
                what=doc,
                result=e.code,
                via="ui",
            )
            return (f"Không gỡ được: {_error_text(e)}", gr.skip()) + plans_view()
        audit("remove", who=settings.admin_user, client=client_of(request), what=doc, result="ok", via="ui")
        return (f"Đã gỡ {doc}.", gr.skip()) + plans_view()

    # --- units ------------------------------------------------------------------
    def unit_view(choice: str | None):
        if not choice:
            return [], None, None
        name, province = json.loads(choice)
        rows = task_rows(assistant.unit_tasks(name, province))
        old = sorted(export_dir.iterdir(), key=lambda d: d.stat().st_mtime)
        for d in old[:-20]:  # Gradio has copied them into its cache already; keep the folder small
            shutil.rmtree(d, ignore_errors=True)
        out = export_dir / uuid.uuid4().hex[:8]
        out.mkdir()
        stem = "nhiem-vu-" + "".join(ch if ch.isalnum() else "-" for ch in name)[:60].strip("-")
        csv_path = write_csv(out / f"{stem}.csv", TASK_HEADERS, rows)
        xlsx_path = write_xlsx(out / f"{stem}.xlsx", TASK_HEADERS, rows)
        return rows, str(csv_path), str(xlsx_path)

    metas = assistant.plans()
    units = assistant.units()

    # delete_cache: uploaded plans and exports do not linger in Gradio's cache folder.
    with gr.Blocks(title="Trợ lý Kế hoạch", delete_cache=(3600, 3600)) as demo:
        gr.Markdown(
            "## Trợ lý Kế hoạch\nHỏi đáp có trích dẫn trên các kế hoạch đã nạp. "
            "Mỗi câu trả lời đều kèm nguồn; bấm vào nguồn để mở đoạn đó trong kế hoạch."
        )
        turns = gr.State([])
        current = gr.State(None)
        with gr.Tab("Hỏi đáp", id="chat"):
            with gr.Row():
                scope = gr.Dropdown(scope_choices(metas), value="", label="Tỉnh / huyện", scale=1)
                plan = gr.Dropdown(plan_choices(metas), value="", label="Kế hoạch", scale=2)
            with gr.Row(equal_height=False):
                with gr.Column(scale=3):
                    chat = gr.Chatbot(
                        label="Hội thoại",
                        height=480,
                        latex_delimiters=[],
                        elem_id="tlkh-chat",
                        feedback_options=("Like", "Dislike"),
                        buttons=["copy"],
                        placeholder="Đặt câu hỏi về các kế hoạch đã nạp.",
                    )
                    with gr.Row():
                        msg = gr.Textbox(
                            placeholder="Ví dụ: Sở nào chủ trì …?",
                            show_label=False,
                            scale=5,
                            elem_id="tlkh-question",
                            max_length=settings.max_question_chars * 10,
                        )
                        ask_btn = gr.Button("Hỏi", variant="primary", scale=1, elem_id="tlkh-ask")
                    gr.Examples(example_questions(units, metas), inputs=msg, label="Câu hỏi mẫu")
                    clear = gr.Button("Cuộc hội thoại mới", size="sm")
                with gr.Column(scale=2):
                    gr.Markdown("### Nguồn")
                    sources = gr.HTML(sources_html(None), js_on_load=_SOURCES_JS, elem_id="tlkh-sources")
                    gr.Markdown("### Đoạn trong kế hoạch")
                    ctx = gr.HTML(
                        CONTEXT_HINT, js_on_load=_CONTEXT_JS, elem_id="tlkh-context", max_height=420
                    )
                    with gr.Accordion("Góp ý về câu trả lời đang xem", open=False):
                        comment = gr.Textbox(label="Góp ý thêm (không bắt buộc)", lines=2, max_length=2000)
                        with gr.Row():
                            fb_buttons = {
                                r: gr.Button(label, size="sm") for r, label in RATING_LABELS.items()
                            }
                        fb_status = gr.Markdown()
                    with gr.Accordion("Sao chép câu trả lời kèm nguồn", open=False):
                        copy_box = gr.Textbox(
                            label="Câu trả lời kèm nguồn",
                            lines=8,
                            buttons=["copy"],
                            interactive=False,
                            elem_id="tlkh-copy",
                        )
                    with gr.Accordion("JSON (cho lập trình viên)", open=False):
                        answer_json = gr.JSON(label="Answer (schema 1)")
        with gr.Tab("Kế hoạch đã nạp", id="plans"):
            plans_table = gr.Dataframe(
                plan_rows(metas),
                headers=PLAN_HEADERS,
                interactive=False,
                wrap=True,
                elem_id="tlkh-plans",
                column_widths=["17%", "33%", "10%", "8%", "14%", "12%", "6%"],
            )
            gr.Markdown(
                "**Quản trị viên**: nạp hoặc gỡ kế hoạch cần mật khẩu quản trị."
                + ("" if settings.admin_password else " _(Đang tắt: chưa đặt mật khẩu quản trị.)_")
            )
            password = gr.Textbox(label="Mật khẩu quản trị", type="password", elem_id="tlkh-admin-pw")
            with gr.Row():
                with gr.Column():
                    up_file = gr.File(
                        label="Tệp kế hoạch (PDF, DOCX, TXT, MD)",
                        type="filepath",
                        file_types=[".pdf", ".docx", ".txt", ".md"],
                        elem_id="tlkh-upload",
                    )
                    up_btn = gr.Button("Nạp kế hoạch", variant="primary", elem_id="tlkh-upload-btn")
                with gr.Column():
                    rm_doc = gr.Dropdown(
                        [(f"{m.doc} — {m.title}"[:120], m.doc) for m in metas],
                        value=None,
                        label="Kế hoạch cần gỡ",
                    )
                    rm_btn = gr.Button("Gỡ kế hoạch", variant="stop")
            admin_status = gr.Textbox(label="Kết quả", interactive=False, elem_id="tlkh-admin-status")
        with gr.Tab("Tra cứu theo đơn vị", id="units"):
            unit = gr.Dropdown(
                unit_choices(units),
                value=None,
                label="Đơn vị (tên chuẩn — tỉnh (tên khác))",
                filterable=True,
                elem_id="tlkh-unit",
            )
            tasks_table = gr.Dataframe(
                headers=TASK_HEADERS,
                interactive=False,
                wrap=True,
                elem_id="tlkh-tasks",
                column_widths=["20%", "22%", "48%", "10%"],
            )
            with gr.Row():
                csv_file = gr.File(label="Tải CSV", interactive=False)
                xlsx_file = gr.File(label="Tải Excel (XLSX)", interactive=False)

        chat_outputs = [msg, chat, answer_json, sources, ctx, copy_box, turns, current]
        for trigger in (msg.submit, ask_btn.click):
            trigger(
                respond,
                [msg, chat, scope, plan, turns],
                chat_outputs,
                api_name="ask" if trigger == msg.submit else None,
                api_visibility="public" if trigger == msg.submit else "private",
            )
        clear.click(
            lambda: ([], [], None, sources_html(None), CONTEXT_HINT, "", None),
            None,
            [chat, turns, answer_json, sources, ctx, copy_box, current],
            api_visibility="private",
        )
        chat.select(select_answer, [turns], [sources, ctx, copy_box, current], api_visibility="private")
        chat.like(quick_feedback, [turns], [fb_status], api_visibility="private")
        sources.click(open_source, [current], [ctx], api_visibility="private")
        for rating, btn in fb_buttons.items():
            btn.click(
                lambda c, cur, t, r=rating: send_feedback(r, c, cur, t),
                [comment, current, turns],
                [fb_status, comment],
                api_visibility="private",
            )
        admin_outputs = [admin_status, up_file, plans_table, scope, plan, rm_doc, unit]
        up_btn.click(
            upload,
            [password, up_file],
            admin_outputs,
            api_visibility="private",
            show_progress_on=[admin_status],
            preprocess=False,  # see upload(): the password first, then only the client's own bytes
        )
        rm_btn.click(
            remove,
            [password, rm_doc],
            admin_outputs,
            api_visibility="private",
            show_progress_on=[admin_status],
        )
        unit.change(unit_view, [unit], [tasks_table, csv_file, xlsx_file], api_visibility="private")
    demo.queue(default_concurrency_limit=settings.concurrency)
    return demo


def uploaded_file(file_data) -> tuple[Path, str] | None:
    """(path, the client's file name) for a file the client uploaded, else None.

    Accepted only inside Gradio's upload folder, as a regular file (no symlink), so a
    FileData naming any other server path is refused without being read.
    """
    from gradio.utils import get_upload_folder

    if isinstance(file_data, dict):
        raw, original = file_data.get("path"), file_data.get("orig_name")
    else:  # a plain path (direct calls, older clients)
        raw, original = file_data, None
    if not isinstance(raw, str) or not raw:
        return None
    folder = Path(get_upload_folder()).resolve()
    given = Path(raw)
    if not given.is_absolute():
        given = folder / given
    try:
        if given.is_symlink():
            return None
        path = given.resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    if folder not in path.parents or not path.is_file():
        return None
    name = original if isinstance(original, str) and original.strip() else path.name
    return path, name
