"""The linters are part of the test command: ruff (lint and format) over the repository and mypy
over ``assistant/``, with the settings in pyproject.toml.  Each fails with the tool's own report."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _run(*args: str, timeout: int) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout
    )


@pytest.mark.parametrize(
    "args",
    [("ruff", "check", "--no-fix", "."), ("ruff", "format", "--check", ".")],
    ids=["ruff-check", "ruff-format"],
)
def test_ruff(args):
    r = _run(*args, timeout=300)
    assert r.returncode == 0, f"`{' '.join(args)}` found problems:\n{r.stdout}\n{r.stderr}"


def test_mypy():
    # a cold run takes minutes on a busy machine; later runs reuse .mypy_cache
    r = _run("mypy", "assistant", timeout=1200)
    assert r.returncode == 0, f"`mypy assistant` found problems:\n{r.stdout}\n{r.stderr}"
