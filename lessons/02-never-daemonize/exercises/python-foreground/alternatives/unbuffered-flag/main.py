import http.server
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
        print(f"{self.address_string()} {fmt % args}")


def on_sigterm(signum, frame):
    print("got SIGTERM, bye")
    sys.exit(0)


signal.signal(signal.SIGTERM, on_sigterm)
print(f"myapp listening on port {PORT}")
http.server.HTTPServer(("", PORT), Handler).serve_forever()
