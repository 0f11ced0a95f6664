"""A small live index over two corpus plans and the fake embedder, shared by the reliability,
security and document-robustness tests: built once per module, copied per test; and an assistant over
tiny inline plans, shared by the query and answer tests."""

from __future__ import annotations

import shutil
from collections.abc import Mapping
from pathlib import Path

from assistant.core import Assistant
from assistant.settings import Settings
from assistant.textnorm import fold

__all__ = ["ADMIN", "BASE_PLANS", "CORPUS", "KEY", "build_small", "has", "inline_assistant", "small_settings"]

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
BASE_PLANS = ("dong-nai-2024-183-kh-ubnd.txt", "lap-vo-2024-truyen-thong-chinh-sach.txt")
ADMIN = ("quan-tri", "Mật-khẩu-Đúng-123")
KEY = "khoa-api-bi-mat-0123456789"


def small_settings(base: Path, **kw) -> Settings:
    """Settings whose every folder is under ``base``; fake embedder; the test administrator."""
    return Settings(
        corpus_dir=base / "corpus",
        index_dir=base / "index",
        data_dir=base / "data",
        embedder="fake",
        admin_user=ADMIN[0],
        admin_password=ADMIN[1],
        **kw,
    )


def build_small(base: Path, plans: tuple[str, ...] = BASE_PLANS) -> Path:
    """Copy ``plans`` (corpus file names) into ``base/corpus`` and build their index; returns ``base``."""
    (base / "corpus").mkdir()
    for name in plans:
        shutil.copy(CORPUS / name, base / "corpus" / name)
    assert len(Assistant(small_settings(base), build_if_missing=True).plans()) == len(plans)
    return base


def inline_assistant(base: Path, plans: Mapping[str, str], embedder: str = "fake") -> Assistant:
    """An assistant over ``plans`` (file name → text) written into ``base/corpus``, its index built.

    The fake embedder unless a test needs real dense scores (the refusal scorer was fitted on
    e5-small's: a fake embedder's are noise to it)."""
    corpus = base / "corpus"
    corpus.mkdir()
    for name, text in plans.items():
        (corpus / name).write_text(text, encoding="utf-8")
    settings = Settings(
        corpus_dir=corpus, index_dir=base / "index", data_dir=base / "data", embedder=embedder
    )
    return Assistant(settings, build_if_missing=True)


def has(text: str, needle: str) -> bool:
    """``needle`` in ``text``, both folded (case and diacritics): answers are checked by their words."""
    return fold(needle) in fold(text)
