"""Vietnamese places: provinces (before and after the 2025 reorganisation), the
administrative prefixes written before a place name, and communes/wards as issuers.

Conventions followed:
- a place is written after its level word: "tỉnh Đồng Tháp", "huyện Lấp Vò",
  "thành phố/TP. Cao Lãnh", "xã Đồng Tâm Phú", "phường", "thị trấn", "đặc khu";
- since 1 July 2025 (Resolution 202/2025/QH15) there are 34 provincial units and no
  districts: a xã/phường plan names no district, its issuer ("Ủy ban nhân dân xã …")
  is its place;
- a road, rail line, power line or bridge is named by its end points joined by a dash ("cao tốc
  Cần Thơ - Cà Mau", "tuyến đường sắt Lào Cai - Hà Nội - Hải Phòng", "đường dây 500kV Quảng
  Trạch - Phố Nối"): a place written there is part of a project's name, not a plan's place.
"""

from __future__ import annotations

import re
from functools import lru_cache

from assistant.textnorm import fold
from assistant.vocab.data import units_data

__all__ = [
    "PLACE_MARKER",
    "province_names",
    "merged_into",
    "place_key",
    "locality_of",
    "locality_label",
    "province_of_alias",
    "route_endpoint",
    "route_names",
]

# words that introduce a place in a question (folded): "tỉnh X", "ở X", "của X"
PLACE_MARKER = r"(?:tinh|thanh pho|tp\.?|huyen|quan|thi xa|o|tai|cua)"
_PLACE_PREFIX = re.compile(r"^(tinh|thanh pho|tp\.?|huyen|quan|thi xa|thi tran|xa|phuong|dac khu)\s+")
# the level words of a commune-level (or city) issuer, folded
_LOCALITY = re.compile(r"\b(?:xa|phuong|thi tran|dac khu|thanh pho|thi xa|tp\.?)\s+([a-z0-9][a-z0-9 '-]*)$")
_LOCALITY_WRITTEN = re.compile(r"\b(xã|phường|thị trấn|đặc khu)\s+(.+)", re.I)


@lru_cache(maxsize=1)
def province_names() -> tuple[str, ...]:
    """Every province name and alias, before and after 2025 ("Huế", "Vũng Tàu", "TP.HCM").

    General knowledge, not the loaded collection: it lets "kế hoạch của Cần Thơ" be read
    as a place that has no plan here.
    """
    out: list[str] = []
    for p in units_data().get("provinces", []):
        out += [p["name"], *p.get("aliases", [])]
    return tuple(dict.fromkeys(out))


@lru_cache(maxsize=1)
def province_of_alias() -> dict[str, str]:
    """Each province name or alias (folded) → the province's name ("tp hcm" → "Hồ Chí Minh")."""
    return {
        fold(n): p["name"]
        for p in units_data().get("provinces", [])
        for n in [p["name"], *p.get("aliases", [])]
    }


@lru_cache(maxsize=1)
def _merged() -> dict[str, str]:
    table = units_data().get("reorganised_2025", {})
    return {fold(old): new for new, olds in table.items() if not new.startswith("_") for old in olds}


def merged_into(province: str) -> str | None:
    """The province a pre-2025 province joined ("Trà Vinh" → "Vĩnh Long"), or None."""
    return _merged().get(fold(province).strip())


def place_key(name: str | None) -> str:
    """A place compared by name: folded, its level word dropped ("Tỉnh Đồng Tháp" → "dong thap")."""
    k = " ".join(fold(name or "").split())
    return _PLACE_PREFIX.sub("", k)


def locality_of(issuer: str | None) -> str | None:
    """The folded name of the commune/ward/town/city that issued a plan ("Ủy ban nhân dân xã
    Đồng Tâm Phú" → "dong tam phu"), or None for a province or district issuer."""
    key = " ".join(fold(issuer or "").replace(",", " ").split())
    m = _LOCALITY.search(key)
    if not m:
        return None
    name = m.group(1).strip(" -")
    # one syllable ("xã Tân") is too common a word to scope a question by
    return name if len(name.split()) >= 2 else None


def locality_label(issuer: str | None) -> str | None:
    """A commune-level issuer names the plan's place better than its province:
    "Ủy ban nhân dân xã Đồng Tâm Phú" → "xã Đồng Tâm Phú"."""
    m = _LOCALITY_WRITTEN.search(issuer or "")
    if not m:
        return None
    name = []
    for word in m.group(2).split():
        if not (word[:1].isupper() or word[:1].isdigit()):
            break  # the name ends where the sentence goes on ("xã Tân Phú thực hiện")
        name.append(word.strip(",;.:"))
    return f"{m.group(1)} {' '.join(name)}" if name else None


# the nouns a named route is written after (folded), and an optional code after the noun
# ("quốc lộ 1A", "đường dây 500kV"); a place right after one, followed by a dash and another name,
# or after one such "name - " chain, is an end point of the route
# ("nhu cầu", "yêu cầu", "trực tuyến" end in a route noun's syllable: they name no route)
_ROUTE_HEAD = (
    r"\b(?<!nhu )(?<!yeu )(?<!truc )(?:cao toc|quoc lo|tinh lo|duong sat|duong day|duong bo|tuyen duong|"
    r"tuyen|duong|cau|hanh lang kinh te|truc)(?:\s+[a-z]*\d[a-z0-9]*)?\s+"
)
_DASH = r"\s*[-\u2013\u2014]\s*"
_ROUTE_FIRST = re.compile(_ROUTE_HEAD + r"$")
_ROUTE_LATER = re.compile(_ROUTE_HEAD + rf"(?:(?:[a-z]+\s+){{0,3}}[a-z]+{_DASH})+$")


def route_endpoint(folded: str, start: int, end: int) -> bool:
    """Whether the place at ``folded[start:end]`` is an end point of a named route ("cao toc can
    tho - ca mau"): the first place after the route noun with a dash after it, or a place after
    the chain's dash."""
    before, after = folded[max(0, start - 120) : start], folded[end:]
    if _ROUTE_FIRST.search(before) and re.match(_DASH + r"[a-z]", after):
        return True
    return bool(re.search(_DASH + "$", before)) and bool(_ROUTE_LATER.search(before))


_ROUTE_NAMED = re.compile(rf"({_ROUTE_HEAD})((?:[a-z]+\s+){{0,3}}[a-z]+){_DASH}[a-z]")


def route_names(folded: str) -> list[str]:
    """The named routes ``folded`` writes, each as its noun and first end point ("cao toc can
    tho" of "cao toc can tho - ca mau"): a sentence about that route writes it so."""
    return [" ".join(f"{m.group(1)} {m.group(2)}".split()) for m in _ROUTE_NAMED.finditer(folded)]
