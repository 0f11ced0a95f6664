"""The catalogue's header look-ups (``Catalog._lookups``, issue 15): a question reads its plans by
number, place, issuer and title from indexes made once, not from every plan's header; the plans
found are those a scan of every header finds. Real corpus plans, three copies of each (a portal's
plans share issuers, places and titles), compared with the scans the parser made before."""

from __future__ import annotations

import re

import pytest

from assistant.query.catalog import Catalog
from assistant.query.catalog_words import number_of as _number_of
from assistant.query.catalog_words import title_pairs as _pairs
from assistant.query.catalog_words import word_pairs
from assistant.query.collection import _SUBJECT_FILLER, _issuer_form, docs_about, docs_issued_by
from assistant.textnorm import fold
from eval.bench_parse import ROOT, copies_catalog


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return copies_catalog(ROOT / "corpus", 3)[0]


def _titled_scan(cat: Catalog, folded: str, among=None, min_pairs: int = 2) -> frozenset[str]:
    asked = _pairs(folded)
    scored = sorted(
        (
            (len(asked & _pairs(fold(m.title))), d)
            for d, m in cat.docs.items()
            if m.title and (among is None or d in among)
        ),
        reverse=True,
    )
    if (
        not asked
        or not scored
        or scored[0][0] < min_pairs
        or (len(scored) > 1 and scored[1][0] >= scored[0][0])
    ):
        return frozenset()
    return frozenset({scored[0][1]})


def test_numbers_and_places_find_the_plans_a_scan_finds(catalog):
    assert len(catalog.docs) == 15
    numbers = {int(n) for d, m in catalog.docs.items() for n in re.findall(r"\d+", _number_of(d, m.number))}
    assert len(numbers) >= 2
    cited = {int(n) for t in catalog.doc_folded.values() for n in re.findall(r"\d+(?=\s*/)", t)}
    for n in sorted(numbers | set(list(cited)[:40]) | {0, 1, 99999}):
        scan = [d for d, m in catalog.docs.items() if re.match(rf"0*{n}\s*/", _number_of(d, m.number))]
        assert catalog.docs_numbered(str(n)) == scan, n
        assert catalog.docs_numbered(f"00{n}") == scan  # leading zeros are not part of a number
    assert any(len(catalog.docs_numbered(str(n))) == 3 for n in numbers)  # the copies share one
    for attr in ("province", "district"):
        values = {getattr(m, attr) for m in catalog.docs.values()}
        for v in values | {"Nơi khác"}:
            scan = frozenset(d for d, m in catalog.docs.items() if getattr(m, attr) == v)
            assert catalog.docs_of_place(attr, v) == scan, (attr, v)


def test_issuers_find_the_plans_a_scan_finds(catalog):
    issuers = {m.issuer for m in catalog.docs.values() if m.issuer}
    assert len(issuers) >= 3
    asked = {fold(i) for i in issuers} | {" ".join(fold(i).split()[:2]) for i in issuers} | {"so cong thuong"}
    found = 0
    for a in sorted(asked):
        rx = re.compile(rf"(?<![a-z0-9]){re.escape(_issuer_form(a))}(?![a-z0-9])")
        scan = frozenset(
            d for d, m in catalog.docs.items() if m.issuer and rx.search(_issuer_form(fold(m.issuer)))
        )
        assert docs_issued_by(a, catalog) == scan, a
        found += bool(scan)
    assert found >= len(issuers)


def test_titles_name_the_plans_a_scan_names(catalog):
    one = {d.split("~")[0]: d for d in catalog.docs}  # each plan's first copy
    titles = [fold(catalog.docs[d].title) for d in one.values() if catalog.docs[d].title]
    assert len(titles) >= 3
    phrases = [*titles, *(" ".join(t.split()[2:8]) for t in titles), "ke hoach tuyen truyen", "xyz"]
    for f in phrases:
        assert catalog.docs_titled(f) == _titled_scan(catalog, f) == frozenset(), f  # copies tie
        for d in one.values():  # among a plan and another plan's copies, the plan alone may be named
            among = frozenset({d} | {x for x in catalog.docs if not x.startswith(d.split("~")[0])})
            assert catalog.docs_titled(f, among, 1) == _titled_scan(catalog, f, among, 1), (f, d)
        names = any(len(_pairs(f) & _pairs(t)) >= 2 for t in titles)
        assert catalog.names_a_title(f) == names
    # a plan's own title names it once its copies are not competing
    first = next(iter(one.values()))
    alone = frozenset({first} | {x for x in catalog.docs if not x.startswith(first.split("~")[0])})
    assert catalog.docs_titled(fold(catalog.docs[first].title), alone) == {first}
    about = 0
    for f in phrases:  # the plans a subject is about, as a scan of every title finds them
        words = [w for w in re.findall(r"[a-z0-9]+", f) if w not in _SUBJECT_FILLER]
        asked = word_pairs(" ".join(words)) if len(words) > 1 else set(words)
        shares = {
            d: len(asked & (word_pairs(fold(m.title)) | set(re.findall(r"[a-z0-9]+", fold(m.title)))))
            / max(1, len(asked))
            for d, m in catalog.docs.items()
            if m.title
        }
        best = max(shares.values())
        scan = frozenset(d for d, x in shares.items() if x == best) if asked and best >= 0.5 else frozenset()
        assert docs_about(f, catalog) == scan, f
        about += bool(scan)
    assert about >= len(titles)
