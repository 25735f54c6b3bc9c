#!/usr/bin/env bash
# Ensure the s2i test images exist in the local Docker engine:
#   localhost/s2i-test/base:latest    Debian bookworm minbase, imported from an mmdebstrap tarball
#   localhost/s2i-test/<name>:latest  one per fixtures/images/<name>/Dockerfile
# Each built image carries the label s2i.test.fixture-hash (hash of its build context
# plus its parent's image id); an image is rebuilt only when that hash changes.
# Usage: scripts/ensure-fixtures.sh [--base-only]
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export S2I_SCRIPT=ensure-fixtures
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
. "$ROOT/scripts/lib/common.sh"

BASE_ONLY=0
for arg in "$@"; do
  case "$arg" in
    --base-only) BASE_ONLY=1 ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    *) die "unknown argument: $arg" ;;
  esac
done

PREFIX=localhost/s2i-test
BASE="$PREFIX/base:latest"
# Bump when the way the base is made changes: forces a re-import and a rebuild of all.
BASE_RECIPE="bookworm-minbase-v1"
HASH_LABEL=s2i.test.fixture-hash
IMAGES_DIR="$ROOT/fixtures/images"
CACHE_DIR="${XDG_CACHE_HOME:-${HOME:-/root}/.cache}/s2i-java"
ROOTFS_TAR="$CACHE_DIR/bookworm-minbase.tar"

command -v docker >/dev/null 2>&1 || die "docker CLI not found; run scripts/ensure-engine.sh"

# One run at a time (parallel test runs would otherwise build the same tags).
if command -v flock >/dev/null 2>&1; then
  exec 9>"${TMPDIR:-/tmp}/s2i-java-ensure-fixtures.lock"
  flock -w 600 9 || die "timed out waiting for another ensure-fixtures run"
fi

# --- inventory: one docker call for every image we care about -----------------------
declare -A ID=() LABEL=() PARENT=() DIR=()
NAMES=()
if [ "$BASE_ONLY" -eq 0 ]; then
  for df in "$IMAGES_DIR"/*/Dockerfile; do
    [ -e "$df" ] || continue
    d=$(dirname "$df")
    n=$(basename "$d")
    NAMES+=("$n")
    DIR[$n]=$d
    p=$(sed -n 's#^[[:space:]]*FROM[[:space:]]\+localhost/s2i-test/\([^:@[:space:]]*\).*#\1#Ip' "$df" | tail -n 1)
    [ -n "$p" ] || die "$df: must be FROM localhost/s2i-test/<fixture>"
    PARENT[$n]=$p
  done
fi

refs=("$BASE")
for n in "${NAMES[@]}"; do refs+=("$PREFIX/$n:latest"); done
errf=$(mktemp)
inv=$(docker image inspect \
        --format "{{.Id}}|{{index .Config.Labels \"$HASH_LABEL\"}}|{{range .RepoTags}}{{.}} {{end}}" \
        "${refs[@]}" 2>"$errf" || true)
if grep -v -i 'no such image' "$errf" | grep -q .; then
  grep -v -i 'no such image' "$errf" | tail -n 3 >&2
  rm -f "$errf"
  die "docker engine not usable; run scripts/ensure-engine.sh"
fi
rm -f "$errf"
while IFS='|' read -r id label tags; do
  [ -n "$id" ] || continue
  for t in $tags; do
    case "$t" in
      "$PREFIX"/*:latest) t=${t#"$PREFIX"/}; t=${t%:latest}; ID[$t]=$id; LABEL[$t]=$label ;;
    esac
  done
done <<<"$inv"

OLD_IDS=()

# --- base image ------------------------------------------------------------------------
make_rootfs() {
  [ -f "$ROOTFS_TAR" ] && [ -s "$ROOTFS_TAR" ] && return 0
  command -v mmdebstrap >/dev/null 2>&1 || apt_install mmdebstrap
  mkdir -p "$CACHE_DIR"
  local tmp="$CACHE_DIR/.bookworm-minbase.$$.tar" log
  log=$(mktemp)
  # shellcheck disable=SC2086 # S2I_DEBIAN_MIRROR may hold several words
  if ! as_root mmdebstrap --quiet --format=tar --variant=minbase bookworm "$tmp" ${S2I_DEBIAN_MIRROR:-} \
         </dev/null >"$log" 2>&1; then
    tail -n 20 "$log" >&2
    rm -rf "$tmp" "$log"
    die "mmdebstrap of bookworm minbase failed"
  fi
  rm -f "$log"
  mv -f "$tmp" "$ROOTFS_TAR"
}

if [ "${LABEL[base]:-}" != "$BASE_RECIPE" ]; then
  make_rootfs
  [ -n "${ID[base]:-}" ] && OLD_IDS+=("${ID[base]}")
  docker import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change "LABEL $HASH_LABEL=$BASE_RECIPE" \
    --change 'CMD ["/bin/bash"]' \
    "$ROOTFS_TAR" "$BASE" >/dev/null || die "docker import of $ROOTFS_TAR failed"
  ID[base]=$(docker image inspect --format '{{.Id}}' "$BASE") || die "cannot inspect $BASE"
  LABEL[base]=$BASE_RECIPE
fi

# --- fixture images, parents first ------------------------------------------------------
declare -A STATE=()
ensure_image() {
  local n=$1 p h
  case "${STATE[$n]:-}" in
    done) return 0 ;;
    visiting) die "FROM cycle through fixture $n" ;;
  esac
  STATE[$n]=visiting
  p=${PARENT[$n]}
  if [ "$p" != base ]; then
    [ -n "${DIR[$p]:-}" ] || die "fixture $n is FROM unknown fixture $p"
    ensure_image "$p"
  fi
  h=$( { dir_hash "${DIR[$n]}"; echo "${ID[$p]}"; } | sha256sum | cut -d' ' -f1)
  if [ "${LABEL[$n]:-}" != "$h" ] || [ -z "${ID[$n]:-}" ]; then
    [ -n "${ID[$n]:-}" ] && OLD_IDS+=("${ID[$n]}")
    docker_build_quiet "$PREFIX/$n:latest" "${DIR[$n]}" --label "$HASH_LABEL=$h"
    ID[$n]=$(docker image inspect --format '{{.Id}}' "$PREFIX/$n:latest") || die "cannot inspect $PREFIX/$n"
    LABEL[$n]=$h
  fi
  STATE[$n]="done"
}

for n in "${NAMES[@]}"; do
  ensure_image "$n"
done

# --- drop images we replaced (children first; still-used ones just stay) ---------------
if [ "${#OLD_IDS[@]}" -gt 0 ]; then
  current=" ${ID[*]} "
  for (( i=${#OLD_IDS[@]}-1; i>=0; i-- )); do
    case "$current" in *" ${OLD_IDS[$i]} "*) continue ;; esac
    docker rmi "${OLD_IDS[$i]}" >/dev/null 2>&1 || true
  done
  sweep_stale_images
fi
exit 0
