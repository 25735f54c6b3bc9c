#!/usr/bin/env python3
"""Times the build service: see bench/serve.sh and bench/README.md ("The build service")."""
import argparse
import http.client
import json
import os
import shutil
import statistics
import subprocess
import tempfile
import time
import urllib.parse
from pathlib import Path

BUILDER = "localhost/s2i-test/builder:latest"


def pct(values, p):
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100.0 * (len(s) - 1))))]


class Api:
    def __init__(self, url, token):
        u = urllib.parse.urlparse(url)
        self.conn = http.client.HTTPConnection(u.hostname, u.port, timeout=300)
        self.token = token

    def call(self, method, path, body=None):
        headers = {"Authorization": "Bearer " + self.token}
        if body is not None:
            headers["Content-Type"] = "application/json"
            body = json.dumps(body)
        self.conn.request(method, path, body=body, headers=headers)
        r = self.conn.getresponse()
        data = r.read()
        if r.status >= 300:
            raise RuntimeError(f"{method} {path}: {r.status} {data[:300]!r}")
        return json.loads(data) if data else None


def rss_kib(pid):
    # The server is a java child of bin/s2i's exec: the same pid.
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def wait_ended(api, build, poll=0.02):
    while True:
        b = api.call("GET", f"/api/v1/builds/{build}")
        if b["phase"] not in ("New", "Pending", "Running"):
            return b
        time.sleep(poll)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", required=True)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--queue", type=int, default=20)
    ap.add_argument("--api", type=int, default=300)
    ap.add_argument("--out", default=None)
    a = ap.parse_args()
    root = Path(a.root)
    s2i = str(root / "bin/s2i")
    work = Path(os.environ.get("BENCH_WORK", "/tmp/s2i-bench")) / "serve"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    env = dict(os.environ, XDG_CONFIG_HOME=str(work / "config"), XDG_DATA_HOME=str(work / "share"))
    app = work / "app"
    app.mkdir()
    (app / "hello.txt").write_text("hello\n")
    tag = "localhost/s2i-bench/serve-app:latest"
    results = {"runs": a.runs, "queue": a.queue, "api_calls": a.api, "cores": os.cpu_count(),
               "loadavg_before": os.getloadavg()[0]}

    log = open(work / "serve.log", "w")
    server = subprocess.Popen([s2i, "serve", "--port", "0", "--data-dir", str(work / "data")],
                              env=env, stdout=subprocess.DEVNULL, stderr=log)
    try:
        cfg = work / "config/s2i/client.yaml"
        t0 = time.time()
        while not cfg.exists():
            if server.poll() is not None:
                raise SystemExit("serve exited: " + (work / "serve.log").read_text())
            time.sleep(0.05)
        results["server_start_s"] = round(time.time() - t0, 3)
        conf = dict(line.split(": ", 1) for line in cfg.read_text().splitlines() if ": " in line)
        api = Api(conf["server"].strip().strip('"'), conf["token"].strip().strip('"'))
        time.sleep(3)
        results["idle_rss_mib_at_start"] = round(rss_kib(server.pid) / 1024, 1)

        api.call("POST", "/api/v1/buildconfigs", {
            "name": "app", "source": {"git": {"uri": str(app)}},
            "runPolicy": "Parallel", "successfulBuildsHistoryLimit": 1000,
            "strategy": {"builderImage": BUILDER, "pullPolicy": "Never"},
            "output": {"image": tag}})

        # API latency (keep-alive connection, one client)
        lat = {}
        for name, method, path in (("GET config", "GET", "/api/v1/buildconfigs/app"),
                                   ("GET builds (list)", "GET", "/api/v1/builds?limit=20")):
            samples = []
            for _ in range(a.api):
                t = time.perf_counter()
                api.call(method, path)
                samples.append((time.perf_counter() - t) * 1000)
            lat[name] = {"p50_ms": round(pct(samples, 50), 2), "p95_ms": round(pct(samples, 95), 2),
                         "max_ms": round(max(samples), 2)}

        # A trivial build: start-build -> Complete, and s2i build of the same app (--no-cache both)
        service_runs = []
        for i in range(a.runs + 1):  # the first one warms the server's JIT; not counted
            t = time.perf_counter()
            b = api.call("POST", "/api/v1/buildconfigs/app/instantiate", {"noCache": True})
            done = wait_ended(api, b["name"])
            if done["phase"] != "Complete":
                raise SystemExit(f"build {b['name']} {done['phase']}: {done.get('message')}")
            if i > 0:
                service_runs.append(time.perf_counter() - t)
        cli_runs = []
        for _ in range(a.runs):
            t = time.perf_counter()
            subprocess.run([s2i, "build", str(app), BUILDER, tag, "--pull-policy", "never", "--no-cache", "-q"],
                           env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            cli_runs.append(time.perf_counter() - t)

        # Queue throughput: N trivial builds started at once
        t = time.perf_counter()
        names = [api.call("POST", "/api/v1/buildconfigs/app/instantiate", {"noCache": True})["name"]
                 for _ in range(a.queue)]
        for n in names:
            wait_ended(api, n, poll=0.1)
        queue_s = time.perf_counter() - t
        api.call("DELETE", "/api/v1/buildconfigs/app")
        time.sleep(5)
        results["idle_rss_mib_after_builds"] = round(rss_kib(server.pid) / 1024, 1)
        results["api_latency"] = lat
        results["trivial_build_s"] = {
            "start_build_to_complete_median": round(statistics.median(service_runs), 3),
            "start_build_to_complete_all": [round(x, 3) for x in service_runs],
            "s2i_build_process_median": round(statistics.median(cli_runs), 3),
            "s2i_build_process_all": [round(x, 3) for x in cli_runs]}
        results["queue"] = {"builds": a.queue, "seconds": round(queue_s, 2),
                            "builds_per_minute": round(a.queue / queue_s * 60, 1), "max_builds": os.cpu_count()}
    finally:
        server.terminate()
        try:
            server.wait(60)
        except subprocess.TimeoutExpired:
            server.kill()
        subprocess.run(["docker", "rmi", tag], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        dangling = subprocess.run(["docker", "images", "-q", "-f", "dangling=true", "-f",
                                   f"label=io.openshift.s2i.build.source-location={app}"],
                                  capture_output=True, text=True).stdout.split()
        if dangling:
            subprocess.run(["docker", "rmi", *dangling], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    results["loadavg_after"] = os.getloadavg()[0]
    (work / "serve-results.json").write_text(json.dumps(results, indent=2))
    out = Path(a.out) if a.out else root / "bench/SERVE-RESULTS.md"
    tb = results["trivial_build_s"]
    lines = [
        "# s2i serve benchmark results", "",
        f"Written by `bench/serve.sh` on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; "
        f"{results['cores']} cores, load average {results['loadavg_before']:.2f} before and "
        f"{results['loadavg_after']:.2f} after. Docker engine, fixture builder `{BUILDER}`, "
        "embedded database, `--max-builds` = cores.", "",
        "| measure | value |", "|---|---|",
        f"| server start (process start to client config written) | {results['server_start_s']} s |",
        *[f"| API {k}: p50 / p95 / max ({a.api} calls, keep-alive) | {v['p50_ms']} / {v['p95_ms']} / {v['max_ms']} ms |"
          for k, v in results["api_latency"].items()],
        f"| trivial build, start-build to Complete (median of {a.runs}, warm server) | {tb['start_build_to_complete_median']} s |",
        f"| the same app with `s2i build` (a process each, median of {a.runs}) | {tb['s2i_build_process_median']} s |",
        f"| queue: {a.queue} trivial builds started at once, all Complete | {results['queue']['seconds']} s "
        f"({results['queue']['builds_per_minute']} builds/min) |",
        f"| idle memory (RSS) after start | {results['idle_rss_mib_at_start']} MiB |",
        f"| idle memory (RSS) after the builds | {results['idle_rss_mib_after_builds']} MiB |",
        "", "Every build uses `noCache` (`--no-cache` for `s2i build`), so each really runs assemble.", ""]
    out.write_text("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
