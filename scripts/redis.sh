#!/usr/bin/env bash
# Makes sure the tests can reach a Redis, and prints the URL they should use: TEST_REDIS_URL when set, else
# redis://127.0.0.1:6379 when something answers PING there; when neither, installs Debian's `redis-server`
# (root only) and starts a throwaway one on a free port, without persistence, its files in a temporary
# directory. Prints `<url> <dir>` when it started one, so the caller can stop it with
# `scripts/redis.sh stop <dir>` (scripts/test.sh does).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# PING over bash's /dev/tcp: no redis-cli needed to find out whether one answers.
pings() {
  local reply=""
  { exec 3<>"/dev/tcp/127.0.0.1/$1"; } 2>/dev/null || return 1
  printf 'PING\r\n' >&3
  read -r -t 2 reply <&3 || true
  exec 3>&- 3<&-
  [ "${reply%$'\r'}" = "+PONG" ]
}
free_port() { node -e 'const s=require("node:net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }

if [ "${1:-}" = "stop" ]; then
  dir="${2:?usage: redis.sh stop <dir>}"
  if [ -f "$dir/pid" ]; then kill "$(cat "$dir/pid")" 2>/dev/null || true; fi
  rm -rf "$dir"
  exit 0
fi
if [ -n "${TEST_REDIS_URL:-}" ]; then echo "$TEST_REDIS_URL"; exit 0; fi
if pings 6379; then echo "redis://127.0.0.1:6379"; exit 0; fi

if ! command -v redis-server >/dev/null 2>&1; then
  [ "$(id -u)" = "0" ] || die "no Redis for the tests: set TEST_REDIS_URL, start one on 127.0.0.1:6379, or install it: sudo apt-get install -y redis-server"
  say "installing Debian's redis-server for the tests"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends redis-server >/dev/null
fi

dir="$(mktemp -d -t tandem-redis-XXXXXX)"
port="$(free_port)"
say "starting a throwaway Redis on 127.0.0.1:$port (no persistence, files in $dir)"
redis-server --bind 127.0.0.1 --port "$port" --save '' --appendonly no --dir "$dir" \
  --daemonize yes --pidfile "$dir/pid" --logfile "$dir/log" >/dev/null
for _ in $(seq 50); do pings "$port" && break; sleep 0.1; done
pings "$port" || die "Redis did not start; see $dir/log"
echo "redis://127.0.0.1:$port $dir"
