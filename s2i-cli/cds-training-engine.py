#!/usr/bin/env python3
"""A stand-in Docker engine for the class-data archive's training run (make-cds-archive.sh).

Serves the Docker Engine API on a unix socket just far enough for `s2i build` to open the engine
(/_ping), inspect its builder image (a canned answer), find an earlier output whose recorded inputs
differ (so the unchanged-rebuild check scans and digests the sources) and ask for a container,
which it refuses; the build then fails. The training run thereby loads and archives docker-java, Jackson and the
build's first steps without touching a real engine (other builds and tests may be using it).
Usage: cds-training-engine.py SOCKET (serves until killed).
"""
import json
import os
import re
import socketserver
import sys
from http.server import BaseHTTPRequestHandler

IMAGE = {
    "Id": "sha256:" + "0" * 64,
    "RepoTags": ["127.0.0.1:1/s2i-cds-training:latest"],
    "RepoDigests": [],
    "Created": "2026-01-01T00:00:00Z",
    "Config": {
        "User": "1001",
        "Env": ["PATH=/usr/local/bin:/usr/bin:/bin", "HOME=/opt/app-root/src"],
        "Cmd": ["/usr/libexec/s2i/usage"],
        "WorkingDir": "/opt/app-root/src",
        "Labels": {"io.openshift.s2i.scripts-url": "image:///usr/libexec/s2i"},
    },
    "Architecture": "amd64",
    "Os": "linux",
    "Size": 1,
    "RootFS": {"Type": "layers", "Layers": ["sha256:" + "1" * 64]},
}


# An earlier build of the training output, from other inputs: the rebuild check runs in full.
EARLIER_OUTPUT = dict(IMAGE, Id="sha256:" + "2" * 64, RepoTags=["127.0.0.1:1/s2i-cds-training-out:latest"],
                      Config=dict(IMAGE["Config"], Labels=dict(IMAGE["Config"]["Labels"], **{
                          "io.s2i.build.inputs-digest": "sha256:" + "3" * 64})))


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def answer(self, code, body):
        data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Api-Version", "1.41")
        self.send_header("Content-Type", "text/plain" if isinstance(body, str) else "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        path = self.path.split("?")[0]
        if path == "/_ping":
            self.answer(200, "OK")
        elif re.fullmatch(r"(/v[\d.]+)?/images/.+/json", path) and "s2i-cds-training:" in path:
            self.answer(200, IMAGE)
        elif re.fullmatch(r"(/v[\d.]+)?/images/.+/json", path) and "s2i-cds-training-out:" in path:
            self.answer(200, EARLIER_OUTPUT)
        else:
            self.answer(404, {"message": "not found (training engine)"})

    def do_HEAD(self):
        self.do_GET()

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        self.answer(500, {"message": "the training engine runs no containers"})

    do_DELETE = do_POST
    do_PUT = do_POST


class Server(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True

    def get_request(self):
        request, _ = super().get_request()
        return request, ("training", 0)


if __name__ == "__main__":
    sock = sys.argv[1]
    if os.path.exists(sock):
        os.unlink(sock)
    with Server(sock, Handler) as server:
        server.serve_forever()
