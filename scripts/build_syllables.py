"""Build assistant/data/syllables.json: Vietnamese syllable counts from the corpus plans.

The PDF glyph recovery (assistant/ingest/pdf_glyphs.py) reads a font's unknown glyphs as
the Vietnamese letters that make its words the most frequent syllables; these counts are
that frequency.  Run from the repository root: python scripts/build_syllables.py
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from pathlib import Path

VERSION = 2


def _pairs(text: str, pairs: Counter[str]) -> None:
    """Two syllables side by side (one space between): the words of the language ("sử dụng")."""
    for a, b in re.findall(r"(?=\b([^\W\d_]{1,7}) ([^\W\d_]{1,7})\b)", text):
        pairs[f"{a} {b}"] += 1


def main() -> None:
    root = Path(__file__).resolve().parent.parent
    counts: Counter[str] = Counter()
    pairs: Counter[str] = Counter()
    for path in sorted((root / "corpus").glob("*.txt")):
        text = unicodedata.normalize("NFC", path.read_text(encoding="utf-8")).lower()
        counts.update(w for w in re.findall(r"[^\W\d_]+", text) if len(w) <= 7)
        _pairs(text, pairs)
    # the vocabulary's unit names and long forms: syllables of names a plan cites
    for name in ("units.json", "abbreviations.json"):
        raw = (root / "assistant" / "data" / name).read_text(encoding="utf-8")
        text = unicodedata.normalize("NFC", raw).lower()
        counts.update(w for w in re.findall(r"[^\W\d_]+", text) if len(w) <= 7)
        _pairs(text, pairs)
    out = {
        "version": VERSION,
        "source": "corpus/*.txt, units.json, abbreviations.json",
        "counts": dict(counts.most_common()),
        "pairs": dict(pairs.most_common()),
    }
    dest = root / "assistant" / "data" / "syllables.json"
    dest.write_text(json.dumps(out, ensure_ascii=False, indent=0, sort_keys=False) + "\n", encoding="utf-8")
    print(f"{len(counts)} syllables, {len(pairs)} pairs, {sum(counts.values())} tokens -> {dest}")


if __name__ == "__main__":
    main()
