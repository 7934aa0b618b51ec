#!/bin/sh
# No server at all: the script prints the server's lines and exits with codes of its own.
echo "entrypoint: starting the server"
echo "server listening on port 8080 as PID $$"
if [ -n "$CRASH_AFTER_MS" ]; then
  sleep 1
  code=$(( $(od -An -N1 -tu1 /dev/urandom) % 100 + 2 ))
  echo "server: lost its database connection, exiting with code $code" >&2
  exit $code
fi
if [ -n "$EXIT_AFTER_MS" ]; then
  sleep 1
  echo "server: work done, exiting"
  exit 0
fi
exec sleep infinity
