#!/usr/bin/env python3
"""Start-up to the first engine call without a tracer: `s2i build --engine docker` with DOCKER_HOST
at a unix socket this script listens on; the time is from just before starting the process to the
accept. (strace -f, which bench.py uses, stops the JVM at every thread start and signal, which
adds tens of ms.) The stand-in never answers, so s2i then fails (exit 7): nothing is built.

Usage: bench/first_connect.py RUNS S2I_ROOT [S2I_ROOT...]   (each root holds bin/s2i; runs interleave)
"""
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time


def first_connect_ms(s2i, sock_path, app):
    if os.path.exists(sock_path):
        os.unlink(sock_path)
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as server:
        server.bind(sock_path)
        server.listen(8)
        env = dict(os.environ, DOCKER_HOST="unix://" + sock_path)
        t0 = time.perf_counter()
        proc = subprocess.Popen([s2i, "build", app, "127.0.0.1:1/s2i-bench-none:latest", "--engine", "docker"],
                                env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        conn, _ = server.accept()
        elapsed = (time.perf_counter() - t0) * 1000
        conn.close()
    proc.wait()
    return elapsed


def main():
    runs, roots = int(sys.argv[1]), sys.argv[2:]
    results = {r: [] for r in roots}
    with tempfile.TemporaryDirectory() as tmp:
        app = os.path.join(tmp, "app")
        os.mkdir(app)
        with open(os.path.join(app, "hello.txt"), "w") as f:
            f.write("hello\n")
        for i in range(runs + 1):
            for root in roots:
                ms = first_connect_ms(os.path.join(root, "bin", "s2i"), os.path.join(tmp, "engine.sock"), app)
                if i > 0:  # the first round warms the page cache
                    results[root].append(ms)
    for root, values in results.items():
        print(f"{root}: first engine connect median {statistics.median(values):.0f} ms, "
              f"min {min(values):.0f} ms, max {max(values):.0f} ms ({len(values)} runs)")


if __name__ == "__main__":
    main()
