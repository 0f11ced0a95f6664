"""The Vietnamese BM25 side: tokens, abbreviation expansion, bm25s persistence without pickle."""

from __future__ import annotations

import json

import numpy as np
import pytest

from assistant.indexing.lexical import LexicalIndex, lexical_tokens, lexical_version
from assistant.textnorm import fold
from assistant.vocab.data import ABBREVIATIONS_PATH
from assistant.vocab.tokens import has_diacritics

PASSAGES = [
    "Sở Thông tin và Truyền thông chủ trì, phối hợp với Đài Phát thanh và Truyền hình sản xuất video clip quảng bá.",
    "Sở Văn hóa, Thể thao và Du lịch tổ chức lễ hội, sự kiện thu hút khách du lịch.",
    "Ủy ban nhân dân các huyện, thành phố chỉ đạo triển khai kế hoạch trên địa bàn.",
    "Công an tỉnh bảo đảm an ninh thông tin, xử lý tin giả trên không gian mạng.",
    "Sở Tài chính tham mưu bố trí kinh phí thực hiện; so sánh với dự toán năm trước.",
    "Hòa giải ở cơ sở và phổ biến pháp luật cho đồng bào dân tộc thiểu số.",
]


def _rank(index: LexicalIndex, query: str) -> list[int]:
    return [i for i, _ in index.search(lexical_tokens(query, query=True), k=len(PASSAGES))]


@pytest.fixture(scope="module")
def index() -> LexicalIndex:
    return LexicalIndex.build(lexical_tokens(p) for p in PASSAGES)


def test_tokens_have_syllables_bigrams_and_folded_family():
    toks = lexical_tokens("Sở nào chủ trì làm video clip")
    assert {"sở", "chủ", "trì", "chủ_trì", "video_clip"} <= set(toks)
    assert {"~so", "~chu_tri", "~video_clip"} <= set(toks)


def test_bigrams_do_not_cross_punctuation():
    toks = lexical_tokens("phối hợp. Video clip")
    assert "hợp_video" not in toks and "~hop_video" not in toks
    assert "video_clip" in toks


def test_unaccented_question_uses_folded_tokens_only():
    assert not has_diacritics("so nao chu tri lam video clip")
    toks = lexical_tokens("so nao chu tri lam video clip", query=True)
    assert toks and all(t.startswith(("~", "≡")) for t in toks)
    # the accented question shares every folded token with it
    accented = set(lexical_tokens("Sở nào chủ trì làm video clip", query=True))
    assert set(toks) <= accented


def test_tone_placement_is_normalised():
    assert set(lexical_tokens("hoà giải, thuỷ lợi, khoá học")) == set(
        lexical_tokens("hòa giải, thủy lợi, khóa học")
    )


@pytest.mark.parametrize(
    "query, expected",
    [
        ("Sở nào chủ trì sản xuất video clip?", 0),
        ("so nao chu tri san xuat video clip", 0),
        ("le hoi thu hut khach du lich", 1),
        ("hoà giải ở cơ sở", 5),
    ],
)
def test_bm25_finds_the_passage_with_and_without_diacritics(index, query, expected):
    assert _rank(index, query)[0] == expected


def test_unaccented_query_does_not_match_a_different_accented_word(index):
    # "so sánh" (compare) must not pull "Sở" passages when typed with diacritics
    ranked = index.search(lexical_tokens("so sánh dự toán", query=True), k=3)
    assert ranked[0][0] == 4


def test_abbreviation_data_file_is_the_shared_one():
    data = json.loads(ABBREVIATIONS_PATH.read_text(encoding="utf-8"))
    assert any("UBND" in e["short"] for e in data["abbreviations"])
    assert lexical_version().split(":")[1] != "none"


@pytest.mark.parametrize(
    "short, long_form",
    [
        ("UBND", "Ủy ban nhân dân"),
        ("Sở TT&TT", "Sở Thông tin và Truyền thông"),
        ("Sở TTTT", "Sở Thông tin và Truyền thông"),
        ("Sở VH,TT&DL", "Sở Văn hóa, Thể thao và Du lịch"),
        ("Sở VHTTDL", "Sở Văn hóa, Thể thao và Du lịch"),
    ],
)
def test_abbreviations_expand_both_ways(short, long_form):
    s, l_ = set(lexical_tokens(short)), set(lexical_tokens(long_form))
    concept = {t for t in s if t.startswith("≡")}
    assert concept and concept <= l_  # short → the long form's concept
    assert {"~" + fold(w) for w in long_form.replace(",", " ").split()} <= s  # short brings the long words
    # and the long form brings the short spelling (folded, joiners dropped)
    short_word = short.split()[-1]
    assert "~" + fold(short_word).replace("&", "").replace(",", "") in l_


def test_abbreviation_expansion_retrieves_across_spellings(index):
    assert _rank(index, "Sở TT&TT chủ trì việc gì")[0] == 0
    assert _rank(index, "UBND huyện chỉ đạo")[0] == 2
    assert _rank(index, "so vh,tt&dl to chuc gi")[0] == 1


def test_lowercase_syllable_is_not_taken_for_an_abbreviation(tmp_path):
    f = tmp_path / "abbr.json"
    f.write_text(json.dumps({"abbreviations": [{"short": ["CA"], "long": "Công an"}]}), encoding="utf-8")
    assert not any(t.startswith("≡") for t in lexical_tokens("ca sĩ biểu diễn", abbreviations=f))
    assert "≡cong_an" in lexical_tokens("CA tỉnh", abbreviations=f)
    assert "≡cong_an" in lexical_tokens("Công an tỉnh", abbreviations=f)


def test_missing_abbreviation_file_is_tolerated(tmp_path):
    toks = lexical_tokens("UBND tỉnh", abbreviations=tmp_path / "absent.json")
    assert "ubnd" in toks and not any(t.startswith("≡") for t in toks)
    assert lexical_version(tmp_path / "absent.json").endswith(":none")


def test_save_load_round_trip_without_pickle(index, tmp_path):
    files = index.save(tmp_path / "lex")
    assert files
    for name in files:
        raw = (tmp_path / "lex" / name).read_bytes()
        assert not raw.startswith(b"\x80")
        if name.endswith(".npy"):
            assert np.load(tmp_path / "lex" / name, allow_pickle=False).dtype != object
    loaded = LexicalIndex.load(tmp_path / "lex")
    q = lexical_tokens("video clip quảng bá", query=True)
    assert np.allclose(loaded.scores(q), index.scores(q))
    assert loaded.scores(q).max() > 0


def test_empty_and_unknown_queries(index):
    assert index.search([], 5) == []
    assert index.search(lexical_tokens("xyzzy qwerty", query=True), 5) == []
    empty = LexicalIndex.build([])
    assert empty.n_docs == 0 and empty.search(["~a"], 3) == []


def test_expand_abbreviations_for_the_dense_side():
    from assistant.vocab import expand_abbreviations

    assert (
        expand_abbreviations("Sở TT&TT chủ trì việc gì?") == "Sở Thông tin và Truyền thông chủ trì việc gì?"
    )
    assert expand_abbreviations("UBND huyện") == "Ủy ban nhân dân huyện"
    # parts of document numbers are not names
    assert (
        expand_abbreviations("Kế hoạch số 183/KH-UBND, Kết luận 57-KL/TW")
        == "Kế hoạch số 183/KH-UBND, Kết luận 57-KL/TW"
    )
    assert not any(t.startswith("≡") for t in lexical_tokens("số 183/KH-UBND"))
