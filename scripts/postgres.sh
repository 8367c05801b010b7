#!/usr/bin/env bash
# Makes sure the tests can reach a PostgreSQL: TEST_DATABASE_URL when set, else whatever answers on
# 127.0.0.1:5432; when neither, installs Debian's `postgresql` (root only) and starts a throwaway cluster on
# 127.0.0.1:5432 as the `postgres` user the package creates (PostgreSQL refuses to run as root), with trust
# authentication and its data in a temporary directory. Prints that directory when it started one, so the
# caller can stop it with `scripts/postgres.sh stop <dir>` (scripts/test.sh does).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

answers() { (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null; }
pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }
as_postgres() {
  if [ "$(id -u)" = "0" ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

if [ "${1:-}" = "stop" ]; then
  as_postgres "$(pg_bin)/pg_ctl" -D "${2:?usage: postgres.sh stop <data dir>}" stop -m fast >/dev/null
  rm -rf "$(dirname "$2")"
  exit 0
fi
if [ -n "${TEST_DATABASE_URL:-}" ]; then exit 0; fi
if answers; then exit 0; fi

if [ -z "$(pg_bin)" ]; then
  [ "$(id -u)" = "0" ] || die "no PostgreSQL for the tests: set TEST_DATABASE_URL, start one on 127.0.0.1:5432, or install it: sudo apt-get install -y postgresql"
  say "installing Debian's postgresql for the tests"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends postgresql >/dev/null
fi
bin="$(pg_bin)"
[ -n "$bin" ] || die "postgresql is installed but its binaries were not found under /usr/lib/postgresql"

# Not root: the cluster runs as ourselves (PostgreSQL allows any user but root).
if [ "$(id -u)" = "0" ]; then
  id postgres >/dev/null 2>&1 || die "the postgres user is missing (the postgresql package creates it)"
fi

dir="$(mktemp -d -t tandem-pg-XXXXXX)"
[ "$(id -u)" = "0" ] && chown postgres "$dir"
say "starting a throwaway PostgreSQL on 127.0.0.1:5432 (data in $dir)"
as_postgres "$bin/initdb" -D "$dir/data" -U postgres -A trust >/dev/null
as_postgres "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w \
  -o "-c listen_addresses=127.0.0.1 -c port=5432 -c unix_socket_directories=$dir -c fsync=on" start >/dev/null
answers || die "PostgreSQL did not start; see $dir/log"
echo "$dir/data"
