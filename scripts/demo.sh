#!/usr/bin/env bash
# Demo: build examples/hello-app with the example shell builder using bin/s2i, then run it.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

BUILDER=localhost/s2i-example/shell-builder:latest
OUTPUT=localhost/s2i-example/hello-app:latest

say() { echo "==> $*"; }
fail() { echo "demo.sh: $*" >&2; exit 1; }

say "Making sure a Docker engine is running"
bash scripts/ensure-engine.sh || fail "no Docker engine"
say "Making sure the base image localhost/s2i-test/base:latest exists"
bash scripts/ensure-fixtures.sh --base-only || fail "base image setup failed"
say "Making sure the example builder $BUILDER exists"
bash scripts/ensure-example-builder.sh || fail "example builder setup failed"

say "Building s2i-java (mvn -B -ntp -q -DskipTests package)"
command -v mvn >/dev/null 2>&1 || fail "mvn not found on PATH"
mvn -B -ntp -q -DskipTests package || fail "maven build failed"
[ -x bin/s2i ] || fail "bin/s2i missing or not executable after the build"

say "bin/s2i build examples/hello-app $BUILDER $OUTPUT --pull-policy never"
bin/s2i build examples/hello-app "$BUILDER" "$OUTPUT" --pull-policy never || fail "s2i build failed"

say "docker run --rm --network none $OUTPUT"
docker run --rm --network none "$OUTPUT" || fail "running $OUTPUT failed"
say "Done"
