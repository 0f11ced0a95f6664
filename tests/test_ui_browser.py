"""Real-browser end-to-end: Debian's Chromium, driven by Playwright, against the real app.

The app runs in-process under uvicorn on a free loopback port, over a tmp copy of the
corpus (uploads are written into corpus_dir) with the real embedder (e5-small).
Screenshots go to $ARTIFACTS_DIR (or a tmp folder printed in the log).
"""

from __future__ import annotations

import io
import os
import shutil
import uuid
from pathlib import Path

import httpx
import pytest
from _live import LiveServer

CHROMIUM = Path("/usr/bin/chromium")
CORPUS = Path(__file__).resolve().parent.parent / "corpus"
ADMIN_PASSWORD = "mật-khẩu-trình-duyệt"
QUESTION = "Đơn vị nào chủ trì thực hiện video clip quảng bá hình ảnh tỉnh Đồng Tháp?"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="needs Debian's Chromium at /usr/bin/chromium "
        "(apt-get install chromium; scripts/setup.sh --test does it)",
    ),
]


@pytest.fixture(scope="module")
def artifacts(tmp_path_factory) -> Path:
    d = (
        Path(os.environ["ARTIFACTS_DIR"])
        if os.environ.get("ARTIFACTS_DIR")
        else tmp_path_factory.mktemp("shots")
    )
    d.mkdir(parents=True, exist_ok=True)
    print(f"screenshots: {d}")
    return d


@pytest.fixture(scope="module")
def app(tmp_path_factory, real_assistant, real_settings):
    from assistant.api import create_app
    from assistant.core import Assistant
    from assistant.settings import Settings

    base = tmp_path_factory.mktemp("browser")
    shutil.copytree(CORPUS, base / "corpus")
    if Path(real_settings.data_dir).exists():  # reuse the session's embedding cache: same texts, same vectors
        shutil.copytree(real_settings.data_dir, base / "data")
    settings = Settings(
        corpus_dir=base / "corpus",
        index_dir=base / "index",
        data_dir=base / "data",
        embedder="e5-small",
        admin_password=ADMIN_PASSWORD,
    )
    assistant = Assistant(settings, build_if_missing=True)
    assistant.plans()
    with LiveServer(create_app(assistant, settings)) as url:
        yield url, assistant, settings


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield b
        b.close()


@pytest.fixture
def page(browser, app):
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="vi-VN")
    pg = ctx.new_page()
    pg.dialogs = []
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))
    pg.set_default_timeout(180_000)  # generous: CI shares 2 cores; uploads embed while other tests run
    pg.goto(app[0] + "/", wait_until="load")
    pg.wait_for_selector("#tlkh-question textarea")
    yield pg
    ctx.close()


def ask(pg, question: str) -> None:
    """Type a question, send it, wait until its answer bubble and its sources are shown."""
    rows = pg.locator("#tlkh-chat .message-row").count()
    pg.fill("#tlkh-question textarea", question)
    pg.click("#tlkh-ask")
    pg.wait_for_function(
        """n => {
        const rows = document.querySelectorAll('#tlkh-chat .message-row');
        const last = rows[rows.length - 1];
        return rows.length >= n + 2 && last.classList.contains('bot-row') && last.innerText.trim() !== '…';
    }""",
        arg=rows,
    )
    pg.wait_for_selector("#tlkh-sources .tlkh-src, #tlkh-sources .tlkh-empty")


def last_answer(pg):
    return pg.locator("#tlkh-chat .message-row.bot-row").last


def current_sources(pg) -> list[dict]:
    return pg.eval_on_selector_all(
        "#tlkh-sources .tlkh-src",
        """els => els.map(e => ({
        pid: e.dataset.pid, title: e.querySelector('.tlkh-title').innerText,
        text: e.querySelector('.tlkh-text').innerText, mark: e.querySelector('mark')?.innerText || '',
        doc: e.querySelector('.tlkh-doc').innerText}))""",
    )


def upload(pg, path: Path, password: str | None = None, *, choose_file: bool = True) -> str:
    """Upload a plan from the "Kế hoạch đã nạp" tab; returns the status line shown.

    With the right password it waits for the outcome of this file; with a wrong one, for the refusal.
    """
    pg.get_by_role("tab", name="Kế hoạch", exact=True).click()
    pg.fill("#tlkh-admin-pw input", password or ADMIN_PASSWORD)
    if choose_file:
        pg.set_input_files("#tlkh-upload input[type=file]", str(path))
        pg.wait_for_selector(f"#tlkh-upload >> text={path.name}")
    pg.click("#tlkh-upload-btn")
    pg.wait_for_function(
        """([name, refusal]) => {
        const v = document.querySelector('#tlkh-admin-status textarea')?.value || '';
        return refusal ? v.startsWith('Sai') : (v.startsWith('Đã nạp') && v.includes(name)) || v.startsWith('Không nạp');
    }""",
        arg=[path.name, password is not None and password != ADMIN_PASSWORD],
    )
    return pg.input_value("#tlkh-admin-status textarea")


def test_ask_see_sources_and_open_one(page, app, artifacts):
    ask(page, QUESTION)
    answer = last_answer(page).inner_text()
    assert answer.strip() and "không có trong các kế hoạch" not in answer
    # unit names are bold in the bubble
    assert last_answer(page).locator("strong").count() >= 1
    sources = current_sources(page)
    assert sources and all(s["text"] for s in sources)
    assert any("video clip" in s["text"] for s in sources)
    assert sources[0]["mark"] and sources[0]["mark"] in sources[0]["text"]
    page.screenshot(path=str(artifacts / "1-answer.png"), full_page=True)

    page.locator("#tlkh-sources .tlkh-src").first.click()
    page.wait_for_selector("#tlkh-context .tlkh-cited")
    cited = page.locator("#tlkh-context .tlkh-cited")
    assert cited.get_attribute("data-pid") == sources[0]["pid"]
    assert " ".join(sources[0]["text"].split()) in " ".join(cited.inner_text().split())
    assert page.locator("#tlkh-context .tlkh-ctx").count() >= 1
    page.screenshot(path=str(artifacts / "2-source-opened.png"), full_page=True)

    # the copy box holds the answer and its sources as plain text
    page.get_by_text("Sao chép câu trả lời kèm nguồn").click()
    copy = page.input_value("#tlkh-copy textarea")
    assert "Nguồn:" in copy and "[1]" in copy

    # feedback on this answer lands in the append-only log
    page.get_by_text("Góp ý về câu trả lời đang xem").click()
    page.get_by_role("button", name="Sai nguồn").click()
    page.wait_for_selector("text=Đã ghi góp ý: Sai nguồn")
    from assistant.feedback import FeedbackStore

    recs = FeedbackStore.for_settings(app[2]).read().records
    assert recs[-1]["rating"] == "wrong_source" and recs[-1]["question"] == QUESTION
    assert [c["passage_id"] for c in recs[-1]["citations"]] == [s["pid"] for s in sources]

    # a second question: its own sources, and the opened context of the first is cleared
    ask(page, "Ai ký Kế hoạch 183/KH-UBND?")
    second = current_sources(page)
    assert second and [s["pid"] for s in second] != [s["pid"] for s in sources]
    assert page.locator("#tlkh-context .tlkh-cited").count() == 0
    # clicking the first answer in the chat brings its sources back
    page.locator("#tlkh-chat .message-row.bot-row").first.locator(".message-content").click()
    page.wait_for_function(
        "pid => document.querySelector('#tlkh-sources .tlkh-src')?.dataset.pid === pid", arg=sources[0]["pid"]
    )
    assert not page.dialogs


def test_admin_upload_then_answer_cites_it(page, app, artifacts, tmp_path):
    token = "Vx" + uuid.uuid4().hex[:6]
    plan = tmp_path / f"ke-hoach-{token.lower()}.txt"
    plan.write_text(
        "ỦY BAN NHÂN DÂN TỈNH ĐỒNG THÁP\nSố: 88/KH-UBND\n\nKẾ HOẠCH\n"
        f"Số hóa hồ sơ di tích {token}\n\nI. NHIỆM VỤ\n1. Số hóa hồ sơ di tích {token}\n"
        f"Sở Văn hóa, Thể thao và Du lịch chủ trì số hóa toàn bộ hồ sơ di tích {token} "
        "trước ngày 15/8/2025.\n",
        encoding="utf-8",
    )
    # a wrong password is refused and nothing is added
    assert upload(page, plan, "sai-mat-khau") == "Sai mật khẩu quản trị."
    assert plan.name not in [m.doc for m in app[1].plans()]
    status = upload(page, plan, choose_file=False)  # the chosen file is still there
    assert status.startswith("Đã nạp"), status
    page.wait_for_selector(f"#tlkh-plans >> text={plan.name}")
    page.screenshot(path=str(artifacts / "3-plan-uploaded.png"), full_page=True)

    page.get_by_role("tab", name="Hỏi đáp", exact=True).click()
    ask(page, f"Ai chủ trì số hóa hồ sơ di tích {token}?")
    sources = current_sources(page)
    assert sources and plan.name in sources[0]["doc"] and token in sources[0]["text"]
    page.screenshot(path=str(artifacts / "4-answer-from-upload.png"), full_page=True)


def test_plan_html_shows_as_text(page, app, artifacts, tmp_path):
    """A Word plan whose text holds markup: every place that shows it shows the characters."""
    import docx

    token = "Hx" + uuid.uuid4().hex[:6]
    payload = "<script>alert(1)</script> <img src=x onerror=alert(2)> <b>in đậm</b> **sao** a < b"
    title = f"Kiểm thử <img src=x onerror=alert(3)><b>hiển thị</b> {token}"
    doc = docx.Document()
    for line in (
        "ỦY BAN NHÂN DÂN TỈNH ĐỒNG THÁP",
        "Số: 99/KH-UBND",
        "KẾ HOẠCH",
        title,
        "I. NHIỆM VỤ",
        f"1. Nội dung kiểm thử {token}",
        f"Sở Nội vụ chủ trì rà soát mã {token}: {payload} trước ngày 1/9/2025.",
    ):
        doc.add_paragraph(line)
    plan = tmp_path / f"ke-hoach-html-{token.lower()}.docx"
    doc.save(plan)
    assert upload(page, plan).startswith("Đã nạp")
    page.wait_for_selector(f"#tlkh-plans >> text={title}")  # the title, tags and all, as text
    assert page.locator("#tlkh-plans img, #tlkh-plans b, #tlkh-plans script").count() == 0

    page.get_by_role("tab", name="Hỏi đáp", exact=True).click()
    ask(page, f"Ai chủ trì rà soát mã {token}? <i>{token}</i>")
    sources = current_sources(page)
    hit = next(s for s in sources if token in s["text"])
    assert payload in hit["text"]
    page.locator(f"#tlkh-sources .tlkh-src[data-pid='{hit['pid']}']").click()
    page.wait_for_selector("#tlkh-context .tlkh-cited")
    for area in ("#tlkh-sources", "#tlkh-context", "#tlkh-chat"):
        assert page.locator(f"{area} script, {area} img[src='x'], {area} b, {area} i").count() == 0, area
    assert f"<i>{token}</i>" in page.locator("#tlkh-chat").inner_text()
    assert payload in page.locator("#tlkh-context .tlkh-cited").inner_text()
    page.screenshot(path=str(artifacts / "5-html-as-text.png"), full_page=True)
    assert not page.dialogs


def test_unit_lookup_and_exports(page, app, artifacts):
    from assistant.ui_render import unit_choices

    url, assistant, _ = app
    units = assistant.units()
    unit = next((u for u in units if u["name"].startswith("Sở") and u["lead_count"] >= 2), units[0])
    label = unit_choices([unit])[0][0]
    page.get_by_role("tab", name="Đơn vị", exact=True).click()
    box = page.locator("#tlkh-unit input")
    box.click()
    box.fill(unit["name"])
    page.get_by_role("option", name=label, exact=True).click()
    expected = assistant.unit_tasks(unit["name"], unit["province"])
    # the table shows the unit's tasks (it renders rows lazily: look for the first task's text)
    page.wait_for_function(
        """want => {
        const table = document.querySelector('#tlkh-tasks');
        return table && table.innerText.replace(/\\s+/g, ' ').includes(want);
    }""",
        arg=" ".join(expected[0]["text"].split())[:60],
    )
    links = page.eval_on_selector_all("a[download]", "els => els.map(e => e.href)")
    xlsx = next(h for h in links if h.endswith(".xlsx"))
    csv_link = next(h for h in links if h.endswith(".csv"))
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(httpx.get(xlsx).content))
    rows = list(wb.active.iter_rows(values_only=True))
    assert rows[0] == ("Kế hoạch", "Mục", "Nhiệm vụ", "Vai trò") and len(rows) == len(expected) + 1
    assert [r[2] for r in rows[1:]] == [t["text"] for t in expected]
    csv_text = httpx.get(csv_link).content.decode("utf-8-sig")
    assert csv_text.splitlines()[0] == "Kế hoạch,Mục,Nhiệm vụ,Vai trò"
    page.screenshot(path=str(artifacts / "6-unit-lookup.png"), full_page=True)


def test_embeddable_widget(browser, app, artifacts):
    pg = browser.new_page(viewport={"width": 480, "height": 760})
    pg.goto(app[0] + "/widget", wait_until="load")
    pg.fill("#q", QUESTION)
    pg.click("#send")
    pg.wait_for_selector("details.src", timeout=180_000)
    pg.locator("details.src summary").first.click()
    first = pg.locator("details.src").first
    assert first.locator("mark").inner_text() in first.locator(".txt").inner_text()
    api = httpx.post(app[0] + "/api/v1/ask", json={"question": QUESTION}, timeout=60).json()
    assert pg.locator("details.src").count() == len(api["citations"])
    assert pg.locator(".turn .a").first.inner_text().strip() == api["answer"].strip()
    pg.screenshot(path=str(artifacts / "7-widget.png"), full_page=True)
    pg.close()


def test_remote_official_logs_in_and_asks(browser, app, artifacts):
    """From another machine the UI asks for a login (HTTP Basic); with it, chat works as on loopback."""
    from test_security import _outside_address

    from assistant.api import create_app

    host = _outside_address()
    if host is None:
        pytest.skip("no non-loopback IPv4 address on this machine")
    _, assistant, settings = app
    remote = settings.model_copy(update={"ui_users": ["can-bo:Mật-khẩu-Xem-1"]})
    with LiveServer(create_app(assistant, remote), host=host) as url:
        from playwright.sync_api import Error

        anon = browser.new_context(locale="vi-VN")
        with pytest.raises(Error, match="AUTH"):  # headless Chromium cannot show the login prompt
            anon.new_page().goto(url + "/")
        anon.close()
        ctx = browser.new_context(
            viewport={"width": 1400, "height": 1000},
            locale="vi-VN",
            http_credentials={"username": "can-bo", "password": "Mật-khẩu-Xem-1"},
        )
        pg = ctx.new_page()
        pg.set_default_timeout(180_000)
        pg.goto(url + "/", wait_until="load")
        pg.wait_for_selector("#tlkh-question textarea")
        ask(pg, QUESTION)
        assert current_sources(pg) and "không có trong các kế hoạch" not in last_answer(pg).inner_text()
        pg.screenshot(path=str(artifacts / "8-remote-login.png"), full_page=True)
        ctx.close()
