#!/usr/bin/env bash
# Installs the Debian packages a purpose needs (`test`: the browser and ffmpeg for the tests; `runtime`: what
# the server runs, ffmpeg for recording), only when missing. The mediasoup worker's build packages are handled by scripts/mediasoup/build-worker.sh.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
purpose="${1:?usage: system-packages.sh test|runtime}"
list="$ROOT/scripts/packages/$purpose.txt"
[ -f "$list" ] || die "no package list $list"
mapfile -t wanted < <(grep -v '^\s*#' "$list" | grep -v '^\s*$')
missing=()
for p in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != "0" ]; then
  die "missing Debian packages: ${missing[*]}. Install them with: sudo apt-get update && sudo apt-get install -y ${missing[*]}"
fi
say "installing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
