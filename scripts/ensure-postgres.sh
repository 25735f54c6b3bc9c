#!/usr/bin/env bash
# Installs Debian's PostgreSQL server binaries (initdb, pg_ctl, postgres) when missing. Starts
# nothing: the tests that need a database make their own throwaway cluster (initdb + pg_ctl in a
# temp dir, as an unprivileged user since postgres refuses to run as root, on a free loopback
# port) and stop it (s2i-testing's PostgresCluster). Prints the binaries' directory.
set -euo pipefail
# shellcheck source=scripts/lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

find_bin() {
  local d
  for d in /usr/lib/postgresql/*/bin; do
    if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && [ -x "$d/postgres" ]; then
      echo "$d"
      return 0
    fi
  done
  return 1
}

if ! find_bin >/dev/null; then
  # apt_install keeps the package's scripts from starting the distribution's own cluster.
  apt_install postgresql
fi
bin=$(find_bin) || die "PostgreSQL's initdb/pg_ctl not found under /usr/lib/postgresql/*/bin after installing postgresql"
# The tests run postgres as this user when they run as root.
id nobody >/dev/null 2>&1 || die "no user 'nobody' to run the test clusters as"
echo "$bin"
