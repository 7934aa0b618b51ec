#!/bin/sh
# As official images do: arguments that start with a dash are options for the server, anything
# else is a command to run instead of it. Either way, exec: the program becomes PID 1.
set -e
if [ "$#" -eq 0 ] || [ "${1#-}" != "$1" ]; then
  set -- node server.js "$@"
fi
exec "$@"
