#!/usr/bin/env bash
# Ensure the loopback registry (127.0.0.1:5000, scripts/ensure-registry.sh) holds the fixture
# images under the same names as in the Docker engine, for the daemonless engine's tests, which
# pull from there with no daemon:
#   localhost/s2i-test/<name>:latest          -> 127.0.0.1:5000/s2i-test/<name>:latest
#   localhost/s2i-example/shell-builder:latest -> 127.0.0.1:5000/s2i-example/shell-builder:latest
# An image is pushed only when the registry's copy has another config digest than the engine's
# image id; the daemon skips layers the registry has. The temporary registry tag is removed again.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export S2I_SCRIPT=ensure-registry-fixtures
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
. "$ROOT/scripts/lib/common.sh"

REGISTRY=127.0.0.1:5000
command -v docker >/dev/null 2>&1 || die "docker CLI not found; run scripts/ensure-engine.sh"
command -v curl >/dev/null 2>&1 || die "curl not found; run scripts/ensure-registry.sh"
curl -sf -m 3 -o /dev/null "http://$REGISTRY/v2/" || die "no registry on $REGISTRY; run scripts/ensure-registry.sh"

# One run at a time (parallel test runs would push and untag the same names).
if command -v flock >/dev/null 2>&1; then
  exec 9>"${TMPDIR:-/tmp}/s2i-java-ensure-registry-fixtures.lock"
  flock -w 600 9 || die "timed out waiting for another ensure-registry-fixtures run"
fi

mapfile -t IMAGES < <(docker images --format '{{.Repository}}:{{.Tag}}' \
  | grep -E '^localhost/(s2i-test/[^:]+|s2i-example/shell-builder):latest$' | sort -u)
[ "${#IMAGES[@]}" -gt 0 ] || die "no fixture images in the engine; run scripts/ensure-fixtures.sh"

pushed=0
for image in "${IMAGES[@]}"; do
  path=${image#localhost/}
  repo=${path%:latest}
  target="$REGISTRY/$path"
  id=$(docker image inspect --format '{{.Id}}' "$image")
  there=$(curl -sf -m 10 -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' \
            "http://$REGISTRY/v2/$repo/manifests/latest" 2>/dev/null \
          | tr -d ' \n' | sed -n 's/.*"config":{[^}]*"digest":"\(sha256:[0-9a-f]*\)".*/\1/p' || true)
  [ "$there" = "$id" ] && continue
  docker tag "$image" "$target"
  log=$(mktemp)
  if ! docker push "$target" >"$log" 2>&1; then
    tail -n 10 "$log" >&2
    rm -f "$log"
    docker rmi "$target" >/dev/null 2>&1 || true
    die "docker push of $target failed"
  fi
  rm -f "$log"
  docker rmi "$target" >/dev/null 2>&1 || true
  pushed=$((pushed + 1))
done
[ "$pushed" -eq 0 ] || echo "ensure-registry-fixtures: pushed $pushed image(s) to $REGISTRY" >&2
exit 0
