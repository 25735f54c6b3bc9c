#!/usr/bin/env bash
# One-command benchmark of `s2i build` against `docker build` and the raw engine floor.
# Builds the CLI (offline) and its class-data archive, the fixture base image and the bench
# builder, generates the workloads, times them and writes bench/RESULTS.md.
# Usage: bench/run.sh [--runs N (default 5)] [--only startup,W1,W2,W3,W4,W5] [--no-build] [--out FILE]
# Env: BENCH_WORK (workload dir, default /tmp/s2i-bench), BENCH_FETCH_MBPS (W3 simulated
#      download rate, default 50), BENCH_DAEMONLESS_ENGINE (W5 engine id, default oci),
#      BENCH_ENGINE=private (default: a second dockerd of its own, started for the run and stopped
#      after it, so that other users of the machine's daemon neither remove our containers nor see
#      them) or shared (the daemon at DOCKER_HOST / /var/run/docker.sock).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export S2I_SCRIPT=bench
# shellcheck source-path=SCRIPTDIR source=../scripts/lib/common.sh
. "$ROOT/scripts/lib/common.sh"

BUILD=1
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --no-build) BUILD=0 ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    *) args+=("$1") ;;
  esac
  shift
done

command -v python3 >/dev/null 2>&1 || die "python3 not found; install it (apt-get install python3)"
command -v strace >/dev/null 2>&1 || apt_install strace

bash "$ROOT/scripts/ensure-engine.sh"
if [ "${BENCH_ENGINE:-private}" = private ]; then
  # Same dockerd binary, flags and storage driver as scripts/ensure-engine.sh; own state and socket.
  state=/var/lib/s2i-bench-docker
  run=/run/s2i-bench-docker
  sock="$run/docker.sock"
  export DOCKER_HOST="unix://$sock" BENCH_ENGINE_NOTE="a private dockerd for the benchmark (same binary and flags as the shared one, own data root)"
  as_root mkdir -p "$state" "$run"
  if ! timeout 5 docker info >/dev/null 2>&1; then
    echo "bench: starting a private dockerd at $sock (log $run/dockerd.log)" >&2
    as_root setsid nohup "$(command -v dockerd || echo /usr/sbin/dockerd)" \
      --bridge=none --iptables=false --ip-forward=false \
      --data-root "$state" --exec-root "$run/exec" --pidfile "$run/dockerd.pid" -H "$DOCKER_HOST" \
      >>"$run/dockerd.log" 2>&1 </dev/null &
    for _ in $(seq 1 60); do timeout 5 docker info >/dev/null 2>&1 && break; sleep 1; done
    timeout 5 docker info >/dev/null 2>&1 || { tail -n 20 "$run/dockerd.log" >&2; die "private dockerd did not start"; }
    started_pid=$(cat "$run/dockerd.pid")
    stop_engine() {
      # Only the daemon this script started, by its pid (it stops the containerd it manages).
      kill "$started_pid" 2>/dev/null || true
      for _ in $(seq 1 30); do kill -0 "$started_pid" 2>/dev/null || break; sleep 1; done
    }
    trap stop_engine EXIT
  fi
fi
if [ "$BUILD" -eq 1 ]; then
  echo "bench: building s2i (mvn -o package)" >&2
  (cd "$ROOT" && mvn -B -ntp -q -o -pl s2i-cli -am -DskipTests package)
fi
[ -f "$ROOT/s2i-cli/target/s2i.jar" ] || die "s2i-cli/target/s2i.jar missing; run without --no-build"
if [ ! -f "$ROOT/s2i-cli/target/s2i.jsa" ] && [ -x "$ROOT/s2i-cli/make-cds-archive.sh" ]; then
  bash "$ROOT/s2i-cli/make-cds-archive.sh" || echo "bench: no class-data archive (start-up will be slower)" >&2
fi

# The bench builder, rebuilt only when bench/builder or the base image changes.
bash "$ROOT/scripts/ensure-fixtures.sh" --base-only
TAG=localhost/s2i-bench/builder:latest
CTX="$ROOT/bench/builder"
HASH_LABEL=s2i.test.fixture-hash
base_id=$(docker image inspect --format '{{.Id}}' localhost/s2i-test/base:latest)
want=$( { dir_hash "$CTX"; echo "$base_id"; } | sha256sum | cut -d' ' -f1)
have=$(docker image inspect --format "{{.Id}}|{{index .Config.Labels \"$HASH_LABEL\"}}" "$TAG" 2>/dev/null || true)
if [ "${have#*|}" != "$want" ]; then
  docker_build_quiet "$TAG" "$CTX" --label "$HASH_LABEL=$want"
  old=${have%%|*}
  if [ -n "$old" ]; then docker rmi "$old" >/dev/null 2>&1 || true; fi
fi

python3 "$ROOT/bench/bench.py" --root "$ROOT" --builder "$TAG" "${args[@]}"
