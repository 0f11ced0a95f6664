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

from assistant.query.catalog import Catalog
from assistant.query.collection import catalogue_ask, header_scope, is_catalogue, issued_by_clause
from assistant.query.grounds import asks_basis, asks_organisation, part_asked
from assistant.query.model import FactKind, Intent, Query, SectionKind
from assistant.query.naming import (
    cut_folded,
    dated_in_scope,
    drop_issuers,
    names_author,
    names_in_lower_case,
    names_written,
    owned_body,
    set_apart,
    titled_in_scope,
    trim_firm_names,
    without_title_runs,
)
from assistant.query.numbered import subject_numbered
from assistant.query.rules import (
    PLAN_WORD,
    asks_destination,
    asks_tasks,
    courtesy_spans,
    intent_of,
    section_of,
    team_role_of,
)
from assistant.records import DocMeta
from assistant.textnorm import fold, fold_map, nfc
from assistant.vocab.abbreviations import expand_abbreviations
from assistant.vocab.documents import (
    CITED_KINDS,
    DOC_KINDS,
    DocMention,
    doc_mentions,
    kind_label,
    kind_named,
    spell_out_kinds,
    years_named,
)
from assistant.vocab.places import (
    PLACE_MARKER,
    merged_into,
    province_names,
    province_of_alias,
    route_endpoint,
)
from assistant.vocab.places import locality_of as issuer_locality
from assistant.vocab.synonyms import as_plans_write
from assistant.vocab.tokens import content_terms, syllables

__all__ = ["parse_question", "locality_of", "strip_spans"]


def locality_of(meta: DocMeta) -> str | None:
    """The folded name of the commune/ward/town/city that issued a plan, or None."""
    return issuer_locality(meta.issuer)


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
    # "cao tốc Cần Thơ - Cà Mau": the end points of a named route are no plan's place
    found = sorted(f for f in found if not route_endpoint(folded, f[0], f[1]))

    missing = None
    known = set(cat.provinces) | set(cat.districts) | set(cat.localities)
    for name in province_names():
        f = fold(name)
        # "TP HCM" is loaded when "Hồ Chí Minh" is: an alias is its province
        own = fold(province_of_alias().get(f, name))
        if any(f in k or k in f or own in k or k in own for k in known):
            continue
        for m in re.finditer(rf"(?<![a-z0-9]){re.escape(f)}(?![a-z0-9])", folded):
            if route_endpoint(folded, m.start(), m.end()):
                continue
            orig = q[idx[m.start()] : idx[m.end() - 1] + 1]
            marker = re.search(rf"\b{PLACE_MARKER}\s*$", folded[: m.start()])
            titled = all(w[:1].isupper() for w in orig.replace("-", " ").split())
            if not (marker or titled):
                continue  # "hòa bình" the word, not Hòa Bình the province
            # The plans may themselves mention the place ("tỉnh Preyveng", "Hồ Chí Minh"):
            # a question about that text is fair, a question about that place's plan is not.
            phrase = f"{marker.group(0).strip()} {f}" if marker else f
            if cat.mentions(re.compile(rf"(?<![a-z0-9]){re.escape(phrase)}(?![a-z0-9])"), phrase):
                continue
            # Resolution 202/2025/QH15 merged provinces: "Hậu Giang" is now part of Cần Thơ,
            # so a plan of the new province is the one asked about
            merged = cat.provinces.get(fold(merged_into(name) or ""))
            if merged:
                found.append((m.start(), m.end(), "province", merged))
                found.sort()
                break
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
            # a name is the run of capitalised words ("Châu Thành"); "TP HCM đặt …" ends at "đặt"
            # (the character range above holds lower-case letters with diacritics too)
            words = m.group(2).split()
            n = next((i for i, w in enumerate(words) if not w[:1].isupper()), len(words))
            name = " ".join(words[:n])
            if not name:
                continue
            if any(idx[a] <= m.start(2) <= idx[b - 1] for a, b, _, _ in found):
                continue  # "TP HCM": the name is a loaded place's alias, found above
            f = fold(name)
            alias = province_of_alias()
            province = alias.get(fold(f"{m.group(1)} {name}")) or alias.get(f)
            if f in known or not name[:1].isupper() or (province and fold(province) in known):
                continue  # "TP HCM" is Hồ Chí Minh, loaded
            if fold(m.group(0).strip()) in cat.corpus_folded or f in cat.corpus_folded:
                continue
            missing = name
            break
    return found, missing


def _find_docs(
    folded: str, cat: Catalog, citing: set[str] | None = None, implementing: set[str] | None = None
) -> tuple[list[tuple[int, int, list[str]]], list[DocMention], str | None]:
    """Loaded plans named by number as (start, end, docs), every number named, and an unloaded
    one; ``citing`` collects the loaded plans that cite a named document that is not loaded,
    ``implementing`` those of them whose title names it."""
    found: list[tuple[int, int, list[str]]] = []
    numbers: list[DocMention] = []
    missing = None
    for m in _with_coordinated(folded, doc_mentions(folded), cat):
        if m.is_period:
            continue  # "kế hoạch 2024": a year, not plan no. 2024
        numbers.append(m)
        hits = cat.docs_numbered(m.number)
        if m.kind in CITED_KINDS:  # "Kết luận 480" is not Kế hoạch 480: the kind must agree
            hits = [d for d in hits if cat.docs[d].doc_type == m.kind]
        if hits:
            found.append((m.start, m.end, hits))
            continue
        n = int(m.number)
        if cat.mentions(re.compile(rf"(?<![0-9]){n}\s*[/-]|so\s+{n}(?![0-9])"), str(n)):
            # a document the loaded plans cite: questions about it are answerable, from the
            # plans that cite it ("theo Quyết định 1050/QĐ-SCT", "kế hoạch thực hiện Chỉ thị 27")
            if citing is not None:
                forms = DOC_KINDS.get(m.kind) or CITED_KINDS.get(m.kind, ())
                citing |= cat.docs_citing(m.number, forms)
                if implementing is not None:
                    implementing |= cat.docs_implementing(m.number, forms)
            continue
        if m.kind in CITED_KINDS and not m.explicit:
            continue  # "Chương trình 135" is a programme's name as often as a number
        missing = missing or f"{kind_label(m.kind)} số {m.number}"
    if not numbers:
        found.extend(subject_numbered(folded, cat))
    return found, numbers, missing


# "kế hoạch 0129 và 0130", "KH 552, 556 và 597": Vietnamese writes the kind once before a list of
# numbers; each is a document of that kind when a loaded one bears it (else it may be a count:
# "kế hoạch 183 và 120 hộ dân"). Two digits at least.
_COORDINATED = re.compile(r"\s*(?:,|va|hoac|voi)\s*(?:so\s*)?(?P<num>\d{2,5})(?![\d/-])")


def _with_coordinated(folded: str, mentions: list[DocMention], cat: Catalog) -> list[DocMention]:
    """The question's document mentions, with the loaded documents numbered in a list after one."""
    out: list[DocMention] = []
    for m in mentions:
        out.append(m)
        end = m.end
        while (more := _COORDINATED.match(folded, end)) and not any(
            x.start == more.start("num") for x in mentions
        ):
            hits = cat.docs_numbered(more.group("num"))
            if not [d for d in hits if (cat.docs[d].doc_type or "Kế hoạch") == m.kind]:
                break
            out.append(DocMention(more.start("num"), more.end(), more.group("num"), m.kind, m.explicit))
            end = more.end()
    return out


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
                if not set_apart(folded[lo[1] : hi[0]]) or x[4] == y[4]:
                    keep.remove(x)
    out: list[tuple[str, str, frozenset]] = []
    for _, _, key, value, docs in keep:
        if all(docs != o[2] for o in out):
            out.append((key, value, docs))
    return out


def strip_spans(folded: str, spans: list[tuple[int, int]]) -> str:
    """The folded text with the given spans blanked (offsets stay those of the text)."""
    out = list(folded)
    for a, b in spans:
        for i in range(a, b):
            out[i] = " "
    return "".join(out)


def _without_courtesy(text: str) -> str:
    """``text`` without its courtesy frame and closing particles (``rules.courtesy_spans``)."""
    return cut_folded(text, courtesy_spans)


def parse_question(text: str, catalog: Catalog | None = None) -> Query:
    """Understand ``text``. Without a catalog, places, numbers and units are not resolved."""
    cat = catalog or Catalog()
    original = " ".join(nfc(text).split())
    # an everyday phrase read in the form plans write ("soạn đề" → "xây dựng bài kiểm tra")
    said = as_plans_write(original)
    # two-letter forms ("KH", "TU") stay: "KH 183" is a plan number, not an expansion
    q = expand_abbreviations(said, min_chars=3, as_written=True)
    folded, idx = fold_map(q)
    found_places, missing_place = _find_places(q, folded, idx, cat)
    citing: set[str] = set()
    implementing: set[str] = set()
    numbered, numbers, missing_doc = _find_docs(folded, cat, citing, implementing)
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

    units = trim_firm_names(drop_issuers(cat.match_units(q, filters.get("province")), cat, folded))
    issued = issued_by_clause(folded, cat) if not numbered else None
    if issued is not None:
        # "Văn bản của Đoàn kiểm tra thuộc Sở Công Thương …": the units of the issuer's name are
        # the document's author, not units asked about
        units = [u for u in units if fold(u) not in _issuer_words(issued[1])]
    courtesy = courtesy_spans(folded)
    spans = [(a, b) for a, b, _, _ in found_places] + [(a, b) for a, b, _ in numbered] + courtesy
    rest = spell_out_kinds(strip_spans(folded, spans))
    if asks_destination(rest):
        units = []  # the units named send the proposal; the office receiving it is asked
    intent, fact, role = intent_of(rest, units, len(mentions) >= 2)
    if intent == Intent.UNIT_TASKS and units and all(names_author(u, folded, cat) for u in units):
        # "Kỳ huấn luyện … của Sở Công Thương Lào Cai tổ chức ở đâu?": the issuer written after
        # an activity with "của" owns it (the activity is its plan's), so the slot asked of the
        # activity is asked, not the issuer's tasks
        alone = intent_of(rest, [], len(mentions) >= 2)
        # so is anything else asked of the plan when no task word is ("Kế hoạch 3024 của Sở Công
        # Thương kiểm tra theo nội dung quy định tại điều nào?"): the author is not the subject
        # and so is a working body the issuer set up ("Tổ công tác … của Sở Công Thương", ``owned_body``)
        owned = all(owned_body(u, folded) for u in units)
        if (alone[0] == Intent.FACT and alone[1] is not None) or not asks_tasks(rest) or owned:
            units, (intent, fact, role) = [], alone
    named = {d for _, _, key, canon in found_places for d in cat.docs_of_place(key, canon)} | set(docs)
    query = Query(
        text=original,
        intent=intent,
        fact=fact,
        section=section_of(rest, of_plan=bool(numbered or re.search(PLAN_WORD, rest)) and not units),
        filters=filters,
        units=units,
        places=places,
        docs=list(dict.fromkeys(docs)),
        numbers=numbers,
        role=role,
        scope=scope,
        folded=rest,
        named=frozenset(named),
        lexical_text=_without_places(_without_courtesy(said), cat),
    )
    query.terms = content_terms(rest)
    if query.section is SectionKind.COMPOSITION and not units:
        query.intent, query.fact = Intent.LIST, None  # "những ai" of a team: its members, no lead
    if query.section is None:
        query.section = part_asked(rest, of_plan=bool(numbered or re.search(PLAN_WORD, rest)) and not units)
    if query.section is None and not units and asks_organisation(folded):
        query.section = SectionKind.ORGANISATION  # "Tổ chức thực hiện kế hoạch X thế nào?"
        if query.intent not in (Intent.FACT, Intent.LIST):
            query.intent, query.fact = Intent.OTHER, None
    if asks_basis(rest):
        # a document's grounds are its own ("Sở X dựa vào văn bản nào để ban hành kế hoạch …"):
        # a unit named is its issuer, not a unit asked about
        query.section, query.units = SectionKind.BASIS, []
        if query.intent not in (Intent.FACT, Intent.LIST):
            query.intent, query.fact, query.role = Intent.OTHER, None, None
    if issued is not None and "doc" not in query.filters:
        among = issued[0] & query.named if query.named & issued[0] else issued[0]
        query.named = among
        if len(among) == 1:
            query.filters = {**query.filters, "doc": next(iter(among))}
    titled_doc = titled_in_scope(rest, mentions, cat)
    if titled_doc is not None:
        # a place with several plans, one of them named by its title: that plan is asked, and the
        # title's words said which plan, not what the passage is about
        doc, (a, b) = titled_doc
        query.filters = {**{k: v for k, v in query.filters.items() if k != "doc"}, "doc": doc}
        query.named = frozenset({doc})
        asked = content_terms(rest[:a] + " " + rest[b:])
        if asked:
            query.terms = asked
            if len(rest) == len(folded):
                # (a, b) are offsets of ``rest``; a bare kind code written out ("KH" → "kế
                # hoạch") shifts them off the question's, so then the question stays whole
                query.lexical_text = _without_places(q[: idx[a]] + " " + q[idx[b - 1] + 1 :], cat)
    if titled_doc is None and "doc" not in query.filters:
        dated = dated_in_scope(rest, mentions, cat)
        if dated is not None:
            query.filters = {**query.filters, "doc": dated}
            query.named = frozenset({dated})
    if fact == FactKind.MEMBER:
        query.member = team_role_of(rest)
    query.catalogue = is_catalogue(rest)
    if not query.catalogue and (narrowed := catalogue_ask(rest, cat)) is not None:
        # "Những văn bản nào của Sở Công Thương?", "Kế hoạch nào về chuyển đổi số?": the issuer
        # and the subject narrow the catalogue, they are not units or topics asked
        query.catalogue, query.catalogue_among, query.units = True, narrowed.among, []
    query.years = years_named(folded)
    query.doc_kind = kind_named(spell_out_kinds(folded))
    if not mentions:
        names = names_written(original, cat) + names_in_lower_case(original, folded, cat)
        named_in_text = cat.docs_naming(names)
        if named_in_text:
            query.named = query.named | named_in_text
    if query.doc_kind and query.doc_kind != "Kế hoạch" and not docs:
        # "công văn về …", "chỉ thị …": the loaded documents of that kind are the ones asked about
        of_kind = cat.docs_of_kind(query.doc_kind)
        if of_kind and len(of_kind) < len(cat.docs):
            query.named = query.named | of_kind
            # "Chỉ thị về phòng cháy, chữa cháy mùa khô yêu cầu Sở Công Thương làm gì?": a document
            # named by its kind and its trích yếu (Decree 30/2020, art. 8) is the one asked
            pick = cat.docs_titled(rest, among=of_kind, min_pairs=1) if "doc" not in query.filters else None
            if pick and not numbers and (not mentions or pick <= set(mentions[0][2])):
                query.filters, query.named = {**query.filters, "doc": next(iter(pick))}, pick
    own = implementing & query.named if len(mentions) == 1 and not docs else set()
    if len(own) == 1 and "doc" not in query.filters:
        # "UBND xã, phường ở Cần Thơ phải làm gì để thực hiện Chỉ thị 27": of the place's plans, the
        # one whose title says it implements the named document ("Kế hoạch thực hiện Chỉ thị số
        # 27/CT-TTg") is asked, as a plan named by number would be
        doc = next(iter(own))
        query.filters = {**query.filters, "doc": doc}
        query.named = frozenset({doc})
    elif citing and len(citing) < len(cat.docs):
        query.named = query.named | citing
    if not query.catalogue and not mentions and not units:
        titled = cat.docs_titled(rest)
        if titled:
            query.named = query.named | titled  # "kế hoạch kiểm tra 28 đơn vị": its title words
        if len(titled) == 1 and not numbers:
            # "Ai in ấn chứng chỉ cho kỳ huấn luyện người quản lý VLNCN?": the run of the plan's
            # trích yếu the question repeats says which plan, not which of its passages (a plan
            # named by a number is named already: its title words are then the topic asked)
            title = cat.docs[next(iter(titled))].title or ""
            asked = content_terms(without_title_runs(rest, title))
            if asked:
                query.terms = asked
                query.lexical_text = without_title_runs(query.lexical_text, title)
    query.every_plan = (
        query.fact in _HEADER_FACTS
        and not mentions
        and not units
        and len(cat.docs) > 1
        and not set(query.terms) - _HEADER_WORDS
    )
    if (
        query.fact in _PER_PLAN_FACTS
        and not units
        and not docs
        and "doc" not in query.filters
        and len(mentions) <= 1
    ):
        # "Kế hoạch giảm nghèo của Cần Thơ ký ngày nào?": the place's plans the other words name
        # (twins both), each answered; one is the plan asked; never one picked among several
        pool = frozenset(d for d in (mentions[0][2] if mentions else cat.docs) if d in cat.docs)
        said = rest
        if issued is not None:  # "Kế hoạch của Sở Công Thương do ai ký?": the issuer's plans
            pool, said = pool & issued[0], said.replace(issued[1], " ")
        about = header_scope(content_terms(said), pool, cat) if len(pool) > 1 else None
        if about is not None and len(about) == 1:
            query.filters, query.named = {**query.filters, "doc": next(iter(about))}, about
            query.every_plan = False
        elif about:
            query.every_plan, query.named = True, about
            query.catalogue_among = about if about != frozenset(cat.docs) else None
    if missing_doc and not docs:
        query.missing = missing_doc
    elif missing_place and not mentions:
        query.missing = missing_place
    return query


def _issuer_words(issuer: str) -> str:
    """The issuer's name as units are compared against it ("… thuộc Sở Công Thương" holds the Sở)."""
    return " ".join(w for w in issuer.split() if w not in ("thuoc", "cua", "truc"))


# header-card facts: the plan's own signer, number, issue date, issuer (Decree 30/2020 layout)
_HEADER_FACTS = frozenset(
    {FactKind.SIGNER, FactKind.DOC_NUMBER, FactKind.DATE, FactKind.ISSUER, FactKind.RECIPIENT}
)
# the header facts a plan's card holds in one field (the addressees are "Kính gửi" or "Nơi nhận")
_PER_PLAN_FACTS = _HEADER_FACTS - {FactKind.RECIPIENT}
# words a header-card question may hold when it names no plan at all ("Kế hoạch đó do ai ký?")
_HEADER_WORDS = frozenset(
    "ky ban hanh ngay nao so hieu ky hieu co quan don vi nguoi do ai ke hoach van ban nay day gui kinh noi nhan "
    "toi den cho".split()
)
