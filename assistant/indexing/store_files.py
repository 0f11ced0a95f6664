"""An index directory's files: their names, the format versions, writing them and checking them.

``write_index`` writes every component of a fresh directory, the manifest last (sizes, sha256,
format, normaliser, tokenizer and parser versions, the embedder); ``check_manifest`` and
``verify_files`` refuse, before anything is read, an index this software cannot serve as built.
Reading and searching the components is ``store.IndexStore``.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from .. import __version__
from ..errors import IndexCorrupt, IndexMismatch
from ..records import SCHEMA_VERSION, DocMeta, Passage
from ..textnorm import NORMALISER_VERSION
from .cache import parser_fingerprint
from .lexical import LexicalIndex, lexical_tokens, lexical_version

__all__ = [
    "FORMAT_VERSION",
    "INDEX_COMMAND",
    "MANIFEST",
    "PASSAGES",
    "DOCS",
    "DENSE",
    "LEX_TEXT",
    "LEX_UNITS",
    "HNSW_M",
    "HNSW_EF_CONSTRUCTION",
    "HNSW_EF_SEARCH",
    "lexical_text",
    "unit_text",
    "passage_tokens",
    "file_sha256",
    "corrupt",
    "write_index",
    "check_manifest",
    "verify_files",
]

FORMAT_VERSION = 2  # 2: the lexical fields are our postings (were bm25s files)
INDEX_COMMAND = "python -m assistant index"
MANIFEST, PASSAGES, DOCS, DENSE = "manifest.json", "passages.jsonl", "docs.json", "dense.faiss"
LEX_TEXT, LEX_UNITS = "lexical", "lexical_units"
HNSW_M, HNSW_EF_CONSTRUCTION, HNSW_EF_SEARCH = 32, 64, 96


def lexical_text(p: Passage) -> str:
    """What the BM25 text field sees: title + heading path + text (as the embedder does)."""
    return p.embed_text or " \n".join([*p.section, p.text])


def unit_text(p: Passage) -> str:
    return " ; ".join([*p.lead, *p.partners])


def passage_tokens(p: Passage) -> tuple[list[str], list[str]]:
    """The BM25 tokens of a passage's two fields (text, unit names), as every store indexes them."""
    return lexical_tokens(lexical_text(p)), lexical_tokens(unit_text(p))


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _rebuild_hint() -> str:
    return f"chạy `{INDEX_COMMAND}` để xây lại chỉ mục"


def corrupt(what_vi: str, what_en: str) -> IndexCorrupt:
    return IndexCorrupt(f"Chỉ mục bị hỏng: {what_vi}.", f"Index is corrupt: {what_en}.", hint=_rebuild_hint())


def _mismatch(what_vi: str, what_en: str, hint: str | None = None) -> IndexMismatch:
    return IndexMismatch(
        f"Chỉ mục không khớp với phần mềm/cấu hình hiện tại: {what_vi}.",
        f"Index does not match the current software/configuration: {what_en}.",
        hint=hint or _rebuild_hint(),
    )


def write_index(
    directory: Path,
    passages: Sequence[Passage],
    docs: Sequence[DocMeta],
    vectors: np.ndarray,
    *,
    embedder_id: str,
    dim: int,
    sources: dict[str, str],
    ann_threshold: int,
    build_seconds: float = 0.0,
    extra: dict[str, Any] | None = None,
) -> dict:
    """Write every component into ``directory`` (a fresh temp dir), manifest last; returns it."""
    import faiss

    directory.mkdir(parents=True, exist_ok=True)
    vectors = np.ascontiguousarray(vectors, dtype=np.float32).reshape(len(passages), dim)
    with open(directory / PASSAGES, "w", encoding="utf-8") as f:
        for p in passages:
            f.write(json.dumps(p.to_dict(), ensure_ascii=False) + "\n")
    (directory / DOCS).write_text(
        json.dumps({"docs": [d.to_dict() for d in docs]}, ensure_ascii=False, indent=1), encoding="utf-8"
    )

    index: faiss.Index
    if len(passages) > ann_threshold:
        index = faiss.IndexHNSWFlat(dim, HNSW_M, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
        index.hnsw.efSearch = HNSW_EF_SEARCH
        faiss_info = {
            "type": "IndexHNSWFlat",
            "metric": "inner_product",
            "M": HNSW_M,
            "efConstruction": HNSW_EF_CONSTRUCTION,
            "efSearch": HNSW_EF_SEARCH,
        }
    else:
        index = faiss.IndexFlatIP(dim)
        faiss_info = {"type": "IndexFlatIP", "metric": "inner_product"}
    if len(passages):
        index.add(vectors)
    faiss.write_index(index, str(directory / DENSE))

    written = [PASSAGES, DOCS, DENSE]
    for sub, text_of in ((LEX_TEXT, lexical_text), (LEX_UNITS, unit_text)):
        lex = LexicalIndex.build(lexical_tokens(text_of(p)) for p in passages)
        written += [f"{sub}/{name}" for name in lex.save(directory / sub)]

    files = {}
    for rel in written:
        path = directory / rel
        _fsync(path)
        files[rel] = {"sha256": file_sha256(path), "bytes": path.stat().st_size}
    manifest = {
        "format_version": FORMAT_VERSION,
        "package_version": __version__,
        "schema_version": SCHEMA_VERSION,
        "normaliser_version": NORMALISER_VERSION,
        "lexical_version": lexical_version(),
        # the parser that made these passages: an index of another parser still serves, but
        # answers from it are that parser's (``IndexStore.parser_stale``)
        "parser_fingerprint": parser_fingerprint(),
        "embedder": {"id": embedder_id, "dim": int(dim)},
        "faiss": faiss_info,
        "ann_threshold": int(ann_threshold),
        "passage_count": len(passages),
        "doc_count": len(docs),
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "build_seconds": round(build_seconds, 3),
        "sources": dict(sorted(sources.items())),
        "files": files,
        **(extra or {}),
    }
    tmp = directory / (MANIFEST + ".part")
    tmp.write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    _fsync(tmp)
    os.replace(tmp, directory / MANIFEST)
    return manifest


def check_manifest(manifest: dict, embedder_id: str | None) -> None:
    """Refuse an index of another format, normaliser, tokenizer or embedder than this software's."""
    fv, emb = manifest["format_version"], manifest["embedder"]
    if fv != FORMAT_VERSION:
        raise _mismatch(
            f"định dạng chỉ mục là {fv}, phần mềm cần {FORMAT_VERSION}",
            f"index format {fv}, software needs {FORMAT_VERSION}",
        )
    if manifest.get("normaliser_version") != NORMALISER_VERSION:
        raise _mismatch(
            f"bộ chuẩn hóa văn bản phiên bản {manifest.get('normaliser_version')}, phần mềm dùng {NORMALISER_VERSION}",
            f"text normaliser version {manifest.get('normaliser_version')}, software uses {NORMALISER_VERSION}",
        )
    if manifest.get("lexical_version") != lexical_version():
        raise _mismatch(
            f"bộ tách từ/bảng viết tắt {manifest.get('lexical_version')}, hiện tại {lexical_version()}",
            f"lexical tokenizer/abbreviations {manifest.get('lexical_version')}, current {lexical_version()}",
        )
    if embedder_id is not None and emb.get("id") != embedder_id:
        raise _mismatch(
            f"chỉ mục được xây bằng mô hình nhúng '{emb.get('id')}', cấu hình hiện dùng '{embedder_id}'",
            f"index was built with embedder '{emb.get('id')}', configuration uses '{embedder_id}'",
            hint=f"chạy `{INDEX_COMMAND}` để xây lại với '{embedder_id}', "
            f"hoặc đặt TLKH_EMBEDDER={emb.get('id')} để dùng chỉ mục cũ",
        )


def verify_files(index_dir: Path, files: dict) -> None:
    """Every file the manifest lists is there, of its size and sha256: a cut or altered file is damage."""
    for rel, info in files.items():
        path = index_dir / rel
        if not path.is_file():
            raise corrupt(f"thiếu tệp {rel}", f"missing file {rel}")
        if path.stat().st_size != info.get("bytes") or file_sha256(path) != info.get("sha256"):
            raise corrupt(
                f"tệp {rel} bị cắt cụt hoặc bị sửa (sai mã kiểm tra)",
                f"file {rel} is truncated or altered (checksum mismatch)",
            )
