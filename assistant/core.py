"""The one ``Assistant`` used by the CLI, the HTTP API, the UI and the eval.

Loading is lazy (nothing happens until the first question). Readers take a
snapshot of the loaded state (store, retriever, catalog) in one attribute read;
writers (add/remove/reindex) serialize on a lock, build on disk (the indexing
module swaps directories atomically), load the new store, and only then replace
the snapshot — so a question in flight keeps answering from the old one.
"""

from __future__ import annotations

import hashlib
import logging
import shutil
import threading
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from assistant import browse
from assistant.answer.common import AnswerContext, Evidence, refusal
from assistant.answer.extractive import finalize
from assistant.answer.registry import answer
from assistant.errors import (
    AssistantError,
    BadQuestion,
    DocumentError,
    FileTooLarge,
    IndexMissing,
    PlanNotFound,
)
from assistant.publish import staging_box
from assistant.query import follow_up
from assistant.query.catalog import FILTER_KEYS
from assistant.records import Answer, DocMeta, Hit, Passage
from assistant.settings import Settings
from assistant.snapshot import IndexSnapshot
from assistant.textnorm import nfc
from assistant.uploads import check_plan_content, docs_with_same_content, free_name, stored_name
from assistant.watch import manifest_mark, recover_at_start

__all__ = ["Assistant", "PassageNotFound", "FILTER_KEYS"]

log = logging.getLogger(__name__)


class PassageNotFound(AssistantError, LookupError):
    code = "passage_not_found"
    status = 404


class Assistant:
    """Ask questions over the indexed plans; add, remove and reindex plans."""

    def __init__(self, settings: Settings | None = None, *, build_if_missing: bool = False, embedder=None):
        self.settings = settings or Settings()
        self.build_if_missing = build_if_missing
        self._embedder = embedder
        self._snapshot: IndexSnapshot | None = None
        self._mark: tuple | None = None  # the published manifest the snapshot came from (assistant.watch)
        self._load_lock = threading.Lock()
        self._write_lock = threading.Lock()
        self._llm: Any = None
        self._llm_loaded = False
        self._uploader = None  # what uploads embed with (assistant.embed_worker), made on first upload
        self._watching: threading.Event | None = None  # set when a shared store is watched

    # --- loading ---------------------------------------------------------------
    @property
    def embedder(self):
        if self._embedder is None:
            from assistant.indexing import get_embedder

            self._embedder = get_embedder(self.settings.embedder)
        return self._embedder

    @property
    def loaded(self) -> bool:
        """Whether an index is loaded (loading is lazy: the first question loads it)."""
        return self._snapshot is not None

    def snapshot(self) -> IndexSnapshot:
        """The loaded index (loaded now if need be): what retrieval and answering read."""
        snap = self._snapshot
        if snap is not None:
            return snap
        with self._load_lock:
            if self._snapshot is None:
                self._snapshot = self._load()
            return self._snapshot

    def _load(self) -> IndexSnapshot:
        from assistant.indexing import backend

        recover_at_start(self.settings)  # an upload killed mid-way leaves nothing behind
        # a build (index missing, or of another parser) serializes on its own file lock; taking
        # _write_lock here could deadlock with an add_plan() that waits for this load
        mark = manifest_mark(Path(self.settings.index_dir))
        store, built = backend.load_or_build(self.settings, self.embedder, may_build=self.build_if_missing)
        if built:
            mark = manifest_mark(Path(self.settings.index_dir))
        snap = self._snapshot_of(store)
        self._mark = mark
        self._watch()
        return snap

    def _watch(self) -> None:
        """With a shared store, reload when another replica publishes a new generation."""
        from assistant.indexing import backend

        if self._watching is None:
            self._watching = backend.watch(self.settings, self._on_generation)

    def _on_generation(self, generation: int) -> None:
        snap = self._snapshot
        if snap is None or snap.store.manifest.get("generation") == generation:
            return
        with self._load_lock:
            self._reload()
        log.info("serving generation %s", generation)

    def _snapshot_of(self, store: Any) -> IndexSnapshot:
        from assistant.retrieve import HybridRetriever

        return IndexSnapshot.build(store).with_retriever(
            lambda snap: HybridRetriever(store, self.embedder, self.settings, snapshot=snap)
        )

    def _reload(self) -> IndexSnapshot:
        from assistant.indexing import backend

        index_dir = Path(self.settings.index_dir)
        mark = manifest_mark(index_dir)  # taken before loading: a swap meanwhile is seen next time
        snap = self._snapshot_of(backend.load(self.settings, self.embedder.id))
        self._snapshot = snap  # one assignment: readers see the old or the new snapshot, never a mix
        self._mark = mark
        return snap

    # --- questions -------------------------------------------------------------
    def _question(self, question: Any) -> tuple[str, str | None]:
        if not isinstance(question, str) or not question.strip():
            raise BadQuestion("Hãy nhập câu hỏi.", "The question is empty.")
        q = " ".join(nfc(question).split())
        if not any(ch.isalnum() for ch in q):
            # punctuation or emoji only: nothing to search for, say so instead of citing noise
            raise BadQuestion(
                'Câu hỏi không có chữ hay số nào; hãy hỏi bằng lời, ví dụ: "Sở nào chủ trì quảng bá video clip?"',
                "The question has no letters or digits; ask in words.",
            )
        limit = self.settings.max_question_chars
        if len(q) > limit:
            cut = q.rfind(" ", 0, limit)
            cut = cut if cut > limit // 2 else limit
            return q[:cut], f"Câu hỏi dài quá {limit} ký tự nên đã được rút gọn."
        return q, None

    def _extractive(self, question: str, filters: dict | None, history) -> tuple[Answer, AnswerContext]:
        q, notice = self._question(question)
        snap = self.snapshot()
        # the one reading of the question (and of the turn it follows up on)
        user = snap.catalog.clean_filters(filters)
        query = snap.read(q)
        query = follow_up(replace(query, filters={**query.filters, **user}), history, snap.catalog)
        query.filters = {**query.filters, **user}  # the scope the official chose always holds
        if query.missing:
            assert snap.retriever is not None
            hits = list(snap.retriever.search(replace(query, filters=user), filters=user or None, k=3))
            ctx = AnswerContext(query, Evidence(hits=hits), snap.docs, snap.idf, self.settings.refuse_below)
            ans = finalize(refusal(ctx, notice=f"{query.missing}: kế hoạch này chưa được nạp vào hệ thống."))
            return self._note(ans, notice), ctx
        ans, ctx = answer(query, snap, self.settings.refuse_below)
        ans.question = question if isinstance(question, str) else q
        return self._note(ans, notice), ctx

    @staticmethod
    def _note(ans: Answer, notice: str | None) -> Answer:
        if notice:
            ans.notice = f"{notice} {ans.notice}" if ans.notice else notice
        return ans

    def ask(self, question: str, filters: dict | None = None, history: list | None = None) -> Answer:
        """Answer one question: the extractive answer, or the LLM's when configured and verified."""
        ans, ctx = self._extractive(question, filters, history)
        llm = self._llm_answerer()
        if llm is None or ans.refused:
            return ans
        return llm.answer(ctx, ans)

    def stream(
        self, question: str, filters: dict | None = None, history: list | None = None
    ) -> Iterator[Any]:
        """Yield text chunks, then the final ``Answer`` (authoritative: it may replace the streamed text)."""
        ans, ctx = self._extractive(question, filters, history)
        llm = self._llm_answerer()
        if llm is None or ans.refused:
            yield ans.answer
            yield ans
            return
        yield from llm.stream(ctx, ans)

    def _llm_answerer(self):
        if not self.settings.llm:
            return None
        if not self._llm_loaded:
            from assistant.answer.llm import LLMAnswerer

            self._llm = LLMAnswerer.from_settings(self.settings)
            self._llm_loaded = True
        return self._llm

    # --- browsing --------------------------------------------------------------
    def plans(self) -> list[DocMeta]:
        docs = self.snapshot().docs
        return [docs[d] for d in sorted(docs)]

    def units(self) -> list[dict]:
        """Every unit named in the plans: canonical name, province, aliases, task counts."""
        return browse.unit_table(self.snapshot())

    def unit_tasks(self, unit: str, province: str | None = None) -> list[dict]:
        """Every task a unit leads, coordinates or is requested to do, in plan order."""
        return browse.unit_tasks(self.snapshot(), unit, province)

    def passage(self, passage_id: str) -> Passage:
        p = self.snapshot().store.by_id.get(passage_id)
        if p is None:
            raise PassageNotFound(
                f"Không tìm thấy đoạn '{passage_id}'.",
                f"No passage '{passage_id}'.",
                hint="chỉ mục có thể đã được lập lại; hãy hỏi lại",
            )
        return p

    def search(self, query: str, filters: dict | None = None, k: int | None = None) -> list[Hit]:
        """Retrieved passages with scores, no answer composed (for agents that read for themselves)."""
        snap = self.snapshot()
        assert snap.retriever is not None, "snapshot() attaches the retriever"
        return snap.retriever.search(query, filters=snap.catalog.clean_filters(filters) or None, k=k)

    def context(self, passage_id: str) -> list[Passage]:
        """The cited passage with its section: passages of the same plan under the same top heading."""
        p = self.passage(passage_id)
        top = p.section[:1]
        return [x for x in self.snapshot().passages if x.doc == p.doc and x.section[:1] == top]

    # --- managing plans ----------------------------------------------------------
    def add_plan(self, filename: str, data: bytes, progress: Callable | None = None, actor=None) -> DocMeta:
        """Validate, store and index one uploaded plan; a broken upload never touches the index.

        The plan is staged under ``data_dir/uploads`` and published into the plan folder
        together with the new index (``assistant.publish``); its passages are embedded by
        the upload worker process (``assistant.embed_worker``) so questions keep their pace.
        """
        from assistant.indexing import add_document
        from assistant.ingest import parse_bytes

        limit = int(self.settings.max_upload_mb * 1024 * 1024)
        if len(data) > limit:
            raise FileTooLarge(
                f"Tệp quá lớn: tối đa {self.settings.max_upload_mb:g} MB.",
                f"File too large: max {self.settings.max_upload_mb:g} MB.",
            )
        name = stored_name(filename)
        parsed = parse_bytes(name, data)  # raises a DocumentError with the reason; nothing written yet
        check_plan_content(parsed, name)
        if self._shared_store():  # ``actor``: the authenticated admin, recorded as the uploader
            return self._add_to_store(name, data, parsed, progress, actor)
        with self._write_lock:
            self.reload_if_changed()  # a CLI rebuild since: check duplicates against what is published
            snap = self._snapshot_or_none()
            digest = hashlib.sha256(data).hexdigest()
            if snap is not None:
                same = {
                    doc for doc, sha in (snap.store.manifest.get("sources") or {}).items() if sha == digest
                }
                # the same plan re-saved (CRLF, BOM, another encoding) has other bytes but the same passages
                same |= docs_with_same_content(snap.passages, parsed.passages)
                if same:
                    doc = sorted(same)[0]
                    raise DocumentError(
                        f"Kế hoạch này đã được nạp ({doc}).", f"This plan is already loaded ({doc})."
                    )
            corpus = Path(self.settings.corpus_dir)
            name = free_name(corpus, name)
            # one folder per upload: the plan keeps its name, and a crash leaves a folder the sweep removes
            box = staging_box(Path(self.settings.data_dir))
            staged = box / name
            staged.write_bytes(data)
            try:
                add_document(self.settings, staged, progress=progress, embedder=self._upload_embedder())
            finally:
                shutil.rmtree(box, ignore_errors=True)
            snap = self._reload()
        return snap.docs[name]

    def _upload_embedder(self):
        from assistant.embed_worker import upload_embedder

        if self._uploader is None:
            self._uploader = upload_embedder(self.settings, self.embedder)
        return self._uploader

    def close_workers(self) -> None:
        """Stop the upload embedding worker (the server calls this at shutdown)."""
        uploader, self._uploader = self._uploader, None
        closer = getattr(uploader, "close", None)
        if closer is not None and uploader is not self._embedder:
            closer()

    def reload_if_changed(self) -> bool:
        """Load the published index again when its manifest changed (a rebuild by another process).

        Returns True when a new index was swapped in. Cheap when nothing changed: one stat.
        """
        if self._snapshot is None:
            return False
        mark = manifest_mark(Path(self.settings.index_dir))
        if mark is None or mark == self._mark:
            return False
        try:
            self._reload()
        except AssistantError as e:  # half-written by a process that died: keep serving the old one
            log.warning("published index changed but cannot be loaded yet: %s", e.message_en)
            return False
        log.warning("published index changed on disk: reloaded (%s)", self.settings.index_dir)
        return True

    def _shared_store(self) -> bool:
        from assistant.indexing import backend

        return backend.uses_pg(self.settings)

    def _add_to_store(self, name: str, data: bytes, parsed, progress: Callable | None, actor=None) -> DocMeta:
        """Upload into the shared store: its checks run under the store's writers' lock."""
        from assistant.indexing import backend
        from assistant.ingest import parse_bytes

        def parse(final: str, raw: bytes):
            return parsed if final == name else parse_bytes(final, raw)

        with self._write_lock:
            served = backend.add_upload(
                self.settings, name, data, parse, embedder=self.embedder, progress=progress, actor=actor
            )
            snap = self._reload()
        return snap.docs[served]

    def _snapshot_or_none(self) -> IndexSnapshot | None:
        try:
            return self.snapshot()
        except IndexMissing:
            return None

    def remove_plan(self, doc: str, *, actor: str | None = None) -> None:
        """Remove exactly the plan whose document id is ``doc``; anything else is PlanNotFound (404).

        No fuzzy matching here: "471-some-OTHER-plan.pdf" must never remove plan 471.
        """
        from assistant.indexing import backend

        with self._write_lock:
            self.reload_if_changed()
            snap = self.snapshot()
            if not isinstance(doc, str) or doc not in snap.docs:
                shown = str(doc)[:120]
                raise PlanNotFound(
                    f"Không có kế hoạch mang mã «{shown}» trong các kế hoạch đã nạp.",
                    f"No loaded plan has the document id '{shown}'.",
                    hint="Dùng đúng mã tệp (trường doc) trong GET /api/v1/plans.",
                )
            emb = self.embedder
            backend.remove(self.settings, doc, embedder_id=emb.id, dim=emb.dim, actor=actor)
            self._reload()

    def reindex(self, progress: Callable | None = None):
        from assistant.indexing import backend

        with self._write_lock:
            report = backend.build(self.settings, progress=progress, embedder=self.embedder)
            self._reload()
        return report

    def health(self) -> dict:
        """Status for /healthz: never builds an index (that can take minutes), only loads one."""
        info: dict[str, Any] = {
            "status": "ok",
            "embedder": self.settings.embedder,
            "llm": self.settings.llm or None,
            "index_dir": str(self.settings.index_dir),
            "corpus_dir": str(self.settings.corpus_dir),
        }
        try:
            snap = self._snapshot
            if snap is None:
                with self._load_lock:
                    if self._snapshot is None:
                        from assistant.indexing import backend

                        self._snapshot = self._snapshot_of(backend.load(self.settings, self.embedder.id))
                        self._watch()
                    snap = self._snapshot
        except AssistantError as e:
            info.update(
                status="no_index", error=e.code, message=e.message_vi, hint=e.hint, plans=0, passages=0
            )
            return info
        info.update(
            plans=len(snap.docs),
            passages=len(snap.passages),
            built_at=snap.store.manifest.get("built_at") or snap.store.manifest.get("created"),
        )
        if getattr(snap.store, "parser_stale", False):
            info.update(
                parser_stale=True,
                hint="Chỉ mục do phiên bản bộ đọc kế hoạch khác xây: chạy `python -m assistant index` "
                "để có các đoạn theo phiên bản này / built by another parser version: reindex",
            )
        if "generation" in snap.store.manifest:  # the shared PostgreSQL store
            info.update(store="postgresql", generation=snap.store.manifest["generation"])
        return info


_safe_name = stored_name  # the one upload-name policy lives in assistant.uploads
