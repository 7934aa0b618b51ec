"""myapp: a small HTTP service that lets Docker manage it."""
import http.server
import logging
import os
import signal
import sys

PORT = int(os.environ.get("PORT", "8080"))


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = b"hello from myapp\n"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, fmt, *args):
        logging.info("%s %s", self.address_string(), fmt % args)


def stop(signum, frame):
    logging.info("SIGTERM received, shutting down")
    raise SystemExit(0)


def main():
    logging.basicConfig(stream=sys.stdout, level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    signal.signal(signal.SIGTERM, stop)
    with open('/dev/myapp.pid', 'w') as f:
        f.write(str(os.getpid()))
    logging.getLogger().addHandler(logging.FileHandler('/dev/myapp.log'))
    server = http.server.HTTPServer(("0.0.0.0", PORT), Handler)
    logging.info("myapp listening on port %d as PID %d", PORT, os.getpid())
    try:
        server.serve_forever()
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
