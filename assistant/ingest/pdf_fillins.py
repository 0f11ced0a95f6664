"""Put text stamped into a line's blanks back where it stands on the page.

A Vietnamese administrative document is drafted with its number and day left blank
("Số:      /KH-ĐKT", "Lào Cai, ngày      tháng 3 năm 2026"): the clerk fills them in when the
document is issued (Nghị định 30/2020/NĐ-CP, Điều 15 and Phụ lục I), and the digital-signing
software of the provinces stamps them onto the signed PDF as text of its own, drawn after the
page.  pypdf's layout mode puts text drawn late at the end of its line ("năm 202610",
"/KH-ĐKT1105"), so the header reads without its number and day, and with a wrong year.

The page's text fragments say where each one stands: a fragment drawn after a fragment that lies
to its right on the same baseline was written into the line afterwards.  It goes back into the
blank (a run of spaces) its x position falls in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Fragment", "fragments_of", "place_fillins"]

_SAME_LINE = 3.0  # points: a stamp's baseline sits within this of the line's
_BLANK = re.compile(r" {2,}")


@dataclass(frozen=True)
class Fragment:
    x: float
    y: float
    text: str


def fragments_of(page) -> list[Fragment]:
    """The page's text fragments in drawing order, with their position."""
    out: list[Fragment] = []

    def visit(text, cm, tm, _font, _size) -> None:
        if text and text.strip():
            # the text matrix in the current transformation: where the fragment starts on the page
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            out.append(Fragment(float(x), float(y), text.replace("\n", " ")))

    page.extract_text(visitor_text=visit)
    return out


def _fillins(frags: list[Fragment]) -> list[tuple[Fragment, list[Fragment]]]:
    """Short fragments drawn after text lying to their right on their baseline, each with the
    fragments drawn before it on that line."""
    out = []
    for i, f in enumerate(frags):
        word = f.text.strip()
        if len(word) > 12 or not re.fullmatch(r"[\w/.-]+", word):
            continue  # a stamp is a number or a short code, never a phrase
        before = [g for g in frags[:i] if abs(g.y - f.y) <= _SAME_LINE]
        if any(g.x > f.x + 1 for g in before) and any(g.x < f.x for g in before):
            out.append((f, before))
    return out


def _column_of(line: str, frags: list[Fragment], x: float) -> int | None:
    """Where ``x`` falls in the layout line, read off the positions of the fragments around it."""
    left = max((g for g in frags if g.x <= x), key=lambda g: g.x, default=None)
    right = min((g for g in frags if g.x > x), key=lambda g: g.x, default=None)
    if left is None or right is None:
        return None
    a, b = line.find(left.text.strip()), line.find(right.text.strip())
    if a < 0 or b <= a or right.x <= left.x:
        return None
    return round(a + (x - left.x) / (right.x - left.x) * (b - a))


def place_fillins(lines: list[str], frags: list[Fragment]) -> list[str]:
    """``lines`` (pypdf's layout text of the page) with each stamped fragment moved from the
    end of its line into the blank it was written in."""
    out = list(lines)
    # stamps drawn one after another are appended to their line in drawing order ("…)110510": the
    # number, then the day): the last drawn ends the line, so they are put back last first
    for f, before in reversed(_fillins(frags)):
        word = f.text.strip()
        for i, line in enumerate(out):
            body = line.rstrip()
            if not body.endswith(word) or not all(g.text.strip() in body for g in before[-2:]):
                continue
            body = body[: -len(word)]
            col = _column_of(body, before, f.x)
            blanks = [m for m in _BLANK.finditer(body) if col is not None and m.start() <= col + 3]
            if not blanks:
                break
            m = min(blanks, key=lambda m: abs((m.start() + m.end()) / 2 - col))  # type: ignore[operator]
            # "Số: 1105/KH-ĐKT": the number joins the symbol after it; a day stands between words
            after = "" if body[m.end() : m.end() + 1] in ("/", "-") else " "
            out[i] = body[: m.start()] + " " + word + after + body[m.end() :]
            break
    return out
