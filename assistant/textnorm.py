"""Vietnamese text normalisation shared by every step that *matches* text.

Displayed text is never changed by these functions' callers; they compute keys:
- ``nfc``: Unicode NFC.
- ``normalize_tones``: one spelling for tone-mark placement (hoà → hòa, thuỷ → thủy, khoá → khóa).
- ``fold``: accent-folded lower case (NFD, marks stripped, đ → d): "Sở TT&TT" → "so tt&tt".
- ``match_key``: NFC + tone placement + lower case, for accent-sensitive matching.
Tokens are ``assistant.vocab.tokens``.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["NORMALISER_VERSION", "nfc", "normalize_tones", "fold", "fold_map", "match_key"]

NORMALISER_VERSION = 1

_TONES = {
    "\u0300": "grave",
    "\u0301": "acute",
    "\u0303": "tilde",
    "\u0309": "hook",
    "\u0323": "dot",
}


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


_TONE_FIX = re.compile(
    r"(?i)(?<![a-zđ\u00c0-\u1ef9])(?:[a-zđ]*?)(?:q?u)?(o[aàáảãạeèéẻẽẹ]|u[yỳýỷỹỵ])(?![a-zđ\u00c0-\u1ef9])"
)


def normalize_tones(text: str) -> str:
    """Move the tone mark of syllable-final oa/oe/uy onto the first vowel (hoà → hòa).

    Applied to NFC text; a syllable like "hoàng" or "quyết" is left alone because
    the diphthong is not syllable-final there.
    """
    text = nfc(text)

    def fix(m: re.Match) -> str:
        word = m.group(0)
        diph = m.group(1)
        head = word[: len(word) - len(diph)]
        # "qu" + y/a: the u is part of the consonant, tone belongs on the next vowel
        if head.lower().endswith("q"):
            return word
        dec = unicodedata.normalize("NFD", diph[1])
        tone = "".join(c for c in dec[1:] if c in _TONES)
        if not tone:
            return word
        bare = nfc(dec[0] + "".join(c for c in dec[1:] if c not in _TONES))
        return head + nfc(diph[0] + tone) + bare

    return _TONE_FIX.sub(fix, text)


def _fold_slow(text: str) -> str:
    text = unicodedata.normalize("NFD", text.lower())
    text = "".join(c for c in text if unicodedata.category(c) != "Mn")
    return text.replace("đ", "d")


class _FoldTable(dict[int, str]):
    """Each character's folded form, computed the first time it is met: folding is per character
    (lower-case, decompose, drop the combining marks, đ → d), so ``str.translate`` over this table
    equals the whole-text fold. The catalogue folds every passage at each load (issue 15: 235,000
    passages), where the per-character ``unicodedata.category`` of the plain fold took ~20 s."""

    def __missing__(self, code: int) -> str:
        folded = _fold_slow(chr(code))
        self[code] = folded
        return folded


_FOLD_TABLE = _FoldTable()


def fold(text: str) -> str:
    """Accent-folded, lower-cased text: 'Đồng Tháp' → 'dong thap'."""
    if "Σ" in text:
        # the one letter whose lower case depends on its neighbours (a Greek word's final sigma)
        return _fold_slow(text)
    return text.translate(_FOLD_TABLE)


def fold_map(text: str) -> tuple[str, list[int]]:
    """Folded text and, for each folded char, the index of the original char it came from (a
    match found in the folded text is cut from the text as written)."""
    out, idx = [], []
    for i, ch in enumerate(text):
        f = fold(ch)
        out.append(f)
        idx.extend([i] * len(f))
    return "".join(out), idx


def match_key(text: str) -> str:
    return normalize_tones(nfc(text)).lower()
