"""The one reader of the vocabulary data files (``assistant/data/*.json``).

Every other module asks here: ``units_data()`` for unit names, provinces, head words
and roles (``units.json``), ``abbreviation_entries()`` for short forms and their long
forms (``abbreviations.json``).  Each file is read once per process (and again only
when it changes on disk, which lets a test or an operator swap the list in place).
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

__all__ = [
    "DATA_DIR",
    "UNITS_PATH",
    "ABBREVIATIONS_PATH",
    "units_data",
    "abbreviation_entries",
    "legacy_font_tables",
    "syllable_counts",
    "syllable_pairs",
    "file_stamp",
    "read_bytes",
]

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
UNITS_PATH = DATA_DIR / "units.json"
ABBREVIATIONS_PATH = DATA_DIR / "abbreviations.json"
LEGACY_FONTS_PATH = DATA_DIR / "legacy_fonts.json"
SYLLABLES_PATH = DATA_DIR / "syllables.json"
# the versions of the two font-recovery files this code reads; another version is refused
_LEGACY_VERSION = 1
_SYLLABLES_VERSION = 2


def file_stamp(path: Path) -> tuple[int, int]:
    """(mtime, size) of a data file, (0, -1) when absent: the cache key of what was read."""
    try:
        st = path.stat()
    except OSError:
        return (0, -1)
    return (st.st_mtime_ns, st.st_size)


@lru_cache(maxsize=8)
def _read(path: str, stamp: tuple[int, int]) -> bytes:
    p = Path(path)
    return p.read_bytes() if p.is_file() else b""


def read_bytes(path: Path) -> bytes:
    """The raw bytes of a data file (b"" when absent), read once per version of the file."""
    return _read(str(path), file_stamp(path))


@lru_cache(maxsize=8)
def _parsed(path: str, stamp: tuple[int, int]) -> Any:
    raw = _read(path, stamp)
    return json.loads(raw.decode("utf-8")) if raw else {}


def units_data() -> dict[str, Any]:
    """``units.json``: units (name, aliases), provinces, templates, scoped units, heads, roles."""
    data = _parsed(str(UNITS_PATH), file_stamp(UNITS_PATH))
    return data if isinstance(data, dict) else {}


def abbreviation_entries(path: Path | None = None) -> list[dict[str, Any]]:
    """The abbreviation list (``{"short": [...], "long": ...}``), or [] when the file is absent
    (tokens then carry no expansion)."""
    p = path or ABBREVIATIONS_PATH
    data = _parsed(str(p), file_stamp(p))
    return list(data.get("abbreviations", [])) if isinstance(data, dict) else []


def _versioned(path: Path, version: int) -> dict[str, Any]:
    data = _parsed(str(path), file_stamp(path))
    if not isinstance(data, dict) or data.get("version") != version:
        raise ValueError(
            f"{path.name}: expected version {version}, found {data.get('version') if isinstance(data, dict) else None}"
        )
    return data


def legacy_font_tables() -> dict[str, dict[int, str]]:
    """``legacy_fonts.json``: per legacy encoding ("tcvn3", "vni"), byte code -> Unicode text."""
    data = _versioned(LEGACY_FONTS_PATH, _LEGACY_VERSION)
    return {enc: {int(k, 16): v for k, v in data[enc].items()} for enc in ("tcvn3", "vni")}


def syllable_counts() -> dict[str, int]:
    """``syllables.json``: how often each lowercase Vietnamese syllable occurs in the corpus plans."""
    data = _versioned(SYLLABLES_PATH, _SYLLABLES_VERSION)
    return {str(k): int(v) for k, v in data["counts"].items()}


def syllable_pairs() -> dict[str, int]:
    """``syllables.json``: how often two syllables stand side by side ("sử dụng") in the corpus plans."""
    data = _versioned(SYLLABLES_PATH, _SYLLABLES_VERSION)
    return {str(k): int(v) for k, v in data["pairs"].items()}
