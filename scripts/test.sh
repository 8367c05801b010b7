#!/usr/bin/env bash
# README command 2: set up (including the system packages the tests need), then lint, type-check and
# run the whole test suite.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bash "$ROOT/scripts/system-packages.sh" test
bash "$ROOT/scripts/setup.sh"
ensure_node
cd "$ROOT"
say "lint and format check"
npx biome check .
say "type check"
npx tsc -p tsconfig.json --noEmit
say "tests"
npx vitest run --project unit --project integration --project e2e "$@"
