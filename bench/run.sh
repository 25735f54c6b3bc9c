#!/usr/bin/env bash
# One-command benchmark of `s2i build` against `docker build` and the raw engine floor.
# Builds the CLI (offline) and its class-data archive, the fixture base image and the bench
# builder, generates the workloads, times them and writes bench/RESULTS.md.
# Usage: bench/run.sh [--runs N] [--only W1,W2,...] [--no-build] [--out FILE]
# Env: BENCH_WORK (workload dir, default /tmp/s2i-bench), BENCH_FETCH_MBPS (W3 simulated
#      download rate, default 50), BENCH_DAEMONLESS_ENGINE (W5 engine id, default oci).
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

exec python3 "$ROOT/bench/bench.py" --root "$ROOT" --builder "$TAG" "${args[@]}"
