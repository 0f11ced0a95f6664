"""Shared fixtures. Every writable path goes to tmp; nothing touches index/ or data/ of the repo."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"


@pytest.fixture(autouse=True)
def _isolate(tmp_path, monkeypatch):
    """Send index, data and caches to tmp; start every test with a clean TLKH_ environment."""
    for k in list(os.environ):
        if k.startswith("TLKH_"):
            monkeypatch.delenv(k)
    monkeypatch.setenv("TLKH_INDEX_DIR", str(tmp_path / "index"))
    monkeypatch.setenv("TLKH_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("TLKH_CORPUS_DIR", str(CORPUS))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("TRANSFORMERS_OFFLINE", "1")
    yield


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    return CORPUS


@pytest.fixture(scope="session")
def corpus_files() -> list[Path]:
    return sorted(p for p in CORPUS.iterdir() if p.suffix in {".txt", ".md", ".pdf", ".docx"})


@pytest.fixture(scope="session")
def real_settings(tmp_path_factory):
    """Settings for end-to-end tests: the bundled corpus, the real embedder, a session-wide tmp index."""
    from assistant.settings import Settings

    base = tmp_path_factory.mktemp("real")
    return Settings(corpus_dir=CORPUS, index_dir=base / "index", data_dir=base / "data", embedder="e5-small")


@pytest.fixture(scope="session")
def real_assistant(real_settings):
    """One Assistant over the real corpus and the real embedder, built once per test session."""
    from assistant.core import Assistant

    return Assistant(real_settings, build_if_missing=True)
