"""Publishing an uploaded plan's file together with the index that contains it.

A plan folder and an index directory cannot be renamed in one step, so the file goes in
as a hidden "pending" copy (``corpus/.<name>.publish``: hidden names are never indexed)
before the index swap, and takes its real name right after. Whatever a kill -9 leaves
is decided by the live index's manifest, the one thing that changed atomically:

- the manifest lists ``<name>`` with the pending copy's hash: the swap happened, the
  rename did not: finish it (roll forward);
- otherwise the swap never happened: delete the pending copy (roll back).

:func:`recover` runs under the index lock before every build, add or removal, and when
the server starts, so no half-published upload survives into the next index.

Per-upload staging folders (``data/uploads/<pid>-<id>/``) of processes that are gone are
swept at the same moments.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import time
import uuid
from pathlib import Path

__all__ = ["PENDING_SUFFIX", "pending_path", "place_pending", "commit_pending", "recover", "staging_box"]

log = logging.getLogger(__name__)

PENDING_SUFFIX = ".publish"
STALE_UPLOAD_SECONDS = 24 * 3600  # a staging folder this old is abandoned, whoever owns it


def pending_path(corpus: Path, name: str) -> Path:
    return Path(corpus) / f".{name}{PENDING_SUFFIX}"


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def place_pending(corpus: Path, name: str, source: Path) -> Path:
    """Copy ``source`` into the plan folder under its hidden pending name, flushed to disk."""
    corpus = Path(corpus)
    corpus.mkdir(parents=True, exist_ok=True)
    final = pending_path(corpus, name)
    tmp = corpus / f".{name}.{uuid.uuid4().hex[:8]}.part"
    try:
        shutil.copyfile(source, tmp)
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        os.replace(tmp, final)
    finally:
        tmp.unlink(missing_ok=True)
    return final


def commit_pending(corpus: Path, name: str) -> Path:
    """Give the pending copy its real name (after the index swap)."""
    dest = Path(corpus) / name
    os.replace(pending_path(corpus, name), dest)
    return dest


def _manifest_sources(index_dir: Path) -> dict[str, str]:
    try:
        manifest = json.loads((Path(index_dir) / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    sources = manifest.get("sources") if isinstance(manifest, dict) else None
    return sources if isinstance(sources, dict) else {}


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    return True


def staging_box(data_dir: Path) -> Path:
    """A fresh staging folder for one upload, named after this process so a sweep knows its owner."""
    box = Path(data_dir) / "uploads" / f"{os.getpid()}-{uuid.uuid4().hex}"
    box.mkdir(parents=True)
    return box


def _sweep_uploads(uploads: Path) -> list[str]:
    removed: list[str] = []
    if not uploads.is_dir():
        return removed
    cutoff = time.time() - STALE_UPLOAD_SECONDS
    for p in uploads.iterdir():
        owner = p.name.split("-", 1)[0]
        try:
            dead = owner.isdigit() and not _alive(int(owner))
            if dead or p.stat().st_mtime < cutoff:
                shutil.rmtree(p, ignore_errors=True) if p.is_dir() else p.unlink(missing_ok=True)
                removed.append(p.name)
        except OSError:  # another process swept it first
            continue
    return removed


def recover(settings) -> list[str]:
    """Finish or undo uploads a killed process left half-published; call under the index lock.

    Returns what was done, one line per file (also logged).
    """
    corpus, index_dir = Path(settings.corpus_dir), Path(settings.index_dir)
    done: list[str] = []
    if corpus.is_dir():
        sources = None
        for p in sorted(corpus.glob(f".*{PENDING_SUFFIX}")):
            name = p.name[1 : -len(PENDING_SUFFIX)]
            if sources is None:
                sources = _manifest_sources(index_dir)
            if name and sources.get(name) == _sha256(p):
                os.replace(p, corpus / name)
                done.append(f"published {name} (the index already had it)")
            else:
                p.unlink(missing_ok=True)
                done.append(f"dropped unpublished upload {name}")
        for p in corpus.glob(".*.part"):  # a copy killed mid-way
            p.unlink(missing_ok=True)
            done.append(f"dropped partial copy {p.name}")
    done += [f"swept staging folder {n}" for n in _sweep_uploads(Path(settings.data_dir) / "uploads")]
    for line in done:
        log.warning("recovered after an interrupted upload: %s", line)
    return done
