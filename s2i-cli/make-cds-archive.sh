#!/usr/bin/env bash
# Makes the class-data archive that bin/s2i uses to start faster: a static AppCDS archive
# (target/s2i.jsa) on JDK 13-24, an AOT cache (target/s2i.aot) on JDK 25+. Static, not dynamic:
# picocli's classes are Java 5 class files, which JDK 17 keeps only in a static archive (a dynamic
# one skipped all 175 of them, some 60 ms of every start-up). Run by `mvn package`
# in s2i-cli (after the jar is built); safe to run by hand. It never fails the build: without an
# archive the launcher simply starts slower.
#
# The training run is `s2i build` against a stand-in engine (cds-training-engine.py, when python3
# is there) that answers the ping and the builder inspect and refuses the container, so it loads
# the command line, the build request, docker-java with its HTTP client and JSON mapping, and the
# build's first steps; without python3, against a socket that does not exist (it then stops at
# the connection). It never touches a real engine (other builds and tests may be using it).
#
# target/s2i-archive.info records the java binary that made the archive (line 1) and its kind
# (line 2: jsa or aot): the launcher uses it only when it runs that same java on an archive newer
# than the jar, so a stale archive or another JDK never breaks (or slows) it.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
target="${1:-$here/target}"
jar="$target/s2i.jar"
info_file="$target/s2i-archive.info"
java_bin=$(readlink -f "$(command -v "${JAVA_HOME:+$JAVA_HOME/bin/}java")" 2>/dev/null) || java_bin=""

say() { echo "make-cds-archive: $*" >&2; }

rm -f "$info_file" "$target/s2i.jsa" "$target/s2i.aot"
if [[ ! -f "$jar" ]]; then
  say "no $jar; nothing to do"
  exit 0
fi
if [[ -z "$java_bin" ]]; then
  say "no java on PATH; skipped"
  exit 0
fi

version=$("$java_bin" -version 2>&1 | sed -n '1s/.*version "\([0-9]*\).*/\1/p')
version=${version:-0}
# Keep in step with bin/s2i: an archive is only usable by a JVM started with the same GC.
base_opts=(-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xss1m -XX:-UsePerfData)
quiet=(-Xlog:cds=off -Xlog:cds+dynamic=off)
if (( version >= 25 )); then
  archive="$target/s2i.aot"
  make=(-XX:AOTCacheOutput="$archive")
  kind=aot
  use=(-XX:AOTCache="$archive" -XX:AOTMode=auto -Xlog:aot=off -Xlog:cds=off)
  quiet=(-Xlog:aot=off -Xlog:cds=off)
elif (( version >= 13 )); then
  archive="$target/s2i.jsa"
  make=() # the training run writes the class list; -Xshare:dump then makes the archive
  kind=jsa
  use=(-XX:SharedArchiveFile="$archive" -Xshare:auto -Xlog:cds=off -Xlog:cds+dynamic=off)
else
  say "java $version has no dynamic class-data archives; skipped"
  exit 0
fi

training=$(mktemp -d)
engine_pid=""
cleanup() {
  if [[ -n "$engine_pid" ]]; then kill "$engine_pid" 2>/dev/null; wait "$engine_pid" 2>/dev/null; fi
  rm -rf "$training"
}
trap cleanup EXIT
mkdir "$training/app"
if [[ "$kind" == jsa ]]; then
  make=(-XX:DumpLoadedClassList="$training/classes.lst")
fi
echo "training" > "$training/app/hello.txt"
socket="$training/engine.sock"
if command -v python3 >/dev/null 2>&1 && [[ -f "$here/cds-training-engine.py" ]]; then
  python3 "$here/cds-training-engine.py" "$socket" >/dev/null 2>&1 &
  engine_pid=$!
  for _ in $(seq 1 50); do [[ -S "$socket" ]] && break; sleep 0.1; done
fi
# Exit status is expected to be non-zero (the stand-in runs no container, or there is no engine);
# only the archive counts. --engine docker: never fall back to another engine.
DOCKER_HOST="unix://$socket" \
  "$java_bin" "${base_opts[@]}" "${quiet[@]}" "${make[@]}" -jar "$jar" \
  build "$training/app" 127.0.0.1:1/s2i-cds-training:latest 127.0.0.1:1/s2i-cds-training-out:latest \
  --engine docker -e A=1 --loglevel 2 >/dev/null 2>&1

# The training run stops at the first container, so a real build loads classes it never saw; each
# one missing from the archive is looked up jar by jar along the class path (opening every jar
# before the one that holds it: 40-130 ms for a class of the docker engine's jar). Every class of
# s2i's own jars, picocli and Jackson's core is listed as well (loaded, not initialised, at dump).
list_jar_classes() {
  local jar_tool="${java_bin%/*}/jar"
  if [[ -x "$jar_tool" ]]; then "$jar_tool" tf "$1"; elif command -v unzip >/dev/null 2>&1; then unzip -Z1 "$1"; fi 2>/dev/null \
    | grep '\.class$' | grep -v -e '^META-INF/' -e 'module-info\.class$' -e 'package-info\.class$' | sed 's/\.class$//'
}
if [[ "$kind" == jsa && -s "$training/classes.lst" ]]; then
  for lib in "$jar" "$target"/lib/s2i-*.jar "$target"/lib/picocli-*.jar "$target"/lib/jackson-core-*.jar; do
    [[ -f "$lib" ]] && list_jar_classes "$lib"
  done | grep -v -x -F -f "$training/classes.lst" >> "$training/classes.lst"
fi
if [[ "$kind" == jsa && -s "$training/classes.lst" ]]; then
  # The class path must be the one the launcher's -jar gives: the jar, whose manifest names the rest.
  "$java_bin" "${base_opts[@]}" -Xshare:dump -XX:SharedClassListFile="$training/classes.lst" \
    -XX:SharedArchiveFile="$archive" -cp "$jar" >/dev/null 2>&1 || rm -f "$archive"
fi
if [[ ! -s "$archive" ]]; then
  say "the JVM wrote no archive; skipped (the launcher starts without one)"
  rm -f "$archive"
  exit 0
fi
# The check run: the archive must load, else leave it out.
if ! "$java_bin" "${base_opts[@]}" "${use[@]}" -jar "$jar" version >/dev/null 2>&1; then
  say "the archive does not load; removed"
  rm -f "$archive"
  exit 0
fi
printf '%s\n%s\n' "$java_bin" "$kind" > "$info_file"
say "wrote $archive ($(du -h "$archive" | cut -f1))"
exit 0
