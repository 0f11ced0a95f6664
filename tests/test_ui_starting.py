"""First start: the server answers "đang lập chỉ mục" with progress while indexing, then the app.

Real pieces: a tmp copy of the corpus, the real index build (fake embedder, fast), the real
API + Gradio app behind :class:`IndexingGate`, served by uvicorn on loopback.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import httpx
from _live import LiveServer

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def test_indexing_page_then_the_app(tmp_path):
    from assistant.api import create_app
    from assistant.core import Assistant
    from assistant.settings import Settings
    from assistant.web.starting import IndexingGate, index_present, warm_up

    shutil.copytree(CORPUS, tmp_path / "corpus")
    settings = Settings(
        corpus_dir=tmp_path / "corpus",
        index_dir=tmp_path / "index",
        data_dir=tmp_path / "data",
        embedder="fake",
    )
    assistant = Assistant(settings, build_if_missing=True)
    gate = IndexingGate(create_app(assistant, settings, preload_ui=False))
    assert not index_present(settings)  # building the UI did not touch the index
    with LiveServer(gate) as url:
        gate.progress(40, 235, "nhúng")
        page = httpx.get(url + "/")
        assert page.status_code == 503 and page.headers["retry-after"] == "3"
        assert (
            'lang="vi"' in page.text and "Đang lập chỉ mục" in page.text and "40/235 đoạn (17 %)" in page.text
        )
        health = httpx.get(url + "/healthz").json()
        assert health["status"] == "indexing" and (health["done"], health["total"]) == (40, 235)

        warm_up(assistant, settings, gate).join(timeout=600)
        assert gate.ready and index_present(settings)
        deadline = time.monotonic() + 60
        while httpx.get(url + "/").status_code != 200 and time.monotonic() < deadline:
            time.sleep(0.5)
        assert "Trợ lý Kế hoạch" in httpx.get(url + "/").text
        plans = httpx.get(url + "/api/v1/plans").json()["plans"]
        assert len(plans) == len([p for p in (tmp_path / "corpus").iterdir() if p.is_file()])
