"""Nobody let in: API keys off loopback, administrator login for uploads and removals,
no pickle anywhere, escaped rendering, safe upload names, bounded dependencies.

HTTP checks use a real uvicorn server.  "Off loopback" is real too: the server binds
this machine's own non-loopback address and the test connects to it, so the server
sees a non-loopback peer (skipped on a machine without one).
"""

from __future__ import annotations

import ast
import html.parser
import io
import re
import shutil
import tokenize
from pathlib import Path

import httpx
import numpy as np
import pytest
from _live import LiveServer
from _small import ADMIN, BASE_PLANS, KEY, build_small, small_settings

from assistant.api import create_api
from assistant.core import Assistant
from assistant.indexing import IndexStore
from assistant.settings import Settings
from assistant.ui_render import answer_markdown, context_html, copy_text, highlight, md_escape, sources_html

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
UPLOAD = CORPUS / "dong-thap-2024-thong-tin-doi-ngoai.txt"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    return build_small(tmp_path_factory.mktemp("sec-base"))


@pytest.fixture()
def work(built, tmp_path):
    base = tmp_path / "ws"
    shutil.copytree(built, base)
    settings = small_settings(base)
    a = Assistant(settings)
    a.plans()
    return a, settings, base


def _index_files(settings: Settings) -> dict:
    index = Path(settings.index_dir)
    return {p.relative_to(index).as_posix(): p.read_bytes() for p in sorted(index.rglob("*")) if p.is_file()}


def _outside_address() -> str | None:
    import psutil

    for addrs in psutil.net_if_addrs().values():
        for a in addrs:
            if a.family.name == "AF_INET" and not a.address.startswith("127."):
                return a.address
    return None


# --- API keys off loopback -----------------------------------------------------------------------------
CALLS = [
    ("post", "/api/v1/ask", {"json": {"question": "Ai ký kế hoạch 183?"}}),
    ("get", "/api/v1/plans", {}),
    ("get", "/api/v1/units", {}),
    ("post", "/api/v1/feedback", {"json": {"rating": "useful", "question": "x"}}),
]


@pytest.fixture()
def outside():
    host = _outside_address()
    if host is None:
        pytest.skip("no non-loopback IPv4 address on this machine")
    return host


def test_without_api_keys_only_loopback_is_served(work, outside):
    a, settings, base = work
    with LiveServer(create_api(a, settings), host=outside) as url:
        for method, path, kw in CALLS:
            r = getattr(httpx, method)(f"{url}{path}", timeout=60, **kw)
            assert r.status_code == 403, (path, r.status_code, r.text[:200])
            assert r.json()["error"] == "forbidden" and "khóa API" in r.json()["message"]
        # a forged proxy header from an untrusted peer changes nothing
        r = httpx.post(
            f"{url}/api/v1/ask",
            json={"question": "x"},
            timeout=30,
            headers={"X-Forwarded-For": "127.0.0.1", "X-Real-IP": "127.0.0.1"},
        )
        assert r.status_code == 403
        assert httpx.get(f"{url}/healthz", timeout=30).status_code == 200  # health stays open for monitors
    with LiveServer(create_api(a, settings)) as url:  # the same app on loopback serves loopback
        assert httpx.get(f"{url}/api/v1/plans", timeout=30).status_code == 200


def test_with_api_keys_a_valid_key_is_required(work, outside):
    a, settings, base = work
    keyed = settings.model_copy(update={"api_keys": [KEY, "khoa-thu-hai"]})
    with LiveServer(create_api(a, keyed), host=outside) as url:
        for method, path, kw in CALLS:
            fn = getattr(httpx, method)
            r = fn(f"{url}{path}", timeout=60, **kw)
            assert r.status_code == 401 and r.json()["error"] == "unauthorized", (path, r.text[:200])
            for wrong in ("sai", KEY[:-1], KEY + "x", KEY.upper(), ""):
                r = fn(f"{url}{path}", timeout=60, headers={"X-API-Key": wrong}, **kw)
                assert r.status_code == 401, (path, wrong)
            r = fn(f"{url}{path}", timeout=60, headers={"X-API-Key": KEY}, **kw)
            assert r.status_code in (200, 201), (path, r.text[:300])
        # the key in a query string or a cookie is not a key
        r = httpx.get(f"{url}/api/v1/plans?api_key={KEY}", cookies={"X-API-Key": KEY}, timeout=30)
        assert r.status_code == 401
    with LiveServer(create_api(a, keyed)) as url:  # once keys exist, loopback needs one too
        assert httpx.get(f"{url}/api/v1/plans", timeout=30).status_code == 401


# --- the web UI off loopback ---------------------------------------------------------------------------
VIEWER = ("can-bo", "Mật-khẩu-Xem-1")
UI_PATHS = ["/", "/config", "/gradio_api/info"]


def test_the_ui_off_loopback_needs_a_login_or_a_key(work, outside):
    from gradio_client import Client

    from assistant.api import create_app

    a, settings, base = work
    no_logins = settings.model_copy(update={"admin_password": ""})
    with LiveServer(create_app(a, no_logins), host=outside) as url:  # no UI login configured
        for path in UI_PATHS:
            r = httpx.get(f"{url}{path}", timeout=60)
            assert r.status_code == 403 and r.json()["error"] == "forbidden", (path, r.text[:200])
            assert "TLKH_UI_USERS" in r.json()["hint"]
        r = httpx.post(
            f"{url}/gradio_api/call/ask", json={"data": ["Ai ký kế hoạch 183?", [], "", ""]}, timeout=60
        )
        assert r.status_code == 403  # Gradio's own endpoint is no way around the API rule
        health = httpx.get(f"{url}/healthz", timeout=60)
        assert health.status_code == 200 and not {"index_dir", "corpus_dir"} & set(health.json())
    logins = settings.model_copy(update={"ui_users": [":".join(VIEWER)], "api_keys": [KEY]})
    with LiveServer(create_app(a, logins), host=outside) as url:
        for path in UI_PATHS:
            r = httpx.get(f"{url}{path}", timeout=60)
            assert r.status_code == 401 and r.headers["www-authenticate"].startswith("Basic"), path
            for wrong in [(VIEWER[0], "sai"), ("khac", VIEWER[1]), (VIEWER[0], VIEWER[1] + " ")]:
                assert httpx.get(f"{url}{path}", auth=wrong, timeout=60).status_code == 401, (path, wrong)
            for good in (VIEWER, ADMIN):  # a viewer's login, or the administrator's
                assert httpx.get(f"{url}{path}", auth=good, timeout=60).status_code == 200, (path, good)
            assert httpx.get(f"{url}{path}", headers={"X-API-Key": KEY}, timeout=60).status_code == 200
        # a portal's gradio_client gets through with its key and asks as usual
        client = Client(url + "/", headers={"X-API-Key": KEY}, verbose=False)
        _msg, _chat, answer, *_ = client.predict("Ai ký kế hoạch 183?", [], "", "", api_name="/ask")
        assert answer["schema"] == 1 and answer["question"] == "Ai ký kế hoạch 183?"
    with LiveServer(create_app(a, settings)) as url:  # loopback: the UI as before, health with paths
        assert httpx.get(f"{url}/", timeout=60).status_code == 200
        assert "index_dir" in httpx.get(f"{url}/healthz", timeout=60).json()


def test_ui_logins_without_a_password_are_refused_at_startup(tmp_path):
    from pydantic import ValidationError

    for bad in (["chi-ten"], ["ten:"], [":"]):
        with pytest.raises(ValidationError, match="name:password"):
            Settings(corpus_dir=tmp_path, ui_users=bad)
    assert Settings(corpus_dir=tmp_path, ui_users=["an:mật:khẩu"]).ui_logins() == [("an", "mật:khẩu")]


# --- administrator login for uploads and removals ---------------------------------------------------------
def test_api_upload_and_removal_require_the_administrator(work):
    a, settings, base = work
    before = _index_files(settings)
    files = {"file": ("ke-hoach-moi.txt", UPLOAD.read_bytes(), "text/plain")}
    with LiveServer(create_api(a, settings)) as url:
        for auth in (
            None,
            ("admin", ADMIN[1]),
            (ADMIN[0], "sai"),
            (ADMIN[0], ADMIN[1].lower()),
            (ADMIN[0], ""),
        ):
            r = httpx.post(f"{url}/api/v1/plans", files=files, auth=auth, timeout=60)
            assert r.status_code == 401 and r.headers["www-authenticate"].startswith("Basic"), (auth, r.text)
            r = httpx.delete(f"{url}/api/v1/plans/{BASE_PLANS[0]}", auth=auth, timeout=60)
            assert r.status_code in (401, 429), (auth, r.text)
        # guessing is throttled per client
        codes = [
            httpx.delete(
                f"{url}/api/v1/plans/{BASE_PLANS[0]}", auth=(ADMIN[0], f"doan-{i}"), timeout=30
            ).status_code
            for i in range(12)
        ]
        assert codes[-1] == 429 and set(codes) <= {401, 429}
        assert _index_files(settings) == before
        assert sorted(
            p["doc"] for p in httpx.get(f"{url}/api/v1/plans", timeout=30).json()["plans"]
        ) == sorted(BASE_PLANS)
    with LiveServer(create_api(a, settings.model_copy(update={"admin_password": ""}))) as url:
        r = httpx.post(f"{url}/api/v1/plans", files=files, auth=(ADMIN[0], ""), timeout=60)
        assert r.status_code == 403 and "quản trị đang tắt" in r.json()["message"]
        r = httpx.delete(f"{url}/api/v1/plans/{BASE_PLANS[0]}", auth=(ADMIN[0], ""), timeout=60)
        assert r.status_code == 403
    assert _index_files(settings) == before
    with LiveServer(create_api(a, settings)) as url:  # the right login works
        r = httpx.post(f"{url}/api/v1/plans", files=files, auth=ADMIN, timeout=120)
        assert r.status_code == 201, r.text
        r = httpx.delete(f"{url}/api/v1/plans/{r.json()['doc']}", auth=ADMIN, timeout=120)
        assert r.status_code == 200, r.text


@pytest.fixture()
def ui_handlers(work):
    from assistant.ui import build_ui

    a, settings, base = work

    def handlers(s: Settings):
        demo = build_ui(a, s)
        return {
            f.fn.__name__: f.fn
            for f in demo.fns.values()
            if getattr(f.fn, "__name__", "") in ("upload", "remove")
        }

    return a, settings, base, handlers


def _gradio_file(tmp_path: Path, name: str, data: bytes) -> str:
    """Where Gradio's /gradio_api/upload puts a client's file: a fresh folder in its upload folder."""
    from gradio.utils import get_upload_folder

    folder = Path(get_upload_folder()) / f"tlkh-test-{tmp_path.name}"
    folder.mkdir(parents=True, exist_ok=True)
    p = folder / name
    p.write_bytes(data)
    return str(p)


def _quiet(*a, **kw):
    return None


def test_ui_upload_and_removal_require_the_administrator(ui_handlers, tmp_path):
    a, settings, base, handlers = ui_handlers
    h = handlers(settings)
    before = _index_files(settings)
    for pw in ("", "sai", ADMIN[1].upper(), ADMIN[1] + " "):
        path = _gradio_file(tmp_path, "ke-hoach-moi.txt", UPLOAD.read_bytes())
        out = h["upload"](pw, path, None, progress=_quiet)
        assert "mật khẩu" in out[0].lower(), out[0]
        out = h["remove"](pw, BASE_PLANS[0], None)
        assert "mật khẩu" in out[0].lower(), out[0]
    assert _index_files(settings) == before and [m.doc for m in a.plans()] == sorted(BASE_PLANS)
    off = handlers(settings.model_copy(update={"admin_password": ""}))
    path = _gradio_file(tmp_path, "ke-hoach-moi.txt", UPLOAD.read_bytes())
    assert "đang tắt" in off["upload"]("", path, None, progress=_quiet)[0]
    assert "đang tắt" in off["remove"]("", BASE_PLANS[0], None)[0]
    assert _index_files(settings) == before
    # with the password the same handlers work
    out = h["upload"](ADMIN[1], path, None, progress=_quiet)
    assert out[0].startswith("Đã nạp"), out[0]
    doc = out[0].split()[2].rstrip(":")
    assert doc in [m.doc for m in a.plans()]
    assert h["remove"](ADMIN[1], doc, None)[0].startswith("Đã gỡ")
    assert doc not in [m.doc for m in a.plans()]


# --- uploaded files: generated names, inside the data folders only ---------------------------------------
@pytest.mark.parametrize(
    "name",
    [
        "../../Kế hoạch <script>.txt",
        "..\\x.txt",
        "ke hoach; rm -rf.txt",
        "CON.txt",
        ".htaccess.txt",
        "a" * 300 + ".txt",
    ],
)
def test_uploaded_files_get_safe_generated_names_inside_the_data_folders(work, tmp_path, name):
    a, settings, base = work
    outside_before = {p for p in tmp_path.rglob("*") if "ws" not in p.relative_to(tmp_path).parts}
    meta = a.add_plan(name, UPLOAD.read_bytes())
    assert re.fullmatch(r"[a-z0-9][a-z0-9._-]{0,120}\.txt", meta.doc), meta.doc
    stored = Path(settings.corpus_dir) / meta.doc
    assert stored.is_file() and stored.resolve().parent == Path(settings.corpus_dir).resolve()
    outside_after = {p for p in tmp_path.rglob("*") if "ws" not in p.relative_to(tmp_path).parts}
    assert outside_after == outside_before
    # every file anywhere in the workspace lives in the plan, index or data folder
    for p in base.rglob("*"):
        assert p.relative_to(base).parts[0] in ("corpus", "index", "data"), p


# --- no pickle ------------------------------------------------------------------------------------------------
_BANNED_MODULES = {"pickle", "cPickle", "_pickle", "joblib", "dill", "cloudpickle", "shelve", "marshal"}


def pickle_problems(source: str, where: str = "<src>") -> list[str]:
    """Every way this source could unpickle: imports, torch.load, np.load without allow_pickle=False, …"""
    problems = []
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            problems += [
                f"{where}:{node.lineno} import {a.name}"
                for a in node.names
                if a.name.split(".")[0] in _BANNED_MODULES
            ]
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in _BANNED_MODULES:
            problems.append(f"{where}:{node.lineno} from {node.module} import …")
        elif isinstance(node, ast.Call):
            f = node.func
            name = f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else ""
            owner = f.value.id if isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name) else ""
            kw = {k.arg: k.value for k in node.keywords if k.arg}
            if owner == "torch" and name == "load":
                problems.append(f"{where}:{node.lineno} torch.load")
            if name in ("read_pickle", "load_local"):
                problems.append(f"{where}:{node.lineno} {name}")
            if owner in ("np", "numpy") and name == "load":
                v = kw.get("allow_pickle")
                if not (isinstance(v, ast.Constant) and v.value is False):
                    problems.append(f"{where}:{node.lineno} np.load without allow_pickle=False")
            for flag in ("allow_pickle", "allow_dangerous_deserialization", "weights_only"):
                v = kw.get(flag)
                expected = flag == "weights_only"
                if v is not None and not (isinstance(v, ast.Constant) and v.value is expected):
                    problems.append(f"{where}:{node.lineno} {flag}={ast.unparse(v)}")
    # and a plain grep of the code (comments and strings removed) for the same calls
    code = " ".join(
        t.string
        for t in tokenize.generate_tokens(io.StringIO(source).readline)
        if t.type in (tokenize.NAME, tokenize.OP)
    )
    for pat in (r"\bpickle \. loads?\b", r"\bjoblib \. load\b", r"\btorch \. load\b", r"\bUnpickler\b"):
        if re.search(pat, code):
            problems.append(f"{where}: matches {pat}")
    return problems


def _sources() -> list[Path]:
    files = [
        *sorted((ROOT / "assistant").rglob("*.py")),
        *sorted((ROOT / "eval").rglob("*.py")),
        ROOT / "app.py",
    ]
    return [p for p in files if p.is_file()]


def test_the_pickle_check_catches_what_it_should():
    bad = [
        "import pickle",
        "from joblib import load",
        "import numpy as np\nnp.load('x.npy')",
        "import numpy\nnumpy.load('x', allow_pickle=True)",
        "import torch\ntorch.load('m.pt')",
        "import pandas as pd\npd.read_pickle('x')",
        "FAISS.load_local('d', e, allow_dangerous_deserialization=True)",
        "import dill",
        "bm25s.BM25.load('d', allow_pickle=True)",
        "import shelve",
        "p = pickle.loads(b)",
    ]
    for src in bad:
        assert pickle_problems(src), src
    ok = "import numpy as np\nnp.load('x.npy', allow_pickle=False, mmap_mode=None)\nimport json\njson.loads('{}')"
    assert pickle_problems(ok) == []


def test_no_pickle_anywhere_in_the_package_and_eval():
    sources = _sources()
    assert len(sources) > 20 and any(p.name == "store.py" for p in sources)
    problems = [
        x for p in sources for x in pickle_problems(p.read_text(encoding="utf-8"), str(p.relative_to(ROOT)))
    ]
    assert not problems, "\n".join(problems)


def test_built_index_and_cache_hold_no_pickle(work):
    a, settings, base = work
    a.add_plan("them.txt", UPLOAD.read_bytes())  # an add, as well as the build
    files = [p for d in (settings.index_dir, settings.data_dir) for p in Path(d).rglob("*") if p.is_file()]
    assert any(p.suffix == ".npy" for p in files) and any(p.name == "manifest.json" for p in files)
    for p in files:
        assert p.suffix not in (".pkl", ".pickle", ".joblib", ".pt", ".bin"), p
        head = p.read_bytes()[:2]
        assert not (len(head) == 2 and head[0] == 0x80 and 2 <= head[1] <= 5), f"{p} starts like a pickle"
        if p.suffix == ".npy":
            arr = np.load(p, allow_pickle=False)  # would raise on an object array
            assert arr.dtype != object
    store = IndexStore.load(Path(settings.index_dir), "fake-v1")
    assert store.manifest["format_version"] >= 1


# --- escaping in the UI ---------------------------------------------------------------------------------------
EVIL = [
    "<script>alert('x')</script>",
    "<img src=x onerror=alert(1)>",
    '" onmouseover="alert(1)',
    "' onfocus='alert(1)' autofocus='",
    "</div><iframe src=javascript:alert(1)>",
    "&lt;b&gt;",
    "**đậm** [x](javascript:alert(1))",
]


class _Tags(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.attrs, self.text = [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs += [(k, v or "") for k, v in attrs]

    def handle_data(self, data):
        self.text.append(data)


def _parse(fragment: str) -> _Tags:
    t = _Tags()
    t.feed(fragment)
    t.close()
    return t


def _answer(evil: str) -> dict:
    return {
        "schema": 1,
        "question": evil,
        "answer": f"{evil} chủ trì [1]",
        "refused": False,
        "intent": "lead_unit",
        "units": {"lead": [evil], "partners": [evil + "2"]},
        "notice": evil,
        "citations": [
            {
                "n": 1,
                "passage_id": evil,
                "doc": evil,
                "title": evil,
                "section": evil,
                "text": f"Trước {evil} sau",
                "quote": evil,
                "score": 1.0,
                "related_only": False,
                "page": 3,
                "kind": "article",
            }
        ],
    }


@pytest.mark.parametrize("evil", EVIL)
def test_answers_and_sources_are_escaped(evil):
    from markdown_it import MarkdownIt

    data = _answer(evil)
    src = _parse(sources_html(data))
    assert set(src.tags) <= {"div", "span", "mark"}, src.tags
    assert all(k in ("class", "data-pid", "id", "role", "tabindex", "title") for k, _ in src.attrs), src.attrs
    assert all(v.startswith("tlkh-src-") and v[9:].isdigit() for k, v in src.attrs if k == "id"), src.attrs
    assert evil in "".join(src.text)  # shown as the characters it is made of
    assert dict(src.attrs)["data-pid"] == evil
    ctx = _parse(context_html([_Passage(evil)], evil, evil))
    assert set(ctx.tags) <= {"div", "span", "mark"} and all(k in ("class", "data-pid") for k, _ in ctx.attrs)
    assert evil in "".join(ctx.text)
    hl = _parse(highlight(f"a {evil} b", evil))
    assert hl.tags == ["mark"] and "".join(hl.text) == f"a {evil} b"
    md = MarkdownIt("commonmark", {"html": True})
    for text in (answer_markdown(data), md_escape(evil)):
        rendered = _parse(md.render(text))
        # links are only the [n] markers' in-page anchors; the span is the hidden clean-copy payload
        assert set(rendered.tags) <= {"p", "strong", "em", "a", "span"}, (text, rendered.tags)
        assert all(k in ("href", "hidden", "data-tlkh-copy") for k, _ in rendered.attrs), rendered.attrs
        assert all(v.startswith("#tlkh-") for k, v in rendered.attrs if k == "href"), rendered.attrs
    assert evil in "".join(_parse(md.render(md_escape(evil))).text)
    assert evil in copy_text(data)  # plain text for the clipboard, not HTML


class _Passage:
    def __init__(self, evil: str):
        self.id, self.doc, self.text, self.section_path = evil, evil, f"Trước {evil} sau", evil


def test_a_plan_with_markup_is_shown_as_text_end_to_end(work):
    a, settings, base = work
    token = "Zq7kd"
    plan = (
        "ỦY BAN NHÂN DÂN TỈNH ĐỒNG THÁP\nSố: 12/KH-UBND\n\nKẾ HOẠCH\nThử nghiệm hiển thị\n\nI. NHIỆM VỤ\n"
        f"1. Kiểm tra chuỗi {token} &lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror=alert(2)&gt;\n"
        f"Sở Tư pháp chủ trì kiểm tra chuỗi {token} trước ngày 30/6/2025.\n"
    )
    meta = a.add_plan("hien-thi.txt", plan.encode("utf-8"))
    text = " ".join(
        p.text for p in IndexStore.load(Path(settings.index_dir), "fake-v1").passages if p.doc == meta.doc
    )
    assert "<script>alert(1)</script>" in text  # the plan really carries markup into a passage
    ans = a.ask(f"Ai chủ trì kiểm tra chuỗi {token}?").to_dict()
    hit = [c for c in ans["citations"] if "<script>" in c["text"]]
    assert hit, ans
    out = _parse(sources_html(ans))
    assert "script" not in out.tags and "img" not in out.tags
    assert "<script>alert(1)</script>" in "".join(out.text)


# --- dependencies are bounded ------------------------------------------------------------------------------------
def _requirements() -> dict[str, list[str]]:
    import tomllib

    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    groups = {"dependencies": data["project"]["dependencies"]}
    for name, reqs in data["project"].get("optional-dependencies", {}).items():
        groups[f"optional:{name}"] = reqs
    groups["build-system"] = data.get("build-system", {}).get("requires", [])
    return groups


def _bounded(req: str) -> tuple[bool, bool]:
    from packaging.requirements import Requirement

    spec = Requirement(req).specifier
    ops = [s.operator for s in spec]
    lower = any(op in (">=", ">", "==", "~=", "===") for op in ops)
    upper = any(op in ("<", "<=", "~=", "===") for op in ops) or any(
        s.operator == "==" and "*" not in s.version for s in spec
    )
    return lower, upper


def test_runtime_and_optional_dependencies_have_lower_and_upper_bounds():
    groups = _requirements()
    assert groups["dependencies"]
    bad = [
        f"{g}: {r}"
        for g, reqs in groups.items()
        if g != "build-system"
        for r in reqs
        if _bounded(r) != (True, True)
    ]
    assert not bad, bad


def test_build_requirements_have_lower_and_upper_bounds():
    bad = [r for r in _requirements()["build-system"] if _bounded(r) != (True, True)]
    assert not bad, bad


def test_bound_check_rejects_unbounded_specs():
    assert _bounded("x>=1,<2") == (True, True) and _bounded("torch==2.13.0") == (True, True)
    assert (
        _bounded("x>=1") == (True, False)
        and _bounded("x<2") == (False, True)
        and _bounded("x") == (False, False)
    )
    assert _bounded("x~=1.4") == (True, True)
