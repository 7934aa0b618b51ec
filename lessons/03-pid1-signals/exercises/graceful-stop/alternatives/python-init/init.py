# A hand-written init as PID 1: it starts the command as its child, passes the stop signals on to
# it, reaps every child (orphans included) and exits with the command's status.
import os
import signal
import sys

child = os.fork()
if child == 0:
    os.execvp(sys.argv[1], sys.argv[1:])


def forward(signum, frame):
    try:
        os.kill(child, signum)
    except ProcessLookupError:
        pass


for s in (signal.SIGTERM, signal.SIGINT, signal.SIGQUIT, signal.SIGHUP):
    signal.signal(s, forward)

while True:
    try:
        pid, status = os.waitpid(-1, 0)
    except ChildProcessError:
        sys.exit(0)
    if pid == child:
        sys.exit(128 + os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status))
