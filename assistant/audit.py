"""One audit line per upload or removal: who, from where, what, and the result.

Written to the ``assistant.audit`` logger (the server log) as ``audit {json}`` so a log
reader can grep ``audit`` and parse the rest; the upload's file name is the client's own
and is JSON-escaped and cut to 200 characters, so it cannot forge another line.
"""

from __future__ import annotations

import json
import logging
from typing import Literal

__all__ = ["audit", "AUDIT_LOGGER"]

AUDIT_LOGGER = "assistant.audit"
log = logging.getLogger(AUDIT_LOGGER)

Action = Literal["upload", "remove"]


def audit(
    action: Action,
    *,
    who: str | None,
    client: str | None,
    what: str | None,
    result: str,
    via: str = "api",
    doc: str | None = None,
) -> None:
    """Log one audit line; ``result`` is "ok" or the error code that refused the action."""
    record = {
        "action": action,
        "who": who,
        "client": client,
        "via": via,
        "what": (what or "")[:200],
        "result": result,
    }
    if doc:
        record["doc"] = doc
    # refusals at WARNING so they show under the default log level of any deployment
    log.log(
        logging.INFO if result == "ok" else logging.WARNING,
        "audit %s",
        json.dumps(record, ensure_ascii=False),
    )
