"""Vietnamese places: provinces (before and after the 2025 reorganisation), the
administrative prefixes written before a place name, and communes/wards as issuers.

Conventions followed:
- a place is written after its level word: "tỉnh Đồng Tháp", "huyện Lấp Vò",
  "thành phố/TP. Cao Lãnh", "xã Đồng Tâm Phú", "phường", "thị trấn", "đặc khu";
- since 1 July 2025 (Resolution 202/2025/QH15) there are 34 provincial units and no
  districts: a xã/phường plan names no district, its issuer ("Ủy ban nhân dân xã …")
  is its place.
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
