"""Unit names: recognition in text and lists, canonicalisation.

The vocabulary (names, aliases, head words, role words, provinces) is
``assistant.vocab.units``; this module reads units in running text and lists.
A unit is identified by its canonical name *and* the province of the plan that names
it (Passage.province): "Sở Thông tin và Truyền thông" of Đồng Tháp is not the one of
Đồng Nai.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..textnorm import fold, nfc, normalize_tones
from ..vocab.units import CONNECTORS as _CONNECTORS
from ..vocab.units import MAX_NAME as _MAX_NAME
from ..vocab.units import NAME_STOP_WORDS as _STOP_WORDS
from ..vocab.units import canonical_province, province_in, provinces, unit_aliases
from ..vocab.units import heads as _heads
from ..vocab.units import name_tokens as _tokens
from ..vocab.units import roles as _roles
from ..vocab.units import starts_with as _starts_with
from ..vocab.units import verbs as _verbs
from .unit_scan import (
    _LOCAL_KINDS,
    _caps,
    _Match,
    _scan,
    _scope_at,
    _tidy,
)

__all__ = [
    "canonical_unit",
    "unit_aliases",
    "find_units",
    "match_unit_in_text",
    "parse_unit_list",
    "units_after",
    "units_before",
    "provinces",
    "canonical_province",
    "province_in",
    "UnitList",
    "places_after_colon",
]


@dataclass(frozen=True)
class UnitList:
    units: tuple[str, ...]
    complete: bool  # every part of the text was a unit (or a connector / vague phrase)
    requested: tuple[str, ...] = ()
    # "X chủ trì, phối hợp (với) Y", "X chủ trì; Y phối hợp": Y coordinates, it is not in ``units``
    partners: tuple[str, ...] = ()


_LIST_ROLE = re.compile(r"(?i)\bchủ\s+trì\b|\bphối\s+hợp\b(?P<voi>\s+với\b)?")


def _piece_is_unit(ptoks, cell: bool) -> bool:
    """An unlisted name in a list: it starts with a head word followed by a name ("Trung tâm Y tế"),
    or, in a table's unit column, it is any short item that is not an ordinary phrase."""
    h = _starts_with(ptoks, 0, _heads())
    if (
        h
        and _caps(ptoks[0])
        and len(ptoks) > h
        and (h > 1 or _caps(ptoks[h]) or _scope_at(ptoks, h) or ptoks[h].key == "các")
    ):
        return True
    if not cell or len(ptoks) > _MAX_NAME or _starts_with(ptoks, 0, _verbs()):
        return False
    return not all(t.key in _STOP_WORDS or t.fold in _CONNECTORS for t in ptoks)


def _list_events(text: str, matches, cell: bool, whole: bool) -> tuple[list[tuple[int, str, object]], bool]:
    """Units and role words of a list in reading order: (offset, "unit" | "role", name | is_pre)."""
    events: list[tuple[int, str, object]] = []
    complete = True
    pos = 0
    spans = [(m.start, m.end, m) for m in matches] + [(len(text), len(text), None)]
    qualified: _Match | None = None  # a vague party right before this gap ("các tổ chức, cá nhân")
    for start, end, m in spans:
        if start < pos:  # inside a list of place names already read into the unit before it
            continue
        gap = text[pos:start]
        q = re.match(r"[ \t]+([^\W\d_][^,;()]*)", gap) if qualified is not None and (cell or whole) else None
        qtoks = _tokens(q.group(1)) if q and q.group(1)[:1].islower() else []
        if (
            q
            and qtoks
            and not _starts_with(qtoks, 0, _verbs())
            and not all(t.key in _STOP_WORDS or t.fold in _CONNECTORS for t in qtoks)
            and "lien quan" not in fold(q.group(1))
        ):
            # "Các tổ chức, cá nhân hoạt động khoáng sản": a lower-case qualifier right after a vague
            # party (no comma between) narrows it to a party of its own; it is not a unit "Hoạt động …"
            assert qualified is not None
            events.append((qualified.start, "unit", _tidy(text[qualified.start : pos + q.end()])))
            pos += q.end()
            gap = text[pos:start]
        elif qualified is not None and cell:
            # a table's partner column lists every party it names, the vague ones too: "Các Sở,
            # ban, ngành và các địa phương liên quan" is answered as written, not cut to its first
            # party ("liên quan" kept: it is what narrows "các địa phương")
            rel = re.match(r"\s+(?:có\s+)?liên\s+quan\b", gap)
            name = text[qualified.start : pos + (rel.end() if rel else 0)]
            events.append((qualified.start, "unit", _vague_name(name)))
            if rel:
                pos += rel.end()
                gap = text[pos:start]
        qualified = None
        cuts = [pos]
        for r in _LIST_ROLE.finditer(gap):
            if r.group(0).lower().startswith("chủ"):
                pre = None
            else:
                # "phối hợp (với) Sở Nội vụ" introduces a partner; "Sở Nội vụ phối hợp" names one
                after = gap[r.end() :].strip(" :\t\n")
                pre = bool(r.group("voi")) or (after[:1].isupper() if after else m is not None)
            events.append((pos + r.start(), "role", pre))
            cuts += [pos + r.start(), pos + r.end()]
        cuts.append(start)
        for a, b in zip(cuts[::2], cuts[1::2]):
            for part in re.split(r"[,;]|\s+và\s+|\s+hoặc\s+|\(|\)", text[a:b]):
                ptoks = _tokens(part)
                if not ptoks:
                    continue
                if _scopes_only(part) and _extend_scope(events, part):
                    continue  # "UBND các xã, phường": one unit named over its kinds of commune
                rest = ptoks[_starts_with(ptoks, 0, _roles()) :]
                if not rest or all(t.fold in _CONNECTORS for t in rest):
                    continue
                if _piece_is_unit(rest, cell):
                    events.append((a + 1, "unit", _tidy(part[rest[0].start :])))
                elif whole:
                    complete = False
        if m is not None:
            pos = end
            if not m.vague:
                name = m.canonical
                if _local_unit(name) and (stop := _named_places(text, end)) > end:
                    name, pos = _with_places(name, text[end:stop]), stop
                events.append((m.start, "unit", name))
            else:
                qualified = m
    return sorted(events, key=lambda e: e[0]), complete


def _named_places(text: str, pos: int) -> int:
    """End of a ": Gia Thuận, Tân Điền và Tân Phú Đông" list of place names right after ``pos``; else ``pos``.

    Convention: a plan assigns a task to some communes only by naming them after a colon,
    "Ủy ban nhân dân các xã: Gia Thuận, Tân Điền, Tân Phú Đông"; the names are part of the party
    (cut at the colon it would read as every commune). A name is a run of capitalised words; the
    list is joined by commas or "và" and ends at the first lower-case word or other punctuation.
    """
    m = re.match(r"[ \t]*:[ \t\n]*", text[pos:])
    if not m:
        return pos
    # a place name has two syllables or more ("Gia Thuận", "A Lưới"): a capitalised verb after the
    # colon ("Ủy ban nhân dân các xã: Chủ trì, …") is one capitalised word, not a name
    i, end, words = pos + m.end(), pos, 0
    for w in re.finditer(r"\s*(,|\bvà\b|[^\W\d_]+|\S)", text[i:]):
        word = w.group(1)
        if word[:1].isalpha() and word[:1].isupper():
            words += 1
            if words >= 2:
                end = i + w.end()
            continue
        if word not in (",", "và") or words < 2:
            break
        words = 0
    return end


def places_after_colon(title: str, colon: int) -> int:
    """End of the communes a local party heading names after its colon ("UBND các xã: A, B"); else ``colon``."""
    if not _local_unit(title[:colon].strip()):
        return colon
    return _named_places(title, colon)


def _local_unit(name: str) -> bool:
    """ "Ủy ban nhân dân các xã", "UBND 04 xã": a party named by its kind of local unit, no name of its own."""
    return any(fold(name).endswith(" " + w) for w in _LOCAL_KINDS)


def _with_places(name: str, places: str) -> str:
    """ "Ủy ban nhân dân 04 xã" + ": Gia Thuận,  Tân Điền" → "Ủy ban nhân dân 04 xã: Gia Thuận, Tân Điền"."""
    return f"{name}: {' '.join(places.split()).lstrip(': ')}"


def _vague_name(name: str) -> str:
    """A vague party of a table cell as written, first letter capitalised ("Các địa phương liên quan")."""
    s = " ".join(name.split()).strip(" ,;.")
    return s[:1].upper() + s[1:]


def _scopes_only(part: str) -> bool:
    """ "phường", "thị trấn", "đặc khu": a piece that is only a kind of local unit."""
    return " ".join(fold(part).split()) in _LOCAL_KINDS


def _extend_scope(events: list, part: str) -> bool:
    """Append a bare kind of local unit to the unit just before it when that unit ends with one.

    Convention: "UBND các xã, phường, đặc khu" names the People's Committees of every commune-level
    unit, one party over its kinds; split on the comma it would read as "UBND các xã" and "Phường".
    """
    if not events or events[-1][1] != "unit":
        return False
    off, _, name = events[-1]
    if not any(fold(str(name)).endswith(" " + w) for w in _LOCAL_KINDS):
        return False
    events[-1] = (off, "unit", f"{name}, {part.strip()}")
    return True


def parse_unit_list(
    text: str, province: str | None = None, *, whole: bool = True, cell: bool = False
) -> UnitList:
    """Units named in a list such as a "Đơn vị chủ trì: …" line, a table cell or a heading.

    Known names (and their aliases) are matched first, longest first, so commas and
    "và" inside names ("Sở Văn hóa, Thể thao và Du lịch") do not split them.  Text
    between known names is split on , ; and "và" and kept when it starts with a
    unit head word ("Phòng", "Trung tâm", …) — or, with ``cell`` (a table's unit
    column), whenever it is a short item that is not an ordinary phrase.  Units
    after "phối hợp (với)" or before a closing "phối hợp" go to ``partners``.
    ``complete`` says whether nothing but units, connectors, role words and vague
    phrases ("các đơn vị liên quan") was found.
    """
    text = normalize_tones(nfc(text)).strip()
    requested = bool(re.match(r"(?i)^\W*đề\s+nghị\b", text))
    text = re.sub(r"(?i)^\W*đề\s+nghị\s+", "", text)
    if re.match(r"(?i)^người phát ngôn\b", text):
        u = _tidy(text)
        return UnitList((u,), True, (u,) if requested else ())
    _, matches = _scan(text, province)
    events, complete = _list_events(text, matches, cell, whole)
    lead: list[str] = []
    partners: list[str] = []
    pending: list[str] = []  # units since the last role word, in the current mode
    partner_mode = False
    for _, kind, val in events:
        if kind == "unit":
            pending.append(str(val))
            continue
        if val is None:  # "chủ trì": what was pending leads
            lead += pending
            partner_mode = False
        elif val:  # "phối hợp (với) Y": Y and what follows coordinate
            (partners if partner_mode else lead).extend(pending)
            partner_mode = True
        else:  # "Y phối hợp": Y coordinates
            partners += pending
        pending = []
    (partners if partner_mode else lead).extend(pending)
    lead = list(dict.fromkeys(u for u in lead if u))
    partners = [u for u in dict.fromkeys(partners) if u and u not in lead]
    found = bool(lead or partners)
    return UnitList(tuple(lead), complete and found, tuple(lead) if requested else (), tuple(partners))


def units_after(text: str, pos: int = 0, province: str | None = None) -> tuple[list[str], int]:
    """Units written one after another from char offset ``pos`` ("X, Y và các đơn vị …").

    Stops at the first word that is neither a unit, a vague phrase nor a connector;
    returns the units and the char offset where the run ended.
    """
    text = normalize_tones(nfc(text))
    toks, matches = _scan(text, province)
    by_tok = {m.t0: m for m in matches}
    units: list[str] = []
    i = next((k for k, t in enumerate(toks) if t.end > pos), len(toks))
    end = pos
    while i < len(toks):
        if i in by_tok:
            m = by_tok[i]
            i, end = m.t1, m.end
            if not m.vague:
                name = m.canonical
                if _local_unit(name) and (stop := _named_places(text, m.end)) > m.end:
                    name, end = _with_places(name, text[m.end : stop]), stop
                    i = next((k for k, t in enumerate(toks) if t.start >= stop), len(toks))
                units.append(name)
            continue
        if toks[i].fold in _CONNECTORS and not (units and toks[i].fold == "giao"):
            i += 1  # "Giao X, Y"; but in "UBND huyện giao X" the units before "giao" assign, X does
            continue
        break
    return list(dict.fromkeys(units)), end


def find_units(text: str, province: str | None = None) -> list[str]:
    """Known units (and "UBND huyện X"-style units) named anywhere in a text, in order."""
    _, matches = _scan(text, province)
    return list(dict.fromkeys(m.canonical for m in matches if not m.vague))


def match_unit_in_text(text: str, province: str | None = None) -> list[str]:
    """Units a free question refers to ("Sở TT&TT", "so van hoa", "Công an huyện").

    Accent-insensitive for words typed without diacritics, alias-aware, and the
    longest alias wins at each position (so "Sở Văn hóa, Thể thao và Du lịch" is one
    unit, not "Sở Văn hóa").  Returned in order of appearance.
    """
    return find_units(text, province)


def canonical_unit(name: str, province: str | None = None) -> str:
    """The canonical name for one unit name as written ("Sở TT&TT" → "Sở Thông tin và Truyền thông")."""
    found = parse_unit_list(name, province)
    if len(found.units) == 1 and found.complete:
        return found.units[0]
    return _tidy(name)


def units_before(text: str, pos: int, province: str | None = None) -> list[str]:
    """Units written one after another that end right before char offset ``pos``.

    "Chánh Văn phòng UBND tỉnh, Thủ trưởng các sở, ban, ngành tỉnh … chịu trách nhiệm":
    role words ("Chánh", "Thủ trưởng", "Chủ tịch") and connectors may sit between them.
    """
    text = normalize_tones(nfc(text))
    toks, matches = _scan(text[:pos], province)
    roles = {w for r in _roles() for w, _ in r}
    run: list[_Match] = []
    nxt = len(toks)
    for m in reversed(matches):
        gap = toks[m.t1 : nxt]
        # "UBND tỉnh giao Sở Y tế chủ trì": the one who assigns is not the subject
        if any((t.fold not in _CONNECTORS or t.fold == "giao") and t.fold not in roles for t in gap):
            break
        run.append(m)
        nxt = m.t0
    return list(dict.fromkeys(m.canonical for m in reversed(run) if not m.vague))
