#!/usr/bin/env bash
# Set up the assistant on a fresh machine and start it (indexes corpus/ on first run).
# Usage: ./scripts/run.sh [app.py options]
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/pip install -q --upgrade pip >/dev/null
.venv/bin/pip install -q -e .
exec .venv/bin/python app.py "$@"
