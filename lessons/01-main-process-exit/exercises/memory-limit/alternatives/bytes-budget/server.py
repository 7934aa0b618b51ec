# A page service: GET /page/<n> renders page n (1 MiB, with a random stamp of the rendering) and keeps
# it in a cache, so that asking for it again gives the same page without rendering it again.
# The cache counts the bytes it holds and stays within a fifth of the container's memory limit.
import os
import signal
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer

PAGE_BYTES = 1024 * 1024



def limit_bytes():
    candidates = ["/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"]
    values = []
    for path in candidates:
        if os.path.exists(path):
            text = open(path).read().strip()
            if text != "max":
                values.append(int(text))
    return min(values)


BUDGET = limit_bytes() // 5
cache = {}
cached_bytes = 0


def render(n):
    stamp = os.urandom(8).hex()
    head = f"page {n} rendered {stamp}\n".encode()
    return head + b"." * (PAGE_BYTES - len(head))


def page(n):
    global cached_bytes
    if n in cache:
        return cache[n]
    body = render(n)
    while cache and cached_bytes + len(body) > BUDGET:
        oldest = next(iter(cache))
        cached_bytes -= len(cache.pop(oldest))
    cache[n] = body
    cached_bytes += len(body)
    return body


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
