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

# The same build through the build service: a server on a free loopback port with its own data
# dir, a configuration applied, a start-build that uploads the app and follows the log, then the
# server is stopped and its files removed.
say "s2i serve: the same app built by the build service"
serve_dir=$(mktemp -d)
serve_pid=""
stop_serve() {
  if [ -n "$serve_pid" ]; then kill "$serve_pid" 2>/dev/null || true; wait "$serve_pid" 2>/dev/null || true; fi
  rm -rf "$serve_dir"
}
trap stop_serve EXIT
export XDG_CONFIG_HOME="$serve_dir/config"
bin/s2i serve --port 0 --data-dir "$serve_dir/data" --max-builds 1 2>"$serve_dir/serve.log" &
serve_pid=$!
for _ in $(seq 1 300); do [ -f "$XDG_CONFIG_HOME/s2i/client.yaml" ] && break; sleep 0.1; done
[ -f "$XDG_CONFIG_HOME/s2i/client.yaml" ] || { cat "$serve_dir/serve.log" >&2; fail "s2i serve did not start"; }
cat > "$serve_dir/hello.yaml" <<YAML
name: hello
source: {type: Binary}
strategy: {builderImage: $BUILDER, pullPolicy: Never}
output: {image: ${OUTPUT%:*}-served:latest}
YAML
bin/s2i apply -f "$serve_dir/hello.yaml" || fail "s2i apply failed"
bin/s2i start-build hello --from-dir examples/hello-app --follow --wait || fail "start-build failed"
bin/s2i builds hello || fail "s2i builds failed"
say "Done"
