"""Vietnamese-aware BM25: our tokenizer, bm25s for the weights, our inverted index for search.

Officials type with or without diacritics, with the plan's abbreviations or without,
so one text yields several token families (separate namespaces, so that an
unaccented query never collides with an accented word that happens to be spelled
the same):

- ``w``            syllable, tone placement normalised, lower case ("hòa")
- ``w1_w2``        syllable bigram within one phrase ("chủ_trì", "video_clip")
- ``~f``, ``~f1_f2`` the same, accent-folded ("~hoa", "~chu_tri")
- ``≡concept``     an abbreviation or its long form (UBND ↔ Ủy ban nhân dân), plus the
                   other side's tokens, so either spelling finds the other.

A query typed entirely without diacritics is matched on the folded family only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import numpy as np

from ..textnorm import fold, match_key, nfc
from ..vocab.abbreviations import abbreviation_hits, lexicon
from ..vocab.tokens import JOINERS, TOKEN, has_diacritics
from .postings import Postings, TermPostings, query_terms, top_k

__all__ = [
    "LEXICAL_VERSION",
    "lexical_tokens",
    "lexical_version",
    "LexicalIndex",
    "top_positive",
    "DiacriticRestorer",
    "document_frequencies",
]

LEXICAL_VERSION = 1  # bump when the token families change (the manifest records it)

# the tokeniser and the abbreviation list are the vocabulary module's (one of each)
_TOKEN = TOKEN
_JOINERS = JOINERS


def lexical_version(abbreviations: Path | None = None) -> str:
    """Tokenizer version + abbreviation data digest; an index built with another is refused."""
    return f"{LEXICAL_VERSION}:{lexicon(abbreviations).digest}"


def _word_tokens(words: Sequence[str], joined: Sequence[bool], *, accented: bool) -> list[str]:
    """Unigrams and bigrams of one token run; ``joined[i]`` says word i follows word i-1 in a phrase."""
    keys = [match_key(w) for w in words]
    folded = [fold(k) for k in keys]
    out: list[str] = []
    for i, (k, f) in enumerate(zip(keys, folded)):
        if accented:
            out.append(k)
        out.append("~" + f)
        bare = _JOINERS.sub("", f)
        if bare != f and bare:
            out.append("~" + bare)
        if i and joined[i]:
            if accented:
                out.append(keys[i - 1] + "_" + k)
            out.append("~" + folded[i - 1] + "_" + f)
    return out


def lexical_tokens(text: str, *, query: bool = False, abbreviations: Path | None = None) -> list[str]:
    """BM25 tokens of a passage (or, with ``query=True``, of a question).

    Passages always get both the accented and the folded families; a question gets the
    accented family only when it was typed with diacritics.
    """
    text = nfc(text or "")
    matches = list(_TOKEN.finditer(text))
    if not matches:
        return []
    words = [m.group(0) for m in matches]
    # a bigram only inside one phrase: nothing but spaces between the two words
    joined = [False] + [
        text[matches[i - 1].end() : matches[i].start()].strip() == "" for i in range(1, len(matches))
    ]
    accented = (not query) or has_diacritics(text)
    out = _word_tokens(words, joined, accented=accented)

    lex = lexicon(abbreviations)
    if not lex.by_first:
        return out
    seen: set[int] = set()
    for _, _, hit in abbreviation_hits(text, matches, lex):
        out.append(lex.concepts[hit.entry])
        if hit.entry in seen:
            continue
        seen.add(hit.entry)
        if hit.is_short:
            lw = _TOKEN.findall(lex.longs[hit.entry])
            out += _word_tokens(lw, [False] + [True] * (len(lw) - 1), accented=True)
        else:
            out += ["~" + s for s in lex.shorts[hit.entry]]
    return out


class LexicalIndex:
    """BM25 over pre-tokenised passages: bm25s computes the weights, ``Postings`` holds and searches them.

    Saved as ``.npy`` (no pickle) + JSON with a format version (``postings.POSTINGS_VERSION``).
    """

    def __init__(self, postings: Postings | None, n_docs: int) -> None:
        self.postings = postings
        self.n_docs = n_docs

    @classmethod
    def build(cls, token_lists: Iterable[list[str]]) -> LexicalIndex:
        import bm25s

        docs = [list(t) for t in token_lists]
        if not any(docs):  # bm25s cannot index a field that is empty everywhere
            return cls(None, len(docs))
        bm25 = bm25s.BM25(method="lucene", k1=1.2, b=0.75)
        bm25.index(docs, show_progress=False)
        sc = bm25.scores
        # only the weight matrix is kept (bm25s's object and its token lists are dropped)
        post = Postings.from_csc(
            bm25.vocab_dict,
            sc["data"],
            sc["indices"],
            sc["indptr"],
            len(docs),
            {"method": "lucene", "k1": 1.2, "b": 0.75},
        )
        return cls(post, len(docs))

    def terms(self, query_tokens: Sequence[str], weight: float = 1.0) -> list[TermPostings]:
        """The postings ``query_tokens`` read, counted with ``weight`` (a field's share)."""
        return query_terms([(self.postings, weight)], query_tokens)

    def scores(self, query_tokens: Sequence[str]) -> np.ndarray:
        """BM25 score of every passage (zeros when no query token is in the vocabulary).

        The full array, for tests and ablations; search reads only the query's postings (``search``).
        """
        out = np.zeros(self.n_docs, dtype=np.float64)
        for t in self.terms(query_tokens):
            out[t.docs] += t.weights.astype(np.float64) * t.scale
        return out.astype(np.float32)

    def search(
        self, query_tokens: Sequence[str], k: int, mask: np.ndarray | None = None
    ) -> list[tuple[int, float]]:
        return top_k(self.terms(query_tokens), k, mask=mask, n_docs=self.n_docs)

    def save(self, directory: Path) -> list[str]:
        """Write the arrays and vocabulary; returns the file names written."""
        directory.mkdir(parents=True, exist_ok=True)
        if self.postings is None:
            post = Postings.from_csc({}, np.zeros(0), np.zeros(0), np.zeros(1), self.n_docs)
            return post.save(directory)
        return self.postings.save(directory)

    @classmethod
    def load(cls, directory: Path) -> LexicalIndex:
        post = Postings.load(directory)
        _ = post.columns, post.twins  # derived now, so the first question does not wait for them
        return cls(post if post.docs.size else None, post.n_docs)


def document_frequencies(lex: LexicalIndex) -> dict[str, int]:
    """Each term of the index with the number of passages holding it."""
    if lex.postings is None:
        return {}
    df = lex.postings.df
    return {tok: int(df[i]) for tok, i in lex.postings.vocab.items() if i < len(df)}


_QUESTION_WORDS = ("nào", "gì", "đâu", "mấy", "nhiêu", "sao", "hỏi", "không", "được", "những")


class DiacriticRestorer:
    """Puts the diacritics back on a question typed without them, from the index's own words.

    The multilingual embedder reads "so nao chu tri" poorly, while the plans spell every
    word with its marks; the accented unigrams and bigrams of the lexical vocabulary
    (weighted by how many passages use them) pick, word by word, the reading the indexed
    plans make likeliest ("so thong tin" → "sở thông tin", "so 183" → "số 183").
    """

    def __init__(self, lex: LexicalIndex | Mapping[str, int]) -> None:
        """``lex``: the text field's index, or its terms with their document frequencies (what the
        PostgreSQL store reads from the database instead of tokenising every passage again)."""
        self.uni: dict[str, list[tuple[str, int]]] = {}
        self.bi: dict[str, int] = {}
        for tok, n in (document_frequencies(lex) if isinstance(lex, LexicalIndex) else lex).items():
            if not tok or tok[0] in "~≡" or n <= 0:
                continue
            if "_" in tok:
                self.bi[tok] = int(n)
            else:
                self.uni.setdefault(fold(tok), []).append((tok, int(n)))
        # question words are rare in plans but common in questions
        for w in _QUESTION_WORDS:
            self.uni.setdefault(fold(w), []).append((w, 3))
        # ties by the word itself: the index's vocabulary comes in hash order (bm25s, per process),
        # which decided between readings used by as many passages ("lo" / "lộ") at random
        for v in self.uni.values():
            v.sort(key=lambda x: (-x[1], x[0]))

    def restore(self, text: str) -> str:
        text = nfc(text)
        matches = list(_TOKEN.finditer(text))
        if not matches or not self.uni:
            return text
        cands = []
        for m in matches:
            w = m.group(0)
            # a word typed with its marks is kept; only bare words get candidates
            opts = [] if has_diacritics(w) else self.uni.get(fold(w), [])[:8]
            cands.append(opts or [(match_key(w), 0)])
        # Viterbi over the readings: passages using the bigram count far more than the unigram
        best = [(0.5 * np.log1p(df), [c]) for c, df in cands[0]]
        for i in range(1, len(cands)):
            joined = text[matches[i - 1].end() : matches[i].start()].strip() == ""
            nxt = []
            for c, df in cands[i]:

                def step(prev):
                    s, path = prev
                    bi = self.bi.get(f"{path[-1]}_{c}", 0) if joined else 0
                    return s + 2.0 * np.log1p(bi) + 0.5 * np.log1p(df)

                prev = max(best, key=step)
                nxt.append((step(prev), prev[1] + [c]))
            best = nxt
        words = max(best, key=lambda x: x[0])[1]
        out, last = [], 0
        for m, w in zip(matches, words):
            typed = m.group(0)
            out += [text[last : m.start()], typed if has_diacritics(typed) or fold(w) != fold(typed) else w]
            last = m.end()
        return "".join(out) + text[last:]


def top_positive(scores: np.ndarray, k: int) -> list[tuple[int, float]]:
    """(position, score) of the k best strictly positive scores, best first."""
    if k <= 0 or scores.size == 0:
        return []
    k = min(k, scores.size)
    idx = np.argpartition(-scores, k - 1)[:k]
    idx = idx[np.argsort(-scores[idx], kind="stable")]
    return [(int(i), float(scores[i])) for i in idx if scores[i] > 0]
