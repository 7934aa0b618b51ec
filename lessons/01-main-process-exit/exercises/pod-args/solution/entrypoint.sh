#!/bin/sh
# Get the environment ready, then hand PID 1 over to the server, with the arguments the container
# was started with: exec replaces the shell, "$@" passes every argument on as it was given.
set -e
echo "entrypoint: starting the server"
exec node server.js "$@"
