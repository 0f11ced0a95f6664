"""Rule-based understanding of a Vietnamese question (accent-insensitive).

``parse_question`` returns a ``Query``: the intent (one of ``records.INTENTS``),
the key content terms, the filters implied by place names and document numbers,
the units the question names, and — when the question names a plan or place that
is not loaded — what is missing, so the answer can say so instead of guessing.

Everything the parser knows about the collection (places, numbers, unit names)
comes from a ``Catalog`` built from the loaded ``DocMeta`` and passages; nothing
here is specific to one plan.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from assistant.query.catalog import Catalog
from assistant.query.model import Intent, Query
from assistant.query.rules import intent_of, section_of
from assistant.records import DocMeta
from assistant.textnorm import fold, nfc
from assistant.vocab.abbreviations import expand_abbreviations
from assistant.vocab.documents import DocMention, doc_mentions, kind_label
from assistant.vocab.places import PLACE_MARKER, province_names
from assistant.vocab.places import locality_of as issuer_locality
from assistant.vocab.tokens import content_terms, syllables

__all__ = ["parse_question", "follow_up", "locality_of"]


def locality_of(meta: DocMeta) -> str | None:
    """The folded name of the commune/ward/town/city that issued a plan, or None."""
    return issuer_locality(meta.issuer)


def _fold_map(text: str) -> tuple[str, list[int]]:
    """Folded text and, for each folded char, the index of the original char it came from."""
    out, idx = [], []
    for i, ch in enumerate(text):
        f = fold(ch)
        out.append(f)
        idx.extend([i] * len(f))
    return "".join(out), idx


def _find_places(
    q: str, folded: str, idx: list[int], cat: Catalog
) -> tuple[list[tuple[int, int, str, str]], str | None]:
    """Loaded places named in the question as (start, end, key, value), and an unloaded place if any."""
    found: list[tuple[int, int, str, str]] = []
    for key, table in (("district", cat.districts), ("province", cat.provinces)):
        for name, canon in table.items():
            for m in re.finditer(rf"(?<![a-z0-9]){re.escape(name)}(?![a-z0-9])", folded):
                found.append((m.start(), m.end(), key, canon))
    for name in cat.localities:
        for m in re.finditer(rf"(?<![a-z0-9]){re.escape(name)}(?![a-z0-9])", folded):
            found.append((m.start(), m.end(), "commune", name))
    found.sort()

    missing = None
    known = set(cat.provinces) | set(cat.districts) | set(cat.localities)
    for name in province_names():
        f = fold(name)
        if any(f in k or k in f for k in known):
            continue
        for m in re.finditer(rf"(?<![a-z0-9]){re.escape(f)}(?![a-z0-9])", folded):
            orig = q[idx[m.start()] : idx[m.end() - 1] + 1]
            marker = re.search(rf"\b{PLACE_MARKER}\s*$", folded[: m.start()])
            titled = all(w[:1].isupper() for w in orig.replace("-", " ").split())
            if not (marker or titled):
                continue  # "hòa bình" the word, not Hòa Bình the province
            # The plans may themselves mention the place ("tỉnh Preyveng", "Hồ Chí Minh"):
            # a question about that text is fair, a question about that place's plan is not.
            phrase = f"{marker.group(0).strip()} {f}" if marker else f
            if re.search(rf"(?<![a-z0-9]){re.escape(phrase)}(?![a-z0-9])", cat.corpus_folded):
                continue
            missing = name
            break
        if missing:
            break
    if missing is None:
        # "huyện Châu Thành", "tỉnh Preyveng": a place marker followed by a capitalised name
        for m in re.finditer(
            r"\b(tỉnh|Tỉnh|huyện|Huyện|thành phố|Thành phố|TP\.?|thị xã|Thị xã|quận|Quận)\s+"
            r"((?:[A-ZĐÀ-Ỹ][\wÀ-ỹ]*\s?){1,3})",
            q,
        ):
            name = m.group(2).strip()
            f = fold(name)
            if f in known or not name[:1].isupper():
                continue
            if fold(m.group(0).strip()) in cat.corpus_folded or f in cat.corpus_folded:
                continue
            missing = name
            break
    return found, missing


def _find_docs(
    folded: str, cat: Catalog
) -> tuple[list[tuple[int, int, list[str]]], list[DocMention], str | None]:
    """Loaded plans named by number as (start, end, docs), every number named, and an unloaded one."""
    found: list[tuple[int, int, list[str]]] = []
    numbers: list[DocMention] = []
    missing = None
    for m in doc_mentions(folded):
        if m.is_period:
            continue  # "kế hoạch 2024": a year, not plan no. 2024
        numbers.append(m)
        hits = cat.docs_numbered(m.number)
        if hits:
            found.append((m.start, m.end, hits))
            continue
        if re.search(rf"(?<![0-9]){int(m.number)}\s*[/-]|so\s+{int(m.number)}(?![0-9])", cat.corpus_folded):
            continue  # a document the loaded plans cite: questions about it are answerable
        missing = missing or f"{kind_label(m.kind)} số {m.number}"
    return found, numbers, missing


def _without_places(text: str, cat: Catalog) -> str:
    """The question with the loaded place names taken out: they say which plan, not what the
    passage is about, and passages that repeat a place name would otherwise win in BM25."""
    folded = fold(text)
    if len(folded) != len(text):
        return text  # offsets would not map back; keep the question whole
    cut: list[tuple[int, int]] = []
    for name in (*cat.provinces, *cat.districts, *cat.localities, *cat.place_keys):
        for m in re.finditer(rf"(?<![\w]){re.escape(name)}(?![\w])", folded):
            cut.append(m.span())
    if not cut:
        return text
    keep, last = [], 0
    for a, b in sorted(cut):
        if a >= last:
            keep.append(text[last:a])
            last = b
        elif b > last:
            last = b
    keep.append(text[last:])
    rest = " ".join("".join(keep).split())
    return rest if syllables(rest) else text


_APART = re.compile(r"\b(va|voi|hay|hoac|so voi|con|cung nhu)\b")


def _mentions(folded: str, places: list, numbered: list, cat: Catalog) -> list[tuple[str, str, frozenset]]:
    """The distinct plan scopes a question names, as (key, value, docs in scope).

    "huyện Lấp Vò, tỉnh Đồng Tháp" or "KH 183 Đồng Nai" name one scope (the narrower one
    is kept); "Đồng Tháp và Lấp Vò" names two, because "và" sets them apart.
    """
    raw = []
    for a, b, docs in numbered:
        raw.append((a, b, "doc", docs[0] if len(docs) == 1 else docs[0], frozenset(docs)))
    for a, b, key, canon in places:
        docs = cat.docs_of_place(key, canon)
        raw.append((a, b, key, canon, docs or frozenset({f"{key}:{canon}"})))
    raw.sort()
    keep = list(raw)
    for x in raw:
        for y in raw:
            if x is y or x not in keep or y not in keep:
                continue
            if y[4] <= x[4] and (y[4] != x[4] or raw.index(y) < raw.index(x)):
                lo, hi = sorted((x, y))
                if not _APART.search(folded[lo[1] : hi[0]]) or x[4] == y[4]:
                    keep.remove(x)
    out: list[tuple[str, str, frozenset]] = []
    for _, _, key, value, docs in keep:
        if all(docs != o[2] for o in out):
            out.append((key, value, docs))
    return out


def _strip_spans(folded: str, spans: list[tuple[int, int]]) -> str:
    out = list(folded)
    for a, b in spans:
        for i in range(a, b):
            out[i] = " "
    return "".join(out)


def _drop_issuers(units: list[str], cat: Catalog) -> list[str]:
    """ "UBND xã X đề nghị Sở Y hỗ trợ gì?": the plan's issuer is the speaker, Sở Y the subject."""
    rest = [u for u in units if fold(u) not in cat.issuers]
    return rest if rest else units


def parse_question(text: str, catalog: Catalog | None = None) -> Query:
    """Understand ``text``. Without a catalog, places, numbers and units are not resolved."""
    cat = catalog or Catalog()
    original = " ".join(nfc(text).split())
    # two-letter forms ("KH", "TU") stay: "KH 183" is a plan number, not an expansion
    q = expand_abbreviations(original, min_chars=3, as_written=True)
    folded, idx = _fold_map(q)
    found_places, missing_place = _find_places(q, folded, idx, cat)
    numbered, numbers, missing_doc = _find_docs(folded, cat)
    mentions = _mentions(folded, found_places, numbered, cat)
    docs = [d for _, _, ds in numbered for d in ds]
    places: list[tuple[str, str]] = []
    for _, _, key, canon in found_places:
        if (key, canon) not in places:
            places.append((key, canon))

    filters: dict[str, str] = {}
    if len(mentions) == 1:
        key, value, in_scope = mentions[0]
        if key != "commune":
            filters[key] = value
        elif len(in_scope) == 1:  # a commune is not a retrieval filter: its one plan is
            filters["doc"] = next(iter(in_scope))
    scope = sorted({d for _, _, ds in mentions for d in ds if d in cat.docs}) if len(mentions) >= 2 else []

    units = _drop_issuers(cat.match_units(q, filters.get("province")), cat)
    spans = [(a, b) for a, b, _, _ in found_places] + [(a, b) for a, b, _ in numbered]
    rest = _strip_spans(folded, spans)
    intent, fact, role = intent_of(rest, units, len(mentions) >= 2)
    named = {d for _, _, key, canon in found_places for d in cat.docs_of_place(key, canon)} | set(docs)
    query = Query(
        text=original,
        intent=intent,
        fact=fact,
        section=section_of(rest),
        filters=filters,
        units=units,
        places=places,
        docs=list(dict.fromkeys(docs)),
        numbers=numbers,
        role=role,
        scope=scope,
        folded=rest,
        named=frozenset(named),
        lexical_text=_without_places(original, cat),
    )
    query.terms = content_terms(rest)
    if missing_doc and not docs:
        query.missing = missing_doc
    elif missing_place and not mentions:
        query.missing = missing_place
    return query


_FOLLOW_UP = re.compile(r"^(con|vay con|the con)\b|.*\b(thi sao|the nao|ra sao)\s*\??$")


def follow_up(query: Query, history: Iterable[Any] | None, catalog: Catalog) -> Query:
    """ "Còn Đồng Nai thì sao?" after a question: the earlier question, in the new place.

    ``history``: chat turns, as {"role", "content"} dicts or (user, assistant) pairs.
    """
    if not history or query.intent not in (Intent.OTHER, Intent.COMPARE):
        return query
    f = fold(query.text)
    if not _FOLLOW_UP.match(f) or len(f.split()) > 10:
        return query
    prev = None
    for turn in reversed(list(history)):
        role, content = (
            (turn.get("role"), turn.get("content")) if isinstance(turn, dict) else ("user", turn[0])
        )
        if role == "user" and content and content.strip() != query.text:
            prev = content
            break
    if not prev:
        return query
    base = parse_question(prev, catalog)
    if query.places or query.docs:
        base.filters = dict(query.filters)
        base.places, base.docs = query.places, query.docs
        base.named = query.named
        if base.intent == Intent.COMPARE and len(query.places) <= 1:
            base.intent = Intent.OTHER
    return base
