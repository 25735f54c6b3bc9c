#!/usr/bin/env bash
# Ensure the example binary builders exist (built on localhost/s2i-test/base:latest, no network):
#   localhost/s2i-example/binary-builder:latest       examples/binary-builder: one executable
#   localhost/s2i-example/java-binary-builder:latest  examples/java-binary-builder: a jar on a JRE
# The JRE is made by jlink from the host's JDK (Debian's openjdk-17-jdk-headless, installed when
# missing): only the modules a typical jar needs, about 40 MB. Each image carries the label
# s2i.test.fixture-hash (its context, the base image id and, for the JRE, the JDK's release file);
# an image is rebuilt, and jlink run, only when that hash changes.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export S2I_SCRIPT=ensure-binary-builders
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
. "$ROOT/scripts/lib/common.sh"

HASH_LABEL=s2i.test.fixture-hash
JRE_MODULES=java.base,java.logging,java.naming,java.net.http,java.sql,java.xml,java.management,java.instrument,java.security.jgss,jdk.crypto.ec,jdk.unsupported

bash "$ROOT/scripts/ensure-fixtures.sh" --base-only
base_id=$(docker image inspect --format '{{.Id}}' localhost/s2i-test/base:latest 2>/dev/null) \
  || die "base image localhost/s2i-test/base:latest missing after ensure-fixtures"

# current_hash TAG : the hash label of TAG and its id ("id|hash"), empty when absent.
current() {
  docker image inspect --format "{{.Id}}|{{index .Config.Labels \"$HASH_LABEL\"}}" "$1" 2>/dev/null || true
}

# replace_old OLD_ID : remove the image a rebuild replaced (when nothing else uses it).
replace_old() {
  if [ -n "$1" ]; then docker rmi "$1" >/dev/null 2>&1 || true; fi
  sweep_stale_images
}

# --- the single-executable builder --------------------------------------------------------
TAG=localhost/s2i-example/binary-builder:latest
CTX="$ROOT/examples/binary-builder"
want=$( { dir_hash "$CTX"; echo "$base_id"; } | sha256sum | cut -d' ' -f1)
have=$(current "$TAG")
if [ "${have#*|}" != "$want" ]; then
  docker_build_quiet "$TAG" "$CTX" --label "$HASH_LABEL=$want"
  replace_old "${have%%|*}"
fi

# --- the jar builder: a JRE from the host's JDK -------------------------------------------
find_jdk() {
  local jlink home
  for home in "${JAVA_HOME:-}" /usr/lib/jvm/java-17-openjdk-*; do
    [ -n "$home" ] && [ -x "$home/bin/jlink" ] && [ -d "$home/jmods" ] && { echo "$home"; return 0; }
  done
  jlink=$(command -v jlink 2>/dev/null || true)
  if [ -n "$jlink" ]; then
    home=$(dirname "$(dirname "$(readlink -f "$jlink")")")
    [ -d "$home/jmods" ] && { echo "$home"; return 0; }
  fi
  return 1
}
JDK=$(find_jdk) || { apt_install openjdk-17-jdk-headless; JDK=$(find_jdk) || die "no JDK with jlink and jmods found"; }
major=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$JDK/release")
[ -n "$major" ] || die "cannot read the Java version from $JDK/release"
# The releases the JRE runs jars of, as the detection tags name them: the LTS ones up to its own.
tags=""
for v in 8 11 17 21 25; do
  [ "$v" -le "$major" ] && tags="${tags:+$tags,}java-binary:$v"
done
case ",$tags," in *",java-binary:$major,"*) ;; *) tags="$tags,java-binary:$major" ;; esac

TAG=localhost/s2i-example/java-binary-builder:latest
CTX="$ROOT/examples/java-binary-builder"
want=$( { dir_hash "$CTX"; echo "$base_id"; cat "$JDK/release"; echo "$JRE_MODULES $tags"; } | sha256sum | cut -d' ' -f1)
have=$(current "$TAG")
if [ "${have#*|}" != "$want" ]; then
  stage=$(mktemp -d)
  trap 'rm -rf "$stage"' EXIT
  cp -a "$CTX/." "$stage/"
  log=$(mktemp)
  if ! "$JDK/bin/jlink" --add-modules "$JRE_MODULES" --strip-debug --no-header-files --no-man-pages \
         --compress=2 --output "$stage/jre" >"$log" 2>&1; then
    tail -n 20 "$log" >&2
    rm -f "$log"
    die "jlink of a JRE from $JDK failed"
  fi
  rm -f "$log"
  docker_build_quiet "$TAG" "$stage" --build-arg "JAVA_TAGS=$tags" --label "$HASH_LABEL=$want"
  rm -rf "$stage"
  trap - EXIT
  replace_old "${have%%|*}"
fi
exit 0
