"""Synthetic scales of a real index for ``eval.bench``: ``scale`` perturbed copies of every passage.

Every copy of a passage vector gets Gaussian noise (cosine ≈ 0.86 to its original) and is
re-normalised; every copy of a passage's postings loses ~15 % of its terms (an accented term
with its folded twin, as the tokeniser pairs them) and has the rest re-weighted by ±20 %. Nothing new is embedded, so large scales stay feasible on two cores.

Memory: each copy's vectors are generated from its own seed, added to FAISS and dropped, so the
vectors exist once (inside the FAISS index); the exact search the recall is measured against
regenerates them copy by copy. The postings are written straight into their final arrays.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

__all__ = ["NOISE", "TERM_DROP", "copy_vectors", "synthetic_store", "exact_top", "tile_postings"]

NOISE = 0.6  # ‖noise‖ relative to a unit vector: cosine to the original ≈ 0.86
TERM_DROP = 0.15
CHUNK = 64  # copies generated at a time


def copy_vectors(base: np.ndarray, copies: range, seed: int = 0) -> np.ndarray:
    """The vectors of copies ``copies`` (copy 0 is the original), each from its own seed."""
    n, d = base.shape
    out = np.empty((n * len(copies), d), dtype=np.float32)
    for j, c in enumerate(copies):
        if c == 0:
            out[j * n : (j + 1) * n] = base
            continue
        rng = np.random.default_rng((seed, c))
        noisy = base + NOISE * rng.standard_normal((n, d), dtype=np.float32) / np.sqrt(d)
        out[j * n : (j + 1) * n] = noisy / np.linalg.norm(noisy, axis=1, keepdims=True)
    return out


def exact_top(base: np.ndarray, scale: int, queries: np.ndarray, k: int = 10, seed: int = 0) -> np.ndarray:
    """Exact inner-product top-k positions over all copies (regenerated, never all held at once)."""
    n = base.shape[0]
    best_s = np.full((len(queries), 0), -np.inf, dtype=np.float32)
    best_i = np.zeros((len(queries), 0), dtype=np.int64)
    for c0 in range(0, scale, CHUNK):
        cs = range(c0, min(scale, c0 + CHUNK))
        sims = queries @ copy_vectors(base, cs, seed).T
        s = np.concatenate([best_s, sims], axis=1)
        i = np.concatenate(
            [best_i, np.broadcast_to(np.arange(c0 * n, c0 * n + sims.shape[1]), sims.shape)], axis=1
        )
        top = np.argpartition(-s, k - 1, axis=1)[:, :k]
        best_s, best_i = np.take_along_axis(s, top, 1), np.take_along_axis(i, top, 1)
    return best_i


def tile_postings(post, scale: int, seed: int = 0):
    """``scale`` perturbed copies of every passage's postings (copy c's passages offset by c·n)."""
    from assistant.indexing.postings import Postings, _max_per_term

    if post is None or scale == 1:
        return post
    n, df = post.n_docs, post.df
    col = np.repeat(np.arange(df.size, dtype=np.int32), df)
    twins = _twin_postings(post)
    # pass 1: how many postings of each term every copy keeps; pass 2 writes them in place
    kept = np.empty((scale, df.size), dtype=np.int32)
    for c in range(scale):
        kept[c] = np.bincount(col[_keep(post, c, seed, twins)[0]], minlength=df.size) if c else df
    indptr = np.concatenate([[0], np.cumsum(kept.sum(0))]).astype(np.int64)
    before = np.cumsum(kept, axis=0, dtype=np.int32) - kept  # postings of earlier copies within each term
    docs = np.empty(int(indptr[-1]), dtype=np.int32)
    weights = np.empty(int(indptr[-1]), dtype=np.float32)
    for c in range(scale):
        keep, factor = _keep(post, c, seed, twins)
        ck = np.cumsum(keep)
        start_ck = np.concatenate([[0], ck])[post.indptr[:-1]]
        rank = (ck - 1 - start_ck[col])[keep]
        dest = indptr[:-1][col[keep]] + before[c][col[keep]] + rank
        docs[dest] = post.docs[keep] + c * n
        weights[dest] = post.weights[keep] * factor[keep]
    return Postings(post.vocab, indptr, docs, weights, _max_per_term(weights, indptr), n * scale, post.params)


def _twin_postings(post) -> tuple[np.ndarray, np.ndarray]:
    """(accented posting, its folded twin's posting in the same passage), as indexes into ``docs``.

    The tokeniser gives every accented term of a passage its folded twin there too, so on a real
    index an accented term's passages are a subset of its twin's; the copies keep that (a copy
    drops an accented posting with its twin's), or every pair would become a union of two lists
    (``twins.derive_twins``), held in memory only by the benchmark.
    """
    from assistant.indexing.twins import twin_key

    acc: list[np.ndarray] = []
    fol: list[np.ndarray] = []
    for tok, t in post.vocab.items():
        key = twin_key(tok)
        f = post.vocab.get(key) if key else None
        if f is None or f == t:
            continue
        fd = post.docs[post.indptr[f] : post.indptr[f + 1]]
        td = post.docs[post.indptr[t] : post.indptr[t + 1]]
        pos = np.minimum(np.searchsorted(fd, td), max(fd.size - 1, 0))
        ok = fd[pos] == td if fd.size else np.zeros(td.size, dtype=bool)
        acc.append(post.indptr[t] + np.flatnonzero(ok))
        fol.append(post.indptr[f] + pos[ok])
    if not acc:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.concatenate(acc).astype(np.int64), np.concatenate(fol).astype(np.int64)


def _keep(post, c: int, seed: int, twins: tuple[np.ndarray, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    if c == 0:
        return np.ones(post.docs.size, dtype=bool), np.ones(post.docs.size, dtype=np.float32)
    rng = np.random.default_rng((seed, 10_000 + c))
    keep = rng.random(post.docs.size) > TERM_DROP
    keep[twins[0]] = keep[twins[1]]  # an accented posting goes with its folded twin's
    return keep, rng.uniform(0.8, 1.2, post.docs.size).astype(np.float32)


def _perturb_text(text: str, rng) -> str:
    words = text.split()
    keep = rng.random(len(words)) > TERM_DROP
    return " ".join(w for w, k in zip(words, keep) if k) or text


def synthetic_store(store, scale: int, *, hnsw: bool, seed: int = 0):
    """An in-memory IndexStore of ``scale`` × the passages (perturbed copies; nothing embedded)."""
    import faiss

    from assistant.indexing.lexical import LexicalIndex
    from assistant.indexing.store import HNSW_EF_CONSTRUCTION, HNSW_EF_SEARCH, HNSW_M, IndexStore

    base = store.vectors()
    n, d = base.shape
    index: faiss.Index
    if hnsw:
        index = faiss.IndexHNSWFlat(d, HNSW_M, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
        index.hnsw.efSearch = HNSW_EF_SEARCH
    else:
        index = faiss.IndexFlatIP(d)
    for c0 in range(0, scale, CHUNK):
        index.add(copy_vectors(base, range(c0, min(scale, c0 + CHUNK)), seed))
    rng = np.random.default_rng(seed)
    passages = list(store.passages)
    for c in range(1, scale):
        passages += [replace(p, id=f"{p.id}~{c}", text=_perturb_text(p.text, rng)) for p in store.passages]
    manifest = dict(
        store.manifest,
        passage_count=len(passages),
        faiss={"type": "IndexHNSWFlat" if hnsw else "IndexFlatIP"},
    )

    def lex(ix):
        return LexicalIndex(tile_postings(ix.postings, scale, seed), n * scale)

    return IndexStore(
        store.directory, manifest, passages, store.docs, index, lex(store.lexical), lex(store.lexical_units)
    )
