"""The catalogue's word index (``Catalog.word_docs``): the plans a question's number, proper name or
place phrase can occur in are read, not every plan's text; the answer is the same as reading them
all. Real corpus plans, every cited number of every document kind compared with a full scan."""

from __future__ import annotations

import re

import pytest

from assistant.ingest import parse_file
from assistant.query.catalog import Catalog, _cited_rx
from assistant.query.catalog_words import word_runs
from assistant.vocab.documents import CITED_KINDS, DOC_KINDS
from eval.bench_parse import main as bench_parse


@pytest.fixture(scope="module")
def catalog(corpus_files) -> Catalog:
    docs, passages = {}, []
    for path in corpus_files:
        parsed = parse_file(path)
        docs[parsed.meta.doc] = parsed.meta
        passages.extend(parsed.passages)
    return Catalog.build(docs, passages)


def _scan(cat: Catalog, rx: re.Pattern[str]) -> frozenset[str]:
    return frozenset(d for d, text in cat.doc_folded.items() if rx.search(text))


def test_word_runs_split_letters_from_digits_and_drop_leading_zeros():
    assert word_runs("ke hoach so 0124/kh-ubnd ngay 05/3") == {
        "ke",
        "hoach",
        "so",
        "124",
        "kh",
        "ubnd",
        "ngay",
        "5",
        "3",
    }


def test_every_cited_number_finds_the_plans_a_full_scan_finds(catalog):
    numbers = sorted(
        {int(n) for text in catalog.doc_folded.values() for n in re.findall(r"\d+(?=\s*[/-])", text)}
    )
    assert len(numbers) > 20
    found = 0
    for forms in (*DOC_KINDS.values(), *CITED_KINDS.values()):
        for n in numbers:
            rx = _cited_rx(str(n), forms)
            expected = catalog.docs_implementing(str(n), forms) or _scan(catalog, rx)
            assert catalog.docs_citing(str(n), forms) == expected, (n, forms)
            found += bool(expected)
    assert found > 10  # the corpus plans cite decisions, directives, plans by number


def test_a_name_is_found_in_the_plans_holding_it_and_nowhere_else(catalog):
    one = next(iter(catalog.doc_folded))
    # runs of three words of one plan's text: their plans by index equal their plans by scan
    runs = re.findall(r"(?<![a-z0-9])[a-z]+ [a-z]+ [a-z]+(?![a-z0-9])", catalog.doc_folded[one])
    phrases = set(runs[::40])
    assert len(phrases) > 5
    for phrase in phrases:
        rx = re.compile(rf"(?<![a-z0-9]){re.escape(phrase)}(?![a-z0-9])")
        assert catalog.docs_matching(rx, phrase) == _scan(catalog, rx) != frozenset(), phrase
        assert catalog.mentions(rx, phrase)
    absent = re.compile(r"(?<![a-z0-9])sin quyen(?![a-z0-9])")
    assert not catalog.mentions(absent, "sin quyen") and not _scan(catalog, absent)


def test_without_the_index_every_plan_is_read_with_the_same_result(catalog):
    import dataclasses

    bare = dataclasses.replace(catalog, word_docs=None)
    rx = _cited_rx("183", DOC_KINDS["Kế hoạch"])
    assert bare.docs_matching(rx, "183", DOC_KINDS["Kế hoạch"]) == catalog.docs_matching(
        rx, "183", DOC_KINDS["Kế hoạch"]
    )


def test_bench_parse_times_old_and_new_parsers_on_copies(capsys):
    assert bench_parse(["--copies", "2", "--rounds", "1", "--ab", "HEAD"]) == 0
    out = capsys.readouterr().out
    row = next(line for line in out.splitlines() if line.startswith("| 10 |"))
    alike, asked = row.split("|")[3].strip().split("/")
    assert alike == asked  # HEAD's parser and the working tree's read every question alike
