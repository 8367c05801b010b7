#!/usr/bin/env bash
# README command 2: set up (including the system packages the tests need), then lint, type-check and
# run the whole test suite.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# Tracked files that differ from the last commit, and how (empty outside a git checkout).
tracked_changes() {
  git -C "$ROOT" rev-parse --is-inside-work-tree >/dev/null 2>&1 || return 0
  git -C "$ROOT" status --porcelain --untracked-files=no
  git -C "$ROOT" diff HEAD | sha256sum
}
# A step must leave the checkout's tracked files as it found them (a clean clone stays clean).
require_unchanged() {
  local step="$1" before="$2" after
  after="$(tracked_changes)"
  [ "$after" = "$before" ] && return 0
  git -C "$ROOT" status --short --untracked-files=no >&2
  die "$step changed tracked files of the checkout (above); it must not. Restore them with \`git checkout -- <file>\` and report it."
}
before_setup="$(tracked_changes)"
bash "$ROOT/scripts/system-packages.sh" test
bash "$ROOT/scripts/setup.sh"
require_unchanged "setup" "$before_setup"
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
status=0
# Unit and integration tests run side by side; the browser tests run after them, so their offline and
# reconnect scenarios (timers a loaded 2-core machine stretches) do not share the processor with the
# integration suite's servers, clusters and ffmpeg runs.
fast="$(mktemp -t tandem-vitest-XXXXXX.json)"
browser="$(mktemp -t tandem-vitest-XXXXXX.json)"
npx vitest run --project unit --project integration --passWithNoTests \
  --reporter=default --reporter=json --outputFile.json="$fast" "$@" || status=$?
npx vitest run --project e2e --passWithNoTests \
  --reporter=default --reporter=json --outputFile.json="$browser" "$@" || status=$?
# One plain closing line for CI: "tests: N passed, N failed[, N skipped]".
node -e '
  const fs = require("node:fs");
  const sum = { passed: 0, failed: 0, skipped: 0 };
  for (const file of process.argv.slice(1)) {
    const r = JSON.parse(fs.readFileSync(file, "utf8"));
    sum.passed += r.numPassedTests;
    sum.failed += r.numFailedTests;
    sum.skipped += r.numPendingTests + r.numTodoTests;
  }
  console.log(`tests: ${sum.passed} passed, ${sum.failed} failed` + (sum.skipped ? `, ${sum.skipped} skipped` : ""));
' "$fast" "$browser" || echo "tests: 0 passed, 1 failed"
rm -f "$fast" "$browser"
require_unchanged "the test suite" "$before_setup"
exit "$status"
