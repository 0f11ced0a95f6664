"""What counts as relevant and as correct, and the figures computed from it.

Gold quotes are verbatim substrings of the *raw* plan files, which hold markdown and
HTML; our passages (and every peer's chunks, once normalised the same way) do not.
So both sides are reduced to the same key before matching: markup removed,
``textnorm.fold``-ed, split into letter/digit tokens.

Retrieval figures come from ``ir_measures`` (Success@k, RR, nDCG@10), computed per
question and averaged here with 0 for a question the system returned nothing
relevant for, so no question can silently drop out of the denominator.
"""

from __future__ import annotations

import html
import json
import re
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import ir_measures
from ir_measures import RR, Qrel, ScoredDoc, Success, nDCG

from assistant.textnorm import fold, nfc

__all__ = [
    "RETRIEVAL_MEASURES",
    "markup_free",
    "match_tokens",
    "QuoteMatcher",
    "AnswerJudge",
    "Outcome",
    "load_abbreviations",
    "retrieval_figures",
    "answer_figures",
    "ratio",
]

# Hit@k is ir_measures' Success@k (1 when a relevant passage is in the top k).
RETRIEVAL_MEASURES = {
    "hit@1": Success @ 1,
    "hit@3": Success @ 3,
    "hit@5": Success @ 5,
    "hit@10": Success @ 10,
    "mrr": RR @ 10,
    "ndcg@10": nDCG @ 10,
}

_TAG = re.compile(r"<[^>]{0,400}>")
_MD = re.compile(r"(?m)^\s{0,3}#{1,6}\s*|[*_`|~]+")
_TOKEN = re.compile(r"[0-9a-z]+")


def markup_free(text: str) -> str:
    """Raw plan text with HTML tags, entities and markdown marks removed."""
    text = html.unescape(_TAG.sub(" ", nfc(text)))
    return _MD.sub(" ", text)


def match_tokens(text: str) -> list[str]:
    """Folded letter/digit tokens: the key both quotes and passages are compared on."""
    return _TOKEN.findall(fold(markup_free(text)))


# Why 4-grams: a run of four folded syllables is specific to its sentence in these
# plans, while single words or 2-grams ("uy ban", "cac so") occur everywhere.
_N = 4
_SHARE = 0.6  # the brief's threshold: overlap ≥ 60 % of the quote
_SHORT = 100  # letters: below this, 60 % of a quote is a couple of formulaic words …
_SHARE_SHORT = 0.9  # … so a short quote must be (nearly) whole in the unit
_STRADDLE = 0.3  # fallback when the quote straddles unit boundaries (see QuoteMatcher)
_MIN_CHARS = 20  # a 2-word heading inside a quote is not evidence by itself
_CONTEXT = 250  # raw characters either side of an ambiguous quote (QuoteMatcher._disambiguate)
_GAP = 3  # marker tokens one side may have inside a quote and the other not


class _Unit:
    __slots__ = ("id", "doc", "tokens", "chars", "grams", "joined")

    def __init__(self, uid: str, doc: str | None, text: str):
        self.id, self.doc = uid, doc
        self.tokens = match_tokens(text)
        self.chars = sum(map(len, self.tokens))
        self.grams: dict[tuple[str, ...], list[int]] = {}
        for i in range(len(self.tokens) - _N + 1):
            self.grams.setdefault(tuple(self.tokens[i : i + _N]), []).append(i)
        self.joined = " " + " ".join(self.tokens) + " "


_MARKER = re.compile(r"\d{1,3}|[a-z]")


def _markers(gap: list[str]) -> bool:
    """A gap the markup explains: footnote numbers "(2)" or item letters "a)", a few at most."""
    return len(gap) <= _GAP and all(_MARKER.fullmatch(t) for t in gap)


def _aligned_chars(q: list[str], u: _Unit) -> int:
    """Characters of ``q`` aligned with ``u`` in order.

    Maximal common runs of ≥ 4 tokens are chained when they keep their order in both
    texts and what lies between them is only markers (footnote numbers, item letters)
    one side has and the other dropped; the best chain's characters are
    the overlap. Order matters: two common phrases far apart in the unit (say
    "đơn vị phối hợp" … "Sở Thông tin và Truyền thông") are not the quote.
    """
    runs = []
    for i in range(len(q) - _N + 1):
        for p in u.grams.get(tuple(q[i : i + _N]), ()):
            if i > 0 and p > 0 and q[i - 1] == u.tokens[p - 1]:
                continue  # not the start of a maximal run
            n = _N
            while i + n < len(q) and p + n < len(u.tokens) and q[i + n] == u.tokens[p + n]:
                n += 1
            runs.append((i, p, n, sum(len(t) for t in q[i : i + n])))
    best: list[int] = []
    for r, (i, p, _n, c) in enumerate(runs):
        prev = [
            best[j]
            for j, (i2, p2, n2, _) in enumerate(runs[:r])
            if i2 + n2 <= i and p2 + n2 <= p and _markers(q[i2 + n2 : i]) and _markers(u.tokens[p2 + n2 : p])
        ]
        best.append(c + max(prev, default=0))
    return max(best, default=0)


class QuoteMatcher:
    """Decides which units (passages or chunks) hold a gold quote.

    Only units of the quote's own plan are considered. A unit is relevant when the
    quote's characters aligned with it (see ``_aligned_chars``) reach 60 % of the
    shorter of the two (90 % when the quote has under 100 letters) — so a long passage holding the whole quote counts, and so
    does a table row lying wholly inside a long quote — with at least 20 characters.
    When no unit reaches that, the quote straddles unit boundaries, and every unit
    aligned with ≥ 30 % of it is relevant (a quote split in half is found in both).
    """

    def __init__(self, units: Sequence[tuple], raw: dict[str, str] | None = None):
        """``units``: (id, text[, doc]); ``raw``: doc → raw file text, to tell apart
        units that each contain a formulaic quote ("Đơn vị phối hợp: Sở Tài chính.")."""
        self.units = [_Unit(u[0], u[2] if len(u) > 2 else None, u[1]) for u in units]
        self.ids = [u.id for u in self.units]
        self.raw = raw or {}

    def coverage(self, quote: str, doc: str | None = None) -> list[tuple[str, int, int, int]]:
        """(unit id, aligned chars, quote chars, unit chars) for units sharing text with the quote."""
        q = match_tokens(quote)
        qchars = sum(map(len, q))
        if not q:
            return []
        units = [u for u in self.units if doc is None or u.doc is None or u.doc == doc]
        if len(q) < _N:  # very short quote: plain containment of the token sequence
            needle = " " + " ".join(q) + " "
            return [(u.id, qchars, qchars, u.chars) for u in units if needle in u.joined]
        out = []
        for u in units:
            ov = _aligned_chars(q, u)
            if ov:
                out.append((u.id, ov, qchars, u.chars))
        return out

    def relevant(self, quote: str, doc: str | None = None) -> list[str]:
        cov = self.coverage(quote, doc)
        strict = [
            uid
            for uid, ov, qc, uc in cov
            if ov >= max(min(_MIN_CHARS, qc), (_SHARE if qc >= _SHORT else _SHARE_SHORT) * min(qc, uc))
        ]
        if strict:
            whole = [uid for uid, ov, qc, _ in cov if uid in strict and ov >= 0.98 * qc]
            if len(whole) > 1:
                strict = self._disambiguate(quote, doc, strict, whole)
            return strict
        return [uid for uid, ov, qc, _ in cov if ov >= max(min(_MIN_CHARS, qc), _STRADDLE * qc)]

    def _disambiguate(self, quote: str, doc: str | None, strict: list[str], whole: list[str]) -> list[str]:
        """Several units contain the whole quote: keep those that also hold its surroundings.

        The quote's place in the raw file tells which occurrence the gold writer meant;
        the units are scored on the quote plus ``_CONTEXT`` raw characters either side,
        and a unit is kept when it aligns with at least half of the best unit's extra
        context. Without the raw text, or when the quote is not unique in it, every
        containing unit stays relevant.
        """
        raw = self.raw.get(doc or "")
        if not raw or raw.count(quote) != 1:
            return strict
        at = raw.index(quote)
        ctx = match_tokens(raw[max(0, at - _CONTEXT) : at + len(quote) + _CONTEXT])
        qc = sum(map(len, match_tokens(quote)))
        by_id = {u.id: u for u in self.units}
        score = {uid: _aligned_chars(ctx, by_id[uid]) - qc for uid in whole}
        top = max(score.values())
        if top <= 0:
            return strict
        return [uid for uid in strict if uid not in score or score[uid] >= 0.5 * top]

    def relevant_to_sources(self, sources: Iterable[dict]) -> set[str]:
        rel: set[str] = set()
        for s in sources:
            rel.update(self.relevant(s.get("quote", ""), s.get("doc")))
        return rel


def load_abbreviations(path: Path | None = None) -> dict[str, list[str]]:
    """short form → long forms, from assistant/data/abbreviations.json when it exists.

    Reads its shape ({"abbreviations": [{"short": [...], "long": "..."}]}) and the
    plain {"UBND": "Ủy ban nhân dân"} one.
    """
    if path is None:
        path = Path(__file__).resolve().parent.parent / "assistant" / "data" / "abbreviations.json"
    if not path.exists():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    if isinstance(data, dict) and isinstance(data.get("abbreviations"), (dict, list)):
        data = data["abbreviations"]
    pairs: list[tuple[object, object]] = []
    if isinstance(data, dict):
        pairs = [(k, v) for k, v in data.items() if not str(k).startswith("_")]
    else:
        for d in data:
            if isinstance(d, dict):
                shorts = d.get("short") or d.get("abbr") or []
                for sh in [shorts] if isinstance(shorts, str) else shorts:
                    pairs.append((sh, d.get("long") or d.get("full")))
    out: dict[str, list[str]] = {}
    for k, v in pairs:
        vals = [v] if isinstance(v, str) else [x for x in (v or []) if isinstance(x, str)]
        if k and vals:
            out.setdefault(nfc(str(k)), []).extend(nfc(x) for x in vals)
    return out


class AnswerJudge:
    """Accent-, case- and abbreviation-insensitive containment of expected strings.

    Short forms are expanded on the written text, case-sensitively and as whole
    tokens, *before* folding: folded, "TU" (Tỉnh ủy) or "CT" (Chủ tịch) would be
    ordinary syllables. Both the answer and the expected strings go through the same
    expansion, so "Sở TT&TT" and "Sở Thông tin và Truyền thông" meet.
    """

    def __init__(self, abbreviations: dict[str, list[str]] | None = None):
        abbr = load_abbreviations() if abbreviations is None else abbreviations
        self._long = {k: v[0] for k, v in abbr.items() if v}
        shorts = sorted(self._long, key=len, reverse=True)
        self._re = (
            re.compile(r"(?<![\w&])(?:" + "|".join(re.escape(k) for k in shorts) + r")(?![\w&])")
            if shorts
            else None
        )

    def key(self, text: str) -> str:
        text = markup_free(nfc(text or ""))
        if self._re is not None:
            text = self._re.sub(lambda m: " " + self._long[m.group(0)] + " ", text)
        return " " + " ".join(_TOKEN.findall(fold(text))) + " "

    def contains(self, haystack_key: str, needle: str) -> bool:
        k = self.key(needle)
        return k.strip() != "" and k in haystack_key

    def judge(self, q: dict, answer_text: str, units: Iterable[str], refused: bool) -> tuple[bool, str]:
        """(correct, why) for one question; ``why`` names what was missing."""
        if q["kind"] == "unanswerable":
            return (True, "") if refused else (False, "answered an unanswerable question")
        if refused:
            return False, "refused an answerable question"
        hay = self.key(" ".join([answer_text, *units]))
        missing = [s for s in q.get("expected_all") or [] if not self.contains(hay, s)]
        anys = q.get("expected_any") or []
        any_ok = not anys or any(self.contains(hay, s) for s in anys)
        why = []
        if missing:
            why.append("missing: " + "; ".join(missing))
        if not any_ok:
            why.append("none of: " + "; ".join(anys))
        return (not why), " | ".join(why)


def ratio(num: float, den: float) -> float | None:
    return None if den == 0 else num / den


def retrieval_figures(rankings: dict[str, list[str]], gold: dict[str, set[str]]) -> dict:
    """Mean hit@k / MRR / nDCG@10 over every question in ``gold`` (missing → 0).

    ``rankings`` maps question id → unit ids best first; ``gold`` maps question id →
    relevant unit ids (possibly empty when the system's units hold no gold text:
    such questions count as misses, and are counted in ``unresolved``).
    """
    qrels = [Qrel(qid, uid, 1) for qid, rel in gold.items() for uid in rel]
    # scores from the rank, not the system's score: ties would otherwise be broken
    # by pytrec_eval on doc id, not in the order the system returned
    run = [
        ScoredDoc(qid, uid, float(len(ids) - r))
        for qid, ids in rankings.items()
        if qid in gold
        for r, uid in enumerate(dict.fromkeys(ids))
    ]
    per: dict[str, dict[str, float]] = {qid: {name: 0.0 for name in RETRIEVAL_MEASURES} for qid in gold}
    by_measure = {m: name for name, m in RETRIEVAL_MEASURES.items()}
    if qrels and run:
        for m in ir_measures.iter_calc(list(RETRIEVAL_MEASURES.values()), qrels, run):
            per[m.query_id][by_measure[m.measure]] = float(m.value)
    n = len(per)
    figs = {name: (sum(v[name] for v in per.values()) / n if n else None) for name in RETRIEVAL_MEASURES}
    figs["n"] = n
    figs["unresolved"] = sum(1 for rel in gold.values() if not rel)
    return {"figures": figs, "per_question": per}


@dataclass
class Outcome:
    """One question's result for one configuration."""

    qid: str
    kind: str
    tags: tuple[str, ...]
    answerable: bool
    refused: bool
    correct: bool
    cited_ok: bool | None  # None when not judged (unanswerable or refused)
    length: int
    why: str = ""
    answer: str = ""
    units: list[str] = field(default_factory=list)
    # a gold passage among the first 3 (non-"related") citations; None when not judged
    cited_top3: bool | None = None


def answer_figures(outcomes: Sequence[Outcome]) -> dict:
    """Accuracy, citation accuracy, refusal precision/recall (positive = unanswerable), median length."""
    n = len(outcomes)
    ans = [o for o in outcomes if o.answerable]
    judged = [o for o in ans if not o.refused]
    tp = sum(1 for o in outcomes if not o.answerable and o.refused)
    fp = sum(1 for o in outcomes if o.answerable and o.refused)
    fn = sum(1 for o in outcomes if not o.answerable and not o.refused)
    lengths = [o.length for o in outcomes if not o.refused]
    return {
        "n": n,
        "accuracy": ratio(sum(o.correct for o in outcomes), n),
        "answerable_accuracy": ratio(sum(o.correct for o in ans), len(ans)),
        "citation_accuracy": ratio(sum(bool(o.cited_ok) for o in judged), len(judged)),
        "citation_n": len(judged),
        "refusal_precision": ratio(tp, tp + fp),
        "refusal_recall": ratio(tp, tp + fn),
        "false_refusals": fp,
        "median_answer_chars": statistics.median(lengths) if lengths else None,
        # issue 12's columns: the right passage in the first 3 citations, over every answerable
        # question (a refusal counts as a miss); refusals counted on each side
        "citation_top3": ratio(sum(bool(o.cited_top3) for o in ans), len(ans)),
        "unanswerable_refused": tp,
        "unanswerable_n": tp + fn,
        "answerable_refused": fp,
        "answerable_n": len(ans),
    }
