"""Impact-ordered truncated postings in PostgreSQL (schema 6, issue 15): the lexical top k from one read.

Static index pruning (Carmel et al. 2001, "Static index pruning for information retrieval systems"):
per generation and term ``term_heads`` holds that term's HEAD_LEN passages of highest BM25 impact,
best first, as ``bytea`` rows of HEAD_PART fixed-width entries (``ENTRY``: the row key
``plan_version << 32 | pos``, tf, the field length, the plan's own impact), and ``rest``, the highest
impact left out (0: the list is whole). A question reads its terms' lists in the statement that reads
their idf (one round trip), and sums ``factor × idf × tf / (tf + k1 (1 - b + b dl / the generation's
mean length))`` per passage in numpy: the generation's exact BM25 contribution of every listed
passage. A whole list (df ≤ HEAD_LEN) is exact; a cut one is its head only, so a passage outside it
may lack that term's share, bounded through ``rest`` (``head_sums``); the listed passages that could
still enter the top k are rescored exactly from their rows (``HeadsSearch``). HEAD_LEN is recorded
per generation (``generation_heads``): a generation without it has no lists (published before
schema 6) and is searched as under schema 5.

Why the plan's own impact orders a list (not the generation's): a passage's entry then never changes,
so a new generation's list is the previous one's with the removed plans' entries dropped and the added
plans' merged in (only the terms those plans hold are rewritten); the generation's mean length only
moves the order within a head, and the scores read are the generation's anyway.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from .pg_lexical import tf_arrays
from .pg_write import K1, B

__all__ = [
    "HEAD_LEN",
    "HEAD_CANDIDATES",
    "ENTRY",
    "HeadsSearch",
    "RowIndex",
    "row_key",
    "write_term_heads",
    "head_sums",
]

# passages kept per (generation, term): a term held by at most this many is exact; a longer list costs
# its read (20 bytes an entry) for every question naming the term. Measured in docs/SCALING.md, session 19
HEAD_LEN = 2000
# one entry, little-endian: the row key, tf, the field's length, tf / (tf + k1 (1 - b + b dl / the
# plan's mean length)) (the plan's own impact, the list's order)
ENTRY = np.dtype([("key", "<i8"), ("tf", "<f4"), ("dl", "<f4"), ("impact", "<f4")])
HEAD_CANDIDATES = 200  # listed passages rescored from their rows at most, best sum first
HEAD_PART = 360  # entries a row holds (7,200 bytes: the row fits a page, stored PLAIN, no TOAST)
_CHUNK = 4096  # passage rows read at a time when a generation's lists are built from its rows
_POOL = 2_000_000  # entries (40 MB) read before the lists are cut, at least


def row_key(plan_version: Any, pos: Any) -> Any:
    """A row's key in an entry: plan_version << 32 | pos (works on ints and int64 arrays)."""
    return (plan_version << 32) | pos


class RowIndex:
    """Entry keys → served positions by two gathers (a plan version's offset, then its pos): a
    question's ~50,000 entries are located in well under a millisecond, where a binary search over
    the served keys took several (×100, session 19)."""

    def __init__(self, keys: np.ndarray) -> None:  # keys: int64 (n, 2) of the served positions
        self.size = len(keys)
        v, p = (keys[:, 0], keys[:, 1]) if len(keys) else (np.zeros(1, np.int64), np.zeros(1, np.int64))
        self.low = int(v.min())
        span = np.zeros(int(v.max()) - self.low + 1, dtype=np.int64)
        np.maximum.at(span, v - self.low, p + 1)
        self.span = span
        self.offset = np.r_[0, np.cumsum(span)[:-1]]
        self.flat = np.full(int(span.sum()), -1, dtype=np.int64)  # -1: a row not served (a repeated id)
        if len(keys):
            self.flat[self.offset[v - self.low] + p] = np.arange(len(keys))

    def find(self, key: np.ndarray) -> np.ndarray:
        """Each key's position, -1 for a row not served."""
        v, p = (key >> 32) - self.low, key & 0xFFFFFFFF
        # clipped rather than masked: nearly every key is served, and each boolean selection
        # compacts the whole array again (×1000: ~120,000 entries a question)
        vv = np.clip(v, 0, len(self.span) - 1)
        ok = (v == vv) & (p < self.span[vv])
        out = self.flat[self.offset[vv] + np.where(ok, p, 0)]
        out[~ok] = -1
        return out


def _top(
    terms: np.ndarray, entries: np.ndarray, n: int, rest: dict[int, float]
) -> tuple[np.ndarray, np.ndarray]:
    """The n entries of highest impact per term (ties: the smaller key), sorted by term, best first;
    ``rest`` (term → the highest impact left out of its list) raised by the entries cut here."""
    order = np.lexsort((entries["key"], -entries["impact"], terms))
    t = terms[order]
    if not len(t):
        return t, entries[order]
    start = np.flatnonzero(np.r_[True, t[1:] != t[:-1]])
    rank = np.arange(len(t)) - np.repeat(start, np.diff(np.r_[start, len(t)]))
    first_out = order[rank == n]  # each cut term's best entry left out
    for term, x in zip(terms[first_out].tolist(), entries["impact"][first_out].tolist()):
        rest[term] = max(rest.get(term, 0.0), float(x))
    keep = order[rank < n]
    return terms[keep], entries[keep]


def _plan_entries(
    conn, versions: Sequence[int], n: int, rest: dict[int, float]
) -> tuple[np.ndarray, np.ndarray]:
    """Every (term, entry) of the passages of ``versions``, cut to the n best per term as it is read
    (a ×1000 first build has ~96 M postings; this holds n per term plus at most as many pooled)."""
    units = np.array(sorted(i for (i,) in conn.execute("SELECT id FROM lex_terms WHERE field = 1")), np.int64)
    plans = {
        int(v): (max(int(c), 1), float(a), float(u))
        for v, c, a, u in conn.execute(
            "SELECT id, n_passages, lex_len, units_len FROM plan_versions WHERE id = ANY(%s)",
            (list(versions),),
        )
    }
    terms, entries = np.zeros(0, np.int64), np.zeros(0, ENTRY)
    # chunks are pooled until they hold as many entries as the lists kept so far (at least
    # _POOL), then cut together: the same lists as cutting after every chunk (the n best of a
    # union), but a handful of sorts instead of one over the kept lists per chunk (×1000: ~60)
    pool_ids: list[np.ndarray] = []
    pool: list[np.ndarray] = []
    pooled = 0

    def cut() -> tuple[np.ndarray, np.ndarray]:
        return _top(np.concatenate([terms, *pool_ids]), np.concatenate([entries, *pool]), n, rest)

    with conn.cursor(name="tlkh_term_heads") as cur:  # server-side: the rows stream in chunks
        cur.execute(
            "SELECT plan_version, pos, sparsevec_send(bm25_tf), bm25_dl FROM passages WHERE plan_version = ANY(%s)",
            (list(versions),),
        )
        while rows := cur.fetchmany(_CHUNK):
            parts = [tf_arrays(raw, dl) for _, _, raw, dl in rows]
            ids = np.concatenate([p[0] for p in parts]) if parts else np.zeros(0, np.int64)
            e = np.zeros(len(ids), ENTRY)
            sizes = [len(p[0]) for p in parts]
            e["key"] = np.repeat([row_key(int(v), int(p)) for v, p, _, _ in rows], sizes)
            e["tf"] = np.concatenate([p[1] for p in parts])
            field = np.isin(ids, units).astype(np.int64)  # 0 text, 1 unit names
            dls = np.repeat(np.stack([p[2] for p in parts]), sizes, axis=0)
            e["dl"] = dls[np.arange(len(ids)), field]
            stats = np.array([plans[int(v)] for v, *_ in rows], dtype=np.float64)
            avgdl = np.repeat(stats[:, 1:] / stats[:, :1], sizes, axis=0)[np.arange(len(ids)), field]
            e["impact"] = e["tf"] / (e["tf"] + K1 * (1 - B + B * e["dl"] / np.maximum(avgdl, 1e-9)))
            pool_ids.append(ids)
            pool.append(e)
            pooled += len(ids)
            if pooled >= max(len(entries), _POOL):
                terms, entries = cut()
                pool_ids, pool, pooled = [], [], 0
    if pool:
        terms, entries = cut()
    return terms, entries


def _copy(conn, gen: int, terms: np.ndarray, entries: np.ndarray, rest: dict[int, float]) -> None:
    """The lists as rows; a cut term left with no entry (a removal took its whole head) keeps an
    empty list with its ``rest``, since passages outside it still hold the term."""
    cut = np.flatnonzero(np.r_[True, terms[1:] != terms[:-1]]) if len(terms) else np.zeros(0, np.int64)
    ends = [*cut[1:].tolist(), len(terms)]
    empty = sorted(set(t for t, x in rest.items() if x > 0) - set(terms[cut].tolist()))
    if empty:  # those the generation still holds (``generation_terms`` is written first)
        empty = [
            int(t)
            for (t,) in conn.execute(
                "SELECT term FROM generation_terms WHERE generation = %s AND term = ANY(%s) ORDER BY term",
                (gen, empty),
            )
        ]
    sql = "COPY term_heads (generation, term, part, rest, entries) FROM STDIN"
    with conn.cursor() as cur, cur.copy(sql) as cp:
        for a, b in zip(cut.tolist(), ends):
            t = int(terms[a])
            for part, at in enumerate(range(a, b, HEAD_PART)):
                cp.write_row((gen, t, part, rest.get(t, 0.0), entries[at : min(at + HEAD_PART, b)].tobytes()))
        for t in empty:
            cp.write_row((gen, t, 0, rest[t], b""))


def write_term_heads(
    conn,
    gen: int,
    versions: Sequence[int],
    previous: int | None,
    previous_versions: Sequence[int],
    n: int | None = None,
) -> None:
    """``term_heads`` of a new generation (in the publishing transaction): the previous generation's
    lists with the removed plans' entries dropped and the added plans' merged in, only for the terms
    those plans hold (the others' rows copied as they are); built from the rows of every plan when
    there is no previous list of the same HEAD_LEN or most plans changed."""
    n = int(n or HEAD_LEN)
    added = sorted(set(versions) - set(previous_versions))
    removed = sorted(set(previous_versions) - set(versions))
    row = None
    if previous is not None:
        row = conn.execute(
            "SELECT head_len FROM generation_heads WHERE generation = %s", (previous,)
        ).fetchone()
    conn.execute("INSERT INTO generation_heads (generation, head_len) VALUES (%s, %s)", (gen, n))
    if row is None or int(row[0]) != n or len(added) + len(removed) >= len(versions):
        rest: dict[int, float] = {}
        _copy(conn, gen, *_plan_entries(conn, list(versions), n, rest), rest)
        return
    rest = {}
    new_terms, new_entries = _plan_entries(conn, added, n, rest)
    gone = [
        int(i)
        for (i,) in conn.execute(
            "SELECT DISTINCT l.id FROM plan_terms pt JOIN lex_terms l ON l.field = pt.field AND l.term = pt.term "
            "WHERE pt.plan_version = ANY(%s)",
            (removed,),
        )
    ]
    touched = sorted(set(new_terms.tolist()) | set(gone))
    conn.execute(
        "INSERT INTO term_heads (generation, term, part, rest, entries) SELECT %s, term, part, rest, entries FROM term_heads "
        "WHERE generation = %s AND NOT (term = ANY(%s))",
        (gen, previous, touched),
    )
    old = conn.execute(
        "SELECT term, rest, entries FROM term_heads WHERE generation = %s AND term = ANY(%s)",
        (previous, touched),
    ).fetchall()
    for t, x, _ in old:  # a removal leaves a list's rest as it was: what was left out stays out
        rest[int(t)] = max(rest.get(int(t), 0.0), float(x))
    parts = [np.frombuffer(b, dtype=ENTRY) for _, _, b in old]
    old_terms = np.repeat([int(t) for t, _, _ in old], [len(p) for p in parts]).astype(np.int64)
    old_entries = np.concatenate(parts) if parts else np.zeros(0, ENTRY)
    keep = ~np.isin(old_entries["key"] >> 32, np.array(removed, dtype=np.int64))
    merged = _top(
        np.concatenate([old_terms[keep], new_terms]),
        np.concatenate([old_entries[keep], new_entries]),
        n,
        rest,
    )
    _copy(conn, gen, *merged, rest)


def head_sums(
    heads: Iterable[tuple[bytes, float, float, float, float, float]], rows: RowIndex
) -> tuple[np.ndarray, np.ndarray, list[float]]:
    """The BM25 summed over the query's lists per served position, and how much a position may lack.

    ``heads``: per query term its list (``entries``), factor × idf, k1 (1 - b), k1 b / the
    generation's mean length, its ``rest`` and r = min(1, the smallest plan mean length in the field
    / the generation's). ``rows``: the served rows' positions. Returns (scores, lacking, bounds): a cut list (``rest`` > 0) leaves out passages
    whose plan-local impact x is at most ``rest``, so their share of that term is at most its bound
    factor × idf × x / (x + r (1 - x)) (the generation's impact of the same tf and length, its mean
    length at most 1 / r times the plan's; 0 for a whole list); ``lacking`` is per position the sum
    of the bounds of the cut lists not holding it: a position's BM25 lies in [scores, scores +
    lacking], exact where lacking is 0.
    """
    raws, params = [], []
    for raw, *p in heads:
        raws.append(raw)
        params.append(p)
    size = rows.size
    if not raws or not size:
        return np.zeros(size), np.zeros(size), [0.0] * len(raws)
    w, a, bc, x, r = np.array(params, dtype=np.float64).reshape(-1, 5).T
    bounds = np.where(x > 0, w * x / np.maximum(x + r * (1 - x), 1e-12), 0.0)  # x > 0: a head only
    # every list at once (one look-up, one bincount: a question names 50-150 terms); the bytes
    # joined before they are read as entries: numpy concatenates structured arrays field by field
    e = np.frombuffer(b"".join(raws), dtype=ENTRY)
    term = np.repeat(np.arange(len(raws)), [len(v) // ENTRY.itemsize for v in raws])
    at = rows.find(e["key"])
    ok = at >= 0
    if ok.all():  # every entry a served row (a generation's lists hold only its plans' rows)
        pos, tf, dl = at, e["tf"].astype(np.float64), e["dl"].astype(np.float64)
    else:
        pos, term = at[ok], term[ok]
        tf, dl = e["tf"][ok].astype(np.float64), e["dl"][ok].astype(np.float64)
    scores = np.bincount(pos, weights=w[term] * tf / (tf + a[term] + bc[term] * dl), minlength=size)
    holding = np.bincount(pos, weights=bounds[term], minlength=size)
    return scores, np.maximum(bounds.sum() - holding, 0.0), bounds.tolist()


class HeadsSearch:
    """``PgIndexStore``'s lexical top k from the lists (its ``_weights`` reads them with the idf)."""

    def _head_sums(self: Any, terms: Any) -> tuple[np.ndarray, np.ndarray, dict[int, float]] | None:
        """The query's BM25 summed over its terms' lists (``head_sums``) and each cut term's bound,
        once per question; None when the generation has no lists (written before schema 6)."""
        if not self._weights(terms) or len(terms.heads) < len(terms.weights):
            return None
        if not terms.sums:
            ids = list(terms.weights)
            heads = (
                (
                    terms.heads[i][0],
                    *terms.weights[i][1:],
                    terms.heads[i][1],
                    self._ratio[terms.weights[i][0]],
                )
                for i in ids
            )
            scores, lacking, bounds = head_sums(heads, self._rows)
            terms.sums.append((scores, lacking, {i: b for i, b in zip(ids, bounds) if b > 0}))
        return terms.sums[0]

    def _from_heads(
        self: Any,
        terms: Any,
        sums: tuple[np.ndarray, np.ndarray, dict[int, float]],
        k: int,
        ok: np.ndarray | None,
        versions: Sequence[int],
        budget: int,
    ) -> list[tuple[int, float]]:
        """The lexical top k from the lists' sums, max-score over ``head_sums``' bounds (Turtle &
        Flood): a passage's BM25 lies in [sum, sum + lacking]; the k-th best sum is a floor θ, and
        only the listed passages whose ceiling passes θ and whose sum is not exact are rescored from
        their rows, best sum first, at most HEAD_CANDIDATES. A passage in no list holds only cut
        terms, so it reaches θ only through the cut terms whose bounds do not fit under θ together
        ("essential"); their rows (GIN, ``_holding``) are scored when their document frequencies sum
        to at most ``budget`` (``COMPLETE_ROWS``), or whatever it is when fewer than k passages were
        found. Exact when no list is cut, or when the cap is not hit and the essential rows are
        scored or there are none."""
        scores, lacking, cut = sums
        s = scores if ok is None else np.where(ok, scores, 0.0)
        listed = np.flatnonzero(s > 0)
        theta = float(np.partition(s[listed], len(listed) - k)[len(listed) - k]) if len(listed) >= k else 0.0
        unsure = listed[(lacking[listed] > 0) & (s[listed] + lacking[listed] > theta)]
        if len(unsure) > HEAD_CANDIDATES:
            # the best sums first, not the best ceilings: a passage holding few of the terms has a
            # ceiling as high as the cut lists' bounds, which are loose (×100: every copy of a passage)
            unsure = unsure[np.argpartition(-s[unsure], HEAD_CANDIDATES - 1)[:HEAD_CANDIDATES]]
        exact = dict(zip(unsure.tolist(), self.lexical_at(terms, unsure).tolist()))
        sure = listed[lacking[listed] == 0]
        if len(sure) > k:
            sure = sure[np.argpartition(-s[sure], k - 1)[:k]]
        hits = [(int(i), float(s[i])) for i in sure] + [(i, x) for i, x in exact.items() if x > 0]
        hits = sorted(hits, key=lambda h: (-h[1], h[0]))[:k]
        theta = hits[k - 1][1] if len(hits) >= k else 0.0
        total, essential = 0.0, list[int]()
        for i in sorted(cut, key=lambda i: (cut[i], i)):
            if not essential and total + cut[i] <= theta:
                total += cut[i]
            else:
                essential.append(i)
        # fewer than k hits (short lists, a filter): every essential row, whatever the budget
        if not essential or (len(hits) >= k and sum(terms.names[i][1] for i in essential) > budget):
            return hits
        seen = set(listed.tolist())
        new = [
            i for i in self._holding(terms, essential, versions) if i not in seen and (ok is None or ok[i])
        ]
        return sorted([*hits, *self._scored(terms, new)], key=lambda h: (-h[1], h[0]))[:k]
