"""The web UI as officials use it, in Debian's Chromium (Playwright) against the real app.

Fresh lists after an upload through the API, the chat's copy icon, dark mode, a phone screen,
the removal confirmation, offline API docs and Vietnamese everywhere. The app runs under
uvicorn on loopback over a tmp copy of the corpus with the real embedder (e5-small), as in
test_ui_browser.py, whose fixtures and helpers are reused. Screenshots go to $ARTIFACTS_DIR.
"""

# ruff: noqa: F811  (the fixtures imported from test_ui_browser are used as parameters)
from __future__ import annotations

import re
import uuid
from pathlib import Path

import httpx
import pytest
from test_ui_browser import (  # noqa: F401  (fixtures used by name)
    ADMIN_PASSWORD,
    CHROMIUM,
    QUESTION,
    app,
    artifacts,
    ask,
    browser,
    current_sources,
    last_answer,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's Chromium at /usr/bin/chromium"),
]

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
COPY_LABEL = "Sao chép câu trả lời kèm nguồn"


def open_page(browser, url: str, viewport=DESKTOP, query: str = "", locale: str = "en-US", **ctx_kw):
    """A fresh browser context (a new session, as after a reload) on the UI's first screen."""
    ctx = browser.new_context(viewport=viewport, locale=locale, **ctx_kw)
    pg = ctx.new_page()
    pg.set_default_timeout(180_000)
    pg.goto(f"{url}/{query}", wait_until="load")
    pg.wait_for_selector("#tlkh-question textarea")
    pg.wait_for_function("document.documentElement.lang === 'vi'")
    return ctx, pg


def dropdown_options(pg, elem_id: str) -> list[str]:
    """Open a Gradio dropdown and read its option labels."""
    pg.locator(f"#{elem_id} input").click()
    pg.wait_for_selector("ul[role=listbox] li")
    names = pg.eval_on_selector_all("ul[role=listbox] li", "els => els.map(e => e.innerText.trim())")
    pg.keyboard.press("Escape")
    return names


def contrast(fg: str, bg: str) -> float:
    """WCAG contrast ratio of two computed CSS rgb() colours."""

    def lum(css: str) -> float:
        r, g, b = (int(x) / 255 for x in re.findall(r"\d+", css)[:3])
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b)]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    hi, lo = sorted((lum(fg), lum(bg)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def mark_colours(pg, area: str) -> tuple[str, str]:
    return tuple(
        pg.eval_on_selector(
            f"{area} mark",
            "m => [getComputedStyle(m).color, getComputedStyle(m).backgroundColor]",
        )
    )


def test_plan_uploaded_through_the_api_shows_in_a_fresh_page_and_removal_asks_first(browser, app, tmp_path):
    url, assistant, settings = app
    token = "Lm" + uuid.uuid4().hex[:6]
    name = f"ke-hoach-moi-{token.lower()}.txt"
    text = (
        "ỦY BAN NHÂN DÂN TỈNH ĐỒNG THÁP\nSố: 77/KH-UBND\n\nKẾ HOẠCH\n"
        f"Chuyển đổi số hồ sơ lưu trữ {token}\n\nI. NHIỆM VỤ\n"
        f"Sở Nội vụ chủ trì số hóa hồ sơ lưu trữ {token} trước ngày 30/9/2025.\n"
    )
    # the page is already open in one browser session before the upload
    ctx_old, old = open_page(browser, url)
    r = httpx.post(
        f"{url}/api/v1/plans",
        files={"file": (name, text.encode("utf-8"), "text/plain")},
        auth=(settings.admin_user, ADMIN_PASSWORD),
        timeout=300,
    )
    assert r.status_code == 201, r.text
    ctx_old.close()

    ctx, pg = open_page(browser, url)
    # the lists are read as the page loads (the server built its page before the upload)
    pg.wait_for_function("() => document.querySelector('#tlkh-loaded').innerText.includes('77/KH-UBND')")
    assert any("77/KH-UBND" in o for o in dropdown_options(pg, "tlkh-plan"))  # the chat's plan filter
    pg.get_by_role("tab", name="Kế hoạch").click()
    pg.wait_for_selector(f"#tlkh-plans >> text={name}")
    assert any(name in o for o in dropdown_options(pg, "tlkh-rm-doc"))

    # "Gỡ kế hoạch" asks first; "Hủy" keeps the plan
    pg.fill("#tlkh-admin-pw input", ADMIN_PASSWORD)
    pg.locator("#tlkh-rm-doc input").click()
    pg.get_by_role("option", name=re.compile(re.escape(name))).click()
    pg.click("#tlkh-rm-btn")
    pg.wait_for_selector("#tlkh-confirm >> text=Xác nhận gỡ")
    assert name in pg.locator("#tlkh-confirm").first.inner_text()
    pg.click("#tlkh-rm-no")
    pg.wait_for_function(
        "() => (document.querySelector('#tlkh-admin-status textarea')?.value || '').startsWith('Đã hủy')"
    )
    assert name in [m.doc for m in assistant.plans()]
    # confirmed: removed, and the lists on this page follow
    pg.click("#tlkh-rm-btn")
    pg.click("#tlkh-rm-yes")
    pg.wait_for_function(
        "n => (document.querySelector('#tlkh-admin-status textarea')?.value || '') === 'Đã gỡ ' + n + '.'",
        arg=name,
    )
    assert name not in [m.doc for m in assistant.plans()]
    pg.wait_for_function(
        "n => !document.querySelector('#tlkh-plans').innerText.includes(n)", arg=name, timeout=30_000
    )
    assert not any(name in o for o in dropdown_options(pg, "tlkh-rm-doc"))
    ctx.close()


def test_copy_icon_copies_clean_text_with_sources(browser, app):
    url = app[0]
    ctx, pg = open_page(browser, url)
    ctx.grant_permissions(["clipboard-read", "clipboard-write"], origin=url)
    ask(pg, QUESTION)
    pg.locator(f"#tlkh-chat button[aria-label='{COPY_LABEL}']").last.click()
    pg.wait_for_function("async () => (await navigator.clipboard.readText()).includes('Nguồn:')")
    copied = pg.evaluate("navigator.clipboard.readText()")
    answer = httpx.post(f"{url}/api/v1/ask", json={"question": QUESTION}, timeout=120).json()
    assert copied.startswith(answer["answer"].strip())  # the answer as written, not markdown
    assert "\\" not in copied and "**" not in copied and "data-tlkh-copy" not in copied
    for c in answer["citations"]:
        assert f"[{c['n']}]" in copied and c["quote"] in copied
    # the same text as the "Sao chép câu trả lời kèm nguồn" box
    pg.get_by_text("Sao chép câu trả lời kèm nguồn", exact=True).click()
    assert pg.input_value("#tlkh-copy textarea") == copied
    ctx.close()


def test_dark_mode_quote_is_readable(browser, app, artifacts):
    ctx, pg = open_page(browser, app[0], query="?__theme=dark", color_scheme="dark")
    assert pg.evaluate("document.body.classList.contains('dark')")
    ask(pg, QUESTION)
    fg, bg = mark_colours(pg, "#tlkh-sources")
    assert contrast(fg, bg) >= 4.5, (fg, bg)
    # a [n] marker in the answer opens that source in the passage view
    pg.locator("#tlkh-chat a[href^='#tlkh-pid-']").first.click()
    pg.wait_for_selector("#tlkh-context .tlkh-cited mark")
    assert pg.locator("#tlkh-context .tlkh-cited").get_attribute("data-pid") == current_sources(pg)[0]["pid"]
    fg, bg = mark_colours(pg, "#tlkh-context")
    assert contrast(fg, bg) >= 4.5, (fg, bg)
    pg.screenshot(path=str(artifacts / "dark-mode.png"))
    ctx.close()


def test_phone_layout(browser, app, artifacts):
    ctx, pg = open_page(browser, app[0], viewport=PHONE, locale="vi-VN", is_mobile=True, has_touch=True)
    # every tab, the unit tab included, is a visible tab on the screen, not behind an overflow menu
    for tab in ("Hỏi đáp", "Kế hoạch", "Đơn vị"):
        box = pg.get_by_role("tab", name=tab, exact=True).bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], (tab, box)
    pg.screenshot(path=str(artifacts / "phone-first-screen.png"))
    ask(pg, QUESTION)
    # the answer points to the sources below it, and the pointer takes the official there
    pointer = last_answer(pg).get_by_role("link", name=re.compile("xem khung Nguồn"))
    pointer.click()
    pg.wait_for_function(
        """() => { const r = document.querySelector('#tlkh-sources').getBoundingClientRect();
                   return r.top < innerHeight && r.bottom > 0; }"""
    )
    pg.screenshot(path=str(artifacts / "phone-answer.png"))
    # the plan table scrolls sideways instead of wrapping one letter per line
    pg.get_by_role("tab", name="Kế hoạch", exact=True).click()
    pg.wait_for_selector("#tlkh-plans table")
    widths = pg.eval_on_selector_all(
        "#tlkh-plans thead th", "els => els.map(e => e.getBoundingClientRect().width)"
    )
    assert widths and min(widths) >= 40, widths  # wrapped per letter they were ~15 px
    pg.get_by_role("tab", name="Đơn vị", exact=True).click()
    pg.wait_for_selector("#tlkh-unit input")
    ctx.close()


def test_api_docs_render_with_the_network_cut_off(browser, app):
    url = app[0]
    ctx = browser.new_context(viewport=DESKTOP)
    outside: list[str] = []

    def only_loopback(route):
        host = re.match(r"^[a-z]+://([^/:]+|\[[^\]]+\])", route.request.url)
        if host and host.group(1) in ("127.0.0.1", "localhost", "[::1]"):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    ctx.route("**/*", only_loopback)
    pg = ctx.new_page()
    pg.set_default_timeout(60_000)
    operations = [
        (method, path)
        for path, item in httpx.get(f"{url}/openapi.json").json()["paths"].items()
        for method in item
    ]
    pg.goto(f"{url}/docs", wait_until="load")
    pg.wait_for_selector(".opblock")
    assert pg.locator(".opblock").count() == len(operations)
    assert pg.locator(".opblock-summary-path", has_text="/api/v1/ask").count() >= 1
    pg.goto(f"{url}/redoc", wait_until="load")
    pg.wait_for_selector("text=Hỏi một câu; trả về câu trả lời kèm trích dẫn (schema 1)")
    # nothing the pages need comes from outside; ReDoc's bundle still asks for its own
    # "API docs by Redocly" logo, a decoration that is simply not shown offline
    assert [u for u in outside if not u.startswith("https://cdn.redoc.ly/redoc/logo")] == [], outside
    html = httpx.get(f"{url}/docs").text + httpx.get(f"{url}/redoc").text
    assert "cdn" not in html.lower() and "fonts.googleapis" not in html
    ctx.close()


def test_no_english_left_and_feedback_after_the_trash_icon(browser, app, artifacts):
    url, _, settings = app
    # an English browser still gets Vietnamese: the page does not depend on the official's locale
    ctx, pg = open_page(browser, url, locale="en-US")
    assert pg.evaluate("document.documentElement.lang") == "vi"
    pg.screenshot(path=str(artifacts / "first-screen.png"))
    # example questions drawn from the loaded plans are on the first screen
    examples = pg.locator("#tlkh-examples button")
    assert examples.count() >= 3
    assert examples.last.bounding_box()["y"] + examples.last.bounding_box()["height"] <= DESKTOP["height"]
    first = examples.first.inner_text().strip()
    examples.first.click()
    pg.wait_for_function(
        "q => [...document.querySelectorAll('#tlkh-chat .user-row')].some(r => r.innerText.includes(q))",
        arg=first.rstrip("."),
    )
    pg.wait_for_selector("#tlkh-sources .tlkh-src, #tlkh-sources .tlkh-empty")
    pg.screenshot(path=str(artifacts / "answer-with-sources.png"))

    labels = pg.eval_on_selector_all(
        "#tlkh-chat button", "els => els.map(e => e.getAttribute('aria-label') || e.title || '')"
    )
    assert {"Hữu ích", "Chưa hữu ích", COPY_LABEL, "Xóa hội thoại"} <= set(labels), labels
    english = [
        "Like",
        "Dislike",
        "Copy",
        "Clear",
        "Drop File",
        "Click to",
        "Use via API",
        "Built with",
        "message",
    ]
    pg.get_by_role("tab", name="Kế hoạch", exact=True).click()
    pg.wait_for_selector("#tlkh-upload")
    pg.get_by_role("tab", name="Đơn vị", exact=True).click()
    pg.wait_for_selector("#tlkh-unit input")
    pg.get_by_role("tab", name="Hỏi đáp", exact=True).click()
    shown = pg.evaluate(
        """() => document.body.innerText + ' ' + [...document.querySelectorAll('[aria-label],[title],[placeholder]')]
             .map(e => [e.getAttribute('aria-label'), e.title, e.getAttribute('placeholder')].join(' ')).join(' ')"""
    )
    assert "Thả tệp vào đây" in pg.evaluate("document.body.innerHTML") or "Bấm để chọn tệp" in shown
    for word in english:
        assert not re.search(rf"\b{word}\b", shown), word

    # the chat's own trash icon starts over: a 👍 on the next answer is stored against that answer
    pg.locator("#tlkh-chat button[aria-label='Xóa hội thoại']").click()
    pg.wait_for_function("() => document.querySelectorAll('#tlkh-chat .message-row').length === 0")
    second = "Ai ký Kế hoạch 183/KH-UBND?"
    ask(pg, second)
    pg.locator("#tlkh-chat button[aria-label='Hữu ích']").last.click()
    pg.wait_for_selector("#tlkh-like-status >> text=Đã ghi góp ý")
    assert pg.locator("#tlkh-like-status").is_visible()
    from assistant.feedback import FeedbackStore

    rec = FeedbackStore.for_settings(settings).read().records[-1]
    assert rec["rating"] == "useful" and rec["question"] == second
    ctx.close()


def test_unit_search_without_diacritics(browser, app):
    url, assistant, _ = app
    ctx, pg = open_page(browser, url)
    pg.get_by_role("tab", name="Đơn vị", exact=True).click()
    pg.fill("#tlkh-unit-query textarea", "van hoa")
    names = dropdown_options(pg, "tlkh-unit")
    want = [u["name"] for u in assistant.units() if "Văn hóa" in u["name"]]
    assert want and names and all("Văn hóa" in n or "văn hóa" in n.lower() for n in names), names
    assert not any("(" in n.split("·")[0] for n in names)  # no alias lists in the labels
    ctx.close()


def test_screenshots_are_committed():
    shots = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    for name in ("first-screen.png", "answer-with-sources.png", "dark-mode.png", "phone-answer.png"):
        assert (shots / name).stat().st_size > 10_000, name
        assert f"docs/screenshots/{name}" in readme, name
