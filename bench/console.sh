#!/usr/bin/env bash
# The web console's speed goal: every page drawn with its data in under 300 ms from the local
# server with 1,000 builds in the database. Seeds an embedded database, starts the server in a
# JVM with no engine (no build runs), loads each page in Debian's Chromium (installed by
# scripts/ensure-browser.sh) and writes bench/CONSOLE-RESULTS.md. About a minute.
# Usage: bench/console.sh [--runs N (default 15)]
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
runs=15
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=$2; shift ;;
    -h|--help) sed -n '2,7p' "$0"; exit 0 ;;
    *) echo "console.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
bash "$ROOT/scripts/ensure-browser.sh" >/dev/null
cd "$ROOT"
# ConsoleBench is named so that neither surefire nor failsafe runs it with the tests; -Dit.test picks it.
mvn -B -ntp -q -pl s2i-service -am verify -Ds2i.cds.skip=true -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test=ConsoleBench -Dfailsafe.failIfNoSpecifiedTests=false -Dconsole.bench.runs="$runs" \
  -Dconsole.bench.out="$ROOT/bench/CONSOLE-RESULTS.md"
echo "console.sh: wrote bench/CONSOLE-RESULTS.md"
