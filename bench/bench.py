#!/usr/bin/env python3
"""Times whole `s2i build` processes against `docker build` and the raw engine floor.

Run through bench/run.sh, which builds what this needs. Every figure is measured here, in one
run, on this machine; bench/RESULTS.md is the report. Wall time is measured around the process;
CPU and peak RSS come from the process's rusage (the client only: the daemon's and the build
containers' CPU is in "machine CPU", the whole machine's busy time during the run).
"""

import argparse
import json
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from first_connect import first_connect_ms

IMAGE_PREFIX = "localhost/s2i-bench"
STEP_LINE = re.compile(r"^Step (\w+) (?:finished|failed) in (\d+) ms$")
USAGE_EXIT = 2


# ---------------------------------------------------------------- measuring

def machine_busy_seconds():
    """Busy CPU seconds of the whole machine so far (all cores), from /proc/stat."""
    with open("/proc/stat") as f:
        fields = [int(x) for x in f.readline().split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


class Sample:
    """One timed process (or sequence of processes)."""

    def __init__(self):
        self.wall = 0.0
        self.cpu = 0.0
        self.machine_cpu = 0.0
        self.rss_mb = 0.0
        self.steps = {}
        self.stderr = ""

    def add(self, other):
        self.wall += other.wall
        self.cpu += other.cpu
        self.machine_cpu += other.machine_cpu
        self.rss_mb = max(self.rss_mb, other.rss_mb)


def timed(cmd, stdin=None, env=None, check=True):
    """Runs cmd under /usr/bin/time; returns (Sample, returncode, stdout)."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as tf:
        busy0 = machine_busy_seconds()
        t0 = time.perf_counter()
        proc = subprocess.run(["/usr/bin/time", "-q", "-f", "%U %S %M", "-o", tf.name, *map(str, cmd)],
                              stdin=stdin if stdin is not None else subprocess.DEVNULL,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        wall = time.perf_counter() - t0
        busy = machine_busy_seconds() - busy0
        usage = tf.read().split()
    s = Sample()
    s.wall = wall
    s.machine_cpu = busy
    s.stderr = proc.stderr.decode(errors="replace")
    if len(usage) >= 3:
        s.cpu = float(usage[-3]) + float(usage[-2])
        s.rss_mb = int(usage[-1]) / 1024.0
    if check and proc.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, cmd))} exited {proc.returncode}:\n{s.stderr[-2000:]}")
    for line in s.stderr.splitlines():
        m = STEP_LINE.match(line.strip())
        if m:
            s.steps[m.group(1)] = s.steps.get(m.group(1), 0) + int(m.group(2)) / 1000.0
    return s, proc.returncode, proc.stdout.decode(errors="replace")


def docker(*args, check=True):
    r = subprocess.run(["docker", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if check and r.returncode != 0:
        raise RuntimeError(f"docker {' '.join(args)}: {r.stderr.decode(errors='replace').strip()}")
    return r.stdout.decode().strip()


def remove_image(ref):
    subprocess.run(["docker", "rmi", "-f", ref], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def image_id(ref):
    r = subprocess.run(["docker", "image", "inspect", "--format", "{{.Id}}", ref],
                       stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    return r.stdout.strip() if r.returncode == 0 else None


def image_size(ref):
    return int(docker("image", "inspect", "--format", "{{.Size}}", ref))


# ---------------------------------------------------------------- workloads

def make_workloads(work: Path):
    """W1 one file; W2 5,000 files / 60 MB; W3 a small app that needs 100 MB of dependencies."""
    stamp = work / ".generated-v1"
    if stamp.exists():
        return
    if work.exists():
        shutil.rmtree(work)
    w1 = work / "w1"
    w1.mkdir(parents=True)
    (w1 / "hello.txt").write_text("hello from W1\n")
    w2 = work / "w2"
    rnd = random.Random(7)
    per_file = 12_000  # 5,000 x 12,000 B = 60 MB
    for d in range(50):
        sub = w2 / f"pkg{d:02d}"
        sub.mkdir(parents=True)
        for i in range(100):
            (sub / f"file{i:03d}.dat").write_bytes(rnd.randbytes(per_file))
    (w2 / "pkg00" / "file000.dat").unlink()
    (w2 / "hello.txt").write_text("hello from W2\n")
    w3 = work / "w3"
    w3.mkdir()
    (w3 / "hello.txt").write_text("hello from W3\n")
    (w3 / "deps.mb").write_text("100\n")
    stamp.write_text("")


# What a user would write instead of s2i: COPY the source, RUN assemble, CMD run.
DOCKERFILE = """FROM {builder}
COPY --chown=1001:0 . /tmp/src/
RUN /usr/libexec/s2i/assemble
CMD ["/usr/libexec/s2i/run"]
"""


# ---------------------------------------------------------------- the runs

class Bench:
    def __init__(self, root: Path, builder: str, work: Path, runs: int):
        self.root = root
        self.s2i = str(root / "bin" / "s2i")
        self.builder = builder
        self.work = work
        self.runs = runs
        self.results = {}  # name -> list[Sample]
        self.notes = {}    # workload -> text
        self.sizes = {}
        self.failures = []  # runs that failed and were retried
        self.produced = set()  # ids of every image a run made: retagging leaves the old ones untagged
        self.load_before = Path("/proc/loadavg").read_text().split()[:3]

    def s2i_build(self, app, tag, *extra, check=True, env=None):
        cmd = [self.s2i, "build", str(self.work / app), self.builder, tag,
               "--network", "none", "--loglevel", "2", *extra]
        try:
            return timed(cmd, check=check, env=env)
        finally:
            self.produced_by(tag)

    def produced_by(self, tag):
        made = image_id(tag)
        if made:
            self.produced.add(made)

    def remove_produced(self):
        """Removes every image the runs made (and, with them, docker build's untagged parents)."""
        if self.produced:
            subprocess.run(["docker", "rmi", "-f", *sorted(self.produced)],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            self.produced.clear()

    def docker_build(self, app, tag, cache):
        dockerfile = self.work / f"{app}.Dockerfile"
        dockerfile.write_text(DOCKERFILE.format(builder=self.builder))
        env = dict(os.environ, DOCKER_BUILDKIT="0")
        cmd = ["docker", "build", "-q", "--network", "none", "--force-rm", "-f", str(dockerfile),
               "-t", tag, *([] if cache else ["--no-cache"]), str(self.work / app)]
        try:
            return timed(cmd, env=env)[0]
        finally:
            self.produced_by(tag)

    def engine_floor(self, app, tag):
        """docker create + start -a with the source tar on stdin + commit (+ rm), as the CLI does
        them; assemble removes /tmp/src before the commit, so the image has no second copy."""
        total = Sample()
        s, _, cid = timed(["docker", "create", "-i", "--network", "none", self.builder, "/bin/sh", "-c",
                           "tar -C /tmp -xf - && /usr/libexec/s2i/assemble && rm -rf /tmp/src"])
        total.add(s)
        total.steps["create"] = s.wall
        cid = cid.strip()
        try:
            tar = subprocess.Popen(["tar", "-C", str(self.work / app), "-cf", "-", "--owner=1001",
                                    "--group=0", "--transform", r"s,^\.,src,", "."],
                                   stdout=subprocess.PIPE)
            s, _, _ = timed(["docker", "start", "-ai", cid], stdin=tar.stdout)
            tar.stdout.close()
            tar.wait()
            total.add(s)
            total.steps["start+assemble"] = s.wall
            s, _, _ = timed(["docker", "commit", "--change", 'CMD ["/usr/libexec/s2i/run"]', cid, tag])
            self.produced_by(tag)
            total.add(s)
            total.steps["commit"] = s.wall
        finally:
            s, _, _ = timed(["docker", "rm", "-f", cid])
            total.add(s)
            total.steps["rm"] = s.wall
        return total

    def record(self, name, sample):
        self.results.setdefault(name, []).append(sample)
        print(f"  {name:28s} {sample.wall:7.3f} s", file=sys.stderr, flush=True)

    def repeat(self, name, fn, warmup=True):
        if warmup:
            self.retrying(name, fn)
        for _ in range(self.runs):
            self.record(name, self.retrying(name, fn))

    def retrying(self, name, fn, attempts=3):
        """Other users of the shared engine sometimes remove our containers mid-run: retry then."""
        for attempt in range(attempts):
            try:
                return fn()
            except RuntimeError as e:
                if attempt == attempts - 1:
                    raise
                self.failures.append(f"{name}: {str(e).strip().splitlines()[-1][:300]}")
                print(f"  {name}: failed, retrying ({self.failures[-1]})", file=sys.stderr, flush=True)

    # -- workloads

    def w1_w2(self, w):
        app = w.lower()
        tag_s2i, tag_docker, tag_floor = (f"{IMAGE_PREFIX}/{app}-{k}:latest" for k in ("s2i", "docker", "floor"))
        print(f"{w}:", file=sys.stderr)

        def s2i():
            # --no-cache: every run is a real build, not a reuse of the unchanged image (that is W4).
            s = self.s2i_build(app, tag_s2i, "--no-cache")[0]
            return s

        self.repeat(f"{w} s2i build", s2i)
        self.sizes[f"{w} s2i"] = image_size(tag_s2i)
        self.repeat(f"{w} docker build", lambda: self.docker_build(app, tag_docker, cache=False))
        self.sizes[f"{w} docker build"] = image_size(tag_docker)
        self.repeat(f"{w} engine floor", lambda: self.engine_floor(app, tag_floor))
        self.sizes[f"{w} engine floor"] = image_size(tag_floor)
        self.remove_produced()

    def w3(self):
        print("W3:", file=sys.stderr)
        tag = f"{IMAGE_PREFIX}/w3-s2i:latest"
        remove_image(tag)
        self.retrying("W3 first build", lambda: self.s2i_build("w3", tag))
        _, code, _ = self.s2i_build("w3", tag, "--incremental", check=False)
        if code == USAGE_EXIT:
            self.notes["W3"] = ("skipped: `s2i build --incremental` exits 2 (not supported by this "
                                "version yet); it runs automatically once it works")
            if os.environ.get("BENCH_KEEP_W3"):
                return
            self.remove_produced()
            return
        if code != 0:
            raise RuntimeError(f"W3 incremental probe exited {code}")
        for _ in range(self.runs):
            remove_image(tag)
            self.record("W3 s2i clean build",
                        self.retrying("W3", lambda: self.s2i_build("w3", tag, "--no-cache")[0]))
            self.record("W3 s2i incremental",
                        self.retrying("W3", lambda: self.s2i_build("w3", tag, "--incremental", "--no-cache")[0]))
        self.remove_produced()

    def w4(self):
        print("W4:", file=sys.stderr)
        tag = f"{IMAGE_PREFIX}/w4-s2i:latest"
        dtag = f"{IMAGE_PREFIX}/w4-docker:latest"
        self.retrying("W4 first build", lambda: self.s2i_build("w2", tag))
        self.repeat("W4 s2i rebuild unchanged", lambda: self.s2i_build("w2", tag)[0], warmup=False)
        self.retrying("W4 first docker build", lambda: self.docker_build("w2", dtag, cache=False))
        self.repeat("W4 docker build cached", lambda: self.docker_build("w2", dtag, cache=True), warmup=False)
        self.remove_produced()

    def w5(self, engine):
        print("W5:", file=sys.stderr)
        tag = f"{IMAGE_PREFIX}/w5-s2i:latest"
        _, code, _ = self.s2i_build("w1", tag, "--engine", engine, check=False)
        if code != 0:
            self.notes["W5"] = (f"skipped: no daemonless engine yet (`s2i build --engine {engine}` "
                                f"exits {code}); it runs automatically once that works")
            return
        self.repeat("W5 s2i build (daemonless)",
                    lambda: self.s2i_build("w2", tag, "--engine", engine, "--no-cache")[0])
        self.remove_produced()

    def startup(self):
        """Process start to the first connect() on the engine socket: a socket of this harness
        stands in for the engine (no tracer: strace -f stops the JVM at every thread start and
        signal, some 80-100 ms more); once more under strace, from the launcher's execve."""
        print("start-up:", file=sys.stderr)
        with tempfile.TemporaryDirectory() as tmp:
            sock = os.path.join(tmp, "engine.sock")
            for i in range(self.runs + 1):
                ms = first_connect_ms(self.s2i, sock, str(self.work / "w1"))
                if i > 0:  # the first run warms the page cache
                    s = Sample()
                    s.wall = ms / 1000
                    self.results.setdefault("start-up to first engine call", []).append(s)
        tag = f"{IMAGE_PREFIX}/startup:latest"
        host = os.environ.get("DOCKER_HOST", "unix:///var/run/docker.sock")
        sock = host[len("unix://"):] if host.startswith("unix://") else "/var/run/docker.sock"
        name = "start-up to first engine call, under strace"
        for _ in range(self.runs + 1):
            with tempfile.NamedTemporaryFile("r", suffix=".strace") as trace:
                subprocess.run(["strace", "-f", "--seccomp-bpf", "-ttt", "-e", "trace=execve,connect",
                                "-o", trace.name, self.s2i, "build", str(self.work / "w1"), self.builder,
                                tag, "--network", "none"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
                self.produced_by(tag)
                first = connect = None
                for line in trace:
                    m = re.match(r"\d+\s+(\d+\.\d+) (execve|connect)\(", line)
                    if not m:
                        continue
                    if first is None:
                        first = float(m.group(1))
                    if m.group(2) == "connect" and f'sun_path="{sock}"' in line:
                        connect = float(m.group(1))
                        break
            if connect is not None:
                s = Sample()
                s.wall = connect - first
                self.results.setdefault(name, []).append(s)
        # the warm-up run is the first one
        self.results[name] = self.results.get(name, [])[1:]
        self.repeat("s2i version (no engine)", lambda: timed([self.s2i, "version"])[0])
        self.produced_by(tag)
        self.remove_produced()


# ---------------------------------------------------------------- report

def stats(samples, attr="wall"):
    values = [getattr(s, attr) for s in samples]
    return statistics.median(values), min(values), max(values)


def machine_description(root):
    def sh(cmd):
        try:
            return subprocess.run(cmd, shell=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                  text=True).stdout.strip()
        except OSError:
            return "?"

    cpu = sh("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2").strip()
    mem = sh("awk '/MemTotal/ {printf \"%.1f GB\", $2/1048576}' /proc/meminfo")
    os_name = sh(". /etc/os-release; echo $PRETTY_NAME")
    java = sh("java -version 2>&1 | head -1")
    engine = sh("docker version --format '{{.Server.Version}} (API {{.Server.APIVersion}})'")
    driver = sh("docker info --format '{{.Driver}}'")
    commit = sh(f"git -C {root} rev-parse --short HEAD")
    dirty = sh(f"git -C {root} status --porcelain -- . ':!bench/RESULTS.md'")
    jsa = (root / "s2i-cli/target/s2i.jsa").exists()
    return [
        f"- CPU: {cpu}, {os.cpu_count()} cores; memory {mem}",
        f"- OS: {os_name}, kernel {platform.release()}",
        f"- Java: {java}",
        f"- Docker: {engine}, storage driver {driver}; "
        f"{os.environ.get('BENCH_ENGINE_NOTE', 'the shared daemon (BENCH_ENGINE=shared)')}",
        f"- s2i: commit {commit}{' (with local changes)' if dirty else ''}; "
        f"class-data archive {'present' if jsa else 'absent'}",
    ]


def ratio(bench, a, b):
    if a in bench.results and b in bench.results:
        return stats(bench.results[a])[0] / stats(bench.results[b])[0]
    return None


def fmt_ratio(r, target=None):
    if r is None:
        return "n/a"
    text = f"{r:.2f}x"
    if target is not None:
        text += f" (target <= {target}x: {'met' if r <= target else 'NOT met'})"
    return text


def report(bench, root, out: Path, elapsed):
    lines = ["# s2i benchmark results", "",
             f"Written by `bench/run.sh` on {time.strftime('%Y-%m-%d %H:%M %Z')} in {elapsed:.0f} s. "
             f"Each figure: {bench.runs} timed runs after one untimed warm-up (W3, W4: no warm-up; "
             "W4 is timed after a first, untimed build). Do not edit by hand: rerun `bench/run.sh`.", "",
             "## Machine", "", *machine_description(root),
             f"- load average (1, 5, 15 min) at the start: {' '.join(bench.load_before)}; at the end: "
             f"{' '.join(Path('/proc/loadavg').read_text().split()[:3])}", "",
             "Other processes share this machine, so figures move by some 10 % between runs. ",
             "Client CPU and peak RSS are the measured process's own (for `docker build` and the floor ",
             "that is only the docker CLI); machine CPU is every core's busy time during the run ",
             "(daemon, containers and anything else running).", "",
             "## Figures", "",
             "| measurement | wall median | min | max | client CPU | machine CPU | peak RSS |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for name, samples in bench.results.items():
        med, lo, hi = stats(samples)
        cpu = stats(samples, "cpu")[0]
        mcpu = stats(samples, "machine_cpu")[0]
        rss = max(s.rss_mb for s in samples)
        if name.startswith("start-up"):
            lines.append(f"| {name} | {med * 1000:.0f} ms | {lo * 1000:.0f} ms | {hi * 1000:.0f} ms | | | |")
        else:
            lines.append(f"| {name} | {med:.3f} s | {lo:.3f} s | {hi:.3f} s | {cpu:.2f} s | {mcpu:.2f} s | {rss:.0f} MB |")
    lines += ["", "Start-up: from starting the process to its first connect() on a socket this harness "
              "listens on in place of the engine (no tracer). The row under strace is the same from the "
              "launcher's execve with `strace -f`, which stops the JVM at every thread start (80-100 ms more).",
              "", "## Targets and ratios", "",
              "| ratio | value |", "|---|---|"]
    su = bench.results.get("start-up to first engine call")
    if su:
        med = stats(su)[0] * 1000
        lines.append(f"| start-up to first engine call (target < 150 ms) | {med:.0f} ms: "
                     f"{'met' if med < 150 else 'NOT met'} |")
    lines.append(f"| W1 s2i / engine floor | {fmt_ratio(ratio(bench, 'W1 s2i build', 'W1 engine floor'), 1.0)} |")
    lines.append(f"| W1 s2i / docker build | {fmt_ratio(ratio(bench, 'W1 s2i build', 'W1 docker build'))} |")
    lines.append(f"| W2 s2i / docker build | {fmt_ratio(ratio(bench, 'W2 s2i build', 'W2 docker build'), 0.25)} |")
    lines.append(f"| W2 s2i / engine floor | {fmt_ratio(ratio(bench, 'W2 s2i build', 'W2 engine floor'))} |")
    lines.append(f"| W3 incremental / clean build | "
                 f"{fmt_ratio(ratio(bench, 'W3 s2i incremental', 'W3 s2i clean build'), 0.5)} |")
    lines.append(f"| W4 s2i unchanged rebuild / docker build cached | "
                 f"{fmt_ratio(ratio(bench, 'W4 s2i rebuild unchanged', 'W4 docker build cached'))} |")
    lines.append(f"| W4 s2i unchanged rebuild / W2 s2i build | "
                 f"{fmt_ratio(ratio(bench, 'W4 s2i rebuild unchanged', 'W2 s2i build'), 0.1)} |")
    # Issue #6: the daemonless build must beat the Docker-engine build of the same app.
    lines.append(f"| W5 daemonless / W2 s2i build (Docker engine) | "
                 f"{fmt_ratio(ratio(bench, 'W5 s2i build (daemonless)', 'W2 s2i build'), 0.99)} |")
    if "W2 s2i" in bench.sizes and "W2 docker build" in bench.sizes:
        r = bench.sizes["W2 s2i"] / bench.sizes["W2 docker build"]
        lines.append(f"| W2 image size: s2i / docker build (keeps the sources) | {fmt_ratio(r, 0.8)} |")
    lines += ["", "Image sizes (docker image inspect .Size):", ""]
    for k, v in bench.sizes.items():
        lines.append(f"- {k}: {v / 1e6:.1f} MB")
    if bench.notes:
        lines += ["", "## Skipped", ""]
        for k, v in bench.notes.items():
            lines.append(f"- {k}: {v}")
    if bench.failures:
        lines += ["", "## Failed runs (retried, not counted)", ""]
        lines += [f"- {f}" for f in bench.failures]
    lines += ["", "## Where the time goes (medians)", "",
              "s2i steps come from `--loglevel 2` (`Step X finished in N ms`); \"outside steps\" is the "
              "rest of the process: JVM start, argument parsing, opening the engine, clean-up and exit. "
              "The floor is the docker CLI doing the same container round trip by hand "
              "(each docker CLI call costs some 30-60 ms of its own).", ""]
    for w in ("W1", "W2"):
        s2i = bench.results.get(f"{w} s2i build")
        floor = bench.results.get(f"{w} engine floor")
        if not s2i or not floor:
            continue
        lines += [f"### {w}", "", "| s2i step | median |", "|---|---:|"]
        names = list(s2i[0].steps)
        total_steps = 0.0
        for n in names:
            med = statistics.median(s.steps.get(n, 0.0) for s in s2i)
            total_steps += med
            lines.append(f"| {n} | {med * 1000:.0f} ms |")
        outside = statistics.median(s.wall - sum(s.steps.values()) for s in s2i)
        lines.append(f"| outside steps | {outside * 1000:.0f} ms |")
        lines.append(f"| **whole process** | **{stats(s2i)[0] * 1000:.0f} ms** |")
        lines += ["", "| floor step | median |", "|---|---:|"]
        for n in floor[0].steps:
            med = statistics.median(s.steps[n] for s in floor)
            lines.append(f"| docker {n} | {med * 1000:.0f} ms |")
        lines.append(f"| **total** | **{stats(floor)[0] * 1000:.0f} ms** |")
        lines.append("")
    analysis = root / "bench" / "ANALYSIS.md"
    if analysis.exists():
        lines += ["## Analysis", "", f"See [ANALYSIS.md](ANALYSIS.md) (written by hand from runs like this one).", ""]
    out.write_text("\n".join(lines) + "\n")
    raw = {k: [vars(s) | {"stderr": None} for s in v] for k, v in bench.results.items()}
    (bench.work / "results.json").write_text(json.dumps({"results": raw, "sizes": bench.sizes,
                                                        "notes": bench.notes}, indent=1))


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--root", required=True, type=Path)
    p.add_argument("--builder", required=True)
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--only", default="startup,W1,W2,W3,W4,W5")
    p.add_argument("--out", type=Path)
    p.add_argument("--work", type=Path, default=Path(os.environ.get("BENCH_WORK", "/tmp/s2i-bench")))
    a = p.parse_args()
    out = a.out or a.root / "bench" / "RESULTS.md"
    make_workloads(a.work)
    bench = Bench(a.root, a.builder, a.work, a.runs)
    only = {x.strip().lower() for x in a.only.split(",")}
    t0 = time.time()
    if "startup" in only:
        bench.startup()
    for w in ("W1", "W2"):
        if w.lower() in only:
            bench.w1_w2(w)
    if "w3" in only:
        bench.w3()
    if "w4" in only:
        bench.w4()
    if "w5" in only:
        bench.w5(os.environ.get("BENCH_DAEMONLESS_ENGINE", "oci"))
    report(bench, a.root, out, time.time() - t0)
    print(f"bench: wrote {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
