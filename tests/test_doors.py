"""The two doors portals and agents plug into, tested with their real clients.

- the OpenAI door (``/v1/chat/completions``, ``/v1/models``): the ``openai`` Python client,
  plain and streaming, LangChain's ``ChatOpenAI``, and raw SSE read with httpx;
- the MCP door: the official ``mcp`` client over stdio (``python -m assistant mcp`` as a
  subprocess) and over streamable HTTP at ``/mcp`` on a real uvicorn server.

The answers come from ``real_assistant`` (the bundled corpus, e5-small); each test checks the unit
in the answer and that the citations are the records ``/api/v1/ask`` returns. Access control and
error shapes use the ``fake`` embedder (they do not depend on retrieval quality).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import anyio
import httpx
import openai
import pytest
from _live import LiveServer
from langchain_openai import ChatOpenAI
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client
from mcp.client.streamable_http import streamable_http_client

from assistant.api import create_api
from assistant.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
QUESTION = "Sở nào chủ trì xây dựng mô hình Làng thông minh?"
UNIT = "Sở Khoa học và Công nghệ"
KEY = "khoa-cong-thong-tin-1"
MODEL = "tro-ly-ke-hoach"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def expected(real_assistant):
    """What /api/v1/ask says for the question: the doors must carry exactly this."""
    ans = real_assistant.ask(QUESTION).to_dict()
    assert not ans["refused"] and UNIT in ans["units"]["lead"], ans
    return ans


@pytest.fixture(scope="module")
def live(real_assistant, real_settings):
    """The API on loopback with an API key configured (so the key is really checked)."""
    settings = real_settings.model_copy(update={"api_keys": [KEY]})
    with LiveServer(create_api(real_assistant, settings)) as url:
        yield url


def _check_citations(cites, expected):
    assert cites == expected["citations"]  # the same records as /api/v1/ask
    for c in cites:
        assert c["quote"] and c["quote"] in c["text"]


# --- the OpenAI door -----------------------------------------------------------------------------------
def test_openai_client_plain(live, expected):
    client = openai.OpenAI(base_url=f"{live}/v1", api_key=KEY, max_retries=0)
    assert MODEL in [m.id for m in client.models.list()]
    resp = client.chat.completions.create(
        model=MODEL, messages=[{"role": "user", "content": QUESTION}], temperature=0.2, max_tokens=500
    )
    text = resp.choices[0].message.content
    assert UNIT in text and "[1]" in text and "Nguồn:" in text
    assert resp.choices[0].finish_reason == "stop" and resp.model == MODEL
    extra = resp.model_extra["answer"]
    assert extra["refused"] is False and UNIT in extra["units"]["lead"]
    _check_citations(extra["citations"], expected)
    # the same answer as /api/v1/ask, with X-API-Key as well as Bearer
    r = httpx.post(f"{live}/api/v1/ask", json={"question": QUESTION}, headers={"X-API-Key": KEY}, timeout=60)
    assert r.json()["citations"] == extra["citations"] and r.json()["answer"] in text
    # every citation's plan is in the short sources list
    for c in extra["citations"]:
        assert f"[{c['n']}]" in text and c["doc"] in text


def test_openai_client_streaming(live, expected):
    client = openai.OpenAI(base_url=f"{live}/v1", api_key=KEY, max_retries=0)
    stream = client.chat.completions.create(
        model=MODEL, messages=[{"role": "user", "content": QUESTION}], stream=True
    )
    chunks = list(stream)
    text = "".join(c.choices[0].delta.content or "" for c in chunks)
    assert UNIT in text and "[1]" in text
    assert chunks[-1].choices[0].finish_reason == "stop"
    _check_citations(chunks[-1].model_extra["answer"]["citations"], expected)
    # the same text as the plain reply
    plain = client.chat.completions.create(model=MODEL, messages=[{"role": "user", "content": QUESTION}])
    assert text == plain.choices[0].message.content


def test_raw_sse_ends_with_done(live, expected):
    body = {"model": MODEL, "stream": True, "messages": [{"role": "user", "content": QUESTION}]}
    with httpx.stream(
        "POST",
        f"{live}/v1/chat/completions",
        json=body,
        headers={"Authorization": f"Bearer {KEY}"},
        timeout=60,
    ) as r:
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/event-stream")
        events = [line[len("data: ") :] for line in r.iter_lines() if line.startswith("data: ")]
    assert events[-1] == "[DONE]" and events.count("[DONE]") == 1
    chunks = [json.loads(e) for e in events[:-1]]
    assert all(c["object"] == "chat.completion.chunk" for c in chunks)
    assert chunks[0]["choices"][0]["delta"]["role"] == "assistant"
    assert "answer" in chunks[-1] and all("answer" not in c for c in chunks[:-1])
    _check_citations(chunks[-1]["answer"]["citations"], expected)


def test_langchain_chat_openai(live, expected):
    llm = ChatOpenAI(base_url=f"{live}/v1", api_key=KEY, model=MODEL, temperature=0, max_retries=0)
    msg = llm.invoke([("system", "Bạn là trợ lý."), ("human", QUESTION)])
    assert UNIT in msg.content and "[1]" in msg.content
    assert expected["citations"][0]["doc"] in msg.content
    streamed = "".join(chunk.content for chunk in llm.stream(QUESTION))
    assert streamed == msg.content


def test_conversation_history_reaches_the_assistant(live, real_assistant):
    """Earlier turns are the conversation, as in the UI: a follow-up in another province."""
    first = "Sở nào chủ trì quảng bá video clip?"
    follow = "Còn Đồng Nai thì sao?"
    history = [{"role": "user", "content": first}, {"role": "assistant", "content": "…"}]
    want = real_assistant.ask(follow, history=history).to_dict()
    client = openai.OpenAI(base_url=f"{live}/v1", api_key=KEY, max_retries=0)
    resp = client.chat.completions.create(
        model=MODEL,
        messages=[
            {"role": "system", "content": "Trả lời ngắn."},
            *history,
            {"role": "user", "content": follow},
        ],
    )
    assert resp.model_extra["answer"] == want
    # without the history the follow-up alone is a different question
    alone = real_assistant.ask(follow).to_dict()
    assert alone["answer"] != want["answer"]


def test_refusal_is_an_ordinary_answer(live):
    client = openai.OpenAI(base_url=f"{live}/v1", api_key=KEY, max_retries=0)
    resp = client.chat.completions.create(
        model=MODEL,
        messages=[{"role": "user", "content": "Giá vé máy bay đi Hà Nội tháng sau là bao nhiêu?"}],
    )
    extra = resp.model_extra["answer"]
    assert extra["refused"] is True
    assert resp.choices[0].message.content.startswith(extra["answer"].strip())


# --- access and errors on the OpenAI door (fake embedder) ----------------------------------------------
@pytest.fixture(scope="module")
def fast(tmp_path_factory):
    from assistant.core import Assistant

    base = tmp_path_factory.mktemp("doors")
    settings = Settings(
        corpus_dir=ROOT / "corpus", index_dir=base / "index", data_dir=base / "data", embedder="fake"
    )
    a = Assistant(settings, build_if_missing=True)
    assert a.plans()
    return a, settings


def test_openai_errors_keys_and_rate_limit(fast):
    a, settings = fast
    s = settings.model_copy(update={"api_keys": [KEY], "rate_limit_per_minute": 3})
    with LiveServer(create_api(a, s)) as url:
        bad = openai.OpenAI(base_url=f"{url}/v1", api_key="sai", max_retries=0)
        with pytest.raises(openai.AuthenticationError) as e:
            bad.models.list()
        err = e.value.body
        assert err["type"] == "authentication_error" and err["code"] == "unauthorized" and err["message"]
        r = httpx.get(f"{url}/v1/models")  # no key at all
        assert r.status_code == 401 and r.json()["error"]["type"] == "authentication_error"
        good = openai.OpenAI(base_url=f"{url}/v1", api_key=KEY, max_retries=0)
        with pytest.raises(openai.BadRequestError) as e:  # whitespace-only question
            good.chat.completions.create(model=MODEL, messages=[{"role": "user", "content": "   "}])
        assert e.value.body["code"] == "bad_question"
        with pytest.raises(openai.UnprocessableEntityError):  # not a message list
            good.chat.completions.create(model=MODEL, messages="xin chào")  # type: ignore[arg-type]
        with pytest.raises(openai.RateLimitError) as e:  # the same bucket as /api/v1 (3 per minute)
            for _ in range(3):
                good.models.list()
        assert e.value.response.headers["retry-after"].isdigit()
        r = httpx.get(f"{url}/api/v1/plans", headers={"X-API-Key": KEY})
        assert r.status_code == 429 and r.json()["error"] == "rate_limited"


def test_bearer_key_and_405_through_the_full_app(fast):
    """With the UI mounted at "/": Bearer keys reach /v1 and /mcp, and a wrong method is 405, not the UI's 404."""
    from assistant.api import create_app

    a, settings = fast
    s = settings.model_copy(update={"api_keys": [KEY]})
    with LiveServer(create_app(a, s, loopback_networks=["10.255.255.0/24"])) as url:  # 127.0.0.1 is "remote"
        r = httpx.get(f"{url}/v1/models", headers={"Authorization": f"Bearer {KEY}"})
        assert r.status_code == 200 and r.json()["data"][0]["id"] == MODEL
        assert httpx.get(f"{url}/v1/models").status_code == 401
        for method, path in [
            ("TRACE", "/api/v1/ask"),
            ("PUT", "/v1/chat/completions"),
            ("DELETE", "/healthz"),
        ]:
            r = httpx.request(method, url + path, headers={"X-API-Key": KEY})
            assert r.status_code == 405 and r.headers["allow"], (method, path, r.status_code)
        assert "error" in httpx.request("TRACE", f"{url}/v1/models").json()


# --- the MCP door --------------------------------------------------------------------------------------
async def _exercise(session: ClientSession, expected) -> None:
    init = await session.initialize()
    assert init.serverInfo.name == MODEL
    tools = {t.name: t for t in (await session.list_tools()).tools}
    assert {"ask", "search", "list_plans", "unit_tasks", "passage"} <= set(tools)
    assert tools["ask"].outputSchema and "citations" in tools["ask"].outputSchema["properties"]
    assert "question" in tools["ask"].inputSchema["required"]

    res = await session.call_tool("ask", {"question": QUESTION})
    assert not res.isError
    out = res.structuredContent
    assert out["answer"] == expected["answer"] and UNIT in out["units"]["lead"]
    assert out["citations"] == expected["citations"]

    res = await session.call_tool("search", {"query": "mô hình Làng thông minh", "k": 3})
    hits = res.structuredContent["passages"]
    assert 1 <= len(hits) <= 3 and any("Làng thông minh" in h["text"] for h in hits)
    assert all(isinstance(h["score"], float) for h in hits)

    plans = (await session.call_tool("list_plans", {})).structuredContent["plans"]
    docs = {p["doc"] for p in plans}
    assert expected["citations"][0]["doc"] in docs

    res = await session.call_tool("unit_tasks", {"unit": "Sở KH&CN", "province": "Đồng Tháp"})
    tasks = res.structuredContent["tasks"]
    assert res.structuredContent["unit"] == UNIT and any("Làng thông minh" in t["text"] for t in tasks)

    pid = expected["citations"][0]["passage_id"]
    res = await session.call_tool("passage", {"id": pid, "neighbours": 1})
    assert res.structuredContent["passage"]["id"] == pid
    bad = await session.call_tool("passage", {"id": "khong-co-doan-nay"})
    assert bad.isError and "Không tìm thấy" in bad.content[0].text

    resources = (await session.list_resources()).resources
    assert {r.name for r in resources} == docs
    doc = expected["citations"][0]["doc"]
    uri = next(r.uri for r in resources if r.name == doc)
    text = (await session.read_resource(uri)).contents[0].text
    assert "Làng thông minh" in text and expected["citations"][0]["quote"] in text


def test_mcp_over_stdio(real_settings, expected, real_assistant):
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "TLKH_CORPUS_DIR": str(real_settings.corpus_dir),
        "TLKH_INDEX_DIR": str(real_settings.index_dir),
        "TLKH_DATA_DIR": str(real_settings.data_dir),
        "TLKH_EMBEDDER": real_settings.embedder,
    }
    params = StdioServerParameters(
        command=sys.executable, args=["-m", "assistant", "mcp"], env=env, cwd=str(ROOT)
    )

    async def main():
        async with stdio_client(params) as (read, write), ClientSession(read, write) as session:
            await _exercise(session, expected)

    anyio.run(main)


def test_mcp_over_http_behind_the_keys(live, expected):
    async def main():
        auth = httpx.AsyncClient(headers={"Authorization": f"Bearer {KEY}"}, timeout=120)
        async with (
            auth,
            streamable_http_client(f"{live}/mcp", http_client=auth) as (read, write, _),
            ClientSession(read, write) as session,
        ):
            await _exercise(session, expected)

    anyio.run(main)
    init = {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {}}
    for headers in ({}, {"Authorization": "Bearer sai"}, {"X-API-Key": "sai"}):
        r = httpx.post(f"{live}/mcp", json=init, headers=headers)
        assert r.status_code == 401 and r.json()["error"] == "unauthorized"
