"""The perturbation transforms of ``eval/perturb.py``: deterministic and meaning-preserving on
known inputs (no index, no model)."""

from __future__ import annotations

from assistant.textnorm import fold
from eval.perturb import TRANSFORMS, abbreviate, expand, no_diacritics, question_word, variants


def test_variants_are_deterministic_and_only_changed_ones_kept():
    q = "Đơn vị nào chủ trì rà soát cán bộ quản lý khoáng sản ở Lào Cai?"
    assert variants(q) == variants(q)
    assert set(variants(q)) <= set(TRANSFORMS)
    assert all(v != q for v in variants(q).values())
    assert "no_diacritics" not in variants("ai ky ke hoach 308")  # already typed without marks


def test_folding_is_the_project_s():
    q = "Sở Tài chính Đồng Tháp làm gì?"
    assert no_diacritics(q) == fold(q) == "so tai chinh dong thap lam gi?"


def test_abbreviations_come_from_the_vocabulary_both_ways():
    assert abbreviate("Ủy ban nhân dân tỉnh giao Sở Tài nguyên và Môi trường làm gì?") == (
        "UBND tỉnh giao Sở TN&MT làm gì?"
    )
    assert expand("UBND tỉnh giao Sở TN&MT làm gì?") == (
        "Ủy ban nhân dân tỉnh giao Sở Tài nguyên và Môi trường làm gì?"
    )
    assert abbreviate("Ai ký?") is None


def test_question_words_keep_the_slot():
    assert question_word("Đơn vị nào chủ trì lễ hội?") == "ai chủ trì lễ hội?"
    assert question_word("Hạn báo cáo là khi nào?") == "Hạn báo cáo là bao giờ?"
    assert question_word("Kế hoạch có những mục tiêu nào?") == "Kế hoạch có các mục tiêu gì?"
    assert question_word("han bao cao la khi nao") == "han bao cao la bao gio"  # unaccented stays so
    assert question_word("Ai ký kế hoạch?") is None  # a signer is a person: never "đơn vị nào ký"


def test_courtesy_wraps_the_whole_question():
    v = variants("Mục đích của kế hoạch 57 là gì?")
    assert v["polite_prefix"] == "Cho tôi hỏi mục đích của kế hoạch 57 là gì?"
    assert v["suffix_a"] == "Mục đích của kế hoạch 57 là gì ạ?"
    assert v["suffix_vay"] == "Mục đích của kế hoạch 57 là gì vậy?"
