#!/usr/bin/env bash
# Ensure a Docker engine answers on the default socket. If none does, install Debian's
# docker.io when dockerd is missing and start dockerd in the background without bridge
# networking (containers then only have loopback). Log: /var/log/s2i-dockerd.log
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export S2I_SCRIPT=ensure-engine
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
. "$ROOT/scripts/lib/common.sh"

LOG=/var/log/s2i-dockerd.log

engine_up() { timeout 5 docker info >/dev/null 2>&1; }

if command -v docker >/dev/null 2>&1 && engine_up; then
  exit 0
fi

if ! command -v dockerd >/dev/null 2>&1 && [ ! -x /usr/sbin/dockerd ]; then
  apt_install docker.io
fi
DOCKERD=$(command -v dockerd || echo /usr/sbin/dockerd)
[ -x "$DOCKERD" ] || die "dockerd not found after installing docker.io"
command -v docker >/dev/null 2>&1 || die "docker CLI not found on PATH"

# Start a daemon only when none is running (a running one may just be slow to answer).
if ! pgrep -x dockerd >/dev/null 2>&1; then
  as_root touch "$LOG" || die "cannot write $LOG"
  as_root setsid nohup "$DOCKERD" --bridge=none --iptables=false --ip-forward=false \
    >>"$LOG" 2>&1 </dev/null &
fi

for _ in $(seq 1 60); do
  engine_up && exit 0
  sleep 1
done

echo "ensure-engine: docker daemon did not answer within 60 s; last lines of $LOG:" >&2
tail -n 20 "$LOG" >&2 || true
exit 1
