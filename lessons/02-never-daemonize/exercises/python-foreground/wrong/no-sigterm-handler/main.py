"""myapp: a small HTTP service that lets the process manager do its job."""
import http.server
import logging
import os
import signal
import sys

PORT = int(os.environ.get("PORT", "8080"))

# Log to stdout: Docker (or systemd, or Kubernetes) collects it.
logging.basicConfig(stream=sys.stdout, level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")


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
    logging.info("myapp received SIGTERM, shutting down")
    sys.exit(0)


def main():
    logging.info("myapp listening on port %d", PORT)
    http.server.HTTPServer(("0.0.0.0", PORT), Handler).serve_forever()


if __name__ == "__main__":
    main()
