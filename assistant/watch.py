"""Noticing an index published by another process, and tidying up at start.

``python -m assistant index`` swaps a new index directory in while the server runs.
The server polls the published manifest's identity (inode, mtime, size: one ``stat``)
and reloads when it changes, so the CLI's plans are served within ``watch_seconds`` and
the next upload builds on them instead of silently merging them in.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from .errors import AssistantError

__all__ = ["manifest_mark", "recover_at_start", "IndexWatcher"]

log = logging.getLogger(__name__)

MANIFEST = "manifest.json"
START_LOCK_WAIT = 2.0  # seconds: if a build holds the lock longer, that build does the recovery


def manifest_mark(index_dir: Path) -> tuple[int, int, int] | None:
    """Identity of the published manifest; a swap gives a new inode, so a rebuild is always seen."""
    try:
        st = (Path(index_dir) / MANIFEST).stat()
    except OSError:
        return None
    return (st.st_ino, st.st_mtime_ns, st.st_size)


def recover_at_start(settings) -> list[str]:
    """Under the index lock, finish or undo what a killed upload left (see ``assistant.publish``)."""
    from filelock import FileLock, Timeout

    from .publish import recover

    data = Path(settings.data_dir)
    try:
        data.mkdir(parents=True, exist_ok=True)
        with FileLock(str(data / "index.lock"), timeout=START_LOCK_WAIT):
            return recover(settings)
    except Timeout:  # a build is running: it recovers first thing under the same lock
        return []
    except OSError as e:  # a read-only data folder: nothing could have been left there by us
        log.warning("start-up recovery skipped: %s", e)
        return []


class IndexWatcher:
    """A daemon thread calling ``assistant.reload_if_changed()`` every ``interval`` seconds."""

    def __init__(self, assistant, interval: float):
        self.assistant, self.interval = assistant, interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="tlkh-index-watch", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=self.interval + 5)

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.assistant.reload_if_changed()
            except AssistantError as e:  # keep serving what is loaded; try again next tick
                log.warning("index watch: %s", e.message_en)
            except OSError as e:
                log.warning("index watch: %s", e)
