"""Gradio Blocks UI (Vietnamese): chat with sources, loaded plans, lookup by unit.

Every handler calls the one ``Assistant`` and formats its result with
``assistant.ui_render`` (which escapes everything from plans and users).
Public Gradio endpoint for API clients: ``/ask`` (the chat submit itself).
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import gradio as gr

from .errors import AssistantError
from .feedback import RATING_LABELS, FeedbackStore
from .ui_admin import admin_handlers
from .ui_render import (
    PLAN_HEADERS,
    TASK_HEADERS,
    answer_markdown,
    context_html,
    copy_tag,
    copy_text,
    example_questions,
    export_tasks,
    filters_from,
    md_escape,
    more_tasks_unit,
    plan_choices,
    plan_label,
    plan_rows,
    plans_line,
    removal_choices,
    removal_question,
    scope_choices,
    sources_html,
    task_rows,
    unit_choices,
    unit_search,
)
from .uploads import uploaded_file
from .web.page import CONTEXT_HINT, CONTEXT_JS, CSS, HEAD, I18N, SOURCES_JS, mount_options

__all__ = ["build_ui", "mount_options", "uploaded_file", "CSS", "HEAD", "I18N"]


def build_ui(assistant, settings, admin_gate=None, *, preload: bool = True) -> gr.Blocks:
    """The UI; ``admin_gate`` is the server's one administrator check (``create_app`` passes the API's)."""
    from .login_guard import AdminGate

    store = FeedbackStore.for_settings(settings)
    export_dir = Path(tempfile.mkdtemp(prefix="tlkh-export-"))
    streaming = bool(getattr(settings, "llm", ""))
    gate = admin_gate or AdminGate(settings)

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
            chat[-1] = {
                "role": "assistant",
                "content": md_escape(e.user_message()) + copy_tag(e.user_message()),
            }
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
        yield "", chat, data, sources_html(data, plan_labels()), CONTEXT_HINT, copy_text(data), turns, data

    def plan_labels() -> dict[str, str]:
        return {m.doc: plan_label(m) for m in assistant.plans()}

    def select_answer(turns: list, current: dict | None, evt: gr.SelectData):
        """Clicking an answer in the chat shows its own sources."""
        idx = evt.index[0] if isinstance(evt.index, (list, tuple)) else evt.index
        for t in turns or []:
            if t["msg"] == idx or t["msg"] == idx + 1:
                if t["data"] is current or t["data"] == current:
                    break  # already shown: keep the passage the official may have opened
                html = sources_html(t["data"], plan_labels())
                return html, CONTEXT_HINT, copy_text(t["data"]), t["data"]
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
            return e.user_message(), gr.skip()
        return f"Đã ghi góp ý: {RATING_LABELS[rating]}. Cảm ơn!", ""

    def quick_feedback(turns: list, evt: gr.LikeData):
        idx = evt.index[0] if isinstance(evt.index, (list, tuple)) else evt.index
        # the newest turn at that position: a cleared chat starts counting positions again
        turn = next((t for t in reversed(turns or []) if t["msg"] == idx), None)
        if turn is None or evt.liked is None:
            return gr.skip()
        rating = "useful" if evt.liked is True else "not_useful"
        store.add(rating, turn["question"], turn["data"], filters=turn.get("filters"), origin="ui")
        return f"Đã ghi góp ý: {RATING_LABELS[rating]}. Cảm ơn!"

    # --- plans ------------------------------------------------------------------
    def plans_view():
        """Every list built from the loaded plans, read afresh: on page load, upload and removal."""
        metas = assistant.plans()
        units = assistant.units()
        return (
            plan_rows(metas),
            gr.Dropdown(choices=scope_choices(metas)),
            gr.Dropdown(choices=plan_choices(metas)),
            gr.Dropdown(choices=removal_choices(metas), value=None),
            gr.Dropdown(choices=unit_choices(units), value=None),
            gr.Dataset(samples=[[q] for q in example_questions(units, metas)]),
            plans_line(metas),
        )

    upload, remove = admin_handlers(assistant, settings, gate, plans_view)

    # --- units ------------------------------------------------------------------
    def unit_view(choice: str | None):
        if not choice:
            return [], None, None
        name, province = json.loads(choice)
        rows = task_rows(assistant.unit_tasks(name, province))
        csv_path, xlsx_path = export_tasks(export_dir, name, rows)
        return rows, str(csv_path), str(xlsx_path)

    # Without preload (a first start still indexing) the lists start empty; each page load fills them.
    metas = assistant.plans() if preload else []
    units = assistant.units() if preload else []

    # delete_cache: uploaded plans and exports do not linger in Gradio's cache folder.
    with gr.Blocks(title="Trợ lý Kế hoạch", delete_cache=(3600, 3600)) as demo:
        gr.Markdown(
            "## Trợ lý Kế hoạch\nHỏi đáp có trích dẫn trên các kế hoạch đã nạp. "
            "Mỗi câu trả lời đều kèm nguồn; bấm vào nguồn để mở đoạn đó trong kế hoạch."
        )
        loaded = gr.Markdown(plans_line(metas), elem_id="tlkh-loaded", elem_classes="tlkh-loaded")
        turns = gr.State([])
        current = gr.State(None)
        with gr.Tab("Hỏi đáp", id="chat"):
            with gr.Row(equal_height=False):
                with gr.Column(scale=3):
                    examples = gr.Dataset(
                        components=["textbox"],
                        samples=[[q] for q in example_questions(units, metas)],
                        label="Câu hỏi mẫu (bấm để hỏi)",
                        elem_id="tlkh-examples",
                        samples_per_page=6,
                    )
                    with gr.Row():
                        msg = gr.Textbox(
                            placeholder="Ví dụ: Sở nào chủ trì …?",
                            show_label=False,
                            scale=5,
                            elem_id="tlkh-question",
                            max_length=settings.max_question_chars * 10,
                        )
                        ask_btn = gr.Button(
                            "Hỏi", variant="primary", scale=1, elem_id="tlkh-ask", min_width=80
                        )
                    with gr.Row():
                        scope = gr.Dropdown(
                            scope_choices(metas),
                            value="",
                            label="Tỉnh / huyện",
                            scale=1,
                            elem_id="tlkh-scope",
                            info="Chỉ tìm trong kế hoạch của tỉnh, huyện này.",
                        )
                        plan = gr.Dropdown(
                            plan_choices(metas),
                            value="",
                            label="Kế hoạch",
                            scale=2,
                            elem_id="tlkh-plan",
                            info="Khi chọn một kế hoạch, chỉ tìm trong kế hoạch đó (bỏ qua lọc tỉnh).",
                        )
                    chat = gr.Chatbot(
                        label="Hội thoại",
                        height=460,
                        latex_delimiters=[],
                        elem_id="tlkh-chat",
                        feedback_options=("Like", "Dislike"),
                        buttons=["copy"],
                        placeholder="Đặt câu hỏi về các kế hoạch đã nạp, hoặc bấm một câu hỏi mẫu.",
                    )
                    like_status = gr.Markdown(elem_id="tlkh-like-status")
                    clear = gr.Button("Cuộc hội thoại mới", size="sm")
                with gr.Column(scale=2):
                    gr.Markdown("### Nguồn", elem_id="tlkh-sources-title")
                    sources = gr.HTML(sources_html(None), js_on_load=SOURCES_JS, elem_id="tlkh-sources")
                    gr.Markdown("### Đoạn trong kế hoạch")
                    ctx = gr.HTML(CONTEXT_HINT, js_on_load=CONTEXT_JS, elem_id="tlkh-context", max_height=420)
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
                        answer_json = gr.JSON(label="Câu trả lời (schema 1)")
        with gr.Tab("Kế hoạch", id="plans"):
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
                        removal_choices(metas), value=None, label="Kế hoạch cần gỡ", elem_id="tlkh-rm-doc"
                    )
                    rm_btn = gr.Button("Gỡ kế hoạch", variant="stop", elem_id="tlkh-rm-btn")
                    with gr.Group(visible=False, elem_id="tlkh-confirm") as confirm_box:
                        confirm_text = gr.Markdown()
                        with gr.Row():
                            rm_yes = gr.Button("Xác nhận gỡ", variant="stop", elem_id="tlkh-rm-yes")
                            rm_no = gr.Button("Hủy", elem_id="tlkh-rm-no")
            admin_status = gr.Textbox(label="Kết quả", interactive=False, elem_id="tlkh-admin-status")
        with gr.Tab("Đơn vị", id="units"):
            unit_query = gr.Textbox(
                label="Tìm đơn vị (gõ có dấu hoặc không dấu)",
                placeholder="Ví dụ: van hoa",
                elem_id="tlkh-unit-query",
            )
            unit = gr.Dropdown(
                unit_choices(units),
                value=None,
                label="Đơn vị (tên chuẩn — tỉnh · số nhiệm vụ)",
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

        def unit_for(answer: dict | None):
            """An answer that shortened a unit's task list prepares the unit tab for that unit."""
            unit_name = more_tasks_unit(answer)
            if unit_name is None:
                return gr.skip(), gr.skip()
            return unit_name, find_units(unit_name)

        for trigger in (msg.submit, ask_btn.click):
            trigger(
                respond,
                [msg, chat, scope, plan, turns],
                chat_outputs,
                api_name="ask" if trigger == msg.submit else None,
                api_visibility="public" if trigger == msg.submit else "private",
            ).then(unit_for, [current], [unit_query, unit], api_visibility="private")
        examples.click(lambda sample: sample[0], [examples], [msg], api_visibility="private").then(
            respond, [msg, chat, scope, plan, turns], chat_outputs, api_visibility="private"
        ).then(unit_for, [current], [unit_query, unit], api_visibility="private")

        def new_conversation():
            return [], [], None, sources_html(None), CONTEXT_HINT, "", None, ""

        reset_outputs = [chat, turns, answer_json, sources, ctx, copy_box, current, like_status]
        clear.click(new_conversation, None, reset_outputs, api_visibility="private")
        # the chat's own trash icon: the same reset, or a later 👍 lands on a cleared question
        chat.clear(new_conversation, None, reset_outputs, api_visibility="private")
        chat.select(
            select_answer, [turns, current], [sources, ctx, copy_box, current], api_visibility="private"
        )
        chat.like(quick_feedback, [turns], [like_status], api_visibility="private")
        sources.click(open_source, [current], [ctx], api_visibility="private")
        for rating, btn in fb_buttons.items():
            btn.click(
                lambda c, cur, t, r=rating: send_feedback(r, c, cur, t),
                [comment, current, turns],
                [fb_status, comment],
                api_visibility="private",
            )
        lists = [plans_table, scope, plan, rm_doc, unit, examples, loaded]
        # read when each page loads: a plan added or removed since (UI, API or CLI) shows at once
        demo.load(plans_view, None, lists, api_visibility="private")
        admin_outputs = [admin_status, up_file, *lists]
        up_btn.click(
            upload,
            [password, up_file],
            admin_outputs,
            api_visibility="private",
            show_progress_on=[admin_status],
            preprocess=False,  # see upload(): the password first, then only the client's own bytes
        )

        def ask_removal(doc: str | None):
            """First step of "Gỡ kế hoạch": say what will be removed and wait for a second click."""
            question = removal_question(doc)
            return gr.Group(visible=bool(doc)), question, "" if doc else "Hãy chọn kế hoạch cần gỡ."

        rm_btn.click(
            ask_removal, [rm_doc], [confirm_box, confirm_text, admin_status], api_visibility="private"
        )
        cancelled = (gr.Group(visible=False), "Đã hủy, không gỡ kế hoạch nào.")
        rm_no.click(lambda: cancelled, None, [confirm_box, admin_status], api_visibility="private")
        rm_yes.click(lambda: gr.Group(visible=False), None, [confirm_box], api_visibility="private").then(
            remove,
            [password, rm_doc],
            admin_outputs,
            api_visibility="private",
            show_progress_on=[admin_status],
        )

        def find_units(query: str):
            choices, value = unit_search(assistant.units(), query)
            return gr.Dropdown(choices=choices, value=value)

        unit_query.change(find_units, [unit_query], [unit], api_visibility="private")
        unit.change(unit_view, [unit], [tasks_table, csv_file, xlsx_file], api_visibility="private")
    demo.queue(default_concurrency_limit=settings.concurrency)
    return demo
