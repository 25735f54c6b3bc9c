#!/usr/bin/env bash
# Ensure a second Docker daemon answers on a loopback TCP port over TLS, with a CA, server and
# client certificates this script makes (openssl). The ITs of the docker-java transport use it:
# the TLS flags, and a build's pull, push, Dockerfile build, save, load and copy-in over TCP.
#
# It shares nothing with the main daemon that could break it: its own data root, exec root (and
# so its own containerd), pidfile, config file and cgroup parent, no unix socket, no bridge, no
# iptables. Idle it costs some 60 MB of memory; scripts/test.sh stops it when the tests end.
#
# Usage: ensure-tls-engine.sh [start|stop]   (start is the default)
# Writes $STATE/engine.env: DOCKER_HOST=tcp://127.0.0.1:PORT and CERTS=<dir> (ca.pem, cert.pem,
# key.pem for the client; other-ca.pem, a CA that signed nothing the daemon has).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export S2I_SCRIPT=ensure-tls-engine
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
. "$ROOT/scripts/lib/common.sh"

STATE=${S2I_TLS_ENGINE_DIR:-/var/lib/s2i-java-tls-engine}
EXEC_ROOT=/run/s2i-java-tls-engine
PIDFILE=$EXEC_ROOT/dockerd.pid
ADDR=127.0.0.1:23760
CERTS=$STATE/certs
LOG=/var/log/s2i-tls-dockerd.log

running_pid() {
  local pid
  pid=$(cat "$PIDFILE" 2>/dev/null || true)
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && echo "$pid"
}

if [ "${1:-start}" = stop ]; then
  pid=$(running_pid || true)
  [ -n "$pid" ] || exit 0
  as_root kill -TERM "$pid"
  for _ in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || exit 0
    sleep 0.2
  done
  die "dockerd $pid did not stop within 20 s (log: $LOG)"
fi

command -v openssl >/dev/null 2>&1 || apt_install openssl
command -v curl >/dev/null 2>&1 || apt_install curl ca-certificates
DOCKERD=$(command -v dockerd || echo /usr/sbin/dockerd)
[ -x "$DOCKERD" ] || die "dockerd not found (scripts/ensure-engine.sh installs docker.io)"

engine_up() {
  curl -sf -m 3 -o /dev/null --cacert "$CERTS/ca.pem" --cert "$CERTS/cert.pem" --key "$CERTS/key.pem" \
    "https://$ADDR/_ping"
}

make_certs() {
  local tmp
  tmp=$(mktemp -d)
  (
    cd "$tmp"
    ec_key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }
    ec_key ca-key.pem
    openssl req -x509 -new -key ca-key.pem -days 3650 -subj "/CN=s2i-java test TLS engine CA" -out ca.pem
    ec_key other-ca-key.pem
    openssl req -x509 -new -key other-ca-key.pem -days 3650 -subj "/CN=s2i-java unrelated CA" -out other-ca.pem
    ec_key server-key.pem
    openssl req -new -key server-key.pem -subj "/CN=localhost" -out server.csr
    printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n' > server.ext
    openssl x509 -req -in server.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -days 3650 \
      -extfile server.ext -out server-cert.pem 2>/dev/null
    # The client key in openssl's traditional PKCS#1 form, as Docker's documentation makes it.
    openssl genrsa -traditional -out key.pem 2048 2>/dev/null
    openssl req -new -key key.pem -subj "/CN=s2i-java test client" -out client.csr
    printf 'extendedKeyUsage=clientAuth\n' > client.ext
    openssl x509 -req -in client.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -days 3650 \
      -extfile client.ext -out cert.pem 2>/dev/null
    rm -f ./*.csr ./*.ext ./*.srl other-ca-key.pem
    chmod 0644 ./*.pem
    chmod 0600 ca-key.pem server-key.pem
  )
  as_root mkdir -p "$STATE"
  as_root rm -rf "$CERTS"
  as_root mv "$tmp" "$CERTS"
  as_root chmod 0755 "$CERTS"
}

[ -s "$CERTS/ca.pem" ] && [ -s "$CERTS/cert.pem" ] && [ -s "$CERTS/server-cert.pem" ] || make_certs
as_root tee "$STATE/engine.env" >/dev/null <<EOF
DOCKER_HOST=tcp://$ADDR
CERTS=$CERTS
EOF

engine_up && exit 0

if [ -z "$(running_pid || true)" ]; then
  if ss -ltn 2>/dev/null | awk '{print $4}' | grep -qx "$ADDR"; then
    die "port $ADDR is taken by something that is not this script's daemon"
  fi
  as_root mkdir -p "$STATE/data" "$EXEC_ROOT"
  echo '{}' | as_root tee "$STATE/daemon.json" >/dev/null
  as_root touch "$LOG"
  as_root setsid nohup "$DOCKERD" \
    --data-root "$STATE/data" --exec-root "$EXEC_ROOT" --pidfile "$PIDFILE" \
    --config-file "$STATE/daemon.json" --cgroup-parent /s2i-java-tls-engine \
    -H "tcp://$ADDR" --tlsverify --tlscacert "$CERTS/ca.pem" \
    --tlscert "$CERTS/server-cert.pem" --tlskey "$CERTS/server-key.pem" \
    --bridge=none --iptables=false --ip-forward=false --ip-masq=false --userland-proxy=false \
    >>"$LOG" 2>&1 </dev/null &
fi

for _ in $(seq 1 150); do
  engine_up && exit 0
  sleep 0.2
done
echo "ensure-tls-engine: the TLS daemon did not answer on https://$ADDR within 30 s; last lines of $LOG:" >&2
tail -n 20 "$LOG" >&2 || true
exit 1
