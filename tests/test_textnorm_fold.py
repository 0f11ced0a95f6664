"""The accent fold by table equals the whole-text fold (NFD, drop combining marks, đ → d) on every
plan of the corpus, their pieces, and random text with decomposed and non-Vietnamese letters."""

from __future__ import annotations

import random
import unicodedata
from pathlib import Path

from assistant.textnorm import fold

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def whole_text_fold(text: str) -> str:
    text = unicodedata.normalize("NFD", text.lower())
    return "".join(c for c in text if unicodedata.category(c) != "Mn").replace("đ", "d")


def test_fold_examples() -> None:
    assert fold("Ủy ban nhân dân tỉnh Đồng Tháp") == "uy ban nhan dan tinh dong thap"
    assert fold("ĐOÀN KIỂM TRA") == "doan kiem tra"
    # typed with combining marks (decomposed), as some PDF and web text is
    assert fold("Ho\u0300a Bi\u0300nh") == "hoa binh"
    assert fold("ΟΔΟΣ Σ") == whole_text_fold("ΟΔΟΣ Σ")  # a final sigma's case depends on its word


def test_fold_equals_the_whole_text_fold_on_the_corpus_and_random_text() -> None:
    rng = random.Random(7)
    texts = [p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt"))]
    assert texts
    for text in texts:
        assert fold(text) == whole_text_fold(text)
        for _ in range(100):
            i = rng.randrange(len(text))
            piece = text[i : i + rng.randrange(1, 60)]
            assert fold(piece) == whole_text_fold(piece)
    ranges = [(32, 0x250), (0x300, 0x370), (0x1E00, 0x1F00), (0x370, 0x400)]
    for _ in range(5000):
        s = "".join(chr(rng.randrange(*rng.choice(ranges))) for _ in range(rng.randrange(1, 12)))
        assert fold(s) == whole_text_fold(s), repr(s)
