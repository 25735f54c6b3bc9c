# shellcheck shell=bash
# Shared helpers for the scripts/ensure-*.sh scripts. Source it; do not run it.

# Prefix for error messages; scripts set S2I_SCRIPT before sourcing.
: "${S2I_SCRIPT:=$(basename "$0" .sh)}"

die() { echo "${S2I_SCRIPT}: $*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo -n "$@"
  else
    die "need root for: $*"
  fi
}

_S2I_APT_UPDATED=${_S2I_APT_UPDATED:-0}

# apt_install PKG... : install Debian packages that are missing, without letting
# their maintainer scripts start services (docker.io would start a bridged dockerd,
# docker-registry one listening on every interface).
apt_install() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ "${#missing[@]}" -eq 0 ] && return 0
  command -v apt-get >/dev/null 2>&1 || die "apt-get not found; install ${missing[*]} by hand"
  export DEBIAN_FRONTEND=noninteractive
  local added_policy=0 log
  log=$(mktemp)
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    as_root sh -c 'printf "#!/bin/sh\nexit 101\n" > /usr/sbin/policy-rc.d && chmod 0755 /usr/sbin/policy-rc.d'
    added_policy=1
  fi
  local rc=0
  if [ "$_S2I_APT_UPDATED" -eq 0 ]; then
    as_root apt-get update -qq >"$log" 2>&1 || rc=$?
    _S2I_APT_UPDATED=1
  fi
  if [ "$rc" -eq 0 ]; then
    as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >>"$log" 2>&1 || rc=$?
  fi
  [ "$added_policy" -eq 1 ] && as_root rm -f /usr/sbin/policy-rc.d
  if [ "$rc" -ne 0 ]; then
    tail -n 15 "$log" >&2
    rm -f "$log"
    die "apt-get install ${missing[*]} failed"
  fi
  rm -f "$log"
}

# Always use the classic builder: the daemon is Debian's 20.10 and the CLI may have
# no buildx plugin, in which case BuildKit builds fail outright.
export DOCKER_BUILDKIT=0

# docker_build_quiet TAG CONTEXT [extra docker build args...]
# Builds without network; prints the build log only on failure.
docker_build_quiet() {
  local tag=$1 ctx=$2 log
  shift 2
  log=$(mktemp)
  if ! docker build --network none --force-rm -t "$tag" "$@" "$ctx" >"$log" 2>&1; then
    tail -n 30 "$log" >&2
    rm -f "$log"
    die "docker build of $tag from $ctx failed"
  fi
  rm -f "$log"
}

# dir_hash DIR : stable hash of the names, modes, link targets and contents of every
# file in DIR (a handful of processes whatever the number of files).
dir_hash() {
  (
    cd "$1" || exit 1
    find . \( -type f -o -type l \) -printf '%y %p %m %l\n' | LC_ALL=C sort
    find . -type f -print0 | LC_ALL=C sort -z | xargs -0 -r sha256sum
  ) | sha256sum | cut -d' ' -f1
}

# sweep_stale_images : remove untagged, childless images made by these scripts
# (label s2i.test.fixture-hash), e.g. an old base once its last child was rebuilt.
sweep_stale_images() {
  local stale _
  for _ in 1 2 3; do
    stale=$(docker images -q --no-trunc -f dangling=true -f label=s2i.test.fixture-hash 2>/dev/null || true)
    [ -n "$stale" ] || return 0
    # shellcheck disable=SC2086 # one id per word
    docker rmi $stale >/dev/null 2>&1 || return 0
  done
}
