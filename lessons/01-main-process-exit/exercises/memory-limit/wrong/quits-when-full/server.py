# A page service: GET /page/<n> renders page n (1 MiB, with a random stamp of the rendering) and keeps
# it in a cache, so that asking for it again gives the same page without rendering it again.
# The cache takes at most a quarter of the container's memory limit, read from its cgroup, and lets the
# oldest pages go first.
import os
import signal
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer

PAGE_BYTES = 1024 * 1024



def memory_limit():
    """The container's memory limit: cgroup v2, then v1; the machine's memory when there is none."""
    for path in ("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"):
        try:
            with open(path) as file:
                value = file.read().strip()
        except OSError:
            continue
        if value.isdigit():
            return int(value)
    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")


LIMIT = memory_limit()


def memory_used():
    for path in ("/sys/fs/cgroup/memory.current", "/sys/fs/cgroup/memory/memory.usage_in_bytes"):
        try:
            return int(open(path).read())
        except (OSError, ValueError):
            pass
    return 0
cache = {}


def render(n):
    stamp = os.urandom(8).hex()
    head = f"page {n} rendered {stamp}\n".encode()
    return head + b"." * (PAGE_BYTES - len(head))


def page(n):
    if n not in cache:
        if memory_used() > LIMIT * 0.7:
            print("memory almost full, stopping cleanly", flush=True)
            os._exit(0)
        cache[n] = render(n)
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
    print(f"page service listening on port 8080", flush=True)
    server.serve_forever()
