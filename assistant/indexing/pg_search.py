"""Search inside PostgreSQL (``store_search = database``): the replica keeps no vectors and no BM25.

Each side answers its own top k in SQL, restricted to the served generation's plan versions:

- dense: ``ORDER BY embedding::vector(d) <#> q LIMIT k`` over the HNSW index
  (``hnsw.ef_search``; ``hnsw.iterative_scan`` so a filter cannot leave fewer than k rows);
- lexical: the same Lucene BM25 bm25s computes in process (k1 1.2, b 0.75),
  ``idf = ln(1 + (N - df + 0.5) / (df + 0.5))`` with N and the mean length summed over the
  generation's plans (``plan_versions``) and df read from ``generation_terms`` (written when the
  generation is published), ``tf / (tf + k1 (1 - b + b dl / avgdl))``. The top k (schema 4,
  ``pg_lexical``): HNSW over each passage's weights as a ``sparsevec`` gives max(200, 4k)
  candidates, which are scored exactly from their rows' tf and lengths; a filter allowing at most
  EXACT_LIMIT passages, and ``lexical_scores``, read the query terms' postings (``passage_terms``).

A ``sparsevec`` row holds weights with the plan's own mean length, not the generation's (a
generation shares its plans' rows with the others, so weights tied to it would be rewritten for
every plan on every upload): its inner product only chooses the candidates, and the scores
returned are computed with the generation's statistics, equal to the in-process ones.

The fusion stays the retriever's (``retrieve.HybridRetriever``): ``PgIndexStore`` answers the same
calls as the in-memory ``IndexStore`` (positions in, positions out) from SQL.
"""

from __future__ import annotations

import dataclasses
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
from .pg_lexical import (
    LEX_CANDIDATES,
    exact_scores,
    passage_vectors,
    plan_idf,
    sparse_literal,
    term_ids,
    tf_arrays,
)
from .pg_schema import LEX_DIM
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


@dataclass
class _PlanTerms:
    """One plan's terms, counted once for the postings and the sparse vectors."""

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
    """One plan version's passages (COPY: a national collection is written in minutes, not hours),
    their ``tsvector`` terms, BM25 sparse vectors and postings; every text is tokenised once."""
    import json

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
                        _tsvector(lex),
                        _tsvector(units),
                        w,
                        tf,
                        dl,
                    )
                )
    write_postings(conn, plan_version, tokens, plan)


def write_postings(
    conn,
    plan_version: int,
    tokens: Sequence[tuple[Sequence[str], Sequence[str]]],
    plan: _PlanTerms | None = None,
) -> None:
    """One plan version's postings, per-plan document frequencies and field lengths (COPY).

    ``tokens``: per passage (in ``pos`` order), its text-field and unit-field BM25 tokens.
    """
    plan = plan or _plan_terms(tokens)
    with conn.cursor() as cur:
        with cur.copy("COPY passage_terms (field, term, plan_version, pos, tf, dl, impact) FROM STDIN") as cp:
            for pos, (fields, weights) in enumerate(zip(plan.counted, plan.impacts)):
                for field, counts in enumerate(fields):
                    dl = sum(counts.values())
                    for term, tf in counts.items():
                        cp.write_row((field, term, plan_version, pos, tf, dl, weights[field][term]))
        with cur.copy("COPY plan_terms (field, term, plan_version, df) FROM STDIN") as cp:
            for field, counts in enumerate(plan.df):
                for term, n in counts.items():
                    cp.write_row((field, term, plan_version, n))
    conn.execute(
        "UPDATE plan_versions SET n_passages = %s, lex_len = %s, units_len = %s WHERE id = %s",
        (len(tokens), plan.lens[0], plan.lens[1], plan_version),
    )


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

    def __bool__(self) -> bool:
        return bool(self.terms)


# the query's terms and their BM25 idf over the served generation (``generation_terms``: one row per
# term, written when the generation was published): the head of every exact lexical query
_TERMS_CTE = """
WITH q AS (
    SELECT * FROM unnest(%(f)s::int2[], %(t)s::text[], %(c)s::float8[], %(a)s::float8[], %(bc)s::float8[])
        AS q(field, term, c, a, bc)
), w AS MATERIALIZED (
    SELECT q.field, q.term, l.id, q.a, q.bc, q.c * ln(1 + (%(n)s::float8 - g.df + 0.5) / (g.df + 0.5)) AS idf
    FROM q JOIN lex_terms l ON l.field = q.field AND l.term = q.term
    JOIN generation_terms g ON g.generation = %(g)s AND g.term = l.id
    WHERE g.df > 0
)
"""
# the exact lexical score of every passage holding a query term; {keys} narrows them to given passages
_LEX_SQL = (
    _TERMS_CTE
    + """SELECT p.plan_version, p.pos, sum(w.idf * p.tf / (p.tf + w.a + w.bc * p.dl)) AS s
FROM w JOIN passage_terms p ON p.field = w.field AND p.term = w.term AND p.plan_version = ANY(%(v)s)
{keys}
GROUP BY p.plan_version, p.pos
"""
)
_WEIGHTS_SQL = _TERMS_CTE + "SELECT id, field, idf, a, bc FROM w"
# the candidates: HNSW over the passages' BM25 weights, inner product with the query's (factor × idf)
_CANDIDATES_SQL = (
    "SELECT plan_version, pos FROM passages WHERE plan_version = ANY(%(v)s) "
    f"ORDER BY bm25 <#> %(q)s::sparsevec({LEX_DIM}) LIMIT %(n)s"
)
EXACT_LIMIT = 4096  # a filter allowing at most this many passages is scored exactly, passage by passage
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
        self._generation = int(self.manifest.get("generation") or 0)
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
            "g": self._generation,
            "v": self._versions,
            **extra,
        }
        sql = sql or _LEX_SQL.format(keys=_KEYS if keys else "") + tail
        with self._pool.connection() as conn:
            return conn.execute(sql, args).fetchall()

    def _weights(self, terms: SqlTerms) -> dict[int, tuple[int, float, float, float]]:
        """The query's term ids and weights (one round trip, kept on ``terms`` for the next call)."""
        if not terms.weights:
            rows = self._lex_rows(terms, "", {}, False, sql=_WEIGHTS_SQL)
            terms.weights.update({int(i): (int(f), float(w), float(a), float(bc)) for i, f, w, a, bc in rows})
        return terms.weights

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
            if not len(allowed):
                return []
            extra = {"k": int(k), **self._key_args(allowed)}
            return self._positions(self._lex_rows(terms, "ORDER BY s DESC, 1, 2 LIMIT %(k)s", extra, True))
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
        scores = self.lexical_at(terms, pos)
        hits = sorted(((i, float(s)) for i, s in zip(pos, scores) if s > 0), key=lambda h: (-h[1], h[0]))
        if len(hits) < k and len(rows) < n:
            # the graph ran out of rows before k passages holding a query term: score exactly
            extra = {"k": int(k)}
            if allowed is not None:
                extra.update(self._key_args(allowed))
            tail = "ORDER BY s DESC, 1, 2 LIMIT %(k)s"
            return self._positions(self._lex_rows(terms, tail, extra, allowed is not None))
        return hits[:k]

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
        rows = self._tf_rows([int(i) for i in positions])
        out[:] = exact_scores([rows[int(i)] for i in positions], weights)
        return out

    def _tf_rows(self, positions: list[int]) -> dict[int, tuple[np.ndarray, np.ndarray, np.ndarray]]:
        """Each position's term ids, tf and field lengths (``tf_arrays``), from the cache or the rows."""
        out: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
        with self._counts_lock:
            for i in positions:
                hit = self._counts_cache.get(i)
                if hit is not None:
                    self._counts_cache.move_to_end(i)
                    out[i] = hit
        missing = sorted(set(positions) - out.keys())
        if missing:
            with self._pool.connection() as conn:
                rows = conn.execute(
                    "SELECT p.plan_version, p.pos, sparsevec_send(p.bm25_tf), p.bm25_dl FROM passages p "
                    + _KEYS.replace("WHERE", "WHERE p.plan_version = ANY(%(v)s) AND"),
                    {"v": self._versions, **self._key_args(missing)},
                ).fetchall()
            got = {self._row[(int(v), int(p))]: tf_arrays(raw, dl) for v, p, raw, dl in rows}
            out.update(got)
            with self._counts_lock:
                self._counts_cache.update(got)
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
