"""The linters are part of the test command: ruff (lint and format) over the repository and mypy
over ``assistant/``, with the settings in pyproject.toml.  Each fails with the tool's own report."""

from __future__ import annotations

import ast
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


def _imports(package: Path) -> dict[str, set[str]]:
    """Module → the package modules it imports, at module level or inside functions."""
    mods = {}
    for p in package.rglob("*.py"):
        parts = list(p.relative_to(package.parent).with_suffix("").parts)
        mods[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = p
    graph: dict[str, set[str]] = {m: set() for m in mods}
    for m, p in mods.items():
        pkg = m.split(".") if p.name == "__init__.py" else m.split(".")[:-1]
        for node in ast.walk(ast.parse(p.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                base = ".".join(pkg[: len(pkg) - node.level + 1]) if node.level else ""
                target = ".".join(x for x in (base, node.module or "") if x)
                names = [target, *(f"{target}.{a.name}" for a in node.names)]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            else:
                continue
            # a module importing its own package (or the package its submodule) is no cycle
            graph[m] |= {t for t in names if t in mods and t != m and not m.startswith(t + ".")}
    return graph


def test_no_import_cycle():
    graph = _imports(ROOT / "assistant")
    cycles = []
    for start in graph:
        stack = [(start, [start])]
        seen = set()
        while stack:
            node, path = stack.pop()
            for nxt in graph[node]:
                if nxt == start:
                    cycles.append(" -> ".join([*path, start]))
                elif nxt not in seen:
                    seen.add(nxt)
                    stack.append((nxt, [*path, nxt]))
    assert not cycles, "import cycles:\n" + "\n".join(sorted(set(cycles)))


def test_the_cycle_check_sees_a_cycle(tmp_path):
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "a.py").write_text("def f():\n    from .b import g\n")
    (pkg / "b.py").write_text("from . import a\n")
    graph = _imports(pkg)
    assert graph["pkg.a"] == {"pkg.b"} and "pkg.a" in graph["pkg.b"]


def test_modules_fit_in_one_sitting():
    long = {
        str(p.relative_to(ROOT)): n
        for p in sorted((ROOT / "assistant").rglob("*.py"))
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > 500
    }
    assert not long, f"modules over 500 lines: {long}"
