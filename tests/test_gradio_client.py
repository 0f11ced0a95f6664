"""gradio_client calls the chat endpoint ("/ask") and gets the same citations as POST /api/v1/ask.

Real app (API + Gradio UI) under uvicorn on loopback, over the real corpus with the real
embedder (session fixture ``real_assistant``): nothing is uploaded, so the repo corpus is safe.
"""

from __future__ import annotations

import html

import httpx
import pytest
from _live import LiveServer

pytestmark = pytest.mark.slow

QUESTIONS = [
    ("Đơn vị nào chủ trì thực hiện video clip quảng bá hình ảnh tỉnh Đồng Tháp?", None),
    ("Sở nào chủ trì tuyên truyền trên mạng xã hội?", "Đồng Nai"),
]


@pytest.fixture(scope="module")
def app_url(real_assistant, real_settings):
    from assistant.api import create_app

    real_assistant.plans()  # build the lazy index before the server starts answering
    with LiveServer(create_app(real_assistant, real_settings)) as url:
        yield url


def test_gradio_client_gets_the_api_citations(app_url, real_assistant):
    from gradio_client import Client

    from assistant.ui_render import scope_choices

    client = Client(app_url + "/", verbose=False)
    assert "/ask" in client.view_api(print_info=False, return_format="dict")["named_endpoints"]
    scopes = dict(scope_choices(real_assistant.plans()))
    for question, province in QUESTIONS:
        scope = scopes[province] if province else ""
        msg, chat, answer, sources_html, context, copy = client.predict(
            question, [], scope, "", api_name="/ask"
        )
        body = {"question": question, **({"filters": {"province": province}} if province else {})}
        api = httpx.post(f"{app_url}/api/v1/ask", json=body, timeout=60).json()
        assert answer["schema"] == 1 and answer["citations"], answer
        assert [c["passage_id"] for c in answer["citations"]] == [c["passage_id"] for c in api["citations"]]
        assert [c["quote"] for c in answer["citations"]] == [c["quote"] for c in api["citations"]]
        assert answer["answer"] == api["answer"]
        # what the official sees is built from the same JSON
        assert all(f"data-pid='{html.escape(c['passage_id'])}'" in sources_html for c in api["citations"])
        assert chat[-1]["role"] == "assistant" and msg == "" and "Bấm vào một nguồn" in context
        assert copy.startswith(api["answer"].strip())
