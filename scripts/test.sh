#!/usr/bin/env bash
# Run every test: sets up the Docker engine, the fixture images and a loopback
# registry, then the Maven build with the integration tests required.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

step() {
  local name=$1
  shift
  if ! "$@"; then
    echo "test.sh: setup step '$name' failed; not running the tests" >&2
    exit 1
  fi
}

step engine   bash scripts/ensure-engine.sh
step fixtures bash scripts/ensure-fixtures.sh
# The registry ITs push and pull the example builder (scripts/demo.sh's), not only the fixtures.
step example  bash scripts/ensure-example-builder.sh
# DetectIT builds with the example binary builders (a jar on a JRE, a single executable).
step binary   bash scripts/ensure-binary-builders.sh
step registry bash scripts/ensure-registry.sh
step tools    bash scripts/ensure-tools.sh
# The daemonless engine's ITs pull the fixtures from the loopback registry, with no daemon.
step registry-fixtures bash scripts/ensure-registry-fixtures.sh
# s2i's own image (S2iImageIT builds it from the packaged CLI): its Debian packages, fetched here.
step s2i-image bash scripts/build-s2i-image.sh --base-only
# The build service's tests run against PostgreSQL as well as the embedded database.
step postgres bash scripts/ensure-postgres.sh
# The web console's browser tests drive Debian's chromium through chromium-driver.
step browser  bash scripts/ensure-browser.sh
# A second daemon on TCP with TLS and client certificates, for the ITs of the docker-java
# transport; stopped again when the tests end.
step tls-engine bash scripts/ensure-tls-engine.sh
trap 'bash scripts/ensure-tls-engine.sh stop || true' EXIT
command -v mvn >/dev/null 2>&1 || { echo "test.sh: mvn not found on PATH" >&2; exit 1; }

mvn -B -ntp verify -Ds2i.it.required=true "$@"
