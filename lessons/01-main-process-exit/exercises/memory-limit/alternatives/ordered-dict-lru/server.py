# A page service: GET /page/<n> renders page n (1 MiB, with a random stamp of the rendering) and keeps
# it in a cache, so that asking for it again gives the same page without rendering it again.
# The cache is an LRU of at most a quarter of the container's memory limit.
import os
from collections import OrderedDict
from pathlib import Path
import signal
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer

PAGE_BYTES = 1024 * 1024



def container_limit():
    v2 = Path("/sys/fs/cgroup/memory.max")
    if v2.exists() and v2.read_text().strip() != "max":
        return int(v2.read_text())
    return int(Path("/sys/fs/cgroup/memory/memory.limit_in_bytes").read_text())


CAPACITY = container_limit() // 4 // PAGE_BYTES
cache = OrderedDict()


def render(n):
    stamp = os.urandom(8).hex()
    head = f"page {n} rendered {stamp}\n".encode()
    return head + b"." * (PAGE_BYTES - len(head))


def page(n):
    if n in cache:
        cache.move_to_end(n)
        return cache[n]
    cache[n] = render(n)
    if len(cache) > CAPACITY:
        cache.popitem(last=False)
    return cache[n]


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        parts = self.path.strip("/").split("/")
        if len(parts) != 2 or parts[0] != "page" or not parts[1].isdigit():
            self.send_error(404)
            return
        body = page(int(parts[1]))
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    server = HTTPServer(("0.0.0.0", 8080), Handler)
    print("page service listening on port 8080", flush=True)
    server.serve_forever()
