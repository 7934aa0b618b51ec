"""myapp: PID 1 runs main.py, which starts the server as a second python3 and only waits for it."""
import signal
import subprocess
import sys

SERVER = r'''
import http.server, logging, os, signal, sys
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

signal.signal(signal.SIGTERM, lambda s, f: sys.exit(0))
logging.info("myapp listening on port 8080 as PID %d", os.getpid())
http.server.HTTPServer(("0.0.0.0", 8080), Handler).serve_forever()
'''

# The parent passes SIGTERM on and exits with the child's code: it looks like a service, and is a waiter.
child = subprocess.Popen([sys.executable, "-c", SERVER])
signal.signal(signal.SIGTERM, lambda s, f: child.terminate())
sys.exit(child.wait())
