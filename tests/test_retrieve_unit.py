"""HybridRetriever over a small hand-made store (fake embedder): fusion, filters, dedupe, ablation."""

from __future__ import annotations

import numpy as np
import pytest
from langchain_core.documents import Document

from assistant.errors import BadQuestion, ConfigError
from assistant.indexing.embedders import FakeEmbedder
from assistant.indexing.store import IndexStore, write_index
from assistant.records import DocMeta, Passage
from assistant.retrieve import HybridRetriever
from assistant.settings import Settings

DN, DT, LV = "dong-nai-test.txt", "dong-thap-test.txt", "lap-vo-test.txt"
STT = "Sở Thông tin và Truyền thông"
SVH = "Sở Văn hóa, Thể thao và Du lịch"
CA = "Công an tỉnh"


def _p(i, doc, text, province, district=None, kind="article", lead=(), partners=()):
    return Passage(
        id=f"{doc}-{i}",
        doc=doc,
        kind=kind,
        text=text,
        province=province,
        district=district,
        lead=tuple(lead),
        partners=tuple(partners),
        embed_text=text,
    )


PASSAGES = [
    _p(0, DN, "Sản xuất video clip quảng bá hình ảnh tỉnh trên mạng xã hội.", "Đồng Nai", lead=[STT]),
    _p(1, DN, "Tổ chức lễ hội văn hóa, thu hút khách du lịch đến tỉnh.", "Đồng Nai", lead=[SVH]),
    _p(
        2, DN, "Bảo vệ hệ thống mạng, xử lý tin giả.", "Đồng Nai", kind="table_row", lead=[CA], partners=[STT]
    ),
    _p(
        3,
        DT,
        "Sản xuất video clip giới thiệu sản phẩm OCOP của tỉnh.",
        "Đồng Tháp",
        kind="table_row",
        lead=[SVH],
        partners=[STT],
    ),
    _p(4, DT, "Tổ chức hội nghị xúc tiến đầu tư với doanh nghiệp nước ngoài.", "Đồng Tháp"),
    _p(
        5,
        DT,
        "Bồi dưỡng kỹ năng phát ngôn cho cán bộ làm công tác thông tin đối ngoại.",
        "Đồng Tháp",
        lead=[STT],
    ),
    _p(
        6,
        LV,
        "Sản xuất video clip quảng bá du lịch huyện Lấp Vò.",
        "Đồng Tháp",
        district="Lấp Vò",
        kind="table_row",
        lead=["Phòng Văn hóa và Thông tin huyện"],
    ),
    # near-identical copy of 6 (a page repeated in a scan): must not appear twice
    _p(
        7,
        LV,
        "Sản xuất video clip quảng bá du lịch huyện Lấp Vò .",
        "Đồng Tháp",
        district="Lấp Vò",
        kind="table_row",
        lead=["Phòng Văn hóa và Thông tin huyện"],
    ),
    _p(8, LV, "Kinh phí thực hiện từ ngân sách huyện năm 2024.", "Đồng Tháp", district="Lấp Vò"),
]
DOCS = [
    DocMeta(doc=DN, title="Kế hoạch truyền thông Đồng Nai", province="Đồng Nai"),
    DocMeta(doc=DT, title="Kế hoạch thông tin đối ngoại Đồng Tháp", province="Đồng Tháp"),
    DocMeta(doc=LV, title="Kế hoạch truyền thông Lấp Vò", province="Đồng Tháp", district="Lấp Vò"),
]


def _store(tmp_path, ann_threshold=50_000, passages=PASSAGES) -> IndexStore:
    emb = FakeEmbedder()
    vecs = emb.encode_passages([p.embed_text for p in passages])
    write_index(
        tmp_path / "idx",
        passages,
        DOCS,
        vecs,
        embedder_id=emb.id,
        dim=emb.dim,
        sources={},
        ann_threshold=ann_threshold,
    )
    return IndexStore.load(tmp_path / "idx", emb.id)


@pytest.fixture
def retriever(tmp_path):
    return HybridRetriever(_store(tmp_path), FakeEmbedder(), Settings(embedder="fake"))


@pytest.mark.parametrize("fusion", ["minmax", "rrf"])
def test_both_fusions_rank_the_obvious_passage_first(tmp_path, fusion):
    r = HybridRetriever(_store(tmp_path), FakeEmbedder(), Settings(embedder="fake", fusion=fusion))
    hits = r.search("hội nghị xúc tiến đầu tư nước ngoài", k=3)
    assert hits[0].passage.id == f"{DT}-4"
    assert [h.rank for h in hits] == [1, 2, 3]
    assert all(h.dense is not None and h.lexical is not None for h in hits)
    assert hits[0].score >= hits[1].score >= hits[2].score


def test_k_and_dedupe(retriever):
    hits = retriever.search("video clip quảng bá du lịch huyện Lấp Vò", k=5)
    ids = [h.passage.id for h in hits]
    assert len(ids) == 5 and len(set(ids)) == 5
    assert ids[0] in (f"{LV}-6", f"{LV}-7")
    assert not ({f"{LV}-6", f"{LV}-7"} <= set(ids)), "near-identical passages both returned"


def test_province_filter_keeps_other_provinces_out(retriever):
    q = "sản xuất video clip"
    unfiltered = {h.passage.province for h in retriever.search(q, k=6)}
    assert {"Đồng Nai", "Đồng Tháp"} <= unfiltered
    hits = retriever.search(q, filters={"province": "Đồng Nai"}, k=6)
    assert hits and {h.passage.province for h in hits} == {"Đồng Nai"}
    # written as officials write it: prefix and no diacritics
    assert [h.passage.id for h in retriever.search(q, filters={"province": "tinh dong nai"}, k=6)] == [
        h.passage.id for h in hits
    ]


def test_district_doc_kind_filters(retriever):
    q = "video clip"
    assert {h.passage.district for h in retriever.search(q, filters={"district": "huyện Lấp Vò"})} == {
        "Lấp Vò"
    }
    assert {h.passage.doc for h in retriever.search(q, filters={"doc": [DN, LV]})} <= {DN, LV}
    kinds = {h.passage.kind for h in retriever.search(q, filters={"kind": "table_row"})}
    assert kinds == {"table_row"}


def test_unit_filter_matches_lead_or_partner(retriever):
    hits = retriever.search("nhiệm vụ", filters={"unit": STT}, k=10)
    assert {h.passage.id for h in hits} >= {f"{DN}-0", f"{DN}-2", f"{DT}-3"}
    for h in hits:
        assert STT in h.passage.lead + h.passage.partners
    # case/diacritics-insensitive comparison of the canonical name
    assert {
        h.passage.id
        for h in retriever.search("nhiệm vụ", filters={"unit": "so thong tin va truyen thong"}, k=10)
    } == {h.passage.id for h in hits}


def test_filters_that_match_nothing_and_bad_input(retriever):
    assert retriever.search("video clip", filters={"province": "Cà Mau"}) == []
    with pytest.raises(BadQuestion):
        retriever.search("video clip", filters={"ward": "x"})
    with pytest.raises(BadQuestion):
        retriever.search("   ")


def test_use_units_off_drops_the_unit_field(tmp_path):
    store = _store(tmp_path)
    q = "Công an"  # only in the lead metadata of passage 2, never in a passage text
    on = store.lexical_scores(q, use_units=True)
    off = store.lexical_scores(q, use_units=False)
    assert on[2] > 0 and off[2] == 0

    def lexical_of_2(use_units):
        r = HybridRetriever(store, FakeEmbedder(), Settings(embedder="fake", use_units=use_units))
        return {h.passage.id: h.lexical for h in r.search(q, k=len(PASSAGES))}.get(f"{DN}-2")

    assert lexical_of_2(True) > 0 and not lexical_of_2(False)


def test_langchain_invoke_returns_documents(retriever):
    docs = retriever.invoke("video clip quảng bá", filters={"province": "Đồng Tháp"}, k=2)
    assert len(docs) == 2 and all(isinstance(d, Document) for d in docs)
    md = docs[0].metadata
    assert md["province"] == "Đồng Tháp" and md["rank"] == 1 and md["id"] == docs[0].id
    assert md["title"].startswith("Kế hoạch") and isinstance(md["lead"], list)


def test_retriever_refuses_an_embedder_the_index_was_not_built_with(tmp_path):
    class Other(FakeEmbedder):
        def __init__(self):
            super().__init__()
            self.id = "fake-other"

    with pytest.raises(ConfigError):
        HybridRetriever(_store(tmp_path), Other(), Settings(embedder="fake"))


def test_hnsw_above_threshold_agrees_with_exact(tmp_path):
    many = [
        _p(100 + i, DT, f"Nhiệm vụ số {i}: {w} {v} trên địa bàn tỉnh.", "Đồng Tháp" if i % 2 else "Đồng Nai")
        for i, (w, v) in enumerate(
            (w, v)
            for w in (
                "tuyên truyền",
                "quảng bá",
                "tập huấn",
                "kiểm tra",
                "báo cáo",
                "xây dựng",
                "phát triển",
                "hỗ trợ",
            )
            for v in (
                "du lịch",
                "đầu tư",
                "nông sản",
                "văn hóa",
                "thể thao",
                "giáo dục",
                "y tế",
                "môi trường",
            )
        )
    ]
    exact = _store(tmp_path / "a", passages=many)
    approx = _store(tmp_path / "b", passages=many, ann_threshold=10)
    assert exact.manifest["faiss"]["type"] == "IndexFlatIP"
    assert approx.manifest["faiss"]["type"] == "IndexHNSWFlat"
    emb = FakeEmbedder()
    for q in ("quảng bá du lịch", "tập huấn y tế", "kiểm tra môi trường"):
        qv = emb.encode_query(q)
        top_exact = [i for i, _ in exact.dense_search(qv, 5)]
        top_approx = [i for i, _ in approx.dense_search(qv, 5)]
        assert len(set(top_exact) & set(top_approx)) >= 4
        allowed = np.array([i for i, p in enumerate(many) if p.province == "Đồng Nai"])
        filtered = approx.dense_search(qv, 5, allowed)
        assert len(filtered) == 5 and all(many[i].province == "Đồng Nai" for i, _ in filtered)


def test_diacritics_are_restored_from_the_indexed_words(tmp_path):
    from assistant.indexing.lexical import DiacriticRestorer

    r = DiacriticRestorer(_store(tmp_path).lexical)
    assert r.restore("san xuat video clip quang ba du lich") == "sản xuất video clip quảng bá du lịch"
    assert r.restore("ai to chuc hoi nghi nao?") == "ai tổ chức hội nghị nào?"
    assert r.restore("Đã có dấu") == "Đã có dấu"  # words it does not know stay as typed


def test_restored_diacritics_do_not_depend_on_the_vocabularys_order():
    """Readings used by as many passages are decided by the word, not by the order the index lists
    its vocabulary in (bm25s's is hash order, which changes from one process to the next)."""
    from assistant.indexing.lexical import DiacriticRestorer

    words = {"lo": 4, "lộ": 4, "lò": 2, "việc": 9, "lo_việc": 0}
    one, other = DiacriticRestorer(words), DiacriticRestorer(dict(reversed(list(words.items()))))
    assert one.uni == other.uni
    assert one.restore("lo viec") == other.restore("lo viec") == "lo việc"


def test_a_question_naming_a_plan_place_prefers_that_plan(tmp_path):
    store = _store(tmp_path)
    q = "sản xuất video clip quảng bá Lấp Vò"
    named = HybridRetriever(store, FakeEmbedder(), Settings(embedder="fake"))
    plain = HybridRetriever(
        store, FakeEmbedder(), Settings(embedder="fake"), scope_bonus=0.0, drop_places=False
    )
    assert named.search(q, k=1)[0].passage.doc == LV
    hits = named.search("video clip Đồng Nai", k=3)
    assert hits[0].passage.doc == DN
    # without the scope the place words are ordinary terms: scores differ
    assert [round(h.score, 4) for h in plain.search("video clip Đồng Nai", k=3)] != [
        round(h.score, 4) for h in hits
    ]
