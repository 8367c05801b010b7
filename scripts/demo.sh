#!/usr/bin/env bash
# README command 1: set up, then start Tandem on the embedded default (SQLite under ./data) with demo
# tokens enabled, printing ready-to-open links for an instructor and two students.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bash "$ROOT/scripts/setup.sh"
ensure_node
cd "$ROOT"
export DEMO="${DEMO:-1}"
# setup.sh has built the server (server/build).
exec node server/build/main.mjs
