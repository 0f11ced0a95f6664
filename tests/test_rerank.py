"""The learned passage reranker (assistant.rerank): the shipped model lifts the passage whose own
structure answers the question, its JSON is checked on load, and the setting turns it off."""

from __future__ import annotations

import json

import pytest

from assistant.indexing.embedders import FakeEmbedder
from assistant.indexing.store import IndexStore, write_index
from assistant.query.model import Intent, Query
from assistant.records import DocMeta, Hit, Passage
from assistant.rerank import (
    FEATURES,
    FORMAT,
    VERSION,
    RerankerFileError,
    candidate_features,
    default_reranker,
    load_reranker,
    rerank,
)
from assistant.retrieve import HybridRetriever
from assistant.settings import Settings
from assistant.vocab.tokens import folded_tokens

DOC, OTHER = "kh-chuyen-doi-so.txt", "kh-du-lich.txt"
STC = "Sở Tài chính"
SKH = "Sở Khoa học và Công nghệ"


def _p(
    i: int, text: str, *, doc: str = DOC, kind: str = "article", section=(), lead=(), partners=()
) -> Passage:
    return Passage(
        id=f"{doc}-{i}",
        doc=doc,
        kind=kind,
        text=text,
        section=tuple(section),
        lead=tuple(lead),
        partners=tuple(partners),
        embed_text=" ".join([*section, text]),
    )


# A plan's assignment table: the row whose own lead cell is the unit asked, and, ranked above it by
# fusion, an article that merely names the unit in its text (a partner, written in a sentence)
ROW = _p(
    1,
    "Bố trí kinh phí thực hiện chuyển đổi số hằng năm.",
    kind="table_row",
    section=("III. NHIỆM VỤ", "2. Bảo đảm nguồn lực"),
    lead=[STC],
)
TEXT = _p(
    2,
    "Sở Khoa học và Công nghệ chủ trì, Sở Tài chính phối hợp bố trí kinh phí hằng năm cho các "
    "nhiệm vụ khoa học công nghệ theo quy định, bảo đảm tiến độ, hiệu quả và tiết kiệm.",
    section=("IV. TỔ CHỨC THỰC HIỆN",),
    lead=[SKH],
    partners=[STC],
)


def _query() -> Query:
    text = "Sở Tài chính chủ trì bố trí kinh phí gì?"
    terms = [t for t in folded_tokens(text) if t not in {"so", "tai", "chinh", "gi"}]
    return Query(text=text, intent=Intent.UNIT_TASKS, terms=terms, units=[STC], lexical_text=text)


def test_the_shipped_model_lifts_the_row_the_unit_leads():
    # fusion put the article first (more of the question's words, a longer text)
    hits = [
        Hit(passage=TEXT, score=1.0, dense=0.86, lexical=6.0, rank=1),
        Hit(passage=ROW, score=0.8, dense=0.85, lexical=4.0, rank=2),
    ]
    out = rerank(_query(), hits, default_reranker())
    assert [h.passage.id for h in out] == [ROW.id, TEXT.id]
    assert [h.rank for h in out] == [1, 2]
    assert out[0].score == 0.8  # the fused score stays the hit's own (the refusal scorer reads it)


def test_features_read_the_passages_own_cells():
    xs = candidate_features(_query(), [Hit(TEXT, 1.0, 0.86, 6.0, 1), Hit(ROW, 0.8, 0.85, 4.0, 2)])
    assert set(xs[0]) == set(FEATURES)
    assert (xs[0]["unit_lead"], xs[0]["unit_partner"], xs[0]["unit_other"]) == (0.0, 1.0, 0.0)
    assert (xs[1]["unit_lead"], xs[1]["table_row"], xs[1]["fused_rank_inv"]) == (1.0, 1.0, 0.5)


def _store(tmp_path, passages):
    emb = FakeEmbedder()
    docs = [DocMeta(doc=DOC, title="Kế hoạch chuyển đổi số"), DocMeta(doc=OTHER, title="Kế hoạch du lịch")]
    vecs = emb.encode_passages([p.embed_text for p in passages])
    write_index(
        tmp_path / "idx",
        passages,
        docs,
        vecs,
        embedder_id=emb.id,
        dim=emb.dim,
        sources={},
        ann_threshold=50_000,
    )
    return IndexStore.load(tmp_path / "idx", emb.id)


def test_the_setting_turns_it_on_and_off(tmp_path):
    filler = [_p(10 + i, f"Tổ chức hoạt động du lịch số {i} tại địa phương.", doc=OTHER) for i in range(4)]
    store = _store(tmp_path, [TEXT, ROW, *filler])
    q = _query()
    on = HybridRetriever(store, FakeEmbedder(), Settings(embedder="fake", rerank=True))
    off = HybridRetriever(store, FakeEmbedder(), Settings(embedder="fake"))  # off by default
    fused = [h.passage.id for h in off.search(q, k=4)]
    ranked = [h.passage.id for h in on.search(q, k=4)]
    assert fused[0] == TEXT.id and ranked[0] == ROW.id
    assert ranked == [h.passage.id for h in rerank(q, off.search(q, k=20), default_reranker())][:4]


def _write(path, **change):
    data = json.loads(json.dumps(default_reranker().to_json()))
    data.update(change)
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_the_stored_model_loads_with_its_version():
    m = load_reranker()
    assert m.names == FEATURES and m.depth >= 2 and len(m.weights) == len(FEATURES)


@pytest.mark.parametrize(
    "change",
    [
        {"version": VERSION - 1},
        {"format": FORMAT + "-x"},
        {"features": list(FEATURES[:-1])},
        {"weights": [0.0]},
        {"depth": 1},
    ],
)
def test_another_version_or_shape_is_refused_clearly(tmp_path, change):
    with pytest.raises(RerankerFileError) as e:
        load_reranker(_write(tmp_path / "r.json", **change))
    assert "eval.rerank_train" in str(e.value.hint)


def test_unreadable_file_is_refused_clearly(tmp_path):
    (tmp_path / "r.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(RerankerFileError):
        load_reranker(tmp_path / "r.json")
