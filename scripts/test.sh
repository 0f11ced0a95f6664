#!/usr/bin/env bash
# Set up everything the tests need on a fresh machine, then run them.
# Usage: ./scripts/test.sh [extra pytest args]
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian's Chromium for the real-browser tests (no downloaded browser).
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq && $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
fi

PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/pip install -q --upgrade pip >/dev/null
# torch first and pinned: the CPU build on this machine's disk, never a CUDA download.
.venv/bin/pip install -q "torch==2.13.0"
.venv/bin/pip install -q -e '.[test,eval,st]'
exec .venv/bin/python -m pytest -q "$@"
