#!/usr/bin/env bash
# Builds the mediasoup C++ worker from the sources inside its npm package, offline, against Debian's
# libraries, caches the binary per (mediasoup version, contents of this directory) and installs it where
# mediasoup looks for it. See README.md next to this script.
#
# usage: build-worker.sh <installed mediasoup package dir, e.g. node_modules/mediasoup>
# env:   TANDEM_CACHE_DIR   cache root (default ~/.cache/tandem)
#        TANDEM_BUILD_JOBS  ninja -j value (default: ninja's own, cores + 2)
# stdout: the installed worker path (messages go to stderr)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# The worker prints an error and exits with this code when MEDIASOUP_VERSION is unset (src/main.cpp):
# reaching it proves the binary loads all its shared libraries and runs its static initialisers.
readonly WORKER_EXIT_NO_VERSION=41

say() { printf '\033[1;34m[tandem]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[tandem] error:\033[0m %s\n' "$*" >&2; exit 1; }

# ---------------------------------------------------------------------------------------------------
# Inputs

[ $# -eq 1 ] || die "usage: $0 <installed mediasoup package dir, e.g. node_modules/mediasoup>"
[ -d "$1" ] || die "no such directory: $1 (run npm install first, with MEDIASOUP_WORKER_BIN=skip)"
PKG="$(cd "$1" && pwd)"
if [ ! -f "$PKG/package.json" ] || [ ! -f "$PKG/worker/meson.build" ]; then
  die "$PKG is not the mediasoup npm package (expected package.json and worker/meson.build)"
fi
grep -Eq '^[[:space:]]*"name":[[:space:]]*"mediasoup"' "$PKG/package.json" ||
  die "$PKG/package.json is not mediasoup's"

# The top-level "version" is the first one in mediasoup's package.json.
VERSION="$(sed -n 's/^[[:space:]]*"version":[[:space:]]*"\([^"]*\)".*/\1/p' "$PKG/package.json" | head -n 1)"
[[ "$VERSION" =~ ^[0-9]+\.[0-9]+\.[0-9]+ ]] || die "cannot read the mediasoup version from $PKG/package.json"

# Everything here that shapes the binary: this script, the package list, patches, stand-in subprojects.
inputs_hash() {
  (
    cd "$HERE"
    uname -m
    find . -type f ! -name README.md ! -name runtime-packages.txt -print0 |
      LC_ALL=C sort -z | xargs -0 sha256sum
  ) | sha256sum | cut -c1-12
}

KEY="$VERSION-$(inputs_hash)"
[ -n "${TANDEM_CACHE_DIR:-}" ] || [ -n "${HOME:-}" ] || die "set TANDEM_CACHE_DIR or HOME (cache location)"
CACHE_ROOT="${TANDEM_CACHE_DIR:-$HOME/.cache/tandem}/mediasoup-worker"
KEY_DIR="$CACHE_ROOT/$KEY"
CACHED_BIN="$KEY_DIR/mediasoup-worker"
BUILD_ROOT="$CACHE_ROOT/$KEY.build"
TARGET="$PKG/worker/out/Release/mediasoup-worker"

# ---------------------------------------------------------------------------------------------------
# Helpers

worker_runs() {
  local bin="$1" rc=0
  [ -f "$bin" ] && [ -x "$bin" ] || return 1
  timeout 10 env -u MEDIASOUP_VERSION "$bin" >/dev/null 2>&1 || rc=$?
  [ "$rc" -eq "$WORKER_EXIT_NO_VERSION" ]
}

explain_broken_worker() {
  local bin="$1" missing
  missing="$(ldd "$bin" 2>/dev/null | grep 'not found' || true)"
  if [ -n "$missing" ]; then
    die "$bin cannot load its libraries:
$missing
Install the runtime packages listed in $HERE/runtime-packages.txt"
  fi
  die "$bin does not run (expected exit code $WORKER_EXIT_NO_VERSION without MEDIASOUP_VERSION)"
}

# Copies the cached binary into the package (atomically), where mediasoup looks by default.
install_into_package() {
  mkdir -p "$(dirname "$TARGET")"
  if ! cmp -s "$CACHED_BIN" "$TARGET"; then
    local tmp="$TARGET.tmp.$$"
    cp "$CACHED_BIN" "$tmp"
    chmod 755 "$tmp"
    mv -f "$tmp" "$TARGET"
  fi
  say "mediasoup worker $VERSION installed at $TARGET"
  printf '%s\n' "$TARGET"
}

read_package_list() {
  sed -e 's/#.*//' -e 's/[[:space:]]//g' "$1" | grep -v '^$'
}

ensure_build_packages() {
  local wanted missing=() p
  mapfile -t wanted < <(read_package_list "$HERE/build-packages.txt")
  command -v dpkg-query >/dev/null 2>&1 ||
    die "not a Debian-based system; install the equivalents of: ${wanted[*]}"
  for p in "${wanted[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" != "0" ]; then
    die "missing Debian build packages: ${missing[*]}
Install them with:
  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}"
  fi
  say "installing Debian build packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# Fresh copy of the worker sources with our subprojects and patches; never touches node_modules.
prepare_sources() {
  local src="$BUILD_ROOT/worker" p name
  rm -rf "$BUILD_ROOT"
  mkdir -p "$BUILD_ROOT"
  cp -a "$PKG/worker" "$src"
  rm -rf "$src/out"

  # The .wrap files would download sources; our stand-ins use Debian's packages instead.
  rm -f "$src"/subprojects/*.wrap
  for p in "$HERE"/subprojects/*/; do
    name="$(basename "$p")"
    rm -rf "${src:?}/subprojects/$name"
    cp -r "$p" "$src/subprojects/$name"
  done

  for p in "$HERE"/patches/*.patch; do
    # --fuzz=0: a patch whose context moved must fail, so a new mediasoup version gets looked at.
    patch -d "$src" -p1 --forward --batch --fuzz=0 --dry-run -s <"$p" >/dev/null 2>&1 ||
      die "patch $(basename "$p") does not apply to mediasoup $VERSION's worker sources.
The sources changed: check whether the fix is still needed and update $HERE/patches/."
    patch -d "$src" -p1 --forward --batch --fuzz=0 --no-backup-if-mismatch -s <"$p"
  done
  touch "$BUILD_ROOT/.sources-ready"
}

configure() {
  local log="$BUILD_ROOT/meson-setup.log"
  rm -rf "$BUILD_ROOT/build"
  if ! (cd "$BUILD_ROOT/worker" &&
    meson setup --wrap-mode=nodownload --buildtype release -Db_ndebug=true "$BUILD_ROOT/build") \
    >"$log" 2>&1; then
    tail -n 40 "$log" >&2
    die "meson setup failed (full log: $log)"
  fi
  touch "$BUILD_ROOT/.configured"
}

compile() {
  local jobs=()
  [ -n "${TANDEM_BUILD_JOBS:-}" ] && jobs=(-j "$TANDEM_BUILD_JOBS")
  # ninja resumes where an interrupted run stopped.
  ninja -C "$BUILD_ROOT/build" "${jobs[@]}" mediasoup-worker >&2 ||
    die "compiling the mediasoup worker failed (build dir: $BUILD_ROOT/build; re-run to resume)"
}

# Strips the binary and moves it into the cache in one rename, so the cache never holds half a file.
store_in_cache() {
  local tmp="$KEY_DIR/.mediasoup-worker.tmp.$$"
  mkdir -p "$KEY_DIR"
  rm -f "$KEY_DIR"/.mediasoup-worker.tmp.*
  cp "$BUILD_ROOT/build/mediasoup-worker" "$tmp"
  strip "$tmp"
  chmod 755 "$tmp"
  worker_runs "$tmp" || explain_broken_worker "$tmp"
  mv -f "$tmp" "$CACHED_BIN"
}

# Removes build directories left by interrupted builds of other keys, skipping any still being built.
prune_stale_build_dirs() {
  local dir lock
  for dir in "$CACHE_ROOT"/*.build; do
    if [ ! -d "$dir" ] || [ "$dir" = "$BUILD_ROOT" ]; then continue; fi
    lock="${dir%.build}.lock"
    (flock -n 9 && rm -rf "$dir") 9>"$lock" || true
  done
}

# ---------------------------------------------------------------------------------------------------
# Main

if worker_runs "$CACHED_BIN"; then
  say "mediasoup worker $VERSION cached ($CACHED_BIN)"
  install_into_package
  exit 0
fi

mkdir -p "$CACHE_ROOT"
# One build per key at a time; a second caller waits and then finds the binary in the cache.
exec 9>"$CACHE_ROOT/$KEY.lock"
if ! flock -n 9; then
  say "another build of mediasoup worker $VERSION is running; waiting for it"
  flock 9
fi
if worker_runs "$CACHED_BIN"; then
  say "mediasoup worker $VERSION cached ($CACHED_BIN)"
  install_into_package
  exit 0
fi
trap 'rm -f "$KEY_DIR"/.mediasoup-worker.tmp.$$ "$TARGET.tmp.$$"' EXIT

ensure_build_packages

started=$SECONDS
if [ -f "$BUILD_ROOT/.sources-ready" ] && [ -f "$BUILD_ROOT/.configured" ]; then
  say "resuming the interrupted build in $BUILD_ROOT"
else
  [ -f "$BUILD_ROOT/.sources-ready" ] || prepare_sources
  configure
fi

say "Building mediasoup worker $VERSION (takes ~5 min on 2 cores)…"
compile
store_in_cache
rm -rf "$BUILD_ROOT"
prune_stale_build_dirs
elapsed=$((SECONDS - started))
say "built mediasoup worker $VERSION in $((elapsed / 60))m$((elapsed % 60))s ($(du -h "$CACHED_BIN" | cut -f1), cached at $CACHED_BIN)"
install_into_package
