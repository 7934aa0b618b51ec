#!/bin/sh
echo "entrypoint: starting the server"
node server.js "$@" &
child=$!
trap 'kill -TERM "$child"; wait "$child"; exit 0' TERM
wait "$child"
