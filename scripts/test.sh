#!/usr/bin/env bash
# README command 2: set up (including the system packages the tests need), then lint, type-check and
# run the whole test suite.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bash "$ROOT/scripts/system-packages.sh" test
bash "$ROOT/scripts/setup.sh"
ensure_node
cd "$ROOT"
say "PostgreSQL for the tests"
pg_cluster="$(bash "$ROOT/scripts/postgres.sh")"
if [ -n "$pg_cluster" ]; then
  trap 'bash "$ROOT/scripts/postgres.sh" stop "$pg_cluster"' EXIT
fi
say "Redis for the tests"
read -r redis_url redis_dir < <(bash "$ROOT/scripts/redis.sh")
export TEST_REDIS_URL="$redis_url"
if [ -n "${redis_dir:-}" ]; then
  trap 'bash "$ROOT/scripts/redis.sh" stop "$redis_dir"; [ -z "$pg_cluster" ] || bash "$ROOT/scripts/postgres.sh" stop "$pg_cluster"' EXIT
fi
say "lint and format check"
npx biome check .
say "type check"
npx tsc -p tsconfig.json --noEmit
say "tests"
results="$(mktemp -t tandem-vitest-XXXXXX.json)"
status=0
npx vitest run --project unit --project integration --project e2e \
  --reporter=default --reporter=json --outputFile.json="$results" "$@" || status=$?
# One plain closing line for CI: "tests: N passed, N failed[, N skipped]".
node -e '
  const r = JSON.parse(require("node:fs").readFileSync(process.argv[1], "utf8"));
  const skipped = r.numPendingTests + r.numTodoTests;
  console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed` + (skipped ? `, ${skipped} skipped` : ""));
' "$results" || echo "tests: 0 passed, 1 failed"
rm -f "$results"
exit "$status"
