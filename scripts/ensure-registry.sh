#!/usr/bin/env bash
# Ensure a plain-HTTP Docker registry (Debian's docker-registry) answers on 127.0.0.1:5000.
# Listens on loopback only; storage under /var/lib/s2i-java-registry.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export S2I_SCRIPT=ensure-registry
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
. "$ROOT/scripts/lib/common.sh"

ADDR=127.0.0.1:5000
STORAGE=/var/lib/s2i-java-registry
CONF_DIR=/etc/s2i-java
CONF="$CONF_DIR/registry.yml"
LOG=/var/log/s2i-registry.log

registry_up() { curl -sf -m 3 -o /dev/null "http://$ADDR/v2/"; }

command -v curl >/dev/null 2>&1 || apt_install curl ca-certificates
if registry_up; then
  exit 0
fi
command -v docker-registry >/dev/null 2>&1 || apt_install docker-registry
REGISTRY=$(command -v docker-registry) || die "docker-registry not found after install"

as_root mkdir -p "$STORAGE" "$CONF_DIR"
as_root tee "$CONF" >/dev/null <<YAML
version: 0.1
log:
  level: warn
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $STORAGE
  delete:
    enabled: true
http:
  addr: $ADDR
YAML

# Something else (not answering /v2/) may hold the port.
if ss -ltn 2>/dev/null | awk '{print $4}' | grep -qx "$ADDR\|\*:5000\|0.0.0.0:5000\|\[::\]:5000"; then
  die "port 5000 is taken by something that does not answer http://$ADDR/v2/"
fi

as_root touch "$LOG"
as_root setsid nohup "$REGISTRY" serve "$CONF" >>"$LOG" 2>&1 </dev/null &

for _ in $(seq 1 50); do
  registry_up && exit 0
  sleep 0.2
done
echo "ensure-registry: registry did not answer on http://$ADDR/v2/ within 10 s; last lines of $LOG:" >&2
tail -n 20 "$LOG" >&2 || true
exit 1
