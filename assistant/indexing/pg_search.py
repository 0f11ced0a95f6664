"""Search inside PostgreSQL (``store_search = database``): the replica keeps no vectors and no BM25.

Each side answers its own top k in SQL, restricted to the served generation's plan versions:

- dense: ``ORDER BY embedding::vector(d) <#> q LIMIT k`` over the HNSW index
  (``hnsw.ef_search``; ``hnsw.iterative_scan`` so a filter cannot leave fewer than k rows);
- lexical: the query's terms' postings (``passage_terms``, a B-tree on (field, term) read
  index-only), scored with the same Lucene BM25 bm25s computes in process (k1 1.2, b 0.75):
  ``idf = ln(1 + (N - df + 0.5) / (df + 0.5))`` with N, the mean length and df summed over the
  generation's plans (``plan_versions``, ``plan_terms``), ``tf / (tf + k1 (1 - b + b dl / avgdl))``.

Why postings rows and not the GIN-indexed ``tsvector`` or a ``sparsevec`` of weights: BM25 needs
each term's frequency and the passage's length (a ``tsvector`` built from our terms keeps neither;
``ts_rank`` is not BM25), and ready-made weights depend on the generation (idf, mean length) while
a generation shares its plans' rows with the others: stored weights would be rewritten for every
plan on every upload. A posting row holds only what is the plan's own, so an upload writes its own
rows and the scores still equal the in-process ones.

The fusion stays the retriever's (``retrieve.HybridRetriever``): ``PgIndexStore`` answers the same
calls as the in-memory ``IndexStore`` (positions in, positions out) from SQL.
"""

from __future__ import annotations

import threading
from collections import Counter, OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import IndexMismatch
from ..records import DocMeta, Passage
from .lexical import LexicalIndex, lexical_tokens
from .store import INDEX_COMMAND, UNIT_FIELD_WEIGHT, IndexStore, lexical_text, passage_tokens, unit_text

__all__ = [
    "PG_EF_SEARCH",
    "K1",
    "B",
    "write_passages",
    "write_postings",
    "PgIndexStore",
    "SqlTerms",
    "in_database",
]

K1, B = 1.2, 0.75  # as LexicalIndex.build (bm25s, method "lucene")
PG_EF_SEARCH = 100  # HNSW candidate list per search (at least k); recall measured in eval/bench_pg.py
TEXT, UNITS = 0, 1  # passage_terms.field


def _tsvector(tokens: Sequence[str]) -> str:
    """A ``tsvector`` literal of our terms (no PostgreSQL parser or dictionary touches Vietnamese):
    each lexeme quoted, quotes doubled and backslashes escaped, as ``tsvector`` input reads them."""
    terms = dict.fromkeys(t for t in tokens if t)
    return " ".join("'" + t.replace("\\", "\\\\").replace("'", "''") + "'" for t in terms)


def write_passages(
    conn,
    plan_version: int,
    passages: Sequence[Passage],
    vectors: np.ndarray,
    tokens: Sequence[tuple[Sequence[str], Sequence[str]]] | None = None,
) -> None:
    """One plan version's passages (COPY: a national collection is written in minutes, not hours),
    their ``tsvector`` terms and their BM25 postings; every text is tokenised once."""
    import json

    if tokens is None:
        tokens = [passage_tokens(p) for p in passages]
    with conn.cursor() as cur:
        with cur.copy("COPY passages (plan_version, pos, id, data, embedding, lex, units) FROM STDIN") as cp:
            for i, (p, (lex, units)) in enumerate(zip(passages, tokens)):
                cp.write_row(
                    (
                        plan_version,
                        i,
                        p.id,
                        json.dumps(p.to_dict(), ensure_ascii=False),
                        np.asarray(vectors[i], dtype=np.float32),
                        _tsvector(lex),
                        _tsvector(units),
                    )
                )
    write_postings(conn, plan_version, tokens)


def write_postings(conn, plan_version: int, tokens: Sequence[tuple[Sequence[str], Sequence[str]]]) -> None:
    """One plan version's postings, per-plan document frequencies and field lengths (COPY).

    ``tokens``: per passage (in ``pos`` order), its text-field and unit-field BM25 tokens.
    """
    df: list[Counter[str]] = [Counter(), Counter()]
    counted = [[Counter(t for t in toks if t) for toks in fields] for fields in tokens]
    lens = [sum(sum(c[f].values()) for c in counted) for f in (TEXT, UNITS)]
    avgdl = [max(n / max(len(tokens), 1), 1e-9) for n in lens]
    with conn.cursor() as cur:
        with cur.copy("COPY passage_terms (field, term, plan_version, pos, tf, dl, impact) FROM STDIN") as cp:
            for pos, fields in enumerate(counted):
                for field, counts in enumerate(fields):
                    dl = sum(counts.values())
                    df[field].update(counts.keys())
                    norm = K1 * (1 - B + B * dl / avgdl[field])
                    for term, tf in counts.items():
                        cp.write_row((field, term, plan_version, pos, tf, dl, tf / (tf + norm)))
        with cur.copy("COPY plan_terms (field, term, plan_version, df) FROM STDIN") as cp:
            for field, counts in enumerate(df):
                for term, n in counts.items():
                    cp.write_row((field, term, plan_version, n))
    conn.execute(
        "UPDATE plan_versions SET n_passages = %s, lex_len = %s, units_len = %s WHERE id = %s",
        (len(tokens), lens[0], lens[1], plan_version),
    )


@dataclass(frozen=True)
class SqlTerms:
    """A query's lexical side for SQL: (field, term, factor) with the field's length constants."""

    fields: list[int]
    terms: list[str]
    factors: list[float]  # how often the query repeats the term × the field's weight
    a: list[float]  # k1 (1 - b)
    bc: list[float]  # k1 b / avgdl

    def __bool__(self) -> bool:
        return bool(self.terms)


# the query's terms and their BM25 idf over the served generation: the head of every lexical query
_TERMS_CTE = """
WITH q AS (
    SELECT * FROM unnest(%(f)s::int2[], %(t)s::text[], %(c)s::float8[], %(a)s::float8[], %(bc)s::float8[])
        AS q(field, term, c, a, bc)
), w AS MATERIALIZED (  -- per term: its df summed over the generation's plans (one index probe per term), its idf
    SELECT q.field, q.term, q.a, q.bc, q.c * ln(1 + (%(n)s::float8 - d.df + 0.5) / (d.df + 0.5)) AS idf
    FROM q CROSS JOIN LATERAL (
        SELECT sum(pt.df)::float8 AS df FROM plan_terms pt
        WHERE pt.field = q.field AND pt.term = q.term AND pt.plan_version = ANY(%(v)s)
    ) d
    WHERE d.df > 0
)
"""
# the lexical score of the postings read; {keys} narrows them to given passages
_LEX_SQL = (
    _TERMS_CTE
    + """SELECT p.plan_version, p.pos, sum(w.idf * p.tf / (p.tf + w.a + w.bc * p.dl)) AS s
FROM w JOIN passage_terms p ON p.field = w.field AND p.term = w.term AND p.plan_version = ANY(%(v)s)
{keys}
GROUP BY p.plan_version, p.pos
"""
)
# the top k: each term's postings read from the head of its impact-ordered list only (``depth`` rows),
# then scored exactly as above; a passage outside every head can reach the top only through terms it
# holds with a low impact: the max-score argument, with the cut made per term (agreement measured)
_TOP_SQL = (
    _TERMS_CTE
    + """SELECT h.plan_version, h.pos, sum(w.idf * h.tf / (h.tf + w.a + w.bc * h.dl)) AS s
FROM w CROSS JOIN LATERAL (
    SELECT p.plan_version, p.pos, p.tf, p.dl FROM passage_terms p
    WHERE p.field = w.field AND p.term = w.term AND p.plan_version = ANY(%(v)s)
    ORDER BY p.impact DESC LIMIT %(depth)s
) h
GROUP BY h.plan_version, h.pos ORDER BY s DESC, 1, 2 LIMIT %(k)s
"""
)
LEX_DEPTH = 200  # postings read per query term for the lexical top k (overlap with exact: eval/bench_pg.py)
EXACT_LIMIT = 4096  # a filter allowing at most this many passages is scored exactly, passage by passage
# the query terms' idf alone: the candidates' scores are computed from the passages the replica holds
_IDF_SQL = _TERMS_CTE + "SELECT field, term, idf FROM w"
COUNTS_CACHE = 16_384  # passages whose term counts a replica keeps (least recently used dropped)
_KEYS = "WHERE (p.plan_version, p.pos) IN (SELECT * FROM unnest(%(kv)s::int8[], %(kp)s::int4[]))"


class PgIndexStore(IndexStore):
    """The served generation for ``store_search = database``: passages and metadata in memory (the
    snapshot, filters and answers read them), vectors and BM25 in PostgreSQL.

    Positions are the in-memory ones; ``keys`` maps each to its row (plan_version, pos).
    """

    def __init__(self, *args: Any, pool: Any, keys: np.ndarray, stats: dict, **kw: Any) -> None:
        self._lex: LexicalIndex | None = None
        self._lex_units: LexicalIndex | None = None
        super().__init__(*args, **kw)
        self._pool, self._keys = pool, keys  # keys: int64 (n, 2)
        self._counts_cache: OrderedDict[int, Any] = OrderedDict()
        self._counts_lock = threading.Lock()
        self._row = {(int(v), int(p)): i for i, (v, p) in enumerate(keys)}
        self._versions = sorted({int(v) for v in keys[:, 0]}) if len(keys) else []
        self._dim = int(self.manifest["embedder"]["dim"])
        self._n = int(stats["n"])
        self._avgdl = (float(stats["lex_len"]) / max(self._n, 1), float(stats["units_len"]) / max(self._n, 1))

    # the diacritic restorer reads the text field's vocabulary: built from the passages on first use
    @property
    def lexical(self) -> LexicalIndex:
        if self._lex is None:
            self._lex = LexicalIndex.build(lexical_tokens(lexical_text(p)) for p in self.passages)
        return self._lex

    @lexical.setter
    def lexical(self, value: LexicalIndex | None) -> None:
        self._lex = value

    @property
    def lexical_units(self) -> LexicalIndex:
        if self._lex_units is None:
            self._lex_units = LexicalIndex.build(lexical_tokens(unit_text(p)) for p in self.passages)
        return self._lex_units

    @lexical_units.setter
    def lexical_units(self, value: LexicalIndex | None) -> None:
        self._lex_units = value

    # --- positions and rows ----------------------------------------------------------
    def _key_args(self, positions: Sequence[int] | np.ndarray) -> dict[str, Any]:
        k = self._keys[np.asarray(positions, dtype=np.int64)]
        return {"kv": k[:, 0].tolist(), "kp": k[:, 1].tolist()}

    def _positions(self, rows: Sequence[tuple[Any, Any, Any]]) -> list[tuple[int, float]]:
        out = []
        for v, p, s in rows:
            i = self._row.get((int(v), int(p)))
            if i is not None:  # a row whose passage id repeats an earlier plan's is not served
                out.append((i, float(s)))
        return out

    # --- dense ---------------------------------------------------------------------------
    def dense_search(
        self, qvec: np.ndarray, k: int, allowed: np.ndarray | None = None
    ) -> list[tuple[int, float]]:
        if not len(self.passages) or k <= 0 or (allowed is not None and len(allowed) == 0):
            return []
        d = self._dim
        q = np.asarray(qvec, dtype=np.float32).reshape(-1)
        expr = f"(embedding::vector({d}))"
        args: dict[str, Any] = {"q": q, "v": self._versions, "k": int(k)}
        keys = ""
        if allowed is not None:  # a filter: score exactly the allowed rows (as the in-process path)
            keys = " AND " + _KEYS.replace("WHERE ", "").replace("p.", "")
            args.update(self._key_args(allowed))
        sql = (
            f"SELECT plan_version, pos, -({expr} <#> %(q)s::vector({d})) FROM passages "
            f"WHERE vector_dims(embedding) = {d} AND plan_version = ANY(%(v)s){keys} "
            f"ORDER BY {expr} <#> %(q)s::vector({d}) LIMIT %(k)s"
        )
        with self._pool.connection() as conn, conn.transaction():
            conn.execute(f"SET LOCAL hnsw.ef_search = {max(PG_EF_SEARCH, int(k))}")
            conn.execute("SET LOCAL hnsw.iterative_scan = relaxed_order")
            rows = conn.execute(sql, args).fetchall()
        hits = self._positions(rows)
        hits.sort(key=lambda x: -x[1])  # relaxed_order may hand rows slightly out of order
        return hits

    def vectors(self, positions: Sequence[int] | None = None) -> np.ndarray:
        pos = np.arange(len(self.passages)) if positions is None else np.asarray(positions, dtype=np.int64)
        out = np.zeros((len(pos), self._dim), dtype=np.float32)
        if not len(pos):
            return out
        with self._pool.connection() as conn:
            rows = conn.execute(
                "SELECT p.plan_version, p.pos, p.embedding FROM passages p "
                + _KEYS.replace("WHERE", "WHERE p.plan_version = ANY(%(v)s) AND"),
                {"v": self._versions, **self._key_args(pos)},
            ).fetchall()
        where = {(int(v), int(p)): j for j, (v, p) in enumerate(self._keys[pos].tolist())}
        for v, p, e in rows:
            out[where[(int(v), int(p))]] = np.asarray(e.to_numpy() if hasattr(e, "to_numpy") else e)
        return out

    # --- lexical ----------------------------------------------------------------------------
    def lexical_terms(self, query: str, *, use_units: bool = True) -> SqlTerms:
        counts = Counter(t for t in lexical_tokens(query, query=True) if t)
        out = SqlTerms([], [], [], [], [])
        for field, weight in ((TEXT, 1.0), (UNITS, UNIT_FIELD_WEIGHT if use_units else 0.0)):
            avgdl = self._avgdl[field]
            if weight == 0 or avgdl <= 0:  # an empty field scores nothing (as bm25s's empty index)
                continue
            for term, c in counts.items():
                out.fields.append(field)
                out.terms.append(term)
                out.factors.append(weight * c)
                out.a.append(K1 * (1 - B))
                out.bc.append(K1 * B / avgdl)
        return out

    def _lex_rows(self, terms: SqlTerms, tail: str, extra: dict[str, Any], keys: bool, sql: str = "") -> list:
        args = {
            "f": terms.fields,
            "t": terms.terms,
            "c": terms.factors,
            "a": terms.a,
            "bc": terms.bc,
            "n": self._n,
            "v": self._versions,
            **extra,
        }
        sql = sql or _LEX_SQL.format(keys=_KEYS if keys else "") + tail
        with self._pool.connection() as conn:
            return conn.execute(sql, args).fetchall()

    def lexical_search(
        self,
        query: str | SqlTerms,
        k: int,
        *,
        use_units: bool = True,
        mask: np.ndarray | None = None,
        allowed: np.ndarray | None = None,
    ) -> list[tuple[int, float]]:
        terms = self.lexical_terms(query, use_units=use_units) if isinstance(query, str) else query
        if not terms or k <= 0:
            return []
        if allowed is None and mask is not None:
            allowed = np.flatnonzero(mask)
        extra: dict[str, Any] = {"k": int(k)}
        if allowed is not None and len(allowed) <= EXACT_LIMIT:  # few passages: score them all
            if not len(allowed):
                return []
            extra.update(self._key_args(allowed))
            return self._positions(self._lex_rows(terms, "ORDER BY s DESC, 1, 2 LIMIT %(k)s", extra, True))
        extra["depth"] = max(LEX_DEPTH, 4 * int(k))
        if allowed is None:
            return self._positions(self._lex_rows(terms, "", extra, False, sql=_TOP_SQL))
        # a wide filter: read deeper and keep the allowed passages
        ok = np.zeros(len(self.passages), dtype=bool)
        ok[np.asarray(allowed, dtype=np.int64)] = True
        extra.update(k=4 * int(k), depth=4 * extra["depth"])
        hits = self._positions(self._lex_rows(terms, "", extra, False, sql=_TOP_SQL))
        return [h for h in hits if ok[h[0]]][:k]

    def lexical_at(self, terms: SqlTerms, positions: Sequence[int]) -> np.ndarray:
        """The full BM25 score of the passages at ``positions`` (0 where no query term occurs).

        The idf comes from the database (the generation's document frequencies, one probe per
        term); tf and length from the passages this replica holds, tokenised as when they were
        written (``write_postings``): one round trip, where a probe per (term, candidate) cost
        thousands of index reads per question.
        """
        out = np.zeros(len(positions), dtype=np.float32)
        if not terms or not len(positions):
            return out
        idf = {(int(f), t): float(w) for f, t, w in self._lex_rows(terms, "", {}, False, sql=_IDF_SQL)}
        query = [
            (f, t, idf[(f, t)], a, bc)
            for f, t, a, bc in zip(terms.fields, terms.terms, terms.a, terms.bc)
            if (f, t) in idf
        ]
        for j, i in enumerate(positions):
            counts = self._counts(int(i))
            s = 0.0
            for f, t, w, a, bc in query:
                tf = counts[f][0].get(t)
                if tf:
                    s += w * tf / (tf + a + bc * counts[f][1])
            out[j] = s
        return out

    def _counts(self, i: int) -> tuple[tuple[Counter[str], int], tuple[Counter[str], int]]:
        """Passage ``i``'s term counts and length per field (text, units), cached."""
        with self._counts_lock:
            hit = self._counts_cache.get(i)
            if hit is not None:
                self._counts_cache.move_to_end(i)
                return hit
        fields = tuple(Counter(t for t in toks if t) for toks in passage_tokens(self.passages[i]))
        out = ((fields[0], sum(fields[0].values())), (fields[1], sum(fields[1].values())))
        with self._counts_lock:
            self._counts_cache[i] = out
            while len(self._counts_cache) > COUNTS_CACHE:
                self._counts_cache.popitem(last=False)
        return out

    def lexical_scores(self, query: str, *, use_units: bool = True) -> np.ndarray:
        """BM25 of every passage: only the passages holding a query term are read and scored."""
        out = np.zeros(len(self.passages), dtype=np.float32)
        terms = self.lexical_terms(query, use_units=use_units)
        if terms:
            for i, s in self._positions(self._lex_rows(terms, "", {}, False)):
                out[i] = s
        return out


def in_database(
    pool: Any,
    manifest: dict,
    passages: list[Passage],
    docs: dict[str, DocMeta],
    keys: Sequence[Sequence[int]],
    stats: Sequence[int],
) -> PgIndexStore:
    """The ``PgIndexStore`` of a generation read by ``PgStore.load``: its rows' (plan_version, pos)
    and ``stats`` = (passages, summed text lengths, summed unit lengths, plans without postings)."""
    if stats[3]:  # plans written before schema 2 have no postings
        raise IndexMismatch(
            "Kho PostgreSQL có kế hoạch chưa có chỉ mục từ khóa trong cơ sở dữ liệu (lập trước lược đồ 2).",
            "The PostgreSQL store has plans without in-database postings (written before schema 2).",
            hint=f"chạy `TLKH_STORE=<url> {INDEX_COMMAND}` để xây lại, hoặc đặt TLKH_STORE_SEARCH=memory",
        )
    manifest["search"] = "database"
    return PgIndexStore(
        Path("."),
        manifest,
        passages,
        docs,
        None,
        None,
        None,
        pool=pool,
        keys=np.array(keys, dtype=np.int64).reshape(-1, 2),
        stats={"n": stats[0], "lex_len": stats[1], "units_len": stats[2]},
    )
