"""HTTP API over a real uvicorn server on loopback, called with httpx.

Two Assistants are used:
- ``real_assistant`` (conftest: real corpus, e5-small) for the ask contract, where the
  answer must actually be found;
- ``fast`` (a tmp copy of the corpus, the ``fake`` embedder) for access control, CORS,
  rate limits, uploads and unit lookups: those assertions do not depend on semantic
  retrieval quality (the upload check asks for a token that only the new plan contains,
  which the lexical side finds whatever the embedder).
"""

from __future__ import annotations

import base64
import hashlib
import re
import shutil
import uuid
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
from _live import LiveServer

from assistant.api import create_api
from assistant.api_access import RateLimiter
from assistant.settings import Settings

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
ADMIN = ("admin", "mật-khẩu-quản-trị")
ANSWER_KEYS = {
    "schema",
    "question",
    "answer",
    "refused",
    "intent",
    "units",
    "citations",
    "notice",
    "generator",
}
CITATION_KEYS = {
    "n",
    "passage_id",
    "doc",
    "title",
    "section",
    "text",
    "quote",
    "score",
    "related_only",
    "page",
    "kind",
}


@pytest.fixture(scope="module")
def fast(tmp_path_factory):
    from assistant.core import Assistant

    base = tmp_path_factory.mktemp("api")
    shutil.copytree(CORPUS, base / "corpus")  # uploads land in corpus_dir: never the repo's
    settings = Settings(
        corpus_dir=base / "corpus",
        index_dir=base / "index",
        data_dir=base / "data",
        embedder="fake",
        admin_user=ADMIN[0],
        admin_password=ADMIN[1],
    )
    assistant = Assistant(settings, build_if_missing=True)
    assert assistant.plans()  # build the index once for the module
    return assistant, settings


def serve(assistant, settings, networks=None, **update):
    kw = {} if networks is None else {"loopback_networks": networks}
    return LiveServer(create_api(assistant, settings.model_copy(update=update), **kw))


# --- the contract ---------------------------------------------------------------
@pytest.mark.slow
def test_ask_contract_matches_the_assistant(real_assistant, real_settings):
    question = "Đơn vị nào chủ trì thực hiện video clip quảng bá hình ảnh tỉnh Đồng Tháp?"
    real_assistant.plans()  # the lazy index build happens here, not inside the first request
    with serve(real_assistant, real_settings) as url:
        r = httpx.post(f"{url}/api/v1/ask", json={"question": question}, timeout=60)
        assert r.status_code == 200 and r.headers["content-type"].startswith("application/json")
        data = r.json()
        assert set(data) == ANSWER_KEYS and data["schema"] == 1 and list(data)[0] == "schema"
        assert data["question"] == question and data["refused"] is False and data["answer"].strip()
        assert set(data["units"]) == {"lead", "partners"} and data["units"]["lead"]
        assert data["citations"], data
        for i, c in enumerate(data["citations"], 1):
            assert set(c) == CITATION_KEYS and c["n"] == i and c["quote"] and c["quote"] in c["text"]
        assert any("video clip" in c["text"] for c in data["citations"])
        # the API is a faithful transport of Assistant.ask: same JSON as the CLI's --json
        assert data == real_assistant.ask(question).to_dict()
        # every cited passage can be opened in its plan's context
        pid = data["citations"][0]["passage_id"]
        ctx = httpx.get(f"{url}/api/v1/passages/{quote(pid, safe='')}/context", timeout=30).json()
        assert pid in [p["id"] for p in ctx["passages"]]
        # filters and history travel to the Assistant
        r = httpx.post(
            f"{url}/api/v1/ask",
            json={
                "question": question,
                "filters": {"province": "Đồng Nai"},
                "history": [{"role": "user", "content": "xin chào"}],
            },
            timeout=60,
        )
        assert r.status_code == 200
        assert all(c["doc"].startswith("dong-nai") for c in r.json()["citations"]), r.json()["citations"]


def test_errors_are_json_with_vietnamese_message(fast):
    assistant, settings = fast
    with serve(assistant, settings) as url:
        r = httpx.post(f"{url}/api/v1/ask", json={"question": "   "})
        assert r.status_code == 400 and r.json()["error"] == "bad_question" and r.json()["message"]
        r = httpx.post(f"{url}/api/v1/ask", json={"question": "x", "filters": {"màu": "đỏ"}})
        assert r.status_code == 400 and "bộ lọc" in r.json()["message"].lower()
        r = httpx.post(f"{url}/api/v1/ask", json={"hỏi": "thiếu trường question"})
        body = r.json()
        assert r.status_code == 422 and body["error"] == "bad_request" and "không hợp lệ" in body["message"]
        assert body["detail"][0]["loc"][-1] == "question"
        r = httpx.get(f"{url}/api/v1/passages/khong-co-doan-nay/context")
        assert r.status_code == 404 and r.json()["error"] == "passage_not_found"
        r = httpx.post(
            f"{url}/api/v1/ask",
            content=b'{"question": "' + b"a" * (2 << 20) + b'"}',
            headers={"content-type": "application/json"},
        )
        assert r.status_code == 413 and r.json()["error"] == "payload_too_large"

        def chunked():  # no Content-Length: counted as it arrives
            yield b'{"question": "'
            for _ in range(40):
                yield b"a" * 65536
            yield b'"}'

        r = httpx.post(f"{url}/api/v1/ask", content=chunked(), headers={"content-type": "application/json"})
        assert r.status_code == 413 and r.json()["error"] == "payload_too_large"
        assert httpx.get(f"{url}/healthz").json()["status"] == "ok"
        spec = httpx.get(f"{url}/openapi.json").json()
        assert {
            "/api/v1/ask",
            "/api/v1/plans",
            "/api/v1/units",
            "/api/v1/units/{unit}/tasks",
            "/api/v1/feedback",
            "/healthz",
        } <= set(spec["paths"])
        assert httpx.get(f"{url}/docs").status_code == 200


# --- access ---------------------------------------------------------------------
def test_no_key_configured_serves_loopback_only(fast):
    assistant, settings = fast
    with serve(assistant, settings) as url:  # 127.0.0.1 is loopback: served
        assert httpx.get(f"{url}/api/v1/plans").status_code == 200
    # the same real client, declared remote: refused with a clear message
    with serve(assistant, settings, networks=[]) as url:
        r = httpx.get(f"{url}/api/v1/plans")
        body = r.json()
        assert r.status_code == 403 and body["error"] == "forbidden"
        assert "chưa cấu hình khóa API" in body["message"] and "loopback" in body["message_en"]
        assert "X-API-Key" in body["hint"]
        r = httpx.post(f"{url}/api/v1/ask", json={"question": "Ai ký kế hoạch?"}, headers={"X-API-Key": "x"})
        assert r.status_code == 403
        assert httpx.get(f"{url}/healthz").status_code == 200  # health stays open for load balancers


def test_api_keys_required_and_checked(fast):
    assistant, settings = fast
    with serve(assistant, settings, networks=[], api_keys=["khoa-portal-1", "khoa-portal-2"]) as url:
        r = httpx.get(f"{url}/api/v1/plans")
        assert r.status_code == 401 and "X-API-Key" in r.json()["message"]
        r = httpx.get(f"{url}/api/v1/plans", headers={"X-API-Key": "khoa-portal-1x"})
        assert r.status_code == 401 and r.json()["message"] == "Khóa API không hợp lệ."
        for key in ("khoa-portal-1", "khoa-portal-2"):
            r = httpx.get(f"{url}/api/v1/plans", headers={"X-API-Key": key})
            assert r.status_code == 200 and r.json()["plans"]
    # with keys configured, loopback clients need one too (a local reverse proxy is not a bypass)
    with serve(assistant, settings, api_keys=["k"]) as url:
        assert httpx.get(f"{url}/api/v1/plans").status_code == 401


def test_cors_allow_list(fast):
    assistant, settings = fast
    portal, other = "https://cong.dongthap.gov.vn", "https://evil.example"
    with serve(assistant, settings, cors_origins=[portal]) as url:
        r = httpx.get(f"{url}/api/v1/units", headers={"Origin": portal})
        assert r.status_code == 200 and r.headers["access-control-allow-origin"] == portal
        r = httpx.get(f"{url}/api/v1/units", headers={"Origin": other})
        assert "access-control-allow-origin" not in r.headers
        pre = {
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "x-api-key, content-type",
        }
        r = httpx.options(f"{url}/api/v1/ask", headers={"Origin": portal, **pre})
        assert r.status_code == 200 and r.headers["access-control-allow-origin"] == portal
        assert "x-api-key" in r.headers["access-control-allow-headers"].lower()
        r = httpx.options(f"{url}/api/v1/ask", headers={"Origin": other, **pre})
        assert r.status_code == 400 and "access-control-allow-origin" not in r.headers
        # the widget may be framed by the allowed portal only
        csp = httpx.get(f"{url}/widget").headers["content-security-policy"]
        assert re.search(r"frame-ancestors 'self' https://cong\.dongthap\.gov\.vn(;|$)", csp)


def test_rate_limit_429_per_key(fast):
    assistant, settings = fast
    with serve(
        assistant, settings, rate_limit_per_minute=3, api_keys=["a", "b"], cors_origins=["https://p.vn"]
    ) as url:
        ok = [httpx.get(f"{url}/api/v1/plans", headers={"X-API-Key": "a"}).status_code for _ in range(3)]
        assert ok == [200, 200, 200]
        r = httpx.get(f"{url}/api/v1/plans", headers={"X-API-Key": "a", "Origin": "https://p.vn"})
        body = r.json()
        assert r.status_code == 429 and body["error"] == "rate_limited"
        assert "tối đa 3 yêu cầu mỗi phút" in body["message"]
        assert 1 <= int(r.headers["retry-after"]) <= 20
        # a portal's script can read the reason and the delay
        assert r.headers["access-control-allow-origin"] == "https://p.vn"
        assert "retry-after" in r.headers["access-control-expose-headers"].lower()
        # another key has its own bucket
        assert httpx.get(f"{url}/api/v1/plans", headers={"X-API-Key": "b"}).status_code == 200


def test_token_bucket_refills():
    now = [0.0]
    rl = RateLimiter(60, clock=lambda: now[0], max_clients=3)
    assert all(rl.acquire("x") == 0 for _ in range(60))
    assert rl.acquire("x") == pytest.approx(1.0)
    now[0] += 1.0
    assert rl.acquire("x") == 0 and rl.acquire("x") > 0
    for i in range(10):  # many identities: memory stays bounded
        rl.acquire(f"client{i}")
    assert len(rl._buckets) <= 3


# --- administration and lookups ---------------------------------------------------
def test_upload_lists_answers_and_removes_plan(fast):
    assistant, settings = fast
    token = "Zq" + uuid.uuid4().hex[:8]  # a word no plan contains
    plan = (
        f"ỦY BAN NHÂN DÂN TỈNH ĐỒNG THÁP\nSố: 77/KH-UBND\n\nKẾ HOẠCH\nThử nghiệm nạp kế hoạch {token}\n\n"
        f"I. NHIỆM VỤ\n1. Xây dựng kho dữ liệu {token} về di tích\n"
        f"Sở Văn hóa, Thể thao và Du lịch chủ trì xây dựng kho dữ liệu {token} trước ngày 30/6/2025.\n"
    )
    files = {"file": ("ke-hoach-thu.txt", plan.encode("utf-8"), "text/plain")}
    with serve(assistant, settings) as url:
        r = httpx.post(f"{url}/api/v1/plans", files=files)
        assert r.status_code == 401 and r.headers["www-authenticate"].startswith("Basic")
        r = httpx.post(f"{url}/api/v1/plans", files=files, auth=(ADMIN[0], "sai"))
        assert r.status_code == 401
        r = httpx.post(f"{url}/api/v1/plans", files=files, auth=ADMIN, timeout=120)
        assert r.status_code == 201, r.text
        doc = r.json()["doc"]
        assert r.json()["passage_count"] > 0
        listed = {p["doc"]: p for p in httpx.get(f"{url}/api/v1/plans").json()["plans"]}
        assert doc in listed and len(listed) == 6
        ans = httpx.post(
            f"{url}/api/v1/ask",
            json={"question": f"Kho dữ liệu {token} phải xong trước ngày nào?"},
            timeout=60,
        ).json()
        assert ans["citations"] and ans["citations"][0]["doc"] == doc and token in ans["citations"][0]["text"]
        assert "30/6/2025" in ans["answer"]
        r = httpx.delete(f"{url}/api/v1/plans/{doc}", auth=ADMIN, timeout=120)
        assert r.status_code == 200 and r.json()["removed"] == doc
        assert doc not in {p["doc"] for p in httpx.get(f"{url}/api/v1/plans").json()["plans"]}
        # a bad file is refused with the document error, and the plans stay as they were
        r = httpx.post(
            f"{url}/api/v1/plans", auth=ADMIN, files={"file": ("rong.pdf", b"", "application/pdf")}
        )
        assert r.status_code == 422 and r.json()["message"]
        assert len(httpx.get(f"{url}/api/v1/plans").json()["plans"]) == 5
    with serve(assistant, settings, max_upload_mb=0.01) as url:
        big = {"file": ("lon.txt", b"a" * 20_000, "text/plain")}
        r = httpx.post(f"{url}/api/v1/plans", files=big, auth=ADMIN)
        assert r.status_code == 413 and r.json()["error"] in ("file_too_large", "payload_too_large")
    with serve(assistant, settings, admin_password="") as url:
        r = httpx.post(f"{url}/api/v1/plans", files=files, auth=ADMIN)
        assert r.status_code == 403 and "quản trị đang tắt" in r.json()["message"]


def test_unit_task_lookup(fast):
    assistant, settings = fast
    with serve(assistant, settings) as url:
        units = httpx.get(f"{url}/api/v1/units").json()["units"]
        assert units and all(
            {"name", "province", "aliases", "lead_count", "partner_count"} <= set(u) for u in units
        )
        # a name with a comma and "và" travels in the path, percent-encoded
        leads = [u for u in units if u["lead_count"] > 0]
        unit = next((u for u in leads if "," in u["name"]), leads[0])
        r = httpx.get(
            f"{url}/api/v1/units/{quote(unit['name'], safe='')}/tasks",
            params={"province": unit["province"]} if unit["province"] else None,
        )
        body = r.json()
        assert r.status_code == 200 and body["unit"] == unit["name"]
        roles = [t["role"] for t in body["tasks"]]
        assert roles.count("lead") == unit["lead_count"] and roles.count("partner") == unit["partner_count"]
        for t in body["tasks"]:
            assert {"doc", "section", "text", "role", "passage_id"} <= set(t)
            assert assistant.passage(t["passage_id"]).text == t["text"]


def test_feedback_endpoint_appends(fast):
    assistant, settings = fast
    from assistant.feedback import FeedbackStore

    with serve(assistant, settings) as url:
        ans = httpx.post(f"{url}/api/v1/ask", json={"question": "Ai ký kế hoạch 183?"}, timeout=60).json()
        r = httpx.post(
            f"{url}/api/v1/feedback",
            json={
                "rating": "wrong_source",
                "question": ans["question"],
                "answer": ans,
                "comment": "nguồn không đúng",
            },
        )
        assert r.status_code == 201
        r2 = httpx.post(f"{url}/api/v1/feedback", json={"rating": "tuyệt", "question": "x"})
        assert r2.status_code == 422
    recs = FeedbackStore.for_settings(settings).read().records
    rec = next(x for x in recs if x["id"] == r.json()["id"])
    assert rec["origin"] == "api" and rec["comment"] == "nguồn không đúng"
    assert [c["passage_id"] for c in rec["citations"]] == [c["passage_id"] for c in ans["citations"]]


def test_widget_page_is_locked_down(fast):
    assistant, settings = fast
    with serve(assistant, settings) as url:
        r = httpx.get(f"{url}/widget")
        assert r.status_code == 200 and "Trợ lý Kế hoạch" in r.text
        csp = r.headers["content-security-policy"]
        script = re.search(r"<script>(.*?)</script>", r.text, re.S).group(1)
        digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
        assert f"script-src 'sha256-{digest}'" in csp and "default-src 'none'" in csp
        assert "innerHTML" not in script  # server text is only ever inserted as text
