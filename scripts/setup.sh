#!/usr/bin/env bash
# Idempotent setup: pinned Node, npm dependencies, the mediasoup worker, ffmpeg, the browser bundle.
# Quick when nothing changed (each step checks a stamp first).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

ensure_node

# 1. npm dependencies, exactly as the lockfile lists them (`npm ci`: never rewrites a tracked file); redone only
# when package files changed.
stamp="node_modules/.tandem-lock-hash"
deps_hash() { cat package.json */package.json package-lock.json | sha256sum | cut -d' ' -f1; }
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$(deps_hash)" ]; then
  say "installing npm dependencies (Node $(node -v))"
  # mediasoup's own postinstall would download a worker from the internet; we build it below instead.
  MEDIASOUP_WORKER_BIN=skip npm ci --no-audit --no-fund --loglevel=error
  deps_hash > "$stamp"
fi

# 2. The mediasoup worker, built from the sources in its npm package and cached by version.
if [ "${TANDEM_SKIP_MEDIA_BUILD:-}" != "1" ]; then
  bash scripts/mediasoup/build-worker.sh node_modules/mediasoup >/dev/null
fi

# 3. Debian packages the server runs (ffmpeg, for class recording). Without them (not root, no sudo) the rest
# still works: recording then fails to start and says why.
bash scripts/system-packages.sh runtime || say "class recording needs ffmpeg (scripts/packages/runtime.txt)"

# 4. The browser client bundle, rebuilt when its sources changed.
client_hash="$(find client shared -type f \( -name '*.ts' -o -name '*.tsx' -o -name '*.css' -o -name '*.html' -o -name '*.json' \) -not -path '*/node_modules/*' -not -path 'client/dist/*' -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1)"
cstamp="node_modules/.tandem-client-src-hash"
if [ ! -f client/dist/index.html ] || [ ! -f "$cstamp" ] || [ "$(cat "$cstamp")" != "$client_hash" ]; then
  say "building the browser client"
  npm run --silent build -w client
  echo "$client_hash" > "$cstamp"
fi

# 5. The server as plain JavaScript (server/build, scripts/build-server.mjs: a fraction of a second); npm start
# rebuilds it, so an edited checkout always runs its own code.
node scripts/build-server.mjs
