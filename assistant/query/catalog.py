"""The loaded collection as the question parser sees it: places, document numbers, unit names.

Built once per index load (``snapshot.IndexSnapshot``) from the plans' ``DocMeta`` and
passages; nothing in it is specific to one plan.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import numpy as np

from assistant.errors import BadQuestion
from assistant.query.catalog_words import (
    NONE,
    found,
    number_of,
    proper_runs,
    title_pairs,
    word_index,
    word_runs,
)
from assistant.records import DocMeta, Passage
from assistant.textnorm import fold, match_key, nfc
from assistant.vocab.places import locality_of, place_key, province_of_alias
from assistant.vocab.units import canonical_province

__all__ = ["Catalog", "FILTER_KEYS"]

FILTER_KEYS = ("province", "district", "doc", "kind", "unit")


_UBND = re.compile(r"(?<![^\W\d_])ubnd(?![^\W\d_])")
# the commune level named by its kinds, "xã, phường" (and "thị trấn", "đặc khu"): plans write the
# pair with a comma ("Ủy ban nhân dân các xã, phường"), a question typed in haste often without
# ("ubnd cac xa phuong"); the comma is put back so the unit reads as the plans name it
_COMMUNE_KIND = r"(?:xã|xa|phường|phuong|thị trấn|thi tran|đặc khu|dac khu)"
_COMMUNE_PAIR = re.compile(rf"(?<![^\W\d_])({_COMMUNE_KIND}) (?={_COMMUNE_KIND}(?![^\W\d_]))", re.IGNORECASE)


@dataclass
class Catalog:
    """The loaded collection as the parser sees it: places, document numbers, unit names."""

    docs: dict[str, DocMeta] = field(default_factory=dict)
    provinces: dict[str, str] = field(default_factory=dict)  # folded → canonical
    districts: dict[str, str] = field(default_factory=dict)
    units: dict[str, str] = field(default_factory=dict)  # folded name/alias → canonical
    # folded name/alias → the names as written (lower case, with diacritics): "số giao thông"
    # (digital transport) folds as "Sở Giao thông" does, and is not it
    unit_forms: dict[str, set[str]] = field(default_factory=dict)
    # communes, wards, towns, cities that issue loaded plans: folded name → those plans. Since
    # the 2025 reorganisation a xã/phường plan has no district, so its place is its issuer.
    localities: dict[str, set[str]] = field(default_factory=dict)
    place_keys: frozenset[str] = frozenset()  # plans' places as compared by name (level word dropped)
    issuers: frozenset[str] = frozenset()  # folded issuers of the loaded plans
    corpus_folded: str = ""  # all passage text, folded (existence checks)
    doc_folded: dict[str, str] = field(default_factory=dict)  # each plan's text, folded
    # folded word → the plans holding it (``word_runs``; positions in ``doc_folded``): a phrase or a
    # number the question gives is looked for in the plans holding all its words, not in every
    # plan's whole text (a province's or a nation's collection holds thousands of plans).
    # None: no index, every plan's text is read (the benchmark's old path, eval.bench_parse)
    word_docs: dict[str, np.ndarray] | None = field(default=None, compare=False, repr=False)
    # each plan's title folded and its word pairs, made on first use (every question compares them)
    _titles: dict[str, tuple[str, set[str]]] = field(default_factory=dict, compare=False, repr=False)
    # the look-ups a question makes by a plan's header, made once on first use (``_lookups``): a
    # portal's thousands of plans share few issuers, places and titles, and each plan's number is
    # one key, so a question reads these instead of every plan's header (issue 15: 5,000 plans)
    _index: _Lookups | None = field(default=None, compare=False, repr=False)
    unit_matcher: Callable[[str, str | None], list[str]] | None = None
    # folded proper names of the plans' text ("Sin Quyền", "Yên Phú Đông Đô": runs of two or more
    # capitalised words, ``proper_runs``): how a question typed in lower case names one
    proper_names: frozenset[str] = frozenset()

    @classmethod
    def build(
        cls,
        docs: dict[str, DocMeta],
        passages: Iterable[Passage],
        *,
        unit_matcher: Callable[[str, str | None], list[str]] | None = None,
        aliases: dict[str, Iterable[str]] | None = None,
    ) -> Catalog:
        cat = cls(
            docs=dict(docs),
            unit_matcher=unit_matcher,
            issuers=frozenset(fold(m.issuer) for m in docs.values() if m.issuer),
        )
        texts = []
        for d, m in docs.items():
            name = locality_of(m.issuer)
            if name:
                cat.localities.setdefault(name, set()).add(d)
            if m.province:
                cat.provinces[fold(m.province)] = m.province
            if m.district:
                cat.districts[fold(m.district)] = m.district
        by_doc: dict[str, list[str]] = {}
        proper: set[str] = set()
        for p in passages:
            proper.update(fold(" ".join(run)) for run in proper_runs(p.text))
            texts.append(fold(p.text))
            by_doc.setdefault(p.doc, []).append(texts[-1])
            if p.province:
                cat.provinces.setdefault(fold(p.province), p.province)
            if p.district:
                cat.districts.setdefault(fold(p.district), p.district)
            for u in (*p.lead, *p.partners, *p.requested):
                if len(u.split()) < 2:
                    # a one-word party ("Viện, Trường" in a partner cell) is a kind of body, not a
                    # named unit; matched in a question it would be read inside "môi trường"
                    continue
                cat.units.setdefault(fold(u), u)
                cat.unit_forms.setdefault(fold(u), set()).add(match_key(u))
        for canon, names in (aliases or {}).items():
            for n in (canon, *names):
                if len(fold(n)) >= 4:
                    cat.units.setdefault(fold(n), canon)
                    cat.unit_forms.setdefault(fold(n), set()).add(match_key(n))
        # a loaded province is also named by its aliases ("TP HCM", "TPHCM" for Hồ Chí Minh)
        for alias, name in province_of_alias().items():
            loaded = cat.provinces.get(fold(name))
            if loaded:
                cat.provinces.setdefault(alias, loaded)
        cat.proper_names = frozenset(proper)
        cat.corpus_folded = " \n ".join(texts)
        cat.doc_folded = {d: " \n ".join(t) for d, t in by_doc.items()}
        cat.word_docs = word_index(cat.doc_folded)
        keys = {place_key(x) for m in docs.values() for x in (m.province, m.district) if x}
        cat.place_keys = frozenset(k for k in keys | set(cat.localities) if k)
        # a locality that is also a loaded province or district is already scoped by that name
        for name in [n for n in cat.localities if n in cat.provinces or n in cat.districts]:
            del cat.localities[name]
        return cat

    def clean_filters(self, filters: object) -> dict[str, str]:
        """User filters checked and normalised: a plan number becomes its file, a place its canonical name."""
        if not filters:
            return {}
        if not isinstance(filters, dict):
            raise BadQuestion("Bộ lọc không hợp lệ.", "Filters must be an object.")
        out: dict[str, str] = {}
        for k, v in filters.items():
            if v in (None, ""):
                continue
            if k not in FILTER_KEYS:
                raise BadQuestion(
                    f"Không biết bộ lọc '{k}'.",
                    f"Unknown filter '{k}'.",
                    hint="dùng: " + ", ".join(FILTER_KEYS),
                )
            v = nfc(str(v)).strip()
            if k == "doc":
                v = self.resolve_doc(v) or v
            elif k in ("province", "district"):
                table = self.provinces if k == "province" else self.districts
                v = table.get(fold(v), v)
            out[k] = v
        return out

    def _lookups(self) -> _Lookups:
        """The header look-ups (``_Lookups``), built on first use (the catalogue is not changed
        after ``build``: a new generation builds a new one)."""
        if self._index is None:
            self._index = _Lookups.of(self)
        return self._index

    def docs_of_place(self, key: str, value: str) -> frozenset[str]:
        """The loaded plans of a place named in a question (key: province, district or commune)."""
        if key == "commune":
            return frozenset(self.localities.get(value, ()))
        attr = "district" if key == "district" else "province"
        return self._lookups().places.get((attr, value), frozenset())

    def issuer_docs(self) -> dict[str, list[str]]:
        """Each issuer as its plans' headers write it → those plans (in catalogue order)."""
        return self._lookups().issuers

    def title_docs(self) -> dict[str, list[str]]:
        """Each plan title, folded → the plans bearing it (in catalogue order); untitled plans
        under ""."""
        return self._lookups().titles

    def _holding(self, words: str, any_of: tuple[str, ...] = ()) -> list[str]:
        """The plans whose text holds every run of ``words`` (folded), and those of one of the
        phrases ``any_of``: the only ones a match made of them can occur in; every plan when there
        are no runs or no index."""
        names = list(self.doc_folded)
        runs = word_runs(words)
        if not runs or self.word_docs is None:
            return names
        lists = sorted((self.word_docs.get(w, NONE) for w in runs), key=len)
        if any_of and all(word_runs(fold(x)) for x in any_of):
            lists.append(np.unique(np.concatenate([self._positions(word_runs(fold(x))) for x in any_of])))
        at = lists[0]
        for more in lists[1:]:
            if not at.size:
                break
            at = np.intersect1d(at, more, assume_unique=True)
        return [names[i] for i in at.tolist()]

    def _positions(self, runs: set[str]) -> np.ndarray:
        assert self.word_docs is not None
        at = None
        for w in runs:
            more = self.word_docs.get(w, NONE)
            at = more if at is None else np.intersect1d(at, more, assume_unique=True)
        return NONE if at is None else at

    def docs_matching(self, rx: re.Pattern[str], anchor: str, any_of: tuple[str, ...] = ()) -> frozenset[str]:
        """The plans whose folded text ``rx`` matches. Every match of ``rx`` holds ``anchor`` (the
        phrase or number it looks for) and one of ``any_of``: only the plans holding their words
        are read, and only around ``anchor``'s occurrences (``_found``)."""
        return frozenset(d for d in self._holding(anchor, any_of) if found(rx, anchor, self.doc_folded[d]))

    def mentions(self, rx: re.Pattern[str], anchor: str) -> bool:
        """Whether any plan's folded text matches ``rx`` (as ``docs_matching``)."""
        return any(found(rx, anchor, self.doc_folded[d]) for d in self._holding(anchor))

    def _title(self, doc: str) -> tuple[str, set[str]]:
        """The plan's title folded, and its word pairs less those every title holds."""
        if doc not in self._titles:
            t = fold(self.docs[doc].title or "")
            self._titles[doc] = (t, title_pairs(t))
        return self._titles[doc]

    def title_folded(self, doc: str) -> str:
        """The plan's title folded (made once, on first use)."""
        return self._title(doc)[0]

    def docs_citing(self, num: str, forms: tuple[str, ...]) -> frozenset[str]:
        """The loaded plans that cite document no. ``num`` of a kind written ``forms``
        ("quyết định số 1050/QĐ-SCT", "Chỉ thị số 11-CT/TU"): a plan "theo / thực hiện Quyết
        định 1050" is the plan asked about when that decision itself is not loaded."""
        return self.docs_implementing(num, forms) or self.docs_matching(
            _cited_rx(num, forms), str(int(num)), forms
        )

    def docs_implementing(self, num: str, forms: tuple[str, ...]) -> frozenset[str]:
        """The loaded plans whose title names document no. ``num`` ("Kế hoạch thực hiện Chỉ thị
        số 27/CT-TTg …"): such a plan is about that document; the others merely cite it among
        their grounds."""
        rx = _cited_rx(num, forms)
        return frozenset(d for t, ds in self.title_docs().items() if rx.search(t) for d in ds)

    def docs_naming(self, names: list[str]) -> frozenset[str]:
        """The plans whose text holds a proper name the question gives ("Sin Quyền", "Đá quý
        và Vàng"): a mine, a company, a project belongs to the plans that name it. Names
        every plan holds, or half of them, are no evidence."""
        out: set[str] = set()
        for name in names:
            rx = re.compile(rf"(?<![a-z0-9]){re.escape(fold(name))}(?![a-z0-9])")
            hits = self.docs_matching(rx, fold(name))
            if hits and len(hits) * 2 <= len(self.doc_folded):
                out |= hits
        return frozenset(out)

    def docs_of_kind(self, kind: str) -> frozenset[str]:
        """The loaded documents of one kind ("Công văn", "Kế hoạch"), from their header."""
        return frozenset(d for d, m in self.docs.items() if (m.doc_type or "Kế hoạch") == kind)

    def docs_titled(
        self, folded: str, among: frozenset[str] | None = None, min_pairs: int = 2
    ) -> frozenset[str]:
        """The plan whose title the question repeats ("kế hoạch kiểm tra 28 đơn vị", "kế hoạch
        huấn luyện"): a plan is named by its trích yếu when it is not named by number. Two
        shared word pairs at least, and more than any other plan shares (twins name none).
        ``among``: only these plans compete (the plans of the place the question names);
        ``min_pairs``: the shared word pairs that name a plan."""
        asked = title_pairs(folded)
        if not asked:
            return frozenset()
        best, named = -1, list[str]()  # the highest share and the plans with it
        for title, ds in self.title_docs().items():
            if not title:
                continue
            share = len(asked & self._title(ds[0])[1])
            if share < best:
                continue
            have = [d for d in ds if among is None or d in among]
            if not have:
                continue
            if share > best:
                best, named = share, []
            named.extend(have)
        if best < min_pairs or len(named) != 1:
            return frozenset()
        return frozenset(named)

    def docs_dated(self, year: int, month: int, among: frozenset[str] | None = None) -> frozenset[str]:
        """The plans issued in that month (their header's date line, ISO ``DocMeta.date``)."""
        key = f"{year:04d}-{month:02d}"
        return frozenset(
            d
            for d, m in self.docs.items()
            if (m.date or "").startswith(key) and (among is None or d in among)
        )

    def names_a_title(self, folded: str, min_pairs: int = 2) -> bool:
        """Whether ``folded`` repeats ``min_pairs`` word pairs of some loaded plan's title (twins
        included: which plan it is does not matter, only that a title is being said)."""
        asked = title_pairs(folded)
        return bool(asked) and any(
            len(asked & self._title(ds[0])[1]) >= min_pairs for t, ds in self.title_docs().items() if t
        )

    def docs_of_place_filters(self, filters: dict[str, str]) -> frozenset[str]:
        """The loaded plans a province / district / doc filter keeps (by the plans' headers)."""
        keep = set(self.docs)
        for key in ("province", "district"):
            if filters.get(key):
                keep &= {d for d, m in self.docs.items() if getattr(m, key) == filters[key]}
        if filters.get("doc"):
            keep &= {filters["doc"]}
        return frozenset(keep)

    def docs_numbered(self, num: str) -> list[str]:
        """The loaded plans numbered ``num`` ("183" is "183/KH-UBND" and "0183/KH-UBND")."""
        return list(self._lookups().numbers.get(int(num), ()))

    def resolve_doc(self, value: str) -> str | None:
        """A doc file name from a file name, a stem, or a document number ("183", "183/KH-UBND")."""
        if value in self.docs:
            return value
        key = fold(value).strip()
        for d in self.docs:
            if fold(d) == key or fold(d.rsplit(".", 1)[0]) == key:
                return d
        m = re.match(r"\s*(\d{1,5})", key)
        if m:
            hits = self.docs_numbered(m.group(1))
            if len(hits) == 1:
                return hits[0]
        return None

    def _loaded_form(self, unit: str) -> str:
        """A unit written with its province's name ("Hội Liên hiệp Phụ nữ TP HCM", "… thành phố
        Hồ Chí Minh") as the plans of that province write it, by its tier ("Hội Liên hiệp Phụ nữ
        thành phố"): a plan names the bodies of its own province so once the province is said.
        Only a form some loaded plan writes is taken; else the name stays as read."""
        if fold(unit) in self.units or fold(unit).startswith("uy ban nhan dan"):
            return unit  # "UBND tỉnh Đắk Lắk" is the plans' issuer, read as such (``drop_issuers``)
        words = unit.split()
        for k in range(2, len(words)):
            if canonical_province(" ".join(words[k:])) is None:
                continue
            head, tier = " ".join(words[:k]), fold(words[k]).rstrip(".")
            tiers = ["thành phố"] if tier in ("tp", "thanh", "tphcm") else ["tỉnh"] if tier == "tinh" else []
            for form in [*(f"{head} {t}" for t in tiers or ("thành phố", "tỉnh")), head]:
                if fold(form) in self.units:
                    return self.units[fold(form)]
            break
        return unit

    def match_units(self, text: str, province: str | None = None) -> list[str]:
        """Units named in ``text``: the ingest matcher's reading first (aliases, generic names),
        else the loaded units' names and aliases as whole words."""
        # "ubnd" typed in lower case is "Ủy ban nhân dân" as "UBND" is: every plan's header
        # writes the council's executive so (Decree 30/2020); the abbreviation step expands only
        # forms written as listed, and a question typed without capitals writes none so
        text = _UBND.sub("uy ban nhan dan", text)
        named = self._named_units(text, province)
        if _COMMUNE_PAIR.search(text):
            # read so only when it names more than the words as typed ("các xã" → "các xã,
            # phường"): "xa phuong tra" may be the commune Phương Trà, whose unit reads first
            paired = self._named_units(_COMMUNE_PAIR.sub(r"\1, ", text), province)
            if paired and (not named or _extends(paired[0], named[0])):
                return paired
        return named

    def _named_units(self, text: str, province: str | None) -> list[str]:
        if self.unit_matcher is not None:
            named = list(self.unit_matcher(text, province))
            if named:
                return [self._loaded_form(u) for u in named]
        key, marked = fold(text), match_key(text)
        same_length = len(key) == len(marked)
        found: list[tuple[int, int, str]] = []
        for name, canon in self.units.items():
            for m in re.finditer(rf"(?<![a-z0-9]){re.escape(name)}(?![a-z0-9])", key):
                span = marked[m.start() : m.end()] if same_length else name
                # typed without diacritics it matches any form; typed with them, as written
                if span == name or span in self.unit_forms.get(name, {span}):
                    found.append((m.start(), -len(name), canon))
        found.sort()
        out: list[str] = []
        taken_until = -1
        for start, neg_len, canon in found:
            if start < taken_until or canon in out:
                continue
            out.append(canon)
            taken_until = start - neg_len
        return out


def _extends(longer: str, shorter: str) -> bool:
    a, b = fold(longer), fold(shorter)
    return len(a) > len(b) and a.startswith(b)


# a document's number as its header writes it: the register number, then "/" and its symbol
# (Decree 30/2020, art. 8: "Số: 183/KH-UBND"); leading zeros are not part of the number
_LEAD_NUMBER = re.compile(r"0*([0-9]+)\s*/")


@dataclass(frozen=True)
class _Lookups:
    """A catalogue's plans by the fields of their headers a question names."""

    numbers: dict[int, list[str]]  # the register number → the plans bearing it
    places: dict[tuple[str, str], frozenset[str]]  # ("province" | "district", name) → its plans
    issuers: dict[str, list[str]]  # the issuer as written → its plans
    titles: dict[str, list[str]]  # the folded title → its plans ("": untitled)

    @classmethod
    def of(cls, cat: Catalog) -> _Lookups:
        numbers: dict[int, list[str]] = {}
        places: dict[tuple[str, str], set[str]] = {}
        issuers: dict[str, list[str]] = {}
        titles: dict[str, list[str]] = {}
        for d, m in cat.docs.items():
            if x := _LEAD_NUMBER.match(number_of(d, m.number)):
                numbers.setdefault(int(x.group(1)), []).append(d)
            for attr in ("province", "district"):
                places.setdefault((attr, getattr(m, attr)), set()).add(d)
            if m.issuer:
                issuers.setdefault(m.issuer, []).append(d)
            titles.setdefault(cat.title_folded(d) if m.title else "", []).append(d)
        return cls(numbers, {k: frozenset(v) for k, v in places.items()}, issuers, titles)


def _cited_rx(num: str, forms: tuple[str, ...]) -> re.Pattern[str]:
    """Document no. ``num`` of a kind written ``forms``, as plans cite it: "chỉ thị số 27/CT-TTg",
    "27/CT-TTg", "Quyết định 1050/QĐ-SCT" (folded)."""
    n = int(num)
    kinds = "|".join(re.escape(f) for f in forms)
    return re.compile(rf"\b(?:{kinds})\s*(?:so\s*)?:?\s*0*{n}\s*[/-]|(?<![0-9]){n}\s*[/-]\s*(?:{kinds})\b")
