"""myapp, in the foreground, with print() and unbuffered output instead of logging."""
import http.server
import os
import signal
import sys

PORT = int(os.environ.get("PORT", "8080"))


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"hello from myapp\n")


def main():
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
    print(f"myapp listening on port {PORT}", flush=True)
    http.server.HTTPServer(("0.0.0.0", PORT), Handler).serve_forever()


if __name__ == "__main__":
    main()
