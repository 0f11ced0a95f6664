"""Building the index: full builds, adding and removing one plan.

Every build runs under a file lock in ``data_dir`` (so two builds serialize), writes
into a temporary directory beside ``index_dir`` and swaps it in with renames: a build
that fails or is killed leaves the previous index serving. Vectors come from the
embedding cache (or, failing that, from the live index) so only new text is embedded.
What a build reads (plan files, parses, vectors) and reports is ``build_inputs``.
"""

from __future__ import annotations

import logging
import os
import shutil
import time
import uuid
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from ..errors import (
    AssistantError,
    ConfigError,
    IndexBusy,
    IndexCorrupt,
    IndexMismatch,
    IndexMissing,
    PlanNotFound,
)
from ..publish import commit_pending, place_pending, recover
from ..records import DocMeta, ParsedDoc, Passage
from .build_inputs import (
    EMBED_BATCH,
    BuildReport,
    Progress,
    corpus_files,
    dedupe,
    embedding_cache,
    error_text,
    parse_cached,
    vectors_for,
)
from .cache import ParseCache, text_key
from .embedders import Embedder, get_embedder
from .store import IndexStore, file_sha256, write_index

__all__ = [
    "BuildReport",
    "Progress",
    "build_index",
    "add_document",
    "remove_document",
    "corpus_files",
    "tqdm_progress",
    "LOCK_TIMEOUT",
    "EMBED_BATCH",
]

log = logging.getLogger(__name__)

LOCK_TIMEOUT = 1800.0  # seconds a build waits for another build before IndexBusy


# --- locking, temp dirs, swap --------------------------------------------------
class _Locked:
    def __init__(self, settings) -> None:
        from filelock import FileLock, Timeout

        Path(settings.data_dir).mkdir(parents=True, exist_ok=True)
        self._timeout = Timeout
        self._lock = FileLock(str(Path(settings.data_dir) / "index.lock"), timeout=LOCK_TIMEOUT)

    def __enter__(self):
        try:
            self._lock.acquire()
        except self._timeout as e:
            raise IndexBusy(
                "Một tiến trình khác đang lập chỉ mục; hãy thử lại sau.",
                "Another process is building the index; try again later.",
            ) from e
        return self

    def __exit__(self, *exc) -> None:
        self._lock.release()


def _tidy(index_dir: Path) -> None:
    """Under the lock: put back an index left aside by a swap that was killed, drop temp dirs."""
    parent = index_dir.parent
    if not parent.is_dir():
        return
    olds = sorted(parent.glob(f".{index_dir.name}.old-*"), key=lambda p: p.stat().st_mtime)
    if not index_dir.exists() and olds and (olds[-1] / "manifest.json").is_file():
        os.rename(olds[-1], index_dir)
        olds = olds[:-1]
    for p in [*olds, *parent.glob(f".{index_dir.name}.tmp-*")]:
        shutil.rmtree(p, ignore_errors=True)


def _swap(tmp: Path, index_dir: Path) -> None:
    olds: list[Path] = []
    for _ in range(5):
        if index_dir.exists():
            olds.append(index_dir.with_name(f".{index_dir.name}.old-{uuid.uuid4().hex[:8]}"))
            os.rename(index_dir, olds[-1])
        try:
            os.rename(tmp, index_dir)
            break
        except OSError:
            # a reader that waited out our two renames too long (a loaded machine) took the old
            # index back as after a crashed build (store._restore_after_crashed_swap): move it
            # aside again and finish the swap
            if not index_dir.exists():
                raise
    else:
        raise OSError(f"could not swap {tmp} into {index_dir}")
    for old in olds:
        shutil.rmtree(old, ignore_errors=True)


def _write_and_swap(
    settings,
    passages: list[Passage],
    docs: list[DocMeta],
    vectors: np.ndarray,
    embedder_id: str,
    dim: int,
    sources: dict[str, str],
    t0: float,
    report: BuildReport,
    progress: Progress | None,
) -> None:
    index_dir = Path(settings.index_dir)
    index_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = index_dir.with_name(f".{index_dir.name}.tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}")
    try:
        manifest = write_index(
            tmp,
            passages,
            docs,
            vectors,
            embedder_id=embedder_id,
            dim=dim,
            sources=sources,
            ann_threshold=settings.ann_threshold,
            build_seconds=time.perf_counter() - t0,
        )
        # check what we wrote the way a reader will, before it goes live
        IndexStore.load(tmp, embedder_id)
        _swap(tmp, index_dir)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    report.docs, report.passages = len(docs), len(passages)
    report.faiss_type = manifest["faiss"]["type"]
    report.index_dir = str(index_dir)
    report.seconds = time.perf_counter() - t0
    if progress:
        progress(len(passages), len(passages), "xong")


# --- public operations ---------------------------------------------------------
def _full_build(
    settings,
    embedder: Embedder,
    progress: Progress | None,
    t0: float,
    report: BuildReport,
    extra: Sequence[Path] = (),
) -> BuildReport:
    """Index every plan of the corpus, plus ``extra`` files (an upload being published)."""
    names = {p.name for p in extra}
    files = [f for f in corpus_files(Path(settings.corpus_dir)) if f.name not in names] + list(extra)
    parsed: list[tuple[Path, ParsedDoc]] = []
    sources: dict[str, str] = {}
    for f in files:
        try:
            sha = file_sha256(f)
            parsed.append((f, parse_cached(settings, f, sha)))
            sources[f.name] = sha
        except (AssistantError, OSError) as e:  # one unreadable plan must not stop the others
            log.warning("not indexed: %s: %s", f.name, e)
            report.errors.append((f.name, error_text(e)))
    if not parsed:
        detail = "; ".join(f"{n}: {m}" for n, m in report.errors) or "thư mục trống"
        raise ConfigError(
            f"Không có kế hoạch nào lập chỉ mục được trong {settings.corpus_dir} ({detail}).",
            f"No plan in {settings.corpus_dir} could be indexed ({detail}).",
            hint="chép các kế hoạch (.txt .md .pdf .docx) vào thư mục rồi chạy lại",
        )
    passages = dedupe([p for _, d in parsed for p in d.passages])
    docs = [d.meta for _, d in parsed]
    vectors = vectors_for(passages, embedder, embedding_cache(settings, embedder), report, progress)
    _write_and_swap(
        settings, passages, docs, vectors, embedder.id, embedder.dim, sources, t0, report, progress
    )
    ParseCache(Path(settings.data_dir) / "cache" / "parsed").prune(sources.items())
    return report


def build_index(
    settings, *, progress: Progress | None = None, embedder: Embedder | None = None
) -> BuildReport:
    """Index every plan in ``settings.corpus_dir``; plans that fail to parse are reported, not fatal."""
    t0 = time.perf_counter()
    embedder = embedder or get_embedder(settings.embedder)
    with _Locked(settings):
        _tidy(Path(settings.index_dir))
        recover(settings)
        return _full_build(settings, embedder, progress, t0, BuildReport("build"))


def _live(settings, embedder_id: str) -> IndexStore | None:
    try:
        return IndexStore.load(Path(settings.index_dir), embedder_id)
    except (IndexMissing, IndexMismatch, IndexCorrupt) as e:
        log.info("no usable live index (%s): full build", e.message_en)
        return None


def _live_vectors(store: IndexStore, positions: list[int]) -> dict[str, np.ndarray]:
    if not positions:
        return {}
    vecs = store.vectors(positions)
    return {
        text_key(store.passages[i].embed_text or store.passages[i].text): v for i, v in zip(positions, vecs)
    }


def add_document(
    settings, path: Path, *, progress: Progress | None = None, embedder: Embedder | None = None
) -> BuildReport:
    """Index one plan (new, or a new version of one already indexed) without re-embedding the others.

    A file from elsewhere (an upload's staging folder) is published into
    ``settings.corpus_dir`` together with the index (see ``assistant.publish``): a kill
    at any point leaves either the old index and no file, or the new index and the file.
    Parse errors are raised (nothing changes).
    """
    t0 = time.perf_counter()
    path = Path(path)
    embedder = embedder or get_embedder(settings.embedder)
    with _Locked(settings):
        index_dir = Path(settings.index_dir)
        _tidy(index_dir)
        recover(settings)
        sha = file_sha256(path)
        parsed = parse_cached(settings, path, sha)
        corpus = Path(settings.corpus_dir)
        name = path.name
        dest = corpus / name
        outside = not dest.exists() or dest.resolve() != path.resolve()
        report = BuildReport("add")
        live = _live(settings, embedder.id)
        try:
            if outside:
                place_pending(corpus, name, path)
            if live is None:
                _full_build(settings, embedder, progress, t0, report, extra=[path] if outside else [])
            else:
                keep = [i for i, p in enumerate(live.passages) if p.doc != name]
                passages = dedupe([live.passages[i] for i in keep] + list(parsed.passages))
                docs = [m for d, m in live.docs.items() if d != name] + [parsed.meta]
                sources = {k: v for k, v in live.manifest.get("sources", {}).items() if k != name}
                sources[name] = sha
                vectors = vectors_for(
                    passages,
                    embedder,
                    embedding_cache(settings, embedder),
                    report,
                    progress,
                    fallback=_live_vectors(live, keep),
                )
                _write_and_swap(
                    settings,
                    passages,
                    docs,
                    vectors,
                    embedder.id,
                    embedder.dim,
                    sources,
                    t0,
                    report,
                    progress,
                )
            if outside:
                commit_pending(corpus, name)
        except BaseException:
            recover(settings)  # the pending copy goes, or is published if the swap made it
            raise
        return report


def remove_document(settings, doc_name: str) -> BuildReport:
    """Drop one plan from the index (no embedding at all); its file moves to ``data_dir/removed/``."""
    t0 = time.perf_counter()
    with _Locked(settings):
        index_dir = Path(settings.index_dir)
        _tidy(index_dir)
        recover(settings)
        live = IndexStore.load(index_dir)
        if doc_name not in live.docs and not any(p.doc == doc_name for p in live.passages):
            raise PlanNotFound(
                f"Không có kế hoạch '{doc_name}' trong chỉ mục.",
                f"Plan '{doc_name}' is not in the index.",
                hint="xem danh sách kế hoạch đã nạp",
            )
        keep = [i for i, p in enumerate(live.passages) if p.doc != doc_name]
        passages = [live.passages[i] for i in keep]
        docs = [m for d, m in live.docs.items() if d != doc_name]
        sources = {k: v for k, v in live.manifest.get("sources", {}).items() if k != doc_name}
        vectors = live.vectors(keep) if keep else np.zeros((0, live.dense.d), np.float32)
        report = BuildReport("remove", cache_hits=len(keep))
        _write_and_swap(
            settings,
            passages,
            docs,
            vectors,
            live.embedder_id,
            int(live.manifest["embedder"]["dim"]),
            sources,
            t0,
            report,
            None,
        )
        src = Path(settings.corpus_dir) / doc_name
        if src.is_file():
            # keep the file (nothing is lost), but out of the corpus so a rebuild does not re-add it
            removed = Path(settings.data_dir) / "removed"
            removed.mkdir(parents=True, exist_ok=True)
            shutil.move(str(src), removed / f"{time.strftime('%Y%m%d-%H%M%S')}-{doc_name}")
        return report


def tqdm_progress(desc: str = "Lập chỉ mục") -> Progress:
    """A progress callback drawing a tqdm bar in passages/s (for the CLI)."""
    from tqdm import tqdm

    state: dict = {}

    def cb(done: int, total: int, note: str) -> None:
        bar = state.get("bar")
        if bar is None:
            bar = state["bar"] = tqdm(
                total=total, desc=desc, unit="đoạn", unit_scale=False, dynamic_ncols=True
            )
        if bar.total != total:
            bar.total = total
        bar.set_postfix_str(note, refresh=False)
        bar.update(done - bar.n)
        if done >= total and note == "xong":
            bar.close()

    return cb
