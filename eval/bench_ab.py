"""Interleaved A/B of the in-process search: ``python -m eval.bench --scales 1,1000 --ab REV``.

The benchmark machine is noisy (two shared cores, other jobs): two runs minutes apart differ by
more than most changes to the search, so a figure compares only within one run. Here the old
search (the search modules as they are at git revision ``REV``) and the new one (the working
tree) run in one process over the same synthetic store, alternating question by question (which
goes first alternates too), and only their ratios are reported.

The old modules are loaded from ``git show REV:path`` under their own names, each bound to the
other old ones (an old ``store`` calls the old ``postings``), then the real modules are put back:
everything else (the question parser, the snapshot, FAISS, the passages) is shared. The old store
is the new one's arrays handed to the old classes, so nothing is copied but what each side
derives at its first question (dense columns, twin pairs), outside the timings.
"""

from __future__ import annotations

import dataclasses
import importlib
import subprocess
import sys
import time
import types
from pathlib import Path

import numpy as np

__all__ = ["SEARCH_MODULES", "ab_table", "load_old", "measure_ab", "old_store", "resolve"]

# the in-process search, in import order: each is loaded old with the ones before it already old
SEARCH_MODULES = (
    "assistant.indexing.selection",
    "assistant.indexing.twins",
    "assistant.indexing.rows",
    "assistant.indexing.postings",
    "assistant.indexing.lexical",
    "assistant.indexing.store",
    "assistant.retrieve",
)
REPO = Path(__file__).resolve().parent.parent


def resolve(rev: str, repo: Path = REPO) -> str:
    """``rev`` as a commit id, fixed when the benchmark starts: a commit made during the run (a
    child process at ×1000 runs for minutes) must not change what "old" is."""
    out = subprocess.run(
        ["git", "-C", str(repo), "rev-parse", "--verify", f"{rev}^{{commit}}"],
        capture_output=True,
        text=True,
        check=False,
    )
    if out.returncode != 0:
        raise SystemExit(f"--ab {rev}: not a commit ({out.stderr.strip()})")
    return out.stdout.strip()


def load_old(
    rev: str, repo: Path = REPO, modules: tuple[str, ...] = SEARCH_MODULES
) -> dict[str, types.ModuleType]:
    """``modules`` (in import order) as they are at ``rev``, bound to each other; ``sys.modules``
    restored. A module that did not exist at ``rev`` is not loaded (nothing old imports it)."""
    sources = {}
    for name in modules:
        path = name.replace(".", "/") + ".py"
        out = subprocess.run(
            ["git", "-C", str(repo), "show", f"{rev}:{path}"], capture_output=True, text=True, check=False
        )
        exists = subprocess.run(
            ["git", "-C", str(repo), "cat-file", "-e", f"{rev}:{path}"], capture_output=True, check=False
        )
        if exists.returncode != 0:
            continue
        if out.returncode != 0:
            raise SystemExit(f"--ab {rev}: cannot read {path} ({out.stderr.strip()})")
        sources[name] = (path, out.stdout)
    for name in modules:  # the real ones first: their packages initialised, then set aside
        importlib.import_module(name)
    saved = {name: sys.modules.get(name) for name in modules}
    old: dict[str, types.ModuleType] = {}
    try:
        for name, (path, src) in sources.items():
            mod = types.ModuleType(name)
            mod.__package__ = name.rpartition(".")[0]
            mod.__file__ = f"{rev}:{path}"
            sys.modules[name] = mod  # the later old modules' relative imports find this one
            exec(compile(src, mod.__file__, "exec"), mod.__dict__)
            old[name] = mod
    finally:
        for name, mod0 in saved.items():
            if mod0 is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = mod0
    return old


def old_store(store, old: dict[str, types.ModuleType]):
    """The same passages, vectors and postings arrays in the old classes (fields matched by name)."""
    post_cls = old["assistant.indexing.postings"].Postings
    lex_cls = old["assistant.indexing.lexical"].LexicalIndex
    store_cls = old["assistant.indexing.store"].IndexStore

    def post(p):
        if p is None:
            return None
        return post_cls(**{f.name: getattr(p, f.name) for f in dataclasses.fields(post_cls)})

    def lex(ix):
        return lex_cls(post(ix.postings), ix.n_docs)

    return store_cls(
        store.directory,
        store.manifest,
        store.passages,
        store.docs,
        store.dense,
        lex(store.lexical),
        lex(store.lexical_units),
    )


def _pct(xs: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(xs), q)) if xs else float("nan")


def _lexical_overlap(old_st, new_st, queries: list, k: int, use_units: bool) -> dict:
    """The new lexical top 10 and top ``max(50, 5k)`` (what the search fuses) against the old one's:
    the share of the old passages the new one also returns, averaged over the questions."""
    n = max(50, 5 * k)
    o10, on = [], []
    for q in queries:
        text = q.lexical_text or q.text
        a = [i for i, _ in old_st.lexical_search(text, n, use_units=use_units)]
        b = [i for i, _ in new_st.lexical_search(text, n, use_units=use_units)]
        o10.append(len(set(a[:10]) & set(b[:10])) / max(1, len(a[:10])))
        on.append(len(set(a) & set(b)) / max(1, len(a)))
    return {"lex_k": n, "lex_overlap10": float(np.mean(o10)), "lex_overlap": float(np.mean(on))}


def measure_ab(new_retriever, store, rev: str, queries: list, k: int, rounds: int) -> dict:
    """CPU ms of the old and the new search, alternating per question, ``rounds`` passes; how many
    questions get the same passages (ids, in order) from both; the lexical top k's overlap."""
    old = load_old(rev)
    ost = old_store(store, old)
    old_r = old["assistant.retrieve"].HybridRetriever(
        ost, new_retriever.embedder, new_retriever.settings, snapshot=new_retriever.snapshot
    )
    sides = {"old": old_r, "new": new_retriever}
    for r in sides.values():
        r.search(queries[0], k=k)  # warm-up: each side derives its columns and twin pairs
    cpu: dict[str, list[float]] = {"old": [], "new": []}
    same = 0
    for rnd in range(rounds):
        for i, q in enumerate(queries):
            order = ("old", "new") if (i + rnd) % 2 == 0 else ("new", "old")
            ids = {}
            for side in order:
                c = time.process_time()
                hits = sides[side].search(q, k=k)
                cpu[side].append((time.process_time() - c) * 1000)
                ids[side] = [h.passage.id for h in hits]
            same += rnd == 0 and ids["old"] == ids["new"]
    out = {"rev": rev, "rounds": rounds, "questions": len(queries), "same_hits": int(same)}
    out |= _lexical_overlap(ost, store, queries, k, bool(new_retriever.settings.use_units))
    for side, xs in cpu.items():
        out[side] = {"p50": _pct(xs, 50), "p95": _pct(xs, 95), "mean": float(np.mean(xs))}
    return out


def ab_table(rows: list[dict], table) -> str:
    """One line per scale: old and new CPU p50 / p95 / mean and new ÷ old (``table`` formats)."""
    body = []
    for r in rows:
        ab = r.get("ab")
        if not ab:
            continue
        o, n = ab["old"], ab["new"]
        body.append(
            [
                f"×{r['scale']}",
                f"{ab['questions']} × {ab['rounds']}",
                *(x for m in ("p50", "p95", "mean") for x in (o[m], n[m])),
                *(n[m] / o[m] for m in ("p50", "p95", "mean")),
                f"{ab['same_hits']}/{ab['questions']}",
                ab["lex_overlap10"],
                ab["lex_overlap"],
            ]
        )
    rev = rows[0]["ab"]["rev"][:10] if rows and rows[0].get("ab") else "?"
    return table(
        f"Interleaved A/B, hybrid search CPU ms: old = {rev}, new = working tree, alternating per question",
        [
            "scale",
            "searches",
            "old p50",
            "new p50",
            "old p95",
            "new p95",
            "old mean",
            "new mean",
            "× p50",
            "× p95",
            "× mean",
            "same hits",
            "lexical top 10 overlap",
            f"lexical top {rows[0]['ab']['lex_k'] if rows and rows[0].get('ab') else '?'} overlap",
        ],
        body,
    )
