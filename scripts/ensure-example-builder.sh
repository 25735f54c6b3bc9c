#!/usr/bin/env bash
# Ensure the example builder image localhost/s2i-example/shell-builder:latest exists
# (built from examples/builder on top of localhost/s2i-test/base:latest). Rebuilt when
# its build context or the base image changes (label s2i.test.fixture-hash).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export S2I_SCRIPT=ensure-example-builder
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
. "$ROOT/scripts/lib/common.sh"

TAG=localhost/s2i-example/shell-builder:latest
CTX="$ROOT/examples/builder"
HASH_LABEL=s2i.test.fixture-hash

bash "$ROOT/scripts/ensure-fixtures.sh" --base-only

base_id=$(docker image inspect --format '{{.Id}}' localhost/s2i-test/base:latest 2>/dev/null) \
  || die "base image localhost/s2i-test/base:latest missing after ensure-fixtures"
want=$( { dir_hash "$CTX"; echo "$base_id"; } | sha256sum | cut -d' ' -f1)
have=$(docker image inspect --format "{{.Id}}|{{index .Config.Labels \"$HASH_LABEL\"}}" "$TAG" 2>/dev/null || true)
if [ "${have#*|}" != "$want" ]; then
  docker_build_quiet "$TAG" "$CTX" --label "$HASH_LABEL=$want"
  old=${have%%|*}
  if [ -n "$old" ]; then docker rmi "$old" >/dev/null 2>&1 || true; fi
  sweep_stale_images
fi
exit 0
