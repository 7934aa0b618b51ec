#!/usr/bin/python3
# supervisord's own helpers speak the listener protocol; on FATAL, end supervisord, our parent.
import os
import signal
import sys

from supervisor import childutils

while True:
    headers, payload = childutils.listener.wait(sys.stdin, sys.stdout)
    if headers["eventname"] == "PROCESS_STATE_FATAL":
        print(f"listener: {payload}: giving up, stopping supervisord", file=sys.stderr, flush=True)
        os.kill(os.getppid(), signal.SIGTERM)
    childutils.listener.ok(sys.stdout)
