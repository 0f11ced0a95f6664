"""Writing one plan version's passages into PostgreSQL (schema 5): COPY, one row per passage.

A row holds everything search needs (``pg_search``): the embedding, our tokeniser's terms of
each field as a ``tsvector`` (GIN: which passages hold a term), the BM25 weights as a
``sparsevec`` (HNSW: lexical candidates) and the term frequencies and field lengths (``bm25_tf``,
``bm25_dl``: exact BM25 of any row). Per plan: each term's document frequency (``plan_terms``,
summed per generation into ``generation_terms``) and the field lengths. There is no postings
table any more: it held ~410 rows a passage (96 M rows, ~25 GB, 1.6 h of inserts at ×1000),
and the ``tsvector`` GIN index answers "which rows hold these terms" from the passage rows.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..records import Passage
from .pg_lexical import passage_vectors, plan_idf, term_ids
from .store import passage_tokens

__all__ = ["K1", "B", "TEXT", "UNITS", "tsvector_literal", "tsquery_any", "write_passages"]

K1, B = 1.2, 0.75  # as LexicalIndex.build (bm25s, method "lucene")
TEXT, UNITS = 0, 1  # lex_terms.field


def _quoted(term: str) -> str:
    """A lexeme as ``tsvector`` / ``tsquery`` input reads it verbatim: quoted, quotes doubled and
    backslashes escaped (no PostgreSQL parser or dictionary touches our Vietnamese terms)."""
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"


def tsvector_literal(tokens: Sequence[str]) -> str:
    """A ``tsvector`` literal of our terms (each once; no positions: the counts are in ``bm25_tf``)."""
    return " ".join(_quoted(t) for t in dict.fromkeys(t for t in tokens if t))


def tsquery_any(terms: Sequence[str]) -> str:
    """A ``tsquery`` literal matching a row holding any of ``terms`` (OR of quoted lexemes)."""
    return " | ".join(_quoted(t) for t in dict.fromkeys(t for t in terms if t))


@dataclass
class _PlanTerms:
    """One plan's terms, counted once for the rows' columns and the plan's document frequencies."""

    counted: list[list[Counter[str]]]  # per passage, per field: term → tf
    df: list[Counter[str]]  # per field: term → passages holding it
    lens: list[int]  # per field: summed lengths
    impacts: list[list[dict[str, float]]]  # per passage, per field: tf / (tf + k1 (1 - b + b dl / avgdl))


def _plan_terms(tokens: Sequence[tuple[Sequence[str], Sequence[str]]]) -> _PlanTerms:
    counted = [[Counter(t for t in toks if t) for toks in fields] for fields in tokens]
    lens = [sum(sum(c[f].values()) for c in counted) for f in (TEXT, UNITS)]
    avgdl = [max(n / max(len(tokens), 1), 1e-9) for n in lens]
    df: list[Counter[str]] = [Counter(), Counter()]
    impacts = []
    for fields in counted:
        row = []
        for field, counts in enumerate(fields):
            df[field].update(counts.keys())
            norm = K1 * (1 - B + B * sum(counts.values()) / avgdl[field])
            row.append({t: tf / (tf + norm) for t, tf in counts.items()})
        impacts.append(row)
    return _PlanTerms(counted, df, lens, impacts)


def write_passages(
    conn,
    plan_version: int,
    passages: Sequence[Passage],
    vectors: np.ndarray,
    tokens: Sequence[tuple[Sequence[str], Sequence[str]]] | None = None,
) -> None:
    """One plan version's passages, its per-plan document frequencies and field lengths (COPY:
    a national collection is written in minutes, not hours); every text is tokenised once.

    ``tokens``: per passage (in ``pos`` order), its text-field and unit-field BM25 tokens.
    """
    if tokens is None:
        tokens = [passage_tokens(p) for p in passages]
    plan = _plan_terms(tokens)
    ids = term_ids(conn, ((f, t) for f, c in enumerate(plan.df) for t in c))
    sparse = passage_vectors(plan.counted, ids, plan.impacts, plan_idf(len(tokens), plan.df))
    with conn.cursor() as cur:
        with cur.copy(
            "COPY passages (plan_version, pos, id, data, embedding, lex, units, bm25, bm25_tf, bm25_dl) FROM STDIN"
        ) as cp:
            for i, (p, (lex, units), (w, tf, dl)) in enumerate(zip(passages, tokens, sparse)):
                cp.write_row(
                    (
                        plan_version,
                        i,
                        p.id,
                        json.dumps(p.to_dict(), ensure_ascii=False),
                        np.asarray(vectors[i], dtype=np.float32),
                        tsvector_literal(lex),
                        tsvector_literal(units),
                        w,
                        tf,
                        dl,
                    )
                )
        with cur.copy("COPY plan_terms (field, term, plan_version, df) FROM STDIN") as cp:
            for field, counts in enumerate(plan.df):
                for term, n in counts.items():
                    cp.write_row((field, term, plan_version, n))
    conn.execute(
        "UPDATE plan_versions SET n_passages = %s, lex_len = %s, units_len = %s WHERE id = %s",
        (len(tokens), plan.lens[0], plan.lens[1], plan_version),
    )
