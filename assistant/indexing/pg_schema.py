"""The PostgreSQL store's schema, its version and its migrations.

A plan upload is stored once (``plan_files``: the original bytes, content-addressed by
sha256) and parsed once (``plan_versions`` + its ``passages`` with the vector and the
lexical terms). A *generation* is only a list of plan versions (``generation_plans``),
so publishing one after an upload writes the new plan's rows plus one row per plan,
never a copy of the other plans' passages. ``current_generation`` (one row) says which
generation is served; switching it is the last statement of the publishing transaction.

Migrations are numbered SQL steps; ``tlkh_schema.version`` records the last one
applied. A server with a newer schema than this software is refused (never downgraded).
"""

from __future__ import annotations

__all__ = [
    "SCHEMA_VERSION",
    "MIGRATIONS",
    "NOTIFY_CHANNEL",
    "LEX_DIM",
    "LEX_MAX_NNZ",
    "hnsw_index_sql",
    "lex_hnsw_sql",
]

NOTIFY_CHANNEL = "tlkh_generation"
HNSW_M, HNSW_EF_CONSTRUCTION = 16, 64
LEX_DIM = 1_000_000_000  # sparsevec dimensions (pgvector's maximum): a term id is its index
LEX_MAX_NNZ = 1000  # non-zero elements pgvector's HNSW indexes per sparsevec

_V1 = """
CREATE EXTENSION IF NOT EXISTS vector;

CREATE TABLE plan_files (
    sha256      text PRIMARY KEY,
    bytes       bytea NOT NULL,
    size        bigint NOT NULL
);

CREATE TABLE plan_versions (
    id          bigserial PRIMARY KEY,
    doc         text NOT NULL,                       -- the plan's file name (its id everywhere)
    sha256      text NOT NULL REFERENCES plan_files,
    meta        jsonb NOT NULL,                      -- DocMeta.to_dict()
    content_key text NOT NULL,                       -- hash of the passage texts: re-saved copies
    embedder    text NOT NULL,
    dim         int NOT NULL,
    uploaded_by text NOT NULL,
    uploaded_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE passages (
    plan_version bigint NOT NULL REFERENCES plan_versions ON DELETE CASCADE,
    pos          int NOT NULL,                       -- order inside the plan
    id           text NOT NULL,
    data         jsonb NOT NULL,                     -- Passage.to_dict(): text, section path, units
    embedding    vector NOT NULL,
    lex          tsvector NOT NULL,                  -- our tokeniser's terms (array_to_tsvector)
    units        tsvector NOT NULL,                  -- lead/partner unit-name terms
    PRIMARY KEY (plan_version, pos)
);
CREATE INDEX passages_lex ON passages USING gin (lex);
CREATE INDEX passages_units ON passages USING gin (units);

CREATE TABLE generations (
    id            bigserial PRIMARY KEY,
    created_at    timestamptz NOT NULL DEFAULT now(),
    action        text NOT NULL,                     -- build | add | remove
    doc           text,
    actor         text NOT NULL,
    embedder      text NOT NULL,
    dim           int NOT NULL,
    passage_count int NOT NULL,
    doc_count     int NOT NULL
);

CREATE TABLE generation_plans (
    generation   bigint NOT NULL REFERENCES generations ON DELETE CASCADE,
    seq          int NOT NULL,
    plan_version bigint NOT NULL REFERENCES plan_versions,
    PRIMARY KEY (generation, seq)
);
CREATE INDEX generation_plans_version ON generation_plans (plan_version);

CREATE TABLE current_generation (
    singleton  boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    generation bigint REFERENCES generations
);
INSERT INTO current_generation (singleton, generation) VALUES (true, NULL);

CREATE TABLE embed_cache (
    embedder  text NOT NULL,
    text_hash text NOT NULL,
    embedding vector NOT NULL,
    PRIMARY KEY (embedder, text_hash)
);

CREATE TABLE feedback (
    id     bigserial PRIMARY KEY,
    at     timestamptz NOT NULL DEFAULT now(),
    record jsonb NOT NULL
);

CREATE TABLE audit (
    id         bigserial PRIMARY KEY,
    at         timestamptz NOT NULL DEFAULT now(),
    action     text NOT NULL,                        -- upload | remove | build
    doc        text,
    sha256     text,
    actor      text NOT NULL,
    replica    text NOT NULL,
    generation bigint,
    detail     jsonb NOT NULL DEFAULT '{}'
);
"""

# Search inside the database (``store_search = database``): BM25 needs each term's frequency in a
# passage, the passage's length, and per generation the passage count, the mean length and each
# term's document frequency. Weights cannot be stored ready-made: idf and the mean length belong to
# the generation, and a generation shares its plans' rows with the others. So the rows keep what is
# the plan's own (tf, length; per plan: passage count, summed lengths, df per term) and a query sums
# the generation's plans: the same Lucene BM25 bm25s computes in process.
_V2 = """
ALTER TABLE plan_versions ADD COLUMN n_passages int NOT NULL DEFAULT 0;
ALTER TABLE plan_versions ADD COLUMN lex_len bigint NOT NULL DEFAULT 0;     -- summed text-field lengths
ALTER TABLE plan_versions ADD COLUMN units_len bigint NOT NULL DEFAULT 0;   -- summed unit-field lengths

CREATE TABLE passage_terms (                          -- the inverted index: one row per (field, term, passage)
    field        smallint NOT NULL,                   -- 0 text, 1 lead/partner unit names
    term         text NOT NULL,
    plan_version bigint NOT NULL REFERENCES plan_versions ON DELETE CASCADE,
    pos          int NOT NULL,
    tf           real NOT NULL,
    dl           int NOT NULL,                         -- the passage's length in this field
    impact       real NOT NULL                         -- tf / (tf + k1 (1 - b + b dl / the plan's mean length))
);
-- a term's postings best first: a query reads the head of each term's list, never all of a common term
CREATE INDEX passage_terms_impact ON passage_terms (field, term, impact DESC) INCLUDE (plan_version, pos, tf, dl);
-- a query reads the postings of its terms for the served plans: index-only, by (field, term)
CREATE UNIQUE INDEX passage_terms_key ON passage_terms (field, term, plan_version, pos) INCLUDE (tf, dl);
CREATE INDEX passage_terms_version ON passage_terms (plan_version);

CREATE TABLE plan_terms (                             -- document frequency of a term inside one plan
    field        smallint NOT NULL,
    term         text NOT NULL,
    plan_version bigint NOT NULL REFERENCES plan_versions ON DELETE CASCADE,
    df           int NOT NULL,
    PRIMARY KEY (field, term, plan_version)
);
CREATE INDEX plan_terms_version ON plan_terms (plan_version);
"""

# Each plan version records the parser that cut its passages (``cache.parser_fingerprint``), so a
# replica running newer parsing code can say the store's passages are another parser's (``/healthz``
# parser_stale) instead of serving them silently. Rows from before this step record '' (unknown).
_V3 = """
ALTER TABLE plan_versions ADD COLUMN parser text NOT NULL DEFAULT '';
"""

# The lexical top k without reading every posting of a common term (issue 15): each passage's BM25
# term weights as one pgvector ``sparsevec`` (index = the term's id in ``lex_terms``), searched by
# inner product with the query's idf over an HNSW index (``lex_hnsw_sql``); the candidates are then
# scored exactly from ``bm25_tf`` (tf per term id) and ``bm25_dl`` (the two field lengths), so what
# the search returns is exact BM25, only the choice of candidates is approximate (measured in
# eval/bench_pg.py). ``bm25`` holds tf / (tf + k1 (1 - b + b dl / the plan's mean length)): the
# plan's own, as a generation shares its plans' rows; at most LEX_MAX_NNZ terms (HNSW's limit), the
# passage's highest weight × the plan's idf first. ``generation_terms``: each term's document
# frequency over a generation's plans, written when the generation is published, so a query reads
# one row per term instead of summing over every plan. Existing rows are filled from the postings.
_V4 = """
CREATE TABLE lex_terms (
    id    serial PRIMARY KEY,
    field smallint NOT NULL,
    term  text NOT NULL,
    UNIQUE (field, term)
);
INSERT INTO lex_terms (field, term) SELECT field, term FROM plan_terms GROUP BY 1, 2 ORDER BY 1, 2;

ALTER TABLE passages ADD COLUMN bm25 sparsevec(1000000000),
    ADD COLUMN bm25_tf sparsevec(1000000000),
    ADD COLUMN bm25_dl int[];
UPDATE passages p SET bm25 = s.w, bm25_tf = s.tf, bm25_dl = s.dl FROM (
    SELECT t.plan_version, t.pos,
        ('{' || coalesce(string_agg(l.id || ':' || t.impact, ',' ORDER BY l.id) FILTER (WHERE t.rank <= 1000), '')
            || '}/1000000000')::sparsevec AS w,
        ('{' || string_agg(l.id || ':' || t.tf, ',' ORDER BY l.id) || '}/1000000000')::sparsevec AS tf,
        ARRAY[coalesce(max(t.dl) FILTER (WHERE t.field = 0), 0), coalesce(max(t.dl) FILTER (WHERE t.field = 1), 0)] AS dl
    FROM (
        SELECT pt.*, row_number() OVER (
            PARTITION BY pt.plan_version, pt.pos
            ORDER BY pt.impact * ln(1 + (pv.n_passages - d.df + 0.5) / (d.df + 0.5)) DESC, pt.field, pt.term
        ) AS rank
        FROM passage_terms pt JOIN plan_versions pv ON pv.id = pt.plan_version
        JOIN plan_terms d ON d.field = pt.field AND d.term = pt.term AND d.plan_version = pt.plan_version
    ) t JOIN lex_terms l ON l.field = t.field AND l.term = t.term
    GROUP BY 1, 2
) s WHERE s.plan_version = p.plan_version AND s.pos = p.pos;
UPDATE passages SET bm25 = '{}/1000000000', bm25_tf = '{}/1000000000', bm25_dl = '{0,0}' WHERE bm25 IS NULL;
ALTER TABLE passages ALTER COLUMN bm25 SET NOT NULL, ALTER COLUMN bm25_tf SET NOT NULL,
    ALTER COLUMN bm25_dl SET NOT NULL;

CREATE TABLE generation_terms (
    generation bigint NOT NULL REFERENCES generations ON DELETE CASCADE,
    term       int NOT NULL,                          -- lex_terms.id
    df         int NOT NULL,
    PRIMARY KEY (generation, term)
);
INSERT INTO generation_terms (generation, term, df)
SELECT gp.generation, l.id, sum(pt.df) FROM generation_plans gp
JOIN plan_terms pt ON pt.plan_version = gp.plan_version
JOIN lex_terms l ON l.field = pt.field AND l.term = pt.term
GROUP BY 1, 2;
"""

# No postings table (issue 15, ×1000 buildable): ``passage_terms`` held ~410 rows a passage (~96 M
# rows, ~25 GB and 1.6 h of inserts at ×1000) for three uses, all answered from the passage rows
# now: which rows hold a term (the ``lex`` / ``units`` tsvector GIN indexes, written since step 1),
# a row's BM25 (``bm25_tf``, ``bm25_dl``, step 4) and the HNSW candidates' completion to the exact
# top k (``pg_search``: max-score over the GIN rows of the terms that can still lift a passage).
# The tsvectors are rewritten from the postings first where they differ, so every row's GIN terms
# are exactly its BM25 terms whatever tokeniser wrote the row before (IS DISTINCT FROM: a store
# already consistent is read, not rewritten).
_V5 = """
UPDATE passages p SET lex = s.lex, units = s.units FROM (
    SELECT plan_version, pos,
        coalesce(array_to_tsvector(array_agg(term) FILTER (WHERE field = 0)), ''::tsvector) AS lex,
        coalesce(array_to_tsvector(array_agg(term) FILTER (WHERE field = 1)), ''::tsvector) AS units
    FROM passage_terms GROUP BY 1, 2
) s WHERE s.plan_version = p.plan_version AND s.pos = p.pos
    AND (p.lex IS DISTINCT FROM s.lex OR p.units IS DISTINCT FROM s.units);
UPDATE passages p SET lex = ''::tsvector, units = ''::tsvector
WHERE (p.lex <> ''::tsvector OR p.units <> ''::tsvector)
    AND NOT EXISTS (SELECT 1 FROM passage_terms t WHERE t.plan_version = p.plan_version AND t.pos = p.pos);
DROP TABLE passage_terms;
"""

# Impact-ordered truncated postings (issue 15, ``pg_heads``): per generation and term its HEAD_LEN
# passages of highest BM25 impact, one ``bytea`` of fixed-width entries, so the lexical top k is one
# indexed read of the query's terms' rows. ``generation_heads`` records each generation's HEAD_LEN (a
# reader knows a list is cut by its ``rest``). Stored PLAIN, in parts that fit a page: a list is read
# whole by every question naming the term, from the table's own pages (TOAST, one index probe per
# ~2 KB chunk, made the read 5.5 ms of a ×100 question: session 19) and never decompressed. Empty
# after the migration: the next publish writes its generation's lists from the rows (and until then
# the served generation is searched as under schema 5, the sparse-vector HNSW).
_V6 = """
CREATE TABLE generation_heads (
    generation bigint PRIMARY KEY REFERENCES generations ON DELETE CASCADE,
    head_len   int NOT NULL
);
CREATE TABLE term_heads (
    generation bigint NOT NULL REFERENCES generations ON DELETE CASCADE,
    term       int NOT NULL,                          -- lex_terms.id
    part       int NOT NULL,                          -- a list is cut into parts of HEAD_PART entries
    rest       real NOT NULL,                         -- highest plan-local impact left out; 0: whole
    entries    bytea NOT NULL,                        -- pg_heads.ENTRY, best plan-local impact first
    PRIMARY KEY (generation, term, part)
);
ALTER TABLE term_heads ALTER COLUMN entries SET STORAGE PLAIN;
"""

# (version, SQL): applied in order, each in the transaction that records its number
MIGRATIONS: list[tuple[int, str]] = [(1, _V1), (2, _V2), (3, _V3), (4, _V4), (5, _V5), (6, _V6)]
SCHEMA_VERSION = MIGRATIONS[-1][0]


def hnsw_index_sql(dim: int) -> str:
    """The HNSW index for one embedder dimension: a partial expression index.

    ``passages.embedding`` has no fixed dimension (the embedder is a setting), and pgvector
    indexes only fixed-dimension vectors, so each dimension gets its own partial index over
    ``embedding::vector(dim)``; queries use the same expression and predicate.
    """
    d = int(dim)
    return (
        f"CREATE INDEX IF NOT EXISTS passages_hnsw_{d} ON passages USING hnsw "
        f"((embedding::vector({d})) vector_ip_ops) WITH (m = {HNSW_M}, ef_construction = {HNSW_EF_CONSTRUCTION}) "
        f"WHERE vector_dims(embedding) = {d}"
    )


def lex_hnsw_sql() -> str:
    """The HNSW index over the passages' BM25 weights (inner product: the query holds each term's idf).

    Created with the dense one (``PgStore.ensure_hnsw``), not in the migration: a migrated store's
    first build or upload creates it, so the migration itself does not wait for the graph.
    """
    return (
        "CREATE INDEX IF NOT EXISTS passages_bm25_hnsw ON passages USING hnsw (bm25 sparsevec_ip_ops) "
        f"WITH (m = {HNSW_M}, ef_construction = {HNSW_EF_CONSTRUCTION})"
    )
