"""The embedding cache: plain .npy + JSON shards, append-only, tolerant of damage."""

from __future__ import annotations

import numpy as np

from assistant.indexing import cache as cache_mod
from assistant.indexing.cache import EmbeddingCache, text_key
from assistant.indexing.embedders import FakeEmbedder


def _vecs(texts):
    return FakeEmbedder().encode_passages(texts)


def test_vectors_survive_a_new_process_view(tmp_path):
    texts = ["Sở Thông tin và Truyền thông", "Công an tỉnh", "Ủy ban nhân dân huyện"]
    c = EmbeddingCache(tmp_path, "fake-v1", 256)
    c.add([text_key(t) for t in texts], _vecs(texts))
    again = EmbeddingCache(tmp_path, "fake-v1", 256)
    assert len(again) == 3
    assert np.array_equal(again.get(text_key(texts[1])), _vecs(texts)[1])
    # another embedder id never sees these vectors
    assert len(EmbeddingCache(tmp_path, "fake-v2", 256)) == 0
    for f in c.dir.glob("shard-*.npy"):
        assert not f.read_bytes().startswith(b"\x80")
        assert np.load(f, allow_pickle=False).dtype == np.float32


def test_appends_new_shards_and_never_rewrites_old_ones(tmp_path):
    c = EmbeddingCache(tmp_path, "fake-v1", 256)
    c.add([text_key("a")], _vecs(["a"]))
    first = {p: p.stat().st_mtime_ns for p in c.dir.glob("shard-*")}
    c.add([text_key("b")], _vecs(["b"]))
    assert all(p.stat().st_mtime_ns == m for p, m in first.items())
    assert len(list(c.dir.glob("shard-*.json"))) == 2


def test_a_damaged_shard_is_skipped(tmp_path):
    c = EmbeddingCache(tmp_path, "fake-v1", 256)
    c.add([text_key("a")], _vecs(["a"]))
    c.add([text_key("b"), text_key("c")], _vecs(["b", "c"]))
    victim = max(c.dir.glob("shard-*.npy"), key=lambda p: p.stat().st_size)
    victim.write_bytes(victim.read_bytes()[:100])  # truncated by a crash or a full disk
    again = EmbeddingCache(tmp_path, "fake-v1", 256)
    assert again.get(text_key("a")) is not None
    assert again.get(text_key("b")) is None and again.get(text_key("c")) is None


def test_compaction_merges_many_shards(tmp_path, monkeypatch):
    monkeypatch.setattr(cache_mod, "COMPACT_ABOVE", 3)
    c = EmbeddingCache(tmp_path, "fake-v1", 256)
    words = [f"w{i}" for i in range(6)]
    for w in words:
        c.add([text_key(w)], _vecs([w]))
    EmbeddingCache(tmp_path, "fake-v1", 256).compact()
    assert len(list(c.dir.glob("shard-*.json"))) == 1
    merged = EmbeddingCache(tmp_path, "fake-v1", 256)
    assert all(np.array_equal(merged.get(text_key(w)), _vecs([w])[0]) for w in words)
