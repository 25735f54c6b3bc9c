#!/usr/bin/env bash
# Benchmark of the build service (s2i serve): API latency, a trivial build from start-build to
# Complete beside `s2i build` of the same app, queue throughput on trivial builds, and the server's
# memory when idle. Writes bench/SERVE-RESULTS.md (raw figures in $BENCH_WORK/serve-results.json).
# Usage: bench/serve.sh [--no-build] [--runs N (default 5)] [--queue N (default 20)] [--api N (default 300)]
# Runs on the machine's Docker engine with the fixture builder, holding the integration tests'
# lock (/tmp/s2i-docker-it.lock) so that neither disturbs the other; only its own images and
# containers are made and removed.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export S2I_SCRIPT=bench-serve
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
bash "$ROOT/scripts/ensure-engine.sh"
bash "$ROOT/scripts/ensure-fixtures.sh"
if [ "$BUILD" -eq 1 ]; then
  echo "bench-serve: building s2i (mvn -o package)" >&2
  (cd "$ROOT" && mvn -B -ntp -q -o -pl s2i-cli -am -DskipTests package)
fi
[ -f "$ROOT/s2i-cli/target/s2i.jar" ] || die "s2i-cli/target/s2i.jar missing; run without --no-build"
exec flock /tmp/s2i-docker-it.lock python3 "$ROOT/bench/serve_bench.py" --root "$ROOT" "${args[@]}"
