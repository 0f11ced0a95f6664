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
import re
import shutil
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.answer.common import Evidence, plan_label, refusal
from assistant.answer.evidence import Idf
from assistant.answer.extractive import compose, finalize
from assistant.answer.gather import FILTER_KEYS, clean_filters, follow_up, gather
from assistant.answer.intent import Catalog, Query, parse_question
from assistant.errors import (
    AssistantError,
    BadQuestion,
    DocumentError,
    FileTooLarge,
    IndexMissing,
    UnsafeFileName,
)
from assistant.records import Answer, DocMeta, Passage
from assistant.settings import Settings
from assistant.textnorm import fold, nfc

__all__ = ["Assistant", "PassageNotFound", "FILTER_KEYS"]

log = logging.getLogger(__name__)


class PassageNotFound(AssistantError, LookupError):
    code = "passage_not_found"
    status = 404


@dataclass
class _State:
    store: Any
    retriever: Any
    catalog: Catalog
    idf: Idf
    metadata: dict[str, Passage] = field(default_factory=dict)  # doc → metadata passage
    order: dict[str, int] = field(default_factory=dict)  # passage id → position


def _units_module():
    try:
        from assistant.ingest import units

        return units
    except ImportError:  # ingest not installed in a trimmed build: fall back to passage metadata
        return None


def _aliases() -> dict[str, list[str]]:
    mod = _units_module()
    if mod is None or not hasattr(mod, "unit_aliases"):
        return {}
    raw = mod.unit_aliases()
    out: dict[str, list[str]] = {}
    items = raw.items() if isinstance(raw, dict) else raw
    for k, v in items:
        if isinstance(v, str):  # alias → canonical
            out.setdefault(v, []).append(k)
        else:
            out.setdefault(k, []).extend(list(v))
    return out


class Assistant:
    """Ask questions over the indexed plans; add, remove and reindex plans."""

    def __init__(self, settings: Settings | None = None, *, build_if_missing: bool = False, embedder=None):
        self.settings = settings or Settings()
        self.build_if_missing = build_if_missing
        self._embedder = embedder
        self._state: _State | None = None
        self._load_lock = threading.Lock()
        self._write_lock = threading.Lock()
        self._llm = None
        self._llm_loaded = False
        self._watching: threading.Event | None = None  # set when a shared store is watched

    # --- loading ---------------------------------------------------------------
    @property
    def embedder(self):
        if self._embedder is None:
            from assistant.indexing import get_embedder

            self._embedder = get_embedder(self.settings.embedder)
        return self._embedder

    def _ensure(self) -> _State:
        state = self._state
        if state is not None:
            return state
        with self._load_lock:
            if self._state is None:
                self._state = self._load()
            return self._state

    def _load(self) -> _State:
        from assistant.indexing import backend

        try:
            store = backend.load(self.settings, self.embedder.id)
        except IndexMissing:
            if not self.build_if_missing:
                raise
            log.info("no index at %s: building from %s", self.settings.index_dir, self.settings.corpus_dir)
            # build_index serializes on its own file lock; taking _write_lock here could deadlock
            # with an add_plan() that waits for this load
            backend.build(self.settings, embedder=self.embedder)
            store = backend.load(self.settings, self.embedder.id)
        self._watch()
        return self._state_for(store)

    def _watch(self) -> None:
        """With a shared store, reload when another replica publishes a new generation."""
        from assistant.indexing import backend

        if self._watching is None:
            self._watching = backend.watch(self.settings, self._on_generation)

    def _on_generation(self, generation: int) -> None:
        state = self._state
        if state is None or state.store.manifest.get("generation") == generation:
            return
        with self._load_lock:
            self._reload()
        log.info("serving generation %s", generation)

    def _state_for(self, store) -> _State:
        from assistant.retrieve import HybridRetriever

        mod = _units_module()
        matcher = getattr(mod, "match_unit_in_text", None) if mod else None
        catalog = Catalog.build(store.docs, store.passages, unit_matcher=matcher, aliases=_aliases())
        idf = Idf.build(p.embed_text or p.text for p in store.passages)
        metadata = {}
        for p in store.passages:
            if p.kind == "metadata":
                metadata.setdefault(p.doc, p)
        return _State(
            store=store,
            retriever=HybridRetriever(store, self.embedder, self.settings),
            catalog=catalog,
            idf=idf,
            metadata=metadata,
            order={p.id: i for i, p in enumerate(store.passages)},
        )

    def _reload(self) -> _State:
        from assistant.indexing import backend

        state = self._state_for(backend.load(self.settings, self.embedder.id))
        self._state = state  # one assignment: readers see the old or the new snapshot, never a mix
        return state

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
            return q[
                : cut if cut > limit // 2 else limit
            ], f"Câu hỏi dài quá {limit} ký tự nên đã được rút gọn."
        return q, None

    def _extractive(
        self, question: str, filters: dict | None, history
    ) -> tuple[Answer, Query, Evidence, _State]:
        q, notice = self._question(question)
        state = self._ensure()
        query = parse_question(q, state.catalog)
        query = follow_up(query, history, state.catalog)
        user = clean_filters(filters, state.catalog)
        merged = {**query.filters, **user}
        docs = state.store.docs
        if query.missing:
            hits = state.retriever.search(query.text, filters=user or None, k=3)
            ans = finalize(
                refusal(
                    query,
                    list(hits),
                    docs,
                    state.idf,
                    notice=f"{query.missing}: kế hoạch này chưa được nạp vào hệ thống.",
                )
            )
            return self._note(ans, notice), query, Evidence(hits=list(hits)), state
        ev = gather(state, query, merged, self.settings.top_k)
        ans = compose(query, ev, docs, idf=state.idf, refuse_below=self.settings.refuse_below)
        ans.question = question if isinstance(question, str) else q
        return self._note(ans, notice), query, ev, state

    @staticmethod
    def _note(ans: Answer, notice: str | None) -> Answer:
        if notice:
            ans.notice = f"{notice} {ans.notice}" if ans.notice else notice
        return ans

    def ask(self, question: str, filters: dict | None = None, history: list | None = None) -> Answer:
        """Answer one question: the extractive answer, or the LLM's when configured and verified."""
        ans, query, ev, state = self._extractive(question, filters, history)
        llm = self._llm_answerer()
        if llm is None or ans.refused:
            return ans
        return llm.answer(query, ev.hits, ans, state.store.docs)

    def stream(
        self, question: str, filters: dict | None = None, history: list | None = None
    ) -> Iterator[Any]:
        """Yield text chunks, then the final ``Answer`` (authoritative: it may replace the streamed text)."""
        ans, query, ev, state = self._extractive(question, filters, history)
        llm = self._llm_answerer()
        if llm is None or ans.refused:
            yield ans.answer
            yield ans
            return
        yield from llm.stream(query, ev.hits, ans, state.store.docs)

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
        docs = self._ensure().store.docs
        return [docs[d] for d in sorted(docs)]

    def units(self) -> list[dict]:
        """Every unit named in the plans: canonical name, province, aliases, task counts."""
        state = self._ensure()
        aliases = _aliases()
        table: dict[tuple[str, str | None], dict] = {}
        for p in state.store.passages:
            meta = state.store.docs.get(p.doc)
            prov = p.province or (meta.province if meta else None)
            for role, names in (("lead", p.lead), ("partner", p.partners), ("requested", p.requested)):
                for u in names:
                    row = table.setdefault(
                        (u, prov),
                        {
                            "name": u,
                            "province": prov,
                            "aliases": sorted(set(aliases.get(u, []))),
                            "lead_count": 0,
                            "partner_count": 0,
                            "requested_count": 0,
                        },
                    )
                    row[f"{role}_count"] += 1
        return sorted(table.values(), key=lambda r: (-(r["lead_count"] + r["partner_count"]), r["name"]))

    def _canonical(self, unit: str, province: str | None, state: _State) -> str:
        mod = _units_module()
        if mod is not None and hasattr(mod, "canonical_unit"):
            try:
                name = mod.canonical_unit(unit, province)
                if name:
                    return name
            except Exception:  # an unknown name is not an error: fall back to matching
                pass
        found = state.catalog.match_units(unit, province)
        return found[0] if found else nfc(unit).strip()

    def unit_tasks(self, unit: str, province: str | None = None) -> list[dict]:
        """Every task a unit leads, coordinates or is requested to do, in plan order."""
        if not isinstance(unit, str) or not unit.strip():
            raise BadQuestion("Hãy chọn đơn vị.", "The unit name is empty.")
        state = self._ensure()
        name = self._canonical(unit, province, state)
        docs = state.store.docs
        out = []
        for p in state.store.passages:
            meta = docs.get(p.doc)
            prov = p.province or (meta.province if meta else None)
            if province and prov and fold(prov) != fold(province):
                continue
            role = (
                "lead"
                if name in p.lead
                else "partner"
                if name in p.partners
                else "requested"
                if name in p.requested
                else None
            )
            if role is None:
                continue
            out.append(
                {
                    "unit": name,
                    "doc": p.doc,
                    "plan": plan_label(p.doc, docs),
                    "title": (meta.title if meta else "") or p.doc,
                    "section": p.section_path,
                    "text": p.text,
                    "role": role,
                    "passage_id": p.id,
                    "province": prov,
                }
            )
        return out

    def passage(self, passage_id: str) -> Passage:
        p = self._ensure().store.by_id.get(passage_id)
        if p is None:
            raise PassageNotFound(
                f"Không tìm thấy đoạn '{passage_id}'.",
                f"No passage '{passage_id}'.",
                hint="chỉ mục có thể đã được lập lại; hãy hỏi lại",
            )
        return p

    def context(self, passage_id: str) -> list[Passage]:
        """The cited passage with its section: passages of the same plan under the same top heading."""
        p = self.passage(passage_id)
        state = self._ensure()
        top = p.section[:1]
        return [x for x in state.store.passages if x.doc == p.doc and x.section[:1] == top]

    # --- managing plans ----------------------------------------------------------
    def add_plan(self, filename: str, data: bytes, progress: Callable | None = None) -> DocMeta:
        """Validate, store and index one uploaded plan; a broken upload never touches the index."""
        from assistant.indexing import add_document
        from assistant.ingest import parse_bytes

        limit = int(self.settings.max_upload_mb * 1024 * 1024)
        if len(data) > limit:
            raise FileTooLarge(
                f"Tệp quá lớn: tối đa {self.settings.max_upload_mb:g} MB.",
                f"File too large: max {self.settings.max_upload_mb:g} MB.",
            )
        name = _safe_name(filename)
        parsed = parse_bytes(name, data)  # raises a DocumentError with the reason; nothing written yet
        if self._shared_store():
            return self._add_to_store(name, data, parsed, progress)
        with self._write_lock:
            state = self._ensure_or_none()
            digest = hashlib.sha256(data).hexdigest()
            if state is not None:
                same = {
                    doc for doc, sha in (state.store.manifest.get("sources") or {}).items() if sha == digest
                }
                # the same plan re-saved (CRLF, BOM, another encoding) has other bytes but the same passages
                same |= _docs_with_same_content(state.store.passages, parsed.passages)
                if same:
                    doc = sorted(same)[0]
                    raise DocumentError(
                        f"Kế hoạch này đã được nạp ({doc}).", f"This plan is already loaded ({doc})."
                    )
            corpus = Path(self.settings.corpus_dir)
            name = _unique(corpus, name)
            uploads = Path(self.settings.data_dir) / "uploads"
            _sweep_stale_uploads(uploads)
            # one folder per upload: the plan keeps its name, and a crash leaves a folder the sweep removes
            box = uploads / uuid.uuid4().hex
            box.mkdir(parents=True)
            staged = box / name
            staged.write_bytes(data)
            dest = corpus / name
            try:
                add_document(self.settings, staged, progress=progress, embedder=self.embedder)
            except BaseException:
                dest.unlink(missing_ok=True)
                raise
            finally:
                shutil.rmtree(box, ignore_errors=True)
            state = self._reload()
        return state.store.docs[name]

    def _shared_store(self) -> bool:
        from assistant.indexing import backend

        return backend.uses_pg(self.settings)

    def _add_to_store(self, name: str, data: bytes, parsed, progress: Callable | None) -> DocMeta:
        """Upload into the shared store: its checks run under the store's writers' lock."""
        from assistant.indexing import backend
        from assistant.ingest import parse_bytes

        def parse(final: str, raw: bytes):
            return parsed if final == name else parse_bytes(final, raw)

        with self._write_lock:
            served = backend.add_upload(
                self.settings, name, data, parse, embedder=self.embedder, progress=progress
            )
            state = self._reload()
        return state.store.docs[served]

    def _ensure_or_none(self) -> _State | None:
        try:
            return self._ensure()
        except IndexMissing:
            return None

    def remove_plan(self, doc: str) -> None:
        from assistant.indexing import backend

        with self._write_lock:
            state = self._ensure()
            name = state.catalog.resolve_doc(doc) or doc
            backend.remove(self.settings, name, embedder_id=self.embedder.id, dim=self.embedder.dim)
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
            state = self._state
            if state is None:
                with self._load_lock:
                    if self._state is None:
                        from assistant.indexing import backend

                        self._state = self._state_for(backend.load(self.settings, self.embedder.id))
                        self._watch()
                    state = self._state
        except AssistantError as e:
            info.update(
                status="no_index", error=e.code, message=e.message_vi, hint=e.hint, plans=0, passages=0
            )
            return info
        info.update(
            plans=len(state.store.docs),
            passages=len(state.store.passages),
            built_at=state.store.manifest.get("built_at") or state.store.manifest.get("created"),
        )
        if "generation" in state.store.manifest:  # the shared PostgreSQL store
            info.update(store="postgresql", generation=state.store.manifest["generation"])
        return info


_SAFE = re.compile(r"[^a-z0-9._-]+")
STALE_UPLOAD_SECONDS = 24 * 3600  # far longer than any upload takes, even of a huge PDF


def _sweep_stale_uploads(uploads: Path) -> None:
    """Remove what uploads killed mid-way left behind (staged files, per-upload folders)."""
    if not uploads.is_dir():
        return
    cutoff = time.time() - STALE_UPLOAD_SECONDS
    for p in uploads.iterdir():
        try:
            if p.stat().st_mtime < cutoff:
                shutil.rmtree(p, ignore_errors=True) if p.is_dir() else p.unlink(missing_ok=True)
        except OSError:  # another process swept it first
            continue


def _content_key(passages) -> str:
    texts = sorted(" ".join(p.text.split()) for p in passages if p.kind != "metadata")
    return hashlib.sha256("\n".join(texts).encode("utf-8")).hexdigest()


def _docs_with_same_content(existing, new) -> set[str]:
    """Loaded plans whose passages (metadata card aside) are exactly the new plan's."""
    key = _content_key(new)
    by_doc: dict[str, list] = {}
    for p in existing:
        by_doc.setdefault(p.doc, []).append(p)
    return {doc for doc, ps in by_doc.items() if _content_key(ps) == key}


def _safe_name(filename: str) -> str:
    """A plain, lower-case ASCII file name that cannot leave the corpus folder."""
    if not isinstance(filename, str) or not filename.strip():
        raise UnsafeFileName("Tên tệp trống.", "Empty file name.")
    base = re.split(r"[\\/]", nfc(filename).strip())[-1]
    stem, dot, suffix = base.rpartition(".")
    if not dot:
        stem, suffix = base, ""
    stem = _SAFE.sub("-", fold(stem)).strip("-._")[:80] or f"ke-hoach-{uuid.uuid4().hex[:6]}"
    suffix = _SAFE.sub("", suffix.lower())
    if not suffix:
        raise UnsafeFileName(
            f"Tệp '{base}' không có phần mở rộng.",
            f"File '{base}' has no extension.",
            hint="dùng .pdf, .docx, .txt hoặc .md",
        )
    return f"{stem}.{suffix}"


def _unique(folder: Path, name: str) -> str:
    stem, _, suffix = name.rpartition(".")
    candidate, i = name, 2
    while (folder / candidate).exists():
        candidate = f"{stem}-{i}.{suffix}"
        i += 1
    return candidate
