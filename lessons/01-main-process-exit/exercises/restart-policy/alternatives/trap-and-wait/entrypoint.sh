#!/bin/sh
echo "entrypoint: starting the server"
node server.js &
pid=$!
trap 'kill -TERM "$pid" 2>/dev/null' TERM INT
wait "$pid"
wait "$pid"
exit $?
