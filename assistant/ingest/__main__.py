"""`python -m assistant.ingest FILE [--json]` — check how a plan is read (for developers)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..errors import AssistantError
from . import parse_file
from .inspect import render, to_json


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m assistant.ingest")
    ap.add_argument("file", type=Path)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    try:
        parsed = parse_file(args.file)
    except AssistantError as e:
        print(e.user_message(), file=sys.stderr)
        return 2
    print(json.dumps(to_json(parsed), ensure_ascii=False, indent=1) if args.json else render(parsed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
