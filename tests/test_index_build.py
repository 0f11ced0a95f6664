"""Building on the real corpus with the fake embedder: cache reuse, add/remove, failures, kills, locks."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
import zipfile
from pathlib import Path

import pytest

from assistant.errors import IndexCorrupt, IndexMismatch, IndexMissing
from assistant.indexing.build import add_document, build_index, remove_document
from assistant.indexing.embedders import FakeEmbedder
from assistant.indexing.store import IndexStore
from assistant.ingest import parse_file
from assistant.retrieve import HybridRetriever
from assistant.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
QUESTION = "Đơn vị nào chủ trì sản xuất video clip quảng bá?"


class Counting(FakeEmbedder):
    """The fake embedder, counting every passage text it is asked to embed."""

    def __init__(self, fail_after: int | None = None):
        super().__init__()
        self.texts: list[str] = []
        self.fail_after = fail_after

    def _encode(self, texts, is_query):
        if not is_query:
            if self.fail_after is not None and len(self.texts) >= self.fail_after:
                raise RuntimeError("embedder crashed")
            self.texts += texts
        return super()._encode(texts, is_query)


@pytest.fixture(scope="session")
def parsed_once(tmp_path_factory, corpus_files) -> Path:
    """One real build, so each test starts with the corpus already parsed (parsing is the slow part)."""
    base = tmp_path_factory.mktemp("parsed-once")
    build_index(
        Settings(
            corpus_dir=corpus_files[0].parent,
            index_dir=base / "index",
            data_dir=base / "data",
            embedder="fake",
        ),
        embedder=FakeEmbedder(),
    )
    return base / "data" / "cache" / "parsed"


@pytest.fixture
def corpus(tmp_path, monkeypatch, corpus_files, parsed_once):
    d = tmp_path / "corpus"
    d.mkdir()
    for f in corpus_files:
        shutil.copy(f, d / f.name)
    monkeypatch.setenv("TLKH_CORPUS_DIR", str(d))
    # seed only the parse cache: every embedding still has to be computed (and counted)
    shutil.copytree(parsed_once, tmp_path / "data" / "cache" / "parsed")
    return d


@pytest.fixture
def settings(corpus):
    return Settings(embedder="fake")


def _unique_texts(paths) -> set[str]:
    return {p.embed_text or p.text for f in paths for p in parse_file(f).passages}


def _top_ids(settings, k=3) -> list[str]:
    store = IndexStore.load(settings.index_dir, "fake-v1")
    return [h.passage.id for h in HybridRetriever(store, FakeEmbedder(), settings).search(QUESTION, k=k)]


def test_reindex_unchanged_corpus_embeds_nothing(settings, corpus):
    emb = Counting()
    first = build_index(settings, embedder=emb)
    expected = _unique_texts(sorted(corpus.iterdir()))
    assert set(emb.texts) == expected and len(emb.texts) == len(expected) == first.embedded_new
    assert first.docs == 5 and first.passages >= len(expected) and not first.errors
    emb.texts.clear()
    second = build_index(settings, embedder=emb)
    assert emb.texts == [] and second.embedded_new == 0
    assert second.cache_hits == second.passages == first.passages


def test_adding_one_plan_embeds_only_its_passages(settings, corpus, tmp_path):
    files = sorted(corpus.iterdir())
    new = files[-1]
    held = tmp_path / "upload" / new.name
    held.parent.mkdir()
    shutil.move(new, held)
    emb = Counting()
    build_index(settings, embedder=emb)
    old_texts = set(emb.texts)
    emb.texts.clear()

    report = add_document(settings, held, embedder=emb)
    new_texts = _unique_texts([held]) - old_texts
    assert new_texts and set(emb.texts) == new_texts and len(emb.texts) == len(new_texts)
    assert report.embedded_new == len(new_texts) and report.docs == 5
    assert (corpus / new.name).read_bytes() == held.read_bytes()  # kept for later full builds
    store = IndexStore.load(settings.index_dir, "fake-v1")
    assert new.name in store.docs and new.name in store.manifest["sources"]
    assert any(p.doc == new.name for p in store.passages)

    # the plan's vectors are reusable even when the cache is gone: remove, wipe cache, re-add
    remove_document(settings, new.name)
    shutil.rmtree(Path(settings.data_dir) / "cache")
    emb.texts.clear()
    add_document(settings, held, embedder=emb)
    assert set(emb.texts) == new_texts  # the other four plans came from the live index
    emb.texts.clear()
    assert build_index(settings, embedder=emb).embedded_new == 0 and emb.texts == []


def test_editing_one_plan_reembeds_only_the_passages_that_changed(settings, corpus):
    emb = Counting()
    build_index(settings, embedder=emb)
    f = sorted(corpus.iterdir())[2]
    text = f.read_text(encoding="utf-8")
    passages = parse_file(f).passages
    target = max((p for p in passages if p.kind == "article"), key=lambda p: len(p.text))
    line = next(ln for ln in target.text.splitlines() if len(ln) > 60 and ln in text)
    f.write_text(text.replace(line, line.replace(" ", "  ", 1).upper(), 1), encoding="utf-8")
    emb.texts.clear()
    report = build_index(settings, embedder=emb)
    assert 1 <= len(emb.texts) <= 3 < len(passages)  # the file was re-parsed, the rest came from the cache
    store = IndexStore.load(settings.index_dir, "fake-v1")
    assert any(line.upper().split()[0] in p.text for p in store.passages if p.doc == f.name)
    assert report.embedded_new == len(emb.texts)


def test_remove_document(settings, corpus):
    build_index(settings, embedder=FakeEmbedder())
    victim = sorted(corpus.iterdir())[0].name
    report = remove_document(settings, victim)
    store = IndexStore.load(settings.index_dir, "fake-v1")
    assert victim not in store.docs and all(p.doc != victim for p in store.passages)
    assert report.docs == 4 and report.embedded_new == 0
    assert not (corpus / victim).exists()
    assert list((Path(settings.data_dir) / "removed").glob(f"*{victim}"))  # moved aside, not lost
    assert build_index(settings, embedder=FakeEmbedder()).docs == 4


def test_a_bad_plan_is_reported_and_the_others_indexed(settings, corpus):
    (corpus / "hong.pdf").write_bytes(b"%PDF-1.4\nnot really a pdf\x00\xff")
    (corpus / "trong.txt").write_text("", encoding="utf-8")
    report = build_index(settings, embedder=FakeEmbedder())
    assert {name for name, _ in report.errors} == {"hong.pdf", "trong.txt"}
    assert all(msg for _, msg in report.errors)
    assert report.docs == 5


def test_failed_build_leaves_the_previous_index_serving(settings, corpus):
    build_index(settings, embedder=FakeEmbedder())
    before = _top_ids(settings)
    crashing = Counting(fail_after=40)  # another model id: nothing cached, crashes mid-way
    crashing.id = "fake-crash"
    with pytest.raises(RuntimeError):
        build_index(settings, embedder=crashing)
    assert len(crashing.texts) == 48
    assert _top_ids(settings) == before
    assert IndexStore.load(settings.index_dir).manifest["doc_count"] == 5
    assert not list(Path(settings.index_dir).parent.glob(".index.*"))


_SCRIPT = textwrap.dedent("""
    import json, os, sys, time
    from pathlib import Path
    from assistant.settings import Settings
    from assistant.indexing.build import build_index
    from assistant.indexing.embedders import FakeEmbedder

    class Slow(FakeEmbedder):
        def __init__(self, delay, ident):
            super().__init__()
            self.id, self.delay = ident, delay
        def _encode(self, texts, is_query):
            time.sleep(self.delay)
            return super()._encode(texts, is_query)

    log, delay, ident = Path(sys.argv[1]), float(sys.argv[2]), sys.argv[3]
    go = Path(sys.argv[4]) if len(sys.argv) > 4 else None
    if go is not None:
        print("ready", flush=True)
        while not go.exists():
            time.sleep(0.01)
    def progress(done, total, note):
        with open(log, "a") as f:
            f.write(json.dumps([os.getpid(), done, total, note]) + "\\n")
        print("progress", done, total, note, flush=True)
    report = build_index(Settings(), progress=progress, embedder=Slow(delay, ident))
    print("report", report.embedded_new, flush=True)
""")


def _spawn(tmp_path, *args) -> subprocess.Popen:
    script = tmp_path / "build_script.py"
    script.write_text(_SCRIPT, encoding="utf-8")
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    return subprocess.Popen(
        [sys.executable, str(script), *map(str, args)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_killed_build_leaves_the_previous_index_loadable(settings, corpus, tmp_path):
    build_index(settings, embedder=FakeEmbedder())
    before = _top_ids(settings)
    proc = _spawn(tmp_path, tmp_path / "log.jsonl", 0.15, "fake-slow")
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            assert line, proc.stderr.read()
            parts = line.split()
            if parts[0] == "progress" and parts[3] == "nhúng" and int(parts[1]) >= 48:
                break
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.kill()
        proc.wait(30)
    assert proc.returncode == -signal.SIGKILL
    store = IndexStore.load(settings.index_dir, "fake-v1")  # the old index, intact
    assert store.manifest["embedder"]["id"] == "fake-v1"
    assert _top_ids(settings) == before
    # the dead build's lock is gone and its leftovers are cleaned by the next build
    report = build_index(settings, embedder=FakeEmbedder())
    assert report.embedded_new == 0 and _top_ids(settings) == before
    assert not list(Path(settings.index_dir).parent.glob(".index.*"))


def test_two_concurrent_builds_serialize(settings, corpus, tmp_path):
    log, go = tmp_path / "log.jsonl", tmp_path / "go"
    procs = [_spawn(tmp_path, log, 0.03, "fake-slow-2", go) for _ in range(2)]
    try:
        for p in procs:
            assert p.stdout.readline().strip() == "ready", p.stderr.read()
        go.touch()
        outs = [p.communicate(timeout=300) for p in procs]
    finally:
        for p in procs:
            p.kill()
    assert [p.returncode for p in procs] == [0, 0], [o[1][-2000:] for o in outs]
    events = [json.loads(line) for line in log.read_text().splitlines()]
    pids = [e[0] for e in events]
    switches = sum(1 for a, b in zip(pids, pids[1:]) if a != b)
    assert len(set(pids)) == 2 and switches == 1, "the two builds interleaved"
    embedded = sorted(int(o[0].split("report")[-1]) for o in outs)
    assert embedded[0] == 0 and embedded[1] > 0  # the second one found the first one's vectors
    IndexStore.load(settings.index_dir, "fake-slow-2")


def _manifest(settings) -> dict:
    return json.loads((Path(settings.index_dir) / "manifest.json").read_text(encoding="utf-8"))


def test_missing_index(settings):
    with pytest.raises(IndexMissing) as e:
        IndexStore.load(settings.index_dir)
    assert "python -m assistant index" in e.value.user_message()


@pytest.mark.parametrize(
    "damage", ["truncate-faiss", "edit-passages", "delete-vocab", "garbage-manifest", "flip-npy"]
)
def test_damaged_component_is_refused_with_the_rebuild_command(settings, corpus, damage):
    build_index(settings, embedder=FakeEmbedder())
    idx = Path(settings.index_dir)
    if damage == "truncate-faiss":
        data = (idx / "dense.faiss").read_bytes()
        (idx / "dense.faiss").write_bytes(data[: len(data) // 2])
    elif damage == "edit-passages":
        text = (idx / "passages.jsonl").read_text(encoding="utf-8")
        (idx / "passages.jsonl").write_text(text.replace("video", "vidéo", 1), encoding="utf-8")
    elif damage == "delete-vocab":
        (idx / "lexical" / "vocab.json").unlink()
    elif damage == "garbage-manifest":
        (idx / "manifest.json").write_text("{not json", encoding="utf-8")
    else:
        f = idx / "lexical" / "weights.npy"
        raw = bytearray(f.read_bytes())
        raw[-1] ^= 0xFF
        f.write_bytes(bytes(raw))
    with pytest.raises(IndexCorrupt) as e:
        IndexStore.load(idx, "fake-v1")
    assert "python -m assistant index" in e.value.user_message()
    build_index(settings, embedder=FakeEmbedder())  # the one command fixes it
    IndexStore.load(idx, "fake-v1")


@pytest.mark.parametrize(
    "field, value, words",
    [
        ("embedder", {"id": "st:/models/other", "dim": 256}, ["st:/models/other", "fake-v1"]),
        ("normaliser_version", 999, ["999"]),
        ("format_version", 999, ["999"]),
        ("lexical_version", "0:old", ["0:old"]),
    ],
)
def test_index_built_differently_is_refused(settings, corpus, field, value, words):
    build_index(settings, embedder=FakeEmbedder())
    m = _manifest(settings)
    m[field] = value
    (Path(settings.index_dir) / "manifest.json").write_text(json.dumps(m), encoding="utf-8")
    with pytest.raises(IndexMismatch) as e:
        IndexStore.load(settings.index_dir, "fake-v1")
    msg = e.value.user_message()
    assert "python -m assistant index" in msg
    for w in words:
        assert w in msg + e.value.message_en


def _assert_no_pickle(root: Path) -> int:
    import numpy as np

    n = 0
    for f in root.rglob("*"):
        if not f.is_file():
            continue
        n += 1
        head = f.read_bytes()[:4]
        assert not head.startswith(b"\x80"), f"{f} looks like a pickle"
        if zipfile.is_zipfile(f):
            with zipfile.ZipFile(f) as z:
                assert not [x for x in z.namelist() if x.endswith((".pkl", ".pickle"))], f
        if f.suffix == ".npy":
            assert np.load(f, allow_pickle=False).dtype != object
    return n


def test_no_pickle_in_index_or_cache(settings, corpus):
    build_index(settings, embedder=FakeEmbedder())
    assert _assert_no_pickle(Path(settings.index_dir)) >= 8
    assert _assert_no_pickle(Path(settings.data_dir) / "cache") >= 2


def test_an_index_of_another_parser_serves_and_is_rebuilt_where_building_is_allowed(settings, corpus):
    from assistant.core import Assistant
    from assistant.indexing.cache import parser_fingerprint

    build_index(settings, embedder=FakeEmbedder())
    m = _manifest(settings)
    assert m["parser_fingerprint"] == parser_fingerprint()
    m["parser_fingerprint"] = "an-older-parser"
    (Path(settings.index_dir) / "manifest.json").write_text(json.dumps(m), encoding="utf-8")

    # a server that may not build keeps serving the old passages and says so
    serving = Assistant(settings, embedder=FakeEmbedder())
    assert not serving.ask(QUESTION).refused
    health = serving.health()
    assert health["status"] == "ok" and health["parser_stale"] is True
    assert "python -m assistant index" in health["hint"]
    assert _manifest(settings)["parser_fingerprint"] == "an-older-parser"

    # where building is allowed (first run, the eval's work folders), the index is rebuilt
    rebuilt = Assistant(settings, build_if_missing=True, embedder=FakeEmbedder())
    assert not rebuilt.ask(QUESTION).refused
    assert _manifest(settings)["parser_fingerprint"] == parser_fingerprint()
    assert "parser_stale" not in rebuilt.health()
