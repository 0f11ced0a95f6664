"""Search inside PostgreSQL (``store_search = database``): the replica keeps no vectors and no BM25.

Each side answers its own top k in SQL, restricted to the served generation's plan versions:

- dense: ``ORDER BY embedding::vector(d) <#> q LIMIT k`` over the HNSW index
  (``hnsw.ef_search``; ``hnsw.iterative_scan`` so a filter cannot leave fewer than k rows; both set
  per session by ``PgStore``, so a search is one statement);
- lexical: the same Lucene BM25 bm25s computes in process (k1 1.2, b 0.75),
  ``idf = ln(1 + (N - df + 0.5) / (df + 0.5))`` with N and the mean length summed over the
  generation's plans (``plan_versions``) and df read from ``generation_terms`` (written when the
  generation is published), ``tf / (tf + k1 (1 - b + b dl / avgdl))``. The top k (schema 6,
  ``pg_heads``): the query's terms' impact-ordered lists, read with their idf in one statement and
  summed in numpy, the listed passages a cut list may under-score rescored from their rows; a
  generation without lists (published before schema 6) is searched as under schema 5: HNSW over each passage's weights as a ``sparsevec`` (``pg_lexical``) gives max(200, 4k)
  candidates, scored exactly from their rows' tf and lengths (``bm25_tf``, ``bm25_dl``); their k-th
  score then bounds a max-score completion (``_complete``): the rows holding a query term that
  could still reach it, found by the GIN indexes of the rows' term ``tsvector`` s, are scored the
  same way, rarest term first up to COMPLETE_ROWS rows (exact BM25 when they cover those terms;
  0 by default, so only when the graph runs dry: measured in docs/SCALING.md, session 17). A
  filter allowing at most EXACT_LIMIT passages scores them all; ``lexical_scores`` scores every
  row holding a query term. No postings table.

A ``sparsevec`` row holds weights with the plan's own mean length, not the generation's (a
generation shares its plans' rows with the others, so weights tied to it would be rewritten for
every plan on every upload): its inner product only chooses the candidates, and the scores
returned are computed with the generation's statistics, equal to the in-process ones.

The dense side and the row keys (positions ↔ rows) are ``pg_dense``. The fusion stays the retriever's (``retrieve.HybridRetriever``): ``PgIndexStore`` answers the same
calls as the in-memory ``IndexStore`` (positions in, positions out) from SQL.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import IndexMismatch
from ..records import DocMeta, Passage
from .lexical import LexicalIndex, lexical_tokens
from .pg_candidates import CandidateScores, DenseAhead, TermCounts
from .pg_dense import BY_KEYS, PG_EF_SEARCH, DenseRows
from .pg_heads import HeadsSearch, RowIndex
from .pg_lexical import LEX_CANDIDATES, exact_scores, sparse_literal, tf_arrays
from .pg_schema import LEX_DIM
from .pg_write import K1, TEXT, UNITS, B, tsquery_any
from .store import INDEX_COMMAND, UNIT_FIELD_WEIGHT, IndexStore, lexical_text, unit_text

__all__ = ["PG_EF_SEARCH", "PgIndexStore", "SqlTerms", "in_database"]


@dataclass(frozen=True)
class SqlTerms:
    """A query's lexical side for SQL: (field, term, factor) with the field's length constants."""

    fields: list[int]
    terms: list[str]
    factors: list[float]  # how often the query repeats the term × the field's weight
    a: list[float]  # k1 (1 - b)
    bc: list[float]  # k1 b / avgdl
    # term id → (field, factor × idf, a, bc), read from the database once per question (``_weights``)
    weights: dict[int, tuple[int, float, float, float]] = dataclasses.field(
        default_factory=dict, compare=False, repr=False
    )
    # term id → (the term, its document frequency in the generation)
    names: dict[int, tuple[str, int]] = dataclasses.field(default_factory=dict, compare=False, repr=False)
    # term id → its impact-ordered list and rest (``pg_heads``, schema 6), read with the weights; their sums
    heads: dict[int, tuple[bytes, float]] = dataclasses.field(default_factory=dict, compare=False, repr=False)
    sums: list[Any] = dataclasses.field(default_factory=list, compare=False, repr=False)

    def __bool__(self) -> bool:
        return bool(self.terms)


# the query's terms and their BM25 idf over the served generation (``generation_terms``: one row per
# term, written when the generation was published)
_WEIGHTS_SQL = """
WITH q AS (
    SELECT * FROM unnest(%(f)s::int2[], %(t)s::text[], %(c)s::float8[], %(a)s::float8[], %(bc)s::float8[])
        AS q(field, term, c, a, bc)
)
SELECT l.id, q.field, q.c * ln(1 + (%(n)s::float8 - g.df + 0.5) / (g.df + 0.5)), q.a, q.bc, q.term, g.df
FROM q JOIN lex_terms l ON l.field = q.field AND l.term = q.term
JOIN generation_terms g ON g.generation = %(g)s AND g.term = l.id
WHERE g.df > 0
"""
# the same, with each term's impact-ordered list (schema 6): the lexical top k in this one round trip
_HEADS_SQL = _WEIGHTS_SQL.replace(", g.df\nFROM", ", g.df, h.entries, h.rest\nFROM").replace(
    "WHERE g.df", "LEFT JOIN term_heads h ON h.generation = %(g)s AND h.term = l.id\nWHERE g.df"
)
# the candidates: HNSW over the passages' BM25 weights, inner product with the query's (factor × idf)
_CANDIDATES_SQL = (
    "SELECT plan_version, pos FROM passages WHERE plan_version = ANY(%(v)s) "
    f"ORDER BY bm25 <#> %(q)s::sparsevec({LEX_DIM}) LIMIT %(n)s"
)
_TEXT_DF_SQL = (
    "SELECT l.term, g.df FROM generation_terms g JOIN lex_terms l ON l.id = g.term "
    f"WHERE g.generation = %s AND l.field = {TEXT} AND g.df > 0 ORDER BY l.id"
)
EXACT_LIMIT = 4096  # a filter allowing at most this many passages is scored exactly, passage by passage
# rows the completion of the lexical top k scores at most (their terms' summed document frequency),
# ~15 µs a row (decoding and scoring its bm25_tf): exact whenever they cover every term that can still
# lift a passage into the top k (``_complete``). 0: the graph's candidates alone, as schema 4 (the
# completion made the lexical top 50 exact but the hybrid p95 slower at ×1 and ×10: docs/SCALING.md,
# session 17); the graph running dry is completed whatever the budget
COMPLETE_ROWS = 0
# schema 6 (``pg_heads``): the lexical top k from the terms' impact-ordered lists; False: the
# sparse-vector HNSW as schema 5 (the benchmark alternates both)
USE_HEADS = True


class PgIndexStore(HeadsSearch, CandidateScores, DenseAhead, DenseRows, IndexStore):
    """The served generation for ``store_search = database``: passages and metadata in memory (the
    snapshot, filters and answers read them), vectors and BM25 in PostgreSQL.

    Positions are the in-memory ones; ``keys`` maps each to its row (plan_version, pos).
    """

    def __init__(self, *args: Any, pool: Any, keys: np.ndarray, stats: dict, **kw: Any) -> None:
        self._lex: LexicalIndex | None = None
        self._lex_units: LexicalIndex | None = None
        super().__init__(*args, **kw)
        self._pool, self._keys = pool, keys  # keys: int64 (n, 2)
        self._counts_cache = TermCounts()  # the rows' term counts read lately (``_tf_rows``)
        self._row = {(int(v), int(p)): i for i, (v, p) in enumerate(keys)}
        self._versions = sorted({int(v) for v in keys[:, 0]}) if len(keys) else []
        # a list entry's row → its position (``pg_heads.RowIndex``)
        self._rows = RowIndex(keys)
        self._heads: bool | None = None  # whether the generation has impact-ordered lists (schema 6)
        self._dim = int(self.manifest["embedder"]["dim"])
        self._generation = int(self.manifest.get("generation") or 0)
        self._n = int(stats["n"])
        self._avgdl = (float(stats["lex_len"]) / max(self._n, 1), float(stats["units_len"]) / max(self._n, 1))
        # per field min(1, the smallest plan mean length / the generation's): bounds a cut list's rest
        low = stats.get("min_avgdl", (0.0, 0.0))
        self._ratio = tuple(min(1.0, float(m) / g) if g > 0 else 1.0 for m, g in zip(low, self._avgdl))

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

    def text_df(self) -> dict[str, int]:
        """The text field's document frequencies as the generation's ``generation_terms`` hold them:
        one read, where ``lexical`` tokenises every passage (×100: 77 s and 1.3 GB; session 21)."""
        with self._pool.connection() as conn:
            return dict(conn.execute(_TEXT_DF_SQL, (self._generation,)).fetchall())

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

    def _weights(self, terms: SqlTerms) -> dict[int, tuple[int, float, float, float]]:
        """The query's term ids and weights, and their impact-ordered lists when the generation has
        them (one round trip, kept on ``terms`` for the next call)."""
        if not terms.weights:
            args = {"f": terms.fields, "t": terms.terms, "c": terms.factors, "a": terms.a, "bc": terms.bc}
            with self._pool.connection() as conn:
                if self._heads is None:
                    self._heads = bool(
                        conn.execute(
                            "SELECT 1 FROM generation_heads WHERE generation = %s", (self._generation,)
                        ).fetchone()
                    )
                sql = _HEADS_SQL if self._heads and USE_HEADS else _WEIGHTS_SQL
                # binary results: the lists' bytes as they are (text would send them as hex, twice the size)
                rows = conn.execute(
                    sql, {**args, "n": self._n, "g": self._generation}, binary=True
                ).fetchall()
            for i, f, w, a, bc, term, df, *head in rows:
                terms.weights[int(i)] = (int(f), float(w), float(a), float(bc))
                terms.names[int(i)] = (term, int(df))
                if head and head[0] is not None:  # a list comes in parts (rows), in any order
                    got = terms.heads.get(int(i), (b"", 0.0))[0]
                    terms.heads[int(i)] = (got + head[0], float(head[1]))
        return terms.weights

    def _holding(self, terms: SqlTerms, ids: Sequence[int], versions: Sequence[int]) -> list[int]:
        """Positions of the served rows holding any of the term ids ``ids`` (the GIN indexes of the
        rows' ``lex`` / ``units`` tsvectors, one per field: no postings table, schema 5)."""
        by_field: dict[int, list[str]] = {TEXT: [], UNITS: []}
        for i in ids:
            by_field[terms.weights[i][0]].append(terms.names[i][0])
        match = [
            f"{col} @@ %({col})s::tsquery" for col, f in (("lex", TEXT), ("units", UNITS)) if by_field[f]
        ]
        if not match:
            return []
        args = {
            "v": list(versions),
            "lex": tsquery_any(by_field[TEXT]),
            "units": tsquery_any(by_field[UNITS]),
        }
        with self._pool.connection() as conn:
            rows = conn.execute(
                f"SELECT plan_version, pos FROM passages WHERE plan_version = ANY(%(v)s) AND ({' OR '.join(match)})",
                args,
            ).fetchall()
        return [i for i, _ in self._positions([(v, p, 0.0) for v, p in rows])]

    def _scored(self, terms: SqlTerms, positions: Sequence[int]) -> list[tuple[int, float]]:
        """``positions`` with their BM25, those scoring 0 dropped, best first (ties by position)."""
        scores = self.lexical_at(terms, positions)
        return sorted(
            ((int(i), float(s)) for i, s in zip(positions, scores) if s > 0), key=lambda h: (-h[1], h[0])
        )

    def _complete(
        self,
        terms: SqlTerms,
        hits: list[tuple[int, float]],
        k: int,
        versions: Sequence[int],
        ok: np.ndarray | None,
    ) -> list[tuple[int, float]]:
        """The top k from ``hits`` (exactly scored candidates, best first) completed by max-score
        (Turtle & Flood). A term adds less than factor × idf to any passage (tf / (tf + k1 (1 - b +
        b dl / avgdl)) < 1), so the query terms whose bounds sum to at most the k-th score so far
        cannot lift a passage holding none of the others into the top k; only the rows holding one
        of those others ("essential") can enter it. They are scored from their ``bm25_tf``, rarest
        term first, while their document frequencies sum to at most COMPLETE_ROWS: then the top k
        is exact; past it (a long question's bounds leave most terms essential), the rows of its
        rarest terms, the ones that decide BM25, still join the graph's candidates (the copies of
        a passage the graph's islands hid, session 14), at a cost that does not grow with the rows.
        With fewer than k hits every term is essential and every row holding one is scored, whatever
        the budget (the graph ran dry)."""
        weights = terms.weights
        theta = hits[k - 1][1] if len(hits) >= k else 0.0
        total, essential = 0.0, list[int]()
        for i in sorted(weights, key=lambda i: (weights[i][1], i)):
            if not essential and total + weights[i][1] <= theta:
                total += weights[i][1]
            else:
                essential.append(i)
        # the graph ran dry (fewer than k hits): every row holding a query term, so the top k is exact
        budget = COMPLETE_ROWS if len(hits) >= k else sum(terms.names[i][1] for i in essential)
        rows: list[int] = []
        for i in reversed(essential):  # the largest bound (rarest term) first
            budget -= terms.names[i][1]
            if budget < 0:
                break
            rows.append(i)
        if not rows:
            return hits[:k]
        seen = {i for i, _ in hits}
        new = [i for i in self._holding(terms, rows, versions) if i not in seen and (ok is None or ok[i])]
        return sorted([*hits, *self._scored(terms, new)], key=lambda h: (-h[1], h[0]))[:k]

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
        if allowed is not None and len(allowed) <= EXACT_LIMIT:  # few passages: score them all
            return self._scored(terms, [int(i) for i in allowed])[:k]
        weights = self._weights(terms)
        if not weights:  # no query term occurs in the generation
            return []
        n = max(LEX_CANDIDATES, 4 * int(k))
        versions = self._versions
        ok: np.ndarray | None = None
        if allowed is not None:  # a wide filter: the plans it touches in SQL, its passages below
            ok = np.zeros(len(self.passages), dtype=bool)
            ok[np.asarray(allowed, dtype=np.int64)] = True
            versions = sorted({int(v) for v in self._keys[np.asarray(allowed, dtype=np.int64), 0]})
        sums = self._head_sums(terms)
        if sums is not None:  # schema 6: the terms' impact-ordered lists, read with their weights
            return self._from_heads(terms, sums, int(k), ok, versions, COMPLETE_ROWS)
        q = sparse_literal((i, w[1]) for i, w in weights.items())
        with self._pool.connection() as conn, conn.transaction():
            # the candidate list as long as the candidates asked for; an iterative scan goes on past
            # it when the generation's filter drops rows (other generations' plan versions)
            conn.execute(f"SET LOCAL hnsw.ef_search = {min(n, 1000)}")
            conn.execute("SET LOCAL hnsw.iterative_scan = relaxed_order")
            # the planner prices a sparsevec inner product far below its cost (~14 µs a row, the vector
            # is TOASTed) and scanned 2,350 rows (33 ms) rather than walk the graph (~2 ms)
            conn.execute("SET LOCAL enable_seqscan = off")
            # never prepared: psycopg prepares a statement run 5 times, and PostgreSQL's generic plan
            # for it then computed the inner product of every row (270 ms at ×100, 2 ms the graph)
            rows = conn.execute(_CANDIDATES_SQL, {"v": versions, "q": q, "n": n}, prepare=False).fetchall()
        pos = [i for i, _ in self._positions([(v, p, 0.0) for v, p in rows]) if ok is None or ok[i]]
        # the graph's candidates only seed the k-th score: near-duplicate passages fall into islands
        # of the graph (session 14), so the top k is completed exactly
        return self._complete(terms, self._scored(terms, pos), int(k), versions, ok)

    def lexical_at(self, terms: SqlTerms, positions: Sequence[int]) -> np.ndarray:
        """The full BM25 score of the passages at ``positions`` (0 where no query term occurs).

        The query's idf from the database (``generation_terms``, once per question); each passage's
        term frequencies and lengths from its row (``bm25_tf``, ``bm25_dl``, one round trip for those
        not cached): a probe per (term, candidate) cost thousands of index reads per question, and
        tokenising the passages again ~0.5 ms each.
        """
        out = np.zeros(len(positions), dtype=np.float32)
        if not terms or not len(positions):
            return out
        weights = self._weights(terms)
        if not weights:
            return out
        pos = np.asarray(positions, dtype=np.int64)
        need = np.ones(len(pos), dtype=bool)
        sums = self._head_sums(terms)
        if sums is not None:  # exact from the lists where every cut list holds the passage
            scores, lacking, _most = sums
            need = lacking[pos] > 0
            out[~need] = scores[pos[~need]]
        if need.any():
            rows = self._tf_rows([int(i) for i in pos[need]])
            out[need] = exact_scores([rows[int(i)] for i in pos[need]], weights)
        return out

    def _tf_rows(self, positions: list[int]) -> dict[int, tuple[np.ndarray, np.ndarray, np.ndarray]]:
        """Each position's term ids, tf and field lengths (``tf_arrays``), from the cache or the rows."""
        out: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray]] = self._counts_cache.cached(positions)
        missing = sorted(set(positions) - out.keys())
        if missing:
            with self._pool.connection() as conn:
                rows = conn.execute(
                    "SELECT p.plan_version, p.pos, sparsevec_send(p.bm25_tf), p.bm25_dl " + BY_KEYS,
                    self._key_args(missing),
                    binary=True,  # the sparsevec bytes as they are, not hex
                ).fetchall()
            got = {self._row[(int(v), int(p))]: tf_arrays(raw, dl) for v, p, raw, dl in rows}
            out.update(got)
            self._counts_cache.keep(got)
        return out

    def exact_top(
        self, terms: SqlTerms, k: int, allowed: Sequence[int] | np.ndarray | None = None
    ) -> list[tuple[int, float]]:
        """The exact BM25 top k, every row holding a query term scored (no candidates, no bound): the
        reference ``lexical_search`` is checked against (tests, ``eval/bench_pg.py``)."""
        if not terms or not self._weights(terms):
            return []
        rows = self._holding(terms, list(terms.weights), self._versions)
        if allowed is not None:
            keep = {int(i) for i in allowed}
            rows = [i for i in rows if i in keep]
        return self._scored(terms, rows)[:k]

    def lexical_scores(self, query: str, *, use_units: bool = True) -> np.ndarray:
        """BM25 of every passage: only the rows holding a query term (GIN) are read and scored."""
        out = np.zeros(len(self.passages), dtype=np.float32)
        for i, s in self.exact_top(self.lexical_terms(query, use_units=use_units), len(self.passages)):
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
        stats={"n": stats[0], "lex_len": stats[1], "units_len": stats[2], "min_avgdl": tuple(stats[4:6])},
    )
