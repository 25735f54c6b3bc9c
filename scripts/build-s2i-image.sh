#!/usr/bin/env bash
# Builds s2i's own container image, localhost/s2i-java/s2i:latest, with no Dockerfile build:
#   1. Debian bookworm: the minbase root file system scripts/ensure-fixtures.sh made with mmdebstrap
#      (~/.cache/s2i-java/bookworm-minbase.tar, else taken from localhost/s2i-test/base), plus a
#      layer of the Debian packages the daemonless engine runs (runc, attr for getfattr/setfattr,
#      mount, tini as PID 1), fetched with apt-get download and unpacked with dpkg-deb (their
#      dependencies are all in minbase; dpkg's status lists them). --base-only stops after the
#      download (the part that needs Debian's mirror, for set-up steps);
#   2. a JRE made by jlink from the JDK on PATH, cached by the JDK's release and the module list;
#   3. the CLI of this checkout (s2i-cli/target/s2i.jar and lib/, after `mvn package`) with its
#      launcher and entrypoint (scripts/image/);
# then scripts/lib/ImageAssembler.java writes the image with s2i's own image writers (a
# docker-archive, and with --oci-layout DIR an OCI image layout) and `docker load` puts it in the
# Docker engine (--no-load skips that). Nothing is rebuilt when the inputs did not change (the
# image's io.s2i.image.inputs label records them).
# Usage: scripts/build-s2i-image.sh [--base-only] [--no-load] [--oci-layout DIR]
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export S2I_SCRIPT=build-s2i-image
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
. "$ROOT/scripts/lib/common.sh"

BASE_ONLY=0 LOAD=1 LAYOUT=-
while [ "$#" -gt 0 ]; do
  case "$1" in
    --base-only) BASE_ONLY=1 ;;
    --no-load) LOAD=0 ;;
    --oci-layout) shift; [ "$#" -gt 0 ] || die "--oci-layout needs a directory"; LAYOUT=$(realpath -m "$1") ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) die "unknown argument: $1" ;;
  esac
  shift
done

IMAGE=localhost/s2i-java/s2i:latest
CACHE_DIR="${XDG_CACHE_HOME:-${HOME:-/root}/.cache}/s2i-java"
BASE_TAR="$CACHE_DIR/bookworm-minbase.tar"
BASE_IMAGE=localhost/s2i-test/base:latest
PACKAGES=(runc attr mount tini)
DEBS="$CACHE_DIR/s2i-image-debs"
MODULES=java.base,java.compiler,java.desktop,java.management,java.naming,java.net.http,java.rmi,java.security.jgss,java.sql,jdk.unsupported,jdk.crypto.ec,jdk.zipfs
TARGET="$ROOT/s2i-cli/target"

mkdir -p "$CACHE_DIR"
exec 9>"$CACHE_DIR/.build-s2i-image.lock"
flock -w 900 9 || die "timed out waiting for another build-s2i-image run"

# --- 1. Debian: the packages, then the base ---------------------------------------------------
have_debs() {
  local p
  for p in "${PACKAGES[@]}"; do
    compgen -G "$DEBS/${p}_*.deb" >/dev/null || return 1
  done
}
if ! have_debs; then
  command -v apt-get >/dev/null 2>&1 || die "apt-get not found: the image takes its packages from Debian"
  rm -rf "$DEBS.tmp" && mkdir -p "$DEBS.tmp"
  log=$(mktemp)
  if ! (cd "$DEBS.tmp" && apt-get download "${PACKAGES[@]}") >"$log" 2>&1; then
    as_root apt-get update -qq >>"$log" 2>&1 || true
    (cd "$DEBS.tmp" && apt-get download "${PACKAGES[@]}") >>"$log" 2>&1 || {
      tail -n 10 "$log" >&2; rm -f "$log"; die "apt-get download ${PACKAGES[*]} failed"; }
  fi
  rm -f "$log"
  rm -rf "$DEBS" && mv "$DEBS.tmp" "$DEBS"
fi
[ "$BASE_ONLY" -eq 1 ] && exit 0

if [ ! -s "$BASE_TAR" ]; then
  # ensure-fixtures.sh keeps the tar it imported; an engine that has the image without it gives
  # the image's only layer back.
  command -v docker >/dev/null 2>&1 && docker image inspect "$BASE_IMAGE" >/dev/null 2>&1 \
    || die "no $BASE_TAR and no $BASE_IMAGE: run scripts/ensure-fixtures.sh"
  docker image save "$BASE_IMAGE" | tar -xO --wildcards '*/layer.tar' >"$BASE_TAR.tmp" \
    && [ -s "$BASE_TAR.tmp" ] && mv "$BASE_TAR.tmp" "$BASE_TAR" || die "cannot take the root file system out of $BASE_IMAGE"
fi

# --- 2. the JRE -----------------------------------------------------------------------------
[ -f "$TARGET/s2i.jar" ] && [ -d "$TARGET/lib" ] || die "the CLI is not built ($TARGET/s2i.jar); run mvn package first"
java_bin=$(command -v java) || die "java not found on PATH"
JAVA_HOME_DIR=$(dirname "$(dirname "$(readlink -f "$java_bin")")")
[ -x "$JAVA_HOME_DIR/bin/jlink" ] || die "no jlink in $JAVA_HOME_DIR: install the JDK (openjdk-17-jdk-headless)"
jre_key=$( { cat "$JAVA_HOME_DIR/release"; echo "$MODULES"; } | sha256sum | cut -c1-16)
JRE="$CACHE_DIR/s2i-image-jre-$jre_key"
if [ ! -x "$JRE/bin/java" ]; then
  rm -rf "$JRE.tmp"
  "$JAVA_HOME_DIR/bin/jlink" --add-modules "$MODULES" --strip-debug --no-man-pages --no-header-files \
    --compress=2 --output "$JRE.tmp" >/dev/null || die "jlink failed"
  mv "$JRE.tmp" "$JRE"
  for old in "$CACHE_DIR"/s2i-image-jre-*; do
    [ "$old" = "$JRE" ] || rm -rf "$old"
  done
fi

# --- 3. layers, unless nothing changed ----------------------------------------------------------
inputs=$( {
  stat -c '%s %Y' "$BASE_TAR"; ls "$DEBS"; echo "$jre_key"
  sha256sum "$TARGET/s2i.jar" "$TARGET"/lib/*.jar "$ROOT"/scripts/image/* "$ROOT/scripts/lib/ImageAssembler.java" "$0"
} | sha256sum | cut -c1-32)
if [ "$LOAD" -eq 1 ] && [ "$LAYOUT" = "-" ] && command -v docker >/dev/null 2>&1 \
   && [ "$(docker image inspect --format '{{index .Config.Labels "io.s2i.image.inputs"}}' "$IMAGE" 2>/dev/null)" = "$inputs" ]; then
  exit 0
fi

WORK=$(mktemp -d "$TARGET/.s2i-image.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
EPOCH=$(git -C "$ROOT" log -1 --format=%ct 2>/dev/null || echo 0)
CREATED=$(date -u -d "@$EPOCH" +%Y-%m-%dT%H:%M:%SZ)
REVISION=$(git -C "$ROOT" rev-parse HEAD 2>/dev/null || echo unknown)
VERSION=$(sed -n 's:.*<version>\(.*\)</version>.*:\1:p' "$ROOT/pom.xml" | head -n 1)
tar_layer() { # tar_layer OUT DIR : a reproducible layer of DIR's content (paths relative to /)
  tar --sort=name --mtime="@$EPOCH" --owner=0 --group=0 --numeric-owner \
      --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime --format=posix \
      -C "$2" -cf "$1" .
}

# The packages, unpacked as dpkg would, and dpkg's status with them added (no maintainer script of
# these four does more than dpkg itself).
mkdir -p "$WORK/pkgs/var/lib/dpkg/info"
tar -xOf "$BASE_TAR" ./var/lib/dpkg/status >"$WORK/pkgs/var/lib/dpkg/status" || die "$BASE_TAR has no dpkg status"
for deb in "$DEBS"/*.deb; do
  dpkg-deb -x "$deb" "$WORK/pkgs"
  pkg=$(dpkg-deb -f "$deb" Package)
  { echo; dpkg-deb -f "$deb" | sed '/^Status:/d' | sed "1a Status: install ok installed"; } >>"$WORK/pkgs/var/lib/dpkg/status"
  dpkg-deb -c "$deb" | awk '{print $6}' | sed 's#^\./#/#; s#/$##; /^$/d' >"$WORK/pkgs/var/lib/dpkg/info/$pkg:amd64.list"
done
sed -i '/^$/N;/^\n$/D' "$WORK/pkgs/var/lib/dpkg/status"
# bookworm's root is merged-usr (/bin is a link to usr/bin): files packaged under /bin, /sbin or /lib
# go under /usr, or the layer's directories would hide the links.
for d in bin sbin lib lib64; do
  if [ -d "$WORK/pkgs/$d" ] && [ ! -L "$WORK/pkgs/$d" ]; then
    mkdir -p "$WORK/pkgs/usr/$d"
    cp -a "$WORK/pkgs/$d/." "$WORK/pkgs/usr/$d/"
    rm -rf "${WORK:?}/pkgs/$d"
  fi
done
tar_layer "$WORK/packages.tar" "$WORK/pkgs"

mkdir -p "$WORK/jre/opt/s2i" "$WORK/app/opt/s2i/bin" "$WORK/app/var/cache/s2i" "$WORK/app/workspace" "$WORK/app/home/s2i"
cp -a "$JRE" "$WORK/jre/opt/s2i/jre"
cp "$TARGET/s2i.jar" "$WORK/app/opt/s2i/s2i.jar"
cp -r "$TARGET/lib" "$WORK/app/opt/s2i/lib"
install -m 0755 "$ROOT/scripts/image/s2i" "$ROOT/scripts/image/entrypoint" "$WORK/app/opt/s2i/bin/"
chmod 0755 "$WORK/app/var/cache/s2i" "$WORK/app/workspace"
chmod 0700 "$WORK/app/home/s2i"
tar_layer "$WORK/jre.tar" "$WORK/jre"
tar_layer "$WORK/app.tar" "$WORK/app"

cat >"$WORK/config.json" <<JSON
{
  "created": "$CREATED",
  "architecture": "amd64",
  "os": "linux",
  "config": {
    "User": "0",
    "Env": [
      "PATH=/opt/s2i/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
      "JAVA_HOME=/opt/s2i/jre",
      "LANG=C.UTF-8",
      "HOME=/home/s2i",
      "XDG_CONFIG_HOME=/tmp/.config",
      "XDG_CACHE_HOME=/var/cache/s2i",
      "S2I_ENGINE=oci",
      "S2I_OCI_DAEMON=none"
    ],
    "Entrypoint": ["/usr/bin/tini", "--", "/opt/s2i/bin/entrypoint"],
    "WorkingDir": "/workspace",
    "Labels": {
      "org.opencontainers.image.title": "s2i",
      "org.opencontainers.image.description": "Source-to-Image in Java with its daemonless engine: builds and pushes images with no Docker daemon",
      "org.opencontainers.image.version": "$VERSION",
      "org.opencontainers.image.revision": "$REVISION",
      "org.opencontainers.image.created": "$CREATED",
      "io.s2i.image.inputs": "$inputs"
    }
  }
}
JSON

java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$TARGET/lib/*" "$ROOT/scripts/lib/ImageAssembler.java" "$WORK/config.json" "$LAYOUT" "$WORK/image.tar" \
  "$IMAGE" "$BASE_TAR" "$WORK/packages.tar" "$WORK/jre.tar" "$WORK/app.tar" >/dev/null || die "assembling the image failed"
if [ "$LOAD" -eq 1 ]; then
  command -v docker >/dev/null 2>&1 || die "docker CLI not found (use --no-load with --oci-layout DIR)"
  old=$(docker image inspect --format '{{.Id}}' "$IMAGE" 2>/dev/null || true)
  docker load -q -i "$WORK/image.tar" >/dev/null || die "docker load of $IMAGE failed"
  new=$(docker image inspect --format '{{.Id}}' "$IMAGE")
  if [ -n "$old" ] && [ "$old" != "$new" ]; then
    docker rmi "$old" >/dev/null 2>&1 || true
  fi
fi
exit 0
