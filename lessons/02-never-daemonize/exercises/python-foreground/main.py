"""myapp: a small HTTP service, written the way services were before process managers."""
import http.server
import logging
import os
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


def daemonize():
    # Fork twice so the service is detached from whatever started it...
    if os.fork() > 0:
        sys.exit(0)
    os.setsid()
    if os.fork() > 0:
        sys.exit(0)
    # ...remember where it went...
    with open("/var/run/myapp.pid", "w") as pid_file:
        pid_file.write(str(os.getpid()))
    # ...and keep its output in files of its own.
    sys.stdout = open("/var/log/myapp.log", "a", buffering=1)
    sys.stderr = open("/var/log/myapp.error", "a", buffering=1)


def main():
    daemonize()
    logging.basicConfig(stream=sys.stdout, level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    logging.info("myapp listening on port %d", PORT)
    http.server.HTTPServer(("0.0.0.0", PORT), Handler).serve_forever()


if __name__ == "__main__":
    main()
